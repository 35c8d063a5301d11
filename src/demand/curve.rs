//! The willingness-to-pay demand curve, its revenue and profit, optimal prices, bootstrap
//! intervals and the premium test.
//!
//! With respondents i = 1..n, stated willingness to pay w_i and weights v_i (1 by default), the
//! demand share at price p is the exact step function
//!
//! D(p) = sum_i v_i [w_i >= p] / sum_i v_i,
//!
//! evaluated at every distinct positive stated price. With N the market size (the total weight
//! by default), buyers(p) = N D(p), revenue R(p) = p N D(p) and profit
//! P(p) = (p - c) N D(p) - F for unit cost c and fixed cost F. Because D only changes at stated
//! prices and p D(p) rises between them, the revenue- and profit-optimal prices are stated
//! prices: the optimum over them is exact (ties go to the lowest price).

use rand::Rng;
use rayon::prelude::*;

use super::histogram::build;
use super::{check_weights, weight_at};
use crate::error::{Error, Result};
use crate::stats::quantile::percentile_interval;
use crate::stats::rng::stream;
use crate::stats::{tick, Progress};
use crate::table::{Column, Columns, Groups, Output, RowLog, ToBatch};
use arrow_array::RecordBatch;

/// Cost and scale of a curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Economics {
    /// Unit (marginal) cost c.
    pub cost: f64,
    /// Fixed cost F, subtracted once from profit.
    pub fixed_cost: f64,
    /// Market size N; `None` uses the total respondent weight.
    pub market_size: Option<f64>,
}

/// Revenue, profit and their optima over a price schedule: the one place both the demand
/// curve and Gabor-Granger compute them.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// p x buyers(p).
    pub revenue: Vec<f64>,
    /// (p - c) x buyers(p) - F.
    pub profit: Vec<f64>,
    /// Index of the revenue-optimal price (the lowest on ties).
    pub revenue_optimal: Option<usize>,
    /// Index of the profit-optimal price: `None` when no price above the unit cost sells.
    pub profit_optimal: Option<usize>,
    /// Plain statements: no profitable price, or a best profit below the fixed cost.
    pub warnings: Vec<String>,
}

/// Refuses prices so large that revenue (price x buyers) overflows floating point: the result
/// would hold infinities. Names `column` and the first such price.
pub fn check_finite_revenue(column: &str, price: &[f64], revenue: &[f64]) -> Result<()> {
    match revenue.iter().position(|v| v.is_infinite()) {
        Some(i) => Err(Error::input(
            column,
            format!(
                "the price {:e} is so large that revenue at it overflows (past 1.8e308); check the \
                 column's unit or drop the row",
                price.get(i).copied().unwrap_or(f64::NAN)
            ),
        )),
        None => Ok(()),
    }
}

impl Economics {
    /// Revenue, profit and their optima at `price` with `buyers` buying at each.
    pub fn schedule(&self, price: &[f64], buyers: &[f64]) -> Schedule {
        let revenue: Vec<f64> = price.iter().zip(buyers).map(|(p, b)| p * b).collect();
        let profit: Vec<f64> =
            price.iter().zip(buyers).map(|(p, b)| (p - self.cost) * b - self.fixed_cost).collect();
        // no revenue-optimal price when nobody buys at any price (revenue 0 everywhere)
        let revenue_optimal = argmax(&revenue).filter(|i| buyers[*i] > 0.0);
        let profit_optimal = argmax(&profit).filter(|i| price[*i] > self.cost && buyers[*i] > 0.0);
        let mut warnings = Vec::new();
        match profit_optimal {
            None => warnings.push(format!(
                "the unit cost {} is at or above every price that sells: no price makes a profit",
                self.cost
            )),
            Some(i) if profit[i] <= 0.0 => warnings.push(format!(
                "the best profit ({:.4}) does not cover the fixed cost {}",
                profit[i] + self.fixed_cost,
                self.fixed_cost
            )),
            Some(_) => {}
        }
        Schedule { revenue, profit, revenue_optimal, profit_optimal, warnings }
    }

