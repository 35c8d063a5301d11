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

/// Every pair of themes, q-values across all pairs.
pub fn theme_cooccurrence(themes: &[Column<bool>], correction: Correction) -> Result<Vec<Edge>> {
    if themes.len() < 2 {
        return Err(Error::parameter("themes", "give at least two theme columns"));
    }
    let n = themes.first().map_or(0, |t| t.len());
    if n == 0 {
        return Err(Error::input(
            themes.first().map_or("themes", |t| t.name.as_str()),
            "the table is empty (0 rows)",
        ));
    }
    for t in themes {
        if t.len() != n {
            return Err(Error::input(&t.name, format!("has {} rows, expected {n}", t.len())));
        }
    }
    let counts: Vec<u64> = themes.iter().map(|t| t.values.iter().filter(|v| **v).count() as u64).collect();
    let pairs: Vec<(usize, usize)> =
        (0..themes.len()).flat_map(|a| ((a + 1)..themes.len()).map(move |b| (a, b))).collect();
    let mut edges: Vec<Edge> = pairs
        .par_iter()
        .filter_map(|&(a, b)| {
            let (ta, tb) = (themes.get(a)?, themes.get(b)?);
            let both = ta.values.iter().zip(&tb.values).filter(|(x, y)| **x && **y).count() as u64;
            let (n_a, n_b) = (counts.get(a).copied()?, counts.get(b).copied()?);
            let expected = n_a as f64 * n_b as f64 / n as f64;
            let union = (n_a + n_b - both) as f64;
            let p = if n_a == 0 || n_b == 0 { f64::NAN } else { hypergeometric_sf(both, n as u64, n_a, n_b) };
            Some(Edge {
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
            })
        })
        .collect();
    let p: Vec<f64> = edges.iter().map(|e| e.p).collect();
    for (e, q) in edges.iter_mut().zip(adjust(&p, correction)) {
        e.q = q;
    }
    Ok(edges)
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
}
