//! Row bookkeeping: the missing-value policy, the rows an analysis kept and dropped, and
//! the split of rows into `by` groups.

use super::{Categorical, Column, Element};
use crate::error::{Error, Result};

/// What to do with missing values (nulls, NaN, infinities).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Raise an input error naming the column and the count.
    Raise,
    /// Drop the rows and report how many.
    Drop,
}

impl Missing {
    /// Parses `"raise"` or `"drop"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "raise" => Ok(Missing::Raise),
            "drop" => Ok(Missing::Drop),
            other => Err(Error::parameter("missing", format!("must be 'raise' or 'drop', got '{other}'"))),
        }
    }
}

/// Anything with a name and a validity mask that missing-value handling can filter.
pub trait Rows {
    /// Column name for messages.
    fn name(&self) -> &str;
    /// Row count.
    fn n_rows(&self) -> usize;
    /// Validity mask, if any row is missing.
    fn validity(&self) -> Option<&[bool]>;
    /// Keep the rows where `keep` is true.
    fn retain(&mut self, keep: &[bool]);
}

impl<T: Element> Rows for Column<T> {
    fn name(&self) -> &str {
        &self.name
    }
    fn n_rows(&self) -> usize {
        self.values.len()
    }
    fn validity(&self) -> Option<&[bool]> {
        self.valid.as_deref()
    }
    fn retain(&mut self, keep: &[bool]) {
        self.keep(keep);
    }
}

impl Rows for Categorical {
    fn name(&self) -> &str {
        &self.codes.name
    }
    fn n_rows(&self) -> usize {
        self.codes.values.len()
    }
    fn validity(&self) -> Option<&[bool]> {
        self.codes.valid.as_deref()
    }
    fn retain(&mut self, keep: &[bool]) {
        self.codes.keep(keep);
    }
}

/// Which input rows an analysis dropped, and why: the row accounting every result reports.
///
/// Positions are row numbers of the input table (0-based). Rows are dropped in stages: first
/// for missing values ([`apply_missing`]), then by an analysis's own validation, which sees
/// only the rows that survived the first stage; [`RowLog::drop_kept`] maps its positions back
/// to input positions, so the log always speaks of the caller's rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowLog {
    /// Rows in the input.
    pub n_rows: usize,
    /// Input positions and the reason each was dropped, ascending by position.
    dropped: Vec<(usize, &'static str)>,
}

/// The reason recorded for a row dropped by [`apply_missing`].
pub const MISSING: &str = "missing";

impl RowLog {
    /// A log of `n_rows` input rows, none dropped.
    pub fn new(n_rows: usize) -> Self {
        RowLog { n_rows, dropped: Vec::new() }
    }

    /// The dropped rows as (input position, reason), ascending by position.
    pub fn dropped(&self) -> &[(usize, &'static str)] {
        &self.dropped
    }

    /// Rows dropped for `reason`.
    pub fn count(&self, reason: &str) -> usize {
        self.dropped.iter().filter(|(_, r)| *r == reason).count()
    }

    /// Rows dropped for a missing value.
    pub fn n_missing(&self) -> usize {
        self.count(MISSING)
    }

    /// Rows dropped for any other reason (validation).
    pub fn n_invalid(&self) -> usize {
        self.dropped.len() - self.n_missing()
    }

    /// Rows kept.
    pub fn n_kept(&self) -> usize {
        self.n_rows - self.dropped.len()
    }

    /// Input positions of the kept rows, ascending.
    pub fn kept(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.n_kept());
        let mut next = self.dropped.iter().map(|d| d.0).peekable();
        for i in 0..self.n_rows {
            if next.peek() == Some(&i) {
                next.next();
            } else {
                out.push(i);
            }
        }
        out
    }

