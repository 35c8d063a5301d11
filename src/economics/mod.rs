//! Economic value modelling: transaction summaries and buy-till-you-die lifetime-value models.
//!
//! Models are fitted by maximum likelihood in log-parameter space with analytic gradients
//! (BFGS), on compressed sufficient statistics (unique patterns with counts), in parallel.
//! Log-likelihoods are sums over patterns, so partial sums from data partitions add up.

pub mod bgbb;
pub mod bgnbd;
pub mod fit;
pub mod gamma_gamma;
pub mod pareto;
pub mod sbg;
pub mod summary;
