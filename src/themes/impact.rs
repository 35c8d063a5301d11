//! Theme impact on a value outcome (step 1 of the cycle: rank the topics by their impact).
//!
//! - `marginal`: mean outcome with the theme minus without it; and the change in the overall
//!   mean if the respondents mentioning the theme were removed, mean(y | no theme) - mean(y).
//! - `relative_weights`: Johnson (2000). With R the theme correlation matrix (eigen-decomposed
//!   as R = V diag(l) V') and r the theme-outcome correlations, Lambda = V diag(sqrt l) V' and
//!   beta = Lambda^-1 r; the weight of theme j is sum_k Lambda_jk^2 beta_k^2. Weights sum to
//!   the R squared of the least-squares regression of the outcome on every theme.
//! - `shapley`: the LMG decomposition of that R squared (Lindeman, Merenda & Gold 1980; Gromping
//!   2007): theme j receives the average, over orderings of the themes, of the increase in
//!   R squared when j joins the themes before it. Exact over all subsets up to
//!   [`EXACT_SHAPLEY_MAX`] themes; beyond, averaged over seeded random orderings.
//!
//! Bootstrap intervals resample respondents (replicate b draws from `stream(seed, b)`),
//! recompute the impacts and take percentile intervals; replicates run in parallel.

use rand::Rng;
use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::error::{Error, Result};
use crate::stats::quantile::percentile_interval;
use crate::stats::rng::stream;
use crate::stats::{tick, Progress};
use crate::table::{Column, Columns, Output, RowLog};

/// Largest number of themes for the exact Shapley (LMG) decomposition.
pub const EXACT_SHAPLEY_MAX: usize = 15;

/// How impact is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Mean outcome with minus without the theme.
    Marginal,
    /// Johnson's relative weights (share of R squared).
    RelativeWeights,
    /// Shapley / LMG share of R squared.
    Shapley,
}

impl Method {
    /// Parses `"marginal"`, `"relative_weights"` or `"shapley"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "marginal" => Ok(Method::Marginal),
            "relative_weights" => Ok(Method::RelativeWeights),
            "shapley" => Ok(Method::Shapley),
            o => Err(Error::parameter(
                "method",
                format!("must be 'relative_weights', 'shapley' or 'marginal', got '{o}'"),
            )),
        }
    }
}

/// Options of an impact analysis.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The impact measure.
    pub method: Method,
    /// Bootstrap replicates (0: none; marginal impacts then get Welch intervals).
    pub bootstrap: usize,
    /// Seed of the bootstrap and of sampled orderings.
    pub seed: u64,
    /// Confidence level of the intervals.
    pub level: f64,
    /// Orderings sampled for Shapley beyond [`EXACT_SHAPLEY_MAX`] themes.
    pub permutations: usize,
}

/// One theme's impact.
#[derive(Debug, Clone, PartialEq)]
pub struct ImpactRow {
    /// Theme column.
    pub theme: String,
    /// Share of respondents mentioning the theme.
    pub prevalence: f64,
    /// The impact by the chosen method.
    pub impact: f64,
    /// Lower end of the interval (NaN without one).
    pub ci_low: f64,
    /// Upper end.
    pub ci_high: f64,
    /// 1 = largest absolute impact.
    pub rank: usize,
    /// Mean outcome among respondents mentioning the theme.
    pub mean_with: f64,
    /// Mean outcome among the others.
    pub mean_without: f64,
    /// Change in the overall mean if the theme's respondents were removed.
    pub impact_if_removed: f64,
    /// Correlation of the theme flag with the outcome (its sign is the direction).
    pub correlation: f64,
}

/// The result: one row per theme and the R squared of the regression on every theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Impact {
    /// Rows in theme order.
    pub rows: Vec<ImpactRow>,
    /// R squared of the outcome on all themes (least squares with intercept).
    pub r_squared: f64,
    /// True when Shapley values were averaged over sampled orderings.
    pub sampled: bool,
}

