//! Profiles (subgroup discovery): the respondents described by one metadata condition, or by
//! two conditions on different columns together, in which a theme is mentioned most often.
//!
//! A condition is a level of a categorical column (`region = North`) or a quartile bin of a
//! numeric one, labelled with its edges (`income < 38214`, `income in [38214, 52106)`,
//! `income >= 71880`; edges are numpy's linear quantiles at 0.25, 0.5 and 0.75 of the non-missing
//! values, equal edges merged; a value equal to an edge falls in the bin above it). Conditions
//! whose support is below the minimum are dropped first: a conjunction is never larger than
//! either of its parts.
//!
//! For each theme and each profile with support (share of all respondents) at least
//! `min_support`: n respondents, mentions among them, lift P(theme | profile) / P(theme) with the
//! Wilson interval of P(theme | profile) divided by P(theme), and the test of the profile against
//! every other respondent (Fisher's exact test when an expected count is below 5, else the
//! chi-square, equivalently the two-proportion z test); q-values across every profile of the call.
//!
//! Counting is one pass over the rows per metadata column and per pair of columns, in row blocks
//! whose integer counts add up ([`Counts::merge`]): the same counts on any number of threads, and
//! counts of partitions of the rows combine into the counts of the whole (given the same bins).

use rayon::prelude::*;

use super::associations::{check_rows, level_of_rows, present_rows, Metadata};
use crate::error::{Error, Result};
use crate::stats::hypothesis::{adjust, subgroup_test, Correction};
use crate::stats::quantile::quantile_sorted;
use crate::table::{Column, Columns};
use arrow_array::RecordBatch;

/// Options of the profile search.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Minimum share of all respondents in a profile, in [0.01, 1).
    pub min_support: f64,
    /// Minimum respondents in a profile.
    pub min_count: usize,
    /// Confidence level of the lift intervals.
    pub level: f64,
    /// Multiple-testing correction across every profile of the call.
    pub correction: Correction,
}

impl Options {
    /// Validated options.
    pub fn new(min_support: f64, min_count: usize, level: f64, correction: Correction) -> Result<Self> {
        if !(0.01..1.0).contains(&min_support) {
            return Err(Error::parameter("min_support", format!("must be in [0.01, 1), got {min_support}")));
        }
        if !(level > 0.0 && level < 1.0) {
            return Err(Error::parameter("level", format!("must be in (0, 1), got {level}")));
        }
        Ok(Options { min_support, min_count: min_count.max(1), level, correction })
    }
}

/// One profile of one theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Theme column.
    pub theme: String,
    /// The conditions, readable: `region = North & product = Enterprise`.
    pub conditions: String,
    /// Number of conditions (1 or 2).
    pub size: usize,
    /// Share of all respondents in the profile.
    pub support: f64,
    /// Respondents in the profile.
    pub n: usize,
    /// Respondents in the profile mentioning the theme.
    pub mentions: usize,
    /// P(theme | profile) / P(theme).
    pub lift: f64,
    /// Lower end of the lift's interval.
    pub lift_ci_low: f64,
    /// Upper end of the lift's interval.
    pub lift_ci_high: f64,
    /// p-value against every other respondent.
    pub p: f64,
    /// Adjusted across every profile of the call.
    pub q: f64,
    /// `"fisher"` or `"chi2"`.
    pub test: &'static str,
}

/// The conditions on one metadata column: the slot of each row (`labels.len()` for none).
#[derive(Debug, Clone)]
pub struct Conditions {
    /// Readable conditions, one per slot.
    pub labels: Vec<String>,
    slots: Vec<u16>,
}

