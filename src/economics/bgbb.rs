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
use crate::stats::special::{digamma, hyp2f1, ln_beta, ln_gamma};
use rayon::prelude::*;

use super::fit::{l2_weights, maximise, sum_terms, Fitted};

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
            if ni > MAX_PERIODS as f64 {
                return Err(Error::input(
                    names[2],
                    format!(
                        "row {i} holds {ni} opportunities; BG/BB sums over every opportunity of each \
                         customer, so it is built for up to {MAX_PERIODS} (years, months or weeks of \
                         discrete chances): count coarser periods"
                    ),
                ));
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

    /// The distinct (x, t_x, n) patterns sorted by (x, t_x, n), each with the sum of its
    /// weights. Fits sum over this form, so a fit depends only on the set of patterns and their
    /// counts, not on the order or the grouping of the customers: a partitioned log's patterns,
    /// merged in any order, fit bit for bit as the whole log's (for whole-number counts).
    pub fn canonical(&self) -> DiscretePatterns {
        let mut w: std::collections::BTreeMap<[u64; 3], f64> = std::collections::BTreeMap::new();
        for i in 0..self.x.len() {
            // non-negative whole numbers (checked in `new`): their bits sort as their values
            let key =
                [(self.x[i] + 0.0).to_bits(), (self.tx[i] + 0.0).to_bits(), (self.n[i] + 0.0).to_bits()];
            *w.entry(key).or_insert(0.0) += self.w[i];
        }
        let mut out = DiscretePatterns::default();
        for (k, wk) in w {
            out.x.push(f64::from_bits(k[0]));
            out.tx.push(f64::from_bits(k[1]));
            out.n.push(f64::from_bits(k[2]));
            out.w.push(wk);
        }
        out
    }

    /// The patterns of `self`'s customers followed by `other`'s: the rows are appended (they
    /// are not compressed), so the log-likelihood and its gradient ([`BgBb::total`]), sums
    /// over rows, are those of all customers up to the order of summation.
    pub fn merge(mut self, other: &DiscretePatterns) -> DiscretePatterns {
        self.x.extend_from_slice(&other.x);
        self.tx.extend_from_slice(&other.tx);
        self.n.extend_from_slice(&other.n);
        self.w.extend_from_slice(&other.w);
        self
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

    /// Total weighted log-likelihood and gradient over patterns.
    pub fn total(&self, p: &DiscretePatterns) -> (f64, [f64; 4]) {
        sum_terms::<4, _>(p.x.len(), |i| {
            let (v, g) = self.log_likelihood(p.x[i], p.tx[i], p.n[i]);
            (p.w[i] * v, g.map(|gj| p.w[i] * gj))
        })
    }

    /// Fits by maximum likelihood, with an L2 `penalizer` (see [`l2_weights`]; 0 for none).
    pub fn fit(p: &DiscretePatterns, penalizer: f64) -> Result<(BgBb, Fitted)> {
        let p = &p.canonical();
        let penalty = l2_weights(penalizer, p.w.iter().sum(), [1.0; 4])?;
        let f =
            maximise::<4, _>(|q| BgBb::from_slice(q).total(p), [1.0, 1.0, 1.0, 1.0], "BG/BB fit", penalty)?;
        Ok((BgBb::from_slice(&f.params), f))
    }

    /// P(alive at opportunity n + 1 | x, t_x, n).
    pub fn probability_alive(&self, x: f64, tx: f64, n: f64) -> f64 {
        self.probability_alive_at(1.0, x, tx, n)
    }

    /// P(alive at opportunity n + m | x, t_x, n) (Fader, Hardie & Shang 2010, eq. A10):
    /// B(alpha+x, beta+n-x)/B(alpha, beta) B(gamma, delta+n+m)/B(gamma, delta) / L(x, t_x, n);
    /// m = 0 is P(alive at n), m = 1 the next opportunity.
    pub fn probability_alive_at(&self, m: f64, x: f64, tx: f64, n: f64) -> f64 {
        let BgBb { alpha: a, beta: b, gamma: g, delta: d } = *self;
        let num = ln_beta(a + x, b + n - x) - ln_beta(a, b) + ln_beta(g, d + n + m) - ln_beta(g, d);
        (num - self.log_likelihood(x, tx, n).0).exp()
    }

    /// P(X(n) = x) for a customer just acquired, x = 0..=n: the chance of x transactions in
    /// the first n opportunities (Fader, Hardie & Shang 2010, eq. 7):
    ///
    /// ```text
    /// P(X(n) = x) = C(n, x) B(alpha+x, beta+n-x)/B(alpha, beta) B(gamma, delta+n)/B(gamma, delta)
    ///   + sum_(i=x..n-1) C(i, x) B(alpha+x, beta+i-x)/B(alpha, beta) B(gamma+1, delta+i)/B(gamma, delta)
    /// ```
    ///
    /// (alive throughout, or dead after opportunity i with x transactions among the first i).
    /// O(n^2) terms; n is refused above [`MAX_OPPORTUNITIES`].
    pub fn probabilities_of_purchases(&self, n: u64) -> Result<Vec<f64>> {
        if n > MAX_OPPORTUNITIES {
            return Err(Error::parameter(
                "n_periods",
                format!(
                    "P(X(n) = x) over {n} opportunities needs n^2 / 2 = {:.1e} terms; the limit is \
                     n <= {MAX_OPPORTUNITIES}",
                    (n as f64).powi(2) / 2.0
                ),
            ));
        }
        let BgBb { alpha: a, beta: b, gamma: g, delta: d } = *self;
        let (base_ab, base_gd) = (ln_beta(a, b), ln_beta(g, d));
        let ln_choose = |n: f64, k: f64| ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0);
        let nf = n as f64;
        // dead after opportunity i: B(gamma+1, delta+i)/B(gamma, delta), shared by every x
        let dead: Vec<f64> = (0..n).map(|i| ln_beta(g + 1.0, d + i as f64) - base_gd).collect();
        let alive = ln_beta(g, d + nf) - base_gd;
        Ok((0..=n)
            .into_par_iter()
            .map(|x| {
                let xf = x as f64;
                let mut p = (ln_choose(nf, xf) + ln_beta(a + xf, b + nf - xf) - base_ab + alive).exp();
                for (i, ln_dead) in dead.iter().enumerate().skip(x as usize) {
                    let i = i as f64;
                    p += (ln_choose(i, xf) + ln_beta(a + xf, b + i - xf) - base_ab + ln_dead).exp();
                }
                p
            })
            .collect())
    }

    /// ln P(alive at opportunity n and the history (x, t_x, n)) minus ln L: the log of P(alive
    /// at n | x, t_x, n), after which p ~ Beta(alpha+x, beta+n-x) and theta ~ Beta(gamma, delta+n).
    fn ln_alive_at_n(&self, x: f64, tx: f64, n: f64) -> f64 {
        let BgBb { alpha: a, beta: b, gamma: g, delta: d } = *self;
        ln_beta(a + x, b + n - x) - ln_beta(a, b) + ln_beta(g, d + n)
            - ln_beta(g, d)
            - self.log_likelihood(x, tx, n).0
    }

    /// sum_(t=1..m) E[(1-theta)^t] for theta ~ Beta(gamma, d): the expected number of the next
    /// m opportunities a customer alive now is still alive at. Summed term by term (each term is
    /// the last times (d+t-1)/(gamma+d+t-1)) up to m = 10,000; beyond, the closed form
    /// d/(gamma-1) [1 - Gamma(gamma+d) Gamma(1+d+m) / (Gamma(gamma+d+m) Gamma(1+d))]
    /// (its gamma -> 1 limit d [psi(1+d+m) - psi(1+d)] near gamma = 1).
    fn expected_alive_opportunities(&self, d: f64, m: f64) -> f64 {
        let g = self.gamma;
        if m <= 10_000.0 {
            let (mut term, mut sum, mut t) = (1.0, 0.0, 1.0);
            while t <= m {
                term *= (d + t - 1.0) / (g + d + t - 1.0);
                sum += term;
                t += 1.0;
            }
            return sum;
        }
        if (g - 1.0).abs() < 1e-6 {
            return d * (digamma(1.0 + d + m) - digamma(1.0 + d));
        }
        let ln_ratio = ln_gamma(g + d) + ln_gamma(1.0 + d + m) - ln_gamma(g + d + m) - ln_gamma(1.0 + d);
        d / (g - 1.0) * -ln_ratio.exp_m1()
    }

    /// E[X(m)]: expected transactions of a new customer in the first m opportunities (Fader,
    /// Hardie & Shang 2010, eq. 8), alpha/(alpha+beta) sum_(t=1..m) B(gamma, delta+t)/B(gamma, delta).
    pub fn expected_purchases(&self, m: f64) -> f64 {
        self.alpha / (self.alpha + self.beta) * self.expected_alive_opportunities(self.delta, m)
    }

    /// E[X(n, n+m) | x, t_x, n]: expected transactions in the next m opportunities (Fader,
    /// Hardie & Shang 2010, eq. 13), P(alive at n | data) (alpha+x)/(alpha+beta+n)
    /// sum_(t=1..m) B(gamma, delta+n+t)/B(gamma, delta+n).
    pub fn conditional_expected_purchases(&self, m: f64, x: f64, tx: f64, n: f64) -> f64 {
        let rate = (self.alpha + x) / (self.alpha + self.beta + n);
        self.ln_alive_at_n(x, tx, n).exp() * rate * self.expected_alive_opportunities(self.delta + n, m)
    }

    /// Discounted expected residual transactions at discount rate d per opportunity (d > 0),
    /// valued at opportunity n (Fader, Hardie & Shang 2010, eq. 14):
    ///
    /// ```text
    /// DERT = sum_(t>=1) E[X(n+t-1, n+t) | x, t_x, n] / (1+d)^t
    ///      = B(alpha+x+1, beta+n-x)/B(alpha, beta) B(gamma, delta+n+1) / (B(gamma, delta) (1+d))
    ///        2F1(1, delta+n+1; gamma+delta+n+1; 1/(1+d)) / L
    /// ```
    ///
    /// 2F1 at z = 1 / (1 + d) near 1 for small discount rates d: summed by Euler's integral
    /// there ([`crate::stats::special::hyp2f1`]), so any d > 0 is accurate. NaN when d <= 0.
    pub fn discounted_expected_residual_transactions(&self, disc: f64, x: f64, tx: f64, n: f64) -> f64 {
        let BgBb { alpha: a, beta: b, gamma: g, delta: d } = *self;
        if disc.is_nan() || disc <= 0.0 {
            return f64::NAN;
        }
        let rate = (a + x) / (a + b + n);
        let first = (d + n) / (g + d + n) / (1.0 + disc);
        let series = hyp2f1(1.0, d + n + 1.0, g + d + n + 1.0, 1.0 / (1.0 + disc));
        self.ln_alive_at_n(x, tx, n).exp() * rate * first * series
    }
}

