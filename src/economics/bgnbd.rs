//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way",
//! Marketing Science 24(2), 275-284).
//!
//! While active, a customer buys at Poisson rate lambda ~ Gamma(r, alpha); after each repeat
//! purchase the customer drops out with probability p ~ Beta(a, b). For a customer with x repeat
//! purchases, the last at t_x, observed for T:
//!
//! L = Gamma(r + x) alpha^r / Gamma(r) x [ B(a, b + x) / B(a, b) (alpha + T)^-(r + x)
//!     + \[x > 0\] B(a + 1, b + x - 1) / B(a, b) (alpha + t_x)^-(r + x) ],
//!
//! the full density of (x, t_x) with every constant, computed in log space.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::stats::hash::BitsMap;
use crate::stats::special::{digamma, hyp2f1, ln_beta, ln_gamma};

use super::fit::{l2_weights, maximise, sum_terms, time_scale, Fitted};

/// The largest frequency (repeat purchases of one customer) the models take: 10^12, beyond
/// which ln Gamma(r + x) and its neighbours no longer resolve the likelihood's differences.
pub const MAX_FREQUENCY: f64 = 1e12;

/// Customers' (x, t_x, T) patterns with counts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Patterns {
    /// Repeat purchases.
    pub x: Vec<f64>,
    /// Time of the last repeat purchase.
    pub tx: Vec<f64>,
    /// Time observed.
    pub t: Vec<f64>,
    /// Customers with this pattern (or weights).
    pub n: Vec<f64>,
    /// For every input customer, the position of its pattern.
    pub index: Vec<u32>,
}

impl Patterns {
    /// Compresses per-customer data into unique patterns, after checking it.
    pub fn from_customers(
        x: &[f64],
        tx: &[f64],
        t: &[f64],
        w: Option<&[f64]>,
        names: [&str; 3],
    ) -> Result<Self> {
        let n = x.len();
        if n == 0 {
            return Err(Error::input(names[0], "no customers"));
        }
        let mut map: BitsMap<[u64; 3], u32> = BitsMap::default();
        map.reserve(n / 4);
        let mut p = Patterns { index: Vec::with_capacity(n), ..Patterns::default() };
        for i in 0..n {
            let (xi, txi, ti) = (x[i], tx[i], t[i]);
            if xi < 0.0 || xi.fract() != 0.0 {
                return Err(Error::input(
                    names[0],
                    format!("frequency must be a non-negative integer; row {i} holds {xi}"),
                ));
            }
            if xi > MAX_FREQUENCY {
                return Err(Error::input(
                    names[0],
                    format!(
                        "row {i} holds {xi:.3e} repeat purchases, past {MAX_FREQUENCY:e}, where the models' \
                         likelihood terms lose all precision; check the column (a sum of amounts?)"
                    ),
                ));
            }
            if !(ti.is_finite() && txi.is_finite()) {
                return Err(Error::input(
                    names[2],
                    format!("recency and T must be finite; row {i} holds {txi} and {ti}"),
                ));
            }
            if txi < 0.0 {
                return Err(Error::input(
                    names[1],
                    format!("recency must be non-negative; row {i} holds {txi}"),
                ));
            }
            if ti < txi {
                return Err(Error::input(
                    names[2],
                    format!("T ({ti}) is smaller than recency ({txi}) at row {i}"),
                ));
            }
            if xi == 0.0 && txi != 0.0 {
                return Err(Error::input(
                    names[1],
                    format!("recency must be 0 when frequency is 0; row {i} holds {txi}"),
                ));
            }
            let wi = w.map_or(1.0, |w| w[i]);
            if wi.is_nan() || wi < 0.0 {
                return Err(Error::input(
                    "weights",
                    format!("weights must be non-negative; row {i} holds {wi}"),
                ));
            }
            let slot = p.add(&mut map, xi, txi, ti, wi);
            p.index.push(slot);
        }
        Ok(p.canonical())
    }

