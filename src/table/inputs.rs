//! The one input reader: an analysis names the columns it reads and their kinds; [`Table::read`]
//! reads them (sharing Arrow's buffers where it can), applies the missing policy across all of
//! them at once, splits the rows into `by` groups and records which input rows were kept.

use super::{apply_missing, Categorical, Column, Groups, Missing, RowLog, Rows, Table};
use crate::error::{Error, Result};

/// How a column is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Numbers as `f64` (non-finite values are missing).
    Float,
    /// Numbers as `f64` without the scan for NaN and infinities (see
    /// [`Table::float_unscanned`]): for a core that rejects them itself.
    FloatUnscanned,
    /// Booleans (or 0/1).
    Flag,
    /// Labels.
    Category,
    /// Dates as days since 1970-01-01.
    Days,
}

/// The columns an analysis reads: each by name and kind, optional ones as `None`.
#[derive(Debug, Clone, Default)]
pub struct Spec<'a> {
    columns: Vec<(Option<&'a str>, Kind, bool)>,
    by: Option<&'a str>,
}

impl<'a> Spec<'a> {
    /// No columns yet.
    pub fn new() -> Self {
        Spec::default()
    }
    /// A column of kind `kind`.
    pub fn col(mut self, name: &'a str, kind: Kind) -> Self {
        self.columns.push((Some(name), kind, true));
        self
    }
    /// A column read as it is, its missing values left for the core to handle (pairwise
    /// deletion): the missing policy does not apply to it.
    pub fn pairwise(mut self, name: &'a str, kind: Kind) -> Self {
        self.columns.push((Some(name), kind, false));
        self
    }
    /// An optional column (absent when `name` is None).
    pub fn maybe(mut self, name: Option<&'a str>, kind: Kind) -> Self {
        self.columns.push((name, kind, true));
        self
    }
    /// Several columns of one kind.
    pub fn cols(mut self, names: &'a [String], kind: Kind) -> Self {
        self.columns.extend(names.iter().map(|n| (Some(n.as_str()), kind, true)));
        self
    }
    /// The `by` column the rows are split by (labels; its missing values count as missing).
    pub fn by(mut self, name: Option<&'a str>) -> Self {
        self.by = name;
        self
    }
}

/// One column as read.
#[derive(Debug, Clone)]
pub enum Read {
    /// Numbers or days.
    Float(Column<f64>),
    /// Booleans.
    Flag(Column<bool>),
    /// Labels.
    Category(Categorical),
    /// An optional column that was not given.
    Absent,
}

impl Read {
    fn rows(&mut self) -> Option<&mut dyn Rows> {
        match self {
            Read::Float(c) => Some(c),
            Read::Flag(c) => Some(c),
            Read::Category(c) => Some(c),
            Read::Absent => None,
        }
    }
}

/// The columns of one analysis after the missing policy, with its groups and row log.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The columns, in the order of the [`Spec`].
    pub columns: Vec<Read>,
    /// The `by` column, if any.
    pub by: Option<Categorical>,
    /// The rows split by `by` (one group without it).
    pub groups: Groups,
    /// Which input rows were dropped for missing values.
    pub log: RowLog,
}

fn wrong(i: usize, want: &str) -> Error {
    Error::parameter("columns", format!("internal: column {i} is not {want}"))
}

impl Inputs {
    /// Column `i` as numbers.
    pub fn float(&self, i: usize) -> Result<&Column<f64>> {
        self.maybe_float(i)?.ok_or_else(|| wrong(i, "given"))
    }
    /// Optional column `i` as numbers.
    pub fn maybe_float(&self, i: usize) -> Result<Option<&Column<f64>>> {
        match self.columns.get(i) {
            Some(Read::Float(c)) => Ok(Some(c)),
            Some(Read::Absent) => Ok(None),
            _ => Err(wrong(i, "numeric")),
        }
    }
    /// Column `i` as booleans.
    pub fn flag(&self, i: usize) -> Result<&Column<bool>> {
        match self.columns.get(i) {
            Some(Read::Flag(c)) => Ok(c),
            _ => Err(wrong(i, "a flag")),
        }
    }
    /// Optional column `i` as booleans.
    pub fn maybe_flag(&self, i: usize) -> Result<Option<&Column<bool>>> {
        match self.columns.get(i) {
            Some(Read::Flag(c)) => Ok(Some(c)),
            Some(Read::Absent) => Ok(None),
            _ => Err(wrong(i, "a flag")),
        }
    }
    /// Column `i` as labels.
    pub fn category(&self, i: usize) -> Result<&Categorical> {
        self.maybe_category(i)?.ok_or_else(|| wrong(i, "given"))
    }
    /// Optional column `i` as labels.
    pub fn maybe_category(&self, i: usize) -> Result<Option<&Categorical>> {
        match self.columns.get(i) {
            Some(Read::Category(c)) => Ok(Some(c)),
            Some(Read::Absent) => Ok(None),
            _ => Err(wrong(i, "categorical")),
        }
    }
    /// Columns `range` as booleans.
    pub fn flags(&self, range: std::ops::Range<usize>) -> Result<Vec<Column<bool>>> {
        range.map(|i| self.flag(i).cloned()).collect()
    }
    /// Column `i`, taken out (for cores that consume or rebuild their columns).
    pub fn take(&mut self, i: usize) -> Read {
        self.columns.get_mut(i).map_or(Read::Absent, |c| std::mem::replace(c, Read::Absent))
    }
}

