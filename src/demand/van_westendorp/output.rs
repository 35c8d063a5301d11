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
    let bound = |k: usize, side: usize| {
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
    let results: Vec<VwResult> = groups
        .parts
        .par_iter()
        .map(|(_, idx)| -> Result<_> {
            let idx = idx.as_deref();
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
            let rule = PointRule { range: opts.range, crossing: opts.crossing };
            van_westendorp(&ans, opts.validate, rule, nms.as_ref(), opts.ci, opts.seed, progress)
        })
        .collect::<Result<_>>()?;
    // the respondents validation refused, as input rows (looked for only when there are any);
    // positions of every group are collected first, since they index the rows kept before
    // this stage
    let mut refused = Vec::new();
    for ((_, idx), r) in groups.parts.iter().zip(&results) {
        if r.n_dropped > 0 {
            let idx = idx.as_deref();
            let qs = cols.prices.map(|c| c.subset(idx));
            let bad =
                invalid_rows([&qs[0].values, &qs[1].values, &qs[2].values, &qs[3].values], opts.validate);
            match idx {
                Some(idx) => refused.extend(bad.iter().filter_map(|i| idx.get(*i).copied())),
                None => refused.extend(bad),
            }
        }
    }
    rows.drop_kept(&refused, INCONSISTENT);
    let stack = |f: &dyn Fn(&VwResult) -> Result<RecordBatch>| -> Result<RecordBatch> {
        groups.stack(results.iter().map(f).collect::<Result<_>>()?)
    };
    let nms = cols.intents.is_some();
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
