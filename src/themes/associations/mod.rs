//! Every theme against every metadata column in one call: the test grid of step 2 of the
//! Customer Value Alignment cycle.
//!
//! One pass per theme (themes in parallel) collects, for each metadata column, contingency
//! counts (categorical) or the count, sum, sum of squares and rank sum of the theme group
//! (numeric). Every statistic below is computed from those summaries, which add across
//! partitions of the rows.
//!
//! Rows of the grid:
//! - categorical, omnibus (`chi2`; `fisher` for a 2x2 table with an expected count below 5;
//!   `permutation` for a larger table with an expected count below 5): Pearson's chi-square on
//!   the 2 x L table of mention by level (levels with at least `min_count` respondents), no
//!   continuity correction. The permutation p-value is (1 + #{chi2_b >= chi2}) / (1 + B) over B
//!   tables with the margins of the observed one, each the table of a uniformly random
//!   permutation of the theme flags against the levels (drawn level by level from its
//!   hypergeometric conditionals); block k of 64 permutations draws from `stream(seed, k)`, so
//!   the same seed gives the same p on any number of threads. Effect Cramer's V =
//!   sqrt(chi2 / n), interval sqrt(lambda / n) at the ends of the noncentrality interval of
//!   the chi-square (Smithson 2003; population V^2 = lambda / (n (min(r, c) - 1)), r = 2).
//! - categorical, per level (`level_chi2`, or `level_fisher` when an expected count of the
//!   level-versus-rest 2x2 table is below 5): statistic the adjusted standardized residual
//!   (O - E) / sqrt(E (1 - n_l / n) (1 - m / n)) (Agresti 2013, 2.4.5), whose square is the
//!   chi-square of the level-versus-rest table; effect the lift P(theme | level) / P(theme) with a
//!   Wilson interval on P(theme | level) divided by P(theme) (P(theme) taken as known).
//! - numeric: `point_biserial` (r, Fisher-z interval), `welch_t` (Welch's t; effect Cohen's d
//!   with the pooled SD and the Hedges-Olkin interval), `mann_whitney` (U of the theme group,
//!   normal approximation with tie correction and continuity correction, as scipy's
//!   `mannwhitneyu(method="asymptotic")`; effect the rank-biserial correlation
//!   2 U / (n1 n0) - 1 = P(X1 > X0) - P(X1 < X0), interval r +/- z 2 sd(U) / (n1 n0) with the
//!   tie-corrected null standard deviation of U, clipped to [-1, 1]).
//!
//! Cells with too few respondents are kept, marked untestable with the reason, and left out of
//! the multiple-testing family.

use rand_distr::{Distribution, Hypergeometric};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::stats::hypothesis::{
    adjust, chi2_sf, chi2_two_by_l, fisher_exact, ncx2_noncentrality_interval, normal_quantile, normal_sf,
    subgroup_test, t_two_sided, Correction,
};
use crate::stats::rng::stream;
use crate::stats::{tick, Progress};
use crate::table::{Categorical, Column, Columns};
use arrow_array::RecordBatch;

pub mod hist;
pub use hist::{Strata, VarHist};

/// A metadata column as the grid sees it.
#[derive(Debug, Clone)]
pub enum Metadata {
    /// Levels (region, product, journey point).
    Categorical(Categorical),
    /// Numbers (age, income, spend).
    Numeric(Column<f64>),
}

impl Metadata {
    /// The column's name.
    pub fn name(&self) -> &str {
        match self {
            Metadata::Categorical(c) => &c.codes.name,
            Metadata::Numeric(c) => &c.name,
        }
    }
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Metadata::Categorical(c) => c.codes.values.len(),
            Metadata::Numeric(c) => c.values.len(),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Each row's level of `c` (`None` when missing or out of range).
pub fn level_of_rows(c: &Categorical) -> Vec<Option<usize>> {
    let valid = c.codes.valid.as_deref();
    c.codes
        .values
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let ok = valid.is_none_or(|v| v.get(i).copied().unwrap_or(false));
            (ok && (*code as usize) < c.levels.len()).then_some(*code as usize)
        })
        .collect()
}

