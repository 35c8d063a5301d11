//! Economic value modelling bindings: transaction summaries and lifetime-value models.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::PyTable;
use rayon::prelude::*;

use super::error::CvResult;
use super::io::{detach, put_rows, table_of, to_pyarrow};
use crate::economics::bgbb::{BgBb, DiscretePatterns};
use crate::economics::bgnbd::Patterns;
use crate::economics::fit::Fitted;
use crate::economics::gamma_gamma::GammaGamma;
use crate::economics::predict::{Btyd, ModelKind, Prediction};
use crate::economics::sbg::Sbg;
use crate::economics::summary::{self, unit_days};
use crate::error::{Error, Result};
use crate::table::{self, categorical_array, f64_array, Column, Missing, RowLog, Rows, Table};

fn fitted_dict<'py>(py: Python<'py>, f: &Fitted, names: &[&str]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("names", names.to_vec())?;
    d.set_item("params", f.params.clone())?;
    d.set_item("cov", f.cov.clone())?;
    d.set_item("log_likelihood", f.log_likelihood)?;
    d.set_item("iterations", f.iterations)?;
    Ok(d)
}

/// Float columns, optional weights and the rows dropped for missing values.
type FloatColumns = (Vec<Column<f64>>, Option<Column<f64>>, RowLog);

fn read_floats(t: &Table, names: &[&str], weights: Option<&str>, missing: Missing) -> Result<FloatColumns> {
    let mut cols: Vec<Column<f64>> = names.iter().map(|n| t.float(n)).collect::<Result<_>>()?;
    let mut w = weights.map(|n| t.float(n)).transpose()?;
    let log = {
        let mut rows: Vec<&mut dyn Rows> = cols.iter_mut().map(|c| c as &mut dyn Rows).collect();
        if let Some(c) = w.as_mut() {
            rows.push(c);
        }
        table::apply_missing(&mut rows, missing)?
    };
    Ok((cols, w, log))
}

fn col(cols: &[Column<f64>], i: usize) -> Result<&Column<f64>> {
    cols.get(i).ok_or_else(|| Error::parameter("columns", "internal: column missing"))
}

/// Customer labels: ids from an integer column stay integers (the levels of an integer column
/// are its numbers); anything else is categorical.
fn customer_column(codes: &[u32], levels: &[String], integer: bool) -> Result<arrow_array::ArrayRef> {
    let numbers: Option<Vec<i64>> =
        if integer { levels.iter().map(|l| l.parse::<i64>().ok()).collect() } else { None };
    match numbers {
        Some(ids) => {
            Ok(table::i64_array(codes.iter().map(|c| ids.get(*c as usize).copied().unwrap_or(0)).collect()))
        }
        None => categorical_array(codes.to_vec(), levels),
    }
}

/// Per-customer frequency, recency, T and mean repeat spend.
#[pyfunction]
#[pyo3(signature = (table, customer, date, amount=None, observation_end=None, calibration_end=None, time_unit="W", missing="raise"))]
#[allow(clippy::too_many_arguments)]
fn rfm_summary<'py>(
    py: Python<'py>,
    table: PyTable,
    customer: &str,
    date: &str,
    amount: Option<&str>,
    observation_end: Option<f64>,
    calibration_end: Option<f64>,
    time_unit: &str,
    missing: &str,
) -> CvResult<Bound<'py, PyDict>> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let unit = unit_days(time_unit)?;
    let integer_ids = t.data_type(customer).is_some_and(|d| d.is_integer());
    let (s, levels, log) = detach(py, || -> Result<_> {
        let mut c = t.category(customer)?;
        let mut d = t.days(date)?;
        let mut a = amount.map(|n| t.float(n)).transpose()?;
        let log = {
            let mut rows: Vec<&mut dyn Rows> = vec![&mut c, &mut d];
            if let Some(x) = a.as_mut() {
                rows.push(x);
            }
            table::apply_missing(&mut rows, missing)?
        };
        let s = summary::rfm_summary(
            &c.codes.values,
            &d.values,
            a.as_ref().map(|x| x.values.as_slice()),
            observation_end,
            calibration_end,
            unit,
            [customer, date, amount.unwrap_or("amount")],
        )?;
        Ok((s, c.levels, log))
    })?;
    let mut cols: Vec<(String, arrow_array::ArrayRef)> = vec![
        (customer.to_string(), customer_column(&s.customer, &levels, integer_ids)?),
        ("frequency".into(), f64_array(s.frequency.clone())),
        ("recency".into(), f64_array(s.recency.clone())),
        ("T".into(), f64_array(s.t.clone())),
        ("monetary_value".into(), f64_array(s.monetary_value.clone())),
    ];
    if calibration_end.is_some() {
        let n = s.customer.len();
        cols.push(("frequency_holdout".into(), f64_array(s.frequency_holdout.clone())));
        cols.push(("monetary_value_holdout".into(), f64_array(s.monetary_value_holdout.clone())));
        cols.push(("duration_holdout".into(), f64_array(vec![s.duration_holdout; n])));
    }
    let d = PyDict::new(py);
    d.set_item("table", to_pyarrow(py, table::batch(cols)?)?)?;
    d.set_item("n_after_end", s.n_after_end)?;
    d.set_item("n_late_customers", s.n_late_customers)?;
    put_rows(py, &d, &log)?;
    Ok(d)
}

