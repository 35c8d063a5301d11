"""theme_impact against direct numpy implementations written here (Johnson 2000, exhaustive
subset regressions for Shapley/LMG, group means)."""

from __future__ import annotations

import itertools
import math

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

THEMES = [c for c in cv.datasets.customers(10).columns if c.startswith("theme_")]


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return cv.datasets.customers(5000, seed=2)


def johnson(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson (2000) relative weights, written from the paper."""
    z = (x - x.mean(0)) / x.std(0)
    zy = (y - y.mean()) / y.std()
    rxx = np.corrcoef(z, rowvar=False)
    rxy = z.T @ zy / len(y)
    evals, evecs = np.linalg.eigh(rxx)
    lam = evecs @ np.diag(np.sqrt(evals)) @ evecs.T
    beta = np.linalg.solve(lam, rxy)
    return (lam**2) @ (beta**2)


def r2(x: np.ndarray, y: np.ndarray) -> float:
    if x.shape[1] == 0:
        return 0.0
    a = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(a, y, rcond=None)
    resid = y - a @ coef
    return 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))


def shapley_exhaustive(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """LMG from every subset regression."""
    k = x.shape[1]
    cache = {s: r2(x[:, list(s)], y) for m in range(k + 1) for s in itertools.combinations(range(k), m)}
    phi = np.zeros(k)
    for j in range(k):
        others = [i for i in range(k) if i != j]
        for m in range(k):
            w = math.factorial(m) * math.factorial(k - m - 1) / math.factorial(k)
            for s in itertools.combinations(others, m):
                phi[j] += w * (cache[tuple(sorted((*s, j)))] - cache[s])
    return phi


def test_relative_weights_match_johnson_and_sum_to_r_squared(df: pd.DataFrame) -> None:
    res = cv.theme_impact(df, themes=THEMES, outcome="value_rating", method="relative_weights")
    x = df[THEMES].to_numpy(float)
    y = df["value_rating"].to_numpy(float)
    np.testing.assert_allclose(res.table["impact"], johnson(x, y), rtol=1e-8, atol=1e-12)
    assert res.table["impact"].sum() == pytest.approx(r2(x, y), rel=1e-9)
    assert res.r_squared == pytest.approx(r2(x, y), rel=1e-9)


def test_shapley_matches_exhaustive_subset_regressions(df: pd.DataFrame) -> None:
    res = cv.theme_impact(df, themes=THEMES, outcome="value_rating", method="shapley")
    x = df[THEMES].to_numpy(float)
    y = df["value_rating"].to_numpy(float)
    np.testing.assert_allclose(res.table["impact"], shapley_exhaustive(x, y), rtol=1e-8, atol=1e-12)
    assert not res.sampled


def test_sampled_shapley_beyond_fifteen_themes_is_seeded_and_sums_to_r_squared() -> None:
    rng = np.random.default_rng(0)
    n, k = 3000, 17
    x = rng.random((n, k)) < rng.uniform(0.05, 0.4, k)
    y = x @ rng.normal(size=k) + rng.normal(size=n)
    df = pd.DataFrame(x, columns=[f"t{i}" for i in range(k)]).assign(y=y)
    a = cv.theme_impact(
        df, themes=list(df.columns[:k]), outcome="y", method="shapley", n_permutations=300, seed=4
    )
    b = cv.theme_impact(
        df, themes=list(df.columns[:k]), outcome="y", method="shapley", n_permutations=300, seed=4
    )
    assert a.sampled
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.table["impact"].sum() == pytest.approx(r2(x.astype(float), y), rel=1e-9)
    rw = cv.theme_impact(df, themes=list(df.columns[:k]), outcome="y")
    # nearly uncorrelated themes: both decompositions give nearly the same shares
    np.testing.assert_allclose(a.table["impact"], rw.table["impact"], atol=0.01)


def test_marginal_impact_is_the_mean_difference_with_a_welch_interval(df: pd.DataFrame) -> None:
    from scipy import stats

    res = cv.theme_impact(df, themes=THEMES, outcome="value_rating", method="marginal")
    y = df["value_rating"].to_numpy(float)
    for r in res.table.itertuples():
        flag = df[r.theme].to_numpy()
        assert r.impact == pytest.approx(y[flag].mean() - y[~flag].mean(), rel=1e-10)
        assert r.impact_if_removed == pytest.approx(y[~flag].mean() - y.mean(), rel=1e-9, abs=1e-12)
        ci = stats.ttest_ind(y[flag], y[~flag], equal_var=False).confidence_interval(0.95)
        assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-7)


def test_planted_effects_rank_price_first_and_signs_follow_the_truth(df: pd.DataFrame) -> None:
    truth = {t["name"]: t for t in df.attrs["truth"]["themes"]}
    res = cv.theme_impact(df, themes=THEMES, outcome="value_rating", method="marginal")
    for r in res.table.itertuples():
        effect = truth[r.theme.removeprefix("theme_")]["value_rating_effect"]
        assert np.sign(r.impact) == np.sign(effect)


def test_bootstrap_is_seeded_and_brackets_the_estimate(df: pd.DataFrame) -> None:
    a = cv.theme_impact(df, themes=THEMES, outcome="value_rating", n_boot=200, seed=7)
    b = cv.theme_impact(df, themes=THEMES, outcome="value_rating", n_boot=200, seed=7)
    pd.testing.assert_frame_equal(a.table, b.table)
    t = a.table
    assert ((t["ci_low"] <= t["impact"]) & (t["impact"] <= t["ci_high"])).all()


def test_outcome_without_variance_names_the_column(df: pd.DataFrame) -> None:
    flat = df.assign(flat=1.0)
    with pytest.raises(cv.InputError, match="'flat'.*variance"):
        cv.theme_impact(flat, themes=THEMES, outcome="flat")


def test_theme_never_mentioned_and_non_binary_theme_name_the_column(df: pd.DataFrame) -> None:
    with pytest.raises(cv.InputError, match="'never'"):
        cv.theme_impact(df.assign(never=False), themes=["theme_price", "never"], outcome="value_rating")
    with pytest.raises(cv.InputError, match="'age'"):
        cv.theme_impact(df, themes=["theme_price", "age"], outcome="value_rating")


def test_missing_outcome_and_bad_method(df: pd.DataFrame) -> None:
    with pytest.raises(cv.InputError, match="'nope'"):
        cv.theme_impact(df, themes=THEMES, outcome="nope")
    with pytest.raises(cv.ParameterError, match="method"):
        cv.theme_impact(df, themes=THEMES, outcome="value_rating", method="dominance")
    with pytest.raises(cv.InputError, match="empty"):
        cv.theme_impact(df.iloc[:0], themes=THEMES, outcome="value_rating")


def test_quadrant_plot_and_summary(df: pd.DataFrame) -> None:
    import matplotlib

    matplotlib.use("Agg")
    res = cv.theme_impact(df, themes=THEMES, outcome="value_rating", method="shapley")
    ax = res.plot()
    assert ax.get_xlabel().startswith("prevalence")
    assert "R squared" in res.summary()