    /// Validates the arguments.
    pub fn check(&self) -> Result<()> {
        if !self.cost.is_finite() || self.cost < 0.0 {
            return Err(Error::parameter(
                "cost",
                format!("must be finite and non-negative, got {}", self.cost),
            ));
        }
        if !self.fixed_cost.is_finite() || self.fixed_cost < 0.0 {
            return Err(Error::parameter(
                "fixed_cost",
                format!("must be finite and non-negative, got {}", self.fixed_cost),
            ));
        }
        if let Some(m) = self.market_size {
            if !m.is_finite() || m <= 0.0 {
                return Err(Error::parameter("market_size", format!("must be positive, got {m}")));
            }
        }
        Ok(())
    }
}

/// A demand curve over the stated prices.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// Distinct positive stated prices, ascending.
    pub price: Vec<f64>,
    /// D(p): weighted share willing to pay at least p.
    pub share: Vec<f64>,
    /// N D(p).
    pub buyers: Vec<f64>,
    /// p N D(p).
    pub revenue: Vec<f64>,
    /// (p - c) N D(p) - F.
    pub profit: Vec<f64>,
    /// Index of the revenue-optimal price.
    pub revenue_optimal: Option<usize>,
    /// Index of the profit-optimal price (`None` when no price covers the unit cost).
    pub profit_optimal: Option<usize>,
    /// Respondents used.
    pub n: usize,
    /// Their total weight.
    pub total_weight: f64,
    /// N.
    pub market_size: f64,
    /// Plain statements about degenerate but valid data.
    pub warnings: Vec<String>,
}

fn check_wtp(wtp: &Column<f64>) -> Result<()> {
    if wtp.is_empty() {
        return Err(Error::input(&wtp.name, "no respondents"));
    }
    if let Some((i, v)) = wtp.values.iter().enumerate().find(|(_, v)| **v < 0.0 || !v.is_finite()) {
        return Err(Error::input(
            &wtp.name,
            format!("willingness to pay must be non-negative and finite; row {i} holds {v}"),
        ));
    }
    if wtp.values.iter().all(|v| *v == 0.0) {
        return Err(Error::input(&wtp.name, "every willingness to pay is zero: there is no demand curve"));
    }
    Ok(())
}

/// Index of the largest value (the first, so ties go to the lowest price).
pub(crate) fn argmax(values: &[f64]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, v) in values.iter().enumerate() {
        if best.is_none_or(|b| *v > values[b]) {
            best = Some(i);
        }
    }
    best
}

/// Refuses a cost (with the market size) so large that profit, (p - c) x buyers(p) - F,
/// overflows floating point while revenue does not: names `cost` and the first such price.
pub fn check_finite_profit(price: &[f64], profit: &[f64]) -> Result<()> {
    match profit.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(Error::parameter(
            "cost",
            format!(
                "the profit at the price {:e} overflows (past 1.8e308): the unit cost times the buyers \
                 is too large; check the unit of cost and market_size",
                price.get(i).copied().unwrap_or(f64::NAN)
            ),
        )),
        None => Ok(()),
    }
}

/// Curve values from a price grid and the weight at each price (plus the weight of
/// respondents below every grid price, who count in the total but never buy).
fn from_counts(price: Vec<f64>, counts: &[f64], below: f64, n: usize, econ: &Economics) -> Curve {
    let total: f64 = counts.iter().sum::<f64>() + below;
    let market = econ.market_size.unwrap_or(total);
    let m = price.len();
    let mut share = vec![0.0; m];
    let mut acc = 0.0;
    for i in (0..m).rev() {
        acc += counts[i];
        share[i] = if total > 0.0 { acc / total } else { 0.0 };
    }
    let buyers: Vec<f64> = share.iter().map(|s| s * market).collect();
    let Schedule { revenue, profit, revenue_optimal, profit_optimal, warnings } =
        econ.schedule(&price, &buyers);
    Curve {
        price,
        share,
        buyers,
        revenue,
        profit,
        revenue_optimal,
        profit_optimal,
        n,
        total_weight: total,
        market_size: market,
        warnings,
    }
}