/// Whether each value of `c` is present (valid and finite).
pub fn present_rows(c: &Column<f64>) -> Vec<bool> {
    (0..c.values.len())
        .map(|i| {
            let ok = c.valid.as_deref().is_none_or(|v| v.get(i).copied().unwrap_or(false));
            ok && c.values.get(i).is_some_and(|x| x.is_finite())
        })
        .collect()
}

/// Options of the grid.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Multiple-testing correction across every testable row.
    pub correction: Correction,
    /// Minimum respondents in a cell (level, or theme group) for it to be tested.
    pub min_count: usize,
    /// Confidence level of the effect intervals.
    pub level: f64,
    /// Seed of the permutation tests.
    pub seed: u64,
    /// Permutations of a permutation test (at least 1).
    pub permutations: usize,
    /// The caller's progress: permutation blocks stop once it is cancelled (Ctrl-C).
    pub cancel: Option<&'a Progress>,
}

impl<'a> Options<'a> {
    /// Validated options (2000 permutations, seed 0; see [`Options::permutations`]).
    pub fn new(correction: Correction, min_count: usize, level: f64) -> Result<Self> {
        if !(level > 0.0 && level < 1.0) {
            return Err(Error::parameter("level", format!("must be in (0, 1), got {level}")));
        }
        Ok(Options {
            correction,
            min_count: min_count.max(1),
            level,
            seed: 0,
            permutations: 2000,
            cancel: None,
        })
    }

    /// The same options with `permutations` seeded permutations for sparse tables.
    pub fn permutations(self, permutations: usize, seed: u64) -> Result<Self> {
        crate::stats::check_replicates("n_permutations", permutations, 1, 8)?;
        Ok(Options { permutations, seed, ..self })
    }
}

/// Permutations per seeded stream of a permutation test.
const PERMUTATION_BLOCK: usize = 64;

/// The Monte Carlo permutation p-value of the chi-square of a 2 x L table (`sizes` respondents
/// per level, `counts` mentions): (1 + #{chi2_b >= chi2}) / (1 + B), each permuted table drawn
/// level by level from the hypergeometric conditionals of a random permutation of the flags.
pub fn permutation_p(sizes: &[u64], counts: &[u64], permutations: usize, seed: u64) -> f64 {
    permutation_p_with(sizes, counts, permutations, seed, None)
}

/// [`permutation_p`] that stops (NaN) once `cancel` is cancelled; each block of 64
/// permutations ticks it.
pub fn permutation_p_with(
    sizes: &[u64],
    counts: &[u64],
    permutations: usize,
    seed: u64,
    cancel: Option<&Progress>,
) -> f64 {
    let observed = chi2_two_by_l(sizes, counts);
    // equal statistics computed in another order may differ in the last bits
    let cut = observed * (1.0 - 1e-12);
    let n: u64 = sizes.iter().sum();
    let m: u64 = counts.iter().sum();
    let blocks = permutations.div_ceil(PERMUTATION_BLOCK);
    let hits: usize = (0..blocks)
        .into_par_iter()
        .map(|b| {
            if tick(cancel).is_err() {
                return 0;
            }
            let mut rng = stream(seed, b as u64);
            let todo = PERMUTATION_BLOCK.min(permutations - b * PERMUTATION_BLOCK);
            let mut table = vec![0u64; sizes.len()];
            let mut hits = 0usize;
            for _ in 0..todo {
                let (mut left, mut left_m) = (n, m);
                for (slot, size) in table.iter_mut().zip(sizes) {
                    let x = if *size >= left {
                        left_m
                    } else {
                        Hypergeometric::new(left, left_m, *size).map_or(0, |h| h.sample(&mut rng))
                    };
                    *slot = x;
                    left -= (*size).min(left);
                    left_m -= x.min(left_m);
                }
                hits += usize::from(chi2_two_by_l(sizes, &table) >= cut);
            }
            hits
        })
        .sum();
    (1.0 + hits as f64) / (1.0 + permutations as f64)
}

