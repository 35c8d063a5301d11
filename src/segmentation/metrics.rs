//! Clustering indices with scikit-learn's definitions (and its special cases), so results agree
//! with `sklearn.metrics` to 1e-10: silhouette, Calinski-Harabasz, Davies-Bouldin, and the
//! partition-agreement family computed from one contingency table (adjusted Rand index, mutual
//! information normalised and adjusted for chance, homogeneity, completeness, V-measure).

#![allow(clippy::needless_range_loop)] // two-way tables read clearest with (i, j) indices

use rayon::prelude::*;

use super::matrix::{centroids, counts, sq_dist, Matrix};
use crate::error::{Error, Result};
use crate::simd::dispatch;
use crate::stats::hypothesis::{average_ranks, chi2_sf};
use crate::stats::special::ln_gamma;
use crate::table::{Output, RowLog};

/// The largest contingency table (cells) two labellings may span: 25 million counts, 200 MB.
pub const MAX_CELLS: usize = 25_000_000;

/// Points per tile of the silhouette's inner loop (fits L1 with room to spare).
const TILE: usize = 256;
/// Points per block sharing one pass over a tile.
const BLOCK: usize = 16;

fn check_k(k: usize, n: usize) -> Result<()> {
    if k < 2 || k + 1 > n {
        return Err(Error::parameter(
            "labels",
            format!("{k} distinct labels for {n} rows; valid values are 2 to n - 1 (inclusive)"),
        ));
    }
    Ok(())
}

/// The distance between points of the silhouette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// sqrt(sum (x_f - y_f)^2).
    Euclidean,
    /// sum |x_f - y_f| (city block, scikit-learn's "manhattan").
    Manhattan,
}

impl Metric {
    /// Parses `"euclidean"` or `"manhattan"` (scikit-learn's names; `"cityblock"` and `"l1"`
    /// are its aliases of the second, `"l2"` of the first).
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "euclidean" | "l2" => Ok(Metric::Euclidean),
            "manhattan" | "cityblock" | "l1" => Ok(Metric::Manhattan),
            o => Err(Error::parameter("metric", format!("must be 'euclidean' or 'manhattan', got '{o}'"))),
        }
    }
}

dispatch! {
    /// For each point of `block` and each group g: the sum of its distances to the points at
    /// positions `offsets[g]..offsets[g + 1]` of the column-major `cols`, tile by tile.
    fn block_sums(x: &Matrix, block: &[usize], cols: &[f64], offsets: &[usize], metric: Metric) -> Vec<f64> {
        let k = offsets.len() - 1;
        let mut sums = vec![0.0; block.len() * k];
        for g in 0..k {
            let mut s = offsets[g];
            while s < offsets[g + 1] {
                let e = (s + TILE).min(offsets[g + 1]);
                for (b, &i) in block.iter().enumerate() {
                    sums[b * k + g] += match metric {
                        Metric::Euclidean => distance_sum(x.row(i), cols, x.n, s, e),
                        Metric::Manhattan => city_block_sum(x.row(i), cols, x.n, s, e),
                    };
                }
                s = e;
            }
        }
        sums
    }
}

/// Sum of the city-block distances from `xi` to the points at positions `s..e` of the
/// column-major `cols`, in the same order of sums as [`distance_sum`].
#[inline(always)]
fn city_block_sum(xi: &[f64], cols: &[f64], n: usize, s: usize, e: usize) -> f64 {
    const W: usize = 8;
    let mut total = 0.0;
    let mut j = s;
    while j + W <= e {
        let mut acc = [0.0f64; W];
        for (f, xf) in xi.iter().enumerate() {
            let c = &cols[f * n + j..f * n + j + W];
            for l in 0..W {
                acc[l] += (c[l] - xf).abs();
            }
        }
        for v in acc {
            total += v;
        }
        j += W;
    }
    for p in j..e {
        let mut acc = 0.0;
        for (f, xf) in xi.iter().enumerate() {
            acc += (cols[f * n + p] - xf).abs();
        }
        total += acc;
    }
    total
}

