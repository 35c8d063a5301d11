//! Demand curve analysis bindings: each reads its columns through [`Table::read`], runs the
//! core with the GIL released and hands back the core's [`Output`]. Defaults live in the
//! public Python signatures only; every argument here is explicit.

use pyo3::prelude::*;
use pyo3_arrow::PyTable;

use super::error::CvResult;
use super::io::{detach, table_of, with_progress};
use crate::demand::curve::{self, Economics};
use crate::demand::elasticity::{self, Kind as Elasticity};
use crate::demand::gabor_granger::{self as gg, NonMonotone};
use crate::demand::price_response::{self, Model, Saturation};
use crate::demand::van_westendorp::{self as vw, Crossing, PriceRange, Validate};
use crate::error::{Error, Result};
use crate::table::{Kind, Missing, Output, Spec};

/// WTP demand curve(s): tables "table" and "optima".
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn demand_curve(
    py: Python<'_>,
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
    progress: Option<Bound<'_, PyAny>>,
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let econ = Economics { cost, fixed_cost, market_size };
    let spec = Spec::new().col(wtp, Kind::Float).maybe(weights, Kind::Float).by(by);
    Ok(with_progress(py, progress.as_ref(), ci.is_some(), |pg| -> Result<_> {
        let inp = t.read(&spec, missing)?;
        curve::analyse(
            inp.float(0)?,
            inp.maybe_float(1)?,
            &inp.groups,
            &econ,
            ci,
            n_boot,
            seed,
            pg,
            inp.log.clone(),
        )
    })??)
}

/// The premium test on one table (no groups): table "table", one row.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn premium_test(
    py: Python<'_>,
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
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let econ = Economics { cost, fixed_cost: 0.0, market_size };
    let spec = Spec::new().col(wtp, Kind::Float).maybe(weights, Kind::Float);
    Ok(detach(py, || -> Result<_> {
        let inp = t.read(&spec, missing)?;
        let r = curve::premium_test(
            inp.float(0)?,
            inp.maybe_float(1)?,
            &econ,
            price_a,
            price_b,
            ci,
            n_boot,
            seed,
        )?;
        Output::new(inp.log.clone()).result("table", &r)
    })?)
}

/// Van Westendorp with optional NMS, groups and bootstrap: tables "curves", "points",
/// "ranges", "counts" (and "nms", "nms_optima").
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn van_westendorp(
    py: Python<'_>,
    table: PyTable,
    too_cheap: Option<&str>,
    cheap: &str,
    expensive: &str,
    too_expensive: &str,
    weights: Option<&str>,
    by: Option<&str>,
    validate: &str,
    range: &str,
    interpolate: bool,
    intersection: &str,
    intent_cheap: Option<&str>,
    intent_expensive: Option<&str>,
    calibration: Vec<(f64, f64)>,
    cost: Option<f64>,
    ci: Option<f64>,
    n_boot: usize,
    seed: u64,
    missing: &str,
    progress: Option<Bound<'_, PyAny>>,
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    if intent_cheap.is_some() != intent_expensive.is_some() {
        return Err(
            Error::parameter("nms", "give both the 'cheap' and the 'expensive' intent columns").into()
        );
    }
    // without the too-cheap question the cheap answers stand in its column (OPP and PMC are
    // then reported undefined, and validation skips that column)
    let (validate, too_cheap) = vw_validate(validate, too_cheap, cheap)?;
    let opts = vw::Options {
        validate,
        range: PriceRange::parse(range)?,
        crossing: Crossing::parse(interpolate, intersection)?,
        calibration,
        cost,
        ci: ci.map(|level| (level, n_boot)),
        seed,
    };
    // First without scanning the answers for NaN: the core rejects any answer that is not a
    // positive finite price. Any failure reruns with the scan, so the missing policy and the
    // messages are those of the full checks.
    let run = |kind: Kind| {
        let spec = vw_spec(
            [too_cheap, cheap, expensive, too_expensive],
            weights,
            intent_cheap,
            intent_expensive,
            by,
            kind,
        );
        with_progress(py, progress.as_ref(), ci.is_some(), |pg| -> Result<_> {
            let inp = t.read(&spec, missing)?;
            vw::analyse(&vw_columns(&inp)?, &inp.groups, &opts, pg, inp.log.clone())
        })
    };
    Ok(match run(Kind::FloatUnscanned) {
        Ok(Ok(done)) => done,
        Ok(Err(_)) => run(Kind::Float)??,
        Err(interrupted) => return Err(interrupted.into()),
    })
}

