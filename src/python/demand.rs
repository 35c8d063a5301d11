//! Demand curve analysis bindings: read columns, apply the missing policy, split by group,
//! call the core with the GIL released, hand back Arrow tables.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::PyTable;
use rayon::prelude::*;

use super::error::CvResult;
use super::io::{detach, put_rows, table_of, to_pyarrow, with_progress};
use crate::demand::curve::{self, Economics};
use crate::demand::elasticity::{self, Kind};
use crate::demand::gabor_granger::{self as gg, NonMonotone};
use crate::demand::price_response::{self, Model};
use crate::demand::van_westendorp::{self as vw, PriceRange, Validate};
use crate::error::{Error, Result};
use crate::table::{
    self, categorical_array, f64_array, i64_array, split_by, str_array, Categorical, Column, Missing, RowLog,
    Rows, Table,
};

type ArrayCols = Vec<(String, arrow_array::ArrayRef)>;

fn batch_py(py: Python<'_>, cols: ArrayCols) -> CvResult<Py<PyAny>> {
    Ok(to_pyarrow(py, table::batch(cols)?)?)
}

/// Rows of `col` restricted to `idx` (no copy without groups).
fn sub<'a, T: crate::table::Element>(col: &'a Column<T>, idx: Option<&[usize]>) -> Cow<'a, Column<T>> {
    match idx {
        None => Cow::Borrowed(col),
        Some(idx) => Cow::Owned(col.take(idx)),
    }
}

/// Groups of an analysis: one group of every row without `by`.
struct Groups {
    name: Option<String>,
    parts: Vec<(String, Option<Vec<usize>>)>,
    warnings: Vec<String>,
}

impl Groups {
    fn new(by: Option<&Categorical>) -> Self {
        match by {
            None => Groups { name: None, parts: vec![(String::new(), None)], warnings: Vec::new() },
            Some(c) => {
                let parts: Vec<(String, Option<Vec<usize>>)> =
                    split_by(c).into_iter().map(|(l, i)| (l, Some(i))).collect();
                let mut warnings = Vec::new();
                if parts.len() == 1 {
                    warnings.push(format!("the by column '{}' has one level: one group", c.codes.name));
                }
                Groups { name: Some(c.codes.name.clone()), parts, warnings }
            }
        }
    }
    fn labels(&self) -> Vec<String> {
        self.parts.iter().map(|p| p.0.clone()).collect()
    }
    /// Adds the group column (repeating each group's label `counts[g]` times) in front.
    fn prepend(&self, cols: &mut ArrayCols, counts: &[usize]) -> Result<()> {
        if let Some(name) = &self.name {
            let codes: Vec<u32> =
                counts.iter().enumerate().flat_map(|(g, c)| std::iter::repeat_n(g as u32, *c)).collect();
            cols.insert(0, (name.clone(), categorical_array(codes, &self.labels())?));
        }
        Ok(())
    }
}

fn read_opt_float(t: &Table, name: Option<&str>) -> Result<Option<Column<f64>>> {
    name.map(|n| t.float(n)).transpose()
}

fn read_opt_cat(t: &Table, name: Option<&str>) -> Result<Option<Categorical>> {
    name.map(|n| t.category(n)).transpose()
}

fn missing_all(cols: Vec<&mut dyn Rows>, missing: Missing) -> Result<RowLog> {
    let mut cols = cols;
    table::apply_missing(&mut cols, missing)
}

fn opt_pair(x: Option<(f64, f64)>) -> (f64, f64) {
    x.unwrap_or((f64::NAN, f64::NAN))
}

