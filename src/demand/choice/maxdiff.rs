//! MaxDiff (best-worst scaling, Louviere, Flynn & Marley 2015, *Best-Worst Scaling: Theory,
//! Methods and Applications*, Cambridge University Press): each task shows a few items and the
//! respondent picks the best and the worst.
//!
//! * Counts: per item, times shown, times best and worst, and the best-minus-worst score
//!   (best - worst) / shown, in [-1, 1].
//! * Sequential best-worst MNL: the best pick is an MNL over the items shown with utilities b_i;
//!   the worst pick is an MNL over the remaining items with utilities -b_i. One item is the
//!   reference (b = 0; the first by default). Shares of preference exp(b_i) / sum_j exp(b_j) put the scores on a
//!   ratio scale that sums to one.

use super::mnl::{fit as fit_mnl, MnlFit, Tasks};
use crate::error::{Error, Result};
use crate::stats::Progress;

/// MaxDiff results, per item.
#[derive(Debug, Clone, PartialEq)]
pub struct MaxDiff {
    /// Times each item was shown.
    pub shown: Vec<u64>,
    /// Times picked best.
    pub best: Vec<u64>,
    /// Times picked worst.
    pub worst: Vec<u64>,
    /// The MNL fit (coefficients of the other items against the reference).
    pub fit: MnlFit,
    /// Each item's score b_i (the reference: 0) and its standard error.
    pub score: Vec<(f64, f64)>,
    /// Shares of preference.
    pub share: Vec<f64>,
    /// Tasks used.
    pub n_tasks: usize,
}

/// MaxDiff from long data: each row an item shown in a task (tasks identified by respondent
/// and task codes), with whether it was picked best and worst. `names` name the item, best and
/// worst columns in errors; `ids` are the respondent and task labels (by code), for errors;
/// `reference` is the code of the item whose score is 0.
#[allow(clippy::too_many_arguments)]
pub fn maxdiff(
    respondent: &[u32],
    task: &[u32],
    item: &[u32],
    levels: &[String],
    best: &[bool],
    worst: &[bool],
    names: [&str; 3],
    ids: [&[String]; 2],
    reference: usize,
    cancel: Option<&Progress>,
) -> Result<MaxDiff> {
    let n = item.len();
    let n_items = levels.len();
    if n == 0 {
        return Err(Error::input(names[0], "no rows"));
    }
    if n_items < 2 {
        return Err(Error::input(names[0], "needs at least two items"));
    }
    if reference >= n_items {
        return Err(Error::parameter("reference", format!("item code {reference} is out of range")));
    }
    let label = |ls: &[String], c: u32| ls.get(c as usize).cloned().unwrap_or_else(|| c.to_string());
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (respondent[i], task[i], i));
    let (mut shown, mut nb, mut nw) = (vec![0u64; n_items], vec![0u64; n_items], vec![0u64; n_items]);
    let p = n_items - 1;
    let (mut x, mut starts, mut chosen) = (Vec::new(), vec![0usize], Vec::new());
    // the reference has no column; the others keep their order
    let column = |it: usize| match it.cmp(&reference) {
        std::cmp::Ordering::Less => Some(it),
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Greater => Some(it - 1),
    };
    let code = |it: usize, sign: f64, x: &mut Vec<f64>| {
        let mut row = vec![0.0; p];
        if let Some(c) = column(it) {
            row[c] = sign;
        }
        x.extend(row);
    };
    let mut k = 0;
    let mut n_tasks = 0;
    while k < n {
        let (r, t) = (respondent[order[k]], task[order[k]]);
        let (rl, tl) = (label(ids[0], r), label(ids[1], t));
        let mut rows = Vec::new();
        while k < n && respondent[order[k]] == r && task[order[k]] == t {
            rows.push(order[k]);
            k += 1;
        }
        let b: Vec<usize> = rows.iter().copied().filter(|&i| best[i]).collect();
        let w: Vec<usize> = rows.iter().copied().filter(|&i| worst[i]).collect();
        if b.len() != 1 || w.len() != 1 {
            return Err(Error::input(
                if b.len() != 1 { names[1] } else { names[2] },
                format!(
                    "respondent {rl}'s task {tl} has {} best and {} worst picks; each task needs exactly one of each",
                    b.len(),
                    w.len()
                ),
            ));
        }
        if b[0] == w[0] {
            return Err(Error::input(
                names[2],
                format!("respondent {rl}'s task {tl}: the same item is best and worst"),
            ));
        }
        if rows.len() < 2 {
            return Err(Error::input(names[0], format!("respondent {rl}'s task {tl} shows one item")));
        }
        for &i in &rows {
            let it = item[i] as usize;
            if it >= n_items {
                return Err(Error::input(names[0], format!("item code {it} is out of range")));
            }
            shown[it] += 1;
        }
        nb[item[b[0]] as usize] += 1;
        nw[item[w[0]] as usize] += 1;
        // the best pick among every item shown
        for (j, &i) in rows.iter().enumerate() {
            code(item[i] as usize, 1.0, &mut x);
            if i == b[0] {
                chosen.push(starts[starts.len() - 1] + j);
            }
        }
        starts.push(starts[starts.len() - 1] + rows.len());
        // the worst pick among the rest, with utilities negated
        let rest: Vec<usize> = rows.iter().copied().filter(|&i| i != b[0]).collect();
        if rest.len() >= 2 {
            for (j, &i) in rest.iter().enumerate() {
                code(item[i] as usize, -1.0, &mut x);
                if i == w[0] {
                    chosen.push(starts[starts.len() - 1] + j);
                }
            }
            starts.push(starts[starts.len() - 1] + rest.len());
        }
        n_tasks += 1;
    }
    if let Some(i) = shown.iter().position(|s| *s == 0) {
        return Err(Error::input(
            names[0],
            format!("item '{}' is never shown, so it has no score; drop it", levels[i]),
        ));
    }
    let labels: Vec<String> = levels
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != reference)
        .map(|(_, l)| format!("{}[{l}]", names[0]))
        .collect();
    let tasks = Tasks { x: &x, p, starts: &starts, chosen: &chosen, weight: None };
    let fit = fit_mnl(&tasks, None, None, &labels, cancel)?;
    let score: Vec<(f64, f64)> = (0..n_items)
        .map(|it| column(it).map_or((0.0, 0.0), |j| (fit.beta[j], fit.cov[j][j].max(0.0).sqrt())))
        .collect();
    let m = score.iter().map(|s| s.0).fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = score.iter().map(|s| (s.0 - m).exp()).collect();
    let total: f64 = e.iter().sum();
    let share = e.iter().map(|v| v / total).collect();
    Ok(MaxDiff { shown, best: nb, worst: nw, fit, score, share, n_tasks })
}
