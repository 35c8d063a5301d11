//! Choice designs and attribute coding.
//!
//! **Coding.** A categorical attribute with L levels becomes L - 1 columns. Effects coding
//! (the default of choice-based conjoint): level l < L - 1 is the unit vector e_l, the last level
//! is -1 in every column, so the part-worths of an attribute sum to zero and the last level's is
//! minus the sum of the others. Dummy coding: the first level is all zeros (the reference) and
//! level l > 0 is e_(l-1). A numeric attribute (price) is one column of its values.
//!
//! **Design.** A balanced-overlap random design (the Sawtooth Software family of random
//! designs): per version and attribute, levels are dealt from shuffled decks so each level is
//! shown equally often (counts differ by at most one), a task repeats a level only when it
//! offers more alternatives than the attribute has levels, and no task shows two identical
//! alternatives. Its D-efficiency is reported against the orthogonal ideal of the same size:
//! (det(X'X) / det(N C))^(1/p), X the coded alternatives (N rows, p columns) and C the
//! covariance the coding has when every level is equally likely and attributes are independent
//! (for an orthogonal, balanced design X'X = N C, so 1).

use rand::seq::SliceRandom;
use rand::Rng;

use crate::error::{Error, Result};
use crate::stats::rng;

/// How categorical levels are coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// Effects coding: part-worths sum to zero over an attribute's levels.
    Effects,
    /// Dummy coding: the first level is the reference (part-worth 0).
    Dummy,
}

impl Coding {
    /// "effects" or "dummy".
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "effects" => Ok(Coding::Effects),
            "dummy" => Ok(Coding::Dummy),
            o => Err(Error::parameter("coding", format!("must be 'effects' or 'dummy', got '{o}'"))),
        }
    }

    /// The coded row of level `l` of `levels` levels.
    pub fn code(self, l: usize, levels: usize) -> Vec<f64> {
        let mut row = vec![0.0; levels.saturating_sub(1)];
        match self {
            Coding::Effects if l + 1 == levels => row.iter_mut().for_each(|v| *v = -1.0),
            Coding::Effects => row[l] = 1.0,
            Coding::Dummy if l > 0 => row[l - 1] = 1.0,
            Coding::Dummy => {}
        }
        row
    }

    /// The part-worth of every level from the attribute's coefficients (L - 1 of them).
    pub fn part_worths(self, coef: &[f64]) -> Vec<f64> {
        match self {
            Coding::Effects => {
                let mut out = coef.to_vec();
                out.push(-coef.iter().sum::<f64>());
                out
            }
            Coding::Dummy => std::iter::once(0.0).chain(coef.iter().copied()).collect(),
        }
    }

    /// The gradient of each level's part-worth with respect to the coefficients (rows: levels).
    pub fn part_worth_jacobian(self, levels: usize) -> Vec<Vec<f64>> {
        (0..levels).map(|l| self.code(l, levels)).collect()
    }
}

/// A generated design: per row, its version, task, alternative and the level of each attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// Version of each row.
    pub version: Vec<usize>,
    /// Task (within the version) of each row.
    pub task: Vec<usize>,
    /// Alternative (within the task) of each row.
    pub alternative: Vec<usize>,
    /// Level index of each attribute in each row (attribute-major: `levels[a][row]`).
    pub levels: Vec<Vec<usize>>,
    /// Times each level of each attribute is shown.
    pub counts: Vec<Vec<usize>>,
    /// det(X'X) of the effects-coded design.
    pub det_xtx: f64,
    /// D-efficiency against the orthogonal ideal (1 = as good as an orthogonal balanced design).
    pub d_efficiency: f64,
}

/// A balanced-overlap random design (see the module notes): `levels[a]` levels per attribute,
/// `versions` versions of `tasks` tasks of `alternatives` alternatives each, seeded.
pub fn balanced_overlap(
    levels: &[usize],
    tasks: usize,
    alternatives: usize,
    versions: usize,
    seed: u64,
) -> Result<Design> {
    if levels.is_empty() {
        return Err(Error::parameter("attributes", "give at least one attribute"));
    }
    if let Some((a, l)) = levels.iter().enumerate().find(|(_, l)| **l < 2) {
        return Err(Error::parameter(
            "attributes",
            format!("attribute {a} has {l} level(s); each needs at least 2"),
        ));
    }
    if tasks == 0 || versions == 0 {
        return Err(Error::parameter("n_tasks", "tasks and versions must be at least 1"));
    }
    if alternatives < 2 {
        return Err(Error::parameter(
            "n_alternatives",
            format!("a choice needs at least 2 alternatives, got {alternatives}"),
        ));
    }
    let distinct: f64 = levels.iter().map(|l| *l as f64).product();
    if (alternatives as f64) > distinct {
        return Err(Error::parameter(
            "n_alternatives",
            format!(
                "{alternatives} alternatives cannot all differ: the attributes allow {distinct} profiles"
            ),
        ));
    }
    crate::stats::check_replicates("n_versions", versions * tasks * alternatives, 1, 8 * levels.len())?;
    let mut r = rng::stream(seed, 0);
    let mut d = Design {
        version: Vec::new(),
        task: Vec::new(),
        alternative: Vec::new(),
        levels: vec![Vec::new(); levels.len()],
        counts: levels.iter().map(|l| vec![0; *l]).collect(),
        det_xtx: 0.0,
        d_efficiency: 0.0,
    };
    for v in 0..versions {
        // per attribute, how often each level has been shown in this version
        let mut shown: Vec<Vec<usize>> = levels.iter().map(|l| vec![0; *l]).collect();
        for t in 0..tasks {
            // each attribute deals its least-shown levels (ties in random order), so counts stay
            // within one of each other and a task repeats a level only when it must
            let mut task: Vec<Vec<usize>> = Vec::with_capacity(levels.len());
            for (a, &l) in levels.iter().enumerate() {
                let mut dealt = Vec::with_capacity(alternatives);
                while dealt.len() < alternatives {
                    let mut order: Vec<usize> = (0..l).collect();
                    order.shuffle(&mut r);
                    order.sort_by_key(|&k| shown[a][k]);
                    for k in order.into_iter().take(alternatives - dealt.len()) {
                        shown[a][k] += 1;
                        dealt.push(k);
                    }
                }
                dealt.shuffle(&mut r);
                task.push(dealt);
            }
            // no two identical alternatives: permute one attribute's levels within the task
            // (counts unchanged)
            for _ in 0..100 {
                let same = |i: usize, j: usize| task.iter().all(|col| col[i] == col[j]);
                if !(0..alternatives).any(|j| (0..j).any(|i| same(i, j))) {
                    break;
                }
                let a = r.random_range(0..levels.len());
                task[a].shuffle(&mut r);
            }
            for j in 0..alternatives {
                d.version.push(v);
                d.task.push(t);
                d.alternative.push(j);
                for (a, col) in task.iter().enumerate() {
                    d.levels[a].push(col[j]);
                    d.counts[a][col[j]] += 1;
                }
            }
        }
    }
    (d.det_xtx, d.d_efficiency) = d_efficiency(&d.levels, levels);
    Ok(d)
}

