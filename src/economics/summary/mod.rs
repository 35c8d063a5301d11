//! Per-customer summaries of a transaction log: frequency, recency, T and mean repeat spend,
//! optionally split into a calibration and a holdout period.
//!
//! Purchases on the same calendar day are one purchase (their amounts add up). With first
//! purchase day f, last purchase day l and observation end E, in time units of `unit` days:
//! frequency = distinct purchase days - 1 (repeat purchases), recency = (l - f) / unit,
//! T = (E - f) / unit, monetary_value = mean spend of the repeat purchase days (0 without
//! repeats). These are the sufficient statistics of the BG/NBD, Pareto/NBD and Gamma-Gamma
//! models.
//!
//! # Mergeable summaries
//!
//! [`PartialSummary::from_rows`] summarises any subset of a log; [`PartialSummary::merge`]
//! combines two, and [`PartialSummary::finish`] turns the result into the [`Summary`] that
//! [`rfm_summary`] returns for the whole log, bit for bit, for ANY partition of the rows: by
//! customer, by time (even through the middle of a day) or at random. [`rfm_summary`] itself is
//! this path without the intermediate state: rows sorted by (customer, day), customers
//! summarised in parallel, through the same code.
//!
//! The state keeps, per customer, every distinct purchase day with its transaction count and
//! its spend. A fixed-size state (first and last day, day count, spend sums) is exact only when
//! no day is split between parts: two parts that both hold purchases on day d would count d
//! twice and could not tell which part's first day is the customer's. Days are what make it
//! exact, and nothing smaller is: merging must know whether the other part's days are new.
//! Observation and calibration ends are applied by `finish`, so one state serves any split.
//!
//! Spend sums are exact too: each day's spend is kept as a sum of non-overlapping doubles
//! (Shewchuk's expansion, as in Python's `math.fsum`) and rounded once, so a day's spend is the
//! correctly rounded sum of its amounts whichever part each amount came from and in whatever
//! order the parts merge (plain `a + b + c` would differ between partitions in the last bit).
//! Across days, spends are added in day order, which every partition shares.
//!
//! Memory: 32 bytes per distinct (customer, purchase day) plus 12 bytes per customer; a day
//! whose spend is not exactly one double (several amounts in cents on one day, say) also holds
//! a heap list of 8 bytes per further partial (one or two in practice, at most about 40), plus
//! 40 bytes of list overhead. Against the rows it summarises (16-20 bytes each: customer code,
//! date, amount) a partial is about 1.6-2x larger when customers buy at most once a day and
//! smaller when they buy often on the same day; it is the price of exactness for arbitrary
//! partitions (a by-customer partition could keep 5 numbers per customer instead). Merging two
//! partials is one linear pass over both.

mod exact;
mod partial;
mod state;
#[cfg(test)]
mod tests;

pub use partial::PartialSummary;
pub use state::Keys;

use std::ops::Range;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::table::{categorical_array, i64_array, Columns, Output, RowLog};

use exact::*;

/// Days in one time unit: "D" 1, "W" 7, "M" 365.25 / 12, "Y" 365.25.
pub fn unit_days(unit: &str) -> Result<f64> {
    match unit {
        "D" => Ok(1.0),
        "W" => Ok(7.0),
        "M" => Ok(365.25 / 12.0),
        "Y" => Ok(365.25),
        o => Err(Error::parameter("time_unit", format!("must be 'D', 'W', 'M' or 'Y', got '{o}'"))),
    }
}

