//! Theme co-occurrence network: does a pair of themes appear together more often than chance?
//!
//! For themes a and b mentioned by K_a and K_b of n respondents, the number mentioning both is
//! hypergeometric under independence of the two mentions given the margins: X ~ Hyp(n, K_a, K_b).
//! The edge's p-value is the upper tail P(X >= x) (one-sided: a connection is claimed only when
//! the themes co-occur more than chance); effects are the lift x n / (K_a K_b) and the Jaccard
//! index x / (K_a + K_b - x). q-values adjust every edge together, so that a connection drawn
//! between interview themes has to survive a test.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::stats::hypothesis::{adjust, Correction};
use crate::stats::special::ln_gamma;
use crate::table::{Column, Columns};

/// One edge of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Index of the first theme.
    pub a: usize,
    /// Index of the second theme.
    pub b: usize,
    /// Respondents mentioning the first theme.
    pub n_a: u64,
    /// Respondents mentioning the second theme.
    pub n_b: u64,
    /// Respondents mentioning both.
    pub both: u64,
    /// Expected under independence: n_a n_b / n.
    pub expected: f64,
    /// both / expected.
    pub lift: f64,
    /// both / (n_a + n_b - both).
    pub jaccard: f64,
    /// Upper-tail hypergeometric p-value.
    pub p: f64,
    /// Adjusted p-value across all edges.
    pub q: f64,
}

fn ln_choose(n: u64, k: u64) -> f64 {
    ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
}

/// P(X >= x) for X ~ Hypergeometric(population n, successes k, draws m): the shorter tail is
/// summed outward from x until the terms no longer change the sum.
pub fn hypergeometric_sf(x: u64, n: u64, k: u64, m: u64) -> f64 {
    let lo = (k + m).saturating_sub(n);
    let hi = k.min(m);
    if x <= lo {
        return 1.0;
    }
    if x > hi {
        return 0.0;
    }
    let total = ln_choose(n, m);
    let pmf = |i: u64| (ln_choose(k, i) + ln_choose(n - k, m - i) - total).exp();
    let mode = ((m + 1) as f64 * (k + 1) as f64 / (n + 2) as f64).floor() as u64;
    let sum_from = |start: u64, up: bool| {
        let mut s = 0.0;
        let mut i = start;
        loop {
            let t = pmf(i);
            s += t;
            let done = if up { i >= hi } else { i <= lo };
            if done || (t < s * 1e-17 && (if up { i > mode } else { i < mode })) {
                break;
            }
            i = if up { i + 1 } else { i - 1 };
        }
        s
    };
    if x > mode {
        sum_from(x, true).min(1.0)
    } else {
        (1.0 - sum_from(x - 1, false)).clamp(0.0, 1.0)
    }
}

/// The counts the network is a function of: respondents, and per pair of themes (a <= b) the
/// respondents mentioning both (a == b: mentioning a). Counts of parts of a table add up to the
/// counts of the whole (the mergeable state of the engines).
#[derive(Debug, Clone, PartialEq)]
pub struct CoCounts {
    /// Respondents.
    pub n: u64,
    /// Themes.
    pub k: usize,
    /// k x k, row-major, symmetric; the diagonal holds each theme's mentions.
    pub both: Vec<u64>,
}

impl CoCounts {
    /// Respondents mentioning both `a` and `b`.
    pub fn get(&self, a: usize, b: usize) -> u64 {
        self.both.get(a * self.k + b).copied().unwrap_or(0)
    }
}

/// The counts of `themes` (equal-length boolean columns; none or empty gives zero counts).
pub fn counts(themes: &[Column<bool>]) -> Result<CoCounts> {
    let k = themes.len();
    let n = themes.first().map_or(0, |t| t.len());
    for t in themes {
        if t.len() != n {
            return Err(Error::input(&t.name, format!("has {} rows, expected {n}", t.len())));
        }
    }
    let pairs: Vec<(usize, usize)> = (0..k).flat_map(|a| (a..k).map(move |b| (a, b))).collect();
    let found: Vec<(usize, usize, u64)> = pairs
        .par_iter()
        .filter_map(|&(a, b)| {
            let (ta, tb) = (themes.get(a)?, themes.get(b)?);
            Some((a, b, ta.values.iter().zip(&tb.values).filter(|(x, y)| **x && **y).count() as u64))
        })
        .collect();
    let mut both = vec![0u64; k * k];
    for (a, b, c) in found {
        both[a * k + b] = c;
        both[b * k + a] = c;
    }
    Ok(CoCounts { n: n as u64, k, both })
}

