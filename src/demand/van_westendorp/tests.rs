//! Tests of the Van Westendorp core.

use super::*;

#[test]
fn invalid_rows_are_the_ones_validation_refuses() {
    let a = [1.0, 2.0, 1.0, 1.0];
    let b = [2.0, 2.0, 2.0, 5.0];
    let c = [3.0, 3.0, 3.0, 3.0];
    let d = [4.0, 4.0, 3.0, 4.0];
    assert_eq!(invalid_rows([&a, &b, &c, &d], Validate::Strict), vec![1, 2, 3]);
    assert_eq!(invalid_rows([&a, &b, &c, &d], Validate::Weak), vec![3]);
    assert!(invalid_rows([&a, &b, &c, &d], Validate::None).is_empty());
}
use proptest::prelude::*;

fn cols(rows: &[[f64; 4]]) -> [Column<f64>; 4] {
    let names = ["too_cheap", "cheap", "expensive", "too_expensive"];
    let mut k = 0;
    names.map(|n| {
        let c = Column::new(n, rows.iter().map(|r| r[k]).collect());
        k += 1;
        c
    })
}

fn run(rows: &[[f64; 4]], validate: Validate, range: PriceRange) -> Result<VwResult> {
    let c = cols(rows);
    let ans = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: None };
    van_westendorp(&ans, validate, range, None, None, 0, None)
}

/// The same conventions written the slow way: every curve evaluated by counting.
fn brute_points(rows: &[[f64; 4]], range: PriceRange) -> Points {
    let mut prices: Vec<f64> = rows.iter().flat_map(|r| r.iter().copied()).collect();
    prices.sort_by(f64::total_cmp);
    prices.dedup();
    let n = rows.len() as f64;
    let ge = |q: usize, p: f64| rows.iter().filter(|r| r[q] >= p).count() as f64;
    let gt = |q: usize, p: f64| rows.iter().filter(|r| r[q] > p).count() as f64;
    let le = |q: usize, p: f64| rows.iter().filter(|r| r[q] <= p).count() as f64;
    // curve id -> (value at p, value just after p)
    let curve = |id: usize, p: f64| -> (f64, f64) {
        match id {
            0 => (ge(0, p), gt(0, p)),
            1 => (ge(1, p), gt(1, p)),
            2 => (le(2, p), le(2, p)),
            3 => (le(3, p), le(3, p)),
            4 => (n - ge(1, p), n - gt(1, p)),
            _ => (n - le(2, p), n - le(2, p)),
        }
    };
    let cross = |a: usize, b: usize| -> Option<f64> {
        let s0 = sign(curve(a, prices[0]).0 - curve(b, prices[0]).0);
        prices.iter().copied().find(|p| {
            let (a0, a1) = curve(a, *p);
            let (b0, b1) = curve(b, *p);
            sign(a0 - b0) != s0 || sign(a1 - b1) != s0
        })
    };
    let (pmc, pme) = match range {
        PriceRange::Original => (cross(0, 4), cross(3, 5)),
        PriceRange::Narrower => (cross(0, 2), cross(3, 1)),
    };
    Points { opp: cross(0, 3), ipp: cross(1, 2), pmc, pme }
}

#[test]
fn dropped_respondents_are_counted() {
    let r = run(
        &[[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0]],
        Validate::Strict,
        PriceRange::Original,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((r.n_valid, r.n_dropped), (1, 2));
    let r = run(
        &[[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0]],
        Validate::Weak,
        PriceRange::Original,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((r.n_valid, r.n_dropped), (2, 1));
}

/// Random rows mixing every kind of price the fast path treats differently: whole numbers
/// in the dense range, fractions, whole numbers beyond it, huge values; increasing rows,
/// ties and disorder.
fn mixed_rows(n: usize, seed: u64) -> Vec<[f64; 4]> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let price = |rng: &mut rand_chacha::ChaCha8Rng| match rng.random_range(0..10) {
        0 => f64::from(rng.random_range(1..200u32)) * 0.5,
        1 => f64::from(rng.random_range(4090..4100u32)),
        2 => rng.random_range(1.0..1e7),
        _ => f64::from(rng.random_range(1..80u32)),
    };
    (0..n)
        .map(|_| {
            let mut a = [price(&mut rng), price(&mut rng), price(&mut rng), price(&mut rng)];
            if rng.random_range(0..10) < 8 {
                a.sort_by(f64::total_cmp);
            }
            a
        })
        .collect()
}

#[test]
fn unweighted_fast_path_matches_the_weighted_pass() {
    // weights of one take the general pass; the unweighted call takes the counting pass
    for (k, n) in [1, 7, BLOCK - 1, BLOCK + 3, CHUNK + 2 * BLOCK + 5].into_iter().enumerate() {
        let rows = mixed_rows(n, k as u64);
        let c = cols(&rows);
        let ones = Column::new("w", vec![1.0; n]);
        for validate in [Validate::Strict, Validate::Weak, Validate::None] {
            let fast = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: None };
            let general = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: Some(&ones) };
            let a = van_westendorp(&fast, validate, PriceRange::Original, None, None, 0, None);
            let b = van_westendorp(&general, validate, PriceRange::Original, None, None, 0, None);
            match (a, b) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "n = {n}, {validate:?}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("n = {n}, {validate:?}: {a:?} against {b:?}"),
            }
        }
        if n > CHUNK {
            let r = run(&rows, Validate::Strict, PriceRange::Original).unwrap_or_else(|e| panic!("{e}"));
            let spilled = r.price.iter().any(|p| p.fract() != 0.0) && r.price.iter().any(|p| *p >= 4096.0);
            assert!(spilled, "the rows must exercise the histogram path too");
        }
    }
}

