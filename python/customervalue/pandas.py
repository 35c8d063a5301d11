"""``import customervalue.pandas`` registers the ``df.cv`` accessor on pandas DataFrames.

``df.cv.f(...)`` is ``customervalue.f(df, ...)`` for every public function that takes the table
first (``customervalue._compat.TABLE_FUNCTIONS``), so an analysis reads as a method of the
data. ``%load_ext customervalue`` registers the same accessor in a notebook; ``import
customervalue`` alone does not (adding an attribute to pandas is left to the user's choice).

Examples
--------
>>> import pandas as pd
>>> import customervalue.pandas
>>> survey = pd.DataFrame({"wtp": [10.0, 20.0, 20.0, 40.0]})
>>> survey.cv.demand_curve(wtp="wtp").revenue_optimal_price
20.0
>>> "rfm_summary" in dir(survey.cv)
True
"""

from __future__ import annotations

from ._accessor import CustomerValueAccessor, register_accessor

__all__ = ["CustomerValueAccessor"]

register_accessor()
