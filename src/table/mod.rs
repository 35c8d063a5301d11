//! Typed column views the cores take, and the one place Arrow columns become them.
//!
//! Every core works on plain vectors (`Column<f64>`, `Categorical`, ...) so it can be tested
//! without Arrow or Python. [`Table`] reads Arrow record batches (as handed over by the binding
//! layer through the Arrow PyCapsule interface) into those views, honouring the validity bitmap:
//! a null, or a non-finite number, is a missing value.
//!
//! The module is split along its seams: `column` (typed columns), `read` (Arrow to columns),
//! `inputs` ([`Table::read`], the one input reader: the columns of an analysis by [`Spec`],
//! the missing policy across them, `by` groups), `rows` ([`apply_missing`] and [`RowLog`], which
//! input rows were kept and dropped and why), `output` ([`Output`], the one shape every analysis
//! hands back, with [`Columns`] to declare a table's layout beside its struct) and `arrays`
//! (Arrow arrays out).

mod arrays;
mod column;
mod inputs;
mod output;
mod read;
mod rows;

pub use arrays::*;
pub use column::*;
pub use inputs::*;
pub use output::*;
pub use read::*;
pub use rows::*;

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use arrow_array::types::Int32Type;
    use arrow_array::{ArrayRef, BooleanArray, DictionaryArray, Float64Array, RecordBatch, StringArray};
    use arrow_array::{Float32Array, Int32Array, TimestampMillisecondArray};

    fn table(cols: Vec<(&str, ArrayRef)>) -> Table {
        let b = RecordBatch::try_from_iter(cols.into_iter().map(|(n, a)| (n.to_string(), a)))
            .unwrap_or_else(|e| panic!("{e}"));
        Table::from_batch(b)
    }

    #[test]
    fn money_and_dictionary_numbers_are_read_and_text_is_refused_with_its_first_value() {
        let dec = arrow_array::Decimal128Array::from(vec![Some(1234), None, Some(-5)])
            .with_precision_and_scale(10, 2)
            .unwrap_or_else(|e| panic!("{e}"));
        let keys = Int32Array::from(vec![1, 0, 1]);
        let dict = DictionaryArray::<Int32Type>::try_new(keys, Arc::new(Float64Array::from(vec![2.5, 7.0])))
            .unwrap_or_else(|e| panic!("{e}"));
        let text = StringArray::from(vec![Some("12"), None, Some("$12"), Some("4")]);
        let numbers_as_text = arrow_array::LargeStringArray::from(vec!["1", "2.5", "3"]);
        let t = table(vec![
            ("money", Arc::new(dec) as ArrayRef),
            ("dict", Arc::new(dict) as ArrayRef),
            ("pad", Arc::new(Float64Array::from(vec![0.0, 0.0, 0.0])) as ArrayRef),
        ]);
        let m = t.float("money").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((m.values[0], m.values[2]), (12.34, -0.05));
        assert_eq!(m.valid, Some(vec![true, false, true]));
        assert_eq!(t.float("dict").unwrap_or_else(|e| panic!("{e}")).values.as_slice(), &[7.0, 2.5, 7.0]);
        let t = table(vec![("b", Arc::new(BooleanArray::from(vec![true, false])) as ArrayRef)]);
        assert_eq!(t.float("b").unwrap_or_else(|e| panic!("{e}")).values.as_slice(), &[1.0, 0.0]);
        let t = table(vec![("amount", Arc::new(text) as ArrayRef)]);
        let e = t.float("amount").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("'amount'") && e.contains("row 2 is '$12'") && e.contains("pd.to_numeric"), "{e}");
        let t = table(vec![("n", Arc::new(numbers_as_text) as ArrayRef)]);
        let e = t.float("n").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("numbers stored as text"), "{e}");
    }

    #[test]
    fn iso_date_text_is_read_and_other_text_names_its_first_row() {
        let t = table(vec![(
            "d",
            Arc::new(StringArray::from(vec![Some("1970-01-03"), None, Some("1970-01-02T12:00:00")]))
                as ArrayRef,
        )]);
        let c = t.days("d").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((c.values[0], c.values[2]), (2.0, 1.5));
        assert_eq!(c.valid, Some(vec![true, false, true]));
        let t = table(vec![("d", Arc::new(StringArray::from(vec!["2024-01-05", "05/01/2024"])) as ArrayRef)]);
        let e = t.days("d").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("row 1 is '05/01/2024'") && e.contains("pd.to_datetime"), "{e}");
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
        assert_eq!(dropped.n_missing(), 2);
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
