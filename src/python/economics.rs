//! Economic value modelling bindings: transaction summaries and lifetime-value models. Each
//! reads its columns through [`Table::read`] and hands back the core's [`Output`]; defaults
//! live in the public Python signatures only.

use pyo3::prelude::*;
use pyo3_arrow::PyTable;

use super::error::CvResult;
use super::io::{detach, table_of, to_pyarrow, with_progress};
use crate::economics::bgbb::{BgBb, BgbbPrediction, DiscretePatterns};
use crate::economics::bgnbd::Patterns;
use crate::economics::covariates::{self, Covariates};
use crate::economics::fit::Fitted;
use crate::economics::gamma_gamma::{self, GammaGamma};
use crate::economics::predict::{Btyd, ModelKind, Prediction};
use crate::economics::sbg::Sbg;
use crate::economics::summary::{self, unit_days};
use crate::error::{Error, Result};
use crate::table::{self, f64_array, Inputs, Kind, Missing, Output, RowLog, Spec, Table};

/// A fit in the one layout every model hands back.
fn fitted(f: &Fitted, names: &[&str], rows: RowLog) -> Output {
    Output::new(rows).fitted(names, &f.params, f.cov.clone(), f.log_likelihood, f.iterations)
}

/// Reads three numeric columns (and optional weights) under the missing policy.
fn read3(t: &Table, names: [&str; 3], weights: Option<&str>, missing: Missing) -> Result<Inputs> {
    let spec = Spec::new()
        .col(names[0], Kind::Float)
        .col(names[1], Kind::Float)
        .col(names[2], Kind::Float)
        .maybe(weights, Kind::Float);
    t.read(&spec, missing)
}

/// The three columns of [`read3`] as slices.
fn slices(inp: &Inputs) -> Result<[&[f64]; 3]> {
    Ok([inp.float(0)?.values.as_slice(), inp.float(1)?.values.as_slice(), inp.float(2)?.values.as_slice()])
}

/// A per-row prediction as a one-column table.
fn values(py: Python<'_>, out: Vec<f64>) -> CvResult<Py<PyAny>> {
    Ok(to_pyarrow(py, table::batch(vec![("value".into(), f64_array(out))])?)?)
}

/// Per-customer frequency, recency, T and mean repeat spend.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn rfm_summary(
    py: Python<'_>,
    table: PyTable,
    customer: &str,
    date: &str,
    amount: Option<&str>,
    observation_end: Option<f64>,
    calibration_end: Option<f64>,
    time_unit: &str,
    missing: &str,
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let unit = unit_days(time_unit)?;
    let integer_ids = t.data_type(customer).is_some_and(|d| d.is_integer());
    let spec = Spec::new().col(customer, Kind::Category).col(date, Kind::Days).maybe(amount, Kind::Float);
    Ok(detach(py, || -> Result<_> {
        let inp = t.read(&spec, missing)?;
        let c = inp.category(0)?;
        let s = summary::rfm_summary(
            &c.codes.values,
            &inp.float(1)?.values,
            inp.maybe_float(2)?.map(|x| x.values.as_slice()),
            observation_end,
            calibration_end,
            unit,
            [customer, date, amount.unwrap_or("amount")],
        )?;
        s.output(customer, &c.levels, integer_ids, calibration_end.is_some(), inp.log.clone())
    })?)
}

/// The mergeable summary state of a transaction log (one row per customer and purchase day,
/// customers by value): the map step of a distributed `rfm_summary`.
#[pyfunction]
fn summary_state(
    py: Python<'_>,
    table: PyTable,
    customer: &str,
    date: &str,
    amount: Option<&str>,
    missing: &str,
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let integer_ids = t.data_type(customer).is_some_and(|d| d.is_integer());
    let spec = Spec::new().col(customer, Kind::Category).col(date, Kind::Days).maybe(amount, Kind::Float);
    Ok(detach(py, || -> Result<_> {
        let inp = t.read(&spec, missing)?;
        let c = inp.category(0)?;
        let names = [customer, date, amount.unwrap_or("amount")];
        let state = summary::PartialSummary::from_rows(
            &c.codes.values,
            &inp.float(1)?.values,
            inp.maybe_float(2)?.map(|x| x.values.as_slice()),
            names,
        )?;
        let keys = summary::Keys::from_levels(&c.levels, integer_ids)?;
        Ok(Output::new(inp.log.clone()).table("state", state.to_batch(&keys)?))
    })?)
}

