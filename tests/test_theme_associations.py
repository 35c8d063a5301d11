"""theme_associations against scipy / statsmodels on the same data, planted lifts recovered."""

from __future__ import annotations

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

THEMES = [c for c in cv.datasets.customers(10).columns if c.startswith("theme_")]

TOL = 1e-9  # relative tolerance against the oracles: same formulas, double precision


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return cv.datasets.customers(6000, seed=3)


@pytest.fixture(scope="module")
def grid(df: pd.DataFrame) -> cv.ThemeAssociations:
    return cv.theme_associations(df, themes=THEMES, metadata=["region", "product", "income", "age"])


def rows(res: cv.ThemeAssociations, theme: str, variable: str, test: str) -> pd.DataFrame:
    t = res.table
    return t[(t["theme"] == theme) & (t["variable"] == variable) & (t["test"] == test)]


@pytest.mark.parametrize("theme", THEMES)
def test_omnibus_chi_square_matches_scipy(df: pd.DataFrame, grid: cv.ThemeAssociations, theme: str) -> None:
    r = rows(grid, theme, "region", "chi2").iloc[0]
    chi2, p, dof, _ = stats.chi2_contingency(pd.crosstab(df[theme], df["region"]), correction=False)
    assert r["statistic"] == pytest.approx(chi2, rel=TOL)
    assert r["p"] == pytest.approx(p, rel=1e-7, abs=1e-300)
    assert r["effect"] == pytest.approx(np.sqrt(chi2 / len(df)), rel=TOL)


@pytest.mark.parametrize("theme", THEMES)
def test_level_rows_match_level_versus_rest_tables(
    df: pd.DataFrame, grid: cv.ThemeAssociations, theme: str
) -> None:
    overall = df[theme].mean()
    for r in rows(grid, theme, "product", "level_chi2").itertuples():
        inside = df["product"] == r.level
        chi2, p, _, _ = stats.chi2_contingency(pd.crosstab(df[theme], inside), correction=False)
        assert r.statistic**2 == pytest.approx(chi2, rel=TOL)
        assert r.p == pytest.approx(p, rel=1e-7, abs=1e-300)
        x, n = int(df.loc[inside, theme].sum()), int(inside.sum())
        assert r.effect == pytest.approx(x / n / overall, rel=TOL)
        lo, hi = proportion_confint(x, n, alpha=0.05, method="wilson")
        assert r.effect_ci_low == pytest.approx(lo / overall, rel=1e-6)
        assert r.effect_ci_high == pytest.approx(hi / overall, rel=1e-6)
        assert np.sign(r.statistic) == np.sign(x / n - overall)


@pytest.mark.parametrize("theme", THEMES)
def test_numeric_tests_match_scipy(df: pd.DataFrame, grid: cv.ThemeAssociations, theme: str) -> None:
    flag = df[theme].to_numpy()
    x = df["income"].to_numpy(float)
    a, b = x[flag], x[~flag]
    pb = rows(grid, theme, "income", "point_biserial").iloc[0]
    r, p = stats.pointbiserialr(flag, x)
    assert pb["effect"] == pytest.approx(r, rel=1e-8)
    assert pb["p"] == pytest.approx(p, rel=1e-6)
    w = rows(grid, theme, "income", "welch_t").iloc[0]
    t = stats.ttest_ind(a, b, equal_var=False)
    assert w["statistic"] == pytest.approx(t.statistic, rel=1e-8)
    assert w["p"] == pytest.approx(t.pvalue, rel=1e-6)
    sp = np.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(x) - 2))
    assert w["effect"] == pytest.approx((a.mean() - b.mean()) / sp, rel=1e-8)
    mw = rows(grid, theme, "income", "mann_whitney").iloc[0]
    u = stats.mannwhitneyu(a, b, method="asymptotic", use_continuity=True, alternative="two-sided")
    assert mw["statistic"] == pytest.approx(u.statistic, rel=TOL)
    assert mw["p"] == pytest.approx(u.pvalue, rel=1e-6)
    assert mw["effect"] == pytest.approx(2 * u.statistic / (len(a) * len(b)) - 1, rel=TOL)