/// The demand curve of stated willingness to pay `wtp` with optional `weights`.
pub fn demand_curve(wtp: &Column<f64>, weights: Option<&Column<f64>>, econ: &Economics) -> Result<Curve> {
    econ.check()?;
    check_wtp(wtp)?;
    if let Some(w) = weights {
        check_weights(w)?;
    }
    let hist = build::<1, _>(wtp.len(), |i, h| {
        let v = wtp.values.get(i).copied().unwrap_or(0.0);
        h.add(v, 0, weight_at(weights, i));
    });
    let (mut price, sums) = hist.into_sorted();
    let mut counts: Vec<f64> = sums.iter().map(|s| s[0]).collect();
    let mut below = 0.0;
    if price.first() == Some(&0.0) {
        below = counts.first().copied().unwrap_or(0.0);
        price.remove(0);
        counts.remove(0);
    }
    let curve = from_counts(price, &counts, below, wtp.len(), econ);
    check_finite_revenue(&wtp.name, &curve.price, &curve.revenue)?;
    check_finite_profit(&curve.price, &curve.profit)?;
    if curve.total_weight <= 0.0 {
        return Err(Error::input(&wtp.name, "total weight is zero"));
    }
    Ok(curve)
}

/// Bootstrap percentile intervals of a curve and its optimal prices.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveIntervals {
    /// Confidence level.
    pub level: f64,
    /// Replicates.
    pub reps: usize,
    /// Interval bounds per grid price (NaN where not computed; see [`bootstrap`]).
    pub share: (Vec<f64>, Vec<f64>),
    /// Revenue bounds.
    pub revenue: (Vec<f64>, Vec<f64>),
    /// Profit bounds.
    pub profit: (Vec<f64>, Vec<f64>),
    /// Revenue-optimal price bounds.
    pub revenue_optimal_price: (f64, f64),
    /// Profit-optimal price bounds.
    pub profit_optimal_price: (f64, f64),
}

/// Most grid prices that get intervals; a longer grid gets them at this many evenly spaced prices.
pub const MAX_INTERVAL_PRICES: usize = 2000;

fn grid_index(price: &[f64], v: f64) -> Option<usize> {
    if v <= 0.0 {
        return None;
    }
    price.binary_search_by(|p| p.total_cmp(&v)).ok()
}

/// Resampled weight per grid price for replicate `r`: respondents drawn with replacement.
fn resample_counts(
    bins: &[Option<u32>],
    weights: Option<&Column<f64>>,
    m: usize,
    seed: u64,
    r: u64,
) -> (Vec<f64>, f64) {
    let n = bins.len();
    let mut rng = stream(seed, r);
    let mut counts = vec![0.0; m];
    let mut below = 0.0;
    for _ in 0..n {
        let i = rng.random_range(0..n);
        let w = weight_at(weights, i);
        match bins.get(i).copied().flatten() {
            Some(b) => {
                if let Some(c) = counts.get_mut(b as usize) {
                    *c += w;
                }
            }
            None => below += w,
        }
    }
    (counts, below)
}

fn check_level(level: f64, reps: usize, bytes_each: usize) -> Result<()> {
    if !(level > 0.0 && level < 1.0) {
        return Err(Error::parameter("ci", format!("must be a confidence level in (0, 1), got {level}")));
    }
    crate::stats::check_replicates("n_boot", reps, 2, bytes_each)
}

