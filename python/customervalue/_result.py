"""The base of every result object: frozen, tidy, printable, plottable."""

from __future__ import annotations

import functools
import warnings as _warnings
from dataclasses import dataclass, field, fields
from typing import Any, overload

import pandas as pd
import pyarrow as pa


class LazyFrame:
    """A dataclass field holding a pandas DataFrame that may be given as a pyarrow Table or as a
    function building it; it becomes a DataFrame the first time the attribute is read, and
    stays one.

    Building a DataFrame costs a fixed 0.1-0.3 ms whatever its size, which dominated results of
    fast analyses that return several small tables; a result now pays only for the tables its
    user reads. Declare the field as ``points: pd.DataFrame = LazyFrame()`` (the default is
    ``None``, or what ``empty()`` builds when given); the frozen dataclass's ``__init__`` stores
    the value through ``__set__``.
    """

    def __init__(self, empty: Any = None) -> None:
        self._empty = empty

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = "_lazy_" + name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> None: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> pd.DataFrame: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> pd.DataFrame | None:
        if obj is None:
            return None  # the field's default
        value = obj.__dict__.get(self._slot)
        if value is None and self._empty is not None:
            value = self._empty
        if isinstance(value, pa.Table):
            value = value.to_pandas(date_as_object=False)
            obj.__dict__[self._slot] = value
        elif callable(value):
            value = value()
            obj.__dict__[self._slot] = value
        return value

    def __set__(self, obj: object, value: pd.DataFrame | pa.Table | None) -> None:
        # a field(default=LazyFrame(...)) hands the descriptor itself to __init__ as the default
        obj.__dict__[self._slot] = None if isinstance(value, LazyFrame) else value


def _no_drops() -> pd.DataFrame:
    return pd.DataFrame({"reason": pd.Series([], dtype="object")}, index=pd.Index([]))