/// Correlation matrix of the themes, their correlations with the outcome, and the group means,
/// over the rows `idx` (every row when `None`).
struct Moments {
    r: Vec<Vec<f64>>,
    rxy: Vec<f64>,
    /// Per theme: (mean with, mean without, variance with, variance without).
    with: Vec<(f64, f64, f64, f64)>,
    mean_y: f64,
}

fn moments(themes: &[&[bool]], y: &[f64], idx: Option<&[usize]>) -> Moments {
    let k = themes.len();
    let all: Vec<usize>;
    let ix: &[usize] = match idx {
        Some(ix) => ix,
        None => {
            all = (0..y.len()).collect();
            &all
        }
    };
    let rows = || ix.iter().copied();
    let n = rows().count() as f64;
    let flag = |j: usize, i: usize| -> f64 {
        themes.get(j).and_then(|t| t.get(i)).map_or(0.0, |b| f64::from(u8::from(*b)))
    };
    let yv = |i: usize| y.get(i).copied().unwrap_or(0.0);
    let mean_y = rows().map(yv).sum::<f64>() / n;
    let p: Vec<f64> = (0..k).map(|j| rows().map(|i| flag(j, i)).sum::<f64>() / n).collect();
    // co-occurrence counts and sums of centred y per theme
    let mut both = vec![vec![0.0; k]; k];
    let mut sy = vec![0.0; k];
    let mut syy = vec![0.0; k];
    let mut s_yy = 0.0;
    let mut on: Vec<usize> = Vec::with_capacity(k);
    for i in rows() {
        let d = yv(i) - mean_y;
        s_yy += d * d;
        on.clear();
        on.extend((0..k).filter(|j| flag(*j, i) > 0.0));
        for &a in &on {
            if let Some(s) = sy.get_mut(a) {
                *s += d;
            }
            if let Some(s) = syy.get_mut(a) {
                *s += d * d;
            }
            if let Some(row) = both.get_mut(a) {
                for &b in &on {
                    if let Some(c) = row.get_mut(b) {
                        *c += 1.0;
                    }
                }
            }
        }
    }
    let sd = |j: usize| {
        let pj = p.get(j).copied().unwrap_or(0.0);
        (pj * (1.0 - pj)).sqrt()
    };
    let sd_y = (s_yy / n).sqrt();
    let r: Vec<Vec<f64>> = (0..k)
        .map(|a| {
            (0..k)
                .map(|b| {
                    let pab = both.get(a).and_then(|r| r.get(b)).copied().unwrap_or(0.0) / n;
                    let (pa, pb) = (p.get(a).copied().unwrap_or(0.0), p.get(b).copied().unwrap_or(0.0));
                    (pab - pa * pb) / (sd(a) * sd(b))
                })
                .collect()
        })
        .collect();
    let rxy: Vec<f64> = (0..k).map(|j| sy.get(j).copied().unwrap_or(0.0) / n / (sd(j) * sd_y)).collect();
    let with = (0..k)
        .map(|j| {
            let n1 = p.get(j).copied().unwrap_or(0.0) * n;
            let s1 = sy.get(j).copied().unwrap_or(0.0);
            let q1 = syy.get(j).copied().unwrap_or(0.0);
            let n0 = n - n1;
            let (m1, m0) = (s1 / n1, -s1 / n0);
            let v1 = (q1 - s1 * s1 / n1) / (n1 - 1.0);
            let v0 = ((s_yy - q1) - s1 * s1 / n0) / (n0 - 1.0);
            (mean_y + m1, mean_y + m0, v1.max(0.0), v0.max(0.0))
        })
        .collect();
    Moments { r, rxy, with, mean_y }
}

