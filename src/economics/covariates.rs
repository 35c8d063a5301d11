//! Time-invariant customer covariates on the purchase and the dropout process (CLVTools'
//! "static covariates"; Fader & Hardie's note on incorporating time-invariant covariates into
//! the Pareto/NBD and BG/NBD models, 2007).
//!
//! With z_i the customer's purchase covariates and w_i the dropout ones:
//! - BG/NBD and MBG/NBD: alpha_i = alpha exp(-g'z_i) (a larger g'z, a higher purchase rate),
//!   a_i = a exp(h'w_i) and b_i = b exp(h'w_i);
//! - Pareto/NBD: alpha_i = alpha exp(-g'z_i), beta_i = beta exp(-h'w_i) (a larger h'w, a
//!   higher dropout rate).
//!
//! Each customer's likelihood is the model's at their own parameters; the gradient in g and h
//! follows from the model's own gradient by the chain rule (d alpha_i / d g_k = -alpha_i z_ik,
//! and so on). Fitted by maximum likelihood from the fit without covariates (and g = h = 0),
//! with the package's L2 `penalizer` applied to g and h as well (CLVTools' `reg.lambdas`).
//! Cost O(n) per evaluation: customers with covariates have no shared patterns.

use rayon::prelude::*;

use super::bgnbd::{BgNbd, Patterns};
use super::fit::{l2_weights, maximise_dyn, time_scale, Fitted};
use super::pareto::ParetoNbd;
use super::predict::{Btyd, ModelKind, Prediction};
use crate::error::{Error, Result};
use crate::stats::Progress;

/// Covariate columns of every customer (each of the customers' length).
#[derive(Debug, Clone, Default)]
pub struct Covariates<'a> {
    /// Purchase-process covariates (they scale alpha).
    pub purchase: Vec<(&'a str, &'a [f64])>,
    /// Dropout-process covariates (they scale a and b, or beta).
    pub dropout: Vec<(&'a str, &'a [f64])>,
}

impl Covariates<'_> {
    /// Number of coefficients.
    pub fn len(&self) -> usize {
        self.purchase.len() + self.dropout.len()
    }
    /// No covariates.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn check(&self, n: usize) -> Result<()> {
        for (name, col) in self.purchase.iter().chain(&self.dropout) {
            if col.len() != n {
                return Err(Error::input(*name, format!("has {} rows, expected {n}", col.len())));
            }
            if let Some((i, v)) = col.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return Err(Error::input(*name, format!("value {v} at row {i}; covariates must be finite")));
            }
            let first = col.first().copied().unwrap_or(0.0);
            if col.iter().all(|v| *v == first) {
                return Err(Error::input(
                    *name,
                    format!("is constant ({first}): its coefficient is not identified; leave it out"),
                ));
            }
        }
        Ok(())
    }
    /// g'z_i and h'w_i of customer i.
    fn scores(&self, gamma: &[f64], i: usize) -> (f64, f64) {
        let kp = self.purchase.len();
        let dot = |cols: &[(&str, &[f64])], g: &[f64]| -> f64 {
            cols.iter().zip(g).map(|((_, c), gk)| gk * c.get(i).copied().unwrap_or(0.0)).sum()
        };
        (
            dot(&self.purchase, gamma.get(..kp).unwrap_or(&[])),
            dot(&self.dropout, gamma.get(kp..).unwrap_or(&[])),
        )
    }
}

/// The model of one customer: the base parameters (r, alpha, a, b or r, alpha, s, beta) moved
/// by the purchase score `sp` and the dropout score `sd`.
fn individual(kind: ModelKind, base: &[f64], sp: f64, sd: f64) -> Btyd {
    let g = |i: usize| base.get(i).copied().unwrap_or(f64::NAN);
    match kind {
        ModelKind::ParetoNbd => {
            Btyd::Pareto(ParetoNbd { r: g(0), alpha: g(1) * (-sp).exp(), s: g(2), beta: g(3) * (-sd).exp() })
        }
        k => Btyd::Bg(BgNbd::from_slice(
            &[g(0), g(1) * (-sp).exp(), g(2) * sd.exp(), g(3) * sd.exp()],
            k == ModelKind::ModifiedBgNbd,
        )),
    }
}