    /// The same patterns sorted by (x, t_x, T), `index` following. Every fit sums over the
    /// patterns in this order, so a fit depends only on the set of patterns and their counts,
    /// not on the order the customers came in: the patterns of a partitioned log, merged in any
    /// order, fit bit for bit as the whole log's do (for whole-number counts, whose sums are
    /// exact in any order).
    fn canonical(self) -> Patterns {
        let m = self.x.len();
        let mut order: Vec<u32> = (0..m as u32).collect();
        let key = |k: u32| (self.x[k as usize], self.tx[k as usize], self.t[k as usize]);
        order.sort_unstable_by(|&i, &j| {
            let (a, b) = (key(i), key(j));
            a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.total_cmp(&b.2))
        });
        if order.iter().enumerate().all(|(k, &i)| k as u32 == i) {
            return self;
        }
        let mut rank = vec![0u32; m];
        for (k, &i) in order.iter().enumerate() {
            rank[i as usize] = k as u32;
        }
        let pick = |v: &[f64]| -> Vec<f64> { order.iter().map(|&i| v[i as usize]).collect() };
        Patterns {
            x: pick(&self.x),
            tx: pick(&self.tx),
            t: pick(&self.t),
            n: pick(&self.n),
            index: self.index.iter().map(|&k| rank[k as usize]).collect(),
        }
    }

    /// Adds weight `w` to the pattern (x, t_x, T) (found through `map`, appended when new) and
    /// returns its position.
    fn add(&mut self, map: &mut BitsMap<[u64; 3], u32>, x: f64, tx: f64, t: f64, w: f64) -> u32 {
        let next = self.x.len() as u32;
        let slot = *map.entry(pattern_key(x, tx, t)).or_insert(next);
        if slot == next {
            self.x.push(x);
            self.tx.push(tx);
            self.t.push(t);
            self.n.push(0.0);
        }
        self.n[slot as usize] += w;
        slot
    }

    /// The patterns of `self`'s customers followed by `other`'s, in canonical order (customers summarised apart, as
    /// parts of a partitioned log are: merge their
    /// [`PartialSummary`](super::summary::PartialSummary) states first when one customer's
    /// transactions are spread over parts). A pattern in both keeps the sum of the counts, one
    /// only in `other` is appended, and `other`'s customers' `index` follows `self`'s: the
    /// result is exactly [`Patterns::from_customers`] of the concatenated customers (counts
    /// added part by part, equal for whole-number weights). The log-likelihood and its gradient
    /// are count-weighted sums over patterns, so they agree with those of all customers up to
    /// the order of summation.
    pub fn merge(mut self, other: &Patterns) -> Patterns {
        let mut map: BitsMap<[u64; 3], u32> = BitsMap::default();
        map.reserve(self.x.len() + other.x.len());
        for i in 0..self.x.len() {
            map.insert(pattern_key(self.x[i], self.tx[i], self.t[i]), i as u32);
        }
        let remap: Vec<u32> = (0..other.x.len())
            .map(|j| self.add(&mut map, other.x[j], other.tx[j], other.t[j], other.n[j]))
            .collect();
        self.index.extend(other.index.iter().map(|&k| remap[k as usize]));
        self.canonical()
    }
}

/// The hash key of a pattern: the bits of (x, t_x, T).
fn pattern_key(x: f64, tx: f64, t: f64) -> [u64; 3] {
    [x.to_bits(), tx.to_bits(), t.to_bits()]
}

/// BG/NBD (or, with `modified`, MBG/NBD) parameters.
///
/// The MBG/NBD of Batislam, Denizel & Filiztekin (2007) lets a customer also drop out right
/// after the first purchase, which shifts x by one in the Beta terms:
/// L = Gamma(r + x) alpha^r / Gamma(r) x [B(a, b + x + 1) / B(a, b) (alpha + T)^-(r + x)
///     + B(a + 1, b + x) / B(a, b) (alpha + t_x)^-(r + x)].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BgNbd {
    /// Shape of the Gamma purchase-rate distribution.
    pub r: f64,
    /// Rate (scale in time units) of the Gamma distribution.
    pub alpha: f64,
    /// Beta dropout parameter a.
    pub a: f64,
    /// Beta dropout parameter b.
    pub b: f64,
    /// The MBG/NBD variant.
    pub modified: bool,
}

