//! Hypothesis-test building blocks: tail probabilities, Fisher's exact test, Wilson intervals,
//! average ranks with the tie term, and multiple-testing adjustment (BH, BY, Bonferroni).

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};

use crate::error::{Error, Result};
use crate::stats::special::ln_gamma;

/// Upper tail P(Z > z) of the standard normal.
pub fn normal_sf(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    0.5 * statrs::function::erf::erfc(z / std::f64::consts::SQRT_2)
}

/// The standard normal quantile at probability `p` (0 < p < 1).
pub fn normal_quantile(p: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(f64::NAN, |d| d.inverse_cdf(p))
}

/// Upper tail P(X > x) of a chi-square with `df` degrees of freedom (NaN when undefined).
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    if !x.is_finite() || df <= 0.0 {
        return f64::NAN;
    }
    ChiSquared::new(df).map_or(f64::NAN, |d| d.sf(x.max(0.0)))
}

/// Two-sided P(|T| > |t|) of Student's t with `df` degrees of freedom.
pub fn t_two_sided(t: f64, df: f64) -> f64 {
    if !t.is_finite() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| (2.0 * d.sf(t.abs())).min(1.0))
}

/// Fisher's exact test on the 2x2 table `[[a, b], [c, d]]`: (sample odds ratio a d / (b c),
/// two-sided p-value). The two-sided p sums the hypergeometric probabilities of every table with
/// the same margins that is no more probable than the observed one (relative tolerance 1e-7, as
/// scipy.stats.fisher_exact).
pub fn fisher_exact(a: u64, b: u64, c: u64, d: u64) -> (f64, f64) {
    let odds = if b == 0 || c == 0 { f64::INFINITY } else { (a as f64 * d as f64) / (b as f64 * c as f64) };
    let odds = if (a == 0 || d == 0) && (b == 0 || c == 0) { f64::NAN } else { odds };
    let r1 = a + b; // first row total
    let c1 = a + c; // first column total
    let n = a + b + c + d;
    let lo = (r1 + c1).saturating_sub(n);
    let hi = r1.min(c1);
    let ln_choose =
        |n: u64, k: u64| ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0);
    let ln_total = ln_choose(n, c1);
    let ln_pmf = |x: u64| ln_choose(r1, x) + ln_choose(n - r1, c1 - x) - ln_total;
    let observed = ln_pmf(a);
    let cut = observed + (1e-7f64).ln_1p();
    let mut p = 0.0;
    for x in lo..=hi {
        let l = ln_pmf(x);
        if l <= cut {
            p += l.exp();
        }
    }
    (odds, p.min(1.0))
}

/// The Wilson score interval for a proportion `x / n` at two-sided confidence `level`.
pub fn wilson(x: f64, n: f64, level: f64) -> (f64, f64) {
    if n <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let z = normal_quantile(0.5 + level / 2.0);
    let p = x / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Average ranks (1-based; ties share the mean of their positions) of `values`, and the tie term
/// sum over tie groups of (t^3 - t). NaN values must be removed first.
pub fn average_ranks(values: &[f64]) -> (Vec<f64>, f64) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_unstable_by(|a, b| {
        let x = values.get(*a).copied().unwrap_or(f64::NAN);
        let y = values.get(*b).copied().unwrap_or(f64::NAN);
        x.total_cmp(&y)
    });
    let mut ranks = vec![0.0; values.len()];
    let mut ties = 0.0;
    let mut i = 0;
    while i < order.len() {
        let v = order.get(i).and_then(|k| values.get(*k)).copied().unwrap_or(f64::NAN);
        let mut j = i + 1;
        while j < order.len() && order.get(j).and_then(|k| values.get(*k)).copied() == Some(v) {
            j += 1;
        }
        let rank = (i + j + 1) as f64 / 2.0;
        for k in order.get(i..j).unwrap_or_default() {
            if let Some(r) = ranks.get_mut(*k) {
                *r = rank;
            }
        }
        let t = (j - i) as f64;
        ties += t * t * t - t;
        i = j;
    }
    (ranks, ties)
}

