//! The BG/BB model of discrete-time repeat transactions (Fader, Hardie & Shang 2010,
//! "Customer-base analysis in a discrete-time noncontractual setting", Marketing Science 29(6)).
//!
//! At each of n opportunities an active customer transacts with probability p ~ Beta(alpha,
//! beta) and, after each opportunity, becomes inactive with probability theta ~ Beta(gamma,
//! delta). For x transactions, the last at opportunity t_x, out of n:
//!
//! ```text
//! L = B(alpha + x, beta + n - x) / B(alpha, beta) x B(gamma, delta + n) / B(gamma, delta)
//!   + sum_(i=0..n-t_x-1) B(alpha + x, beta + t_x - x + i) / B(alpha, beta)
//!                       x B(gamma + 1, delta + t_x + i) / B(gamma, delta)
//! ```

use crate::error::{Error, Result};
use crate::stats::special::{digamma, ln_beta};

use super::fit::{maximise, sum_terms, Fitted};

/// BG/BB parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BgBb {
    /// Transaction-probability Beta alpha.
    pub alpha: f64,
    /// Transaction-probability Beta beta.
    pub beta: f64,
    /// Dropout-probability Beta gamma.
    pub gamma: f64,
    /// Dropout-probability Beta delta.
    pub delta: f64,
}

/// (x, t_x, n) patterns with counts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiscretePatterns {
    /// Transactions.
    pub x: Vec<f64>,
    /// Opportunity of the last transaction.
    pub tx: Vec<f64>,
    /// Opportunities.
    pub n: Vec<f64>,
    /// Customers with the pattern.
    pub w: Vec<f64>,
}

impl DiscretePatterns {
    /// Checks per-customer (or per-pattern, with weights) data.
    pub fn new(x: &[f64], tx: &[f64], n: &[f64], w: Option<&[f64]>, names: [&str; 3]) -> Result<Self> {
        if x.is_empty() {
            return Err(Error::input(names[0], "no customers"));
        }
        let mut p = DiscretePatterns::default();
        for i in 0..x.len() {
            let (xi, ti, ni) = (x[i], tx[i], n[i]);
            for (v, name) in [(xi, names[0]), (ti, names[1]), (ni, names[2])] {
                if v < 0.0 || v.fract() != 0.0 {
                    return Err(Error::input(
                        name,
                        format!("must hold non-negative integers; row {i} holds {v}"),
                    ));
                }
            }
            if xi > ti || ti > ni {
                return Err(Error::input(
                    names[1],
                    format!("row {i}: need frequency <= recency <= periods, got {xi}, {ti}, {ni}"),
                ));
            }
            if (xi == 0.0) != (ti == 0.0) {
                return Err(Error::input(
                    names[1],
                    format!("row {i}: recency must be 0 exactly when frequency is 0"),
                ));
            }
            let wi = w.map_or(1.0, |w| w[i]);
            if wi.is_nan() || wi < 0.0 {
                return Err(Error::input(
                    "weights",
                    format!("weights must be non-negative; row {i} holds {wi}"),
                ));
            }
            p.x.push(xi);
            p.tx.push(ti);
            p.n.push(ni);
            p.w.push(wi);
        }
        Ok(p)
    }
}

impl BgBb {
    /// From [alpha, beta, gamma, delta].
    pub fn from_slice(p: &[f64]) -> Self {
        let g = |i: usize| p.get(i).copied().unwrap_or(f64::NAN);
        BgBb { alpha: g(0), beta: g(1), gamma: g(2), delta: g(3) }
    }

