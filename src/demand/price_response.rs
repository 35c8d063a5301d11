//! Fitted price-response models and their closed-form optimal prices.
//!
//! * `Linear`: q(p) = a - b p, fitted by (weighted) least squares. Optimal price
//!   (p_max + c) / 2 with p_max = a / b; elasticity -b p / (a - b p).
//! * `ConstantElasticity`: q(p) = A p^(-e), fitted by least squares on log q = log A - e log p.
//!   Optimal price c e / (e - 1) (only for e > 1); elasticity -e.
//! * `Logit`: q(p) = s / (1 + exp(a + b p)) with saturation s. With s known (1 for shares and
//!   0/1 answers), fitted by maximum (binomial quasi-) likelihood on q / s in [0, 1] with
//!   Newton-Raphson; with s unknown (unit sales), by weighted nonlinear least squares on all three
//!   parameters ([`fit_logit3`], Phillips' three-parameter logit); optimal price
//!   c + (1 + W(exp(-(a + b c) - 1))) / b with W the Lambert W function; elasticity
//!   -b p (1 - q / s).
//!
//! Elasticities here are signed (negative for demand that falls with price).
//! References: Phillips (2005), *Pricing and Revenue Optimization*, ch. 3; Nagle & Muller,
//! *The Strategy and Tactics of Pricing*.

use crate::error::{Error, Result};
use crate::stats::special::lambert_w0;
use crate::table::{Column, Output, RowLog};

/// A price-response model family.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// q = a - b p.
    Linear,
    /// q = A p^(-e).
    ConstantElasticity,
    /// q = s / (1 + exp(a + b p)).
    Logit {
        /// Saturation (the share reached at very low prices).
        saturation: f64,
    },
}

impl Model {
    /// Parses a model name; `saturation` applies to the logit.
    pub fn parse(name: &str, saturation: Option<f64>) -> Result<Self> {
        match name {
            "linear" => Ok(Model::Linear),
            "constant_elasticity" => Ok(Model::ConstantElasticity),
            "logit" => {
                let s = saturation.unwrap_or(1.0);
                if !(s > 0.0 && s.is_finite()) {
                    return Err(Error::parameter("saturation", format!("must be positive, got {s}")));
                }
                Ok(Model::Logit { saturation: s })
            }
            o => Err(Error::parameter(
                "model",
                format!("must be 'linear', 'constant_elasticity' or 'logit', got '{o}'"),
            )),
        }
    }

    /// The names of the two parameters.
    pub fn param_names(&self) -> [&'static str; 2] {
        match self {
            Model::Linear => ["a", "b"],
            Model::ConstantElasticity => ["A", "e"],
            Model::Logit { .. } => ["a", "b"],
        }
    }

    /// q(p).
    pub fn predict(&self, params: [f64; 2], p: f64) -> f64 {
        let [x, y] = params;
        match self {
            Model::Linear => x - y * p,
            Model::ConstantElasticity => x * p.powf(-y),
            Model::Logit { saturation } => saturation / (1.0 + (x + y * p).exp()),
        }
    }

    /// Price elasticity (dq/dp)(p/q), signed.
    pub fn elasticity(&self, params: [f64; 2], p: f64) -> f64 {
        let [x, y] = params;
        match self {
            Model::Linear => -y * p / (x - y * p),
            Model::ConstantElasticity => -y,
            Model::Logit { saturation } => {
                let q = self.predict(params, p);
                -y * p * (1.0 - q / saturation)
            }
        }
    }