/// A bin edge as a label shows it: integers as integers, else four significant digits.
fn fmt_edge(x: f64) -> String {
    if x == x.round() && x.abs() < 1e15 {
        return format!("{x:.0}");
    }
    let d = (3 - x.abs().log10().floor() as i32).clamp(0, 15) as usize;
    let s = format!("{x:.d$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The conditions on `m`, keeping those met by at least `min_rows` rows and not by every row.
fn conditions(m: &Metadata, min_rows: u64) -> Conditions {
    let n = m.len() as u64;
    let (labels, slots): (Vec<String>, Vec<Option<usize>>) = match m {
        Metadata::Categorical(c) => {
            let slots = level_of_rows(c);
            let labels = c.levels.iter().map(|l| format!("{} = {l}", c.codes.name)).collect();
            (labels, slots)
        }
        Metadata::Numeric(c) => {
            let present = present_rows(c);
            let mut sorted: Vec<f64> =
                c.values.iter().zip(&present).filter(|(_, ok)| **ok).map(|(x, _)| *x).collect();
            sorted.sort_by(f64::total_cmp);
            let mut edges: Vec<f64> =
                [0.25, 0.5, 0.75].iter().map(|q| quantile_sorted(&sorted, *q)).collect();
            edges.dedup();
            edges.retain(|e| e.is_finite());
            let name = &c.name;
            let labels: Vec<String> = if edges.is_empty() {
                Vec::new()
            } else {
                let mut l = Vec::with_capacity(edges.len() + 1);
                l.push(format!("{name} < {}", fmt_edge(edges.first().copied().unwrap_or(0.0))));
                for w in edges.windows(2) {
                    if let [a, b] = w {
                        l.push(format!("{name} in [{}, {})", fmt_edge(*a), fmt_edge(*b)));
                    }
                }
                l.push(format!("{name} >= {}", fmt_edge(edges.last().copied().unwrap_or(0.0))));
                l
            };
            let slots = c
                .values
                .iter()
                .zip(&present)
                .map(|(x, ok)| (*ok && !labels.is_empty()).then(|| edges.partition_point(|e| *e <= *x)))
                .collect();
            (labels, slots)
        }
    };
    let mut sizes = vec![0u64; labels.len()];
    for s in slots.iter().flatten() {
        if let Some(v) = sizes.get_mut(*s) {
            *v += 1;
        }
    }
    // keep the conditions with enough rows, renumbered
    let mut map = vec![None; labels.len()];
    let mut kept = Vec::new();
    for (k, (label, size)) in labels.into_iter().zip(&sizes).enumerate() {
        if *size >= min_rows && *size < n {
            if let Some(slot) = map.get_mut(k) {
                *slot = Some(kept.len() as u16);
            }
            kept.push(label);
        }
    }
    let none = kept.len() as u16;
    let slots = slots.iter().map(|s| s.and_then(|k| map.get(k).copied().flatten()).unwrap_or(none)).collect();
    Conditions { labels: kept, slots }
}

/// Respondents and mentions per cell (a condition, or a pair of conditions).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cells {
    /// Slots of the second column (1 for a single column).
    width: usize,
    n: Vec<u64>,
    /// Theme-major: mentions of theme t in cell c at `t * n.len() + c`.
    mentions: Vec<u64>,
}

impl Cells {
    fn new(cells: usize, width: usize, themes: usize) -> Self {
        Cells { width, n: vec![0; cells], mentions: vec![0; cells * themes] }
    }
    fn merge(&mut self, other: &Cells) {
        for (a, b) in self.n.iter_mut().zip(&other.n) {
            *a += b;
        }
        for (a, b) in self.mentions.iter_mut().zip(&other.mentions) {
            *a += b;
        }
    }
    /// Adds a block of rows: `cells` the cell of each row, `hits[t]` the rows (within the
    /// block) mentioning theme t.
    fn add(&mut self, cells: &[u32], hits: &[Vec<u32>]) {
        for c in cells {
            if let Some(v) = self.n.get_mut(*c as usize) {
                *v += 1;
            }
        }
        let width = self.n.len();
        for (t, rows) in hits.iter().enumerate() {
            let Some(m) = self.mentions.get_mut(t * width..(t + 1) * width) else { continue };
            for i in rows {
                if let Some(v) = cells.get(*i as usize).and_then(|c| m.get_mut(*c as usize)) {
                    *v += 1;
                }
            }
        }
    }
}

/// The counts behind every profile: per column and per pair of columns. Counts of partitions
/// of the rows (with the same conditions) add up with [`Counts::merge`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    n: u64,
    mentions: Vec<u64>,
    single: Vec<Cells>,
    pairs: Vec<((usize, usize), Cells)>,
}