/// Cramer's V interval of a 2 x L chi-square from the noncentrality interval.
fn cramers_v_interval(chi2: f64, levels: usize, n: f64, level: f64) -> (f64, f64) {
    let (lo, hi) = ncx2_noncentrality_interval(chi2, levels.saturating_sub(1) as f64, level);
    ((lo / n).sqrt().min(1.0), (hi / n).sqrt().min(1.0))
}

/// One row of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Stratum (level of the `by` column), `None` without `by`.
    pub stratum: Option<String>,
    /// Theme column.
    pub theme: String,
    /// Metadata column.
    pub variable: String,
    /// Level of a categorical variable (per-level rows), else `None`.
    pub level: Option<String>,
    /// Test name (see the module documentation).
    pub test: &'static str,
    /// Test statistic (chi-square, odds ratio, adjusted residual, r, t or U).
    pub statistic: f64,
    /// p-value (NaN when untestable).
    pub p: f64,
    /// Adjusted p-value across the whole grid.
    pub q: f64,
    /// Effect size named by `effect_name`.
    pub effect: f64,
    /// Lower end of the effect's interval (NaN when none).
    pub effect_ci_low: f64,
    /// Upper end of the effect's interval.
    pub effect_ci_high: f64,
    /// Name of the effect size.
    pub effect_name: &'static str,
    /// Respondents in the test (the level's respondents for a per-level row).
    pub n: usize,
    /// Respondents mentioning the theme among them.
    pub mentions: usize,
    /// Why the row was not tested, or a note on an approximation ("" when none).
    pub note: String,
}

impl Row {
    fn new(theme: &str, variable: &str, level: Option<String>, test: &'static str) -> Self {
        Row {
            stratum: None,
            theme: theme.to_string(),
            variable: variable.to_string(),
            level,
            test,
            statistic: f64::NAN,
            p: f64::NAN,
            q: f64::NAN,
            effect: f64::NAN,
            effect_ci_low: f64::NAN,
            effect_ci_high: f64::NAN,
            effect_name: "",
            n: 0,
            mentions: 0,
            note: String::new(),
        }
    }
    fn untestable(mut self, n: usize, mentions: usize, reason: impl Into<String>) -> Self {
        self.n = n;
        self.mentions = mentions;
        self.note = format!("untestable: {}", reason.into());
        self
    }
}

/// Per-variable data prepared once from its histogram: the level sizes, or per distinct value
/// its centred value (minus the mean of every value) and average rank, with the totals.
enum Prepared {
    Cat { levels: Vec<String>, sizes: Vec<u64> },
    Num { centred: Vec<f64>, ranks: Vec<f64>, n: u64, sum: f64, sum_sq: f64, ties: f64 },
}

fn prepare(h: &VarHist) -> Prepared {
    match h {
        VarHist::Cat { levels, cells } => {
            Prepared::Cat { levels: levels.clone(), sizes: cells.iter().map(|c| c[0]).collect() }
        }
        VarHist::Num { values, cells } => {
            let n: u64 = cells.iter().map(|c| c[0]).sum();
            let total: f64 = values.iter().zip(cells).map(|(v, c)| v * c[0] as f64).sum();
            let mean = if n > 0 { total / n as f64 } else { 0.0 };
            let centred: Vec<f64> = values.iter().map(|v| v - mean).collect();
            let (mut sum, mut sum_sq, mut ties, mut before) = (0.0, 0.0, 0.0, 0u64);
            let mut ranks = Vec::with_capacity(values.len());
            for (x, c) in centred.iter().zip(cells) {
                let k = c[0] as f64;
                sum += k * x;
                sum_sq += k * x * x;
                ties += k * k * k - k;
                ranks.push(before as f64 + (k + 1.0) / 2.0);
                before += c[0];
            }
            Prepared::Num { centred, ranks, n, sum, sum_sq, ties }
        }
    }
}

/// Summaries of one theme against one variable.
enum Summary {
    Cat(Vec<u64>),
    Num { n1: u64, sum1: f64, sum_sq1: f64, rank_sum1: f64 },
}