/// Sum of the Euclidean distances from `xi` to the points at positions `s..e` of the
/// column-major `cols` (n positions per feature). Eight positions at a time keep their sums in
/// registers across the features; each distance is still summed feature by feature and the
/// roots are added in position order, so the result is the same on any machine.
#[inline(always)]
fn distance_sum(xi: &[f64], cols: &[f64], n: usize, s: usize, e: usize) -> f64 {
    const W: usize = 8;
    let mut total = 0.0;
    let mut j = s;
    while j + W <= e {
        let mut acc = [0.0f64; W];
        for (f, xf) in xi.iter().enumerate() {
            let c = &cols[f * n + j..f * n + j + W];
            for l in 0..W {
                let t = c[l] - xf;
                acc[l] += t * t;
            }
        }
        for v in acc {
            total += v.sqrt();
        }
        j += W;
    }
    for p in j..e {
        let mut acc = 0.0;
        for (f, xf) in xi.iter().enumerate() {
            let t = cols[f * n + p] - xf;
            acc += t * t;
        }
        total += acc.sqrt();
    }
    total
}

/// Per-point silhouette s(i) = (b - a) / max(a, b), where a is the mean distance from i to
/// the other members of its group and b the smallest mean distance to another group
/// (Rousseeuw 1987). A member of a singleton group scores 0, as in scikit-learn.
///
/// Exact, O(n^2 d) time and O(n d) memory: points are sorted by group into a column-major
/// copy and distances are summed tile by tile, in parallel over points. The result is
/// identical for any number of threads. Euclidean distances; see [`silhouette_samples_with`].
pub fn silhouette_samples(x: &Matrix, labels: &[usize], k: usize) -> Result<Vec<f64>> {
    silhouette_samples_with(x, labels, k, Metric::Euclidean)
}

/// `x` divided by its largest absolute value when that is above 1e100, where squared
/// distances would overflow (the silhouette, Calinski-Harabasz and Davies-Bouldin indices do
/// not change under a common scale); `None` when `x` is fine as it is.
fn tamed(x: &Matrix) -> Result<Option<Matrix>> {
    let m = x.data.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if !(m > 1e100 && m.is_finite()) {
        return Ok(None);
    }
    Ok(Some(Matrix::new(x.data.iter().map(|v| v / m).collect(), x.n, x.d)?))
}

