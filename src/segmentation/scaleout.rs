//! k-means over data split into parts (an engine's partitions): the pieces each part computes
//! and the small fits the driver runs on what they return.
//!
//! * **Lloyd step** ([`lloyd_sums`]): each part assigns its points to the nearest of the current
//!   centres and returns, per centre, the weight and the weighted sum of its points and the
//!   weighted squared distances (k x d + 2k numbers). The sums of all parts give the next
//!   centres exactly as one Lloyd step over all the points (up to the order of the additions:
//!   bit for bit for a fixed partitioning).
//! * **k-means|| seeding** (Bahmani, Moseley, Vattani, Kumar & Vassilvitskii 2012, "Scalable
//!   k-means++", VLDB 5(7)), as Spark MLlib runs it: each round, every part returns its points'
//!   squared distances to the candidates so far ([`min_sq_dist`]), the driver adds them into the
//!   cost, and each point joins the candidates with probability `min(1, l d^2 / cost)`; then
//!   every candidate is weighted by the points nearest to it ([`nearest_weights`]) and the
//!   driver clusters the weighted candidates ([`weighted_kmeans`]: k-means++ seeding and Lloyd
//!   steps, each point counting with its weight).

use rand::Rng;
use rayon::prelude::*;

use super::kmeans::predict;
use super::matrix::{sq_dist, Matrix};
use crate::error::{Error, Result};
use crate::stats::rng;

/// Points per parallel chunk: partial sums are added in chunk order, so results do not depend
/// on the number of threads.
const CHUNK: usize = 4096;

/// One Lloyd step's sums over some points: per centre, the total weight of the points nearest
/// to it, their weighted coordinate sums (k x d, row-major) and the weighted squared distances.
#[derive(Debug, Clone, PartialEq)]
pub struct LloydSums {
    /// Weight (count, unweighted) per centre.
    pub weight: Vec<f64>,
    /// Weighted coordinate sums, k x d.
    pub sums: Vec<f64>,
    /// Weighted squared distances to the nearest centre, per centre.
    pub inertia: Vec<f64>,
}

impl LloydSums {
    fn zero(k: usize, d: usize) -> Self {
        LloydSums { weight: vec![0.0; k], sums: vec![0.0; k * d], inertia: vec![0.0; k] }
    }

    /// Adds `other`'s sums to these.
    pub fn add(&mut self, other: &LloydSums) {
        for (a, b) in self.weight.iter_mut().zip(&other.weight) {
            *a += b;
        }
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            *a += b;
        }
        for (a, b) in self.inertia.iter_mut().zip(&other.inertia) {
            *a += b;
        }
    }

    /// The next centres (a centre with no points stays where it is) and the squared distance
    /// each centre moved.
    pub fn centres(&self, old: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let k = self.weight.len();
        let d = old.len() / k.max(1);
        let mut new = old.to_vec();
        let mut moved = vec![0.0; k];
        for j in 0..k {
            if self.weight[j] > 0.0 {
                for t in 0..d {
                    new[j * d + t] = self.sums[j * d + t] / self.weight[j];
                }
            }
            moved[j] = sq_dist(&old[j * d..(j + 1) * d], &new[j * d..(j + 1) * d]);
        }
        (new, moved)
    }
}

/// Checks that `centers` hold whole rows of `d` values, at least one.
pub fn check_centres(centers: &[f64], d: usize) -> Result<usize> {
    if d == 0 || centers.is_empty() || !centers.len().is_multiple_of(d) {
        return Err(Error::parameter("centers", format!("{} values are not rows of {d}", centers.len())));
    }
    if let Some(v) = centers.iter().find(|v| !v.is_finite()) {
        return Err(Error::parameter("centers", format!("must be finite, got {v}")));
    }
    Ok(centers.len() / d)
}

/// Checks optional point weights: one per point, finite and non-negative.
fn check_weights(w: Option<&[f64]>, n: usize) -> Result<()> {
    let Some(w) = w else { return Ok(()) };
    if w.len() != n {
        return Err(Error::parameter("weights", format!("{} weights for {n} points", w.len())));
    }
    if let Some(i) = w.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        return Err(Error::input(
            "weights",
            format!("must be finite and non-negative; row {i} holds {}", w[i]),
        ));
    }
    Ok(())
}

