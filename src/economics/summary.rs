//! Per-customer summaries of a transaction log: frequency, recency, T and mean repeat spend,
//! optionally split into a calibration and a holdout period.
//!
//! Purchases on the same calendar day are one purchase (their amounts add up). With first
//! purchase day f, last purchase day l and observation end E, in time units of `unit` days:
//! frequency = distinct purchase days - 1 (repeat purchases), recency = (l - f) / unit,
//! T = (E - f) / unit, monetary_value = mean spend of the repeat purchase days (0 without
//! repeats). These are the sufficient statistics of the BG/NBD, Pareto/NBD and Gamma-Gamma
//! models. Per-customer partial summaries of a log partitioned by customer combine exactly.

use rayon::prelude::*;

use crate::error::{Error, Result};

/// Purchase days with the spend on each.
type DaySpend = Vec<(f64, f64)>;

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

/// Summarises transactions: customer codes, days since 1970-01-01 and amounts.
pub fn rfm_summary(
    customer: &[u32],
    day: &[f64],
    amount: Option<&[f64]>,
    observation_end: Option<f64>,
    calibration_end: Option<f64>,
    unit: f64,
    names: [&str; 3],
) -> Result<Summary> {
    let n = customer.len();
    if n == 0 {
        return Err(Error::input(names[0], "no transactions"));
    }
    if let Some(a) = amount {
        if let Some((i, v)) = a.iter().enumerate().find(|(_, v)| **v < 0.0) {
            return Err(Error::input(names[2], format!("amounts must be non-negative; row {i} holds {v}")));
        }
    }
    let days: Vec<f64> = day.iter().map(|d| d.floor()).collect();
    let end = observation_end
        .map(f64::floor)
        .unwrap_or_else(|| days.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    if let Some(c) = calibration_end {
        if c.floor() >= end {
            return Err(Error::parameter("calibration_end", "must fall before the observation end"));
        }
    }
    // sort by (customer, day) through one u64 key per transaction: customer code in the high
    // bits, the day (offset to be non-negative) in the low ones
    let first_day = days.iter().copied().fold(f64::INFINITY, f64::min);
    let mut keyed: Vec<(u64, u32)> = (0..n)
        .filter(|i| days[*i] <= end)
        .map(|i| ((u64::from(customer[i]) << 32) | ((days[i] - first_day) as u64 & 0xffff_ffff), i as u32))
        .collect();
    let n_after_end = n - keyed.len();
    if keyed.is_empty() {
        return Err(Error::input(names[1], "every transaction falls after the observation end"));
    }
    keyed.par_sort_unstable();
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i as usize).collect();
    let cal = calibration_end.map(f64::floor).unwrap_or(end);
    let mut s = Summary { duration_holdout: (end - cal) / unit, n_after_end, ..Summary::default() };
    let mut k = 0;
    while k < order.len() {
        let c = customer[order[k]];
        // this customer's purchase days with spend per day
        let mut per_day: Vec<(f64, f64)> = Vec::new();
        while k < order.len() && customer[order[k]] == c {
            let i = order[k];
            let spend = amount.map_or(0.0, |a| a[i]);
            match per_day.last_mut() {
                Some((d, total)) if *d == days[i] => *total += spend,
                _ => per_day.push((days[i], spend)),
            }
            k += 1;
        }
        let Some(&(first, _)) = per_day.first() else { continue };
        if first > cal {
            s.n_late_customers += 1;
            continue;
        }
        let (calib, hold): (DaySpend, DaySpend) = per_day.iter().partition(|(d, _)| *d <= cal);
        let last = calib.last().map_or(first, |x| x.0);
        let repeats = &calib[1..];
        s.customer.push(c);
        s.frequency.push(repeats.len() as f64);
        s.recency.push((last - first) / unit);
        s.t.push((cal - first) / unit);
        s.monetary_value.push(match (amount, repeats.len()) {
            (None, _) => f64::NAN,
            (Some(_), 0) => 0.0,
            (Some(_), r) => repeats.iter().map(|x| x.1).sum::<f64>() / r as f64,
        });
        s.frequency_holdout.push(hold.len() as f64);
        s.monetary_value_holdout.push(match (amount, hold.len()) {
            (None, _) => f64::NAN,
            (Some(_), 0) => 0.0,
            (Some(_), h) => hold.iter().map(|x| x.1).sum::<f64>() / h as f64,
        });
    }
    if s.customer.is_empty() {
        return Err(Error::input(names[1], "no customer made a purchase by the calibration end"));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
