//! Theme bindings: tagging and discovery of themes in texts, the theme x metadata grid, theme
//! impact, co-occurrence and waves. Each reads its columns through [`Table::read`] and hands
//! back the core's [`Output`]; defaults live in the public Python signatures only.

use arrow_schema::DataType;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;

use super::error::CvResult;
use super::io::{detach, table_of, to_pyarrow, with_progress};
use crate::error::Result;
use crate::stats::hypothesis::Correction;
use crate::table::{Column, Kind, Missing, Output, RowLog, Spec, Table};
use crate::themes::associations::{self, Metadata, Options};
use crate::themes::{cooccurrence, discover, drivers, impact, profiles, tagging, waves};

/// How a metadata column is read: numbers, unless it is boolean or named in `categorical`.
fn metadata_kind(t: &Table, name: &str, categorical: &[String]) -> Kind {
    let numeric = t.data_type(name).is_some_and(|d| d.is_numeric() && d != DataType::Boolean);
    if numeric && !categorical.iter().any(|c| c == name) {
        Kind::Float
    } else {
        Kind::Category
    }
}

/// The spec reading a grid's columns ("pairwise": metadata rows with missing values stay, each
/// test leaves them out), and the missing-value policy.
fn grid_spec<'a>(
    t: &Table,
    themes: &'a [String],
    metadata: &'a [String],
    categorical: &[String],
    by: Option<&'a str>,
    missing: &str,
) -> Result<(Spec<'a>, Missing)> {
    let pairwise = missing == "pairwise";
    let policy = if pairwise { Missing::Raise } else { Missing::parse(missing)? };
    let mut spec = Spec::new().cols(themes, Kind::Flag).by(by);
    for m in metadata {
        let kind = metadata_kind(t, m, categorical);
        spec = if pairwise { spec.pairwise(m, kind) } else { spec.col(m, kind) };
    }
    Ok((spec, policy))
}

/// The theme flags and metadata columns read by [`grid_spec`].
fn grid_columns(
    inp: &mut crate::table::Inputs,
    k: usize,
    m: usize,
) -> Result<(Vec<Column<bool>>, Vec<Metadata>)> {
    let flags = inp.flags(0..k)?;
    let meta: Vec<Metadata> = (k..k + m)
        .map(|i| match inp.take(i) {
            crate::table::Read::Float(c) => Ok(Metadata::Numeric(c)),
            crate::table::Read::Category(c) => Ok(Metadata::Categorical(c)),
            _ => Err(crate::Error::parameter("metadata", "internal: unread column")),
        })
        .collect::<Result<_>>()?;
    Ok((flags, meta))
}

/// The theme x metadata test grid: tables "table" (and "profiles").
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn theme_associations(
    py: Python<'_>,
    table: PyTable,
    themes: Vec<String>,
    metadata: Vec<String>,
    correction: &str,
    min_count: usize,
    ci: f64,
    categorical: Vec<String>,
    by: Option<&str>,
    missing: &str,
    seed: u64,
    n_permutations: usize,
    profiles: bool,
    min_support: f64,
) -> CvResult<Output> {
    let t = table_of(table);
    let correction = Correction::parse(correction)?;
    let opts = Options::new(correction, min_count, ci)?.permutations(n_permutations, seed)?;
    let profile_opts = profiles::Options::new(min_support, min_count, ci, correction)?;
    let (spec, policy) = grid_spec(&t, &themes, &metadata, &categorical, by, missing)?;
    // a worker thread that checks for Ctrl-C every 50 ms while the permutation tests run
    Ok(with_progress(py, None, true, |pg| -> Result<_> {
        let opts = associations::Options { cancel: pg, ..opts };
        let mut inp = t.read(&spec, policy)?;
        let (flags, meta) = grid_columns(&mut inp, themes.len(), metadata.len())?;
        let rows = associations::theme_associations_by(&flags, &meta, inp.by.as_ref(), opts)?;
        let strata = inp.by.as_ref().map(|c| c.levels.clone()).unwrap_or_default();
        let grid = associations::table(&rows, &themes, &metadata, by.map(|b| (b, strata.as_slice())))?;
        let mut out = Output::new(inp.log.clone()).table("table", grid);
        if profiles {
            let found = profiles::profiles(&flags, &meta, profile_opts)?;
            out = out.table("profiles", profiles::table(&found, &themes)?);
        }
        Ok(out)
    })??)
}