/// The summary of theme `t` (its position among the histogram's themes).
fn summarise(h: &VarHist, t: usize, p: &Prepared) -> Summary {
    let mentions = |c: &Vec<u64>| c.get(t + 1).copied().unwrap_or(0);
    match p {
        Prepared::Cat { .. } => Summary::Cat(h.cells().iter().map(mentions).collect()),
        Prepared::Num { centred, ranks, .. } => {
            let (mut n1, mut s, mut q, mut r) = (0u64, 0.0, 0.0, 0.0);
            for ((c, x), rk) in h.cells().iter().zip(centred).zip(ranks) {
                let k = mentions(c);
                let kf = k as f64;
                n1 += k;
                s += kf * x;
                q += kf * x * x;
                r += kf * rk;
            }
            Summary::Num { n1, sum1: s, sum_sq1: q, rank_sum1: r }
        }
    }
}

/// The whole grid: every theme against every metadata column, q-values across every testable
/// row. Themes must have no missing values; metadata rows that are missing are left out of that
/// variable's tests (the row count `n` says how many took part).
pub fn theme_associations(themes: &[Column<bool>], metadata: &[Metadata], opts: Options) -> Result<Vec<Row>> {
    theme_associations_by(themes, metadata, None, opts)
}

/// Rows `idx` of a column, validity kept.
fn take_rows<T: crate::table::Element>(c: &Column<T>, idx: &[usize]) -> Column<T> {
    let valid = c.valid.as_ref().map(|v| idx.iter().map(|i| v.get(*i).copied().unwrap_or(false)).collect());
    Column { valid, ..c.take(idx) }
}

/// The grid within each level of `by` (journey point, wave), q-values across every testable
/// row of every stratum together. Rows missing `by` are left out.
pub fn theme_associations_by(
    themes: &[Column<bool>],
    metadata: &[Metadata],
    by: Option<&Categorical>,
    opts: Options,
) -> Result<Vec<Row>> {
    let rows = grid_by(themes, metadata, by, opts)?;
    if opts.cancel.is_some_and(Progress::cancelled) {
        return Err(Error::Interrupted);
    }
    Ok(rows)
}

fn grid_by(
    themes: &[Column<bool>],
    metadata: &[Metadata],
    by: Option<&Categorical>,
    opts: Options,
) -> Result<Vec<Row>> {
    let (strata, _) = strata_hists(themes, metadata, by)?;
    let names: Vec<String> = themes.iter().map(|t| t.name.clone()).collect();
    let variables: Vec<String> = metadata.iter().map(|m| m.name().to_string()).collect();
    grid_of_strata(&names, &variables, &strata, opts)
}

/// Each stratum's label (`None` without `by`) and the histograms of the metadata columns over
/// its rows (the map step of a distributed grid; rows missing `by` are left out), with each
/// stratum's totals: `[respondents, mentions of each theme]`.
pub fn strata_hists(
    themes: &[Column<bool>],
    metadata: &[Metadata],
    by: Option<&Categorical>,
) -> Result<(Strata, Vec<Vec<u64>>)> {
    check_rows(themes, metadata)?;
    let one = |t: &[Column<bool>], m: &[Metadata]| -> (Vec<VarHist>, Vec<u64>) {
        let hists: Vec<VarHist> = m.par_iter().map(|m| VarHist::of(m, t)).collect();
        let mut total = vec![t.first().map_or(0, |c| c.len()) as u64];
        total.extend(t.iter().map(|c| c.values.iter().filter(|v| **v).count() as u64));
        (hists, total)
    };
    let Some(by) = by else {
        let (h, total) = one(themes, metadata);
        return Ok((vec![(None, h)], vec![total]));
    };
    if by.codes.len() != themes.first().map_or(0, |t| t.len()) {
        return Err(Error::input(&by.codes.name, "has a different number of rows from the themes"));
    }
    let valid = by.codes.valid.as_deref();
    let (mut strata, mut totals) = (Vec::new(), Vec::new());
    for (level, idx) in crate::table::split_by(by) {
        let idx: Vec<usize> =
            idx.into_iter().filter(|i| valid.is_none_or(|v| v.get(*i).copied().unwrap_or(false))).collect();
        if idx.is_empty() {
            continue;
        }
        let t: Vec<Column<bool>> = themes.iter().map(|c| take_rows(c, &idx)).collect();
        let m: Vec<Metadata> = metadata
            .iter()
            .map(|m| match m {
                Metadata::Categorical(c) => Metadata::Categorical(Categorical {
                    codes: take_rows(&c.codes, &idx),
                    levels: c.levels.clone(),
                }),
                Metadata::Numeric(c) => Metadata::Numeric(take_rows(c, &idx)),
            })
            .collect();
        let (h, total) = one(&t, &m);
        strata.push((Some(level), h));
        totals.push(total);
    }
    Ok((strata, totals))
}