impl Counts {
    fn zero(conds: &[Conditions], themes: usize) -> Self {
        let slots: Vec<usize> = conds.iter().map(|c| c.labels.len() + 1).collect();
        let single = slots.iter().map(|s| Cells::new(*s, 1, themes)).collect();
        let mut pairs = Vec::new();
        for a in 0..conds.len() {
            for b in a + 1..conds.len() {
                let (sa, sb) = (slots.get(a).copied().unwrap_or(1), slots.get(b).copied().unwrap_or(1));
                if sa > 1 && sb > 1 {
                    pairs.push(((a, b), Cells::new(sa * sb, sb, themes)));
                }
            }
        }
        Counts { n: 0, mentions: vec![0; themes], single, pairs }
    }

    /// Adds the counts of another part of the rows.
    pub fn merge(&mut self, other: &Counts) {
        self.n += other.n;
        for (a, b) in self.mentions.iter_mut().zip(&other.mentions) {
            *a += b;
        }
        for (a, b) in self.single.iter_mut().zip(&other.single) {
            a.merge(b);
        }
        for ((_, a), (_, b)) in self.pairs.iter_mut().zip(&other.pairs) {
            a.merge(b);
        }
    }

    fn add_rows(&mut self, conds: &[Conditions], flags: &[&[bool]], start: usize, end: usize) {
        self.n += (end - start) as u64;
        // the mentioning rows of each theme: the cells are then visited once per mention
        let hits: Vec<Vec<u32>> = flags
            .iter()
            .map(|f| {
                let f = f.get(start..end).unwrap_or_default();
                f.iter().enumerate().filter(|(_, x)| **x).map(|(i, _)| i as u32).collect()
            })
            .collect();
        for (m, h) in self.mentions.iter_mut().zip(&hits) {
            *m += h.len() as u64;
        }
        let mut cells: Vec<u32> = Vec::with_capacity(end - start);
        for (c, cells_of) in conds.iter().zip(self.single.iter_mut()) {
            cells.clear();
            cells.extend(c.slots.get(start..end).unwrap_or_default().iter().map(|s| u32::from(*s)));
            cells_of.add(&cells, &hits);
        }
        for ((a, b), cells_of) in self.pairs.iter_mut() {
            let (Some(ca), Some(cb)) = (conds.get(*a), conds.get(*b)) else { continue };
            let (Some(sa), Some(sb)) = (ca.slots.get(start..end), cb.slots.get(start..end)) else { continue };
            let w = cells_of.width as u32;
            cells.clear();
            cells.extend(sa.iter().zip(sb).map(|(x, y)| u32::from(*x) * w + u32::from(*y)));
            cells_of.add(&cells, &hits);
        }
    }
}

/// Rows per counting block.
const BLOCK: usize = 1 << 15;

/// The conditions of every column and the counts of every profile (themes without missing
/// values, every column of the same length: see [`check_rows`]).
pub fn count(
    themes: &[Column<bool>],
    metadata: &[Metadata],
    opts: Options,
) -> Result<(Vec<Conditions>, Counts)> {
    let n = check_rows(themes, metadata)?;
    let min_rows = ((opts.min_support * n as f64).ceil() as u64).max(opts.min_count as u64);
    let conds: Vec<Conditions> = metadata.par_iter().map(|m| conditions(m, min_rows)).collect();
    let flags: Vec<&[bool]> = themes.iter().map(|t| t.values.as_slice()).collect();
    let zero = Counts::zero(&conds, flags.len());
    let blocks = n.div_ceil(BLOCK);
    let counts = (0..blocks)
        .into_par_iter()
        .fold(
            || zero.clone(),
            |mut acc, b| {
                acc.add_rows(&conds, &flags, b * BLOCK, ((b + 1) * BLOCK).min(n));
                acc
            },
        )
        .reduce(
            || zero.clone(),
            |mut a, b| {
                a.merge(&b);
                a
            },
        );
    Ok((conds, counts))
}