/// The summary table, one row per customer (in customer-code order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    /// Customer codes.
    pub customer: Vec<u32>,
    /// Repeat purchases (calibration period when split).
    pub frequency: Vec<f64>,
    /// Time from first to last purchase.
    pub recency: Vec<f64>,
    /// Time from first purchase to the (calibration) end.
    pub t: Vec<f64>,
    /// Mean spend of repeat purchase days (NaN without amounts).
    pub monetary_value: Vec<f64>,
    /// Purchases in the holdout period.
    pub frequency_holdout: Vec<f64>,
    /// Mean spend in the holdout period (0 without purchases there).
    pub monetary_value_holdout: Vec<f64>,
    /// Holdout length in time units.
    pub duration_holdout: f64,
    /// Transactions after the observation end, left out.
    pub n_after_end: usize,
    /// Customers whose first purchase falls after the calibration end, left out.
    pub n_late_customers: usize,
}

/// The customers of a summary as a column: ids from an integer column stay integers (the
/// labels of an integer column are its numbers), anything else is categorical.
fn customer_array(codes: &[u32], levels: &[String], integer: bool) -> Result<arrow_array::ArrayRef> {
    let numbers: Option<Vec<i64>> =
        if integer { levels.iter().map(|l| l.parse::<i64>().ok()).collect() } else { None };
    match numbers {
        Some(ids) => {
            Ok(i64_array(codes.iter().map(|c| ids.get(*c as usize).copied().unwrap_or(0)).collect()))
        }
        None => categorical_array(codes.to_vec(), levels),
    }
}

impl Summary {
    /// The summary as an analysis output: table "table" with the customer column (named
    /// `customer`, labelled by `levels`), frequency, recency, T and monetary_value (with
    /// `holdout`, frequency_holdout, monetary_value_holdout and duration_holdout), and the
    /// counts of transactions and customers left out.
    pub fn output(
        &self,
        customer: &str,
        levels: &[String],
        integer_ids: bool,
        holdout: bool,
        rows: RowLog,
    ) -> Result<Output> {
        let mut cols = Columns::new()
            .array(customer, customer_array(&self.customer, levels, integer_ids)?)
            .f64("frequency", self.frequency.iter().copied())
            .f64("recency", self.recency.iter().copied())
            .f64("T", self.t.iter().copied())
            .f64("monetary_value", self.monetary_value.iter().copied());
        if holdout {
            cols = cols
                .f64("frequency_holdout", self.frequency_holdout.iter().copied())
                .f64("monetary_value_holdout", self.monetary_value_holdout.iter().copied())
                .f64("duration_holdout", self.customer.iter().map(|_| self.duration_holdout));
        }
        Ok(Output::new(rows)
            .table("table", cols.batch()?)
            .value("n_after_end", self.n_after_end)
            .value("n_late_customers", self.n_late_customers))
    }
    /// Adds a customer's row from its purchase days (sorted, distinct, none after the
    /// observation end), or counts the customer as late when its first purchase falls after the
    /// calibration end `cal`. No days, no row.
    fn push_customer(&mut self, customer: u32, days: &[DayTotal], cal: f64, unit: f64, has_amount: bool) {
        let Some(first) = days.first().map(|d| d.day) else { return };
        if first > cal {
            self.n_late_customers += 1;
            return;
        }
        let (calib, hold) = days.split_at(days.partition_point(|d| d.day <= cal));
        let last = calib.last().map_or(first, |d| d.day);
        let repeats = calib.get(1..).unwrap_or_default();
        self.customer.push(customer);
        self.frequency.push(repeats.len() as f64);
        self.recency.push((last - first) / unit);
        self.t.push((cal - first) / unit);
        self.monetary_value.push(mean_spend(repeats, has_amount));
        self.frequency_holdout.push(hold.len() as f64);
        self.monetary_value_holdout.push(mean_spend(hold, has_amount));
    }

    /// Appends the rows of a summary of later customers.
    fn append(&mut self, other: Summary) {
        self.customer.extend(other.customer);
        self.frequency.extend(other.frequency);
        self.recency.extend(other.recency);
        self.t.extend(other.t);
        self.monetary_value.extend(other.monetary_value);
        self.frequency_holdout.extend(other.frequency_holdout);
        self.monetary_value_holdout.extend(other.monetary_value_holdout);
        self.n_late_customers += other.n_late_customers;
    }

