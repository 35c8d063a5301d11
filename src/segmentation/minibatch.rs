//! Mini-batch k-means (Sculley 2010) for data too large for many full Lloyd passes.
//!
//! Each step draws `batch_size` points with replacement, assigns them to their nearest centre
//! and moves every centre towards the mean of its batch points with a per-centre learning rate
//! of 1 / (points it has seen so far):
//!
//! ```text
//! n_j <- n_j + m_j;   c_j <- c_j + (s_j - m_j c_j) / n_j
//! ```
//!
//! with m_j the batch points assigned to centre j and s_j their sum. Seeding is greedy k-means++
//! on a random subsample of `max(3 batch_size, 3 k)` points, the best of `n_init` seeded starts by
//! inertia on that subsample. A centre that has seen fewer than `reassignment_ratio` times the
//! points of the busiest one is moved to a batch point drawn with probability proportional to
//! its squared distance from its centre (every `10 + min n_j` steps), so a dead start recovers.
//! The run stops after `max_iter` passes' worth of batches, or when the exponentially weighted
//! batch inertia (weight 2 b / (n + 1)) has not improved for `max_no_improvement` steps. The
//! labels and inertia reported are those of the final centres over every point (one parallel
//! pass). The batch work runs on one thread and every random draw comes from seeded streams, so a
//! seed gives the same result on any number of threads.

use rand::Rng;

use super::kmeans::{check_k, det_sum, kmeanspp, predict, KMeansFit};
use super::matrix::{sq_dist, Matrix};
use crate::error::{Error, Result};
use crate::stats::{rng, tick, Progress};

/// Settings of a mini-batch k-means fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MiniBatchParams {
    pub k: usize,
    pub batch_size: usize,
    /// Passes over the data at most (steps = max_iter n / batch_size).
    pub max_iter: usize,
    pub n_init: usize,
    pub max_no_improvement: usize,
    pub reassignment_ratio: f64,
    pub seed: u64,
}

impl MiniBatchParams {
    pub fn new(k: usize, seed: u64) -> Self {
        MiniBatchParams {
            k,
            batch_size: 1024,
            max_iter: 100,
            n_init: 3,
            max_no_improvement: 10,
            reassignment_ratio: 0.01,
            seed,
        }
    }

    fn check(&self, n: usize) -> Result<()> {
        check_k(self.k, n)?;
        if self.batch_size < 1 {
            return Err(Error::parameter("batch_size", "must be at least 1"));
        }
        if self.n_init < 1 || self.max_iter < 1 {
            return Err(Error::parameter("n_init", "n_init and max_iter must be at least 1"));
        }
        if !(0.0..1.0).contains(&self.reassignment_ratio) {
            return Err(Error::parameter("reassignment_ratio", "must be in [0, 1)"));
        }
        Ok(())
    }
}

/// Nearest centre of `xi` and the squared distance to it.
#[inline]
fn nearest(xi: &[f64], centers: &[f64], d: usize) -> (usize, f64) {
    let (mut a, mut best) = (0usize, f64::INFINITY);
    for (j, c) in centers.chunks_exact(d).enumerate() {
        let v = sq_dist(xi, c);
        if v < best {
            best = v;
            a = j;
        }
    }
    (a, best)
}

/// Seeds with k-means++ on a subsample, the best of `n_init` starts by inertia on it.
fn seed_centers(x: &Matrix, p: &MiniBatchParams) -> Result<Vec<f64>> {
    let size = (3 * p.batch_size).max(3 * p.k).min(x.n);
    let mut best: Option<(f64, Vec<f64>)> = None;
    for run in 0..p.n_init {
        let mut r = rng::stream(p.seed, run as u64);
        let idx = rand::seq::index::sample(&mut r, x.n, size).into_vec();
        let sub = x.take(&idx);
        let c = kmeanspp(&sub, p.k, &mut r);
        let inertia: f64 = (0..sub.n).map(|i| nearest(sub.row(i), &c, x.d).1).sum();
        if best.as_ref().is_none_or(|b| inertia < b.0) {
            best = Some((inertia, c));
        }
    }
    best.map(|b| b.1).ok_or_else(|| Error::convergence("mini-batch k-means", "no start; raise n_init"))
}

