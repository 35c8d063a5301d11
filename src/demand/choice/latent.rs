//! Latent-class multinomial logit by EM (Kamakura & Russell 1989, "A probabilistic choice model
//! for market segmentation and elasticity structure", JMR 26(4)).
//!
//! Respondent r belongs to class c with probability pi_c; within a class, choices follow an MNL
//! with part-worths b_c. With L_rc = prod over r's tasks of P(choice | b_c):
//!
//! ln L = sum_r ln sum_c pi_c L_rc.
//!
//! E-step: posterior h_rc = pi_c L_rc / sum_k pi_k L_rk (in logs). M-step: pi_c = mean_r h_rc and
//! b_c = the MNL fit with task weights h_rc (one Newton fit per class, warm-started). ln L never
//! decreases; iterations stop when it rises by less than `tol` (relative). Several starts, each
//! from a seeded random assignment of respondents to classes, keep the best ln L. Standard
//! errors are those of each class's weighted fit at the optimum (conditional on the posteriors,
//! so somewhat too small; stated).

use rand::Rng;

use super::mnl::{fit as fit_mnl, newton_step, MnlFit, Tasks};
use crate::error::{Error, Result};
use crate::stats::{rng, tick, Progress};

/// A fitted latent-class MNL.
#[derive(Debug, Clone, PartialEq)]
pub struct LatentClassFit {
    /// Each class's MNL (part-worths and covariance).
    pub classes: Vec<MnlFit>,
    /// Class shares pi_c.
    pub shares: Vec<f64>,
    /// Posterior class probabilities, respondent-major (respondents x classes).
    pub posterior: Vec<f64>,
    /// ln L of the mixture.
    pub log_likelihood: f64,
    /// EM iterations of the best start.
    pub iterations: usize,
    /// BIC = -2 ln L + (k p + k - 1) ln(respondents).
    pub bic: f64,
}

/// Fits `k` classes. `respondent[t]` is task t's respondent (0..n_respondents).
#[allow(clippy::too_many_arguments)]
pub fn fit(
    tasks: &Tasks,
    respondent: &[usize],
    n_respondents: usize,
    k: usize,
    starts: usize,
    seed: u64,
    max_iter: usize,
    tol: f64,
    names: &[String],
    cancel: Option<&Progress>,
) -> Result<LatentClassFit> {
    tasks.check()?;
    if k < 1 {
        return Err(Error::parameter("n_classes", "must be at least 1"));
    }
    if k > n_respondents {
        return Err(Error::parameter("n_classes", format!("{k} classes for {n_respondents} respondents")));
    }
    if respondent.len() != tasks.len() || respondent.iter().any(|r| *r >= n_respondents) {
        return Err(Error::input("respondent", "one respondent per task is needed"));
    }
    let mut best: Option<LatentClassFit> = None;
    let mut last_err = None;
    for s in 0..starts.max(1) {
        match one_start(tasks, respondent, n_respondents, k, seed, s as u64, max_iter, tol, names, cancel) {
            Ok(f) => {
                if best.as_ref().is_none_or(|b| f.log_likelihood > b.log_likelihood) {
                    best = Some(f);
                }
            }
            Err(Error::Interrupted) => return Err(Error::Interrupted),
            Err(e) => last_err = Some(e),
        }
    }
    best.ok_or_else(|| {
        last_err.unwrap_or_else(|| Error::convergence("latent-class logit", "no start finished"))
    })
}

#[allow(clippy::too_many_arguments)]
fn one_start(
    tasks: &Tasks,
    respondent: &[usize],
    n: usize,
    k: usize,
    seed: u64,
    start: u64,
    max_iter: usize,
    tol: f64,
    names: &[String],
    cancel: Option<&Progress>,
) -> Result<LatentClassFit> {
    let mut r = rng::stream(seed, start);
    // a random soft assignment: each respondent leans to one class
    let mut post = vec![0.0; n * k];
    for i in 0..n {
        let c = r.random_range(0..k);
        for j in 0..k {
            post[i * k + j] = if j == c { 0.7 } else { 0.3 / (k - 1).max(1) as f64 };
        }
        if k == 1 {
            post[i] = 1.0;
        }
    }
    let mut fits: Vec<Option<MnlFit>> = vec![None; k];
    let mut shares = vec![1.0 / k as f64; k];
    let mut ll = f64::NEG_INFINITY;
    let mut iterations = 0;
    for it in 0..max_iter {
        tick(cancel)?;
        iterations = it + 1;
        // M-step: shares, then one Newton step per class (a generalised EM: ln L still never
        // falls), from a full fit on the first iteration
        let mut betas = Vec::with_capacity(k);
        for c in 0..k {
            let w: Vec<f64> = respondent.iter().map(|&rr| post[rr * k + c]).collect();
            shares[c] = (0..n).map(|i| post[i * k + c]).sum::<f64>() / n as f64;
            let beta = match &fits[c] {
                None => fit_mnl(tasks, Some(&w), None, names, cancel)?.beta,
                Some(f) => newton_step(tasks, Some(&w), &f.beta).ok_or_else(|| {
                    Error::convergence(
                        "latent-class logit",
                        "a class's information matrix became singular (an empty class)",
                    )
                })?,
            };
            betas.push(beta);
        }
        for (c, beta) in betas.into_iter().enumerate() {
            fits[c] = Some(MnlFit {
                beta,
                cov: Vec::new(),
                log_likelihood: f64::NAN,
                null_log_likelihood: f64::NAN,
                iterations: 0,
            });
        }
        // E-step
        let mut lr = vec![0.0; n * k];
        for (c, f) in fits.iter().enumerate() {
            let Some(f) = f else { continue };
            for (t, l) in tasks.task_loglik(&f.beta).into_iter().enumerate() {
                lr[respondent[t] * k + c] += l;
            }
        }
        let mut total = 0.0;
        for i in 0..n {
            let row: Vec<f64> = (0..k).map(|c| shares[c].max(1e-300).ln() + lr[i * k + c]).collect();
            let m = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let s: f64 = row.iter().map(|v| (v - m).exp()).sum();
            total += m + s.ln();
            for c in 0..k {
                post[i * k + c] = (row[c] - m).exp() / s;
            }
        }
        let gain = total - ll;
        ll = total;
        if gain.abs() <= tol * ll.abs().max(1.0) {
            break;
        }
    }
    // each class's covariance (and a last polish) from its weighted fit at the posteriors
    let mut classes = Vec::with_capacity(k);
    for (c, f) in fits.into_iter().enumerate() {
        let w: Vec<f64> = respondent.iter().map(|&rr| post[rr * k + c]).collect();
        let start = f.map(|f| f.beta);
        classes.push(fit_mnl(tasks, Some(&w), start.as_deref(), names, cancel)?);
    }
    let p = tasks.p;
    let params = (k * p + k - 1) as f64;
    Ok(LatentClassFit {
        classes,
        shares,
        posterior: post,
        log_likelihood: ll,
        iterations,
        bic: -2.0 * ll + params * (n as f64).ln(),
    })
}