/// Fits BG/NBD ("bgnbd"), MBG/NBD ("mbgnbd") or Pareto/NBD ("pareto") on frequency, recency, T.
#[pyfunction]
#[pyo3(signature = (table, model="bgnbd", frequency="frequency", recency="recency", t="T", weights=None, missing="raise"))]
#[allow(clippy::too_many_arguments)]
fn fit_btyd<'py>(
    py: Python<'py>,
    table: PyTable,
    model: &str,
    frequency: &str,
    recency: &str,
    t: &str,
    weights: Option<&str>,
    missing: &str,
) -> CvResult<Bound<'py, PyDict>> {
    let tb = table_of(table);
    let missing = Missing::parse(missing)?;
    let kind = ModelKind::parse(model)?;
    let (f, n_patterns, log) = detach(py, || -> Result<_> {
        let (cols, w, log) = read_floats(&tb, &[frequency, recency, t], weights, missing)?;
        let p = Patterns::from_customers(
            &col(&cols, 0)?.values,
            &col(&cols, 1)?.values,
            &col(&cols, 2)?.values,
            w.as_ref().map(|c| c.values.as_slice()),
            [frequency, recency, t],
        )?;
        Ok((kind.fit(&p)?, p.x.len(), log))
    })?;
    let d = fitted_dict(py, &f, &kind.names())?;
    d.set_item("n_patterns", n_patterns)?;
    put_rows(py, &d, &log)?;
    Ok(d)
}

/// A discount rate must be positive and finite.
fn check_discount_rate(rate: f64) -> Result<()> {
    if rate > 0.0 && rate.is_finite() {
        Ok(())
    } else {
        Err(Error::parameter("discount_rate", format!("must be positive and finite, got {rate}")))
    }
}

/// Per customer: "alive", "conditional" (purchases in the next t), "loglik", "discounted"
/// (times, factors) or "dert" (Pareto/NBD, at continuously compounded `discount_rate`).
#[pyfunction]
#[pyo3(signature = (table, model, params, what, t=0.0, frequency="frequency", recency="recency", big_t="T", times=None, factors=None, discount_rate=0.0))]
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
    times: Option<Vec<f64>>,
    factors: Option<Vec<f64>>,
    discount_rate: f64,
) -> CvResult<Py<PyAny>> {
    let tb = table_of(table);
    let m = Btyd::new(ModelKind::parse(model)?, &params)?;
    let what =
        Prediction::parse(what, t, discount_rate, times.unwrap_or_default(), factors.unwrap_or_default())?;
    let out = detach(py, || -> Result<Vec<f64>> {
        let (cols, _, _) = read_floats(&tb, &[frequency, recency, big_t], None, Missing::Raise)?;
        let (x, tx, tt) = (&col(&cols, 0)?.values, &col(&cols, 1)?.values, &col(&cols, 2)?.values);
        let p = Patterns::from_customers(x, tx, tt, None, [frequency, recency, big_t])?;
        m.predict(&p, &what)
    })?;
    Ok(to_pyarrow(py, table::batch(vec![("value".into(), f64_array(out))])?)?)
}

