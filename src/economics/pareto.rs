//! The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987), with the likelihood as derived in
//! Fader, Hardie & Lee (2005), "A note on deriving the Pareto/NBD model and related expressions".
//!
//! While alive a customer buys at Poisson rate lambda ~ Gamma(r, alpha) and dies at exponential
//! rate mu ~ Gamma(s, beta). For x repeat purchases, the last at t_x, observed for T:
//!
//! ```text
//! L = Gamma(r+x) alpha^r beta^s / Gamma(r) x [ (alpha+T)^-(r+x) (beta+T)^-s + s/(r+s+x) A0 ]
//! A0 = F(t_x) - F(T), with, for alpha >= beta,
//!      F(u) = 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+u)) / (alpha+u)^(r+s+x)
//! and, for alpha < beta, F(u) = 2F1(r+s+x, r+x; r+s+x+1; (beta-alpha)/(beta+u)) / (beta+u)^(r+s+x).
//! ```
//!
//! The Gauss hypergeometric functions are evaluated after Euler's transformation,
//! 2F1(a, b; a+1; z) = (1-z)^(1-b) 2F1(1, a+1-b; a+1; z), whose series
//! S(c1, c2; z) = sum_k prod_(j<k) (c1+j)/(c2+j) z^k has positive terms shrinking at least as fast
//! as z^k, in log space. With it, for alpha >= beta,
//! ln F(u) = -s ln(beta+u) - (r+x) ln(alpha+u) + ln S(r+x, r+s+x+1; (alpha-beta)/(alpha+u)), and
//! for alpha < beta, ln F(u) = (1-r-x) ln(alpha+u) - (1+s) ln(beta+u) plus
//! ln S(s+1, r+s+x+1; (beta-alpha)/(beta+u)). A0 is a difference taken in log space, so P(alive)
//! stays finite for frequencies in the hundreds.
//!
//! The gradient is analytic: the series carries its derivatives in c1, c2 (each term times
//! sum_(j<k) 1/(c+j)) and z (k t_k / z) alongside its value, and
//! d ln A0 = (d ln F(t_x) - e d ln F(T)) / (1 - e) with e = F(T)/F(t_x).

use crate::error::Result;
use crate::stats::special::{digamma, gauss_legendre, ln_gamma, log_add_exp, upper_gamma_scaled};

use super::bgnbd::Patterns;
use super::fit::{l2_weights, maximise, sum_terms, time_scale, Fitted};

/// Pareto/NBD parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParetoNbd {
    /// Shape of the purchase-rate Gamma.
    pub r: f64,
    /// Rate of the purchase-rate Gamma.
    pub alpha: f64,
    /// Shape of the dropout-rate Gamma.
    pub s: f64,
    /// Rate of the dropout-rate Gamma.
    pub beta: f64,
}

/// ln S(c1, c2; z) = ln sum_k prod_(j<k) (c1+j)/(c2+j) z^k for c2 > c1 > 0 and 0 <= z < 1 (so
/// the terms are positive and at most z^k), with its derivatives in c1, c2 and z.
///
/// S(c1, c2; z) = 2F1(1, c1; c2; z): near z = 1, where the series needs about 35 / (1 - z) terms
/// (a fit wandering to alpha >> beta asks for z within 1e-4 of 1 on every customer), it is
/// Euler's integral instead ([`crate::stats::special::ln_hyp2f1_1_grad`]).
fn ln_series_grad(c1: f64, c2: f64, z: f64) -> (f64, [f64; 3]) {
    if z >= 0.99 && crate::stats::special::euler_suits(c1, c2) {
        return crate::stats::special::ln_hyp2f1_1_grad(c1, c2, z);
    }
    let (mut term, mut sum) = (1.0, 1.0);
    // running sums of 1/(c1+j) and 1/(c2+j) over j < k, and the derivative sums
    let (mut h1, mut h2) = (0.0, 0.0);
    let (mut d1, mut d2, mut dz) = (0.0, 0.0, 0.0);
    for k in 0..100_000 {
        let k = f64::from(k);
        let over_z = term * (c1 + k) / (c2 + k); // t_(k+1) / z
        h1 += 1.0 / (c1 + k);
        h2 += 1.0 / (c2 + k);
        term = over_z * z;
        sum += term;
        d1 += term * h1;
        d2 -= term * h2;
        dz += (k + 1.0) * over_z;
        if term <= 1e-17 * sum && (k + 1.0) * over_z <= 1e-17 * dz {
            break;
        }
    }
    (sum.ln(), [d1 / sum, d2 / sum, dz / sum])
}

