//! Weighted histograms keyed by price: the mergeable sufficient statistic of every curve here.
//!
//! A histogram maps each distinct price to `K` weight sums (for example the four Van Westendorp
//! questions). Histograms of data partitions add up to the histogram of the whole, so a curve
//! can be computed on one machine from partial histograms made anywhere.
//!
//! Survey prices are nearly always whole cents in a modest range, so a histogram may carry a
//! dense [`Grid`] of cents: a price on the grid is counted by direct indexing, any other price
//! in a hash map. Both paths give the same result; the grid only makes the common case fast.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

/// Hashes a price's bit pattern with the murmur3 finaliser. Round prices (12.0, 49.5) have
/// all-zero low bits, which a multiplicative hash leaves in one bucket; this mixes every bit.
#[derive(Default)]
struct PriceHasher(u64);

impl Hasher for PriceHasher {
    fn finish(&self) -> u64 {
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

type PriceMap<V> = HashMap<u64, V, BuildHasherDefault<PriceHasher>>;

/// Longest dense grid (cells), so a histogram's grid stays a few megabytes.
const MAX_GRID: usize = 1 << 16;

/// A dense grid of prices k / scale for integers k in `base..base + len`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    base: i64,
    len: usize,
    scale: f64,
}

impl Grid {
    /// A grid of cents (or, for a wide range, of whole units) covering `min..=max`; `None`
    /// when even whole units would need more than `MAX_GRID` cells.
    pub fn covering(min: f64, max: f64) -> Option<Grid> {
        if !(min.is_finite() && max.is_finite()) || min > max {
            return None;
        }
        for scale in [100.0, 1.0] {
            let lo = (min * scale).floor();
            let hi = (max * scale).ceil();
            if hi - lo < MAX_GRID as f64 {
                return Some(Grid { base: lo as i64, len: (hi - lo) as usize + 1, scale });
            }
        }
        None
    }

    /// The grid cell of `price`, if `price` is exactly a grid point.
    #[inline]
    fn index(&self, price: f64) -> Option<usize> {
        let x = (price * self.scale).round();
        if x / self.scale != price {
            return None;
        }
        let i = x as i64 - self.base;
        if i >= 0 && (i as usize) < self.len {
            Some(i as usize)
        } else {
            None
        }
    }

    fn price(&self, i: usize) -> f64 {
        (self.base + i as i64) as f64 / self.scale
    }
}

/// The dense part of a histogram: sums per grid cell and whether a cell was seen at all.
#[derive(Debug, Clone)]
struct Dense<const K: usize> {
    grid: Grid,
    sums: Vec<[f64; K]>,
    seen: Vec<bool>,
}

/// Weight sums per distinct price, `K` quantities per price.
#[derive(Debug, Clone, Default)]
pub struct PriceHistogram<const K: usize> {
    map: PriceMap<[f64; K]>,
    dense: Option<Dense<K>>,
}

fn key(price: f64) -> u64 {
    // +0.0 and -0.0 are one price
    (price + 0.0).to_bits()
}

impl<const K: usize> PriceHistogram<K> {
    /// An empty histogram.
    pub fn new() -> Self {
        PriceHistogram { map: PriceMap::default(), dense: None }
    }

    /// An empty histogram counting grid prices densely.
    pub fn with_grid(grid: Option<Grid>) -> Self {
        let dense = grid.map(|g| Dense { grid: g, sums: vec![[0.0; K]; g.len], seen: vec![false; g.len] });
        PriceHistogram { map: PriceMap::default(), dense }
    }

    /// Adds `weight` to quantity `k` at `price`.
    #[inline]
    pub fn add(&mut self, price: f64, k: usize, weight: f64) {
        if let Some(d) = self.dense.as_mut() {
            if let Some(i) = d.grid.index(price) {
                if let (Some(cell), Some(seen)) = (d.sums.get_mut(i), d.seen.get_mut(i)) {
                    if let Some(v) = cell.get_mut(k) {
                        *v += weight;
                    }
                    *seen = true;
                    return;
                }
            }
        }
        let slot = self.map.entry(key(price)).or_insert([0.0; K]);
        if let Some(v) = slot.get_mut(k) {
            *v += weight;
        }
    }

