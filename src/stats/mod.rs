//! Shared numerics: seeded random streams, quantiles, special functions.

pub mod quantile;
pub mod rng;
pub mod special;