/// Log-likelihood of every customer at `params` (base then g then h) and its gradient.
fn total(
    kind: ModelKind,
    params: &[f64],
    x: &[f64],
    tx: &[f64],
    t: &[f64],
    cov: &Covariates,
) -> (f64, Vec<f64>) {
    const CHUNK: usize = 2048;
    let k = params.len();
    let kp = cov.purchase.len();
    let (base, gamma) = params.split_at(4.min(k));
    let parts: Vec<(f64, Vec<f64>)> = (0..x.len().div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut v = 0.0;
            let mut grad = vec![0.0; k];
            for i in c * CHUNK..((c + 1) * CHUNK).min(x.len()) {
                let (sp, sd) = cov.scores(gamma, i);
                let m = individual(kind, base, sp, sd);
                let (xi, txi, ti) = (x[i], tx[i], t[i]);
                let (li, gi) = match &m {
                    Btyd::Bg(b) => b.log_likelihood(xi, txi, ti),
                    Btyd::Pareto(p) => p.log_likelihood(xi, txi, ti),
                };
                v += li;
                let (ep, ed) =
                    ((-sp).exp(), if kind == ModelKind::ParetoNbd { (-sd).exp() } else { sd.exp() });
                // the base parameters through the individual ones
                grad[0] += gi[0];
                grad[1] += gi[1] * ep;
                let alpha_i = base.get(1).copied().unwrap_or(0.0) * ep;
                match &m {
                    Btyd::Bg(b) => {
                        grad[2] += gi[2] * ed;
                        grad[3] += gi[3] * ed;
                        let dropout = gi[2] * b.a + gi[3] * b.b;
                        for (j, (_, col)) in cov.dropout.iter().enumerate() {
                            grad[4 + kp + j] += dropout * col.get(i).copied().unwrap_or(0.0);
                        }
                    }
                    Btyd::Pareto(p) => {
                        grad[2] += gi[2];
                        grad[3] += gi[3] * ed;
                        for (j, (_, col)) in cov.dropout.iter().enumerate() {
                            grad[4 + kp + j] -= gi[3] * p.beta * col.get(i).copied().unwrap_or(0.0);
                        }
                    }
                }
                for (j, (_, col)) in cov.purchase.iter().enumerate() {
                    grad[4 + j] -= gi[1] * alpha_i * col.get(i).copied().unwrap_or(0.0);
                }
            }
            (v, grad)
        })
        .collect();
    let mut v = 0.0;
    let mut grad = vec![0.0; k];
    for (pv, pg) in parts {
        v += pv;
        for (a, b) in grad.iter_mut().zip(pg) {
            *a += b;
        }
    }
    (v, grad)
}

/// Fits `kind` with covariates: the base parameters from the fit without them, then every
/// parameter by maximum likelihood (parameters: r, alpha, a, b (or s, beta), the purchase
/// coefficients g, the dropout coefficients h).
#[allow(clippy::too_many_arguments)]
pub fn fit(
    kind: ModelKind,
    x: &[f64],
    tx: &[f64],
    t: &[f64],
    cov: &Covariates,
    penalizer: f64,
    frequency: &str,
    cancel: Option<&Progress>,
) -> Result<Fitted> {
    if cov.is_empty() {
        return Err(Error::parameter("covariates", "give at least one purchase or dropout covariate"));
    }
    cov.check(x.len())?;
    let names = ["frequency", "recency", "T"];
    let patterns = Patterns::from_customers(x, tx, t, None, names)?;
    let start = kind.fit(&patterns, frequency, penalizer)?;
    let mut theta = start.params.clone();
    theta.extend(std::iter::repeat_n(0.0, cov.len()));
    let scale = time_scale(t);
    let mut scales = match kind {
        ModelKind::ParetoNbd => vec![1.0, scale, 1.0, scale],
        _ => vec![1.0, scale, 1.0, 1.0],
    };
    scales.extend(std::iter::repeat_n(1.0, cov.len()));
    let n = x.len() as f64;
    let penalty: Vec<f64> =
        scales.iter().map(|s| l2_weights(penalizer, n, [*s]).map(|w| w[0])).collect::<Result<_>>()?;
    let what = match kind {
        ModelKind::BgNbd => "BG/NBD fit with covariates",
        ModelKind::ModifiedBgNbd => "MBG/NBD fit with covariates",
        ModelKind::ParetoNbd => "Pareto/NBD fit with covariates",
    };
    maximise_dyn(|p| total(kind, p, x, tx, t, cov), &theta, 4, what, &penalty, cancel)
}

