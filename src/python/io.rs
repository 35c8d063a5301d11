//! Arrow across the boundary: tables in (anything with `__arrow_c_stream__`), tables out
//! (pyarrow), and the GIL released around core work.

use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::PyTable;

use super::error::CvResult;
use super::error::PyCvError;
use crate::error::{Error, Result};
use crate::stats::Progress;
use crate::table::{self, Columns, Missing, Output, RowLog, Rows, Table, Value};

/// The core's view of a Python table.
pub fn table_of(t: PyTable) -> Table {
    let (batches, schema) = t.into_inner();
    Table::new(batches, schema)
}

/// A record batch handed back as a pyarrow Table.
pub fn to_pyarrow(py: Python<'_>, batch: arrow_array::RecordBatch) -> PyResult<Py<PyAny>> {
    let schema = batch.schema();
    let t = PyTable::try_new(vec![batch], schema)?;
    Ok(t.into_pyarrow(py)?.unbind())
}

/// The row accounting every analysis hands back, in one layout: `n_rows` (input rows) and
/// `dropped`, a table of the dropped rows' input positions (`row`) and `reason` ("missing", or
/// the validation that refused the row; None when no row was dropped). Python turns positions
/// into the caller's index labels.
fn put_rows(py: Python<'_>, d: &Bound<'_, PyDict>, log: &RowLog) -> PyResult<()> {
    d.set_item("n_rows", log.n_rows)?;
    if log.dropped().is_empty() {
        // the common case: no table to build (a pyarrow table costs tens of microseconds)
        d.set_item("dropped", py.None())?;
        return Ok(());
    }
    let mut levels: Vec<String> = Vec::new();
    for (_, r) in log.dropped() {
        if !levels.iter().any(|l| l == r) {
            levels.push(r.to_string());
        }
    }
    let batch = Columns::new()
        .count("row", log.dropped().iter().map(|(i, _)| *i))
        .labels("reason", log.dropped().iter().map(|(_, r)| *r), &levels)
        .and_then(Columns::batch)
        .map_err(PyCvError::from)?;
    d.set_item("dropped", to_pyarrow(py, batch)?)?;
    Ok(())
}

/// Every analysis' output as the dictionary the Python wrappers read: its tables (pyarrow),
/// its values, `n_rows`, `dropped` and `warnings`. The one place outputs cross to Python.
impl<'py> IntoPyObject<'py> for Output {
    type Target = PyDict;
    type Output = Bound<'py, PyDict>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (name, table) in self.tables {
            d.set_item(name, to_pyarrow(py, table)?)?;
        }
        for (name, value) in self.values {
            match value {
                Value::Number(v) => d.set_item(name, v)?,
                Value::Maybe(v) => d.set_item(name, v)?,
                Value::Count(v) => d.set_item(name, v)?,
                Value::Flag(v) => d.set_item(name, v)?,
                Value::Text(v) => d.set_item(name, v)?,
                Value::Numbers(v) => d.set_item(name, v)?,
                Value::Texts(v) => d.set_item(name, v)?,
                Value::Matrix(v) => d.set_item(name, v)?,
                Value::Integers(v) => d.set_item(name, v)?,
            }
        }
        put_rows(py, &d, &self.rows)?;
        d.set_item("warnings", self.warnings)?;
        Ok(d)
    }
}

/// How often the waiting thread looks at the work's progress and at Python's signals.
const POLL: Duration = Duration::from_millis(50);

/// Runs core work on a worker thread with the GIL released, reporting finished items to
/// `callback` (a Python callable taking the number of newly finished items, such as
/// `tqdm.update`) and checking Python's signals every 50 ms. On Ctrl-C the work is cancelled
/// (its next [`crate::stats::tick`] stops it) and `KeyboardInterrupt` is raised as soon as the
/// worker returns, so long work stops within a replicate, a start or a fit. Work that is not
/// `long` (nothing to interrupt, such as a Van Westendorp without bootstrap) and shows no
/// progress runs on this thread instead: a worker thread costs about 0.1-0.3 ms.
pub fn with_progress<T, F>(
    py: Python<'_>,
    callback: Option<&Bound<'_, PyAny>>,
    long: bool,
    work: F,
) -> PyResult<T>
where
    T: Send,
    F: FnOnce(Option<&Progress>) -> T + Send,
{
    if callback.is_none() && !long {
        return Ok(detach(py, || work(None)));
    }
    let progress = Progress::new();
    let done = (std::sync::Mutex::new(false), std::sync::Condvar::new());
    std::thread::scope(|s| {
        let handle = s.spawn(|| {
            let out = in_pool(|| crate::stats::with_ambient(&progress, || work(Some(&progress))));
            if let Ok(mut d) = done.0.lock() {
                *d = true;
            }
            done.1.notify_all();
            out
        });
        let mut shown = 0usize;
        let mut interrupt: Option<PyErr> = None;
        loop {
            // the worker sets `done` just before it returns; join() below waits for the rest
            let finished = done.0.lock().map_or_else(|_| handle.is_finished(), |d| *d);
            let now = progress.done();
            if let Some(cb) = callback.filter(|_| now > shown && interrupt.is_none()) {
                if let Err(e) = cb.call1((now - shown,)) {
                    progress.cancel();
                    interrupt = Some(e);
                }
                shown = now;
            }
            if finished {
                break;
            }
            if interrupt.is_none() {
                if let Err(e) = py.check_signals() {
                    progress.cancel();
                    interrupt = Some(e);
                }
            }
            // wake as soon as the work is done (fast work pays no polling delay); the wait
            // stays off the pool, whose threads the work needs
            py.detach(|| {
                if let Ok(d) = done.0.lock() {
                    let _ = done.1.wait_timeout_while(d, POLL, |d| !*d);
                }
            });
        }
        let out = handle.join().map_err(|_| {
            PyRuntimeError::new_err("customervalue: the core stopped unexpectedly (a bug; please report it)")
        })?;
        match interrupt {
            Some(e) => Err(e),
            None => Ok(out),
        }
    })
}

