//! Tests of transaction summaries.

use std::collections::BTreeMap;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

const NAMES: [&str; 3] = ["c", "d", "a"];

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
    let e = PartialSummary::from_rows(&[0], &[0.0], Some(&[f64::NAN]), ["c", "d", "amount"]);
    assert!(e.err().map(|e| e.to_string()).unwrap_or_default().contains("'amount'"));
    let e = rfm_summary(&[0], &[f64::INFINITY], None, None, None, 1.0, ["c", "date", "amount"]);
    assert!(e.err().map(|e| e.to_string()).unwrap_or_default().contains("'date'"));
}

// ---- exact sums ----

#[test]
fn a_purchase_day_takes_32_bytes() {
    assert_eq!(std::mem::size_of::<DayTotal>(), 32);
}

#[test]
fn tenths_add_up_to_one() {
    let mut s = ExactSum::default();
    (0..10).for_each(|_| s.add(0.1));
    assert_eq!(s.value(), 1.0);
    assert_ne!((0..10).map(|_| 0.1).sum::<f64>(), 1.0, "the naive sum is off: the test would see it");
}

#[test]
fn half_way_sums_round_to_even_unless_more_lies_beyond() {
    let sum = |terms: &[f64]| {
        let mut s = ExactSum::default();
        terms.iter().for_each(|x| s.add(*x));
        s.value()
    };
    let (e52, e53) = (2f64.powi(-52), 2f64.powi(-53));
    assert_eq!(sum(&[1.0, e53]), 1.0);
    assert_eq!(sum(&[1.0 + e52, e53]), 1.0 + 2.0 * e52);
    assert_eq!(sum(&[1.0, e53, 2f64.powi(-106)]), 1.0 + e52);
    assert_eq!(sum(&[2f64.powi(-106), e53, 1.0]), 1.0 + e52);
    assert_eq!((1.0 + e53) + 2f64.powi(-106), 1.0, "the naive sum rounds down");
}

#[test]
fn exact_sums_are_correctly_rounded_whatever_the_order_and_grouping() {
    // terms k 2^s with k < 2^45 and s in -30..40 are exact integers in units of 2^-30, so
    // an i128 gives the exact sum; `as f64` rounds it to nearest, ties to even
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for _ in 0..2000 {
        let n = rng.random_range(1..40);
        let terms: Vec<(i128, f64)> = (0..n)
            .map(|_| {
                let bits: u32 = rng.random_range(1..46);
                let k: i64 = rng.random_range(0..1i64 << bits);
                let s: i32 = rng.random_range(-30..40);
                (i128::from(k) << (s + 30), k as f64 * 2f64.powi(s))
            })
            .collect();
        let exact = terms.iter().map(|t| t.0).sum::<i128>() as f64 * 2f64.powi(-30);
        let mut one = ExactSum::default();
        terms.iter().for_each(|t| one.add(t.1));
        assert_eq!(one.value(), exact);
        // shuffled, cut into three, merged in another order
        let mut v: Vec<f64> = terms.iter().map(|t| t.1).collect();
        v.shuffle(&mut rng);
        let cuts = [rng.random_range(0..=n), rng.random_range(0..=n)];
        let (lo, hi) = (cuts[0].min(cuts[1]), cuts[0].max(cuts[1]));
        let part = |r: &[f64]| {
            let mut s = ExactSum::default();
            r.iter().for_each(|x| s.add(*x));
            s
        };
        let mut m = part(&v[hi..]);
        m.merge(&part(&v[..lo]));
        m.merge(&part(&v[lo..hi]));
        assert_eq!(m.value(), exact);
    }
}

#[test]
fn a_sum_past_the_largest_double_is_infinite() {
    let mut s = ExactSum::of(f64::MAX);
    s.add(f64::MAX);
    s.add(1.0);
    assert_eq!(s.value(), f64::INFINITY);
    let mut t = ExactSum::of(1.0);
    t.add(1e-30);
    t.merge(&s);
    assert_eq!(t.value(), f64::INFINITY);
}