/// WTP demand curve(s).
#[pyfunction]
#[pyo3(signature = (table, wtp, weights=None, by=None, cost=0.0, fixed_cost=0.0, market_size=None, ci=None, n_boot=1000, seed=0, missing="raise", progress=None))]
#[allow(clippy::too_many_arguments)]
fn demand_curve<'py>(
    py: Python<'py>,
    table: PyTable,
    wtp: &str,
    weights: Option<&str>,
    by: Option<&str>,
    cost: f64,
    fixed_cost: f64,
    market_size: Option<f64>,
    ci: Option<f64>,
    n_boot: usize,
    seed: u64,
    missing: &str,
    progress: Option<Bound<'py, PyAny>>,
) -> CvResult<Bound<'py, PyDict>> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let econ = Economics { cost, fixed_cost, market_size };
    let (cols, opt_cols, log, groups, results) = with_progress(py, progress.as_ref(), |pg| -> Result<_> {
        let mut w = t.float(wtp)?;
        let mut wt = read_opt_float(&t, weights)?;
        let mut g = read_opt_cat(&t, by)?;
        let mut rows: Vec<&mut dyn Rows> = vec![&mut w];
        if let Some(c) = wt.as_mut() {
            rows.push(c);
        }
        if let Some(c) = g.as_mut() {
            rows.push(c);
        }
        let log = missing_all(rows, missing)?;
        let groups = Groups::new(g.as_ref());
        let results: Vec<(curve::Curve, Option<curve::CurveIntervals>)> = groups
            .parts
            .par_iter()
            .map(|(_, idx)| -> Result<_> {
                let wg = sub(&w, idx.as_deref());
                let wtg = wt.as_ref().map(|c| sub(c, idx.as_deref()));
                let c = curve::demand_curve(&wg, wtg.as_deref(), &econ)?;
                let iv = match ci {
                    Some(level) => {
                        Some(curve::bootstrap(&wg, wtg.as_deref(), &econ, &c, level, n_boot, seed, pg)?)
                    }
                    None => None,
                };
                Ok((c, iv))
            })
            .collect::<Result<_>>()?;
        // the curve table
        let mut cols: ArrayCols = Vec::new();
        let cat = |f: &dyn Fn(&curve::Curve) -> &Vec<f64>| -> Vec<f64> {
            results.iter().flat_map(|(c, _)| f(c).iter().copied()).collect()
        };
        cols.push(("price".into(), f64_array(cat(&|c| &c.price))));
        cols.push(("share".into(), f64_array(cat(&|c| &c.share))));
        cols.push(("buyers".into(), f64_array(cat(&|c| &c.buyers))));
        cols.push(("revenue".into(), f64_array(cat(&|c| &c.revenue))));
        cols.push(("profit".into(), f64_array(cat(&|c| &c.profit))));
        if ci.is_some() {
            type Pick = fn(&curve::CurveIntervals) -> &(Vec<f64>, Vec<f64>);
            let picks: [(&str, Pick); 3] =
                [("share", |i| &i.share), ("revenue", |i| &i.revenue), ("profit", |i| &i.profit)];
            for (name, pick) in picks {
                for (side, label) in [(0, "ci_low"), (1, "ci_high")] {
                    let v: Vec<f64> = results
                        .iter()
                        .flat_map(|(_, iv)| {
                            iv.as_ref()
                                .map(|iv| if side == 0 { pick(iv).0.clone() } else { pick(iv).1.clone() })
                                .unwrap_or_default()
                        })
                        .collect();
                    cols.push((format!("{name}_{label}"), f64_array(v)));
                }
            }
        }
        let counts: Vec<usize> = results.iter().map(|(c, _)| c.price.len()).collect();
        groups.prepend(&mut cols, &counts)?;
        // the optima table
        let at = |c: &curve::Curve, i: Option<usize>, v: &dyn Fn(&curve::Curve, usize) -> f64| {
            i.map_or(f64::NAN, |i| v(c, i))
        };
        let mut o: ArrayCols = vec![
            (
                "revenue_optimal_price".into(),
                f64_array(
                    results.iter().map(|(c, _)| at(c, c.revenue_optimal, &|c, i| c.price[i])).collect(),
                ),
            ),
            (
                "revenue_at_optimum".into(),
                f64_array(
                    results.iter().map(|(c, _)| at(c, c.revenue_optimal, &|c, i| c.revenue[i])).collect(),
                ),
            ),
            (
                "profit_optimal_price".into(),
                f64_array(results.iter().map(|(c, _)| at(c, c.profit_optimal, &|c, i| c.price[i])).collect()),
            ),
            (
                "profit_at_optimum".into(),
                f64_array(
                    results.iter().map(|(c, _)| at(c, c.profit_optimal, &|c, i| c.profit[i])).collect(),
                ),
            ),
            ("n".into(), i64_array(results.iter().map(|(c, _)| c.n as i64).collect())),
            ("total_weight".into(), f64_array(results.iter().map(|(c, _)| c.total_weight).collect())),
            ("market_size".into(), f64_array(results.iter().map(|(c, _)| c.market_size).collect())),
        ];
        if ci.is_some() {
            let iv = |f: &dyn Fn(&curve::CurveIntervals) -> f64| -> Vec<f64> {
                results.iter().map(|(_, i)| i.as_ref().map_or(f64::NAN, f)).collect()
            };
            o.push(("revenue_optimal_price_ci_low".into(), f64_array(iv(&|i| i.revenue_optimal_price.0))));
            o.push(("revenue_optimal_price_ci_high".into(), f64_array(iv(&|i| i.revenue_optimal_price.1))));
            o.push(("profit_optimal_price_ci_low".into(), f64_array(iv(&|i| i.profit_optimal_price.0))));
            o.push(("profit_optimal_price_ci_high".into(), f64_array(iv(&|i| i.profit_optimal_price.1))));
        }
        groups.prepend(&mut o, &vec![1; results.len()])?;
        Ok((cols, o, log, groups, results))
    })??;
    let d = PyDict::new(py);
    let set = |k: &str, v: Py<PyAny>| d.set_item(k, v);
    set("table", batch_py(py, cols)?)?;
    set("optima", batch_py(py, opt_cols)?)?;
    let mut warnings = groups.warnings.clone();
    for ((label, _), (c, _)) in groups.parts.iter().zip(&results) {
        for w in &c.warnings {
            warnings.push(if label.is_empty() { w.clone() } else { format!("{label}: {w}") });
        }
    }
    d.set_item("warnings", warnings)?;
    put_rows(py, &d, &log)?;
    Ok(d)
}

