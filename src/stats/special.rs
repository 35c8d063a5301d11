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
}