/// Summary states' rows (concatenated, in any order) merged into one state's rows, sorted by
/// customer value and day.
#[pyfunction]
fn summary_state_merge(py: Python<'_>, table: PyTable) -> CvResult<Py<PyAny>> {
    let (batches, _) = table.into_inner();
    let out = detach(py, || -> Result<_> {
        let (state, keys) = summary::PartialSummary::from_batches(&batches)?;
        state.to_batch(&keys)
    })?;
    Ok(to_pyarrow(py, out)?)
}

/// The `rfm_summary` output of summary states' rows (concatenated, in any order).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn summary_state_finish(
    py: Python<'_>,
    table: PyTable,
    customer: &str,
    date: &str,
    amount: Option<&str>,
    observation_end: Option<f64>,
    calibration_end: Option<f64>,
    time_unit: &str,
) -> CvResult<Output> {
    let (batches, _) = table.into_inner();
    let unit = unit_days(time_unit)?;
    Ok(detach(py, || -> Result<_> {
        let (state, keys) = summary::PartialSummary::from_batches(&batches)?;
        let names = [customer, date, amount.unwrap_or("amount")];
        let s = state.finish(observation_end, calibration_end, unit, names)?;
        s.output(
            customer,
            &keys.labels(),
            keys.is_int(),
            calibration_end.is_some(),
            RowLog::new(state.n_rows()),
        )
    })?)
}

/// Reads frequency, recency, T and the covariate columns (purchase, then dropout).
fn read_with_covariates(
    t: &Table,
    names: [&str; 3],
    purchase: &[String],
    dropout: &[String],
    missing: Missing,
) -> Result<Inputs> {
    let spec = Spec::new()
        .col(names[0], Kind::Float)
        .col(names[1], Kind::Float)
        .col(names[2], Kind::Float)
        .cols(purchase, Kind::Float)
        .cols(dropout, Kind::Float);
    t.read(&spec, missing)
}

/// The covariate columns of [`read_with_covariates`].
fn covariates_of<'a>(
    inp: &'a Inputs,
    purchase: &'a [String],
    dropout: &'a [String],
) -> Result<Covariates<'a>> {
    let col = |j: usize| inp.float(j).map(|c| c.values.as_slice());
    let kp = purchase.len();
    Ok(Covariates {
        purchase: purchase
            .iter()
            .enumerate()
            .map(|(j, n)| Ok((n.as_str(), col(3 + j)?)))
            .collect::<Result<_>>()?,
        dropout: dropout
            .iter()
            .enumerate()
            .map(|(j, n)| Ok((n.as_str(), col(3 + kp + j)?)))
            .collect::<Result<_>>()?,
    })
}

/// Fits BG/NBD, MBG/NBD or Pareto/NBD with time-invariant covariates on the purchase and the
/// dropout process; parameters named as the model's, then "purchase.<column>" and
/// "dropout.<column>".
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn fit_btyd_covariates(
    py: Python<'_>,
    table: PyTable,
    model: &str,
    frequency: &str,
    recency: &str,
    t: &str,
    purchase: Vec<String>,
    dropout: Vec<String>,
    missing: &str,
    penalizer: f64,
) -> CvResult<Output> {
    let tb = table_of(table);
    let missing = Missing::parse(missing)?;
    let kind = ModelKind::parse(model)?;
    // a worker thread that checks for Ctrl-C every 50 ms: the fit is O(customers) per step
    Ok(with_progress(py, None, true, |pg| -> Result<_> {
        let inp = read_with_covariates(&tb, [frequency, recency, t], &purchase, &dropout, missing)?;
        let [x, tx, tt] = slices(&inp)?;
        let cov = covariates_of(&inp, &purchase, &dropout)?;
        let f = covariates::fit(kind, x, tx, tt, &cov, penalizer, frequency, pg)?;
        let names: Vec<String> = kind
            .names()
            .iter()
            .map(|s| s.to_string())
            .chain(purchase.iter().map(|c| format!("purchase.{c}")))
            .chain(dropout.iter().map(|c| format!("dropout.{c}")))
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        Ok(fitted(&f, &names, inp.log.clone()))
    })??)
}