fn finish(rows: &mut [Row], opts: Options) {
    let p: Vec<f64> = rows.iter().map(|r| r.p).collect();
    for (r, q) in rows.iter_mut().zip(adjust(&p, opts.correction)) {
        r.q = q;
    }
}

/// Checks that there is at least one theme and one metadata column, all with the same number of
/// rows (at least one), and no missing theme flag; returns the number of rows.
pub fn check_rows(themes: &[Column<bool>], metadata: &[Metadata]) -> Result<usize> {
    let Some(first) = themes.first() else {
        return Err(Error::parameter("themes", "give at least one theme column"));
    };
    if metadata.is_empty() {
        return Err(Error::parameter("metadata", "give at least one metadata column"));
    }
    let n = first.len();
    if n == 0 {
        return Err(Error::input(&first.name, "the table is empty (0 rows)"));
    }
    for t in themes {
        if t.len() != n {
            return Err(Error::input(&t.name, format!("has {} rows, expected {n}", t.len())));
        }
        if t.n_missing() > 0 {
            return Err(Error::input(
                &t.name,
                format!("{} missing value(s) in a theme column", t.n_missing()),
            ));
        }
    }
    for m in metadata {
        if m.len() != n {
            return Err(Error::input(m.name(), format!("has {} rows, expected {n}", m.len())));
        }
    }
    Ok(n)
}

/// The grid of one stratum from its variables' histograms (see [`hist`]), without q-values.
pub fn grid_of(themes: &[String], variables: &[String], hists: &[VarHist], opts: Options) -> Vec<Row> {
    let prepared: Vec<Prepared> = hists.par_iter().map(prepare).collect();
    themes
        .par_iter()
        .enumerate()
        .flat_map_iter(|(ti, theme)| {
            let mut out = Vec::new();
            for ((variable, h), p) in variables.iter().zip(hists).zip(&prepared) {
                match (p, summarise(h, ti, p)) {
                    (Prepared::Cat { levels, sizes }, Summary::Cat(counts)) => {
                        categorical_rows(theme, variable, levels, sizes, &counts, opts, &mut out)
                    }
                    (
                        Prepared::Num { n, sum, sum_sq, ties, .. },
                        Summary::Num { n1, sum1, sum_sq1, rank_sum1 },
                    ) => {
                        let g = Groups {
                            n: *n,
                            sum: *sum,
                            sum_sq: *sum_sq,
                            ties: *ties,
                            n1,
                            sum1,
                            sum_sq1,
                            rank_sum1,
                        };
                        numeric_rows(theme, variable, &g, opts, &mut out)
                    }
                    _ => {}
                }
            }
            out
        })
        .collect()
}

/// The grid of several strata (each with its label, `None` without `by`) from their
/// histograms, q-values across every testable row of all of them: what
/// [`theme_associations_by`] returns for the rows the histograms count.
pub fn grid_of_strata(
    themes: &[String],
    variables: &[String],
    strata: &Strata,
    opts: Options,
) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for (label, hists) in strata {
        let mut part = grid_of(themes, variables, hists, opts);
        for r in part.iter_mut() {
            r.stratum = label.clone();
        }
        rows.extend(part);
    }
    finish(&mut rows, opts);
    if opts.cancel.is_some_and(Progress::cancelled) {
        return Err(Error::Interrupted);
    }
    Ok(rows)
}