def test_mann_whitney_tie_correction_matches_scipy(df: pd.DataFrame, grid: cv.ThemeAssociations) -> None:
    # age is an integer column: many ties
    flag = df["theme_ease_of_use"].to_numpy()
    x = df["age"].to_numpy(float)
    u = stats.mannwhitneyu(x[flag], x[~flag], method="asymptotic")
    mw = rows(grid, "theme_ease_of_use", "age", "mann_whitney").iloc[0]
    assert mw["p"] == pytest.approx(u.pvalue, rel=1e-6)


@pytest.mark.parametrize("method", ["fdr_bh", "fdr_by", "bonferroni"])
def test_q_values_match_statsmodels_across_the_whole_grid(df: pd.DataFrame, method: str) -> None:
    res = cv.theme_associations(df, themes=THEMES, metadata=["region", "channel", "age"], correction=method)
    t = res.table
    tested = t["p"].notna()
    expected = multipletests(t.loc[tested, "p"], method=method)[1]
    np.testing.assert_allclose(t.loc[tested, "q"], expected, rtol=1e-10)
    assert t.loc[~tested, "q"].isna().all()


def test_fisher_exact_where_expected_counts_are_small() -> None:
    rng = np.random.default_rng(5)
    n = 60
    df = pd.DataFrame({"theme": rng.random(n) < 0.12, "group": np.where(rng.random(n) < 0.3, "a", "b")})
    res = cv.theme_associations(df, themes=["theme"], metadata=["group"], min_count=1)
    omni = res.table[res.table["level"].isna()].iloc[0]
    assert omni["test"] == "fisher"
    odds, p = stats.fisher_exact(pd.crosstab(df["theme"], df["group"]).to_numpy())
    assert omni["p"] == pytest.approx(p, rel=1e-9)
    lv = res.table[res.table["level"] == "a"].iloc[0]
    assert lv["test"] == "level_fisher"
    assert lv["p"] == pytest.approx(p, rel=1e-9)


def test_planted_regional_and_product_lifts_are_recovered() -> None:
    df = cv.datasets.customers(20000, seed=11)
    truth = df.attrs["truth"]["theme_lifts"]
    res = cv.theme_associations(df, themes=THEMES, metadata=["region", "product"])
    lifts = res.lifts
    price = lifts[(lifts["theme"] == "theme_price") & (lifts["variable"] == "region")].sort_values("effect")
    assert set(price["level"].iloc[-2:]) == set(truth["price"]["regions"])
    assert (price["q"].iloc[-2:] < 0.001).all()
    # lift of the planted regions over the others: the planted 2.2 inside the 95% interval range
    share = df.groupby("region", observed=True)["theme_price"].mean()
    lifted = share[truth["price"]["regions"]].mean() / share.drop(truth["price"]["regions"]).mean()
    assert lifted == pytest.approx(truth["price"]["region_lift"], rel=0.15)
    delivery = lifts[(lifts["theme"] == "theme_delivery") & (lifts["variable"] == "region")]
    assert delivery.sort_values("effect")["level"].iloc[-1] == "Mountain"
    support = lifts[(lifts["theme"] == "theme_support") & (lifts["variable"] == "product")]
    assert set(support.sort_values("effect")["level"].iloc[-2:]) == set(truth["support"]["products"])
    assert any("price comments over-index" in h and "North" in h for h in res.highlights or [])


def test_rare_levels_are_kept_as_untestable_rows() -> None:
    df = pd.DataFrame({"t": [True, False] * 50, "g": ["a"] * 48 + ["b"] * 49 + ["c"] * 3})
    res = cv.theme_associations(df, themes=["t"], metadata=["g"], min_count=5)
    c = res.table[res.table["level"] == "c"].iloc[0]
    assert np.isnan(c["p"]) and np.isnan(c["q"]) and "fewer than 5" in c["note"]
    assert len(res.untestable) == 1


