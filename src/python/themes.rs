//! Theme bindings: the theme x metadata grid and theme impact.

use arrow_schema::DataType;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::PyTable;

use super::error::CvResult;
use super::io::{detach, put_rows, table_of, to_pyarrow, with_progress};
use crate::error::Result;
use crate::stats::hypothesis::Correction;
use crate::table::{
    self, categorical_array, f64_array, i64_array, str_array, Categorical, Column, Missing, RowLog, Rows,
    Table,
};
use crate::themes::associations::{self, Metadata, Options};
use crate::themes::{cooccurrence, discover, impact, profiles, tagging, waves};

/// Theme flags and metadata columns, after the missing-value policy ("pairwise" keeps missing
/// metadata rows and lets each test leave them out).
fn read_grid(
    t: &Table,
    themes: &[String],
    metadata: &[String],
    categorical: &[String],
    by: &mut Option<Categorical>,
    missing: &str,
) -> Result<(Vec<Column<bool>>, Vec<Metadata>, RowLog)> {
    let mut flags: Vec<Column<bool>> = themes.iter().map(|n| t.flag(n)).collect::<Result<_>>()?;
    let mut meta: Vec<Metadata> = metadata
        .iter()
        .map(|n| {
            let numeric = t.data_type(n).is_some_and(|d| d.is_numeric() && d != DataType::Boolean);
            if numeric && !categorical.contains(n) {
                t.float(n).map(Metadata::Numeric)
            } else {
                t.category(n).map(Metadata::Categorical)
            }
        })
        .collect::<Result<_>>()?;
    let dropped = if missing == "pairwise" {
        let mut rows: Vec<&mut dyn Rows> = flags.iter_mut().map(|c| c as &mut dyn Rows).collect();
        table::apply_missing(&mut rows, Missing::Raise)?
    } else {
        let mut rows: Vec<&mut dyn Rows> = flags.iter_mut().map(|c| c as &mut dyn Rows).collect();
        for m in meta.iter_mut() {
            rows.push(match m {
                Metadata::Categorical(c) => c,
                Metadata::Numeric(c) => c,
            });
        }
        if let Some(b) = by.as_mut() {
            rows.push(b);
        }
        table::apply_missing(&mut rows, Missing::parse(missing)?)?
    };
    Ok((flags, meta, dropped))
}

