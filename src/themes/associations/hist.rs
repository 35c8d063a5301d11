//! The grid's sufficient statistics: per metadata column, the respondents and the mentions of
//! every theme at each level (categorical) or at each distinct value (numeric), over the rows
//! with a value. Every test of the grid is a function of these counts, and they add across any
//! split of the rows: the grid of merged histograms is the grid of all the rows, bit for bit,
//! since [`Prepared`](super) and the theme summaries are computed from them in one canonical
//! order (levels in level order, values ascending), whatever order the rows came in. The
//! Mann-Whitney ranks are average ranks of the merged values, so they need no second pass.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{level_of_rows, present_rows, Metadata};
use crate::table::Column;

/// Strata: each one's label (`None` without `by`) and its variables' histograms.
pub type Strata = Vec<(Option<String>, Vec<VarHist>)>;

/// One metadata column's counts: per key, `[respondents, mentions of theme 0, theme 1, ...]`.
#[derive(Debug, Clone, PartialEq)]
pub enum VarHist {
    /// Per level (in `levels` order; levels without respondents hold zeros).
    Cat { levels: Vec<String>, cells: Vec<Vec<u64>> },
    /// Per distinct value, ascending (-0.0 counted as 0.0).
    Num { values: Vec<f64>, cells: Vec<Vec<u64>> },
}

impl VarHist {
    /// The counts of `m` against the `themes` (flags, no missing value), over the rows where
    /// `m` has a value (and a valid level).
    pub fn of(m: &Metadata, themes: &[Column<bool>]) -> VarHist {
        let t = themes.len();
        match m {
            Metadata::Categorical(c) => {
                let mut cells = vec![vec![0u64; t + 1]; c.levels.len()];
                for (i, level) in level_of_rows(c).into_iter().enumerate() {
                    let Some(cell) = level.and_then(|l| cells.get_mut(l)) else { continue };
                    cell[0] += 1;
                    for (slot, th) in cell[1..].iter_mut().zip(themes) {
                        *slot += u64::from(th.values.get(i).copied().unwrap_or(false));
                    }
                }
                VarHist::Cat { levels: c.levels.clone(), cells }
            }
            Metadata::Numeric(c) => {
                let present = present_rows(c);
                let mut rows: Vec<(f64, usize)> =
                    (0..c.values.len()).filter(|i| present[*i]).map(|i| (c.values[i] + 0.0, i)).collect();
                rows.par_sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
                let (mut values, mut cells) = (Vec::new(), Vec::<Vec<u64>>::new());
                for (v, i) in rows {
                    if values.last() != Some(&v) {
                        values.push(v);
                        cells.push(vec![0u64; t + 1]);
                    }
                    if let Some(cell) = cells.last_mut() {
                        cell[0] += 1;
                        for (slot, th) in cell[1..].iter_mut().zip(themes) {
                            *slot += u64::from(th.values.get(i).copied().unwrap_or(false));
                        }
                    }
                }
                VarHist::Num { values, cells }
            }
        }
    }

    /// A numeric histogram from (value, counts) pairs in any order, equal values added.
    pub fn numeric(pairs: impl IntoIterator<Item = (f64, Vec<u64>)>, width: usize) -> VarHist {
        let mut by: BTreeMap<OrdF64, Vec<u64>> = BTreeMap::new();
        for (v, c) in pairs {
            let cell = by.entry(OrdF64(v + 0.0)).or_insert_with(|| vec![0u64; width]);
            for (a, b) in cell.iter_mut().zip(c) {
                *a += b;
            }
        }
        let (values, cells) = by.into_iter().map(|(k, c)| (k.0, c)).unzip();
        VarHist::Num { values, cells }
    }

    /// The respondents and mentions of each key, with the key's label (a level) or value.
    pub fn cells(&self) -> &[Vec<u64>] {
        match self {
            VarHist::Cat { cells, .. } | VarHist::Num { cells, .. } => cells,
        }
    }
}

/// An f64 ordered by `total_cmp` (the values here are finite).
#[derive(Debug, Clone, Copy, PartialEq)]
struct OrdF64(f64);

