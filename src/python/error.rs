//! One mapping from the core's errors to Python exceptions.
//!
//! The orphan rule forbids `impl From<crate::Error> for PyErr`, so errors cross through the
//! newtype [`PyCvError`]. The exception classes live in `customervalue.errors` (they inherit
//! from both `CustomerValueError` and `ValueError`/`RuntimeError`, which pyo3's
//! `create_exception!` cannot express) and are looked up when an error is raised.

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::error::Error;

/// A core error on its way to Python (or a Python error raised on the way back).
pub enum PyCvError {
    /// An error of the core, mapped to its exception class.
    Core(Error),
    /// A Python exception raised while handing results back; passed through as it is.
    Python(PyErr),
}

impl From<Error> for PyCvError {
    fn from(e: Error) -> Self {
        PyCvError::Core(e)
    }
}

impl From<PyErr> for PyCvError {
    fn from(e: PyErr) -> Self {
        PyCvError::Python(e)
    }
}

impl From<PyCvError> for PyErr {
    fn from(e: PyCvError) -> PyErr {
        let e = match e {
            PyCvError::Python(err) => return err,
            PyCvError::Core(e) => e,
        };
        let class = match &e {
            Error::Interrupted => return pyo3::exceptions::PyKeyboardInterrupt::new_err("interrupted"),
            Error::Input { .. } => "InputError",
            Error::Parameter { .. } => "ParameterError",
            Error::Convergence { .. } => "ConvergenceError",
        };
        let message = e.to_string();
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