/// `what` for every customer, each at their own parameters (`params`: base then g then h).
pub fn predict(
    kind: ModelKind,
    params: &[f64],
    x: &[f64],
    tx: &[f64],
    t: &[f64],
    cov: &Covariates,
    what: &Prediction,
) -> Result<Vec<f64>> {
    if params.len() != 4 + cov.len() {
        return Err(Error::parameter(
            "params",
            format!("{} parameters for 4 + {} covariates", params.len(), cov.len()),
        ));
    }
    cov.check(x.len()).or_else(|e| match e {
        // a covariate constant among the customers predicted is fine
        Error::Input { ref problem, .. } if problem.contains("is constant") => Ok(()),
        e => Err(e),
    })?;
    Btyd::new(kind, params.get(..4).unwrap_or(&[]))?;
    if matches!(what, Prediction::Dert(_)) && kind != ModelKind::ParetoNbd {
        return Err(Error::parameter("model", "DERT has a closed form for Pareto/NBD only"));
    }
    let (base, gamma) = params.split_at(4);
    Ok((0..x.len())
        .into_par_iter()
        .map(|i| {
            let (sp, sd) = cov.scores(gamma, i);
            individual(kind, base, sp, sd).one(what, x[i], tx[i], t[i])
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customers(n: usize, effect: f64) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
        // a binary covariate doubling the purchase rate (alpha_i = alpha e^(-effect z))
        let m = BgNbd { r: 0.5, alpha: 5.0, a: 0.8, b: 2.5, modified: false };
        let mut rng = crate::stats::rng::stream(3, 0);
        let (mut x, mut tx, mut t, mut z) = (vec![], vec![], vec![], vec![]);
        use rand::Rng;
        use rand_distr::{Distribution, Gamma};
        for i in 0..n {
            let zi = (i % 2) as f64;
            let lam =
                Gamma::new(m.r, 1.0 / (m.alpha * (-effect * zi).exp())).map_or(0.1, |g| g.sample(&mut rng));
            let p: f64 = rng.random_range(0.05..0.6);
            let horizon = 40.0;
            let (mut clock, mut count, mut last) = (0.0, 0.0, 0.0);
            loop {
                let u: f64 = rng.random_range(f64::EPSILON..1.0);
                clock += -u.ln() / lam.max(1e-9);
                if clock > horizon {
                    break;
                }
                count += 1.0;
                last = clock;
                if rng.random_range(0.0..1.0) < p {
                    break;
                }
            }
            x.push(count);
            tx.push(last);
            t.push(horizon);
            z.push(zi);
        }
        (x, tx, t, z)
    }

    #[test]
    fn gradient_matches_finite_differences_and_zero_coefficients_give_the_plain_model() {
        let (x, tx, t, z) = customers(400, 0.7);
        let cov = Covariates { purchase: vec![("z", &z)], dropout: vec![("z", &z)] };
        for kind in [ModelKind::BgNbd, ModelKind::ModifiedBgNbd, ModelKind::ParetoNbd] {
            let p = vec![0.6, 4.0, 0.9, 2.0, 0.3, -0.2];
            let (v, g) = total(kind, &p, &x, &tx, &t, &cov);
            for j in 0..p.len() {
                let h = 1e-6 * p[j].abs().max(1.0);
                let mut q = p.clone();
                q[j] += h;
                let up = total(kind, &q, &x, &tx, &t, &cov).0;
                q[j] -= 2.0 * h;
                let down = total(kind, &q, &x, &tx, &t, &cov).0;
                let fd = (up - down) / (2.0 * h);
                assert!((fd - g[j]).abs() < 1e-4 * fd.abs().max(1.0), "{kind:?} {j}: {fd} vs {}", g[j]);
            }
            // g = h = 0: every customer has the plain model's likelihood
            let zero = vec![0.6, 4.0, 0.9, 2.0, 0.0, 0.0];
            let plain = Btyd::new(kind, &zero[..4]).unwrap_or_else(|e| panic!("{e}"));
            let want: f64 =
                (0..x.len()).map(|i| plain.one(&Prediction::LogLikelihood, x[i], tx[i], t[i])).sum();
            assert!((total(kind, &zero, &x, &tx, &t, &cov).0 - v).abs() > 0.0);
            assert!((total(kind, &zero, &x, &tx, &t, &cov).0 - want).abs() < 1e-9 * want.abs());
        }
    }

    #[test]
    fn a_planted_purchase_effect_is_recovered() {
        let (x, tx, t, z) = customers(4000, 0.7);
        let cov = Covariates { purchase: vec![("z", &z)], dropout: vec![] };
        let f = fit(ModelKind::BgNbd, &x, &tx, &t, &cov, 0.0, "frequency", None)
            .unwrap_or_else(|e| panic!("{e}"));
        let g = f.params[4];
        let se = f.cov[4][4].sqrt();
        assert!((g - 0.7).abs() < 3.0 * se, "{g} +/- {se}");
    }
}