    /// The price maximising (p - c) q(p), in closed form.
    pub fn optimal_price(&self, params: [f64; 2], cost: f64) -> Result<f64> {
        if !cost.is_finite() || cost < 0.0 {
            return Err(Error::parameter("cost", format!("must be finite and non-negative, got {cost}")));
        }
        let [x, y] = params;
        match self {
            Model::Linear => {
                if y <= 0.0 {
                    return Err(Error::parameter("model", format!("the fitted slope b = {y} does not make demand fall with price: no finite optimum")));
                }
                let p_max = x / y;
                if cost >= p_max {
                    return Err(Error::parameter(
                        "cost",
                        format!(
                            "{cost} is at or above the choke price a/b = {p_max}: nothing sells at a profit"
                        ),
                    ));
                }
                Ok((p_max + cost) / 2.0)
            }
            Model::ConstantElasticity => {
                if y <= 1.0 {
                    return Err(Error::parameter("model", format!("elasticity e = {y} <= 1 (inelastic demand): profit rises without limit as price rises, no finite optimum")));
                }
                if cost <= 0.0 {
                    return Err(Error::parameter("cost", "with zero cost and elastic demand, revenue rises without limit as price falls: give a positive cost"));
                }
                Ok(cost * y / (y - 1.0))
            }
            Model::Logit { .. } => {
                if y <= 0.0 {
                    return Err(Error::parameter(
                        "model",
                        format!("b = {y} does not make demand fall with price: no finite optimum"),
                    ));
                }
                let z = -(x + y * cost) - 1.0;
                // W(exp(z)) for large z without overflow: W(e^z) ~ z - ln z
                let w = if z > 700.0 { solve_w_of_exp(z) } else { lambert_w0(z.exp()) };
                Ok(cost + (1.0 + w) / y)
            }
        }
    }
}

/// W(e^z) for large z: solves w + ln w = z by Newton's method.
fn solve_w_of_exp(z: f64) -> f64 {
    let mut w = z - z.ln();
    for _ in 0..50 {
        let step = (w + w.ln() - z) / (1.0 + 1.0 / w);
        w -= step;
        if step.abs() < 1e-14 * w {
            break;
        }
    }
    w
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The family.
    pub model: Model,
    /// The two parameters (see [`Model::param_names`]).
    pub params: [f64; 2],
    /// Their covariance matrix.
    pub cov: [[f64; 2]; 2],
    /// Observations used.
    pub n: usize,
    /// Log-likelihood: Gaussian (with the ML variance) for the least-squares fits; the binomial
    /// log-likelihood sum w [y log q + (1 - y) log(1 - q)] for the logit (no binomial
    /// coefficient, since y may be a share).
    pub log_likelihood: f64,
    /// Newton iterations (logit; 0 for closed-form fits).
    pub iterations: usize,
}

impl Fit {
    /// Standard errors.
    pub fn standard_errors(&self) -> [f64; 2] {
        [self.cov[0][0].max(0.0).sqrt(), self.cov[1][1].max(0.0).sqrt()]
    }
}

fn inv2(m: [[f64; 2]; 2]) -> Option<[[f64; 2]; 2]> {
    let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    if !det.is_finite() || det.abs() < 1e-300 {
        return None;
    }
    Some([[m[1][1] / det, -m[0][1] / det], [-m[1][0] / det, m[0][0] / det]])
}

/// Weighted least squares of y on (1, x): coefficients, covariance, Gaussian log-likelihood.
fn wls(x: &[f64], y: &[f64], w: &[f64], what: &str) -> Result<([f64; 2], [[f64; 2]; 2], f64)> {
    let (mut s0, mut s1, mut s2, mut t0, mut t1) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for ((xi, yi), wi) in x.iter().zip(y).zip(w) {
        s0 += wi;
        s1 += wi * xi;
        s2 += wi * xi * xi;
        t0 += wi * yi;
        t1 += wi * xi * yi;
    }
    let inv = inv2([[s0, s1], [s1, s2]])
        .ok_or_else(|| Error::input(what, "needs at least two distinct prices to fit a slope"))?;
    let b0 = inv[0][0] * t0 + inv[0][1] * t1;
    let b1 = inv[1][0] * t0 + inv[1][1] * t1;
    let rss: f64 = x.iter().zip(y).zip(w).map(|((xi, yi), wi)| wi * (yi - b0 - b1 * xi).powi(2)).sum();
    let n = x.len() as f64;
    let sigma2 = if n > 2.0 { rss / (n - 2.0) } else { f64::NAN };
    let cov = inv.map(|r| r.map(|v| v * sigma2));
    let ml_var = (rss / s0).max(1e-300);
    let ll = -0.5 * s0 * ((2.0 * std::f64::consts::PI * ml_var).ln() + 1.0);
    Ok(([b0, b1], cov, ll))
}