/// ln u and 1 / u.
#[derive(Debug, Clone, Copy)]
struct LnInv {
    ln: f64,
    inv: f64,
}

impl LnInv {
    #[inline(always)]
    fn at(u: f64) -> Self {
        LnInv { ln: u.ln(), inv: 1.0 / u }
    }
}

/// The distinct values of T and t_x over the patterns, and each pattern's position in them.
#[derive(Debug, Clone)]
struct Times {
    values: Vec<f64>,
    t: Vec<u32>,
    tx: Vec<u32>,
}

impl Times {
    /// `None` when the times are mostly distinct (a table would not save work).
    fn of(p: &Patterns) -> Option<Times> {
        let mut map: BitsMap<u64, u32> = BitsMap::default();
        let mut values = Vec::new();
        let mut code = |v: f64| -> u32 {
            *map.entry(v.to_bits()).or_insert_with(|| {
                values.push(v);
                (values.len() - 1) as u32
            })
        };
        let t: Vec<u32> = p.t.iter().map(|v| code(*v)).collect();
        let tx: Vec<u32> = p.tx.iter().map(|v| code(*v)).collect();
        (values.len() * 4 < p.t.len()).then_some(Times { values, t, tx })
    }
}

/// The x-only parts of a customer's log-likelihood and gradient.
#[derive(Debug, Clone, Copy)]
struct XTerms {
    constant: f64,
    beta1: f64,
    beta2: f64,
    d_r: f64,
    d_abx: f64,
    d_bx: f64,
    d_bx1: f64,
    second: bool,
}

impl BgNbd {
    /// From [r, alpha, a, b].
    pub fn from_slice(p: &[f64], modified: bool) -> Self {
        let g = |i: usize| p.get(i).copied().unwrap_or(f64::NAN);
        BgNbd { r: g(0), alpha: g(1), a: g(2), b: g(3), modified }
    }

    pub fn shift(&self) -> f64 {
        if self.modified {
            1.0
        } else {
            0.0
        }
    }

    /// The parts of one customer's log-likelihood that depend on x alone (the Gamma, Beta and
    /// digamma terms); patterns share them, so a fit computes them once per distinct x.
    fn x_terms(&self, x: f64) -> XTerms {
        let BgNbd { r, alpha, a, b, .. } = *self;
        let s = self.shift();
        let second = x > 0.0 || self.modified;
        XTerms {
            constant: ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() - ln_beta(a, b),
            beta1: ln_beta(a, b + x + s),
            beta2: if second { ln_beta(a + 1.0, b + x - 1.0 + s) } else { f64::NEG_INFINITY },
            d_r: digamma(r + x) - digamma(r) + alpha.ln(),
            d_abx: digamma(a + b + x + s),
            d_bx: digamma(b + x + s),
            d_bx1: if second { digamma(b + x - 1.0 + s) } else { 0.0 },
            second,
        }
    }

    /// Log-likelihood of one customer and its gradient in (r, alpha, a, b).
    pub fn log_likelihood(&self, x: f64, tx: f64, t: f64) -> (f64, [f64; 4]) {
        self.log_likelihood_with(&self.x_terms(x), &self.shared(), x, tx, t)
    }

    /// Digamma terms of the parameters alone: psi(a) - psi(a + b), psi(b) - psi(a + b),
    /// psi(a + 1), psi(a).
    fn shared(&self) -> [f64; 4] {
        let d_ab = digamma(self.a + self.b);
        let d_a = digamma(self.a);
        [d_a - d_ab, digamma(self.b) - d_ab, digamma(self.a + 1.0), d_a]
    }

