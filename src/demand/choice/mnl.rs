//! The multinomial (conditional) logit of choice tasks (McFadden 1974, "Conditional logit
//! analysis of qualitative choice behavior", in Zarembka, Frontiers in Econometrics).
//!
//! Task t offers alternatives j with coded attributes x_tj (p numbers); the respondent picks
//! one with probability P_tj = exp(x_tj b) / sum_k exp(x_tk b). With task weights w_t:
//!
//! ln L = sum_t w_t (x_t,chosen b - ln sum_k exp(x_tk b)),
//! gradient = sum_t w_t (x_t,chosen - sum_k P_tk x_tk),
//! Hessian = -sum_t w_t sum_k P_tk (x_tk - xbar_t)(x_tk - xbar_t)',  xbar_t = sum_k P_tk x_tk.
//!
//! The log-likelihood is concave, so Newton's method with step halving converges from b = 0;
//! standard errors are the square roots of the diagonal of the inverse negative Hessian (the
//! observed information), as statsmodels' ConditionalLogit reports them.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::stats::optim::invert;
use crate::stats::{tick, Progress};

/// Tasks per parallel chunk (fixed, so sums do not depend on the thread count).
const CHUNK: usize = 1024;

/// Choice tasks: the coded alternatives, where each task starts, which alternative was chosen
/// and the task weights.
#[derive(Debug, Clone, Copy)]
pub struct Tasks<'a> {
    /// Alternatives' coded attributes, one row of `p` numbers each, tasks one after another.
    pub x: &'a [f64],
    /// Coded columns.
    pub p: usize,
    /// Task t's alternatives are rows `starts[t]..starts[t + 1]` (tasks + 1 entries).
    pub starts: &'a [usize],
    /// The row chosen in each task.
    pub chosen: &'a [usize],
    /// Task weights (1 each when `None`).
    pub weight: Option<&'a [f64]>,
}

