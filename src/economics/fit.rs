//! Maximum likelihood in log-parameter space, shared by the lifetime-value models.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::stats::optim::{bfgs, hessian, invert};
use crate::stats::{interrupted, tick, Progress};

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

/// The weights w_j of an L2 penalty sum_j w_j theta_j^2 on the parameters, in the scale of the
/// total log-likelihood of `n` (weighted) customers, from lifetimes' `penalizer_coef` c: the
/// fit minimises the mean negative log-likelihood plus c sum_j (s_j theta_j)^2, that is, it
/// maximises the total log-likelihood less n c sum_j s_j^2 theta_j^2. The scale s_j is 1 for a
/// shape parameter and, for a scale parameter measured in time units (alpha, and Pareto/NBD's
/// beta), 1 / max(T), the time scale lifetimes fits on (the longest customer age is 1): so the penalty, and the fit, do not
/// depend on the time unit. `c` must be finite and >= 0.
pub fn l2_weights<const P: usize>(penalizer: f64, n: f64, scales: [f64; P]) -> Result<[f64; P]> {
    if !(penalizer.is_finite() && penalizer >= 0.0) {
        return Err(Error::parameter(
            "penalizer",
            format!(
                "must be a finite number >= 0 (0: no penalty; lifetimes uses 0.001-0.1), got {penalizer}"
            ),
        ));
    }
    Ok(scales.map(|s| penalizer * n * s * s))
}

/// lifetimes' time scale 1 / max(T) for the time-unit parameters of a penalty (1 when T is
/// empty or not positive).
pub fn time_scale(t: &[f64]) -> f64 {
    let m = t.iter().copied().fold(0.0, f64::max);
    if m > 0.0 && m.is_finite() {
        1.0 / m
    } else {
        1.0
    }
}

/// Maximises a log-likelihood given as `ll(params) -> (value, gradient)` over positive
/// parameters, searching in log space from `start`, less sum_j penalty_j theta_j^2 (see
/// [`l2_weights`]; zeros for none). The log-likelihood reported is the unpenalised one at the
/// estimates; the covariance is the inverse Hessian of the penalised objective. `what` names
/// the model for errors.
pub fn maximise<const P: usize, F>(ll: F, start: [f64; P], what: &str, penalty: [f64; P]) -> Result<Fitted>
where
    F: Fn(&[f64; P]) -> (f64, [f64; P]),
{
    let dynamic = |p: &[f64]| -> (f64, Vec<f64>) {
        let mut q = [0.0; P];
        q.copy_from_slice(p);
        let (v, g) = ll(&q);
        (v, g.to_vec())
    };
    maximise_dyn(dynamic, &start, P, what, &penalty, None)
}

/// [`maximise`] for any number of parameters: the first `positive` are searched in log space,
/// the others (regression coefficients) as they are. Each evaluation ticks `cancel`; once it
/// is cancelled (Ctrl-C), or the thread's ambient flag is ([`crate::stats::with_ambient`]: the
/// fits that take no `cancel`), the search stops and the error is [`Error::Interrupted`].
pub fn maximise_dyn<F>(
    ll: F,
    start: &[f64],
    positive: usize,
    what: &str,
    penalty: &[f64],
    cancel: Option<&Progress>,
) -> Result<Fitted>
where
    F: Fn(&[f64]) -> (f64, Vec<f64>),
{
    let k = start.len();
    let penalised = |p: &[f64]| -> (f64, Vec<f64>) {
        let (mut v, mut g) = ll(p);
        for ((gj, pj), w) in g.iter_mut().zip(p).zip(penalty) {
            v -= w * pj * pj;
            *gj -= 2.0 * w * pj;
        }
        (v, g)
    };
    let to_params = |theta: &[f64]| -> Vec<f64> {
        theta.iter().enumerate().map(|(j, t)| if j < positive { t.exp() } else { *t }).collect()
    };
    let objective = |theta: &[f64]| -> (f64, Vec<f64>) {
        if tick(cancel).is_err() || interrupted() {
            return (f64::NAN, vec![f64::NAN; theta.len()]);
        }
        let p = to_params(theta);
        let (v, g) = penalised(&p);
        // d(-ll)/d theta_j = -(d ll / d p_j) p_j on the log scale
        (
            -v,
            g.iter()
                .zip(&p)
                .enumerate()
                .map(|(j, (gj, pj))| if j < positive { -gj * pj } else { -gj })
                .collect(),
        )
    };
    let theta0: Vec<f64> =
        start.iter().enumerate().map(|(j, v)| if j < positive { v.ln() } else { *v }).collect();
    let m = bfgs(objective, &theta0, 1e-7, 2000);
    if cancel.is_some_and(Progress::cancelled) || interrupted() {
        return Err(Error::Interrupted);
    }
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
    let grad = |p: &[f64]| -> Vec<f64> { penalised(p).1.iter().map(|v| -v).collect() };
    let h = hessian(grad, &params);
    let cov = invert(&h).unwrap_or_else(|| vec![vec![f64::NAN; k]; k]);
    Ok(Fitted { log_likelihood: ll(&params).0, params, cov, iterations: m.iterations })
}
