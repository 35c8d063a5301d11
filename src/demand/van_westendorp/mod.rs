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

mod bootstrap;
mod curves;
mod output;
mod pass;
#[cfg(test)]
mod tests;

pub use curves::Hist;
pub use output::{analyse, analyse_states, states, Columns4, Options, STATE_COLUMNS};
pub use pass::Tally;

use rand::Rng;
use rayon::prelude::*;

use super::histogram::{dense_slot, DenseCounts, PriceHistogram, CHUNK};
use super::{check_positive, check_weights, weight_at};
use crate::error::{Error, Result};
use crate::stats::quantile::percentile_interval;
use crate::stats::rng::stream;
use crate::stats::{tick, Progress};
use crate::table::{finite, Column};

use bootstrap::bootstrap;
use curves::*;
use pass::*;

/// Which respondents are valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validate {
    /// too_cheap < cheap < expensive < too_expensive.
    Strict,
    /// too_cheap <= cheap <= expensive <= too_expensive.
    Weak,
    /// Everyone.
    None,
    /// cheap < expensive < too_expensive, for a survey without the too-cheap question (the
    /// cheap answers stand in the too-cheap column; OPP and PMC are undefined).
    StrictNoTooCheap,
    /// cheap <= expensive <= too_expensive, without the too-cheap question.
    WeakNoTooCheap,
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
    /// The same rule for a survey without the too-cheap question.
    pub fn without_too_cheap(self) -> Self {
        match self {
            Validate::Strict | Validate::StrictNoTooCheap => Validate::StrictNoTooCheap,
            Validate::Weak | Validate::WeakNoTooCheap => Validate::WeakNoTooCheap,
            Validate::None => Validate::None,
        }
    }
    fn accepts(self, a: [f64; 4]) -> bool {
        match self {
            Validate::Strict => strictly_increasing(a),
            Validate::Weak => increasing(a),
            Validate::None => true,
            Validate::StrictNoTooCheap => (a[1] < a[2]) & (a[2] < a[3]),
            Validate::WeakNoTooCheap => (a[1] <= a[2]) & (a[2] <= a[3]),
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

/// How a crossing of two curves is located.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crossing {
    /// The first observed answer price at which, or immediately after which, the sign of the
    /// difference of the step curves changes (the module's convention; the default).
    Observed,
    /// As R's pricesensitivitymeter (`interpolate = TRUE`, `intersection_method`): the curves
    /// at the observed prices (">=" curves counting answers strictly above p, "<=" curves
    /// answers at or below p, each 1 or 0 at and beyond its own extreme answers as psm sets
    /// them), joined linearly between observed prices; every sign change of the difference
    /// between neighbouring prices gives a root by linear interpolation, and `Pick` chooses
    /// among the roots.
    Interpolated(Pick),
}

/// Which root of several an interpolated crossing reports (psm's `intersection_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The lowest.
    Min,
    /// The highest.
    Max,
    /// Their mean.
    Mean,
}

impl Crossing {
    /// `interpolate` false: [`Crossing::Observed`]; true: interpolated with `"min"`, `"max"`
    /// or `"mean"`.
    pub fn parse(interpolate: bool, intersection: &str) -> Result<Self> {
        let pick = match intersection {
            "min" => Pick::Min,
            "max" => Pick::Max,
            "mean" => Pick::Mean,
            o => {
                return Err(Error::parameter(
                    "intersection",
                    format!("must be 'min', 'max' or 'mean', got '{o}'"),
                ))
            }
        };
        Ok(if interpolate { Crossing::Interpolated(pick) } else { Crossing::Observed })
    }
}

/// How the price points are found: the range convention and the crossing rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PointRule {
    /// Which pairs define the range of acceptable prices.
    pub range: PriceRange,
    /// How crossings are located.
    pub crossing: Crossing,
}