/// The mergeable state of the grid over some rows: table "state" (see
/// `associations::hist::to_batch`) and the numeric flag of each metadata column.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn theme_associations_state(
    py: Python<'_>,
    table: PyTable,
    themes: Vec<String>,
    metadata: Vec<String>,
    categorical: Vec<String>,
    by: Option<&str>,
    missing: &str,
) -> CvResult<Output> {
    let t = table_of(table);
    let (spec, policy) = grid_spec(&t, &themes, &metadata, &categorical, by, missing)?;
    let numeric: Vec<bool> =
        metadata.iter().map(|m| matches!(metadata_kind(&t, m, &categorical), Kind::Float)).collect();
    Ok(detach(py, || -> Result<_> {
        let mut inp = t.read(&spec, policy)?;
        let (flags, meta) = grid_columns(&mut inp, themes.len(), metadata.len())?;
        let (strata, totals) = associations::strata_hists(&flags, &meta, inp.by.as_ref())?;
        let state = associations::hist::to_batch(by, &strata, &metadata, &totals)?;
        Ok(Output::new(inp.log.clone())
            .table("state", state)
            .value("numeric", numeric.iter().map(|b| u8::from(*b).to_string()).collect::<Vec<_>>().join(",")))
    })?)
}

/// The grid from states' rows (concatenated, in any order): table "table", as
/// `theme_associations` returns it without profiles.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn theme_associations_finish(
    py: Python<'_>,
    table: PyTable,
    themes: Vec<String>,
    metadata: Vec<String>,
    numeric: Vec<bool>,
    by: Option<&str>,
    stratum_order: Vec<String>,
    level_orders: Vec<Vec<String>>,
    correction: &str,
    min_count: usize,
    ci: f64,
    seed: u64,
    n_permutations: usize,
) -> CvResult<Output> {
    let (batches, _) = table.into_inner();
    let correction = Correction::parse(correction)?;
    let opts = Options::new(correction, min_count, ci)?.permutations(n_permutations, seed)?;
    Ok(with_progress(py, None, true, |pg| -> Result<_> {
        let opts = associations::Options { cancel: pg, ..opts };
        let (strata, n_rows) = associations::hist::from_batches(
            &batches,
            by,
            &metadata,
            &numeric,
            themes.len(),
            &stratum_order,
            &level_orders,
        )?;
        let rows = associations::grid_of_strata(&themes, &metadata, &strata, opts)?;
        let labels: Vec<String> = strata.iter().filter_map(|s| s.0.clone()).collect();
        let grid = associations::table(&rows, &themes, &metadata, by.map(|b| (b, labels.as_slice())))?;
        Ok(Output::new(RowLog::new(n_rows)).table("table", grid))
    })??)
}

/// Theme impact on a value outcome: table "table", r_squared, sampled.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn theme_impact(
    py: Python<'_>,
    table: PyTable,
    themes: Vec<String>,
    outcome: &str,
    method: &str,
    n_boot: usize,
    seed: u64,
    ci: f64,
    n_permutations: usize,
    missing: &str,
    progress: Option<Bound<'_, PyAny>>,
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let opts = impact::Options {
        method: impact::Method::parse(method)?,
        bootstrap: n_boot,
        seed,
        level: ci,
        permutations: n_permutations,
    };
    let spec = Spec::new().cols(&themes, Kind::Flag).col(outcome, Kind::Float);
    Ok(with_progress(py, progress.as_ref(), n_boot > 0, |pg| -> Result<_> {
        let inp = t.read(&spec, missing)?;
        let flags = inp.flags(0..themes.len())?;
        impact::theme_impact(&flags, inp.float(themes.len())?, opts, pg)?.output(inp.log.clone())
    })??)
}