impl ParetoNbd {
    /// From [r, alpha, s, beta].
    pub fn from_slice(p: &[f64]) -> Self {
        let g = |i: usize| p.get(i).copied().unwrap_or(f64::NAN);
        ParetoNbd { r: g(0), alpha: g(1), s: g(2), beta: g(3) }
    }

    /// ln F(u) of the module documentation and its gradient in (r, alpha, s, beta).
    fn ln_f(&self, x: f64, u: f64) -> (f64, [f64; 4]) {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let (la, lb) = ((alpha + u).ln(), (beta + u).ln());
        if alpha >= beta {
            let (ls, [s1, s2, sz]) = ln_series_grad(r + x, r + s + x + 1.0, (alpha - beta) / (alpha + u));
            let value = -s * lb - (r + x) * la + ls;
            let grad = [
                -la + s1 + s2,
                -(r + x) / (alpha + u) + sz * (beta + u) / ((alpha + u) * (alpha + u)),
                -lb + s2,
                -s / (beta + u) - sz / (alpha + u),
            ];
            (value, grad)
        } else {
            let (ls, [s1, s2, sz]) = ln_series_grad(s + 1.0, r + s + x + 1.0, (beta - alpha) / (beta + u));
            let value = (1.0 - r - x) * la - (1.0 + s) * lb + ls;
            let grad = [
                -la + s2,
                (1.0 - r - x) / (alpha + u) - sz / (beta + u),
                -lb + s1 + s2,
                -(1.0 + s) / (beta + u) + sz * (alpha + u) / ((beta + u) * (beta + u)),
            ];
            (value, grad)
        }
    }

    /// ln A0 = ln(F(t_x) - F(T)) (minus infinity when t_x = T) and its gradient.
    fn ln_a0(&self, x: f64, tx: f64, t: f64) -> (f64, [f64; 4]) {
        let (f_tx, g_tx) = self.ln_f(x, tx);
        let (f_t, g_t) = self.ln_f(x, t);
        let d = f_t - f_tx;
        if d >= 0.0 {
            return (f64::NEG_INFINITY, [0.0; 4]);
        }
        let e = d.exp();
        let one_minus_e = -d.exp_m1();
        let mut grad = [0.0; 4];
        for ((g, a), b) in grad.iter_mut().zip(g_tx).zip(g_t) {
            *g = (a - e * b) / one_minus_e;
        }
        (f_tx + (-e).ln_1p(), grad)
    }