/// [`silhouette_samples`] under `metric`.
pub fn silhouette_samples_with(x: &Matrix, labels: &[usize], k: usize, metric: Metric) -> Result<Vec<f64>> {
    let scaled = tamed(x)?;
    let x = scaled.as_ref().unwrap_or(x);
    check_k(k, x.n)?;
    let (n, d) = (x.n, x.d);
    let sizes = counts(labels, k);
    let mut offsets = vec![0usize; k + 1];
    for g in 0..k {
        offsets[g + 1] = offsets[g] + sizes[g];
    }
    let mut order = vec![0usize; n];
    let mut next = offsets.clone();
    for (i, &l) in labels.iter().enumerate() {
        order[next[l]] = i;
        next[l] += 1;
    }
    let mut cols = vec![0.0; n * d];
    for (pos, &i) in order.iter().enumerate() {
        for (f, v) in x.row(i).iter().enumerate() {
            cols[f * n + pos] = *v;
        }
    }
    // Points go in blocks of BLOCK against tiles of TILE positions, so a tile's columns are read
    // from L1 once per block instead of once per point; each point's sums still accumulate in
    // tile order, so the result does not depend on the thread count.
    let points: Vec<usize> = (0..n).collect();
    let sizes = &sizes;
    let scores: Vec<f64> = points
        .par_chunks(BLOCK)
        .flat_map_iter(|block| {
            let sums = block_sums(x, block, &cols, &offsets, metric);
            block
                .iter()
                .enumerate()
                .map(move |(b, &i)| {
                    let own = labels[i];
                    if sizes[own] == 1 {
                        return 0.0;
                    }
                    let a = sums[b * k + own] / (sizes[own] - 1) as f64;
                    let mut nearest = f64::INFINITY;
                    for g in (0..k).filter(|&g| g != own) {
                        nearest = nearest.min(sums[b * k + g] / sizes[g] as f64);
                    }
                    let m = a.max(nearest);
                    if m > 0.0 {
                        (nearest - a) / m
                    } else {
                        0.0
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect();
    Ok(scores)
}

/// Mean silhouette over all points.
pub fn silhouette_score(x: &Matrix, labels: &[usize], k: usize) -> Result<f64> {
    let s = silhouette_samples(x, labels, k)?;
    Ok(s.iter().sum::<f64>() / s.len() as f64)
}

/// Calinski-Harabasz index: [B / (k - 1)] / [W / (n - k)] with B the between-group and W the
/// within-group sum of squares (Calinski & Harabasz 1974); 1 when W is 0, as scikit-learn.
pub fn calinski_harabasz(x: &Matrix, labels: &[usize], k: usize) -> Result<f64> {
    check_k(k, x.n)?;
    let scaled = tamed(x)?;
    let x = scaled.as_ref().unwrap_or(x);
    let (mean, _) = x.moments();
    let (cent, sizes) = centroids(x, labels, k);
    let mut between = 0.0;
    for (c, &m) in cent.chunks_exact(x.d).zip(&sizes) {
        between += m as f64 * sq_dist(c, &mean);
    }
    let mut within = 0.0;
    for (r, &l) in x.data.chunks_exact(x.d).zip(labels) {
        within += sq_dist(r, &cent[l * x.d..(l + 1) * x.d]);
    }
    if within == 0.0 {
        return Ok(1.0);
    }
    Ok(between * (x.n - k) as f64 / (within * (k - 1) as f64))
}

/// Davies-Bouldin index: the mean over groups of max_j (s_i + s_j) / d(c_i, c_j), with s_i
/// the mean distance of group i's points to its centroid (Davies & Bouldin 1979). 0 when
/// all s_i or all centroid distances are (close to) 0, as scikit-learn.
pub fn davies_bouldin(x: &Matrix, labels: &[usize], k: usize) -> Result<f64> {
    check_k(k, x.n)?;
    let scaled = tamed(x)?;
    let x = scaled.as_ref().unwrap_or(x);
    let d = x.d;
    let (cent, sizes) = centroids(x, labels, k);
    let mut intra = vec![0.0; k];
    for (r, &l) in x.data.chunks_exact(d).zip(labels) {
        intra[l] += sq_dist(r, &cent[l * d..(l + 1) * d]).sqrt();
    }
    for (s, &m) in intra.iter_mut().zip(&sizes) {
        *s /= m.max(1) as f64;
    }
    let cd = |i: usize, j: usize| sq_dist(&cent[i * d..(i + 1) * d], &cent[j * d..(j + 1) * d]).sqrt();
    let close = |v: f64| v.abs() <= 1e-8;
    let all_cd_zero = (0..k).all(|i| (0..k).all(|j| close(cd(i, j))));
    if intra.iter().all(|&v| close(v)) || all_cd_zero {
        return Ok(0.0);
    }
    let mut total = 0.0;
    for i in 0..k {
        let mut worst = 0.0f64;
        for j in 0..k {
            let dist = cd(i, j);
            if dist != 0.0 {
                worst = worst.max((intra[i] + intra[j]) / dist);
            }
        }
        total += worst;
    }
    Ok(total / k as f64)
}

/// A contingency table of two labellings of the same rows: `counts[i * kb + j]` rows have
/// label i in the first and j in the second. Sums combine across partitions.
#[derive(Debug, Clone, PartialEq)]
pub struct Contingency {
    pub ka: usize,
    pub kb: usize,
    pub counts: Vec<u64>,
}

impl Contingency {
    /// Counts `a` against `b` (dense codes below `ka` and `kb`).
    pub fn new(a: &[usize], b: &[usize], ka: usize, kb: usize) -> Result<Self> {
        if a.len() != b.len() {
            return Err(Error::parameter(
                "labels",
                format!("{} and {} labels differ in length", a.len(), b.len()),
            ));
        }
        if ka.saturating_mul(kb) > MAX_CELLS {
            return Err(Error::parameter(
                "labels",
                format!(
                    "a table of {ka} x {kb} groups has {:.1e} cells; the limit is {MAX_CELLS:.0e} ({} MB \
                     of counts): merge rare groups (or compare fewer, larger groupings)",
                    ka as f64 * kb as f64,
                    (MAX_CELLS * 8) >> 20
                ),
            ));
        }
        let mut counts = vec![0u64; ka * kb];
        for (&i, &j) in a.iter().zip(b) {
            counts[i * kb + j] += 1;
        }
        Ok(Contingency { ka, kb, counts })
    }

    /// Adds another partition's counts (the tables must have the same shape).
    pub fn merge(&mut self, other: &Contingency) -> Result<()> {
        if (self.ka, self.kb) != (other.ka, other.kb) {
            return Err(Error::parameter("contingency", "tables of different shapes cannot be merged"));
        }
        self.counts.iter_mut().zip(&other.counts).for_each(|(a, b)| *a += b);
        Ok(())
    }

    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }

    pub fn row_sums(&self) -> Vec<u64> {
        self.counts.chunks_exact(self.kb.max(1)).map(|r| r.iter().sum()).collect()
    }

    pub fn col_sums(&self) -> Vec<u64> {
        let mut c = vec![0u64; self.kb];
        for r in self.counts.chunks_exact(self.kb.max(1)) {
            c.iter_mut().zip(r).for_each(|(s, v)| *s += v);
        }
        c
    }

    fn nonempty(v: &[u64]) -> usize {
        v.iter().filter(|&&c| c > 0).count()
    }

    /// Adjusted Rand index (Hubert & Arabie 1985), through the pair confusion matrix as
    /// scikit-learn computes it; exact integer arithmetic up to the final division.
    pub fn adjusted_rand(&self) -> f64 {
        let n = self.n() as i128;
        let (rows, cols) = (self.row_sums(), self.col_sums());
        let sum_sq: i128 = self.counts.iter().map(|&c| (c as i128) * (c as i128)).sum();
        let mut a_dot_b = 0i128; // sum_ij n_ij * b_j
        let mut at_dot_a = 0i128; // sum_ij n_ij * a_i
        for i in 0..self.ka {
            for j in 0..self.kb {
                let c = self.counts[i * self.kb + j] as i128;
                a_dot_b += c * cols[j] as i128;
                at_dot_a += c * rows[i] as i128;
            }
        }
        let tp = sum_sq - n;
        let fp = a_dot_b - sum_sq;
        let fn_ = at_dot_a - sum_sq;
        let tn = n * n - fp - fn_ - sum_sq;
        if fn_ == 0 && fp == 0 {
            return 1.0;
        }
        let num = 2.0 * ((tp * tn - fn_ * fp) as f64);
        let den = ((tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn)) as f64;
        num / den
    }

    /// Mutual information in nats.
    pub fn mutual_info(&self) -> f64 {
        let n = self.n() as f64;
        let (rows, cols) = (self.row_sums(), self.col_sums());
        // one class on either side shares no information: exactly 0, as scikit-learn (the sum
        // below would leave a rounding residue of about 1e-16, and NMI would divide by it)
        if rows.iter().filter(|r| **r > 0).count() <= 1 || cols.iter().filter(|c| **c > 0).count() <= 1 {
            return 0.0;
        }
        let (sr, sc) = (rows.iter().sum::<u64>() as f64, cols.iter().sum::<u64>() as f64);
        let mut mi = 0.0;
        for i in 0..self.ka {
            for j in 0..self.kb {
                let c = self.counts[i * self.kb + j];
                if c == 0 {
                    continue;
                }
                let p = c as f64 / n;
                let log_outer = -((rows[i] as f64).ln() + (cols[j] as f64).ln()) + sr.ln() + sc.ln();
                let term = p * ((c as f64).ln() - n.ln()) + p * log_outer;
                if term.abs() >= f64::EPSILON {
                    mi += term;
                }
            }
        }
        mi.max(0.0)
    }

    /// Entropies (nats) of the first and second labelling.
    pub fn entropies(&self) -> (f64, f64) {
        (entropy(&self.row_sums()), entropy(&self.col_sums()))
    }

    fn trivial(&self) -> bool {
        let (a, b) = (Self::nonempty(&self.row_sums()), Self::nonempty(&self.col_sums()));
        (a == 1 && b == 1) || (a == 0 && b == 0)
    }

    /// Mutual information over the arithmetic mean of the entropies (scikit-learn's default).
    pub fn normalized_mutual_info(&self) -> f64 {
        if self.trivial() {
            return 1.0;
        }
        let mi = self.mutual_info();
        if mi == 0.0 {
            return 0.0;
        }
        let (ha, hb) = self.entropies();
        mi / ((ha + hb) / 2.0)
    }

    /// Expected mutual information of two random labellings with these margins
    /// (Vinh, Epps & Bailey 2010), in nats.
    ///
    /// Rows (columns) with the same total contribute the same terms, so the double sum runs
    /// over the distinct totals, weighted by how many rows and columns share them:
    /// O(D_a D_b m) for D_a, D_b distinct totals (at most sqrt(2N) each) and m the smaller
    /// total, instead of O(k_a k_b m). Two labellings into singletons take one term.
    pub fn expected_mutual_info(&self) -> f64 {
        let distinct = |sums: Vec<u64>| -> Vec<(u64, f64)> {
            let mut s: Vec<u64> = sums.into_iter().filter(|v| *v > 0).collect();
            s.sort_unstable();
            let mut out: Vec<(u64, f64)> = Vec::new();
            for v in s {
                match out.last_mut() {
                    Some((last, count)) if *last == v => *count += 1.0,
                    _ => out.push((v, 1.0)),
                }
            }
            out
        };
        let (rows, cols) = (distinct(self.row_sums()), distinct(self.col_sums()));
        let total = self.n();
        let n = total as f64;
        let gln = |k: u64| ln_gamma(k as f64 + 1.0);
        let mut emi = 0.0;
        for &(a, ra) in &rows {
            for &(b, cb) in &cols {
                let (af, bf) = (a as f64, b as f64);
                let start = (a + b).saturating_sub(total).max(1);
                let end = a.min(b);
                let fixed = gln(a) + gln(b) + gln(total - a) + gln(total - b) - gln(total);
                let mut cell = 0.0;
                for nij in start..=end {
                    let v = nij as f64;
                    // ln(N n_ij / (a b)) from the exact integer products, so a cell holding a
                    // whole margin contributes exactly 0
                    let term2 = (n * v / (af * bf)).ln();
                    let g = fixed - gln(nij) - gln(a - nij) - gln(b - nij) - gln(total + nij - a - b);
                    cell += v / n * term2 * g.exp();
                }
                emi += ra * cb * cell;
            }
        }
        emi
    }

    /// Mutual information adjusted for chance, arithmetic normalisation (scikit-learn's default).
    pub fn adjusted_mutual_info(&self) -> f64 {
        if self.trivial() {
            return 1.0;
        }
        let mi = self.mutual_info();
        let emi = self.expected_mutual_info();
        let (ha, hb) = self.entropies();
        let mut den = (ha + hb) / 2.0 - emi;
        den = if den < 0.0 { den.min(-f64::EPSILON) } else { den.max(f64::EPSILON) };
        (mi - emi) / den
    }

    /// Homogeneity, completeness and V-measure (beta = 1) of the second labelling against
    /// the first taken as the truth (Rosenberg & Hirschberg 2007).
    pub fn homogeneity_completeness_v(&self) -> (f64, f64, f64) {
        let (hc, hk) = self.entropies();
        let mi = self.mutual_info();
        let h = if hc != 0.0 { mi / hc } else { 1.0 };
        let c = if hk != 0.0 { mi / hk } else { 1.0 };
        let v = if h + c != 0.0 { 2.0 * h * c / (h + c) } else { 0.0 };
        (h, c, v)
    }

    /// Pearson chi-square of independence, its degrees of freedom, and Cramer's V.
    pub fn chi_square(&self) -> (f64, usize, f64) {
        let n = self.n() as f64;
        let (rows, cols) = (self.row_sums(), self.col_sums());
        let mut chi2 = 0.0;
        for i in 0..self.ka {
            for j in 0..self.kb {
                let e = rows[i] as f64 * cols[j] as f64 / n;
                if e > 0.0 {
                    let o = self.counts[i * self.kb + j] as f64;
                    chi2 += (o - e) * (o - e) / e;
                }
            }
        }
        let (r, c) = (Self::nonempty(&rows), Self::nonempty(&cols));
        let df = (r.saturating_sub(1)) * (c.saturating_sub(1));
        let m = r.min(c).saturating_sub(1);
        let v = if m > 0 && n > 0.0 { (chi2 / (n * m as f64)).sqrt() } else { 0.0 };
        (chi2, df, v)
    }

    /// Adjusted standardized residuals (Haberman 1973): (o - e) / sqrt(e (1 - r/n)(1 - c/n)); 0
    /// where the variance is 0 (a grouping of one group, or an empty level: then o = e).
    pub fn adjusted_residuals(&self) -> Vec<f64> {
        let n = self.n() as f64;
        let (rows, cols) = (self.row_sums(), self.col_sums());
        let mut out = vec![f64::NAN; self.ka * self.kb];
        for i in 0..self.ka {
            for j in 0..self.kb {
                let (r, c) = (rows[i] as f64, cols[j] as f64);
                let e = r * c / n;
                let var = e * (1.0 - r / n) * (1.0 - c / n);
                if var > 0.0 {
                    out[i * self.kb + j] = (self.counts[i * self.kb + j] as f64 - e) / var.sqrt();
                } else if var == 0.0 {
                    out[i * self.kb + j] = 0.0;
                }
            }
        }
        out
    }
}

/// Entropy in nats of a vector of counts.
pub fn entropy(counts: &[u64]) -> f64 {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return 1.0;
    }
    let t = total as f64;
    -counts.iter().filter(|&&c| c > 0).map(|&c| (c as f64 / t) * ((c as f64).ln() - t.ln())).sum::<f64>()
}

/// Value separation of groups: eta squared (between-group over total sum of squares) and the
/// Kruskal-Wallis H with its tie correction and chi-square p-value on k - 1 degrees of
/// freedom (Kruskal & Wallis 1952).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Separation {
    pub eta_squared: f64,
    pub kruskal_h: f64,
    pub kruskal_p: f64,
    pub df: usize,
}

pub fn separation(value: &[f64], labels: &[usize], k: usize) -> Result<Separation> {
    let n = value.len();
    if labels.len() != n {
        return Err(Error::parameter("labels", format!("{} labels for {n} values", labels.len())));
    }
    let sizes = counts(labels, k);
    let groups = sizes.iter().filter(|&&s| s > 0).count();
    if groups < 2 {
        return Err(Error::parameter("labels", "value separation needs at least two non-empty groups"));
    }
    let mean = value.iter().sum::<f64>() / n as f64;
    let mut gsum = vec![0.0; k];
    for (&v, &l) in value.iter().zip(labels) {
        gsum[l] += v;
    }
    let total: f64 = value.iter().map(|v| (v - mean) * (v - mean)).sum();
    let between: f64 = gsum
        .iter()
        .zip(&sizes)
        .filter(|(_, &s)| s > 0)
        .map(|(s, &m)| {
            let gm = s / m as f64;
            m as f64 * (gm - mean) * (gm - mean)
        })
        .sum();
    // Mid-ranks with ties, and the tie term sum(t^3 - t).
    let (ranks, ties) = average_ranks(value);
    let mut rank_sum = vec![0.0; k];
    for (&r, &l) in ranks.iter().zip(labels) {
        rank_sum[l] += r;
    }
    let nf = n as f64;
    let mut h =
        rank_sum.iter().zip(&sizes).filter(|(_, &s)| s > 0).map(|(r, &s)| r * r / s as f64).sum::<f64>();
    h = 12.0 / (nf * (nf + 1.0)) * h - 3.0 * (nf + 1.0);
    let correction = 1.0 - ties / (nf * nf * nf - nf);
    let h = if correction > 0.0 { h / correction } else { f64::NAN };
    let df = groups - 1;
    let p = chi2_sf(h, df as f64);
    Ok(Separation {
        eta_squared: if total > 0.0 { between / total } else { f64::NAN },
        kruskal_h: h,
        kruskal_p: p,
        df,
    })
}

impl Contingency {
    /// Every agreement measure of the two labellings as an analysis output: ka, kb, counts,
    /// adjusted residuals, ARI, NMI, AMI and the expected mutual information (NaN unless
    /// `expected`), homogeneity, completeness, V, chi-square with df and p, Cramer's V and the
    /// mutual information.
    pub fn output(&self, ka: usize, kb: usize, expected: bool) -> Output {
        let (h, comp, v) = self.homogeneity_completeness_v();
        let (chi2, df, cv) = self.chi_square();
        Output::new(RowLog::new(self.n() as usize))
            .value("ka", ka)
            .value("kb", kb)
            .value("counts", self.counts.clone())
            .value("residuals", self.adjusted_residuals())
            .value("adjusted_rand", self.adjusted_rand())
            .value("normalized_mutual_info", self.normalized_mutual_info())
            .value("adjusted_mutual_info", if expected { self.adjusted_mutual_info() } else { f64::NAN })
            .value("homogeneity", h)
            .value("completeness", comp)
            .value("v_measure", v)
            .value("chi2", chi2)
            .value("chi2_df", df)
            // no degrees of freedom (one group on a side): nothing to test, p = 1 as scipy's
            // chi2_contingency gives
            .value("chi2_p", if df == 0 { 1.0 } else { chi2_sf(chi2, df as f64) })
            .value("cramers_v", cv)
            .value("mutual_info", self.mutual_info())
            .value("expected_mutual_info", if expected { self.expected_mutual_info() } else { f64::NAN })
    }
}

impl Separation {
    /// The separation as an analysis output: eta_squared, kruskal_h, kruskal_p, df.
    pub fn output(&self, n: usize) -> Output {
        Output::new(RowLog::new(n))
            .value("eta_squared", self.eta_squared)
            .value("kruskal_h", self.kruskal_h)
            .value("kruskal_p", self.kruskal_p)
            .value("df", self.df)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn one_class_against_a_split_shares_exactly_no_information() {
        // a constant labelling against one that differs in one point: scikit-learn gives 0
        let a = vec![0usize; 7];
        let mut b = vec![0usize; 7];
        b[3] = 1;
        let c = Contingency::new(&a, &b, 1, 2).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.mutual_info(), 0.0);
        assert_eq!(c.normalized_mutual_info(), 0.0);
        assert_eq!(c.expected_mutual_info(), 0.0);
        assert_eq!(c.adjusted_mutual_info(), 0.0);
        assert_eq!(c.homogeneity_completeness_v(), (1.0, 0.0, 0.0));
    }

    #[test]
    fn ari_is_one_for_renamed_partitions_and_symmetric() {
        let a = [0, 0, 1, 1, 2, 2];
        let b = [2, 2, 0, 0, 1, 1];
        let c = Contingency::new(&a, &b, 3, 3).unwrap();
        assert_eq!(c.adjusted_rand(), 1.0);
        let x = [0, 0, 1, 1, 1, 0];
        let y = [0, 1, 1, 0, 1, 1];
        let xy = Contingency::new(&x, &y, 2, 2).unwrap().adjusted_rand();
        let yx = Contingency::new(&y, &x, 2, 2).unwrap().adjusted_rand();
        assert!((xy - yx).abs() < 1e-15);
    }

    #[test]
    fn a_singletons_silhouette_is_zero() {
        let x = Matrix::new(vec![0.0, 0.1, 0.2, 5.0], 4, 1).unwrap();
        let s = silhouette_samples(&x, &[0, 0, 0, 1], 2).unwrap();
        assert_eq!(s[3], 0.0);
        assert!(s[0] > 0.9);
    }

    #[test]
    fn k_must_be_between_two_and_n_minus_one() {
        let x = Matrix::new(vec![0.0, 1.0, 2.0], 3, 1).unwrap();
        assert!(silhouette_score(&x, &[0, 0, 0], 1).is_err());
        assert!(calinski_harabasz(&x, &[0, 1, 2], 3).is_err());
    }

    #[test]
    fn kruskal_wallis_matches_a_hand_computation() {
        // Groups {1,2,3} and {4,5,6}: ranks sum 6 and 15, H = 12/42 * (36/3 + 225/3) - 21.
        let s = separation(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[0, 0, 0, 1, 1, 1], 2).unwrap();
        let h = 12.0 / 42.0 * (12.0 + 75.0) - 21.0;
        assert!((s.kruskal_h - h).abs() < 1e-12);
        assert!((s.eta_squared - 13.5 / 17.5).abs() < 1e-12);
    }
}
