//! Key-driver analysis: the share of an outcome's explained variance owed to each of several
//! correlated predictors (ratings, spend, theme flags), as R's relaimpo and rwa compute it.
//!
//! - `relative_weights` on a continuous outcome: Johnson (2000), from the correlation matrix R
//!   of the drivers and their correlations r with the outcome (see the theme-impact module; the
//!   theme impacts are this analysis on 0/1 flags). The weights sum to the R squared of the
//!   least-squares regression on every driver.
//! - `shapley` on a continuous outcome: the LMG decomposition of that R squared (Lindeman,
//!   Merenda & Gold 1980; Gromping 2006, relaimpo's `type = "lmg"`).
//! - `relative_weights` on a 0/1 outcome: Tonidandel & LeBreton (2010). With X the standardized
//!   drivers, R = V diag(l) V' and Lambda = V diag(sqrt l) V', the orthogonal predictors
//!   Z = X Lambda^-1 are regressed on the outcome by logistic regression (coefficients b, fitted
//!   probabilities p, linear predictor eta); the standardized coefficients are
//!   beta_k = b_k sd(Z_k) R_O / sd(eta) with R_O the correlation of the outcome and p, and the
//!   weight of driver j is sum_k Lambda_jk^2 beta_k^2. The weights sum to R_O^2.
//!
//! Bootstrap intervals resample rows (replicate b from `stream(seed, b)`) and take percentile
//! intervals. Cost: O(n p^2) for the moments, O(p^3) per eigen-decomposition, O(2^p p^2) for
//! exact Shapley (p <= 15), O(n p^2) per Newton step of the logistic fit.

#![allow(clippy::needless_range_loop)] // small dense matrices read clearest with (i, j) indices

use rand::Rng;
use rayon::prelude::*;

use super::impact::{relative_weights, shapley, symmetric_eigen, EXACT_SHAPLEY_MAX};
use crate::error::{Error, Result};
use crate::stats::optim::invert;
use crate::stats::quantile::percentile_interval;
use crate::stats::rng::stream;
use crate::stats::{scaled_by_power_of_two, tick, Progress};
use crate::table::{Column, Columns, Output, RowLog};

/// How the drivers' shares are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Johnson's relative weights (Tonidandel & LeBreton's for a 0/1 outcome).
    RelativeWeights,
    /// LMG / Shapley shares of R squared (continuous outcomes).
    Shapley,
}

impl Method {
    /// Parses `"relative_weights"` or `"shapley"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "relative_weights" => Ok(Method::RelativeWeights),
            "shapley" => Ok(Method::Shapley),
            o => {
                Err(Error::parameter("method", format!("must be 'relative_weights' or 'shapley', got '{o}'")))
            }
        }
    }
}

/// The outcome's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Least squares.
    Continuous,
    /// 0/1: logistic relative weights.
    Binary,
}

impl Outcome {
    /// Parses `"continuous"` or `"binary"`; `"auto"` is binary when every value is 0 or 1.
    pub fn parse(s: &str, y: &[f64]) -> Result<Self> {
        match s {
            "continuous" => Ok(Outcome::Continuous),
            "binary" => Ok(Outcome::Binary),
            "auto" if y.iter().all(|v| *v == 0.0 || *v == 1.0) => Ok(Outcome::Binary),
            "auto" => Ok(Outcome::Continuous),
            o => Err(Error::parameter(
                "outcome_type",
                format!("must be 'auto', 'continuous' or 'binary', got '{o}'"),
            )),
        }
    }
    fn name(self) -> &'static str {
        match self {
            Outcome::Continuous => "continuous",
            Outcome::Binary => "binary",
        }
    }
}

/// Options of a key-driver analysis.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The decomposition.
    pub method: Method,
    /// The outcome's kind.
    pub outcome: Outcome,
    /// Bootstrap replicates (0: no intervals).
    pub bootstrap: usize,
    /// Seed of the bootstrap and of sampled orderings.
    pub seed: u64,
    /// Confidence level of the intervals.
    pub level: f64,
    /// Orderings sampled for Shapley beyond [`EXACT_SHAPLEY_MAX`] drivers.
    pub permutations: usize,
}

/// The analysis: one weight per driver, R squared, and intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct Drivers {
    /// Driver names, in the caller's order.
    pub names: Vec<String>,
    /// Raw weights (they sum to `r_squared`).
    pub weights: Vec<f64>,
    /// Percentile intervals of the weights (NaN without a bootstrap).
    pub ci: Vec<(f64, f64)>,
    /// Correlation of each driver with the outcome (its sign is the direction).
    pub correlation: Vec<f64>,
    /// R squared (least squares) or R_O^2 (logistic) of the model on every driver.
    pub r_squared: f64,
    /// The outcome's kind.
    pub outcome: Outcome,
    /// True when Shapley values were averaged over sampled orderings.
    pub sampled: bool,
}

