//! Demand curve analysis: willingness-to-pay demand curves, Van Westendorp with the
//! Newton-Miller-Smith extension, Gabor-Granger, and fitted price-response models.
//!
//! The curves are built from per-price weight histograms ([`histogram::PriceHistogram`]) that
//! can be summed across data partitions, so the same analysis can run on a distributed engine.

pub mod choice;
pub mod curve;
pub mod elasticity;
pub mod gabor_granger;
pub mod histogram;
pub mod menu;
pub mod price_response;
pub mod van_westendorp;

use crate::error::{Error, Result};
use crate::table::{finite, first_where, Column};

/// Checks that every price in `col` is positive (prices are finite after the missing policy).
pub(crate) fn check_positive(col: &Column<f64>) -> Result<()> {
    if let Some((i, v)) = first_where(&col.values, |v| !((v > 0.0) & finite(v))).map(|i| (i, col.values[i])) {
        return Err(Error::input(
            &col.name,
            format!("prices must be positive and finite; row {i} holds {v}"),
        ));
    }
    Ok(())
}

/// Checks weights: finite, non-negative, with a positive total. Returns the total.
pub(crate) fn check_weights(col: &Column<f64>) -> Result<f64> {
    if let Some((i, v)) = first_where(&col.values, |v| !((v >= 0.0) & finite(v))).map(|i| (i, col.values[i]))
    {
        return Err(Error::input(&col.name, format!("weights must be non-negative; row {i} holds {v}")));
    }
    let total: f64 = col.values.iter().sum();
    if total <= 0.0 {
        return Err(Error::input(&col.name, "weights sum to zero"));
    }
    Ok(total)
}

/// The weight of row `i` (1 without weights).
#[inline]
pub(crate) fn weight_at(weights: Option<&Column<f64>>, i: usize) -> f64 {
    weights.map_or(1.0, |w| w.values.get(i).copied().unwrap_or(0.0))
}