impl Table {
    /// Reads the columns of `spec`, applies the missing policy across all of them (and `by`),
    /// and splits the kept rows into groups.
    pub fn read(&self, spec: &Spec<'_>, missing: Missing) -> Result<Inputs> {
        let mut columns = spec
            .columns
            .iter()
            .map(|(name, kind, _)| {
                let Some(name) = name else {
                    return Ok(Read::Absent);
                };
                Ok(match kind {
                    Kind::Float => Read::Float(self.float(name)?),
                    Kind::FloatUnscanned => Read::Float(self.float_unscanned(name)?),
                    Kind::Days => Read::Float(self.days(name)?),
                    Kind::Flag => Read::Flag(self.flag(name)?),
                    Kind::Category => Read::Category(self.category(name)?),
                })
            })
            .collect::<Result<Vec<Read>>>()?;
        let mut by = spec.by.map(|b| self.category(b)).transpose()?;
        let log = {
            let mut rows: Vec<&mut dyn Rows> = columns
                .iter_mut()
                .zip(&spec.columns)
                .filter(|(_, (_, _, policy))| *policy)
                .filter_map(|(c, _)| c.rows())
                .collect();
            if let Some(b) = by.as_mut() {
                rows.push(b);
            }
            if rows.is_empty() {
                RowLog::new(self.n_rows())
            } else {
                apply_missing(&mut rows, missing)?
            }
        };
        if log.n_kept() < log.n_rows {
            // pairwise columns keep their missing values but lose the rows the others dropped
            let mut keep = vec![false; log.n_rows];
            for i in log.kept() {
                if let Some(k) = keep.get_mut(i) {
                    *k = true;
                }
            }
            for (c, _) in columns.iter_mut().zip(&spec.columns).filter(|(_, (_, _, policy))| !*policy) {
                if let Some(r) = c.rows() {
                    r.retain(&keep);
                }
            }
        }
        let groups = Groups::new(by.as_ref());
        Ok(Inputs { columns, by, groups, log })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray};

    use super::*;

