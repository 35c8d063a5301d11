"""customervalue on Dask, the plan shared by :mod:`customervalue.dask`'s functions: the core's
threads on the workers, reading a dask table, distinct tuples with counts merged in a tree, the
row accounting restated in input rows, and mergeable states (map, combine in a tree, finish).
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

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
from dask import delayed

from ._boundary import DROP_WARNING_SHARE, warn
from ._engines import describe, engine_of, refuse, shift_row
from ._io import check_columns
from .errors import CustomerValueError, DataDroppedWarning, InputError, ParameterError

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
