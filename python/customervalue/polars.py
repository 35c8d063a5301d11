"""``import customervalue.polars`` registers the ``df.cv`` namespace on polars DataFrames.

``df.cv.f(...)`` is ``customervalue.f(df, ...)`` for every public function that takes the table
first (``customervalue._compat.TABLE_FUNCTIONS``), exactly as the pandas accessor
(``customervalue.pandas``). polars is not a dependency of customervalue: importing this module
without polars installed is an ImportError that says so. ``import customervalue`` alone does not
register the namespace.

Result objects convert with ``.to_polars()`` (or ``pl.DataFrame(result)``, through the Arrow
PyCapsule interface); ``cv.set_option(output="auto")`` makes the functions that return a table
directly (``rfm_summary``, ``segment``, the models' predictions) return polars for polars input.

Examples
--------
>>> import polars as pl
>>> import customervalue.polars
>>> survey = pl.DataFrame({"wtp": [10.0, 20.0, 20.0, 40.0]})
>>> curve = survey.cv.demand_curve(wtp="wtp")
>>> curve.revenue_optimal_price
20.0
>>> curve.to_polars().columns
['price', 'share', 'buyers', 'revenue', 'profit']
"""

from __future__ import annotations

from ._accessor import CustomerValueNamespace, register_namespace

__all__ = ["CustomerValueNamespace"]

register_namespace()
