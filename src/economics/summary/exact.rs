//! Exact sums of spend: Shewchuk's non-overlapping partials, rounded once when read.

use super::DayTotal;

/// Mean spend per purchase day (0 without days, NaN without amounts); days are added in order.
pub(super) fn mean_spend(days: &[DayTotal], has_amount: bool) -> f64 {
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
pub(super) struct ExactSum {
    /// The largest partial: the whole sum while it is exact in one double (the common case).
    pub(super) top: f64,
    /// The smaller partials, smallest first; none (no allocation) until a sum needs them.
    /// Boxed: a thin pointer keeps a purchase day at 32 bytes (a bare Vec would make it 48).
    #[allow(clippy::box_collection)]
    pub(super) low: Option<Box<Vec<f64>>>,
}

impl ExactSum {
    pub(super) fn of(x: f64) -> Self {
        ExactSum { top: x, low: None }
    }

    /// Adds a finite term exactly.
    pub(super) fn add(&mut self, x: f64) {
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
    pub(super) fn merge(&mut self, other: &ExactSum) {
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
    pub(super) fn value(&self) -> f64 {
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
pub(super) fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let (x, y) = if a.abs() < b.abs() { (b, a) } else { (a, b) };
    let hi = x + y;
    (hi, y - (hi - x))
}