/// det(X'X) of the effects-coded rows and the D-efficiency against the orthogonal ideal.
#[allow(clippy::needless_range_loop)] // rows are attribute-major: row i is rows[a][i] over a
pub fn d_efficiency(rows: &[Vec<usize>], levels: &[usize]) -> (f64, f64) {
    let n = rows.first().map_or(0, Vec::len);
    let p: usize = levels.iter().map(|l| l - 1).sum();
    let mut xtx = vec![vec![0.0; p]; p];
    let mut x = Vec::with_capacity(p);
    for i in 0..n {
        x.clear();
        for (a, &l) in levels.iter().enumerate() {
            x.extend(Coding::Effects.code(rows[a][i], l));
        }
        for u in 0..p {
            for v in 0..p {
                xtx[u][v] += x[u] * x[v];
            }
        }
    }
    // the ideal: N times the block-diagonal covariance of uniformly drawn effects codes
    let mut ideal = vec![vec![0.0; p]; p];
    let mut off = 0;
    for &l in levels {
        let codes: Vec<Vec<f64>> = (0..l).map(|k| Coding::Effects.code(k, l)).collect();
        for u in 0..l - 1 {
            for v in 0..l - 1 {
                ideal[off + u][off + v] =
                    n as f64 * codes.iter().map(|c| c[u] * c[v]).sum::<f64>() / l as f64;
            }
        }
        off += l - 1;
    }
    let (ld, li) = (ln_det(&xtx), ln_det(&ideal));
    (ld.exp(), ((ld - li) / p as f64).exp())
}

/// ln det of a symmetric positive semi-definite matrix (Cholesky; -inf when singular).
pub fn ln_det(m: &[Vec<f64>]) -> f64 {
    let n = m.len();
    let mut l = vec![vec![0.0; n]; n];
    let mut out = 0.0;
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = m[i][i] - s;
                if d <= 1e-12 * m[i][i].abs().max(1e-300) {
                    return f64::NEG_INFINITY;
                }
                l[i][i] = d.sqrt();
                out += 2.0 * l[i][i].ln();
            } else {
                l[i][j] = (m[i][j] - s) / l[j][j];
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn levels_are_balanced_tasks_do_not_repeat_levels_and_alternatives_differ() {
        let levels = [3, 4, 2, 5];
        let d = balanced_overlap(&levels, 12, 3, 10, 7).unwrap();
        assert_eq!(d.version.len(), 10 * 12 * 3);
        for (a, c) in d.counts.iter().enumerate() {
            let (lo, hi) = (c.iter().min().unwrap(), c.iter().max().unwrap());
            assert!(hi - lo <= 10, "attribute {a}: {c:?}"); // at most one per version
        }
        for start in (0..d.version.len()).step_by(3) {
            for a in [0, 1, 3] {
                let l: Vec<usize> = (start..start + 3).map(|i| d.levels[a][i]).collect();
                assert!(
                    l[0] != l[1] && l[0] != l[2] && l[1] != l[2],
                    "attribute {a} repeats in a task: {l:?}"
                );
            }
        }
        assert!(d.d_efficiency > 0.9 && d.d_efficiency <= 1.0 + 1e-9, "{}", d.d_efficiency);
        assert_eq!(d, balanced_overlap(&levels, 12, 3, 10, 7).unwrap());
    }

    #[test]
    fn a_full_factorial_is_fully_efficient_and_coding_round_trips() {
        let levels = [3, 2];
        let rows: Vec<Vec<usize>> = vec![vec![0, 0, 1, 1, 2, 2], vec![0, 1, 0, 1, 0, 1]];
        let (det, eff) = d_efficiency(&rows, &levels);
        assert!((eff - 1.0).abs() < 1e-12, "{eff}");
        assert!(det > 0.0);
        let pw = Coding::Effects.part_worths(&[0.5, -0.2]);
        assert!((pw.iter().sum::<f64>()).abs() < 1e-15 && (pw[2] + 0.3).abs() < 1e-15);
        assert_eq!(Coding::Dummy.part_worths(&[0.5, -0.2]), vec![0.0, 0.5, -0.2]);
    }
}
