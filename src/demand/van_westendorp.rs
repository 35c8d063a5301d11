//! Van Westendorp's price sensitivity meter with the Newton-Miller-Smith extension.
//!
//! Conventions (stated here, implemented once, tested):
//!
//! * Valid respondents (`Validate::Strict`): too_cheap < cheap < expensive < too_expensive;
//!   `Weak` allows equality; `None` keeps everyone. The number dropped is reported.
//! * Curves over price p, from weight sums W (integer counts when unweighted; the sums of unit
//!   weights are exact in f64 and only sums are compared, never shares):
//!   too_cheap(p), cheap(p) = weight answering >= p; expensive(p), too_expensive(p) = weight
//!   answering <= p; not_cheap = W - cheap, not_expensive = W - expensive.
//! * The crossing of two curves is the first observed answer price at which, or immediately
//!   after which, the sign of their difference leaves its sign at the lowest observed price
//!   (zero counts as a change). "Immediately after p" is the right limit of the step functions:
//!   a ">=" curve there takes its value at the next observed price, a "<=" curve keeps its value.
//! * OPP = too_cheap x too_expensive; IPP = cheap x expensive. Range "original":
//!   PMC = too_cheap x not_cheap, PME = too_expensive x not_expensive. Range "narrower":
//!   PMC = too_cheap x expensive, PME = too_expensive x cheap.
//! * NMS: a respondent's purchase probability is 0 at their too_cheap price, the calibrated
//!   intent at cheap and at expensive, 0 at too_expensive, linear in between and 0 outside
//!   (respondents need strictly increasing answers for this; others are left out of NMS and
//!   counted). Reach = weighted mean probability; revenue = p x reach; profit = (p - c) x reach.
//!   The sum of the piecewise-linear functions is piecewise linear with knots at answer prices,
//!   built exactly from slope changes; optima are found exactly on it (reach at a knot, revenue
//!   and profit at a knot or at the stationary point of the quadratic between two knots).
//!
//! References: Van Westendorp (1976), "NSS price sensitivity meter", ESOMAR congress;
//! Newton, Miller & Smith (1993), "A market acceptance extension to traditional price
//! sensitivity measurement", AMA ART Forum.

use rand::Rng;
use rayon::prelude::*;

use super::histogram::{dense_slot, DenseCounts, PriceHistogram, CHUNK};
use super::{check_positive, check_weights, weight_at};
use crate::error::{Error, Result};
use crate::stats::quantile::percentile_interval;
use crate::stats::rng::stream;
use crate::stats::{tick, Progress};
use crate::table::{finite, Column};

/// Which respondents are valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validate {
    /// too_cheap < cheap < expensive < too_expensive.
    Strict,
    /// too_cheap <= cheap <= expensive <= too_expensive.
    Weak,
    /// Everyone.
    None,
}

impl Validate {
    /// Parses `"strict"`, `"weak"` or `"none"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "strict" => Ok(Validate::Strict),
            "weak" => Ok(Validate::Weak),
            "none" => Ok(Validate::None),
            o => Err(Error::parameter("validate", format!("must be 'strict', 'weak' or 'none', got '{o}'"))),
        }
    }
    fn accepts(self, a: [f64; 4]) -> bool {
        match self {
            Validate::Strict => strictly_increasing(a),
            Validate::Weak => increasing(a),
            Validate::None => true,
        }
    }
}

/// The reason recorded for respondents dropped by validation.
pub const INCONSISTENT: &str = "inconsistent answers";

/// Positions of the respondents whose four answers `validate` refuses (out of order),
/// ascending: the rows an analysis counts in `n_dropped`, for the caller's row accounting.
pub fn invalid_rows(prices: [&[f64]; 4], validate: Validate) -> Vec<usize> {
    let [a, b, c, d] = prices;
    (0..a.len())
        .filter(|&i| match (a.get(i), b.get(i), c.get(i), d.get(i)) {
            (Some(&w), Some(&x), Some(&y), Some(&z)) => !validate.accepts([w, x, y, z]),
            _ => false,
        })
        .collect()
}

/// too_cheap < cheap < expensive < too_expensive (branch-free, for the vectorised loop).
#[inline(always)]
fn strictly_increasing(a: [f64; 4]) -> bool {
    (a[0] < a[1]) & (a[1] < a[2]) & (a[2] < a[3])
}

/// too_cheap <= cheap <= expensive <= too_expensive (branch-free).
#[inline(always)]
fn increasing(a: [f64; 4]) -> bool {
    (a[0] <= a[1]) & (a[1] <= a[2]) & (a[2] <= a[3])
}