    /// Log-likelihood of one pattern and its gradient.
    pub fn log_likelihood(&self, x: f64, tx: f64, n: f64) -> (f64, [f64; 4]) {
        let BgBb { alpha: a, beta: b, gamma: g, delta: d } = *self;
        // terms: (log value, d/da, d/db, d/dg, d/dd) before the normalisers
        let mut terms: Vec<(f64, [f64; 4])> = Vec::with_capacity((n - tx) as usize + 1);
        let psi_abn = digamma(a + b + n);
        let psi_gdn = digamma(g + d + n);
        terms.push((
            ln_beta(a + x, b + n - x) + ln_beta(g, d + n),
            [
                digamma(a + x) - psi_abn,
                digamma(b + n - x) - psi_abn,
                digamma(g) - psi_gdn,
                digamma(d + n) - psi_gdn,
            ],
        ));
        let mut i = 0.0;
        while i <= n - tx - 1.0 {
            let s1 = digamma(a + b + tx + i);
            let s2 = digamma(g + d + tx + i + 1.0);
            terms.push((
                ln_beta(a + x, b + tx - x + i) + ln_beta(g + 1.0, d + tx + i),
                [
                    digamma(a + x) - s1,
                    digamma(b + tx - x + i) - s1,
                    digamma(g + 1.0) - s2,
                    digamma(d + tx + i) - s2,
                ],
            ));
            i += 1.0;
        }
        let m = terms.iter().map(|t| t.0).fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = terms.iter().map(|t| (t.0 - m).exp()).sum();
        let lse = m + total.ln();
        let mut grad = [0.0; 4];
        for (v, gr) in &terms {
            let w = (v - lse).exp();
            for (acc, gj) in grad.iter_mut().zip(gr) {
                *acc += w * gj;
            }
        }
        grad[0] -= digamma(a) - digamma(a + b);
        grad[1] -= digamma(b) - digamma(a + b);
        grad[2] -= digamma(g) - digamma(g + d);
        grad[3] -= digamma(d) - digamma(g + d);
        (lse - ln_beta(a, b) - ln_beta(g, d), grad)
    }

    /// Fits by maximum likelihood.
    pub fn fit(p: &DiscretePatterns) -> Result<(BgBb, Fitted)> {
        let total = |m: &BgBb| {
            sum_terms::<4, _>(p.x.len(), |i| {
                let (v, g) = m.log_likelihood(p.x[i], p.tx[i], p.n[i]);
                (p.w[i] * v, g.map(|gj| p.w[i] * gj))
            })
        };
        let f = maximise::<4, _>(|q| total(&BgBb::from_slice(q)), [1.0, 1.0, 1.0, 1.0], "BG/BB fit")?;
        Ok((BgBb::from_slice(&f.params), f))
    }

    /// P(alive at opportunity n + 1 | x, t_x, n).
    pub fn probability_alive(&self, x: f64, tx: f64, n: f64) -> f64 {
        let BgBb { alpha: a, beta: b, gamma: g, delta: d } = *self;
        let num = ln_beta(a + x, b + n - x) - ln_beta(a, b) + ln_beta(g, d + n + 1.0) - ln_beta(g, d);
        (num - self.log_likelihood(x, tx, n).0).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let m = BgBb { alpha: 1.2, beta: 0.8, gamma: 0.7, delta: 2.5 };
        let (_, g) = m.log_likelihood(2.0, 3.0, 6.0);
        let p = [m.alpha, m.beta, m.gamma, m.delta];
        for j in 0..4 {
            let h = 1e-6;
            let (mut up, mut dn) = (p, p);
            up[j] += h;
            dn[j] -= h;
            let num = (BgBb::from_slice(&up).log_likelihood(2.0, 3.0, 6.0).0
                - BgBb::from_slice(&dn).log_likelihood(2.0, 3.0, 6.0).0)
                / (2.0 * h);
            assert!((num - g[j]).abs() < 1e-6, "{j}: {num} vs {}", g[j]);
        }
    }

    #[test]
    fn likelihoods_of_all_patterns_sum_to_one() {
        // every (x, t_x) history over n = 3 opportunities, counted by how many sequences give it
        let m = BgBb { alpha: 1.2, beta: 0.8, gamma: 0.7, delta: 2.5 };
        let n = 3usize;
        let mut total = 0.0;
        for seq in 0..(1u32 << n) {
            let x = seq.count_ones() as f64;
            let tx = (0..n).rev().find(|k| seq & (1 << k) != 0).map_or(0.0, |k| (k + 1) as f64);
            total += m.log_likelihood(x, tx, n as f64).0.exp();
        }
        assert!((total - 1.0).abs() < 1e-12, "{total}");
    }
}