/// Per-customer predictions of a model with covariates ("alive", "conditional", "loglik",
/// "discounted", "dert"), each customer at their own parameters.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn btyd_predict_covariates(
    py: Python<'_>,
    table: PyTable,
    model: &str,
    params: Vec<f64>,
    purchase: Vec<String>,
    dropout: Vec<String>,
    what: &str,
    t: f64,
    frequency: &str,
    recency: &str,
    big_t: &str,
    times: Vec<f64>,
    factors: Vec<f64>,
    discount_rate: f64,
) -> CvResult<Py<PyAny>> {
    let tb = table_of(table);
    let kind = ModelKind::parse(model)?;
    let what = Prediction::parse(what, t, discount_rate, times, factors)?;
    let out = detach(py, || -> Result<Vec<f64>> {
        let inp =
            read_with_covariates(&tb, [frequency, recency, big_t], &purchase, &dropout, Missing::Raise)?;
        let [x, tx, tt] = slices(&inp)?;
        let cov = covariates_of(&inp, &purchase, &dropout)?;
        covariates::predict(kind, &params, x, tx, tt, &cov, &what)
    })?;
    values(py, out)
}

/// Fits BG/NBD ("bgnbd"), MBG/NBD ("mbgnbd") or Pareto/NBD ("pareto") on frequency, recency, T.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn fit_btyd(
    py: Python<'_>,
    table: PyTable,
    model: &str,
    frequency: &str,
    recency: &str,
    t: &str,
    weights: Option<&str>,
    missing: &str,
    penalizer: f64,
) -> CvResult<Output> {
    let tb = table_of(table);
    let missing = Missing::parse(missing)?;
    let kind = ModelKind::parse(model)?;
    // a long fit stops on Ctrl-C: the optimiser asks the ambient flag with_progress sets
    Ok(with_progress(py, None, true, |_| -> Result<_> {
        let inp = read3(&tb, [frequency, recency, t], weights, missing)?;
        let [x, tx, tt] = slices(&inp)?;
        let w = inp.maybe_float(3)?.map(|c| c.values.as_slice());
        let p = Patterns::from_customers(x, tx, tt, w, [frequency, recency, t])?;
        Ok(fitted(&kind.fit(&p, frequency, penalizer)?, &kind.names(), inp.log.clone())
            .value("n_patterns", p.x.len()))
    })??)
}

/// Per customer: "alive", "conditional" (purchases in the next t), "loglik", "discounted"
/// (times, factors) or "dert" (Pareto/NBD, at continuously compounded `discount_rate`).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn btyd_predict(
    py: Python<'_>,
    table: PyTable,
    model: &str,
    params: Vec<f64>,
    what: &str,
    t: f64,
    frequency: &str,
    recency: &str,
    big_t: &str,
    times: Vec<f64>,
    factors: Vec<f64>,
    discount_rate: f64,
) -> CvResult<Py<PyAny>> {
    let m = Btyd::new(ModelKind::parse(model)?, &params)?;
    let what = Prediction::parse(what, t, discount_rate, times, factors)?;
    per_customer(py, table, &m, &what, [frequency, recency, big_t])
}

/// `what` for each customer of the table's (frequency, recency, T) columns.
fn per_customer(
    py: Python<'_>,
    table: PyTable,
    m: &Btyd,
    what: &Prediction,
    names: [&str; 3],
) -> CvResult<Py<PyAny>> {
    let tb = table_of(table);
    let out = detach(py, || -> Result<Vec<f64>> {
        let inp = read3(&tb, names, None, Missing::Raise)?;
        let [x, tx, tt] = slices(&inp)?;
        m.predict(&Patterns::from_customers(x, tx, tt, None, names)?, what)
    })?;
    values(py, out)
}

/// P(X(t) = n) for a new customer, n = 0..=max_n.
#[pyfunction]
fn btyd_count_probabilities(
    py: Python<'_>,
    model: &str,
    params: Vec<f64>,
    t: f64,
    max_n: u64,
) -> CvResult<Vec<f64>> {
    let m = Btyd::new(ModelKind::parse(model)?, &params)?;
    Ok(detach(py, || m.count_probabilities(t, max_n))?)
}

