//! From long choice data to a fitted model's tables: tasks grouped by (respondent, task),
//! attributes coded, MNL or latent-class MNL fitted, then part-worths, importances and
//! willingness to pay per level with delta-method standard errors.
//!
//! Willingness to pay for a level is its part-worth over minus the price coefficient,
//! WTP_l = -pw_l / b_price: the price change that leaves utility unchanged. Its standard error
//! is sqrt(g' V g) with g the gradient of WTP_l in the attribute's coefficients and b_price
//! (delta method). Importance of an attribute: the range of its part-worths over the sum of the
//! ranges of all attributes (price's range is |b_price| times the range of the prices shown).

use super::design::Coding;
use super::latent::{self, LatentClassFit};
use super::mnl::{self, MnlFit, Tasks};
use crate::error::{Error, Result};
use crate::stats::hypothesis::normal_quantile;
use crate::stats::Progress;

/// A categorical attribute: each row's level and the level names.
pub struct Attribute<'a> {
    /// Column name.
    pub name: &'a str,
    /// Level of each row.
    pub codes: &'a [u32],
    /// Level names.
    pub levels: &'a [String],
}

/// The long data of a choice experiment, one row per alternative shown.
pub struct ChoiceData<'a> {
    /// Respondent of each row (codes) and how many respondents.
    pub respondent: &'a [u32],
    /// Number of respondents.
    pub n_respondents: usize,
    /// Respondent and task labels (by code), for errors.
    pub labels: [&'a [String]; 2],
    /// Task of each row (codes, within respondent).
    pub task: &'a [u32],
    /// Whether the row was chosen.
    pub chosen: &'a [bool],
    /// Categorical attributes.
    pub attributes: Vec<Attribute<'a>>,
    /// The price attribute (numeric), with its name.
    pub price: Option<(&'a str, &'a [f64])>,
    /// Names of the respondent, task and chosen columns (for errors).
    pub names: [&'a str; 3],
}

/// One model's tables: rows of (class, name, value, se) etc.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceResult {
    /// Coded column names.
    pub columns: Vec<String>,
    /// Per class: the fit.
    pub fits: Vec<MnlFit>,
    /// Class shares (one class: a share of 1).
    pub shares: Vec<f64>,
    /// Posterior class probabilities per respondent (respondent-major), latent classes only.
    pub posterior: Vec<f64>,
    /// ln L of the model.
    pub log_likelihood: f64,
    /// ln L at b = 0.
    pub null_log_likelihood: f64,
    /// BIC.
    pub bic: f64,
    /// Part-worths: (class, attribute, level, part-worth, se).
    pub part_worths: Vec<(usize, String, String, f64, f64)>,
    /// Importances: (class, attribute, importance).
    pub importance: Vec<(usize, String, f64)>,
    /// WTP: (class, attribute, level, wtp, se, ci_low, ci_high).
    pub wtp: Vec<(usize, String, String, f64, f64, f64, f64)>,
    /// Tasks fitted.
    pub n_tasks: usize,
    /// Newton iterations (one class) or EM iterations of the best start (latent classes).
    pub iterations: usize,
}

/// The tasks of `d`: rows sorted by (respondent, task, row), coded.
pub struct Coded {
    /// Coded rows (row-major, `p` columns).
    pub x: Vec<f64>,
    /// Coded column count.
    pub p: usize,
    /// Task starts.
    pub starts: Vec<usize>,
    /// Chosen row per task.
    pub chosen: Vec<usize>,
    /// Respondent per task.
    pub respondent: Vec<usize>,
    /// Coded column names.
    pub columns: Vec<String>,
}

