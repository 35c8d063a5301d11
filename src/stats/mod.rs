//! Shared numerics: seeded random streams, quantiles, special functions.

pub mod hash;
pub mod hypothesis;
pub mod optim;
pub mod quantile;
pub mod rng;
pub mod special;

/// A counter of finished work items (bootstrap replicates, fits) that a caller may watch to
/// show progress; cores take `Option<&Progress>` and bump it as they go.
pub type Progress = std::sync::atomic::AtomicUsize;

/// Adds one finished item to `progress`, if any.
#[inline]
pub fn tick(progress: Option<&Progress>) {
    if let Some(p) = progress {
        p.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}
