//! Segmentation bindings: matrices arrive as float64 buffers (numpy arrays, through the
//! buffer protocol), labels as int64 codes; labels go back as a one-column pyarrow table.

use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::error::CvResult;
use super::io::{detach, to_pyarrow, with_progress};
use crate::error::Error;
use crate::segmentation::compare::kmeans_stability;
use crate::segmentation::kmeans::{self as km, KMeansParams};
use crate::segmentation::kprototypes::{kprototypes as fit_kprototypes, Mixed};
use crate::segmentation::metrics::{self, Contingency};
use crate::segmentation::minibatch::{self, MiniBatchParams};
use crate::segmentation::mixture;
use crate::segmentation::Matrix;
use crate::stats::hypothesis::chi2_sf;
use crate::table::{batch, f64_array, i64_array};

fn floats(py: Python<'_>, b: &PyBuffer<f64>) -> PyResult<Vec<f64>> {
    b.to_vec(py)
}

fn matrix(py: Python<'_>, x: &PyBuffer<f64>, n: usize, d: usize) -> CvResult<Matrix> {
    Ok(Matrix::new(floats(py, x)?, n, d)?)
}

/// Label codes 0..k (negative codes are refused) and k.
fn codes(py: Python<'_>, b: &PyBuffer<i64>, name: &str) -> CvResult<(Vec<usize>, usize)> {
    let raw = b.to_vec(py)?;
    let mut out = Vec::with_capacity(raw.len());
    for v in raw {
        out.push(
            usize::try_from(v).map_err(|_| Error::parameter(name, format!("label code {v} is negative")))?,
        );
    }
    let k = out.iter().max().map_or(0, |m| m + 1);
    Ok((out, k))
}

fn labels_out(py: Python<'_>, labels: impl IntoIterator<Item = i64>) -> PyResult<Py<PyAny>> {
    let b = batch(vec![("label".into(), i64_array(labels.into_iter().collect()))])
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    to_pyarrow(py, b)
}

/// A k-means fit as a dict: centres, labels (pyarrow), inertia and iterations.
fn fit_out(py: Python<'_>, fit: km::KMeansFit) -> PyResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("centers", fit.centers)?;
    out.set_item("labels", labels_out(py, fit.labels.iter().map(|&l| l as i64))?)?;
    out.set_item("inertia", fit.inertia)?;
    out.set_item("n_iter", fit.n_iter)?;
    Ok(out)
}

/// k-means with greedy k-means++ starts and Hamerly bounds.
#[pyfunction]
#[pyo3(signature = (x, n, d, k, n_init=10, max_iter=300, tol=1e-4, seed=0, progress=None))]
#[allow(clippy::too_many_arguments)]
fn kmeans<'py>(
    py: Python<'py>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    k: usize,
    n_init: usize,
    max_iter: usize,
    tol: f64,
    seed: u64,
    progress: Option<Bound<'py, PyAny>>,
) -> CvResult<Bound<'py, PyDict>> {
    let m = matrix(py, &x, n, d)?;
    let p = KMeansParams { k, n_init, max_iter, tol, seed };
    let fit = with_progress(py, progress.as_ref(), |pr| km::kmeans(&m, &p, pr))??;
    Ok(fit_out(py, fit)?)
}

/// Mini-batch k-means: centres, labels, inertia and the batch steps taken.
#[pyfunction]
#[pyo3(signature = (x, n, d, k, batch_size=1024, max_iter=100, n_init=3, max_no_improvement=10,
    reassignment_ratio=0.01, seed=0, progress=None))]
#[allow(clippy::too_many_arguments)]
fn minibatch_kmeans<'py>(
    py: Python<'py>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    k: usize,
    batch_size: usize,
    max_iter: usize,
    n_init: usize,
    max_no_improvement: usize,
    reassignment_ratio: f64,
    seed: u64,
    progress: Option<Bound<'py, PyAny>>,
) -> CvResult<Bound<'py, PyDict>> {
    let m = matrix(py, &x, n, d)?;
    let p = MiniBatchParams { k, batch_size, max_iter, n_init, max_no_improvement, reassignment_ratio, seed };
    let fit = with_progress(py, progress.as_ref(), |pr| minibatch::minibatch_kmeans(&m, &p, pr))??;
    Ok(fit_out(py, fit)?)
}

/// Nearest-centre labels.
#[pyfunction]
fn kmeans_predict(
    py: Python<'_>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    centers: Vec<f64>,
) -> CvResult<Py<PyAny>> {
    let m = matrix(py, &x, n, d)?;
    if centers.len() % d != 0 || centers.is_empty() {
        return Err(
            Error::parameter("centers", format!("{} values are not rows of {d}", centers.len())).into()
        );
    }
    let l = detach(py, || km::predict(&m, &centers));
    Ok(labels_out(py, l.into_iter().map(|v| v as i64))?)
}

