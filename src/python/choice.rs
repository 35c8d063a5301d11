//! Choice-model bindings: conjoint designs, MNL and latent-class MNL fits, and the conjoint
//! sample data. Defaults live in the public Python signatures only.

use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;

use super::error::CvResult;
use super::io::{detach, table_of, with_progress};
use crate::demand::choice::design::{self, Coding};
use crate::demand::choice::model::{self, Attribute, ChoiceData};
use crate::error::Result;
use crate::table::{Columns, Kind, Missing, Output, RowLog, Spec};

/// A balanced-overlap design: table "design" (version, task, alternative, then one level code
/// column per attribute, "a0", "a1", ...), table "balance" (attribute, level, shown), and the
/// D-efficiency and det(X'X).
#[pyfunction]
fn conjoint_design(
    py: Python<'_>,
    levels: Vec<usize>,
    n_tasks: usize,
    n_alternatives: usize,
    n_versions: usize,
    seed: u64,
) -> CvResult<Output> {
    Ok(detach(py, || -> Result<_> {
        let d = design::balanced_overlap(&levels, n_tasks, n_alternatives, n_versions, seed)?;
        let mut cols = Columns::new()
            .count("version", d.version.iter().map(|v| v + 1))
            .count("task", d.task.iter().map(|v| v + 1))
            .count("alternative", d.alternative.iter().map(|v| v + 1));
        for (a, l) in d.levels.iter().enumerate() {
            cols = cols.count(&format!("a{a}"), l.iter().copied());
        }
        let (mut attr, mut level, mut shown) = (Vec::new(), Vec::new(), Vec::new());
        for (a, c) in d.counts.iter().enumerate() {
            for (l, n) in c.iter().enumerate() {
                attr.push(a);
                level.push(l);
                shown.push(*n);
            }
        }
        let balance = Columns::new().count("attribute", attr).count("level", level).count("shown", shown);
        Ok(Output::new(RowLog::new(d.version.len()))
            .table("design", cols.batch()?)
            .table("balance", balance.batch()?)
            .value("d_efficiency", d.d_efficiency)
            .value("det_xtx", d.det_xtx))
    })?)
}

/// MNL (`n_classes` = 1) or latent-class MNL fit of long choice data: tables "coefficients",
/// "part_worths", "importance", "wtp", "classes" and (latent classes) "posterior".
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn fit_choice(
    py: Python<'_>,
    table: PyTable,
    respondent: &str,
    task: &str,
    chosen: &str,
    attributes: Vec<String>,
    price: Option<&str>,
    coding: &str,
    n_classes: usize,
    n_starts: usize,
    seed: u64,
    ci: f64,
    missing: &str,
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let coding = Coding::parse(coding)?;
    if !(ci > 0.0 && ci < 1.0) {
        return Err(crate::Error::parameter("ci", format!("must be in (0, 1), got {ci}")).into());
    }
    let spec = Spec::new()
        .col(respondent, Kind::Category)
        .col(task, Kind::Category)
        .col(chosen, Kind::Flag)
        .cols(&attributes, Kind::Category)
        .maybe(price, Kind::Float);
    Ok(with_progress(py, None, n_classes > 1, |pg| -> Result<_> {
        let inp = t.read(&spec, missing)?;
        let r = inp.category(0)?;
        let tk = inp.category(1)?;
        let ch = inp.flag(2)?;
        let k = attributes.len();
        let cats: Vec<_> = (0..k).map(|j| inp.category(3 + j)).collect::<Result<_>>()?;
        let pr = inp.maybe_float(3 + k)?;
        let data = ChoiceData {
            respondent: &r.codes.values,
            n_respondents: r.levels.len(),
            labels: [&r.levels, &tk.levels],
            task: &tk.codes.values,
            chosen: &ch.values,
            attributes: attributes
                .iter()
                .zip(&cats)
                .map(|(n, c)| Attribute { name: n, codes: &c.codes.values, levels: &c.levels })
                .collect(),
            price: price.zip(pr.map(|c| c.values.as_slice())),
            names: [respondent, task, chosen],
        };
        let res = model::fit(&data, coding, n_classes.max(1), n_starts, seed, ci, pg)?;
        let mut coef = Columns::new();
        let (mut cl, mut name, mut b, mut se) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (c, f) in res.fits.iter().enumerate() {
            for (j, n) in res.columns.iter().enumerate() {
                cl.push(c);
                name.push(n.clone());
                b.push(f.beta[j]);
                se.push(f.cov[j][j].max(0.0).sqrt());
            }
        }
        coef = coef.count("class", cl).text("name", name).f64("coef", b).f64("se", se);
        let pw = Columns::new()
            .count("class", res.part_worths.iter().map(|r| r.0))
            .text("attribute", res.part_worths.iter().map(|r| r.1.clone()))
            .text("level", res.part_worths.iter().map(|r| r.2.clone()))
            .f64("part_worth", res.part_worths.iter().map(|r| r.3))
            .f64("se", res.part_worths.iter().map(|r| r.4));
        let imp = Columns::new()
            .count("class", res.importance.iter().map(|r| r.0))
            .text("attribute", res.importance.iter().map(|r| r.1.clone()))
            .f64("importance", res.importance.iter().map(|r| r.2));
        let wtp = Columns::new()
            .count("class", res.wtp.iter().map(|r| r.0))
            .text("attribute", res.wtp.iter().map(|r| r.1.clone()))
            .text("level", res.wtp.iter().map(|r| r.2.clone()))
            .f64("wtp", res.wtp.iter().map(|r| r.3))
            .f64("se", res.wtp.iter().map(|r| r.4))
            .f64("ci_low", res.wtp.iter().map(|r| r.5))
            .f64("ci_high", res.wtp.iter().map(|r| r.6));
        let classes = Columns::new()
            .count("class", 0..res.shares.len())
            .f64("share", res.shares.iter().copied())
            .f64("log_likelihood", res.fits.iter().map(|f| f.log_likelihood));
        let mut out = Output::new(inp.log.clone())
            .table("coefficients", coef.batch()?)
            .table("part_worths", pw.batch()?)
            .table("importance", imp.batch()?)
            .table("wtp", wtp.batch()?)
            .table("classes", classes.batch()?)
            .value("log_likelihood", res.log_likelihood)
            .value("null_log_likelihood", res.null_log_likelihood)
            .value("bic", res.bic)
            .value("n_tasks", res.n_tasks)
            .value("iterations", res.iterations)
            .value("n_respondents", r.levels.len())
            .value("columns", res.columns.clone())
            .value("covariance", res.fits.first().map(|f| f.cov.clone()).unwrap_or_default());
        if !res.posterior.is_empty() {
            let kk = res.shares.len();
            let mut post = Columns::new().text("respondent", r.levels.iter().cloned());
            for c in 0..kk {
                post =
                    post.f64(&format!("class_{c}"), (0..r.levels.len()).map(|i| res.posterior[i * kk + c]));
            }
            out = out.table("posterior", post.batch()?);
        }
        Ok(out)
    })??)
}