    fn log_likelihood_with(&self, k: &XTerms, sh: &[f64; 4], x: f64, tx: f64, t: f64) -> (f64, [f64; 4]) {
        let (lt, ltx) = self.times_at(k, tx, t);
        self.log_likelihood_at(k, sh, x, lt, ltx)
    }

    /// ln and 1/ of alpha + T and alpha + t_x (the second only where its term exists: for
    /// repeat buyers under BG/NBD, always under MBG/NBD).
    #[inline(always)]
    fn times_at(&self, k: &XTerms, tx: f64, t: f64) -> (LnInv, LnInv) {
        let atx = if k.second { LnInv::at(self.alpha + tx) } else { LnInv { ln: 0.0, inv: 0.0 } };
        (LnInv::at(self.alpha + t), atx)
    }

    /// One customer's log-likelihood and gradient given ln and 1/ of alpha + T and alpha + t_x.
    #[inline(always)]
    fn log_likelihood_at(&self, k: &XTerms, sh: &[f64; 4], x: f64, at: LnInv, atx: LnInv) -> (f64, [f64; 4]) {
        let BgNbd { r, alpha, .. } = *self;
        let (lt, ltx) = (at.ln, atx.ln);
        let l1 = k.beta1 - (r + x) * lt;
        // log(e^l1 + e^l2) and the weights w_i = e^(l_i) / (e^l1 + e^l2) from one exponential
        let (total, w1, w2) = if k.second {
            let l2 = k.beta2 - (r + x) * ltx;
            let (hi, d) = if l1 >= l2 { (l1, l2 - l1) } else { (l2, l1 - l2) };
            let e = d.exp(); // in (0, 1]
            let (w_hi, w_lo) = (1.0 / (1.0 + e), e / (1.0 + e));
            let (w1, w2) = if l1 >= l2 { (w_hi, w_lo) } else { (w_lo, w_hi) };
            // ln(1 + e) rather than ln_1p(e): 1 + e rounds with relative error 2^-53, so the
            // absolute error is below 1.2e-16 on a term of order 1, and log is twice as fast
            (hi + (1.0 + e).ln(), w1, w2)
        } else {
            (l1, 1.0, 0.0)
        };
        let value = k.constant + total;
        let dr = k.d_r - w1 * lt - w2 * ltx;
        let dalpha = r / alpha - w1 * (r + x) * at.inv - if k.second { w2 * (r + x) * atx.inv } else { 0.0 };
        let da = -sh[0] + w1 * (sh[3] - k.d_abx) + if k.second { w2 * (sh[2] - k.d_abx) } else { 0.0 };
        let db = -sh[1] + w1 * (k.d_bx - k.d_abx) + if k.second { w2 * (k.d_bx1 - k.d_abx) } else { 0.0 };
        (value, [dr, dalpha, da, db])
    }

    /// Total log-likelihood and gradient over patterns; the x-only terms are tabulated once
    /// per distinct x (there are few), so each pattern costs two logarithms and two exponentials.
    pub fn total(&self, p: &Patterns) -> (f64, [f64; 4]) {
        self.total_with(p, None)
    }

    /// [`BgNbd::total`], with ln and 1/ of alpha + T and alpha + t_x looked up per distinct time
    /// when `times` is given (a fit evaluates the likelihood dozens of times on the same
    /// patterns, and times take few distinct values), leaving one exponential and one logarithm
    /// per pattern.
    fn total_with(&self, p: &Patterns, times: Option<&Times>) -> (f64, [f64; 4]) {
        let max_x = p.x.iter().fold(0.0f64, |m, &v| m.max(v));
        let sh = self.shared();
        // a table of the x-only terms over 0..=max x pays when patterns outnumber the distinct
        // counts; a few patterns with a huge count (one customer with 10^6 purchases) would
        // pay max x terms per evaluation instead of one per pattern
        if max_x > 1e6 || max_x > 4.0 * p.x.len() as f64 + 64.0 {
            return sum_terms::<4, _>(p.x.len(), |i| {
                let (v, g) = self.log_likelihood_with(&self.x_terms(p.x[i]), &sh, p.x[i], p.tx[i], p.t[i]);
                (p.n[i] * v, g.map(|gj| p.n[i] * gj))
            });
        }
        let table: Vec<XTerms> =
            (0..=max_x as usize).into_par_iter().map(|x| self.x_terms(x as f64)).collect();
        let at: Vec<LnInv> =
            times.map(|tt| tt.values.iter().map(|u| LnInv::at(self.alpha + u)).collect()).unwrap_or_default();
        sum_terms::<4, _>(p.x.len(), |i| {
            let k = &table[p.x[i] as usize];
            let (lt, ltx) = match times {
                Some(tt) => (at[tt.t[i] as usize], at[tt.tx[i] as usize]),
                None => self.times_at(k, p.tx[i], p.t[i]),
            };
            let (v, g) = self.log_likelihood_at(k, &sh, p.x[i], lt, ltx);
            let w = p.n[i];
            (w * v, g.map(|gj| w * gj))
        })
    }

