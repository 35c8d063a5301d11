//! Economic value modelling: transaction summaries and buy-till-you-die lifetime-value models.
//!
//! Models are fitted by maximum likelihood in log-parameter space with analytic gradients
//! (BFGS), on compressed sufficient statistics (unique patterns with counts), in parallel.
//! Everything is mergeable for a distributed engine: transaction summaries of any partition of
//! a log combine exactly ([`summary::PartialSummary`]: `from_rows`, `merge`, `finish`), pattern
//! tables of customer partitions combine ([`bgnbd::Patterns::merge`],
//! [`bgbb::DiscretePatterns::merge`]), and log-likelihoods and gradients are sums over patterns.

pub mod bgbb;
pub mod bgnbd;
pub mod covariates;
pub mod fit;
pub mod gamma_gamma;
pub mod pareto;
pub mod predict;
pub mod sbg;
pub mod summary;
