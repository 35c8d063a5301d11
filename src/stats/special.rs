//! Special functions.

/// The principal branch W0 of the Lambert W function for x >= -1/e: the w >= -1 with w e^w = x.
///
/// Halley's iteration from a starting point that is good on the whole branch (a series near the
/// branch point, log-based for large x); converges to machine precision in a few steps.
/// Returns NaN for x < -1/e. Reference: Corless et al. (1996), "On the Lambert W function",
/// Advances in Computational Mathematics 5, 329-359.
pub fn lambert_w0(x: f64) -> f64 {
    let branch = -(-1.0f64).exp();
    if x.is_nan() || x < branch {
        return f64::NAN;
    }
    if x == 0.0 {
        return 0.0;
    }
    if x.is_infinite() {
        return f64::INFINITY;
    }
    let mut w = if x < -0.3 {
        let p = (2.0 * (1.0 + std::f64::consts::E * x)).max(0.0).sqrt();
        -1.0 + p - p * p / 3.0
    } else if x < 3.0 {
        (1.0 + x).ln() * 0.8
    } else {
        let l = x.ln();
        l - l.ln().max(0.0)
    };
    for _ in 0..64 {
        let ew = w.exp();
        let f = w * ew - x;
        if f == 0.0 {
            break;
        }
        let wp1 = w + 1.0;
        if wp1.abs() < 1e-300 {
            break;
        }
        let step = f / (ew * wp1 - (w + 2.0) * f / (2.0 * wp1));
        w -= step;
        if step.abs() <= 1e-15 * (1.0 + w.abs()) {
            break;
        }
    }
    w
}

/// ln Gamma(x) for x > 0 (Lanczos, via statrs).
#[inline]
pub fn ln_gamma(x: f64) -> f64 {
    statrs::function::gamma::ln_gamma(x)
}

/// The digamma function psi(x) = d/dx ln Gamma(x) (via statrs).
#[inline]
pub fn digamma(x: f64) -> f64 {
    statrs::function::gamma::digamma(x)
}

/// ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b); NaN unless a, b > 0 (never panics).
#[inline]
pub fn ln_beta(a: f64, b: f64) -> f64 {
    if a > 0.0 && b > 0.0 {
        ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
    } else {
        f64::NAN
    }
}

/// ln(e^a + e^b) without overflow.
#[inline]
pub fn log_add_exp(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    let m = a.max(b);
    m + ((a - m).exp() + (b - m).exp()).ln()
}

/// The Gauss hypergeometric function 2F1(a, b; c; z) for 0 <= z < 1 by its power series
/// sum_k (a)_k (b)_k / ((c)_k k!) z^k, summed until the terms fall below 1e-15 of the total
/// (at most 100,000 terms). Used where c > 0 and the terms are positive, as in the BTYD models.
/// Reference: Abramowitz & Stegun 15.1.1.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    if !(0.0..1.0).contains(&z) || c <= 0.0 {
        return f64::NAN;
    }
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 0..100_000 {
        let k = f64::from(k);
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if term.abs() <= 1e-15 * sum.abs() {
            break;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverts_w_exp_w() {
        for &x in &[-0.36, -0.2, 1e-8, 0.5, 1.0, std::f64::consts::E, 10.0, 54.6, 1e6, 1e300] {
            let w = lambert_w0(x);
            let back = w * w.exp();
            assert!((back - x).abs() <= 1e-12 * x.abs().max(1e-12), "x={x} w={w} back={back}");
        }
        assert!((lambert_w0(1.0) - 0.567_143_290_409_783_8).abs() < 1e-15);
        assert!(lambert_w0(-1.0).is_nan());
    }

    #[test]
    fn hyp2f1_matches_closed_forms() {
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z
        for z in [0.1, 0.5, 0.9, 0.99] {
            let want = -(1.0f64 - z).ln() / z;
            assert!((hyp2f1(1.0, 1.0, 2.0, z) - want).abs() < 1e-12 * want, "{z}");
        }
        // 2F1(a, b; b; z) = (1 - z)^(-a)
        assert!((hyp2f1(0.7, 2.5, 2.5, 0.3) - 0.7f64.powf(-0.7)).abs() < 1e-13);
    }

    #[test]
    fn ln_beta_and_log_add_exp() {
        assert!((ln_beta(2.0, 3.0) - (1.0f64 / 12.0).ln()).abs() < 1e-12);
        assert!(ln_beta(0.0, 1.0).is_nan());
        assert!((log_add_exp(1000.0, 1000.0) - (1000.0 + 2f64.ln())).abs() < 1e-12);
    }
}
