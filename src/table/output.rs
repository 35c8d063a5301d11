//! The one shape every analysis hands back: named Arrow tables and values, the row accounting
//! ([`RowLog`]) and the warnings. Each core result declares its Arrow layout once, beside its
//! struct, by implementing [`ToBatch`] with [`Columns`]; the binding layer turns an [`Output`]
//! into Python in one place, so no analysis builds its own dictionary.

use arrow_array::RecordBatch;

use super::{batch, bool_array, categorical_array, f64_array, i64_array, str_array, Categorical, RowLog};
use crate::error::{Error, Result};

/// A value of an analysis' output besides its tables.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number (NaN becomes None in Python).
    Number(f64),
    /// A number that may be undefined.
    Maybe(Option<f64>),
    /// A count.
    Count(usize),
    /// A yes or no.
    Flag(bool),
    /// A label.
    Text(String),
    /// Numbers.
    Numbers(Vec<f64>),
    /// Labels.
    Texts(Vec<String>),
    /// Rows of numbers (a covariance matrix, components).
    Matrix(Vec<Vec<f64>>),
    /// Whole numbers (counts, codes).
    Integers(Vec<i64>),
}

macro_rules! value_from {
    ($($t:ty => $v:ident),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from(x: $t) -> Self {
                Value::$v(x.into())
            }
        })*
    };
}

value_from!(
    f64 => Number, Option<f64> => Maybe, usize => Count, bool => Flag, String => Text, &str => Text,
    Vec<f64> => Numbers, Vec<String> => Texts, Vec<Vec<f64>> => Matrix,
);

impl From<Vec<u64>> for Value {
    fn from(x: Vec<u64>) -> Self {
        Value::Integers(x.into_iter().map(|v| i64::try_from(v).unwrap_or(i64::MAX)).collect())
    }
}

impl From<Vec<u32>> for Value {
    fn from(x: Vec<u32>) -> Self {
        Value::Integers(x.into_iter().map(i64::from).collect())
    }
}

impl From<&[f64]> for Value {
    fn from(x: &[f64]) -> Self {
        Value::Numbers(x.to_vec())
    }
}

/// Every analysis' output.
#[derive(Debug, Default)]
pub struct Output {
    /// Named tables, in order.
    pub tables: Vec<(String, RecordBatch)>,
    /// Named values, in order.
    pub values: Vec<(String, Value)>,
    /// Which input rows were dropped, and why.
    pub rows: RowLog,
    /// Plain statements about degenerate data.
    pub warnings: Vec<String>,
}

impl Output {
    /// An output over the rows `rows` accounts for.
    pub fn new(rows: RowLog) -> Self {
        Output { rows, ..Output::default() }
    }

    /// Adds a table.
    pub fn table(mut self, name: &str, table: RecordBatch) -> Self {
        self.tables.push((name.to_string(), table));
        self
    }

    /// Adds a core result as a table, in its declared layout.
    pub fn result<T: ToBatch + ?Sized>(self, name: &str, r: &T) -> Result<Self> {
        Ok(self.table(name, r.to_batch()?))
    }

    /// Adds a value.
    pub fn value(mut self, name: &str, v: impl Into<Value>) -> Self {
        self.values.push((name.to_string(), v.into()));
        self
    }

    /// Adds warnings.
    pub fn warn(mut self, warnings: impl IntoIterator<Item = String>) -> Self {
        self.warnings.extend(warnings);
        self
    }