    /// Joins the summaries of consecutive customer ranges.
    fn assemble(
        parts: Vec<Summary>,
        duration_holdout: f64,
        n_after_end: usize,
        names: [&str; 3],
    ) -> Result<Summary> {
        let n = parts.iter().map(|p| p.customer.len()).sum::<usize>();
        let mut parts = parts.into_iter();
        let mut s = parts.next().unwrap_or_default();
        if parts.len() > 0 {
            let more = n - s.customer.len();
            s.customer.reserve(more);
            for v in [
                &mut s.frequency,
                &mut s.recency,
                &mut s.t,
                &mut s.monetary_value,
                &mut s.frequency_holdout,
                &mut s.monetary_value_holdout,
            ] {
                v.reserve(more);
            }
            parts.for_each(|p| s.append(p));
        }
        if s.customer.is_empty() {
            return Err(Error::input(names[1], "no customer made a purchase by the calibration end"));
        }
        s.duration_holdout = duration_holdout;
        s.n_after_end = n_after_end;
        Ok(s)
    }
}

/// One purchase day of one customer: the day, its transactions and their spend.
#[derive(Debug, Clone, PartialEq)]
struct DayTotal {
    // 32 bytes, as the module notes say (checked in a test)
    day: f64,
    rows: u64,
    spend: ExactSum,
}

/// Appends one customer's rows (sorted by day) to `out` as purchase days; a row on the day of
/// the last entry at or after `start` joins it.
fn push_days(rows: &[u32], days: &[f64], amount: Option<&[f64]>, out: &mut Vec<DayTotal>, start: usize) {
    for &i in rows {
        let i = i as usize;
        let spend = amount.map_or(0.0, |a| a[i]);
        match out[start..].last_mut() {
            Some(t) if t.day == days[i] => {
                t.rows += 1;
                t.spend.add(spend);
            }
            _ => out.push(DayTotal { day: days[i], rows: 1, spend: ExactSum::of(spend) }),
        }
    }
}

/// Checks the columns and floors the days to calendar days; returns them with their minimum
/// and maximum.
fn checked_days(
    customer: &[u32],
    day: &[f64],
    amount: Option<&[f64]>,
    names: [&str; 3],
) -> Result<(Vec<f64>, f64, f64)> {
    let n = customer.len();
    if day.len() != n || amount.is_some_and(|a| a.len() != n) {
        return Err(Error::input(names[1], "customer, date and amount columns differ in length"));
    }
    if u32::try_from(n).is_err() {
        return Err(Error::input(
            names[0],
            format!("{n} transactions is over 2^32 - 1: summarise parts with PartialSummary and merge them"),
        ));
    }
    if let Some(a) = amount {
        if let Some(i) = a.par_iter().position_first(|v| *v < 0.0 || !v.is_finite()) {
            return Err(Error::input(
                names[2],
                format!("amounts must be non-negative and finite; row {i} holds {}", a[i]),
            ));
        }
    }
    if let Some(i) = day.par_iter().position_first(|v| !v.is_finite()) {
        return Err(Error::input(names[1], format!("dates must be finite; row {i} holds {}", day[i])));
    }
    // + 0.0 turns -0.0 into 0.0, so equal days have equal bits
    let days: Vec<f64> = day.par_iter().map(|d| d.floor() + 0.0).collect();
    let (lo, hi) = days
        .par_iter()
        .fold(|| (f64::INFINITY, f64::NEG_INFINITY), |(l, h), &d| (l.min(d), h.max(d)))
        .reduce(|| (f64::INFINITY, f64::NEG_INFINITY), |a, b| (a.0.min(b.0), a.1.max(b.1)));
    if hi - lo > f64::from(u32::MAX) {
        return Err(Error::input(names[1], format!("dates span {} days, more than 2^32 - 1", hi - lo)));
    }
    Ok((days, lo, hi))
}

