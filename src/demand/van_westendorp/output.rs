//! Van Westendorp over groups, and its tables: the layout of every table is declared here.

use arrow_array::RecordBatch;

use super::*;
use crate::table::{Columns, Groups, Output, RowLog};

/// The answer columns of an analysis: the four prices, weights and the NMS intents.
pub struct Columns4<'a> {
    /// too_cheap, cheap, expensive, too_expensive.
    pub prices: [&'a Column<f64>; 4],
    /// Optional weights.
    pub weights: Option<&'a Column<f64>>,
    /// The NMS purchase intents at the cheap and the expensive price.
    pub intents: Option<(&'a Column<f64>, &'a Column<f64>)>,
}

/// The options of an analysis.
#[derive(Debug, Clone)]
pub struct Options {
    /// Which respondents are valid.
    pub validate: Validate,
    /// Which pairs define the range of acceptable prices.
    pub range: PriceRange,
    /// How crossings are located.
    pub crossing: Crossing,
    /// NMS calibration: (intent answer, purchase probability).
    pub calibration: Vec<(f64, f64)>,
    /// Unit cost for the NMS profit curve.
    pub cost: Option<f64>,
    /// Interval level and replicates of the bootstrap.
    pub ci: Option<(f64, usize)>,
    /// Seed of the bootstrap.
    pub seed: u64,
}

/// The four points with their bounds.
fn points_table(r: &VwResult) -> Result<RecordBatch> {
    let p = [r.points.opp, r.points.ipp, r.points.pmc, r.points.pme];
    // no interval around a point the sample does not define (the replicates may define it)
    let bound = |k: usize, side: usize| {
        if p[k].is_none() {
            return f64::NAN;
        }
        r.intervals.as_ref().map_or(f64::NAN, |i| if side == 0 { i.points[k].0 } else { i.points[k].1 })
    };
    Columns::new()
        .text("point", ["OPP", "IPP", "PMC", "PME"].map(String::from))
        .f64("price", p.map(|v| v.unwrap_or(f64::NAN)))
        .f64("ci_low", (0..4).map(|k| bound(k, 0)))
        .f64("ci_high", (0..4).map(|k| bound(k, 1)))
        .batch()
}

/// The six curves at each observed answer price.
fn curves_table(r: &VwResult) -> Result<RecordBatch> {
    let names = ["too_cheap", "cheap", "expensive", "too_expensive", "not_cheap", "not_expensive"];
    let mut cols = Columns::new().f64("price", r.price.iter().copied());
    for (k, name) in names.iter().enumerate() {
        cols = cols.f64(name, r.curves[k].iter().copied());
    }
    cols.batch()
}

/// PMC and PME under both conventions, "narrower" first.
fn ranges_table(r: &VwResult, range: PriceRange) -> Result<RecordBatch> {
    let mut both = [(range, r.points.pmc, r.points.pme), r.other_range];
    both.sort_by_key(|(k, _, _)| std::cmp::Reverse(k.name()));
    Columns::new()
        .text("range", both.iter().map(|b| b.0.name().to_string()))
        .f64("pmc", both.iter().map(|b| b.1.unwrap_or(f64::NAN)))
        .f64("pme", both.iter().map(|b| b.2.unwrap_or(f64::NAN)))
        .batch()
}

/// Valid and invalid respondents, their total weight and, with NMS, who it used.
fn counts_table(r: &VwResult, nms: bool) -> Result<RecordBatch> {
    let mut cols = Columns::new()
        .count("n_valid", [r.n_valid])
        .count("n_invalid", [r.n_dropped])
        .f64("total_weight", [r.total_weight]);
    if nms {
        let n = r.nms.as_ref();
        cols = cols
            .count("nms_used", [n.map_or(0, |n| n.n_used)])
            .count("nms_excluded", [n.map_or(0, |n| n.n_excluded)]);
    }
    cols.batch()
}