/// Checks the prices (positive) and weights (non-negative, finite) of a fit and returns the
/// weights (ones without a column).
fn positive_prices_and_weights(price: &Column<f64>, weights: Option<&Column<f64>>) -> Result<Vec<f64>> {
    super::check_positive(price)?;
    match weights {
        Some(c) => {
            super::check_weights(c)?;
            Ok(c.values.to_vec())
        }
        None => Ok(vec![1.0; price.len()]),
    }
}

/// Fits `model` to (price, quantity) observations with optional weights.
pub fn fit(
    model: Model,
    price: &Column<f64>,
    quantity: &Column<f64>,
    weights: Option<&Column<f64>>,
) -> Result<Fit> {
    let n = price.len();
    if n == 0 {
        return Err(Error::input(&price.name, "no observations"));
    }
    if n < 2 {
        return Err(Error::input(&price.name, "needs at least two observations"));
    }
    let w = positive_prices_and_weights(price, weights)?;
    let p = &price.values;
    let q = &quantity.values;
    match model {
        Model::Linear => {
            let ([b0, b1], cov, ll) = wls(p, q, &w, &price.name)?;
            // q = a - b p: a = b0, b = -b1; var(b) = var(b1), cov(a, b) = -cov(b0, b1)
            Ok(Fit {
                model,
                params: [b0, -b1],
                cov: [[cov[0][0], -cov[0][1]], [-cov[1][0], cov[1][1]]],
                n,
                log_likelihood: ll,
                iterations: 0,
            })
        }
        Model::ConstantElasticity => {
            if let Some((i, v)) = q.iter().enumerate().find(|(_, v)| **v <= 0.0) {
                return Err(Error::input(
                    &quantity.name,
                    format!("the constant-elasticity model needs positive quantities; row {i} holds {v}"),
                ));
            }
            let lp: Vec<f64> = p.iter().map(|v| v.ln()).collect();
            let lq: Vec<f64> = q.iter().map(|v| v.ln()).collect();
            let ([b0, b1], cov, ll) = wls(&lp, &lq, &w, &price.name)?;
            let a = b0.exp();
            // delta method for A = exp(b0); e = -b1
            let cov = [[a * a * cov[0][0], -a * cov[0][1]], [-a * cov[1][0], cov[1][1]]];
            Ok(Fit { model, params: [a, -b1], cov, n, log_likelihood: ll, iterations: 0 })
        }
        Model::Logit { saturation } => {
            let y: Vec<f64> = q.iter().map(|v| v / saturation).collect();
            if let Some((i, v)) = y.iter().enumerate().find(|(_, v)| !(0.0..=1.0).contains(*v)) {
                return Err(Error::input(
                    &quantity.name,
                    format!(
                        "the logit model needs shares in [0, saturation]; row {i} holds {}",
                        v * saturation
                    ),
                ));
            }
            logit(p, &y, &w, saturation, &quantity.name).map(|(params, cov, ll, it)| Fit {
                model,
                params,
                cov,
                n,
                log_likelihood: ll,
                iterations: it,
            })
        }
    }
}

type LogitFit = ([f64; 2], [[f64; 2]; 2], f64, usize);

/// The logit likelihood has a finite maximum only when buying and not buying overlap in price
/// (Albert & Anderson 1984): with one price variable, (quasi-)complete separation means every
/// price with some buying lies at or below every price with some refusal, or the reverse.
fn check_overlap(p: &[f64], y: &[f64], w: &[f64]) -> Result<()> {
    let (mut buy, mut refuse) = ((f64::INFINITY, f64::NEG_INFINITY), (f64::INFINITY, f64::NEG_INFINITY));
    for ((&pi, &yi), &wi) in p.iter().zip(y).zip(w) {
        if wi <= 0.0 {
            continue;
        }
        if yi > 0.0 {
            buy = (buy.0.min(pi), buy.1.max(pi));
        }
        if yi < 1.0 {
            refuse = (refuse.0.min(pi), refuse.1.max(pi));
        }
    }
    if buy.0 > buy.1 || refuse.0 > refuse.1 {
        let what = if buy.0 > buy.1 { "nobody buys" } else { "everybody buys" };
        return Err(Error::convergence("logit fit", format!("{what} at every price shown, so no price response can be estimated; show prices where answers differ")));
    }
    if buy.1 <= refuse.0 || refuse.1 <= buy.0 {
        return Err(Error::convergence(
            "logit fit",
            format!(
                "buy and no-buy are perfectly separated by price (buying at {}..{}, refusing at {}..{}): the maximum-likelihood estimate does not exist; show prices where answers overlap or use the linear model",
                buy.0, buy.1, refuse.0, refuse.1
            ),
        ));
    }
    Ok(())
}

