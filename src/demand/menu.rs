//! Pricing a menu of options from each respondent's willingness to pay: bundling (Adams &
//! Yellen 1976, "Commodity bundling and the burden of monopoly", QJE 90(3); Schmalensee 1984,
//! "Gaussian demand and commodity bundling", Journal of Business 57(1)) and value ladders.
//!
//! A menu has base prices p_1..p_m and options o, each priced as a sum of base prices
//! (price_o = sum_j A_oj p_j: a component, a pair bought separately, a bundle with its own
//! price, a tier). Respondent i values option o at v_io and takes the option of largest surplus
//! v_io - price_o when it is non-negative (ties go to the option listed later, the larger
//! purchase), else nothing. Profit = sum over buyers of (price_o - cost_o).
//!
//! The search is exact one price at a time: with the others fixed, a respondent takes an
//! option containing price j exactly when p_j <= t_i (t_i the surplus of their best such
//! option before p_j, minus the surplus of their best option without it), so profit as a
//! function of p_j is a step function whose steps are at the t_i, and every t_i is evaluated in
//! one sorted sweep. Prices are improved one at a time until no single price can raise profit
//! (a coordinate-wise optimum), from several starts (each price at its own best as a single
//! product, and every base price at the highest value), keeping the best; candidate prices are
//! the thresholds t_i, so only prices that change someone's choice are ever tried. With
//! `min_buyers` > 0, a price that would leave some option with fewer buyers is not taken (the
//! value ladder's "each tier chosen by enough respondents").

use crate::error::{Error, Result};

/// A menu: options as sums of base prices, with costs.
#[derive(Debug, Clone)]
pub struct Menu {
    /// Base prices.
    pub m: usize,
    /// Per option, the base prices it sums (indices).
    pub parts: Vec<Vec<usize>>,
    /// Per option, its cost.
    pub cost: Vec<f64>,
}

/// Respondents' values: `values[i * k + o]` for option o of k.
#[derive(Debug, Clone, Copy)]
pub struct Values<'a> {
    /// Values, respondent-major.
    pub values: &'a [f64],
    /// Options per respondent.
    pub k: usize,
}

/// What each respondent buys at `prices` (None: nothing), and the profit.
pub fn evaluate(menu: &Menu, v: Values, prices: &[f64]) -> (Vec<Option<usize>>, f64) {
    let n = v.values.len() / v.k.max(1);
    let price: Vec<f64> = menu.parts.iter().map(|p| p.iter().map(|j| prices[*j]).sum()).collect();
    let mut profit = 0.0;
    let choice = (0..n)
        .map(|i| {
            let mut best: Option<(usize, f64)> = None;
            for o in 0..v.k {
                let s = v.values[i * v.k + o] - price[o];
                let better = |(b, bs): (usize, f64)| {
                    s > bs || (s == bs && price[o] - menu.cost[o] > price[b] - menu.cost[b])
                };
                if s >= 0.0 && best.is_none_or(better) {
                    best = Some((o, s));
                }
            }
            if let Some((o, _)) = best {
                profit += price[o] - menu.cost[o];
            }
            best.map(|b| b.0)
        })
        .collect();
    (choice, profit)
}

/// A respondent in the sweep of one price: threshold, the margin of their option with that
/// price (without it), that option, and the margin and option otherwise.
type Row = (f64, f64, Option<usize>, f64, Option<usize>);

