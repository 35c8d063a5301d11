//! Hypothesis-test building blocks: tail probabilities, Fisher's exact test, Wilson intervals,
//! the test of a subgroup against the rest, the noncentral chi-square and its noncentrality
//! interval, average ranks with the tie term, and multiple-testing adjustment (BH, BY,
//! Bonferroni).

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};
use statrs::function::gamma::checked_gamma_lr;

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
    // the interval always holds p; min/max only repair rounding at p = 0 or 1
    ((centre - half).clamp(0.0, p), (centre + half).clamp(p, 1.0))
}

/// A subgroup (a level, a profile) against every other respondent: `xk` of the `nk` respondents
/// in the subgroup mention the theme, `m` of all `n` do (0 < nk < n, 0 < m < n).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SubgroupTest {
    /// The adjusted standardized residual (O - E) / sqrt(E (1 - nk / n) (1 - m / n)) of the
    /// subgroup's mentions (Agresti 2013, 2.4.5); its square is the chi-square of the 2x2 table.
    pub residual: f64,
    /// Two-sided p-value: Fisher's exact test when an expected count of the 2x2 table is below 5,
    /// else the chi-square (no continuity correction, the same as the two-proportion z test).
    pub p: f64,
    /// Whether Fisher's exact test gave `p`.
    pub fisher: bool,
    /// Lift P(theme | subgroup) / P(theme).
    pub lift: f64,
    /// Wilson interval of P(theme | subgroup) at the confidence level, divided by P(theme).
    pub lift_ci: (f64, f64),
}

/// The test and lift of a subgroup against the rest (see [`SubgroupTest`]); `None` when the
/// subgroup is empty or everyone, or the theme is never or always mentioned.
pub fn subgroup_test(xk: u64, nk: u64, m: u64, n: u64, level: f64) -> Option<SubgroupTest> {
    if nk == 0 || nk >= n || m == 0 || m >= n || xk > nk || xk > m {
        return None;
    }
    let (nf, mf, nkf, xkf) = (n as f64, m as f64, nk as f64, xk as f64);
    let e = nkf * mf / nf;
    let residual = (xkf - e) / (e * (1.0 - nkf / nf) * (1.0 - mf / nf)).sqrt();
    let expected = [e, nkf - e, mf - e, nf - nkf - mf + e];
    let fisher = expected.iter().any(|v| *v < 5.0);
    let p = if fisher {
        fisher_exact(xk, nk - xk, m - xk, (n - nk).saturating_sub(m - xk)).1
    } else {
        (2.0 * normal_sf(residual.abs())).min(1.0)
    };
    let base = mf / nf;
    let (lo, hi) = wilson(xkf, nkf, level);
    Some(SubgroupTest { residual, p, fisher, lift: xkf / nkf / base, lift_ci: (lo / base, hi / base) })
}

/// Pearson's chi-square of the 2 x L table whose column k holds `counts[k]` mentions among
/// `sizes[k]` respondents (no continuity correction; columns with no respondents add nothing).
pub fn chi2_two_by_l(sizes: &[u64], counts: &[u64]) -> f64 {
    let n: u64 = sizes.iter().sum();
    let m: u64 = counts.iter().sum();
    if n == 0 || m == 0 || m == n {
        return 0.0;
    }
    let share = m as f64 / n as f64;
    sizes
        .iter()
        .zip(counts)
        .filter(|(s, _)| **s > 0)
        .map(|(s, c)| {
            let (nk, e) = (*s as f64, *s as f64 * share);
            let d = *c as f64 - e;
            d * d * (1.0 / e + 1.0 / (nk - e))
        })
        .sum()
}

/// P(X <= x) for a noncentral chi-square with `df` degrees of freedom and noncentrality `nc`.
///
/// The Poisson mixture sum_j Pois(j; nc / 2) P(chi2_{df + 2 j} <= x), summed outward from the
/// Poisson mode with the recurrence P(a + 1, h) = P(a, h) - h^a e^-h / Gamma(a + 1) of the
/// regularized lower incomplete gamma function (h = x / 2), until the Poisson weights fall
/// below 1e-17.
pub fn ncx2_cdf(x: f64, df: f64, nc: f64) -> f64 {
    if !(x.is_finite() && df > 0.0 && nc >= 0.0 && nc.is_finite()) {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 0.0;
    }
    let (mu, h) = (nc / 2.0, x / 2.0);
    let j0 = mu.floor();
    let a0 = df / 2.0 + j0;
    let Ok(p0) = checked_gamma_lr(a0, h) else {
        return f64::NAN;
    };
    let ln_w0 = if mu > 0.0 { -mu + j0 * mu.ln() - ln_gamma(j0 + 1.0) } else { 0.0 };
    // ln of h^a e^-h / Gamma(a + 1)
    let ln_t = |a: f64| a * h.ln() - h - ln_gamma(a + 1.0);
    let mut sum = ln_w0.exp() * p0;
    let cap = (mu + 40.0 * mu.sqrt() + 100.0) as u64;
    // upward from the mode
    let (mut ln_w, mut p, mut j) = (ln_w0, p0, j0);
    for _ in 0..cap {
        if mu <= 0.0 {
            break;
        }
        p = (p - ln_t(df / 2.0 + j).exp()).max(0.0);
        j += 1.0;
        ln_w += mu.ln() - j.ln();
        let w = ln_w.exp();
        sum += w * p;
        if w < 1e-17 || p <= 0.0 {
            break;
        }
    }
    // downward from the mode
    let (mut ln_w, mut p, mut j) = (ln_w0, p0, j0);
    while j >= 1.0 {
        ln_w += j.ln() - mu.ln();
        j -= 1.0;
        p = (p + ln_t(df / 2.0 + j).exp()).min(1.0);
        let w = ln_w.exp();
        sum += w * p;
        if w < 1e-17 {
            break;
        }
    }
    sum.clamp(0.0, 1.0)
}