    /// Records rows dropped at a later stage: `positions` index the rows kept so far (the
    /// rows a core saw after the earlier stages), ascending or not; they become input
    /// positions. Positions past the kept rows are ignored. Give all of one stage's positions
    /// in one call: after it, the kept rows (and so the meaning of positions) change.
    pub fn drop_kept(&mut self, positions: &[usize], reason: &'static str) {
        if positions.is_empty() {
            return;
        }
        let kept = self.kept();
        let mut fresh: Vec<(usize, &'static str)> =
            positions.iter().filter_map(|p| kept.get(*p).map(|i| (*i, reason))).collect();
        fresh.sort_unstable_by_key(|d| d.0);
        fresh.dedup_by_key(|d| d.0);
        self.dropped.extend(fresh);
        self.dropped.sort_by_key(|d| d.0);
    }

    /// Records rows dropped at a later stage from a keep mask over the rows kept so far.
    pub fn drop_unkept(&mut self, keep: &[bool], reason: &'static str) {
        let positions: Vec<usize> = keep.iter().enumerate().filter(|(_, k)| !**k).map(|(i, _)| i).collect();
        self.drop_kept(&positions, reason);
    }

    /// Appends the log of a later part of the same input: `other`'s positions are shifted
    /// by this log's row count (for analyses that read their rows in parts).
    pub fn append(&mut self, other: &RowLog) {
        let base = self.n_rows;
        self.dropped.extend(other.dropped.iter().map(|(i, r)| (base + i, *r)));
        self.n_rows += other.n_rows;
    }
}

/// Applies the missing-value policy to the columns of one analysis together.
///
/// With [`Missing::Raise`] the first column holding a missing value is named with its count
/// and the first row. With [`Missing::Drop`] every row missing in any column is removed from
/// all of them, and the returned [`RowLog`] lists those input rows. Either way an analysis left
/// with no rows is an error.
pub fn apply_missing(columns: &mut [&mut dyn Rows], missing: Missing) -> Result<RowLog> {
    let Some(first) = columns.first() else {
        return Ok(RowLog::default());
    };
    let n = first.n_rows();
    let first_name = first.name().to_string();
    if n == 0 {
        return Err(Error::input(first_name, "the table is empty (0 rows)"));
    }
    let mut log = RowLog::new(n);
    let mut keep: Option<Vec<bool>> = None;
    for col in columns.iter() {
        if col.n_rows() != n {
            return Err(Error::input(col.name(), format!("has {} rows, expected {n}", col.n_rows())));
        }
        if let Some(valid) = col.validity() {
            let Some(first_bad) = valid.iter().position(|v| !*v) else {
                continue;
            };
            if missing == Missing::Raise {
                let bad = valid.iter().filter(|v| !**v).count();
                return Err(Error::input(
                    col.name(),
                    format!(
                        "{bad} missing value(s) (null, NaN or infinite) in {n} rows, the first at row \
                         {first_bad}; pass missing='drop' to drop those rows (the result lists them \
                         in .dropped)"
                    ),
                ));
            }
            let k = keep.get_or_insert_with(|| vec![true; n]);
            for (k, v) in k.iter_mut().zip(valid) {
                *k &= *v;
            }
        }
    }
    let Some(keep) = keep else {
        return Ok(log);
    };
    log.drop_unkept(&keep, MISSING);
    if log.n_kept() == 0 {
        return Err(Error::input(first_name, "no rows left after dropping missing values"));
    }
    for col in columns.iter_mut() {
        col.retain(&keep);
    }
    Ok(log)
}

/// Row indices of each level of a categorical column (levels with no rows are left out),
/// in level order: the one pass that `by=` arguments use to split an analysis into groups.
pub fn split_by(by: &Categorical) -> Vec<(String, Vec<usize>)> {
    let mut sizes = vec![0usize; by.levels.len()];
    for c in by.codes.values.iter() {
        if let Some(s) = sizes.get_mut(*c as usize) {
            *s += 1;
        }
    }
    let mut groups: Vec<Vec<usize>> = sizes.into_iter().map(Vec::with_capacity).collect();
    for (i, c) in by.codes.values.iter().enumerate() {
        if let Some(g) = groups.get_mut(*c as usize) {
            g.push(i);
        }
    }
    by.levels.iter().cloned().zip(groups).filter(|(_, g)| !g.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_log_maps_later_stages_to_input_positions() {
        let mut log = RowLog::new(8);
        log.drop_unkept(&[true, false, true, true, false, true, true, true], MISSING);
        assert_eq!(log.kept(), vec![0, 2, 3, 5, 6, 7]);
        // a validation stage sees the six kept rows; its rows 1 and 4 are input rows 2 and 6
        log.drop_kept(&[4, 1], "inconsistent");
        assert_eq!(log.dropped(), &[(1, MISSING), (2, "inconsistent"), (4, MISSING), (6, "inconsistent")]);
        assert_eq!((log.n_missing(), log.n_invalid(), log.n_kept()), (2, 2, 4));
        assert_eq!(log.kept(), vec![0, 3, 5, 7]);
        // out-of-range and repeated positions are ignored
        log.drop_kept(&[9, 0, 0], "x");
        assert_eq!(log.kept(), vec![3, 5, 7]);
        let mut two = RowLog::new(3);
        two.append(&log);
        assert_eq!(two.n_rows, 11);
        assert_eq!(two.dropped().first(), Some(&(3, "x")));
    }

    #[test]
    fn apply_missing_logs_every_dropped_row() {
        let mut a = Column { name: "a".into(), values: vec![1.0, 2.0, 3.0, 4.0].into(), valid: None };
        a.valid = Some(vec![true, false, true, true]);
        let mut b = Column { name: "b".into(), values: vec![1.0, 2.0, 3.0, 4.0].into(), valid: None };
        b.valid = Some(vec![true, true, true, false]);
        let err = apply_missing(&mut [&mut a.clone(), &mut b.clone()], Missing::Raise)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("'a'") && err.contains("first at row 1"), "{err}");
        let log = apply_missing(&mut [&mut a, &mut b], Missing::Drop).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(log.dropped(), &[(1, MISSING), (3, MISSING)]);
        assert_eq!(a.values.as_slice(), &[1.0, 3.0]);
        assert_eq!(b.values.as_slice(), &[1.0, 3.0]);
        let mut c = Column::new("c", vec![1.0, 2.0]);
        let log = apply_missing(&mut [&mut c], Missing::Raise).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((log.n_rows, log.dropped().len()), (2, 0));
    }
}