/// The premium test on one table (no groups).
#[pyfunction]
#[pyo3(signature = (table, wtp, price_a, price_b, weights=None, cost=0.0, market_size=None, ci=0.95, n_boot=1000, seed=0, missing="raise"))]
#[allow(clippy::too_many_arguments)]
fn premium_test<'py>(
    py: Python<'py>,
    table: PyTable,
    wtp: &str,
    price_a: f64,
    price_b: f64,
    weights: Option<&str>,
    cost: f64,
    market_size: Option<f64>,
    ci: f64,
    n_boot: usize,
    seed: u64,
    missing: &str,
) -> CvResult<Bound<'py, PyDict>> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let econ = Economics { cost, fixed_cost: 0.0, market_size };
    let r = detach(py, || -> Result<_> {
        let mut w = t.float(wtp)?;
        let mut wt = read_opt_float(&t, weights)?;
        let mut rows: Vec<&mut dyn Rows> = vec![&mut w];
        if let Some(c) = wt.as_mut() {
            rows.push(c);
        }
        missing_all(rows, missing)?;
        curve::premium_test(&w, wt.as_ref(), &econ, price_a, price_b, ci, n_boot, seed)
    })?;
    let d = PyDict::new(py);
    let items: [(&str, f64); 9] = [
        ("price_a", r.price_a),
        ("price_b", r.price_b),
        ("profit_a", r.profit_a),
        ("profit_b", r.profit_b),
        ("difference", r.difference),
        ("ci_low", r.ci.0),
        ("ci_high", r.ci.1),
        ("prob_b_better", r.prob_b_better),
        ("level", r.level),
    ];
    for (k, v) in items {
        d.set_item(k, v)?;
    }
    Ok(d)
}

