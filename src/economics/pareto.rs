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
//! 2F1(a, b; a+1; z) = (1-z)^(1-b) 2F1(1, a+1-b; a+1; z), whose series has positive terms
//! shrinking at least as fast as z^k, in log space; A0 is a difference taken in log space, so
//! P(alive) stays finite for frequencies in the hundreds. The gradient is by central differences.

use crate::error::Result;
use crate::stats::special::{hyp2f1, ln_gamma, log_add_exp, upper_gamma_scaled};

use super::bgnbd::Patterns;
use super::fit::{maximise, sum_terms, Fitted};

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

/// ln 2F1(a, b; a + 1; z) for 0 <= z < 1 by Euler's transformation.
fn ln_hyp2f1_c_eq_a_plus_1(a: f64, b: f64, z: f64) -> f64 {
    (1.0 - b) * (-z).ln_1p() + hyp2f1(1.0, a + 1.0 - b, a + 1.0, z).ln()
}

impl ParetoNbd {
    /// From [r, alpha, s, beta].
    pub fn from_slice(p: &[f64]) -> Self {
        let g = |i: usize| p.get(i).copied().unwrap_or(f64::NAN);
        ParetoNbd { r: g(0), alpha: g(1), s: g(2), beta: g(3) }
    }

    fn as_array(&self) -> [f64; 4] {
        [self.r, self.alpha, self.s, self.beta]
    }

    /// ln F(u) of the module documentation.
    fn ln_f(&self, x: f64, u: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let a = r + s + x;
        if alpha >= beta {
            ln_hyp2f1_c_eq_a_plus_1(a, s + 1.0, (alpha - beta) / (alpha + u)) - a * (alpha + u).ln()
        } else {
            ln_hyp2f1_c_eq_a_plus_1(a, r + x, (beta - alpha) / (beta + u)) - a * (beta + u).ln()
        }
    }

    /// ln A0 = ln(F(t_x) - F(T)) (minus infinity when t_x = T).
    fn ln_a0(&self, x: f64, tx: f64, t: f64) -> f64 {
        let f_tx = self.ln_f(x, tx);
        let f_t = self.ln_f(x, t);
        let d = f_t - f_tx;
        if d >= 0.0 {
            return f64::NEG_INFINITY;
        }
        f_tx + (-d.exp()).ln_1p()
    }

    /// Log-likelihood of one customer (every constant of the density included).
    pub fn log_likelihood_value(&self, x: f64, tx: f64, t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        if !(r > 0.0 && alpha > 0.0 && s > 0.0 && beta > 0.0) {
            return f64::NAN;
        }
        let head = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + s * beta.ln();
        let alive = -(r + x) * (alpha + t).ln() - s * (beta + t).ln();
        let died = (s / (r + s + x)).ln() + self.ln_a0(x, tx, t);
        head + log_add_exp(alive, died)
    }

    /// Total log-likelihood over patterns with its gradient by central differences.
    pub fn total(&self, p: &Patterns) -> (f64, [f64; 4]) {
        let value = |m: &ParetoNbd| -> f64 {
            sum_terms::<1, _>(p.x.len(), |i| {
                (p.n[i] * m.log_likelihood_value(p.x[i], p.tx[i], p.t[i]), [0.0])
            })
            .0
        };
        let base = self.as_array();
        let v = value(self);
        let mut grad = [0.0; 4];
        for (j, g) in grad.iter_mut().enumerate() {
            let h = 1e-6 * base[j].abs().max(1e-4);
            let (mut up, mut dn) = (base, base);
            up[j] += h;
            dn[j] -= h;
            *g = (value(&ParetoNbd::from_slice(&up)) - value(&ParetoNbd::from_slice(&dn))) / (2.0 * h);
        }
        (v, grad)
    }

    /// Fits by maximum likelihood.
    pub fn fit(p: &Patterns) -> Result<(ParetoNbd, Fitted)> {
        let f =
            maximise::<4, _>(|q| ParetoNbd::from_slice(q).total(p), [1.0, 1.0, 1.0, 1.0], "Pareto/NBD fit")?;
        Ok((ParetoNbd::from_slice(&f.params), f))
    }

    /// P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) (alpha+T)^(r+x) (beta+T)^s A0).
    pub fn probability_alive(&self, x: f64, tx: f64, t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let ln_ratio =
            (s / (r + s + x)).ln() + (r + x) * (alpha + t).ln() + s * (beta + t).ln() + self.ln_a0(x, tx, t);
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
    fn euler_transformation_matches_the_direct_series() {
        for (a, b, z) in [(2.5, 1.6, 0.3), (3.2, 0.7, 0.05), (1.8, 2.2, 0.6)] {
            let direct = hyp2f1(a, b, a + 1.0, z).ln();
            assert!((ln_hyp2f1_c_eq_a_plus_1(a, b, z) - direct).abs() < 1e-12);
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
