//! Weighted histograms keyed by price: the mergeable sufficient statistic of every curve here.
//!
//! A histogram maps each distinct price to `K` weight sums (for example the four Van Westendorp
//! questions). Histograms of data partitions add up to the histogram of the whole, so a curve
//! can be computed on one machine from partial histograms made anywhere.
//!
//! (A dense grid of cents was tried in place of the hash map and measured slower: survey prices
//! are few and round, so the map stays in L1 cache while a grid of cents spreads them over
//! megabytes.)

use crate::stats::hash::BitsMap;

use rayon::prelude::*;

type PriceMap<V> = BitsMap<u64, V>;

/// Weight sums per distinct price, `K` quantities per price.
#[derive(Debug, Clone, Default)]
pub struct PriceHistogram<const K: usize> {
    map: PriceMap<[f64; K]>,
}

fn key(price: f64) -> u64 {
    // +0.0 and -0.0 are one price
    (price + 0.0).to_bits()
}

impl<const K: usize> PriceHistogram<K> {
    /// An empty histogram.
    pub fn new() -> Self {
        PriceHistogram { map: PriceMap::default() }
    }

    /// Adds `weight` to quantity `k` at `price`.
    #[inline]
    pub fn add(&mut self, price: f64, k: usize, weight: f64) {
        let slot = self.map.entry(key(price)).or_insert([0.0; K]);
        if let Some(v) = slot.get_mut(k) {
            *v += weight;
        }
    }

    /// Adds another histogram into this one.
    pub fn merge(mut self, other: Self) -> Self {
        let (mut big, small) = if self.map.len() >= other.map.len() { (self, other) } else { (other, self) };
        for (k, v) in small.map {
            let slot = big.map.entry(k).or_insert([0.0; K]);
            for (a, b) in slot.iter_mut().zip(v) {
                *a += b;
            }
        }
        self = big;
        self
    }

    /// Number of distinct prices.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Prices ascending with their sums.
    pub fn into_sorted(self) -> (Vec<f64>, Vec<[f64; K]>) {
        let mut rows: Vec<(f64, [f64; K])> =
            self.map.into_iter().map(|(k, v)| (f64::from_bits(k), v)).collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        rows.into_iter().unzip()
    }
}

/// Rows per histogram chunk: fixed, so sums are added in the same order on any thread count.
pub const CHUNK: usize = 1 << 16;

/// Builds a histogram over rows `0..n` in parallel chunks; `fill(i, &mut h)` adds row `i`.
pub fn build<const K: usize, F>(n: usize, fill: F) -> PriceHistogram<K>
where
    F: Fn(usize, &mut PriceHistogram<K>) + Sync,
{
    (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut h = PriceHistogram::new();
            for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
                fill(i, &mut h);
            }
            h
        })
        .reduce(PriceHistogram::new, PriceHistogram::merge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_merge_to_the_whole() {
        let prices = [3.0, 1.0, 3.0, 2.0, 1.0];
        let whole = build::<1, _>(prices.len(), |i, h| h.add(prices[i], 0, 1.0));
        let mut a = PriceHistogram::<1>::new();
        let mut b = PriceHistogram::<1>::new();
        for (i, p) in prices.iter().enumerate() {
            if i < 2 {
                a.add(*p, 0, 1.0)
            } else {
                b.add(*p, 0, 1.0)
            }
        }
        let merged = a.merge(b).into_sorted();
        assert_eq!(merged, whole.into_sorted());
        assert_eq!(merged.0, vec![1.0, 2.0, 3.0]);
        assert_eq!(merged.1, vec![[2.0], [1.0], [2.0]]);
    }
}