/// Van Westendorp with optional NMS, groups and bootstrap.
#[pyfunction]
#[pyo3(signature = (table, too_cheap, cheap, expensive, too_expensive, weights=None, by=None, validate="strict", range="original", intent_cheap=None, intent_expensive=None, calibration=None, cost=None, ci=None, n_boot=1000, seed=0, missing="raise", progress=None))]
#[allow(clippy::too_many_arguments)]
fn van_westendorp<'py>(
    py: Python<'py>,
    table: PyTable,
    too_cheap: &str,
    cheap: &str,
    expensive: &str,
    too_expensive: &str,
    weights: Option<&str>,
    by: Option<&str>,
    validate: &str,
    range: &str,
    intent_cheap: Option<&str>,
    intent_expensive: Option<&str>,
    calibration: Option<Vec<(f64, f64)>>,
    cost: Option<f64>,
    ci: Option<f64>,
    n_boot: usize,
    seed: u64,
    missing: &str,
    progress: Option<Bound<'py, PyAny>>,
) -> CvResult<Bound<'py, PyDict>> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let validate = Validate::parse(validate)?;
    let range = PriceRange::parse(range)?;
    let use_nms = match (intent_cheap, intent_expensive) {
        (Some(_), Some(_)) => true,
        (None, None) => false,
        _ => {
            return Err(
                Error::parameter("nms", "give both the 'cheap' and the 'expensive' intent columns").into()
            )
        }
    };
    let calibration =
        calibration.unwrap_or_else(|| vec![(5.0, 0.7), (4.0, 0.5), (3.0, 0.3), (2.0, 0.1), (1.0, 0.0)]);
    // First without scanning the answers for NaN: the histogram pass rejects any answer that is
    // not a positive finite price. Any failure reruns the call with the scan, so the missing
    // policy and the error messages are those of the full checks.
    let run = |scan: bool| {
        with_progress(py, progress.as_ref(), |pg| -> Result<_> {
            let read = |name: &str| if scan { t.float(name) } else { t.float_unscanned(name) };
            let mut q = [read(too_cheap)?, read(cheap)?, read(expensive)?, read(too_expensive)?];
            let mut wt = read_opt_float(&t, weights)?;
            let mut g = read_opt_cat(&t, by)?;
            let mut ic = read_opt_float(&t, intent_cheap)?;
            let mut ie = read_opt_float(&t, intent_expensive)?;
            let [a, b, c, d] = &mut q;
            let mut rows: Vec<&mut dyn Rows> = vec![a, b, c, d];
            for x in [wt.as_mut(), ic.as_mut(), ie.as_mut()].into_iter().flatten() {
                rows.push(x);
            }
            if let Some(x) = g.as_mut() {
                rows.push(x);
            }
            let mut log = missing_all(rows, missing)?;
            let groups = Groups::new(g.as_ref());
            let results: Vec<vw::VwResult> = groups
                .parts
                .par_iter()
                .map(|(_, idx)| -> Result<_> {
                    let idx = idx.as_deref();
                    let qs = [sub(&q[0], idx), sub(&q[1], idx), sub(&q[2], idx), sub(&q[3], idx)];
                    let wg = wt.as_ref().map(|c| sub(c, idx));
                    let ans =
                        vw::Answers { prices: [&qs[0], &qs[1], &qs[2], &qs[3]], weights: wg.as_deref() };
                    let icg = ic.as_ref().map(|c| sub(c, idx));
                    let ieg = ie.as_ref().map(|c| sub(c, idx));
                    let nms = match (&icg, &ieg) {
                        (Some(a), Some(b)) if use_nms => Some(vw::Nms {
                            intent_cheap: a,
                            intent_expensive: b,
                            calibration: calibration.clone(),
                            cost,
                        }),
                        _ => None,
                    };
                    vw::van_westendorp(&ans, validate, range, nms.as_ref(), ci.map(|l| (l, n_boot)), seed, pg)
                })
                .collect::<Result<_>>()?;
            // the respondents validation refused, as input rows (found only when there are any)
            for ((_, idx), r) in groups.parts.iter().zip(&results) {
                if r.n_dropped > 0 {
                    let idx = idx.as_deref();
                    let qs = [sub(&q[0], idx), sub(&q[1], idx), sub(&q[2], idx), sub(&q[3], idx)];
                    let bad = vw::invalid_rows(
                        [&qs[0].values, &qs[1].values, &qs[2].values, &qs[3].values],
                        validate,
                    );
                    let bad: Vec<usize> = match idx {
                        Some(idx) => bad.iter().filter_map(|i| idx.get(*i).copied()).collect(),
                        None => bad,
                    };
                    log.drop_kept(&bad, vw::INCONSISTENT);
                }
            }
            Ok((groups, results, log))
        })
    };
    let (groups, results, log) = match run(false) {
        Ok(Ok(done)) => done,
        Ok(Err(_)) => run(true)??,
        Err(interrupted) => return Err(interrupted.into()),
    };
    // curves
    let mut curves: ArrayCols =
        vec![("price".into(), f64_array(results.iter().flat_map(|r| r.price.iter().copied()).collect()))];
    for (k, name) in
        ["too_cheap", "cheap", "expensive", "too_expensive", "not_cheap", "not_expensive"].iter().enumerate()
    {
        curves.push((
            name.to_string(),
            f64_array(results.iter().flat_map(|r| r.curves[k].iter().copied()).collect()),
        ));
    }
    groups.prepend(&mut curves, &results.iter().map(|r| r.price.len()).collect::<Vec<_>>())?;
    // points
    let names = ["OPP", "IPP", "PMC", "PME"];
    let mut pt_name = Vec::new();
    let mut pt_price = Vec::new();
    let mut pt_lo = Vec::new();
    let mut pt_hi = Vec::new();
    for r in &results {
        let p = [r.points.opp, r.points.ipp, r.points.pmc, r.points.pme];
        for k in 0..4 {
            pt_name.push(names[k].to_string());
            pt_price.push(p[k].unwrap_or(f64::NAN));
            let (lo, hi) = r.intervals.as_ref().map_or((f64::NAN, f64::NAN), |i| i.points[k]);
            pt_lo.push(lo);
            pt_hi.push(hi);
        }
    }
    let mut points: ArrayCols = vec![
        ("point".into(), str_array(pt_name)),
        ("price".into(), f64_array(pt_price)),
        ("ci_low".into(), f64_array(pt_lo)),
        ("ci_high".into(), f64_array(pt_hi)),
    ];
    groups.prepend(&mut points, &vec![4; results.len()])?;
    // both range conventions side by side
    let (mut rname, mut rpmc, mut rpme) = (Vec::new(), Vec::new(), Vec::new());
    for r in &results {
        let mut both = [(range, r.points.pmc, r.points.pme), r.other_range];
        both.sort_by_key(|(k, _, _)| k.name());
        for (k, a, b) in both.iter().rev() {
            rname.push(k.name().to_string());
            rpmc.push(a.unwrap_or(f64::NAN));
            rpme.push(b.unwrap_or(f64::NAN));
        }
    }
    let mut ranges: ArrayCols = vec![
        ("range".into(), str_array(rname)),
        ("pmc".into(), f64_array(rpmc)),
        ("pme".into(), f64_array(rpme)),
    ];
    groups.prepend(&mut ranges, &vec![2; results.len()])?;
    let mut counts: ArrayCols = vec![
        ("n_valid".into(), i64_array(results.iter().map(|r| r.n_valid as i64).collect())),
        ("n_invalid".into(), i64_array(results.iter().map(|r| r.n_dropped as i64).collect())),
        ("total_weight".into(), f64_array(results.iter().map(|r| r.total_weight).collect())),
    ];
    let d = PyDict::new(py);
    if use_nms {
        let nm = |r: &vw::VwResult| r.nms.clone();
        counts.push((
            "nms_used".into(),
            i64_array(results.iter().map(|r| nm(r).map_or(0, |n| n.n_used as i64)).collect()),
        ));
        counts.push((
            "nms_excluded".into(),
            i64_array(results.iter().map(|r| nm(r).map_or(0, |n| n.n_excluded as i64)).collect()),
        ));
        let mut nc: ArrayCols = vec![
            (
                "price".into(),
                f64_array(
                    results
                        .iter()
                        .flat_map(|r| r.nms.as_ref().map(|n| n.price.clone()).unwrap_or_default())
                        .collect(),
                ),
            ),
            (
                "reach".into(),
                f64_array(
                    results
                        .iter()
                        .flat_map(|r| r.nms.as_ref().map(|n| n.reach.clone()).unwrap_or_default())
                        .collect(),
                ),
            ),
            (
                "revenue".into(),
                f64_array(
                    results
                        .iter()
                        .flat_map(|r| r.nms.as_ref().map(|n| n.revenue.clone()).unwrap_or_default())
                        .collect(),
                ),
            ),
        ];
        if cost.is_some() {
            nc.push((
                "profit".into(),
                f64_array(
                    results
                        .iter()
                        .flat_map(|r| r.nms.as_ref().and_then(|n| n.profit.clone()).unwrap_or_default())
                        .collect(),
                ),
            ));
        }
        groups.prepend(
            &mut nc,
            &results.iter().map(|r| r.nms.as_ref().map_or(0, |n| n.price.len())).collect::<Vec<_>>(),
        )?;
        let (mut kind, mut price, mut value, mut lo, mut hi) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for r in &results {
            let opts = r
                .nms
                .as_ref()
                .map(|n| [Some(n.reach_optimal), Some(n.revenue_optimal), n.profit_optimal])
                .unwrap_or([None; 3]);
            for (k, label) in ["reach", "revenue", "profit"].iter().enumerate() {
                kind.push(label.to_string());
                let (p, v) = opt_pair(opts[k]);
                price.push(p);
                value.push(v);
                let (l, h) = r.intervals.as_ref().map_or((f64::NAN, f64::NAN), |i| i.nms[k]);
                lo.push(l);
                hi.push(h);
            }
        }
        let mut no: ArrayCols = vec![
            ("objective".into(), str_array(kind)),
            ("price".into(), f64_array(price)),
            ("value".into(), f64_array(value)),
            ("ci_low".into(), f64_array(lo)),
            ("ci_high".into(), f64_array(hi)),
        ];
        groups.prepend(&mut no, &vec![3; results.len()])?;
        d.set_item("nms", batch_py(py, nc)?)?;
        d.set_item("nms_optima", batch_py(py, no)?)?;
    }
    groups.prepend(&mut counts, &vec![1; results.len()])?;
    d.set_item("curves", batch_py(py, curves)?)?;
    d.set_item("points", batch_py(py, points)?)?;
    d.set_item("counts", batch_py(py, counts)?)?;
    d.set_item("ranges", batch_py(py, ranges)?)?;
    let mut warnings = groups.warnings.clone();
    for ((label, _), r) in groups.parts.iter().zip(&results) {
        for w in &r.warnings {
            warnings.push(if label.is_empty() { w.clone() } else { format!("{label}: {w}") });
        }
    }
    d.set_item("warnings", warnings)?;
    put_rows(py, &d, &log)?;
    Ok(d)
}