/// The NMS reach, revenue and (with a cost) profit curves.
fn nms_table(r: &VwResult, profit: bool) -> Result<RecordBatch> {
    let n = r.nms.as_ref();
    let of = |f: fn(&NmsResult) -> &Vec<f64>| n.map(|n| f(n).clone()).unwrap_or_default();
    let mut cols = Columns::new()
        .f64("price", of(|n| &n.price))
        .f64("reach", of(|n| &n.reach))
        .f64("revenue", of(|n| &n.revenue));
    if profit {
        cols = cols.f64("profit", n.and_then(|n| n.profit.clone()).unwrap_or_default());
    }
    cols.batch()
}

/// The NMS optima (reach, revenue, profit) with their bounds.
fn nms_optima_table(r: &VwResult) -> Result<RecordBatch> {
    let opts = r
        .nms
        .as_ref()
        .map(|n| [Some(n.reach_optimal), Some(n.revenue_optimal), n.profit_optimal])
        .unwrap_or([None; 3]);
    let pick = |k: usize, f: fn(Optimum) -> f64| opts[k].map_or(f64::NAN, f);
    let bound = |k: usize, side: usize| {
        if opts[k].is_none() {
            return f64::NAN;
        }
        r.intervals.as_ref().map_or(f64::NAN, |i| if side == 0 { i.nms[k].0 } else { i.nms[k].1 })
    };
    Columns::new()
        .text("objective", ["reach", "revenue", "profit"].map(String::from))
        .f64("price", (0..3).map(|k| pick(k, |o| o.0)))
        .f64("value", (0..3).map(|k| pick(k, |o| o.1)))
        .f64("ci_low", (0..3).map(|k| bound(k, 0)))
        .f64("ci_high", (0..3).map(|k| bound(k, 1)))
        .batch()
}

/// Van Westendorp (and NMS) for every group, in parallel. Tables: "curves", "points",
/// "ranges", "counts" and, with intents, "nms" and "nms_optima" (each group's rows one after
/// another behind the group column). Respondents refused by validation are added to `rows`
/// as [`INCONSISTENT`], by their input rows.
pub fn analyse(
    cols: &Columns4,
    groups: &Groups,
    opts: &Options,
    progress: Option<&Progress>,
    mut rows: RowLog,
) -> Result<Output> {
    let rule = PointRule { range: opts.range, crossing: opts.crossing };
    let results: Vec<VwResult> = groups
        .parts
        .par_iter()
        .map(|(_, idx)| {
            in_group(cols, idx.as_deref(), opts, |ans, nms| {
                van_westendorp(ans, opts.validate, rule, nms, opts.ci, opts.seed, progress)
            })
        })
        .collect::<Result<_>>()?;
    // the respondents validation refused, as input rows (looked for only when there are any)
    if results.iter().any(|r| r.n_dropped > 0) {
        rows.drop_kept(&refused_rows(cols, groups, opts.validate), INCONSISTENT);
    }
    tables(&results, groups, opts, cols.intents.is_some(), rows)
}

/// Calls `f` with the answers (and the NMS intents) of one group's rows `idx` (None: all).
fn in_group<T>(
    cols: &Columns4,
    idx: Option<&[usize]>,
    opts: &Options,
    f: impl FnOnce(&Answers, Option<&Nms>) -> T,
) -> T {
    let qs = cols.prices.map(|c| c.subset(idx));
    let wg = cols.weights.map(|c| c.subset(idx));
    let ans = Answers { prices: [&qs[0], &qs[1], &qs[2], &qs[3]], weights: wg.as_deref() };
    let intents = cols.intents.map(|(a, b)| (a.subset(idx), b.subset(idx)));
    let nms = intents.as_ref().map(|(a, b)| Nms {
        intent_cheap: a,
        intent_expensive: b,
        calibration: opts.calibration.clone(),
        cost: opts.cost,
    });
    f(&ans, nms.as_ref())
}

