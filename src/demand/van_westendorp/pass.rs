//! The pass over respondents: validation, calibrated intents and the price histogram.

use super::*;

pub(super) fn intent_probability(col: &Column<f64>, calibration: &[(f64, f64)], i: usize) -> Result<f64> {
    let v = col.values.get(i).copied().unwrap_or(f64::NAN);
    calibration.iter().find(|(k, _)| *k == v).map(|(_, p)| *p).ok_or_else(|| {
        let keys: Vec<String> = calibration.iter().map(|(k, _)| format!("{k}")).collect();
        Error::input(
            &col.name,
            format!("intent {v} at row {i} is not one of the calibration keys {}", keys.join(", ")),
        )
    })
}

pub(super) fn check_calibration(cal: &[(f64, f64)]) -> Result<()> {
    if cal.is_empty() {
        return Err(Error::parameter("nms", "the calibration map is empty"));
    }
    for (k, p) in cal {
        if !(0.0..=1.0).contains(p) {
            return Err(Error::parameter("nms", format!("calibration of intent {k} is {p}, outside [0, 1]")));
        }
    }
    Ok(())
}

/// A respondent's contribution to the NMS slope at each of their four answer prices.
pub(super) fn slope_changes(a: [f64; 4], kc: f64, ke: f64) -> [f64; 4] {
    let s1 = kc / (a[1] - a[0]);
    let s2 = (ke - kc) / (a[2] - a[1]);
    let s3 = -ke / (a[3] - a[2]);
    [s1, s2 - s1, s3 - s2, -s3]
}

#[inline(always)]
pub(super) fn answers_at(ans: &Answers, i: usize) -> [f64; 4] {
    ans.prices.map(|c| c.values.get(i).copied().unwrap_or(f64::NAN))
}

/// A valid respondent: the four answers, the weight and the calibrated NMS intents.
pub(super) type Respondent = ([f64; 4], f64, Option<(f64, f64)>);

/// Row `i` as the analysis uses it: its answers, weight and NMS calibration (None when the
/// respondent is invalid). Intents are checked against the calibration beforehand.
#[inline(always)]
pub(super) fn respondent(
    ans: &Answers,
    validate: Validate,
    nms: Option<&Nms>,
    i: usize,
) -> Option<Respondent> {
    respondent_with(ans, answers_at(ans, i), validate, nms, i)
}

/// [`respondent`] given row `i`'s answers `a`, already read.
#[inline(always)]
pub(super) fn respondent_with(
    ans: &Answers,
    a: [f64; 4],
    validate: Validate,
    nms: Option<&Nms>,
    i: usize,
) -> Option<Respondent> {
    if !validate.accepts(a) {
        return None;
    }
    let k = match nms {
        Some(spec) if Validate::Strict.accepts(a) => {
            let kc = intent_probability(spec.intent_cheap, &spec.calibration, i).unwrap_or(0.0);
            let ke = intent_probability(spec.intent_expensive, &spec.calibration, i).unwrap_or(0.0);
            Some((kc, ke))
        }
        _ => None,
    };
    Some((a, weight_at(ans.weights, i), k))
}

/// Validates the inputs before any work: positive prices, weights, calibration and intents.
pub(super) fn check_inputs(ans: &Answers, validate: Validate, nms: Option<&Nms>) -> Result<usize> {
    let n = ans.prices[0].len();
    for c in ans.prices {
        if c.len() != n {
            return Err(Error::input(&c.name, format!("has {} rows, expected {n}", c.len())));
        }
        // without NMS the histogram pass checks positivity; with it, the intent check below
        // runs first, and a bad price is still reported before a bad intent
        if nms.is_some() {
            check_positive(c)?;
        }
    }
    if n == 0 {
        return Err(Error::input(&ans.prices[0].name, "no respondents"));
    }
    if let Some(w) = ans.weights {
        check_weights(w)?;
    }
    if let Some(spec) = nms {
        check_calibration(&spec.calibration)?;
        (0..n).into_par_iter().filter(|i| validate.accepts(answers_at(ans, *i))).try_for_each(|i| {
            intent_probability(spec.intent_cheap, &spec.calibration, i)?;
            intent_probability(spec.intent_expensive, &spec.calibration, i).map(|_| ())
        })?;
    }
    Ok(n)
}

/// Respondents counted in one pass: valid, used for NMS, and the NMS weight; `bad` when some
/// answer is not a positive finite price (the caller then names the column and row).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Tally {
    /// Valid respondents.
    pub valid: usize,
    /// Respondents used for NMS (strictly increasing answers).
    pub nms: usize,
    /// Their total weight.
    pub nms_weight: f64,
    /// Some answer is not a positive finite price.
    pub bad: bool,
}

/// All four answers are positive and finite (without branches: it runs in the hot loop).
#[inline(always)]
pub(super) fn positive_prices(a: [f64; 4]) -> bool {
    a.iter().fold(true, |ok, p| ok & (*p > 0.0) & finite(*p))
}