/// Means, population standard deviations, correlation matrix of the drivers and their
/// correlations with y, over the rows `idx`.
struct Moments {
    mean: Vec<f64>,
    sd: Vec<f64>,
    r: Vec<Vec<f64>>,
    rxy: Vec<f64>,
}

fn moments(x: &[&[f64]], y: &[f64], idx: &[usize]) -> Moments {
    let p = x.len();
    let n = idx.len() as f64;
    let at = |j: usize, i: usize| x.get(j).and_then(|c| c.get(i)).copied().unwrap_or(0.0);
    let yv = |i: usize| y.get(i).copied().unwrap_or(0.0);
    let mean: Vec<f64> = (0..p).map(|j| idx.iter().map(|&i| at(j, i)).sum::<f64>() / n).collect();
    let my = idx.iter().map(|&i| yv(i)).sum::<f64>() / n;
    let mut cov = vec![vec![0.0; p]; p];
    let mut cxy = vec![0.0; p];
    let mut syy = 0.0;
    let mut d = vec![0.0; p];
    for &i in idx {
        for (j, dj) in d.iter_mut().enumerate() {
            *dj = at(j, i) - mean.get(j).copied().unwrap_or(0.0);
        }
        let dy = yv(i) - my;
        syy += dy * dy;
        for a in 0..p {
            let da = d.get(a).copied().unwrap_or(0.0);
            if let Some(c) = cxy.get_mut(a) {
                *c += da * dy;
            }
            if let Some(row) = cov.get_mut(a) {
                for (b, c) in row.iter_mut().enumerate().take(a + 1) {
                    *c += da * d.get(b).copied().unwrap_or(0.0);
                }
            }
        }
    }
    let sd: Vec<f64> = (0..p).map(|j| (cov[j][j] / n).sqrt()).collect();
    let sdy = (syy / n).sqrt();
    let r = (0..p).map(|a| (0..p).map(|b| cov[a.max(b)][a.min(b)] / n / (sd[a] * sd[b])).collect()).collect();
    let rxy = (0..p).map(|j| cxy[j] / n / (sd[j] * sdy)).collect();
    Moments { mean, sd, r, rxy }
}

/// Logistic relative weights (see the module docs) over the rows `idx`, and R_O^2.
fn logistic_weights(
    x: &[&[f64]],
    y: &[f64],
    idx: &[usize],
    m: &Moments,
    names: &[&str],
) -> Result<(Vec<f64>, f64)> {
    let p = x.len();
    let (l, v) = symmetric_eigen(&m.r);
    if l.iter().any(|e| !(e.is_finite() && *e > 1e-10)) {
        return Err(Error::input(
            names.join(", "),
            "the columns are linearly dependent (one is implied by the others): drop or merge one",
        ));
    }
    // Lambda = V diag(sqrt l) V' and its inverse V diag(1/sqrt l) V'
    let mat = |f: &dyn Fn(f64) -> f64| -> Vec<Vec<f64>> {
        (0..p).map(|i| (0..p).map(|j| (0..p).map(|e| v[i][e] * f(l[e]) * v[j][e]).sum()).collect()).collect()
    };
    let lam = mat(&|e| e.sqrt());
    let lam_inv = mat(&|e| 1.0 / e.sqrt());
    // Z = X_std Lambda^-1, rows in idx order, with an intercept column first
    let n = idx.len();
    let z: Vec<Vec<f64>> = idx
        .iter()
        .map(|&i| {
            let xs: Vec<f64> =
                (0..p).map(|j| (x[j].get(i).copied().unwrap_or(0.0) - m.mean[j]) / m.sd[j]).collect();
            std::iter::once(1.0).chain((0..p).map(|k| (0..p).map(|j| xs[j] * lam_inv[j][k]).sum())).collect()
        })
        .collect();
    let yy: Vec<f64> = idx.iter().map(|&i| y.get(i).copied().unwrap_or(0.0)).collect();
    let b = logistic_fit(&z, &yy, names)?;
    let eta: Vec<f64> = z.iter().map(|row| row.iter().zip(&b).map(|(a, c)| a * c).sum()).collect();
    let prob: Vec<f64> = eta.iter().map(|e| 1.0 / (1.0 + (-e).exp())).collect();
    let corr = |a: &[f64], c: &[f64]| {
        let (ma, mc) = (a.iter().sum::<f64>() / n as f64, c.iter().sum::<f64>() / n as f64);
        let (mut sac, mut saa, mut scc) = (0.0, 0.0, 0.0);
        for (u, w) in a.iter().zip(c) {
            sac += (u - ma) * (w - mc);
            saa += (u - ma) * (u - ma);
            scc += (w - mc) * (w - mc);
        }
        sac / (saa * scc).sqrt()
    };
    let r_o = corr(&yy, &prob);
    let me = eta.iter().sum::<f64>() / n as f64;
    let sd_eta = (eta.iter().map(|e| (e - me).powi(2)).sum::<f64>() / n as f64).sqrt();
    // Z has unit (population) variance by construction
    let beta: Vec<f64> = (0..p).map(|k| b[k + 1] * r_o / sd_eta).collect();
    let w = (0..p).map(|j| (0..p).map(|k| lam[j][k].powi(2) * beta[k].powi(2)).sum()).collect();
    Ok((w, r_o * r_o))
}

