//! k-means written for speed: greedy k-means++ seeding as scikit-learn does it (Arthur &
//! Vassilvitskii 2007, with 2 + ln k local trials per centre), then Lloyd iterations
//! accelerated by Hamerly's (2010) bounds, which skip most distance computations once
//! centres settle. Assignment and centre sums run in parallel over fixed chunks of points and
//! the partial sums are added in chunk order, so a seed gives the same result on any number
//! of threads. Convergence follows scikit-learn: stop when the squared centre movement summed
//! over centres is at most `tol` times the mean feature variance, or when no label changes;
//! labels are then re-derived from the final centres.

use rand::Rng;
use rayon::prelude::*;

use super::matrix::{sq_dist, Block, Matrix, LANES};
use crate::error::{Error, Result};
use crate::simd::dispatch;
use crate::stats::{rng, tick, Progress};

/// Points per parallel chunk (fixed, so sums do not depend on the thread count).
const CHUNK: usize = 4096;

/// Settings of a k-means fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KMeansParams {
    pub k: usize,
    pub n_init: usize,
    pub max_iter: usize,
    pub tol: f64,
    pub seed: u64,
}

impl KMeansParams {
    pub fn new(k: usize, seed: u64) -> Self {
        KMeansParams { k, n_init: 10, max_iter: 300, tol: 1e-4, seed }
    }

    fn check(&self, n: usize) -> Result<()> {
        check_k(self.k, n)?;
        if self.n_init < 1 {
            return Err(Error::parameter("n_init", "must be at least 1"));
        }
        if self.tol.is_nan() || self.tol < 0.0 {
            return Err(Error::parameter("tol", "must be a non-negative number"));
        }
        Ok(())
    }
}

/// `k` between 1 and the number of rows `n`, or a ParameterError naming `k`.
pub fn check_k(k: usize, n: usize) -> Result<()> {
    if k < 1 {
        return Err(Error::parameter("k", format!("must be at least 1, got {k}")));
    }
    if k > n {
        return Err(Error::parameter("k", format!("k = {k} is larger than the {n} rows")));
    }
    Ok(())
}

/// A fitted k-means: centres (k x d, row-major), labels, inertia (sum of squared distances
/// to the assigned centre, as scikit-learn) and the iterations of the best run.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansFit {
    pub centers: Vec<f64>,
    pub labels: Vec<usize>,
    pub inertia: f64,
    pub n_iter: usize,
}

/// A sum that is identical for any number of threads.
pub fn det_sum(v: &[f64]) -> f64 {
    v.par_chunks(CHUNK).map(|c| c.iter().sum::<f64>()).collect::<Vec<_>>().iter().sum()
}

/// Fits k-means with `n_init` seeded starts and keeps the one of lowest inertia.
pub fn kmeans(x: &Matrix, p: &KMeansParams, progress: Option<&Progress>) -> Result<KMeansFit> {
    if x.n == 0 {
        return Err(Error::input("X", "no rows to cluster"));
    }
    p.check(x.n)?;
    let (_, sd) = x.moments();
    let tol = p.tol * sd.iter().map(|s| s * s).sum::<f64>() / x.d as f64;
    let mut best: Option<KMeansFit> = None;
    for run in 0..p.n_init {
        let mut r = rng::stream(p.seed, run as u64);
        let init = kmeanspp(x, p.k, &mut r);
        let fit = lloyd_hamerly(x, init, p.k, p.max_iter, tol);
        if best.as_ref().is_none_or(|b| fit.inertia < b.inertia) {
            best = Some(fit);
        }
        tick(progress)?;
    }
    best.ok_or_else(|| Error::convergence("k-means", "no run finished; raise n_init"))
}