/// The theme x metadata test grid.
#[pyfunction]
#[pyo3(signature = (table, themes, metadata, correction="fdr_bh", min_count=5, level=0.95, categorical=Vec::new(), by=None, missing="raise", seed=0, permutations=2000, profiles=false, min_support=0.05))]
#[allow(clippy::too_many_arguments)]
fn theme_associations<'py>(
    py: Python<'py>,
    table: PyTable,
    themes: Vec<String>,
    metadata: Vec<String>,
    correction: &str,
    min_count: usize,
    level: f64,
    categorical: Vec<String>,
    by: Option<&str>,
    missing: &str,
    seed: u64,
    permutations: usize,
    profiles: bool,
    min_support: f64,
) -> CvResult<Bound<'py, PyDict>> {
    let t = table_of(table);
    let correction = Correction::parse(correction)?;
    let opts = Options::new(correction, min_count, level)?.permutations(permutations, seed)?;
    let profile_opts = profiles::Options::new(min_support, min_count, level, correction)?;
    let (rows, log, strata, found) = detach(py, || -> Result<_> {
        let mut by_col = by.map(|b| t.category(b)).transpose()?;
        let (flags, meta, log) = read_grid(&t, &themes, &metadata, &categorical, &mut by_col, missing)?;
        let rows = associations::theme_associations_by(&flags, &meta, by_col.as_ref(), opts)?;
        let found = if profiles { Some(profiles::profiles(&flags, &meta, profile_opts)?) } else { None };
        Ok((rows, log, by_col.map(|c| c.levels).unwrap_or_default(), found))
    })?;
    let col = |f: &dyn Fn(&associations::Row) -> f64| f64_array(rows.iter().map(f).collect());
    let levels: Vec<String> = {
        let mut seen: Vec<String> = Vec::new();
        for r in &rows {
            if let Some(l) = &r.level {
                if !seen.contains(l) {
                    seen.push(l.clone());
                }
            }
        }
        seen
    };
    let level_codes: Vec<Option<i32>> = rows
        .iter()
        .map(|r| r.level.as_ref().and_then(|l| levels.iter().position(|x| x == l)).map(|i| i as i32))
        .collect();
    let level_values: arrow_array::ArrayRef = std::sync::Arc::new(arrow_array::StringArray::from(levels));
    let level_array: arrow_array::ArrayRef = std::sync::Arc::new(
        arrow_array::DictionaryArray::<arrow_array::types::Int32Type>::try_new(
            arrow_array::Int32Array::from(level_codes),
            level_values,
        )
        .map_err(|e| crate::Error::parameter("level", e.to_string()))?,
    );
    let names = |f: &dyn Fn(&associations::Row) -> &str, all: &[String]| -> Result<arrow_array::ArrayRef> {
        let codes = rows.iter().map(|r| all.iter().position(|x| x == f(r)).unwrap_or(0) as u32).collect();
        categorical_array(codes, all)
    };
    let mut cols: Vec<(String, arrow_array::ArrayRef)> = vec![
        ("theme".into(), names(&|r| r.theme.as_str(), &themes)?),
        ("variable".into(), names(&|r| r.variable.as_str(), &metadata)?),
        ("level".into(), level_array),
        ("test".into(), str_array(rows.iter().map(|r| r.test.to_string()).collect())),
        ("statistic".into(), col(&|r| r.statistic)),
        ("p".into(), col(&|r| r.p)),
        ("q".into(), col(&|r| r.q)),
        ("effect".into(), col(&|r| r.effect)),
        ("effect_ci_low".into(), col(&|r| r.effect_ci_low)),
        ("effect_ci_high".into(), col(&|r| r.effect_ci_high)),
        ("n".into(), i64_array(rows.iter().map(|r| r.n as i64).collect())),
        ("effect_name".into(), str_array(rows.iter().map(|r| r.effect_name.to_string()).collect())),
        ("mentions".into(), i64_array(rows.iter().map(|r| r.mentions as i64).collect())),
        ("note".into(), str_array(rows.iter().map(|r| r.note.clone()).collect())),
    ];
    if let Some(b) = by {
        cols.insert(0, (b.to_string(), names(&|r| r.stratum.as_deref().unwrap_or(""), &strata)?));
    }
    let d = PyDict::new(py);
    d.set_item("table", to_pyarrow(py, table::batch(cols)?)?)?;
    put_rows(py, &d, &log)?;
    if let Some(found) = found {
        d.set_item("profiles", to_pyarrow(py, profile_batch(&found, &themes)?)?)?;
    }
    Ok(d)
}

/// The profiles as an Arrow batch.
fn profile_batch(found: &[profiles::Profile], themes: &[String]) -> Result<arrow_array::RecordBatch> {
    let col = |f: &dyn Fn(&profiles::Profile) -> f64| f64_array(found.iter().map(f).collect());
    let theme_codes =
        found.iter().map(|r| themes.iter().position(|x| *x == r.theme).unwrap_or(0) as u32).collect();
    table::batch(vec![
        ("theme".into(), categorical_array(theme_codes, themes)?),
        ("conditions".into(), str_array(found.iter().map(|r| r.conditions.clone()).collect())),
        ("support".into(), col(&|r| r.support)),
        ("n".into(), i64_array(found.iter().map(|r| r.n as i64).collect())),
        ("mentions".into(), i64_array(found.iter().map(|r| r.mentions as i64).collect())),
        ("lift".into(), col(&|r| r.lift)),
        ("lift_ci_low".into(), col(&|r| r.lift_ci_low)),
        ("lift_ci_high".into(), col(&|r| r.lift_ci_high)),
        ("p".into(), col(&|r| r.p)),
        ("q".into(), col(&|r| r.q)),
        ("size".into(), i64_array(found.iter().map(|r| r.size as i64).collect())),
        ("test".into(), str_array(found.iter().map(|r| r.test.to_string()).collect())),
    ])
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(theme_associations, m)?)?;
    m.add_function(wrap_pyfunction!(theme_impact, m)?)?;
    m.add_function(wrap_pyfunction!(tag_themes, m)?)?;
    m.add_function(wrap_pyfunction!(discover_themes, m)?)?;
    m.add_function(wrap_pyfunction!(discover_assign, m)?)?;
    m.add_function(wrap_pyfunction!(theme_cooccurrence, m)?)?;
    m.add_function(wrap_pyfunction!(compare_waves, m)?)?;
    Ok(())
}

