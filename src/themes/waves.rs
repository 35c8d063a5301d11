//! Step 3 of the cycle: did a change move theme prevalence and the value outcome?
//!
//! Between two waves (before, after): each theme's prevalence difference with the pooled
//! two-proportion z-test and an unpooled (Wald) interval; the outcome's mean difference with
//! Welch's t. With a control group (rows not exposed to the change), the difference in
//! differences (after - before among the treated) - (after - before among controls), with the
//! standard error sqrt(sum over the four cells of v_g / n_g), v_g the cell's variance with
//! divisor n_g: the heteroskedasticity-robust (HC0) error of the interaction in the saturated
//! regression y ~ after + treated + after x treated.

use crate::error::{Error, Result};
use crate::stats::hypothesis::{adjust, normal_quantile, normal_sf, t_two_sided, Correction};
use crate::table::{Categorical, Column, Columns};

/// One measure (a theme's prevalence, or the outcome's mean) between the waves.
#[derive(Debug, Clone, PartialEq)]
pub struct WaveRow {
    /// Theme or outcome column.
    pub name: String,
    /// "prevalence" or "mean".
    pub measure: &'static str,
    /// Value before (among the treated when there is a control group).
    pub before: f64,
    /// Value after.
    pub after: f64,
    /// after - before.
    pub difference: f64,
    /// Interval of the difference.
    pub ci_low: f64,
    /// Interval of the difference.
    pub ci_high: f64,
    /// z (prevalence) or Welch t (mean).
    pub statistic: f64,
    /// p-value of the difference.
    pub p: f64,
    /// Adjusted across the rows.
    pub q: f64,
    /// Difference in differences (NaN without a control group).
    pub did: f64,
    /// Interval of the difference in differences.
    pub did_ci_low: f64,
    /// Interval of the difference in differences.
    pub did_ci_high: f64,
    /// p-value of the difference in differences (normal, HC0 error).
    pub did_p: f64,
}

/// Count, mean and variance (divisor n and n - 1) of the rows selected by `keep`.
fn cell(y: &[f64], keep: impl Fn(usize) -> bool) -> (f64, f64, f64, f64) {
    let (mut n, mut s) = (0.0, 0.0);
    for (i, v) in y.iter().enumerate() {
        if keep(i) {
            n += 1.0;
            s += v;
        }
    }
    let m = s / n;
    let ss: f64 = y.iter().enumerate().filter(|(i, _)| keep(*i)).map(|(_, v)| (v - m) * (v - m)).sum();
    (n, m, ss / n, ss / (n - 1.0))
}