/// Percentile bootstrap of `curve` (resampling respondents, `reps` replicates seeded by `seed`,
/// in parallel; the same seed gives the same intervals on any number of threads). Intervals are
/// given at every grid price when the grid has at most [`MAX_INTERVAL_PRICES`] prices, otherwise
/// at that many evenly spaced grid prices (NaN at the others); memory stays reps x that size.
#[allow(clippy::too_many_arguments)]
pub fn bootstrap(
    wtp: &Column<f64>,
    weights: Option<&Column<f64>>,
    econ: &Economics,
    curve: &Curve,
    level: f64,
    reps: usize,
    seed: u64,
    progress: Option<&Progress>,
) -> Result<CurveIntervals> {
    let m = curve.price.len();
    check_level(level, reps, 16 + 8 * m.min(MAX_INTERVAL_PRICES))?;
    let bins: Vec<Option<u32>> =
        wtp.values.iter().map(|v| grid_index(&curve.price, *v).map(|i| i as u32)).collect();
    let kept: Vec<usize> = if m <= MAX_INTERVAL_PRICES {
        (0..m).collect()
    } else {
        (0..MAX_INTERVAL_PRICES).map(|k| k * (m - 1) / (MAX_INTERVAL_PRICES - 1)).collect()
    };
    struct Rep {
        share: Vec<f32>,
        buyers: Vec<f32>,
        rev_opt: f64,
        prof_opt: f64,
    }
    let reps_out: Vec<Rep> = (0..reps as u64)
        .into_par_iter()
        .map(|r| {
            let (counts, below) = resample_counts(&bins, weights, m, seed, r);
            let c = from_counts(curve.price.clone(), &counts, below, wtp.len(), econ);
            tick(progress)?;
            Ok(Rep {
                share: kept.iter().map(|k| c.share[*k] as f32).collect(),
                buyers: kept.iter().map(|k| c.buyers[*k] as f32).collect(),
                rev_opt: c.revenue_optimal.map_or(f64::NAN, |i| c.price[i]),
                prof_opt: c.profit_optimal.map_or(f64::NAN, |i| c.price[i]),
            })
        })
        .collect::<Result<_>>()?;
    let mut share = (vec![f64::NAN; m], vec![f64::NAN; m]);
    let mut revenue = share.clone();
    let mut profit = share.clone();
    for (j, k) in kept.iter().enumerate() {
        let p = curve.price[*k];
        let s: Vec<f64> = reps_out.iter().map(|r| f64::from(r.share[j])).collect();
        let (lo, hi) = percentile_interval(&s, level);
        share.0[*k] = lo;
        share.1[*k] = hi;
        let rv: Vec<f64> = reps_out.iter().map(|r| p * f64::from(r.buyers[j])).collect();
        let (lo, hi) = percentile_interval(&rv, level);
        revenue.0[*k] = lo;
        revenue.1[*k] = hi;
        let pf: Vec<f64> =
            reps_out.iter().map(|r| (p - econ.cost) * f64::from(r.buyers[j]) - econ.fixed_cost).collect();
        let (lo, hi) = percentile_interval(&pf, level);
        profit.0[*k] = lo;
        profit.1[*k] = hi;
    }
    let ro: Vec<f64> = reps_out.iter().map(|r| r.rev_opt).collect();
    let po: Vec<f64> = reps_out.iter().map(|r| r.prof_opt).collect();
    Ok(CurveIntervals {
        level,
        reps,
        share,
        revenue,
        profit,
        revenue_optimal_price: percentile_interval(&ro, level),
        profit_optimal_price: percentile_interval(&po, level),
    })
}

/// The premium test: is price `b` more profitable than price `a`?
#[derive(Debug, Clone, PartialEq)]
pub struct PremiumTest {
    /// Price a (the reference, e.g. the market value).
    pub price_a: f64,
    /// Price b (the premium).
    pub price_b: f64,
    /// Profit at a: (a - c) N D(a) - F.
    pub profit_a: f64,
    /// Profit at b.
    pub profit_b: f64,
    /// profit_b - profit_a (the fixed cost cancels).
    pub difference: f64,
    /// Percentile interval of the difference.
    pub ci: (f64, f64),
    /// Share of replicates in which b is more profitable than a.
    pub prob_b_better: f64,
    /// Confidence level.
    pub level: f64,
}

