//! Gabor-Granger: buy / no-buy answers on a price ladder.
//!
//! Long format, one row per respondent and price shown. With a respondent column, each
//! respondent's highest accepted price is found and demand at ladder price p is the weight of
//! respondents whose highest accepted price is at least p (a respondent who accepts no price
//! counts in N and never buys). A respondent who accepts a higher price after refusing a lower
//! one is *non-monotone*; the rule applied is stated by [`NonMonotone`] and such respondents are
//! counted. Without a respondent column each price is read on its own: demand(p) is the weighted
//! share of the rows at p answering "buy", times N (the largest weight shown any price).
//!
//! Revenue = p x demand and profit = (p - c) x demand - F, with demand scaled to `market_size`
//! when one is given. Reference: Gabor & Granger (1966), "Price as an indicator of quality",
//! Economica 33(129).

use super::curve::Economics;
use super::{check_positive, check_weights, weight_at};
use crate::error::{Error, Result};
use crate::table::{Column, Columns, Output, RowLog};

/// What to do with a respondent whose answers are not monotone in price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonMonotone {
    /// Highest accepted price below the lowest refused price (the conservative reading; default).
    FirstRefusal,
    /// Highest accepted price anywhere on the ladder.
    Highest,
    /// Leave the respondent out (not counted in N).
    Drop,
}

impl NonMonotone {
    /// The option's name as the Python API spells it.
    pub fn name(self) -> &'static str {
        match self {
            NonMonotone::FirstRefusal => "first_refusal",
            NonMonotone::Highest => "highest",
            NonMonotone::Drop => "drop",
        }
    }

    /// Parses `"first_refusal"`, `"highest"` or `"drop"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "first_refusal" => Ok(NonMonotone::FirstRefusal),
            "highest" => Ok(NonMonotone::Highest),
            "drop" => Ok(NonMonotone::Drop),
            o => Err(Error::parameter(
                "nonmonotone",
                format!("must be 'first_refusal', 'highest' or 'drop', got '{o}'"),
            )),
        }
    }
}

/// Gabor-Granger results per ladder price.
#[derive(Debug, Clone, PartialEq)]
pub struct GgResult {
    /// Ladder prices ascending.
    pub price: Vec<f64>,
    /// Buyers at each price (respondent weight, or scaled to the market size).
    pub buyers: Vec<f64>,
    /// Share buying.
    pub share: Vec<f64>,
    /// price x demand.
    pub revenue: Vec<f64>,
    /// (price - cost) x demand - fixed cost.
    pub profit: Vec<f64>,
    /// Index of the revenue-optimal price.
    pub revenue_optimal: Option<usize>,
    /// Index of the profit-optimal price.
    pub profit_optimal: Option<usize>,
    /// Respondents counted (or the largest weight shown a price, without respondents).
    pub n: f64,
    /// Respondents with non-monotone answers.
    pub n_nonmonotone: usize,
    /// Respondents accepting no price.
    pub n_no_purchase: usize,
    /// Each respondent's highest accepted price (NaN: none), in respondent-code order.
    pub highest_accepted: Vec<f64>,
    /// Why each respondent has (or has not) a highest accepted price, in respondent-code order:
    /// [`Status`].
    pub status: Vec<Status>,
    /// Plain statements about the data.
    pub warnings: Vec<String>,
}

/// Where a respondent stands (see [`GgResult::status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No answer in the data (an unused category): left out of the respondents table.
    NoAnswers,
    /// Accepts some price: the highest is known.
    Accepted,
    /// Refuses every price shown.
    NoPriceAccepted,
    /// Accepts a higher price after refusing a lower one; read by the rule named.
    NonMonotone(NonMonotone),
}

