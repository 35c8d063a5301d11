"""The base of every result object: frozen, tidy, printable, plottable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, overload

import pandas as pd
import pyarrow as pa


class LazyFrame:
    """A dataclass field holding a pandas DataFrame that may be given as a pyarrow Table; the
    table becomes a DataFrame the first time the attribute is read, and stays one.

    Building a DataFrame costs a fixed 0.1-0.3 ms whatever its size, which dominated results of
    fast analyses that return several small tables; a result now pays only for the tables its
    user reads. Declare the field as ``points: pd.DataFrame = LazyFrame()`` (the default is
    ``None``); the frozen dataclass's ``__init__`` stores the value through ``__set__``.
    """

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
        if isinstance(value, pa.Table):
            value = value.to_pandas(date_as_object=False)
            obj.__dict__[self._slot] = value
        return value

    def __set__(self, obj: object, value: pd.DataFrame | pa.Table | None) -> None:
        obj.__dict__[self._slot] = value


@dataclass(frozen=True)
class Result:
    """Base class: ``to_pandas()``, ``to_arrow()``, ``summary()`` and HTML display.

    Subclasses hold their main table in ``table`` (a pandas DataFrame) and override
    ``summary()`` and ``plot()``.
    """

    table: pd.DataFrame

    def to_pandas(self) -> pd.DataFrame:
        """The main result table as a pandas DataFrame (a copy)."""
        return self.table.copy()

    def to_arrow(self) -> pa.Table:
        """The main result table as a pyarrow Table."""
        return pa.Table.from_pandas(self.table, preserve_index=False)

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
