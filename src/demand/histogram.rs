//! Weighted histograms keyed by price: the mergeable sufficient statistic of every curve here.
//!
//! A histogram maps each distinct price to `K` weight sums (for example the four Van Westendorp
//! questions). Histograms of data partitions add up to the histogram of the whole, so a curve
//! can be computed on one machine from partial histograms made anywhere.
//!
//! (A dense grid of cents was tried in place of the hash table and measured slower: survey
//! prices are few and round, so the table stays in L1 cache while a grid of cents spreads them
//! over megabytes. A general-purpose hash map was measured 2x slower than the table below,
//! which does one multiply, one shift and usually one compare per answer.)

use rayon::prelude::*;

/// Weight sums per distinct price, `K` quantities per price: an open-addressing table keyed by
/// the price's bit pattern, with Fibonacci hashing (the top bits of key x 2^64/phi) and linear
/// probing, grown to keep it at most half full. Prices are kept in insertion order in `keys`
/// and `sums`; `slots` holds 1 + their index, 0 for an empty slot.
#[derive(Debug, Clone)]
pub struct PriceHistogram<const K: usize> {
    slots: Vec<u32>,
    shift: u32,
    keys: Vec<u64>,
    sums: Vec<[f64; K]>,
}

impl<const K: usize> Default for PriceHistogram<K> {
    fn default() -> Self {
        Self::new()
    }
}

fn key(price: f64) -> u64 {
    // +0.0 and -0.0 are one price
    (price + 0.0).to_bits()
}

const START_BITS: u32 = 8;

impl<const K: usize> PriceHistogram<K> {
    /// An empty histogram.
    pub fn new() -> Self {
        PriceHistogram {
            slots: vec![0; 1 << START_BITS],
            shift: 64 - START_BITS,
            keys: Vec::new(),
            sums: Vec::new(),
        }
    }

    #[inline(always)]
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// The index of `key` in `keys`/`sums`, inserting it (with zero sums) when new.
    #[inline(always)]
    fn index(&mut self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut h = self.home(key);
        loop {
            let s = self.slots[h];
            if s == 0 {
                break;
            }
            let i = s as usize - 1;
            if self.keys[i] == key {
                return i;
            }
            h = (h + 1) & mask;
        }
        let i = self.keys.len();
        self.keys.push(key);
        self.sums.push([0.0; K]);
        self.slots[h] = (i + 1) as u32;
        if 2 * self.keys.len() > self.slots.len() {
            self.grow();
        }
        i
    }

    fn grow(&mut self) {
        let bits = 64 - self.shift + 1;
        self.slots = vec![0; 1 << bits];
        self.shift = 64 - bits;
        let mask = self.slots.len() - 1;
        for (i, &k) in self.keys.iter().enumerate() {
            let mut h = self.home(k);
            while self.slots[h] != 0 {
                h = (h + 1) & mask;
            }
            self.slots[h] = (i + 1) as u32;
        }
    }

    /// Adds `weight` to quantity `k` at `price`.
    #[inline(always)]
    pub fn add(&mut self, price: f64, k: usize, weight: f64) {
        let i = self.index(key(price));
        if let Some(v) = self.sums[i].get_mut(k) {
            *v += weight;
        }
    }

    /// Adds another histogram into this one.
    pub fn merge(self, other: Self) -> Self {
        let (mut big, small) = if self.len() >= other.len() { (self, other) } else { (other, self) };
        for (k, v) in small.keys.into_iter().zip(small.sums) {
            let i = big.index(k);
            for (a, b) in big.sums[i].iter_mut().zip(v) {
                *a += b;
            }
        }
        big
    }

    /// Number of distinct prices.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Prices ascending with their sums.
    pub fn into_sorted(self) -> (Vec<f64>, Vec<[f64; K]>) {
        let mut rows: Vec<(f64, [f64; K])> =
            self.keys.into_iter().map(f64::from_bits).zip(self.sums).collect();
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

    #[test]
    fn many_prices_survive_growth_and_negative_zero_is_zero() {
        let mut h = PriceHistogram::<2>::new();
        for i in 0..10_000 {
            h.add(f64::from(i % 3000) * 0.25, i as usize % 2, 1.0);
        }
        h.add(-0.0, 0, 1.0);
        assert_eq!(h.len(), 3000);
        let (p, s) = h.into_sorted();
        assert_eq!(p.len(), 3000);
        assert_eq!(p[0], 0.0);
        let total: f64 = s.iter().map(|v| v[0] + v[1]).sum();
        assert_eq!(total, 10_001.0);
        assert!(p.windows(2).all(|w| w[0] < w[1]));
    }
}
