//! The classical tests with the options their users reach for in scipy: the power-divergence
//! family on a contingency table (Pearson, the G-test, Cressie-Read) with Yates' correction,
//! Fisher's exact test with one- and two-sided alternatives, and the Mann-Whitney U test with
//! its exact null distribution.

use crate::error::{Error, Result};
use crate::stats::hypothesis::{average_ranks, chi2_sf, fisher_exact, normal_sf};
use crate::stats::special::ln_gamma;

/// Which tail a test looks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alternative {
    /// Either direction.
    TwoSided,
    /// The first sample (or the first cell) is smaller than under the null.
    Less,
    /// The first sample (or the first cell) is larger than under the null.
    Greater,
}

impl Alternative {
    /// Parses scipy's names: `"two-sided"`, `"less"`, `"greater"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "two-sided" => Ok(Alternative::TwoSided),
            "less" => Ok(Alternative::Less),
            "greater" => Ok(Alternative::Greater),
            o => Err(Error::parameter(
                "alternative",
                format!("must be 'two-sided', 'less' or 'greater', got '{o}'"),
            )),
        }
    }
}

/// The power-divergence exponent lambda of Cressie & Read (1984) by scipy's names:
/// "pearson" 1, "log-likelihood" 0 (the G-test), "freeman-tukey" -1/2, "mod-log-likelihood" -1,
/// "neyman" -2, "cressie-read" 2/3; or a number.
pub fn power_lambda(name: &str) -> Result<f64> {
    match name {
        "pearson" => Ok(1.0),
        "log-likelihood" => Ok(0.0),
        "freeman-tukey" => Ok(-0.5),
        "mod-log-likelihood" => Ok(-1.0),
        "neyman" => Ok(-2.0),
        "cressie-read" => Ok(2.0 / 3.0),
        o => o.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
            Error::parameter(
                "lambda_",
                format!(
                    "must be 'pearson', 'log-likelihood', 'freeman-tukey', 'mod-log-likelihood', \
                     'neyman', 'cressie-read' or a finite number, got '{o}'"
                ),
            )
        }),
    }
}

/// A test of independence on a contingency table.
#[derive(Debug, Clone, PartialEq)]
pub struct Contingency {
    /// The power-divergence statistic.
    pub statistic: f64,
    /// Its upper chi-square tail probability with `dof` degrees of freedom (1 when dof is 0).
    pub p: f64,
    /// (rows - 1) (columns - 1).
    pub dof: usize,
    /// Expected counts under independence, row-major: row total x column total / n.
    pub expected: Vec<f64>,
}

/// The power-divergence test of independence on the `rows` x `cols` table `observed`
/// (row-major counts, finite and non-negative, every row and column total positive).
///
/// E_ij = R_i C_j / n. With `yates` and one degree of freedom, each |O - E| is first reduced by
/// min(0.5, |O - E|) (Yates 1934). The statistic is 2 / (l (l + 1)) sum O ((O / E)^l - 1)
/// (Cressie & Read 1984); at l = 0 it is the G statistic 2 sum O ln(O / E), at l = -1 the
/// modified G 2 sum E ln(E / O), at l = 1 Pearson's sum (O - E)^2 / E. Cells with O = 0 add 0
/// at l = 0 (x ln x -> 0). As scipy.stats.chi2_contingency(observed, correction, lambda_).
/// Cost O(rows x cols).
pub fn contingency_test(
    observed: &[f64],
    rows: usize,
    cols: usize,
    yates: bool,
    lambda: f64,
) -> Result<Contingency> {
    if rows == 0 || cols == 0 || observed.len() != rows * cols {
        return Err(Error::parameter(
            "observed",
            format!("expected {rows} x {cols} = {} counts, got {}", rows * cols, observed.len()),
        ));
    }
    if let Some((i, v)) = observed.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v >= 0.0)) {
        return Err(Error::input(
            "observed",
            format!("cell ({}, {}) is {v}; counts must be finite and non-negative", i / cols, i % cols),
        ));
    }
    let cell = |i: usize, j: usize| observed.get(i * cols + j).copied().unwrap_or(0.0);
    let row: Vec<f64> = (0..rows).map(|i| (0..cols).map(|j| cell(i, j)).sum()).collect();
    let col: Vec<f64> = (0..cols).map(|j| (0..rows).map(|i| cell(i, j)).sum()).collect();
    if let Some(i) = row.iter().position(|v| *v <= 0.0) {
        return Err(Error::input("observed", format!("row {i} has no observations; drop it")));
    }
    if let Some(j) = col.iter().position(|v| *v <= 0.0) {
        return Err(Error::input("observed", format!("column {j} has no observations; drop it")));
    }
    let n: f64 = row.iter().sum();
    let expected: Vec<f64> = (0..rows * cols)
        .map(|k| row.get(k / cols).unwrap_or(&0.0) * col.get(k % cols).unwrap_or(&0.0) / n)
        .collect();
    let dof = (rows - 1) * (cols - 1);
    if dof == 0 {
        return Ok(Contingency { statistic: 0.0, p: 1.0, dof, expected });
    }
    let statistic: f64 = observed
        .iter()
        .zip(&expected)
        .map(|(o, e)| {
            let o = if yates && dof == 1 { o + (e - o).signum() * (e - o).abs().min(0.5) } else { *o };
            divergence(o, *e, lambda)
        })
        .sum();
    Ok(Contingency { statistic, p: chi2_sf(statistic, dof as f64), dof, expected })
}