/// The thread pool core work runs on when `set_num_threads` chose one (else rayon's global
/// pool, sized by `RAYON_NUM_THREADS` or the number of cores).
static POOL: std::sync::RwLock<Option<std::sync::Arc<rayon::ThreadPool>>> = std::sync::RwLock::new(None);

/// Runs `f` on the chosen pool (see [`POOL`]).
pub fn in_pool<T: Send, F: FnOnce() -> T + Send>(f: F) -> T {
    let pool = POOL.read().ok().and_then(|p| p.clone());
    match pool {
        Some(p) => p.install(f),
        None => f(),
    }
}

/// Sets the number of threads the core's parallel work uses from now on (0: back to the
/// default, `RAYON_NUM_THREADS` or the number of cores).
#[pyfunction]
fn set_num_threads(n: usize) -> CvResult<()> {
    let pool = match n {
        0 => None,
        n => Some(std::sync::Arc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .thread_name(|i| format!("customervalue-{i}"))
                .build()
                .map_err(|e| Error::parameter("n", format!("cannot start {n} threads: {e}")))?,
        )),
    };
    if let Ok(mut p) = POOL.write() {
        *p = pool;
    }
    Ok(())
}

/// The number of threads the core's parallel work uses.
#[pyfunction]
fn get_num_threads() -> usize {
    in_pool(rayon::current_num_threads)
}

/// Runs core work with the GIL released, on the chosen pool.
pub fn detach<T: Send, F: FnOnce() -> T + Send>(py: Python<'_>, f: F) -> T {
    py.detach(|| in_pool(f))
}

/// Reads `columns` (name, kind) from a table and returns them as the core sees them, after the
/// missing-value policy: floats as float64, categories as dictionary, flags as bool, dates and
/// timestamps as float days since 1970-01-01. Used to test the boundary itself.
#[pyfunction]
fn read_columns(
    py: Python<'_>,
    table: PyTable,
    columns: Vec<(String, String)>,
    missing: &str,
) -> CvResult<(Py<PyAny>, usize)> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let out = detach(py, || -> Result<_> {
        enum Col {
            F(table::Column<f64>),
            B(table::Column<bool>),
            C(table::Categorical),
        }
        let mut cols = Vec::new();
        for (name, kind) in &columns {
            cols.push(match kind.as_str() {
                "float" => Col::F(t.float(name)?),
                "days" => Col::F(t.days(name)?),
                "flag" => Col::B(t.flag(name)?),
                "category" => Col::C(t.category(name)?),
                other => return Err(Error::parameter("columns", format!("unknown kind '{other}'"))),
            });
        }
        let log = {
            let mut rows: Vec<&mut dyn Rows> = cols
                .iter_mut()
                .map(|c| match c {
                    Col::F(c) => c as &mut dyn Rows,
                    Col::B(c) => c as &mut dyn Rows,
                    Col::C(c) => c as &mut dyn Rows,
                })
                .collect();
            table::apply_missing(&mut rows, missing)?
        };
        let mut arrays = Vec::new();
        for ((name, _), c) in columns.iter().zip(cols) {
            arrays.push((
                name.clone(),
                match c {
                    Col::F(c) => table::f64_array(c.values.into_vec()),
                    Col::B(c) => table::bool_array(c.values.into_vec()),
                    Col::C(c) => table::categorical_array(c.codes.values.into_vec(), &c.levels)?,
                },
            ));
        }
        Ok((table::batch(arrays)?, log.n_missing()))
    })?;
    Ok((to_pyarrow(py, out.0)?, out.1))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read_columns, m)?)?;
    m.add_function(wrap_pyfunction!(set_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_num_threads, m)?)?;
    Ok(())
}
