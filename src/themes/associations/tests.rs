//! Tests of the theme x metadata grid.

use super::*;

fn cat(name: &str, codes: Vec<u32>, levels: &[&str]) -> Metadata {
    Metadata::Categorical(Categorical {
        codes: Column::new(name, codes),
        levels: levels.iter().map(|s| s.to_string()).collect(),
    })
}

fn opts() -> Options<'static> {
    Options::new(Correction::FdrBh, 5, 0.95).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn planted_lift_is_recovered_and_rare_levels_are_untestable() {
    // 300 rows: level a (100 rows, 50 mentions), b (195 rows, 20 mentions), c (5 -> 4 rows).
    let mut codes = Vec::new();
    let mut theme = Vec::new();
    for i in 0..300u32 {
        let (c, t) = if i < 100 {
            (0, i < 50)
        } else if i < 296 {
            (1, i < 120)
        } else {
            (2, true)
        };
        codes.push(c);
        theme.push(t);
    }
    let rows =
        theme_associations(&[Column::new("t", theme)], &[cat("region", codes, &["a", "b", "c"])], opts())
            .unwrap_or_else(|e| panic!("{e}"));
    let a = rows.iter().find(|r| r.level.as_deref() == Some("a")).unwrap_or_else(|| panic!("no row"));
    let overall = 74.0 / 300.0;
    assert!((a.effect - 0.5 / overall).abs() < 1e-12);
    assert!(a.effect_ci_low < a.effect && a.effect < a.effect_ci_high);
    assert!(a.q < 0.001);
    let c = rows.iter().find(|r| r.level.as_deref() == Some("c")).unwrap_or_else(|| panic!("no row"));
    assert!(c.p.is_nan() && c.note.contains("untestable"));
    let omni = rows.iter().find(|r| r.level.is_none()).unwrap_or_else(|| panic!("no row"));
    assert!(omni.note.contains("left out"));
}

#[test]
fn constant_and_all_missing_variables_are_untestable() {
    let theme = Column::new("t", (0..50).map(|i| i % 3 == 0).collect());
    let constant = Metadata::Numeric(Column::new("x", vec![2.0; 50]));
    let missing = Metadata::Numeric(Column {
        name: "y".into(),
        values: vec![0.0; 50].into(),
        valid: Some(vec![false; 50]),
    });
    let rows = theme_associations(&[theme], &[constant, missing], opts()).unwrap_or_else(|e| panic!("{e}"));
    assert!(rows.iter().all(|r| r.p.is_nan()));
    assert!(rows.iter().any(|r| r.note.contains("constant")));
    assert!(rows.iter().any(|r| r.note.contains("missing")));
}

#[test]
fn permutation_p_is_the_same_on_any_number_of_threads_and_near_the_chi_square() {
    let sizes = [40u64, 35, 6, 5, 30];
    let counts = [3u64, 9, 3, 0, 2];
    let p_on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
            .install(|| permutation_p(&sizes, &counts, 1000, 9))
    };
    let p1 = p_on(1);
    assert_eq!(p1, p_on(3));
    assert_ne!(p1, permutation_p(&sizes, &counts, 1000, 10));
    let asymptotic = chi2_sf(chi2_two_by_l(&sizes, &counts), 4.0);
    assert!((p1 - asymptotic).abs() < 0.1, "{p1} vs {asymptotic}");
}

#[test]
fn sparse_tables_with_more_than_two_levels_get_a_permutation_test() {
    let codes: Vec<u32> = (0..60).map(|i| (i % 4) as u32).collect();
    let theme: Vec<bool> = (0..60).map(|i| i % 4 == 0 && i < 30).collect();
    let o = opts().permutations(500, 3).unwrap_or_else(|e| panic!("{e}"));
    let rows = theme_associations(&[Column::new("t", theme)], &[cat("g", codes, &["a", "b", "c", "d"])], o)
        .unwrap_or_else(|e| panic!("{e}"));
    let omni = rows.iter().find(|r| r.level.is_none()).unwrap_or_else(|| panic!("no row"));
    assert_eq!(omni.test, "permutation");
    assert!(omni.p < 0.01 && omni.p >= 1.0 / 501.0, "{omni:?}");
    assert!(omni.effect_ci_low < omni.effect && omni.effect < omni.effect_ci_high, "{omni:?}");
}

