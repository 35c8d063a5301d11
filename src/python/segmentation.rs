//! Segmentation bindings: matrices arrive as float64 buffers (numpy arrays, through the
//! buffer protocol), labels as int64 codes; labels go back as a one-column pyarrow table.

use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;

use super::error::CvResult;
use super::io::{detach, to_pyarrow, with_progress};
use crate::error::Error;
use crate::segmentation::compare::kmeans_stability;
use crate::segmentation::kmeans::{self as km, KMeansParams};
use crate::segmentation::kprototypes::{kprototypes as fit_kprototypes, Mixed};
use crate::segmentation::metrics::{self, Contingency};
use crate::segmentation::minibatch::{self, MiniBatchParams};
use crate::segmentation::mixture;
use crate::segmentation::scaleout;
use crate::segmentation::Matrix;
use crate::table::{batch, f64_array, Columns, Output, RowLog};

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

/// Cluster labels (None: noise, -1) as a one-column table "label".
fn labels_table(
    labels: impl IntoIterator<Item = Option<usize>>,
) -> crate::error::Result<arrow_array::RecordBatch> {
    Columns::new().labels_of("label", labels).batch()
}

/// A k-means fit: table "labels", centres, inertia and iterations.
fn fit_out(fit: km::KMeansFit) -> CvResult<Output> {
    let n = fit.labels.len();
    Ok(Output::new(RowLog::new(n))
        .table("labels", labels_table(fit.labels.iter().map(|l| Some(*l)))?)
        .value("centers", fit.centers)
        .value("inertia", fit.inertia)
        .value("n_iter", fit.n_iter))
}

/// k-means with greedy k-means++ starts and Hamerly bounds.
#[pyfunction]
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
) -> CvResult<Output> {
    let m = matrix(py, &x, n, d)?;
    let p = KMeansParams { k, n_init, max_iter, tol, seed };
    fit_out(with_progress(py, progress.as_ref(), true, |pr| km::kmeans(&m, &p, pr))??)
}

/// Mini-batch k-means: centres, labels, inertia and the batch steps taken.
#[pyfunction]
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
) -> CvResult<Output> {
    let m = matrix(py, &x, n, d)?;
    let p = MiniBatchParams { k, batch_size, max_iter, n_init, max_no_improvement, reassignment_ratio, seed };
    fit_out(with_progress(py, progress.as_ref(), true, |pr| minibatch::minibatch_kmeans(&m, &p, pr))??)
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
    if !centers.len().is_multiple_of(d) || centers.is_empty() {
        return Err(
            Error::parameter("centers", format!("{} values are not rows of {d}", centers.len())).into()
        );
    }
    let l = detach(py, || km::predict(&m, &centers));
    Ok(to_pyarrow(py, labels_table(l.into_iter().map(Some))?)?)
}

/// One Lloyd step's sums over some points (n x d, optional weights) for `centers`: per
/// centre the weight, the weighted coordinate sums (k x d) and the weighted squared distances.
#[pyfunction]
fn kmeans_lloyd_sums(
    py: Python<'_>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    centers: Vec<f64>,
    weights: Option<PyBuffer<f64>>,
) -> CvResult<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let m = matrix(py, &x, n, d)?;
    let w = weights.map(|w| floats(py, &w)).transpose()?;
    let s = detach(py, || scaleout::lloyd_sums(&m, &centers, w.as_deref()))?;
    Ok((s.weight, s.sums, s.inertia))
}

/// Each point's squared distance to the nearest centre, as a one-column table.
#[pyfunction]
fn kmeans_min_sq_dist(
    py: Python<'_>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    centers: Vec<f64>,
) -> CvResult<Py<PyAny>> {
    let m = matrix(py, &x, n, d)?;
    let v = detach(py, || scaleout::min_sq_dist(&m, &centers))?;
    Ok(to_pyarrow(py, batch(vec![("value".into(), f64_array(v))])?)?)
}

/// k-means on weighted points (k-means++ seeding by weight times squared distance, then
/// weighted Lloyd steps): the centres, k x d.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn kmeans_weighted(
    py: Python<'_>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    weights: Vec<f64>,
    k: usize,
    seed: u64,
    max_iter: usize,
    tol: f64,
) -> CvResult<Vec<f64>> {
    let m = matrix(py, &x, n, d)?;
    Ok(detach(py, || scaleout::weighted_kmeans(&m, &weights, k, seed, max_iter, tol))?)
}