/// Eigenvalues and eigenvectors (columns) of a symmetric matrix by cyclic Jacobi rotations.
pub fn symmetric_eigen(a: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let k = a.len();
    let mut m: Vec<Vec<f64>> = a.to_vec();
    let mut v: Vec<Vec<f64>> =
        (0..k).map(|i| (0..k).map(|j| f64::from(u8::from(i == j))).collect()).collect();
    let get = |m: &Vec<Vec<f64>>, i: usize, j: usize| m.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0);
    let set = |m: &mut Vec<Vec<f64>>, i: usize, j: usize, x: f64| {
        if let Some(c) = m.get_mut(i).and_then(|r| r.get_mut(j)) {
            *c = x;
        }
    };
    for _sweep in 0..100 {
        let off: f64 = (0..k)
            .flat_map(|i| (0..k).filter(move |j| *j != i).map(move |j| (i, j)))
            .map(|(i, j)| get(&m, i, j).powi(2))
            .sum();
        if off < 1e-24 {
            break;
        }
        for p in 0..k {
            for q in (p + 1)..k {
                let apq = get(&m, p, q);
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (get(&m, q, q) - get(&m, p, p)) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for r in 0..k {
                    let (mrp, mrq) = (get(&m, r, p), get(&m, r, q));
                    set(&mut m, r, p, c * mrp - s * mrq);
                    set(&mut m, r, q, s * mrp + c * mrq);
                }
                for r in 0..k {
                    let (mpr, mqr) = (get(&m, p, r), get(&m, q, r));
                    set(&mut m, p, r, c * mpr - s * mqr);
                    set(&mut m, q, r, s * mpr + c * mqr);
                }
                for r in 0..k {
                    let (vrp, vrq) = (get(&v, r, p), get(&v, r, q));
                    set(&mut v, r, p, c * vrp - s * vrq);
                    set(&mut v, r, q, s * vrp + c * vrq);
                }
            }
        }
    }
    ((0..k).map(|i| get(&m, i, i)).collect(), v)
}

/// Johnson's relative weights from the correlations; errors on (near) collinear themes.
pub(crate) fn relative_weights(r: &[Vec<f64>], rxy: &[f64], names: &[&str]) -> Result<Vec<f64>> {
    let k = r.len();
    let (l, v) = symmetric_eigen(r);
    let min = l.iter().copied().fold(f64::INFINITY, f64::min);
    if min.is_nan() || min < 1e-10 {
        return Err(Error::input(
            names.join(", "),
            "the columns are linearly dependent (one is implied by the others): drop or merge one",
        ));
    }
    let vv = |i: usize, j: usize| v.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0);
    let lam: Vec<Vec<f64>> = (0..k)
        .map(|i| {
            (0..k)
                .map(|j| (0..k).map(|e| vv(i, e) * l.get(e).copied().unwrap_or(0.0).sqrt() * vv(j, e)).sum())
                .collect()
        })
        .collect();
    // beta = Lambda^-1 rxy = V diag(1/sqrt l) V' rxy
    let vt_r: Vec<f64> =
        (0..k).map(|e| (0..k).map(|i| vv(i, e) * rxy.get(i).copied().unwrap_or(0.0)).sum()).collect();
    let beta: Vec<f64> = (0..k)
        .map(|i| {
            (0..k)
                .map(|e| {
                    vv(i, e) * vt_r.get(e).copied().unwrap_or(0.0) / l.get(e).copied().unwrap_or(1.0).sqrt()
                })
                .sum()
        })
        .collect();
    Ok((0..k)
        .map(|j| {
            (0..k)
                .map(|e| {
                    lam.get(j).and_then(|r| r.get(e)).copied().unwrap_or(0.0).powi(2)
                        * beta.get(e).copied().unwrap_or(0.0).powi(2)
                })
                .sum()
        })
        .collect())
}