/// P(X(t) = n) for a new customer, n = 0..=max_n (BG/NBD).
#[pyfunction]
fn btyd_count_probabilities(model: &str, params: Vec<f64>, t: f64, max_n: u32) -> CvResult<Vec<f64>> {
    match Btyd::new(ModelKind::parse(model)?, &params)? {
        Btyd::Bg(m) if !m.modified => Ok((0..=max_n).map(|n| m.probability_of_purchases(t, n)).collect()),
        _ => Err(Error::parameter("model", "P(X(t) = n) is implemented for BG/NBD only").into()),
    }
}

/// E[X(t)] for a new customer at each t.
#[pyfunction]
fn btyd_expected(model: &str, params: Vec<f64>, t: Vec<f64>) -> CvResult<Vec<f64>> {
    let m = Btyd::new(ModelKind::parse(model)?, &params)?;
    Ok(t.iter().map(|v| m.expected(*v)).collect())
}

/// Fits BG/BB on frequency, recency and the number of opportunities.
#[pyfunction]
#[pyo3(signature = (table, frequency="frequency", recency="recency", n_periods="n_periods", weights=None, missing="raise"))]
fn fit_bgbb<'py>(
    py: Python<'py>,
    table: PyTable,
    frequency: &str,
    recency: &str,
    n_periods: &str,
    weights: Option<&str>,
    missing: &str,
) -> CvResult<Bound<'py, PyDict>> {
    let tb = table_of(table);
    let missing = Missing::parse(missing)?;
    let (f, log) = detach(py, || -> Result<_> {
        let (cols, w, log) = read_floats(&tb, &[frequency, recency, n_periods], weights, missing)?;
        let p = DiscretePatterns::new(
            &col(&cols, 0)?.values,
            &col(&cols, 1)?.values,
            &col(&cols, 2)?.values,
            w.as_ref().map(|c| c.values.as_slice()),
            [frequency, recency, n_periods],
        )?;
        Ok((BgBb::fit(&p)?.1, log))
    })?;
    let d = fitted_dict(py, &f, &["alpha", "beta", "gamma", "delta"])?;
    put_rows(py, &d, &log)?;
    Ok(d)
}

/// A number of future opportunities must be a non-negative integer.
fn check_opportunities(t: f64) -> Result<()> {
    if t >= 0.0 && t.is_finite() && t.fract() == 0.0 {
        Ok(())
    } else {
        Err(Error::parameter("t", format!("must be a non-negative whole number of periods, got {t}")))
    }
}

/// BG/BB per customer: "alive" (at the next opportunity), "conditional" (transactions in the
/// next t opportunities) or "dert" (at `discount_rate` per opportunity).
#[pyfunction]
#[pyo3(signature = (table, params, what="alive", t=0.0, discount_rate=0.0, frequency="frequency", recency="recency", n_periods="n_periods"))]
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
    match what {
        "alive" => {}
        "conditional" => check_opportunities(t)?,
        "dert" => check_discount_rate(discount_rate)?,
        o => return Err(Error::parameter("what", format!("unknown prediction '{o}'")).into()),
    }
    let out = detach(py, || -> Result<Vec<f64>> {
        let (cols, _, _) = read_floats(&tb, &[frequency, recency, n_periods], None, Missing::Raise)?;
        let p = DiscretePatterns::new(
            &col(&cols, 0)?.values,
            &col(&cols, 1)?.values,
            &col(&cols, 2)?.values,
            None,
            [frequency, recency, n_periods],
        )?;
        let one = |i: usize| match what {
            "conditional" => m.conditional_expected_purchases(t, p.x[i], p.tx[i], p.n[i]),
            "dert" => m.discounted_expected_residual_transactions(discount_rate, p.x[i], p.tx[i], p.n[i]),
            _ => m.probability_alive(p.x[i], p.tx[i], p.n[i]),
        };
        Ok((0..p.x.len()).into_par_iter().map(one).collect())
    })?;
    Ok(to_pyarrow(py, table::batch(vec![("value".into(), f64_array(out))])?)?)
}

/// BG/BB E[X(t)] for a new customer at each whole number of opportunities t.
#[pyfunction]
fn bgbb_expected(params: Vec<f64>, t: Vec<f64>) -> CvResult<Vec<f64>> {
    let m = BgBb::from_slice(&params);
    t.iter().try_for_each(|v| check_opportunities(*v))?;
    Ok(t.iter().map(|v| m.expected_purchases(*v)).collect())
}