/// One cell's term of the power divergence with exponent `lambda`.
fn divergence(o: f64, e: f64, lambda: f64) -> f64 {
    if lambda == 0.0 {
        if o > 0.0 {
            2.0 * o * (o / e).ln()
        } else {
            0.0
        }
    } else if lambda == -1.0 {
        2.0 * e * (e / o).ln()
    } else if lambda == 1.0 {
        (o - e) * (o - e) / e
    } else {
        2.0 / (lambda * (lambda + 1.0)) * o * ((o / e).powf(lambda) - 1.0)
    }
}

/// Fisher's exact test on `[[a, b], [c, d]]` with an alternative: "less" is P(X <= a) and
/// "greater" P(X >= a) under the hypergeometric law of a given the margins; "two-sided" sums the
/// tables no more probable than the observed one. Returns (sample odds ratio, p), as
/// scipy.stats.fisher_exact. Cost O(min(margins)).
pub fn fisher(a: u64, b: u64, c: u64, d: u64, alternative: Alternative) -> (f64, f64) {
    let (odds, two) = fisher_exact(a, b, c, d);
    let (r1, c1, n) = (a + b, a + c, a + b + c + d);
    let lo = (r1 + c1).saturating_sub(n);
    let hi = r1.min(c1);
    let ln_choose =
        |n: u64, k: u64| ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0);
    let ln_total = ln_choose(n, c1);
    let pmf = |x: u64| (ln_choose(r1, x) + ln_choose(n - r1, c1 - x) - ln_total).exp();
    let p = match alternative {
        Alternative::TwoSided => two,
        Alternative::Less => (lo..=a).map(pmf).sum::<f64>(),
        Alternative::Greater => (a..=hi).map(pmf).sum::<f64>(),
    };
    (odds, p.min(1.0))
}

/// How the Mann-Whitney p-value is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MwMethod {
    /// Exact when either sample has at most 8 values and there are no ties, else asymptotic
    /// (scipy's rule).
    Auto,
    /// The exact null distribution of U (no ties assumed).
    Exact,
    /// The normal approximation with the tie correction.
    Asymptotic,
}

impl MwMethod {
    /// Parses `"auto"`, `"exact"`, `"asymptotic"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "auto" => Ok(MwMethod::Auto),
            "exact" => Ok(MwMethod::Exact),
            "asymptotic" => Ok(MwMethod::Asymptotic),
            o => {
                Err(Error::parameter("method", format!("must be 'auto', 'exact' or 'asymptotic', got '{o}'")))
            }
        }
    }
}

/// The largest n1 x n2 the exact distribution is computed for: its cost is about
/// (n1 n2)^2 / 2 operations (2 x 10^9 at this bound, a few seconds) and n2 (n1 n2) numbers of
/// memory (at most 100 MB).
pub const MAX_EXACT_CELLS: usize = 62_500;

/// A Mann-Whitney U test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannWhitney {
    /// U of the first sample: R1 - n1 (n1 + 1) / 2, R1 its rank sum in the pooled sample.
    pub statistic: f64,
    /// The p-value for the alternative.
    pub p: f64,
    /// Whether the exact distribution gave `p`.
    pub exact: bool,
}

