//! A dense row-major matrix of points and the operations every clustering step shares.

use crate::error::{Error, Result};

/// `n` points of `d` features, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub data: Vec<f64>,
    pub n: usize,
    pub d: usize,
}

impl Matrix {
    /// Wraps `data` (row-major, `n * d` values). Every value must be finite.
    pub fn new(data: Vec<f64>, n: usize, d: usize) -> Result<Self> {
        if d == 0 {
            return Err(Error::parameter("features", "no feature columns were given"));
        }
        if data.len() != n * d {
            return Err(Error::parameter("X", format!("{} values do not make {n} rows of {d}", data.len())));
        }
        if let Some(i) = data.iter().position(|v| !v.is_finite()) {
            return Err(Error::input(
                format!("feature {}", i % d),
                format!("row {} holds a missing or infinite value", i / d),
            ));
        }
        Ok(Matrix { data, n, d })
    }

    /// Point `i`.
    #[inline]
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.d..(i + 1) * self.d]
    }

    /// Column means and population standard deviations (ddof 0, as scikit-learn's scaler).
    pub fn moments(&self) -> (Vec<f64>, Vec<f64>) {
        let (n, d) = (self.n as f64, self.d);
        let mut mean = vec![0.0; d];
        for r in self.data.chunks_exact(d) {
            for (m, v) in mean.iter_mut().zip(r) {
                *m += v;
            }
        }
        mean.iter_mut().for_each(|m| *m /= n);
        let mut var = vec![0.0; d];
        for r in self.data.chunks_exact(d) {
            for ((s, v), m) in var.iter_mut().zip(r).zip(&mean) {
                *s += (v - m) * (v - m);
            }
        }
        (mean, var.into_iter().map(|s| (s / n).sqrt()).collect())
    }

    /// The rows at `idx`, as a new matrix.
    pub fn take(&self, idx: &[usize]) -> Matrix {
        let mut data = Vec::with_capacity(idx.len() * self.d);
        for &i in idx {
            data.extend_from_slice(self.row(i));
        }
        Matrix { data, n: idx.len(), d: self.d }
    }
}

/// Squared Euclidean distance, summed feature by feature (the order every kernel here uses, so
/// a distance is the same number whichever kernel computed it).
#[inline]
pub fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = 0.0;
    for (x, y) in a.iter().zip(b) {
        let t = x - y;
        acc += t * t;
    }
    acc
}

/// Points per [`Block`].
pub const LANES: usize = 8;

/// Up to [`LANES`] points stored feature-major (`t[f * LANES + l]` is feature `f` of point `l`),
/// so that distances from all of them to one centre run in `LANES`-wide vector lanes. Each
/// lane sums its features in order, exactly as [`sq_dist`] does.
#[derive(Debug, Clone)]
pub struct Block {
    t: Vec<[f64; LANES]>,
    /// Points loaded.
    pub len: usize,
}

impl Block {
    /// An empty block for points of `d` features.
    pub fn new(d: usize) -> Self {
        Block { t: vec![[0.0; LANES]; d], len: 0 }
    }

    /// Loads up to [`LANES`] points; lanes past `len` keep older (finite) values and must be
    /// ignored.
    #[inline(always)]
    pub fn load<'a>(&mut self, rows: impl IntoIterator<Item = &'a [f64]>) {
        self.len = 0;
        for (l, r) in rows.into_iter().take(LANES).enumerate() {
            for (col, v) in self.t.iter_mut().zip(r) {
                col[l] = *v;
            }
            self.len = l + 1;
        }
    }

    /// Squared distances from every lane to `c`.
    #[inline(always)]
    pub fn sq_dists(&self, c: &[f64]) -> [f64; LANES] {
        let mut acc = [0.0f64; LANES];
        for (col, &cf) in self.t.iter().zip(c) {
            for l in 0..LANES {
                let t = col[l] - cf;
                acc[l] += t * t;
            }
        }
        acc
    }

    /// Per lane, the nearest of the row-major `centers` and the squared distances to the
    /// nearest and the second nearest (ties go to the lower index).
    #[inline(always)]
    pub fn nearest_two(&self, centers: &[f64], d: usize) -> ([usize; LANES], [f64; LANES], [f64; LANES]) {
        let (mut a, mut d1, mut d2) = ([0usize; LANES], [f64::INFINITY; LANES], [f64::INFINITY; LANES]);
        for (j, c) in centers.chunks_exact(d).enumerate() {
            let v = self.sq_dists(c);
            for l in 0..LANES {
                if v[l] < d1[l] {
                    d2[l] = d1[l];
                    d1[l] = v[l];
                    a[l] = j;
                } else if v[l] < d2[l] {
                    d2[l] = v[l];
                }
            }
        }
        (a, d1, d2)
    }
}

/// Group sizes of dense labels.
pub fn counts(labels: &[usize], k: usize) -> Vec<usize> {
    let mut c = vec![0usize; k];
    for &l in labels {
        c[l] += 1;
    }
    c
}

/// Group centroids (k x d, row-major) and sizes.
pub fn centroids(x: &Matrix, labels: &[usize], k: usize) -> (Vec<f64>, Vec<usize>) {
    let d = x.d;
    let mut sums = vec![0.0; k * d];
    let mut n = vec![0usize; k];
    for (r, &l) in x.data.chunks_exact(d).zip(labels) {
        n[l] += 1;
        for (s, v) in sums[l * d..(l + 1) * d].iter_mut().zip(r) {
            *s += v;
        }
    }
    for (c, &m) in sums.chunks_exact_mut(d).zip(&n) {
        if m > 0 {
            c.iter_mut().for_each(|v| *v /= m as f64);
        }
    }
    (sums, n)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn non_finite_values_are_refused() {
        assert!(Matrix::new(vec![1.0, f64::NAN], 1, 2).is_err());
    }
}