/// Newton-Raphson for y ~ 1 / (1 + exp(a + b p)), with step halving.
fn logit(p: &[f64], y: &[f64], w: &[f64], _saturation: f64, name: &str) -> Result<LogitFit> {
    check_overlap(p, y, w)?;
    let loglik = |a: f64, b: f64| -> f64 {
        p.iter()
            .zip(y)
            .zip(w)
            .map(|((pi, yi), wi)| {
                let eta = a + b * pi; // log((1 - q) / q)
                                      // log q = -log(1 + e^eta), log(1 - q) = eta - log(1 + e^eta)
                let l1p = if eta > 0.0 { eta + (-eta).exp().ln_1p() } else { eta.exp().ln_1p() };
                wi * (yi * (-l1p) + (1.0 - yi) * (eta - l1p))
            })
            .sum()
    };
    // start from least squares on the empirical logit
    let z: Vec<f64> = y
        .iter()
        .map(|v| {
            let v = v.clamp(0.01, 0.99);
            ((1.0 - v) / v).ln()
        })
        .collect();
    let mut theta = wls(p, &z, w, name).map(|r| r.0).unwrap_or([0.0, 0.0]);
    let mut ll = loglik(theta[0], theta[1]);
    for it in 1..=200 {
        let (mut g0, mut g1, mut h00, mut h01, mut h11) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for ((pi, yi), wi) in p.iter().zip(y).zip(w) {
            let q = 1.0 / (1.0 + (theta[0] + theta[1] * pi).exp());
            // d ll / d eta = w (q - y) ... since d log q / d eta = -(1 - q), d log(1-q) / d eta = q
            let r = wi * (q - yi);
            g0 += r;
            g1 += r * pi;
            let v = wi * q * (1.0 - q);
            h00 += v;
            h01 += v * pi;
            h11 += v * pi * pi;
        }
        let Some(inv) = inv2([[h00, h01], [h01, h11]]) else {
            return Err(Error::convergence("logit fit", "the information matrix is singular: buy and no-buy may be perfectly separated by price, all answers may be the same, or only one price was shown; use more prices or the linear model"));
        };
        let step = [inv[0][0] * g0 + inv[0][1] * g1, inv[1][0] * g0 + inv[1][1] * g1];
        let mut t = 1.0;
        let mut accepted = false;
        for _ in 0..40 {
            let cand = [theta[0] + t * step[0], theta[1] + t * step[1]];
            let l = loglik(cand[0], cand[1]);
            if l >= ll - 1e-12 * ll.abs() {
                theta = cand;
                let done = (l - ll).abs() <= 1e-13 * (1.0 + ll.abs())
                    && step[0].abs().max(step[1].abs()) * t
                        < 1e-9 * (1.0 + theta[0].abs().max(theta[1].abs()));
                ll = l;
                accepted = true;
                if done {
                    return finish(theta, h00, h01, h11, ll, it);
                }
                break;
            }
            t /= 2.0;
        }
        if !accepted || !theta.iter().all(|v| v.is_finite()) {
            break;
        }
        if theta.iter().any(|v| v.abs() > 1e8) {
            return Err(Error::convergence("logit fit", "parameters diverge: buy and no-buy are perfectly separated by price; use more prices or the linear model"));
        }
    }
    // converged to the tolerance the step halving allows, or not at all
    let grad_small = {
        let (mut g0, mut g1) = (0.0, 0.0);
        for ((pi, yi), wi) in p.iter().zip(y).zip(w) {
            let q = 1.0 / (1.0 + (theta[0] + theta[1] * pi).exp());
            g0 += wi * (q - yi);
            g1 += wi * (q - yi) * pi;
        }
        g0.abs() + g1.abs() < 1e-6 * w.iter().sum::<f64>()
    };
    if grad_small {
        let (mut h00, mut h01, mut h11) = (0.0, 0.0, 0.0);
        for (pi, wi) in p.iter().zip(w) {
            let q = 1.0 / (1.0 + (theta[0] + theta[1] * pi).exp());
            let v = wi * q * (1.0 - q);
            h00 += v;
            h01 += v * pi;
            h11 += v * pi * pi;
        }
        return finish(theta, h00, h01, h11, ll, 200);
    }
    Err(Error::convergence(
        "logit fit",
        "no convergence in 200 Newton steps; check that the share falls with price, or rescale prices",
    ))
}