/// The largest number of opportunities a BG/BB fit or prediction takes per customer (its
/// likelihood sums over every opportunity: 100,000 terms per pattern and evaluation).
pub const MAX_PERIODS: u64 = 100_000;

/// The largest number of opportunities of [`BgBb::probabilities_of_purchases`] (its cost is
/// quadratic: 12.5 million terms, about a second, at this bound).
pub const MAX_OPPORTUNITIES: u64 = 5_000;

/// What to predict for each customer under BG/BB.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BgbbPrediction {
    /// P(alive at the next opportunity).
    Alive,
    /// P(alive m opportunities after the last one observed).
    AliveAt(f64),
    /// Transactions in the next t opportunities (a whole number).
    Conditional(f64),
    /// Discounted expected residual transactions at a rate per opportunity.
    Dert(f64),
}

impl BgbbPrediction {
    /// Builds a prediction from its name ("alive", "conditional", "dert") and arguments,
    /// checking them.
    pub fn parse(what: &str, t: f64, discount_rate: f64) -> Result<Self> {
        match what {
            "alive" => Ok(BgbbPrediction::Alive),
            "alive_at" if t >= 0.0 && t.is_finite() && t.fract() == 0.0 => Ok(BgbbPrediction::AliveAt(t)),
            "alive_at" => {
                Err(Error::parameter("t", format!("must be a non-negative whole number of periods, got {t}")))
            }
            "conditional" if t >= 0.0 && t.is_finite() && t.fract() == 0.0 => {
                Ok(BgbbPrediction::Conditional(t))
            }
            "conditional" => {
                Err(Error::parameter("t", format!("must be a non-negative whole number of periods, got {t}")))
            }
            "dert" if discount_rate > 0.0 && discount_rate.is_finite() => {
                Ok(BgbbPrediction::Dert(discount_rate))
            }
            "dert" => Err(Error::parameter(
                "discount_rate",
                format!("must be positive and finite, got {discount_rate}"),
            )),
            o => Err(Error::parameter(
                "what",
                format!("must be 'alive', 'alive_at', 'conditional' or 'dert', got '{o}'"),
            )),
        }
    }
}

