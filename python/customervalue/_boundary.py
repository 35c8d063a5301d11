"""The one boundary between the caller's table and the core: rows in, rows accounted for.

Every analysis reads its table through :func:`read_input`, which remembers the caller's row
labels (the pandas index; row positions for polars and pyarrow input) next to the Arrow data the
core reads. The core reports, in one layout for every analysis, which input rows it dropped and
why (a table of input positions and reasons; see ``src/table/rows.rs``). :meth:`Input.envelope`
turns that report into the fields every result carries:

* ``n_rows``: rows in the input;
* ``n_missing``: rows dropped for a missing value (null, NaN, +-inf) under ``missing="drop"``;
* ``n_invalid``: rows dropped by the analysis's own validation (inconsistent answers, a
  non-positive spend of a repeat buyer, ...);
* ``dropped``: a DataFrame indexed by the dropped rows' input labels, with the ``reason``;
* ``warnings``: what the analysis warned about, as text.

When more than 5% of the rows are dropped for any reason a :class:`DataDroppedWarning` says
how many, why, and where to look (``result.dropped``).
"""

from __future__ import annotations

import os
import sys
import warnings as _warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ._engines import refuse_engine_table
from ._io import as_arrow, check_choice
from .errors import CustomerValueWarning, DataDroppedWarning, ParameterError

#: Share of dropped rows above which a DataDroppedWarning is issued.
DROP_WARNING_SHARE = 0.05


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def user_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first caller outside this package."""
    level = 1
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def warn(message: str, category: type[Warning] | None = None) -> None:
    """Issues a customervalue warning pointed at the user's line."""
    _warnings.warn(message, category or CustomerValueWarning, stacklevel=user_stacklevel() + 1)


def _empty_dropped(index_name: Any = None) -> pd.DataFrame:
    return pd.DataFrame({"reason": pd.Series([], dtype="object")}, index=pd.Index([], name=index_name))


class DroppedFrame(pd.DataFrame):
    """The dropped rows kept in a table's ``attrs`` (``rfm_summary``): a DataFrame that compares
    as a whole, ``a == b`` being ``a.equals(b)``. pandas compares the ``attrs`` of the tables it
    concatenates or merges (``attrs == attrs``), and two plain DataFrames compare to a table of
    booleans that cannot be read as one, which made ``summary.merge(other_summary)`` fail."""

    _metadata: list[str] = []

    @property
    def _constructor(self) -> Any:
        return DroppedFrame

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return isinstance(other, pd.DataFrame) and pd.DataFrame(self).equals(pd.DataFrame(other))

    def __ne__(self, other: object) -> bool:  # type: ignore[override]
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]


class DroppedRows:
    """The dropped rows, kept as their labels and reasons until first read, then built as a
    DataFrame indexed by the labels (picklable, unlike a closure)."""

    def __init__(self, labels: pd.Index, reasons: np.ndarray) -> None:
        self.labels, self.reasons = labels, reasons

    def __call__(self) -> pd.DataFrame:
        if not len(self.labels):
            return _empty_dropped(self.labels.name)
        return pd.DataFrame({"reason": self.reasons}, index=self.labels)


class Envelope:
    """The row accounting every result carries (see the module docstring). ``dropped`` is
    built when first read (a DataFrame costs a fixed 0.1-0.3 ms, which fast analyses would pay
    on every call); results take it lazily through ``as_fields``."""

    def __init__(
        self,
        n_rows: int = 0,
        n_missing: int = 0,
        n_invalid: int = 0,
        dropped: Any = None,
        warnings: tuple[str, ...] = (),
    ) -> None:
        self.n_rows, self.n_missing, self.n_invalid, self.warnings = n_rows, n_missing, n_invalid, warnings
        self._dropped = dropped if dropped is not None else _empty_dropped

    @property
    def dropped(self) -> pd.DataFrame:
        """The dropped rows: indexed by their input labels, with the ``reason``."""
        if callable(self._dropped):
            self._dropped = self._dropped()
        return self._dropped

    def as_fields(self) -> dict[str, Any]:
        """The envelope as keyword arguments of a result's constructor."""
        return {
            "n_rows": self.n_rows,
            "n_missing": self.n_missing,
            "n_invalid": self.n_invalid,
            "dropped": self._dropped,
            "warnings": self.warnings,
        }


def index_of(data: Any) -> pd.Index:
    """The caller's row labels: a pandas frame's (or Series') index, else row positions.
    An engine's table (dask, Spark) is refused: its length would be a computation."""
    refuse_engine_table(data)
    if isinstance(data, (pd.DataFrame, pd.Series)):
        return data.index
    n = getattr(data, "num_rows", None)
    if n is None:
        n = getattr(data, "height", None)
    if n is None:
        try:
            n = len(data)
        except TypeError:
            n = pa.table(data).num_rows
    return pd.RangeIndex(int(n))


def as_series(values: Any, name: str) -> pd.Series | None:
    """One column given on its own as a pandas Series, or None when ``values`` is a table.

    A pandas Series is used as it is (its index names the rows); a list, tuple, NumPy array,
    pyarrow Array or ChunkedArray, or polars Series is numbered by position. An unnamed column
    is called ``name``.
    """
    if isinstance(values, pd.Series):
        s = values
    elif isinstance(values, (np.ndarray, list, tuple)):
        s = pd.Series(np.asarray(values))
    elif isinstance(values, (pa.Array, pa.ChunkedArray)):
        s = values.to_pandas()
    elif type(values).__module__.partition(".")[0] == "polars" and type(values).__name__ == "Series":
        s = values.to_pandas()
    else:
        return None
    return s if s.name is not None and s.name != "" else s.rename(name)