impl Status {
    /// The plain statement shown in the respondents table.
    pub fn label(self) -> String {
        match self {
            Status::NoAnswers => "no answers".into(),
            Status::Accepted => "accepted".into(),
            Status::NoPriceAccepted => "no price accepted".into(),
            Status::NonMonotone(NonMonotone::Drop) => "non-monotone, dropped".into(),
            Status::NonMonotone(r) => format!("non-monotone, read as {}", r.name()),
        }
    }
}

/// Gabor-Granger analysis. `respondent` holds respondent codes (`0..labels.len()`) with the
/// labels that name them in errors.
pub fn gabor_granger(
    price: &Column<f64>,
    buy: &Column<bool>,
    respondent: Option<(&Column<u32>, &[String])>,
    weights: Option<&Column<f64>>,
    econ: &Economics,
    rule: NonMonotone,
) -> Result<GgResult> {
    econ.check()?;
    if price.is_empty() {
        return Err(Error::input(&price.name, "no answers"));
    }
    check_positive(price)?;
    if let Some(w) = weights {
        check_weights(w)?;
    }
    let mut ladder: Vec<f64> = price.values.to_vec();
    ladder.sort_by(f64::total_cmp);
    ladder.dedup();
    let m = ladder.len();
    let at = |p: f64| ladder.binary_search_by(|x| x.total_cmp(&p)).unwrap_or(0);
    let mut warnings = Vec::new();
    let (raw_demand, n, n_nonmonotone, n_no_purchase, highest, status) = match respondent {
        Some((codes, labels)) => {
            let n_levels = labels.len();
            let label = |c: usize| labels.get(c).cloned().unwrap_or_else(|| c.to_string());
            // answers per respondent: (ladder index, buy), weight
            let mut answers: Vec<Vec<(usize, bool)>> = vec![Vec::new(); n_levels];
            let mut wts: Vec<Option<f64>> = vec![None; n_levels];
            for (i, c) in codes.values.iter().enumerate() {
                let c = *c as usize;
                let (Some(a), Some(wslot)) = (answers.get_mut(c), wts.get_mut(c)) else { continue };
                let p = price.values.get(i).copied().unwrap_or(0.0);
                let b = buy.values.get(i).copied().unwrap_or(false);
                a.push((at(p), b));
                let w = weight_at(weights, i);
                match wslot {
                    None => *wslot = Some(w),
                    Some(prev) if *prev != w => {
                        let name = weights.map_or("weights", |w| w.name.as_str());
                        return Err(Error::input(
                            name,
                            format!(
                                "respondent {} has different weights on different rows ({prev} and {w})",
                                label(c)
                            ),
                        ));
                    }
                    _ => {}
                }
            }
            let mut demand_at = vec![0.0; m + 1];
            let mut total = 0.0;
            let (mut nonmono, mut none) = (0usize, 0usize);
            let mut highest = vec![f64::NAN; n_levels];
            let mut status = vec![Status::NoAnswers; n_levels];
            for (r, a) in answers.iter_mut().enumerate() {
                if a.is_empty() {
                    continue;
                }
                a.sort_by_key(|(k, b)| (*k, *b));
                for w in a.windows(2) {
                    if w[0].0 == w[1].0 && w[0].1 != w[1].1 {
                        return Err(Error::input(
                            &buy.name,
                            format!(
                                "respondent {} answers both buy and no-buy at the price {}",
                                label(r),
                                ladder[w[0].0]
                            ),
                        ));
                    }
                }
                let first_refusal = a.iter().find(|(_, b)| !b).map(|(k, _)| *k);
                let top = a.iter().filter(|(_, b)| *b).map(|(k, _)| *k).max();
                let is_nonmono = matches!((first_refusal, top), (Some(f), Some(t)) if t > f);
                if is_nonmono {
                    nonmono += 1;
                }
                status[r] = if is_nonmono {
                    Status::NonMonotone(rule)
                } else if top.is_some() {
                    Status::Accepted
                } else {
                    Status::NoPriceAccepted
                };
                let wtp = match (is_nonmono, rule) {
                    (true, NonMonotone::Drop) => continue,
                    (true, NonMonotone::FirstRefusal) => {
                        a.iter().filter(|(k, b)| *b && Some(*k) < first_refusal).map(|(k, _)| *k).max()
                    }
                    _ => top,
                };
                let w = wts.get(r).copied().flatten().unwrap_or(1.0);
                total += w;
                match wtp {
                    Some(k) => {
                        demand_at[k] += w;
                        highest[r] = ladder[k];
                    }
                    None => none += 1,
                }
            }
            // respondents with highest accepted price >= p
            let mut demand = vec![0.0; m];
            let mut acc = 0.0;
            for k in (0..m).rev() {
                acc += demand_at[k];
                demand[k] = acc;
            }
            (demand, total, nonmono, none, highest, status)
        }
        None => {
            let mut shown = vec![0.0; m];
            let mut yes = vec![0.0; m];
            for (i, p) in price.values.iter().enumerate() {
                let k = at(*p);
                let w = weight_at(weights, i);
                shown[k] += w;
                if buy.values.get(i).copied().unwrap_or(false) {
                    yes[k] += w;
                }
            }
            let n = shown.iter().copied().fold(0.0, f64::max);
            let demand: Vec<f64> =
                yes.iter().zip(&shown).map(|(y, s)| if *s > 0.0 { y / s * n } else { 0.0 }).collect();
            if demand.windows(2).any(|w| w[1] > w[0]) {
                warnings.push("demand rises with price somewhere on the ladder (answers read price by price); pass respondent= to enforce one reading per respondent".into());
            }
            (demand, n, 0, 0, Vec::new(), Vec::new())
        }
    };
    if n <= 0.0 {
        return Err(Error::input(&buy.name, "no respondent left to analyse"));
    }
    if n_nonmonotone > 0 {
        warnings.push(format!(
            "{n_nonmonotone} respondent(s) accept a higher price after refusing a lower one; rule applied: nonmonotone='{}'", rule.name()
        ));
    }
    let share: Vec<f64> = raw_demand.iter().map(|d| d / n).collect();
    let scale = econ.market_size.map_or(1.0, |mkt| mkt / n);
    let demand: Vec<f64> = raw_demand.iter().map(|d| d * scale).collect();
    let sched = econ.schedule(&ladder, &demand);
    super::curve::check_finite_revenue(&price.name, &ladder, &sched.revenue)?;
    super::curve::check_finite_profit(&ladder, &sched.profit)?;
    warnings.extend(sched.warnings);
    Ok(GgResult {
        price: ladder,
        buyers: demand,
        share,
        revenue: sched.revenue,
        profit: sched.profit,
        revenue_optimal: sched.revenue_optimal,
        profit_optimal: sched.profit_optimal,
        n,
        n_nonmonotone,
        n_no_purchase,
        highest_accepted: highest,
        status,
        warnings,
    })
}