/// The Mann-Whitney U test of `x` against `y` (finite values, both non-empty), as
/// scipy.stats.mannwhitneyu(x, y, use_continuity, alternative, method).
///
/// U1 = R1 - n1 (n1 + 1) / 2 with average ranks; "greater" tests U1, "less" U2 = n1 n2 - U1,
/// "two-sided" max(U1, U2) with the one-sided p doubled (capped at 1). Asymptotic:
/// z = (U - n1 n2 / 2 - c) / sd with c = 0.5 under `continuity`,
/// sd^2 = n1 n2 / 12 ((n + 1) - sum(t^3 - t) / (n (n - 1))). Exact: P(U >= u) from the null
/// distribution of U, built by the recurrence p_{i,j}(u) = i / (i + j) p_{i-1,j}(u - j) +
/// j / (i + j) p_{i,j-1}(u) (Mann & Whitney 1947), every term positive; with ties the exact law
/// of the untied statistic is used at the integer part of U, as scipy does. Cost O(n log n)
/// asymptotic, O((n1 n2)^2) exact, refused above [`MAX_EXACT_CELLS`].
pub fn mann_whitney(
    x: &[f64],
    y: &[f64],
    alternative: Alternative,
    method: MwMethod,
    continuity: bool,
) -> Result<MannWhitney> {
    for (name, s) in [("x", x), ("y", y)] {
        if s.is_empty() {
            return Err(Error::input(name, "has no values"));
        }
        if let Some((i, v)) = s.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::input(
                name,
                format!("value {v} at position {i}; drop it or use finite values"),
            ));
        }
    }
    let (n1, n2) = (x.len(), y.len());
    let pooled: Vec<f64> = x.iter().chain(y).copied().collect();
    let (ranks, ties) = average_ranks(&pooled);
    let r1: f64 = ranks.iter().take(n1).sum();
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let u1 = r1 - n1f * (n1f + 1.0) / 2.0;
    let u2 = n1f * n2f - u1;
    let (u, factor) = match alternative {
        Alternative::Greater => (u1, 1.0),
        Alternative::Less => (u2, 1.0),
        Alternative::TwoSided => (u1.max(u2), 2.0),
    };
    let exact = match method {
        MwMethod::Exact => true,
        MwMethod::Asymptotic => false,
        MwMethod::Auto => (n1 <= 8 || n2 <= 8) && ties == 0.0,
    };
    let sf = if exact {
        exact_u_sf(n1, n2, u)?
    } else {
        let n = n1f + n2f;
        let sd = (n1f * n2f / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)))).sqrt();
        let c = if continuity { 0.5 } else { 0.0 };
        if sd > 0.0 {
            normal_sf((u - n1f * n2f / 2.0 - c) / sd)
        } else {
            f64::NAN
        }
    };
    Ok(MannWhitney { statistic: u1, p: (sf * factor).clamp(0.0, 1.0), exact })
}

/// P(U >= u) under the null for sample sizes n1, n2 (no ties); `u` is truncated to an integer.
fn exact_u_sf(n1: usize, n2: usize, u: f64) -> Result<f64> {
    let (m, n) = (n1.min(n2), n1.max(n2));
    if m.saturating_mul(n) > MAX_EXACT_CELLS {
        return Err(Error::parameter(
            "method",
            format!(
                "the exact distribution of U for samples of {n1} and {n2} needs about {:.1e} operations \
                 (the limit is n1 x n2 <= {MAX_EXACT_CELLS}); use method='asymptotic'",
                (m * n) as f64 * (m * n) as f64 / 2.0
            ),
        ));
    }
    let dist = exact_u_distribution(m, n);
    let k = if u.is_finite() && u > 0.0 { u.trunc() as usize } else { 0 };
    Ok(dist.get(k..).map_or(0.0, |tail| tail.iter().sum::<f64>()).min(1.0))
}