/// The histogram of valid respondents (four questions and the NMS slope changes) and the tally,
/// in one parallel pass over the rows.
pub(super) fn histogram(ans: &Answers, validate: Validate, nms: Option<&Nms>, n: usize) -> (Hist, Tally) {
    (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut h = Hist::new();
            let mut t = Tally::default();
            let rows = c * CHUNK..((c + 1) * CHUNK).min(n);
            if ans.weights.is_none() && nms.is_none() {
                count_rows(
                    ans.prices.map(|col| col.values.get(rows.clone()).unwrap_or(&[])),
                    validate,
                    &mut h,
                    &mut t,
                );
                return (h, t);
            }
            for i in rows {
                let a = answers_at(ans, i);
                if !positive_prices(a) {
                    t.bad = true;
                    continue;
                }
                if let Some((a, w, k)) = respondent_with(ans, a, validate, nms, i) {
                    fill(&mut h, a, w, k);
                    t.valid += 1;
                    if k.is_some() {
                        t.nms += 1;
                        t.nms_weight += w;
                    }
                }
            }
            (h, t)
        })
        .reduce(
            || (Hist::new(), Tally::default()),
            |(h1, t1), (h2, t2)| {
                let t = Tally {
                    valid: t1.valid + t2.valid,
                    nms: t1.nms + t2.nms,
                    nms_weight: t1.nms_weight + t2.nms_weight,
                    bad: t1.bad | t2.bad,
                };
                (h1.merge(h2), t)
            },
        )
}

/// Rows per block of the unweighted pass: their slots stay in L1 cache between its two loops.
pub(super) const BLOCK: usize = 512;

/// The unweighted pass without NMS over one chunk's answers (the common case, kept tight).
///
/// Per block of rows, a first loop takes rows as SIMD lanes: it tests each row (positive
/// prices, validity) and computes the dense slot of each answer, with comparisons and float
/// arithmetic only. A second loop adds each valid row's 1 to the integer counts at its four
/// slots (an invalid row adds 0, so there is no branch). A valid row with a price outside the
/// dense range goes to the histogram itself.
pub(super) fn count_rows(cols: [&[f64]; 4], validate: Validate, h: &mut Hist, t: &mut Tally) {
    match validate {
        Validate::Strict => count_rows_with(cols, strictly_increasing, h, t),
        Validate::Weak => count_rows_with(cols, increasing, h, t),
        Validate::None => count_rows_with(cols, |_| true, h, t),
        Validate::StrictNoTooCheap => count_rows_with(cols, |a| (a[1] < a[2]) & (a[2] < a[3]), h, t),
        Validate::WeakNoTooCheap => count_rows_with(cols, |a| (a[1] <= a[2]) & (a[2] <= a[3]), h, t),
    }
}

pub(super) fn count_rows_with(
    cols: [&[f64]; 4],
    accepts: impl Fn([f64; 4]) -> bool + Copy,
    h: &mut Hist,
    t: &mut Tally,
) {
    let mut counts = DenseCounts::<4>::default();
    let mut slots = [[0u16; 4]; BLOCK];
    let mut bump = [0u32; BLOCK];
    let [c0, c1, c2, c3] = cols;
    let blocks = c0.chunks(BLOCK).zip(c1.chunks(BLOCK)).zip(c2.chunks(BLOCK)).zip(c3.chunks(BLOCK));
    for (((b0, b1), b2), b3) in blocks {
        let (valid, bad, spill) = test_block([b0, b1, b2, b3], accepts, &mut slots, &mut bump);
        for (s, by) in slots.iter().zip(&bump).take(b0.len()) {
            for (q, slot) in s.iter().enumerate() {
                counts.bump(usize::from(*slot), q, *by);
            }
        }
        if spill {
            let rows = b0.iter().zip(b1).zip(b2).zip(b3).map(|(((&x0, &x1), &x2), &x3)| [x0, x1, x2, x3]);
            for a in
                rows.filter(|a| positive_prices(*a) && accepts(*a) && !a.iter().all(|p| dense_slot(*p).1))
            {
                fill(h, a, 1.0, None);
            }
        }
        t.valid += valid;
        t.bad |= bad;
    }
    counts.fold_into(h);
}

crate::simd::dispatch! {
    /// One block's row tests (the first loop of [`count_rows`]): fills `slots` and `bump`
    /// (1 for a valid row whose four prices are all dense) and returns the valid count, whether
    /// any price was not positive and finite, and whether a valid row needs the histogram.
    fn test_block(
        b: [&[f64]; 4],
        accepts: impl Fn([f64; 4]) -> bool + Copy,
        slots: &mut [[u16; 4]; BLOCK],
        bump: &mut [u32; BLOCK],
    ) -> (usize, bool, bool) {
        let (mut valid, mut bad, mut spill) = (0usize, false, false);
        let [b0, b1, b2, b3] = b;
        let rows = b0.iter().zip(b1).zip(b2).zip(b3);
        for ((s, by), (((&x0, &x1), &x2), &x3)) in slots.iter_mut().zip(bump.iter_mut()).zip(rows) {
            let a = [x0, x1, x2, x3];
            let ok = positive_prices(a);
            let keep = ok & accepts(a);
            let d = a.map(dense_slot);
            let dense = d[0].1 & d[1].1 & d[2].1 & d[3].1;
            *s = d.map(|(slot, _)| slot as u16);
            *by = u32::from(keep & dense);
            valid += usize::from(keep);
            bad |= !ok;
            spill |= keep & !dense;
        }
        (valid, bad, spill)
    }
}

pub(super) fn fill(h: &mut Hist, a: [f64; 4], w: f64, k: Option<(f64, f64)>) {
    for (q, p) in a.iter().enumerate() {
        h.add(*p, q, w);
    }
    if let Some((kc, ke)) = k {
        for (p, d) in a.iter().zip(slope_changes(a, kc, ke)) {
            h.add(*p, 4, w * d);
        }
    }
}
