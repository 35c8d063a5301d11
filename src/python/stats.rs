//! Bindings of the classical tests (`customervalue.stats`): numbers in as float64 buffers,
//! a dict of values out.

use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;

use super::error::CvResult;
use super::io::detach;
use crate::stats::classic::{self, Alternative, MwMethod};
use crate::stats::hypothesis::{adjust, Correction};
use crate::table::{Output, RowLog};

/// The power-divergence test of independence on a rows x cols table.
#[pyfunction]
fn contingency_test<'py>(
    py: Python<'py>,
    observed: PyBuffer<f64>,
    rows: usize,
    cols: usize,
    yates: bool,
    lambda_: &str,
) -> CvResult<Output> {
    let o = observed.to_vec(py)?;
    let lambda = classic::power_lambda(lambda_)?;
    let t = classic::contingency_test(&o, rows, cols, yates, lambda)?;
    Ok(Output::new(RowLog::new(o.len()))
        .value("statistic", t.statistic)
        .value("p", t.p)
        .value("dof", t.dof)
        .value("expected", t.expected))
}

/// Fisher's exact test on a 2x2 table of counts with an alternative.
#[pyfunction]
fn fisher_test(a: u64, b: u64, c: u64, d: u64, alternative: &str) -> CvResult<Output> {
    let (odds, p) = classic::fisher(a, b, c, d, Alternative::parse(alternative)?);
    Ok(Output::new(RowLog::new(4)).value("statistic", odds).value("p", p))
}

/// The Mann-Whitney U test of x against y.
#[pyfunction]
fn mann_whitney<'py>(
    py: Python<'py>,
    x: PyBuffer<f64>,
    y: PyBuffer<f64>,
    alternative: &str,
    method: &str,
    continuity: bool,
) -> CvResult<Output> {
    let (x, y) = (x.to_vec(py)?, y.to_vec(py)?);
    let (alternative, method) = (Alternative::parse(alternative)?, MwMethod::parse(method)?);
    let t = detach(py, || classic::mann_whitney(&x, &y, alternative, method, continuity))?;
    Ok(Output::new(RowLog::new(x.len() + y.len()))
        .value("statistic", t.statistic)
        .value("p", t.p)
        .value("exact", t.exact))
}

/// Adjusted p-values (NaN entries stay NaN and are left out of the family).
#[pyfunction]
fn adjust_pvalues<'py>(py: Python<'py>, p: PyBuffer<f64>, method: &str) -> CvResult<Vec<f64>> {
    let p = p.to_vec(py)?;
    Ok(adjust(&p, Correction::parse(method)?))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(contingency_test, m)?)?;
    m.add_function(wrap_pyfunction!(fisher_test, m)?)?;
    m.add_function(wrap_pyfunction!(mann_whitney, m)?)?;
    m.add_function(wrap_pyfunction!(adjust_pvalues, m)?)?;
    Ok(())
}