impl Tasks<'_> {
    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Whether there are no tasks.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn row(&self, r: usize) -> &[f64] {
        &self.x[r * self.p..(r + 1) * self.p]
    }

    /// Checks the layout: rows of `p`, increasing starts, at least two alternatives and the
    /// chosen row inside each task, finite values, non-negative weights.
    pub fn check(&self) -> Result<()> {
        let rows = self.x.len() / self.p.max(1);
        if self.p == 0 || self.x.len() != rows * self.p {
            return Err(Error::parameter("attributes", "no coded attribute columns"));
        }
        if self.is_empty() {
            return Err(Error::input("task", "no choice tasks"));
        }
        if self.chosen.len() != self.len() || self.starts.last() != Some(&rows) {
            return Err(Error::input("task", "tasks and alternatives do not line up"));
        }
        for t in 0..self.len() {
            let (a, b) = (self.starts[t], self.starts[t + 1]);
            if b < a + 2 {
                return Err(Error::input(
                    "alternative",
                    format!("task {t} offers fewer than two alternatives"),
                ));
            }
            if !(a..b).contains(&self.chosen[t]) {
                return Err(Error::input(
                    "chosen",
                    format!("task {t}: the chosen alternative is not among its rows"),
                ));
            }
        }
        if let Some(i) = self.x.iter().position(|v| !v.is_finite()) {
            return Err(Error::input("attributes", format!("coded value {i} is not finite")));
        }
        if let Some(w) = self.weight {
            if w.len() != self.len() {
                return Err(Error::input("weights", "one weight per task is needed"));
            }
            if let Some(i) = w.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
                return Err(Error::input(
                    "weights",
                    format!("must be finite and non-negative; task {i} holds {}", w[i]),
                ));
            }
        }
        Ok(())
    }

    /// Each task's log-likelihood contribution (unweighted) under `beta`.
    pub fn task_loglik(&self, beta: &[f64]) -> Vec<f64> {
        (0..self.len())
            .into_par_iter()
            .map(|t| {
                let (a, b) = (self.starts[t], self.starts[t + 1]);
                let u: Vec<f64> = (a..b).map(|r| dot(self.row(r), beta)).collect();
                let m = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let lse = m + u.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
                u[self.chosen[t] - a] - lse
            })
            .collect()
    }

    /// ln L, its gradient and its Hessian (p x p, row-major) under `beta`, with task weights
    /// `w` (overriding `self.weight` when given).
    pub fn derivatives(&self, beta: &[f64], w: Option<&[f64]>) -> (f64, Vec<f64>, Vec<f64>) {
        let p = self.p;
        let w = w.or(self.weight);
        let chunks = self.len().div_ceil(CHUNK);
        let parts: Vec<(f64, Vec<f64>, Vec<f64>)> = (0..chunks)
            .into_par_iter()
            .map(|c| {
                let (mut ll, mut g, mut h) = (0.0, vec![0.0; p], vec![0.0; p * p]);
                let mut u = Vec::new();
                let mut mean = vec![0.0; p];
                for t in c * CHUNK..((c + 1) * CHUNK).min(self.len()) {
                    let wt = w.map_or(1.0, |w| w[t]);
                    if wt == 0.0 {
                        continue;
                    }
                    let (a, b) = (self.starts[t], self.starts[t + 1]);
                    u.clear();
                    u.extend((a..b).map(|r| dot(self.row(r), beta)));
                    let m = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let s: f64 = u.iter().map(|v| (v - m).exp()).sum();
                    ll += wt * (u[self.chosen[t] - a] - m - s.ln());
                    mean.iter_mut().for_each(|v| *v = 0.0);
                    for (k, r) in (a..b).enumerate() {
                        let pk = (u[k] - m).exp() / s;
                        u[k] = pk;
                        for (mv, xv) in mean.iter_mut().zip(self.row(r)) {
                            *mv += pk * xv;
                        }
                    }
                    for (gv, (xv, mv)) in g.iter_mut().zip(self.row(self.chosen[t]).iter().zip(&mean)) {
                        *gv += wt * (xv - mv);
                    }
                    for (k, r) in (a..b).enumerate() {
                        let x = self.row(r);
                        let f = wt * u[k];
                        for i in 0..p {
                            let di = f * (x[i] - mean[i]);
                            for j in 0..=i {
                                h[i * p + j] -= di * (x[j] - mean[j]);
                            }
                        }
                    }
                }
                (ll, g, h)
            })
            .collect();
        let (mut ll, mut g, mut h) = (0.0, vec![0.0; p], vec![0.0; p * p]);
        for (pl, pg, ph) in parts {
            ll += pl;
            g.iter_mut().zip(pg).for_each(|(a, b)| *a += b);
            h.iter_mut().zip(ph).for_each(|(a, b)| *a += b);
        }
        for i in 0..p {
            for j in 0..i {
                h[j * p + i] = h[i * p + j];
            }
        }
        (ll, g, h)
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// A fitted MNL: coefficients, their covariance (inverse observed information), ln L at the
/// estimate and at b = 0 (every alternative equally likely), and Newton iterations.
#[derive(Debug, Clone, PartialEq)]
pub struct MnlFit {
    /// Coefficients, one per coded column.
    pub beta: Vec<f64>,
    /// Covariance of the coefficients.
    pub cov: Vec<Vec<f64>>,
    /// ln L at the estimate.
    pub log_likelihood: f64,
    /// ln L of the null model (b = 0).
    pub null_log_likelihood: f64,
    /// Newton iterations.
    pub iterations: usize,
}

/// Fits the MNL by Newton's method with step halving from `start` (zeros by default), with
/// task weights `w` (overriding the tasks' own). `names` name the coded columns in errors.
pub fn fit(
    tasks: &Tasks,
    w: Option<&[f64]>,
    start: Option<&[f64]>,
    names: &[String],
    cancel: Option<&Progress>,
) -> Result<MnlFit> {
    tasks.check()?;
    let p = tasks.p;
    let mut beta = start.map_or_else(|| vec![0.0; p], <[f64]>::to_vec);
    let null = tasks.derivatives(&vec![0.0; p], w).0;
    let (mut ll, mut g, mut h) = tasks.derivatives(&beta, w);
    let mut iterations = 0;
    for it in 0..200 {
        tick(cancel)?;
        iterations = it + 1;
        let info: Vec<Vec<f64>> = (0..p).map(|i| (0..p).map(|j| -h[i * p + j]).collect()).collect();
        let Some(inv) = invert_information(&info) else {
            return Err(not_identified(&info, names));
        };
        let step: Vec<f64> = (0..p).map(|i| dot(&inv[i], &g)).collect();
        let mut scale = 1.0;
        let mut accepted = false;
        for _ in 0..60 {
            let trial: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + scale * s).collect();
            let (tl, tg, th) = tasks.derivatives(&trial, w);
            if tl.is_finite() && tl >= ll - 1e-12 * ll.abs().max(1.0) {
                beta = trial;
                (ll, g, h) = (tl, tg, th);
                accepted = true;
                break;
            }
            scale *= 0.5;
        }
        let size = step.iter().map(|s| (s * scale).abs()).fold(0.0, f64::max);
        let grad = g.iter().map(|v| v.abs()).fold(0.0, f64::max);
        if !accepted || (size < 1e-10 && grad < 1e-6 * ll.abs().max(1.0)) || grad < 1e-11 * ll.abs().max(1.0)
        {
            break;
        }
    }
    let info: Vec<Vec<f64>> = (0..p).map(|i| (0..p).map(|j| -h[i * p + j]).collect()).collect();
    let Some(cov) = invert_information(&info) else {
        return Err(not_identified(&info, names));
    };
    let grad = g.iter().map(|v| v.abs()).fold(0.0, f64::max);
    if !grad.is_finite() || grad > 1e-4 * ll.abs().max(1.0) {
        return Err(Error::convergence(
            "multinomial logit",
            format!(
                "the gradient is still {grad:.2e} after {iterations} Newton steps: a level may be always or never \
                 chosen (its part-worth runs to infinity); merge rare levels or check the data"
            ),
        ));
    }
    Ok(MnlFit { beta, cov, log_likelihood: ll, null_log_likelihood: null, iterations })
}

