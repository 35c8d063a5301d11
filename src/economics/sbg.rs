//! The shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007,
//! "How to project customer retention", Journal of Interactive Marketing 21(1), 76-90).
//!
//! Each customer churns at the end of a period with probability theta ~ Beta(alpha, beta).
//! P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta); S(t) = B(alpha, beta + t) / B(alpha, beta).
//! From survivors s_0 >= s_1 >= ... >= s_n:
//! LL = sum_t (s_(t-1) - s_t) ln P(T = t) + s_n ln S(n).

use crate::error::{Error, Result};
use crate::stats::special::{digamma, hyp2f1, ln_beta};

use super::fit::{maximise, Fitted};

/// sBG parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sbg {
    /// Beta alpha.
    pub alpha: f64,
    /// Beta beta.
    pub beta: f64,
}

impl Sbg {
    /// Log-likelihood of a survivor series and its gradient.
    pub fn log_likelihood(&self, survivors: &[f64]) -> (f64, [f64; 2]) {
        let Sbg { alpha, beta } = *self;
        let lb = ln_beta(alpha, beta);
        let (da0, db0) = (digamma(alpha) - digamma(alpha + beta), digamma(beta) - digamma(alpha + beta));
        let mut v = 0.0;
        let mut g = [0.0; 2];
        for t in 1..survivors.len() {
            let lost = survivors[t - 1] - survivors[t];
            let tf = t as f64;
            let lp = ln_beta(alpha + 1.0, beta + tf - 1.0) - lb;
            v += lost * lp;
            g[0] += lost * (digamma(alpha + 1.0) - digamma(alpha + beta + tf) - da0);
            g[1] += lost * (digamma(beta + tf - 1.0) - digamma(alpha + beta + tf) - db0);
        }
        let n = (survivors.len() - 1) as f64;
        if let Some(last) = survivors.last() {
            v += last * (ln_beta(alpha, beta + n) - lb);
            g[0] += last * (digamma(alpha) - digamma(alpha + beta + n) - da0);
            g[1] += last * (digamma(beta + n) - digamma(alpha + beta + n) - db0);
        }
        (v, g)
    }

    /// Fits to survivors per period, starting with the cohort size.
    pub fn fit(survivors: &[f64]) -> Result<(Sbg, Fitted)> {
        if survivors.len() < 3 {
            return Err(Error::input("survivors", "needs the cohort size and at least two later periods"));
        }
        for (t, s) in survivors.iter().enumerate() {
            if !(s.is_finite() && *s >= 0.0) {
                return Err(Error::input(
                    "survivors",
                    format!("period {t} holds {s}; survivors must be non-negative"),
                ));
            }
            if t > 0 && *s > survivors[t - 1] {
                return Err(Error::input(
                    "survivors",
                    format!(
                        "survivors rise from {} to {s} at period {t}; the series must not increase",
                        survivors[t - 1]
                    ),
                ));
            }
        }
        if survivors[0] <= 0.0 {
            return Err(Error::input("survivors", "the cohort size (first value) must be positive"));
        }
        let f = maximise::<2, _>(
            |p| Sbg { alpha: p[0], beta: p[1] }.log_likelihood(survivors),
            [1.0, 1.0],
            "sBG fit",
            [0.0; 2],
        )?;
        Ok((Sbg { alpha: f.params[0], beta: f.params[1] }, f))
    }

    /// S(t) = B(alpha, beta + t) / B(alpha, beta).
    pub fn survival(&self, t: f64) -> f64 {
        (ln_beta(self.alpha, self.beta + t) - ln_beta(self.alpha, self.beta)).exp()
    }

    /// Retention rate in period t: r_t = (beta + t - 1) / (alpha + beta + t - 1).
    pub fn retention(&self, t: f64) -> f64 {
        (self.beta + t - 1.0) / (self.alpha + self.beta + t - 1.0)
    }

    /// Discounted expected residual lifetime of a customer who has renewed `n` times, at
    /// discount rate d per period (Fader & Hardie 2010, Marketing Science 29(1)):
    /// DERL = (beta + n) / (alpha + beta + n) 2F1(1, beta + n + 1; alpha + beta + n + 1; 1 / (1 + d)).
    pub fn derl(&self, d: f64, n: f64) -> f64 {
        let Sbg { alpha, beta } = *self;
        (beta + n) / (alpha + beta + n) * hyp2f1(1.0, beta + n + 1.0, alpha + beta + n + 1.0, 1.0 / (1.0 + d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_retention_estimates() {
        let regular = [1000.0, 631.0, 468.0, 382.0, 326.0, 289.0, 262.0, 241.0];
        let (m, _) = Sbg::fit(&regular).unwrap_or_else(|e| panic!("{e}"));
        assert!((m.alpha - 0.704).abs() < 0.001 && (m.beta - 1.182).abs() < 0.001, "{m:?}");
        let high = [1000.0, 869.0, 743.0, 653.0, 593.0, 551.0, 517.0, 491.0];
        let (m, _) = Sbg::fit(&high).unwrap_or_else(|e| panic!("{e}"));
        assert!((m.alpha - 0.668).abs() < 0.001 && (m.beta - 3.806).abs() < 0.002, "{m:?}");
    }

    #[test]
    fn rising_series_is_an_input_error() {
        assert!(matches!(Sbg::fit(&[100.0, 80.0, 90.0]), Err(Error::Input { .. })));
    }
}