/// Maximum-likelihood logistic regression of y on the columns of `z` (the first is the
/// intercept) by Newton's method with step halving; a ConvergenceError when the outcome is
/// (quasi-)separated and the coefficients run away.
fn logistic_fit(z: &[Vec<f64>], y: &[f64], names: &[&str]) -> Result<Vec<f64>> {
    let q = z.first().map_or(0, Vec::len);
    let loglik = |b: &[f64]| -> f64 {
        z.iter()
            .zip(y)
            .map(|(row, yi)| {
                let e: f64 = row.iter().zip(b).map(|(a, c)| a * c).sum();
                // y e - ln(1 + e^e), stably
                yi * e - if e > 0.0 { e + (-e).exp().ln_1p() } else { e.exp().ln_1p() }
            })
            .sum()
    };
    let mut b = vec![0.0; q];
    let mut ll = loglik(&b);
    for _ in 0..100 {
        let mut grad = vec![0.0; q];
        let mut info = vec![vec![0.0; q]; q];
        for (row, yi) in z.iter().zip(y) {
            let e: f64 = row.iter().zip(&b).map(|(a, c)| a * c).sum();
            let pi = 1.0 / (1.0 + (-e).exp());
            let w = pi * (1.0 - pi);
            for a in 0..q {
                grad[a] += (yi - pi) * row[a];
                for c in 0..=a {
                    info[a][c] += w * row[a] * row[c];
                }
            }
        }
        for a in 0..q {
            for c in (a + 1)..q {
                info[a][c] = info[c][a];
            }
        }
        let Some(inv) = invert(&info) else { break };
        let step: Vec<f64> = (0..q).map(|a| (0..q).map(|c| inv[a][c] * grad[c]).sum()).collect();
        let mut t = 1.0;
        let mut next: Vec<f64> = b.iter().zip(&step).map(|(x, s)| x + t * s).collect();
        let mut nll = loglik(&next);
        while nll < ll - 1e-12 && t > 1e-8 {
            t /= 2.0;
            next = b.iter().zip(&step).map(|(x, s)| x + t * s).collect();
            nll = loglik(&next);
        }
        let done = (nll - ll).abs() < 1e-12 * (1.0 + ll.abs());
        b = next;
        ll = nll;
        if done {
            return if b.iter().all(|v| v.is_finite() && v.abs() < 50.0) {
                Ok(b)
            } else {
                Err(separated(names))
            };
        }
    }
    Err(separated(names))
}

fn separated(names: &[&str]) -> Error {
    Error::convergence(
        "the logistic regression of the outcome on the drivers",
        format!(
            "the outcome is (nearly) separated by {}: some combination of them predicts it perfectly; \
             drop the driver that does, or use outcome_type='continuous'",
            names.join(", ")
        ),
    )
}

/// Weights and R squared over the rows `idx`.
fn weights_of(
    x: &[&[f64]],
    y: &[f64],
    idx: &[usize],
    opts: &Options,
    names: &[&str],
) -> Result<(Vec<f64>, f64, bool, Vec<f64>)> {
    let m = moments(x, y, idx);
    match (opts.method, opts.outcome) {
        (Method::RelativeWeights, Outcome::Continuous) => {
            let w = relative_weights(&m.r, &m.rxy, names)?;
            let r2 = w.iter().sum();
            Ok((w, r2, false, m.rxy))
        }
        (Method::Shapley, Outcome::Continuous) => {
            let (w, sampled) = shapley(&m.r, &m.rxy, opts.permutations, opts.seed);
            let r2 = w.iter().sum();
            Ok((w, r2, sampled, m.rxy))
        }
        (Method::RelativeWeights, Outcome::Binary) => {
            let (w, r2) = logistic_weights(x, y, idx, &m, names)?;
            Ok((w, r2, false, m.rxy))
        }
        (Method::Shapley, Outcome::Binary) => Err(Error::parameter(
            "method",
            "Shapley shares need an R squared that adds up over subsets; a 0/1 outcome has none \
             (pseudo R squared do not decompose): use method='relative_weights'",
        )),
    }
}