@dataclass(frozen=True)
class Result:
    """Base class: ``to_pandas()``, ``to_arrow()``, ``to_polars()``, ``summary()`` and HTML display.

    Subclasses hold their main table in ``table`` (a pandas DataFrame) and override
    ``summary()`` and ``plot()``. The main table is what ``to_pandas()``, ``to_arrow()``,
    ``to_polars()`` and the Arrow PyCapsule stream (``__arrow_c_stream__``: ``pa.table(result)``,
    ``pl.DataFrame(result)``, duckdb) give; ``to_arrow(table=...)`` and ``to_polars(table=...)``
    convert any other table or column attribute by name. Every result carries the same row
    accounting (keyword-only fields, so subclasses add their own fields freely):

    * ``n_rows``: rows in the input; ``n_missing``: rows dropped for a missing value;
      ``n_invalid``: rows dropped by validation;
    * ``dropped``: a DataFrame indexed by the dropped rows' input labels (the pandas index, or
      the row position for polars and pyarrow input), with the ``reason``;
    * ``warnings``: what the analysis warned about, as text.

    ``summary()`` adds a line about dropped rows whenever there are any.
    """

    table: pd.DataFrame
    n_rows: int = field(default=0, kw_only=True)
    n_missing: int = field(default=0, kw_only=True)
    n_invalid: int = field(default=0, kw_only=True)
    dropped: pd.DataFrame = field(default=LazyFrame(empty=_no_drops), kw_only=True, repr=False, compare=False)
    warnings: tuple[str, ...] = field(default=(), kw_only=True)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("summary")
        if own is not None and not getattr(own, "_with_rows", False):

            @functools.wraps(own)
            def summary(self: Result) -> str:
                text = own(self)
                line = self._rows_line()
                return f"{text}\n{line}" if line else text

            summary._with_rows = True  # type: ignore[attr-defined]
            cls.summary = summary  # type: ignore[method-assign]

    def _rows_line(self) -> str:
        """One line on dropped rows ('' when none were dropped)."""
        n_drop = self.n_missing + self.n_invalid
        if not n_drop:
            return ""
        parts = []
        if self.n_missing:
            parts.append(f"{self.n_missing:,} with missing values")
        if self.n_invalid:
            reasons = (
                self.dropped["reason"][self.dropped["reason"] != "missing"].unique()
                if len(self.dropped)
                else []
            )
            why = ", ".join(map(str, reasons)) or "invalid"
            parts.append(f"{self.n_invalid:,} invalid ({why})")
        return f"rows: {self.n_rows:,} in, {n_drop:,} dropped ({'; '.join(parts)}); see .dropped"

    @property
    def n_dropped(self) -> int:
        """Deprecated: rows dropped for any reason; use ``n_missing`` and ``n_invalid``."""
        _warnings.warn(
            "'n_dropped' is deprecated; use 'n_missing' (missing values) and 'n_invalid' (failed "
            "validation), and '.dropped' for the rows themselves",
            FutureWarning,
            stacklevel=2,
        )
        return self.n_missing + self.n_invalid

    def to_pandas(self) -> pd.DataFrame:
        """The main result table as a pandas DataFrame (a copy)."""
        return self.table.copy()

    def _pandas_table(self, table: str) -> pd.DataFrame | pd.Series:
        value = getattr(self, table, None) if not table.startswith("_") else None
        if isinstance(value, (pd.DataFrame, pd.Series)):
            return value
        from .errors import ParameterError

        tables = [
            f.name
            for f in fields(self)
            if f.name != "dropped" and isinstance(getattr(self, f.name), (pd.DataFrame, pd.Series))
        ]
        for name in dir(type(self)):  # properties declared to return a table, not evaluated
            prop = getattr(type(self), name, None)
            ret = str(getattr(getattr(prop, "fget", None), "__annotations__", {}).get("return", ""))
            if isinstance(prop, property) and ("DataFrame" in ret or "Series" in ret) and name not in tables:
                tables.append(name)
        raise ParameterError(
            f"argument 'table': {type(self).__name__}.{table} is not a table (a pandas DataFrame or "
            f"Series); this result's tables are: {', '.join(tables)}"
        )

    def to_arrow(self, *, table: str = "table") -> pa.Table:
        """The main result table (``table``), or the table or column attribute named ``table``
        (``"flags"``, ``"labels"``, ...), as a pyarrow Table.

        The pandas index becomes the leading column(s) when it carries meaning: a named index
        (per-customer tables are indexed by the customer id) or labels other than the default
        0, 1, 2, ... (per-row outputs carry the caller's row labels); it is named after the
        index, ``"index"`` when unnamed. The default index (the row positions) is left out, as
        the row order holds it. A Series becomes one column, named after it.

        Examples
        --------
        >>> import customervalue as cv
        >>> r = cv.demand_curve(cv.datasets.pricing_survey(200, seed=0), wtp="wtp")
        >>> r.to_arrow().column_names
        ['price', 'share', 'buyers', 'revenue', 'profit']
        """
        from ._io import table_from_pandas

        return table_from_pandas(self._pandas_table(table))

    def to_polars(self, *, table: str = "table") -> Any:
        """The main result table (``table``), or the table or column attribute named ``table``,
        as a polars DataFrame (polars must be installed; it is not a dependency).

        The same columns as :meth:`to_arrow` (the index kept when it carries meaning);
        categories become polars ``Categorical``, dates ``Datetime``. ``pl.DataFrame(result)``
        gives the main table too, through the Arrow PyCapsule interface.

        Examples
        --------
        >>> import customervalue as cv, polars as pl
        >>> r = cv.demand_curve(cv.datasets.pricing_survey(200, seed=0), wtp="wtp")
        >>> r.to_polars().equals(pl.DataFrame(r))
        True
        """
        from ._io import polars_module

        return polars_module(f"{type(self).__name__}.to_polars()").from_arrow(self.to_arrow(table=table))

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The main table (:meth:`to_arrow`) as an Arrow PyCapsule stream, so that
        ``pa.table(result)``, ``pl.DataFrame(result)``, duckdb and any other Arrow consumer
        read a result directly (the Arrow PyCapsule interface)."""
        return self.to_arrow().__arrow_c_stream__(requested_schema)

    def summary(self) -> str:
        """A short plain-text summary."""
        return f"{type(self).__name__} with {len(self.table)} rows"

    def _summary_html(self) -> str:
        import html

        return "<pre>" + html.escape(self.summary()) + "</pre>"

    def _repr_html_(self) -> str:
        shown = self.table.head(20).to_html(index=False, float_format=lambda v: f"{v:,.4g}")
        more = f"<p>{len(self.table)} rows</p>" if len(self.table) > 20 else ""
        return f"<div><strong>{type(self).__name__}</strong>{self._summary_html()}{shown}{more}</div>"

    def __repr__(self) -> str:
        return self.summary()

    def plot(self, ax: Any = None) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError(f"{type(self).__name__} has no plot")