/// The columns of a Van Westendorp analysis: the four answers (read as `kind`), then weights,
/// the two NMS intents and the group column.
fn vw_spec<'a>(
    answers: [&'a str; 4],
    weights: Option<&'a str>,
    intent_cheap: Option<&'a str>,
    intent_expensive: Option<&'a str>,
    by: Option<&'a str>,
    kind: Kind,
) -> Spec<'a> {
    answers
        .iter()
        .fold(Spec::new(), |s, c| s.col(c, kind))
        .maybe(weights, Kind::Float)
        .maybe(intent_cheap, Kind::Float)
        .maybe(intent_expensive, Kind::Float)
        .by(by)
}

/// The answer, weight and intent columns [`vw_spec`] read.
fn vw_columns(inp: &crate::table::Inputs) -> Result<vw::Columns4<'_>> {
    let intents = match (inp.maybe_float(5)?, inp.maybe_float(6)?) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => None,
    };
    Ok(vw::Columns4 {
        prices: [inp.float(0)?, inp.float(1)?, inp.float(2)?, inp.float(3)?],
        weights: inp.maybe_float(4)?,
        intents,
    })
}

/// The validation rule, and the too-cheap column (the cheap one stands in for it when the
/// question was not asked; OPP and PMC are then reported undefined).
fn vw_validate<'a>(
    validate: &str,
    too_cheap: Option<&'a str>,
    cheap: &'a str,
) -> Result<(Validate, &'a str)> {
    let validate = Validate::parse(validate)?;
    Ok(match too_cheap {
        Some(name) => (validate, name),
        None => (validate.without_too_cheap(), cheap),
    })
}

/// The mergeable state of a Van Westendorp analysis: each group's answer histogram and
/// totals as rows (`vw::STATE_COLUMNS`), the map step of a distributed analysis.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn van_westendorp_state(
    py: Python<'_>,
    table: PyTable,
    too_cheap: Option<&str>,
    cheap: &str,
    expensive: &str,
    too_expensive: &str,
    weights: Option<&str>,
    by: Option<&str>,
    validate: &str,
    intent_cheap: Option<&str>,
    intent_expensive: Option<&str>,
    calibration: Vec<(f64, f64)>,
    missing: &str,
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    if intent_cheap.is_some() != intent_expensive.is_some() {
        return Err(
            Error::parameter("nms", "give both the 'cheap' and the 'expensive' intent columns").into()
        );
    }
    let (validate, too_cheap) = vw_validate(validate, too_cheap, cheap)?;
    let opts = vw::Options {
        validate,
        range: PriceRange::Original,
        crossing: Crossing::parse(false, "min")?,
        calibration,
        cost: None,
        ci: None,
        seed: 0,
    };
    let spec = vw_spec(
        [too_cheap, cheap, expensive, too_expensive],
        weights,
        intent_cheap,
        intent_expensive,
        by,
        Kind::Float,
    );
    Ok(detach(py, || -> Result<_> {
        let inp = t.read(&spec, missing)?;
        vw::states(&vw_columns(&inp)?, &inp.groups, &opts, inp.log.clone())
    })?)
}