/// Groups rows into tasks and codes them, with the checks every bad input needs.
pub fn code(d: &ChoiceData, coding: Coding) -> Result<Coded> {
    let n = d.chosen.len();
    let [r_name, t_name, c_name] = d.names;
    if n == 0 {
        return Err(Error::input(c_name, "no rows"));
    }
    for a in &d.attributes {
        let mut seen = vec![false; a.levels.len()];
        for c in a.codes {
            if let Some(s) = seen.get_mut(*c as usize) {
                *s = true;
            }
        }
        if let Some(l) = seen.iter().position(|s| !s) {
            return Err(Error::input(
                a.name,
                format!(
                    "level '{}' is never shown, so its part-worth cannot be estimated; drop the level",
                    a.levels[l]
                ),
            ));
        }
        if a.levels.len() < 2 {
            return Err(Error::input(a.name, "has one level: it cannot explain any choice; leave it out"));
        }
    }
    if let Some((name, p)) = d.price {
        let first = p.first().copied().unwrap_or(0.0);
        if p.iter().all(|v| *v == first) {
            return Err(Error::input(
                name,
                format!(
                    "holds one value ({first}): a price coefficient needs prices that vary; leave price out"
                ),
            ));
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (d.respondent[i], d.task[i], i));
    let mut columns = Vec::new();
    for a in &d.attributes {
        let keep: Vec<usize> = match coding {
            Coding::Effects => (0..a.levels.len() - 1).collect(),
            Coding::Dummy => (1..a.levels.len()).collect(),
        };
        columns.extend(keep.iter().map(|l| format!("{}[{}]", a.name, a.levels[*l])));
    }
    if let Some((name, _)) = d.price {
        columns.push(name.to_string());
    }
    let p = columns.len();
    let mut out = Coded {
        x: Vec::with_capacity(n * p),
        p,
        starts: vec![0],
        chosen: Vec::new(),
        respondent: Vec::new(),
        columns,
    };
    let mut k = 0;
    while k < n {
        let (r, t) = (d.respondent[order[k]], d.task[order[k]]);
        let start = k;
        let mut picked = Vec::new();
        while k < n && d.respondent[order[k]] == r && d.task[order[k]] == t {
            let i = order[k];
            for a in &d.attributes {
                out.x.extend(coding.code(a.codes[i] as usize, a.levels.len()));
            }
            if let Some((_, price)) = d.price {
                out.x.push(price[i]);
            }
            if d.chosen[i] {
                picked.push(k);
            }
            k += 1;
        }
        let label = |which: usize, code: u32| {
            d.labels[which].get(code as usize).cloned().unwrap_or_else(|| code.to_string())
        };
        if picked.len() != 1 {
            return Err(Error::input(
                c_name,
                format!(
                    "{r_name} {}, {t_name} {}: {} of its {} rows are chosen; each task needs exactly one (a {r_name} \
                     reused across versions or waves puts two tasks together: make the ids unique)",
                    label(0, r),
                    label(1, t),
                    picked.len(),
                    k - start
                ),
            ));
        }
        if k - start < 2 {
            return Err(Error::input(
                t_name,
                format!("{r_name} {}, {t_name} {}: one alternative", label(0, r), label(1, t)),
            ));
        }
        out.chosen.push(picked[0]);
        out.starts.push(k);
        out.respondent.push(r as usize);
    }
    Ok(out)
}

/// Fits the model (`classes` = 1: MNL; more: latent-class MNL with `starts` seeded starts) and
/// derives the part-worths, importances and WTP (at confidence `level`).
#[allow(clippy::too_many_arguments)]
pub fn fit(
    d: &ChoiceData,
    coding: Coding,
    classes: usize,
    starts: usize,
    seed: u64,
    level: f64,
    cancel: Option<&Progress>,
) -> Result<ChoiceResult> {
    let c = code(d, coding)?;
    let tasks = Tasks { x: &c.x, p: c.p, starts: &c.starts, chosen: &c.chosen, weight: None };
    let (fits, shares, posterior, ll, bic, iterations) = if classes <= 1 {
        let f = mnl::fit(&tasks, None, None, &c.columns, cancel)?;
        let k = c.p as f64;
        let bic = -2.0 * f.log_likelihood + k * (d.n_respondents as f64).ln();
        let (ll, it) = (f.log_likelihood, f.iterations);
        (vec![f], vec![1.0], Vec::new(), ll, bic, it)
    } else {
        let LatentClassFit { classes: fits, shares, posterior, log_likelihood, bic, iterations, .. } =
            latent::fit(
                &tasks,
                &c.respondent,
                d.n_respondents,
                classes,
                starts,
                seed,
                300,
                1e-8,
                &c.columns,
                cancel,
            )?;
        (fits, shares, posterior, log_likelihood, bic, iterations)
    };
    let null = tasks.derivatives(&vec![0.0; c.p], None).0;
    let z = normal_quantile(0.5 + level / 2.0);
    let (mut part_worths, mut importance, mut wtp) = (Vec::new(), Vec::new(), Vec::new());
    let price_col = d.price.map(|_| c.p - 1);
    let price_range = d.price.map_or(0.0, |(_, p)| {
        let (lo, hi) = p.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(*v), h.max(*v)));
        hi - lo
    });
    for (k, f) in fits.iter().enumerate() {
        let mut ranges = Vec::new();
        let mut off = 0;
        for a in &d.attributes {
            let l = a.levels.len();
            let coef = &f.beta[off..off + l - 1];
            let pw = coding.part_worths(coef);
            let jac = coding.part_worth_jacobian(l);
            for (li, name) in a.levels.iter().enumerate() {
                let g = &jac[li];
                let var = quad(&f.cov, off, g, None);
                part_worths.push((k, a.name.to_string(), name.clone(), pw[li], var.sqrt()));
                if let Some(pc) = price_col {
                    let bp = f.beta[pc];
                    let w = -pw[li] / bp;
                    // gradient in (attribute coefficients, b_price)
                    let ga: Vec<f64> = g.iter().map(|v| -v / bp).collect();
                    let gp = pw[li] / (bp * bp);
                    let v = quad(&f.cov, off, &ga, Some((pc, gp)));
                    let se = v.sqrt();
                    wtp.push((k, a.name.to_string(), name.clone(), w, se, w - z * se, w + z * se));
                }
            }
            let (lo, hi) =
                pw.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(*v), h.max(*v)));
            ranges.push((a.name.to_string(), hi - lo));
            off += l - 1;
        }
        if let (Some(pc), Some((name, _))) = (price_col, d.price) {
            ranges.push((name.to_string(), f.beta[pc].abs() * price_range));
        }
        let total: f64 = ranges.iter().map(|r| r.1).sum();
        importance.extend(ranges.into_iter().map(|(n, r)| (k, n, r / total)));
    }
    Ok(ChoiceResult {
        columns: c.columns,
        fits,
        shares,
        posterior,
        log_likelihood: ll,
        null_log_likelihood: null,
        bic,
        part_worths,
        importance,
        wtp,
        n_tasks: tasks.len(),
        iterations,
    })
}

/// g' V g for g placed at `off..off + g.len()` plus an optional (index, value) entry.
fn quad(v: &[Vec<f64>], off: usize, g: &[f64], extra: Option<(usize, f64)>) -> f64 {
    let mut idx: Vec<(usize, f64)> = g.iter().enumerate().map(|(i, x)| (off + i, *x)).collect();
    if let Some(e) = extra {
        idx.push(e);
    }
    let mut s = 0.0;
    for &(i, gi) in &idx {
        for &(j, gj) in &idx {
            s += gi * gj * v[i][j];
        }
    }
    s.max(0.0)
}