    #[test]
    fn one_reader_applies_the_policy_across_columns_and_groups() {
        let batch = RecordBatch::try_from_iter(vec![
            ("x", Arc::new(Float64Array::from(vec![Some(1.0), None, Some(3.0), Some(4.0)])) as ArrayRef),
            ("f", Arc::new(BooleanArray::from(vec![true, false, true, false])) as ArrayRef),
            ("g", Arc::new(StringArray::from(vec![Some("b"), Some("a"), None, Some("a")])) as ArrayRef),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let t = Table::from_batch(batch);
        let spec =
            Spec::new().col("x", Kind::Float).maybe(None, Kind::Float).col("f", Kind::Flag).by(Some("g"));
        let e = t.read(&spec, Missing::Raise).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("'x'") && e.contains("row 1"), "{e}");
        let inp = t.read(&spec, Missing::Drop).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(inp.log.dropped(), &[(1, crate::table::MISSING), (2, crate::table::MISSING)]);
        assert_eq!(inp.float(0).map(|c| c.values.to_vec()).ok(), Some(vec![1.0, 4.0]));
        assert!(matches!(inp.maybe_float(1), Ok(None)));
        assert_eq!(inp.flag(2).map(|c| c.values.to_vec()).ok(), Some(vec![true, false]));
        assert!(inp.flag(0).is_err());
        // groups over the kept rows: "a" is kept row 1 (input row 3), "b" kept row 0
        assert_eq!(inp.groups.labels(), vec!["a", "b"]);
        assert_eq!(inp.groups.parts[0].1, Some(vec![1]));
    }

    #[test]
    fn a_dictionary_with_no_values_reads_as_missing() {
        use arrow_array::types::Int32Type;
        use arrow_array::{DictionaryArray, Int32Array};
        // pandas' categorical with no categories, all null: arrow asserts on its keys
        let keys = Int32Array::from(vec![None, None, None]);
        let dict =
            DictionaryArray::<Int32Type>::try_new(keys, Arc::new(StringArray::from(Vec::<&str>::new())))
                .unwrap_or_else(|e| panic!("{e}"));
        let batch = RecordBatch::try_from_iter(vec![
            ("g", Arc::new(dict) as ArrayRef),
            ("x", Arc::new(Float64Array::from(vec![1.0, 2.0, 3.0])) as ArrayRef),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let t = Table::from_batch(batch);
        let spec = Spec::new().col("x", Kind::Float).by(Some("g"));
        let e = t.read(&spec, Missing::Raise).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("'g'"), "{e}");
        let inp = t.read(&spec, Missing::Drop);
        assert!(inp.is_err() || inp.is_ok_and(|i| i.log.dropped().len() == 3));
    }

    mod reader_never_panics {
        //! The Arrow reader under hostile columns (issue 18, item 5): any mix of types, nulls,
        //! NaN, infinities, denormals, empty and sliced arrays read as any kind, under either
        //! missing policy, gives columns or a named error, never a panic.
        use std::sync::Arc;

        use arrow_array::types::Int32Type;
        use arrow_array::{
            ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int64Array, LargeStringArray,
            RecordBatch, StringArray, TimestampSecondArray,
        };
        use proptest::prelude::*;

        use super::*;

        fn value() -> impl Strategy<Value = Option<f64>> {
            prop_oneof![
                4 => (-1e6f64..1e6).prop_map(Some),
                1 => Just(Some(f64::NAN)),
                1 => Just(Some(f64::INFINITY)),
                1 => Just(Some(f64::NEG_INFINITY)),
                1 => Just(Some(5e-324)),
                1 => Just(Some(1.7e308)),
                2 => Just(None),
            ]
        }

        fn array(values: &[Option<f64>], kind: u8) -> ArrayRef {
            let text =
                |v: &Option<f64>| v.map(|x| if x.is_finite() { format!("{x}") } else { "\u{d7ff}x".into() });
            match kind % 8 {
                0 => Arc::new(Float64Array::from(values.to_vec())),
                1 => {
                    Arc::new(Int64Array::from(values.iter().map(|v| v.map(|x| x as i64)).collect::<Vec<_>>()))
                }
                2 => Arc::new(BooleanArray::from(
                    values.iter().map(|v| v.map(|x| x > 0.0)).collect::<Vec<_>>(),
                )),
                3 => Arc::new(StringArray::from(values.iter().map(text).collect::<Vec<_>>())),
                4 => Arc::new(LargeStringArray::from(values.iter().map(text).collect::<Vec<_>>())),
                5 => {
                    let labels: Vec<Option<String>> =
                        values.iter().map(|v| v.map(|x| format!("L{}", x.abs() as i64 % 3))).collect();
                    Arc::new(labels.iter().map(|v| v.as_deref()).collect::<DictionaryArray<Int32Type>>())
                }
                6 => Arc::new(Date32Array::from(
                    values.iter().map(|v| v.map(|x| x as i32)).collect::<Vec<_>>(),
                )),
                _ => Arc::new(TimestampSecondArray::from(
                    values.iter().map(|v| v.map(|x| (x * 86_400.0) as i64)).collect::<Vec<_>>(),
                )),
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]
            #[test]
            fn any_column_read_as_any_kind_is_a_column_or_a_named_error(
                a in proptest::collection::vec(value(), 0..40),
                b in proptest::collection::vec(value(), 0..40),
                ka in 0u8..8,
                kb in 0u8..8,
                read_as in 0u8..5,
                drop in any::<bool>(),
                offset in 0usize..5,
            ) {
                let n = a.len().min(b.len());
                let batch = RecordBatch::try_from_iter(vec![
                    ("a", array(&a[..n], ka)),
                    ("b", array(&b[..n], kb)),
                ]);
                let Ok(batch) = batch else { return Ok(()) };
                let batch = batch.slice(offset.min(n), n - offset.min(n));
                let kind = [Kind::Float, Kind::Flag, Kind::Category, Kind::Days, Kind::FloatUnscanned][read_as as usize];
                let t = Table::from_batch(batch);
                let spec = Spec::new().col("a", kind).col("b", Kind::Float).by(Some("b"));
                let missing = if drop { Missing::Drop } else { Missing::Raise };
                match t.read(&spec, missing) {
                    Ok(inp) => prop_assert!(inp.log.dropped().len() <= n),
                    Err(e) => {
                        let m = e.to_string();
                        prop_assert!(m.contains("'a'") || m.contains("'b'"), "{m}");
                    }
                }
            }
        }
    }
}