/// The profiles of every theme from the counts: every condition and every pair of conditions on
/// different columns with at least `min_support` of the respondents, q-values across all of them.
pub fn from_counts(
    theme_names: &[&str],
    conds: &[Conditions],
    counts: &Counts,
    opts: Options,
) -> Vec<Profile> {
    let n = counts.n;
    let min_rows = ((opts.min_support * n as f64).ceil() as u64).max(opts.min_count as u64);
    let mut out = Vec::new();
    for (t, name) in theme_names.iter().enumerate() {
        let m = counts.mentions.get(t).copied().unwrap_or(0);
        let mut push = |label: String, size: usize, nk: u64, xk: u64| {
            if nk < min_rows {
                return;
            }
            if let Some(s) = subgroup_test(xk, nk, m, n, opts.level) {
                out.push(Profile {
                    theme: (*name).to_string(),
                    conditions: label,
                    size,
                    support: nk as f64 / n as f64,
                    n: nk as usize,
                    mentions: xk as usize,
                    lift: s.lift,
                    lift_ci_low: s.lift_ci.0,
                    lift_ci_high: s.lift_ci.1,
                    p: s.p,
                    q: f64::NAN,
                    test: if s.fisher { "fisher" } else { "chi2" },
                });
            }
        };
        for (c, cells) in conds.iter().zip(&counts.single) {
            let width = cells.n.len();
            for (k, label) in c.labels.iter().enumerate() {
                let nk = cells.n.get(k).copied().unwrap_or(0);
                let xk = cells.mentions.get(t * width + k).copied().unwrap_or(0);
                push(label.clone(), 1, nk, xk);
            }
        }
        for ((a, b), cells) in &counts.pairs {
            let (Some(ca), Some(cb)) = (conds.get(*a), conds.get(*b)) else { continue };
            let size = cells.n.len();
            for (i, la) in ca.labels.iter().enumerate() {
                for (j, lb) in cb.labels.iter().enumerate() {
                    let c = i * cells.width + j;
                    let nk = cells.n.get(c).copied().unwrap_or(0);
                    let xk = cells.mentions.get(t * size + c).copied().unwrap_or(0);
                    push(format!("{la} & {lb}"), 2, nk, xk);
                }
            }
        }
    }
    let p: Vec<f64> = out.iter().map(|r| r.p).collect();
    for (r, q) in out.iter_mut().zip(adjust(&p, opts.correction)) {
        r.q = q;
    }
    out
}

/// Every profile of every theme (see the module documentation).
pub fn profiles(themes: &[Column<bool>], metadata: &[Metadata], opts: Options) -> Result<Vec<Profile>> {
    let (conds, counts) = count(themes, metadata, opts)?;
    let names: Vec<&str> = themes.iter().map(|t| t.name.as_str()).collect();
    Ok(from_counts(&names, &conds, &counts, opts))
}