/// Which pairs define the range of acceptable prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceRange {
    /// PMC = too_cheap x not_cheap, PME = too_expensive x not_expensive.
    Original,
    /// PMC = too_cheap x expensive, PME = too_expensive x cheap.
    Narrower,
}

impl PriceRange {
    /// The option's name as the Python API spells it.
    pub fn name(self) -> &'static str {
        match self {
            PriceRange::Original => "original",
            PriceRange::Narrower => "narrower",
        }
    }

    /// Parses `"original"` or `"narrower"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "original" => Ok(PriceRange::Original),
            "narrower" => Ok(PriceRange::Narrower),
            o => Err(Error::parameter("range", format!("must be 'original' or 'narrower', got '{o}'"))),
        }
    }
}

/// The four answers of each respondent and their weights.
pub struct Answers<'a> {
    /// too_cheap, cheap, expensive, too_expensive.
    pub prices: [&'a Column<f64>; 4],
    /// Optional weights.
    pub weights: Option<&'a Column<f64>>,
}

/// NMS purchase intents at the cheap and expensive prices and their calibration.
pub struct Nms<'a> {
    /// Intent at the cheap price.
    pub intent_cheap: &'a Column<f64>,
    /// Intent at the expensive price.
    pub intent_expensive: &'a Column<f64>,
    /// (intent, purchase probability) pairs.
    pub calibration: Vec<(f64, f64)>,
    /// Unit cost for the profit curve.
    pub cost: Option<f64>,
}

/// The four price points (None where two curves never cross).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Points {
    /// Optimal price point: too_cheap x too_expensive.
    pub opp: Option<f64>,
    /// Indifference price point: cheap x expensive.
    pub ipp: Option<f64>,
    /// Point of marginal cheapness.
    pub pmc: Option<f64>,
    /// Point of marginal expensiveness.
    pub pme: Option<f64>,
}

/// An NMS optimum: price and the value of the curve there.
pub type Optimum = (f64, f64);

/// The NMS curves and optima.
#[derive(Debug, Clone, PartialEq)]
pub struct NmsResult {
    /// Knot prices.
    pub price: Vec<f64>,
    /// Reach (mean purchase probability) at each knot.
    pub reach: Vec<f64>,
    /// price x reach.
    pub revenue: Vec<f64>,
    /// (price - cost) x reach, when a cost is given.
    pub profit: Option<Vec<f64>>,
    /// Reach-optimal price and reach.
    pub reach_optimal: Optimum,
    /// Revenue-optimal price and revenue per respondent.
    pub revenue_optimal: Optimum,
    /// Profit-optimal price and profit per respondent.
    pub profit_optimal: Option<Optimum>,
    /// Respondents used for NMS.
    pub n_used: usize,
    /// Valid respondents left out of NMS (answers not strictly increasing).
    pub n_excluded: usize,
}

/// Bootstrap intervals of the points and NMS optima.
#[derive(Debug, Clone, PartialEq)]
pub struct Intervals {
    /// Confidence level.
    pub level: f64,
    /// Replicates.
    pub reps: usize,
    /// (lower, upper) for OPP, IPP, PMC, PME.
    pub points: [(f64, f64); 4],
    /// (lower, upper) for the reach-, revenue- and profit-optimal NMS prices.
    pub nms: [(f64, f64); 3],
}

/// The analysis of one group of respondents.
#[derive(Debug, Clone, PartialEq)]
pub struct VwResult {
    /// Observed answer prices, ascending.
    pub price: Vec<f64>,
    /// Shares: too_cheap, cheap, expensive, too_expensive, not_cheap, not_expensive.
    pub curves: [Vec<f64>; 6],
    /// The four points.
    pub points: Points,
    /// PMC and PME under the other range convention.
    pub other_range: (PriceRange, Option<f64>, Option<f64>),
    /// Valid respondents.
    pub n_valid: usize,
    /// Respondents dropped by validation.
    pub n_dropped: usize,
    /// Their total weight.
    pub total_weight: f64,
    /// NMS, when intents were given.
    pub nms: Option<NmsResult>,
    /// Bootstrap intervals, when asked for.
    pub intervals: Option<Intervals>,
    /// Plain statements about degenerate data.
    pub warnings: Vec<String>,
}

/// Weight sums per price: the four questions and the NMS slope change.
type Hist = PriceHistogram<5>;