/// k-prototypes on numeric (n x dn) and categorical (n x dc codes) parts.
#[pyfunction]
#[pyo3(signature = (num, dn, cat, dc, levels, n, k, gamma, n_init=10, max_iter=100, seed=0))]
#[allow(clippy::too_many_arguments)]
fn kprototypes<'py>(
    py: Python<'py>,
    num: PyBuffer<f64>,
    dn: usize,
    cat: PyBuffer<i64>,
    dc: usize,
    levels: Vec<usize>,
    n: usize,
    k: usize,
    gamma: f64,
    n_init: usize,
    max_iter: usize,
    seed: u64,
) -> CvResult<Bound<'py, PyDict>> {
    let num = floats(py, &num)?;
    if num.iter().any(|v| !v.is_finite()) {
        return Err(Error::input("features", "a numeric feature holds a missing or infinite value").into());
    }
    let cat: Vec<u32> = cat.to_vec(py)?.into_iter().map(|v| u32::try_from(v).unwrap_or(u32::MAX)).collect();
    if num.len() != n * dn || cat.len() != n * dc || levels.len() != dc {
        return Err(Error::parameter("X", "shapes of the numeric and categorical parts do not agree").into());
    }
    for (i, &c) in cat.iter().enumerate() {
        if c as usize >= levels[i % dc] {
            return Err(
                Error::input(format!("categorical feature {}", i % dc), "holds a missing value").into()
            );
        }
    }
    let fit = detach(py, || {
        let m = Mixed { num: &num, dn, cat: &cat, dc, levels: &levels, n };
        fit_kprototypes(&m, k, gamma, n_init, max_iter, seed, None)
    })?;
    let out = PyDict::new(py);
    out.set_item("centers_num", fit.centers_num)?;
    out.set_item("centers_cat", fit.centers_cat)?;
    out.set_item("labels", labels_out(py, fit.labels.iter().map(|&l| l as i64))?)?;
    out.set_item("cost", fit.cost)?;
    out.set_item("n_iter", fit.n_iter)?;
    Ok(out)
}

/// A Gaussian mixture (linfa EM) with log-likelihood, BIC and AIC.
#[pyfunction]
#[pyo3(signature = (x, n, d, k, n_init=1, seed=0))]
fn gmm<'py>(
    py: Python<'py>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    k: usize,
    n_init: usize,
    seed: u64,
) -> CvResult<Bound<'py, PyDict>> {
    let m = matrix(py, &x, n, d)?;
    let fit = detach(py, || mixture::gmm(&m, k, n_init, seed))?;
    let out = PyDict::new(py);
    out.set_item("weights", fit.weights)?;
    out.set_item("means", fit.means)?;
    out.set_item("covariances", fit.covariances)?;
    out.set_item("labels", labels_out(py, fit.labels.iter().map(|&l| l as i64))?)?;
    out.set_item("log_likelihood", fit.log_likelihood)?;
    out.set_item("bic", fit.bic)?;
    out.set_item("aic", fit.aic)?;
    Ok(out)
}

/// DBSCAN labels, -1 for noise.
#[pyfunction]
fn dbscan(
    py: Python<'_>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    eps: f64,
    min_samples: usize,
) -> CvResult<Py<PyAny>> {
    let m = matrix(py, &x, n, d)?;
    let l = detach(py, || mixture::dbscan(&m, eps, min_samples))?;
    Ok(labels_out(py, l.into_iter().map(|v| v.map_or(-1, |c| c as i64)))?)
}

/// The k-distance knee as an eps for DBSCAN.
#[pyfunction]
#[pyo3(signature = (x, n, d, min_samples, sample=5000))]
fn eps_knee(
    py: Python<'_>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    min_samples: usize,
    sample: usize,
) -> CvResult<f64> {
    let m = matrix(py, &x, n, d)?;
    Ok(detach(py, || mixture::eps_knee(&m, min_samples, sample))?)
}

fn matrix_and_labels(
    py: Python<'_>,
    x: &PyBuffer<f64>,
    n: usize,
    d: usize,
    labels: &PyBuffer<i64>,
) -> CvResult<(Matrix, Vec<usize>, usize)> {
    let m = matrix(py, x, n, d)?;
    let (l, k) = codes(py, labels, "labels")?;
    if l.len() != n {
        return Err(Error::parameter("labels", format!("{} labels for {n} rows", l.len())).into());
    }
    Ok((m, l, k))
}

/// Internal indices: "silhouette", "calinski_harabasz" or "davies_bouldin".
#[pyfunction]
fn internal_index(
    py: Python<'_>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    labels: PyBuffer<i64>,
    which: &str,
) -> CvResult<f64> {
    let (m, l, k) = matrix_and_labels(py, &x, n, d, &labels)?;
    let index = match which {
        "silhouette" => metrics::silhouette_score,
        "calinski_harabasz" => metrics::calinski_harabasz,
        "davies_bouldin" => metrics::davies_bouldin,
        other => return Err(Error::parameter("which", format!("unknown index '{other}'")).into()),
    };
    Ok(detach(py, || index(&m, &l, k))?)
}