#[test]
fn numeric_group_difference_is_detected() {
    let theme: Vec<bool> = (0..200).map(|i| i % 2 == 0).collect();
    let x: Vec<f64> =
        (0..200).map(|i| if i % 2 == 0 { 1.0 } else { 0.0 } + (i as f64 * 0.37).sin()).collect();
    let rows =
        theme_associations(&[Column::new("t", theme)], &[Metadata::Numeric(Column::new("x", x))], opts())
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.p < 1e-6 && r.effect > 0.0), "{rows:?}");
}

/// A row's fields with floats as bits (NaN equal to NaN), as text.
fn row_bits(r: &Row) -> String {
    let f: Vec<u64> = [r.statistic, r.p, r.q, r.effect, r.effect_ci_low, r.effect_ci_high]
        .iter()
        .map(|x| x.to_bits())
        .collect();
    format!(
        "{:?} {} {} {:?} {} {f:?} {} {} {}",
        r.stratum, r.theme, r.variable, r.level, r.test, r.n, r.mentions, r.note
    )
}

#[test]
fn histograms_of_random_parts_merged_in_any_order_give_the_grid_bit_for_bit() {
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(21);
    let n = 900;
    let region: Vec<u32> = (0..n).map(|_| rng.random_range(0..4)).collect();
    let stratum: Vec<u32> = (0..n).map(|_| rng.random_range(0..3)).collect();
    let age: Vec<f64> = (0..n).map(|_| f64::from(rng.random_range(18..70u32))).collect();
    let spend: Vec<f64> =
        (0..n).map(|i| if i % 17 == 0 { f64::NAN } else { rng.random::<f64>() * 100.0 }).collect();
    let flags = |p: f64, rng: &mut rand_chacha::ChaCha8Rng| -> Vec<bool> {
        (0..n).map(|_| rng.random::<f64>() < p).collect()
    };
    let (t1, t2) = (flags(0.3, &mut rng), flags(0.05, &mut rng));
    let levels = |k: usize| (0..k).map(|i| format!("l{i}")).collect::<Vec<_>>();
    let build = |idx: &[usize]| {
        let pick_b = |v: &[bool]| Column::new("x", idx.iter().map(|&i| v[i]).collect::<Vec<_>>());
        let pick_f = |v: &[f64], name: &str| {
            let mut c = Column::new(name, idx.iter().map(|&i| v[i]).collect::<Vec<_>>());
            c.valid = Some(idx.iter().map(|&i| !v[i].is_nan()).collect());
            c
        };
        let themes =
            vec![Column { name: "t1".into(), ..pick_b(&t1) }, Column { name: "t2".into(), ..pick_b(&t2) }];
        let meta = vec![
            Metadata::Categorical(Categorical {
                codes: Column::new("region", idx.iter().map(|&i| region[i]).collect::<Vec<_>>()),
                levels: levels(4),
            }),
            Metadata::Numeric(pick_f(&age, "age")),
            Metadata::Numeric(pick_f(&spend, "spend")),
        ];
        let by = Categorical {
            codes: Column::new("wave", idx.iter().map(|&i| stratum[i]).collect::<Vec<_>>()),
            levels: vec!["w1".into(), "w2".into(), "w3".into()],
        };
        (themes, meta, by)
    };
    let all: Vec<usize> = (0..n).collect();
    let (themes, meta, by) = build(&all);
    let opts = opts().permutations(500, 3).unwrap_or_else(|e| panic!("{e}"));
    let want = theme_associations_by(&themes, &meta, Some(&by), opts).unwrap_or_else(|e| panic!("{e}"));
    let variables: Vec<String> = vec!["region".into(), "age".into(), "spend".into()];
    let names: Vec<String> = vec!["t1".into(), "t2".into()];
    let mut order = all.clone();
    order.shuffle(&mut rng);
    let mut batches = Vec::new();
    for part in order.chunks(n / 4 + 1) {
        let (t, m, b) = build(part);
        let (strata, totals) = strata_hists(&t, &m, Some(&b)).unwrap_or_else(|e| panic!("{e}"));
        batches.push(
            hist::to_batch(Some("wave"), &strata, &variables, &totals).unwrap_or_else(|e| panic!("{e}")),
        );
    }
    batches.reverse();
    let (strata, n_rows) = hist::from_batches(
        &batches,
        Some("wave"),
        &variables,
        &[false, true, true],
        2,
        &[],
        &vec![Vec::new(); 3],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(n_rows, n);
    let got = grid_of_strata(&names, &variables, &strata, opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got.len(), want.len());
    for (a, b) in got.iter().zip(&want) {
        assert_eq!(row_bits(a), row_bits(b));
    }
}
