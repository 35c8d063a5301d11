//! The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves
//! for customer base analysis", JMR 42(4); the note "The Gamma-Gamma model of monetary value").
//!
//! Each transaction's value is Gamma(p, nu), nu ~ Gamma(q, v). The density of the mean m of a
//! customer's x repeat transactions, with every constant:
//!
//! ln L = ln Gamma(p x + q) - ln Gamma(p x) - ln Gamma(q) + q ln v + (p x - 1) ln m + p x ln x
//!        - (p x + q) ln(v + x m).

use crate::error::{Error, Result};
use crate::stats::special::{digamma, ln_gamma};

use super::fit::{l2_weights, maximise, sum_terms, Fitted};

/// Gamma-Gamma parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaGamma {
    /// Shape of each transaction's value.
    pub p: f64,
    /// Shape of the Gamma distribution of nu.
    pub q: f64,
    /// Rate of the Gamma distribution of nu.
    pub v: f64,
}

/// The reason recorded for a repeat buyer left out for a spend that is not positive.
pub const NON_POSITIVE_SPEND: &str = "non-positive spend of a repeat buyer";

impl GammaGamma {
    /// From [p, q, v].
    pub fn from_slice(s: &[f64]) -> Self {
        let g = |i: usize| s.get(i).copied().unwrap_or(f64::NAN);
        GammaGamma { p: g(0), q: g(1), v: g(2) }
    }

    /// Log-likelihood of one customer (x >= 1 repeat purchases with mean value m) and gradient.
    pub fn log_likelihood(&self, x: f64, m: f64) -> (f64, [f64; 3]) {
        let GammaGamma { p, q, v } = *self;
        let px = p * x;
        let value =
            ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q) + q * v.ln() + (px - 1.0) * m.ln() + px * x.ln()
                - (px + q) * (v + x * m).ln();
        let dp = x * (digamma(px + q) - digamma(px) + m.ln() + x.ln() - (v + x * m).ln());
        let dq = digamma(px + q) - digamma(q) + v.ln() - (v + x * m).ln();
        let dv = q / v - (px + q) / (v + x * m);
        (value, [dp, dq, dv])
    }

    /// Fits on customers with at least one repeat purchase (others are ignored). A repeat
    /// buyer whose mean spend is not positive is invalid data: an input error, or with
    /// `drop_invalid` left out and listed (its row, in the last element).
    pub fn fit(
        x: &[f64],
        m: &[f64],
        w: Option<&[f64]>,
        names: [&str; 2],
        drop_invalid: bool,
        penalizer: f64,
    ) -> Result<(GammaGamma, Fitted, usize, Vec<usize>)> {
        l2_weights(penalizer, 0.0, [1.0])?;
        let mut xs = Vec::new();
        let mut ms = Vec::new();
        let mut ws = Vec::new();
        let mut invalid = Vec::new();
        for i in 0..x.len() {
            if x[i] < 0.0 || x[i].fract() != 0.0 {
                return Err(Error::input(
                    names[0],
                    format!("frequency must be a non-negative integer; row {i} holds {}", x[i]),
                ));
            }
            if x[i] >= 1.0 {
                if m[i].is_nan() || m[i] <= 0.0 {
                    if drop_invalid {
                        invalid.push(i);
                        continue;
                    }
                    return Err(Error::input(
                        names[1],
                        format!(
                            "mean spend must be positive for repeat buyers; row {i} holds {}; pass \
                             missing='drop' to leave such customers out (they are listed in .dropped_)",
                            m[i]
                        ),
                    ));
                }
                xs.push(x[i]);
                ms.push(m[i]);
                ws.push(w.map_or(1.0, |w| w[i]));
            }
        }
        let used = xs.len();
        if used < 3 {
            return Err(Error::input(
                names[0],
                format!("the Gamma-Gamma model needs repeat buyers; found {}", xs.len()),
            ));
        }
        // the distinct (x, m) pairs in sorted order with summed weights: the fit depends only on
        // them, not on the customers' order or grouping (bit for bit, for whole-number counts)
        let (xs, ms, ws) = canonical_pairs(&xs, &ms, &ws);
        let total = |g: &GammaGamma| {
            sum_terms::<3, _>(xs.len(), |i| {
                let (val, gr) = g.log_likelihood(xs[i], ms[i]);
                (ws[i] * val, gr.map(|d| ws[i] * d))
            })
        };
        let weight: f64 = ws.iter().sum();
        let mean = ms.iter().zip(&ws).map(|(m, w)| m * w).sum::<f64>() / weight;
        let f = maximise::<3, _>(
            |s| total(&GammaGamma::from_slice(s)),
            [1.0, 1.0, mean.max(1e-3)],
            "Gamma-Gamma fit",
            l2_weights(penalizer, weight, [1.0; 3])?,
        )?;
        Ok((GammaGamma::from_slice(&f.params), f, used, invalid))
    }

    /// E[M | x, m] = p (v + x m) / (p x + q - 1), the customer's expected transaction value;
    /// the population mean p v / (q - 1) for x = 0. Infinite when q <= 1. Where p x or x m
    /// overflow (frequencies or spends near the largest floats), the same value as the weighted
    /// mean w p v / (q - 1) + (1 - w) m, w = (q - 1) / (p x + q - 1), which stays finite.
    pub fn conditional_expected_spend(&self, x: f64, m: f64) -> f64 {
        let GammaGamma { p, q, v } = *self;
        if x == 0.0 {
            return if q > 1.0 { p * v / (q - 1.0) } else { f64::INFINITY };
        }
        let direct = p * (v + x * m) / (p * x + q - 1.0);
        if direct.is_finite() || q <= 1.0 || !(x.is_finite() && m.is_finite()) {
            return direct;
        }
        let w = (q - 1.0) / (p * x + q - 1.0); // 0 when p x overflows
        w * (p * v / (q - 1.0)) + (1.0 - w) * m
    }
}

