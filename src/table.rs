//! Typed column views the cores take, and the one place Arrow columns become them.
//!
//! Every core works on plain vectors (`Column<f64>`, `Categorical`, ...) so it can be tested
//! without Arrow or Python. [`Table`] reads Arrow record batches (as handed over by the binding
//! layer through the Arrow PyCapsule interface) into those views, honouring the validity bitmap:
//! a null, or a non-finite number, is a missing value. [`apply_missing`] then applies the
//! caller's policy (`raise` or `drop`) across all the columns of one analysis at once.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Deref;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float16Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
    UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int64Array, RecordBatch,
    StringArray,
};
use arrow_buffer::ScalarBuffer;
use arrow_schema::{DataType, SchemaRef, TimeUnit};

use crate::error::{Error, Result};

/// A value type a [`Column`] can hold, with the buffer it can share with Arrow without a copy.
pub trait Element: Clone + PartialEq + std::fmt::Debug + Send + Sync {
    /// A zero-copy view of an Arrow values buffer (`Vec<Self>` where Arrow's layout differs,
    /// as for bit-packed booleans, so nothing is ever shared).
    type Shared: Clone + std::fmt::Debug + Deref<Target = [Self]> + Send + Sync;
}

impl Element for f64 {
    type Shared = ScalarBuffer<f64>;
}

impl Element for u32 {
    type Shared = ScalarBuffer<u32>;
}

impl Element for bool {
    type Shared = Vec<bool>;
}

/// A column's values: owned, or a view of the caller's Arrow buffer (no copy, kept alive by a
/// reference count). Either way it reads as a slice.
#[derive(Clone, Debug)]
pub enum Values<T: Element> {
    /// Values this crate allocated.
    Owned(Vec<T>),
    /// The values buffer of a single-chunk Arrow array, shared.
    Shared(T::Shared),
}

impl<T: Element> Values<T> {
    /// The values as a slice.
    #[inline(always)]
    pub fn as_slice(&self) -> &[T] {
        match self {
            Values::Owned(v) => v,
            Values::Shared(s) => s,
        }
    }

    /// The values as an owned vector (a copy only when shared).
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Values::Owned(v) => v,
            Values::Shared(s) => s.to_vec(),
        }
    }
}

impl<T: Element> Deref for Values<T> {
    type Target = [T];
    #[inline(always)]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: Element> From<Vec<T>> for Values<T> {
    fn from(v: Vec<T>) -> Self {
        Values::Owned(v)
    }
}

impl<T: Element> FromIterator<T> for Values<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Values::Owned(iter.into_iter().collect())
    }
}

impl<'a, T: Element> IntoIterator for &'a Values<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<T: Element> PartialEq for Values<T> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Element> PartialEq<Vec<T>> for Values<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

/// One column of values with its validity (`None`: every row is valid).
#[derive(Debug, Clone, PartialEq)]
pub struct Column<T: Element> {
    /// The column's name, used in every error message about it.
    pub name: String,
    /// One value per row; the value of a missing row is unspecified.
    pub values: Values<T>,
    /// `valid[i]` is false where row `i` is missing.
    pub valid: Option<Vec<bool>>,
}

/// A categorical column: codes into `levels`.
#[derive(Debug, Clone, PartialEq)]
pub struct Categorical {
    /// Codes (`0..levels.len()`) with validity.
    pub codes: Column<u32>,
    /// The level labels, in the order of the codes.
    pub levels: Vec<String>,
}

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

impl<T: Element> Column<T> {
    /// A column with every row valid.
    pub fn new(name: impl Into<String>, values: Vec<T>) -> Self {
        Column { name: name.into(), values: Values::Owned(values), valid: None }
    }
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.values.len()
    }
    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
    /// Number of missing rows.
    pub fn n_missing(&self) -> usize {
        self.valid.as_ref().map_or(0, |v| v.iter().filter(|ok| !**ok).count())
    }
    fn keep(&mut self, keep: &[bool]) {
        self.values = self.values.iter().zip(keep).filter(|(_, k)| **k).map(|(v, _)| v.clone()).collect();
        self.valid = None;
    }
}

/// The first index whose value satisfies `hit`. Blocks of 256 are tested without an early exit,
/// so the test vectorises; only the block holding a hit is searched element by element.
pub fn first_where(values: &[f64], hit: impl Fn(f64) -> bool) -> Option<usize> {
    const BLOCK: usize = 256;
    values.chunks(BLOCK).enumerate().find_map(|(b, block)| {
        if block.iter().fold(0u8, |any, v| any | u8::from(hit(*v))) != 0 {
            block.iter().position(|v| hit(*v)).map(|i| b * BLOCK + i)
        } else {
            None
        }
    })
}