/// R squared gained by each variable of `order` when it joins the ones before it (an
/// incremental Cholesky factorisation of the correlation matrix in that order; a variable
/// implied by the earlier ones adds nothing).
pub(crate) fn increments(r: &[Vec<f64>], rxy: &[f64], order: &[usize]) -> Vec<f64> {
    let k = order.len();
    let mut l = vec![vec![0.0; k]; k];
    let mut ly = vec![0.0; k];
    let mut out = vec![0.0; k];
    let rr = |a: usize, b: usize| r.get(a).and_then(|x| x.get(b)).copied().unwrap_or(0.0);
    for (i, &vi) in order.iter().enumerate() {
        let mut row = vec![0.0; i + 1];
        for (j, &vj) in order.iter().enumerate().take(i) {
            let dot: f64 = (0..j)
                .map(|m| {
                    row.get(m).copied().unwrap_or(0.0)
                        * l.get(j).and_then(|x| x.get(m)).copied().unwrap_or(0.0)
                })
                .sum();
            let ljj = l.get(j).and_then(|x| x.get(j)).copied().unwrap_or(0.0);
            if let Some(c) = row.get_mut(j) {
                *c = if ljj > 0.0 { (rr(vi, vj) - dot) / ljj } else { 0.0 };
            }
        }
        let d = rr(vi, vi) - row.iter().take(i).map(|x| x * x).sum::<f64>();
        let lii = if d > 1e-10 { d.sqrt() } else { 0.0 };
        if let Some(c) = row.get_mut(i) {
            *c = lii;
        }
        let dot: f64 =
            (0..i).map(|m| row.get(m).copied().unwrap_or(0.0) * ly.get(m).copied().unwrap_or(0.0)).sum();
        let lyi = if lii > 0.0 { (rxy.get(vi).copied().unwrap_or(0.0) - dot) / lii } else { 0.0 };
        if let Some(c) = ly.get_mut(i) {
            *c = lyi;
        }
        if let Some(c) = out.get_mut(i) {
            *c = lyi * lyi;
        }
        if let Some(slot) = l.get_mut(i) {
            *slot = row.into_iter().chain(std::iter::repeat(0.0)).take(k).collect();
        }
    }
    out
}

/// R squared of the regression on the themes in `mask`.
fn r2_subset(r: &[Vec<f64>], rxy: &[f64], mask: usize) -> f64 {
    let order: Vec<usize> = (0..r.len()).filter(|j| mask >> j & 1 == 1).collect();
    increments(r, rxy, &order).iter().sum()
}

/// Shapley (LMG) shares of R squared: exact up to [`EXACT_SHAPLEY_MAX`] themes, else averaged
/// over `permutations` seeded random orderings.
pub(crate) fn shapley(r: &[Vec<f64>], rxy: &[f64], permutations: usize, seed: u64) -> (Vec<f64>, bool) {
    let k = r.len();
    if k <= EXACT_SHAPLEY_MAX {
        let r2: Vec<f64> = (0..1usize << k).into_par_iter().map(|m| r2_subset(r, rxy, m)).collect();
        let ln_fact = |n: usize| (1..=n).map(|i| (i as f64).ln()).sum::<f64>();
        let w: Vec<f64> = (0..k).map(|s| (ln_fact(s) + ln_fact(k - s - 1) - ln_fact(k)).exp()).collect();
        let phi = (0..k)
            .map(|j| {
                (0..1usize << k)
                    .filter(|m| m >> j & 1 == 0)
                    .map(|m| {
                        let gain =
                            r2.get(m | 1 << j).copied().unwrap_or(0.0) - r2.get(m).copied().unwrap_or(0.0);
                        w.get(m.count_ones() as usize).copied().unwrap_or(0.0) * gain
                    })
                    .sum()
            })
            .collect();
        return (phi, false);
    }
    // per-ordering shares collected in order and summed sequentially: the same on any number
    // of threads
    let per: Vec<Vec<f64>> = (0..permutations)
        .into_par_iter()
        .map(|p| {
            let mut rng = stream(seed, 1 << 40 | p as u64);
            let mut order: Vec<usize> = (0..k).collect();
            for i in (1..k).rev() {
                order.swap(i, rng.random_range(0..=i));
            }
            let inc = increments(r, rxy, &order);
            let mut phi = vec![0.0; k];
            for (v, g) in order.iter().zip(inc) {
                if let Some(s) = phi.get_mut(*v) {
                    *s += g;
                }
            }
            phi
        })
        .collect();
    let mut sums = vec![0.0; k];
    for phi in per {
        for (s, v) in sums.iter_mut().zip(phi) {
            *s += v;
        }
    }
    (sums.iter().map(|s| s / permutations.max(1) as f64).collect(), true)
}