/// One Newton step from `beta` with task weights `w`, halved until ln L does not fall: the
/// M-step of a generalised EM. `None` when the information is singular.
pub fn newton_step(tasks: &Tasks, w: Option<&[f64]>, beta: &[f64]) -> Option<Vec<f64>> {
    let p = tasks.p;
    let (ll, g, h) = tasks.derivatives(beta, w);
    let info: Vec<Vec<f64>> = (0..p).map(|i| (0..p).map(|j| -h[i * p + j]).collect()).collect();
    let inv = invert_information(&info)?;
    let step: Vec<f64> = (0..p).map(|i| dot(&inv[i], &g)).collect();
    let mut scale = 1.0;
    for _ in 0..40 {
        let trial: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + scale * s).collect();
        let tl = tasks.derivatives(&trial, w).0;
        if tl.is_finite() && tl >= ll {
            return Some(trial);
        }
        scale *= 0.5;
    }
    Some(beta.to_vec())
}

/// The inverse of the information matrix, or `None` when a coded column carries (almost) no
/// information: its diagonal entry is below 1e-10 of the largest, or the matrix is singular.
fn invert_information(info: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let top = (0..info.len()).map(|i| info[i][i].abs()).fold(0.0, f64::max);
    if (0..info.len()).any(|i| info[i][i].is_nan() || info[i][i] <= 1e-10 * top) {
        return None;
    }
    let inv = invert(info)?;
    (0..inv.len()).all(|i| inv[i][i].is_finite() && inv[i][i] > 0.0).then_some(inv)
}

/// The error for a singular information matrix, naming the coded column with the least
/// information (a level never shown, or one that never varies within a task).
fn not_identified(info: &[Vec<f64>], names: &[String]) -> Error {
    let weakest = (0..info.len()).min_by(|&i, &j| info[i][i].abs().total_cmp(&info[j][j].abs())).unwrap_or(0);
    let name = names.get(weakest).map_or("attributes", String::as_str);
    Error::input(
        name,
        "the part-worths are not identified: this coded column never varies within a task (a level never \
         shown, a level shown in every alternative, or columns that move together); drop the level or \
         the attribute",
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Tasks of three alternatives with two attributes drawn at random, choices from `beta`.
    fn simulate(n: usize, beta: &[f64], seed: u64) -> (Vec<f64>, Vec<usize>, Vec<usize>) {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let (mut x, mut starts, mut chosen) = (Vec::new(), vec![0], Vec::new());
        for t in 0..n {
            let mut u = Vec::new();
            for _ in 0..3 {
                let row: Vec<f64> = (0..beta.len()).map(|_| rng.random::<f64>() * 2.0 - 1.0).collect();
                u.push(dot(&row, beta) - (-rng.random::<f64>().ln()).ln());
                x.extend(row);
            }
            let best = (0..3).max_by(|a, b| u[*a].total_cmp(&u[*b])).unwrap();
            chosen.push(3 * t + best);
            starts.push(3 * (t + 1));
        }
        (x, starts, chosen)
    }

    #[test]
    fn recovers_planted_part_worths_and_the_gradient_is_zero_there() {
        let truth = [1.5, -0.8];
        let (x, starts, chosen) = simulate(4000, &truth, 1);
        let tasks = Tasks { x: &x, p: 2, starts: &starts, chosen: &chosen, weight: None };
        let f = fit(&tasks, None, None, &["a".into(), "b".into()], None).unwrap();
        for (b, t) in f.beta.iter().zip(truth) {
            assert!((b - t).abs() < 0.15, "{b} vs {t}");
        }
        let (_, g, _) = tasks.derivatives(&f.beta, None);
        assert!(g.iter().all(|v| v.abs() < 1e-6), "{g:?}");
        assert!(f.log_likelihood > f.null_log_likelihood);
        // the analytic gradient matches finite differences
        let b0 = [0.3, 0.2];
        let (_, g0, h0) = tasks.derivatives(&b0, None);
        for j in 0..2 {
            let mut up = b0;
            up[j] += 1e-6;
            let mut dn = b0;
            dn[j] -= 1e-6;
            let (lu, gu, _) = tasks.derivatives(&up, None);
            let (ld, gd, _) = tasks.derivatives(&dn, None);
            assert!(((lu - ld) / 2e-6 - g0[j]).abs() < 1e-4 * g0[j].abs().max(1.0));
            for i in 0..2 {
                assert!(((gu[i] - gd[i]) / 2e-6 - h0[i * 2 + j]).abs() < 1e-4 * h0[i * 2 + j].abs().max(1.0));
            }
        }
    }

    #[test]
    fn a_column_that_never_varies_within_a_task_is_named() {
        let (mut x, starts, chosen) = simulate(50, &[1.0, 1.0], 2);
        for t in 0..50 {
            for k in 0..3 {
                x[(3 * t + k) * 2 + 1] = t as f64; // constant within each task
            }
        }
        let tasks = Tasks { x: &x, p: 2, starts: &starts, chosen: &chosen, weight: None };
        let e = fit(&tasks, None, None, &["a".into(), "b".into()], None).unwrap_err().to_string();
        assert!(e.contains("'b'") && e.contains("never varies"), "{e}");
    }
}