/// True when some value is NaN or infinite; long columns
/// are scanned by all threads, since one thread cannot use the memory bandwidth.
fn any_non_finite(values: &[f64]) -> bool {
    use rayon::prelude::*;
    values.par_chunks(1 << 16).any(|c| first_where(c, |v| !finite(v)).is_some())
}

/// `v.is_finite()` as float arithmetic (`v - v` is 0 exactly for finite `v`, NaN otherwise), which
/// vectorises where the standard test becomes integer bit operations.
#[inline(always)]
#[allow(clippy::eq_op)]
pub fn finite(v: f64) -> bool {
    v - v == 0.0
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

/// Applies the missing-value policy to the columns of one analysis together.
///
/// With [`Missing::Raise`] the first column holding a missing value is named with its count.
/// With [`Missing::Drop`] every row missing in any column is removed from all of them, and the
/// number of dropped rows is returned. Either way an analysis left with no rows is an error.
pub fn apply_missing(columns: &mut [&mut dyn Rows], missing: Missing) -> Result<usize> {
    let Some(first) = columns.first() else {
        return Ok(0);
    };
    let n = first.n_rows();
    let first_name = first.name().to_string();
    if n == 0 {
        return Err(Error::input(first_name, "the table is empty (0 rows)"));
    }
    let mut keep = vec![true; n];
    let mut any = false;
    for col in columns.iter() {
        if col.n_rows() != n {
            return Err(Error::input(col.name(), format!("has {} rows, expected {n}", col.n_rows())));
        }
        if let Some(valid) = col.validity() {
            let bad = valid.iter().filter(|v| !**v).count();
            if bad > 0 {
                if missing == Missing::Raise {
                    return Err(Error::input(
                        col.name(),
                        format!(
                            "{bad} missing value(s) (null, NaN or infinite) in {n} rows; \
                             pass missing='drop' to drop those rows"
                        ),
                    ));
                }
                any = true;
                for (k, v) in keep.iter_mut().zip(valid) {
                    *k &= *v;
                }
            }
        }
    }
    if !any {
        return Ok(0);
    }
    let kept = keep.iter().filter(|k| **k).count();
    if kept == 0 {
        return Err(Error::input(first_name, "no rows left after dropping missing values"));
    }
    for col in columns.iter_mut() {
        col.retain(&keep);
    }
    Ok(n - kept)
}

/// A table of Arrow record batches, read column by column into typed views.
#[derive(Debug, Clone)]
pub struct Table {
    batches: Vec<RecordBatch>,
    schema: SchemaRef,
}

fn type_name(dt: &DataType) -> String {
    format!("{dt}")
}

impl Table {
    /// Wraps record batches sharing `schema`.
    pub fn new(batches: Vec<RecordBatch>, schema: SchemaRef) -> Self {
        Table { batches, schema }
    }

    /// Builds a table from one record batch.
    pub fn from_batch(batch: RecordBatch) -> Self {
        let schema = batch.schema();
        Table { batches: vec![batch], schema }
    }

    /// Total number of rows.
    pub fn n_rows(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }

    /// Column names in schema order.
    pub fn column_names(&self) -> Vec<String> {
        self.schema.fields().iter().map(|f| f.name().clone()).collect()
    }

    /// The Arrow type of column `name`, if it exists.
    pub fn data_type(&self, name: &str) -> Option<DataType> {
        self.schema.field_with_name(name).ok().map(|f| f.data_type().clone())
    }

    /// True when the table has a column `name`.
    pub fn has_column(&self, name: &str) -> bool {
        self.schema.index_of(name).is_ok()
    }

    fn chunks(&self, name: &str) -> Result<(DataType, Vec<ArrayRef>)> {
        let idx = self.schema.index_of(name).map_err(|_| {
            let names = self.column_names();
            let shown: Vec<&str> = names.iter().take(20).map(|s| s.as_str()).collect();
            Error::input(name, format!("not found in the table; its columns are: {}", shown.join(", ")))
        })?;
        let dt = self.schema.field(idx).data_type().clone();
        let chunks = self.batches.iter().map(|b| b.column(idx).clone()).collect();
        Ok((dt, chunks))
    }

    /// Reads a numeric column (floats, signed or unsigned integers) as `f64`.
    /// Nulls and non-finite values are missing.
    pub fn float(&self, name: &str) -> Result<Column<f64>> {
        self.float_scanned(name, true)
    }

    /// [`Table::float`] without the scan for NaN and infinities when the column is one float64
    /// chunk without nulls (those values are then left in, not marked missing). For a core
    /// that rejects non-finite values itself in a pass it makes anyway: the caller reruns
    /// with [`Table::float`] when that core fails, so the missing policy still decides.
    pub fn float_unscanned(&self, name: &str) -> Result<Column<f64>> {
        self.float_scanned(name, false)
    }

    fn float_scanned(&self, name: &str, scan: bool) -> Result<Column<f64>> {
        let (dt, chunks) = self.chunks(name)?;
        if let [arr] = chunks.as_slice() {
            if arr.data_type() == &DataType::Float64 {
                // one float64 chunk: share Arrow's buffer; only the validity is computed
                let values = arr.as_primitive::<Float64Type>().values().clone();
                let nulls = arr.null_count() > 0;
                let valid = if nulls || (scan && any_non_finite(&values)) {
                    Some(values.iter().enumerate().map(|(i, v)| arr.is_valid(i) && v.is_finite()).collect())
                } else {
                    None
                };
                return Ok(Column { name: name.to_string(), values: Values::Shared(values), valid });
            }
        }
        let n = self.n_rows();
        let mut values = Vec::with_capacity(n);
        let mut valid = Vec::with_capacity(n);
        for arr in &chunks {
            let base = values.len();
            match arr.data_type() {
                DataType::Float64 => push_prim(&mut values, arr.as_primitive::<Float64Type>(), |v| v),
                DataType::Float32 => push_prim(&mut values, arr.as_primitive::<Float32Type>(), f64::from),
                DataType::Float16 => push_prim(&mut values, arr.as_primitive::<Float16Type>(), f64::from),
                DataType::Int8 => push_prim(&mut values, arr.as_primitive::<Int8Type>(), f64::from),
                DataType::Int16 => push_prim(&mut values, arr.as_primitive::<Int16Type>(), f64::from),
                DataType::Int32 => push_prim(&mut values, arr.as_primitive::<Int32Type>(), f64::from),
                DataType::Int64 => push_prim(&mut values, arr.as_primitive::<Int64Type>(), |v| v as f64),
                DataType::UInt8 => push_prim(&mut values, arr.as_primitive::<UInt8Type>(), f64::from),
                DataType::UInt16 => push_prim(&mut values, arr.as_primitive::<UInt16Type>(), f64::from),
                DataType::UInt32 => push_prim(&mut values, arr.as_primitive::<UInt32Type>(), f64::from),
                DataType::UInt64 => push_prim(&mut values, arr.as_primitive::<UInt64Type>(), |v| v as f64),
                DataType::Null => values.extend(std::iter::repeat_n(f64::NAN, arr.len())),
                other => {
                    return Err(Error::input(
                        name,
                        format!("expected a numeric column, got {}", type_name(other)),
                    ))
                }
            }
            let fresh = values.get(base..).unwrap_or_default();
            if arr.null_count() == 0 {
                valid.extend(fresh.iter().map(|v| v.is_finite()));
            } else {
                valid.extend(fresh.iter().enumerate().map(|(i, v)| arr.is_valid(i) && v.is_finite()));
            }
        }
        let _ = dt;
        Ok(finish(name, values, valid))
    }

    /// Reads a boolean column; integer columns holding only 0 and 1 are accepted too.
    pub fn flag(&self, name: &str) -> Result<Column<bool>> {
        let (dt, chunks) = self.chunks(name)?;
        if dt == DataType::Boolean {
            let mut values = Vec::with_capacity(self.n_rows());
            let mut valid = Vec::with_capacity(self.n_rows());
            for arr in &chunks {
                let b = arr.as_boolean();
                for i in 0..b.len() {
                    values.push(b.value(i));
                    valid.push(b.is_valid(i));
                }
            }
            return Ok(finish(name, values, valid));
        }
        let num = self.float(name).map_err(|_| {
            Error::input(name, format!("expected a boolean (or 0/1) column, got {}", type_name(&dt)))
        })?;
        let mut values = Vec::with_capacity(num.len());
        for (i, v) in num.values.iter().enumerate() {
            let ok = num.valid.as_ref().is_none_or(|m| m.get(i).copied().unwrap_or(false));
            if ok && *v != 0.0 && *v != 1.0 {
                return Err(Error::input(
                    name,
                    format!("expected booleans or 0/1, found the value {v} at row {i}"),
                ));
            }
            values.push(*v == 1.0);
        }
        Ok(Column { name: name.to_string(), values: Values::Owned(values), valid: num.valid })
    }

    /// Reads a categorical column: strings, dictionary (pandas `category`), booleans or integers.
    ///
    /// Dictionary columns keep their dictionary order; other columns get sorted levels.
    pub fn category(&self, name: &str) -> Result<Categorical> {
        let (dt, chunks) = self.chunks(name)?;
        if dt.is_integer() {
            return Ok(integer_category(name, &chunks));
        }
        // Each chunk as labels without a String per row: a dictionary chunk as its dictionary's
        // labels and the rows' keys, any other chunk as texts borrowed from Arrow (booleans
        // and other non-strings are written out).
        enum Part<'a> {
            Dict(Vec<Option<String>>, &'a ArrayRef),
            Plain(Vec<Option<Cow<'a, str>>>),
        }
        let mut parts = Vec::with_capacity(chunks.len());
        // dictionary labels in order of first appearance (unused ones included)
        let mut levels: Vec<String> = Vec::new();
        let mut known: HashSet<String> = HashSet::new();
        for arr in &chunks {
            if let DataType::Dictionary(_, _) = arr.data_type() {
                let labels = strings_of(name, arr.as_any_dictionary().values().as_ref())?;
                for l in labels.iter().flatten() {
                    if known.insert(l.clone()) {
                        levels.push(l.clone());
                    }
                }
                parts.push(Part::Dict(labels, arr));
            } else {
                parts.push(Part::Plain(texts_of(name, arr.as_ref())?));
            }
        }
        // the other texts: one hash per row gives each row the number of its text in order of
        // first appearance; those texts, sorted, follow the dictionary labels
        let mut first_seen: HashMap<&str, u32, FastHash> = HashMap::default();
        let mut distinct: Vec<&str> = Vec::new();
        let mut provisional: Vec<Option<u32>> = Vec::new();
        for part in &parts {
            if let Part::Plain(texts) = part {
                provisional.extend(texts.iter().map(|t| {
                    t.as_deref().map(|t| {
                        *first_seen.entry(t).or_insert_with(|| {
                            distinct.push(t);
                            (distinct.len() - 1) as u32
                        })
                    })
                }));
            }
        }
        let mut extra: Vec<&str> = distinct.iter().copied().filter(|t| !known.contains(*t)).collect();
        extra.sort_unstable();
        levels.extend(extra.into_iter().map(str::to_string));
        let index: HashMap<&str, u32> =
            levels.iter().enumerate().map(|(i, l)| (l.as_str(), i as u32)).collect();
        let final_code: Vec<Option<u32>> = distinct.iter().map(|t| index.get(t).copied()).collect();
        let n = self.n_rows();
        let mut codes = Vec::with_capacity(n);
        let mut valid = Vec::with_capacity(n);
        let mut push = |code: Option<u32>| {
            codes.push(code.unwrap_or(0));
            valid.push(code.is_some());
        };
        let mut plain_rows = provisional.iter();
        for part in &parts {
            match part {
                Part::Dict(labels, arr) => {
                    let code_of: Vec<Option<u32>> =
                        labels.iter().map(|l| l.as_deref().and_then(|l| index.get(l).copied())).collect();
                    let keys = arr.as_any_dictionary().normalized_keys();
                    for (i, k) in keys.iter().enumerate() {
                        push(if arr.is_valid(i) { code_of.get(*k).copied().flatten() } else { None });
                    }
                }
                Part::Plain(texts) => {
                    for p in plain_rows.by_ref().take(texts.len()) {
                        push(p.and_then(|p| final_code.get(p as usize).copied().flatten()));
                    }
                }
            }
        }
        Ok(Categorical { codes: finish(name, codes, valid), levels })
    }

    /// Hands `f` the texts of a string column (strings, large strings or string views),
    /// borrowed from the Arrow buffers without copying; nulls are `None`.
    pub fn with_texts<R>(&self, name: &str, f: impl FnOnce(&[Option<&str>]) -> R) -> Result<R> {
        let (dt, chunks) = self.chunks(name)?;
        let mut refs: Vec<Option<&str>> = Vec::with_capacity(self.n_rows());
        for arr in &chunks {
            match borrowed_texts(arr.as_ref()) {
                Some(texts) => refs.extend(texts),
                None if arr.data_type() == &DataType::Null => {
                    refs.extend(std::iter::repeat_n(None, arr.len()))
                }
                None => {
                    return Err(Error::input(
                        name,
                        format!("expected a text (string) column, got {}", type_name(&dt)),
                    ))
                }
            }
        }
        Ok(f(&refs))
    }

    /// Reads a date or timestamp column as days since 1970-01-01 (fractional for timestamps;
    /// time zones are ignored, the instant is read in UTC).
    pub fn days(&self, name: &str) -> Result<Column<f64>> {
        let (dt, chunks) = self.chunks(name)?;
        let mut values = Vec::with_capacity(self.n_rows());
        let mut valid = Vec::with_capacity(self.n_rows());
        const DAY_S: f64 = 86_400.0;
        for arr in &chunks {
            match arr.data_type() {
                DataType::Date32 => push_prim(&mut values, arr.as_primitive::<Date32Type>(), f64::from),
                DataType::Date64 => {
                    push_prim(&mut values, arr.as_primitive::<Date64Type>(), |v| v as f64 / (DAY_S * 1e3))
                }
                DataType::Timestamp(TimeUnit::Second, _) => {
                    push_prim(&mut values, arr.as_primitive::<TimestampSecondType>(), |v| v as f64 / DAY_S)
                }
                DataType::Timestamp(TimeUnit::Millisecond, _) => {
                    push_prim(&mut values, arr.as_primitive::<TimestampMillisecondType>(), |v| {
                        v as f64 / (DAY_S * 1e3)
                    })
                }
                DataType::Timestamp(TimeUnit::Microsecond, _) => {
                    push_prim(&mut values, arr.as_primitive::<TimestampMicrosecondType>(), |v| {
                        v as f64 / (DAY_S * 1e6)
                    })
                }
                DataType::Timestamp(TimeUnit::Nanosecond, _) => {
                    push_prim(&mut values, arr.as_primitive::<TimestampNanosecondType>(), |v| {
                        v as f64 / (DAY_S * 1e9)
                    })
                }
                other => {
                    return Err(Error::input(
                        name,
                        format!("expected a date or timestamp column, got {}", type_name(other)),
                    ))
                }
            }
            for i in 0..arr.len() {
                valid.push(arr.is_valid(i));
            }
        }
        let _ = dt;
        Ok(finish(name, values, valid))
    }
}

/// Integer identifiers as categories: levels are the distinct values in numeric order, found by
/// sorting numbers (not strings), so a million customer ids cost a sort, not a million strings.
fn integer_category(name: &str, chunks: &[ArrayRef]) -> Categorical {
    fn ints<T>(arr: &arrow_array::PrimitiveArray<T>, out: &mut Vec<Option<i128>>)
    where
        T: arrow_array::ArrowPrimitiveType,
        T::Native: Into<i128>,
    {
        out.extend(arr.iter().map(|v| v.map(Into::into)));
    }
    let mut vals: Vec<Option<i128>> = Vec::new();
    for arr in chunks {
        match arr.data_type() {
            DataType::Int8 => ints(arr.as_primitive::<Int8Type>(), &mut vals),
            DataType::Int16 => ints(arr.as_primitive::<Int16Type>(), &mut vals),
            DataType::Int32 => ints(arr.as_primitive::<Int32Type>(), &mut vals),
            DataType::Int64 => ints(arr.as_primitive::<Int64Type>(), &mut vals),
            DataType::UInt8 => ints(arr.as_primitive::<UInt8Type>(), &mut vals),
            DataType::UInt16 => ints(arr.as_primitive::<UInt16Type>(), &mut vals),
            DataType::UInt32 => ints(arr.as_primitive::<UInt32Type>(), &mut vals),
            DataType::UInt64 => ints(arr.as_primitive::<UInt64Type>(), &mut vals),
            _ => vals.extend(std::iter::repeat_n(None, arr.len())),
        }
    }
    let mut uniq: Vec<i128> = vals.iter().flatten().copied().collect();
    uniq.sort_unstable();
    uniq.dedup();
    let mut codes = Vec::with_capacity(vals.len());
    let mut valid = Vec::with_capacity(vals.len());
    for v in &vals {
        match v.and_then(|v| uniq.binary_search(&v).ok()) {
            Some(c) => {
                codes.push(c as u32);
                valid.push(true);
            }
            None => {
                codes.push(0);
                valid.push(false);
            }
        }
    }
    Categorical { codes: finish(name, codes, valid), levels: uniq.iter().map(|v| v.to_string()).collect() }
}

fn push_prim<T, F>(out: &mut Vec<f64>, arr: &arrow_array::PrimitiveArray<T>, f: F)
where
    T: arrow_array::ArrowPrimitiveType,
    F: Fn(T::Native) -> f64,
{
    out.extend(arr.values().iter().map(|v| f(*v)));
}

fn finish<T: Element>(name: &str, values: Vec<T>, valid: Vec<bool>) -> Column<T> {
    let all = valid.iter().all(|v| *v);
    Column {
        name: name.to_string(),
        values: Values::Owned(values),
        valid: if all { None } else { Some(valid) },
    }
}

/// The labels of a string-like, boolean or integer array (nulls as `None`).
fn strings_of(name: &str, arr: &dyn Array) -> Result<Vec<Option<String>>> {
    let n = arr.len();
    let out: Vec<Option<String>> = match arr.data_type() {
        DataType::Utf8 => arr.as_string::<i32>().iter().map(|s| s.map(str::to_string)).collect(),
        DataType::LargeUtf8 => arr.as_string::<i64>().iter().map(|s| s.map(str::to_string)).collect(),
        DataType::Utf8View => arr.as_string_view().iter().map(|s| s.map(str::to_string)).collect(),
        DataType::Boolean => arr.as_boolean().iter().map(|b| b.map(|b| b.to_string())).collect(),
        DataType::Int8 => ints(arr.as_primitive::<Int8Type>()),
        DataType::Int16 => ints(arr.as_primitive::<Int16Type>()),
        DataType::Int32 => ints(arr.as_primitive::<Int32Type>()),
        DataType::Int64 => ints(arr.as_primitive::<Int64Type>()),
        DataType::UInt8 => ints(arr.as_primitive::<UInt8Type>()),
        DataType::UInt16 => ints(arr.as_primitive::<UInt16Type>()),
        DataType::UInt32 => ints(arr.as_primitive::<UInt32Type>()),
        DataType::UInt64 => ints(arr.as_primitive::<UInt64Type>()),
        DataType::Null => vec![None; n],
        other => {
            return Err(Error::input(
                name,
                format!(
                    "expected a categorical column (strings, category, booleans or integers), got {}",
                    type_name(other)
                ),
            ))
        }
    };
    Ok(out)
}

/// A fast hasher for the many short labels of a categorical column: the multiply-rotate word
/// scheme of FxHash (rustc, Firefox), with splitmix64's finaliser so that the low bits a hash
/// table indexes by depend on every input bit. Not resistant to chosen collisions, which is fine
/// for the user's own data in a short-lived table.
#[derive(Default, Clone, Copy)]
struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(K);
        }
        let rest = words.remainder();
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        self.0 =
            (self.0.rotate_left(5) ^ u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59)).wrapping_mul(K);
    }
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