/// Compares two waves. `after[i]` marks the second wave; `control[i]` marks rows of the
/// control group (not exposed to the change).
pub fn compare_waves(
    themes: &[Column<bool>],
    outcome: Option<&Column<f64>>,
    after: &Column<bool>,
    control: Option<&Column<bool>>,
    correction: Correction,
    level: f64,
) -> Result<Vec<WaveRow>> {
    if themes.is_empty() && outcome.is_none() {
        return Err(Error::parameter("themes", "give at least one theme column or an outcome"));
    }
    let n = after.len();
    let z = normal_quantile(0.5 + level / 2.0);
    let ctrl = |i: usize| control.is_some_and(|c| c.values.get(i).copied().unwrap_or(false));
    let post = |i: usize| after.values.get(i).copied().unwrap_or(false);
    for (g, name) in [(false, "before"), (true, "after")] {
        let treated = (0..n).filter(|i| post(*i) == g && !ctrl(*i)).count();
        if treated < 2 {
            return Err(Error::input(
                &after.name,
                format!("the {name} wave has {treated} (treated) rows; need 2"),
            ));
        }
        let controls = (0..n).filter(|i| post(*i) == g && ctrl(*i)).count();
        if let (Some(c), true) = (control, controls < 2) {
            return Err(Error::input(
                &c.name,
                format!("the control group has {controls} rows in the {name} wave"),
            ));
        }
    }
    let mut series: Vec<(String, &'static str, Vec<f64>)> = themes
        .iter()
        .map(|t| (t.name.clone(), "prevalence", t.values.iter().map(|b| f64::from(u8::from(*b))).collect()))
        .collect();
    if let Some(y) = outcome {
        if y.len() != n {
            return Err(Error::input(&y.name, format!("has {} rows, expected {n}", y.len())));
        }
        series.push((y.name.clone(), "mean", y.values.to_vec()));
    }
    let mut rows = Vec::new();
    for (name, measure, y) in series {
        if y.len() != n {
            return Err(Error::input(&name, format!("has {} rows, expected {n}", y.len())));
        }
        let (n0, m0, v0, s0) = cell(&y, |i| !post(i) && !ctrl(i));
        let (n1, m1, v1, s1) = cell(&y, |i| post(i) && !ctrl(i));
        let diff = m1 - m0;
        let (statistic, p, se) = if measure == "prevalence" {
            let pooled = (m0 * n0 + m1 * n1) / (n0 + n1);
            let zstat = diff / (pooled * (1.0 - pooled) * (1.0 / n0 + 1.0 / n1)).sqrt();
            (zstat, (2.0 * normal_sf(zstat.abs())).min(1.0), (v0 / n0 + v1 / n1).sqrt())
        } else {
            let se2 = s0 / n0 + s1 / n1;
            let df = se2 * se2 / ((s0 / n0).powi(2) / (n0 - 1.0) + (s1 / n1).powi(2) / (n1 - 1.0));
            let t = diff / se2.sqrt();
            (t, t_two_sided(t, df), se2.sqrt())
        };
        let mut row = WaveRow {
            name,
            measure,
            before: m0,
            after: m1,
            difference: diff,
            ci_low: diff - z * se,
            ci_high: diff + z * se,
            statistic,
            p: if p.is_nan() && diff == 0.0 { 1.0 } else { p },
            q: f64::NAN,
            did: f64::NAN,
            did_ci_low: f64::NAN,
            did_ci_high: f64::NAN,
            did_p: f64::NAN,
        };
        if control.is_some() {
            let (c0, cm0, cv0, _) = cell(&y, |i| !post(i) && ctrl(i));
            let (c1, cm1, cv1, _) = cell(&y, |i| post(i) && ctrl(i));
            let did = diff - (cm1 - cm0);
            let se = (v0 / n0 + v1 / n1 + cv0 / c0 + cv1 / c1).sqrt();
            row.did = did;
            row.did_ci_low = did - z * se;
            row.did_ci_high = did + z * se;
            row.did_p = if se > 0.0 { (2.0 * normal_sf((did / se).abs())).min(1.0) } else { f64::NAN };
        }
        rows.push(row);
    }
    let p: Vec<f64> = rows.iter().map(|r| r.p).collect();
    for (r, q) in rows.iter_mut().zip(adjust(&p, correction)) {
        r.q = q;
    }
    Ok(rows)
}

/// The two waves of a wave column: `before` names the first (default: the first level
/// present in level order), the other level present is the second. Returns their level labels
/// and, per row, whether it belongs to the second wave (the `after` flag of
/// [`compare_waves`]). Anything but exactly two levels present is an input error.
pub fn split_waves(wave: &Categorical, before: Option<&str>) -> Result<((String, String), Column<bool>)> {
    let name = wave.codes.name.as_str();
    let mut present: Vec<u32> = wave.codes.values.to_vec();
    present.sort_unstable();
    present.dedup();
    if present.len() != 2 {
        let shown: Vec<&str> =
            present.iter().take(5).filter_map(|c| wave.levels.get(*c as usize).map(String::as_str)).collect();
        return Err(Error::input(
            name,
            format!(
                "needs exactly two waves (levels), found {} ({}); filter the table to two waves",
                present.len(),
                shown.join(", ")
            ),
        ));
    }
    let label = |c: u32| wave.levels.get(c as usize).cloned().unwrap_or_default();
    let first = match before {
        Some(b) => present.iter().copied().find(|c| label(*c) == b).ok_or_else(|| {
            let levels: Vec<String> = present.iter().map(|c| label(*c)).collect();
            Error::parameter(
                "before",
                format!("'{b}' is not a wave of '{name}'; its waves are {}", levels.join(", ")),
            )
        })?,
        None => present.first().copied().unwrap_or(0),
    };
    let second = present.iter().copied().find(|c| *c != first).unwrap_or(0);
    let after = Column::new(name, wave.codes.values.iter().map(|v| *v != first).collect());
    Ok(((label(first), label(second)), after))
}

/// The comparison as a table: theme, measure, before, after, difference with its interval,
/// statistic, p, q, and the difference in differences (did, its interval and p).
pub fn table(rows: &[WaveRow]) -> Result<arrow_array::RecordBatch> {
    let f = |g: fn(&WaveRow) -> f64| rows.iter().map(g).collect::<Vec<f64>>();
    Columns::new()
        .text("theme", rows.iter().map(|r| r.name.clone()))
        .text("measure", rows.iter().map(|r| r.measure.to_string()))
        .f64("before", f(|r| r.before))
        .f64("after", f(|r| r.after))
        .f64("difference", f(|r| r.difference))
        .f64("ci_low", f(|r| r.ci_low))
        .f64("ci_high", f(|r| r.ci_high))
        .f64("statistic", f(|r| r.statistic))
        .f64("p", f(|r| r.p))
        .f64("q", f(|r| r.q))
        .f64("did", f(|r| r.did))
        .f64("did_ci_low", f(|r| r.did_ci_low))
        .f64("did_ci_high", f(|r| r.did_ci_high))
        .f64("did_p", f(|r| r.did_p))
        .batch()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_waves_picks_the_two_levels_and_flags_the_second() {
        let wave = Categorical {
            codes: Column::new("wave", vec![2, 0, 2, 0]),
            levels: vec!["a".into(), "unused".into(), "c".into()],
        };
        let ((b, a), after) = split_waves(&wave, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((b.as_str(), a.as_str()), ("a", "c"));
        assert_eq!(after.values.as_slice(), &[true, false, true, false]);
        let ((b, _), after) = split_waves(&wave, Some("c")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b, "c");
        assert_eq!(after.values.as_slice(), &[false, true, false, true]);
        let e = split_waves(&wave, Some("x")).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("'x'") && e.contains("a, c"), "{e}");
        let one = Categorical { codes: Column::new("wave", vec![0, 0]), levels: vec!["a".into()] };
        let e = split_waves(&one, None).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("exactly two") && e.contains("found 1"), "{e}");
    }

    #[test]
    fn a_drop_among_the_treated_only_is_a_difference_in_differences() {
        let n = 4000;
        let after: Vec<bool> = (0..n).map(|i| i % 2 == 1).collect();
        let control: Vec<bool> = (0..n).map(|i| i % 4 >= 2).collect();
        // prevalence 0.3 everywhere except treated-after: 0.1
        let theme: Vec<bool> =
            (0..n).map(|i| (i / 4) % 10 < if after[i] && !control[i] { 1 } else { 3 }).collect();
        let rows = compare_waves(
            &[Column::new("t", theme)],
            None,
            &Column::new("wave", after),
            Some(&Column::new("control", control)),
            Correction::FdrBh,
            0.95,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!((rows[0].difference + 0.2).abs() < 1e-12);
        assert!((rows[0].did + 0.2).abs() < 1e-12);
        assert!(rows[0].did_p < 1e-10);
    }
}