    /// Log-likelihood of one customer (every constant of the density included) and its gradient
    /// in (r, alpha, s, beta).
    pub fn log_likelihood(&self, x: f64, tx: f64, t: f64) -> (f64, [f64; 4]) {
        let ParetoNbd { r, alpha, s, beta } = *self;
        if !(r > 0.0 && alpha > 0.0 && s > 0.0 && beta > 0.0) {
            return (f64::NAN, [f64::NAN; 4]);
        }
        let head = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + s * beta.ln();
        let head_grad = [digamma(r + x) - digamma(r) + alpha.ln(), r / alpha, beta.ln(), s / beta];
        let alive = -(r + x) * (alpha + t).ln() - s * (beta + t).ln();
        let alive_grad = [-(alpha + t).ln(), -(r + x) / (alpha + t), -(beta + t).ln(), -s / (beta + t)];
        let (ln_a0, a0_grad) = self.ln_a0(x, tx, t);
        let died = (s / (r + s + x)).ln() + ln_a0;
        let rsx = 1.0 / (r + s + x);
        let died_grad = [a0_grad[0] - rsx, a0_grad[1], a0_grad[2] + 1.0 / s - rsx, a0_grad[3]];
        let lse = log_add_exp(alive, died);
        let (w_alive, w_died) = ((alive - lse).exp(), (died - lse).exp());
        let mut grad = head_grad;
        for ((g, a), d) in grad.iter_mut().zip(alive_grad).zip(died_grad) {
            // a customer with t_x = T has no "died" term (weight 0, gradient 0)
            *g += w_alive * a + if w_died > 0.0 { w_died * d } else { 0.0 };
        }
        (head + lse, grad)
    }

    /// Total log-likelihood over patterns with its gradient.
    pub fn total(&self, p: &Patterns) -> (f64, [f64; 4]) {
        sum_terms::<4, _>(p.x.len(), |i| {
            let (v, g) = self.log_likelihood(p.x[i], p.tx[i], p.t[i]);
            (p.n[i] * v, g.map(|gj| p.n[i] * gj))
        })
    }

    /// Fits by maximum likelihood, with an L2 `penalizer` (see [`l2_weights`]; 0 for none).
    pub fn fit(p: &Patterns, penalizer: f64) -> Result<(ParetoNbd, Fitted)> {
        let s = time_scale(&p.t);
        let penalty = l2_weights(penalizer, p.n.iter().sum(), [1.0, s, 1.0, s])?;
        let start = [1.0, 1.0, 1.0, 1.0];
        let f = maximise::<4, _>(|q| ParetoNbd::from_slice(q).total(p), start, "Pareto/NBD fit", penalty)?;
        Ok((ParetoNbd::from_slice(&f.params), f))
    }

    /// P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) (alpha+T)^(r+x) (beta+T)^s A0).
    pub fn probability_alive(&self, x: f64, tx: f64, t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let ln_ratio = (s / (r + s + x)).ln()
            + (r + x) * (alpha + t).ln()
            + s * (beta + t).ln()
            + self.ln_a0(x, tx, t).0;
        1.0 / (1.0 + ln_ratio.exp())
    }

    /// E[X(t)] for a new customer: r beta / (alpha (s - 1)) [1 - (beta / (beta + t))^(s - 1)].
    pub fn expected_purchases(&self, t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        if (s - 1.0).abs() < 1e-12 {
            return r / alpha * beta * ((beta + t) / beta).ln();
        }
        r * beta / (alpha * (s - 1.0)) * (1.0 - (beta / (beta + t)).powf(s - 1.0))
    }