@dataclass
class Input:
    """A caller's table on its way to the core: the Arrow data of the wanted columns and the
    caller's row labels, so that results can be put back on the caller's rows."""

    arrow: Any
    index: pd.Index
    what: str = "analysis"

    @property
    def n_rows(self) -> int:
        return len(self.index)

    def envelope(
        self,
        core: dict[str, Any] | None = None,
        *,
        warnings: list[str] | tuple[str, ...] | None = None,
        extra: list[tuple[Any, str]] | None = None,
    ) -> Envelope:
        """The result envelope from the core's report (``core["dropped"]``: a table of input
        positions ``row`` and ``reason``) and its statements about the data (``core["warnings"]``,
        unless ``warnings`` is given), each issued as a CustomerValueWarning. ``extra`` adds
        (input positions, reason) found on the Python side. Issues DataDroppedWarning when more
        than 5% of the rows were dropped.
        """
        rows: list[np.ndarray] = []
        reasons: list[np.ndarray] = []
        table = None if core is None else core.get("dropped")
        if table is not None and len(table):
            t = pa.table(table)
            rows.append(np.asarray(t.column("row").to_numpy(), dtype=np.int64))
            reasons.append(t.column("reason").to_pandas().to_numpy(dtype=object))
        for pos, reason in extra or []:
            p = np.asarray(pos, dtype=np.int64)
            rows.append(p)
            reasons.append(np.full(len(p), reason, dtype=object))
        if rows:
            pos = np.concatenate(rows)
            why = np.concatenate(reasons)
            order = np.argsort(pos, kind="stable")
            pos, why = pos[order], why[order]
        else:
            pos, why = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
        dropped = DroppedRows(self.index.take(pos) if len(pos) else self.index[:0], why)
        n_missing = int((why == "missing").sum())
        n_invalid = len(why) - n_missing
        if warnings is None:
            warnings = tuple(core.get("warnings", ())) if core is not None else ()
        notes = list(warnings)
        n = self.n_rows
        if n and len(why) > DROP_WARNING_SHARE * n:
            kinds, counts = np.unique(why.astype(str), return_counts=True)
            why_text = ", ".join(
                f"{c:,} {r}" for r, c in sorted(zip(kinds, counts, strict=True), key=lambda x: -x[1])
            )
            msg = (
                f"{self.what}: {len(why):,} of {n:,} rows ({len(why) / n:.0%}) were dropped "
                f"({why_text}); the result's .dropped lists them by row"
            )
            notes.append(msg)
            warn(msg, DataDroppedWarning)
        for w in warnings:
            warn(w)
        return Envelope(n, n_missing, n_invalid, dropped, tuple(notes))


def read_input(data: Any, columns: Any = (), *, what: str = "analysis") -> Input:
    """Reads the wanted ``columns`` of ``data`` for the core, remembering the caller's row labels.

    A pandas Series where a table is expected is refused with the fix (a frame and column names).
    The table itself is checked on the way (:func:`customervalue._io.as_arrow`): a wanted column
    that is missing or repeated, named by a number, or holding text that UTF-8 cannot hold (a
    lone surrogate) is an InputError naming it; a polars column of only missing values (the
    Arrow null type) reaches the core as missing values. The arguments are checked before, on
    entry to the public function (:mod:`customervalue._checks`). An engine's table (dask,
    Spark) is a ParameterError naming the public function
    (:func:`customervalue._engines.refuse_engine_table`): the functions that run on an engine
    dispatch to it before reading.
    """
    refuse_engine_table(data, what)
    if isinstance(data, pd.Series):
        raise ParameterError(
            f"{what}: takes a DataFrame and column names, got a Series"
            + (f" ('{data.name}')" if data.name is not None else "")
            + "; pass the DataFrame itself (or series.to_frame()) and name its columns"
        )
    arrow = as_arrow(data, list(columns))
    return Input(arrow, index_of(data), what)


def drop_missing(
    df: pd.DataFrame, columns: Any, missing: str, *, what: str = "analysis"
) -> tuple[pd.DataFrame, Envelope]:
    """The missing policy for the analyses written in Python (on a pandas frame): "raise" names
    the first column with missing values (NaN, None, +-inf), their count and the first row's
    label; "drop" drops those rows and returns the envelope that lists them."""
    check_choice("missing", missing, ["raise", "drop"])
    bad = None
    for c in dict.fromkeys(columns):
        s = df[c]
        m = s.isna().to_numpy()
        if pd.api.types.is_float_dtype(s.dtype):
            m = m | ~np.isfinite(s.to_numpy(dtype=float, na_value=np.nan))
        if m.any():
            if missing == "raise":
                from .errors import InputError

                first = df.index[int(np.argmax(m))]
                raise InputError(
                    f"column '{c}': {int(m.sum())} missing value(s), the first at row {first!r}; "
                    "pass missing='drop' to drop those rows (the result lists them in .dropped)"
                )
            bad = m if bad is None else bad | m
    inp = Input(None, df.index, what)
    if bad is None:
        return df, inp.envelope()
    env = inp.envelope(extra=[(np.flatnonzero(bad), "missing")])
    return df.loc[~bad], env