    /// Fits by maximum likelihood (`modified`: the MBG/NBD variant).
    pub fn fit(p: &Patterns, modified: bool, penalizer: f64) -> Result<(BgNbd, Fitted)> {
        let penalty = l2_weights(penalizer, p.n.iter().sum(), [1.0, time_scale(&p.t), 1.0, 1.0])?;
        let mean_x = p.x.iter().zip(&p.n).map(|(x, n)| x * n).sum::<f64>() / p.n.iter().sum::<f64>();
        let mean_t = p.t.iter().zip(&p.n).map(|(t, n)| t * n).sum::<f64>() / p.n.iter().sum::<f64>();
        let start = [1.0, (mean_t / mean_x.max(0.1)).max(1e-3), 1.0, 1.0];
        let what = if modified { "MBG/NBD fit" } else { "BG/NBD fit" };
        let times = Times::of(p);
        let f = maximise::<4, _>(
            |q| BgNbd::from_slice(q, modified).total_with(p, times.as_ref()),
            start,
            what,
            penalty,
        )?;
        Ok((BgNbd::from_slice(&f.params, modified), f))
    }

    /// P(alive | x, t_x, T) = 1 / (1 + \[x > 0\] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))
    /// (MBG/NBD: 1 / (1 + a / (b + x) (...)^(r + x)) for every x).
    pub fn probability_alive(&self, x: f64, tx: f64, t: f64) -> f64 {
        if x == 0.0 && !self.modified {
            return 1.0;
        }
        let BgNbd { r, alpha, a, b, .. } = *self;
        let log_ratio = (a / (b + x - 1.0 + self.shift())).ln() + (r + x) * ((alpha + t) / (alpha + tx)).ln();
        1.0 / (1.0 + log_ratio.exp())
    }

    /// E[X(t)] for a customer just acquired (FHL 2005, eq. 9; MBG/NBD: Batislam et al. 2007):
    /// BG (a + b - 1)/(a - 1) [1 - (alpha/(alpha + t))^r 2F1(r, b; a + b - 1; t/(alpha + t))],
    /// MBG b/(a - 1) [1 - (alpha/(alpha + t))^r 2F1(r, b + 1; a + b; t/(alpha + t))].
    pub fn expected_purchases(&self, t: f64) -> f64 {
        let BgNbd { r, alpha, a, b, modified } = *self;
        if a == 1.0 {
            return f64::NAN;
        }
        let z = t / (alpha + t);
        let tail = |bb: f64, c: f64| 1.0 - (alpha / (alpha + t)).powf(r) * hyp2f1(r, bb, c, z);
        if modified {
            b / (a - 1.0) * tail(b + 1.0, a + b)
        } else {
            (a + b - 1.0) / (a - 1.0) * tail(b, a + b - 1.0)
        }
    }