/// The Lloyd-step sums of the points `x` (weights `w`, 1 each by default) for `centers`.
pub fn lloyd_sums(x: &Matrix, centers: &[f64], w: Option<&[f64]>) -> Result<LloydSums> {
    let d = x.d;
    let k = check_centres(centers, d)?;
    check_weights(w, x.n)?;
    let labels = predict(x, centers);
    let parts: Vec<LloydSums> = labels
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, lab)| {
            let mut s = LloydSums::zero(k, d);
            for (t, &j) in lab.iter().enumerate() {
                let i = c * CHUNK + t;
                let wi = w.map_or(1.0, |w| w[i]);
                let row = x.row(i);
                s.weight[j] += wi;
                for (a, v) in s.sums[j * d..(j + 1) * d].iter_mut().zip(row) {
                    *a += wi * v;
                }
                s.inertia[j] += wi * sq_dist(row, &centers[j * d..(j + 1) * d]);
            }
            s
        })
        .collect();
    let mut out = LloydSums::zero(k, d);
    for p in &parts {
        out.add(p);
    }
    Ok(out)
}

/// Each point's squared distance to the nearest of `centers`.
pub fn min_sq_dist(x: &Matrix, centers: &[f64]) -> Result<Vec<f64>> {
    let d = x.d;
    check_centres(centers, d)?;
    let labels = predict(x, centers);
    Ok((0..x.n)
        .into_par_iter()
        .map(|i| sq_dist(x.row(i), &centers[labels[i] * d..(labels[i] + 1) * d]))
        .collect())
}

/// The total weight of the points (weights `w`, 1 each by default) nearest to each centre.
pub fn nearest_weights(x: &Matrix, centers: &[f64], w: Option<&[f64]>) -> Result<Vec<f64>> {
    Ok(lloyd_sums(x, centers, w)?.weight)
}