/// Theme impact on a value outcome.
#[pyfunction]
#[pyo3(signature = (table, themes, outcome, method="relative_weights", bootstrap=0, seed=0, level=0.95, permutations=2000, missing="raise", progress=None))]
#[allow(clippy::too_many_arguments)]
fn theme_impact<'py>(
    py: Python<'py>,
    table: PyTable,
    themes: Vec<String>,
    outcome: &str,
    method: &str,
    bootstrap: usize,
    seed: u64,
    level: f64,
    permutations: usize,
    missing: &str,
    progress: Option<Bound<'py, PyAny>>,
) -> CvResult<Bound<'py, PyDict>> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let opts =
        impact::Options { method: impact::Method::parse(method)?, bootstrap, seed, level, permutations };
    let (res, log) = with_progress(py, progress.as_ref(), |pg| -> Result<_> {
        let mut flags: Vec<Column<bool>> = themes.iter().map(|n| t.flag(n)).collect::<Result<_>>()?;
        let mut y = t.float(outcome)?;
        let log = {
            let mut rows: Vec<&mut dyn Rows> = flags.iter_mut().map(|c| c as &mut dyn Rows).collect();
            rows.push(&mut y);
            table::apply_missing(&mut rows, missing)?
        };
        Ok((impact::theme_impact(&flags, &y, opts, pg)?, log))
    })??;
    let rows = &res.rows;
    let col = |f: &dyn Fn(&impact::ImpactRow) -> f64| f64_array(rows.iter().map(f).collect());
    let cols: Vec<(String, arrow_array::ArrayRef)> = vec![
        ("theme".into(), str_array(rows.iter().map(|r| r.theme.clone()).collect())),
        ("prevalence".into(), col(&|r| r.prevalence)),
        ("impact".into(), col(&|r| r.impact)),
        ("ci_low".into(), col(&|r| r.ci_low)),
        ("ci_high".into(), col(&|r| r.ci_high)),
        ("rank".into(), i64_array(rows.iter().map(|r| r.rank as i64).collect())),
        ("mean_with".into(), col(&|r| r.mean_with)),
        ("mean_without".into(), col(&|r| r.mean_without)),
        ("impact_if_removed".into(), col(&|r| r.impact_if_removed)),
        ("correlation".into(), col(&|r| r.correlation)),
    ];
    let d = PyDict::new(py);
    d.set_item("table", to_pyarrow(py, table::batch(cols)?)?)?;
    d.set_item("r_squared", res.r_squared)?;
    d.set_item("sampled", res.sampled)?;
    put_rows(py, &d, &log)?;
    Ok(d)
}

/// Lexicon tagging of a text column.
#[pyfunction]
#[pyo3(signature = (table, column, lexicon, stem=true, negation=true, language="english"))]
fn tag_themes<'py>(
    py: Python<'py>,
    table: PyTable,
    column: &str,
    lexicon: Vec<(String, Vec<String>)>,
    stem: bool,
    negation: bool,
    language: &str,
) -> CvResult<Bound<'py, PyDict>> {
    let t = table_of(table);
    let opts = tagging::TagOptions { stem, negation, language: tagging::language(language)? };
    let tagged = detach(py, || -> Result<_> {
        t.with_texts(column, |texts| tagging::tag_themes(texts, &lexicon, opts))?
    })?;
    let mut cols: Vec<(String, arrow_array::ArrayRef)> = Vec::new();
    for (name, counts) in tagged.themes.iter().zip(&tagged.counts) {
        cols.push((name.clone(), table::bool_array(counts.iter().map(|c| *c > 0).collect())));
    }
    for (name, counts) in tagged.themes.iter().zip(&tagged.counts) {
        cols.push((format!("{name}_count"), i64_array(counts.iter().map(|c| i64::from(*c)).collect())));
    }
    for (name, counts) in tagged.themes.iter().zip(&tagged.negated) {
        cols.push((format!("{name}_negated"), i64_array(counts.iter().map(|c| i64::from(*c)).collect())));
    }
    cols.push(("phrases".into(), str_array(tagged.fired)));
    let terms = &tagged.terms;
    let term_cols: Vec<(String, arrow_array::ArrayRef)> = vec![
        ("theme".into(), str_array(terms.iter().map(|x| x.0.clone()).collect())),
        ("phrase".into(), str_array(terms.iter().map(|x| x.1.clone()).collect())),
        ("matches".into(), i64_array(terms.iter().map(|x| x.2 as i64).collect())),
        ("negated".into(), i64_array(terms.iter().map(|x| x.3 as i64).collect())),
        ("documents".into(), i64_array(terms.iter().map(|x| x.4 as i64).collect())),
    ];
    let d = PyDict::new(py);
    d.set_item("table", to_pyarrow(py, table::batch(cols)?)?)?;
    d.set_item("phrases", to_pyarrow(py, table::batch(term_cols)?)?)?;
    d.set_item("n_empty", tagged.n_empty)?;
    Ok(d)
}

