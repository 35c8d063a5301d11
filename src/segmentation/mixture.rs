//! Gaussian mixtures and DBSCAN through linfa-clustering, behind validation that keeps its
//! panics (k > n, empty input, NaN) away from users, with what linfa lacks computed here: the
//! mixture's log-likelihood, BIC and AIC (full covariances), and a data-driven eps for DBSCAN
//! (the knee of the sorted k-distance curve) in place of linfa's default of 1e-4.

use linfa::prelude::*;
use linfa_clustering::{Dbscan, GaussianMixtureModel, GmmError};
use linfa_nn::{distance::L2Dist, CommonNearestNeighbour, NearestNeighbour};
use ndarray::{Array2, ArrayView2};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

use super::matrix::Matrix;
use crate::error::{Error, Result};
use crate::stats::special::log_add_exp;

/// A fitted Gaussian mixture with full covariances.
#[derive(Debug, Clone, PartialEq)]
pub struct MixtureFit {
    pub weights: Vec<f64>,
    /// k x d, row-major.
    pub means: Vec<f64>,
    /// k x d x d.
    pub covariances: Vec<f64>,
    pub labels: Vec<usize>,
    pub log_likelihood: f64,
    pub bic: f64,
    pub aic: f64,
}

fn view(x: &Matrix) -> Result<ArrayView2<'_, f64>> {
    ArrayView2::from_shape((x.n, x.d), &x.data).map_err(|e| Error::parameter("X", e.to_string()))
}

/// Fits a k-component Gaussian mixture by EM (linfa, k-means start, `n_init` runs).
pub fn gmm(x: &Matrix, k: usize, n_init: usize, seed: u64) -> Result<MixtureFit> {
    if x.n == 0 {
        return Err(Error::input("X", "no rows to cluster"));
    }
    if k < 1 || k > x.n {
        return Err(Error::parameter("k", format!("k = {k} must be between 1 and the {} rows", x.n)));
    }
    let d = x.d;
    let records: Array2<f64> = view(x)?.to_owned();
    let data = DatasetBase::from(records);
    let fit = GaussianMixtureModel::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
        .n_runs(n_init.max(1) as u64)
        .max_n_iterations(300)
        .tolerance(1e-3)
        .fit(&data)
        .map_err(|e| match e {
            GmmError::NotConverged(_) | GmmError::LowerBoundError(_) => Error::convergence(
                "the Gaussian mixture",
                "raise n_init, use fewer components, or standardize the features",
            ),
            other => Error::input("features", format!("the Gaussian mixture failed: {other}")),
        })?;
    let weights = fit.weights().to_vec();
    let means: Vec<f64> = fit.means().iter().copied().collect();
    let covariances: Vec<f64> = fit.covariances().iter().copied().collect();
    // Log densities per component from Cholesky factors.
    let mut comps = Vec::with_capacity(k);
    for j in 0..k {
        let chol = cholesky(&covariances[j * d * d..(j + 1) * d * d], d).ok_or_else(|| {
            Error::convergence(
                "the Gaussian mixture",
                "a component's covariance is singular; use fewer components",
            )
        })?;
        let log_det: f64 = (0..d).map(|i| chol[i * d + i].ln()).sum::<f64>() * 2.0;
        comps.push((chol, log_det));
    }
    let c = -0.5 * d as f64 * (2.0 * std::f64::consts::PI).ln();
    let per_point: Vec<(usize, f64)> = (0..x.n)
        .into_par_iter()
        .map(|i| {
            let xi = x.row(i);
            let mut best = (0usize, f64::NEG_INFINITY);
            let mut total = f64::NEG_INFINITY;
            let mut z = vec![0.0; d];
            for (j, (chol, log_det)) in comps.iter().enumerate() {
                // Solve L z = x - mu.
                for r in 0..d {
                    let mut s = xi[r] - means[j * d + r];
                    for q in 0..r {
                        s -= chol[r * d + q] * z[q];
                    }
                    z[r] = s / chol[r * d + r];
                }
                let maha: f64 = z.iter().map(|v| v * v).sum();
                let lp = weights[j].ln() + c - 0.5 * log_det - 0.5 * maha;
                if lp > best.1 {
                    best = (j, lp);
                }
                total = log_add_exp(total, lp);
            }
            (best.0, total)
        })
        .collect();
    let labels = per_point.iter().map(|p| p.0).collect();
    let log_likelihood = super::kmeans::det_sum(&per_point.iter().map(|p| p.1).collect::<Vec<_>>());
    let params = (k * d + k * d * (d + 1) / 2 + k - 1) as f64;
    Ok(MixtureFit {
        weights,
        means,
        covariances,
        labels,
        log_likelihood,
        bic: -2.0 * log_likelihood + params * (x.n as f64).ln(),
        aic: -2.0 * log_likelihood + 2.0 * params,
    })
}

/// Lower Cholesky factor of a d x d symmetric positive-definite matrix.
fn cholesky(a: &[f64], d: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let mut s = a[i * d + j];
            for q in 0..j {
                s -= l[i * d + q] * l[j * d + q];
            }
            if i == j {
                if s <= 0.0 {
                    return None;
                }
                l[i * d + i] = s.sqrt();
            } else {
                l[i * d + j] = s / l[j * d + j];
            }
        }
    }
    Some(l)
}