def test_constant_and_all_missing_metadata_are_untestable() -> None:
    df = pd.DataFrame({"t": [True, False, False] * 20, "k": ["x"] * 60, "z": [np.nan] * 60, "c": [3.0] * 60})
    res = cv.theme_associations(df, themes=["t"], metadata=["k", "z", "c"], missing="pairwise")
    t = res.table
    assert t["p"].isna().all()
    assert t.loc[t["variable"] == "k", "note"].str.contains("constant").all()
    assert t.loc[t["variable"] == "z", "note"].str.contains("missing").all()
    assert t.loc[t["variable"] == "c", "note"].str.contains("constant").all()


def test_pairwise_missing_leaves_out_only_that_variables_rows() -> None:
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"t": rng.random(200) < 0.3, "x": rng.normal(size=200)})
    df.loc[:9, "x"] = np.nan
    res = cv.theme_associations(df, themes=["t"], metadata=["x"], missing="pairwise")
    assert (res.table["n"] == 190).all()
    with pytest.raises(cv.InputError, match="'x'.*10 missing"):
        cv.theme_associations(df, themes=["t"], metadata=["x"])


def test_theme_that_is_not_zero_one_names_the_column() -> None:
    df = pd.DataFrame({"t": [0, 1, 2, 0] * 5, "g": ["a", "b"] * 10})
    with pytest.raises(cv.InputError, match="'t'"):
        cv.theme_associations(df, themes=["t"], metadata=["g"])


def test_missing_column_and_empty_table_are_input_errors() -> None:
    df = pd.DataFrame({"t": [True, False] * 5, "g": ["a", "b"] * 5})
    with pytest.raises(cv.InputError, match="'nope'"):
        cv.theme_associations(df, themes=["t"], metadata=["nope"])
    with pytest.raises(cv.InputError, match="empty"):
        cv.theme_associations(df.iloc[:0], themes=["t"], metadata=["g"])


def test_bad_arguments_are_parameter_errors() -> None:
    df = pd.DataFrame({"t": [True, False] * 5, "g": ["a", "b"] * 5})
    with pytest.raises(cv.ParameterError, match="correction"):
        cv.theme_associations(df, themes=["t"], metadata=["g"], correction="holm")
    with pytest.raises(cv.ParameterError, match="alpha"):
        cv.theme_associations(df, themes=["t"], metadata=["g"], alpha=1.5)
    with pytest.raises(cv.ParameterError, match="themes"):
        cv.theme_associations(df, themes=[], metadata=["g"])


def test_summary_and_heatmap(grid: cv.ThemeAssociations) -> None:
    import matplotlib

    matplotlib.use("Agg")
    assert "significant" in grid.summary()
    ax = grid.plot(variable="region")
    assert len(ax.get_yticklabels()) == len(THEMES)
    assert grid.to_arrow().num_rows == len(grid.table)


def test_by_stratifies_and_adjusts_across_all_strata(df: pd.DataFrame) -> None:
    res = cv.theme_associations(df, themes=THEMES[:2], metadata=["region", "age"], by="journey")
    t = res.table
    assert t.columns[0] == "journey"
    assert set(t["journey"]) == set(df["journey"])
    sub = df[df["journey"] == "renewal"]
    r = t[(t["journey"] == "renewal") & (t["theme"] == THEMES[0]) & (t["test"] == "chi2")].iloc[0]
    chi2, p, _, _ = stats.chi2_contingency(pd.crosstab(sub[THEMES[0]], sub["region"]), correction=False)
    assert r["statistic"] == pytest.approx(chi2, rel=TOL)
    tested = t["p"].notna()
    np.testing.assert_allclose(
        t.loc[tested, "q"], multipletests(t.loc[tested, "p"], method="fdr_bh")[1], rtol=1e-10
    )
