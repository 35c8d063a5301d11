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

import dataclasses
import functools
import re
import sys
import warnings
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

try:
    import dask
    import dask.dataframe as dd
    from dask import delayed
except ImportError as exc:  # pragma: no cover - the extra is not installed
    raise ImportError(
        "customervalue.dask needs dask: pip install 'customervalue[dask]' (dask[dataframe,distributed])"
    ) from exc

from ._boundary import DROP_WARNING_SHARE, DroppedFrame, warn
from ._engines import (
    bind_args,
    btyd_pattern_keys,
    describe,
    engine_of,
    kmeans_args,
    kmeans_over_parts,
    refuse,
    shift_row,
)
from ._io import as_arrow, check_choice, check_columns
from ._result import Result
from .demand.curve import DemandCurveResult
from .demand.curve import demand_curve as _demand_curve
from .demand.curve_state import DemandCurveState, GaborGrangerState
from .demand.gabor_granger import GaborGrangerResult
from .demand.gabor_granger import gabor_granger as _gabor_granger
from .demand.state import VanWestendorpState
from .demand.van_westendorp import VanWestendorpResult
from .demand.van_westendorp import van_westendorp as _van_westendorp
from .economics.clv import _check_models
from .economics.clv import customer_lifetime_value as _customer_lifetime_value
from .economics.models import GammaGamma
from .economics.summary import _days
from .economics.summary import rfm_summary as _rfm_summary
from .errors import CustomerValueError, DataDroppedWarning, InputError, ParameterError
from .segmentation.scaleout import MomentsState, ScaledKMeans
from .themes._checks import testing_args
from .themes.associations import ThemeAssociations
from .themes.associations import theme_associations as _theme_associations
from .themes.cooccurrence import ThemeCooccurrence
from .themes.cooccurrence import theme_cooccurrence as _theme_cooccurrence
from .themes.cooccurrence_state import ThemeCooccurrenceState
from .themes.state import ThemeGridState

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

#: Partial results combined at a time in the tree that merges the partitions' tuples.
SPLIT_EVERY = 8

# the core's message for missing values under missing="raise" (src/table/rows.rs)
_MISSING_MESSAGE = (
    "column '{column}': {bad} missing value(s) (null, NaN or infinite) in {n} rows, the first at "
    "row {first}; pass missing='drop' to drop those rows (the result lists them in .dropped)"
)


# ---- the core's threads on the workers ---------------------------------------------------------

#: The name of the worker plugin that sets the core's threads on every worker of a client.
THREADS_PLUGIN = "customervalue-threads"
# the clients whose workers have the plugin
_THREADED: weakref.WeakSet[Any] = weakref.WeakSet()


@functools.cache
def _threads_plugin() -> Any:
    """The worker plugin class (distributed is imported only when a distributed client runs)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class CoreThreads(WorkerPlugin):  # type: ignore[misc]
        """Sets the core's thread count of a worker to the worker's own thread count."""

        name = THREADS_PLUGIN
        idempotent = True

        def setup(self, worker: Any) -> None:
            import os

            from customervalue._threads import set_num_threads

            if not os.environ.get("RAYON_NUM_THREADS"):  # the worker's own setting wins
                set_num_threads(max(1, int(worker.state.nthreads)))

    return CoreThreads


def _worker_threads() -> None:
    """On the first adapter call with a ``distributed`` client, registers a worker plugin that
    sets each worker's core threads (:func:`customervalue.set_num_threads`) to the worker's
    ``nthreads``, on the workers there and on any that join later. Without it the core's
    parallel loops use one thread per core in every worker process: n workers x n threads on
    n cores. Nothing happens under dask's local schedulers (threads of this process)."""
    if "distributed" not in sys.modules:
        return
    from distributed import default_client

    try:
        client = default_client()
    except ValueError:  # no client: dask's local scheduler
        return
    if client in _THREADED or client.asynchronous or client.status != "running":
        return
    client.register_plugin(_threads_plugin()(), name=THREADS_PLUGIN)
    _THREADED.add(client)


# ---- reading a dask table ---------------------------------------------------------------------


def _frame(data: Any, what: str, columns: Iterable[str | None]) -> Any:
    """``data`` as a dask DataFrame holding ``columns`` (checked on dask's meta, so the
    message is the single-machine one); a dask Series or another object is a ParameterError."""
    if engine_of(data) != "dask" or not isinstance(data, dd.DataFrame):
        if isinstance(data, dd.Series):
            raise ParameterError(
                f"{what}: takes a DataFrame and column names, got {describe(data, 'dask')}; pass the "
                "DataFrame itself (or series.to_frame()) and name its columns"
            )
        raise ParameterError(
            f"argument 'data': {what} here takes a dask DataFrame, got {type(data).__name__}"
        )
    check_columns(data._meta, [c for c in columns if c is not None])
    return data


def _missing_mask(col: pd.Series) -> np.ndarray:
    """Rows the core reads as missing: null, NaN, +-inf."""
    mask = np.asarray(col.isna(), dtype=bool)
    if pd.api.types.is_float_dtype(col.dtype):
        mask = mask | ~np.isfinite(col.to_numpy(dtype=float, na_value=np.nan))
    return mask


@dataclasses.dataclass
class _Tally:
    """One partition's rows: how many, and per column the missing values (count, first position
    in the partition), in partition order so that the first missing row of the whole table
    has a global position."""

    n_rows: int
    missing: dict[str, tuple[int, int]]
    dropped: pd.Index | None = None  # labels of rows missing in any column (missing="drop")


def _tally(part: pd.DataFrame, columns: Sequence[str], labels: bool) -> _Tally:
    missing: dict[str, tuple[int, int]] = {}
    any_missing = np.zeros(len(part), dtype=bool)
    for c in columns:
        m = _missing_mask(part[c])
        if m.any():
            missing[c] = (int(m.sum()), int(np.argmax(m)))
            any_missing |= m
    return _Tally(len(part), missing, part.index[any_missing] if labels and any_missing.any() else None)


