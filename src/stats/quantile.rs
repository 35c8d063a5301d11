//! Quantiles as numpy computes them by default (linear interpolation between order statistics).

/// The `q`-quantile (0 <= q <= 1) of `values`, ignoring NaN; NaN when nothing is left.
///
/// Linear interpolation: with the finite values sorted as x_0 <= ... <= x_{n-1} and h = q (n - 1),
/// the quantile is x_floor(h) + (h - floor(h)) (x_ceil(h) - x_floor(h)) (numpy's "linear" method,
/// Hyndman & Fan type 7).
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() || !(0.0..=1.0).contains(&q) {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    quantile_sorted(&v, q)
}

/// [`quantile`] of values already sorted ascending with no NaN.
pub fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let h = q * (v.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    match (v.get(lo), v.get(hi)) {
        (Some(a), Some(b)) => a + (h - lo as f64) * (b - a),
        _ => f64::NAN,
    }
}

/// The percentile interval (lower, upper) at confidence `level` of bootstrap replicates.
pub fn percentile_interval(values: &[f64], level: f64) -> (f64, f64) {
    let alpha = (1.0 - level) / 2.0;
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    (quantile_sorted(&v, alpha), quantile_sorted(&v, 1.0 - alpha))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_numpy_linear_quantiles() {
        // numpy.quantile([3, 1, 4, 1, 5], [0.25, 0.5, 0.9]) -> [1., 3., 4.6]
        let x = [3.0, 1.0, 4.0, 1.0, 5.0];
        assert_eq!(quantile(&x, 0.25), 1.0);
        assert_eq!(quantile(&x, 0.5), 3.0);
        assert!((quantile(&x, 0.9) - 4.6).abs() < 1e-12);
        assert!(quantile(&[], 0.5).is_nan());
    }
}