fn impacts(m: &Moments, method: Method, opts: &Options, names: &[&str]) -> Result<(Vec<f64>, bool)> {
    match method {
        Method::Marginal => Ok((m.with.iter().map(|w| w.0 - w.1).collect(), false)),
        Method::RelativeWeights => Ok((relative_weights(&m.r, &m.rxy, names)?, false)),
        Method::Shapley => Ok(shapley(&m.r, &m.rxy, opts.permutations, opts.seed)),
    }
}

/// Theme impact on the outcome `y` (no missing values: apply the missing policy first).
pub fn theme_impact(
    themes: &[Column<bool>],
    y: &Column<f64>,
    opts: Options,
    progress: Option<&Progress>,
) -> Result<Impact> {
    if themes.is_empty() {
        return Err(Error::parameter("themes", "give at least one theme column"));
    }
    if !(opts.level > 0.0 && opts.level < 1.0) {
        return Err(Error::parameter("level", format!("must be in (0, 1), got {}", opts.level)));
    }
    let n = y.len();
    if n == 0 {
        return Err(Error::input(&y.name, "the table is empty (0 rows)"));
    }
    let mean = y.values.iter().sum::<f64>() / n as f64;
    // constant up to rounding of the mean, at the outcome's own scale (a tiny unit varies too)
    let largest = y.values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if y.values.iter().all(|v| (v - mean).abs() <= 1e-12 * largest) {
        return Err(Error::input(
            &y.name,
            "the outcome has no variance: every respondent has the same value",
        ));
    }
    for t in themes {
        if t.len() != n {
            return Err(Error::input(&t.name, format!("has {} rows, expected {n}", t.len())));
        }
        let k = t.values.iter().filter(|b| **b).count();
        if k < 2 || n - k < 2 {
            return Err(Error::input(
                &t.name,
                format!("the theme is mentioned by {k} of {n} respondents: it needs at least 2 with and 2 without"),
            ));
        }
    }
    if opts.method == Method::Shapley && themes.len() > EXACT_SHAPLEY_MAX {
        crate::stats::check_replicates("n_permutations", opts.permutations, 1, 8 * themes.len())?;
    }
    if opts.bootstrap > 0 {
        crate::stats::check_replicates("n_boot", opts.bootstrap, 2, 8 * themes.len())?;
    }
    let names: Vec<&str> = themes.iter().map(|t| t.name.as_str()).collect();
    let flags: Vec<&[bool]> = themes.iter().map(|t| t.values.as_slice()).collect();
    // an outcome near 1e200 (or 1e-300) is scaled by a power of two, exactly, so its squares stay
    // finite (and non-zero); the quantities in the outcome's unit are scaled back at the end
    let unit = crate::stats::power_of_two_factor(&y.values);
    let scaled = (unit != 1.0).then(|| y.values.iter().map(|v| v * unit).collect::<Vec<f64>>());
    let yv: &[f64] = scaled.as_deref().unwrap_or(&y.values);
    let m = moments(&flags, yv, None);
    let (point, sampled) = impacts(&m, opts.method, &opts, &names)?;
    let r_squared = if opts.method == Method::Marginal {
        increments(&m.r, &m.rxy, &(0..themes.len()).collect::<Vec<_>>()).iter().sum()
    } else {
        point.iter().sum()
    };
    let k = themes.len();
    let mut ci = vec![(f64::NAN, f64::NAN); k];
    if opts.bootstrap > 0 {
        let reps: Vec<Vec<f64>> = (0..opts.bootstrap)
            .into_par_iter()
            .map(|b| {
                let mut rng = stream(opts.seed, b as u64);
                let idx: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
                let mb = moments(&flags, yv, Some(&idx));
                let out = impacts(&mb, opts.method, &opts, &names)
                    .map(|x| x.0)
                    .unwrap_or_else(|_| vec![f64::NAN; k]);
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
    } else if opts.method == Method::Marginal {
        for (j, slot) in ci.iter_mut().enumerate() {
            let (n1, n0) = {
                let c = flags.get(j).map_or(0, |t| t.iter().filter(|b| **b).count()) as f64;
                (c, n as f64 - c)
            };
            if let Some(&(m1, m0, v1, v0)) = m.with.get(j) {
                let se2 = v1 / n1 + v0 / n0;
                let df = se2 * se2 / ((v1 / n1).powi(2) / (n1 - 1.0) + (v0 / n0).powi(2) / (n0 - 1.0));
                let tq =
                    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| d.inverse_cdf(0.5 + opts.level / 2.0));
                *slot = (m1 - m0 - tq * se2.sqrt(), m1 - m0 + tq * se2.sqrt());
            }
        }
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|a, b| {
        let x = point.get(*a).copied().unwrap_or(0.0).abs();
        let y = point.get(*b).copied().unwrap_or(0.0).abs();
        y.total_cmp(&x)
    });
    let mut rank = vec![0; k];
    for (pos, j) in order.iter().enumerate() {
        if let Some(r) = rank.get_mut(*j) {
            *r = pos + 1;
        }
    }
    let rows = (0..k)
        .map(|j| {
            let (m1, m0, _, _) = m.with.get(j).copied().unwrap_or((f64::NAN, f64::NAN, 0.0, 0.0));
            let (lo, hi) = ci.get(j).copied().unwrap_or((f64::NAN, f64::NAN));
            ImpactRow {
                theme: names.get(j).map(|s| s.to_string()).unwrap_or_default(),
                prevalence: flags.get(j).map_or(0, |t| t.iter().filter(|b| **b).count()) as f64 / n as f64,
                impact: point.get(j).copied().unwrap_or(f64::NAN),
                ci_low: lo,
                ci_high: hi,
                rank: rank.get(j).copied().unwrap_or(0),
                mean_with: m1,
                mean_without: m0,
                impact_if_removed: m0 - m.mean_y,
                correlation: m.rxy.get(j).copied().unwrap_or(f64::NAN),
            }
        })
        .collect();
    let mut rows: Vec<ImpactRow> = rows;
    if unit != 1.0 {
        // back to the outcome's unit (exact: a power of two); R squared shares have none
        for r in &mut rows {
            r.mean_with /= unit;
            r.mean_without /= unit;
            r.impact_if_removed /= unit;
            if opts.method == Method::Marginal {
                r.impact /= unit;
                r.ci_low /= unit;
                r.ci_high /= unit;
            }
        }
    }
    Ok(Impact { rows, r_squared, sampled })
}

impl Impact {
    /// The analysis output: table "table" (theme, prevalence, impact with its interval, rank,
    /// mean_with, mean_without, impact_if_removed, correlation) and r_squared, sampled.
    pub fn output(&self, rows: RowLog) -> Result<Output> {
        let r = &self.rows;
        let f = |g: fn(&ImpactRow) -> f64| r.iter().map(g).collect::<Vec<f64>>();
        let table = Columns::new()
            .text("theme", r.iter().map(|x| x.theme.clone()))
            .f64("prevalence", f(|x| x.prevalence))
            .f64("impact", f(|x| x.impact))
            .f64("ci_low", f(|x| x.ci_low))
            .f64("ci_high", f(|x| x.ci_high))
            .count("rank", r.iter().map(|x| x.rank))
            .f64("mean_with", f(|x| x.mean_with))
            .f64("mean_without", f(|x| x.mean_without))
            .f64("impact_if_removed", f(|x| x.impact_if_removed))
            .f64("correlation", f(|x| x.correlation))
            .batch()?;
        Ok(Output::new(rows)
            .table("table", table)
            .value("r_squared", self.r_squared)
            .value("sampled", self.sampled))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> (Vec<Column<bool>>, Column<f64>) {
        let n = 400;
        let mut rng = stream(1, 0);
        let a: Vec<bool> = (0..n).map(|_| rng.random::<f64>() < 0.3).collect();
        let b: Vec<bool> = a
            .iter()
            .map(|x| if rng.random::<f64>() < 0.3 { !x } else { *x } && rng.random::<f64>() < 0.7)
            .collect();
        let c: Vec<bool> = (0..n).map(|_| rng.random::<f64>() < 0.2).collect();
        let y: Vec<f64> = (0..n)
            .map(|i| {
                5.0 - 1.5 * f64::from(u8::from(a[i])) + 0.7 * f64::from(u8::from(c[i])) + rng.random::<f64>()
            })
            .collect();
        (vec![Column::new("a", a), Column::new("b", b), Column::new("c", c)], Column::new("y", y))
    }

    fn opts(method: Method) -> Options {
        Options { method, bootstrap: 0, seed: 0, level: 0.95, permutations: 2000 }
    }

    #[test]
    fn an_outcome_near_1e200_gives_the_same_impacts_in_its_unit() {
        let (themes, y) = data();
        for method in [Method::RelativeWeights, Method::Shapley, Method::Marginal] {
            let plain = theme_impact(&themes, &y, opts(method), None).unwrap_or_else(|e| panic!("{e}"));
            for scale in [1e200, 1e-300] {
                let big = Column::new("y", y.values.iter().map(|v| v * scale).collect());
                let got = theme_impact(&themes, &big, opts(method), None).unwrap_or_else(|e| panic!("{e}"));
                for (a, b) in got.rows.iter().zip(&plain.rows) {
                    // shares of R squared have no unit; the marginal impact and the means are in y's
                    let unit = if method == Method::Marginal { scale } else { 1.0 };
                    assert!(
                        (a.impact - b.impact * unit).abs()
                            <= 1e-12 * (b.impact * unit).abs().max(1e-300 * unit)
                    );
                    assert!((a.mean_with - b.mean_with * scale).abs() <= 1e-12 * (b.mean_with * scale).abs());
                    assert!((a.correlation - b.correlation).abs() < 1e-12);
                }
            }
        }
    }

    #[test]
    fn relative_weights_and_shapley_sum_to_r_squared() {
        let (t, y) = data();
        for method in [Method::RelativeWeights, Method::Shapley] {
            let res = theme_impact(&t, &y, opts(method), None).unwrap_or_else(|e| panic!("{e}"));
            let total: f64 = res.rows.iter().map(|r| r.impact).sum();
            let full = theme_impact(&t, &y, opts(Method::Marginal), None)
                .unwrap_or_else(|e| panic!("{e}"))
                .r_squared;
            assert!((total - full).abs() < 1e-10, "{total} {full}");
            assert_eq!(res.rows[0].rank, 1);
        }
    }

    #[test]
    fn sampled_orderings_approach_the_exact_values() {
        let (t, y) = data();
        let m = moments(&t.iter().map(|c| c.values.as_slice()).collect::<Vec<_>>(), &y.values, None);
        let exact = shapley(&m.r, &m.rxy, 0, 0).0;
        // force the sampled path with the same helper
        let perms: Vec<Vec<usize>> =
            vec![vec![0, 1, 2], vec![0, 2, 1], vec![1, 0, 2], vec![1, 2, 0], vec![2, 0, 1], vec![2, 1, 0]];
        let mut phi = [0.0; 3];
        for o in &perms {
            for (v, g) in o.iter().zip(increments(&m.r, &m.rxy, o)) {
                phi[*v] += g / 6.0;
            }
        }
        for j in 0..3 {
            assert!((phi[j] - exact[j]).abs() < 1e-12);
        }
    }

    #[test]
    fn constant_outcome_and_constant_theme_are_named() {
        let (t, _) = data();
        let y = Column::new("rating", vec![3.0; 400]);
        let e = theme_impact(&t, &y, opts(Method::Marginal), None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("'rating'") && e.contains("variance"), "{e}");
        let (_, y) = data();
        let e = theme_impact(&[Column::new("never", vec![false; 400])], &y, opts(Method::Marginal), None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("'never'"), "{e}");
    }

    #[test]
    fn duplicated_themes_are_collinear_for_relative_weights() {
        let (t, y) = data();
        let dup = vec![t[0].clone(), Column::new("copy", t[0].values.to_vec())];
        let e = theme_impact(&dup, &y, opts(Method::RelativeWeights), None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("linearly dependent"), "{e}");
    }
}