impl Eq for OrdF64 {}

impl PartialOrd for OrdF64 {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrdF64 {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The state of strata's histograms as rows an engine can shuffle: `[by]` (the stratum label),
/// `variable`, `level` (categorical keys), `value` (numeric keys), `n` (respondents) and
/// `theme_0`, `theme_1`, ... (mentions). Each stratum also has a row without a variable holding
/// its respondents and mentions, so a stratum whose values are all missing is still known.
/// Rows with equal keys add up: concatenated states are their merge.
pub fn to_batch(
    by: Option<&str>,
    strata: &Strata,
    variables: &[String],
    totals: &[Vec<u64>],
) -> crate::error::Result<arrow_array::RecordBatch> {
    use arrow_array::{ArrayRef, StringArray};
    use std::sync::Arc;
    let width = totals.first().map_or(1, Vec::len);
    let (mut stratum, mut variable, mut level) = (Vec::new(), Vec::<Option<String>>::new(), Vec::new());
    let mut value = Vec::new();
    let mut counts: Vec<Vec<i64>> = vec![Vec::new(); width];
    let mut push = |s: &Option<String>, v: Option<&str>, l: Option<&str>, x: f64, c: &[u64]| {
        stratum.push(s.clone().unwrap_or_default());
        variable.push(v.map(str::to_string));
        level.push(l.map(str::to_string));
        value.push(x);
        for (col, k) in counts.iter_mut().zip(c) {
            col.push(*k as i64);
        }
    };
    for ((label, hists), total) in strata.iter().zip(totals) {
        push(label, None, None, f64::NAN, total);
        for (name, h) in variables.iter().zip(hists) {
            match h {
                VarHist::Cat { levels, cells } => {
                    for (l, c) in levels.iter().zip(cells).filter(|(_, c)| c[0] > 0) {
                        push(label, Some(name), Some(l), f64::NAN, c);
                    }
                }
                VarHist::Num { values, cells } => {
                    for (v, c) in values.iter().zip(cells) {
                        push(label, Some(name), None, *v, c);
                    }
                }
            }
        }
    }
    let mut cols: Vec<(String, ArrayRef)> = Vec::new();
    if let Some(b) = by {
        cols.push((b.to_string(), crate::table::str_array(stratum)));
    }
    cols.push(("variable".into(), Arc::new(StringArray::from(variable)) as ArrayRef));
    cols.push(("level".into(), Arc::new(StringArray::from(level)) as ArrayRef));
    cols.push(("value".into(), crate::table::f64_array(value)));
    for (j, c) in counts.into_iter().enumerate() {
        let name = if j == 0 { "n".to_string() } else { format!("theme_{}", j - 1) };
        cols.push((name, crate::table::i64_array(c)));
    }
    crate::table::batch(cols)
}

/// Labels sorted as the table reader sorts a column's levels: numerically when every label is
/// an integer, else by their text.
pub fn sort_labels(labels: &mut [String]) {
    if labels.iter().all(|l| l.parse::<i64>().is_ok()) {
        labels.sort_by_key(|l| l.parse::<i64>().unwrap_or(0));
    } else {
        labels.sort();
    }
}

/// `labels` in the order of `order` first (a categorical's categories), the others after it,
/// sorted as [`sort_labels`] does.
fn ordered(mut labels: Vec<String>, order: &[String]) -> Vec<String> {
    sort_labels(&mut labels);
    labels.sort_by_key(|l| order.iter().position(|o| o == l).unwrap_or(usize::MAX));
    labels
}

/// Reads states' rows back (see [`to_batch`]; concatenated, in any order): per stratum its
/// label and the histogram of each of `variables` (`numeric[j]` says which are numeric),
/// strata and levels ordered by `stratum_order` and `level_orders` first, then sorted.
#[allow(clippy::too_many_arguments)]
pub fn from_batches(
    batches: &[arrow_array::RecordBatch],
    by: Option<&str>,
    variables: &[String],
    numeric: &[bool],
    n_themes: usize,
    stratum_order: &[String],
    level_orders: &[Vec<String>],
) -> crate::error::Result<(Strata, usize)> {
    use crate::error::Error;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type};
    use arrow_array::Array;
    type Key = (String, Option<usize>, Option<String>, Option<OrdF64>);
    let width = n_themes + 1;
    let mut sums: BTreeMap<Key, Vec<u64>> = BTreeMap::new();
    for b in batches {
        let text = |name: &str| -> crate::error::Result<Vec<Option<String>>> {
            let a =
                b.column_by_name(name).ok_or_else(|| Error::input(name, "missing from the theme state"))?;
            let s = a
                .as_string_opt::<i32>()
                .ok_or_else(|| Error::input(name, "must be text in the theme state"))?;
            Ok(s.iter().map(|v| v.map(str::to_string)).collect())
        };
        let stratum = match by {
            Some(name) => text(name)?,
            None => vec![None; b.num_rows()],
        };
        let variable = text("variable")?;
        let level = text("level")?;
        let value = b
            .column_by_name("value")
            .and_then(|a| a.as_primitive_opt::<Float64Type>())
            .ok_or_else(|| Error::input("value", "must be float64 in the theme state"))?;
        let counts: Vec<&arrow_array::Int64Array> = (0..width)
            .map(|j| {
                let name = if j == 0 { "n".to_string() } else { format!("theme_{}", j - 1) };
                b.column_by_name(&name)
                    .and_then(|a| a.as_primitive_opt::<Int64Type>())
                    .filter(|a| a.null_count() == 0)
                    .ok_or_else(|| Error::input(&name, "missing from the theme state, or not int64 counts"))
            })
            .collect::<crate::error::Result<_>>()?;
        for i in 0..b.num_rows() {
            let var =
                match &variable[i] {
                    None => None,
                    Some(v) => Some(variables.iter().position(|x| x == v).ok_or_else(|| {
                        Error::input("variable", format!("'{v}' is not among the metadata"))
                    })?),
                };
            let num = value.is_valid(i).then(|| OrdF64(value.value(i) + 0.0));
            let key = (stratum[i].clone().unwrap_or_default(), var, level[i].clone(), num);
            let cell = sums.entry(key).or_insert_with(|| vec![0u64; width]);
            for (slot, c) in cell.iter_mut().zip(&counts) {
                let k = c.value(i);
                if k < 0 {
                    return Err(Error::input("n", format!("counts must be non-negative; row {i} holds {k}")));
                }
                *slot += k as u64;
            }
        }
    }
    // strata (the rows without a variable), in order
    let labels: Vec<String> = sums.keys().filter(|k| k.1.is_none()).map(|k| k.0.clone()).collect();
    let labels = ordered(labels, stratum_order);
    let mut n_rows = 0u64;
    let mut out = Vec::with_capacity(labels.len());
    for label in labels {
        n_rows += sums.get(&(label.clone(), None, None, None)).map_or(0, |c| c[0]);
        let mut hists = Vec::with_capacity(variables.len());
        for (j, is_num) in numeric.iter().enumerate() {
            let cells = sums
                .range((label.clone(), Some(j), None, None)..)
                .take_while(|(k, _)| k.0 == label && k.1 == Some(j));
            if *is_num {
                hists.push(VarHist::numeric(cells.filter_map(|(k, c)| k.3.map(|v| (v.0, c.clone()))), width));
            } else {
                let found: BTreeMap<String, Vec<u64>> =
                    cells.filter_map(|(k, c)| k.2.clone().map(|l| (l, c.clone()))).collect();
                let levels = ordered(
                    found.keys().cloned().collect(),
                    level_orders.get(j).map_or(&[][..], Vec::as_slice),
                );
                let cells =
                    levels.iter().map(|l| found.get(l).cloned().unwrap_or_else(|| vec![0; width])).collect();
                hists.push(VarHist::Cat { levels, cells });
            }
        }
        out.push((by.map(|_| label.clone()), hists));
    }
    Ok((out, n_rows as usize))
}
