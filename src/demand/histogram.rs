//! Weighted histograms keyed by price: the mergeable sufficient statistic of every curve here.
//!
//! A histogram maps each distinct price to `K` weight sums (for example the four Van Westendorp
//! questions). Histograms of data partitions add up to the histogram of the whole, so a curve
//! can be computed on one machine from partial histograms made anywhere.
//!
//! Whole-number prices below [`DENSE_LIMIT`] (the usual survey answer: 5, 40, 250) are summed in
//! a dense array indexed by the price, one load and one store per answer; any other price goes
//! to an open-addressing hash table. (A dense grid of *cents* for every price was tried and
//! measured slower: it spreads a few hundred round prices over megabytes, while the arrays here
//! stay in L1/L2 cache. A general-purpose hash map was measured 2x slower than the table below,
//! which does one multiply, one shift and usually one compare per answer.)
use rayon::prelude::*;

/// Weight sums per distinct price, `K` quantities per price.
///
/// Whole-number prices `0 <= p < DENSE_LIMIT` are summed in `dense[p]` (with `seen[p]` set, so
/// a price answered only with weight 0 still counts as observed). Other prices live in an
/// open-addressing table keyed by the price's bit pattern, with Fibonacci hashing (the top bits
/// of key x 2^64/phi) and linear probing, grown to keep it at most half full; they are kept in
/// insertion order in `keys` and `sums`, and `slots` holds 1 + their index (0: empty slot).
/// Either way the weights of one price are added in row order, so the sums do not depend on
/// which of the two stores holds a price.
#[derive(Debug, Clone)]
pub struct PriceHistogram<const K: usize> {
    dense: Vec<[f64; K]>,
    seen: Vec<bool>,
    slots: Vec<u32>,
    shift: u32,
    keys: Vec<u64>,
    sums: Vec<[f64; K]>,
}

/// Whole-number prices below this are summed in the dense array (at most 4,096 x K sums).
pub const DENSE_LIMIT: usize = 4096;

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
            dense: Vec::new(),
            seen: Vec::new(),
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
        let (p, dense) = dense_slot(price);
        if dense {
            if p >= self.dense.len() {
                self.grow_dense(p);
            }
            if let (Some(v), Some(seen)) =
                (self.dense.get_mut(p).and_then(|d| d.get_mut(k)), self.seen.get_mut(p))
            {
                *v += weight;
                *seen = true;
            }
            return;
        }
        let i = self.index(key(price));
        if let Some(v) = self.sums[i].get_mut(k) {
            *v += weight;
        }
    }

    #[cold]
    fn grow_dense(&mut self, p: usize) {
        let len = (p + 1).next_power_of_two().clamp(64, DENSE_LIMIT);
        self.dense.resize(len, [0.0; K]);
        self.seen.resize(len, false);
    }

    /// Adds another histogram into this one.
    pub fn merge(self, other: Self) -> Self {
        let (mut big, small) = if self.len() >= other.len() { (self, other) } else { (other, self) };
        if small.dense.len() > big.dense.len() {
            big.grow_dense(small.dense.len() - 1);
        }
        for ((a, sa), (b, sb)) in
            big.dense.iter_mut().zip(big.seen.iter_mut()).zip(small.dense.iter().zip(&small.seen))
        {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
            *sa |= *sb;
        }
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
        self.keys.len() + self.seen.iter().filter(|s| **s).count()
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && !self.seen.iter().any(|s| *s)
    }

    /// Prices ascending with their sums.
    pub fn into_sorted(self) -> (Vec<f64>, Vec<[f64; K]>) {
        let dense = self.dense.into_iter().zip(self.seen).enumerate().filter(|(_, (_, s))| *s);
        let mut rows: Vec<(f64, [f64; K])> = dense.map(|(p, (v, _))| (p as f64, v)).collect();
        rows.extend(self.keys.into_iter().map(f64::from_bits).zip(self.sums));
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        rows.into_iter().unzip()
    }
}

/// The dense slot of `price` and whether it has one (a whole number `0 <= price < DENSE_LIMIT`).
///
/// Adding 2^52 rounds a non-negative price below 2^52 to a whole number held in the low
/// mantissa bits; the price is whole exactly when subtracting 2^52 gives it back. NaN fails
/// every comparison. This is float arithmetic only (no saturating casts), so a loop of it
/// vectorises. The slot is masked into range whatever the answer, so callers index without a
/// bounds check.
#[inline(always)]
#[allow(clippy::float_cmp)]
pub fn dense_slot(price: f64) -> (usize, bool) {
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    let shifted = price + TWO_52;
    let dense = (shifted - TWO_52 == price) & (price >= 0.0) & (price < DENSE_LIMIT as f64);
    ((shifted.to_bits() as usize) & (DENSE_LIMIT - 1), dense)
}