/// The distinct (x, m) pairs, sorted, each with the sum of its weights (x and m positive).
fn canonical_pairs(x: &[f64], m: &[f64], w: &[f64]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut sums: std::collections::BTreeMap<[u64; 2], f64> = std::collections::BTreeMap::new();
    for i in 0..x.len() {
        *sums.entry([x[i].to_bits(), m[i].to_bits()]).or_insert(0.0) += w[i];
    }
    let mut out =
        (Vec::with_capacity(sums.len()), Vec::with_capacity(sums.len()), Vec::with_capacity(sums.len()));
    for (k, wk) in sums {
        out.0.push(f64::from_bits(k[0]));
        out.1.push(f64::from_bits(k[1]));
        out.2.push(wk);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let g = GammaGamma { p: 6.0, q: 3.5, v: 15.0 };
        let (_, grad) = g.log_likelihood(3.0, 25.0);
        let base = [g.p, g.q, g.v];
        for j in 0..3 {
            let h = 1e-6;
            let (mut up, mut dn) = (base, base);
            up[j] += h;
            dn[j] -= h;
            let num = (GammaGamma::from_slice(&up).log_likelihood(3.0, 25.0).0
                - GammaGamma::from_slice(&dn).log_likelihood(3.0, 25.0).0)
                / (2.0 * h);
            assert!((num - grad[j]).abs() < 1e-6, "{j}");
        }
    }

    #[test]
    fn a_repeat_buyer_without_positive_spend_is_refused_or_left_out_and_listed() {
        let x = [2.0, 1.0, 0.0, 3.0, 1.0, 4.0];
        let m = [20.0, 0.0, 0.0, 35.0, 12.0, 18.0];
        let e = GammaGamma::fit(&x, &m, None, ["frequency", "monetary_value"], false, 0.0)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("'monetary_value'") && e.contains("row 1") && e.contains("missing='drop'"), "{e}");
        let (_, _, used, invalid) = GammaGamma::fit(&x, &m, None, ["frequency", "monetary_value"], true, 0.0)
            .unwrap_or_else(|e| panic!("{e}"));
        // row 2 (no repeat purchase) is not used and not invalid; row 1 is invalid
        assert_eq!((used, invalid), (4, vec![1]));
    }
}
