//! Arrow columns read into the typed views the cores take.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float16Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
    UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, SchemaRef, TimeUnit};

use super::{any_non_finite, Categorical, Column, Element, Values};
use crate::error::{Error, Result};

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
        let mut offset = 0;
        for chunk in &chunks {
            let arr = &numeric_chunk(name, chunk, offset)?;
            offset += chunk.len();
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
                    // a dictionary with no values (a categorical with no categories) has only
                    // nulls; arrow's normalized_keys asserts on it
                    if arr.as_any_dictionary().values().is_empty() {
                        (0..arr.len()).for_each(|_| push(None));
                        continue;
                    }
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
        let mut offset = 0;
        for chunk in &chunks {
            let arr = &date_chunk(name, chunk, offset)?;
            offset += chunk.len();
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
                        format!(
                            "expected a date or timestamp column, got {}; convert it first with \
                             pd.to_datetime (pandas) or .str.to_datetime() (polars)",
                            type_name(other)
                        ),
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

/// A text chunk's first value that `ok` refuses, as (row in the table, value).
fn first_refused(arr: &dyn Array, offset: usize, ok: impl Fn(&str) -> bool) -> Option<(usize, String)> {
    let texts = borrowed_texts(arr)?;
    texts.iter().enumerate().find_map(|(i, t)| t.filter(|t| !ok(t)).map(|t| (offset + i, t.to_string())))
}

/// A chunk of a numeric column as a primitive array: decimals (money columns), booleans (as 0
/// and 1) and dictionary-encoded numbers are cast to float64; text is refused with its first value and
/// the fix.
fn numeric_chunk(name: &str, arr: &ArrayRef, offset: usize) -> Result<ArrayRef> {
    let dt = arr.data_type();
    let numeric_dict = matches!(dt, DataType::Dictionary(_, v) if v.is_numeric());
    if dt.is_numeric()
        && !matches!(
            dt,
            DataType::Decimal32(..)
                | DataType::Decimal64(..)
                | DataType::Decimal128(..)
                | DataType::Decimal256(..)
        )
    {
        return Ok(arr.clone());
    }
    if numeric_dict
        || matches!(
            dt,
            DataType::Boolean
                | DataType::Decimal32(..)
                | DataType::Decimal64(..)
                | DataType::Decimal128(..)
                | DataType::Decimal256(..)
        )
    {
        return arrow_cast::cast(arr, &DataType::Float64)
            .map_err(|e| Error::input(name, format!("cannot read {} as numbers ({e})", type_name(dt))));
    }
    let text = match dt {
        DataType::Dictionary(_, v)
            if matches!(**v, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) =>
        {
            arrow_cast::cast(arr, v).ok()
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Some(arr.clone()),
        _ => None,
    };
    let Some(text) = text else {
        if matches!(dt, DataType::Null) {
            return Ok(arr.clone());
        }
        return Err(Error::input(name, format!("expected a numeric column, got {}", type_name(dt))));
    };
    let fix = format!(
        "convert it to numbers first, e.g. df['{name}'] = pd.to_numeric(df['{name}'].str.replace(r'[^0-9.eE+-]', '', \
         regex=True)) to strip currency signs and thousands separators (polars: \
         pl.col('{name}').str.replace_all(r'[^0-9.eE+-]', '').cast(pl.Float64))"
    );
    Err(match first_refused(text.as_ref(), offset, |t| t.trim().parse::<f64>().is_ok()) {
        Some((row, value)) => {
            Error::input(name, format!("holds text, not numbers: row {row} is '{value}'; {fix}"))
        }
        None => Error::input(name, format!("holds numbers stored as text; {fix}")),
    })
}

/// A chunk of a date column as a date or timestamp array: ISO 8601 text ("2024-03-01",
/// "2024-03-01T12:00:00") is parsed; any other text is refused with its first value and the fix.
fn date_chunk(name: &str, arr: &ArrayRef, offset: usize) -> Result<ArrayRef> {
    let text = match arr.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => arr.clone(),
        DataType::Dictionary(_, v)
            if matches!(**v, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) =>
        {
            arrow_cast::cast(arr, v).map_err(|e| Error::input(name, e.to_string()))?
        }
        _ => return Ok(arr.clone()),
    };
    let target = DataType::Timestamp(TimeUnit::Nanosecond, None);
    let parsed = arrow_cast::cast(&text, &target).map_err(|e| Error::input(name, e.to_string()))?;
    if parsed.null_count() == text.null_count() {
        return Ok(parsed);
    }
    let bad = (0..text.len()).find(|i| text.is_valid(*i) && parsed.is_null(*i)).unwrap_or(0);
    let value = borrowed_texts(text.as_ref())
        .and_then(|t| t.get(bad).copied().flatten().map(str::to_string))
        .unwrap_or_default();
    Err(Error::input(
        name,
        format!(
            "holds text that is not an ISO date: row {} is '{value}'; convert it first with \
             df['{name}'] = pd.to_datetime(df['{name}'], format=...) (polars: \
             pl.col('{name}').str.to_date(format))",
            offset + bad
        ),
    ))
}