/// Silhouette of every point, as a one-column pyarrow table.
#[pyfunction]
fn silhouette_samples(
    py: Python<'_>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    labels: PyBuffer<i64>,
) -> CvResult<Py<PyAny>> {
    let (m, l, k) = matrix_and_labels(py, &x, n, d, &labels)?;
    let s = detach(py, || metrics::silhouette_samples(&m, &l, k))?;
    Ok(to_pyarrow(py, batch(vec![("silhouette".into(), f64_array(s))])?)?)
}

/// Agreement between two labellings from one contingency table.
#[pyfunction]
#[pyo3(signature = (a, b, expected=true))]
fn agreement<'py>(
    py: Python<'py>,
    a: PyBuffer<i64>,
    b: PyBuffer<i64>,
    expected: bool,
) -> CvResult<Bound<'py, PyDict>> {
    let (a, ka) = codes(py, &a, "labels_true")?;
    let (b, kb) = codes(py, &b, "labels_pred")?;
    let c = Contingency::new(&a, &b, ka, kb)?;
    let s = detach(py, || {
        let (h, comp, v) = c.homogeneity_completeness_v();
        let (chi2, df, cv) = c.chi_square();
        let ami = if expected { c.adjusted_mutual_info() } else { f64::NAN };
        let emi = if expected { c.expected_mutual_info() } else { f64::NAN };
        (c.adjusted_rand(), c.normalized_mutual_info(), ami, h, comp, v, chi2, df, cv, c.mutual_info(), emi)
    });
    let out = PyDict::new(py);
    out.set_item("ka", ka)?;
    out.set_item("kb", kb)?;
    out.set_item("counts", c.counts.clone())?;
    out.set_item("residuals", c.adjusted_residuals())?;
    out.set_item("adjusted_rand", s.0)?;
    out.set_item("normalized_mutual_info", s.1)?;
    out.set_item("adjusted_mutual_info", s.2)?;
    out.set_item("homogeneity", s.3)?;
    out.set_item("completeness", s.4)?;
    out.set_item("v_measure", s.5)?;
    out.set_item("chi2", s.6)?;
    out.set_item("chi2_df", s.7)?;
    out.set_item("cramers_v", s.8)?;
    out.set_item("mutual_info", s.9)?;
    out.set_item("expected_mutual_info", s.10)?;
    out.set_item("chi2_p", chi2_sf(s.6, s.7 as f64))?;
    Ok(out)
}

/// Eta squared and Kruskal-Wallis of `value` across groups.
#[pyfunction]
fn separation<'py>(
    py: Python<'py>,
    value: PyBuffer<f64>,
    labels: PyBuffer<i64>,
) -> CvResult<Bound<'py, PyDict>> {
    let v = floats(py, &value)?;
    let (l, k) = codes(py, &labels, "labels")?;
    let s = detach(py, || metrics::separation(&v, &l, k))?;
    let out = PyDict::new(py);
    out.set_item("eta_squared", s.eta_squared)?;
    out.set_item("kruskal_h", s.kruskal_h)?;
    out.set_item("kruskal_p", s.kruskal_p)?;
    out.set_item("df", s.df)?;
    Ok(out)
}

/// Bootstrap stability (ARI per replicate) of a k-means grouping.
#[pyfunction]
#[pyo3(signature = (x, n, d, reference, k, n_init, bootstrap, seed, progress=None))]
#[allow(clippy::too_many_arguments)]
fn stability<'py>(
    py: Python<'py>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    reference: PyBuffer<i64>,
    k: usize,
    n_init: usize,
    bootstrap: usize,
    seed: u64,
    progress: Option<Bound<'py, PyAny>>,
) -> CvResult<Vec<f64>> {
    let m = matrix(py, &x, n, d)?;
    let (r, _) = codes(py, &reference, "labels")?;
    let p = KMeansParams { k, n_init, max_iter: 300, tol: 1e-4, seed };
    Ok(with_progress(py, progress.as_ref(), |pr| kmeans_stability(&m, &r, &p, bootstrap, seed, pr))??)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(kmeans, m)?)?;
    m.add_function(wrap_pyfunction!(kmeans_predict, m)?)?;
    m.add_function(wrap_pyfunction!(minibatch_kmeans, m)?)?;
    m.add_function(wrap_pyfunction!(kprototypes, m)?)?;
    m.add_function(wrap_pyfunction!(gmm, m)?)?;
    m.add_function(wrap_pyfunction!(dbscan, m)?)?;
    m.add_function(wrap_pyfunction!(eps_knee, m)?)?;
    m.add_function(wrap_pyfunction!(internal_index, m)?)?;
    m.add_function(wrap_pyfunction!(silhouette_samples, m)?)?;
    m.add_function(wrap_pyfunction!(agreement, m)?)?;
    m.add_function(wrap_pyfunction!(separation, m)?)?;
    m.add_function(wrap_pyfunction!(stability, m)?)?;
    Ok(())
}
