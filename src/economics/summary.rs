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

use std::ops::Range;

use rayon::prelude::*;

use crate::error::{Error, Result};

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

impl Summary {
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

/// Mean spend per purchase day (0 without days, NaN without amounts); days are added in order.
fn mean_spend(days: &[DayTotal], has_amount: bool) -> f64 {
    match (has_amount, days.len()) {
        (false, _) => f64::NAN,
        (true, 0) => 0.0,
        (true, r) => days.iter().map(|d| d.spend.value()).sum::<f64>() / r as f64,
    }
}

/// A sum of non-negative doubles kept exactly: non-overlapping partials in increasing magnitude
/// (Shewchuk 1997, "Adaptive precision floating-point arithmetic"; the `msum` of Python's
/// `math.fsum`), rounded once when read. Its value is the correctly rounded exact sum whatever
/// the order of the terms and of the merges. A sum past `f64::MAX` stays infinite.
#[derive(Debug, Clone, PartialEq, Default)]
struct ExactSum {
    /// The largest partial: the whole sum while it is exact in one double (the common case).
    top: f64,
    /// The smaller partials, smallest first; none (no allocation) until a sum needs them.
    /// Boxed: a thin pointer keeps a purchase day at 32 bytes (a bare Vec would make it 48).
    #[allow(clippy::box_collection)]
    low: Option<Box<Vec<f64>>>,
}

impl ExactSum {
    fn of(x: f64) -> Self {
        ExactSum { top: x, low: None }
    }

    /// Adds a finite term exactly.
    fn add(&mut self, x: f64) {
        if self.top == f64::INFINITY {
            return;
        }
        let Some(low) = self.low.as_deref_mut() else {
            // one partial: two-sum with the top, keeping the rounding error if there is one
            let (hi, lo) = two_sum(self.top, x);
            self.top = hi;
            if lo != 0.0 && hi.is_finite() {
                self.low = Some(Box::new(vec![lo]));
            }
            return;
        };
        let n = low.len();
        let mut x = x;
        let mut kept = 0;
        for j in 0..=n {
            let y = if j < n { low[j] } else { self.top };
            let (hi, lo) = two_sum(x, y);
            if lo != 0.0 {
                // kept <= j: this never overwrites a partial not yet read
                if kept < n {
                    low[kept] = lo;
                } else {
                    low.push(lo);
                }
                kept += 1;
            }
            x = hi;
        }
        low.truncate(kept);
        self.top = x;
        if self.top == f64::INFINITY || kept == 0 {
            self.low = None;
        }
    }

    /// Adds another exact sum.
    fn merge(&mut self, other: &ExactSum) {
        if other.top == f64::INFINITY {
            *self = ExactSum::of(f64::INFINITY);
            return;
        }
        for &p in other.low.iter().flat_map(|l| l.iter()) {
            self.add(p);
        }
        self.add(other.top);
    }