/// Key-driver analysis of an outcome on continuous drivers.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn key_drivers(
    py: Python<'_>,
    table: PyTable,
    features: Vec<String>,
    outcome: &str,
    method: &str,
    outcome_type: &str,
    n_boot: usize,
    seed: u64,
    ci: f64,
    n_permutations: usize,
    missing: &str,
    progress: Option<Bound<'_, PyAny>>,
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let method = drivers::Method::parse(method)?;
    drivers::Outcome::parse(outcome_type, &[])?;
    let spec = Spec::new().cols(&features, Kind::Float).col(outcome, Kind::Float);
    Ok(with_progress(py, progress.as_ref(), n_boot > 0, |pg| -> Result<_> {
        let inp = t.read(&spec, missing)?;
        let cols: Vec<Column<f64>> =
            (0..features.len()).map(|j| inp.float(j).cloned()).collect::<Result<_>>()?;
        let y = inp.float(features.len())?;
        let opts = drivers::Options {
            method,
            outcome: drivers::Outcome::parse(outcome_type, &y.values)?,
            bootstrap: n_boot,
            seed,
            level: ci,
            permutations: n_permutations,
        };
        drivers::key_drivers(&cols, y, opts, pg)?.output(inp.log.clone())
    })??)
}

/// Lexicon tagging of a text column: tables "table" (per text) and "phrases" (per term).
#[pyfunction]
fn tag_themes(
    py: Python<'_>,
    table: PyTable,
    column: &str,
    lexicon: Vec<(String, Vec<String>)>,
    stem: bool,
    negation: bool,
    language: &str,
) -> CvResult<Output> {
    let t = table_of(table);
    let opts = tagging::TagOptions { stem, negation, language: tagging::language(language)? };
    Ok(detach(py, || -> Result<_> {
        t.with_texts(column, |texts| tagging::tag_themes(texts, &lexicon, opts))??
            .output(RowLog::new(t.n_rows()))
    })?)
}

/// Theme discovery: TF-IDF then NMF or spherical k-means ("weights", "tfidf" and the model).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn discover_themes(
    py: Python<'_>,
    table: PyTable,
    column: &str,
    n_themes: usize,
    method: &str,
    max_features: usize,
    seed: u64,
    stop_words: Option<Vec<String>>,
    max_iter: usize,
    tol: f64,
    n_init: usize,
) -> CvResult<Output> {
    let t = table_of(table);
    let opts = discover::Options {
        k: n_themes,
        method: discover::Method::parse(method)?,
        seed,
        max_iter,
        tol,
        n_init,
    };
    let stop =
        stop_words.unwrap_or_else(|| discover::ENGLISH_STOP_WORDS.iter().map(|s| s.to_string()).collect());
    Ok(detach(py, || -> Result<_> {
        t.with_texts(column, |texts| discover::discover(texts, max_features, stop, opts))??
            .output(n_themes, RowLog::new(t.n_rows()))
    })?)
}

/// Theme weights of new texts under a fitted discovery model.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn discover_assign(
    py: Python<'_>,
    table: PyTable,
    column: &str,
    vocabulary: Vec<String>,
    idf: Vec<f64>,
    stop_words: Vec<String>,
    components: Vec<Vec<f64>>,
    method: &str,
) -> CvResult<Py<PyAny>> {
    let t = table_of(table);
    let method = discover::Method::parse(method)?;
    let model = discover::Tfidf { vocabulary, idf, stop_words };
    let k = components.len();
    let w =
        detach(py, || t.with_texts(column, |texts| discover::assign(&model, &components, method, texts)))?;
    Ok(to_pyarrow(py, discover::weights_table(&w, k)?)?)
}

/// Theme co-occurrence network with a hypergeometric test per edge: table "table".
#[pyfunction]
fn theme_cooccurrence(
    py: Python<'_>,
    table: PyTable,
    themes: Vec<String>,
    correction: &str,
    missing: &str,
) -> CvResult<Output> {
    let t = table_of(table);
    let correction = Correction::parse(correction)?;
    let missing = Missing::parse(missing)?;
    let spec = Spec::new().cols(&themes, Kind::Flag);
    Ok(detach(py, || -> Result<_> {
        let inp = t.read(&spec, missing)?;
        let edges = cooccurrence::theme_cooccurrence(&inp.flags(0..themes.len())?, correction)?;
        Ok(Output::new(inp.log.clone()).table("table", cooccurrence::table(&edges, &themes)?))
    })?)
}