/// Gabor-Granger on long-format answers.
#[pyfunction]
#[pyo3(signature = (table, price, buy, respondent=None, weights=None, cost=0.0, fixed_cost=0.0, market_size=None, nonmonotone="first_refusal", missing="raise"))]
#[allow(clippy::too_many_arguments)]
fn gabor_granger<'py>(
    py: Python<'py>,
    table: PyTable,
    price: &str,
    buy: &str,
    respondent: Option<&str>,
    weights: Option<&str>,
    cost: f64,
    fixed_cost: f64,
    market_size: Option<f64>,
    nonmonotone: &str,
    missing: &str,
) -> CvResult<Bound<'py, PyDict>> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let rule = NonMonotone::parse(nonmonotone)?;
    let econ = Economics { cost, fixed_cost, market_size };
    let (g, levels, log) = detach(py, || -> Result<_> {
        let mut p = t.float(price)?;
        let mut b = t.flag(buy)?;
        let mut r = read_opt_cat(&t, respondent)?;
        let mut w = read_opt_float(&t, weights)?;
        let mut rows: Vec<&mut dyn Rows> = vec![&mut p, &mut b];
        if let Some(x) = r.as_mut() {
            rows.push(x);
        }
        if let Some(x) = w.as_mut() {
            rows.push(x);
        }
        let log = missing_all(rows, missing)?;
        let levels = r.as_ref().map(|c| c.levels.clone());
        let g = gg::gabor_granger(
            &p,
            &b,
            r.as_ref().map(|c| (&c.codes, c.levels.len())),
            w.as_ref(),
            &econ,
            rule,
        )?;
        Ok((g, levels, log))
    })?;
    let cols: ArrayCols = vec![
        ("price".into(), f64_array(g.price.clone())),
        ("demand".into(), f64_array(g.demand.clone())),
        ("share".into(), f64_array(g.share.clone())),
        ("revenue".into(), f64_array(g.revenue.clone())),
        ("profit".into(), f64_array(g.profit.clone())),
    ];
    let d = PyDict::new(py);
    d.set_item("table", batch_py(py, cols)?)?;
    if let Some(levels) = levels {
        let rc: ArrayCols = vec![
            ("respondent".into(), str_array(levels)),
            ("highest_accepted_price".into(), f64_array(g.highest_accepted.clone())),
        ];
        d.set_item("respondents", batch_py(py, rc)?)?;
    }
    let opt = |i: Option<usize>| i.map(|i| g.price[i]);
    d.set_item("revenue_optimal_price", opt(g.revenue_optimal))?;
    d.set_item("profit_optimal_price", opt(g.profit_optimal))?;
    d.set_item("n", g.n)?;
    d.set_item("n_nonmonotone", g.n_nonmonotone)?;
    d.set_item("n_no_purchase", g.n_no_purchase)?;
    put_rows(py, &d, &log)?;
    d.set_item("warnings", g.warnings.clone())?;
    Ok(d)
}