/// A multiple-testing correction across a family of p-values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correction {
    /// Benjamini-Hochberg (1995) false discovery rate.
    FdrBh,
    /// Benjamini-Yekutieli (2001) false discovery rate under any dependence.
    FdrBy,
    /// Bonferroni family-wise error rate.
    Bonferroni,
    /// No adjustment: q = p.
    None,
}

impl Correction {
    /// Parses statsmodels' names: `"fdr_bh"`, `"fdr_by"`, `"bonferroni"`, `"none"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "fdr_bh" => Ok(Correction::FdrBh),
            "fdr_by" => Ok(Correction::FdrBy),
            "bonferroni" => Ok(Correction::Bonferroni),
            "none" => Ok(Correction::None),
            o => Err(Error::parameter(
                "correction",
                format!("must be 'fdr_bh', 'fdr_by', 'bonferroni' or 'none', got '{o}'"),
            )),
        }
    }
}

/// Adjusted p-values (q) for `p`; NaN entries are left out of the family and stay NaN.
///
/// BH: q_(i) = min over j >= i of m p_(j) / j, capped at 1 (sorted ascending, m tests).
/// BY: the BH values times c(m) = sum_{k=1..m} 1/k, capped at 1. Bonferroni: min(1, m p).
/// Matches statsmodels' `multipletests(p, method=...)[1]`.
pub fn adjust(p: &[f64], method: Correction) -> Vec<f64> {
    let idx: Vec<usize> = (0..p.len()).filter(|i| p.get(*i).is_some_and(|v| !v.is_nan())).collect();
    let m = idx.len() as f64;
    let mut q = vec![f64::NAN; p.len()];
    let pv = |i: usize| p.get(i).copied().unwrap_or(f64::NAN);
    match method {
        Correction::None => return p.to_vec(),
        Correction::Bonferroni => {
            for &i in &idx {
                if let Some(v) = q.get_mut(i) {
                    *v = (pv(i) * m).min(1.0);
                }
            }
            return q;
        }
        Correction::FdrBh | Correction::FdrBy => {}
    }
    let scale = if method == Correction::FdrBy { (1..=idx.len()).map(|k| 1.0 / k as f64).sum() } else { 1.0 };
    let mut sorted = idx;
    sorted.sort_by(|a, b| pv(*a).total_cmp(&pv(*b)));
    let mut running = f64::INFINITY;
    for (rank, &i) in sorted.iter().enumerate().rev() {
        let v = pv(i) * m * scale / (rank + 1) as f64;
        running = running.min(v);
        if let Some(slot) = q.get_mut(i) {
            *slot = running.min(1.0);
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fisher_matches_a_hand_computed_table() {
        // scipy.stats.fisher_exact([[8, 2], [1, 5]]) -> (20.0, 0.03496503496503495)
        let (or, p) = fisher_exact(8, 2, 1, 5);
        assert!((or - 20.0).abs() < 1e-12);
        assert!((p - 0.034_965_034_965_034_95).abs() < 1e-10, "{p}");
    }

    #[test]
    fn bh_is_monotone_and_bonferroni_caps_at_one() {
        let p = [0.01, 0.04, f64::NAN, 0.03, 0.5];
        let q = adjust(&p, Correction::FdrBh);
        assert!(q[2].is_nan());
        // m = 4: sorted 0.01, 0.03, 0.04, 0.5 -> 0.04, 0.0533, 0.0533, 0.5
        assert!((q[0] - 0.04).abs() < 1e-12);
        assert!((q[3] - 0.16 / 3.0).abs() < 1e-12 && (q[1] - 0.16 / 3.0).abs() < 1e-12);
        let b = adjust(&p, Correction::Bonferroni);
        assert!((b[4] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn ranks_average_ties() {
        let (r, t) = average_ranks(&[3.0, 1.0, 3.0, 2.0]);
        assert_eq!(r, vec![3.5, 1.0, 3.5, 2.0]);
        assert!((t - 6.0).abs() < 1e-12);
    }

    #[test]
    fn wilson_brackets_the_proportion() {
        let (lo, hi) = wilson(10.0, 40.0, 0.95);
        assert!(lo < 0.25 && hi > 0.25 && lo > 0.0 && hi < 1.0);
    }
}