fn weights_batch(w: &[Vec<f64>], k: usize) -> Result<arrow_array::RecordBatch> {
    let cols = (0..k)
        .map(|t| {
            (format!("theme_{t}"), f64_array(w.iter().map(|r| r.get(t).copied().unwrap_or(0.0)).collect()))
        })
        .collect();
    table::batch(cols)
}

fn stop_list(stop_words: Option<Vec<String>>) -> Vec<String> {
    stop_words.unwrap_or_else(|| discover::ENGLISH_STOP_WORDS.iter().map(|s| s.to_string()).collect())
}

/// Theme discovery: TF-IDF then NMF or spherical k-means.
#[pyfunction]
#[pyo3(signature = (table, column, n_themes, method="nmf", max_features=5000, seed=0, stop_words=None, max_iter=400, tol=1e-4, n_init=4))]
#[allow(clippy::too_many_arguments)]
fn discover_themes<'py>(
    py: Python<'py>,
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
) -> CvResult<Bound<'py, PyDict>> {
    let t = table_of(table);
    let opts = discover::Options {
        k: n_themes,
        method: discover::Method::parse(method)?,
        seed,
        max_iter,
        tol,
        n_init,
    };
    let stop = stop_list(stop_words);
    let d = detach(py, || -> Result<_> {
        t.with_texts(column, |texts| discover::discover(texts, max_features, stop, opts))?
    })?;
    let m = &d.matrix;
    let mut rows = Vec::with_capacity(m.data.len());
    for i in 0..m.indptr.len().saturating_sub(1) {
        let n = m.indptr.get(i + 1).copied().unwrap_or(0) - m.indptr.get(i).copied().unwrap_or(0);
        rows.extend(std::iter::repeat_n(i as i64, n));
    }
    let coo = table::batch(vec![
        ("row".into(), i64_array(rows)),
        ("column".into(), i64_array(m.indices.iter().map(|c| *c as i64).collect())),
        ("value".into(), f64_array(m.data.clone())),
    ])?;
    let out = PyDict::new(py);
    out.set_item("weights", to_pyarrow(py, weights_batch(&d.weights, n_themes)?)?)?;
    out.set_item("components", d.components.clone())?;
    out.set_item("vocabulary", d.tfidf.vocabulary.clone())?;
    out.set_item("idf", d.tfidf.idf.clone())?;
    out.set_item("stop_words", d.tfidf.stop_words.clone())?;
    out.set_item("error", d.error)?;
    out.set_item("iterations", d.iterations)?;
    out.set_item("tfidf", to_pyarrow(py, coo)?)?;
    Ok(out)
}

/// Theme weights of new texts under a fitted discovery model.
#[pyfunction]
#[pyo3(signature = (table, column, vocabulary, idf, stop_words, components, method))]
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
    Ok(to_pyarrow(py, weights_batch(&w, k)?)?)
}