/// A step curve's value at each price and just after it.
struct Step {
    at: Vec<f64>,
    right: Vec<f64>,
}

fn ge_curve(h: &[[f64; 5]], q: usize) -> Step {
    let m = h.len();
    let mut at = vec![0.0; m];
    let mut acc = 0.0;
    for i in (0..m).rev() {
        acc += h[i][q];
        at[i] = acc;
    }
    let right = (0..m).map(|i| at.get(i + 1).copied().unwrap_or(0.0)).collect();
    Step { at, right }
}

fn le_curve(h: &[[f64; 5]], q: usize) -> Step {
    let mut at = Vec::with_capacity(h.len());
    let mut acc = 0.0;
    for row in h {
        acc += row[q];
        at.push(acc);
    }
    Step { right: at.clone(), at }
}

fn complement(total: f64, s: &Step) -> Step {
    Step { at: s.at.iter().map(|v| total - v).collect(), right: s.right.iter().map(|v| total - v).collect() }
}

fn sign(x: f64) -> i8 {
    if x > 0.0 {
        1
    } else if x < 0.0 {
        -1
    } else {
        0
    }
}

/// The crossing price of curves `a` and `b` under the convention of the module docs.
fn crossing(price: &[f64], a: &Step, b: &Step) -> Option<f64> {
    let s0 = sign(*a.at.first()? - *b.at.first()?);
    for (i, p) in price.iter().enumerate() {
        if sign(a.at[i] - b.at[i]) != s0 || sign(a.right[i] - b.right[i]) != s0 {
            return Some(*p);
        }
    }
    None
}

fn points_of(price: &[f64], h: &[[f64; 5]], range: PriceRange) -> (Points, [Step; 6]) {
    let total: f64 = h.iter().map(|r| r[0]).sum();
    let tc = ge_curve(h, 0);
    let ch = ge_curve(h, 1);
    let ex = le_curve(h, 2);
    let te = le_curve(h, 3);
    let nch = complement(total, &ch);
    let nex = complement(total, &ex);
    let opp = crossing(price, &tc, &te);
    let ipp = crossing(price, &ch, &ex);
    let (pmc, pme) = match range {
        PriceRange::Original => (crossing(price, &tc, &nch), crossing(price, &te, &nex)),
        PriceRange::Narrower => (crossing(price, &tc, &ex), crossing(price, &te, &ch)),
    };
    (Points { opp, ipp, pmc, pme }, [tc, ch, ex, te, nch, nex])
}

/// NMS reach at each knot with the reach-, revenue- and profit-optimal prices and values.
type NmsCurve = (Vec<f64>, Optimum, Optimum, Option<Optimum>);

/// Observed prices, points, shares of the six curves, total weight and NMS of one histogram.
type Analysis = (Vec<f64>, Points, [Vec<f64>; 6], f64, Option<NmsCurve>);

/// Reach at each knot from the slope changes, and the optima.
fn nms_of(price: &[f64], h: &[[f64; 5]], total: f64, cost: Option<f64>) -> NmsCurve {
    let m = price.len();
    let mut value = vec![0.0; m];
    let mut slope = vec![0.0; m];
    let mut s = 0.0;
    for i in 0..m {
        if i > 0 {
            value[i] = (value[i - 1] + slope[i - 1] * (price[i] - price[i - 1])).max(0.0);
        }
        s += h[i][4];
        slope[i] = s;
    }
    if let Some(last) = value.last_mut() {
        *last = last.max(0.0);
    }
    let reach: Vec<f64> = value.iter().map(|v| v / total).collect();
    let mut best_reach = (f64::NAN, f64::NEG_INFINITY);
    for i in 0..m {
        if reach[i] > best_reach.1 {
            best_reach = (price[i], reach[i]);
        }
    }
    // (p - c) R(p) on each segment [p_i, p_{i+1}] with R(p) = r_i + s_i (p - p_i)
    let best_on = |c: f64| -> Optimum {
        let mut best = (f64::NAN, f64::NEG_INFINITY);
        let f = |p: f64, i: usize| (p - c) * (reach[i] + slope[i] / total * (p - price[i]));
        for i in 0..m {
            let v = (price[i] - c) * reach[i];
            if v > best.1 {
                best = (price[i], v);
            }
            if i + 1 < m {
                let si = slope[i] / total;
                if si < 0.0 {
                    let p = (si * (price[i] + c) - reach[i]) / (2.0 * si);
                    if p > price[i] && p < price[i + 1] {
                        let v = f(p, i);
                        if v > best.1 {
                            best = (p, v);
                        }
                    }
                }
            }
        }
        best
    };
    let revenue = best_on(0.0);
    let profit = cost.map(best_on).filter(|o| o.1 > 0.0);
    (reach, best_reach, revenue, profit)
}

