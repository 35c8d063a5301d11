//! Sample data generators.

use pyo3::prelude::*;

use super::error::CvResult;
use super::io::{detach, to_pyarrow};
use crate::datasets::{self, Generated};

fn hand_over(py: Python<'_>, g: Generated) -> CvResult<(Py<PyAny>, String)> {
    let truth = g.truth.to_string();
    let table = to_pyarrow(py, g.batch)?;
    Ok((table, truth))
}

/// `customers(n, seed)` -> (pyarrow.Table, truth as JSON).
#[pyfunction]
fn customers(py: Python<'_>, n: usize, seed: u64) -> CvResult<(Py<PyAny>, String)> {
    let g = detach(py, || datasets::customers(n, seed))?;
    hand_over(py, g)
}

/// `transactions(n_customers, seed)` -> (pyarrow.Table, truth as JSON).
#[pyfunction]
fn transactions(py: Python<'_>, n_customers: usize, seed: u64) -> CvResult<(Py<PyAny>, String)> {
    let g = detach(py, || datasets::transactions(n_customers, seed))?;
    hand_over(py, g)
}

/// `pricing_survey(n, seed)` -> (pyarrow.Table, truth as JSON).
#[pyfunction]
fn pricing_survey(py: Python<'_>, n: usize, seed: u64) -> CvResult<(Py<PyAny>, String)> {
    let g = detach(py, || datasets::pricing_survey(n, seed))?;
    hand_over(py, g)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(customers, m)?)?;
    m.add_function(wrap_pyfunction!(transactions, m)?)?;
    m.add_function(wrap_pyfunction!(pricing_survey, m)?)?;
    Ok(())
}