    /// P(X(t) = n) for a customer just acquired, n = 0..=max_n. While alive the count is
    /// Poisson, so after mixing lambda ~ Gamma(r, alpha) a customer alive for a time u buys n
    /// with the negative binomial NB(n; u) = Gamma(r+n)/(Gamma(r) n!) (alpha/(alpha+u))^r
    /// (u/(alpha+u))^n; the lifetime tau has P(tau > t) = (beta/(beta+t))^s and density
    /// s beta^s/(beta+tau)^(s+1) after mixing mu ~ Gamma(s, beta), so
    ///
    /// ```text
    /// P(X(t) = n) = NB(n; t) (beta/(beta+t))^s + int_0^t NB(n; tau) s beta^s/(beta+tau)^(s+1) dtau.
    /// ```
    ///
    /// With tau = beta (e^v - 1) the integral is int_0^ln(1+t/beta) NB(n; tau(v)) s e^(-s v) dv,
    /// whose integrand is smooth and bounded; it is summed with a 16-point Gauss-Legendre rule
    /// on 96 equal panels (1,536 nodes), every n at each node by the NB recurrence, so the cost
    /// is O(1,536 max_n). (Fader & Hardie's note on P(X(t) = x) under the Pareto/NBD gives the
    /// integral in closed form through 2F1; the quadrature is accurate to about 1e-12.)
    pub fn probabilities_of_purchases(&self, t: f64, max_n: u32) -> Vec<f64> {
        let ParetoNbd { r, alpha, .. } = *self;
        let mut out = vec![0.0; max_n as usize + 1];
        self.over_lifetimes(t, |u, weight| {
            // NB(n; u) for every n by the recurrence NB(n) = NB(n-1) (r+n-1)/n u/(alpha+u)
            let (ln_p0, ln_q) = ((alpha / (alpha + u)).ln(), (u / (alpha + u)).ln());
            let mut ln_nb = r * ln_p0;
            for (n, slot) in out.iter_mut().enumerate() {
                if n > 0 {
                    let nf = n as f64;
                    ln_nb += (r + nf - 1.0).ln() - nf.ln() + ln_q;
                }
                *slot += weight * ln_nb.exp();
            }
        });
        out
    }

    /// P(X(t) = n) for one n (see [`ParetoNbd::probabilities_of_purchases`]), at a cost of
    /// 1,536 terms whatever n.
    pub fn probability_of_purchases(&self, t: f64, n: u64) -> f64 {
        let ParetoNbd { r, alpha, .. } = *self;
        let nf = n as f64;
        let ln_c = ln_gamma(r + nf) - ln_gamma(r) - ln_gamma(nf + 1.0);
        let mut p = 0.0;
        self.over_lifetimes(t, |u, weight| {
            let ln_nb =
                ln_c + r * (alpha / (alpha + u)).ln() + if n > 0 { nf * (u / (alpha + u)).ln() } else { 0.0 };
            p += weight * ln_nb.exp();
        });
        p
    }

    /// Calls `visit(u, w)` for the time alive u and its weight w of the lifetime mixture behind
    /// P(X(t) = n): u = t with w = P(tau > t), then the quadrature nodes of the integral over
    /// the death time (see [`ParetoNbd::probabilities_of_purchases`]); t <= 0 gives u = 0.
    fn over_lifetimes(&self, t: f64, mut visit: impl FnMut(f64, f64)) {
        let ParetoNbd { s, beta, .. } = *self;
        if t.is_nan() || t <= 0.0 {
            visit(0.0, 1.0);
            return;
        }
        visit(t, (beta / (beta + t)).powf(s));
        let top = (t / beta).ln_1p();
        let (nodes, weights) = gauss_legendre(16);
        const PANELS: usize = 96;
        let h = top / PANELS as f64;
        for panel in 0..PANELS {
            let mid = (panel as f64 + 0.5) * h;
            for (x, w) in nodes.iter().zip(&weights) {
                let v = mid + 0.5 * h * x;
                visit(beta * v.exp_m1(), 0.5 * h * w * s * (-s * v).exp());
            }
        }
    }

    /// E[Y(t) | x, t_x, T] = (r + x)(beta + T) / ((alpha + T)(s - 1))
    /// [1 - ((beta + T)/(beta + T + t))^(s - 1)] P(alive).
    pub fn conditional_expected_purchases(&self, t: f64, x: f64, tx: f64, big_t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let rate = (r + x) / (alpha + big_t);
        let horizon = if (s - 1.0).abs() < 1e-12 {
            (beta + big_t) * ((beta + big_t + t) / (beta + big_t)).ln()
        } else {
            (beta + big_t) / (s - 1.0) * (1.0 - ((beta + big_t) / (beta + big_t + t)).powf(s - 1.0))
        };
        rate * horizon * self.probability_alive(x, tx, big_t)
    }