/// k-prototypes on numeric (n x dn) and categorical (n x dc codes) parts.
#[pyfunction]
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
) -> CvResult<Output> {
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
    let fit = with_progress(py, None, true, |pg| {
        let m = Mixed { num: &num, dn, cat: &cat, dc, levels: &levels, n };
        fit_kprototypes(&m, k, gamma, n_init, max_iter, seed, pg)
    })??;
    Ok(Output::new(RowLog::new(n))
        .table("labels", labels_table(fit.labels.iter().map(|l| Some(*l)))?)
        .value("centers_num", fit.centers_num)
        .value("centers_cat", fit.centers_cat)
        .value("cost", fit.cost)
        .value("n_iter", fit.n_iter))
}

/// A Gaussian mixture (linfa EM) with log-likelihood, BIC and AIC.
#[pyfunction]
fn gmm<'py>(
    py: Python<'py>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    k: usize,
    n_init: usize,
    seed: u64,
) -> CvResult<Output> {
    let m = matrix(py, &x, n, d)?;
    let fit = detach(py, || mixture::gmm(&m, k, n_init, seed))?;
    Ok(Output::new(RowLog::new(n))
        .table("labels", labels_table(fit.labels.iter().map(|l| Some(*l)))?)
        .value("weights", fit.weights)
        .value("means", fit.means)
        .value("covariances", fit.covariances)
        .value("log_likelihood", fit.log_likelihood)
        .value("bic", fit.bic)
        .value("aic", fit.aic))
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
    Ok(to_pyarrow(py, labels_table(l)?)?)
}

/// The k-distance knee as an eps for DBSCAN.
#[pyfunction]
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
    if let Some(metric) = which.strip_prefix("silhouette_") {
        let metric = metrics::Metric::parse(metric)?;
        let s = detach(py, || metrics::silhouette_samples_with(&m, &l, k, metric))?;
        return Ok(s.iter().sum::<f64>() / s.len() as f64);
    }
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
    metric: &str,
) -> CvResult<Py<PyAny>> {
    let (m, l, k) = matrix_and_labels(py, &x, n, d, &labels)?;
    let metric = metrics::Metric::parse(metric)?;
    let s = detach(py, || metrics::silhouette_samples_with(&m, &l, k, metric))?;
    Ok(to_pyarrow(py, batch(vec![("silhouette".into(), f64_array(s))])?)?)
}

/// Agreement between two labellings from one contingency table.
#[pyfunction]
fn agreement<'py>(py: Python<'py>, a: PyBuffer<i64>, b: PyBuffer<i64>, expected: bool) -> CvResult<Output> {
    let (a, ka) = codes(py, &a, "labels_true")?;
    let (b, kb) = codes(py, &b, "labels_pred")?;
    let c = Contingency::new(&a, &b, ka, kb)?;
    Ok(detach(py, || c.output(ka, kb, expected)))
}

/// Eta squared and Kruskal-Wallis of `value` across groups.
#[pyfunction]
fn separation<'py>(py: Python<'py>, value: PyBuffer<f64>, labels: PyBuffer<i64>) -> CvResult<Output> {
    let v = floats(py, &value)?;
    let (l, k) = codes(py, &labels, "labels")?;
    Ok(detach(py, || metrics::separation(&v, &l, k))?.output(v.len()))
}

/// Bootstrap stability (ARI per replicate) of a k-means grouping.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn stability<'py>(
    py: Python<'py>,
    x: PyBuffer<f64>,
    n: usize,
    d: usize,
    reference: PyBuffer<i64>,
    k: usize,
    n_init: usize,
    n_boot: usize,
    seed: u64,
    progress: Option<Bound<'py, PyAny>>,
) -> CvResult<Vec<f64>> {
    let m = matrix(py, &x, n, d)?;
    let (r, _) = codes(py, &reference, "labels")?;
    let p = KMeansParams { k, n_init, max_iter: 300, tol: 1e-4, seed };
    Ok(with_progress(py, progress.as_ref(), true, |pr| kmeans_stability(&m, &r, &p, n_boot, seed, pr))??)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(kmeans, m)?)?;
    m.add_function(wrap_pyfunction!(kmeans_predict, m)?)?;
    m.add_function(wrap_pyfunction!(kmeans_lloyd_sums, m)?)?;
    m.add_function(wrap_pyfunction!(kmeans_min_sq_dist, m)?)?;
    m.add_function(wrap_pyfunction!(kmeans_weighted, m)?)?;
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