#[test]
fn bootstrap_intervals_match_brute_force_points_on_the_same_resamples() {
    // the replicates drawn again here from the documented streams, one draw at a time, with
    // the points of each resample counted the slow way; 150 respondents is not a whole
    // number of the core's batches of 64 draws
    use rand::Rng;
    let rows: Vec<[f64; 4]> = mixed_rows(600, 11)
        .into_iter()
        .filter(|a| a.iter().all(|p| dense_slot(*p).1) && strictly_increasing(*a))
        .take(150)
        .collect();
    assert_eq!(rows.len(), 150);
    let (level, reps, seed) = (0.8, 40, 5);
    let c = cols(&rows);
    let ans = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: None };
    let got =
        van_westendorp(&ans, Validate::Strict, PriceRange::Original, None, Some((level, reps)), seed, None)
            .unwrap_or_else(|e| panic!("{e}"))
            .intervals
            .unwrap_or_else(|| panic!("no intervals"));
    let replicates: Vec<[f64; 4]> = (0..reps as u64)
        .map(|r| {
            let mut rng = stream(seed, r);
            let resample: Vec<[f64; 4]> =
                (0..rows.len()).map(|_| rows[rng.random_range(0..rows.len())]).collect();
            let p = brute_points(&resample, PriceRange::Original);
            [p.opp, p.ipp, p.pmc, p.pme].map(|v| v.unwrap_or(f64::NAN))
        })
        .collect();
    for k in 0..4 {
        let want = percentile_interval(&replicates.iter().map(|r| r[k]).collect::<Vec<_>>(), level);
        assert_eq!(got.points[k], want, "point {k}");
    }
}

#[test]
fn a_bad_price_past_the_first_chunk_is_named() {
    let mut rows = mixed_rows(CHUNK + 10, 9);
    rows[CHUNK + 4][2] = 0.0;
    let message = |rows: &[[f64; 4]], v| run(rows, v, PriceRange::Original).err().map(|e| e.to_string());
    let err = message(&rows, Validate::Strict).unwrap_or_default();
    assert!(err.contains("expensive") && err.contains(&format!("row {}", CHUNK + 4)), "{err}");
    rows[CHUNK + 4][2] = f64::NAN;
    let err = message(&rows, Validate::None).unwrap_or_default();
    assert!(err.contains(&format!("row {}", CHUNK + 4)), "{err}");
}

#[test]
fn all_invalid_is_an_input_error_naming_the_columns() {
    let e = run(&[[4.0, 3.0, 2.0, 1.0]], Validate::Strict, PriceRange::Original)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("too_cheap") && e.contains("invalid"), "{e}");
}

#[test]
fn hand_computed_points() {
    // Two respondents. Prices 1..8.
    let rows = [[1.0, 3.0, 5.0, 7.0], [2.0, 4.0, 6.0, 8.0]];
    let r = run(&rows, Validate::Strict, PriceRange::Original).unwrap_or_else(|e| panic!("{e}"));
    // too_cheap >= p: 2 at 1, 1 at 2, 0 after; too_expensive <= p: 0 until 7.
    // difference starts positive (2 - 0) and first reaches 0 just after 2: OPP = 2.
    assert_eq!(r.points.opp, Some(2.0));
    // cheap >= p: 2,2,2,1,0..; expensive <= p: 0,0,0,0,1,2: cheap - expensive hits 0 just after 4.
    assert_eq!(r.points.ipp, Some(4.0));
    assert_eq!(r.points, brute_points(&rows, PriceRange::Original));
}