/// MaxDiff (best-worst scaling): table "table" (item, shown, best, worst, best_minus_worst,
/// score, se, ci_low, ci_high, share) and the fit's log-likelihood.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn maxdiff(
    py: Python<'_>,
    table: PyTable,
    respondent: &str,
    task: &str,
    item: &str,
    best: &str,
    worst: &str,
    ci: f64,
    reference: Option<String>,
    missing: &str,
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    if !(ci > 0.0 && ci < 1.0) {
        return Err(crate::Error::parameter("ci", format!("must be in (0, 1), got {ci}")).into());
    }
    let spec = Spec::new()
        .col(respondent, Kind::Category)
        .col(task, Kind::Category)
        .col(item, Kind::Category)
        .col(best, Kind::Flag)
        .col(worst, Kind::Flag);
    Ok(with_progress(py, None, false, |pg| -> Result<_> {
        let inp = t.read(&spec, missing)?;
        let (r, tk, it) = (inp.category(0)?, inp.category(1)?, inp.category(2)?);
        let (b, w) = (inp.flag(3)?, inp.flag(4)?);
        let reference = match &reference {
            None => 0,
            Some(name) => it.levels.iter().position(|l| l == name).ok_or_else(|| {
                crate::Error::parameter(
                    "reference",
                    format!(
                        "'{name}' is not an item of column '{item}'; the items are {}",
                        it.levels.iter().take(12).cloned().collect::<Vec<_>>().join(", ")
                    ),
                )
            })?,
        };
        let md = crate::demand::choice::maxdiff::maxdiff(
            &r.codes.values,
            &tk.codes.values,
            &it.codes.values,
            &it.levels,
            &b.values,
            &w.values,
            [item, best, worst],
            [&r.levels, &tk.levels],
            reference,
            pg,
        )?;
        let z = crate::stats::hypothesis::normal_quantile(0.5 + ci / 2.0);
        let bw: Vec<f64> = (0..md.shown.len())
            .map(|i| (md.best[i] as f64 - md.worst[i] as f64) / md.shown[i] as f64)
            .collect();
        let cols = Columns::new()
            .text(item, it.levels.iter().cloned())
            .count("shown", md.shown.iter().map(|v| *v as usize))
            .count("best", md.best.iter().map(|v| *v as usize))
            .count("worst", md.worst.iter().map(|v| *v as usize))
            .f64("best_minus_worst", bw)
            .f64("score", md.score.iter().map(|s| s.0))
            .f64("se", md.score.iter().map(|s| s.1))
            .f64("ci_low", md.score.iter().map(|s| s.0 - z * s.1))
            .f64("ci_high", md.score.iter().map(|s| s.0 + z * s.1))
            .f64("share", md.share.iter().copied());
        Ok(Output::new(inp.log.clone())
            .table("table", cols.batch()?)
            .value("log_likelihood", md.fit.log_likelihood)
            .value("n_tasks", md.n_tasks))
    })??)
}