    /// P(X(t) = n) for a customer just acquired, n = 0..=max_n, in one pass (the running sum
    /// of the NB terms makes it linear in max_n). BG/NBD (FHL 2005, eq. 8):
    /// B(a, b + n)/B(a, b) NB(n) + \[n > 0\] B(a + 1, b + n - 1)/B(a, b) [1 - sum_(j<n) NB(j)];
    /// MBG/NBD (Batislam, Denizel & Filiztekin 2007), where a customer may leave at once:
    /// B(a, b + n + 1)/B(a, b) NB(n) + B(a + 1, b + n)/B(a, b) [1 - sum_(j<n) NB(j)] for every n;
    /// NB(j) = Gamma(r + j)/(Gamma(r) j!) (alpha/(alpha + t))^r (t/(alpha + t))^j.
    pub fn probabilities_of_purchases(&self, t: f64, max_n: u32) -> Vec<f64> {
        let BgNbd { r, alpha, a, b, modified } = *self;
        let s = if modified { 1.0 } else { 0.0 };
        let (ln_p0, ln_q) = ((alpha / (alpha + t)).ln(), (t / (alpha + t)).ln());
        let base = ln_beta(a, b);
        let mut below: f64 = 0.0; // sum_(j<n) NB(j)
        let mut ln_nb = r * ln_p0; // ln NB(0)
        let mut out = Vec::with_capacity(max_n as usize + 1);
        for n in 0..=max_n {
            let nf = f64::from(n);
            if n > 0 {
                // NB(n) = NB(n - 1) (r + n - 1)/n (t/(alpha + t))
                ln_nb += (r + nf - 1.0).ln() - nf.ln() + ln_q;
            }
            let first = (ln_beta(a, b + nf + s) - base + ln_nb).exp();
            let second = if n > 0 || modified {
                (ln_beta(a + 1.0, b + nf - 1.0 + s) - base).exp() * (1.0 - below).max(0.0)
            } else {
                0.0
            };
            out.push(first + second);
            below += ln_nb.exp();
        }
        out
    }

    /// E[Y(t) | x, t_x, T]: expected purchases in the next t (FHL 2005, eq. 10):
    /// (a + b + x - 1 + s)/(a - 1) [1 - ((alpha + T)/(alpha + T + t))^(r + x)
    /// 2F1(r + x, b + x + s; a + b + x - 1 + s; t/(alpha + T + t))] x P(alive), s = 1 for MBG.
    pub fn conditional_expected_purchases(&self, t: f64, x: f64, tx: f64, big_t: f64) -> f64 {
        let BgNbd { r, alpha, a, b, .. } = *self;
        let s = self.shift();
        // a + b + x - 1 + s below 0 (a + b < 1, as on small samples) is fine: the series
        // converges for any c off the non-positive integers
        if a == 1.0 {
            return f64::NAN;
        }
        let z = t / (alpha + big_t + t);
        let head = (a + b + x - 1.0 + s) / (a - 1.0);
        let tail = 1.0
            - ((alpha + big_t) / (alpha + big_t + t)).powf(r + x)
                * hyp2f1(r + x, b + x + s, a + b + x - 1.0 + s, z);
        head * tail * self.probability_alive(x, tx, big_t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_per_customer_log_likelihoods() {
        let m = BgNbd { r: 0.25, alpha: 4.0, a: 0.8, b: 2.5, modified: false };
        assert!((m.log_likelihood(0.0, 0.0, 40.0).0 - -0.59947382).abs() < 1e-7);
        assert!((m.log_likelihood(200.0, 38.0, 40.0).0 - 100.7957).abs() < 1e-4);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        for modified in [false, true] {
            let m = BgNbd { r: 0.3, alpha: 5.0, a: 0.9, b: 2.1, modified };
            let (_, g) = m.log_likelihood(3.0, 20.0, 35.0);
            let p = [m.r, m.alpha, m.a, m.b];
            for j in 0..4 {
                let h = 1e-6;
                let mut up = p;
                let mut dn = p;
                up[j] += h;
                dn[j] -= h;
                let num = (BgNbd::from_slice(&up, modified).log_likelihood(3.0, 20.0, 35.0).0
                    - BgNbd::from_slice(&dn, modified).log_likelihood(3.0, 20.0, 35.0).0)
                    / (2.0 * h);
                assert!((num - g[j]).abs() < 1e-6, "{j}: {num} vs {}", g[j]);
            }
        }
    }

    #[test]
    fn worked_example_conditional_expectation() {
        let m = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, modified: false };
        let e = m.conditional_expected_purchases(39.0, 2.0, 30.43, 38.86);
        assert!((e - 1.226).abs() < 0.001, "{e}");
    }

    #[test]
    fn purchase_count_distribution_sums_to_one_with_the_expected_mean() {
        // BG/NBD and MBG/NBD: the probabilities of 0..400 purchases in 39 weeks sum to one and
        // their mean is E[X(t)] (computed independently, through 2F1)
        for modified in [false, true] {
            let m = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, modified };
            let p = m.probabilities_of_purchases(39.0, 400);
            let total: f64 = p.iter().sum();
            let mean: f64 = p.iter().enumerate().map(|(n, q)| n as f64 * q).sum();
            assert!(p.iter().all(|q| (0.0..=1.0).contains(q)), "{modified}");
            assert!((total - 1.0).abs() < 1e-9, "{modified}: {total}");
            assert!((mean - m.expected_purchases(39.0)).abs() < 1e-6, "{modified}: {mean}");
        }
    }