// ---- mergeable partial summaries ----

/// A log of `n` customers with many same-day purchases at fractional times and amounts in
/// cents over several magnitudes (so sums round differently in different orders).
fn random_log(seed: u64, n: u32) -> (Vec<u32>, Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut c, mut d, mut a) = (Vec::new(), Vec::new(), Vec::new());
    for cust in 0..n {
        let first = f64::from(rng.random_range(0..40u32));
        for _ in 0..rng.random_range(1..15) {
            c.push(cust);
            d.push(first + f64::from(rng.random_range(0..25u32)) + rng.random::<f64>());
            a.push(f64::from(rng.random_range(1..100_000u32)) / 100.0 * 10f64.powi(rng.random_range(-2..4)));
        }
    }
    // customer 3 buys twice on day 20, at 20.25 and 20.75, for the mid-day split
    c.extend([3, 3]);
    d.extend([20.25, 20.75]);
    a.extend([0.1, 0.2]);
    (c, d, a)
}

/// The f64 fields as bits (NaN equals NaN), with the customers and counts.
fn bits(s: &Summary) -> (Vec<u32>, Vec<Vec<u64>>, u64, usize, usize) {
    let f = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
    let cols =
        [&s.frequency, &s.recency, &s.t, &s.monetary_value, &s.frequency_holdout, &s.monetary_value_holdout];
    (
        s.customer.clone(),
        cols.iter().map(|v| f(v)).collect(),
        s.duration_holdout.to_bits(),
        s.n_after_end,
        s.n_late_customers,
    )
}

/// (observation end, calibration end) pairs: defaults, a holdout, rows after the end, and
/// ends that fall mid-day.
const ENDS: [(Option<f64>, Option<f64>); 4] =
    [(None, None), (None, Some(30.0)), (Some(50.0), Some(20.5)), (Some(44.7), None)];

