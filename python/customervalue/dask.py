"""customervalue on Dask: the same functions, the same results, on a dask DataFrame.

``cv.rfm_summary(ddf, ...)``, ``cv.BetaGeo().fit(summary)``, ``cv.van_westendorp(ddf, ...)``
and the other functions listed in ``__all__`` take a dask DataFrame where they take a pandas
one (the top-level functions send it here; :mod:`customervalue._engines`); ``cv.dask`` is this
module (imported on first use: ``import customervalue`` imports no dask). Every function has
the signature of its top-level twin, plus engine knobs (``npartitions=``, ``split_every=``)
when called from this module. The current ``distributed.Client`` (or dask's local scheduler)
runs the work; there is no client argument. Any other function given a dask table raises a
:class:`~customervalue.errors.ParameterError` naming itself and the way out (a sample, or the
computed table): nothing collects a whole table silently.

What runs distributed
---------------------
* ``rfm_summary`` (lazy, partitioned by customer; :func:`accounting` for its row accounting);
* the fits of ``BetaGeo``, ``ModifiedBetaGeo``, ``ParetoNBD``, ``BetaGeoBetaBinom`` and
  ``GammaGamma`` (merged patterns), their predictions and ``customer_lifetime_value`` (lazy);
* ``demand_curve``, ``van_westendorp`` and ``gabor_granger`` without ``respondent`` (merged
  histogram states);
* ``theme_associations`` with ``profiles=False`` and ``theme_cooccurrence`` (merged count
  states);
* ``cluster`` with ``method="kmeans"`` (k-means|| and Lloyd over the partitions), returning a
  :class:`DaskClusterResult` with lazy labels.

Not distributed (refused with the way out): everything else, among them ``gabor_granger`` with
``respondent`` (each respondent's answers are read together, to find the highest accepted
price: it would need the rows shuffled by respondent first) and the options that resample rows
(bootstrap intervals, ``ci=``; ``premium_test``).

How it works: map, combine, finish
----------------------------------
Every aggregate is one map over the partitions, a combine in a tree (``split_every`` partials
at a time), and a finish on the client that returns the single-machine result object. Two
kinds of partial:

* **Mergeable states** (:mod:`customervalue._state`), for the surveys and the theme counts:
  ``demand_curve`` builds a :class:`~customervalue.demand.DemandCurveState` per partition (per
  group and stated price the respondents and their weight), ``gabor_granger`` a
  :class:`~customervalue.demand.GaborGrangerState` (per ladder price and answer the rows and
  their weight), ``van_westendorp`` a :class:`~customervalue.demand.VanWestendorpState` (per
  group and answer price the weight answering it to each question and the NMS slope change:
  bounded by the distinct prices, where distinct answer tuples do not compress at all on a real
  survey), ``theme_associations`` a :class:`~customervalue.themes.ThemeGridState`
  (respondents and mentions per level or distinct value), ``theme_cooccurrence`` a
  :class:`~customervalue.themes.ThemeCooccurrenceState` (one row per pair of themes). The
  combine is ``merge_all``, the finish the state's ``finish``. Rows are validated on the
  workers; the states carry the row counts and the dropped rows' labels, so the result's
  ``n_rows``, ``n_missing``, ``n_invalid``, ``dropped`` and 5% drop warning are the single
  call's. A missing value under ``missing="raise"`` or an error naming a row ("row 12 holds
  -5") is raised as the single call raises it, with the whole table's count and row position.
* **Distinct tuples with counts** (the lifetime-value fits): the map collapses each partition
  to its distinct patterns (``(frequency, recency, T)``, ...) with a row count; the combine
  adds counts of equal patterns; the finish sorts the merged patterns by their values (a
  canonical order, whatever the partitioning) and fits them on the client with the counts as
  weights. The row accounting is restated in input rows; ``dropped`` (the input labels) is
  found by a second pass only when first read.

* **Per-customer outputs** (``rfm_summary``, predictions, CLV, cluster labels) stay lazy dask
  objects, indexed like the single-machine output. Predictions, CLV and labels are maps with
  the fitted (pickled) models: exact.
* **The summary** shuffles the rows by customer (``ddf.shuffle(on=customer)``) and runs
  ``cv.rfm_summary`` on each partition, which then holds every row of its customers.
* **k-means** persists the feature columns and makes one pass per step over them (moments,
  k-means|| seeding, Lloyd steps), sending only sums to the client
  (:func:`customervalue.segmentation.scaleout.kmeans`).

The global observation end
--------------------------
``rfm_summary``'s observation end defaults to the last date *of the whole log*. A partition's
own last date is earlier for most partitions, and summarising it alone would shorten the T of
its customers (with partitions of 100 customers, most customers get a wrong T). So one small
reduction runs first: the last date (and the first, the row count and the missing values) of
each partition, combined on the client; every partition is then summarised with that global
end. The same reduction decides, before any shuffle, whether the whole result would be empty
(every purchase after the end, every customer after ``calibration_end``) and raises the
single-machine error if so; a partition that is empty, or whose customers all fall out, gives
an empty frame of the right columns and types.

Exactness
---------
Summaries, predictions, CLV, demand curves, Gabor-Granger, the Van Westendorp curves, points,
ranges and counts, the theme grid (permutation p-values included) and the co-occurrence network
are bit-identical to the single-machine call on the computed table, for any partitioning (every
sum a whole number). Fits are bit-identical too: the merged patterns are the same patterns and
counts as the single-machine fit's, and the core sums patterns in one canonical order (by x,
t_x, T) on both paths. Sums of fractional weights (user ``weights=`` that are not exact in
binary, the NMS reach) add the same terms in another order: demand curves within 1e-14
relative (measured 6e-16), Gabor-Granger within 1e-12 (measured 2.5e-14: shares of sums of
weights), Van Westendorp within 1e-12 of each column's scale (:func:`van_westendorp`). k-means
is not the single call's bits (another seeding): the same for a fixed partitioning and seed,
and on well-separated clusters the single fit's clusters (see :func:`cluster`).

Threads
-------
The core runs its loops on a thread pool of one thread per core in each process. On a
``distributed`` cluster every worker process would start such a pool: n workers x n threads on
n cores. So the first call of any function here with a distributed client registers a worker
plugin (:data:`THREADS_PLUGIN`) that sets each worker's core threads to the worker's own
``nthreads`` (:func:`customervalue.set_num_threads`), on the workers there and on any that join
later, unless the worker's environment sets ``RAYON_NUM_THREADS``; results do not depend on the
thread count. To choose otherwise, set ``RAYON_NUM_THREADS`` in the workers' environment or call
``client.run(cv.set_num_threads, n)`` after the first call. Dask's local schedulers (threads
of this process) leave the process's setting alone.

What dask cannot carry
----------------------
A dask DataFrame has no ``attrs``. The summary's ``time_unit`` travels in its meta (the empty
pandas frame dask keeps, ``summary._meta.attrs``; derived frames keep it) and in each computed
partition's ``attrs``, so fits adopt the unit as they do on pandas. The row accounting of the
log (``n_rows``, ``n_missing``, ``n_invalid``, ``n_after_end``, ``n_late_customers``,
``dropped``) is a lazy value computed in the same graph: :func:`accounting` returns it
(``dask.compute(summary, cv.dask.accounting(summary))`` computes both in one pass).
"""