/// Van Westendorp from states' rows (concatenated, in any order): the tables of
/// `van_westendorp`, without bootstrap intervals.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn van_westendorp_finish(
    py: Python<'_>,
    table: PyTable,
    too_cheap: Option<&str>,
    cheap: &str,
    expensive: &str,
    too_expensive: &str,
    by: Option<&str>,
    levels: Vec<String>,
    validate: &str,
    range: &str,
    interpolate: bool,
    intersection: &str,
    nms: bool,
    cost: Option<f64>,
    n_rows: usize,
) -> CvResult<Output> {
    let (batches, _) = table.into_inner();
    let (validate, too_cheap) = vw_validate(validate, too_cheap, cheap)?;
    let opts = vw::Options {
        validate,
        range: PriceRange::parse(range)?,
        crossing: Crossing::parse(interpolate, intersection)?,
        calibration: Vec::new(),
        cost,
        ci: None,
        seed: 0,
    };
    let names = [too_cheap, cheap, expensive, too_expensive];
    Ok(detach(py, || {
        vw::analyse_states(&batches, by, &levels, nms, &opts, &names, crate::table::RowLog::new(n_rows))
    })?)
}

/// Gabor-Granger on long-format answers: tables "table" (and "respondents") and the optima.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn gabor_granger(
    py: Python<'_>,
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
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    let rule = NonMonotone::parse(nonmonotone)?;
    let econ = Economics { cost, fixed_cost, market_size };
    let spec = Spec::new()
        .col(price, Kind::Float)
        .col(buy, Kind::Flag)
        .maybe(respondent, Kind::Category)
        .maybe(weights, Kind::Float);
    Ok(detach(py, || -> Result<_> {
        let inp = t.read(&spec, missing)?;
        let r = inp.maybe_category(2)?;
        let g = gg::gabor_granger(
            inp.float(0)?,
            inp.flag(1)?,
            r.map(|c| (&c.codes, c.levels.as_slice())),
            inp.maybe_float(3)?,
            &econ,
            rule,
        )?;
        gg::analyse(g, r.map(|c| c.levels.as_slice()), inp.log.clone())
    })?)
}

/// Fits a price-response model (a boolean quantity reads as 0/1). `saturation` is the logit's
/// known saturation; `estimate_saturation` estimates it; neither: 1 for shares, estimated for
/// unit sales.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn fit_price_response(
    py: Python<'_>,
    table: PyTable,
    price: &str,
    quantity: &str,
    model: &str,
    weights: Option<&str>,
    saturation: Option<f64>,
    estimate_saturation: bool,
    missing: &str,
) -> CvResult<Output> {
    let t = table_of(table);
    let missing = Missing::parse(missing)?;
    Model::parse(model, saturation)?; // the model's name and a given saturation, checked first
    let saturation = match (saturation, estimate_saturation) {
        (Some(s), false) => Saturation::Known(s),
        (None, true) => Saturation::Estimate,
        (None, false) => Saturation::Auto,
        (Some(_), true) => {
            return Err(
                Error::parameter("saturation", "give a saturation or ask for its estimate, not both").into()
            )
        }
    };
    let spec = Spec::new().col(price, Kind::Float).col(quantity, Kind::Float).maybe(weights, Kind::Float);
    Ok(detach(py, || -> Result<_> {
        let inp = t.read(&spec, missing)?;
        price_response::analyse(
            model,
            saturation,
            inp.float(0)?,
            inp.float(1)?,
            inp.maybe_float(2)?,
            inp.log.clone(),
        )
    })?)
}

/// q(p) and the elasticity at each price for a model with known parameters.
#[pyfunction]
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
fn elasticities(prices: Vec<f64>, quantities: Vec<f64>, kind: &str) -> CvResult<Vec<f64>> {
    Ok(elasticity::between(&prices, &quantities, Elasticity::parse(kind)?))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(demand_curve, m)?)?;
    m.add_function(wrap_pyfunction!(premium_test, m)?)?;
    m.add_function(wrap_pyfunction!(van_westendorp, m)?)?;
    m.add_function(wrap_pyfunction!(van_westendorp_state, m)?)?;
    m.add_function(wrap_pyfunction!(van_westendorp_finish, m)?)?;
    m.add_function(wrap_pyfunction!(gabor_granger, m)?)?;
    m.add_function(wrap_pyfunction!(fit_price_response, m)?)?;
    m.add_function(wrap_pyfunction!(price_response_eval, m)?)?;
    m.add_function(wrap_pyfunction!(price_response_optimal, m)?)?;
    m.add_function(wrap_pyfunction!(elasticities, m)?)?;
    Ok(())
}