/// Merges the states of `parts` (row lists, each in its own order) left to right.
fn merged(log: &(Vec<u32>, Vec<f64>, Vec<f64>), parts: &[Vec<usize>], amounts: bool) -> PartialSummary {
    let state = |rows: &[usize]| {
        let c: Vec<u32> = rows.iter().map(|&i| log.0[i]).collect();
        let d: Vec<f64> = rows.iter().map(|&i| log.1[i]).collect();
        let a: Vec<f64> = rows.iter().map(|&i| log.2[i]).collect();
        PartialSummary::from_rows(&c, &d, amounts.then_some(a.as_slice()), NAMES)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    parts.iter().fold(state(&[]), |m, p| m.merge(state(p)).unwrap_or_else(|e| panic!("{e}")))
}

/// Every split of `parts`, with and without amounts and for every pair of ends, finishes
/// to exactly the summary of the whole log.
fn assert_merges_exactly(log: &(Vec<u32>, Vec<f64>, Vec<f64>), parts: &[Vec<usize>]) {
    let mut all: Vec<usize> = parts.concat();
    all.sort_unstable();
    assert_eq!(all, (0..log.0.len()).collect::<Vec<_>>(), "not a partition");
    for amounts in [true, false] {
        let state = merged(log, parts, amounts);
        assert_eq!(state.n_rows(), log.0.len());
        for (end, cal) in ENDS {
            let whole =
                rfm_summary(&log.0, &log.1, amounts.then_some(log.2.as_slice()), end, cal, 7.0, NAMES)
                    .unwrap_or_else(|e| panic!("{e}"));
            let parts = state.finish(end, cal, 7.0, NAMES).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(bits(&parts), bits(&whole), "amounts {amounts}, ends {end:?} {cal:?}");
        }
    }
}

#[test]
fn partitions_by_customer_merge_exactly() {
    let log = random_log(7, 60);
    let parts: Vec<Vec<usize>> =
        (0..3).map(|p| (0..log.0.len()).filter(|&i| log.0[i] % 3 == p).collect()).collect();
    assert_merges_exactly(&log, &parts);
}

#[test]
fn partitions_by_time_merge_exactly() {
    let log = random_log(8, 60);
    // at day boundaries, and through the middle of days (20.5 splits customer 3's two
    // purchases on day 20 between the parts)
    for cut in [10.0, 20.0, 20.5, 33.5, 49.0] {
        let (before, after): (Vec<usize>, Vec<usize>) = (0..log.0.len()).partition(|&i| log.1[i] < cut);
        assert!(!before.is_empty() && !after.is_empty());
        assert_merges_exactly(&log, &[before.clone(), after.clone()]);
        assert_merges_exactly(&log, &[after, before]);
    }
}

#[test]
fn random_three_way_splits_merge_exactly() {
    let log = random_log(9, 40);
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    for _ in 0..30 {
        let mut rows: Vec<usize> = (0..log.0.len()).collect();
        rows.shuffle(&mut rng);
        let mut cuts = [rng.random_range(0..=rows.len()), rng.random_range(0..=rows.len())];
        cuts.sort_unstable();
        let parts = [rows[..cuts[0]].to_vec(), rows[cuts[0]..cuts[1]].to_vec(), rows[cuts[1]..].to_vec()];
        assert_merges_exactly(&log, &parts);
    }
    // and merged as a tree, right first
    let rows: Vec<usize> = (0..log.0.len()).collect();
    let (a, b, c) = (&rows[..100], &rows[100..200], &rows[200..]);
    let right = merged(&log, &[b.to_vec()], true).merge(merged(&log, &[c.to_vec()], true));
    let tree = merged(&log, &[a.to_vec()], true).merge(right.unwrap_or_else(|e| panic!("{e}")));
    let tree = tree.and_then(|s| s.finish(None, Some(30.0), 7.0, NAMES)).unwrap_or_else(|e| panic!("{e}"));
    let whole = rfm_summary(&log.0, &log.1, Some(&log.2), None, Some(30.0), 7.0, NAMES);
    assert_eq!(bits(&tree), bits(&whole.unwrap_or_else(|e| panic!("{e}"))));
}

#[test]
fn a_day_split_between_parts_is_one_purchase() {
    // day 3 at 3.2 (1.0) and 3.7 (2.0), then days 5 (4.0) and 9 (8.0); the parts share day 3
    let (c, d, a) = ([0u32, 0, 0, 0], [3.2, 3.7, 5.0, 9.1], [1.0, 2.0, 4.0, 8.0]);
    let part = |rows: [usize; 2]| {
        let (c, d, a) = (rows.map(|i| c[i]), rows.map(|i| d[i]), rows.map(|i| a[i]));
        PartialSummary::from_rows(&c, &d, Some(&a), NAMES).unwrap_or_else(|e| panic!("{e}"))
    };
    let state = part([0, 2]).merge(part([1, 3])).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(state.n_days(), 3);
    let s = state.finish(None, None, 1.0, NAMES).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.frequency[0], s.recency[0], s.t[0], s.monetary_value[0]), (2.0, 6.0, 6.0, 6.0));
    let s = state.finish(Some(12.0), Some(5.0), 1.0, NAMES).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (s.frequency[0], s.monetary_value[0], s.frequency_holdout[0], s.monetary_value_holdout[0]),
        (1.0, 4.0, 1.0, 8.0)
    );
    let s = state.finish(Some(4.0), None, 1.0, NAMES).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.frequency[0], s.n_after_end), (0.0, 2));
}

#[test]
fn empty_states_merge_as_nothing_and_amounts_must_agree() {
    let log = random_log(11, 10);
    let full = merged(&log, &[(0..log.0.len()).collect()], true);
    let empty = PartialSummary::from_rows(&[], &[], None, NAMES).unwrap_or_else(|e| panic!("{e}"));
    let e = empty.finish(None, None, 7.0, NAMES).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("no transactions"), "{e}");
    let same = empty.clone().merge(full.clone()).and_then(|s| s.merge(empty));
    assert_eq!(same.as_ref().ok(), Some(&full));
    let without = merged(&log, &[(0..5).collect()], false);
    let e = full.merge(without).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("'amount'"), "{e}");
}