/// k-means on weighted points (the candidates of k-means||, weighted by the points nearest to
/// each): k-means++ seeding where a point is drawn with probability proportional to its weight
/// times its squared distance to the nearest centre so far (the first in proportion to its
/// weight), then at most `max_iter` weighted Lloyd steps, stopped when the centres move less
/// than `tol` (squared, summed). Seeded by `seed`.
pub fn weighted_kmeans(
    x: &Matrix,
    w: &[f64],
    k: usize,
    seed: u64,
    max_iter: usize,
    tol: f64,
) -> Result<Vec<f64>> {
    check_weights(Some(w), x.n)?;
    super::kmeans::check_k(k, x.n)?;
    let total: f64 = w.iter().sum();
    if total <= 0.0 {
        return Err(Error::input("weights", "the points' weights sum to zero"));
    }
    let d = x.d;
    let mut r = rng::stream(seed, 0);
    let pick = |r: &mut rand_chacha::ChaCha8Rng, mass: &[f64]| -> usize {
        let sum: f64 = mass.iter().sum();
        let target = r.random::<f64>() * sum;
        let mut acc = 0.0;
        for (i, m) in mass.iter().enumerate() {
            acc += m;
            if acc >= target && *m > 0.0 {
                return i;
            }
        }
        mass.iter().rposition(|m| *m > 0.0).unwrap_or(0)
    };
    let first = pick(&mut r, w);
    let mut centers: Vec<f64> = x.row(first).to_vec();
    let mut closest: Vec<f64> = (0..x.n).map(|i| sq_dist(x.row(i), &centers)).collect();
    for _ in 1..k {
        let mass: Vec<f64> = closest.iter().zip(w).map(|(c, wi)| c * wi).collect();
        // every weighted point already a centre (fewer distinct points than k): repeat one
        let next = if mass.iter().any(|m| *m > 0.0) { pick(&mut r, &mass) } else { first };
        let row = x.row(next).to_vec();
        for (i, c) in closest.iter_mut().enumerate() {
            *c = c.min(sq_dist(x.row(i), &row));
        }
        centers.extend_from_slice(&row);
    }
    for _ in 0..max_iter {
        let s = lloyd_sums(x, &centers, Some(w))?;
        let (new, moved) = s.centres(&centers);
        centers = new;
        if moved.iter().sum::<f64>() <= tol {
            break;
        }
    }
    debug_assert_eq!(centers.len(), k * d);
    Ok(centers)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    fn points(n: usize, seed: u64) -> Matrix {
        let mut r = rng::stream(seed, 1);
        let centres = [[0.0, 0.0], [8.0, 0.0], [0.0, 8.0], [8.0, 8.0]];
        let data: Vec<f64> =
            (0..n).flat_map(|i| centres[i % 4].map(|c| c + r.random::<f64>() - 0.5)).collect();
        Matrix::new(data, n, 2).unwrap()
    }

    #[test]
    fn sums_of_parts_add_up_to_the_sums_of_the_whole() {
        let x = points(10_000, 1);
        let c = [0.5, 0.5, 7.0, 1.0, 1.0, 7.0, 7.5, 7.5];
        let whole = lloyd_sums(&x, &c, None).unwrap();
        let (a, b) = (x.take(&(0..3000).collect::<Vec<_>>()), x.take(&(3000..10_000).collect::<Vec<_>>()));
        let mut parts = lloyd_sums(&a, &c, None).unwrap();
        parts.add(&lloyd_sums(&b, &c, None).unwrap());
        assert_eq!(parts.weight, whole.weight); // counts: exact
        for (p, q) in parts.sums.iter().zip(&whole.sums).chain(parts.inertia.iter().zip(&whole.inertia)) {
            assert!((p - q).abs() <= 1e-12 * q.abs().max(1.0), "{p} {q}");
        }
        assert_eq!(whole.weight.iter().sum::<f64>(), 10_000.0);
        // the nearest-centre weights and distances agree with the sums
        assert_eq!(nearest_weights(&x, &c, None).unwrap(), whole.weight);
        let d2: f64 = min_sq_dist(&x, &c).unwrap().iter().sum();
        assert!((d2 - whole.inertia.iter().sum::<f64>()).abs() < 1e-9 * d2);
    }

    #[test]
    fn weighted_points_cluster_as_their_repeated_rows() {
        // a weight of 3 is the same point three times: the same weighted Lloyd fixed point
        let x = points(400, 2);
        let w: Vec<f64> = (0..400).map(|i| f64::from(1 + (i % 3) as u32)).collect();
        let c = weighted_kmeans(&x, &w, 4, 5, 100, 0.0).unwrap();
        let rows: Vec<usize> = (0..400).flat_map(|i| std::iter::repeat_n(i, 1 + i % 3)).collect();
        let rep = x.take(&rows);
        let s = lloyd_sums(&rep, &c, None).unwrap();
        let (next, moved) = s.centres(&c);
        assert!(moved.iter().sum::<f64>() < 1e-20, "{next:?} vs {c:?}");
        // one centre per planted blob
        let mut corners: Vec<(i64, i64)> =
            c.chunks(2).map(|p| ((p[0] / 8.0).round() as i64, (p[1] / 8.0).round() as i64)).collect();
        corners.sort_unstable();
        assert_eq!(corners, vec![(0, 0), (0, 1), (1, 0), (1, 1)]);
    }

    #[test]
    fn bad_centres_and_weights_name_the_argument() {
        let x = points(10, 3);
        let e = lloyd_sums(&x, &[1.0, 2.0, 3.0], None).unwrap_err().to_string();
        assert!(e.contains("'centers'"), "{e}");
        let e = lloyd_sums(&x, &[1.0, 2.0], Some(&[1.0; 9])).unwrap_err().to_string();
        assert!(e.contains("'weights'"), "{e}");
        let e = weighted_kmeans(&x, &[0.0; 10], 2, 0, 10, 0.0).unwrap_err().to_string();
        assert!(e.contains("'weights'"), "{e}");
        let e = weighted_kmeans(&x, &[1.0; 10], 11, 0, 10, 0.0).unwrap_err().to_string();
        assert!(e.contains("'k'"), "{e}");
    }
}
