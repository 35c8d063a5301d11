//! The pyo3 binding layer: Arrow in and out, errors to exceptions, the GIL released around
//! core work. No analysis logic lives here.

mod choice;
mod datasets;
mod demand;
mod economics;
mod error;
mod io;
mod segmentation;
mod stats;
mod themes;

use pyo3::prelude::*;

/// The compiled core of customervalue.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DEBUG_BUILD", cfg!(debug_assertions))?;
    io::register(m)?;
    choice::register(m)?;
    datasets::register(m)?;
    demand::register(m)?;
    economics::register(m)?;
    segmentation::register(m)?;
    stats::register(m)?;
    themes::register(m)?;
    Ok(())
}