from __future__ import annotations

try:
    import dask  # noqa: F401
except ImportError as exc:  # pragma: no cover - the extra is not installed
    raise ImportError(
        "customervalue.dask needs dask: pip install 'customervalue[dask]' (dask[dataframe,distributed])"
    ) from exc

# The adapter lives in modules of its own, re-exported here: _dask_core (the plan every function
# shares), _dask_summary (summaries, fits, predictions), _dask_surveys (demand and themes from
# merged states), _dask_kmeans (k-means); what runs on the workers is theirs, importable there.
from ._dask_core import _THREADED as _THREADED
from ._dask_core import SPLIT_EVERY as SPLIT_EVERY
from ._dask_core import THREADS_PLUGIN as THREADS_PLUGIN
from ._dask_kmeans import DaskClusterResult as DaskClusterResult
from ._dask_kmeans import cluster
from ._dask_summary import (
    accounting,
    conditional_expected_purchases,
    conditional_expected_spend,
    conditional_probability_of_purchases,
    customer_lifetime_value,
    discounted_expected_purchases,
    discounted_expected_residual_transactions,
    fit,
    log_likelihood,
    probability_alive,
    rfm_summary,
)
from ._dask_summary import conditional_expected_average_profit as conditional_expected_average_profit
from ._dask_surveys import demand_curve, gabor_granger, theme_associations, theme_cooccurrence, van_westendorp

# named here as before the split: pickled by this name, its example a doctest of this module
DaskClusterResult.__module__ = __name__

__all__ = [
    "rfm_summary",
    "accounting",
    "fit",
    "probability_alive",
    "conditional_expected_purchases",
    "conditional_probability_of_purchases",
    "discounted_expected_purchases",
    "discounted_expected_residual_transactions",
    "log_likelihood",
    "conditional_expected_spend",
    "customer_lifetime_value",
    "demand_curve",
    "van_westendorp",
    "gabor_granger",
    "theme_associations",
    "theme_cooccurrence",
    "cluster",
]