    /// The correctly rounded sum (round half to even), as in `math.fsum`.
    fn value(&self) -> f64 {
        let Some(low) = self.low.as_deref() else { return self.top };
        let mut hi = self.top;
        let mut lo = 0.0;
        let mut n = low.len();
        while n > 0 {
            n -= 1;
            let (x, y) = (hi, low[n]);
            hi = x + y;
            lo = y - (hi - x);
            if lo != 0.0 {
                break;
            }
        }
        // a rounding error exactly half an ulp rounds to even; the next partial down says
        // which way the true sum lies
        if n > 0 && ((lo < 0.0 && low[n - 1] < 0.0) || (lo > 0.0 && low[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if x - hi == y {
                hi = x;
            }
        }
        hi
    }
}

/// The rounded sum and its exact rounding error (Dekker's fast two-sum, after ordering the
/// terms by magnitude).
#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let (x, y) = if a.abs() < b.abs() { (b, a) } else { (a, b) };
    let hi = x + y;
    (hi, y - (hi - x))
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

/// The summary state of any subset of a transaction log, mergeable exactly with the state of
/// any other subset (see the module notes): per customer (in code order), every distinct
/// purchase day with its transaction count and exact spend.
#[derive(Debug, Clone, PartialEq)]
pub struct PartialSummary {
    /// Customer codes, increasing.
    customer: Vec<u32>,
    /// Where each customer's days end in `days` (they start where the previous one's end).
    ends: Vec<usize>,
    /// Purchase days, by customer then day.
    days: Vec<DayTotal>,
    /// The last purchase day (the default observation end); None without rows.
    last_day: Option<f64>,
    /// Transactions summarised.
    rows: usize,
    /// Built with amounts.
    has_amount: bool,
}

impl PartialSummary {
    fn empty(has_amount: bool) -> Self {
        PartialSummary { customer: vec![], ends: vec![], days: vec![], last_day: None, rows: 0, has_amount }
    }

    /// Summarises some rows of a transaction log (customer codes, days since 1970-01-01,
    /// amounts), sorted by customer and day in parallel; no rows give an empty state. `names`
    /// name the customer, date and amount columns in errors.
    pub fn from_rows(
        customer: &[u32],
        day: &[f64],
        amount: Option<&[f64]>,
        names: [&str; 3],
    ) -> Result<Self> {
        let (days, first_day, last_day) = checked_days(customer, day, amount, names)?;
        let order = sorted_rows(customer, &days, first_day, |_| true);
        let code = |k: usize| customer[order[k] as usize];
        let parts: Vec<PartialSummary> = customer_ranges(order.len(), code)
            .into_par_iter()
            .map(|r| {
                let mut p = PartialSummary::empty(amount.is_some());
                for_each_customer(r, code, |c, run| {
                    let start = p.days.len();
                    push_days(&order[run], &days, amount, &mut p.days, start);
                    p.customer.push(c);
                    p.ends.push(p.days.len());
                });
                p
            })
            .collect();
        let mut out = PartialSummary::empty(amount.is_some());
        for p in parts {
            let offset = out.days.len();
            out.customer.extend(p.customer);
            out.ends.extend(p.ends.iter().map(|e| e + offset));
            out.days.extend(p.days);
        }
        out.rows = customer.len();
        out.last_day = (out.rows > 0).then_some(last_day);
        Ok(out)
    }

    /// Customers summarised, in code order.
    pub fn customers(&self) -> &[u32] {
        &self.customer
    }

    /// Transactions summarised.
    pub fn n_rows(&self) -> usize {
        self.rows
    }

    /// Distinct (customer, purchase day) pairs held: the size of the state.
    pub fn n_days(&self) -> usize {
        self.days.len()
    }

    /// Combines the states of two disjoint subsets of one log into the state of their union,
    /// exactly: customers are united, a customer's days are united, and a day in both keeps
    /// the sum of the transaction counts and the exact sum of the spends. Commutative and
    /// associative in the [`Summary`] it finishes to. Fails when one state has amounts and the
    /// other, not empty, has none.
    pub fn merge(self, other: PartialSummary) -> Result<PartialSummary> {
        if self.rows > 0 && other.rows > 0 && self.has_amount != other.has_amount {
            return Err(Error::parameter(
                "amount",
                "cannot merge a partial summary with amounts and one without",
            ));
        }
        let has_amount = if self.rows > 0 { self.has_amount } else { other.has_amount };
        let mut out = PartialSummary::empty(has_amount);
        out.rows = self.rows + other.rows;
        out.last_day = match (self.last_day, other.last_day) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        out.customer.reserve(self.customer.len().max(other.customer.len()));
        out.days.reserve(self.days.len().max(other.days.len()));
        let (mut i, mut j) = (0, 0);
        let (mut a, mut b) = (self.days.into_iter(), other.days.into_iter());
        loop {
            let (ca, cb) = (self.customer.get(i), other.customer.get(j));
            let c = match (ca, cb) {
                (Some(&x), Some(&y)) => x.min(y),
                (Some(&x), None) => x,
                (None, Some(&y)) => y,
                (None, None) => break,
            };
            let la = take_customer(&self.customer, &self.ends, &mut i, c);
            let lb = take_customer(&other.customer, &other.ends, &mut j, c);
            merge_days(a.by_ref().take(la), b.by_ref().take(lb), &mut out.days);
            out.customer.push(c);
            out.ends.push(out.days.len());
        }
        Ok(out)
    }

    /// The [`Summary`] of the rows summarised, as [`rfm_summary`] would return it for them with
    /// the same ends, unit and names.
    pub fn finish(
        &self,
        observation_end: Option<f64>,
        calibration_end: Option<f64>,
        unit: f64,
        names: [&str; 3],
    ) -> Result<Summary> {
        let Some(last_day) = self.last_day.filter(|_| self.rows > 0) else {
            return Err(Error::input(names[0], "no transactions"));
        };
        let (end, cal) = period_ends(last_day, observation_end, calibration_end)?;
        let parts: Vec<(Summary, u64)> = customer_ranges(self.customer.len(), |k| self.customer[k])
            .into_par_iter()
            .map(|r| {
                let mut s = Summary::default();
                let mut after = 0;
                for k in r {
                    let days = &self.days[days_start(&self.ends, k)..self.ends[k]];
                    let (kept, late) = days.split_at(days.partition_point(|d| d.day <= end));
                    after += late.iter().map(|d| d.rows).sum::<u64>();
                    s.push_customer(self.customer[k], kept, cal, unit, self.has_amount);
                }
                (s, after)
            })
            .collect();
        let n_after_end = parts.iter().map(|p| p.1).sum::<u64>() as usize;
        if n_after_end == self.rows {
            return Err(Error::input(names[1], "every transaction falls after the observation end"));
        }
        Summary::assemble(parts.into_iter().map(|p| p.0).collect(), (end - cal) / unit, n_after_end, names)
    }
}

/// Where the days of the customer at position `k` start, given where each customer's end.
fn days_start(ends: &[usize], k: usize) -> usize {
    k.checked_sub(1).map_or(0, |j| ends[j])
}

/// The number of days of customer `c` when it is at position `k` (then moved past), else 0.
fn take_customer(codes: &[u32], ends: &[usize], k: &mut usize, c: u32) -> usize {
    if codes.get(*k) != Some(&c) {
        return 0;
    }
    let n = ends[*k] - days_start(ends, *k);
    *k += 1;
    n
}

/// Merges two customers' purchase days (each sorted by day) into `out`; a day in both adds up.
fn merge_days(a: impl Iterator<Item = DayTotal>, b: impl Iterator<Item = DayTotal>, out: &mut Vec<DayTotal>) {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    loop {
        let (take_a, take_b) = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => (x.day <= y.day, y.day <= x.day),
            (x, y) => (x.is_some(), y.is_some()),
        };
        let x = if take_a { a.next() } else { None };
        let y = if take_b { b.next() } else { None };
        let next = match (x, y) {
            (Some(mut x), Some(y)) => {
                x.rows += y.rows;
                x.spend.merge(&y.spend);
                x
            }
            (Some(x), None) | (None, Some(x)) => x,
            (None, None) => break,
        };
        out.push(next);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    const NAMES: [&str; 3] = ["c", "d", "a"];

    #[test]
    fn frequency_recency_t_and_repeat_spend() {
        // customer 0 buys on days 0, 0 (same day), 7, 14; customer 1 once on day 3; end day 21
        let c = [0, 0, 0, 1, 0];
        let d = [0.0, 0.5, 7.0, 3.0, 14.0];
        let a = [10.0, 5.0, 20.0, 8.0, 40.0];
        let s = rfm_summary(&c, &d, Some(&a), Some(21.0), None, 7.0, ["c", "d", "a"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.frequency, vec![2.0, 0.0]);
        assert_eq!(s.recency, vec![2.0, 0.0]);
        assert_eq!(s.t, vec![3.0, 18.0 / 7.0]);
        assert_eq!(s.monetary_value, vec![30.0, 0.0]);
    }

    #[test]
    fn calibration_and_holdout() {
        let c = [0, 0, 0, 1];
        let d = [0.0, 7.0, 20.0, 15.0];
        let a = [1.0, 2.0, 3.0, 4.0];
        let s = rfm_summary(&c, &d, Some(&a), Some(28.0), Some(14.0), 7.0, ["c", "d", "a"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.customer, vec![0]);
        assert_eq!(s.n_late_customers, 1);
        assert_eq!((s.frequency[0], s.frequency_holdout[0], s.monetary_value_holdout[0]), (1.0, 1.0, 3.0));
        assert_eq!(s.duration_holdout, 2.0);
    }

    #[test]
    fn negative_amounts_name_the_column() {
        let e = rfm_summary(&[0], &[0.0], Some(&[-1.0]), None, None, 1.0, ["c", "d", "amount"]);
        assert!(e.err().map(|e| e.to_string()).unwrap_or_default().contains("'amount'"));
        let e = PartialSummary::from_rows(&[0], &[0.0], Some(&[f64::NAN]), ["c", "d", "amount"]);
        assert!(e.err().map(|e| e.to_string()).unwrap_or_default().contains("'amount'"));
        let e = rfm_summary(&[0], &[f64::INFINITY], None, None, None, 1.0, ["c", "date", "amount"]);
        assert!(e.err().map(|e| e.to_string()).unwrap_or_default().contains("'date'"));
    }

    // ---- exact sums ----

    #[test]
    fn a_purchase_day_takes_32_bytes() {
        assert_eq!(std::mem::size_of::<DayTotal>(), 32);
    }

    #[test]
    fn tenths_add_up_to_one() {
        let mut s = ExactSum::default();
        (0..10).for_each(|_| s.add(0.1));
        assert_eq!(s.value(), 1.0);
        assert_ne!((0..10).map(|_| 0.1).sum::<f64>(), 1.0, "the naive sum is off: the test would see it");
    }

    #[test]
    fn half_way_sums_round_to_even_unless_more_lies_beyond() {
        let sum = |terms: &[f64]| {
            let mut s = ExactSum::default();
            terms.iter().for_each(|x| s.add(*x));
            s.value()
        };
        let (e52, e53) = (2f64.powi(-52), 2f64.powi(-53));
        assert_eq!(sum(&[1.0, e53]), 1.0);
        assert_eq!(sum(&[1.0 + e52, e53]), 1.0 + 2.0 * e52);
        assert_eq!(sum(&[1.0, e53, 2f64.powi(-106)]), 1.0 + e52);
        assert_eq!(sum(&[2f64.powi(-106), e53, 1.0]), 1.0 + e52);
        assert_eq!((1.0 + e53) + 2f64.powi(-106), 1.0, "the naive sum rounds down");
    }

    #[test]
    fn exact_sums_are_correctly_rounded_whatever_the_order_and_grouping() {
        // terms k 2^s with k < 2^45 and s in -30..40 are exact integers in units of 2^-30, so
        // an i128 gives the exact sum; `as f64` rounds it to nearest, ties to even
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for _ in 0..2000 {
            let n = rng.random_range(1..40);
            let terms: Vec<(i128, f64)> = (0..n)
                .map(|_| {
                    let bits: u32 = rng.random_range(1..46);
                    let k: i64 = rng.random_range(0..1i64 << bits);
                    let s: i32 = rng.random_range(-30..40);
                    (i128::from(k) << (s + 30), k as f64 * 2f64.powi(s))
                })
                .collect();
            let exact = terms.iter().map(|t| t.0).sum::<i128>() as f64 * 2f64.powi(-30);
            let mut one = ExactSum::default();
            terms.iter().for_each(|t| one.add(t.1));
            assert_eq!(one.value(), exact);
            // shuffled, cut into three, merged in another order
            let mut v: Vec<f64> = terms.iter().map(|t| t.1).collect();
            v.shuffle(&mut rng);
            let cuts = [rng.random_range(0..=n), rng.random_range(0..=n)];
            let (lo, hi) = (cuts[0].min(cuts[1]), cuts[0].max(cuts[1]));
            let part = |r: &[f64]| {
                let mut s = ExactSum::default();
                r.iter().for_each(|x| s.add(*x));
                s
            };
            let mut m = part(&v[hi..]);
            m.merge(&part(&v[..lo]));
            m.merge(&part(&v[lo..hi]));
            assert_eq!(m.value(), exact);
        }
    }

    #[test]
    fn a_sum_past_the_largest_double_is_infinite() {
        let mut s = ExactSum::of(f64::MAX);
        s.add(f64::MAX);
        s.add(1.0);
        assert_eq!(s.value(), f64::INFINITY);
        let mut t = ExactSum::of(1.0);
        t.add(1e-30);
        t.merge(&s);
        assert_eq!(t.value(), f64::INFINITY);
    }

    // ---- mergeable partial summaries ----

    /// A log of `n` customers with many same-day purchases at fractional times and amounts in
    /// cents over several magnitudes (so sums round differently in different orders).
    fn random_log(seed: u64, n: u32) -> (Vec<u32>, Vec<f64>, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (mut c, mut d, mut a) = (Vec::new(), Vec::new(), Vec::new());
        for cust in 0..n {
            let first = f64::from(rng.random_range(0..40u32));
            for _ in 0..rng.random_range(1..15) {
                c.push(cust);
                d.push(first + f64::from(rng.random_range(0..25u32)) + rng.random::<f64>());
                a.push(
                    f64::from(rng.random_range(1..100_000u32)) / 100.0 * 10f64.powi(rng.random_range(-2..4)),
                );
            }
        }
        // customer 3 buys twice on day 20, at 20.25 and 20.75, for the mid-day split
        c.extend([3, 3]);
        d.extend([20.25, 20.75]);
        a.extend([0.1, 0.2]);
        (c, d, a)
    }

    /// The f64 fields as bits (NaN equals NaN), with the customers and counts.
    fn bits(s: &Summary) -> (Vec<u32>, Vec<Vec<u64>>, u64, usize, usize) {
        let f = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
        let cols = [
            &s.frequency,
            &s.recency,
            &s.t,
            &s.monetary_value,
            &s.frequency_holdout,
            &s.monetary_value_holdout,
        ];
        (
            s.customer.clone(),
            cols.iter().map(|v| f(v)).collect(),
            s.duration_holdout.to_bits(),
            s.n_after_end,
            s.n_late_customers,
        )
    }

    /// (observation end, calibration end) pairs: defaults, a holdout, rows after the end, and
    /// ends that fall mid-day.
    const ENDS: [(Option<f64>, Option<f64>); 4] =
        [(None, None), (None, Some(30.0)), (Some(50.0), Some(20.5)), (Some(44.7), None)];

    /// Merges the states of `parts` (row lists, each in its own order) left to right.
    fn merged(log: &(Vec<u32>, Vec<f64>, Vec<f64>), parts: &[Vec<usize>], amounts: bool) -> PartialSummary {
        let state = |rows: &[usize]| {
            let c: Vec<u32> = rows.iter().map(|&i| log.0[i]).collect();
            let d: Vec<f64> = rows.iter().map(|&i| log.1[i]).collect();
            let a: Vec<f64> = rows.iter().map(|&i| log.2[i]).collect();
            PartialSummary::from_rows(&c, &d, amounts.then_some(a.as_slice()), NAMES)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        parts.iter().fold(state(&[]), |m, p| m.merge(state(p)).unwrap_or_else(|e| panic!("{e}")))
    }

    /// Every split of `parts`, with and without amounts and for every pair of ends, finishes
    /// to exactly the summary of the whole log.
    fn assert_merges_exactly(log: &(Vec<u32>, Vec<f64>, Vec<f64>), parts: &[Vec<usize>]) {
        let mut all: Vec<usize> = parts.concat();
        all.sort_unstable();
        assert_eq!(all, (0..log.0.len()).collect::<Vec<_>>(), "not a partition");
        for amounts in [true, false] {
            let state = merged(log, parts, amounts);
            assert_eq!(state.n_rows(), log.0.len());
            for (end, cal) in ENDS {
                let whole =
                    rfm_summary(&log.0, &log.1, amounts.then_some(log.2.as_slice()), end, cal, 7.0, NAMES)
                        .unwrap_or_else(|e| panic!("{e}"));
                let parts = state.finish(end, cal, 7.0, NAMES).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(bits(&parts), bits(&whole), "amounts {amounts}, ends {end:?} {cal:?}");
            }
        }
    }

    #[test]
    fn partitions_by_customer_merge_exactly() {
        let log = random_log(7, 60);
        let parts: Vec<Vec<usize>> =
            (0..3).map(|p| (0..log.0.len()).filter(|&i| log.0[i] % 3 == p).collect()).collect();
        assert_merges_exactly(&log, &parts);
    }

    #[test]
    fn partitions_by_time_merge_exactly() {
        let log = random_log(8, 60);
        // at day boundaries, and through the middle of days (20.5 splits customer 3's two
        // purchases on day 20 between the parts)
        for cut in [10.0, 20.0, 20.5, 33.5, 49.0] {
            let (before, after): (Vec<usize>, Vec<usize>) = (0..log.0.len()).partition(|&i| log.1[i] < cut);
            assert!(!before.is_empty() && !after.is_empty());
            assert_merges_exactly(&log, &[before.clone(), after.clone()]);
            assert_merges_exactly(&log, &[after, before]);
        }
    }

    #[test]
    fn random_three_way_splits_merge_exactly() {
        let log = random_log(9, 40);
        let mut rng = ChaCha8Rng::seed_from_u64(10);
        for _ in 0..30 {
            let mut rows: Vec<usize> = (0..log.0.len()).collect();
            rows.shuffle(&mut rng);
            let mut cuts = [rng.random_range(0..=rows.len()), rng.random_range(0..=rows.len())];
            cuts.sort_unstable();
            let parts = [rows[..cuts[0]].to_vec(), rows[cuts[0]..cuts[1]].to_vec(), rows[cuts[1]..].to_vec()];
            assert_merges_exactly(&log, &parts);
        }
        // and merged as a tree, right first
        let rows: Vec<usize> = (0..log.0.len()).collect();
        let (a, b, c) = (&rows[..100], &rows[100..200], &rows[200..]);
        let right = merged(&log, &[b.to_vec()], true).merge(merged(&log, &[c.to_vec()], true));
        let tree = merged(&log, &[a.to_vec()], true).merge(right.unwrap_or_else(|e| panic!("{e}")));
        let tree =
            tree.and_then(|s| s.finish(None, Some(30.0), 7.0, NAMES)).unwrap_or_else(|e| panic!("{e}"));
        let whole = rfm_summary(&log.0, &log.1, Some(&log.2), None, Some(30.0), 7.0, NAMES);
        assert_eq!(bits(&tree), bits(&whole.unwrap_or_else(|e| panic!("{e}"))));
    }

    #[test]
    fn a_day_split_between_parts_is_one_purchase() {
        // day 3 at 3.2 (1.0) and 3.7 (2.0), then days 5 (4.0) and 9 (8.0); the parts share day 3
        let (c, d, a) = ([0u32, 0, 0, 0], [3.2, 3.7, 5.0, 9.1], [1.0, 2.0, 4.0, 8.0]);
        let part = |rows: [usize; 2]| {
            let (c, d, a) = (rows.map(|i| c[i]), rows.map(|i| d[i]), rows.map(|i| a[i]));
            PartialSummary::from_rows(&c, &d, Some(&a), NAMES).unwrap_or_else(|e| panic!("{e}"))
        };
        let state = part([0, 2]).merge(part([1, 3])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(state.n_days(), 3);
        let s = state.finish(None, None, 1.0, NAMES).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.frequency[0], s.recency[0], s.t[0], s.monetary_value[0]), (2.0, 6.0, 6.0, 6.0));
        let s = state.finish(Some(12.0), Some(5.0), 1.0, NAMES).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (s.frequency[0], s.monetary_value[0], s.frequency_holdout[0], s.monetary_value_holdout[0]),
            (1.0, 4.0, 1.0, 8.0)
        );
        let s = state.finish(Some(4.0), None, 1.0, NAMES).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.frequency[0], s.n_after_end), (0.0, 2));
    }

    #[test]
    fn empty_states_merge_as_nothing_and_amounts_must_agree() {
        let log = random_log(11, 10);
        let full = merged(&log, &[(0..log.0.len()).collect()], true);
        let empty = PartialSummary::from_rows(&[], &[], None, NAMES).unwrap_or_else(|e| panic!("{e}"));
        let e = empty.finish(None, None, 7.0, NAMES).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("no transactions"), "{e}");
        let same = empty.clone().merge(full.clone()).and_then(|s| s.merge(empty));
        assert_eq!(same.as_ref().ok(), Some(&full));
        let without = merged(&log, &[(0..5).collect()], false);
        let e = full.merge(without).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("'amount'"), "{e}");
    }

