//! The mergeable summary state of any subset of a transaction log.

use rayon::prelude::*;

use crate::error::{Error, Result};

use super::*;

/// The summary state of any subset of a transaction log, mergeable exactly with the state of
/// any other subset (see the module notes): per customer (in code order), every distinct
/// purchase day with its transaction count and exact spend.
#[derive(Debug, Clone, PartialEq)]
pub struct PartialSummary {
    /// Customer codes, increasing.
    pub(super) customer: Vec<u32>,
    /// Where each customer's days end in `days` (they start where the previous one's end).
    pub(super) ends: Vec<usize>,
    /// Purchase days, by customer then day.
    pub(super) days: Vec<DayTotal>,
    /// The last purchase day (the default observation end); None without rows.
    pub(super) last_day: Option<f64>,
    /// Transactions summarised.
    pub(super) rows: usize,
    /// Built with amounts.
    pub(super) has_amount: bool,
}

impl PartialSummary {
    pub(super) fn empty(has_amount: bool) -> Self {
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
pub(super) fn days_start(ends: &[usize], k: usize) -> usize {
    k.checked_sub(1).map_or(0, |j| ends[j])
}

/// The number of days of customer `c` when it is at position `k` (then moved past), else 0.
pub(super) fn take_customer(codes: &[u32], ends: &[usize], k: &mut usize, c: u32) -> usize {
    if codes.get(*k) != Some(&c) {
        return 0;
    }
    let n = ends[*k] - days_start(ends, *k);
    *k += 1;
    n
}

/// Merges two customers' purchase days (each sorted by day) into `out`; a day in both adds up.
pub(super) fn merge_days(
    a: impl Iterator<Item = DayTotal>,
    b: impl Iterator<Item = DayTotal>,
    out: &mut Vec<DayTotal>,
) {
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