    /// A maximum-likelihood fit, in the one layout every model hands back: `names`, `params`,
    /// `cov`, `log_likelihood` and `iterations`.
    pub fn fitted(
        self,
        names: &[&str],
        params: &[f64],
        cov: Vec<Vec<f64>>,
        log_likelihood: f64,
        iterations: usize,
    ) -> Self {
        self.value("names", names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .value("params", params)
            .value("cov", cov)
            .value("log_likelihood", log_likelihood)
            .value("iterations", iterations)
    }

    /// The value `name`, if present (for tests).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The table `name`, if present (for tests).
    pub fn get_table(&self, name: &str) -> Option<&RecordBatch> {
        self.tables.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }
}

/// A core result with its Arrow layout declared beside its struct.
pub trait ToBatch {
    /// The result as one Arrow record batch.
    fn to_batch(&self) -> Result<RecordBatch>;
}

/// Named columns of one table, built in declaration order.
#[derive(Debug, Default)]
pub struct Columns(Vec<(String, arrow_array::ArrayRef)>);

impl Columns {
    /// No columns yet.
    pub fn new() -> Self {
        Columns(Vec::new())
    }
    /// A float column (NaN becomes null).
    pub fn f64(mut self, name: &str, values: impl IntoIterator<Item = f64>) -> Self {
        self.0.push((name.to_string(), f64_array(values.into_iter().collect())));
        self
    }
    /// An integer column of counts.
    pub fn count(mut self, name: &str, values: impl IntoIterator<Item = usize>) -> Self {
        self.0.push((name.to_string(), i64_array(values.into_iter().map(|v| v as i64).collect())));
        self
    }
    /// A boolean column.
    pub fn flag(mut self, name: &str, values: impl IntoIterator<Item = bool>) -> Self {
        self.0.push((name.to_string(), bool_array(values.into_iter().collect())));
        self
    }
    /// A text column.
    pub fn text(mut self, name: &str, values: impl IntoIterator<Item = String>) -> Self {
        self.0.push((name.to_string(), str_array(values.into_iter().collect())));
        self
    }
    /// A categorical column: each row's label, coded against `levels` (pandas reads it as
    /// `category` with the levels in this order). A label outside `levels` is an error.
    pub fn labels<'a>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = &'a str>,
        levels: &[String],
    ) -> Result<Self> {
        let codes = values
            .into_iter()
            .map(|v| {
                levels
                    .iter()
                    .position(|l| l == v)
                    .map(|i| i as u32)
                    .ok_or_else(|| Error::parameter(name, format!("'{v}' is not one of the levels")))
            })
            .collect::<Result<Vec<u32>>>()?;
        self.0.push((name.to_string(), categorical_array(codes, levels)?));
        Ok(self)
    }
    /// A categorical column that may be missing per row; its levels are the labels in the
    /// order they first appear.
    pub fn maybe_labels<'a>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = Option<&'a str>>,
    ) -> Result<Self> {
        let mut levels: Vec<&str> = Vec::new();
        let codes: Vec<Option<i32>> = values
            .into_iter()
            .map(|v| {
                v.map(|v| match levels.iter().position(|l| *l == v) {
                    Some(k) => k as i32,
                    None => {
                        levels.push(v);
                        (levels.len() - 1) as i32
                    }
                })
            })
            .collect();
        let dict = arrow_array::DictionaryArray::<arrow_array::types::Int32Type>::try_new(
            arrow_array::Int32Array::from(codes),
            std::sync::Arc::new(arrow_array::StringArray::from(levels)),
        )
        .map_err(|e| Error::parameter(name, e.to_string()))?;
        self.0.push((name.to_string(), std::sync::Arc::new(dict)));
        Ok(self)
    }
    /// Cluster labels (None: noise) as integers, -1 for noise.
    pub fn labels_of(mut self, name: &str, labels: impl IntoIterator<Item = Option<usize>>) -> Self {
        let v: Vec<i64> = labels.into_iter().map(|l| l.map_or(-1, |c| c as i64)).collect();
        self.0.push((name.to_string(), i64_array(v)));
        self
    }
    /// Adds an Arrow array as it is.
    pub fn array(mut self, name: &str, array: arrow_array::ArrayRef) -> Self {
        self.0.push((name.to_string(), array));
        self
    }
    /// The table.
    pub fn batch(self) -> Result<RecordBatch> {
        batch(self.0)
    }
}

/// The groups of an analysis split by a `by` column: one group of every row without it.
#[derive(Debug, Clone)]
pub struct Groups {
    /// The `by` column's name.
    pub name: Option<String>,
    /// Each group's label and its row positions (`None`: every row).
    pub parts: Vec<(String, Option<Vec<usize>>)>,
    /// Plain statements about the split.
    pub warnings: Vec<String>,
}

impl Groups {
    /// Splits the rows by the levels of `by` (levels with no rows are left out), or keeps them
    /// as one group.
    pub fn new(by: Option<&Categorical>) -> Self {
        match by {
            None => Groups { name: None, parts: vec![(String::new(), None)], warnings: Vec::new() },
            Some(c) => {
                let parts: Vec<(String, Option<Vec<usize>>)> =
                    super::split_by(c).into_iter().map(|(l, i)| (l, Some(i))).collect();
                let mut warnings = Vec::new();
                if parts.len() == 1 {
                    warnings.push(format!("the by column '{}' has one level: one group", c.codes.name));
                }
                Groups { name: Some(c.codes.name.clone()), parts, warnings }
            }
        }
    }

    /// The group labels, in order.
    pub fn labels(&self) -> Vec<String> {
        self.parts.iter().map(|p| p.0.clone()).collect()
    }