impl From<PriceRange> for PointRule {
    fn from(range: PriceRange) -> Self {
        PointRule { range, crossing: Crossing::Observed }
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

pub(super) fn analyse_histogram(
    price: Vec<f64>,
    h: Vec<[f64; 5]>,
    rule: PointRule,
    nms_total: Option<f64>,
    cost: Option<f64>,
) -> Analysis {
    let total: f64 = h.iter().map(|r| r[0]).sum();
    let (points, steps) = points_of(&price, &h, rule);
    let curves = steps.map(|s| s.at.iter().map(|v| v / total).collect());
    let nms = nms_total.filter(|t| *t > 0.0).map(|t| nms_of(&price, &h, t, cost));
    (price, points, curves, total, nms)
}

/// The histogram and tally of one group's valid respondents (the map step of a
/// distributed analysis, and the first pass of [`van_westendorp`]), after the checks: its
/// counts add across any split of the respondents. `n` is the number of respondents read.
pub fn histogram_of(ans: &Answers, validate: Validate, nms: Option<&Nms>) -> Result<(Hist, Tally, usize)> {
    let n = check_inputs(ans, validate, nms)?;
    let (hist, tally) = histogram(ans, validate, nms, n);
    if tally.bad {
        // positivity is checked inside the one pass; the slow scan only names the culprit
        for c in ans.prices {
            check_positive(c)?;
        }
    }
    Ok((hist, tally, n))
}

/// Checks the options [`van_westendorp`] and [`from_histogram`] share; returns whether the
/// too-cheap question was asked.
fn check_options(validate: Validate, nms: bool, cost: Option<f64>) -> Result<bool> {
    let too_cheap = !matches!(validate, Validate::StrictNoTooCheap | Validate::WeakNoTooCheap);
    if nms && !too_cheap {
        return Err(Error::parameter(
            "nms",
            "the Newton-Miller-Smith reach curve starts from 0 at each respondent's too-cheap price; \
             without the too-cheap question it is undefined (drop nms, or ask the question)",
        ));
    }
    if let Some(c) = cost {
        if !c.is_finite() || c < 0.0 {
            return Err(Error::parameter("cost", format!("must be finite and non-negative, got {c}")));
        }
    }
    Ok(too_cheap)
}

/// Van Westendorp (and NMS) for one group of respondents.
#[allow(clippy::too_many_arguments)]
pub fn van_westendorp(
    ans: &Answers,
    validate: Validate,
    rule: impl Into<PointRule>,
    nms: Option<&Nms>,
    ci: Option<(f64, usize)>,
    seed: u64,
    progress: Option<&Progress>,
) -> Result<VwResult> {
    let rule = rule.into();
    let cost = nms.and_then(|s| s.cost);
    let too_cheap = check_options(validate, nms.is_some(), cost)?;
    let (hist, tally, n) = histogram_of(ans, validate, nms)?;
    let names: Vec<&str> = ans.prices.iter().map(|c| c.name.as_str()).collect();
    let (price, h) = hist.into_sorted();
    let mut out = from_histogram(price, h, tally, n, validate, rule, nms.is_some(), cost, &names)?;
    if let Some((level, reps)) = ci {
        let mut iv = bootstrap(ans, validate, nms, n, rule, cost, &out.price, level, reps, seed, progress)?;
        if !too_cheap {
            (iv.points[0], iv.points[2]) = ((f64::NAN, f64::NAN), (f64::NAN, f64::NAN));
        }
        out.intervals = Some(iv);
    }
    Ok(out)
}

/// Van Westendorp (and NMS, when `nms`) from a group's merged histogram (prices ascending, as
/// [`PriceHistogram::into_sorted`] gives them) and tally, for `n` respondents read: exactly
/// what [`van_westendorp`] returns for the respondents whose histograms were merged, without
/// bootstrap intervals (resampling needs the respondents). `names` name the four answer
/// columns in errors.
#[allow(clippy::too_many_arguments)]
pub fn from_histogram(
    price: Vec<f64>,
    h: Vec<[f64; 5]>,
    tally: Tally,
    n: usize,
    validate: Validate,
    rule: PointRule,
    nms: bool,
    cost: Option<f64>,
    names: &[&str],
) -> Result<VwResult> {
    let range = rule.range;
    let too_cheap = check_options(validate, nms, cost)?;
    if tally.valid == 0 {
        return Err(Error::input(
            names.join("', '"),
            format!(
                "all {n} respondents are invalid under validate={validate:?}: none answers \
                 too_cheap < cheap < expensive < too_expensive; check the column order or pass validate='none'"
            ),
        ));
    }
    let nms_total = nms.then_some(tally.nms_weight);
    let other_range = match range {
        PriceRange::Original => PriceRange::Narrower,
        PriceRange::Narrower => PriceRange::Original,
    };
    let (other, _) = points_of(&price, &h, PointRule { range: other_range, ..rule });
    let (price, mut points, mut curves, total, nms_out) = analyse_histogram(price, h, rule, nms_total, cost);
    let mut other = other;
    if !too_cheap {
        // the too-cheap column held the cheap answers: the points it defines are undefined
        (points.opp, points.pmc, other.pmc) = (None, None, None);
        curves[0].iter_mut().for_each(|v| *v = f64::NAN);
    }
    let mut warnings = Vec::new();
    if !too_cheap {
        warnings.push("without the too-cheap question OPP and PMC are undefined".into());
    }
    for (name, v) in [("OPP", points.opp), ("IPP", points.ipp), ("PMC", points.pmc), ("PME", points.pme)] {
        if v.is_none() && (too_cheap || name == "IPP" || name == "PME") {
            warnings.push(format!("the curves defining {name} never cross: {name} is undefined"));
        }
    }
    if let (Some(a), Some(b)) = (points.pmc, points.pme) {
        if a > b {
            warnings.push(format!("PMC ({a}) lies above PME ({b}): the range of acceptable prices is empty"));
        }
    }
    if nms && tally.nms == 0 {
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
    Ok(VwResult {
        price,
        curves,
        points,
        other_range: (other_range, other.pmc, other.pme),
        n_valid: tally.valid,
        n_dropped: n - tally.valid,
        total_weight: total,
        nms: nms_result,
        intervals: None,
        warnings,
    })
}