/// Greedy k-means++: each new centre is the best of `2 + ln k` candidates drawn with
/// probability proportional to the squared distance to the nearest centre so far (the one that
/// lowers the potential, the sum of those distances, most).
///
/// One pass over the data per centre scores every candidate at once (each point is read once
/// for all of them) and keeps each point's new nearest distance under every candidate, so the
/// winner's distances are copied, not recomputed (n x candidates values, as scikit-learn's
/// distance matrix to the candidates). The chunk sums of the nearest distances serve the next
/// draw: a draw finds its chunk from them, then scans that chunk, so no prefix sum of n values
/// is built.
pub fn kmeanspp(x: &Matrix, k: usize, r: &mut impl Rng) -> Vec<f64> {
    let (n, d) = (x.n, x.d);
    let trials = 2 + (k as f64).ln().floor() as usize;
    let mut centers = Vec::with_capacity(k * d);
    let first = r.random_range(0..n);
    centers.extend_from_slice(x.row(first));
    let mut closest = vec![f64::INFINITY; n];
    let mut sums = lower_closest(x, &mut closest, x.row(first));
    let mut under = vec![0.0; if k > 1 { n * trials } else { 0 }];
    for _ in 1..k {
        let pot: f64 = sums.iter().sum();
        let cands: Vec<usize> = (0..trials).map(|_| draw(&closest, &sums, r.random::<f64>() * pot)).collect();
        let parts: Vec<Vec<f64>> = closest
            .par_chunks(CHUNK)
            .zip(under.par_chunks_mut(CHUNK * trials))
            .enumerate()
            .map(|(c, (cl, un))| score_chunk(x, cl, c * CHUNK, &cands, un))
            .collect();
        let mut pots = vec![0.0; cands.len()];
        for p in &parts {
            pots.iter_mut().zip(p).for_each(|(a, b)| *a += b);
        }
        let mut best = 0;
        for (t, p) in pots.iter().enumerate() {
            if *p < pots[best] {
                best = t;
            }
        }
        centers.extend_from_slice(x.row(cands[best]));
        closest.par_chunks_mut(CHUNK).zip(under.par_chunks(CHUNK * trials)).for_each(|(cl, un)| {
            for (v, u) in cl.iter_mut().zip(un.chunks_exact(trials)) {
                *v = u[best];
            }
        });
        sums = parts.iter().map(|p| p[best]).collect();
    }
    centers
}

/// `closest[i] = min(closest[i], ||x_i - c||^2)`; returns the sum of `closest` per chunk.
fn lower_closest(x: &Matrix, closest: &mut [f64], c: &[f64]) -> Vec<f64> {
    closest.par_chunks_mut(CHUNK).enumerate().map(|(ci, cl)| lower_chunk(x, cl, ci * CHUNK, c)).collect()
}

dispatch! {
    /// Potential of each candidate over the points `start..` whose nearest-centre distances
    /// are `closest`: the sum of min(closest, distance to the candidate), each of which is kept
    /// in `under` (point-major, a value per candidate).
    fn score_chunk(x: &Matrix, closest: &[f64], start: usize, cands: &[usize], under: &mut [f64]) -> Vec<f64> {
        let m = cands.len();
        let mut acc = vec![0.0; m];
        let mut block = Block::new(x.d);
        for ((b, cb), ub) in closest.chunks(LANES).enumerate().zip(under.chunks_mut(LANES * m)) {
            let s = start + b * LANES;
            block.load((s..s + cb.len()).map(|i| x.row(i)));
            for (t, (a, &cand)) in acc.iter_mut().zip(cands).enumerate() {
                let dist = block.sq_dists(x.row(cand));
                for (l, (c, v)) in cb.iter().zip(dist).enumerate() {
                    let low = c.min(v);
                    *a += low;
                    ub[l * m + t] = low;
                }
            }
        }
        acc
    }
}

dispatch! {
    /// Lowers `closest` (points `start..`) to the distance to `c`; returns their sum.
    fn lower_chunk(x: &Matrix, closest: &mut [f64], start: usize, c: &[f64]) -> f64 {
        let mut s = 0.0;
        let mut block = Block::new(x.d);
        for (b, cb) in closest.chunks_mut(LANES).enumerate() {
            let first = start + b * LANES;
            block.load((first..first + cb.len()).map(|i| x.row(i)));
            for (v, dist) in cb.iter_mut().zip(block.sq_dists(c)) {
                *v = v.min(dist);
                s += *v;
            }
        }
        s
    }
}

/// The first point at which the running sum of `closest` reaches `target`, found through the
/// chunk sums.
fn draw(closest: &[f64], sums: &[f64], target: f64) -> usize {
    let mut acc = 0.0;
    for (ci, &s) in sums.iter().enumerate() {
        if acc + s >= target && s > 0.0 {
            for (t, v) in closest[ci * CHUNK..].iter().take(CHUNK).enumerate() {
                acc += v;
                if acc >= target {
                    return ci * CHUNK + t;
                }
            }
            // rounding left the target just beyond this chunk's last point
            return (ci * CHUNK + CHUNK).min(closest.len()) - 1;
        }
        acc += s;
    }
    closest.len() - 1
}

/// Labels of the nearest centre for every point.
pub fn predict(x: &Matrix, centers: &[f64]) -> Vec<usize> {
    let mut labels = vec![0usize; x.n];
    labels.par_chunks_mut(CHUNK).enumerate().for_each(|(c, lab)| {
        let rows: Vec<usize> = (0..lab.len()).collect();
        let mut up = vec![0.0; lab.len()];
        let mut lo = vec![0.0; lab.len()];
        search(x, c * CHUNK, &rows, centers, lab, &mut up, &mut lo);
    });
    labels
}