/// Fits a price-response model.
#[pyfunction]
#[pyo3(signature = (table, price, quantity, model="linear", weights=None, saturation=None, missing="raise"))]
#[allow(clippy::too_many_arguments)]
fn fit_price_response<'py>(
    py: Python<'py>,
    table: PyTable,
    price: &str,
    quantity: &str,
    model: &str,
    weights: Option<&str>,
    saturation: Option<f64>,
    missing: &str,
) -> CvResult<Bound<'py, PyDict>> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let m = Model::parse(model, saturation)?;
    let (f, log) = detach(py, || -> Result<_> {
        let mut p = t.float(price)?;
        let mut q = t.float(quantity).or_else(|e| {
            t.flag(quantity)
                .map(|b| Column {
                    name: b.name,
                    values: b.values.iter().map(|v| f64::from(u8::from(*v))).collect(),
                    valid: b.valid,
                })
                .map_err(|_| e)
        })?;
        let mut w = read_opt_float(&t, weights)?;
        let mut rows: Vec<&mut dyn Rows> = vec![&mut p, &mut q];
        if let Some(x) = w.as_mut() {
            rows.push(x);
        }
        let log = missing_all(rows, missing)?;
        Ok((price_response::fit(m, &p, &q, w.as_ref())?, log))
    })?;
    let d = PyDict::new(py);
    d.set_item("names", m.param_names().to_vec())?;
    d.set_item("params", f.params.to_vec())?;
    d.set_item("cov", f.cov.iter().map(|r| r.to_vec()).collect::<Vec<_>>())?;
    d.set_item("n", f.n)?;
    d.set_item("log_likelihood", f.log_likelihood)?;
    d.set_item("iterations", f.iterations)?;
    put_rows(py, &d, &log)?;
    Ok(d)
}