fn finish(theta: [f64; 2], h00: f64, h01: f64, h11: f64, ll: f64, it: usize) -> Result<LogitFit> {
    let cov = inv2([[h00, h01], [h01, h11]]).unwrap_or([[f64::NAN; 2]; 2]);
    Ok((theta, cov, ll, it))
}

/// The saturation of a logit price response.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Saturation {
    /// Known (the market size, or 1 for shares).
    Known(f64),
    /// Estimated with the other two parameters (Phillips' three-parameter logit).
    Estimate,
    /// 1 for shares and 0/1 answers (every quantity in [0, 1]), estimated for unit sales.
    Auto,
}

/// A three-parameter logit fit q = s / (1 + exp(a + b p)): (a, b, s), their covariance, the
/// Gaussian log-likelihood and the iterations.
#[derive(Debug, Clone, PartialEq)]
pub struct Logit3 {
    /// a, b and the saturation s.
    pub params: [f64; 3],
    /// Their covariance: s^2 (J'WJ)^-1 with s^2 = SSR / (n - 3) (NaN with three points).
    pub cov: [[f64; 3]; 3],
    /// Observations used.
    pub n: usize,
    /// Gaussian log-likelihood at the ML variance SSR / sum(w).
    pub log_likelihood: f64,
    /// Levenberg-Marquardt iterations.
    pub iterations: usize,
}