/// The profiles as a table: theme (categorical over `themes`), conditions, support, n,
/// mentions, lift with its interval, p, q, size and test.
pub fn table(found: &[Profile], themes: &[String]) -> Result<RecordBatch> {
    let f = |g: fn(&Profile) -> f64| found.iter().map(g).collect::<Vec<f64>>();
    Columns::new()
        .labels("theme", found.iter().map(|r| r.theme.as_str()), themes)?
        .text("conditions", found.iter().map(|r| r.conditions.clone()))
        .f64("support", f(|r| r.support))
        .count("n", found.iter().map(|r| r.n))
        .count("mentions", found.iter().map(|r| r.mentions))
        .f64("lift", f(|r| r.lift))
        .f64("lift_ci_low", f(|r| r.lift_ci_low))
        .f64("lift_ci_high", f(|r| r.lift_ci_high))
        .f64("p", f(|r| r.p))
        .f64("q", f(|r| r.q))
        .count("size", found.iter().map(|r| r.size))
        .text("test", found.iter().map(|r| r.test.to_string()))
        .batch()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Categorical;

    fn opts() -> Options {
        Options::new(0.05, 5, 0.95, Correction::FdrBh).unwrap_or_else(|e| panic!("{e}"))
    }

    fn data(n: usize) -> (Vec<Column<bool>>, Vec<Metadata>) {
        // region a/b/c by i % 3, x = i % 100; the theme is planted in region a with x >= 50
        let codes: Vec<u32> = (0..n).map(|i| (i % 3) as u32).collect();
        let x: Vec<f64> = (0..n).map(|i| (i % 100) as f64).collect();
        let theme: Vec<bool> = (0..n).map(|i| (i % 3 == 0 && i % 100 >= 50) || i % 17 == 0).collect();
        let region = Metadata::Categorical(Categorical {
            codes: Column::new("region", codes),
            levels: vec!["a".into(), "b".into(), "c".into()],
        });
        (vec![Column::new("t", theme)], vec![region, Metadata::Numeric(Column::new("x", x))])
    }

    #[test]
    fn planted_pair_has_the_highest_lift() {
        let (t, m) = data(3000);
        let rows = profiles(&t, &m, opts()).unwrap_or_else(|e| panic!("{e}"));
        let best = rows.iter().max_by(|a, b| a.lift.total_cmp(&b.lift)).unwrap_or_else(|| panic!("empty"));
        assert!(best.conditions.starts_with("region = a & x"), "{best:?}");
        assert_eq!(best.size, 2);
        assert!(best.q < 1e-6 && best.lift_ci_low < best.lift && best.lift <= best.lift_ci_high, "{best:?}");
        let labels: Vec<&str> = rows.iter().filter(|r| r.size == 1).map(|r| r.conditions.as_str()).collect();
        assert!(labels.contains(&"x < 24.75") && labels.contains(&"x >= 74.25"), "{labels:?}");
    }

    #[test]
    fn counts_of_parts_merge_into_the_counts_of_the_whole() {
        let (t, m) = data(3000);
        let (conds, whole) = count(&t, &m, opts()).unwrap_or_else(|e| panic!("{e}"));
        let flags: Vec<&[bool]> = t.iter().map(|c| c.values.as_slice()).collect();
        let mut a = Counts::zero(&conds, 1);
        a.add_rows(&conds, &flags, 0, 1234);
        let mut b = Counts::zero(&conds, 1);
        b.add_rows(&conds, &flags, 1234, 3000);
        a.merge(&b);
        assert_eq!(a, whole);
    }

    #[test]
    fn rare_conditions_are_dropped_and_bad_support_is_a_parameter_error() {
        let (t, mut m) = data(400);
        m.push(Metadata::Categorical(Categorical {
            codes: Column::new("rare", (0..400).map(|i| u32::from(i < 10)).collect()),
            levels: vec!["common".into(), "rare".into()],
        }));
        let rows = profiles(&t, &m, opts()).unwrap_or_else(|e| panic!("{e}"));
        assert!(rows.iter().all(|r| !r.conditions.contains("rare = rare")));
        assert!(rows.iter().all(|r| r.support >= 0.05));
        assert!(Options::new(0.0, 5, 0.95, Correction::FdrBh).is_err());
    }

    #[test]
    fn conditions_met_by_everyone_or_no_one_are_left_out() {
        let (t, mut m) = data(300);
        m.push(Metadata::Numeric(Column::new("constant", vec![3.0; 300])));
        m.push(Metadata::Numeric(Column {
            name: "missing".into(),
            values: vec![1.0; 300].into(),
            valid: Some(vec![false; 300]),
        }));
        let rows = profiles(&t, &m, opts()).unwrap_or_else(|e| panic!("{e}"));
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|r| !r.conditions.contains("constant") && !r.conditions.contains("missing")));
    }

    #[test]
    fn edges_read_as_numbers() {
        assert_eq!(fmt_edge(38213.5), "38214");
        assert_eq!(fmt_edge(41.25), "41.25");
        assert_eq!(fmt_edge(0.5), "0.5");
        assert_eq!(fmt_edge(-3.0), "-3");
    }
}