/// Difference in profit between prices `b` and `a` with a bootstrap interval.
#[allow(clippy::too_many_arguments)]
pub fn premium_test(
    wtp: &Column<f64>,
    weights: Option<&Column<f64>>,
    econ: &Economics,
    a: f64,
    b: f64,
    level: f64,
    reps: usize,
    seed: u64,
) -> Result<PremiumTest> {
    econ.check()?;
    check_wtp(wtp)?;
    check_level(level, reps, 64)?;
    for (name, p) in [("price_a", a), ("price_b", b)] {
        if !p.is_finite() || p <= 0.0 {
            return Err(Error::parameter(name, format!("must be a positive price, got {p}")));
        }
    }
    let n = wtp.len();
    let profit_at = |sel: &dyn Fn(usize) -> usize| -> f64 {
        let (mut total, mut at_a, mut at_b) = (0.0, 0.0, 0.0);
        for k in 0..n {
            let i = sel(k);
            let w = weight_at(weights, i);
            let v = wtp.values.get(i).copied().unwrap_or(0.0);
            total += w;
            if v >= a {
                at_a += w;
            }
            if v >= b {
                at_b += w;
            }
        }
        let market = econ.market_size.unwrap_or(total);
        if total <= 0.0 {
            return f64::NAN;
        }
        (b - econ.cost) * market * at_b / total - (a - econ.cost) * market * at_a / total
    };
    let difference = profit_at(&|k| k);
    let curve_a = share_at(wtp, weights, a);
    let curve_b = share_at(wtp, weights, b);
    let total: f64 = (0..n).map(|i| weight_at(weights, i)).sum();
    let market = econ.market_size.unwrap_or(total);
    let diffs: Vec<f64> = (0..reps as u64)
        .into_par_iter()
        .map(|r| {
            let mut rng = stream(seed, r);
            let draws: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
            profit_at(&|k| draws.get(k).copied().unwrap_or(0))
        })
        .collect();
    let better = diffs.iter().filter(|d| **d > 0.0).count() as f64 / reps as f64;
    Ok(PremiumTest {
        price_a: a,
        price_b: b,
        profit_a: (a - econ.cost) * market * curve_a - econ.fixed_cost,
        profit_b: (b - econ.cost) * market * curve_b - econ.fixed_cost,
        difference,
        ci: percentile_interval(&diffs, level),
        prob_b_better: better,
        level,
    })
}

/// D(p) at any price p: the weighted share with willingness to pay at least p.
pub fn share_at(wtp: &Column<f64>, weights: Option<&Column<f64>>, p: f64) -> f64 {
    let (mut total, mut hit) = (0.0, 0.0);
    for (i, v) in wtp.values.iter().enumerate() {
        let w = weight_at(weights, i);
        total += w;
        if *v >= p {
            hit += w;
        }
    }
    if total > 0.0 {
        hit / total
    } else {
        f64::NAN
    }
}

/// One group's demand curve with its optional bootstrap intervals.
#[derive(Debug, Clone)]
pub struct CurveAnalysis {
    /// The curve.
    pub curve: Curve,
    /// Its intervals, with `ci`.
    pub intervals: Option<CurveIntervals>,
}

impl CurveAnalysis {
    /// The value at an optimum's index (NaN without one).
    fn at(&self, i: Option<usize>, of: &[f64]) -> f64 {
        i.and_then(|i| of.get(i).copied()).unwrap_or(f64::NAN)
    }

    /// The curve table: price, share, buyers, revenue, profit and, with intervals,
    /// share/revenue/profit `_ci_low` and `_ci_high`.
    fn curve_table(&self) -> Result<RecordBatch> {
        let c = &self.curve;
        let mut cols = Columns::new()
            .f64("price", c.price.iter().copied())
            .f64("share", c.share.iter().copied())
            .f64("buyers", c.buyers.iter().copied())
            .f64("revenue", c.revenue.iter().copied())
            .f64("profit", c.profit.iter().copied());
        if let Some(iv) = &self.intervals {
            for (name, (lo, hi)) in [("share", &iv.share), ("revenue", &iv.revenue), ("profit", &iv.profit)] {
                cols = cols
                    .f64(&format!("{name}_ci_low"), lo.iter().copied())
                    .f64(&format!("{name}_ci_high"), hi.iter().copied());
            }
        }
        cols.batch()
    }

