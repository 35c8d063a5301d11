//! customervalue: customer-value analytics.
//!
//! Pure-Rust cores (no Python here): [`demand`] curves and pricing studies, sample
//! [`datasets`], shared [`stats`], the typed column views of [`table`], and one [`error`] type.
//! The pyo3 binding layer lives in `src/python/` behind the `python` feature.

pub mod datasets;
pub mod demand;
pub mod economics;
pub mod error;
pub mod segmentation;
mod simd;
pub mod stats;
pub mod table;
pub mod themes;

#[cfg(feature = "python")]
mod python;

pub use error::{Error, Result};