fn categorical_rows(
    theme: &str,
    variable: &str,
    levels: &[String],
    sizes: &[u64],
    counts: &[u64],
    opts: Options,
    out: &mut Vec<Row>,
) {
    let l = levels.len();
    let size = |k: usize| sizes.get(k).copied().unwrap_or(0);
    let count = |k: usize| counts.get(k).copied().unwrap_or(0);
    let n_valid: u64 = (0..l).map(size).sum();
    let m_valid: u64 = (0..l).map(count).sum();
    let min = opts.min_count as u64;
    let omnibus = Row::new(theme, variable, None, "chi2");
    let present: Vec<usize> = (0..l).filter(|k| size(*k) > 0).collect();
    if n_valid == 0 {
        out.push(omnibus.untestable(0, 0, "every value of the variable is missing"));
        return;
    }
    if present.len() < 2 {
        out.push(omnibus.untestable(
            n_valid as usize,
            m_valid as usize,
            "the variable is constant (one level)",
        ));
        return;
    }
    let kept: Vec<usize> = present.iter().copied().filter(|k| size(*k) >= min).collect();
    let n: u64 = kept.iter().map(|k| size(*k)).sum();
    let m: u64 = kept.iter().map(|k| count(*k)).sum();
    let mut row = omnibus;
    if kept.len() < 2 {
        row = row.untestable(
            n as usize,
            m as usize,
            format!("fewer than 2 levels with at least {min} respondents"),
        );
    } else if m < min || n - m < min {
        row = row.untestable(
            n as usize,
            m as usize,
            format!("fewer than {min} respondents with or without the theme"),
        );
    } else {
        let (nf, mf) = (n as f64, m as f64);
        let kept_sizes: Vec<u64> = kept.iter().map(|k| size(*k)).collect();
        let kept_counts: Vec<u64> = kept.iter().map(|k| count(*k)).collect();
        let chi2 = chi2_two_by_l(&kept_sizes, &kept_counts);
        let small: usize = kept_sizes
            .iter()
            .map(|nk| {
                let e = *nk as f64 * mf / nf;
                usize::from(e < 5.0) + usize::from(*nk as f64 - e < 5.0)
            })
            .sum();
        row.n = n as usize;
        row.mentions = m as usize;
        row.effect = (chi2 / nf).sqrt();
        row.effect_name = "cramers_v";
        (row.effect_ci_low, row.effect_ci_high) = cramers_v_interval(chi2, kept.len(), nf, opts.level);
        if let ([a, b], true) = (kept.as_slice(), small > 0) {
            let (x0, x1) = (count(*a), count(*b));
            let (or, p) = fisher_exact(x0, size(*a) - x0, x1, size(*b) - x1);
            row.test = "fisher";
            row.statistic = or;
            row.p = p;
        } else if small > 0 {
            row.test = "permutation";
            row.statistic = chi2;
            row.p = permutation_p_with(&kept_sizes, &kept_counts, opts.permutations, opts.seed, opts.cancel);
            row.note = format!(
                "{small} expected count(s) below 5: Monte Carlo permutation p-value ({} permutations, seed {})",
                opts.permutations, opts.seed
            );
        } else {
            row.statistic = chi2;
            row.p = chi2_sf(chi2, (kept.len() - 1) as f64);
        }
        if kept.len() < present.len() {
            let note = format!("{} level(s) under {min} respondents left out", present.len() - kept.len());
            row.note = if row.note.is_empty() { note } else { format!("{}; {note}", row.note) };
        }
    }
    out.push(row);
    // Per level: that level against every other respondent with a value.
    for k in present {
        let (nk, xk) = (size(k), count(k));
        let mut row = Row::new(theme, variable, levels.get(k).cloned(), "level_chi2");
        row.effect_name = "lift";
        if nk < min {
            out.push(row.untestable(
                nk as usize,
                xk as usize,
                format!("level has {nk} respondents, fewer than {min}"),
            ));
            continue;
        }
        if m_valid == 0 || m_valid == n_valid {
            out.push(row.untestable(nk as usize, xk as usize, "the theme is never or always mentioned"));
            continue;
        }
        if nk == n_valid {
            out.push(row.untestable(nk as usize, xk as usize, "no respondents outside the level"));
            continue;
        }
        row.n = nk as usize;
        row.mentions = xk as usize;
        if let Some(t) = subgroup_test(xk, nk, m_valid, n_valid, opts.level) {
            row.statistic = t.residual;
            row.p = t.p;
            if t.fisher {
                row.test = "level_fisher";
            }
            row.effect = t.lift;
            (row.effect_ci_low, row.effect_ci_high) = t.lift_ci;
        }
        out.push(row);
    }
}

