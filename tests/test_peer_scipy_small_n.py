"""The point-biserial test of the theme grid at n = 2, 3 and 4, against scipy.stats.pearsonr.

scipy's own expectations (scipy/stats/tests/test_stats.py, `TestPearsonr`: two observations give
r = +-1 with p = 1, and the Fisher-z interval needs more than three observations) are ported as
facts; the numbers are compared with scipy on the same data (issue 15, failure class 3: two
observations returned p = 0 and a NaN interval).
"""

from __future__ import annotations

import customervalue as cv
import pandas as pd
import pytest
from scipy import stats

CASES = [
    ([True, False], [3.0, 1.0]),  # two points: always on a line
    ([True, False, True], [3.0, 1.0, 2.0]),
    ([True, False, False], [3.0, 1.0, 1.5]),
    ([True, False, True, False], [3.0, 1.0, 2.5, 2.0]),
    ([True, False, True, False], [3.0, 1.0, 3.0, 1.0]),  # perfect correlation, n = 4
]


@pytest.mark.parametrize("flag,x", CASES)
def test_point_biserial_at_small_n_matches_scipy(flag, x):
    df = pd.DataFrame({"theme": flag, "value": x})
    grid = cv.theme_associations(df, themes=["theme"], metadata=["value"], min_count=1, correction="none")
    row = grid.table[grid.table["test"] == "point_biserial"].iloc[0]
    want = stats.pearsonr([float(v) for v in flag], x)
    ci = want.confidence_interval(0.95)
    assert row["statistic"] == pytest.approx(want.statistic, abs=1e-12)
    assert row["p"] == pytest.approx(want.pvalue, abs=1e-9)
    assert row["effect_ci_low"] == pytest.approx(ci.low, abs=1e-9)
    assert row["effect_ci_high"] == pytest.approx(ci.high, abs=1e-9)