    fn spill(&mut self, d: Dense<K>) {
        for (i, (cell, seen)) in d.sums.iter().zip(&d.seen).enumerate() {
            if *seen {
                let slot = self.map.entry(key(d.grid.price(i))).or_insert([0.0; K]);
                for (a, b) in slot.iter_mut().zip(cell) {
                    *a += b;
                }
            }
        }
    }

    /// Adds another histogram into this one.
    pub fn merge(mut self, mut other: Self) -> Self {
        match (self.dense.as_mut(), other.dense.take()) {
            (Some(a), Some(b)) if a.grid == b.grid => {
                for ((x, y), (sx, sy)) in a.sums.iter_mut().zip(&b.sums).zip(a.seen.iter_mut().zip(&b.seen)) {
                    for (u, v) in x.iter_mut().zip(y) {
                        *u += v;
                    }
                    *sx |= *sy;
                }
            }
            (_, Some(b)) => self.spill(b),
            (_, None) => {}
        }
        for (k, v) in other.map {
            let slot = self.map.entry(k).or_insert([0.0; K]);
            for (a, b) in slot.iter_mut().zip(v) {
                *a += b;
            }
        }
        self
    }

    /// Number of distinct prices.
    pub fn len(&self) -> usize {
        self.map.len() + self.dense.as_ref().map_or(0, |d| d.seen.iter().filter(|s| **s).count())
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Prices ascending with their sums.
    pub fn into_sorted(mut self) -> (Vec<f64>, Vec<[f64; K]>) {
        if let Some(d) = self.dense.take() {
            self.spill(d);
        }
        let mut rows: Vec<(f64, [f64; K])> =
            self.map.into_iter().map(|(k, v)| (f64::from_bits(k), v)).collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        rows.into_iter().unzip()
    }
}

/// Rows per histogram chunk: fixed, so sums are added in the same order on any thread count.
pub const CHUNK: usize = 1 << 18;

/// The smallest and largest of the given price columns (NaN-free), for [`Grid::covering`].
pub fn price_range(columns: &[&[f64]]) -> (f64, f64) {
    columns
        .par_iter()
        .flat_map(|c| c.par_chunks(CHUNK))
        .map(|c| c.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v))))
        .reduce(|| (f64::INFINITY, f64::NEG_INFINITY), |a, b| (a.0.min(b.0), a.1.max(b.1)))
}

/// Builds a histogram over rows `0..n` in parallel chunks; `fill(i, &mut h)` adds row `i`.
pub fn build<const K: usize, F>(n: usize, grid: Option<Grid>, fill: F) -> PriceHistogram<K>
where
    F: Fn(usize, &mut PriceHistogram<K>) + Sync,
{
    (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut h = PriceHistogram::with_grid(grid);
            for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
                fill(i, &mut h);
            }
            h
        })
        .reduce(|| PriceHistogram::with_grid(grid), PriceHistogram::merge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_merge_to_the_whole() {
        let prices = [3.0, 1.0, 3.0, 2.0, 1.0];
        let whole = build::<1, _>(prices.len(), None, |i, h| h.add(prices[i], 0, 1.0));
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

    #[test]
    fn the_grid_and_the_hash_agree_on_and_off_the_grid() {
        let prices = [12.34, 0.1 + 0.2, 99.99, 12.34, 7.0, 1e-3, 500.0, 0.0];
        let grid = Grid::covering(0.0, 500.0);
        assert!(grid.is_some());
        let dense = build::<2, _>(prices.len(), grid, |i, h| h.add(prices[i], i % 2, 1.5)).into_sorted();
        let hashed = build::<2, _>(prices.len(), None, |i, h| h.add(prices[i], i % 2, 1.5)).into_sorted();
        assert_eq!(dense, hashed);
        assert_eq!(dense.0.len(), 7);
    }

    #[test]
    fn a_zero_weight_price_is_still_observed() {
        let grid = Grid::covering(1.0, 3.0);
        let h = build::<1, _>(2, grid, |i, h| h.add(1.0 + i as f64, 0, 0.0)).into_sorted();
        assert_eq!(h.0, vec![1.0, 2.0]);
    }

    #[test]
    fn wide_ranges_fall_back_to_whole_units_or_none() {
        assert_eq!(Grid::covering(0.0, 1e4).map(|g| g.scale), Some(1.0));
        assert!(Grid::covering(0.0, 1e9).is_none());
    }
}