    /// Discounted expected residual transactions (Fader, Hardie & Lee 2005, "RFM and CLV: using
    /// iso-value curves for customer base analysis", JMR 42(4), eq. 2), at continuously
    /// compounded rate `delta` per time unit (delta > 0):
    ///
    /// ```text
    /// DERT = integral_0^inf e^(-delta t) dE[X(T, T+t) | x, t_x, T]
    ///      = alpha^r beta^s delta^(s-1) Gamma(r+x+1) Psi(s, s; delta(beta+T))
    ///        / (Gamma(r) (alpha+T)^(r+x+1) L)
    ///      = P(alive) (r+x)/(alpha+T) (beta+T) h(1-s, delta(beta+T))
    /// ```
    ///
    /// with Psi(s, s; z) = e^z Gamma(1-s, z) and h(a, z) = e^z z^(-a) Gamma(a, z): given alive at
    /// T, lambda ~ Gamma(r+x, alpha+T) and mu ~ Gamma(s, beta+T), and E[1/(mu+delta)] =
    /// (beta+T) h(1-s, z). NaN when delta <= 0.
    pub fn discounted_expected_residual_transactions(&self, delta: f64, x: f64, tx: f64, big_t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        if delta.is_nan() || delta <= 0.0 {
            return f64::NAN;
        }
        let life = (beta + big_t) * upper_gamma_scaled(1.0 - s, delta * (beta + big_t));
        (r + x) / (alpha + big_t) * life * self.probability_alive(x, tx, big_t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_f_matches_the_gauss_hypergeometric_form() {
        // F(u) = 2F1(r+s+x, s+1; r+s+x+1; z) / (alpha+u)^(r+s+x), z = (alpha-beta)/(alpha+u), and
        // the swapped form, by the direct 2F1 series where it converges well
        use crate::stats::special::hyp2f1;
        for (m, x, u) in [
            (ParetoNbd { r: 0.55, alpha: 10.6, s: 0.61, beta: 7.0 }, 2.0, 30.0),
            (ParetoNbd { r: 0.55, alpha: 10.6, s: 0.61, beta: 7.0 }, 0.0, 0.0),
            (ParetoNbd { r: 0.55, alpha: 4.0, s: 1.7, beta: 11.7 }, 5.0, 12.0),
        ] {
            let a = m.r + m.s + x;
            let direct = if m.alpha >= m.beta {
                hyp2f1(a, m.s + 1.0, a + 1.0, (m.alpha - m.beta) / (m.alpha + u)).ln()
                    - a * (m.alpha + u).ln()
            } else {
                hyp2f1(a, m.r + x, a + 1.0, (m.beta - m.alpha) / (m.beta + u)).ln() - a * (m.beta + u).ln()
            };
            assert!((m.ln_f(x, u).0 - direct).abs() < 1e-12, "{m:?} {x} {u}");
        }
    }

    #[test]
    fn series_and_integral_agree_near_the_switch() {
        // below z = 0.99 the series; at and above, Euler's integral: both at z = 0.98, and the
        // integral's gradient against finite differences at z = 0.9999
        for (c1, c2) in [(0.55, 2.16), (3.2, 4.9), (0.01, 1.7), (12.0, 13.1)] {
            let series = ln_series_grad(c1, c2, 0.98);
            let integral = crate::stats::special::ln_hyp2f1_1_grad(c1, c2, 0.98);
            assert!((series.0 - integral.0).abs() < 1e-12, "{c1} {c2}: {series:?} {integral:?}");
            for k in 0..3 {
                assert!(
                    (series.1[k] - integral.1[k]).abs() < 1e-9 * (1.0 + series.1[k].abs()),
                    "{c1} {c2} {k}"
                );
            }
            let z = 0.9999;
            let (v, g) = ln_series_grad(c1, c2, z);
            let h = 1e-6;
            let fd = [
                (ln_series_grad(c1 + h, c2, z).0 - ln_series_grad(c1 - h, c2, z).0) / (2.0 * h),
                (ln_series_grad(c1, c2 + h, z).0 - ln_series_grad(c1, c2 - h, z).0) / (2.0 * h),
                (ln_series_grad(c1, c2, z + 1e-9).0 - ln_series_grad(c1, c2, z - 1e-9).0) / 2e-9,
            ];
            assert!(v.is_finite());
            for k in 0..3 {
                assert!((g[k] - fd[k]).abs() < 1e-5 * (1.0 + fd[k].abs()), "{c1} {c2} {k}: {g:?} {fd:?}");
            }
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        // both branches (alpha >= beta and alpha < beta), alpha = beta exactly, no repeat
        // purchases, t_x = T, t_x just short of T, heavy buyers
        let models = [
            ParetoNbd { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 },
            ParetoNbd { r: 0.8, alpha: 12.0, s: 1.6, beta: 4.0 },
            ParetoNbd { r: 0.5, alpha: 6.0, s: 0.7, beta: 6.0 },
        ];
        let customers = [
            (0.0, 0.0, 38.86),
            (2.0, 30.43, 38.86),
            (7.0, 38.0, 38.0),
            (3.0, 20.0 - 1e-6, 20.0),
            (60.0, 35.0, 39.0),
        ];
        for m in models {
            let p = [m.r, m.alpha, m.s, m.beta];
            for (x, tx, t) in customers {
                let (_, g) = m.log_likelihood(x, tx, t);
                for j in 0..4 {
                    let h = 1e-5 * p[j];
                    let (mut up, mut dn) = (p, p);
                    up[j] += h;
                    dn[j] -= h;
                    let num = (ParetoNbd::from_slice(&up).log_likelihood(x, tx, t).0
                        - ParetoNbd::from_slice(&dn).log_likelihood(x, tx, t).0)
                        / (2.0 * h);
                    assert!(
                        (num - g[j]).abs() <= 1e-6 * num.abs().max(1.0),
                        "{m:?} ({x}, {tx}, {t}) d{j}: finite {num} vs analytic {}",
                        g[j]
                    );
                }
            }
        }
    }

    #[test]
    fn probability_alive_stays_finite_for_heavy_buyers() {
        let m = ParetoNbd { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
        for x in [0.0, 10.0, 100.0, 500.0] {
            let p = m.probability_alive(x, 20.0_f64.min(30.0), 39.0);
            assert!(p.is_finite() && (0.0..=1.0).contains(&p), "{x}: {p}");
        }
        // the swapped case alpha >= beta
        let m = ParetoNbd { r: 0.5, alpha: 12.0, s: 0.6, beta: 4.0 };
        assert!(m.probability_alive(500.0, 30.0, 39.0).is_finite());
    }

    #[test]
    fn dert_is_the_discounted_flow_of_conditional_purchases() {
        // integral_0^inf e^(-delta t) dE[Y(t)] = delta integral_0^inf e^(-delta t) E[Y(t)] dt, by
        // the midpoint rule on t = -ln(1 - u) / delta over u in (0, 1)
        let m = ParetoNbd { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
        for (delta, x, tx, t) in [(0.01, 2.0, 30.43, 38.86), (0.1, 0.0, 0.0, 20.0), (0.05, 12.0, 35.0, 36.0)]
        {
            let n = 400_000;
            let mut integral = 0.0;
            for k in 0..n {
                let u = (f64::from(k) + 0.5) / f64::from(n);
                let time = -(-u).ln_1p() / delta;
                integral += m.conditional_expected_purchases(time, x, tx, t) / f64::from(n);
            }
            let dert = m.discounted_expected_residual_transactions(delta, x, tx, t);
            assert!((dert / integral - 1.0).abs() < 1e-5, "{x}: {dert} vs {integral}");
        }
        assert!(m.discounted_expected_residual_transactions(0.0, 1.0, 1.0, 2.0).is_nan());
    }
}