impl BgBb {
    /// `what` for every row of `p` (patterns kept in row order), in parallel.
    pub fn predict(&self, p: &DiscretePatterns, what: BgbbPrediction) -> Vec<f64> {
        (0..p.x.len())
            .into_par_iter()
            .map(|i| match what {
                BgbbPrediction::Alive => self.probability_alive(p.x[i], p.tx[i], p.n[i]),
                BgbbPrediction::AliveAt(m) => self.probability_alive_at(m, p.x[i], p.tx[i], p.n[i]),
                BgbbPrediction::Conditional(t) => {
                    self.conditional_expected_purchases(t, p.x[i], p.tx[i], p.n[i])
                }
                BgbbPrediction::Dert(d) => {
                    self.discounted_expected_residual_transactions(d, p.x[i], p.tx[i], p.n[i])
                }
            })
            .collect()
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
    fn patterns_of_customer_parts_merge_to_the_likelihood_of_the_whole() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let (mut x, mut tx, mut n, mut w) = (vec![], vec![], vec![], vec![]);
        for _ in 0..600 {
            let ni: u32 = rng.random_range(1..8);
            let ti = rng.random_range(0..=ni);
            x.push(f64::from(if ti == 0 { 0 } else { rng.random_range(1..=ti) }));
            tx.push(f64::from(ti));
            n.push(f64::from(ni));
            w.push(rng.random_range(0.5..3.0));
        }
        let names = ["x", "t_x", "n"];
        let of = |rows: &[usize]| {
            let pick = |v: &[f64]| rows.iter().map(|&i| v[i]).collect::<Vec<f64>>();
            DiscretePatterns::new(&pick(&x), &pick(&tx), &pick(&n), Some(&pick(&w)), names)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let all: Vec<usize> = (0..x.len()).collect();
        let part: Vec<usize> = all.iter().map(|_| rng.random_range(0..3)).collect();
        let parts: Vec<Vec<usize>> =
            (0..3).map(|p| all.iter().copied().filter(|&i| part[i] == p).collect()).collect();
        let merged = of(&parts[0]).merge(&of(&parts[1])).merge(&of(&parts[2]));
        assert_eq!(merged, of(&parts.concat()));
        let m = BgBb { alpha: 1.2, beta: 0.8, gamma: 0.7, delta: 2.5 };
        let ((v0, g0), (v1, g1)) = (m.total(&of(&all)), m.total(&merged));
        assert!((v0 - v1).abs() <= 1e-12 * v0.abs(), "{v0} {v1}");
        for (p, q) in g0.iter().zip(g1) {
            assert!((p - q).abs() <= 1e-12 * p.abs(), "{p} {q}");
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

    /// P(history) and the expected future transactions by enumerating every path of
    /// (transaction, dropout) over the opportunities, for fixed p and theta.
    fn enumerate(p: f64, th: f64, hist: &[bool], future: usize, disc: f64) -> (f64, f64, f64) {
        // alive-path probability and transaction indicators: the customer is alive at opportunity
        // k with probability (1-theta)^k; a dead customer never transacts
        let n = hist.len();
        let mut like = 0.0;
        let mut on_alive = 0.0; // P(history, alive at n)
        for death in 1..=n + 1 {
            // alive at opportunities 1..death-1, dead from `death` on (death = n+1: alive at n)
            let surv = (1.0 - th).powi(death as i32 - 1) * if death <= n { th } else { 1.0 };
            let mut pr = surv;
            for (k, &buy) in hist.iter().enumerate() {
                let alive = k + 1 < death;
                pr *= match (alive, buy) {
                    (true, true) => p,
                    (true, false) => 1.0 - p,
                    (false, true) => 0.0,
                    (false, false) => 1.0,
                };
            }
            like += pr;
            if death == n + 1 {
                on_alive = pr;
            }
        }
        let ahead: f64 = (1..=future).map(|t| p * (1.0 - th).powi(t as i32)).sum();
        let q = (1.0 - th) / (1.0 + disc);
        let disc_ahead = p * q / (1.0 - q);
        (like, on_alive * ahead, on_alive * disc_ahead)
    }

    /// Midpoint rule with k x k points over (p, theta) of the enumerated quantities weighted by
    /// the Beta densities.
    fn grid(m: &BgBb, hist: &[bool], future: usize, disc: f64, k: u32) -> [f64; 3] {
        let mut out = [0.0; 3];
        for i in 0..k {
            let p = (f64::from(i) + 0.5) / f64::from(k);
            let wp =
                ((m.alpha - 1.0) * p.ln() + (m.beta - 1.0) * (1.0 - p).ln() - ln_beta(m.alpha, m.beta)).exp();
            for j in 0..k {
                let th = (f64::from(j) + 0.5) / f64::from(k);
                let wt = ((m.gamma - 1.0) * th.ln() + (m.delta - 1.0) * (1.0 - th).ln()
                    - ln_beta(m.gamma, m.delta))
                .exp();
                let (l, c, dd) = enumerate(p, th, hist, future, disc);
                let w = wp * wt / f64::from(k * k);
                for (o, v) in out.iter_mut().zip([l, c, dd]) {
                    *o += w * v;
                }
            }
        }
        out
    }

    #[test]
    fn predictions_match_enumeration_over_a_beta_grid() {
        // integer alpha, beta, gamma, delta > 1 make the integrands smooth in (p, theta), so
        // the midpoint rule's error is c / k^2 + O(k^-4) and Richardson extrapolation from k and
        // 2k removes the first term
        let m = BgBb { alpha: 3.0, beta: 2.0, gamma: 2.0, delta: 4.0 };
        let hist = [true, false, true, false, false];
        let (x, tx, n) = (2.0, 3.0, 5.0);
        let (coarse, fine) = (grid(&m, &hist, 4, 0.1, 300), grid(&m, &hist, 4, 0.1, 600));
        let [like, cond, dert] = [0, 1, 2].map(|i| (4.0 * fine[i] - coarse[i]) / 3.0);
        assert!((m.log_likelihood(x, tx, n).0 - like.ln()).abs() < 1e-7, "{like}");
        let c = m.conditional_expected_purchases(4.0, x, tx, n);
        assert!((c / (cond / like) - 1.0).abs() < 1e-7, "{c} vs {}", cond / like);
        let d = m.discounted_expected_residual_transactions(0.1, x, tx, n);
        assert!((d / (dert / like) - 1.0).abs() < 1e-7, "{d} vs {}", dert / like);
    }

    #[test]
    fn unconditional_is_conditional_on_no_history_and_closed_form_agrees() {
        let m = BgBb { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 };
        for t in [1.0, 5.0, 100.0] {
            let e = m.expected_purchases(t);
            assert!((e - m.conditional_expected_purchases(t, 0.0, 0.0, 0.0)).abs() < 1e-14);
        }
        // the term-by-term sum at m = 10,000 against the closed form just past it
        let (sum, closed) = (m.expected_purchases(10_000.0), m.expected_purchases(10_000.0 + 1e-9));
        assert!((sum / closed - 1.0).abs() < 1e-10, "{sum} vs {closed}");
        let m1 = BgBb { gamma: 1.0 + 1e-8, ..m };
        let (sum, closed) = (m1.expected_purchases(10_000.0), m1.expected_purchases(10_000.0 + 1e-9));
        assert!((sum / closed - 1.0).abs() < 1e-6, "{sum} vs {closed}");
        assert!(m.discounted_expected_residual_transactions(0.0, 1.0, 1.0, 2.0).is_nan());
    }

    #[test]
    fn purchase_count_law_sums_to_one_with_the_expected_mean() {
        let m = BgBb { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 };
        for n in [0, 1, 6, 40] {
            let p = m.probabilities_of_purchases(n).unwrap_or_default();
            let total: f64 = p.iter().sum();
            let mean: f64 = p.iter().enumerate().map(|(x, q)| x as f64 * q).sum();
            assert!((total - 1.0).abs() < 1e-12, "{n}: {total}");
            assert!((mean - m.expected_purchases(n as f64)).abs() < 1e-10, "{n}: {mean}");
        }
        assert!(m.probabilities_of_purchases(MAX_OPPORTUNITIES + 1).is_err());
        // alive at n + 0 is above alive at n + 1 and falls with m
        let (now, next, later) = (
            m.probability_alive_at(0.0, 3.0, 4.0, 6.0),
            m.probability_alive(3.0, 4.0, 6.0),
            m.probability_alive_at(5.0, 3.0, 4.0, 6.0),
        );
        assert!(now > next && next > later && later > 0.0);
    }
}