dispatch! {
    /// Nearest and second-nearest centre of the points `start + t` for `t` in `rows`, written
    /// to `lab[t]`, `up[t]` and `lo[t]` (distances); returns how many labels changed.
    fn search(
        x: &Matrix,
        start: usize,
        rows: &[usize],
        centers: &[f64],
        lab: &mut [usize],
        up: &mut [f64],
        lo: &mut [f64],
    ) -> usize {
        let mut changed = 0;
        let mut block = Block::new(x.d);
        for group in rows.chunks(LANES) {
            block.load(group.iter().map(|&t| x.row(start + t)));
            let (a, d1, d2) = block.nearest_two(centers, x.d);
            for (l, &t) in group.iter().enumerate() {
                changed += usize::from(a[l] != lab[t]);
                lab[t] = a[l];
                up[t] = d1[l].sqrt();
                lo[t] = d2[l].sqrt();
            }
        }
        changed
    }
}

/// Partial centre sums of one chunk, and how many labels changed in it.
struct Partial {
    sums: Vec<f64>,
    counts: Vec<usize>,
    changed: usize,
}

fn lloyd_hamerly(x: &Matrix, mut centers: Vec<f64>, k: usize, max_iter: usize, tol: f64) -> KMeansFit {
    let (n, d) = (x.n, x.d);
    let mut labels = vec![0usize; n];
    let mut upper = vec![0.0f64; n];
    let mut lower = vec![0.0f64; n];
    // Initial full assignment.
    let mut part = assign(x, &centers, k, &mut labels, &mut upper, &mut lower, None);
    let mut n_iter = 0;
    for it in 0..max_iter {
        n_iter = it + 1;
        // M-step: new centres from the partial sums, relocating empty clusters to far points.
        let mut new = vec![0.0; k * d];
        for (j, c) in new.chunks_exact_mut(d).enumerate() {
            let m = part.counts[j];
            if m > 0 {
                for (v, s) in c.iter_mut().zip(&part.sums[j * d..(j + 1) * d]) {
                    *v = s / m as f64;
                }
            } else {
                c.copy_from_slice(&centers[j * d..(j + 1) * d]);
            }
        }
        relocate_empty(x, &part.counts, &upper, &mut new);
        let shift: Vec<f64> =
            (0..k).map(|j| sq_dist(&centers[j * d..(j + 1) * d], &new[j * d..(j + 1) * d]).sqrt()).collect();
        centers = new;
        let total: f64 = shift.iter().map(|s| s * s).sum();
        if total <= tol {
            // Converged on centre movement: re-derive the labels from the final centres.
            assign(x, &centers, k, &mut labels, &mut upper, &mut lower, None);
            break;
        }
        // Hamerly bound updates.
        let (mut m1, mut m2, mut arg) = (0.0f64, 0.0f64, 0usize);
        for (j, &s) in shift.iter().enumerate() {
            if s > m1 {
                m2 = m1;
                m1 = s;
                arg = j;
            } else if s > m2 {
                m2 = s;
            }
        }
        let half_gap: Vec<f64> = (0..k)
            .map(|j| {
                let mut m = f64::INFINITY;
                for jj in 0..k {
                    if jj != j {
                        m = m.min(sq_dist(&centers[j * d..(j + 1) * d], &centers[jj * d..(jj + 1) * d]));
                    }
                }
                0.5 * m.sqrt()
            })
            .collect();
        let bounds = Bounds { shift: &shift, max1: m1, max2: m2, argmax: arg, half_gap: &half_gap };
        part = assign(x, &centers, k, &mut labels, &mut upper, &mut lower, Some(&bounds));
        if part.changed == 0 {
            break;
        }
    }
    let sq: Vec<f64> = (0..n)
        .into_par_iter()
        .map(|i| sq_dist(x.row(i), &centers[labels[i] * d..(labels[i] + 1) * d]))
        .collect();
    KMeansFit { inertia: det_sum(&sq), centers, labels, n_iter }
}

/// What Hamerly's test needs from the last centre update.
struct Bounds<'a> {
    shift: &'a [f64],
    max1: f64,
    max2: f64,
    argmax: usize,
    half_gap: &'a [f64],
}