/// The observation end (given, or the last purchase day) and the calibration end (given, or
/// the observation end), as whole days.
fn period_ends(
    last_day: f64,
    observation_end: Option<f64>,
    calibration_end: Option<f64>,
) -> Result<(f64, f64)> {
    let end = observation_end.map_or(last_day, f64::floor);
    if let Some(c) = calibration_end {
        if c.floor() >= end {
            return Err(Error::parameter("calibration_end", "must fall before the observation end"));
        }
    }
    Ok((end, calibration_end.map_or(end, f64::floor)))
}

/// Indices of the rows whose day passes `keep`, sorted by (customer, day, row), through one
/// u64 key per row: customer code in the high bits, the day (offset by `first_day` to be
/// non-negative; the span is checked to fit) in the low ones.
fn sorted_rows(
    customer: &[u32],
    days: &[f64],
    first_day: f64,
    keep: impl Fn(f64) -> bool + Sync,
) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = (0..days.len())
        .into_par_iter()
        .filter(|&i| keep(days[i]))
        .map(|i| ((u64::from(customer[i]) << 32) | (days[i] - first_day) as u64, i as u32))
        .collect();
    keyed.par_sort_unstable();
    keyed.into_par_iter().map(|(_, i)| i).collect()
}

/// Splits `0..n` into ranges for parallel work, never between two positions of one customer
/// (`code(k)` is position k's customer; equal codes are adjacent).
fn customer_ranges(n: usize, code: impl Fn(usize) -> u32) -> Vec<Range<usize>> {
    let step = n.div_ceil(rayon::current_num_threads() * 8).max(4096);
    let mut out = Vec::new();
    let mut start = 0;
    while start < n {
        let mut end = (start + step).min(n);
        while end < n && code(end) == code(end - 1) {
            end += 1;
        }
        out.push(start..end);
        start = end;
    }
    out
}

/// Calls `f(customer, positions)` for each customer's run of positions in `r`.
fn for_each_customer(r: Range<usize>, code: impl Fn(usize) -> u32, mut f: impl FnMut(u32, Range<usize>)) {
    let mut k = r.start;
    while k < r.end {
        let c = code(k);
        let start = k;
        while k < r.end && code(k) == c {
            k += 1;
        }
        f(c, start..k);
    }
}

/// Summarises transactions: customer codes, days since 1970-01-01 and amounts.
///
/// The same [`Summary`] as [`PartialSummary::from_rows`] then [`PartialSummary::finish`], bit
/// for bit, without keeping the intermediate state (and leaving out rows after the end before
/// sorting).
pub fn rfm_summary(
    customer: &[u32],
    day: &[f64],
    amount: Option<&[f64]>,
    observation_end: Option<f64>,
    calibration_end: Option<f64>,
    unit: f64,
    names: [&str; 3],
) -> Result<Summary> {
    if customer.is_empty() {
        return Err(Error::input(names[0], "no transactions"));
    }
    let (days, first_day, last_day) = checked_days(customer, day, amount, names)?;
    let (end, cal) = period_ends(last_day, observation_end, calibration_end)?;
    let order = sorted_rows(customer, &days, first_day, |d| d <= end);
    let n_after_end = customer.len() - order.len();
    if order.is_empty() {
        return Err(Error::input(names[1], "every transaction falls after the observation end"));
    }
    let code = |k: usize| customer[order[k] as usize];
    let parts: Vec<Summary> = customer_ranges(order.len(), code)
        .into_par_iter()
        .map(|r| {
            let mut s = Summary::default();
            let mut scratch = Vec::new();
            for_each_customer(r, code, |c, run| {
                scratch.clear();
                push_days(&order[run], &days, amount, &mut scratch, 0);
                s.push_customer(c, &scratch, cal, unit, amount.is_some());
            });
            s
        })
        .collect();
    Summary::assemble(parts, (end - cal) / unit, n_after_end, names)
}