/// The eps suggested by the knee of the sorted distances to each point's `min_samples`-th
/// nearest neighbour (itself counted, as scikit-learn counts it): the point of the ascending
/// curve farthest below the chord joining its ends (Rahmah & Sitanggang 2016 use the same
/// curve; the farthest-from-chord rule is Satopaa et al.'s 2011 knee). At most `sample`
/// points are queried, chosen evenly by index.
pub fn eps_knee(x: &Matrix, min_samples: usize, sample: usize) -> Result<f64> {
    if min_samples < 1 || min_samples > x.n {
        return Err(Error::parameter("min_samples", format!("must be between 1 and the {} rows", x.n)));
    }
    let records = view(x)?;
    let nn = CommonNearestNeighbour::KdTree
        .from_batch(&records, L2Dist)
        .map_err(|e| Error::input("features", format!("cannot index the points: {e}")))?;
    let step = (x.n / sample.max(1)).max(1);
    let mut kd = Vec::new();
    for i in (0..x.n).step_by(step) {
        let hits =
            nn.k_nearest(records.row(i), min_samples).map_err(|e| Error::input("features", e.to_string()))?;
        let far = hits
            .iter()
            .map(|(p, _)| p.iter().zip(x.row(i)).map(|(a, b)| (a - b) * (a - b)).sum::<f64>())
            .fold(0.0, f64::max);
        kd.push(far.sqrt());
    }
    kd.sort_by(f64::total_cmp);
    let m = kd.len();
    if m < 3 {
        return Ok(kd.last().copied().unwrap_or(0.0));
    }
    let (y0, y1) = (kd[0], kd[m - 1]);
    let mut best = (0usize, f64::NEG_INFINITY);
    for (i, &y) in kd.iter().enumerate() {
        let chord = y0 + (y1 - y0) * i as f64 / (m - 1) as f64;
        if chord - y > best.1 {
            best = (i, chord - y);
        }
    }
    Ok(kd[best.0])
}

/// The most neighbour pairs (point, point within eps) a DBSCAN may visit: 50 million, a few
/// seconds; beyond, eps is too large for the data (most points reach most others).
pub const MAX_NEIGHBOUR_PAIRS: f64 = 5e7;

/// Estimates the neighbour pairs of a DBSCAN at `eps` from 256 evenly spaced points (each
/// against all n, O(256 n d)) and refuses an eps whose neighbourhoods would take quadratic
/// work, before any is built.
fn check_neighbourhoods(x: &Matrix, eps: f64) -> Result<()> {
    let n = x.n;
    let probes = n.min(256);
    if probes == 0 {
        return Ok(());
    }
    let eps2 = eps * eps;
    let found: usize = (0..probes)
        .into_par_iter()
        .map(|k| {
            let i = k * n / probes;
            let xi = x.row(i);
            (0..n)
                .filter(|&j| {
                    let xj = x.row(j);
                    xi.iter().zip(xj).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() <= eps2
                })
                .count()
        })
        .sum();
    let pairs = found as f64 / probes as f64 * n as f64;
    if pairs > MAX_NEIGHBOUR_PAIRS {
        return Err(Error::parameter(
            "eps",
            format!(
                "at eps = {eps} a point has about {:.0} neighbours (of {n}; estimated from {probes} points), \
                 so DBSCAN would visit about {pairs:.1e} pairs (the limit is {MAX_NEIGHBOUR_PAIRS:.0e}): choose \
                 a smaller eps, or leave eps unset for the knee of the k-distance curve",
                found as f64 / probes as f64
            ),
        ));
    }
    Ok(())
}

/// DBSCAN labels (None is noise) for radius `eps` and `min_samples` (the point included).
/// An eps at which the neighbourhoods would hold more than [`MAX_NEIGHBOUR_PAIRS`] pairs is
/// refused before any work.
pub fn dbscan(x: &Matrix, eps: f64, min_samples: usize) -> Result<Vec<Option<usize>>> {
    if x.n == 0 {
        return Err(Error::input("X", "no rows to cluster"));
    }
    if !(eps > 0.0 && eps.is_finite()) {
        return Err(Error::parameter("eps", format!("must be a positive number, got {eps}")));
    }
    if min_samples < 1 {
        return Err(Error::parameter("min_samples", "must be at least 1"));
    }
    check_neighbourhoods(x, eps)?;
    let records = view(x)?;
    let params = Dbscan::params(min_samples)
        .tolerance(eps)
        .check()
        .map_err(|e| Error::parameter("eps", e.to_string()))?;
    Ok(params.transform(&records).to_vec())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    fn two_blobs() -> Matrix {
        let mut data = Vec::new();
        for i in 0..200 {
            let (cx, jitter) = if i % 2 == 0 { (0.0, 0.01) } else { (5.0, 0.01) };
            data.push(cx + jitter * ((i * 7 % 13) as f64 - 6.0));
            data.push(jitter * ((i * 5 % 11) as f64 - 5.0));
        }
        Matrix::new(data, 200, 2).unwrap()
    }

    #[test]
    fn dbscan_and_the_eps_knee_find_two_blobs() {
        let x = two_blobs();
        let eps = eps_knee(&x, 4, 1000).unwrap();
        assert!(eps > 0.0 && eps < 1.0, "eps {eps}");
        let l = dbscan(&x, 1.0, 4).unwrap();
        assert!(l.iter().all(|v| v.is_some()));
        assert_ne!(l[0], l[1]);
        assert_eq!(l[0], l[2]);
    }

    #[test]
    fn gmm_separates_two_blobs_and_reports_bic() {
        let x = two_blobs();
        let m = gmm(&x, 2, 1, 0).unwrap();
        assert_ne!(m.labels[0], m.labels[1]);
        assert!(m.bic.is_finite());
        assert!(gmm(&x, 500, 1, 0).is_err());
    }
}