/// P(X(T, T + t) = n | x, t_x, T) per customer.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn btyd_conditional_count(
    py: Python<'_>,
    table: PyTable,
    model: &str,
    params: Vec<f64>,
    t: f64,
    n: u64,
    frequency: &str,
    recency: &str,
    big_t: &str,
) -> CvResult<Py<PyAny>> {
    let m = Btyd::new(ModelKind::parse(model)?, &params)?;
    let what = Prediction::count(&m, t, n)?;
    per_customer(py, table, &m, &what, [frequency, recency, big_t])
}

/// E[X(t)] for a new customer at each t.
#[pyfunction]
fn btyd_expected(model: &str, params: Vec<f64>, t: Vec<f64>) -> CvResult<Vec<f64>> {
    let m = Btyd::new(ModelKind::parse(model)?, &params)?;
    Ok(t.iter().map(|v| m.expected(*v)).collect())
}

/// Fits BG/BB on frequency, recency and the number of opportunities.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn fit_bgbb(
    py: Python<'_>,
    table: PyTable,
    frequency: &str,
    recency: &str,
    n_periods: &str,
    weights: Option<&str>,
    missing: &str,
    penalizer: f64,
) -> CvResult<Output> {
    let tb = table_of(table);
    let missing = Missing::parse(missing)?;
    // a long fit stops on Ctrl-C: the optimiser asks the ambient flag with_progress sets
    Ok(with_progress(py, None, true, |_| -> Result<_> {
        let inp = read3(&tb, [frequency, recency, n_periods], weights, missing)?;
        let [x, tx, n] = slices(&inp)?;
        let w = inp.maybe_float(3)?.map(|c| c.values.as_slice());
        let p = DiscretePatterns::new(x, tx, n, w, [frequency, recency, n_periods])?;
        Ok(fitted(&BgBb::fit(&p, penalizer)?.1, &["alpha", "beta", "gamma", "delta"], inp.log.clone()))
    })??)
}

/// BG/BB per customer: "alive" (at the next opportunity), "conditional" (transactions in the
/// next t opportunities) or "dert" (at `discount_rate` per opportunity).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn bgbb_predict(
    py: Python<'_>,
    table: PyTable,
    params: Vec<f64>,
    what: &str,
    t: f64,
    discount_rate: f64,
    frequency: &str,
    recency: &str,
    n_periods: &str,
) -> CvResult<Py<PyAny>> {
    let tb = table_of(table);
    let m = BgBb::from_slice(&params);
    let what = BgbbPrediction::parse(what, t, discount_rate)?;
    let out = detach(py, || -> Result<Vec<f64>> {
        let inp = read3(&tb, [frequency, recency, n_periods], None, Missing::Raise)?;
        let [x, tx, n] = slices(&inp)?;
        Ok(m.predict(&DiscretePatterns::new(x, tx, n, None, [frequency, recency, n_periods])?, what))
    })?;
    values(py, out)
}

/// BG/BB E[X(t)] for a new customer at each whole number of opportunities t.
#[pyfunction]
fn bgbb_expected(params: Vec<f64>, t: Vec<f64>) -> CvResult<Vec<f64>> {
    let m = BgBb::from_slice(&params);
    t.iter().try_for_each(|v| BgbbPrediction::parse("conditional", *v, 0.0).map(|_| ()))?;
    Ok(t.iter().map(|v| m.expected_purchases(*v)).collect())
}

/// BG/BB P(X(n) = x) for a new customer, x = 0..=n.
#[pyfunction]
fn bgbb_count_probabilities(py: Python<'_>, params: Vec<f64>, n: u64) -> CvResult<Vec<f64>> {
    let m = BgBb::from_slice(&params);
    Ok(detach(py, || m.probabilities_of_purchases(n))?)
}

/// Fits Gamma-Gamma on frequency and mean repeat spend.
#[pyfunction]
fn fit_gamma_gamma(
    py: Python<'_>,
    table: PyTable,
    frequency: &str,
    monetary_value: &str,
    weights: Option<&str>,
    missing: &str,
    penalizer: f64,
) -> CvResult<Output> {
    let tb = table_of(table);
    let missing = Missing::parse(missing)?;
    let spec =
        Spec::new().col(frequency, Kind::Float).col(monetary_value, Kind::Float).maybe(weights, Kind::Float);
    // a long fit stops on Ctrl-C: the optimiser asks the ambient flag with_progress sets
    Ok(with_progress(py, None, true, |_| -> Result<_> {
        let inp = tb.read(&spec, missing)?;
        let w = inp.maybe_float(2)?.map(|c| c.values.as_slice());
        let drop = missing == Missing::Drop;
        let (_, f, n, invalid) = GammaGamma::fit(
            &inp.float(0)?.values,
            &inp.float(1)?.values,
            w,
            [frequency, monetary_value],
            drop,
            penalizer,
        )?;
        let mut log = inp.log.clone();
        log.drop_kept(&invalid, gamma_gamma::NON_POSITIVE_SPEND);
        Ok(fitted(&f, &["p", "q", "v"], log).value("n_used", n))
    })??)
}