#[test]
fn finish_checks_the_ends_as_rfm_summary_does() {
    let log = random_log(12, 10);
    let state = merged(&log, &[(0..log.0.len()).collect()], true);
    for (end, cal) in [(Some(-5.0), None), (Some(30.0), Some(30.0)), (None, Some(1e9))] {
        let whole = rfm_summary(&log.0, &log.1, Some(&log.2), end, cal, 7.0, NAMES);
        assert!(whole.is_err());
        assert_eq!(state.finish(end, cal, 7.0, NAMES).err(), whole.err());
    }
}

#[test]
fn rfm_summary_matches_a_per_customer_reference() {
    // straight from the definitions: per customer, a map of day -> amounts
    let (c, d, a) = random_log(13, 200);
    for (end, cal) in ENDS {
        let s = rfm_summary(&c, &d, Some(&a), end, cal, 7.0, NAMES).unwrap_or_else(|e| panic!("{e}"));
        let end = end.unwrap_or_else(|| d.iter().fold(0.0f64, |m, x| m.max(x.floor())));
        let cal = cal.unwrap_or(end).floor();
        let mut by: BTreeMap<u32, BTreeMap<i64, f64>> = BTreeMap::new();
        for i in (0..c.len()).filter(|&i| d[i].floor() <= end) {
            *by.entry(c[i]).or_default().entry(d[i].floor() as i64).or_default() += a[i];
        }
        by.retain(|_, days| days.keys().next().is_some_and(|&f| f as f64 <= cal));
        assert_eq!(s.customer, by.keys().copied().collect::<Vec<_>>());
        for (k, days) in by.values().enumerate() {
            let calib: Vec<(f64, f64)> =
                days.iter().filter(|(&x, _)| x as f64 <= cal).map(|(&x, &y)| (x as f64, y)).collect();
            let hold: Vec<f64> = days.iter().filter(|(&x, _)| x as f64 > cal).map(|(_, &y)| y).collect();
            let (first, last) = (calib[0].0, calib[calib.len() - 1].0);
            assert_eq!(s.frequency[k], (calib.len() - 1) as f64);
            assert_eq!(s.recency[k], (last - first) / 7.0);
            assert_eq!(s.t[k], (cal - first) / 7.0);
            assert_eq!(s.frequency_holdout[k], hold.len() as f64);
            let mean = |v: &[f64]| if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
            let repeat: Vec<f64> = calib[1..].iter().map(|x| x.1).collect();
            for (got, want) in
                [(s.monetary_value[k], mean(&repeat)), (s.monetary_value_holdout[k], mean(&hold))]
            {
                assert!((got - want).abs() <= 1e-12 * want, "{got} {want}");
            }
        }
    }
}