/// The mergeable state of the co-occurrence network over some rows: table "state" (theme_a,
/// theme_b, count: per pair a <= b, in the order of `themes`, the respondents mentioning both,
/// a == b those mentioning a) and the value "n" (respondents).
#[pyfunction]
fn theme_cooccurrence_state(
    py: Python<'_>,
    table: PyTable,
    themes: Vec<String>,
    missing: &str,
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let spec = Spec::new().cols(&themes, Kind::Flag);
    Ok(detach(py, || -> Result<_> {
        let inp = t.read(&spec, missing)?;
        let c = cooccurrence::counts(&inp.flags(0..themes.len())?)?;
        let k = themes.len();
        let pairs: Vec<(usize, usize)> = (0..k).flat_map(|a| (a..k).map(move |b| (a, b))).collect();
        let name = |i: usize| themes.get(i).cloned().unwrap_or_default();
        let state = crate::table::Columns::new()
            .text("theme_a", pairs.iter().map(|p| name(p.0)))
            .text("theme_b", pairs.iter().map(|p| name(p.1)))
            .count("count", pairs.iter().map(|p| c.get(p.0, p.1) as usize))
            .batch()?;
        Ok(Output::new(inp.log.clone()).table("state", state).value("n", c.n as usize))
    })?)
}

/// The co-occurrence network from merged counts (`both`: k x k, row-major, symmetric, the
/// diagonal each theme's mentions): table "table", as `theme_cooccurrence` returns it.
#[pyfunction]
fn theme_cooccurrence_finish(
    py: Python<'_>,
    n: u64,
    both: Vec<u64>,
    themes: Vec<String>,
    correction: &str,
) -> CvResult<Output> {
    let correction = Correction::parse(correction)?;
    let k = themes.len();
    if both.len() != k * k {
        return Err(crate::Error::parameter("state", format!("{} counts for {k} themes", both.len())).into());
    }
    let c = cooccurrence::CoCounts { n, k, both };
    let first = themes.first().cloned().unwrap_or_else(|| "themes".into());
    Ok(detach(py, || -> Result<_> {
        let edges = cooccurrence::edges(&c, &first, correction)?;
        Ok(Output::new(RowLog::new(n as usize)).table("table", cooccurrence::table(&edges, &themes)?))
    })?)
}

/// Theme prevalence and outcome between two waves, with difference in differences: table
/// "table" and the two waves' labels.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn compare_waves(
    py: Python<'_>,
    table: PyTable,
    themes: Vec<String>,
    wave: &str,
    outcome: Option<&str>,
    control: Option<&str>,
    before: Option<&str>,
    correction: &str,
    ci: f64,
    missing: &str,
) -> CvResult<Output> {
    let t = table_of(table);
    let correction = Correction::parse(correction)?;
    let missing = Missing::parse(missing)?;
    let k = themes.len();
    let spec = Spec::new()
        .cols(&themes, Kind::Flag)
        .col(wave, Kind::Category)
        .maybe(outcome, Kind::Float)
        .maybe(control, Kind::Flag);
    Ok(detach(py, || -> Result<_> {
        let inp = t.read(&spec, missing)?;
        let ((first, second), after) = waves::split_waves(inp.category(k)?, before)?;
        let rows = waves::compare_waves(
            &inp.flags(0..k)?,
            inp.maybe_float(k + 1)?,
            &after,
            inp.maybe_flag(k + 2)?,
            correction,
            ci,
        )?;
        Ok(Output::new(inp.log.clone())
            .table("table", waves::table(&rows)?)
            .value("before", first)
            .value("after", second))
    })?)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(theme_associations, m)?)?;
    m.add_function(wrap_pyfunction!(theme_associations_state, m)?)?;
    m.add_function(wrap_pyfunction!(theme_associations_finish, m)?)?;
    m.add_function(wrap_pyfunction!(theme_impact, m)?)?;
    m.add_function(wrap_pyfunction!(key_drivers, m)?)?;
    m.add_function(wrap_pyfunction!(tag_themes, m)?)?;
    m.add_function(wrap_pyfunction!(discover_themes, m)?)?;
    m.add_function(wrap_pyfunction!(discover_assign, m)?)?;
    m.add_function(wrap_pyfunction!(theme_cooccurrence, m)?)?;
    m.add_function(wrap_pyfunction!(theme_cooccurrence_state, m)?)?;
    m.add_function(wrap_pyfunction!(theme_cooccurrence_finish, m)?)?;
    m.add_function(wrap_pyfunction!(compare_waves, m)?)?;
    Ok(())
}
