"""compare_waves against statsmodels: two-proportion z-test, Welch t, and the interaction of a
saturated OLS with HC0 errors for the difference in differences."""

from __future__ import annotations

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest


@pytest.fixture(scope="module")
def waves() -> pd.DataFrame:
    a, b = cv.datasets.customers(3000, seed=0), cv.datasets.customers(3000, seed=1)
    rng = np.random.default_rng(0)
    b = b.copy()
    treated_rows = ~b["region"].isin(["South", "East"])
    fixed = treated_rows & b["theme_price"] & (rng.random(len(b)) < 0.5)
    b.loc[fixed, "theme_price"] = False
    out = pd.concat([a.assign(wave="before"), b.assign(wave="after")], ignore_index=True)
    out["control"] = out["region"].isin(["South", "East"])
    return out


def test_prevalence_and_outcome_differences_match_statsmodels_and_scipy(waves: pd.DataFrame) -> None:
    res = cv.compare_waves(
        waves, themes=["theme_price", "theme_trust"], wave="wave", outcome="value_rating", before="before"
    )
    t = res.table.set_index("theme")
    pre, post = waves[waves["wave"] == "before"], waves[waves["wave"] == "after"]
    for th in ["theme_price", "theme_trust"]:
        z, p = proportions_ztest([post[th].sum(), pre[th].sum()], [len(post), len(pre)])
        assert t.loc[th, "statistic"] == pytest.approx(z, rel=1e-9)
        assert t.loc[th, "p"] == pytest.approx(p, rel=1e-9)
        assert t.loc[th, "difference"] == pytest.approx(post[th].mean() - pre[th].mean(), rel=1e-12)
    w = stats.ttest_ind(post["value_rating"], pre["value_rating"], equal_var=False)
    assert t.loc["value_rating", "statistic"] == pytest.approx(w.statistic, rel=1e-9)
    assert t.loc["value_rating", "p"] == pytest.approx(w.pvalue, rel=1e-8)
    assert t.loc["theme_price", "q"] < 0.001


def test_difference_in_differences_is_the_hc0_interaction(waves: pd.DataFrame) -> None:
    res = cv.compare_waves(waves, themes=["theme_price"], wave="wave", control="control", before="before")
    r = res.table.iloc[0]
    data = waves.assign(
        y=waves["theme_price"].astype(float),
        post=(waves["wave"] == "after").astype(float),
        treated=(~waves["control"]).astype(float),
    )
    fit = smf.ols("y ~ post * treated", data).fit(cov_type="HC0")
    assert r["did"] == pytest.approx(fit.params["post:treated"], rel=1e-9)
    se = (r["did_ci_high"] - r["did_ci_low"]) / (2 * stats.norm.ppf(0.975))
    assert se == pytest.approx(fit.bse["post:treated"], rel=1e-9)
    assert r["did_p"] == pytest.approx(fit.pvalues["post:treated"], rel=1e-6)
    assert r["did"] < 0 and r["did_p"] < 0.001


def test_bad_input(waves: pd.DataFrame) -> None:
    three = waves.assign(wave=np.where(waves.index % 3 == 0, "c", waves["wave"]))
    with pytest.raises(cv.InputError, match="'wave'.*two"):
        cv.compare_waves(three, themes=["theme_price"], wave="wave")
    with pytest.raises(cv.ParameterError, match="before"):
        cv.compare_waves(waves, themes=["theme_price"], wave="wave", before="nope")
    with pytest.raises(cv.InputError, match="'age'"):
        cv.compare_waves(waves, themes=["age"], wave="wave")
    with pytest.raises(cv.InputError, match="'control'"):
        cv.compare_waves(waves.assign(control=False), themes=["theme_price"], wave="wave", control="control")


def test_summary_and_plot(waves: pd.DataFrame) -> None:
    import matplotlib

    matplotlib.use("Agg")
    res = cv.compare_waves(waves, themes=["theme_price", "theme_trust"], wave="wave", before="before")
    assert "before -> after" in res.summary()
    assert res.plot() is not None