    #[test]
    fn finish_checks_the_ends_as_rfm_summary_does() {
        let log = random_log(12, 10);
        let state = merged(&log, &[(0..log.0.len()).collect()], true);
        for (end, cal) in [(Some(-5.0), None), (Some(30.0), Some(30.0)), (None, Some(1e9))] {
            let whole = rfm_summary(&log.0, &log.1, Some(&log.2), end, cal, 7.0, NAMES);
            assert!(whole.is_err());
            assert_eq!(state.finish(end, cal, 7.0, NAMES).err(), whole.err());
        }
    }

    #[test]
    fn rfm_summary_matches_a_per_customer_reference() {
        // straight from the definitions: per customer, a map of day -> amounts
        let (c, d, a) = random_log(13, 200);
        for (end, cal) in ENDS {
            let s = rfm_summary(&c, &d, Some(&a), end, cal, 7.0, NAMES).unwrap_or_else(|e| panic!("{e}"));
            let end = end.unwrap_or_else(|| d.iter().fold(0.0f64, |m, x| m.max(x.floor())));
            let cal = cal.unwrap_or(end).floor();
            let mut by: BTreeMap<u32, BTreeMap<i64, f64>> = BTreeMap::new();
            for i in (0..c.len()).filter(|&i| d[i].floor() <= end) {
                *by.entry(c[i]).or_default().entry(d[i].floor() as i64).or_default() += a[i];
            }
            by.retain(|_, days| days.keys().next().is_some_and(|&f| f as f64 <= cal));
            assert_eq!(s.customer, by.keys().copied().collect::<Vec<_>>());
            for (k, days) in by.values().enumerate() {
                let calib: Vec<(f64, f64)> =
                    days.iter().filter(|(&x, _)| x as f64 <= cal).map(|(&x, &y)| (x as f64, y)).collect();
                let hold: Vec<f64> = days.iter().filter(|(&x, _)| x as f64 > cal).map(|(_, &y)| y).collect();
                let (first, last) = (calib[0].0, calib[calib.len() - 1].0);
                assert_eq!(s.frequency[k], (calib.len() - 1) as f64);
                assert_eq!(s.recency[k], (last - first) / 7.0);
                assert_eq!(s.t[k], (cal - first) / 7.0);
                assert_eq!(s.frequency_holdout[k], hold.len() as f64);
                let mean =
                    |v: &[f64]| if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
                let repeat: Vec<f64> = calib[1..].iter().map(|x| x.1).collect();
                for (got, want) in
                    [(s.monetary_value[k], mean(&repeat)), (s.monetary_value_holdout[k], mean(&hold))]
                {
                    assert!((got - want).abs() <= 1e-12 * want, "{got} {want}");
                }
            }
        }
    }
}