type FastHash = std::hash::BuildHasherDefault<FastHasher>;

/// The labels of a non-dictionary categorical chunk: strings borrowed from Arrow, anything else
/// written out by [`strings_of`].
fn texts_of<'a>(name: &str, arr: &'a dyn Array) -> Result<Vec<Option<Cow<'a, str>>>> {
    Ok(match borrowed_texts(arr) {
        Some(texts) => texts.into_iter().map(|s| s.map(Cow::Borrowed)).collect(),
        None => strings_of(name, arr)?.into_iter().map(|s| s.map(Cow::Owned)).collect(),
    })
}

/// The texts of a string chunk (strings, large strings or string views), borrowed from the
/// Arrow buffers; None for any other type.
fn borrowed_texts(arr: &dyn Array) -> Option<Vec<Option<&str>>> {
    match arr.data_type() {
        DataType::Utf8 => Some(arr.as_string::<i32>().iter().collect()),
        DataType::LargeUtf8 => Some(arr.as_string::<i64>().iter().collect()),
        DataType::Utf8View => Some(arr.as_string_view().iter().collect()),
        _ => None,
    }
}

fn ints<T>(arr: &arrow_array::PrimitiveArray<T>) -> Vec<Option<String>>
where
    T: arrow_array::ArrowPrimitiveType,
    T::Native: std::fmt::Display,
{
    arr.iter().map(|v| v.map(|v| v.to_string())).collect()
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

impl<T: Element> Column<T> {
    /// The rows at `idx`, in that order (validity dropped: apply the missing policy first).
    pub fn take(&self, idx: &[usize]) -> Column<T> {
        let mut values = Vec::with_capacity(idx.len());
        values.extend(idx.iter().filter_map(|i| self.values.get(*i).cloned()));
        Column { name: self.name.clone(), values: Values::Owned(values), valid: None }
    }
}

// ---------------------------------------------------------------------------------------------
// Output: results are built as Arrow arrays and handed back as one record batch.

/// A float column; NaN becomes null.
pub fn f64_array(values: Vec<f64>) -> ArrayRef {
    if values.iter().any(|v| v.is_nan()) {
        Arc::new(
            values.into_iter().map(|v| if v.is_nan() { None } else { Some(v) }).collect::<Float64Array>(),
        )
    } else {
        Arc::new(Float64Array::from(values))
    }
}

/// An integer column.
pub fn i64_array(values: Vec<i64>) -> ArrayRef {
    Arc::new(Int64Array::from(values))
}

/// A boolean column.
pub fn bool_array(values: Vec<bool>) -> ArrayRef {
    Arc::new(BooleanArray::from(values))
}

/// A string column.
pub fn str_array(values: Vec<String>) -> ArrayRef {
    Arc::new(StringArray::from(values))
}

/// A date column from days since 1970-01-01.
pub fn date_array(days: Vec<i32>) -> ArrayRef {
    Arc::new(Date32Array::from(days))
}

/// A categorical (dictionary) column: pandas reads it as `category` with these levels in order.
pub fn categorical_array(codes: Vec<u32>, levels: &[String]) -> Result<ArrayRef> {
    let keys = arrow_array::Int32Array::from(codes.into_iter().map(|c| c as i32).collect::<Vec<_>>());
    let values: ArrayRef = Arc::new(StringArray::from(levels.to_vec()));
    let dict = DictionaryArray::<Int32Type>::try_new(keys, values)
        .map_err(|e| Error::parameter("levels", e.to_string()))?;
    Ok(Arc::new(dict))
}

/// Builds one record batch from named columns of equal length.
pub fn batch(columns: Vec<(String, ArrayRef)>) -> Result<RecordBatch> {
    RecordBatch::try_from_iter(columns).map_err(|e| Error::parameter("result", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Float32Array, Int32Array, TimestampMillisecondArray};

    fn table(cols: Vec<(&str, ArrayRef)>) -> Table {
        let b = RecordBatch::try_from_iter(cols.into_iter().map(|(n, a)| (n.to_string(), a)))
            .unwrap_or_else(|e| panic!("{e}"));
        Table::from_batch(b)
    }

    #[test]
    fn floats_honour_nulls_and_non_finite_values() {
        let t = table(vec![(
            "x",
            Arc::new(Float32Array::from(vec![Some(1.5), None, Some(f32::NAN), Some(2.0)])) as ArrayRef,
        )]);
        let c = t.float("x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.values[0], 1.5);
        assert_eq!(c.valid, Some(vec![true, false, false, true]));
        assert_eq!(c.n_missing(), 2);
    }

    #[test]
    fn float64_columns_are_shared_and_every_non_finite_value_is_missing() {
        let special = [
            1.5,
            f64::INFINITY,
            -0.0,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE / 4.0,
            f64::MAX,
            f64::NAN,
            -f64::MAX,
        ];
        for at in [0usize, 70_000, 199_999] {
            for v in special {
                let mut vals = vec![2.0; 200_000];
                vals[at] = v;
                let t = table(vec![("x", Arc::new(Float64Array::from(vals)) as ArrayRef)]);
                let c = t.float("x").unwrap_or_else(|e| panic!("{e}"));
                assert!(matches!(c.values, Values::Shared(_)));
                assert_eq!(c.n_missing(), usize::from(!v.is_finite()), "{v} at {at}");
                if let Some(valid) = &c.valid {
                    assert!(!valid[at]);
                }
            }
        }
        let t =
            table(vec![("x", Arc::new(Float64Array::from(vec![Some(1.0), None, Some(3.0)])) as ArrayRef)]);
        let c = t.float("x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.valid, Some(vec![true, false, true]));
        assert_eq!(c.values[2], 3.0);
    }

    #[test]
    fn missing_column_is_named_with_the_available_ones() {
        let t = table(vec![("a", Arc::new(Int32Array::from(vec![1])) as ArrayRef)]);
        let e = t.float("wtp").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("'wtp'") && e.contains("a"), "{e}");
    }

    #[test]
    fn first_where_finds_the_first_hit_across_blocks() {
        let mut v = vec![1.0; 600];
        assert_eq!(first_where(&v, f64::is_nan), None);
        v[599] = f64::NAN;
        assert_eq!(first_where(&v, f64::is_nan), Some(599));
        v[256] = f64::NAN;
        v[300] = f64::NAN;
        assert_eq!(first_where(&v, f64::is_nan), Some(256));
        v[0] = f64::NAN;
        assert_eq!(first_where(&v, f64::is_nan), Some(0));
        assert_eq!(first_where(&[], f64::is_nan), None);
    }

    #[test]
    fn wrong_type_is_reported() {
        let t = table(vec![("s", str_array(vec!["x".into()]))]);
        let e = t.float("s").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("'s'") && e.contains("numeric"), "{e}");
    }

    #[test]
    fn categories_from_strings_are_sorted_and_dictionaries_keep_their_order() {
        let t = table(vec![
            ("s", Arc::new(StringArray::from(vec![Some("b"), None, Some("a"), Some("b")])) as ArrayRef),
            (
                "d",
                categorical_array(vec![1, 0, 1, 1], &["z".to_string(), "y".to_string()])
                    .unwrap_or_else(|e| panic!("{e}")),
            ),
        ]);
        let s = t.category("s").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.levels, vec!["a", "b"]);
        assert_eq!(s.codes.values[0], 1);
        assert_eq!(s.codes.valid, Some(vec![true, false, true, true]));
        let d = t.category("d").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.levels, vec!["z", "y"]);
        assert_eq!(d.codes.values, vec![1, 0, 1, 1]);
    }

    /// Each row's label (None when missing) read back from a categorical.
    fn labels(c: &Categorical) -> Vec<Option<&str>> {
        let valid = c.codes.valid.clone().unwrap_or_else(|| vec![true; c.codes.len()]);
        c.codes.values.iter().zip(valid).map(|(k, ok)| ok.then(|| c.levels[*k as usize].as_str())).collect()
    }

    #[test]
    fn categories_across_chunks_keep_every_row_label() {
        // two batches: dictionaries in different orders with an unused and a null label and a null
        // key; strings with nulls; booleans
        let dict = |keys: Vec<Option<i32>>, values: Vec<Option<&str>>| -> ArrayRef {
            let d = DictionaryArray::<Int32Type>::try_new(
                arrow_array::Int32Array::from(keys),
                Arc::new(StringArray::from(values)),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            Arc::new(d)
        };
        let batch = |d: ArrayRef, s: Vec<Option<&str>>, b: Vec<Option<bool>>| {
            let cols: Vec<(&str, ArrayRef)> =
                vec![("d", d), ("s", Arc::new(StringArray::from(s))), ("b", Arc::new(BooleanArray::from(b)))];
            RecordBatch::try_from_iter(cols).unwrap_or_else(|e| panic!("{e}"))
        };
        let b1 = batch(
            dict(vec![Some(0), Some(2), None, Some(0)], vec![Some("north"), Some("unused"), Some("south")]),
            vec![Some("b"), None, Some("c"), Some("b")],
            vec![Some(true), Some(false), None, Some(true)],
        );
        let b2 = batch(
            dict(vec![Some(1), Some(0), Some(2)], vec![Some("east"), Some("south"), None]),
            vec![Some("a"), Some("c"), Some("é")],
            vec![Some(false), Some(false), Some(true)],
        );
        let t = Table::new(vec![b1.clone(), b2], b1.schema());
        let d = t.category("d").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.levels, vec!["north", "unused", "south", "east"]);
        assert_eq!(
            labels(&d),
            vec![Some("north"), Some("south"), None, Some("north"), Some("south"), Some("east"), None]
        );
        let s = t.category("s").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.levels, vec!["a", "b", "c", "é"]);
        assert_eq!(labels(&s), vec![Some("b"), None, Some("c"), Some("b"), Some("a"), Some("c"), Some("é")]);
        let b = t.category("b").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.levels, vec!["false", "true"]);
        assert_eq!(
            labels(&b),
            vec![Some("true"), Some("false"), None, Some("true"), Some("false"), Some("false"), Some("true")]
        );
    }

    #[test]
    fn random_string_categories_round_trip_with_sorted_levels() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let pool: Vec<String> = (0..60).map(|i| format!("level {}", i * 7919 % 1000)).collect();
        let rows: Vec<Option<String>> = (0..5000)
            .map(|_| (rng.random_range(0..10) > 0).then(|| pool[rng.random_range(0..pool.len())].clone()))
            .collect();
        let batches: Vec<RecordBatch> = rows
            .chunks(1700)
            .map(|c| {
                let a: ArrayRef = Arc::new(StringArray::from(c.to_vec()));
                RecordBatch::try_from_iter(vec![("s", a)]).unwrap_or_else(|e| panic!("{e}"))
            })
            .collect();
        let t = Table::new(batches.clone(), batches[0].schema());
        let c = t.category("s").unwrap_or_else(|e| panic!("{e}"));
        let mut want: Vec<&str> = rows.iter().flatten().map(String::as_str).collect();
        want.sort_unstable();
        want.dedup();
        assert_eq!(c.levels, want);
        assert_eq!(labels(&c), rows.iter().map(|r| r.as_deref()).collect::<Vec<_>>());
    }

    #[test]
    fn integer_categories_sort_numerically() {
        let t = table(vec![(
            "id",
            Arc::new(Int32Array::from(vec![Some(10), Some(9), None, Some(10)])) as ArrayRef,
        )]);
        let c = t.category("id").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.levels, vec!["9", "10"]);
        assert_eq!(c.codes.values[0], 1);
        assert_eq!(c.codes.valid, Some(vec![true, true, false, true]));
    }

    #[test]
    fn timestamps_become_days() {
        let t = table(vec![(
            "t",
            Arc::new(TimestampMillisecondArray::from(vec![86_400_000 * 3 / 2])) as ArrayRef,
        )]);
        let c = t.days("t").unwrap_or_else(|e| panic!("{e}"));
        assert!((c.values[0] - 1.5).abs() < 1e-12);
    }

    #[test]
    fn drop_removes_rows_missing_in_any_column_and_raise_names_the_column() {
        let mut a = Column {
            name: "a".into(),
            values: vec![1.0, 2.0, 3.0].into(),
            valid: Some(vec![true, false, true]),
        };
        let mut b = Column {
            name: "b".into(),
            values: vec![1u32, 2, 3].into(),
            valid: Some(vec![true, true, false]),
        };
        let err = apply_missing(&mut [&mut a.clone(), &mut b.clone()], Missing::Raise);
        assert!(err.err().map(|e| e.to_string()).unwrap_or_default().contains("'a': 1 missing"));
        let dropped = apply_missing(&mut [&mut a, &mut b], Missing::Drop).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(dropped, 2);
        assert_eq!(a.values, vec![1.0]);
        assert_eq!(b.values, vec![1]);
    }

    #[test]
    fn empty_table_is_an_input_error() {
        let mut a: Column<f64> = Column::new("a", vec![]);
        let e = apply_missing(&mut [&mut a], Missing::Raise).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("'a'") && e.contains("empty"), "{e}");
    }
}
