//! A [`PartialSummary`] as rows an engine can shuffle: one row per (customer, purchase day),
//! the customer by its value (an integer or a text id, never a per-call code).
//!
//! Columns: `customer` (int64 or utf8), `day` (float64, whole days since 1970-01-01), `rows`
//! (int64, the transactions of that day) and, when the log had amounts, `spend` (float64) and
//! `spend_low` (list of float64): the day's spend as Shewchuk's expansion (the rounded top
//! and the exact remainders), so a state written out and read back merges as exactly as the
//! state itself. Rows may come in any order and a (customer, day) may appear in several rows:
//! reading adds them up exactly, so concatenating states' rows and reading them is their merge.

use std::sync::Arc;

use arrow_array::builder::{Float64Builder, ListBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;

use crate::error::{Error, Result};
use crate::table::{batch, f64_array, i64_array, str_array};

use super::exact::ExactSum;
use super::partial::PartialSummary;
use super::DayTotal;

/// The customers of a state, by value, ascending: integers numerically, text by bytes (the
/// order `rfm_summary` gives its rows).
#[derive(Debug, Clone, PartialEq)]
pub enum Keys {
    /// Integer ids.
    Int(Vec<i64>),
    /// Text ids.
    Text(Vec<String>),
}

impl Keys {
    /// The ids as labels (the levels a summary's customer column is coded against).
    pub fn labels(&self) -> Vec<String> {
        match self {
            Keys::Int(v) => v.iter().map(i64::to_string).collect(),
            Keys::Text(v) => v.clone(),
        }
    }

    /// Whether the ids are integers.
    pub fn is_int(&self) -> bool {
        matches!(self, Keys::Int(_))
    }

    fn len(&self) -> usize {
        match self {
            Keys::Int(v) => v.len(),
            Keys::Text(v) => v.len(),
        }
    }

    fn array(&self, codes: impl Iterator<Item = u32>) -> ArrayRef {
        match self {
            Keys::Int(v) => i64_array(codes.map(|c| v[c as usize]).collect()),
            Keys::Text(v) => str_array(codes.map(|c| v[c as usize].clone()).collect()),
        }
    }
}

/// Per-row codes into the distinct values of `values`, sorted ascending.
fn codes_of<T: Ord + Clone>(values: &[T]) -> (Vec<T>, Vec<u32>) {
    let mut distinct: Vec<T> = values.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let codes = values.iter().map(|v| distinct.binary_search(v).unwrap_or(0) as u32).collect();
    (distinct, codes)
}

impl Keys {
    /// The ids a table's customer column was coded against (`levels`, in code order), as
    /// integers when the column held integers.
    pub fn from_levels(levels: &[String], integer: bool) -> Result<Keys> {
        if !integer {
            return Ok(Keys::Text(levels.to_vec()));
        }
        let ints = levels
            .iter()
            .map(|l| {
                l.parse::<i64>()
                    .map_err(|_| Error::input("customer", format!("id {l} does not fit in an int64")))
            })
            .collect::<Result<Vec<i64>>>()?;
        Ok(Keys::Int(ints))
    }
}

impl PartialSummary {
    /// The state as rows (see the module notes), customers labelled by `keys` (indexed by
    /// this state's customer codes).
    pub fn to_batch(&self, keys: &Keys) -> Result<RecordBatch> {
        let codes = self.customers().iter().enumerate().flat_map(|(k, &c)| {
            let n = self.ends[k] - super::partial::days_start(&self.ends, k);
            std::iter::repeat_n(c, n)
        });
        let mut cols: Vec<(String, ArrayRef)> = vec![
            ("customer".into(), keys.array(codes)),
            ("day".into(), f64_array(self.days.iter().map(|d| d.day).collect())),
            ("rows".into(), i64_array(self.days.iter().map(|d| d.rows as i64).collect())),
        ];
        if self.has_amount {
            cols.push(("spend".into(), f64_array(self.days.iter().map(|d| d.spend.top).collect())));
            let mut low = ListBuilder::new(Float64Builder::new());
            for d in &self.days {
                low.values().append_slice(d.spend.low.as_deref().map_or(&[][..], |l| l.as_slice()));
                low.append(true);
            }
            cols.push(("spend_low".into(), Arc::new(low.finish()) as ArrayRef));
        }
        batch(cols)
    }

    /// Reads a state's rows (in any order, a (customer, day) possibly in several rows) back
    /// into a state and its customer keys: the merge of every state whose rows `batches` hold.
    pub fn from_batches(batches: &[RecordBatch]) -> Result<(PartialSummary, Keys)> {
        let Some(first) = batches.first() else {
            return Err(Error::input("customer", "a summary state needs its columns; got no batch"));
        };
        let schema = first.schema();
        for name in ["customer", "day", "rows"] {
            if schema.index_of(name).is_err() {
                return Err(Error::input(
                    name,
                    "missing from the summary state (expected customer, day, rows[, spend, spend_low])",
                ));
            }
        }
        let has_amount = schema.index_of("spend").is_ok();
        let integer = match schema.field_with_name("customer").map(|f| f.data_type().clone()) {
            Ok(DataType::Int64) => true,
            Ok(DataType::Utf8 | DataType::LargeUtf8) => false,
            Ok(other) => {
                return Err(Error::input(
                    "customer",
                    format!("must be int64 or text in a summary state, got {other}"),
                ))
            }
            Err(_) => false,
        };
        let mut ints: Vec<i64> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut entries: Vec<(f64, i64, ExactSum)> = Vec::new();
        for b in batches {
            let col = |name: &str| {
                b.column_by_name(name)
                    .ok_or_else(|| Error::input(name, "missing from a batch of the summary state"))
            };
            let customer = col("customer")?;
            if customer.null_count() > 0 {
                return Err(Error::input("customer", "a summary state holds a missing customer id"));
            }
            if integer {
                let c = customer
                    .as_primitive_opt::<Int64Type>()
                    .ok_or_else(|| Error::input("customer", "batches disagree on the id type"))?;
                ints.extend(c.values().iter().copied());
            } else if let Some(c) = customer.as_string_opt::<i32>() {
                texts.extend(c.iter().map(|s| s.unwrap_or_default().to_string()));
            } else if let Some(c) = customer.as_string_opt::<i64>() {
                texts.extend(c.iter().map(|s| s.unwrap_or_default().to_string()));
            } else {
                return Err(Error::input("customer", "batches disagree on the id type"));
            }
            let day = f64_values(col("day")?, "day")?;
            let rows = col("rows")?
                .as_primitive_opt::<Int64Type>()
                .filter(|a| a.null_count() == 0)
                .ok_or_else(|| Error::input("rows", "must be int64 without missing values"))?;
            let (spend, low) = if has_amount {
                let low = col("spend_low")?;
                let low = low
                    .as_list_opt::<i32>()
                    .ok_or_else(|| Error::input("spend_low", "must be a list of float64"))?;
                (Some(f64_values(col("spend")?, "spend")?), Some(low.clone()))
            } else {
                (None, None)
            };
            for i in 0..b.num_rows() {
                let (d, r) = (day[i], rows.value(i));
                if !d.is_finite() || d.fract() != 0.0 {
                    return Err(Error::input("day", format!("must hold whole days; row {i} holds {d}")));
                }
                if r < 1 {
                    return Err(Error::input("rows", format!("must be at least 1; row {i} holds {r}")));
                }
                let sum = match (&spend, &low) {
                    (Some(s), Some(l)) => {
                        let parts = l.value(i);
                        let parts = parts
                            .as_primitive_opt::<Float64Type>()
                            .ok_or_else(|| Error::input("spend_low", "must be a list of float64"))?;
                        let top = s[i];
                        if top.is_nan() || top < 0.0 || parts.values().iter().any(|p| !p.is_finite()) {
                            return Err(Error::input(
                                "spend",
                                format!("must be non-negative with finite parts; row {i} holds {top}"),
                            ));
                        }
                        ExactSum { top, low: (!parts.is_empty()).then(|| Box::new(parts.values().to_vec())) }
                    }
                    _ => ExactSum::of(0.0),
                };
                entries.push((d + 0.0, r, sum));
            }
        }
        let (keys, codes) = if integer {
            let (k, c) = codes_of(&ints);
            (Keys::Int(k), c)
        } else {
            let (k, c) = codes_of(&texts);
            (Keys::Text(k), c)
        };
        let mut order: Vec<u32> = (0..entries.len() as u32).collect();
        order.sort_unstable_by(|&i, &j| {
            let (i, j) = (i as usize, j as usize);
            codes[i].cmp(&codes[j]).then(entries[i].0.total_cmp(&entries[j].0))
        });
        let mut out = PartialSummary::empty(has_amount);
        for &i in &order {
            let (c, (day, rows, spend)) = (codes[i as usize], &entries[i as usize]);
            out.rows += *rows as usize;
            out.last_day = Some(out.last_day.map_or(*day, |l| l.max(*day)));
            if out.customer.last() == Some(&c) {
                if let Some(t) = out.days.last_mut().filter(|t| t.day == *day) {
                    t.rows += *rows as u64;
                    t.spend.merge(spend);
                    continue;
                }
                out.days.push(DayTotal { day: *day, rows: *rows as u64, spend: spend.clone() });
                if let Some(e) = out.ends.last_mut() {
                    *e = out.days.len();
                }
            } else {
                out.days.push(DayTotal { day: *day, rows: *rows as u64, spend: spend.clone() });
                out.customer.push(c);
                out.ends.push(out.days.len());
            }
        }
        debug_assert_eq!(out.customer.len(), keys.len());
        Ok((out, keys))
    }
}

/// The values of a float64 column without missing values.
fn f64_values<'a>(a: &'a ArrayRef, name: &str) -> Result<&'a [f64]> {
    a.as_primitive_opt::<Float64Type>()
        .filter(|a| a.null_count() == 0)
        .map(|a| a.values().as_ref())
        .ok_or_else(|| Error::input(name, "must be float64 without missing values"))
}