/// Fits mini-batch k-means; `progress` ticks once per pass's worth of batches.
pub fn minibatch_kmeans(x: &Matrix, p: &MiniBatchParams, progress: Option<&Progress>) -> Result<KMeansFit> {
    if x.n == 0 {
        return Err(Error::input("X", "no rows to cluster"));
    }
    p.check(x.n)?;
    let (n, d, k) = (x.n, x.d, p.k);
    let b = p.batch_size.min(n);
    let mut centers = seed_centers(x, p)?;
    let per_pass = n.div_ceil(b);
    let steps = p.max_iter.saturating_mul(per_pass);
    let alpha = (2.0 * b as f64 / (n as f64 + 1.0)).min(1.0);
    let mut r = rng::stream(p.seed, p.n_init as u64);
    let mut seen = vec![0.0f64; k];
    let (mut sums, mut m) = (vec![0.0f64; k * d], vec![0usize; k]);
    let (mut batch, mut lab, mut dist) = (vec![0usize; b], vec![0usize; b], vec![0.0f64; b]);
    let (mut ewa, mut best_ewa, mut stale) = (f64::NAN, f64::INFINITY, 0usize);
    let mut done = 0;
    for step in 0..steps {
        done = step + 1;
        for v in batch.iter_mut() {
            *v = r.random_range(0..n);
        }
        sums.iter_mut().for_each(|v| *v = 0.0);
        m.iter_mut().for_each(|v| *v = 0);
        let mut inertia = 0.0;
        for t in 0..b {
            let xi = x.row(batch[t]);
            let (a, dd) = nearest(xi, &centers, d);
            lab[t] = a;
            dist[t] = dd;
            inertia += dd;
            m[a] += 1;
            for (s, v) in sums[a * d..(a + 1) * d].iter_mut().zip(xi) {
                *s += v;
            }
        }
        for j in 0..k {
            if m[j] == 0 {
                continue;
            }
            seen[j] += m[j] as f64;
            let eta = 1.0 / seen[j];
            let mj = m[j] as f64;
            for (c, s) in centers[j * d..(j + 1) * d].iter_mut().zip(&sums[j * d..(j + 1) * d]) {
                *c += eta * (s - mj * *c);
            }
        }
        let fewest = seen.iter().copied().fold(f64::INFINITY, f64::min);
        if p.reassignment_ratio > 0.0 && (step + 1) % (10 + fewest as usize) == 0 {
            reassign(x, p.reassignment_ratio, &batch, &dist, &mut centers, &mut seen, &mut r);
        }
        // Early stopping on the exponentially weighted mean batch inertia.
        let mean = inertia / b as f64;
        ewa = if ewa.is_nan() { mean } else { ewa * (1.0 - alpha) + mean * alpha };
        if ewa < best_ewa {
            best_ewa = ewa;
            stale = 0;
        } else {
            stale += 1;
            if stale >= p.max_no_improvement {
                break;
            }
        }
        if (step + 1) % per_pass == 0 {
            tick(progress)?;
        }
    }
    let labels = predict(x, &centers);
    let sq: Vec<f64> =
        (0..n).map(|i| sq_dist(x.row(i), &centers[labels[i] * d..(labels[i] + 1) * d])).collect();
    Ok(KMeansFit { inertia: det_sum(&sq), centers, labels, n_iter: done })
}

/// Moves centres that have seen fewer than `ratio` times the points of the busiest centre onto
/// batch points drawn with probability proportional to their squared distance.
fn reassign(
    x: &Matrix,
    ratio: f64,
    batch: &[usize],
    dist: &[f64],
    centers: &mut [f64],
    seen: &mut [f64],
    r: &mut impl Rng,
) {
    let most = seen.iter().copied().fold(0.0, f64::max);
    let low: Vec<usize> = (0..seen.len()).filter(|&j| seen[j] < ratio * most).collect();
    let total: f64 = dist.iter().sum();
    if low.is_empty() || low.len() == seen.len() || total <= 0.0 {
        return;
    }
    let keep = (0..seen.len()).filter(|j| !low.contains(j)).map(|j| seen[j]).fold(f64::INFINITY, f64::min);
    let d = x.d;
    for &j in &low {
        let target = r.random::<f64>() * total;
        let (mut acc, mut pick) = (0.0, batch.len() - 1);
        for (t, &v) in dist.iter().enumerate() {
            acc += v;
            if acc >= target {
                pick = t;
                break;
            }
        }
        centers[j * d..(j + 1) * d].copy_from_slice(x.row(batch[pick]));
        seen[j] = keep;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;
    use crate::segmentation::kmeans::{kmeans, KMeansParams};
    use rand_distr::{Distribution, Normal};

    fn blobs(n: usize, k: usize, seed: u64) -> (Matrix, Vec<usize>) {
        let mut r = rng::stream(seed, 0);
        let noise = Normal::new(0.0, 1.0).unwrap();
        let mut data = Vec::new();
        let mut truth = Vec::new();
        for i in 0..n {
            let c = i % k;
            truth.push(c);
            for dim in 0..3 {
                let centre = if dim == c % 3 { 12.0 * (1 + c / 3) as f64 } else { 0.0 };
                data.push(centre + noise.sample(&mut r));
            }
        }
        (Matrix::new(data, n, 3).unwrap(), truth)
    }

    #[test]
    fn finds_the_blobs_close_to_full_kmeans_and_is_deterministic() {
        let (x, truth) = blobs(20_000, 6, 2);
        let mut p = MiniBatchParams::new(6, 11);
        p.batch_size = 256;
        let a = minibatch_kmeans(&x, &p, None).unwrap();
        assert_eq!(a, minibatch_kmeans(&x, &p, None).unwrap());
        let full = kmeans(&x, &KMeansParams::new(6, 11), None).unwrap();
        assert!(a.inertia <= full.inertia * 1.02, "{} vs {}", a.inertia, full.inertia);
        let c = super::super::metrics::Contingency::new(&truth, &a.labels, 6, 6).unwrap();
        assert!(c.adjusted_rand() > 0.99);
        assert!(a.n_iter < 100 * 20_000 / 256, "early stopping never fired");
    }

    #[test]
    fn bad_settings_name_the_argument() {
        let (x, _) = blobs(10, 2, 0);
        let mut p = MiniBatchParams::new(11, 0);
        assert!(minibatch_kmeans(&x, &p, None).unwrap_err().to_string().contains("'k'"));
        p.k = 2;
        p.batch_size = 0;
        assert!(minibatch_kmeans(&x, &p, None).unwrap_err().to_string().contains("batch_size"));
    }
}