/// The null distribution of U for sizes m <= n: P(U = u), u = 0..m n.
fn exact_u_distribution(m: usize, n: usize) -> Vec<f64> {
    // prev[j] = law of U for sizes (i - 1, j); cur[j] = (i, j); U for (i, 0) and (0, j) is 0
    let point = vec![1.0];
    let mut prev: Vec<Vec<f64>> = vec![point.clone(); n + 1];
    for i in 1..=m {
        let mut cur: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
        cur.push(point.clone());
        for j in 1..=n {
            let (fi, fj) = (i as f64, j as f64);
            let mut law = vec![0.0; i * j + 1];
            // the largest value is the last one's: it is below all j of the other sample (U += j)
            // with probability i / (i + j), else the other sample's largest is the last one
            if let Some(below) = prev.get(j) {
                for (u, p) in below.iter().enumerate() {
                    if let Some(slot) = law.get_mut(u + j) {
                        *slot += fi / (fi + fj) * p;
                    }
                }
            }
            if let Some(left) = cur.get(j - 1) {
                for (u, p) in left.iter().enumerate() {
                    if let Some(slot) = law.get_mut(u) {
                        *slot += fj / (fi + fj) * p;
                    }
                }
            }
            cur.push(law);
        }
        prev = cur;
    }
    prev.pop().unwrap_or_else(|| vec![1.0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    #[test]
    fn g_test_and_yates_match_scipy() {
        // scipy.stats.chi2_contingency([[10, 20], [30, 15]], correction=c, lambda_=l)
        let t = [10.0, 20.0, 30.0, 15.0];
        let pearson = contingency_test(&t, 2, 2, false, 1.0).unwrap_or_else(|e| panic!("{e}"));
        assert!(close(pearson.statistic, 36.0 * (1.0 / 16.0 + 1.0 / 14.0 + 1.0 / 24.0 + 1.0 / 21.0), 1e-12));
        let yates = contingency_test(&t, 2, 2, true, 1.0).unwrap_or_else(|e| panic!("{e}"));
        // |O - E| = 6 shrinks to 5.5: 5.5^2 (1/16 + 1/14 + 1/24 + 1/21)
        assert!(close(yates.statistic, 30.25 * (1.0 / 16.0 + 1.0 / 14.0 + 1.0 / 24.0 + 1.0 / 21.0), 1e-12));
        let g = contingency_test(&t, 2, 2, false, 0.0).unwrap_or_else(|e| panic!("{e}"));
        let want: f64 = [(10.0, 16.0), (20.0, 14.0), (30.0, 24.0), (15.0, 21.0)]
            .iter()
            .map(|(o, e): &(f64, f64)| 2.0 * o * (o / e).ln())
            .sum();
        assert!(close(g.statistic, want, 1e-12));
        assert_eq!(g.dof, 1);
        assert!(contingency_test(&[1.0, 0.0, 2.0, 0.0], 2, 2, false, 1.0).is_err());
    }

    #[test]
    fn one_sided_fisher_tails_add_up() {
        // scipy.stats.fisher_exact([[8, 2], [1, 5]], alternative="less"/"greater")
        let (_, less) = fisher(8, 2, 1, 5, Alternative::Less);
        let (_, greater) = fisher(8, 2, 1, 5, Alternative::Greater);
        assert!(close(less, 0.999_125_874_125_874_2, 1e-10), "{less}");
        assert!(close(greater, 0.024_475_524_475_524_48, 1e-10), "{greater}");
    }

    #[test]
    fn exact_u_is_a_distribution_and_symmetric() {
        let d = exact_u_distribution(4, 6);
        assert_eq!(d.len(), 25);
        assert!(close(d.iter().sum::<f64>(), 1.0, 1e-14));
        for u in 0..=24 {
            assert!(close(d[u], d[24 - u], 1e-12));
        }
        // P(U = 0) = 1 / C(10, 4)
        assert!(close(d[0], 1.0 / 210.0, 1e-14));
        let mw = mann_whitney(
            &[1.0, 2.0, 3.0],
            &[4.0, 5.0, 6.0, 7.0],
            Alternative::TwoSided,
            MwMethod::Auto,
            true,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        // U1 = 0: two-sided 2 / C(7, 3)
        assert!(mw.exact && mw.statistic == 0.0 && close(mw.p, 2.0 / 35.0, 1e-14));
        assert!(mann_whitney(&[1.0; 300], &[2.0; 300], Alternative::Less, MwMethod::Exact, true).is_err());
    }
}