#[test]
fn nms_reach_is_exact_on_the_piecewise_function() {
    let c = cols(&[[10.0, 20.0, 30.0, 40.0]]);
    let ic = Column::new("intent_cheap", vec![5.0]);
    let ie = Column::new("intent_expensive", vec![3.0]);
    let nms = Nms {
        intent_cheap: &ic,
        intent_expensive: &ie,
        calibration: vec![(5.0, 0.7), (4.0, 0.5), (3.0, 0.3), (2.0, 0.1), (1.0, 0.0)],
        cost: Some(5.0),
    };
    let ans = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: None };
    let r = van_westendorp(&ans, Validate::Strict, PriceRange::Original, Some(&nms), None, 0, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let n = r.nms.unwrap_or_else(|| panic!("nms"));
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(
        close(n.reach[0], 0.0) && close(n.reach[1], 0.7) && close(n.reach[2], 0.3) && close(n.reach[3], 0.0)
    );
    assert_eq!(n.reach_optimal, (20.0, 0.7));
    // revenue: 20 * 0.7 = 14 at the knot; on [20, 30] R = 0.7 - 0.04 (p - 20) -> p R max at p = 18.75 < 20
    // on [10, 20] R = 0.07 (p - 10) -> p R rising; so 14 at 20. On [30, 40] R = 0.3 - 0.03 (p - 30):
    // p R = p (1.2 - 0.03 p) peaks at 20 (outside). Revenue-optimal 20.
    assert!(close(n.revenue_optimal.0, 20.0) && close(n.revenue_optimal.1, 14.0));
    // profit with cost 5 on [20, 30]: (p - 5)(1.5 - 0.04 p) -> p* = (1.5 + 0.2) / 0.08 = 21.25
    let (p, v) = n.profit_optimal.unwrap_or((0.0, 0.0));
    assert!(close(p, 21.25), "{p}");
    assert!(close(v, (21.25 - 5.0) * (1.5 - 0.04 * 21.25)));
}

#[test]
fn intents_outside_the_calibration_name_the_column() {
    let c = cols(&[[10.0, 20.0, 30.0, 40.0]]);
    let ic = Column::new("intent_cheap", vec![7.0]);
    let ie = Column::new("intent_expensive", vec![3.0]);
    let nms = Nms {
        intent_cheap: &ic,
        intent_expensive: &ie,
        calibration: vec![(5.0, 0.7), (3.0, 0.3)],
        cost: None,
    };
    let ans = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: None };
    let e = van_westendorp(&ans, Validate::Strict, PriceRange::Original, Some(&nms), None, 0, None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("'intent_cheap'") && e.contains("7"), "{e}");
}

proptest! {
    #[test]
    fn points_match_the_brute_force_and_pmc_le_pme(
        raw in proptest::collection::vec((1u8..30, 1u8..10, 1u8..10, 1u8..10), 1..60),
        narrower in proptest::bool::ANY,
    ) {
        let rows: Vec<[f64; 4]> = raw.iter().map(|(a, b, c, d)| {
            let a = f64::from(*a);
            let b = a + f64::from(*b);
            let c = b + f64::from(*c);
            [a, b, c, c + f64::from(*d)]
        }).collect();
        let range = if narrower { PriceRange::Narrower } else { PriceRange::Original };
        let r = run(&rows, Validate::Strict, range).unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(r.points, brute_points(&rows, range));
        if let (Some(a), Some(b)) = (r.points.pmc, r.points.pme) {
            if range == PriceRange::Original { prop_assert!(a <= b); }
        }
        let mut rev = rows.clone();
        rev.reverse();
        let r2 = run(&rev, Validate::Strict, range).unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(r.points, r2.points);
    }
}

#[test]
fn refused_respondents_of_every_group_are_logged_by_input_row() {
    use crate::table::{Categorical, Groups, RowLog};
    // rows 1 and 4 are out of order; rows 0-2 are group "a", rows 3-5 group "b": the second
    // group's refusal must not be shifted by the first group's
    let rows = [
        [1.0, 2.0, 3.0, 4.0],
        [4.0, 3.0, 2.0, 1.0],
        [2.0, 3.0, 4.0, 5.0],
        [1.0, 2.0, 4.0, 8.0],
        [5.0, 2.0, 3.0, 4.0],
        [1.0, 3.0, 5.0, 7.0],
    ];
    let c = cols(&rows);
    let by =
        Categorical { codes: Column::new("g", vec![0, 0, 0, 1, 1, 1]), levels: vec!["a".into(), "b".into()] };
    let groups = Groups::new(Some(&by));
    let opts = Options {
        validate: Validate::Strict,
        range: PriceRange::Original,
        crossing: Crossing::Observed,
        calibration: Vec::new(),
        cost: None,
        ci: None,
        seed: 0,
    };
    let cols4 = Columns4 { prices: [&c[0], &c[1], &c[2], &c[3]], weights: None, intents: None };
    let out = analyse(&cols4, &groups, &opts, None, RowLog::new(6)).unwrap_or_else(|e| panic!("{e}"));
    let refused: Vec<usize> = out.rows.dropped().iter().map(|d| d.0).collect();
    assert_eq!(refused, vec![1, 4]);
    assert!(out.rows.dropped().iter().all(|d| d.1 == INCONSISTENT));
}