/// q(p) and the elasticity at each price for a model with known parameters.
#[pyfunction]
#[pyo3(signature = (model, params, prices, saturation=None))]
fn price_response_eval(
    model: &str,
    params: (f64, f64),
    prices: Vec<f64>,
    saturation: Option<f64>,
) -> CvResult<(Vec<f64>, Vec<f64>)> {
    let m = Model::parse(model, saturation)?;
    let pr = [params.0, params.1];
    Ok((
        prices.iter().map(|p| m.predict(pr, *p)).collect(),
        prices.iter().map(|p| m.elasticity(pr, *p)).collect(),
    ))
}

/// The closed-form profit-optimal price.
#[pyfunction]
#[pyo3(signature = (model, params, cost=0.0, saturation=None))]
fn price_response_optimal(
    model: &str,
    params: (f64, f64),
    cost: f64,
    saturation: Option<f64>,
) -> CvResult<f64> {
    let m = Model::parse(model, saturation)?;
    Ok(m.optimal_price([params.0, params.1], cost)?)
}

/// Elasticities between consecutive prices.
#[pyfunction]
#[pyo3(signature = (prices, quantities, kind="point"))]
fn elasticities(prices: Vec<f64>, quantities: Vec<f64>, kind: &str) -> CvResult<Vec<f64>> {
    Ok(elasticity::between(&prices, &quantities, Kind::parse(kind)?))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(demand_curve, m)?)?;
    m.add_function(wrap_pyfunction!(premium_test, m)?)?;
    m.add_function(wrap_pyfunction!(van_westendorp, m)?)?;
    m.add_function(wrap_pyfunction!(gabor_granger, m)?)?;
    m.add_function(wrap_pyfunction!(fit_price_response, m)?)?;
    m.add_function(wrap_pyfunction!(price_response_eval, m)?)?;
    m.add_function(wrap_pyfunction!(price_response_optimal, m)?)?;
    m.add_function(wrap_pyfunction!(elasticities, m)?)?;
    Ok(())
}