/// Kano: table "table" (feature, counts per category, category, satisfaction,
/// dissatisfaction, functional, dysfunctional and their standard deviations).
#[pyfunction]
fn kano(
    py: Python<'_>,
    table: PyTable,
    functional: Vec<String>,
    dysfunctional: Vec<String>,
    features: Vec<String>,
    missing: &str,
) -> CvResult<Output> {
    use crate::demand::choice::kano as k;
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    if functional.len() != dysfunctional.len() || functional.len() != features.len() || features.is_empty() {
        return Err(crate::Error::parameter(
            "features",
            "give a functional and a dysfunctional column per feature",
        )
        .into());
    }
    let spec = Spec::new().cols(&functional, Kind::Float).cols(&dysfunctional, Kind::Float);
    Ok(detach(py, || -> Result<_> {
        let inp = t.read(&spec, missing)?;
        let m = features.len();
        let mut rows = Vec::with_capacity(m);
        for j in 0..m {
            rows.push(k::feature(
                &inp.float(j)?.values,
                &inp.float(m + j)?.values,
                [&functional[j], &dysfunctional[j]],
            )?);
        }
        let mut cols = Columns::new().text("feature", features.iter().cloned());
        for (c, name) in k::CATEGORIES.iter().enumerate() {
            cols = cols.count(name, rows.iter().map(|r| r.counts[c] as usize));
        }
        cols = cols
            .text("category", rows.iter().map(|r| k::CATEGORIES[r.category].to_string()))
            .f64("satisfaction", rows.iter().map(|r| r.satisfaction))
            .f64("dissatisfaction", rows.iter().map(|r| r.dissatisfaction))
            .f64("functional", rows.iter().map(|r| r.functional))
            .f64("dysfunctional", rows.iter().map(|r| r.dysfunctional))
            .f64("functional_sd", rows.iter().map(|r| r.functional_sd))
            .f64("dysfunctional_sd", rows.iter().map(|r| r.dysfunctional_sd));
        Ok(Output::new(inp.log.clone()).table("table", cols.batch()?))
    })?)
}

/// Prices a menu (bundles, ladders): respondents' values (n x k, respondent-major), each
/// option's base prices and cost, the starts. Returns (prices, profit, each respondent's option
/// or -1).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn menu_prices(
    py: Python<'_>,
    values: PyBuffer<f64>,
    k: usize,
    m: usize,
    parts: Vec<Vec<usize>>,
    costs: Vec<f64>,
    starts: Vec<Vec<f64>>,
    min_buyers: usize,
) -> CvResult<(Vec<f64>, f64, Vec<i64>)> {
    use crate::demand::menu::{optimise, Menu, Values};
    let values = values.to_vec(py)?;
    if parts.len() != k
        || costs.len() != k
        || parts.iter().flatten().any(|j| *j >= m)
        || starts.iter().any(|s| s.len() != m)
    {
        return Err(crate::Error::parameter("menu", "options, costs and starts do not line up").into());
    }
    let menu = Menu { m, parts, cost: costs };
    let p = detach(py, || optimise(&menu, Values { values: &values, k }, &starts, min_buyers))?;
    Ok((p.prices, p.profit, p.choice.iter().map(|c| c.map_or(-1, |o| o as i64)).collect()))
}

/// What each respondent takes at given base prices: (profit, option or -1 per respondent).
#[pyfunction]
fn menu_choices(
    py: Python<'_>,
    values: PyBuffer<f64>,
    k: usize,
    parts: Vec<Vec<usize>>,
    costs: Vec<f64>,
    prices: Vec<f64>,
) -> CvResult<(f64, Vec<i64>)> {
    use crate::demand::menu::{evaluate, Menu, Values};
    let values = values.to_vec(py)?;
    if parts.len() != k || costs.len() != k || parts.iter().flatten().any(|j| *j >= prices.len()) {
        return Err(crate::Error::parameter("prices", "options, costs and prices do not line up").into());
    }
    let menu = Menu { m: prices.len(), parts, cost: costs };
    let (choice, profit) = detach(py, || evaluate(&menu, Values { values: &values, k }, &prices));
    Ok((profit, choice.iter().map(|c| c.map_or(-1, |o| o as i64)).collect()))
}

/// `conjoint_survey(n, seed)` -> (pyarrow.Table, truth as JSON).
#[pyfunction]
fn conjoint_survey(py: Python<'_>, n: usize, seed: u64) -> CvResult<(Py<PyAny>, String)> {
    let g = detach(py, || crate::datasets::conjoint_survey(n, seed))?;
    let truth = g.truth.to_string();
    Ok((super::io::to_pyarrow(py, g.batch)?, truth))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(conjoint_design, m)?)?;
    m.add_function(wrap_pyfunction!(fit_choice, m)?)?;
    m.add_function(wrap_pyfunction!(conjoint_survey, m)?)?;
    m.add_function(wrap_pyfunction!(maxdiff, m)?)?;
    m.add_function(wrap_pyfunction!(kano, m)?)?;
    m.add_function(wrap_pyfunction!(menu_prices, m)?)?;
    m.add_function(wrap_pyfunction!(menu_choices, m)?)?;
    Ok(())
}
