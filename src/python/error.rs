//! One mapping from the core's errors to Python exceptions.
//!
//! The orphan rule forbids `impl From<crate::Error> for PyErr`, so errors cross through the
//! newtype [`PyCvError`]. The exception classes live in `customervalue.errors` (they inherit
//! from both `CustomerValueError` and `ValueError`/`RuntimeError`, which pyo3's
//! `create_exception!` cannot express) and are looked up when an error is raised.

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::error::Error;

/// A core error on its way to Python.
pub struct PyCvError(pub Error);

impl From<Error> for PyCvError {
    fn from(e: Error) -> Self {
        PyCvError(e)
    }
}

impl From<PyCvError> for PyErr {
    fn from(e: PyCvError) -> PyErr {
        let class = match &e.0 {
            Error::Input { .. } => "InputError",
            Error::Parameter { .. } => "ParameterError",
            Error::Convergence { .. } => "ConvergenceError",
        };
        let message = e.0.to_string();
        Python::attach(|py| {
            let cls = py.import("customervalue.errors").and_then(|m| m.getattr(class));
            match cls {
                Ok(cls) => match cls.call1((PyString::new(py, &message),)) {
                    Ok(instance) => PyErr::from_value(instance),
                    Err(err) => err,
                },
                Err(_) => pyo3::exceptions::PyValueError::new_err(message),
            }
        })
    }
}

/// Core results as Python results.
pub type CvResult<T> = Result<T, PyCvError>;
