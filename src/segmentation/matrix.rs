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

/// Squared Euclidean distance.
#[inline]
pub fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
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