fn intent_probability(col: &Column<f64>, calibration: &[(f64, f64)], i: usize) -> Result<f64> {
    let v = col.values.get(i).copied().unwrap_or(f64::NAN);
    calibration.iter().find(|(k, _)| *k == v).map(|(_, p)| *p).ok_or_else(|| {
        let keys: Vec<String> = calibration.iter().map(|(k, _)| format!("{k}")).collect();
        Error::input(
            &col.name,
            format!("intent {v} at row {i} is not one of the calibration keys {}", keys.join(", ")),
        )
    })
}

fn check_calibration(cal: &[(f64, f64)]) -> Result<()> {
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
fn slope_changes(a: [f64; 4], kc: f64, ke: f64) -> [f64; 4] {
    let s1 = kc / (a[1] - a[0]);
    let s2 = (ke - kc) / (a[2] - a[1]);
    let s3 = -ke / (a[3] - a[2]);
    [s1, s2 - s1, s3 - s2, -s3]
}

#[inline(always)]
fn answers_at(ans: &Answers, i: usize) -> [f64; 4] {
    ans.prices.map(|c| c.values.get(i).copied().unwrap_or(f64::NAN))
}

/// A valid respondent: the four answers, the weight and the calibrated NMS intents.
type Respondent = ([f64; 4], f64, Option<(f64, f64)>);

/// Row `i` as the analysis uses it: its answers, weight and NMS calibration (None when the
/// respondent is invalid). Intents are checked against the calibration beforehand.
#[inline(always)]
fn respondent(ans: &Answers, validate: Validate, nms: Option<&Nms>, i: usize) -> Option<Respondent> {
    respondent_with(ans, answers_at(ans, i), validate, nms, i)
}

/// [`respondent`] given row `i`'s answers `a`, already read.
#[inline(always)]
fn respondent_with(
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
fn check_inputs(ans: &Answers, validate: Validate, nms: Option<&Nms>) -> Result<usize> {
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
#[derive(Default, Clone, Copy)]
struct Tally {
    valid: usize,
    nms: usize,
    nms_weight: f64,
    bad: bool,
}

/// All four answers are positive and finite (without branches: it runs in the hot loop).
#[inline(always)]
fn positive_prices(a: [f64; 4]) -> bool {
    a.iter().fold(true, |ok, p| ok & (*p > 0.0) & finite(*p))
}

/// The histogram of valid respondents (four questions and the NMS slope changes) and the tally,
/// in one parallel pass over the rows.
fn histogram(ans: &Answers, validate: Validate, nms: Option<&Nms>, n: usize) -> (Hist, Tally) {
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
const BLOCK: usize = 512;

/// The unweighted pass without NMS over one chunk's answers (the common case, kept tight).
///
/// Per block of rows, a first loop takes rows as SIMD lanes: it tests each row (positive
/// prices, validity) and computes the dense slot of each answer, with comparisons and float
/// arithmetic only. A second loop adds each valid row's 1 to the integer counts at its four
/// slots (an invalid row adds 0, so there is no branch). A valid row with a price outside the
/// dense range goes to the histogram itself.
fn count_rows(cols: [&[f64]; 4], validate: Validate, h: &mut Hist, t: &mut Tally) {
    match validate {
        Validate::Strict => count_rows_with(cols, strictly_increasing, h, t),
        Validate::Weak => count_rows_with(cols, increasing, h, t),
        Validate::None => count_rows_with(cols, |_| true, h, t),
    }
}

fn count_rows_with(
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

fn fill(h: &mut Hist, a: [f64; 4], w: f64, k: Option<(f64, f64)>) {
    for (q, p) in a.iter().enumerate() {
        h.add(*p, q, w);
    }
    if let Some((kc, ke)) = k {
        for (p, d) in a.iter().zip(slope_changes(a, kc, ke)) {
            h.add(*p, 4, w * d);
        }
    }
}

fn analyse(
    price: Vec<f64>,
    h: Vec<[f64; 5]>,
    range: PriceRange,
    nms_total: Option<f64>,
    cost: Option<f64>,
) -> Analysis {
    let total: f64 = h.iter().map(|r| r[0]).sum();
    let (points, steps) = points_of(&price, &h, range);
    let curves = steps.map(|s| s.at.iter().map(|v| v / total).collect());
    let nms = nms_total.filter(|t| *t > 0.0).map(|t| nms_of(&price, &h, t, cost));
    (price, points, curves, total, nms)
}

/// Van Westendorp (and NMS) for one group of respondents.
#[allow(clippy::too_many_arguments)]
pub fn van_westendorp(
    ans: &Answers,
    validate: Validate,
    range: PriceRange,
    nms: Option<&Nms>,
    ci: Option<(f64, usize)>,
    seed: u64,
    progress: Option<&Progress>,
) -> Result<VwResult> {
    let cost = nms.and_then(|s| s.cost);
    if let Some(c) = cost {
        if !c.is_finite() || c < 0.0 {
            return Err(Error::parameter("cost", format!("must be finite and non-negative, got {c}")));
        }
    }
    let n = check_inputs(ans, validate, nms)?;
    let (hist, tally) = histogram(ans, validate, nms, n);
    if tally.bad {
        // positivity is checked inside the one pass; the slow scan only names the culprit
        for c in ans.prices {
            check_positive(c)?;
        }
    }
    if tally.valid == 0 {
        let names: Vec<&str> = ans.prices.iter().map(|c| c.name.as_str()).collect();
        return Err(Error::input(
            names.join("', '"),
            format!(
                "all {n} respondents are invalid under validate={validate:?}: none answers \
                 too_cheap < cheap < expensive < too_expensive; check the column order or pass validate='none'"
            ),
        ));
    }
    let nms_total = nms.map(|_| tally.nms_weight);
    let (price, h) = hist.into_sorted();
    let other_range = match range {
        PriceRange::Original => PriceRange::Narrower,
        PriceRange::Narrower => PriceRange::Original,
    };
    let (other, _) = points_of(&price, &h, other_range);
    let (price, points, curves, total, nms_out) = analyse(price, h, range, nms_total, cost);
    let mut warnings = Vec::new();
    for (name, v) in [("OPP", points.opp), ("IPP", points.ipp), ("PMC", points.pmc), ("PME", points.pme)] {
        if v.is_none() {
            warnings.push(format!("the curves defining {name} never cross: {name} is undefined"));
        }
    }
    if let (Some(a), Some(b)) = (points.pmc, points.pme) {
        if a > b {
            warnings.push(format!("PMC ({a}) lies above PME ({b}): the range of acceptable prices is empty"));
        }
    }
    if nms.is_some() && tally.nms == 0 {
        warnings.push("no respondent has strictly increasing answers: NMS is undefined".into());
    }
    let nms_result = nms_out.map(|(reach, ro, rv, pf)| NmsResult {
        revenue: price.iter().zip(&reach).map(|(p, r)| p * r).collect(),
        profit: cost.map(|c| price.iter().zip(&reach).map(|(p, r)| (p - c) * r).collect()),
        price: price.clone(),
        reach,
        reach_optimal: ro,
        revenue_optimal: rv,
        profit_optimal: pf,
        n_used: tally.nms,
        n_excluded: tally.valid - tally.nms,
    });
    let intervals = match ci {
        None => None,
        Some((level, reps)) => {
            Some(bootstrap(ans, validate, nms, n, range, cost, &price, level, reps, seed, progress)?)
        }
    };
    Ok(VwResult {
        price,
        curves,
        points,
        other_range: (other_range, other.pmc, other.pme),
        n_valid: tally.valid,
        n_dropped: n - tally.valid,
        total_weight: total,
        nms: nms_result,
        intervals,
        warnings,
    })
}

/// A respondent's weight and NMS slope changes, as the bootstrap adds them.
type WeightAndSlopes = (f64, Option<[f64; 4]>);

#[allow(clippy::too_many_arguments)]
fn bootstrap(
    ans: &Answers,
    validate: Validate,
    nms: Option<&Nms>,
    n: usize,
    range: PriceRange,
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
    if reps < 2 {
        return Err(Error::parameter("n_boot", format!("needs at least 2 replicates, got {reps}")));
    }
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
                analyse(p, h, range, if has_nms { Some(nms_total) } else { None }, cost);
            tick(progress);
            let f = |o: Option<f64>| o.unwrap_or(f64::NAN);
            let nms_opt = match nms {
                Some((_, ro, rv, pf)) => [ro.0, rv.0, pf.map_or(f64::NAN, |o| o.0)],
                None => [f64::NAN; 3],
            };
            ([f(pts.opp), f(pts.ipp), f(pts.pmc), f(pts.pme)], nms_opt)
        })
        .collect();
    let col = |k: usize| -> (f64, f64) {
        percentile_interval(&reps_out.iter().map(|r| r.0[k]).collect::<Vec<_>>(), level)
    };
    let ncol = |k: usize| -> (f64, f64) {
        percentile_interval(&reps_out.iter().map(|r| r.1[k]).collect::<Vec<_>>(), level)
    };
    Ok(Intervals { level, reps, points: [col(0), col(1), col(2), col(3)], nms: [ncol(0), ncol(1), ncol(2)] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_rows_are_the_ones_validation_refuses() {
        let a = [1.0, 2.0, 1.0, 1.0];
        let b = [2.0, 2.0, 2.0, 5.0];
        let c = [3.0, 3.0, 3.0, 3.0];
        let d = [4.0, 4.0, 3.0, 4.0];
        assert_eq!(invalid_rows([&a, &b, &c, &d], Validate::Strict), vec![1, 2, 3]);
        assert_eq!(invalid_rows([&a, &b, &c, &d], Validate::Weak), vec![3]);
        assert!(invalid_rows([&a, &b, &c, &d], Validate::None).is_empty());
    }
    use proptest::prelude::*;

    fn cols(rows: &[[f64; 4]]) -> [Column<f64>; 4] {
        let names = ["too_cheap", "cheap", "expensive", "too_expensive"];
        let mut k = 0;
        names.map(|n| {
            let c = Column::new(n, rows.iter().map(|r| r[k]).collect());
            k += 1;
            c
        })
    }

    fn run(rows: &[[f64; 4]], validate: Validate, range: PriceRange) -> Result<VwResult> {
        let c = cols(rows);
        let ans = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: None };
        van_westendorp(&ans, validate, range, None, None, 0, None)
    }

    /// The same conventions written the slow way: every curve evaluated by counting.
    fn brute_points(rows: &[[f64; 4]], range: PriceRange) -> Points {
        let mut prices: Vec<f64> = rows.iter().flat_map(|r| r.iter().copied()).collect();
        prices.sort_by(f64::total_cmp);
        prices.dedup();
        let n = rows.len() as f64;
        let ge = |q: usize, p: f64| rows.iter().filter(|r| r[q] >= p).count() as f64;
        let gt = |q: usize, p: f64| rows.iter().filter(|r| r[q] > p).count() as f64;
        let le = |q: usize, p: f64| rows.iter().filter(|r| r[q] <= p).count() as f64;
        // curve id -> (value at p, value just after p)
        let curve = |id: usize, p: f64| -> (f64, f64) {
            match id {
                0 => (ge(0, p), gt(0, p)),
                1 => (ge(1, p), gt(1, p)),
                2 => (le(2, p), le(2, p)),
                3 => (le(3, p), le(3, p)),
                4 => (n - ge(1, p), n - gt(1, p)),
                _ => (n - le(2, p), n - le(2, p)),
            }
        };
        let cross = |a: usize, b: usize| -> Option<f64> {
            let s0 = sign(curve(a, prices[0]).0 - curve(b, prices[0]).0);
            prices.iter().copied().find(|p| {
                let (a0, a1) = curve(a, *p);
                let (b0, b1) = curve(b, *p);
                sign(a0 - b0) != s0 || sign(a1 - b1) != s0
            })
        };
        let (pmc, pme) = match range {
            PriceRange::Original => (cross(0, 4), cross(3, 5)),
            PriceRange::Narrower => (cross(0, 2), cross(3, 1)),
        };
        Points { opp: cross(0, 3), ipp: cross(1, 2), pmc, pme }
    }

    #[test]
    fn dropped_respondents_are_counted() {
        let r = run(
            &[[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0]],
            Validate::Strict,
            PriceRange::Original,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.n_valid, r.n_dropped), (1, 2));
        let r = run(
            &[[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0]],
            Validate::Weak,
            PriceRange::Original,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.n_valid, r.n_dropped), (2, 1));
    }

    /// Random rows mixing every kind of price the fast path treats differently: whole numbers
    /// in the dense range, fractions, whole numbers beyond it, huge values; increasing rows,
    /// ties and disorder.
    fn mixed_rows(n: usize, seed: u64) -> Vec<[f64; 4]> {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let price = |rng: &mut rand_chacha::ChaCha8Rng| match rng.random_range(0..10) {
            0 => f64::from(rng.random_range(1..200u32)) * 0.5,
            1 => f64::from(rng.random_range(4090..4100u32)),
            2 => rng.random_range(1.0..1e7),
            _ => f64::from(rng.random_range(1..80u32)),
        };
        (0..n)
            .map(|_| {
                let mut a = [price(&mut rng), price(&mut rng), price(&mut rng), price(&mut rng)];
                if rng.random_range(0..10) < 8 {
                    a.sort_by(f64::total_cmp);
                }
                a
            })
            .collect()
    }

    #[test]
    fn unweighted_fast_path_matches_the_weighted_pass() {
        // weights of one take the general pass; the unweighted call takes the counting pass
        for (k, n) in [1, 7, BLOCK - 1, BLOCK + 3, CHUNK + 2 * BLOCK + 5].into_iter().enumerate() {
            let rows = mixed_rows(n, k as u64);
            let c = cols(&rows);
            let ones = Column::new("w", vec![1.0; n]);
            for validate in [Validate::Strict, Validate::Weak, Validate::None] {
                let fast = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: None };
                let general = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: Some(&ones) };
                let a = van_westendorp(&fast, validate, PriceRange::Original, None, None, 0, None);
                let b = van_westendorp(&general, validate, PriceRange::Original, None, None, 0, None);
                match (a, b) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "n = {n}, {validate:?}"),
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                    (a, b) => panic!("n = {n}, {validate:?}: {a:?} against {b:?}"),
                }
            }
            if n > CHUNK {
                let r = run(&rows, Validate::Strict, PriceRange::Original).unwrap_or_else(|e| panic!("{e}"));
                let spilled =
                    r.price.iter().any(|p| p.fract() != 0.0) && r.price.iter().any(|p| *p >= 4096.0);
                assert!(spilled, "the rows must exercise the histogram path too");
            }
        }
    }

    #[test]
    fn bootstrap_intervals_match_brute_force_points_on_the_same_resamples() {
        // the replicates drawn again here from the documented streams, one draw at a time, with
        // the points of each resample counted the slow way; 150 respondents is not a whole
        // number of the core's batches of 64 draws
        use rand::Rng;
        let rows: Vec<[f64; 4]> = mixed_rows(600, 11)
            .into_iter()
            .filter(|a| a.iter().all(|p| dense_slot(*p).1) && strictly_increasing(*a))
            .take(150)
            .collect();
        assert_eq!(rows.len(), 150);
        let (level, reps, seed) = (0.8, 40, 5);
        let c = cols(&rows);
        let ans = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: None };
        let got = van_westendorp(
            &ans,
            Validate::Strict,
            PriceRange::Original,
            None,
            Some((level, reps)),
            seed,
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .intervals
        .unwrap_or_else(|| panic!("no intervals"));
        let replicates: Vec<[f64; 4]> = (0..reps as u64)
            .map(|r| {
                let mut rng = stream(seed, r);
                let resample: Vec<[f64; 4]> =
                    (0..rows.len()).map(|_| rows[rng.random_range(0..rows.len())]).collect();
                let p = brute_points(&resample, PriceRange::Original);
                [p.opp, p.ipp, p.pmc, p.pme].map(|v| v.unwrap_or(f64::NAN))
            })
            .collect();
        for k in 0..4 {
            let want = percentile_interval(&replicates.iter().map(|r| r[k]).collect::<Vec<_>>(), level);
            assert_eq!(got.points[k], want, "point {k}");
        }
    }

    #[test]
    fn a_bad_price_past_the_first_chunk_is_named() {
        let mut rows = mixed_rows(CHUNK + 10, 9);
        rows[CHUNK + 4][2] = 0.0;
        let message = |rows: &[[f64; 4]], v| run(rows, v, PriceRange::Original).err().map(|e| e.to_string());
        let err = message(&rows, Validate::Strict).unwrap_or_default();
        assert!(err.contains("expensive") && err.contains(&format!("row {}", CHUNK + 4)), "{err}");
        rows[CHUNK + 4][2] = f64::NAN;
        let err = message(&rows, Validate::None).unwrap_or_default();
        assert!(err.contains(&format!("row {}", CHUNK + 4)), "{err}");
    }

    #[test]
    fn all_invalid_is_an_input_error_naming_the_columns() {
        let e = run(&[[4.0, 3.0, 2.0, 1.0]], Validate::Strict, PriceRange::Original)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("too_cheap") && e.contains("invalid"), "{e}");
    }

    #[test]
    fn hand_computed_points() {
        // Two respondents. Prices 1..8.
        let rows = [[1.0, 3.0, 5.0, 7.0], [2.0, 4.0, 6.0, 8.0]];
        let r = run(&rows, Validate::Strict, PriceRange::Original).unwrap_or_else(|e| panic!("{e}"));
        // too_cheap >= p: 2 at 1, 1 at 2, 0 after; too_expensive <= p: 0 until 7.
        // difference starts positive (2 - 0) and first reaches 0 just after 2: OPP = 2.
        assert_eq!(r.points.opp, Some(2.0));
        // cheap >= p: 2,2,2,1,0..; expensive <= p: 0,0,0,0,1,2: cheap - expensive hits 0 just after 4.
        assert_eq!(r.points.ipp, Some(4.0));
        assert_eq!(r.points, brute_points(&rows, PriceRange::Original));
    }

    #[test]
    fn nms_reach_is_exact_on_the_piecewise_function() {
        let c = cols(&[[10.0, 20.0, 30.0, 40.0]]);
        let ic = Column::new("intent_cheap", vec![5.0]);
        let ie = Column::new("intent_expensive", vec![3.0]);
        let nms = Nms {
            intent_cheap: &ic,
            intent_expensive: &ie,
            calibration: vec![(5.0, 0.7), (4.0, 0.5), (3.0, 0.3), (2.0, 0.1), (1.0, 0.0)],
            cost: Some(5.0),
        };
        let ans = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: None };
        let r = van_westendorp(&ans, Validate::Strict, PriceRange::Original, Some(&nms), None, 0, None)
            .unwrap_or_else(|e| panic!("{e}"));
        let n = r.nms.unwrap_or_else(|| panic!("nms"));
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(
            close(n.reach[0], 0.0)
                && close(n.reach[1], 0.7)
                && close(n.reach[2], 0.3)
                && close(n.reach[3], 0.0)
        );
        assert_eq!(n.reach_optimal, (20.0, 0.7));
        // revenue: 20 * 0.7 = 14 at the knot; on [20, 30] R = 0.7 - 0.04 (p - 20) -> p R max at p = 18.75 < 20
        // on [10, 20] R = 0.07 (p - 10) -> p R rising; so 14 at 20. On [30, 40] R = 0.3 - 0.03 (p - 30):
        // p R = p (1.2 - 0.03 p) peaks at 20 (outside). Revenue-optimal 20.
        assert!(close(n.revenue_optimal.0, 20.0) && close(n.revenue_optimal.1, 14.0));
        // profit with cost 5 on [20, 30]: (p - 5)(1.5 - 0.04 p) -> p* = (1.5 + 0.2) / 0.08 = 21.25
        let (p, v) = n.profit_optimal.unwrap_or((0.0, 0.0));
        assert!(close(p, 21.25), "{p}");
        assert!(close(v, (21.25 - 5.0) * (1.5 - 0.04 * 21.25)));
    }

    #[test]
    fn intents_outside_the_calibration_name_the_column() {
        let c = cols(&[[10.0, 20.0, 30.0, 40.0]]);
        let ic = Column::new("intent_cheap", vec![7.0]);
        let ie = Column::new("intent_expensive", vec![3.0]);
        let nms = Nms {
            intent_cheap: &ic,
            intent_expensive: &ie,
            calibration: vec![(5.0, 0.7), (3.0, 0.3)],
            cost: None,
        };
        let ans = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: None };
        let e = van_westendorp(&ans, Validate::Strict, PriceRange::Original, Some(&nms), None, 0, None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("'intent_cheap'") && e.contains("7"), "{e}");
    }

    proptest! {
        #[test]
        fn points_match_the_brute_force_and_pmc_le_pme(
            raw in proptest::collection::vec((1u8..30, 1u8..10, 1u8..10, 1u8..10), 1..60),
            narrower in proptest::bool::ANY,
        ) {
            let rows: Vec<[f64; 4]> = raw.iter().map(|(a, b, c, d)| {
                let a = f64::from(*a);
                let b = a + f64::from(*b);
                let c = b + f64::from(*c);
                [a, b, c, c + f64::from(*d)]
            }).collect();
            let range = if narrower { PriceRange::Narrower } else { PriceRange::Original };
            let r = run(&rows, Validate::Strict, range).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(r.points, brute_points(&rows, range));
            if let (Some(a), Some(b)) = (r.points.pmc, r.points.pme) {
                if range == PriceRange::Original { prop_assert!(a <= b); }
            }
            let mut rev = rows.clone();
            rev.reverse();
            let r2 = run(&rev, Validate::Strict, range).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(r.points, r2.points);
        }
    }
}