    /// The optima row: revenue- and profit-optimal prices and values, n, total weight,
    /// market size and, with intervals, the optimal prices' bounds.
    fn optima_table(&self) -> Result<RecordBatch> {
        let c = &self.curve;
        let mut cols = Columns::new()
            .f64("revenue_optimal_price", [self.at(c.revenue_optimal, &c.price)])
            .f64("revenue_at_optimum", [self.at(c.revenue_optimal, &c.revenue)])
            .f64("profit_optimal_price", [self.at(c.profit_optimal, &c.price)])
            .f64("profit_at_optimum", [self.at(c.profit_optimal, &c.profit)])
            .count("n", [c.n])
            .f64("total_weight", [c.total_weight])
            .f64("market_size", [c.market_size]);
        if let Some(iv) = &self.intervals {
            cols = cols
                .f64("revenue_optimal_price_ci_low", [iv.revenue_optimal_price.0])
                .f64("revenue_optimal_price_ci_high", [iv.revenue_optimal_price.1])
                .f64("profit_optimal_price_ci_low", [iv.profit_optimal_price.0])
                .f64("profit_optimal_price_ci_high", [iv.profit_optimal_price.1]);
        }
        cols.batch()
    }
}

/// The demand-curve analysis of every group, in parallel: tables "table" (the curves, one
/// group after another) and "optima" (one row per group), with each group's warnings.
/// `ci` asks for percentile bootstrap intervals from `n_boot` replicates seeded by `seed`.
#[allow(clippy::too_many_arguments)]
pub fn analyse(
    wtp: &Column<f64>,
    weights: Option<&Column<f64>>,
    groups: &Groups,
    econ: &Economics,
    ci: Option<f64>,
    n_boot: usize,
    seed: u64,
    progress: Option<&Progress>,
    rows: RowLog,
) -> Result<Output> {
    let results: Vec<CurveAnalysis> = groups
        .parts
        .par_iter()
        .map(|(_, idx)| -> Result<_> {
            let w = wtp.subset(idx.as_deref());
            let wt = weights.map(|c| c.subset(idx.as_deref()));
            let curve = demand_curve(&w, wt.as_deref(), econ)?;
            let intervals = match ci {
                Some(level) => {
                    Some(bootstrap(&w, wt.as_deref(), econ, &curve, level, n_boot, seed, progress)?)
                }
                None => None,
            };
            Ok(CurveAnalysis { curve, intervals })
        })
        .collect::<Result<_>>()?;
    let table = groups.stack(results.iter().map(|r| r.curve_table()).collect::<Result<_>>()?)?;
    let optima = groups.stack(results.iter().map(|r| r.optima_table()).collect::<Result<_>>()?)?;
    let warnings = groups.label_warnings(results.iter().map(|r| &r.curve.warnings));
    Ok(Output::new(rows).table("table", table).table("optima", optima).warn(warnings))
}

impl ToBatch for PremiumTest {
    /// One row: price_a, price_b, profit_a, profit_b, difference, ci_low, ci_high,
    /// prob_b_better, ci (the interval level).
    fn to_batch(&self) -> Result<RecordBatch> {
        Columns::new()
            .f64("price_a", [self.price_a])
            .f64("price_b", [self.price_b])
            .f64("profit_a", [self.profit_a])
            .f64("profit_b", [self.profit_b])
            .f64("difference", [self.difference])
            .f64("ci_low", [self.ci.0])
            .f64("ci_high", [self.ci.1])
            .f64("prob_b_better", [self.prob_b_better])
            .f64("ci", [self.level])
            .batch()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NO_COST: Economics = Economics { cost: 0.0, fixed_cost: 0.0, market_size: None };

    fn col(v: &[f64]) -> Column<f64> {
        Column::new("wtp", v.to_vec())
    }

    #[test]
    fn a_price_whose_revenue_overflows_is_refused_with_its_value() {
        // issue 18: a WTP of 1e308 gave infinite revenue
        let econ = Economics { cost: 0.0, fixed_cost: 0.0, market_size: Some(1000.0) };
        let e =
            demand_curve(&col(&[10.0, 1e308]), None, &econ).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("'wtp'") && e.contains("1e308") && e.contains("overflows"), "{e}");
        assert!(demand_curve(&col(&[10.0, 1e300]), None, &econ).is_ok());
    }