/// The respondents of every group that validation refuses, as input rows (positions of every
/// group are collected first, since they index the rows kept before this stage).
fn refused_rows(cols: &Columns4, groups: &Groups, validate: Validate) -> Vec<usize> {
    let mut refused = Vec::new();
    for (_, idx) in &groups.parts {
        let idx = idx.as_deref();
        let qs = cols.prices.map(|c| c.subset(idx));
        let bad = invalid_rows([&qs[0].values, &qs[1].values, &qs[2].values, &qs[3].values], validate);
        match idx {
            Some(idx) => refused.extend(bad.iter().filter_map(|i| idx.get(*i).copied())),
            None => refused.extend(bad),
        }
    }
    refused
}

/// The tables of an analysis from its groups' results (see [`analyse`]).
fn tables(results: &[VwResult], groups: &Groups, opts: &Options, nms: bool, rows: RowLog) -> Result<Output> {
    let stack = |f: &dyn Fn(&VwResult) -> Result<RecordBatch>| -> Result<RecordBatch> {
        groups.stack(results.iter().map(f).collect::<Result<_>>()?)
    };
    let mut out = Output::new(rows)
        .table("curves", stack(&curves_table)?)
        .table("points", stack(&points_table)?)
        .table("ranges", stack(&|r| ranges_table(r, opts.range))?)
        .table("counts", stack(&|r| counts_table(r, nms))?);
    if nms {
        out = out
            .table("nms", stack(&|r| nms_table(r, opts.cost.is_some()))?)
            .table("nms_optima", stack(&nms_optima_table)?);
    }
    let warnings = groups.label_warnings(results.iter().map(|r| &r.warnings));
    Ok(out.warn(warnings))
}

/// The columns of a state's rows after the group column: the price, then per question the
/// weight answering that price, then the NMS slope change there. The row at price 0 (no
/// answer price is 0) holds the group's totals instead: valid respondents, respondents used
/// for NMS, their weight, respondents read, 0.
pub const STATE_COLUMNS: [&str; 6] =
    ["price", "too_cheap", "cheap", "expensive", "too_expensive", "nms_slope"];

/// The map step of a distributed analysis: each group's histogram and totals as rows (see
/// [`STATE_COLUMNS`]; a first column holds the group label when split by a column), which add
/// up across any split of the respondents. Respondents validation refuses are added to `rows`
/// as [`INCONSISTENT`].
pub fn states(cols: &Columns4, groups: &Groups, opts: &Options, mut rows: RowLog) -> Result<Output> {
    let parts: Vec<(Hist, Tally, usize)> = groups
        .parts
        .par_iter()
        .map(|(_, idx)| {
            in_group(cols, idx.as_deref(), opts, |ans, nms| histogram_of(ans, opts.validate, nms))
        })
        .collect::<Result<_>>()?;
    if parts.iter().any(|(_, t, n)| t.valid < *n) {
        rows.drop_kept(&refused_rows(cols, groups, opts.validate), INCONSISTENT);
    }
    let mut labels = Vec::new();
    let mut c: [Vec<f64>; 6] = Default::default();
    for ((label, _), (hist, tally, n)) in groups.parts.iter().zip(parts) {
        let (price, h) = hist.into_sorted();
        let totals = [0.0, tally.valid as f64, tally.nms as f64, tally.nms_weight, n as f64, 0.0];
        for (j, v) in totals.iter().enumerate() {
            c[j].push(*v);
        }
        for (p, row) in price.iter().zip(&h) {
            c[0].push(*p);
            for k in 0..5 {
                c[k + 1].push(row[k]);
            }
        }
        labels.extend(std::iter::repeat_n(label.clone(), price.len() + 1));
    }
    let mut cols_out = Columns::new();
    if let Some(name) = &groups.name {
        cols_out = cols_out.text(name, labels);
    }
    for (name, v) in STATE_COLUMNS.iter().zip(c) {
        cols_out = cols_out.f64(name, v);
    }
    Ok(Output::new(rows).table("state", cols_out.batch()?))
}