/// The best price j given the others (see the module notes); returns (price, profit).
fn best_price(menu: &Menu, v: Values, prices: &[f64], j: usize, min_buyers: usize) -> Option<(f64, f64)> {
    let n = v.values.len() / v.k.max(1);
    let with_j: Vec<bool> = menu.parts.iter().map(|p| p.contains(&j)).collect();
    let price_wo: Vec<f64> =
        menu.parts.iter().map(|p| p.iter().filter(|&&q| q != j).map(|&q| prices[q]).sum()).collect();
    // per respondent: threshold t_i (takes an option with j when p_j < t_i, is indifferent at
    // t_i), the margin of that option without p_j, and the option and margin otherwise
    let mut rows: Vec<Row> = Vec::with_capacity(n);
    let margin = |o: usize| price_wo[o] - menu.cost[o];
    for i in 0..n {
        let (mut bj, mut oj) = (f64::NEG_INFINITY, None);
        let (mut ba, mut oa) = (0.0, None);
        for o in 0..v.k {
            let s = v.values[i * v.k + o] - price_wo[o];
            if with_j[o] {
                if s > bj || (s == bj && oj.is_some_and(|q| margin(o) > margin(q))) {
                    (bj, oj) = (s, Some(o));
                }
            } else if s > ba || (s == ba && s >= 0.0 && oa.is_none_or(|q| margin(o) > margin(q))) {
                (ba, oa) = (s, Some(o));
            }
        }
        let alt = oa.map_or(0.0, margin);
        match oj {
            Some(o) => rows.push((bj - ba, margin(o), Some(o), alt, oa)),
            None => rows.push((f64::NEG_INFINITY, 0.0, None, alt, oa)),
        }
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    // sweep the candidate prices t from the highest down: rows above t take an option with j;
    // rows at t are indifferent and take whatever earns more
    let mut count = vec![0usize; v.k];
    let mut profit_alt: f64 = rows.iter().map(|r| r.3).sum();
    for r in &rows {
        if let Some(o) = r.4 {
            count[o] += 1;
        }
    }
    let (mut margin_j, mut takers) = (0.0, 0usize);
    // a price above every threshold sells no option with j (selling nothing of it can be best,
    // when its cost is above what anyone would pay)
    let mut best: Option<(f64, f64)> = None;
    let top = rows.first().map(|r| r.0).filter(|t| t.is_finite() && *t >= 0.0);
    let above = top.map_or(prices[j], |t| t + t.abs().max(1.0));
    if count.iter().all(|c| *c >= min_buyers) {
        best = Some((above, profit_alt));
    }
    let mut r = 0;
    while r < rows.len() {
        let t = rows[r].0;
        if !t.is_finite() || t < 0.0 {
            break;
        }
        let end = r + rows[r..].iter().take_while(|x| x.0 == t).count();
        let (mut profit, mut counts) = (t * takers as f64 + margin_j + profit_alt, count.clone());
        for row in &rows[r..end] {
            if t + row.1 >= row.3 {
                profit += t + row.1 - row.3;
                if let Some(o) = row.4 {
                    counts[o] -= 1;
                }
                if let Some(o) = row.2 {
                    counts[o] += 1;
                }
            }
        }
        let ok = counts.iter().all(|c| *c >= min_buyers);
        if ok && best.is_none_or(|(_, b)| profit > b + 1e-9 * b.abs().max(1.0)) {
            best = Some((t, profit));
        }
        // below t, these rows strictly prefer an option with j
        for row in &rows[r..end] {
            profit_alt -= row.3;
            if let Some(o) = row.4 {
                count[o] -= 1;
            }
            if let Some(o) = row.2 {
                count[o] += 1;
            }
            margin_j += row.1;
            takers += 1;
        }
        r = end;
    }
    best
}

/// The prices for base price j that change someone's choice, given the others (the
/// non-negative thresholds of [`best_price`]), at most `cap` of them, evenly spread.
fn candidates(menu: &Menu, v: Values, prices: &[f64], j: usize, cap: usize) -> Vec<f64> {
    let n = v.values.len() / v.k.max(1);
    let with_j: Vec<bool> = menu.parts.iter().map(|p| p.contains(&j)).collect();
    let price_wo: Vec<f64> =
        menu.parts.iter().map(|p| p.iter().filter(|&&q| q != j).map(|&q| prices[q]).sum()).collect();
    let mut t: Vec<f64> = (0..n)
        .filter_map(|i| {
            let (mut bj, mut ba) = (f64::NEG_INFINITY, 0.0f64);
            for o in 0..v.k {
                let s = v.values[i * v.k + o] - price_wo[o];
                if with_j[o] {
                    bj = bj.max(s);
                } else {
                    ba = ba.max(s);
                }
            }
            let x = bj - ba;
            (x.is_finite() && x >= 0.0).then_some(x)
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t.dedup();
    if t.len() <= cap {
        return t;
    }
    (0..cap).map(|k| t[k * (t.len() - 1) / (cap - 1)]).collect()
}

/// Whether `new` beats `old` (by more than rounding; anything beats an infeasible `old`, -inf).
fn beats(new: f64, old: f64) -> bool {
    old == f64::NEG_INFINITY || new > old + 1e-9 * old.abs().max(1.0)
}

/// The profit at `prices`, or -inf when some option has fewer than `min_buyers` buyers.
fn feasible_profit(menu: &Menu, v: Values, prices: &[f64], min_buyers: usize) -> f64 {
    let (choice, profit) = evaluate(menu, v, prices);
    let short =
        min_buyers > 0 && (0..v.k).any(|o| choice.iter().filter(|c| **c == Some(o)).count() < min_buyers);
    if short {
        f64::NEG_INFINITY
    } else {
        profit
    }
}

/// Coordinate ascent from `prices`: one price at a time, exactly, until none improves (from an
/// infeasible start, the first feasible move is taken whatever its profit).
fn ascend(menu: &Menu, v: Values, prices: &mut [f64], min_buyers: usize) -> f64 {
    let mut profit = feasible_profit(menu, v, prices, min_buyers);
    for _ in 0..200 {
        let mut moved = false;
        for j in 0..menu.m {
            if let Some((p, pr)) = best_price(menu, v, prices, j, min_buyers) {
                if beats(pr, profit) {
                    prices[j] = p;
                    profit = pr;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    profit
}

/// Candidate prices tried per base price in the pairwise step.
const PAIR_CANDIDATES: usize = 256;

/// A priced menu: base prices, profit, and each respondent's choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Priced {
    /// Base prices.
    pub prices: Vec<f64>,
    /// Profit.
    pub profit: f64,
    /// Each respondent's option (None: nothing).
    pub choice: Vec<Option<usize>>,
}

/// Prices the menu (see the module notes). `starts` are the initial base prices to try.
pub fn optimise(menu: &Menu, v: Values, starts: &[Vec<f64>], min_buyers: usize) -> Result<Priced> {
    if v.k == 0 || v.values.is_empty() || !v.values.len().is_multiple_of(v.k) {
        return Err(Error::input("wtp", "no respondents"));
    }
    if let Some(i) = v.values.iter().position(|x| !x.is_finite()) {
        return Err(Error::input(
            "wtp",
            format!("willingness to pay must be finite; value {i} is {}", v.values[i]),
        ));
    }
    // coordinate ascent from every start, then the pairwise step from the best of them
    let mut best: Option<(Vec<f64>, f64)> = None;
    for start in starts {
        let mut prices = start.clone();
        let profit = ascend(menu, v, &mut prices, min_buyers);
        if profit > f64::NEG_INFINITY && best.as_ref().is_none_or(|b| beats(profit, b.1)) {
            best = Some((prices, profit));
        }
    }
    let Some((mut prices, mut profit)) = best else {
        return Err(short_of(min_buyers));
    };
    // pairwise step: move one price to each of its candidates and re-optimise the others,
    // which escapes the coordinate-wise optima a single price cannot leave
    let n = v.values.len() / v.k;
    let cap = if n <= 2_000 { PAIR_CANDIDATES } else { PAIR_CANDIDATES / 4 };
    for _ in 0..10 {
        let mut improved = false;
        for j in 0..menu.m {
            for t in candidates(menu, v, &prices, j, cap) {
                let mut trial = prices.clone();
                trial[j] = t;
                for k in (0..menu.m).filter(|k| *k != j) {
                    if let Some((p, _)) = best_price(menu, v, &trial, k, min_buyers) {
                        trial[k] = p;
                    }
                }
                let pr = feasible_profit(menu, v, &trial, min_buyers);
                if pr > f64::NEG_INFINITY && beats(pr, profit) {
                    prices = trial;
                    profit = ascend(menu, v, &mut prices, min_buyers);
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
    let (choice, profit) = evaluate(menu, v, &prices);
    let best = Some(Priced { prices, profit, choice });
    best.ok_or_else(|| short_of(min_buyers))
}

fn short_of(min_buyers: usize) -> Error {
    Error::input(
        "wtp",
        format!(
            "no prices leave every option with at least {min_buyers} buyer(s); lower the minimum \
             take rate or drop the tier nobody values apart from the others"
        ),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn two_goods(w: &[(f64, f64)]) -> Vec<f64> {
        w.iter().flat_map(|(a, b)| [*a, *b, a + b, a + b]).collect()
    }

    fn mixed() -> Menu {
        Menu { m: 3, parts: vec![vec![0], vec![1], vec![0, 1], vec![2]], cost: vec![0.0; 4] }
    }

    #[test]
    fn uniform_values_approach_the_published_optima() {
        // two goods, values uniform on [0, 1], no cost: components 1/2 each (profit 1/2), pure
        // bundle sqrt(2/3) (profit 0.5443), mixed 2/3 and (4 - sqrt 2) / 3 (profit 0.5492)
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let w: Vec<(f64, f64)> = (0..20_000).map(|_| (rng.random::<f64>(), rng.random::<f64>())).collect();
        let values = two_goods(&w);
        let v = Values { values: &values, k: 4 };
        let n = w.len() as f64;
        let mixed = optimise(&mixed(), v, &[vec![0.5, 0.5, 1.0], vec![1.0, 1.0, 0.8]], 0).unwrap();
        assert!((mixed.profit / n - 0.5492).abs() < 0.005, "{}", mixed.profit / n);
        assert!(
            (mixed.prices[0] - 2.0 / 3.0).abs() < 0.03 && (mixed.prices[2] - 0.8619).abs() < 0.03,
            "{:?}",
            mixed.prices
        );
        let only_b = Menu { m: 1, parts: vec![vec![0]], cost: vec![0.0] };
        let sums: Vec<f64> = w.iter().map(|(a, b)| a + b).collect();
        let b = optimise(&only_b, Values { values: &sums, k: 1 }, &[vec![1.0]], 0).unwrap();
        assert!((b.profit / n - 0.5443).abs() < 0.005 && (b.prices[0] - (2.0f64 / 3.0).sqrt()).abs() < 0.03);
    }

    #[test]
    fn the_search_is_exact_one_price_at_a_time() {
        // against every candidate price on a small menu
        let w = [(90.0, 10.0), (60.0, 40.0), (40.0, 60.0), (10.0, 90.0), (55.0, 55.0)];
        let values = two_goods(&w);
        let v = Values { values: &values, k: 4 };
        let menu = Menu {
            m: 3,
            parts: vec![vec![0], vec![1], vec![0, 1], vec![2]],
            cost: vec![10.0, 10.0, 20.0, 20.0],
        };
        let prices = vec![60.0, 60.0, 100.0];
        for j in 0..3 {
            let (p, pr) = best_price(&menu, v, &prices, j, 0).unwrap();
            let mut brute = f64::NEG_INFINITY;
            for cand in 0..=2000 {
                let mut q = prices.clone();
                q[j] = f64::from(cand) / 10.0;
                brute = brute.max(evaluate(&menu, v, &q).1);
            }
            let mut q = prices.clone();
            q[j] = p;
            assert!((evaluate(&menu, v, &q).1 - pr).abs() < 1e-9);
            assert!((pr - brute).abs() < 1e-9, "price {j}: {pr} vs {brute}");
        }
    }
}