/// Gabor-Granger as an analysis output: "table" (price, buyers, share, revenue, profit) and,
/// with respondents, "respondents" (each one's highest accepted price), with the optima,
/// counts and warnings as values. `levels` are the respondent labels, in code order.
pub fn analyse(g: GgResult, levels: Option<&[String]>, rows: RowLog) -> Result<Output> {
    let table = Columns::new()
        .f64("price", g.price.iter().copied())
        .f64("buyers", g.buyers.iter().copied())
        .f64("share", g.share.iter().copied())
        .f64("revenue", g.revenue.iter().copied())
        .f64("profit", g.profit.iter().copied())
        .batch()?;
    let opt = |i: Option<usize>| i.and_then(|i| g.price.get(i).copied());
    let mut out = Output::new(rows)
        .table("table", table)
        .value("revenue_optimal_price", opt(g.revenue_optimal))
        .value("profit_optimal_price", opt(g.profit_optimal))
        .value("n", g.n)
        .value("n_nonmonotone", g.n_nonmonotone)
        .value("n_no_purchase", g.n_no_purchase);
    if let Some(levels) = levels {
        // respondents without answers (an unused category) have nothing to report
        let kept: Vec<usize> =
            (0..levels.len()).filter(|&r| g.status.get(r).is_some_and(|s| *s != Status::NoAnswers)).collect();
        let respondents = Columns::new()
            .text("respondent", kept.iter().map(|&r| levels[r].clone()))
            .f64("highest_accepted_price", kept.iter().map(|&r| g.highest_accepted[r]))
            .text("status", kept.iter().map(|&r| g.status[r].label()))
            .batch()?;
        out = out.table("respondents", respondents);
    }
    Ok(out.warn(g.warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_COST: Economics = Economics { cost: 0.0, fixed_cost: 0.0, market_size: None };

    fn labels(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("r{i}")).collect()
    }

    /// The worked example: ladder 1000..3000, 14/11/9/12/8 respondents whose highest accepted
    /// price is that price, one who accepts nothing (N = 55).
    fn worked_example() -> (Column<f64>, Column<bool>, Column<u32>, usize) {
        let ladder = [1000.0, 1500.0, 2000.0, 2500.0, 3000.0];
        let counts = [14, 11, 9, 12, 8];
        let (mut p, mut b, mut r) = (Vec::new(), Vec::new(), Vec::new());
        let mut id = 0u32;
        for (k, c) in counts.iter().enumerate() {
            for _ in 0..*c {
                for (j, price) in ladder.iter().enumerate() {
                    p.push(*price);
                    b.push(j <= k);
                    r.push(id);
                }
                id += 1;
            }
        }
        for price in ladder {
            p.push(price);
            b.push(false);
            r.push(id);
        }
        id += 1;
        (Column::new("price", p), Column::new("buy", b), Column::new("respondent", r), id as usize)
    }

    #[test]
    fn golden_worked_example() {
        let (p, b, r, n) = worked_example();
        let g = gabor_granger(&p, &b, Some((&r, &labels(n))), None, &NO_COST, NonMonotone::FirstRefusal)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(g.buyers, vec![54.0, 40.0, 29.0, 20.0, 8.0]);
        assert_eq!(g.n, 55.0);
        assert_eq!(g.revenue_optimal.map(|i| g.price[i]), Some(1500.0));
        assert_eq!(g.revenue[1], 60_000.0);
        assert_eq!(g.n_no_purchase, 1);
    }

    #[test]
    fn nonmonotone_respondents_are_counted_and_ruled() {
        let p = Column::new("price", vec![10.0, 20.0, 30.0]);
        let b = Column::new("buy", vec![true, false, true]);
        let r = Column::new("respondent", vec![0u32, 0, 0]);
        let first = gabor_granger(&p, &b, Some((&r, &labels(1))), None, &NO_COST, NonMonotone::FirstRefusal)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first.n_nonmonotone, 1);
        assert_eq!(first.buyers, vec![1.0, 0.0, 0.0]);
        let high = gabor_granger(&p, &b, Some((&r, &labels(1))), None, &NO_COST, NonMonotone::Highest)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(high.buyers, vec![1.0, 1.0, 1.0]);
        let dropped = gabor_granger(&p, &b, Some((&r, &labels(1))), None, &NO_COST, NonMonotone::Drop);
        assert!(dropped.is_err(), "nobody left");
    }

    #[test]
    fn conflicting_answers_at_one_price_are_an_input_error() {
        let p = Column::new("price", vec![10.0, 10.0]);
        let b = Column::new("buy", vec![true, false]);
        let r = Column::new("respondent", vec![0u32, 0]);
        let e = gabor_granger(&p, &b, Some((&r, &labels(1))), None, &NO_COST, NonMonotone::FirstRefusal)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("'buy'"), "{e}");
    }
}