    /// One table from one table per group: the groups' rows one after another, behind a first
    /// column holding the group label (named as the `by` column). Without groups, the one table.
    pub fn stack(&self, parts: Vec<RecordBatch>) -> Result<RecordBatch> {
        let Some(first) = parts.first() else {
            return Err(Error::parameter("by", "no groups"));
        };
        // every column nullable: a value one group lacks (an optimum it has not, NaN read as
        // null) must not clash with the first group's schema
        let schema = std::sync::Arc::new(arrow_schema::Schema::new(
            first
                .schema()
                .fields()
                .iter()
                .map(|f| f.as_ref().clone().with_nullable(true))
                .collect::<Vec<_>>(),
        ));
        let parts = parts
            .into_iter()
            .map(|p| RecordBatch::try_new(schema.clone(), p.columns().to_vec()))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::parameter("result", e.to_string()))?;
        let mut stacked = arrow_select::concat::concat_batches(&schema, &parts)
            .map_err(|e| Error::parameter("result", e.to_string()))?;
        if let Some(name) = &self.name {
            let codes: Vec<u32> = parts
                .iter()
                .enumerate()
                .flat_map(|(g, p)| std::iter::repeat_n(g as u32, p.num_rows()))
                .collect();
            let mut cols = vec![(name.clone(), categorical_array(codes, &self.labels())?)];
            for (f, c) in stacked.schema().fields().iter().zip(stacked.columns()) {
                cols.push((f.name().clone(), c.clone()));
            }
            stacked = batch(cols)?;
        }
        Ok(stacked)
    }

    /// Adds each group's warnings, labelled by group, to the split's own.
    pub fn label_warnings<'a>(&self, per_group: impl IntoIterator<Item = &'a Vec<String>>) -> Vec<String> {
        let mut out = self.warnings.clone();
        for ((label, _), ws) in self.parts.iter().zip(per_group) {
            for w in ws {
                out.push(if label.is_empty() { w.clone() } else { format!("{label}: {w}") });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Column;
    use arrow_array::cast::AsArray;

    struct Pair(Vec<f64>);

    impl ToBatch for Pair {
        fn to_batch(&self) -> Result<RecordBatch> {
            Columns::new().f64("x", self.0.iter().copied()).count("n", self.0.iter().map(|_| 1)).batch()
        }
    }

    #[test]
    fn groups_stack_their_tables_behind_the_group_label() {
        let by = Categorical {
            codes: Column::new("region", vec![1, 0, 1, 1]),
            levels: vec!["east".into(), "west".into()],
        };
        let g = Groups::new(Some(&by));
        assert_eq!(g.labels(), vec!["east", "west"]);
        assert_eq!(g.parts[1].1, Some(vec![0, 2, 3]));
        let t = g
            .stack(vec![
                Pair(vec![1.0]).to_batch().unwrap_or_else(|e| panic!("{e}")),
                Pair(vec![2.0, 3.0]).to_batch().unwrap_or_else(|e| panic!("{e}")),
            ])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.num_rows(), 3);
        assert_eq!(t.schema().field(0).name(), "region");
        let x = t.column(1).as_primitive::<arrow_array::types::Float64Type>();
        assert_eq!(x.values().to_vec(), vec![1.0, 2.0, 3.0]);
        assert_eq!(t.column(1).data_type(), &arrow_schema::DataType::Float64);
        let w = g.label_warnings([&vec!["thin".to_string()], &vec![]]);
        assert_eq!(w, vec!["east: thin".to_string()]);
        let one = Groups::new(None);
        assert_eq!(
            one.stack(vec![Pair(vec![5.0]).to_batch().unwrap_or_else(|e| panic!("{e}"))])
                .map(|t| t.num_columns())
                .ok(),
            Some(2)
        );
    }

    #[test]
    fn outputs_keep_values_tables_and_rows() {
        let out = Output::new(RowLog::new(3))
            .value("n", 3usize)
            .value("p", Some(0.5))
            .result("pair", &Pair(vec![1.0]))
            .unwrap_or_else(|e| panic!("{e}"))
            .warn(vec!["w".to_string()]);
        assert_eq!(out.get("n"), Some(&Value::Count(3)));
        assert_eq!(out.get_table("pair").map(|t| t.num_rows()), Some(1));
        assert_eq!((out.rows.n_rows, out.warnings.len()), (3, 1));
        let bad = Columns::new().labels("g", ["a", "z"], &["a".to_string()]);
        assert!(bad.is_err());
    }
}