/// One assignment pass (full when `bounds` is None) that also accumulates centre sums.
fn assign(
    x: &Matrix,
    centers: &[f64],
    k: usize,
    labels: &mut [usize],
    upper: &mut [f64],
    lower: &mut [f64],
    bounds: Option<&Bounds<'_>>,
) -> Partial {
    let d = x.d;
    let parts: Vec<Partial> = labels
        .par_chunks_mut(CHUNK)
        .zip(upper.par_chunks_mut(CHUNK))
        .zip(lower.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(c, ((lab, up), lo))| {
            let mut p = Partial { sums: vec![0.0; k * d], counts: vec![0; k], changed: 0 };
            // Points whose bounds cannot rule out a change of centre (all of them without bounds)
            // are searched in blocks of LANES.
            let mut pending: Vec<usize> = Vec::with_capacity(if bounds.is_none() { lab.len() } else { 0 });
            match bounds {
                None => pending.extend(0..lab.len()),
                Some(b) => {
                    for t in 0..lab.len() {
                        let a = lab[t];
                        up[t] += b.shift[a];
                        lo[t] -= if a == b.argmax { b.max2 } else { b.max1 };
                        let m = b.half_gap[a].max(lo[t]);
                        if up[t] > m {
                            up[t] = sq_dist(x.row(c * CHUNK + t), &centers[a * d..(a + 1) * d]).sqrt();
                            if up[t] > m {
                                pending.push(t);
                            }
                        }
                    }
                }
            }
            let changed = search(x, c * CHUNK, &pending, centers, lab, up, lo);
            if bounds.is_some() {
                p.changed = changed;
            }
            for (t, &a) in lab.iter().enumerate() {
                let xi = x.row(c * CHUNK + t);
                p.counts[a] += 1;
                for (s, v) in p.sums[a * d..(a + 1) * d].iter_mut().zip(xi) {
                    *s += v;
                }
            }
            p
        })
        .collect();
    let mut total = Partial { sums: vec![0.0; k * d], counts: vec![0; k], changed: 0 };
    for p in parts {
        total.sums.iter_mut().zip(&p.sums).for_each(|(a, b)| *a += b);
        total.counts.iter_mut().zip(&p.counts).for_each(|(a, b)| *a += b);
        total.changed += p.changed;
    }
    total
}

/// Moves the centre of every empty cluster onto the point farthest from its own centre
/// (by the upper bounds), one distinct point per empty cluster, as scikit-learn does.
fn relocate_empty(x: &Matrix, counts: &[usize], upper: &[f64], centers: &mut [f64]) {
    let empty: Vec<usize> = (0..counts.len()).filter(|&j| counts[j] == 0).collect();
    if empty.is_empty() {
        return;
    }
    let mut far: Vec<usize> = (0..x.n).collect();
    far.sort_by(|&a, &b| upper[b].total_cmp(&upper[a]).then(a.cmp(&b)));
    let d = x.d;
    for (j, &i) in empty.iter().zip(&far) {
        centers[j * d..(j + 1) * d].copy_from_slice(x.row(i));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;
    use rand_distr::{Distribution, Normal};

    fn blobs(n: usize, seed: u64) -> (Matrix, Vec<usize>) {
        let centres = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]];
        let mut r = rng::stream(seed, 0);
        let noise = Normal::new(0.0, 1.0).unwrap();
        let mut data = Vec::new();
        let mut truth = Vec::new();
        for i in 0..n {
            let c = i % 3;
            truth.push(c);
            for v in centres[c] {
                data.push(v + noise.sample(&mut r));
            }
        }
        (Matrix::new(data, n, 2).unwrap(), truth)
    }

    #[test]
    fn recovers_well_separated_blobs_and_is_deterministic() {
        let (x, truth) = blobs(3000, 1);
        let p = KMeansParams::new(3, 7);
        let a = kmeans(&x, &p, None).unwrap();
        let b = kmeans(&x, &p, None).unwrap();
        assert_eq!(a, b);
        let c = super::super::metrics::Contingency::new(&truth, &a.labels, 3, 3).unwrap();
        assert!(c.adjusted_rand() > 0.99);
        // Labels are the nearest centres and inertia is their squared distance.
        assert_eq!(predict(&x, &a.centers), a.labels);
    }

    #[test]
    fn hamerly_agrees_with_a_plain_lloyd_from_the_same_start() {
        let (x, _) = blobs(900, 3);
        let mut r = rng::stream(5, 0);
        let init = kmeanspp(&x, 4, &mut r);
        let fast = lloyd_hamerly(&x, init.clone(), 4, 300, 0.0);
        let mut c = init;
        let mut labels = predict(&x, &c);
        for _ in 0..300 {
            let (cent, _) = super::super::matrix::centroids(&x, &labels, 4);
            c = cent;
            let next = predict(&x, &c);
            if next == labels {
                break;
            }
            labels = next;
        }
        assert_eq!(fast.labels, labels);
    }

    #[test]
    fn k_larger_than_n_is_an_error_naming_k() {
        let (x, _) = blobs(5, 0);
        let e = kmeans(&x, &KMeansParams::new(6, 0), None).unwrap_err();
        assert!(e.to_string().contains("'k'"));
    }
}