/// The analysis of states' rows (concatenated, in any order, a (group, price) possibly in
/// several rows: they add up): exactly what [`analyse`] returns for the respondents the
/// states summarised, without bootstrap intervals. `by` names the group column and `levels`
/// orders its groups (as a categorical's categories do; others follow, sorted), `names` the
/// four answer columns (for errors).
#[allow(clippy::too_many_arguments)]
pub fn analyse_states(
    batches: &[RecordBatch],
    by: Option<&str>,
    levels: &[String],
    nms: bool,
    opts: &Options,
    names: &[&str],
    rows: RowLog,
) -> Result<Output> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::Float64Type;
    use arrow_array::Array;
    use std::collections::BTreeMap;
    let mut groups: BTreeMap<String, BTreeMap<u64, [f64; 5]>> = BTreeMap::new();
    for b in batches {
        let col = |name: &str| -> Result<&[f64]> {
            b.column_by_name(name)
                .and_then(|a| a.as_primitive_opt::<Float64Type>())
                .filter(|a| a.null_count() == 0)
                .map(|a| a.values().as_ref())
                .ok_or_else(|| {
                    Error::input(name, "missing from the state, or not float64 without missing values")
                })
        };
        let c: Vec<&[f64]> = STATE_COLUMNS.iter().map(|n| col(n)).collect::<Result<_>>()?;
        let label: Option<Vec<String>> = match by {
            None => None,
            Some(name) => {
                let a = b.column_by_name(name).ok_or_else(|| Error::input(name, "missing from the state"))?;
                let s = a
                    .as_string_opt::<i32>()
                    .ok_or_else(|| Error::input(name, "must be text in the state"))?;
                Some(s.iter().map(|v| v.unwrap_or_default().to_string()).collect())
            }
        };
        for i in 0..b.num_rows() {
            let p = c[0][i];
            if !(p >= 0.0 && p.is_finite()) {
                return Err(Error::input(
                    "price",
                    format!("must be a non-negative price; row {i} holds {p}"),
                ));
            }
            let g = label.as_ref().map_or(String::new(), |l| l[i].clone());
            let slot = groups.entry(g).or_default().entry((p + 0.0).to_bits()).or_insert([0.0; 5]);
            for k in 0..5 {
                slot[k] += c[k + 1][i];
            }
        }
    }
    if groups.is_empty() {
        return Err(Error::input(names.join("', '"), "no respondents in the Van Westendorp state"));
    }
    let rule = PointRule { range: opts.range, crossing: opts.crossing };
    let mut parts: Vec<(String, BTreeMap<u64, [f64; 5]>)> = groups.into_iter().collect();
    // stable: groups not among `levels` keep their sorted order, after the others
    parts.sort_by_key(|(l, _)| levels.iter().position(|x| x == l).unwrap_or(usize::MAX));
    let results: Vec<VwResult> = parts
        .par_iter()
        .map(|(_, hist)| {
            let totals = hist.get(&0f64.to_bits()).copied().unwrap_or([0.0; 5]);
            let tally = Tally {
                valid: totals[0] as usize,
                nms: totals[1] as usize,
                nms_weight: totals[2],
                bad: false,
            };
            // non-negative prices: their bits sort as their values
            let (price, h): (Vec<f64>, Vec<[f64; 5]>) = hist
                .iter()
                .filter(|(k, _)| **k != 0f64.to_bits())
                .map(|(k, v)| (f64::from_bits(*k), *v))
                .unzip();
            from_histogram(price, h, tally, totals[3] as usize, opts.validate, rule, nms, opts.cost, names)
        })
        .collect::<Result<_>>()?;
    let mut warnings = Vec::new();
    if by.is_some() && parts.len() == 1 {
        warnings.push(format!("the by column '{}' has one level: one group", by.unwrap_or_default()));
    }
    let groups = Groups {
        name: by.map(str::to_string),
        parts: parts.iter().map(|(l, _)| (l.clone(), None)).collect(),
        warnings,
    };
    tables(&results, &groups, opts, nms, rows)
}
