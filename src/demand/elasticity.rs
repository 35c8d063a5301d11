//! Elasticity between adjacent prices, a named choice.

use crate::error::{Error, Result};

/// How an elasticity between two prices is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// (dQ / Q_prev) / (dP / P_prev): the change relative to the lower price.
    Point,
    /// (dQ / mean(Q)) / (dP / mean(P)): the midpoint (arc) formula, symmetric in direction.
    Arc,
}

impl Kind {
    /// Parses `"point"` or `"arc"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "point" => Ok(Kind::Point),
            "arc" => Ok(Kind::Arc),
            other => Err(Error::parameter("kind", format!("must be 'point' or 'arc', got '{other}'"))),
        }
    }
}

/// Elasticities between consecutive (price, quantity) pairs; element `i` is the elasticity of
/// the step from `i - 1` to `i` (element 0 is NaN, as is a step from zero quantity).
pub fn between(prices: &[f64], quantities: &[f64], kind: Kind) -> Vec<f64> {
    let mut out = vec![f64::NAN; prices.len().min(quantities.len())];
    for i in 1..out.len() {
        let (p0, p1, q0, q1) = (prices[i - 1], prices[i], quantities[i - 1], quantities[i]);
        let e = match kind {
            Kind::Point => ((q1 - q0) / q0) / ((p1 - p0) / p0),
            Kind::Arc => ((q1 - q0) / ((q0 + q1) / 2.0)) / ((p1 - p0) / ((p0 + p1) / 2.0)),
        };
        out[i] = if e.is_finite() { e } else { f64::NAN };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gabor_granger_worked_example() {
        let p = [1000.0, 1500.0, 2000.0, 2500.0, 3000.0];
        let q = [54.0, 40.0, 29.0, 20.0, 8.0];
        let point = between(&p, &q, Kind::Point);
        // published to two decimals: within half a unit of the last place (-0.825 prints as -0.82)
        let want = [-0.52, -0.82, -1.24, -3.00];
        for (got, want) in point[1..].iter().zip(want) {
            assert!((got - want).abs() <= 0.005 + 1e-9, "{got} vs {want}");
        }
        let arc = between(&p, &q, Kind::Arc);
        let want = [-0.745, -1.116, -1.653, -4.714];
        for (got, want) in arc[1..].iter().zip(want) {
            assert!((got - want).abs() < 0.0005, "{got} vs {want}");
        }
        assert!(point[0].is_nan());
    }
}