/// Every pair of themes from their counts, q-values across all pairs; `first` names the
/// first theme column in errors.
pub fn edges(c: &CoCounts, first: &str, correction: Correction) -> Result<Vec<Edge>> {
    if c.k < 2 {
        return Err(Error::parameter("themes", "give at least two theme columns"));
    }
    if c.n == 0 {
        return Err(Error::input(first, "the table is empty (0 rows)"));
    }
    let n = c.n;
    let pairs: Vec<(usize, usize)> = (0..c.k).flat_map(|a| ((a + 1)..c.k).map(move |b| (a, b))).collect();
    let mut edges: Vec<Edge> = pairs
        .par_iter()
        .map(|&(a, b)| {
            let (both, n_a, n_b) = (c.get(a, b), c.get(a, a), c.get(b, b));
            let expected = n_a as f64 * n_b as f64 / n as f64;
            let union = (n_a + n_b).saturating_sub(both) as f64;
            let p = if n_a == 0 || n_b == 0 { f64::NAN } else { hypergeometric_sf(both, n, n_a, n_b) };
            Edge {
                a,
                b,
                n_a,
                n_b,
                both,
                expected,
                lift: if expected > 0.0 { both as f64 / expected } else { f64::NAN },
                jaccard: if union > 0.0 { both as f64 / union } else { f64::NAN },
                p,
                q: f64::NAN,
            }
        })
        .collect();
    let p: Vec<f64> = edges.iter().map(|e| e.p).collect();
    for (e, q) in edges.iter_mut().zip(adjust(&p, correction)) {
        e.q = q;
    }
    Ok(edges)
}

/// Every pair of themes, q-values across all pairs.
pub fn theme_cooccurrence(themes: &[Column<bool>], correction: Correction) -> Result<Vec<Edge>> {
    if themes.len() < 2 {
        return Err(Error::parameter("themes", "give at least two theme columns"));
    }
    edges(&counts(themes)?, themes.first().map_or("themes", |t| t.name.as_str()), correction)
}

/// The network as a table: theme_a, theme_b (named by `themes`), n_a, n_b, both, expected,
/// lift, jaccard, p, q.
pub fn table(edges: &[Edge], themes: &[String]) -> Result<arrow_array::RecordBatch> {
    let name = |i: usize| themes.get(i).cloned().unwrap_or_default();
    let f = |g: fn(&Edge) -> f64| edges.iter().map(g).collect::<Vec<f64>>();
    let n = |g: fn(&Edge) -> u64| edges.iter().map(g).map(|v| v as usize).collect::<Vec<usize>>();
    Columns::new()
        .text("theme_a", edges.iter().map(|e| name(e.a)))
        .text("theme_b", edges.iter().map(|e| name(e.b)))
        .count("n_a", n(|e| e.n_a))
        .count("n_b", n(|e| e.n_b))
        .count("both", n(|e| e.both))
        .f64("expected", f(|e| e.expected))
        .f64("lift", f(|e| e.lift))
        .f64("jaccard", f(|e| e.jaccard))
        .f64("p", f(|e| e.p))
        .f64("q", f(|e| e.q))
        .batch()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn tail_matches_a_direct_sum_and_complements() {
        // direct sum over the whole support for a small case
        let (n, k, m) = (30u64, 12u64, 9u64);
        let total = ln_choose(n, m);
        for x in 0..=9u64 {
            let direct: f64 =
                (x..=9).map(|i| (ln_choose(k, i) + ln_choose(n - k, m - i) - total).exp()).sum();
            assert!((hypergeometric_sf(x, n, k, m) - direct).abs() < 1e-12, "{x}");
        }
    }

    #[test]
    fn planted_pair_is_an_edge_and_independent_pair_is_not() {
        let n = 2000;
        let a: Vec<bool> = (0..n).map(|i| i % 5 == 0).collect();
        let b: Vec<bool> = (0..n).map(|i| i % 5 == 0 && i % 2 == 0 || i % 7 == 0).collect();
        let c: Vec<bool> = (0..n).map(|i| i % 3 == 1).collect();
        let cols = vec![Column::new("a", a), Column::new("b", b), Column::new("c", c)];
        let e = theme_cooccurrence(&cols, Correction::FdrBh).unwrap_or_else(|e| panic!("{e}"));
        assert!(e[0].q < 1e-10 && e[0].lift > 2.0);
        assert!(e[1].q > 0.05);
    }

    #[test]
    fn counts_of_parts_add_up_to_the_counts_of_the_whole() {
        let n = 997;
        let cols: Vec<Vec<bool>> =
            (0..4).map(|t| (0..n).map(|i| (i * (t + 3) + t) % 7 < 3).collect()).collect();
        let whole = counts(&cols.iter().map(|v| Column::new("t", v.clone())).collect::<Vec<_>>()).unwrap();
        let mut sum = CoCounts { n: 0, k: 4, both: vec![0; 16] };
        for (lo, hi) in [(0, 0), (0, 300), (300, 301), (301, n)] {
            let part = counts(&cols.iter().map(|v| Column::new("t", v[lo..hi].to_vec())).collect::<Vec<_>>())
                .unwrap();
            sum.n += part.n;
            sum.both.iter_mut().zip(&part.both).for_each(|(s, p)| *s += p);
        }
        assert_eq!(sum, whole);
        let a = edges(&sum, "t", Correction::FdrBh).unwrap();
        let b = edges(&whole, "t", Correction::FdrBh).unwrap();
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert!(edges(&CoCounts { n: 0, k: 4, both: vec![0; 16] }, "t", Correction::FdrBh).is_err());
    }
}
