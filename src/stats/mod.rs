//! Shared numerics: seeded random streams, quantiles, special functions.

pub mod classic;
pub mod hash;
pub mod hypothesis;
pub mod optim;
pub mod quantile;
pub mod rng;
pub mod special;

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};

/// The most replicates (bootstrap, permutations, simulations, sampled orderings) any call takes:
/// percentile intervals and Monte Carlo p-values settle long before (their Monte Carlo error
/// falls as 1/sqrt(B): 1e-3 at a million), and a million replicates of even a small analysis
/// already take minutes.
pub const MAX_REPLICATES: usize = 1_000_000;

/// The memory one call may plan to hold for its replicates' results: 2 GiB, a quarter of a
/// small laptop, so an argument can never exhaust the machine.
pub const MEMORY_BUDGET: usize = 2 << 30;

/// Checks a number of replicates before any work: at least `min`, at most
/// [`MAX_REPLICATES`], and `bytes_each` x replicates within [`MEMORY_BUDGET`]; the error names
/// the argument, what the value would need and the largest allowed.
pub fn check_replicates(name: &str, reps: usize, min: usize, bytes_each: usize) -> Result<()> {
    if reps < min {
        return Err(Error::parameter(name, format!("needs at least {min} replicates, got {reps}")));
    }
    let by_memory = MEMORY_BUDGET / bytes_each.max(1);
    let cap = MAX_REPLICATES.min(by_memory);
    if reps > cap {
        let need = reps as f64 * bytes_each.max(1) as f64;
        return Err(Error::parameter(
            name,
            format!(
                "{reps} replicates would take {} and hold {:.1} GB of results; the most allowed here is \
                 {cap} (at most {MAX_REPLICATES}, within {} GB); 1,000 to 10,000 give stable intervals",
                if reps > MAX_REPLICATES { "hours" } else { "long" },
                need / 1e9,
                MEMORY_BUDGET >> 30
            ),
        ));
    }
    Ok(())
}

/// What long core work shares with its caller: a counter of finished items (bootstrap
/// replicates, fits, starts) the caller may watch to show progress, and a flag the caller sets
/// to stop the work (Ctrl-C). Cores take `Option<&Progress>` and call [`tick`] after each item.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    cancel: Arc<AtomicBool>,
}

thread_local! {
    /// The cancellation flag of the call this thread is working for (see [`with_ambient`]).
    static AMBIENT: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// Runs `f` with `progress` as the ambient cancellation of this thread, so that work which
/// takes no `Option<&Progress>` (a model fit, short on most data) still stops when the caller
/// cancels: it asks [`interrupted`]. The previous ambient flag is restored afterwards.
pub fn with_ambient<T>(progress: &Progress, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Arc<AtomicBool>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let prev = self.0.take();
            let _ = AMBIENT.try_with(|a| *a.borrow_mut() = prev);
        }
    }
    let prev = AMBIENT.with(|a| a.replace(Some(Arc::clone(&progress.cancel))));
    let _restore = Restore(prev);
    f()
}

/// True when the call this thread works for was cancelled (see [`with_ambient`]); false outside.
pub fn interrupted() -> bool {
    AMBIENT.try_with(|a| a.borrow().as_ref().is_some_and(|c| c.load(Ordering::Relaxed))).unwrap_or(false)
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

/// The power of two that brings the largest magnitude of `v` into [1, 2), when that magnitude
/// lies outside [2^-64, 2^64] (values near 1e200 whose squares overflow, or near 1e-300 whose
/// squares vanish), else 1. Multiplying by it is exact: only exponents change.
pub fn power_of_two_factor(v: &[f64]) -> f64 {
    let big = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if big == 0.0 || !big.is_finite() || (2f64.powi(-64)..=2f64.powi(64)).contains(&big) {
        return 1.0;
    }
    2f64.powi(-(big.log2().floor() as i32))
}

/// `v` times [`power_of_two_factor`] when that is not 1, else None (no copy).
pub fn scaled_by_power_of_two(v: &[f64]) -> Option<Vec<f64>> {
    let f = power_of_two_factor(v);
    (f != 1.0).then(|| v.iter().map(|x| x * f).collect())
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
    fn the_ambient_flag_is_seen_inside_and_restored_after() {
        let (outer, inner) = (Progress::new(), Progress::new());
        assert!(!interrupted());
        with_ambient(&outer, || {
            assert!(!interrupted());
            with_ambient(&inner, || {
                inner.cancel();
                assert!(interrupted());
            });
            assert!(!interrupted()); // the outer call's flag again
            outer.cancel();
            assert!(interrupted());
        });
        assert!(!interrupted());
    }

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