/// Solves the 3x3 system m x = v (Gaussian elimination with partial pivoting); None when
/// singular.
fn solve3(mut m: [[f64; 3]; 3], mut v: [f64; 3]) -> Option<[f64; 3]> {
    for c in 0..3 {
        let piv = (c..3).max_by(|x, y| m[*x][c].abs().total_cmp(&m[*y][c].abs()))?;
        if m[piv][c].is_nan() || m[piv][c].abs() <= 1e-300 {
            return None;
        }
        m.swap(c, piv);
        v.swap(c, piv);
        let pivot = m[c];
        for r in c + 1..3 {
            let f = m[r][c] / pivot[c];
            for (x, p) in m[r].iter_mut().zip(pivot).skip(c) {
                *x -= f * p;
            }
            v[r] -= f * v[c];
        }
    }
    let mut x = [0.0; 3];
    for c in (0..3).rev() {
        let tail: f64 = (c + 1..3).map(|k| m[c][k] * x[k]).sum();
        x[c] = (v[c] - tail) / m[c][c];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// Fits q = s / (1 + exp(a + b p)) with the saturation s unknown (Phillips 2005, ch. 3), by
/// weighted nonlinear least squares (Levenberg-Marquardt, analytic Jacobian), from a start at
/// s = 1.1 max q and (a, b) by least squares on the empirical logit. Needs three distinct
/// prices; quantities are unit sales (or any non-negative amount).
pub fn fit_logit3(
    price: &Column<f64>,
    quantity: &Column<f64>,
    weights: Option<&Column<f64>>,
) -> Result<Logit3> {
    let n = price.len();
    let w = positive_prices_and_weights(price, weights)?;
    let (p, q) = (&price.values, &quantity.values);
    if let Some((i, v)) = q.iter().enumerate().find(|(_, v)| **v < 0.0) {
        return Err(Error::input(
            &quantity.name,
            format!("quantities must be non-negative; row {i} holds {v}"),
        ));
    }
    let mut distinct: Vec<f64> = p.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    if distinct.len() < 3 {
        return Err(Error::input(
            &price.name,
            "estimating the saturation needs at least three distinct prices",
        ));
    }
    let top = q.iter().copied().fold(0.0, f64::max);
    if top <= 0.0 {
        return Err(Error::input(&quantity.name, "every quantity is zero: nothing to fit"));
    }
    let curve = |t: &[f64; 3], pi: f64| t[2] / (1.0 + (t[0] + t[1] * pi).exp());
    let ssr = |t: &[f64; 3]| -> f64 {
        p.iter().zip(q.iter()).zip(&w).map(|((pi, qi), wi)| wi * (qi - curve(t, *pi)).powi(2)).sum()
    };
    // J'WJ and J'W r at theta, with r = q - f
    let normal = |t: &[f64; 3]| -> ([[f64; 3]; 3], [f64; 3]) {
        let (mut a, mut g) = ([[0.0; 3]; 3], [0.0; 3]);
        for ((pi, qi), wi) in p.iter().zip(q.iter()).zip(&w) {
            let gl = 1.0 / (1.0 + (t[0] + t[1] * pi).exp());
            let d = -t[2] * gl * (1.0 - gl);
            let j = [d, d * pi, gl];
            let r = qi - t[2] * gl;
            for x in 0..3 {
                g[x] += wi * j[x] * r;
                for y in 0..3 {
                    a[x][y] += wi * j[x] * j[y];
                }
            }
        }
        (a, g)
    };
    let s0 = 1.1 * top;
    let z: Vec<f64> =
        q.iter().map(|v| (v / s0).clamp(1e-3, 1.0 - 1e-3)).map(|v| ((1.0 - v) / v).ln()).collect();
    let [a0, b0] = wls(p, &z, &w, &price.name).map(|r| r.0)?;
    let mut theta = [a0, b0, s0];
    let mut cost = ssr(&theta);
    let mut lambda = 1e-3;
    for it in 1..=1000 {
        let (a, g) = normal(&theta);
        let mut accepted = false;
        for _ in 0..60 {
            let mut m = a;
            for (k, row) in m.iter_mut().enumerate() {
                row[k] += lambda * a[k][k].max(1e-12);
            }
            let Some(step) = solve3(m, g) else {
                lambda *= 10.0;
                continue;
            };
            let cand = [theta[0] + step[0], theta[1] + step[1], theta[2] + step[2]];
            let c = if cand[2] > 0.0 { ssr(&cand) } else { f64::INFINITY };
            if c <= cost {
                let small = step.iter().zip(&cand).all(|(d, v)| d.abs() <= 1e-10 * (1.0 + v.abs()));
                let flat = cost - c <= 1e-14 * (1.0 + cost);
                theta = cand;
                cost = c;
                lambda = (lambda / 10.0).max(1e-15);
                accepted = true;
                if small || flat {
                    return logit3_finish(theta, normal(&theta).0, cost, &w, n, it);
                }
                break;
            }
            lambda *= 10.0;
        }
        if !accepted {
            // no step lowers the sum of squares: a minimum to the precision of the data
            return logit3_finish(theta, a, cost, &w, n, it);
        }
    }
    Err(Error::convergence(
        "three-parameter logit fit",
        "no convergence in 1000 steps; check that quantities fall with price, or give saturation=",
    ))
}

fn logit3_finish(
    theta: [f64; 3],
    jtj: [[f64; 3]; 3],
    ssr: f64,
    w: &[f64],
    n: usize,
    it: usize,
) -> Result<Logit3> {
    if theta.iter().any(|v| !v.is_finite()) || theta[2] <= 0.0 {
        return Err(Error::convergence(
            "three-parameter logit fit",
            "the saturation runs off; give saturation=",
        ));
    }
    let sigma2 = if n > 3 { ssr / (n as f64 - 3.0) } else { f64::NAN };
    let mut cov = [[f64::NAN; 3]; 3];
    for k in 0..3 {
        let mut e = [0.0; 3];
        e[k] = 1.0;
        if let Some(col) = solve3(jtj, e) {
            for r in 0..3 {
                cov[r][k] = col[r] * sigma2;
            }
        }
    }
    let sw: f64 = w.iter().sum();
    let ml_var = (ssr / sw).max(1e-300);
    let log_likelihood = -0.5 * sw * ((2.0 * std::f64::consts::PI * ml_var).ln() + 1.0);
    Ok(Logit3 { params: theta, cov, n, log_likelihood, iterations: it })
}

/// Fits `name` ("linear", "constant_elasticity" or "logit") and returns the output every
/// analysis hands back: names, params, cov, log_likelihood, iterations, n, and the saturation
/// used (estimated or given). A logit with [`Saturation::Auto`] takes s = 1 when every quantity
/// is a share in [0, 1] and estimates s for unit sales.
pub fn analyse(
    name: &str,
    saturation: Saturation,
    price: &Column<f64>,
    quantity: &Column<f64>,
    weights: Option<&Column<f64>>,
    rows: RowLog,
) -> Result<Output> {
    let estimate = name == "logit"
        && match saturation {
            Saturation::Estimate => true,
            Saturation::Known(_) => false,
            Saturation::Auto => quantity.values.iter().any(|v| *v > 1.0),
        };
    if estimate {
        let f = fit_logit3(price, quantity, weights)?;
        let cov = f.cov.iter().map(|r| r.to_vec()).collect();
        return Ok(Output::new(rows)
            .fitted(&["a", "b", "saturation"], &f.params, cov, f.log_likelihood, f.iterations)
            .value("n", f.n)
            .value("saturation", f.params[2]));
    }
    let known = match saturation {
        Saturation::Known(s) => Some(s),
        _ => None,
    };
    let m = Model::parse(name, known)?;
    let f = fit(m, price, quantity, weights)?;
    let cov = f.cov.iter().map(|r| r.to_vec()).collect();
    let s = match m {
        Model::Logit { saturation } => Some(saturation),
        _ => None,
    };
    Ok(Output::new(rows)
        .fitted(&m.param_names(), &f.params, cov, f.log_likelihood, f.iterations)
        .value("n", f.n)
        .value("saturation", s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_parameter_logit_recovers_exact_unit_sales() {
        let price: Vec<f64> = (1..=15).map(|k| 2.0 * f64::from(k)).collect();
        let q: Vec<f64> = price.iter().map(|p| 800.0 / (1.0 + (-4.0 + 0.25 * p).exp())).collect();
        let f = fit_logit3(&Column::new("price", price), &Column::new("units", q), None)
            .unwrap_or_else(|e| panic!("{e}"));
        for (got, want) in f.params.iter().zip([-4.0, 0.25, 800.0]) {
            assert!((got - want).abs() < 1e-6 * want.abs(), "{got} vs {want}");
        }
        assert_eq!(
            solve3([[2.0, 0.0, 0.0], [0.0, 4.0, 0.0], [1.0, 0.0, 1.0]], [2.0, 8.0, 3.0]),
            Some([1.0, 2.0, 2.0])
        );
        assert_eq!(solve3([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 0.0, 1.0]], [1.0, 2.0, 3.0]), None);
        let two = fit_logit3(
            &Column::new("price", vec![1.0, 2.0, 1.0]),
            &Column::new("units", vec![5.0, 3.0, 4.0]),
            None,
        );
        assert!(two.err().map(|e| e.to_string()).unwrap_or_default().contains("three distinct prices"));
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn golden_logit_optima() {
        let m = Model::Logit { saturation: 1.0 };
        let pr = [-8.0, 0.5];
        let p = m.optimal_price(pr, 6.0).unwrap_or(f64::NAN);
        assert!(close(p, 13.852542, 1e-6), "{p}");
        assert!(close(m.predict(pr, p), 0.745305, 1e-6));
        assert!(close(m.elasticity(pr, p), -1.764084, 1e-6));
        let r = m.optimal_price(pr, 0.0).unwrap_or(f64::NAN);
        assert!(close(r, 12.654357, 1e-6), "{r}");
    }

    #[test]
    fn golden_logit_with_saturation() {
        // P(p) = 0.33 / (1 + exp(-(8.3 - 0.97 p))), cost 3, fixed 5000, market 10000
        let m = Model::Logit { saturation: 0.33 };
        let pr = [-8.3, 0.97];
        let p = m.optimal_price(pr, 3.0).unwrap_or(f64::NAN);
        assert!(close(p, 7.351, 5e-4), "{p}");
        let profit = (p - 3.0) * 10_000.0 * m.predict(pr, p) - 5000.0;
        assert!(close(profit, 5956.25, 0.5), "{profit}");
    }

    #[test]
    fn golden_linear_and_constant_elasticity() {
        let lin = Model::Linear;
        assert!(close(lin.optimal_price([1000.0, 10.0], 0.0).unwrap_or(0.0), 50.0, 1e-12));
        assert!(close(lin.optimal_price([1000.0, 10.0], 20.0).unwrap_or(0.0), 60.0, 1e-12));
        let ce = Model::ConstantElasticity;
        assert!(close(ce.optimal_price([1.0, 2.154], 50.0).unwrap_or(0.0), 93.33, 0.005));
        assert!(ce.optimal_price([1.0, 0.9], 50.0).is_err());
    }

    #[test]
    fn recovers_logit_parameters_from_noiseless_shares() {
        let m = Model::Logit { saturation: 1.0 };
        let prices: Vec<f64> = (8..=24).map(f64::from).collect();
        let shares: Vec<f64> = prices.iter().map(|p| m.predict([-8.0, 0.5], *p)).collect();
        let f = fit(m, &Column::new("price", prices), &Column::new("share", shares), None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(close(f.params[0], -8.0, 1e-6) && close(f.params[1], 0.5, 1e-7), "{:?}", f.params);
    }

    #[test]
    fn linear_fit_matches_closed_form() {
        let p = Column::new("price", vec![1.0, 2.0, 3.0, 4.0]);
        let q = Column::new("q", vec![9.0, 7.5, 6.0, 3.5]);
        let f = fit(Model::Linear, &p, &q, None).unwrap_or_else(|e| panic!("{e}"));
        // by hand: mean p 2.5, mean q 6.5; Sxy = -9, Sxx = 5, so b = 1.8 and a = 6.5 + 1.8 x 2.5 = 11
        assert!(close(f.params[1], 1.8, 1e-12) && close(f.params[0], 11.0, 1e-12), "{:?}", f.params);
    }

    #[test]
    fn separated_answers_fail_with_advice() {
        let p = Column::new("price", vec![1.0, 2.0, 3.0, 4.0]);
        let q = Column::new("buy", vec![1.0, 1.0, 0.0, 0.0]);
        let e = fit(Model::Logit { saturation: 1.0 }, &p, &q, None);
        assert!(matches!(e, Err(Error::Convergence { .. })), "{e:?}");
        // the same at prices where Newton's likelihood flattens out before the parameters blow up
        let p = Column::new("price", vec![10.0, 20.0, 30.0, 40.0]);
        let e = fit(Model::Logit { saturation: 1.0 }, &p, &q, None);
        assert!(e.is_err_and(|e| e.to_string().contains("separated")));
        // quasi-complete separation: both answers only at the boundary price
        let p = Column::new("price", vec![10.0, 20.0, 20.0, 30.0]);
        let q = Column::new("buy", vec![1.0, 1.0, 0.0, 0.0]);
        assert!(fit(Model::Logit { saturation: 1.0 }, &p, &q, None).is_err());
        // overlap: a finite estimate
        let p = Column::new("price", vec![10.0, 20.0, 30.0, 40.0]);
        let q = Column::new("buy", vec![1.0, 0.0, 1.0, 0.0]);
        assert!(fit(Model::Logit { saturation: 1.0 }, &p, &q, None).is_ok());
    }
}