/// The confidence interval at `level` for the noncentrality of a chi-square observed at `x` with
/// `df` degrees of freedom, by inverting the noncentral chi-square: the lower end solves
/// F(x; df, lo) = (1 + level) / 2 and the upper F(x; df, hi) = (1 - level) / 2 (each 0 when
/// F(x; df, 0) is already below its target), by bisection to a relative 1e-10.
pub fn ncx2_noncentrality_interval(x: f64, df: f64, level: f64) -> (f64, f64) {
    if !(x.is_finite() && x >= 0.0 && df > 0.0 && level > 0.0 && level < 1.0) {
        return (f64::NAN, f64::NAN);
    }
    let solve = |target: f64| -> f64 {
        if ncx2_cdf(x, df, 0.0) <= target {
            return 0.0;
        }
        let (mut lo, mut hi) = (0.0, (2.0 * x).max(10.0));
        while ncx2_cdf(x, df, hi) > target {
            lo = hi;
            hi *= 2.0;
            if hi > 1e15 {
                return f64::NAN;
            }
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if ncx2_cdf(x, df, mid) > target {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo <= 1e-10 * hi.max(1e-10) {
                break;
            }
        }
        0.5 * (lo + hi)
    };
    (solve((1.0 + level) / 2.0), solve((1.0 - level) / 2.0))
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
    /// Holm's (1979) step-down family-wise error rate.
    Holm,
    /// No adjustment: q = p.
    None,
}

impl Correction {
    /// Parses statsmodels' names: `"fdr_bh"`, `"fdr_by"`, `"bonferroni"`, `"holm"`, `"none"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "fdr_bh" => Ok(Correction::FdrBh),
            "fdr_by" => Ok(Correction::FdrBy),
            "bonferroni" => Ok(Correction::Bonferroni),
            "holm" => Ok(Correction::Holm),
            "none" => Ok(Correction::None),
            o => Err(Error::parameter(
                "correction",
                format!("must be 'fdr_bh', 'fdr_by', 'bonferroni', 'holm' or 'none', got '{o}'"),
            )),
        }
    }
}

/// Adjusted p-values (q) for `p`; NaN entries are left out of the family and stay NaN.
///
/// BH: q_(i) = min over j >= i of m p_(j) / j, capped at 1 (sorted ascending, m tests).
/// BY: the BH values times c(m) = sum_{k=1..m} 1/k, capped at 1. Bonferroni: min(1, m p).
/// Holm: q_(i) = max over j <= i of min(1, (m - j + 1) p_(j)) (sorted ascending).
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
        Correction::Holm => {
            let mut sorted = idx;
            sorted.sort_by(|a, b| pv(*a).total_cmp(&pv(*b)));
            let mut running: f64 = 0.0;
            for (rank, &i) in sorted.iter().enumerate() {
                running = running.max(((m - rank as f64) * pv(i)).min(1.0));
                if let Some(slot) = q.get_mut(i) {
                    *slot = running;
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
        // Holm, m = 4: 4 x 0.01, 3 x 0.03 = 0.09, 2 x 0.04 = 0.08 -> 0.09 (monotone), 0.5
        let h = adjust(&p, Correction::Holm);
        assert!((h[0] - 0.04).abs() < 1e-12 && (h[3] - 0.09).abs() < 1e-12 && (h[1] - 0.09).abs() < 1e-12);
        assert!(h[2].is_nan() && (h[4] - 0.5).abs() < 1e-12);
    }

    #[test]
    fn ranks_average_ties() {
        let (r, t) = average_ranks(&[3.0, 1.0, 3.0, 2.0]);
        assert_eq!(r, vec![3.5, 1.0, 3.5, 2.0]);
        assert!((t - 6.0).abs() < 1e-12);
    }

    #[test]
    fn noncentral_chi_square_matches_scipy() {
        // scipy.stats.ncx2.cdf(x, df, nc)
        let cases = [
            (3.0, 2.0, 1.5, 0.551_314_141_393_785),
            (25.0, 7.0, 10.0, 0.861_192_414_974_101),
            (0.5, 1.0, 0.0, 0.520_499_877_813_046_6),
            (12_000.0, 3.0, 11_500.0, 0.989_197_237_581_444_4),
        ];
        for (x, df, nc, want) in cases {
            let got = ncx2_cdf(x, df, nc);
            assert!((got - want).abs() < 1e-9, "{x} {df} {nc}: {got} vs {want}");
        }
        let (lo, hi) = ncx2_noncentrality_interval(25.0, 7.0, 0.95);
        assert!((ncx2_cdf(25.0, 7.0, lo) - 0.975).abs() < 1e-8);
        assert!((ncx2_cdf(25.0, 7.0, hi) - 0.025).abs() < 1e-8);
        assert_eq!(ncx2_noncentrality_interval(0.01, 4.0, 0.95), (0.0, 0.0));
    }

    #[test]
    fn subgroup_test_squares_to_the_chi_square() {
        let t = subgroup_test(30, 100, 80, 400, 0.95).unwrap_or_else(|| panic!("none"));
        let chi2 = chi2_two_by_l(&[100, 300], &[30, 50]);
        assert!((t.residual * t.residual - chi2).abs() < 1e-9);
        assert!(!t.fisher && (t.lift - 1.5).abs() < 1e-12);
        assert!(subgroup_test(3, 400, 80, 400, 0.95).is_none());
    }

    #[test]
    fn wilson_brackets_the_proportion() {
        let (lo, hi) = wilson(10.0, 40.0, 0.95);
        assert!(lo < 0.25 && hi > 0.25 && lo > 0.0 && hi < 1.0);
    }
}