/// Unit counts of `K` quantities at the whole-number prices below [`DENSE_LIMIT`]: the
/// unweighted fast path. An increment is one integer add (no float add, no growth check, no
/// `seen` flag); [`DenseCounts::fold_into`] moves the counts into a histogram afterwards. Counts
/// of one chunk ([`CHUNK`] rows) cannot overflow.
pub struct DenseCounts<const K: usize> {
    counts: Vec<[u32; K]>,
}

impl<const K: usize> Default for DenseCounts<K> {
    fn default() -> Self {
        DenseCounts { counts: vec![[0; K]; DENSE_LIMIT] }
    }
}

impl<const K: usize> DenseCounts<K> {
    /// Adds `by` (0 or 1) to quantity `k` at dense slot `slot` (from [`dense_slot`]).
    #[inline(always)]
    pub fn bump(&mut self, slot: usize, k: usize, by: u32) {
        if let Some(c) = self.counts.get_mut(slot & (DENSE_LIMIT - 1)).and_then(|r| r.get_mut(k)) {
            *c += by;
        }
    }

    /// Adds the counts into `h` (quantity `k` here to quantity `k` there); prices counted only
    /// zero times are not added, so they stay unobserved.
    pub fn fold_into<const H: usize>(&self, h: &mut PriceHistogram<H>) {
        for (p, row) in self.counts.iter().enumerate() {
            for (k, c) in row.iter().enumerate() {
                if *c > 0 {
                    h.add(p as f64, k, f64::from(*c));
                }
            }
        }
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

    /// Distinct prices ascending with their sums, by sorting: the reference for both stores.
    fn naive<const K: usize>(rows: &[(f64, usize, f64)]) -> (Vec<f64>, Vec<[f64; K]>) {
        let mut sorted: Vec<(f64, usize, f64)> = rows.iter().map(|(p, k, w)| (p + 0.0, *k, *w)).collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out: (Vec<f64>, Vec<[f64; K]>) = (Vec::new(), Vec::new());
        for (p, k, w) in sorted {
            if out.0.last() != Some(&p) {
                out.0.push(p);
                out.1.push([0.0; K]);
            }
            if let Some(last) = out.1.last_mut() {
                last[k] += w;
            }
        }
        out
    }

    #[test]
    fn dense_and_hashed_prices_combine() {
        // whole prices in and beyond the dense range, fractions, a zero weight, -0.0 and 0.0
        let rows = [
            (3.0, 0, 1.0),
            (2.5, 1, 2.0),
            (5000.0, 0, 3.0),
            (3.0, 1, 4.0),
            (4095.0, 0, 5.0),
            (2.5, 1, 6.0),
            (7.0, 0, 0.0),
            (-0.0, 1, 1.0),
            (0.0, 1, 1.0),
            (1e300, 0, 1.0),
        ];
        let mut h = PriceHistogram::<2>::new();
        for (p, k, w) in rows {
            h.add(p, k, w);
        }
        assert_eq!(h.len(), 7);
        let (p, s) = h.into_sorted();
        assert_eq!(p, vec![0.0, 2.5, 3.0, 7.0, 4095.0, 5000.0, 1e300]);
        assert_eq!(s[0], [0.0, 2.0]);
        assert_eq!(s[2], [1.0, 4.0]);
        assert_eq!(s[3], [0.0, 0.0]);
    }

    #[test]
    fn random_mixes_merged_in_any_split_match_the_sorted_reference() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..50 {
            let n = rng.random_range(1..400);
            let rows: Vec<(f64, usize, f64)> = (0..n)
                .map(|_| {
                    let p = match rng.random_range(0..4) {
                        0 => f64::from(rng.random_range(0..50u32)),
                        1 => f64::from(rng.random_range(0..9000u32)),
                        2 => f64::from(rng.random_range(0..200u32)) * 0.25,
                        _ => rng.random_range(0.0..100.0),
                    };
                    (p, rng.random_range(0..3), f64::from(rng.random_range(0..4u32)))
                })
                .collect();
            let cut = rng.random_range(0..=n);
            let mut a = PriceHistogram::<3>::new();
            let mut b = PriceHistogram::<3>::new();
            for (i, (p, k, w)) in rows.iter().enumerate() {
                if i < cut {
                    a.add(*p, *k, *w)
                } else {
                    b.add(*p, *k, *w)
                }
            }
            assert_eq!(a.merge(b).into_sorted(), naive::<3>(&rows));
        }
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
