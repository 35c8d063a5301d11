"""The point-biserial test of the theme grid at n = 2, 3 and 4, against scipy.stats.pearsonr.

scipy's own expectations (scipy/stats/tests/test_stats.py, `TestPearsonr`: two observations give
r = +-1 with p = 1, and the Fisher-z interval needs more than three observations) are ported as
facts; the numbers are compared with scipy on the same data (issue 15, failure class 3: two
observations returned p = 0 and a NaN interval).
"""

from __future__ import annotations

import customervalue as cv
import numpy as np
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


@pytest.mark.parametrize("n1, n0", [(2, 2), (2, 3), (3, 3), (2, 10), (3, 7), (5, 2)])
def test_welch_and_mann_whitney_of_the_grid_equal_scipy_at_two_and_three(n1, n0):
    # the audit of issue 15, class 3, for the other two numeric tests of the grid: Welch's t
    # (scipy's ttest_ind(equal_var=False)) and Mann-Whitney (the grid uses the normal
    # approximation, scipy's method="asymptotic"; cv.stats.mannwhitneyu has the exact one)
    rng = np.random.default_rng(n1 * 10 + n0)
    for _ in range(5):
        y = rng.normal(size=n1 + n0).round(2)
        t = np.r_[np.ones(n1), np.zeros(n0)].astype(bool)
        g = cv.theme_associations(
            pd.DataFrame({"t": t, "y": y}), themes=["t"], metadata=["y"], min_count=2
        ).table
        welch = g[g["test"] == "welch_t"].iloc[0]
        mw = g[g["test"] == "mann_whitney"].iloc[0]
        want_t = stats.ttest_ind(y[t], y[~t], equal_var=False)
        want_u = stats.mannwhitneyu(y[t], y[~t], method="asymptotic")
        assert welch["statistic"] == pytest.approx(want_t.statistic, rel=1e-10)
        assert welch["p"] == pytest.approx(want_t.pvalue, rel=1e-8)
        assert mw["statistic"] == pytest.approx(want_u.statistic, rel=1e-12)
        assert mw["p"] == pytest.approx(want_u.pvalue, rel=1e-8)
