//! Bootstrap intervals of the points and NMS optima.

use super::*;

/// A respondent's weight and NMS slope changes, as the bootstrap adds them.
pub(super) type WeightAndSlopes = (f64, Option<[f64; 4]>);

#[allow(clippy::too_many_arguments)]
pub(super) fn bootstrap(
    ans: &Answers,
    validate: Validate,
    nms: Option<&Nms>,
    n: usize,
    rule: PointRule,
    cost: Option<f64>,
    price: &[f64],
    level: f64,
    reps: usize,
    seed: u64,
    progress: Option<&Progress>,
) -> Result<Intervals> {
    if !(level > 0.0 && level < 1.0) {
        return Err(Error::parameter("ci", format!("must be a confidence level in (0, 1), got {level}")));
    }
    crate::stats::check_replicates("n_boot", reps, 2, 64)?;
    let m = price.len();
    let idx = |p: f64| price.binary_search_by(|x| x.total_cmp(&p)).map_or(0, |i| i as u32);
    // per valid respondent: the grid index of each answer (16 bytes, so that the random draws of
    // a replicate read a compact array), and only with weights or NMS the weight and slope changes
    let has_nms = nms.is_some();
    let plain = ans.weights.is_none() && !has_nms;
    let respondents = (0..n).filter_map(|i| respondent(ans, validate, nms, i));
    let (grid, extra): (Vec<[u32; 4]>, Vec<WeightAndSlopes>) = if plain {
        (respondents.map(|(a, _, _)| a.map(idx)).collect(), Vec::new())
    } else {
        respondents.map(|(a, w, k)| (a.map(idx), (w, k.map(|(kc, ke)| slope_changes(a, kc, ke))))).unzip()
    };
    let nr = grid.len();
    let reps_out: Vec<([f64; 4], [f64; 3])> = (0..reps as u64)
        .into_par_iter()
        .map(|r| {
            let mut rng = stream(seed, r);
            let mut h = vec![[0.0f64; 5]; m];
            let mut nms_total = 0.0;
            // draws in batches: the batch's random reads are issued together, so their cache
            // misses overlap (same draws, same order of sums as one at a time)
            const BATCH: usize = 64;
            let mut picks = [0usize; BATCH];
            let mut rows: [([u32; 4], WeightAndSlopes); BATCH] = [([u32::MAX; 4], (1.0, None)); BATCH];
            let mut left = nr;
            while left > 0 {
                let b = left.min(BATCH);
                left -= b;
                for p in picks.iter_mut().take(b) {
                    *p = rng.random_range(0..nr);
                }
                for (row, p) in rows.iter_mut().zip(&picks).take(b) {
                    row.0 = grid.get(*p).copied().unwrap_or([u32::MAX; 4]);
                    row.1 = extra.get(*p).copied().unwrap_or((1.0, None));
                }
                for (ix, (w, d)) in rows.iter().take(b) {
                    for (q, k) in ix.iter().enumerate() {
                        if let Some(row) = h.get_mut(*k as usize) {
                            row[q] += w;
                            if let Some(d) = d {
                                row[4] += w * d[q];
                            }
                        }
                    }
                    if d.is_some() {
                        nms_total += w;
                    }
                }
            }
            // keep only the prices observed in this replicate
            let (p, h): (Vec<f64>, Vec<[f64; 5]>) = price
                .iter()
                .zip(h)
                .filter(|(_, r)| r[..4].iter().any(|v| *v != 0.0))
                .map(|(p, r)| (*p, r))
                .unzip();
            let (_, pts, _, _, nms) =
                analyse_histogram(p, h, rule, if has_nms { Some(nms_total) } else { None }, cost);
            tick(progress)?;
            let f = |o: Option<f64>| o.unwrap_or(f64::NAN);
            let nms_opt = match nms {
                Some((_, ro, rv, pf)) => [ro.0, rv.0, pf.map_or(f64::NAN, |o| o.0)],
                None => [f64::NAN; 3],
            };
            Ok(([f(pts.opp), f(pts.ipp), f(pts.pmc), f(pts.pme)], nms_opt))
        })
        .collect::<Result<_>>()?;
    let col = |k: usize| -> (f64, f64) {
        percentile_interval(&reps_out.iter().map(|r| r.0[k]).collect::<Vec<_>>(), level)
    };
    let ncol = |k: usize| -> (f64, f64) {
        percentile_interval(&reps_out.iter().map(|r| r.1[k]).collect::<Vec<_>>(), level)
    };
    Ok(Intervals { level, reps, points: [col(0), col(1), col(2), col(3)], nms: [ncol(0), ncol(1), ncol(2)] })
}
