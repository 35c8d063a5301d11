"""Tables in and out: pandas, polars and pyarrow all cross to Rust through Arrow.

Nothing here loops over rows: inputs go to Rust as Arrow (pandas through ``pyarrow``; polars
and pyarrow through the Arrow PyCapsule interface), results come back as pyarrow Tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .errors import InputError, ParameterError


def as_arrow(data: Any, columns: Iterable[str | None] = ()) -> Any:
    """Returns an Arrow-stream object holding at least the wanted ``columns`` of ``data``.

    A wanted column that does not exist raises InputError naming it and listing the columns the
    table has (the core, which sees only the selected columns, could not list them). pandas
    frames are converted with pyarrow (only the wanted columns, so a wide frame costs nothing
    extra); polars frames and pyarrow tables are passed through or column-selected.
    """
    wanted = [c for c in columns if c is not None]
    _check_present(data, wanted)
    if isinstance(data, pd.DataFrame):
        present = [c for c in dict.fromkeys(wanted) if c in data.columns] if wanted else list(data.columns)
        try:
            return _frame_to_arrow(data, present)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            bad = _first_unconvertible(data[present])
            raise InputError(_mixed_column_message(data[bad], bad, exc)) from None
    if isinstance(data, pa.Table):
        present = [c for c in dict.fromkeys(wanted) if c in data.column_names]
        return data.select(present) if wanted else data
    if isinstance(data, pa.RecordBatch):
        return as_arrow(pa.Table.from_batches([data]), wanted)
    if hasattr(data, "__arrow_c_stream__"):
        names = getattr(data, "columns", None)
        if wanted and names is not None and hasattr(data, "select"):
            present = [c for c in dict.fromkeys(wanted) if c in list(names)]
            return data.select(present)
        return data
    raise ParameterError(
        "argument 'data': expected a pandas DataFrame, a polars DataFrame or a pyarrow Table, "
        f"got {type(data).__name__}"
    )


def _frame_to_arrow(df: pd.DataFrame, names: list[Any]) -> pa.Table:
    """Columns of a pandas frame as a pyarrow Table for the core.

    A NumPy float column is handed over as it is: no copy, and NaN stays a NaN value rather than
    becoming a null. pyarrow's NaN-to-null pass costs about 2 ns a value, and the core reads
    every non-finite number as missing anyway, so the missing policy sees the same rows. Other
    columns (categories, strings, dates, nullable dtypes) are converted by pyarrow as usual.
    """
    if df.columns.has_duplicates:
        return pa.Table.from_pandas(df[names], preserve_index=False)
    arrays = {}
    for name in names:
        col = df[name]
        if isinstance(col.dtype, np.dtype) and col.dtype.kind == "f":
            arrays[str(name)] = pa.array(col.to_numpy(), from_pandas=False)
        else:
            arrays[str(name)] = pa.Array.from_pandas(col)
    return pa.table(arrays)


def _check_present(data: Any, wanted: list[str]) -> None:
    names = getattr(data, "column_names", None) if isinstance(data, (pa.Table, pa.RecordBatch)) else None
    if names is None:
        names = getattr(data, "columns", None)
    if names is None or not wanted:
        return
    have = [str(c) for c in list(names)]
    known = set(have)
    for c in wanted:
        if c not in known:
            shown = ", ".join(have[:30]) + (f", ... ({len(have)} in all)" if len(have) > 30 else "")
            raise InputError(f"column '{c}': not found in the table; its columns are: {shown}")


def _mixed_column_message(col: pd.Series, name: str, exc: Exception) -> str:
    """What is wrong with an object column pyarrow cannot type: the first value whose kind
    (text or number) differs from the first value's, with its row label and the fix."""
    values = col.to_numpy()
    present = [i for i, v in enumerate(values) if v is not None and not (isinstance(v, float) and v != v)]
    if present:
        first = values[present[0]]
        is_text = isinstance(first, (str, bytes))
        odd = next((i for i in present if isinstance(values[i], (str, bytes)) != is_text), None)
        if odd is not None:
            text_row = odd if not is_text else present[0]
            return (
                f"column '{name}': mixes text and numbers: row {col.index[odd]!r} holds "
                f"{values[odd]!r} ({type(values[odd]).__name__}) while row {col.index[present[0]]!r} "
                f"holds {first!r} ({type(first).__name__}); if the column is money or a count, convert "
                f"it first, e.g. df['{name}'] = pd.to_numeric(df['{name}'].astype(str).str.replace("
                f"r'[^0-9.eE+-]', '', regex=True)) (row {col.index[text_row]!r} is text)"
            )
    return (
        f"column '{name}': cannot be read as a typed column ({exc}); give it one type "
        "(numbers, text or dates)"
    )


def _first_unconvertible(df: pd.DataFrame) -> str:
    for name in df.columns:
        try:
            pa.array(df[name])
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return str(name)
    return str(df.columns[0]) if len(df.columns) else "?"


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """A pyarrow Table as pandas: dictionaries become ``category``, dates ``datetime64``."""
    return table.to_pandas(date_as_object=False)


def check_choice(name: str, value: Any, choices: Sequence[Any]) -> None:
    """Raises ParameterError unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ParameterError(
            f"argument '{name}': must be one of {', '.join(map(repr, choices))}, got {value!r}"
        )


def frame(data: Any, columns: Iterable[str], what: str = "input") -> pd.DataFrame:
    """``data`` as a pandas DataFrame holding ``columns``, for the pure-Python analyses.

    pandas frames are used as they are (no copy); polars frames and pyarrow tables are converted,
    wanted columns only. InputError names a missing column; an empty table is an InputError too.
    """
    wanted = list(dict.fromkeys(columns))
    df = data if isinstance(data, pd.DataFrame) else to_pandas(pa.table(as_arrow(data, wanted)))
    for c in wanted:
        if c not in df.columns:
            names = ", ".join(map(str, df.columns))
            raise InputError(f"column '{c}': not found in the {what} table; its columns are: {names}")
    if len(df) == 0:
        raise InputError(f"column '{wanted[0] if wanted else '?'}': the {what} table is empty (0 rows)")
    return df


def segment_codes(seg: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and labels of a segment column: a categorical keeps its category order,
    anything else is sorted. A category with no rows is an InputError naming the column."""
    if isinstance(seg.dtype, pd.CategoricalDtype):
        codes = seg.cat.codes.to_numpy().astype(np.int64, copy=False)
        labels = pd.Index(seg.cat.categories)
        sizes = np.bincount(codes, minlength=len(labels))
        if (sizes == 0).any():
            empty = ", ".join(map(repr, labels[sizes == 0][:5]))
            raise InputError(
                f"column '{seg.name}': segment(s) {empty} have no responses; drop unused categories "
                "(Series.cat.remove_unused_categories()) or filter the table"
            )
        return codes, labels
    codes, labels = pd.factorize(seg, sort=True)
    return codes.astype(np.int64, copy=False), pd.Index(labels)