/// Theme co-occurrence network with a hypergeometric test per edge.
#[pyfunction]
#[pyo3(signature = (table, themes, correction="fdr_bh", missing="raise"))]
fn theme_cooccurrence<'py>(
    py: Python<'py>,
    table: PyTable,
    themes: Vec<String>,
    correction: &str,
    missing: &str,
) -> CvResult<Bound<'py, PyDict>> {
    let t = table_of(table);
    let correction = Correction::parse(correction)?;
    let missing = Missing::parse(missing)?;
    let (edges, log) = detach(py, || -> Result<_> {
        let mut flags: Vec<Column<bool>> = themes.iter().map(|n| t.flag(n)).collect::<Result<_>>()?;
        let mut rows: Vec<&mut dyn Rows> = flags.iter_mut().map(|c| c as &mut dyn Rows).collect();
        let log = table::apply_missing(&mut rows, missing)?;
        Ok((cooccurrence::theme_cooccurrence(&flags, correction)?, log))
    })?;
    let name = |i: usize| themes.get(i).cloned().unwrap_or_default();
    let col = |f: &dyn Fn(&cooccurrence::Edge) -> f64| f64_array(edges.iter().map(f).collect());
    let int = |f: &dyn Fn(&cooccurrence::Edge) -> u64| i64_array(edges.iter().map(|e| f(e) as i64).collect());
    let cols: Vec<(String, arrow_array::ArrayRef)> = vec![
        ("theme_a".into(), str_array(edges.iter().map(|e| name(e.a)).collect())),
        ("theme_b".into(), str_array(edges.iter().map(|e| name(e.b)).collect())),
        ("n_a".into(), int(&|e| e.n_a)),
        ("n_b".into(), int(&|e| e.n_b)),
        ("both".into(), int(&|e| e.both)),
        ("expected".into(), col(&|e| e.expected)),
        ("lift".into(), col(&|e| e.lift)),
        ("jaccard".into(), col(&|e| e.jaccard)),
        ("p".into(), col(&|e| e.p)),
        ("q".into(), col(&|e| e.q)),
    ];
    let d = PyDict::new(py);
    d.set_item("table", to_pyarrow(py, table::batch(cols)?)?)?;
    put_rows(py, &d, &log)?;
    Ok(d)
}

/// Theme prevalence and outcome between two waves, with difference in differences.
#[pyfunction]
#[pyo3(signature = (table, themes, wave, outcome=None, control=None, before=None, correction="fdr_bh", level=0.95, missing="raise"))]
#[allow(clippy::too_many_arguments)]
fn compare_waves<'py>(
    py: Python<'py>,
    table: PyTable,
    themes: Vec<String>,
    wave: &str,
    outcome: Option<&str>,
    control: Option<&str>,
    before: Option<&str>,
    correction: &str,
    level: f64,
    missing: &str,
) -> CvResult<Bound<'py, PyDict>> {
    let t = table_of(table);
    let correction = Correction::parse(correction)?;
    let missing = Missing::parse(missing)?;
    let (rows, labels, log) = detach(py, || -> Result<_> {
        let mut flags: Vec<Column<bool>> = themes.iter().map(|n| t.flag(n)).collect::<Result<_>>()?;
        let mut w = t.category(wave)?;
        let mut y = outcome.map(|o| t.float(o)).transpose()?;
        let mut c = control.map(|o| t.flag(o)).transpose()?;
        let log = {
            let mut rows: Vec<&mut dyn Rows> = flags.iter_mut().map(|c| c as &mut dyn Rows).collect();
            rows.push(&mut w);
            if let Some(y) = y.as_mut() {
                rows.push(y);
            }
            if let Some(c) = c.as_mut() {
                rows.push(c);
            }
            table::apply_missing(&mut rows, missing)?
        };
        let (labels, after) = waves::split_waves(&w, before)?;
        let rows = waves::compare_waves(&flags, y.as_ref(), &after, c.as_ref(), correction, level)?;
        Ok((rows, labels, log))
    })?;
    let col = |f: &dyn Fn(&waves::WaveRow) -> f64| f64_array(rows.iter().map(f).collect());
    let cols: Vec<(String, arrow_array::ArrayRef)> = vec![
        ("theme".into(), str_array(rows.iter().map(|r| r.name.clone()).collect())),
        ("measure".into(), str_array(rows.iter().map(|r| r.measure.to_string()).collect())),
        ("before".into(), col(&|r| r.before)),
        ("after".into(), col(&|r| r.after)),
        ("difference".into(), col(&|r| r.difference)),
        ("ci_low".into(), col(&|r| r.ci_low)),
        ("ci_high".into(), col(&|r| r.ci_high)),
        ("statistic".into(), col(&|r| r.statistic)),
        ("p".into(), col(&|r| r.p)),
        ("q".into(), col(&|r| r.q)),
        ("did".into(), col(&|r| r.did)),
        ("did_ci_low".into(), col(&|r| r.did_ci_low)),
        ("did_ci_high".into(), col(&|r| r.did_ci_high)),
        ("did_p".into(), col(&|r| r.did_p)),
    ];
    let d = PyDict::new(py);
    d.set_item("table", to_pyarrow(py, table::batch(cols)?)?)?;
    d.set_item("before", labels.0)?;
    d.set_item("after", labels.1)?;
    put_rows(py, &d, &log)?;
    Ok(d)
}