/// Fits Gamma-Gamma on frequency and mean repeat spend.
#[pyfunction]
#[pyo3(signature = (table, frequency="frequency", monetary_value="monetary_value", weights=None, missing="raise"))]
fn fit_gamma_gamma<'py>(
    py: Python<'py>,
    table: PyTable,
    frequency: &str,
    monetary_value: &str,
    weights: Option<&str>,
    missing: &str,
) -> CvResult<Bound<'py, PyDict>> {
    let tb = table_of(table);
    let missing = Missing::parse(missing)?;
    let (f, n_used, log) = detach(py, || -> Result<_> {
        let (cols, w, log) = read_floats(&tb, &[frequency, monetary_value], weights, missing)?;
        let (_, f, n) = GammaGamma::fit(
            &col(&cols, 0)?.values,
            &col(&cols, 1)?.values,
            w.as_ref().map(|c| c.values.as_slice()),
            [frequency, monetary_value],
        )?;
        Ok((f, n, log))
    })?;
    let d = fitted_dict(py, &f, &["p", "q", "v"])?;
    d.set_item("n_used", n_used)?;
    put_rows(py, &d, &log)?;
    Ok(d)
}

/// Gamma-Gamma conditional expected transaction value per customer.
#[pyfunction]
#[pyo3(signature = (table, params, frequency="frequency", monetary_value="monetary_value"))]
fn gamma_gamma_predict(
    py: Python<'_>,
    table: PyTable,
    params: Vec<f64>,
    frequency: &str,
    monetary_value: &str,
) -> CvResult<Py<PyAny>> {
    let tb = table_of(table);
    let m = GammaGamma::from_slice(&params);
    let out = detach(py, || -> Result<Vec<f64>> {
        let (cols, _, _) = read_floats(&tb, &[frequency, monetary_value], None, Missing::Raise)?;
        let (x, mv) = (&col(&cols, 0)?.values, &col(&cols, 1)?.values);
        Ok(x.iter().zip(mv).map(|(x, mv)| m.conditional_expected_spend(*x, *mv)).collect())
    })?;
    Ok(to_pyarrow(py, table::batch(vec![("value".into(), f64_array(out))])?)?)
}

/// Fits sBG to survivors per period.
#[pyfunction]
fn fit_sbg<'py>(py: Python<'py>, survivors: Vec<f64>) -> CvResult<Bound<'py, PyDict>> {
    let (_, f) = Sbg::fit(&survivors)?;
    Ok(fitted_dict(py, &f, &["alpha", "beta"])?)
}

/// sBG curves: "survival" S(t), "retention" r_t, or "derl" (t = renewals n, with discount rate).
#[pyfunction]
#[pyo3(signature = (params, what, t, discount_rate=0.0))]
fn sbg_predict(params: Vec<f64>, what: &str, t: Vec<f64>, discount_rate: f64) -> CvResult<Vec<f64>> {
    let m = Sbg {
        alpha: params.first().copied().unwrap_or(f64::NAN),
        beta: params.get(1).copied().unwrap_or(f64::NAN),
    };
    Ok(match what {
        "survival" => t.iter().map(|v| m.survival(*v)).collect(),
        "retention" => t.iter().map(|v| m.retention(*v)).collect(),
        "derl" => t.iter().map(|v| m.derl(discount_rate, *v)).collect(),
        o => return Err(Error::parameter("what", format!("unknown curve '{o}'")).into()),
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rfm_summary, m)?)?;
    m.add_function(wrap_pyfunction!(fit_btyd, m)?)?;
    m.add_function(wrap_pyfunction!(btyd_predict, m)?)?;
    m.add_function(wrap_pyfunction!(btyd_expected, m)?)?;
    m.add_function(wrap_pyfunction!(btyd_count_probabilities, m)?)?;
    m.add_function(wrap_pyfunction!(fit_bgbb, m)?)?;
    m.add_function(wrap_pyfunction!(bgbb_predict, m)?)?;
    m.add_function(wrap_pyfunction!(bgbb_expected, m)?)?;
    m.add_function(wrap_pyfunction!(fit_gamma_gamma, m)?)?;
    m.add_function(wrap_pyfunction!(gamma_gamma_predict, m)?)?;
    m.add_function(wrap_pyfunction!(fit_sbg, m)?)?;
    m.add_function(wrap_pyfunction!(sbg_predict, m)?)?;
    Ok(())
}