    #[test]
    fn step_curve_revenue_and_optima() {
        let c = demand_curve(&col(&[10.0, 20.0, 20.0, 30.0, 0.0]), None, &NO_COST)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.price, vec![10.0, 20.0, 30.0]);
        assert_eq!(c.share, vec![0.8, 0.6, 0.2]);
        assert_eq!(c.revenue, vec![40.0, 60.0, 30.0]);
        assert_eq!(c.revenue_optimal, Some(1));
        let econ = Economics { cost: 15.0, fixed_cost: 1.0, market_size: Some(100.0) };
        let c =
            demand_curve(&col(&[10.0, 20.0, 20.0, 30.0, 0.0]), None, &econ).unwrap_or_else(|e| panic!("{e}"));
        // profit: (10-15)*80-1, (20-15)*60-1, (30-15)*20-1
        assert_eq!(c.profit, vec![-401.0, 299.0, 299.0]);
        assert_eq!(c.profit_optimal, Some(1), "ties go to the lowest price");
    }

    #[test]
    fn cost_above_every_wtp_is_reported_not_a_crash() {
        let econ = Economics { cost: 100.0, fixed_cost: 0.0, market_size: None };
        let c = demand_curve(&col(&[10.0, 20.0]), None, &econ).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.profit_optimal, None);
        assert!(!c.warnings.is_empty());
    }

    #[test]
    fn negative_wtp_names_the_column() {
        let e = demand_curve(&col(&[10.0, -1.0]), None, &NO_COST)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("'wtp'") && e.contains("-1"), "{e}");
    }

    #[test]
    fn weights_of_two_equal_duplicated_rows() {
        let w = Column::new("w", vec![2.0, 1.0, 1.0]);
        let a = demand_curve(&col(&[5.0, 7.0, 9.0]), Some(&w), &NO_COST).unwrap_or_else(|e| panic!("{e}"));
        let b = demand_curve(&col(&[5.0, 5.0, 7.0, 9.0]), None, &NO_COST).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.share, b.share);
        assert_eq!(a.revenue, b.revenue);
    }

    #[test]
    fn bootstrap_is_seeded_and_brackets_the_estimate() {
        let v: Vec<f64> = (1..=200).map(|i| f64::from(i % 37 + 1)).collect();
        let c = demand_curve(&col(&v), None, &NO_COST).unwrap_or_else(|e| panic!("{e}"));
        let a = bootstrap(&col(&v), None, &NO_COST, &c, 0.9, 200, 3, None).unwrap_or_else(|e| panic!("{e}"));
        let b = bootstrap(&col(&v), None, &NO_COST, &c, 0.9, 200, 3, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a, b);
        for i in 0..c.price.len() {
            assert!(a.share.0[i] <= c.share[i] + 1e-6 && c.share[i] <= a.share.1[i] + 1e-6);
        }
    }

    #[test]
    fn premium_test_matches_the_curve() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let t = premium_test(&col(&v), None, &NO_COST, 40.0, 60.0, 0.95, 100, 1)
            .unwrap_or_else(|e| panic!("{e}"));
        // D(40) = 0.61, D(60) = 0.41 -> profits 2440 and 2460
        assert!((t.profit_a - 2440.0).abs() < 1e-9 && (t.profit_b - 2460.0).abs() < 1e-9);
        assert!((t.difference - 20.0).abs() < 1e-9);
        assert!(t.ci.0 < 20.0 && 20.0 < t.ci.1);
    }

    proptest! {
        #[test]
        fn demand_never_rises_and_shares_stay_in_unit_interval(v in proptest::collection::vec(0.0f64..1000.0, 1..200)) {
            prop_assume!(v.iter().any(|x| *x > 0.0));
            let c = demand_curve(&col(&v), None, &NO_COST).unwrap_or_else(|e| panic!("{e}"));
            for w in c.share.windows(2) {
                prop_assert!(w[1] <= w[0]);
            }
            prop_assert!(c.share.iter().all(|s| (0.0..=1.0).contains(s)));
        }

        #[test]
        fn row_order_does_not_matter(mut v in proptest::collection::vec(1.0f64..100.0, 1..100)) {
            let a = demand_curve(&col(&v), None, &NO_COST).unwrap_or_else(|e| panic!("{e}"));
            v.reverse();
            let b = demand_curve(&col(&v), None, &NO_COST).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(a, b);
        }
    }
}