    #[test]
    fn a_fit_on_millions_of_customers_stops_once_the_gradient_is_rounding_noise() {
        // A gradient summed over millions of customers cannot get below ~1e-16 of the
        // likelihood's size, so an absolute tolerance alone would keep BFGS iterating.
        let mut x = Vec::new();
        let (mut tx, mut t, mut w) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..400u32 {
            let f = f64::from(i % 9);
            x.push(f);
            tx.push(if f > 0.0 { 1.0 + f64::from(i % 37) } else { 0.0 });
            t.push(39.0 + f64::from(i % 5));
            w.push(2_500.0 + f64::from(i % 7) * 1_000.0);
        }
        // These data carry no evidence of dropout: a and b run off to infinity together, where
        // the likelihood is flat to rounding. The fit must end quickly either way: stopped at
        // the noise floor, or by a step too small to move, reported as a ConvergenceError.
        let fitted = Patterns::from_customers(&x, &tx, &t, Some(&w), ["frequency", "recency", "T"])
            .and_then(|p| BgNbd::fit(&p, false, 0.0));
        match fitted {
            Ok((m, fit)) => {
                assert!(fit.iterations < 300, "{} iterations", fit.iterations);
                assert!(m.r > 0.0 && fit.log_likelihood.is_finite());
            }
            Err(Error::Convergence { advice, .. }) => {
                let n: usize =
                    advice.split_whitespace().nth(3).and_then(|w| w.parse().ok()).unwrap_or(usize::MAX);
                assert!(n < 300, "{advice}");
                assert!(advice.contains("may not identify"), "{advice}");
            }
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn times_looked_up_per_distinct_value_give_the_same_likelihood() {
        let x = [0.0, 1.0, 3.0, 1.0, 0.0, 2.0, 1.0, 3.0, 0.0];
        let tx = [0.0, 4.5, 30.25, 4.5, 0.0, 12.0, 30.25, 38.0, 0.0];
        let t = [39.0, 39.0, 38.0, 39.0, 38.0, 39.0, 39.0, 38.0, 39.0];
        let Ok(p) = Patterns::from_customers(&x, &tx, &t, None, ["frequency", "recency", "T"]) else {
            panic!("valid patterns rejected")
        };
        let times = Times { values: vec![39.0, 38.0, 0.0, 4.5, 30.25, 12.0], t: vec![], tx: vec![] };
        let code = |v: f64| times.values.iter().position(|u| *u == v).map_or(u32::MAX, |i| i as u32);
        let times = Times {
            t: p.t.iter().map(|v| code(*v)).collect(),
            tx: p.tx.iter().map(|v| code(*v)).collect(),
            ..times
        };
        for m in [
            BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, modified: false },
            BgNbd { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614, modified: true },
        ] {
            let (v0, g0) = m.total(&p);
            let (v1, g1) = m.total_with(&p, Some(&times));
            assert!((v0 - v1).abs() <= 1e-13 * v0.abs(), "{v0} {v1}");
            for (a, b) in g0.iter().zip(g1) {
                assert!((a - b).abs() <= 1e-12 * a.abs().max(1.0), "{a} {b}");
            }
        }
    }

    #[test]
    fn patterns_of_customer_parts_merge_to_the_patterns_of_the_whole() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let n = 3000;
        let x: Vec<f64> = (0..n).map(|_| f64::from(rng.random_range(0..6u32))).collect();
        let tx: Vec<f64> =
            x.iter().map(|v| if *v > 0.0 { f64::from(rng.random_range(1..30u32)) } else { 0.0 }).collect();
        let t: Vec<f64> = (0..n).map(|_| f64::from(rng.random_range(30..40u32))).collect();
        let w: Vec<f64> = (0..n).map(|_| rng.random_range(0.5..3.0)).collect();
        let part: Vec<usize> = (0..n).map(|_| rng.random_range(0..3)).collect();
        let names = ["frequency", "recency", "T"];
        let of = |rows: &[usize], weights: bool| {
            let pick = |v: &[f64]| rows.iter().map(|&i| v[i]).collect::<Vec<f64>>();
            let w = pick(&w);
            Patterns::from_customers(&pick(&x), &pick(&tx), &pick(&t), weights.then_some(w.as_slice()), names)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let all: Vec<usize> = (0..n).collect();
        let parts: Vec<Vec<usize>> =
            (0..3).map(|p| all.iter().copied().filter(|&i| part[i] == p).collect()).collect();
        for weights in [false, true] {
            let merged =
                parts.iter().skip(1).fold(of(&parts[0], weights), |m, rows| m.merge(&of(rows, weights)));
            let concatenated = of(&parts.concat(), weights);
            assert_eq!(
                (&merged.x, &merged.tx, &merged.t, &merged.index),
                (&concatenated.x, &concatenated.tx, &concatenated.t, &concatenated.index)
            );
            if !weights {
                assert_eq!(merged.n, concatenated.n);
            }
            // against all customers in their own order: other pattern order, same sums
            let whole = of(&all, weights);
            assert_eq!(merged.n.iter().sum::<f64>().round(), whole.n.iter().sum::<f64>().round());
            for modified in [false, true] {
                let m = BgNbd { r: 0.3, alpha: 5.0, a: 0.8, b: 2.5, modified };
                let ((v0, g0), (v1, g1)) = (m.total(&whole), m.total(&merged));
                assert!((v0 - v1).abs() <= 1e-12 * v0.abs(), "{v0} {v1}");
                for (p, q) in g0.iter().zip(g1) {
                    assert!((p - q).abs() <= 1e-12 * p.abs(), "{p} {q}");
                }
            }
            let m = crate::economics::pareto::ParetoNbd::from_slice(&[0.6, 8.0, 0.7, 9.0]);
            let ((v0, g0), (v1, g1)) = (m.total(&whole), m.total(&merged));
            assert!((v0 - v1).abs() <= 1e-12 * v0.abs(), "{v0} {v1}");
            for (p, q) in g0.iter().zip(g1) {
                assert!((p - q).abs() <= 1e-12 * p.abs(), "{p} {q}");
            }
        }
    }

    #[test]
    fn bad_patterns_name_the_column() {
        let e = Patterns::from_customers(&[1.0], &[5.0], &[3.0], None, ["frequency", "recency", "T"]);
        assert!(e.err().map(|e| e.to_string()).unwrap_or_default().contains("'T'"));
        let e = Patterns::from_customers(&[1.5], &[1.0], &[3.0], None, ["frequency", "recency", "T"]);
        assert!(e.err().map(|e| e.to_string()).unwrap_or_default().contains("'frequency'"));
    }
}
