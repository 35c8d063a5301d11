//! Seeded synthetic data with known ground truth.
//!
//! Rows are generated in fixed blocks of [`BLOCK`] rows, each block from its own random stream
//! ([`crate::stats::rng::stream`]), so the same seed gives the same data on any number of threads.
//! Every generator returns its table and the true parameters as JSON (`df.attrs["truth"]`).

mod conjoint;
mod customers;
mod pricing;
mod transactions;

pub use conjoint::conjoint_survey;
pub use customers::customers;
pub use pricing::pricing_survey;
pub use transactions::transactions;

use arrow_array::RecordBatch;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};

/// Rows per random stream.
pub const BLOCK: usize = 8192;

/// A generated table and its truth.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The data.
    pub batch: RecordBatch,
    /// The parameters the data were drawn from, as a JSON object.
    pub truth: serde_json::Value,
}

pub(crate) fn check_n(name: &str, n: usize) -> Result<()> {
    if n == 0 {
        return Err(Error::parameter(name, "must be at least 1"));
    }
    if n > 100_000_000 {
        return Err(Error::parameter(name, format!("{n} is more than the 100,000,000 supported")));
    }
    Ok(())
}

/// Block ranges (start, end) covering `0..n`.
pub(crate) fn blocks(n: usize) -> Vec<(usize, usize)> {
    (0..n.div_ceil(BLOCK)).map(|b| (b * BLOCK, ((b + 1) * BLOCK).min(n))).collect()
}

/// Index drawn from discrete probabilities (which need not sum exactly to 1).
pub(crate) fn draw_index(rng: &mut ChaCha8Rng, probs: &[f64]) -> usize {
    let total: f64 = probs.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (i, p) in probs.iter().enumerate() {
        if u < *p {
            return i;
        }
        u -= p;
    }
    probs.len().saturating_sub(1)
}

/// A standard normal draw (ziggurat).
#[inline]
pub(crate) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    rng.sample(rand_distr::StandardNormal)
}

/// `items[i]`, clamped to the last item (constant, non-empty tables only).
pub(crate) fn pick<T: Copy, const N: usize>(items: &[T; N], i: usize) -> T {
    items[i.min(N.saturating_sub(1))]
}

pub(crate) fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_the_rows_exactly() {
        let b = blocks(BLOCK * 2 + 5);
        assert_eq!(b.len(), 3);
        assert_eq!(b[2], (BLOCK * 2, BLOCK * 2 + 5));
    }
}
