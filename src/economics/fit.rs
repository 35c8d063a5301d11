//! Maximum likelihood in log-parameter space, shared by the lifetime-value models.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::stats::optim::{bfgs, hessian, invert};

/// A fitted model: parameters, log-likelihood and covariance of the parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// Parameter estimates (natural scale).
    pub params: Vec<f64>,
    /// Log-likelihood at the estimates (every constant of the density included).
    pub log_likelihood: f64,
    /// Covariance of the estimates: the inverse observed information (NaN when singular).
    pub cov: Vec<Vec<f64>>,
    /// BFGS iterations.
    pub iterations: usize,
}

/// Sums `term(i) -> (value, gradient)` over `0..n` in parallel, in fixed chunks (so the sum is
/// the same on any number of threads).
pub fn sum_terms<const P: usize, F>(n: usize, term: F) -> (f64, [f64; P])
where
    F: Fn(usize) -> (f64, [f64; P]) + Sync,
{
    const CHUNK: usize = 4096;
    let parts: Vec<(f64, [f64; P])> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut v = 0.0;
            let mut g = [0.0; P];
            for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
                let (vi, gi) = term(i);
                v += vi;
                for (a, b) in g.iter_mut().zip(gi) {
                    *a += b;
                }
            }
            (v, g)
        })
        .collect();
    let mut v = 0.0;
    let mut g = [0.0; P];
    for (vi, gi) in parts {
        v += vi;
        for (a, b) in g.iter_mut().zip(gi) {
            *a += b;
        }
    }
    (v, g)
}

/// Maximises a log-likelihood given as `ll(params) -> (value, gradient)` over positive
/// parameters, searching in log space from `start`. `what` names the model for errors.
pub fn maximise<const P: usize, F>(ll: F, start: [f64; P], what: &str) -> Result<Fitted>
where
    F: Fn(&[f64; P]) -> (f64, [f64; P]),
{
    let to_params = |theta: &[f64]| -> [f64; P] {
        let mut p = [0.0; P];
        for (a, b) in p.iter_mut().zip(theta) {
            *a = b.exp();
        }
        p
    };
    let objective = |theta: &[f64]| -> (f64, Vec<f64>) {
        let p = to_params(theta);
        let (v, g) = ll(&p);
        // d(-ll)/d theta_j = -(d ll / d p_j) p_j
        (-v, g.iter().zip(&p).map(|(gj, pj)| -gj * pj).collect())
    };
    let theta0: Vec<f64> = start.iter().map(|v| v.ln()).collect();
    let m = bfgs(objective, &theta0, 1e-7, 2000);
    let params = to_params(&m.x);
    if !m.f.is_finite() || params.iter().any(|v| !v.is_finite()) {
        return Err(Error::convergence(
            what,
            "the log-likelihood is not finite at the estimates; check for extreme values, or rescale time",
        ));
    }
    if !m.converged && m.grad_norm > 1e-3 {
        return Err(Error::convergence(
            what,
            format!(
                "no convergence after {} iterations (largest gradient {:.2e}); the data may not identify \
                 the model: try a longer observation window, or a simpler model",
                m.iterations, m.grad_norm
            ),
        ));
    }
    let grad = |p: &[f64]| -> Vec<f64> {
        let mut q = [0.0; P];
        q.copy_from_slice(p);
        ll(&q).1.iter().map(|v| -v).collect()
    };
    let h = hessian(grad, &params);
    let cov = invert(&h).unwrap_or_else(|| vec![vec![f64::NAN; P]; P]);
    Ok(Fitted { params: params.to_vec(), log_likelihood: -m.f, cov, iterations: m.iterations })
}