/// Gamma-Gamma conditional expected transaction value per customer.
#[pyfunction]
fn gamma_gamma_predict(
    py: Python<'_>,
    table: PyTable,
    params: Vec<f64>,
    frequency: &str,
    monetary_value: &str,
) -> CvResult<Py<PyAny>> {
    let tb = table_of(table);
    let m = GammaGamma::from_slice(&params);
    let spec = Spec::new().col(frequency, Kind::Float).col(monetary_value, Kind::Float);
    let out = detach(py, || -> Result<Vec<f64>> {
        let inp = tb.read(&spec, Missing::Raise)?;
        let (x, mv) = (&inp.float(0)?.values, &inp.float(1)?.values);
        Ok(x.iter().zip(mv.iter()).map(|(x, mv)| m.conditional_expected_spend(*x, *mv)).collect())
    })?;
    values(py, out)
}

/// Fits sBG to survivors per period.
#[pyfunction]
fn fit_sbg(survivors: Vec<f64>) -> CvResult<Output> {
    let (_, f) = Sbg::fit(&survivors)?;
    Ok(fitted(&f, &["alpha", "beta"], RowLog::new(survivors.len())))
}

/// sBG curves: "survival" S(t), "retention" r_t, or "derl" (t = renewals n, with discount rate).
#[pyfunction]
fn sbg_predict(params: Vec<f64>, what: &str, t: Vec<f64>, discount_rate: f64) -> CvResult<Vec<f64>> {
    let m = Sbg {
        alpha: params.first().copied().unwrap_or(f64::NAN),
        beta: params.get(1).copied().unwrap_or(f64::NAN),
    };
    Ok(match what {
        "survival" => t.iter().map(|v| m.survival(*v)).collect(),
        "retention" => t.iter().map(|v| m.retention(*v)).collect(),
        "derl" => t.iter().map(|v| m.derl(discount_rate, *v)).collect(),
        o => {
            return Err(Error::parameter(
                "what",
                format!("must be 'survival', 'retention' or 'derl', got '{o}'"),
            )
            .into())
        }
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rfm_summary, m)?)?;
    m.add_function(wrap_pyfunction!(summary_state, m)?)?;
    m.add_function(wrap_pyfunction!(summary_state_merge, m)?)?;
    m.add_function(wrap_pyfunction!(summary_state_finish, m)?)?;
    m.add_function(wrap_pyfunction!(fit_btyd, m)?)?;
    m.add_function(wrap_pyfunction!(btyd_predict, m)?)?;
    m.add_function(wrap_pyfunction!(btyd_expected, m)?)?;
    m.add_function(wrap_pyfunction!(btyd_count_probabilities, m)?)?;
    m.add_function(wrap_pyfunction!(btyd_conditional_count, m)?)?;
    m.add_function(wrap_pyfunction!(fit_btyd_covariates, m)?)?;
    m.add_function(wrap_pyfunction!(btyd_predict_covariates, m)?)?;
    m.add_function(wrap_pyfunction!(bgbb_count_probabilities, m)?)?;
    m.add_function(wrap_pyfunction!(fit_bgbb, m)?)?;
    m.add_function(wrap_pyfunction!(bgbb_predict, m)?)?;
    m.add_function(wrap_pyfunction!(bgbb_expected, m)?)?;
    m.add_function(wrap_pyfunction!(fit_gamma_gamma, m)?)?;
    m.add_function(wrap_pyfunction!(gamma_gamma_predict, m)?)?;
    m.add_function(wrap_pyfunction!(fit_sbg, m)?)?;
    m.add_function(wrap_pyfunction!(sbg_predict, m)?)?;
    Ok(())
}