/// Key-driver analysis of `y` on the continuous `drivers` (no missing values).
pub fn key_drivers(
    drivers: &[Column<f64>],
    y: &Column<f64>,
    opts: Options,
    progress: Option<&Progress>,
) -> Result<Drivers> {
    if drivers.is_empty() {
        return Err(Error::parameter("features", "give at least one driver column"));
    }
    if !(opts.level > 0.0 && opts.level < 1.0) {
        return Err(Error::parameter("ci", format!("must be in (0, 1), got {}", opts.level)));
    }
    let n = y.len();
    let p = drivers.len();
    if n < p + 2 {
        return Err(Error::input(
            &y.name,
            format!("{n} rows for {p} drivers: at least {} are needed", p + 2),
        ));
    }
    if opts.method == Method::Shapley && p > EXACT_SHAPLEY_MAX {
        crate::stats::check_replicates("n_permutations", opts.permutations, 1, 8 * p)?;
    }
    if opts.bootstrap > 0 {
        crate::stats::check_replicates("n_boot", opts.bootstrap, 2, 8 * p)?;
    }
    for (name, v) in drivers.iter().map(|c| (&c.name, &c.values)).chain([(&y.name, &y.values)]) {
        if v.len() != n {
            return Err(Error::input(name, format!("has {} rows, expected {n}", v.len())));
        }
        if let Some((i, bad)) = v.iter().enumerate().find(|(_, x)| !x.is_finite()) {
            return Err(Error::input(
                name,
                format!("value {bad} at row {i}; drop it or pass missing='drop'"),
            ));
        }
        let first = v.first().copied().unwrap_or(0.0);
        if v.iter().all(|x| *x == first) {
            return Err(Error::input(
                name,
                format!("is constant ({first}): it explains nothing; leave it out"),
            ));
        }
    }
    if opts.outcome == Outcome::Binary {
        if let Some((i, bad)) = y.values.iter().enumerate().find(|(_, v)| **v != 0.0 && **v != 1.0) {
            return Err(Error::input(
                &y.name,
                format!("value {bad} at row {i} in a binary outcome; code it 0/1 or use outcome_type='continuous'"),
            ));
        }
    }
    let names: Vec<&str> = drivers.iter().map(|c| c.name.as_str()).collect();
    // every result is a function of correlations, which a column's scale does not change: a
    // column of huge or tiny values (near 1e200 or 1e-300, whose squares overflow or vanish) is
    // scaled by a power of two first, which is exact
    let scaled: Vec<Option<Vec<f64>>> = drivers.iter().map(|c| scaled_by_power_of_two(&c.values)).collect();
    let x: Vec<&[f64]> =
        drivers.iter().zip(&scaled).map(|(c, s)| s.as_deref().unwrap_or(c.values.as_slice())).collect();
    let y_scaled = if opts.outcome == Outcome::Binary { None } else { scaled_by_power_of_two(&y.values) };
    let yv: &[f64] = y_scaled.as_deref().unwrap_or(&y.values);
    let all: Vec<usize> = (0..n).collect();
    let (weights, r_squared, sampled, correlation) = weights_of(&x, yv, &all, &opts, &names)?;
    let mut ci = vec![(f64::NAN, f64::NAN); p];
    if opts.bootstrap > 0 {
        let reps: Vec<Vec<f64>> = (0..opts.bootstrap)
            .into_par_iter()
            .map(|b| {
                let mut rng = stream(opts.seed, b as u64);
                let idx: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
                let out = weights_of(&x, yv, &idx, &opts, &names).map_or_else(|_| vec![f64::NAN; p], |w| w.0);
                tick(progress)?;
                Ok(out)
            })
            .collect::<Result<_>>()?;
        for (j, slot) in ci.iter_mut().enumerate() {
            let vals: Vec<f64> = reps
                .iter()
                .map(|r| r.get(j).copied().unwrap_or(f64::NAN))
                .filter(|v| v.is_finite())
                .collect();
            *slot = percentile_interval(&vals, opts.level);
        }
    }
    Ok(Drivers {
        names: names.iter().map(|s| s.to_string()).collect(),
        weights,
        ci,
        correlation,
        r_squared,
        outcome: opts.outcome,
        sampled,
    })
}

