//! The six step curves, their crossings (the four price points) and the NMS reach curve.

use super::*;

/// Weight sums per price: the four questions and the NMS slope change.
/// The histogram of one group: per answer price, the weight answering it to each of the four
/// questions and the NMS slope change there.
pub type Hist = PriceHistogram<5>;

/// A step curve's value at each price and just after it.
pub(super) struct Step {
    pub(super) at: Vec<f64>,
    pub(super) right: Vec<f64>,
}

pub(super) fn ge_curve(h: &[[f64; 5]], q: usize) -> Step {
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

pub(super) fn le_curve(h: &[[f64; 5]], q: usize) -> Step {
    let mut at = Vec::with_capacity(h.len());
    let mut acc = 0.0;
    for row in h {
        acc += row[q];
        at.push(acc);
    }
    Step { right: at.clone(), at }
}

pub(super) fn complement(total: f64, s: &Step) -> Step {
    Step { at: s.at.iter().map(|v| total - v).collect(), right: s.right.iter().map(|v| total - v).collect() }
}

pub(super) fn sign(x: f64) -> i8 {
    if x > 0.0 {
        1
    } else if x < 0.0 {
        -1
    } else {
        0
    }
}

/// The crossing price of curves `a` and `b` under the convention of the module docs.
pub(super) fn crossing(price: &[f64], a: &Step, b: &Step) -> Option<f64> {
    let s0 = sign(*a.at.first()? - *b.at.first()?);
    for (i, p) in price.iter().enumerate() {
        if sign(a.at[i] - b.at[i]) != s0 || sign(a.right[i] - b.right[i]) != s0 {
            return Some(*p);
        }
    }
    None
}

pub(super) fn points_of(price: &[f64], h: &[[f64; 5]], rule: PointRule) -> (Points, [Step; 6]) {
    let total: f64 = h.iter().map(|r| r[0]).sum();
    let tc = ge_curve(h, 0);
    let ch = ge_curve(h, 1);
    let ex = le_curve(h, 2);
    let te = le_curve(h, 3);
    let nch = complement(total, &ch);
    let nex = complement(total, &ex);
    let points = match rule.crossing {
        Crossing::Observed => {
            let (pmc, pme) = match rule.range {
                PriceRange::Original => (crossing(price, &tc, &nch), crossing(price, &te, &nex)),
                PriceRange::Narrower => (crossing(price, &tc, &ex), crossing(price, &te, &ch)),
            };
            Points { opp: crossing(price, &tc, &te), ipp: crossing(price, &ch, &ex), pmc, pme }
        }
        Crossing::Interpolated(pick) => {
            // psm's curves at the observed prices
            let (ptc, pch) = (psm_above(h, 0, &tc), psm_above(h, 1, &ch));
            let (pex, pte) = (psm_at_or_below(h, 2, &ex), psm_at_or_below(h, 3, &te));
            let pnch: Vec<f64> = pch.iter().map(|v| total - v).collect();
            let pnex: Vec<f64> = pex.iter().map(|v| total - v).collect();
            let cross = |a: &[f64], b: &[f64]| interpolated_crossing(price, a, b, pick);
            let (pmc, pme) = match rule.range {
                PriceRange::Original => (cross(&pnch, &ptc), cross(&pte, &pnex)),
                PriceRange::Narrower => (cross(&pex, &ptc), cross(&pte, &pch)),
            };
            Points { opp: cross(&pte, &ptc), ipp: cross(&pex, &pch), pmc, pme }
        }
    };
    (points, [tc, ch, ex, te, nch, nex])
}

/// psm's ">=" curve of question `q` at each observed price: the weight answering strictly
/// above p, except at and below the question's lowest answer, where it is the whole weight.
fn psm_above(h: &[[f64; 5]], q: usize, s: &Step) -> Vec<f64> {
    let first = h.iter().position(|r| r[q] != 0.0).unwrap_or(0);
    let whole = s.at.get(first).copied().unwrap_or(0.0);
    s.right.iter().enumerate().map(|(i, v)| if i <= first { whole } else { *v }).collect()
}

/// psm's "<=" curve of question `q` at each observed price: the weight answering at or below
/// p, except at and below the question's lowest answer, where it is 0.
fn psm_at_or_below(h: &[[f64; 5]], q: usize, s: &Step) -> Vec<f64> {
    let first = h.iter().position(|r| r[q] != 0.0).unwrap_or(0);
    s.at.iter().enumerate().map(|(i, v)| if i <= first { 0.0 } else { *v }).collect()
}

/// The crossing of two curves known at the observed prices and joined linearly between them:
/// at each pair of neighbouring prices where the sign of a - b changes (to or from 0 included),
/// the root of the linear interpolation (the midpoint when the two differences are equal);
/// `pick` chooses among the roots. None when the sign never changes.
fn interpolated_crossing(price: &[f64], a: &[f64], b: &[f64], pick: Pick) -> Option<f64> {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let roots: Vec<f64> = d
        .windows(2)
        .zip(price.windows(2))
        .filter(|(y, _)| sign(y[0]) != sign(y[1]))
        .map(
            |(y, x)| {
                if y[1] != y[0] {
                    x[0] - y[0] * (x[1] - x[0]) / (y[1] - y[0])
                } else {
                    0.5 * (x[0] + x[1])
                }
            },
        )
        .collect();
    let n = roots.len() as f64;
    match pick {
        Pick::Min => roots.into_iter().reduce(f64::min),
        Pick::Max => roots.into_iter().reduce(f64::max),
        Pick::Mean if n > 0.0 => Some(roots.iter().sum::<f64>() / n),
        Pick::Mean => None,
    }
}

/// NMS reach at each knot with the reach-, revenue- and profit-optimal prices and values.
pub(super) type NmsCurve = (Vec<f64>, Optimum, Optimum, Option<Optimum>);

/// Observed prices, points, shares of the six curves, total weight and NMS of one histogram.
pub(super) type Analysis = (Vec<f64>, Points, [Vec<f64>; 6], f64, Option<NmsCurve>);

/// Reach at each knot from the slope changes, and the optima.
pub(super) fn nms_of(price: &[f64], h: &[[f64; 5]], total: f64, cost: Option<f64>) -> NmsCurve {
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
