//! Shared numerics: seeded random streams, quantiles, special functions.

pub mod classic;
pub mod hash;
pub mod hypothesis;
pub mod optim;
pub mod quantile;
pub mod rng;
pub mod special;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::error::{Error, Result};

/// What long core work shares with its caller: a counter of finished items (bootstrap
/// replicates, fits, starts) the caller may watch to show progress, and a flag the caller sets
/// to stop the work (Ctrl-C). Cores take `Option<&Progress>` and call [`tick`] after each item.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    cancel: AtomicBool,
}

impl Progress {
    /// Nothing done, not cancelled.
    pub fn new() -> Self {
        Progress::default()
    }
    /// Items finished so far.
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }
    /// Asks the work to stop: its next [`tick`] returns [`Error::Interrupted`].
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
    /// True once [`Progress::cancel`] was called.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Adds one finished item to `progress`, if any, and stops the work when it was cancelled.
#[inline]
pub fn tick(progress: Option<&Progress>) -> Result<()> {
    if let Some(p) = progress {
        p.done.fetch_add(1, Ordering::Relaxed);
        if p.cancelled() {
            return Err(Error::Interrupted);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_progress_stops_the_work_at_its_next_tick() {
        let p = Progress::new();
        assert!(tick(Some(&p)).is_ok() && p.done() == 1);
        p.cancel();
        assert_eq!(tick(Some(&p)), Err(Error::Interrupted));
        assert!(tick(None).is_ok());
        // a core checks it: k-means stops after its first start instead of running ten
        let x = crate::segmentation::Matrix::new((0..200).map(f64::from).collect(), 100, 2)
            .unwrap_or_else(|e| panic!("{e}"));
        let params =
            crate::segmentation::kmeans::KMeansParams { k: 3, n_init: 10, max_iter: 50, tol: 1e-4, seed: 0 };
        let q = Progress::new();
        q.cancel();
        assert_eq!(
            crate::segmentation::kmeans::kmeans(&x, &params, Some(&q)).err(),
            Some(Error::Interrupted)
        );
        assert_eq!(q.done(), 1);
    }
}
