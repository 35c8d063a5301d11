"""Tables in and out: pandas, polars and pyarrow all cross to Rust through Arrow.

Nothing here loops over rows: inputs go to Rust as Arrow (pandas through ``pyarrow``; polars
and pyarrow through the Arrow PyCapsule interface), results come back as pyarrow Tables.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

from ._engines import refuse_engine_table
from .errors import InputError, ParameterError


def as_arrow(data: Any, columns: Iterable[str | None] = ()) -> Any:
    """Returns an Arrow-stream object holding at least the wanted ``columns`` of ``data``.

    A wanted column that does not exist, or that the table holds twice, raises InputError
    naming it (:func:`check_columns`). pandas frames are converted with pyarrow (only the
    wanted columns, so a wide frame costs nothing extra); a wanted pandas column named by a
    number is an InputError (the core takes names as text), and so is text that Arrow cannot
    hold (a lone surrogate, :func:`surrogate_error`). polars frames and pyarrow tables are passed
    through or column-selected; polars columns of the null type go through pyarrow
    (:func:`_null_columns_through_pyarrow`). An engine's table (dask, Spark) is a
    ParameterError naming the public function (:func:`customervalue._engines.refuse_engine_table`).
    """
    refuse_engine_table(data)
    wanted = [c for c in columns if c is not None]
    if type(data).__module__.startswith("customervalue.") and hasattr(data, "__arrow_c_stream__"):
        data = pa.table(data)  # a result object: its main table (Result.to_arrow)
    check_columns(data, wanted)
    if isinstance(data, pd.DataFrame):
        present = [c for c in dict.fromkeys(wanted) if c in data.columns] if wanted else list(data.columns)
        odd = next((c for c in present if not isinstance(c, str)), None)
        if odd is not None and wanted:
            raise InputError(
                f"column {odd!r}: the analysis reads columns by name, as text, and this column's name "
                f"is the {type(odd).__name__} {odd!r}; rename the columns first, e.g. "
                f"df.columns = df.columns.astype(str), and pass '{odd}'"
            )
        try:
            return _frame_to_arrow(data, present)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            bad = _first_unconvertible(data[present])
            raise InputError(_mixed_column_message(data[bad], bad, exc)) from None
        except UnicodeEncodeError:
            raise _surrogate_error(data[present]) from None
    if isinstance(data, pa.Table):
        present = [c for c in dict.fromkeys(wanted) if c in data.column_names]
        return data.select(present) if wanted else data
    if isinstance(data, pa.RecordBatch):
        return as_arrow(pa.Table.from_batches([data]), wanted)
    if hasattr(data, "__arrow_c_stream__"):
        names = getattr(data, "columns", None)
        if wanted and names is not None and hasattr(data, "select"):
            present = [c for c in dict.fromkeys(wanted) if c in list(names)]
            data = data.select(present)
        return _null_columns_through_pyarrow(data)
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


def check_columns(data: Any, wanted: list[Any]) -> None:
    """Each wanted column is in the table, exactly once (every column is checked for repeats
    when none is named, the whole table being read).

    A missing column is an InputError naming it and listing the table's columns (the core, which
    sees only the selected columns, could not list them). A name the table holds twice (pandas
    and Arrow allow it) is an InputError naming it: no analysis can tell which is meant.
    """
    names = getattr(data, "column_names", None) if isinstance(data, (pa.Table, pa.RecordBatch)) else None
    if names is None:
        names = getattr(data, "columns", None)
    if names is None:
        return
    names = list(names)
    try:
        counts = Counter(names)
    except TypeError:  # unhashable names: nothing to compare them with
        return
    for c in wanted:
        try:
            if c in counts:
                continue
        except TypeError:  # an unhashable name (a list, ...) is no column's
            pass
        have = [str(n) for n in names]
        shown = ", ".join(have[:30]) + (f", ... ({len(have)} in all)" if len(have) > 30 else "")
        twin = next((n for n in names if str(n) == str(c)), None)
        hint = (
            f" (it has {twin!r} as {type(twin).__name__}, not {type(c).__name__}: pass {twin!r})"
            if twin is not None
            else ""
        )
        raise InputError(f"column '{c}': not found in the table{hint}; its columns are: {shown}")
    for c in dict.fromkeys(wanted) if wanted else counts:
        if counts[c] > 1:
            raise InputError(
                f"column '{c}': the table has {counts[c]} columns named '{c}', and the analysis cannot "
                "tell which one is meant; drop or rename the duplicates first (pandas: "
                "df = df.loc[:, ~df.columns.duplicated()] keeps the first; pyarrow: "
                "table.rename_columns([...]) or table.drop_columns([...]))"
            )


def _null_columns_through_pyarrow(data: Any) -> Any:
    """An Arrow stream whose columns of the Arrow null type (polars' ``Null``: a column of only
    missing values, e.g. ``pl.DataFrame({"x": [None, None]})``) pass through pyarrow.

    polars exports a null column with a buffer that the core's Arrow reader refuses (a
    ``TypeError`` of the C Data interface), while pyarrow exports it as the format describes;
    the core then reads it as a column of missing values, under the ``missing`` policy as any
    other. Other tables pass unchanged (no copy)."""
    schema = getattr(data, "schema", None)
    if type(data).__module__.partition(".")[0] != "polars" or schema is None:
        return data
    if any(str(dtype) == "Null" for dtype in dict(schema).values()):
        return pa.table(data)
    return data


def _surrogate_error(df: pd.DataFrame) -> InputError:
    """The InputError for text that Arrow (UTF-8) cannot hold: a lone surrogate, the first one
    by column and row, named with its row label and the fix."""
    for name in df.columns:
        where = lone_surrogate(df[name])
        if where is not None:
            return surrogate_error(str(name), *where)
    bad = next((str(n) for n in df.columns if not _utf8_ok(str(n))), "?")
    return InputError(f"column {bad!r}: the column's name is not valid Unicode (a lone surrogate); rename it")


def _utf8_ok(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def lone_surrogate(values: Any, index: Any = None) -> tuple[Any, str] | None:
    """The (row label, text) of the first text in ``values`` that UTF-8 cannot encode (one
    holding a lone surrogate such as ``"\\ud800"``), or None. ``index``: the row labels (a
    Series' own index by default, else positions)."""
    if index is None:
        index = values.index if isinstance(values, pd.Series) else range(len(values))
    items = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
    for label, v in zip(index, items, strict=False):
        if isinstance(v, str) and not _utf8_ok(v):
            return label, v
    return None


def surrogate_error(name: str, label: Any, text: str) -> InputError:
    """The InputError for a text holding a lone surrogate (see :func:`lone_surrogate`).

    Such text is refused rather than repaired: it comes from bytes decoded with the wrong
    encoding (or ``errors="surrogateescape"``), and replacing it silently could merge distinct
    ids (``"a\\ud800"`` and ``"a\\udc80"`` would both become ``"a?"``); the fix is the user's
    to choose.
    """
    pos = next(i for i, ch in enumerate(text) if not _utf8_ok(ch))
    return InputError(
        f"column '{name}': row {label!r} holds text that is not valid Unicode (a lone surrogate, "
        f"{text[pos]!r}, at character {pos}), which Arrow text (UTF-8) cannot hold; it usually comes "
        "from reading a file with the wrong encoding: re-read it with the right one, or replace the "
        f"bad characters: df['{name}'] = df['{name}'].str.encode('utf-8', 'replace').str.decode('utf-8')"
    )


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
    """A pyarrow Table as pandas: dictionaries become ``category``, dates ``datetime64``.

    A dictionary column of the null type (only missing values, e.g. an all-null column
    dictionary-encoded) becomes a column of None: pandas has no categorical without categories
    from Arrow ("Categorical categories cannot be null"), and the missing policy then sees its
    values as missing, as the core does.
    """
    if isinstance(table, pa.Table):
        for i, field in enumerate(table.schema):
            if pa.types.is_dictionary(field.type) and pa.types.is_null(field.type.value_type):
                table = table.set_column(i, field.name, pa.nulls(table.num_rows))
    return table.to_pandas(date_as_object=False)


def check_choice(name: str, value: Any, choices: Sequence[Any]) -> None:
    """Raises ParameterError unless ``value`` is one of ``choices`` (None included)."""
    try:  # text only equals text (not a NumPy array of it); other choices compare as they are
        ok = any(
            (isinstance(value, str) and value == c) if isinstance(c, str) else bool(value == c)
            for c in choices
        )
    except (TypeError, ValueError):  # an array compared with a number
        ok = False
    if not ok:
        raise ParameterError(
            f"argument '{name}': must be one of {', '.join(map(repr, choices))}, got {value!r}"
        )


def frame(data: Any, columns: Iterable[str], what: str = "input") -> pd.DataFrame:
    """``data`` as a pandas DataFrame holding ``columns``, for the pure-Python analyses.

    pandas frames are used as they are (no copy); polars frames and pyarrow tables are converted,
    wanted columns only. InputError names a missing or repeated column (:func:`check_columns`)
    and text that Arrow cannot hold (a lone surrogate, :func:`surrogate_error`: the results go
    out as Arrow too); an empty table is an InputError too. An engine's table (dask, Spark) is a
    ParameterError naming the public function (:func:`customervalue._engines.refuse_engine_table`).
    """
    refuse_engine_table(data)
    wanted = list(dict.fromkeys(columns))
    check_columns(data, wanted)
    df = data if isinstance(data, pd.DataFrame) else to_pandas(pa.table(as_arrow(data, wanted)))
    for c in wanted:
        if c not in df.columns:
            names = ", ".join(map(str, df.columns))
            raise InputError(f"column '{c}': not found in the {what} table; its columns are: {names}")
        if isinstance(data, pd.DataFrame):
            _check_text(df[c], c)
    if len(df) == 0:
        raise InputError(f"column '{wanted[0] if wanted else '?'}': the {what} table is empty (0 rows)")
    return df


def _check_text(col: pd.Series, name: Any) -> None:
    """InputError when a pandas text column (object dtype, or categories of objects) holds a lone
    surrogate; pyarrow finds one at C speed (pandas' own Arrow-backed text cannot hold one)."""
    values: Any = col
    if isinstance(col.dtype, pd.CategoricalDtype):
        values = col.cat.categories
    if values.dtype != object:
        return
    try:
        pa.array(values, from_pandas=True)
    except UnicodeEncodeError:
        where = lone_surrogate(col)
        if where is not None:
            raise surrogate_error(str(name), *where) from None
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        pass  # mixed or odd objects: the analysis names what it cannot read


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


# ---- tables out: pandas by default, polars or pyarrow on request ---------------------------
#
# Results are pandas (DESIGN.md, "Data in and out"). The ``output`` option lets the public
# functions that return a table or a column directly (``rfm_summary``, ``segment``, the
# lifetime-value models' predictions, ...; each marked with :func:`follows_output_option`)
# hand back polars or pyarrow instead; result objects stay pandas and convert on request with
# ``to_polars()`` / ``to_arrow()`` / ``__arrow_c_stream__`` (customervalue._result).

#: The values of the ``output`` option.
OUTPUTS = ("pandas", "polars", "pyarrow", "auto")
#: The values of the ``plot_backend`` option (and of the plot methods' ``backend=``).
PLOT_BACKENDS = ("matplotlib", "plotly")

_DEFAULTS: dict[str, Any] = {"output": "pandas", "plot_backend": "matplotlib"}
_OPTIONS: dict[str, Any] = dict(_DEFAULTS)
# option_context's values: local to the thread or async task that entered it
_LOCAL: ContextVar[dict[str, Any] | None] = ContextVar("customervalue_options", default=None)


def _checked(output: str | None, plot_backend: str | None) -> dict[str, Any]:
    """The options given (not None), each checked against its values."""
    new: dict[str, Any] = {}
    if output is not None:
        check_choice("output", output, OUTPUTS)
        new["output"] = output
    if plot_backend is not None:
        check_choice("plot_backend", plot_backend, PLOT_BACKENDS)
        new["plot_backend"] = plot_backend
    if not new:
        raise ParameterError(
            f"no option given; pass one or more of: {', '.join(f'{k}=...' for k in _DEFAULTS)}"
        )
    return new


def get_option(name: str) -> Any:
    """The value of option ``name``: ``"output"`` or ``"plot_backend"`` (see :func:`set_option`).

    Examples
    --------
    >>> import customervalue as cv
    >>> cv.get_option("output"), cv.get_option("plot_backend")
    ('pandas', 'matplotlib')
    """
    if name not in _DEFAULTS:
        raise ParameterError(
            f"argument 'name': no option {name!r}; the options are: {', '.join(map(repr, _DEFAULTS))}"
        )
    local = _LOCAL.get()
    return (local if local is not None else _OPTIONS)[name]


def set_option(*, output: str | None = None, plot_backend: str | None = None) -> None:
    """Sets options for the whole process (until set again); an option not given (None) keeps
    its value.

    ``output``: the library of the tables that functions return directly (``rfm_summary``,
    ``segment``, ``customer_lifetime_value``, the lifetime-value models' predictions such as
    ``BetaGeo.probability_alive``, ``expected_cumulative_transactions``, ``alive_path``,
    ``DiscoveredThemes.assign``):

    * ``"pandas"`` (the default): a pandas DataFrame or Series, as always;
    * ``"polars"``: a polars DataFrame or Series (polars must be installed);
    * ``"pyarrow"``: a pyarrow Table, or a pyarrow Array for a column;
    * ``"auto"``: the library of the table passed in (``data``): polars in, polars out;
      pyarrow in, pyarrow out; anything else (or no table), pandas.

    A DataFrame's index becomes a column when it carries meaning (a name, or labels other than
    the default 0, 1, 2, ...; per-customer tables are indexed by the customer id), named after
    it (``"index"`` when unnamed); a Series keeps its values in the input's row order and its
    name, not its index. Result objects (``cv.demand_curve(...)``, ...) are not affected: they
    stay pandas and convert with ``.to_polars()`` and ``.to_arrow()``.

    ``plot_backend``: what the plot methods that offer a ``backend=`` draw with when it is not
    given (the demand curve, the Van Westendorp chart and the theme lift heatmap):

    * ``"matplotlib"`` (the default): a matplotlib Axes;
    * ``"plotly"``: an interactive ``plotly.graph_objects.Figure`` (plotly must be installed:
      ``pip install customervalue[plotly]``).

    A plot method given an ``ax`` (a matplotlib Axes to draw on) draws with matplotlib whatever
    this option says; the other plot methods always draw with matplotlib.

    :func:`option_context` sets options for a ``with`` block only, which is usually better.

    Examples
    --------
    >>> import customervalue as cv, polars as pl
    >>> tx = pl.DataFrame({"customer": [1, 1, 2], "date": ["2024-01-01", "2024-01-08", "2024-01-02"]})
    >>> cv.set_option(output="auto")
    >>> type(cv.rfm_summary(tx, customer="customer", date="date")).__module__.split(".")[0]
    'polars'
    >>> cv.set_option(output="pandas")
    """
    new = _checked(output, plot_backend)
    _OPTIONS.update(new)
    local = _LOCAL.get()
    if local is not None:  # inside option_context: takes effect now, and stays after the block
        _LOCAL.set({**local, **new})


@contextmanager
def option_context(*, output: str | None = None, plot_backend: str | None = None) -> Iterator[None]:
    """Sets options inside a ``with`` block and restores them afterwards, even on an error; an
    option not given (None) keeps its value.

    The values hold for the thread (or async task) that entered the block; other threads keep
    the process-wide values (:func:`set_option`). The options are described there.

    Examples
    --------
    >>> import customervalue as cv, polars as pl
    >>> tx = pl.DataFrame({"customer": [1, 1, 2], "date": ["2024-01-01", "2024-01-08", "2024-01-02"]})
    >>> with cv.option_context(output="polars"):
    ...     summary = cv.rfm_summary(tx, customer="customer", date="date")
    >>> summary.columns
    ['customer', 'frequency', 'recency', 'T']
    >>> cv.get_option("output")
    'pandas'
    """
    new = _checked(output, plot_backend)
    local = _LOCAL.get()
    token = _LOCAL.set({**(local if local is not None else _OPTIONS), **new})
    try:
        yield
    finally:
        _LOCAL.reset(token)


def polars_module(what: str) -> Any:
    """The polars module, imported on first use; a clear ImportError when it is not installed."""
    try:
        import polars
    except ImportError as exc:
        raise ImportError(
            f"{what} needs polars, which is not installed; install it with `pip install polars` "
            "(customervalue works without it: results are pandas, and .to_arrow() gives pyarrow)"
        ) from exc
    return polars


def library_of(data: Any) -> str:
    """``"polars"``, ``"pyarrow"`` or ``"pandas"`` (anything else): the library of a caller's
    table, found from its type's module so that polars is never imported to ask."""
    top = type(data).__module__.partition(".")[0]
    return top if top in ("polars", "pyarrow") else "pandas"


def index_carries_meaning(index: pd.Index) -> bool:
    """False only for pandas' default index (an unnamed RangeIndex 0, 1, 2, ...): the row
    positions, which a polars or pyarrow table holds implicitly in its row order."""
    return not (
        isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and index.name is None
    )


def table_from_pandas(obj: pd.DataFrame | pd.Series) -> pa.Table:
    """A pandas DataFrame (or Series, as a one-column table) as a pyarrow Table, its index as
    leading column(s) when it carries meaning (:func:`index_carries_meaning`), named after it
    (``"index"`` when unnamed, as ``DataFrame.reset_index``). An index named like a column is
    left out, the column holding it already. ``attrs`` are not carried (polars has none)."""
    df = (
        obj.to_frame(name=obj.name if obj.name is not None else "value")
        if isinstance(obj, pd.Series)
        else obj
    )
    if index_carries_meaning(df.index):
        names = [n for n in df.index.names if n is not None]
        if not any(n in df.columns for n in names):
            df = df.reset_index()
    if df.attrs:  # pyarrow would store them as JSON, and warns on any it cannot
        df = df.copy(deep=False)
        df.attrs = {}
    return pa.Table.from_pandas(df, preserve_index=False)


def convert_output(out: Any, library: str) -> Any:
    """A pandas DataFrame or Series as ``library`` (``"pandas"``, ``"polars"`` or
    ``"pyarrow"``); anything else unchanged. A Series becomes a polars Series (its name kept) or
    a pyarrow Array; its index is not kept (it names the input's rows, in their order)."""
    if library == "pandas" or not isinstance(out, (pd.DataFrame, pd.Series)):
        return out
    if isinstance(out, pd.Series):
        array = pa.Array.from_pandas(out)
        if library == "pyarrow":
            return array
        pl = polars_module("output='polars'")
        return pl.Series(str(out.name) if out.name is not None else "", array)
    table = table_from_pandas(out)
    if library == "pyarrow":
        return table
    return polars_module("output='polars'").from_arrow(table)


_PACKAGE_PREFIX = os.path.dirname(os.path.abspath(__file__)) + os.sep
# Modules that only forward a user's call (the df.cv accessors, the renamed-keyword wrapper):
# a call from there counts as the user's own.
_FORWARDERS = {os.path.join(_PACKAGE_PREFIX, name) for name in ("_accessor.py", "_compat.py")}


def _called_by_user() -> bool:
    """Whether the caller of a :func:`follows_output_option` function is the user's code rather
    than the package itself (which always wants pandas back: the report, plots, CLV)."""
    frame = sys._getframe(2)
    while frame is not None and os.path.abspath(frame.f_code.co_filename) in _FORWARDERS:
        frame = frame.f_back  # type: ignore[assignment]
    return frame is None or not os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_PREFIX)


F = TypeVar("F", bound=Callable[..., Any])


def follows_output_option(fn: F) -> F:
    """Marks a public function or method that returns a pandas table or column as following the
    ``output`` option (:func:`set_option`); ``"auto"`` reads the library of its ``data``.

    Only calls from outside the package convert: the package's own calls (the report, the
    plots, ``customer_lifetime_value`` calling a model's predictions) get pandas, whatever the
    option. The signature seen by ``inspect`` and ``help()`` is ``fn``'s. Marking twice is
    marking once.
    """
    if getattr(fn, "__follows_output_option__", False):
        return fn
    params = list(inspect.signature(fn).parameters)
    at = params.index("data") if "data" in params else None

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        library = get_option("output")
        if library == "pandas" or not isinstance(out, (pd.DataFrame, pd.Series)) or not _called_by_user():
            return out
        if library == "auto":
            data = args[at] if at is not None and len(args) > at else kwargs.get("data")
            library = library_of(data)
        return convert_output(out, library)

    wrapper.__follows_output_option__ = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