def _global_missing(tallies: Sequence[_Tally], columns: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Per column the missing values of the whole table: (count, first global position)."""
    out: dict[str, tuple[int, int]] = {}
    offset = 0
    for t in tallies:
        for c, (bad, first) in t.missing.items():
            seen = out.get(c)
            out[c] = (bad, offset + first) if seen is None else (seen[0] + bad, seen[1])
        offset += t.n_rows
    return {c: out[c] for c in columns if c in out}


def _raise_missing(tallies: Sequence[_Tally], columns: Sequence[str], missing: str) -> None:
    """Under missing="raise", the single-machine InputError for the first column (in the
    order the analysis reads them) holding a missing value, with the whole table's count and
    the first row's position."""
    if missing != "raise":
        return
    found = _global_missing(tallies, columns)
    if found:
        column, (bad, first) = next(iter(found.items()))
        n = sum(t.n_rows for t in tallies)
        raise InputError(_MISSING_MESSAGE.format(column=column, bad=bad, n=n, first=first))


# ---- distinct tuples with counts: map, combine (a tree), collect ------------------------------


def _count_name(keys: Sequence[str]) -> str:
    name = "n"
    while name in keys:
        name += "_"
    return name


def _count_partition(part: pd.DataFrame, keys: list[str], count: str) -> tuple[pd.DataFrame, list[_Tally]]:
    """Map: the partition's distinct key tuples with their row counts (missing values kept as
    keys of their own), and its tally."""
    tally = _tally(part, keys, labels=False)
    if len(part) == 0:
        empty = part[keys].iloc[:0].reset_index(drop=True)
        empty[count] = np.zeros(0, dtype=np.int64)
        return empty, [tally]
    counts = part.groupby(keys, dropna=False, observed=True, sort=False).size()
    return counts.rename(count).reset_index(), [tally]


def _combine_counts(
    pieces: list[tuple[pd.DataFrame, list[_Tally]]], keys: list[str], count: str
) -> tuple[pd.DataFrame, list[_Tally]]:
    """Combine: equal tuples' counts added (whole numbers: any order gives the same sums); the
    tallies kept in partition order."""
    frames = [p[0] for p in pieces if len(p[0])] or [pieces[0][0]]
    tallies = [t for p in pieces for t in p[1]]
    merged = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if len(frames) > 1:
        merged = merged.groupby(keys, dropna=False, observed=True, sort=False)[count].sum().reset_index()
    return merged, tallies


def _tree(parts: list[Any], combine: Callable[..., Any], split_every: int, *args: Any) -> Any:
    """A delayed tree reduction of ``parts`` (in order), ``split_every`` at a time."""
    split_every = max(int(split_every), 2)
    while len(parts) > 1:
        parts = [
            delayed(combine, pure=True)(parts[i : i + split_every], *args)
            for i in range(0, len(parts), split_every)
        ]
    return parts[0]


def _collect_counts(
    ddf: Any, keys: list[str], split_every: int | None
) -> tuple[pd.DataFrame, list[_Tally], str]:
    """The distinct ``keys`` tuples of ``ddf`` with their row counts, sorted by the tuple (the
    canonical order: it does not depend on the partitioning), and the partitions' tallies."""
    count = _count_name(keys)
    parts = [delayed(_count_partition, pure=True)(p, keys, count) for p in ddf[keys].to_delayed()]
    root = _tree(parts, _combine_counts, split_every or SPLIT_EVERY, keys, count)
    table, tallies = dask.compute(root)[0]
    meta = ddf._meta
    for k in keys:  # a category dtype whose categories differ by partition comes back as object
        dtype = meta[k].dtype
        if (
            isinstance(dtype, pd.CategoricalDtype)
            and dtype.categories is not None
            and "__UNKNOWN_CATEGORIES__" not in list(dtype.categories)
            and not isinstance(table[k].dtype, pd.CategoricalDtype)
        ):
            table[k] = table[k].astype(dtype)
    table = table.sort_values(keys, na_position="last", kind="mergesort", ignore_index=True)
    table[count] = table[count].astype(np.int64)
    return table, tallies, count


def _weights_column(table: pd.DataFrame, count: str, weights: str | None) -> str:
    """The weights column of the finishing call: the counts, or each tuple's weight times its
    count when the rows carried ``weights`` (a key of the tuple)."""
    if weights is None:
        return count
    name = f"{count}_weight"
    while name in table.columns:
        name += "_"
    table[name] = table[weights].to_numpy(dtype=float, na_value=np.nan) * table[count].to_numpy(dtype=float)
    return name


# ---- finishing on the merged tuples: the row accounting restated in input rows ----------------


class _DroppedRows:
    """The input rows behind the dropped tuples, by their input labels, with the reason: one
    more pass over the table, made when ``dropped`` is first read (picklable)."""

    def __init__(self, ddf: Any, keys: list[str], dropped: pd.DataFrame) -> None:
        self.ddf, self.keys, self.dropped = ddf, keys, dropped

    def __call__(self) -> pd.DataFrame:
        parts = [delayed(_dropped_in, pure=True)(p, self.keys, self.dropped) for p in self.ddf.to_delayed()]
        frames = [f for f in dask.compute(*parts) if len(f)]
        return pd.concat(frames) if frames else _no_drops(self.ddf._meta.index.name)


def _no_drops(name: Any = None) -> pd.DataFrame:
    return pd.DataFrame({"reason": pd.Series([], dtype="object")}, index=pd.Index([], name=name))


def _dropped_in(part: pd.DataFrame, keys: list[str], dropped: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``part`` whose tuple is one of ``dropped``'s, in row order, with its reason."""
    if len(part) == 0 or len(dropped) == 0:
        return _no_drops(part.index.name)
    left = part[keys].reset_index(drop=True)
    left["_cv_row"] = np.arange(len(part))
    hits = left.merge(dropped[[*keys, "reason"]], on=keys, how="inner").sort_values("_cv_row", kind="stable")
    rows = hits["_cv_row"].to_numpy()
    return pd.DataFrame({"reason": hits["reason"].to_numpy(dtype=object)}, index=part.index.take(rows))


@dataclasses.dataclass
class _Rows:
    """The row accounting of a finish, restated in input rows."""

    n_rows: int
    n_missing: int
    n_invalid: int
    kept: np.ndarray  # per tuple: not dropped
    reasons: dict[str, int]
    dropped: Any  # a DataFrame, or a callable building it


def _restate_rows(
    ddf: Any, keys: list[str], table: pd.DataFrame, count: str, dropped: pd.DataFrame, n_rows: int
) -> _Rows:
    """The accounting of the finishing call (``dropped``: its dropped tuples, labelled by their
    position in ``table``) in input rows: each tuple stands for ``count`` rows."""
    kept = np.ones(len(table), dtype=bool)
    reasons: dict[str, int] = {}
    if len(dropped):
        pos = np.asarray(dropped.index, dtype=np.int64)
        kept[pos] = False
        rows = table[count].to_numpy()[pos]
        for reason, n in zip(dropped["reason"].astype(str), rows, strict=True):
            reasons[reason] = reasons.get(reason, 0) + int(n)
        lost = table.iloc[pos][keys].reset_index(drop=True)
        lost["reason"] = dropped["reason"].to_numpy(dtype=object)
        lazy: Any = _DroppedRows(ddf, keys, lost)
    else:
        lazy = _no_drops(ddf._meta.index.name)
    n_missing = reasons.get("missing", 0)
    n_invalid = sum(reasons.values()) - n_missing
    return _Rows(n_rows, n_missing, n_invalid, kept, reasons, lazy)


def _drop_note(what: str, rows: _Rows) -> str | None:
    """The DataDroppedWarning text of the single-machine call (``Input.envelope``), or None."""
    return _drop_text(what, rows.n_rows, rows.reasons)


def _drop_text(what: str, n: int, reasons: Mapping[str, int]) -> str | None:
    """The DataDroppedWarning text for ``n`` input rows of which ``reasons`` counts the
    dropped ones by reason, or None under the 5% threshold."""
    lost = sum(reasons.values())
    if not n or lost <= DROP_WARNING_SHARE * n:
        return None
    why = ", ".join(f"{c:,} {r}" for r, c in sorted(reasons.items(), key=lambda x: (-x[1], x[0])))
    return (
        f"{what}: {lost:,} of {n:,} rows ({lost / n:.0%}) were dropped ({why}); the result's "
        ".dropped lists them by row"
    )


def _finish(call: Callable[[], Any]) -> tuple[Any, list[warnings.WarningMessage]]:
    """Runs the finishing call with its warnings held back: its drop warning counts tuples, and
    is restated in rows (:func:`_reissue`)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call()
    return out, list(caught)


def _reissue(caught: list[warnings.WarningMessage], note: str | None) -> tuple[list[str], list[str]]:
    """Issues the held-back warnings as the single call would (the drop warning in rows) and
    returns (texts of the tuple-level drop warnings, the warnings' texts to record)."""
    tuple_notes = [str(w.message) for w in caught if issubclass(w.category, DataDroppedWarning)]
    if note is not None:
        warn(note, DataDroppedWarning)
    for w in caught:
        if not issubclass(w.category, DataDroppedWarning):
            warn(str(w.message), w.category)
    return tuple_notes, [note] if note is not None else []


def _notes(recorded: Iterable[str], tuple_notes: list[str], row_notes: list[str]) -> tuple[str, ...]:
    """The result's ``warnings``: the finishing call's, its drop note replaced by the rows' one."""
    return tuple(w for w in recorded if w not in tuple_notes) + tuple(row_notes)


_ROW_IN_MESSAGE = re.compile(r"\brow (\d+)\b")


def _first_row_of(ddf: Any, keys: list[str], values: pd.DataFrame) -> int | None:
    """The position in ``ddf`` of the first row whose tuple equals the one row of ``values``."""
    parts = [delayed(_first_match, pure=True)(p, keys, values) for p in ddf.to_delayed()]
    found = dask.compute(*parts)
    offset = 0
    for n, hit in found:
        if hit is not None:
            return offset + hit
        offset += n
    return None


def _first_match(part: pd.DataFrame, keys: list[str], values: pd.DataFrame) -> tuple[int, int | None]:
    left = part[keys].reset_index(drop=True)
    left["_cv_row"] = np.arange(len(part))
    hits = left.merge(values[keys], on=keys, how="inner")["_cv_row"]
    return len(part), (int(hits.min()) if len(hits) else None)


def _on_tuples(call: Callable[[], Any], ddf: Any, keys: list[str], table: pd.DataFrame) -> Any:
    """Runs ``call`` on the merged tuples; an error naming a row of the merged table ("row 12
    holds -5") is raised again naming the first input row holding that tuple."""
    try:
        return _finish(call)
    except CustomerValueError as exc:
        text = str(exc)
        match = _ROW_IN_MESSAGE.search(text)
        if match is None or int(match.group(1)) >= len(table):
            raise
        where = _first_row_of(ddf, keys, table.iloc[[int(match.group(1))]][keys])
        if where is None:
            raise
        new = type(exc)(text[: match.start(1)] + str(where) + text[match.end(1) :])
        raise new.with_traceback(exc.__traceback__) from None


def _refuse(argument: str, value: Any, what: str, why: str) -> ParameterError:
    return refuse("dask", argument, value, what, why)


# ---- mergeable states: map, combine (a tree), finish -------------------------------------------


@dataclasses.dataclass
class _Piece:
    """What the map of a state-based analysis gives for one partition, and the combine for a
    run of them (in partition order): the merged state of the partitions that built one, their
    tallies, and the first error a partition raised (its number, the error)."""

    state: Any
    tallies: list[_Tally]
    error: tuple[int, CustomerValueError] | None = None


def _state_of(
    part: pd.DataFrame, i: int, build: Callable[[pd.DataFrame], Any], columns: list[str], raise_missing: bool
) -> _Piece:
    """Map: the partition's state (``build(part)``) and tally. Under ``missing="raise"`` a
    partition holding a missing value builds nothing: the client raises the single-machine
    error, with the whole table's count and the first row's position. An error of the data (a
    negative price at row 12 of the partition) is kept, not raised, so that the client can
    name the row of the whole table. The map's own warnings (a part's drop share) are not the
    result's: the finish restates them for the whole table."""
    tally = _tally(part, columns, labels=False)
    if raise_missing and tally.missing:
        return _Piece(None, [tally])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            state = build(part)
    except CustomerValueError as exc:
        return _Piece(None, [tally], (i, exc))
    return _Piece(state, [tally])


def _merge_pieces(pieces: list[_Piece]) -> _Piece:
    """Combine: the states merged (``merge_all``: associative and commutative), the tallies
    kept in partition order, the first partition's error kept."""
    states = [p.state for p in pieces if p.state is not None]
    errors = [p.error for p in pieces if p.error is not None]
    return _Piece(
        type(states[0]).merge_all(states) if states else None,
        [t for p in pieces for t in p.tallies],
        min(errors, key=lambda e: e[0]) if errors else None,
    )


def _collect_state(
    ddf: Any,
    columns: list[str],
    build: Callable[[pd.DataFrame], Any],
    raise_missing: bool,
    split_every: int | None,
) -> _Piece:
    """The merged state of every partition of ``ddf[columns]`` (a tree of ``split_every``
    pieces at a time), computed: only the state reaches the client."""
    parts = ddf[columns].to_delayed()
    pieces = [delayed(_state_of, pure=True)(p, i, build, columns, raise_missing) for i, p in enumerate(parts)]
    root: _Piece = dask.compute(_tree(pieces, _merge_pieces, split_every or SPLIT_EVERY))[0]
    return root


def _raise_part_error(piece: _Piece) -> None:
    """Raises the error of the first partition that failed, a row it names ("row 12 holds -5")
    restated as the row of the whole table."""
    if piece.error is None:
        return
    i, exc = piece.error
    shifted = shift_row(exc, sum(t.n_rows for t in piece.tallies[:i]))
    if shifted is exc:
        raise exc
    raise shifted from None


def _state_notes(what: str, result: Any, caught: list[warnings.WarningMessage]) -> tuple[str, ...]:
    """Issues the finish's warnings as the single call would, its drop warning (the share of the
    whole table's rows dropped, which a state's finish does not restate) first, and returns the
    result's ``warnings``."""
    reasons: dict[str, int] = {}
    if result.n_missing or result.n_invalid:
        counts = result.dropped["reason"].astype(str).value_counts()
        reasons = {str(r): int(c) for r, c in counts.items()}
    note = _drop_text(what, result.n_rows, reasons)
    tuple_notes, row_notes = _reissue(caught, note)
    return _notes(result.warnings, tuple_notes, row_notes)


def _known_categories(ddf: Any, columns: Iterable[str | None]) -> None:
    """A categorical column whose categories dask does not know (they may differ by partition)
    has no one level order: refused, with the way to make them known."""
    for c in columns:
        if c is None:
            continue
        dtype = ddf._meta[c].dtype
        if isinstance(dtype, pd.CategoricalDtype) and "__UNKNOWN_CATEGORIES__" in list(dtype.categories):
            raise ParameterError(
                f"column '{c}': is a categorical whose categories dask does not know, so the partitions "
                f"may order its levels differently; make them known first (ddf = ddf.categorize(columns="
                f"['{c}'])), or cast the column to strings"
            )


# ---- rfm_summary ------------------------------------------------------------------------------

_DAY_DIVISORS = {"s": 86_400.0, "ms": 86_400.0 * 1e3, "us": 86_400.0 * 1e6, "ns": 86_400.0 * 1e9}


def _day_numbers(values: pd.Series, date_format: str | None) -> np.ndarray:
    """Whole days since 1970-01-01 as the core reads the date column (floor of the UTC
    instant, computed with the same floating-point steps), NaN where missing or unreadable."""
    if date_format is not None and not (
        pd.api.types.is_datetime64_any_dtype(values.dtype)
        or isinstance(values.dtype, pd.ArrowDtype)
        and pa.types.is_temporal(values.dtype.pyarrow_dtype)
    ):
        text = (
            values.astype(str).where(values.notna())
            if pd.api.types.is_integer_dtype(values.dtype)
            else values
        )
        parsed = pd.to_datetime(text, format=date_format, errors="coerce", utc=True)
        values = parsed.dt.tz_localize(None)
    arr = pa.table(as_arrow(values.to_frame(name="d"), ["d"])).column("d").combine_chunks()
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if (
        pa.types.is_string(arr.type)
        or pa.types.is_large_string(arr.type)
        or pa.types.is_string_view(arr.type)
    ):
        try:
            arr = arr.cast(pa.timestamp("ns"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            arr = pa.Array.from_pandas(pd.to_datetime(arr.to_pandas(), errors="coerce", format="ISO8601"))
    t = arr.type
    if pa.types.is_date32(t):
        out = arr.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(float)
    elif pa.types.is_date64(t):
        out = arr.cast(pa.int64()).to_numpy(zero_copy_only=False).astype(float) / _DAY_DIVISORS["ms"]
    elif pa.types.is_timestamp(t):
        raw = arr.cast(pa.int64()).to_numpy(zero_copy_only=False)
        out = raw.astype(float) / _DAY_DIVISORS[t.unit]
    else:
        return np.full(len(values), np.nan)
    out = np.floor(out) + 0.0
    if arr.null_count:
        out[~np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)] = np.nan
    return np.asarray(out, dtype=float)


@dataclasses.dataclass
class _LogStats:
    """One partition of the transaction log: its tally, and over its complete rows how many
    there are and their first and last day."""

    tally: _Tally
    n_complete: int
    first_day: float
    last_day: float


def _log_stats(part: pd.DataFrame, columns: list[str], date: str, date_format: str | None) -> _LogStats:
    tally = _tally(part, columns, labels=True)
    days = _day_numbers(part[date], date_format) if len(part) else np.zeros(0)
    ok = ~np.isnan(days)
    for c in columns:
        ok &= ~_missing_mask(part[c])
    n = int(ok.sum())
    return _LogStats(
        tally, n, float(days[ok].min()) if n else np.inf, float(days[ok].max()) if n else -np.inf
    )


def _summarise(
    part: pd.DataFrame,
    columns: list[str],
    options: dict[str, Any],
    end_day: float,
    cal_day: float | None,
    meta: pd.DataFrame,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """One customer partition summarised with the global observation end; a partition without
    rows, or whose rows all fall after the end, or whose customers all start after the
    calibration end, gives an empty frame of the summary's columns and types."""
    report = {"n_after_end": 0, "n_late_customers": 0, "n_invalid": 0}
    customer, date = columns[0], columns[1]
    if len(part):
        try:
            out = _rfm_summary(part, **options)
        except InputError:
            days = _day_numbers(part[date], options.get("date_format"))
            ok = np.ones(len(part), dtype=bool)
            for c in columns:
                ok &= ~_missing_mask(part[c])
            unread = ok & np.isnan(days)
            within = ok & (days <= end_day)
            late = cal_day is not None and within.any() and days[within].min() > cal_day
            if unread.any() or (within.any() and not late):
                raise  # an error of this partition's rows (a date it cannot read, ...)
            report["n_after_end"] = int((ok & ~within).sum())
            if late:
                report["n_late_customers"] = int(part.loc[within, customer].nunique())
        else:
            report = {
                "n_after_end": int(out.attrs.get("n_after_end", 0)),
                "n_late_customers": int(out.attrs.get("n_late_customers", 0)),
                "n_invalid": int(out.attrs.get("n_invalid", 0)),
            }
            out.attrs = dict(meta.attrs)
            return out, report
    empty = meta.copy()
    empty.attrs = dict(meta.attrs)
    return empty, report


def _take(pair: tuple[Any, Any], i: int) -> Any:
    return pair[i]


def _accounting(reports: list[dict[str, int]], stats: list[_LogStats], time_unit: str) -> dict[str, Any]:
    """The summary's row accounting, as the single call records it in ``attrs``."""
    labels = [s.tally.dropped for s in stats if s.tally.dropped is not None]
    n_missing = sum(s.tally.n_rows - s.n_complete for s in stats)
    dropped = (
        pd.DataFrame(
            {"reason": np.full(sum(len(x) for x in labels), "missing", dtype=object)},
            index=labels[0].append(labels[1:]),
        )
        if labels
        else _no_drops()
    )
    return {
        "time_unit": time_unit,
        "n_after_end": sum(r["n_after_end"] for r in reports),
        "n_late_customers": sum(r["n_late_customers"] for r in reports),
        "n_rows": sum(s.tally.n_rows for s in stats),
        "n_missing": n_missing,
        "n_invalid": sum(r["n_invalid"] for r in reports),
        "dropped": DroppedFrame(dropped),
    }


def rfm_summary(
    data: Any,
    customer: str = "customer_id",
    date: str = "date",
    amount: str | None = None,
    *,
    observation_end: Any = None,
    time_unit: str = "W",
    calibration_end: Any = None,
    missing: str = "raise",
    date_format: str | None = None,
    npartitions: int | None = None,
    shuffle_method: str | None = None,
) -> Any:
    """:func:`customervalue.rfm_summary` of a dask DataFrame: a lazy dask DataFrame with one
    row per customer, indexed by the customer id, partitioned by customer; computed, it equals
    the single-machine summary of the computed log (row order aside).

    Plan: (1) one small reduction over the log's partitions finds the first and last day of
    the complete rows, the row count and the missing values; the default observation end is
    the last day of the *whole* log (a partition's own would shorten T). Missing values under
    ``missing="raise"`` and a result that would be empty (every purchase after the end, every
    customer starting after ``calibration_end``) raise the single-machine error here, before
    any shuffle. (2) The rows are shuffled by customer (``npartitions`` partitions; default:
    as many as the log has; ``shuffle_method``: dask's, "p2p" or "tasks", default dask's choice),
    and (3) each partition is summarised with the global end.

    The summary's ``time_unit`` is in its meta and in every computed partition's ``attrs``;
    the log's row accounting is :func:`accounting` of the returned frame.

    Examples
    --------
    >>> import customervalue as cv, dask.dataframe as dd
    >>> tx = cv.datasets.transactions(300, seed=0)
    >>> summary = cv.rfm_summary(dd.from_pandas(tx, npartitions=4), amount="amount")
    >>> type(summary).__name__, summary.npartitions          # lazy, partitioned by customer
    ('DataFrame', 4)
    >>> summary.compute().sort_index().equals(cv.rfm_summary(tx, amount="amount"))
    True
    """
    _worker_threads()
    what = "rfm_summary"
    columns = [c for c in (customer, date, amount) if c is not None]
    ddf = _frame(data, what, columns)[columns]
    options = {
        "customer": customer,
        "date": date,
        "amount": amount,
        "time_unit": time_unit,
        "calibration_end": calibration_end,
        "missing": missing,
        "date_format": date_format,
    }
    parts = ddf.to_delayed()
    stats: list[_LogStats] = list(
        dask.compute(*[delayed(_log_stats, pure=True)(p, columns, date, date_format) for p in parts])
    )
    tallies = [s.tally for s in stats]
    n_rows = sum(t.n_rows for t in tallies)
    if n_rows == 0:
        _rfm_summary(ddf._meta, **options)  # the single-machine error for an empty table
    _raise_missing(tallies, columns, missing)
    if sum(s.n_complete for s in stats) == 0:
        raise InputError(f"column '{customer}': no rows left after dropping missing values")
    first_day = min(s.first_day for s in stats)
    if observation_end is None:
        end_day = max(s.last_day for s in stats)
    else:
        end_day = float(np.floor(_days(observation_end, "observation_end", date_format) or 0.0))
    end = pd.Timestamp(int(end_day), unit="D")
    cal = _days(calibration_end, "calibration_end", date_format)
    cal_day = None if cal is None else float(np.floor(cal))
    # one complete row on the first day, summarised as the whole log will be: raises the
    # single-machine error of a result that would be empty, and gives the summary's columns
    probe = ddf._meta_nonempty.iloc[:1].copy()
    probe[date] = pd.Series([pd.Timestamp(int(first_day), unit="D")], index=probe.index)
    if amount is not None:
        probe[amount] = 0.0
    shaped = _rfm_summary(probe, **{**options, "observation_end": end, "date_format": None})
    meta = shaped.iloc[:0].copy()
    meta.attrs = {"time_unit": time_unit}
    options["observation_end"] = end
    shuffled = ddf.shuffle(
        on=customer, npartitions=npartitions or ddf.npartitions, shuffle_method=shuffle_method
    )
    pieces = [
        delayed(_summarise, pure=True)(p, columns, options, end_day, cal_day, meta)
        for p in shuffled.to_delayed()
    ]
    frames = [delayed(_take, pure=True)(p, 0) for p in pieces]
    reports = [delayed(_take, pure=True)(p, 1) for p in pieces]
    out = dd.from_delayed(frames, meta=meta, verify_meta=False)
    object.__setattr__(out, "_cv_accounting", delayed(_accounting, pure=True)(reports, stats, time_unit))
    return out


def accounting(summary: Any) -> Any:
    """The row accounting of a summary made by :func:`rfm_summary` on a dask DataFrame, as a
    lazy value (a ``dask.delayed`` object computing to a dict): ``time_unit``, ``n_rows``,
    ``n_missing``, ``n_invalid``, ``n_after_end``, ``n_late_customers`` and ``dropped`` (the
    log's rows dropped for missing values, by their labels): what the single-machine summary
    holds in ``attrs``. ``dask.compute(summary, accounting(summary))`` computes both in one
    pass. Frames derived from the summary (a column selection, ``persist()``) do not carry it:
    keep the frame ``rfm_summary`` returned."""
    acc = getattr(summary, "_cv_accounting", None)
    if acc is None:
        raise ParameterError(
            "argument 'summary': has no row accounting; pass the frame cv.rfm_summary returned for a "
            "dask DataFrame (frames derived from it, such as a column selection, do not carry it)"
        )
    return acc


# ---- lifetime-value models: fits on merged patterns -------------------------------------------


def fit(model: Any, data: Any, *args: Any, split_every: int | None = None, **kwargs: Any) -> Any:
    """``model.fit(data, ...)`` on a dask DataFrame (a summary): fits BetaGeo, ModifiedBetaGeo,
    ParetoNBD, BetaGeoBetaBinom and GammaGamma on the merged patterns and returns ``model``,
    fitted.

    Map: each partition's distinct patterns with counts, (frequency, recency, T) (BG/BB:
    (frequency, recency, n_periods); Gamma-Gamma: (frequency, monetary_value), whose repeat
    buyers it fits); combine: counts of equal patterns added; finish: the patterns sorted by
    their values and fitted on the client with the counts as ``weights``, the same likelihood
    as the per-customer fit. ``n_rows_``, ``n_missing_``, ``n_invalid_``, ``dropped_`` (and
    Gamma-Gamma's ``n_used_``) count customers, as on one machine. Covariates need one row per
    customer: refused (fit on the computed summary).
    """
    _worker_threads()
    args_ = bind_args(type(model).fit, model, data, *args, **kwargs)
    name = f"{type(model).__name__}.fit"
    keys = btyd_pattern_keys(model, args_, data, "dask", "computed summary (summary.compute())")
    weights, missing = args_.get("weights"), args_.get("missing", "raise")
    ddf = _frame(data, f"{name}()", [*keys, weights])
    cols = [*keys, *([weights] if weights is not None else [])]
    table, tallies, count = _collect_counts(ddf, cols, split_every)
    n_rows = sum(t.n_rows for t in tallies)
    if n_rows == 0:
        model.fit(ddf._meta, *keys, weights=weights, missing=missing)  # the single-machine error
    _raise_missing(tallies, cols, missing)
    unit = ddf._meta.attrs.get("time_unit")
    if unit is not None:
        table.attrs["time_unit"] = unit
    wname = _weights_column(table, count, weights)
    model, caught = _on_tuples(
        lambda: model.fit(table, *keys, weights=wname, missing=missing), ddf, cols, table
    )
    rows = _restate_rows(ddf, cols, table, count, model.dropped_, n_rows)
    tuple_notes, _ = _reissue(caught, _drop_note(f"{name}()", rows))
    model.n_rows_, model.n_missing_, model.n_invalid_ = rows.n_rows, rows.n_missing, rows.n_invalid
    model.dropped_ = rows.dropped() if callable(rows.dropped) else rows.dropped
    if isinstance(model, GammaGamma):
        repeat = table[keys[0]].to_numpy(dtype=float, na_value=np.nan) > 0
        model.n_used_ = int(table[count].to_numpy()[rows.kept & repeat].sum())
    return model


# ---- predictions and CLV: maps with the fitted model ------------------------------------------


def _empty_like(meta: Any, index: pd.Index) -> Any:
    out = meta.iloc[:0].copy()
    out.index = index[:0]
    return out


def _apply(part: pd.DataFrame, call: Callable[..., Any], kwargs: dict[str, Any], meta: Any) -> Any:
    """One partition's predictions (an empty partition gives an empty result of the meta's
    type, on the partition's index)."""
    if len(part) == 0:
        return _empty_like(meta, part.index)
    return call(**{**kwargs, "data": part})


def _lazy_map(ddf: Any, call: Callable[..., Any], kwargs: dict[str, Any], name: str | None) -> Any:
    """``call(data=partition, **kwargs)`` over the partitions, lazily; its meta from a call on
    dask's made-up non-empty partition (a Series of floats named ``name`` if that fails)."""
    try:
        meta = call(**{**kwargs, "data": ddf._meta_nonempty.iloc[:2]}).iloc[:0]
    except CustomerValueError:
        meta = pd.Series([], dtype="float64", name=name, index=ddf._meta.index)
    return ddf.map_partitions(_apply, call, kwargs, meta, meta=meta, align_dataframes=False)


def _method(name: str) -> Callable[..., Any]:
    def adapter(model: Any, *args: Any, **kwargs: Any) -> Any:
        _worker_threads()
        method = getattr(type(model), name)
        args_ = bind_args(method, model, *args, **kwargs)
        args_.pop("self", None)
        data = args_.pop("data")
        ddf = _frame(data, f"{type(model).__name__}.{name}()", [])
        model._check_fitted()  # NotFittedError now, not when computed
        bound = getattr(model, name)
        return _lazy_map(ddf, bound, args_, name)

    adapter.__name__ = adapter.__qualname__ = name
    adapter.__doc__ = (
        f"``model.{name}(..., data, ...)`` for a dask DataFrame ``data`` (one row per customer): a "
        "lazy dask Series on ``data``'s index, each partition predicted with the fitted model (sent "
        "to the workers pickled); computed, it equals the single-machine predictions."
    )
    return adapter


probability_alive = _method("probability_alive")
conditional_expected_purchases = _method("conditional_expected_purchases")
conditional_probability_of_purchases = _method("conditional_probability_of_purchases")
discounted_expected_purchases = _method("discounted_expected_purchases")
discounted_expected_residual_transactions = _method("discounted_expected_residual_transactions")
log_likelihood = _method("log_likelihood")
conditional_expected_spend = _method("conditional_expected_spend")
conditional_expected_average_profit = conditional_expected_spend


def customer_lifetime_value(transaction_model: Any, spend_model: Any, data: Any, **kwargs: Any) -> Any:
    """:func:`customervalue.customer_lifetime_value` of a dask DataFrame of customers: a lazy
    dask Series ``clv`` (with ``ci``, a DataFrame ``clv``, ``ci_low``, ``ci_high``) on
    ``data``'s index, each partition valued with the fitted models.

    Exact: the parameter draws (``interval="parameters"``) and the bootstrap resamples of
    ``fit_data`` (``interval="bootstrap"``, a pandas table) depend only on the models, the
    seed and ``fit_data``, so each partition gets the intervals one call would give (every
    partition repeats the ``n_boot`` refits). A dask ``fit_data`` is refused. A horizon past what
    the model values accurately raises when computed.
    """
    _worker_threads()
    args_ = bind_args(_customer_lifetime_value, transaction_model, spend_model, data, **kwargs)
    _check_models(transaction_model, spend_model)  # now, not when computed
    if engine_of(args_.get("fit_data")) is not None:
        raise ParameterError(
            "argument 'fit_data': the bootstrap resamples the table the models were fitted on by row, "
            f"which needs it in memory; got {describe(args_['fit_data'], 'dask')}: pass "
            "fit_data=summary.compute(), or interval='parameters'"
        )
    ddf = _frame(args_.pop("data"), "customer_lifetime_value", [])
    if args_.get("ci") is None:
        meta: Any = pd.Series([], dtype="float64", name="clv", index=ddf._meta.index)
    else:
        meta = pd.DataFrame(
            {c: pd.Series([], dtype="float64") for c in ("clv", "ci_low", "ci_high")}, index=ddf._meta.index
        )
    return ddf.map_partitions(_apply, _clv_call, args_, meta, meta=meta, align_dataframes=False)


def _clv_call(**kwargs: Any) -> Any:
    return _customer_lifetime_value(**kwargs)


# ---- demand: curves, Van Westendorp, Gabor-Granger from merged states --------------------------


def _replace(result: Any, **changes: Any) -> Any:
    """A result with some fields changed, the lazy tables kept lazy."""
    values = {}
    for f in dataclasses.fields(result):
        if not f.init:
            continue
        if f.name in changes:
            values[f.name] = changes[f.name]
            continue
        slot = "_lazy_" + f.name
        values[f.name] = result.__dict__[slot] if slot in result.__dict__ else getattr(result, f.name)
    return type(result)(**values)


def _from_states(
    what: str,
    ddf: Any,
    read: Sequence[str | None],
    build: Callable[[pd.DataFrame], Any],
    empty: Callable[[], Any],
    finish: Callable[[Any], Any],
    missing: str,
    split_every: int | None,
) -> tuple[Any, tuple[str, ...]]:
    """The plan of every state-based aggregate: each partition's state built from its columns
    ``read`` (``build``), the states merged in a tree, the single-machine errors raised on the
    client (``empty()`` for a table without rows, missing values under ``missing="raise"`` with
    the whole table's count, an error naming a row of a partition restated for the whole
    table), then ``finish(state)``. Returns the result and its ``warnings``, issued as the
    single call issues them."""
    columns = list(dict.fromkeys(c for c in read if c is not None))
    piece = _collect_state(ddf, columns, build, missing == "raise", split_every)
    if sum(t.n_rows for t in piece.tallies) == 0:
        empty()
    _raise_missing(piece.tallies, columns, missing)
    _raise_part_error(piece)
    result, caught = _finish(lambda: finish(piece.state))
    return result, _state_notes(what, result, caught)


def _part_missing(missing: str) -> str:
    """The missing policy of a partition's state: with missing="raise" a partition holding a
    missing value builds nothing (the client raises); the others have none to drop."""
    return "drop" if missing == "raise" else missing


def demand_curve(
    data: Any,
    wtp: str = "wtp",
    *,
    weights: str | None = None,
    by: str | None = None,
    cost: float = 0.0,
    fixed_cost: float = 0.0,
    ci: float | None = None,
    seed: int = 0,
    market_size: float | None = None,
    n_boot: int = 1000,
    missing: str = "raise",
    progress: bool | None = None,
    split_every: int | None = None,
) -> DemandCurveResult:
    """:func:`customervalue.demand_curve` of a dask DataFrame, from merged WTP histograms
    (:class:`customervalue.demand.DemandCurveState`: per group and stated price the respondents
    and their weight). The same table and optima as the single call: bit for bit without
    ``weights``; with weights each price's weight sum adds the same terms in another order
    (within 1e-14 relative; measured 6e-16 on 200,000 respondents). The row accounting
    (``n_rows``, ``n_missing``, ``dropped`` by input label, the 5% warning) is the single
    call's. Bootstrap intervals (``ci``) resample respondents and are refused; so is
    ``premium_test`` on the result."""
    _worker_threads()
    if ci is not None:
        raise _refuse(
            "ci",
            ci,
            "cv.demand_curve",
            "bootstrap intervals resample respondents, which the "
            "merged histogram does not hold; pass ci=None, or run on the computed table or a sample",
        )
    ddf = _frame(data, "demand_curve", [wtp, weights, by])
    _known_categories(ddf, [by])
    options = {"weights": weights, "by": by, "missing": _part_missing(missing)}
    result, notes = _from_states(
        "demand_curve",
        ddf,
        [wtp, weights, by],
        functools.partial(_curve_state, wtp=wtp, options=options),
        lambda: _demand_curve(ddf._meta, wtp, weights=weights, by=by, missing=missing),
        lambda state: state.finish(cost=cost, fixed_cost=fixed_cost, market_size=market_size),
        missing,
        split_every,
    )
    return _replace(result, seed=seed, warnings=notes)  # type: ignore[no-any-return]


def _curve_state(part: pd.DataFrame, wtp: str, options: dict[str, Any]) -> DemandCurveState:
    return DemandCurveState.from_arrow(part, wtp, **options)


def van_westendorp(
    data: Any,
    too_cheap: str | None = "too_cheap",
    cheap: str = "cheap",
    expensive: str = "expensive",
    too_expensive: str = "too_expensive",
    *,
    range: str = "original",
    validate: str = "strict",
    interpolate: bool = False,
    intersection: str = "min",
    weights: str | None = None,
    by: str | None = None,
    nms: Mapping[str, Any] | None = None,
    cost: float | None = None,
    ci: float | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    missing: str = "raise",
    progress: bool | None = None,
    split_every: int | None = None,
) -> VanWestendorpResult:
    """:func:`customervalue.van_westendorp` of a dask DataFrame, from merged answer histograms
    (:class:`customervalue.demand.VanWestendorpState`).

    Map: each partition's state, per group and answer price the weight answering that price to
    each question and the change in the NMS reach slope there, plus the group's totals
    (respondents validated on the worker); combine: states merged in a tree (``split_every``
    at a time); finish: the curves, points, ranges and NMS on the client. The state is bounded
    by the distinct answer prices, not by the respondents (200,000 respondents of
    ``datasets.pricing_survey``: 328 state rows, 16 KB, against 179,861 distinct answer
    tuples). The curves, points, ranges and counts equal the single call's bit for bit without
    ``weights`` (and with weights whose sums are exact, such as halves); the NMS reach and
    fractional weights add the same terms in another order: equal to 1e-12 of each column's
    scale (measured on those 200,000: reach 1.6e-13, revenue and profit, price x reach, 2e-12
    of their largest value). The row accounting (``n_rows``,
    ``n_missing``, ``n_invalid``, ``dropped`` by input label, the 5% warning) is the single
    call's. Bootstrap intervals (``ci``) resample respondents and are refused.
    """
    _worker_threads()
    what = "van_westendorp"
    if ci is not None:
        raise _refuse(
            "ci",
            ci,
            "cv.van_westendorp",
            "bootstrap intervals resample respondents, which the "
            "merged histograms do not hold; pass ci=None, or run on the computed table or a sample",
        )
    intents: list[str | None] = [None, None]
    if isinstance(nms, Mapping) and "cheap" in nms and "expensive" in nms:
        intents = [nms["cheap"], nms["expensive"]]
    read = [too_cheap, cheap, expensive, too_expensive, weights, by, *intents]
    ddf = _frame(data, what, read)
    _known_categories(ddf, [by])
    prices = (too_cheap, cheap, expensive, too_expensive)
    options: dict[str, Any] = {
        "too_cheap": too_cheap,
        "cheap": cheap,
        "expensive": expensive,
        "too_expensive": too_expensive,
        "validate": validate,
        "weights": weights,
        "by": by,
        "nms": nms,
        "missing": _part_missing(missing),
    }
    # the single call ignores cost without NMS; the state refuses it
    finish = {"range": range, "interpolate": interpolate, "intersection": intersection}
    result, notes = _from_states(
        what,
        ddf,
        read,
        functools.partial(_vw_state, options=options),
        lambda: _van_westendorp(
            ddf._meta, *prices, validate=validate, weights=weights, by=by, nms=nms, missing=missing
        ),
        lambda state: state.finish(**finish, cost=cost if nms is not None else None),
        missing,
        split_every,
    )
    return _replace(result, seed=seed, warnings=notes)  # type: ignore[no-any-return]


def _vw_state(part: pd.DataFrame, options: dict[str, Any]) -> VanWestendorpState:
    return VanWestendorpState.from_arrow(part, **options)


def gabor_granger(
    data: Any,
    price: str = "price",
    buy: str = "buy",
    respondent: str | None = None,
    *,
    weights: str | None = None,
    cost: float = 0.0,
    fixed_cost: float = 0.0,
    market_size: float | None = None,
    nonmonotone: str = "first_refusal",
    kind: str = "point",
    missing: str = "raise",
    split_every: int | None = None,
) -> GaborGrangerResult:
    """:func:`customervalue.gabor_granger` of a dask DataFrame without ``respondent`` (each
    price read on its own), from merged ladder counts
    (:class:`customervalue.demand.GaborGrangerState`: per price and answer the rows and their
    weight). The same table and optima as the single call: bit for bit without ``weights``;
    with weights each price's sums add the same terms in another order (within 1e-12 relative;
    measured 2.5e-14 on 1.8 million answers: the shares are ratios of weight sums). With
    ``respondent`` each respondent's answers must be read together (the highest accepted
    price): not distributed yet, refused."""
    _worker_threads()
    if respondent is not None:
        raise _refuse(
            "respondent",
            respondent,
            "cv.gabor_granger",
            "each respondent's answers must be read together, which is not distributed yet; run on the "
            "computed table (ddf.compute()) or a sample of respondents, or drop respondent= to read "
            "each price on its own",
        )
    ddf = _frame(data, "gabor_granger", [price, buy, weights])
    options = {"weights": weights, "missing": _part_missing(missing)}
    result, notes = _from_states(
        "gabor_granger",
        ddf,
        [price, buy, weights],
        functools.partial(_ladder_state, price=price, buy=buy, options=options),
        lambda: _gabor_granger(ddf._meta, price, buy, weights=weights, missing=missing),
        lambda state: state.finish(cost=cost, fixed_cost=fixed_cost, market_size=market_size, kind=kind),
        missing,
        split_every,
    )
    return _replace(result, warnings=notes)  # type: ignore[no-any-return]


def _ladder_state(part: pd.DataFrame, price: str, buy: str, options: dict[str, Any]) -> GaborGrangerState:
    return GaborGrangerState.from_arrow(part, price, buy, **options)


# ---- themes: the theme x metadata grid from merged counts -------------------------------------


def theme_associations(
    data: Any,
    themes: Sequence[str],
    metadata: Sequence[str],
    *,
    correction: str = "fdr_bh",
    alpha: float = 0.05,
    min_count: int = 5,
    categorical: Sequence[str] = (),
    by: str | None = None,
    missing: str = "raise",
    ci: float = 0.95,
    top: int = 8,
    seed: int = 0,
    n_permutations: int = 2000,
    profiles: bool = True,
    min_support: float = 0.05,
    profiles_top: int = 5,
    split_every: int | None = None,
) -> ThemeAssociations:
    """:func:`customervalue.theme_associations` of a dask DataFrame, from merged counts
    (:class:`customervalue.themes.ThemeGridState`), with ``profiles=False``.

    Map: each partition's state, per stratum and metadata column the respondents and the
    mentions of each theme at each level (categorical columns) or distinct value (numeric
    columns); combine: states merged in a tree; finish: the grid on the client. Every test is a
    function of those counts, and the single call computes the grid from the same counts in the
    same order, so the table and highlights equal the single call's bit for bit (Mann-Whitney
    ranks and permutation p-values included). The state grows with the distinct values of the
    numeric columns: bin a continuous column first when that matters.

    Profiles (``profiles=True``, the single call's default) are conjunctions of conditions on
    quartile bins of the numeric columns, whose edges are quantiles of the whole table: refused.
    Pass ``profiles=False``, or search profiles on a sample (``ddf.sample(frac=0.01).compute()``).
    """
    _worker_threads()
    what = "theme_associations"
    if profiles:
        raise _refuse(
            "profiles",
            profiles,
            "cv.theme_associations",
            "profiles condition on quartile bins of the numeric columns, whose edges are quantiles of "
            "the whole table; pass profiles=False for the grid (exact from merged counts), or search "
            "profiles on a sample: cv.theme_associations(ddf.sample(frac=0.01).compute(), ...)",
        )
    check_choice("missing", missing, ["raise", "drop", "pairwise"])
    themes = testing_args(correction, alpha, themes)
    if isinstance(metadata, str):
        raise ParameterError("argument 'metadata': give a list of column names")
    metadata = list(metadata)
    if not themes:
        raise ParameterError("argument 'themes': give at least one theme column")
    if not metadata:
        raise ParameterError("argument 'metadata': give at least one metadata column")
    for name, value in (("min_count", min_count), ("n_permutations", n_permutations)):
        if int(value) < 1:
            raise ParameterError(f"argument '{name}': must be at least 1, got {value}")
    read = [*themes, *metadata, by]
    ddf = _frame(data, what, read)
    _known_categories(ddf, [*metadata, by])
    options: dict[str, Any] = {
        "themes": themes,
        "metadata": metadata,
        "categorical": tuple(categorical),
        "by": by,
        "missing": _part_missing(missing),
    }
    finish: dict[str, Any] = {
        "correction": correction,
        "alpha": alpha,
        "min_count": min_count,
        "ci": ci,
        "top": top,
        "seed": seed,
        "n_permutations": n_permutations,
    }
    result, notes = _from_states(
        what,
        ddf,
        read,
        functools.partial(_grid_state, options=options),
        lambda: _theme_associations(
            ddf._meta, themes, metadata, categorical=categorical, by=by, missing=missing, profiles=False
        ),
        lambda state: state.finish(**finish),
        missing,
        split_every,
    )
    return _replace(result, min_support=float(min_support), warnings=notes)  # type: ignore[no-any-return]


def _grid_state(part: pd.DataFrame, options: dict[str, Any]) -> ThemeGridState:
    return ThemeGridState.from_arrow(part, **options)


def theme_cooccurrence(
    data: Any,
    themes: Sequence[str],
    *,
    correction: str = "fdr_bh",
    alpha: float = 0.05,
    missing: str = "raise",
    split_every: int | None = None,
) -> ThemeCooccurrence:
    """:func:`customervalue.theme_cooccurrence` of a dask DataFrame, from merged counts
    (:class:`customervalue.themes.ThemeCooccurrenceState`: the respondents, each theme's
    mentions and each pair's joint mentions). The network is a function of those whole numbers,
    so the table equals the single call's bit for bit. The state is one row per pair of themes,
    whatever the rows."""
    _worker_threads()
    themes = testing_args(correction, alpha, themes)
    ddf = _frame(data, "theme_cooccurrence", themes)
    result, notes = _from_states(
        "theme_cooccurrence",
        ddf,
        themes,
        functools.partial(_cooccurrence_state, themes=themes, missing=_part_missing(missing)),
        lambda: _theme_cooccurrence(ddf._meta, themes, correction=correction, alpha=alpha, missing=missing),
        lambda state: state.finish(correction=correction, alpha=alpha),
        missing,
        split_every,
    )
    return _replace(result, warnings=notes)  # type: ignore[no-any-return]


def _cooccurrence_state(part: pd.DataFrame, themes: list[str], missing: str) -> ThemeCooccurrenceState:
    return ThemeCooccurrenceState.from_arrow(part, themes, missing=missing)


# ---- segmentation: k-means over the partitions -------------------------------------------------


@dataclasses.dataclass(frozen=True, repr=False)
class DaskClusterResult(Result):
    """The k-means clusters of a dask DataFrame (:func:`cluster`): what can be known without
    the whole table in memory. ``table`` is one row per cluster (cluster, size, share, then the
    centre in the features' original units, as ``cv.cluster``'s table); ``centers_`` the
    centres in original units; ``inertia_`` the sum of squared distances to the nearest centre
    in the clustering space (standardized features unless ``standardize=False``, as
    ``cv.cluster``); ``k_`` the clusters holding points; ``n_iter_`` the Lloyd steps;
    ``details`` the seeding and passes. ``labels_`` (and ``labels``) is a *lazy* dask Series
    named ``cluster`` on the input's index (-1 for a row dropped for a missing value);
    ``predict(data)`` labels new rows, lazily for a dask DataFrame. ``model`` holds the
    centres in the standardized space with the mean and scale that standardize.

    ``cv.cluster``'s plots, sweep and stability need every row in memory and are not here.

    Examples
    --------
    >>> import customervalue as cv, dask.dataframe as dd
    >>> df = cv.datasets.customers(1000, seed=0)
    >>> res = cv.cluster(dd.from_pandas(df, npartitions=4), features=["frequency", "avg_order_value"], k=3)
    >>> type(res).__name__, res.k_, res.centers_.shape, int(res.table["size"].sum())
    ('DaskClusterResult', 3, (3, 2), 1000)
    >>> labels = res.labels_.compute()        # lazy until computed; on the input's index
    >>> labels.index.equals(df.index), sorted(labels.unique().tolist())
    (True, [0, 1, 2])
    >>> bool((res.predict(df.head(5)) == labels.head(5).to_numpy()).all())
    True
    """

    labels_: Any = None
    centers_: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    inertia_: float = np.nan
    k_: int = 0
    n_iter_: int = 0
    method: str = "kmeans"
    features: list[str] = dataclasses.field(default_factory=list)
    details: dict[str, Any] = dataclasses.field(default_factory=dict)
    seed: int = 0
    model: ScaledKMeans | None = dataclasses.field(default=None, compare=False)

    @property
    def labels(self) -> Any:
        """The same lazy dask Series as ``labels_`` (``ddf["cluster"] = res.labels`` aligns)."""
        return self.labels_

    def summary(self) -> str:
        lines = [
            f"k-means over a dask DataFrame: k = {self.k_} on {len(self.features)} features, inertia "
            f"{self.inertia_:,.4g}, {self.n_iter_} Lloyd steps, {self.details.get('n_passes', 0)} passes"
        ]
        t = self.table
        for c, size, share in zip(t["cluster"], t["size"], t["share"], strict=True):
            lines.append(f"  cluster {int(c)}: {int(size)} customers ({share:.1%})")
        return "\n".join(lines)

    def predict(self, data: Any) -> Any:
        """Nearest-centre labels of new rows (same features and scaling): a numpy array for a
        pandas, polars or Arrow table, a lazy dask Series for a dask DataFrame."""
        if self.model is None:
            raise ParameterError("argument 'self': this result holds no fitted centres")
        if engine_of(data) == "dask":
            ddf = _frame(data, "DaskClusterResult.predict", self.features)
            meta = pd.Series([], dtype="int64", name="cluster", index=ddf._meta.index)
            return ddf.map_partitions(_label_part, self.model, "raise", meta=meta, align_dataframes=False)
        return self.model.predict(data)


def _label_part(part: pd.DataFrame, model: ScaledKMeans, missing: str) -> pd.Series:
    """One partition's labels, -1 for a row with a missing feature (``missing="drop"``)."""
    out = np.full(len(part), -1, dtype=np.int64)
    if len(part):
        complete = ~part[model.features].isna().any(axis=1).to_numpy() if missing == "drop" else None
        if complete is None:
            out[:] = model.predict(part)
        elif complete.any():
            out[complete] = model.predict(part[complete])
    return pd.Series(out, index=part.index, name="cluster")


@dataclasses.dataclass
class _FeatureTally:
    """One partition's rows for k-means: how many, the missing values per feature (as
    ``read_features`` counts them), the labels of rows with any, and the moments of the rest."""

    n_rows: int
    missing: dict[str, int]
    dropped: pd.Index
    moments: MomentsState


def _feature_tally(part: pd.DataFrame, features: list[str]) -> _FeatureTally:
    bad = part[features].isna()
    any_bad = bad.any(axis=1).to_numpy()
    counts = {c: int(n) for c, n in bad.sum().items() if n}
    moments = MomentsState.from_arrow(part[~any_bad] if any_bad.any() else part, features)
    return _FeatureTally(len(part), counts, part.index[any_bad], moments)


def _map_parts(parts: list[Any]) -> Callable[[Callable[[int, Any], Any]], list[Any]]:
    """``map_parts(f)`` for :func:`customervalue.segmentation.scaleout.kmeans`: ``f(i, part)``
    on every partition (delayed objects of persisted partitions), computed in one round, in
    partition order."""

    def map_parts(f: Callable[[int, Any], Any]) -> list[Any]:
        return list(dask.compute(*[delayed(f, pure=False)(i, p) for i, p in enumerate(parts)]))

    return map_parts


def cluster(
    data: Any,
    *,
    features: list[str],
    k: int | range | list[int] | None = None,
    method: str = "kmeans",
    standardize: bool = True,
    n_init: int = 1,
    seed: int = 0,
    eps: float | None = None,
    min_samples: int | None = None,
    gamma: float | None = None,
    n_boot: int = 0,
    missing: str = "raise",
    progress: bool | None = None,
    batch_size: int = 1024,
    init_steps: int = 2,
    oversampling: float = 2.0,
    max_iter: int = 300,
    tol: float = 1e-4,
) -> DaskClusterResult:
    """:func:`customervalue.cluster` of a dask DataFrame with ``method="kmeans"``: k-means over
    the partitions (:func:`customervalue.segmentation.scaleout.kmeans`), returning a
    :class:`DaskClusterResult` (centres, inertia, sizes, lazy labels).

    Plan: the feature columns are persisted (each pass reads them from the workers' memory,
    not from the source again); one pass counts the rows and missing values and merges the
    features' moments (the single call's checks and messages: a missing value under
    ``missing="raise"``, a constant feature); then k-means|| seeding as Spark MLlib runs it
    (``init_steps`` rounds sampling about ``oversampling x k`` candidates each, the candidates
    weighted by their nearest points, weighted k-means++ on the client), then Lloyd steps, one
    pass each, stopped as ``cv.cluster`` stops (``tol``, ``max_iter``). Each pass sends only
    sums (k x d numbers) to the client. ``n_init`` runs that many seedings (the first with
    ``seed``, the others with seeds drawn from it) and keeps the lowest inertia; 1 by default,
    as k-means|| replaces ``cv.cluster``'s ten k-means++ starts.

    Not the single call's bits (another seeding; plain rather than bounded Lloyd), but the same
    for a fixed partitioning and seed, and on well-separated clusters the single fit's
    clusters (adjusted Rand index >= 0.99, inertia within 1e-3). ``k`` must be a whole number;
    a sweep over k, bootstrap stability (``n_boot``) and the other methods need every row in
    memory and are refused (run them on a sample: ``ddf.sample(frac=0.01).compute()``).
    """
    _worker_threads()
    features, k = kmeans_args(
        "dask", features=features, k=k, method=method, n_boot=n_boot, n_init=n_init, missing=missing
    )
    ddf = _frame(data, "cluster", features)
    meta = ddf._meta
    for c in features:
        if not pd.api.types.is_numeric_dtype(meta[c]) or meta[c].dtype == bool:
            raise InputError(
                f"column '{c}': is {meta[c].dtype}, not numeric; encode it (k-prototypes, for mixed "
                "data, does not run on a dask DataFrame)"
            )
    persisted = ddf[features].persist()
    parts = persisted.to_delayed()
    tallies: list[_FeatureTally] = list(
        dask.compute(*[delayed(_feature_tally, pure=True)(p, features) for p in parts])
    )
    n_rows = sum(t.n_rows for t in tallies)
    best, n_kept, table, details = kmeans_over_parts(
        _map_parts(parts),
        features,
        k,
        n_rows=n_rows,
        missing_counts={c: sum(t.missing.get(c, 0) for t in tallies) for c in features},
        moments=[t.moments for t in tallies],
        missing=missing,
        seed=seed,
        n_init=n_init,
        standardize=standardize,
        init_steps=init_steps,
        oversampling=oversampling,
        max_iter=max_iter,
        tol=tol,
    )
    del persisted, parts
    dropped = [t.dropped for t in tallies if len(t.dropped)]
    meta_labels = pd.Series([], dtype="int64", name="cluster", index=ddf._meta.index)
    labels = ddf.map_partitions(_label_part, best, missing, meta=meta_labels, align_dataframes=False)
    n_missing = n_rows - n_kept
    reasons = {"missing": n_missing} if n_missing else {}
    note = _drop_text("cluster", n_rows, reasons)
    if note is not None:
        warn(note, DataDroppedWarning)
    return DaskClusterResult(
        table=table,
        labels_=labels,
        centers_=best.centers_original_units,
        inertia_=float(best.inertia),
        k_=int((best.counts > 0).sum()),
        n_iter_=int(best.n_iter),
        features=features,
        details=details,
        seed=int(seed),
        model=best,
        n_rows=n_rows,
        n_missing=n_missing,
        dropped=pd.DataFrame(
            {"reason": np.full(sum(len(x) for x in dropped), "missing", dtype=object)},
            index=dropped[0].append(dropped[1:]),
        )
        if dropped
        else _no_drops(ddf._meta.index.name),
        warnings=(note,) if note is not None else (),
    )