/// Random splits of a log into parts with their own customer codes, each written out as rows
/// keyed by customer value (text or integer), concatenated in a random order and read back:
/// the summary equals the whole log's, bit for bit, and the customers come out by value.
#[test]
fn state_rows_keyed_by_value_merge_exactly_in_any_order() {
    let log = random_log(11, 80);
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    for integer in [false, true] {
        let label = |c: u32| if integer { format!("{}", 1000 - i64::from(c)) } else { format!("id{c:03}") };
        for amounts in [true, false] {
            let mut rows: Vec<usize> = (0..log.0.len()).collect();
            rows.shuffle(&mut rng);
            let cuts = [rows.len() / 5, rows.len() / 2, rows.len() * 4 / 5];
            let mut parts: Vec<&[usize]> =
                vec![&rows[..cuts[0]], &rows[cuts[0]..cuts[1]], &rows[cuts[1]..cuts[2]]];
            parts.push(&rows[cuts[2]..]);
            parts.shuffle(&mut rng);
            let mut batches = Vec::new();
            for part in parts {
                // this part's own codes: its customers in first-seen order
                let mut levels: Vec<String> = Vec::new();
                let codes: Vec<u32> = part
                    .iter()
                    .map(|&i| {
                        let l = label(log.0[i]);
                        levels.iter().position(|x| *x == l).unwrap_or_else(|| {
                            levels.push(l);
                            levels.len() - 1
                        }) as u32
                    })
                    .collect();
                let d: Vec<f64> = part.iter().map(|&i| log.1[i]).collect();
                let a: Vec<f64> = part.iter().map(|&i| log.2[i]).collect();
                let state = PartialSummary::from_rows(&codes, &d, amounts.then_some(a.as_slice()), NAMES)
                    .unwrap_or_else(|e| panic!("{e}"));
                let keys = Keys::from_levels(&levels, integer).unwrap_or_else(|e| panic!("{e}"));
                batches.push(state.to_batch(&keys).unwrap_or_else(|e| panic!("{e}")));
            }
            let (state, keys) = PartialSummary::from_batches(&batches).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(state.n_rows(), log.0.len());
            assert_eq!(keys.is_int(), integer);
            // the whole log coded by the same ordering of values
            let labels = keys.labels();
            let codes: Vec<u32> = log
                .0
                .iter()
                .map(|&c| labels.iter().position(|l| *l == label(c)).unwrap_or(usize::MAX) as u32)
                .collect();
            for (end, cal) in ENDS {
                let whole =
                    rfm_summary(&codes, &log.1, amounts.then_some(log.2.as_slice()), end, cal, 7.0, NAMES)
                        .unwrap_or_else(|e| panic!("{e}"));
                let merged = state.finish(end, cal, 7.0, NAMES).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(
                    bits(&merged),
                    bits(&whole),
                    "integer {integer}, amounts {amounts}, ends {end:?} {cal:?}"
                );
            }
            // the keys are sorted by value
            match &keys {
                Keys::Int(v) => assert!(v.windows(2).all(|w| w[0] < w[1])),
                Keys::Text(v) => assert!(v.windows(2).all(|w| w[0] < w[1])),
            }
            // written out and read back once more: the same state
            let again =
                PartialSummary::from_batches(&[state.to_batch(&keys).unwrap_or_else(|e| panic!("{e}"))])
                    .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(again, (state, keys));
        }
    }
}

#[test]
fn state_rows_refuse_bad_values_by_column() {
    let keys = Keys::Text(vec!["a".into()]);
    let s = PartialSummary::from_rows(&[0, 0], &[3.0, 4.0], Some(&[1.0, 2.0]), NAMES)
        .unwrap_or_else(|e| panic!("{e}"));
    let b = s.to_batch(&keys).unwrap_or_else(|e| panic!("{e}"));
    let with = |name: &str, a: arrow_array::ArrayRef| {
        let i = b.schema().index_of(name).unwrap_or_else(|e| panic!("{e}"));
        let mut cols = b.columns().to_vec();
        cols[i] = a;
        arrow_array::RecordBatch::try_new(b.schema(), cols).unwrap_or_else(|e| panic!("{e}"))
    };
    let err = |batch| PartialSummary::from_batches(&[batch]).err().map(|e| e.to_string()).unwrap_or_default();
    let e = err(with("day", crate::table::f64_array(vec![3.5, 4.0])));
    assert!(e.contains("'day'") && e.contains("row 0") && e.contains("3.5"), "{e}");
    let e = err(with("rows", crate::table::i64_array(vec![1, 0])));
    assert!(e.contains("'rows'") && e.contains("row 1"), "{e}");
    let e = err(with("spend", crate::table::f64_array(vec![-1.0, 2.0])));
    assert!(e.contains("'spend'") && e.contains("row 0"), "{e}");
}