/// Numeric summaries of the theme group (1) and the whole valid column (centred values).
struct Groups {
    n: u64,
    sum: f64,
    sum_sq: f64,
    ties: f64,
    n1: u64,
    sum1: f64,
    sum_sq1: f64,
    rank_sum1: f64,
}

fn numeric_rows(theme: &str, variable: &str, g: &Groups, opts: Options, out: &mut Vec<Row>) {
    let names = [("point_biserial", "r"), ("welch_t", "cohens_d"), ("mann_whitney", "rank_biserial")];
    let rows = || {
        names.iter().map(|(t, e)| {
            let mut r = Row::new(theme, variable, None, t);
            r.effect_name = e;
            r
        })
    };
    let (n, n1) = (g.n, g.n1);
    let n0 = n.saturating_sub(n1);
    let min = opts.min_count as u64;
    let var_all = if n > 0 { g.sum_sq / n as f64 - (g.sum / n as f64).powi(2) } else { 0.0 };
    let reason = if n == 0 {
        Some("every value of the variable is missing".to_string())
    } else if var_all <= 1e-12 * (g.sum_sq / n as f64).max(1e-300) || var_all <= 0.0 {
        Some("the variable is constant".to_string())
    } else if n1 < min || n0 < min {
        Some(format!("fewer than {min} respondents with or without the theme ({n1} with, {n0} without)"))
    } else {
        None
    };
    if let Some(reason) = reason {
        out.extend(rows().map(|r| r.untestable(n as usize, n1 as usize, reason.clone())));
        return;
    }
    let (nf, n1f, n0f) = (n as f64, n1 as f64, n0 as f64);
    let (s0, q0) = (g.sum - g.sum1, g.sum_sq - g.sum_sq1);
    let (m1, m0) = (g.sum1 / n1f, s0 / n0f);
    let v1 = ((g.sum_sq1 - g.sum1 * g.sum1 / n1f) / (n1f - 1.0)).max(0.0);
    let v0 = ((q0 - s0 * s0 / n0f) / (n0f - 1.0)).max(0.0);
    let z = normal_quantile(0.5 + opts.level / 2.0);
    let mut it = rows();
    // Point-biserial correlation.
    if let Some(mut r) = it.next() {
        let rho = ((m1 - m0) / var_all.sqrt() * (n1f * n0f).sqrt() / nf).clamp(-1.0, 1.0);
        let t = rho * ((nf - 2.0) / (1.0 - rho * rho)).sqrt();
        r.statistic = rho;
        // as scipy's pearsonr: two points always lie on a line (p = 1); a perfect correlation
        // of more points has p = 0; the Fisher-z interval needs n > 3 and is (-1, 1) below
        r.p = if nf <= 2.0 {
            1.0
        } else if rho.abs() >= 1.0 {
            0.0
        } else {
            t_two_sided(t, nf - 2.0)
        };
        r.effect = rho;
        if nf <= 3.0 {
            (r.effect_ci_low, r.effect_ci_high) = (-1.0, 1.0);
        } else if rho.abs() < 1.0 {
            let (zr, se) = (rho.atanh(), 1.0 / (nf - 3.0).sqrt());
            r.effect_ci_low = (zr - z * se).tanh();
            r.effect_ci_high = (zr + z * se).tanh();
        } else {
            (r.effect_ci_low, r.effect_ci_high) = (rho, rho);
        }
        r.n = n as usize;
        r.mentions = n1 as usize;
        out.push(r);
    }
    // Welch's t with Cohen's d.
    if let Some(mut r) = it.next() {
        let se2 = v1 / n1f + v0 / n0f;
        r.n = n as usize;
        r.mentions = n1 as usize;
        if se2 <= 0.0 {
            out.push(r.untestable(n as usize, n1 as usize, "no variance within either group"));
        } else {
            let t = (m1 - m0) / se2.sqrt();
            let df = se2 * se2 / ((v1 / n1f).powi(2) / (n1f - 1.0) + (v0 / n0f).powi(2) / (n0f - 1.0));
            let sp = (((n1f - 1.0) * v1 + (n0f - 1.0) * v0) / (nf - 2.0)).sqrt();
            let d = (m1 - m0) / sp;
            let se_d = (nf / (n1f * n0f) + d * d / (2.0 * nf)).sqrt();
            r.statistic = t;
            r.p = t_two_sided(t, df);
            r.effect = d;
            r.effect_ci_low = d - z * se_d;
            r.effect_ci_high = d + z * se_d;
            out.push(r);
        }
    }
    // Mann-Whitney U of the theme group.
    if let Some(mut r) = it.next() {
        let u1 = g.rank_sum1 - n1f * (n1f + 1.0) / 2.0;
        let u = u1.max(n1f * n0f - u1);
        let sd = (n1f * n0f / 12.0 * ((nf + 1.0) - g.ties / (nf * (nf - 1.0)))).sqrt();
        r.n = n as usize;
        r.mentions = n1 as usize;
        r.statistic = u1;
        r.p = if sd > 0.0 { (2.0 * normal_sf((u - n1f * n0f / 2.0 - 0.5) / sd)).min(1.0) } else { f64::NAN };
        r.effect = 2.0 * u1 / (n1f * n0f) - 1.0;
        if sd > 0.0 {
            let half = z * 2.0 * sd / (n1f * n0f);
            r.effect_ci_low = (r.effect - half).max(-1.0);
            r.effect_ci_high = (r.effect + half).min(1.0);
        }
        out.push(r);
    }
}

