//! k-prototypes for mixed numeric and categorical features (Huang 1998): the distance of a
//! point to a prototype is the squared Euclidean distance over the numeric features plus
//! `gamma` times the number of categorical features on which they differ; prototypes are
//! numeric means and categorical modes (ties go to the lowest level code). Seeded random
//! starts, `n_init` of them, keeping the lowest total cost.

use rand::seq::index::sample;
use rayon::prelude::*;

use super::matrix::sq_dist;
use crate::error::{Error, Result};
use crate::stats::{rng, tick, Progress};

/// Mixed data: `num` is n x dn row-major (dn may be 0), `cat` is n x dc row-major level codes,
/// `levels[f]` the number of levels of categorical feature f.
pub struct Mixed<'a> {
    pub num: &'a [f64],
    pub dn: usize,
    pub cat: &'a [u32],
    pub dc: usize,
    pub levels: &'a [usize],
    pub n: usize,
}

/// A fitted k-prototypes model.
#[derive(Debug, Clone, PartialEq)]
pub struct KPrototypesFit {
    pub centers_num: Vec<f64>,
    pub centers_cat: Vec<u32>,
    pub labels: Vec<usize>,
    pub cost: f64,
    pub n_iter: usize,
}

impl Mixed<'_> {
    fn cost(&self, i: usize, cn: &[f64], cc: &[u32], j: usize, gamma: f64) -> f64 {
        let num = if self.dn > 0 {
            sq_dist(&self.num[i * self.dn..(i + 1) * self.dn], &cn[j * self.dn..(j + 1) * self.dn])
        } else {
            0.0
        };
        let row = &self.cat[i * self.dc..(i + 1) * self.dc];
        let mism = row.iter().zip(&cc[j * self.dc..(j + 1) * self.dc]).filter(|(a, b)| a != b).count();
        num + gamma * mism as f64
    }

    fn nearest(&self, i: usize, cn: &[f64], cc: &[u32], k: usize, gamma: f64) -> (usize, f64) {
        (0..k).map(|j| (j, self.cost(i, cn, cc, j, gamma))).fold((0, f64::INFINITY), |b, c| {
            if c.1 < b.1 {
                c
            } else {
                b
            }
        })
    }
}

/// Fits k-prototypes.
pub fn kprototypes(
    m: &Mixed<'_>,
    k: usize,
    gamma: f64,
    n_init: usize,
    max_iter: usize,
    seed: u64,
    progress: Option<&Progress>,
) -> Result<KPrototypesFit> {
    if m.n == 0 {
        return Err(Error::input("X", "no rows to cluster"));
    }
    if k < 1 || k > m.n {
        return Err(Error::parameter("k", format!("k = {k} must be between 1 and the {} rows", m.n)));
    }
    if m.dc == 0 {
        return Err(Error::parameter("features", "k-prototypes needs at least one categorical feature"));
    }
    if !(gamma >= 0.0 && gamma.is_finite()) {
        return Err(Error::parameter("gamma", format!("must be a non-negative number, got {gamma}")));
    }
    let mut best: Option<KPrototypesFit> = None;
    for run in 0..n_init.max(1) {
        let mut r = rng::stream(seed, run as u64);
        let start = sample(&mut r, m.n, k).into_vec();
        let mut cn: Vec<f64> = start.iter().flat_map(|&i| m.num[i * m.dn..(i + 1) * m.dn].to_vec()).collect();
        let mut cc: Vec<u32> = start.iter().flat_map(|&i| m.cat[i * m.dc..(i + 1) * m.dc].to_vec()).collect();
        let mut labels = vec![usize::MAX; m.n];
        let mut n_iter = 0;
        for it in 0..max_iter.max(1) {
            n_iter = it + 1;
            let next: Vec<usize> =
                (0..m.n).into_par_iter().map(|i| m.nearest(i, &cn, &cc, k, gamma).0).collect();
            let changed = next != labels;
            labels = next;
            if !changed {
                break;
            }
            // Update prototypes: numeric means, categorical modes.
            let mut sums = vec![0.0; k * m.dn];
            let mut sizes = vec![0usize; k];
            let offsets: Vec<usize> = m
                .levels
                .iter()
                .scan(0, |s, &l| {
                    let o = *s;
                    *s += l;
                    Some(o)
                })
                .collect();
            let total_levels: usize = m.levels.iter().sum();
            let mut freq = vec![0usize; k * total_levels];
            for (i, &l) in labels.iter().enumerate() {
                sizes[l] += 1;
                for (s, v) in sums[l * m.dn..(l + 1) * m.dn].iter_mut().zip(&m.num[i * m.dn..(i + 1) * m.dn])
                {
                    *s += v;
                }
                for (f, &c) in m.cat[i * m.dc..(i + 1) * m.dc].iter().enumerate() {
                    freq[l * total_levels + offsets[f] + c as usize] += 1;
                }
            }
            for j in (0..k).filter(|&j| sizes[j] > 0) {
                for f in 0..m.dn {
                    cn[j * m.dn + f] = sums[j * m.dn + f] / sizes[j] as f64;
                }
                for f in 0..m.dc {
                    let counts =
                        &freq[j * total_levels + offsets[f]..j * total_levels + offsets[f] + m.levels[f]];
                    let mode =
                        counts
                            .iter()
                            .enumerate()
                            .fold((0usize, 0usize), |b, (lv, &c)| if c > b.1 { (lv, c) } else { b });
                    cc[j * m.dc + f] = mode.0 as u32;
                }
            }
        }
        let costs: Vec<f64> =
            (0..m.n).into_par_iter().map(|i| m.cost(i, &cn, &cc, labels[i], gamma)).collect();
        let cost = super::kmeans::det_sum(&costs);
        if best.as_ref().is_none_or(|b| cost < b.cost) {
            best = Some(KPrototypesFit { centers_num: cn, centers_cat: cc, labels, cost, n_iter });
        }
        tick(progress)?;
    }
    best.ok_or_else(|| Error::convergence("k-prototypes", "no run finished; raise n_init"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn separates_groups_that_differ_only_in_a_category() {
        // Two numeric-identical groups that differ in their category.
        let n = 40;
        let num: Vec<f64> = (0..n).map(|i| (i % 5) as f64 * 0.01).collect();
        let cat: Vec<u32> = (0..n).map(|i| (i % 2) as u32).collect();
        let m = Mixed { num: &num, dn: 1, cat: &cat, dc: 1, levels: &[2], n };
        let fit = kprototypes(&m, 2, 1.0, 5, 50, 0, None).unwrap();
        for i in 0..n {
            assert_eq!(fit.labels[i] == fit.labels[0], i % 2 == 0);
        }
        assert!(fit.cost < 0.1);
    }
}
