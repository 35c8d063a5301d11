//! Bootstrap stability of a data-driven grouping: refit on resampled customers, label every
//! customer with the refitted model, and measure agreement with the original labels by the
//! adjusted Rand index (Lange et al. 2004 use the same resample-and-compare idea). Each
//! replicate draws from its own seeded stream.

use rand::Rng;

use super::kmeans::{kmeans, predict, KMeansParams};
use super::matrix::Matrix;
use super::metrics::Contingency;
use crate::error::Result;
use crate::stats::{rng, tick, Progress};

/// ARI between `reference` and the labels of a k-means refitted on each of `b` bootstrap
/// samples.
pub fn kmeans_stability(
    x: &Matrix,
    reference: &[usize],
    p: &KMeansParams,
    b: usize,
    seed: u64,
    progress: Option<&Progress>,
) -> Result<Vec<f64>> {
    crate::stats::check_replicates("n_boot", b, 1, 8)?;
    let ka = reference.iter().max().map_or(0, |m| m + 1);
    let mut out = Vec::with_capacity(b);
    for rep in 0..b {
        let mut r = rng::stream(seed, 1_000_000 + rep as u64);
        let idx: Vec<usize> = (0..x.n).map(|_| r.random_range(0..x.n)).collect();
        let sub = x.take(&idx);
        let mut q = *p;
        q.seed = seed.wrapping_add(rep as u64 + 1);
        let fit = kmeans(&sub, &q, None)?;
        let labels = predict(x, &fit.centers);
        out.push(Contingency::new(reference, &labels, ka, p.k)?.adjusted_rand());
        tick(progress)?;
    }
    Ok(out)
}