/// The grid as a table: theme and variable (categorical, in the caller's order), level, test,
/// statistic, p, q, effect with its interval, n, effect_name, mentions and note; with `by`,
/// the stratum first (named as the `by` column, its levels in `by.1`).
pub fn table(
    rows: &[Row],
    themes: &[String],
    metadata: &[String],
    by: Option<(&str, &[String])>,
) -> Result<RecordBatch> {
    let f = |g: fn(&Row) -> f64| rows.iter().map(g).collect::<Vec<f64>>();
    let mut cols = Columns::new();
    if let Some((name, strata)) = by {
        cols = cols.labels(name, rows.iter().map(|r| r.stratum.as_deref().unwrap_or("")), strata)?;
    }
    cols.labels("theme", rows.iter().map(|r| r.theme.as_str()), themes)?
        .labels("variable", rows.iter().map(|r| r.variable.as_str()), metadata)?
        .maybe_labels("level", rows.iter().map(|r| r.level.as_deref()))?
        .text("test", rows.iter().map(|r| r.test.to_string()))
        .f64("statistic", f(|r| r.statistic))
        .f64("p", f(|r| r.p))
        .f64("q", f(|r| r.q))
        .f64("effect", f(|r| r.effect))
        .f64("effect_ci_low", f(|r| r.effect_ci_low))
        .f64("effect_ci_high", f(|r| r.effect_ci_high))
        .count("n", rows.iter().map(|r| r.n))
        .text("effect_name", rows.iter().map(|r| r.effect_name.to_string()))
        .count("mentions", rows.iter().map(|r| r.mentions))
        .text("note", rows.iter().map(|r| r.note.clone()))
        .batch()
}

#[cfg(test)]
mod tests;
