"""The base of every result object: frozen, tidy, printable, plottable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa


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