impl Drivers {
    /// Table "table" (driver, weight, share = weight / R squared, ci_low, ci_high, rank,
    /// correlation) and the values r_squared, outcome_type and sampled.
    pub fn output(&self, rows: RowLog) -> Result<Output> {
        let p = self.weights.len();
        let mut order: Vec<usize> = (0..p).collect();
        order.sort_by(|a, b| self.weights[*b].total_cmp(&self.weights[*a]));
        let mut rank = vec![0usize; p];
        for (pos, j) in order.iter().enumerate() {
            rank[*j] = pos + 1;
        }
        let table = Columns::new()
            .text("driver", self.names.iter().cloned())
            .f64("weight", self.weights.iter().copied())
            .f64("share", self.weights.iter().map(|w| w / self.r_squared))
            .f64("ci_low", self.ci.iter().map(|c| c.0))
            .f64("ci_high", self.ci.iter().map(|c| c.1))
            .count("rank", rank)
            .f64("correlation", self.correlation.iter().copied())
            .batch()?;
        Ok(Output::new(rows)
            .table("table", table)
            .value("r_squared", self.r_squared)
            .value("outcome_type", self.outcome.name())
            .value("sampled", self.sampled))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(binary: bool) -> (Vec<Column<f64>>, Column<f64>) {
        let n = 300;
        let mut rng = stream(7, 0);
        let mut cols: Vec<Vec<f64>> = (0..3).map(|_| Vec::with_capacity(n)).collect();
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let base: f64 = rng.random_range(-1.0..1.0);
            let x: Vec<f64> =
                (0..3).map(|j| base * (j as f64 + 1.0) / 3.0 + rng.random_range(-1.0..1.0)).collect();
            let eta = x[0] - 0.5 * x[2] + rng.random_range(-1.0..1.0);
            y.push(if binary { f64::from(u8::from(eta > 0.0)) } else { eta });
            for (c, v) in cols.iter_mut().zip(x) {
                c.push(v);
            }
        }
        let cols = cols.into_iter().enumerate().map(|(j, v)| Column::new(format!("x{j}"), v)).collect();
        (cols, Column::new("y", y))
    }

    fn opts(method: Method, outcome: Outcome) -> Options {
        Options { method, outcome, bootstrap: 0, seed: 0, level: 0.95, permutations: 100 }
    }

    #[test]
    fn the_scale_of_a_column_changes_no_weight() {
        // squares of 1e200 overflow and of 1e-300 vanish: the weights are those of the plain data
        let (cols, y) = data(false);
        for method in [Method::RelativeWeights, Method::Shapley] {
            let plain = key_drivers(&cols, &y, opts(method, Outcome::Continuous), None)
                .unwrap_or_else(|e| panic!("{e}"));
            for (sx, sy) in [(1e200, 1.0), (1.0, 1e200), (1e-300, 1e300), (0.5f64.powi(80), 1.0)] {
                let xs: Vec<Column<f64>> = cols
                    .iter()
                    .map(|c| Column::new(c.name.clone(), c.values.iter().map(|v| v * sx).collect()))
                    .collect();
                let ys = Column::new("y", y.values.iter().map(|v| v * sy).collect());
                let got = key_drivers(&xs, &ys, opts(method, Outcome::Continuous), None)
                    .unwrap_or_else(|e| panic!("{e}"));
                for (a, b) in got.weights.iter().zip(&plain.weights) {
                    assert!((a - b).abs() < 1e-12, "{sx} {sy}: {a} {b}");
                }
                assert!((got.r_squared - plain.r_squared).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn weights_add_up_to_the_r_squared_of_every_kind() {
        for (method, outcome) in [
            (Method::RelativeWeights, Outcome::Continuous),
            (Method::Shapley, Outcome::Continuous),
            (Method::RelativeWeights, Outcome::Binary),
        ] {
            let (x, y) = data(outcome == Outcome::Binary);
            let d = key_drivers(&x, &y, opts(method, outcome), None).unwrap_or_else(|e| panic!("{e}"));
            let total: f64 = d.weights.iter().sum();
            assert!((total - d.r_squared).abs() < 1e-12, "{method:?} {outcome:?}");
            assert!(d.r_squared > 0.1 && d.r_squared < 1.0);
            // the strongest driver is x0, and x1 (no effect of its own) borrows little
            assert!(d.weights[0] > d.weights[1] && d.weights[0] > d.weights[2]);
        }
        let (x, y) = data(true);
        assert!(key_drivers(&x, &y, opts(Method::Shapley, Outcome::Binary), None).is_err());
    }
}
