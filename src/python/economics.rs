//! Economic value modelling bindings: transaction summaries and lifetime-value models.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::PyTable;
use rayon::prelude::*;

use super::error::CvResult;
use super::io::{detach, table_of, to_pyarrow};
use crate::economics::bgbb::{BgBb, DiscretePatterns};
use crate::economics::bgnbd::{BgNbd, Patterns};
use crate::economics::fit::Fitted;
use crate::economics::gamma_gamma::GammaGamma;
use crate::economics::pareto::ParetoNbd;
use crate::economics::sbg::Sbg;
use crate::economics::summary::{self, unit_days};
use crate::error::{Error, Result};
use crate::table::{self, categorical_array, f64_array, Column, Missing, Rows, Table};

fn fitted_dict<'py>(py: Python<'py>, f: &Fitted, names: &[&str]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("names", names.to_vec())?;
    d.set_item("params", f.params.clone())?;
    d.set_item("cov", f.cov.clone())?;
    d.set_item("log_likelihood", f.log_likelihood)?;
    d.set_item("iterations", f.iterations)?;
    Ok(d)
}

/// Float columns, optional weights and the number of rows dropped for missing values.
type FloatColumns = (Vec<Column<f64>>, Option<Column<f64>>, usize);

fn read_floats(t: &Table, names: &[&str], weights: Option<&str>, missing: Missing) -> Result<FloatColumns> {
    let mut cols: Vec<Column<f64>> = names.iter().map(|n| t.float(n)).collect::<Result<_>>()?;
    let mut w = weights.map(|n| t.float(n)).transpose()?;
    let dropped = {
        let mut rows: Vec<&mut dyn Rows> = cols.iter_mut().map(|c| c as &mut dyn Rows).collect();
        if let Some(c) = w.as_mut() {
            rows.push(c);
        }
        table::apply_missing(&mut rows, missing)?
    };
    Ok((cols, w, dropped))
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
    let (s, levels) = detach(py, || -> Result<_> {
        let mut c = t.category(customer)?;
        let mut d = t.days(date)?;
        let mut a = amount.map(|n| t.float(n)).transpose()?;
        {
            let mut rows: Vec<&mut dyn Rows> = vec![&mut c, &mut d];
            if let Some(x) = a.as_mut() {
                rows.push(x);
            }
            table::apply_missing(&mut rows, missing)?;
        }
        let s = summary::rfm_summary(
            &c.codes.values,
            &d.values,
            a.as_ref().map(|x| x.values.as_slice()),
            observation_end,
            calibration_end,
            unit,
            [customer, date, amount.unwrap_or("amount")],
        )?;
        Ok((s, c.levels))
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
    Ok(d)
}

/// A fitted transaction model of the (x, t_x, T) family.
enum Btyd {
    Bg(BgNbd),
    Pareto(ParetoNbd),
}

impl Btyd {
    fn new(model: &str, params: &[f64]) -> Result<Self> {
        match model {
            "bgnbd" => Ok(Btyd::Bg(BgNbd::from_slice(params, false))),
            "mbgnbd" => Ok(Btyd::Bg(BgNbd::from_slice(params, true))),
            "pareto" => Ok(Btyd::Pareto(ParetoNbd::from_slice(params))),
            o => Err(Error::parameter("model", format!("unknown model '{o}'"))),
        }
    }
    fn alive(&self, x: f64, tx: f64, t: f64) -> f64 {
        match self {
            Btyd::Bg(m) => m.probability_alive(x, tx, t),
            Btyd::Pareto(m) => m.probability_alive(x, tx, t),
        }
    }
    fn conditional(&self, h: f64, x: f64, tx: f64, t: f64) -> f64 {
        match self {
            Btyd::Bg(m) => m.conditional_expected_purchases(h, x, tx, t),
            Btyd::Pareto(m) => m.conditional_expected_purchases(h, x, tx, t),
        }
    }
    fn loglik(&self, x: f64, tx: f64, t: f64) -> f64 {
        match self {
            Btyd::Bg(m) => m.log_likelihood(x, tx, t).0,
            Btyd::Pareto(m) => m.log_likelihood(x, tx, t).0,
        }
    }
    fn dert(&self, delta: f64, x: f64, tx: f64, t: f64) -> f64 {
        match self {
            Btyd::Bg(_) => f64::NAN,
            Btyd::Pareto(m) => m.discounted_expected_residual_transactions(delta, x, tx, t),
        }
    }
    fn expected(&self, t: f64) -> f64 {
        match self {
            Btyd::Bg(m) => m.expected_purchases(t),
            Btyd::Pareto(m) => m.expected_purchases(t),
        }
    }
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
    Btyd::new(model, &[1.0; 4])?;
    let (f, n_patterns, dropped) = detach(py, || -> Result<_> {
        let (cols, w, dropped) = read_floats(&tb, &[frequency, recency, t], weights, missing)?;
        let p = Patterns::from_customers(
            &col(&cols, 0)?.values,
            &col(&cols, 1)?.values,
            &col(&cols, 2)?.values,
            w.as_ref().map(|c| c.values.as_slice()),
            [frequency, recency, t],
        )?;
        let f = match model {
            "pareto" => ParetoNbd::fit(&p)?.1,
            other => BgNbd::fit(&p, other == "mbgnbd")?.1,
        };
        Ok((f, p.x.len(), dropped))
    })?;
    let names: &[&str] =
        if model == "pareto" { &["r", "alpha", "s", "beta"] } else { &["r", "alpha", "a", "b"] };
    let d = fitted_dict(py, &f, names)?;
    d.set_item("n_patterns", n_patterns)?;
    d.set_item("n_dropped", dropped)?;
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
    let m = Btyd::new(model, &params)?;
    if what == "dert" {
        if !matches!(m, Btyd::Pareto(_)) {
            return Err(Error::parameter("model", "DERT has a closed form for Pareto/NBD only").into());
        }
        check_discount_rate(discount_rate)?;
    }
    let out = detach(py, || -> Result<Vec<f64>> {
        let (cols, _, _) = read_floats(&tb, &[frequency, recency, big_t], None, Missing::Raise)?;
        let (x, tx, tt) = (&col(&cols, 0)?.values, &col(&cols, 1)?.values, &col(&cols, 2)?.values);
        // Customers sharing (x, t_x, T) share every prediction: compute once per pattern, in
        // parallel, and hand each customer its pattern's value.
        let p = Patterns::from_customers(x, tx, tt, None, [frequency, recency, big_t])?;
        let (times, factors) = (times.unwrap_or_default(), factors.unwrap_or_default());
        if what == "discounted" && times.len() != factors.len() {
            return Err(Error::parameter("factors", "one discount factor per time is needed"));
        }
        let per: Vec<f64> = match what {
            "alive" => (0..p.x.len()).into_par_iter().map(|j| m.alive(p.x[j], p.tx[j], p.t[j])).collect(),
            "conditional" => {
                (0..p.x.len()).into_par_iter().map(|j| m.conditional(t, p.x[j], p.tx[j], p.t[j])).collect()
            }
            "loglik" => (0..p.x.len()).into_par_iter().map(|j| m.loglik(p.x[j], p.tx[j], p.t[j])).collect(),
            "dert" => (0..p.x.len())
                .into_par_iter()
                .map(|j| m.dert(discount_rate, p.x[j], p.tx[j], p.t[j]))
                .collect(),
            // sum_k (E[Y(t_k)] - E[Y(t_(k-1))]) f_k: discounted expected purchases (CLV's core)
            "discounted" => (0..p.x.len())
                .into_par_iter()
                .map(|j| {
                    let mut prev = 0.0;
                    let mut total = 0.0;
                    for (tk, fk) in times.iter().zip(&factors) {
                        let cum = m.conditional(*tk, p.x[j], p.tx[j], p.t[j]);
                        total += (cum - prev) * fk;
                        prev = cum;
                    }
                    total
                })
                .collect(),
            o => return Err(Error::parameter("what", format!("unknown prediction '{o}'"))),
        };
        Ok(p.index.iter().map(|&j| per[j as usize]).collect())
    })?;
    Ok(to_pyarrow(py, table::batch(vec![("value".into(), f64_array(out))])?)?)
}

/// P(X(t) = n) for a new customer, n = 0..=max_n (BG/NBD).
#[pyfunction]
fn btyd_count_probabilities(model: &str, params: Vec<f64>, t: f64, max_n: u32) -> CvResult<Vec<f64>> {
    match Btyd::new(model, &params)? {
        Btyd::Bg(m) if !m.modified => Ok((0..=max_n).map(|n| m.probability_of_purchases(t, n)).collect()),
        _ => Err(Error::parameter("model", "P(X(t) = n) is implemented for BG/NBD only").into()),
    }
}

/// E[X(t)] for a new customer at each t.
#[pyfunction]
fn btyd_expected(model: &str, params: Vec<f64>, t: Vec<f64>) -> CvResult<Vec<f64>> {
    let m = Btyd::new(model, &params)?;
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
    let f = detach(py, || -> Result<_> {
        let (cols, w, _) = read_floats(&tb, &[frequency, recency, n_periods], weights, missing)?;
        let p = DiscretePatterns::new(
            &col(&cols, 0)?.values,
            &col(&cols, 1)?.values,
            &col(&cols, 2)?.values,
            w.as_ref().map(|c| c.values.as_slice()),
            [frequency, recency, n_periods],
        )?;
        Ok(BgBb::fit(&p)?.1)
    })?;
    Ok(fitted_dict(py, &f, &["alpha", "beta", "gamma", "delta"])?)
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
    let (f, n_used) = detach(py, || -> Result<_> {
        let (cols, w, _) = read_floats(&tb, &[frequency, monetary_value], weights, missing)?;
        let (_, f, n) = GammaGamma::fit(
            &col(&cols, 0)?.values,
            &col(&cols, 1)?.values,
            w.as_ref().map(|c| c.values.as_slice()),
            [frequency, monetary_value],
        )?;
        Ok((f, n))
    })?;
    let d = fitted_dict(py, &f, &["p", "q", "v"])?;
    d.set_item("n_used", n_used)?;
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
