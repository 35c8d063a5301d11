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
    # a condition met by everyone (or no one) is no profile
    assert res.all_profiles is not None and res.all_profiles.empty


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
        cv.theme_associations(df, themes=["t"], metadata=["g"], correction="hochberg")
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


def sparse_table(seed: int = 3) -> pd.DataFrame:
    """Four levels, about 8 mentions in 80 respondents: expected counts below 5."""
    rng = np.random.default_rng(seed)
    group = np.repeat(["a", "b", "c", "d"], [30, 25, 15, 10])
    theme = rng.random(80) < np.select([group == "c", group == "d"], [0.2, 0.15], 0.07)
    return pd.DataFrame({"theme": theme, "group": group})


def chi2_2xl(flags: np.ndarray, codes: np.ndarray, levels: int) -> np.ndarray:
    """Pearson chi-square of each row of ``flags`` (permutations) against fixed level codes."""
    sizes = np.bincount(codes, minlength=levels).astype(float)
    m = flags.sum(axis=-1, keepdims=True).astype(float)
    counts = np.stack([(flags * (codes == k)).sum(axis=-1) for k in range(levels)], axis=-1)
    e = sizes * m / len(codes)
    return (((counts - e) ** 2) * (1 / e + 1 / (sizes - e))).sum(axis=-1)


def test_sparse_table_with_more_than_two_levels_gets_a_seeded_permutation_test() -> None:
    df = sparse_table()
    b = 2000
    res = cv.theme_associations(
        df, themes=["theme"], metadata=["group"], min_count=1, n_permutations=b, seed=7
    )
    omni = res.table[res.table["level"].isna()].iloc[0]
    assert omni["test"] == "permutation"
    assert "permutation" in omni["note"]
    # oracle: a direct numpy loop permuting the theme flags against the levels
    codes = pd.Categorical(df["group"]).codes.astype(int)
    flags = df["theme"].to_numpy()
    observed = chi2_2xl(flags, codes, 4)
    assert omni["statistic"] == pytest.approx(float(observed), rel=1e-12)
    b_ref = 20000
    rng = np.random.default_rng(0)
    perms = np.stack([rng.permutation(flags) for _ in range(b_ref)])
    hits = int((chi2_2xl(perms, codes, 4) >= observed * (1 - 1e-12)).sum())
    p_ref = (1 + hits) / (1 + b_ref)
    assert 0.001 < p_ref < 0.5  # a p-value where Monte Carlo error matters
    tolerance = 4 * np.sqrt(p_ref * (1 - p_ref) * (1 / b + 1 / b_ref))
    assert abs(omni["p"] - p_ref) < tolerance
    again = cv.theme_associations(
        df, themes=["theme"], metadata=["group"], min_count=1, n_permutations=b, seed=7
    )
    assert again.table["p"].iloc[0] == omni["p"]
    other = cv.theme_associations(
        df, themes=["theme"], metadata=["group"], min_count=1, n_permutations=b, seed=8
    )
    assert other.table["p"].iloc[0] != omni["p"]
    assert omni["p"] >= 1 / (b + 1)


def test_cramers_v_interval_inverts_the_noncentral_chi_square(
    grid: cv.ThemeAssociations, df: pd.DataFrame
) -> None:
    from scipy.optimize import brentq

    n = len(df)
    for r in grid.table[(grid.table["test"] == "chi2") & (grid.table["variable"] == "region")].itertuples():
        dof = df["region"].nunique() - 1

        def bound(target: float, chi2: float = r.statistic, dof: int = dof) -> float:
            if stats.chi2.cdf(chi2, dof) <= target:
                return 0.0
            return brentq(
                lambda nc: stats.ncx2.cdf(chi2, dof, nc) - target, 1e-12, 10 * chi2 + 100, xtol=1e-12
            )

        assert r.effect_ci_low == pytest.approx(np.sqrt(bound(0.975) / n), rel=1e-6, abs=1e-9)
        assert r.effect_ci_high == pytest.approx(np.sqrt(bound(0.025) / n), rel=1e-6, abs=1e-9)
        if r.p < 0.01:
            assert r.effect_ci_low < r.effect < r.effect_ci_high


def test_point_biserial_interval_matches_scipy_pearsonr(df: pd.DataFrame, grid: cv.ThemeAssociations) -> None:
    for theme in THEMES:
        pb = rows(grid, theme, "income", "point_biserial").iloc[0]
        ci = stats.pearsonr(df[theme].astype(float), df["income"]).confidence_interval(0.95)
        assert pb["effect_ci_low"] == pytest.approx(ci.low, rel=1e-8)
        assert pb["effect_ci_high"] == pytest.approx(ci.high, rel=1e-8)


def test_rank_biserial_interval_uses_the_tie_corrected_variance_of_u(
    df: pd.DataFrame, grid: cv.ThemeAssociations
) -> None:
    flag = df["theme_ease_of_use"].to_numpy()
    x = df["age"].to_numpy(float)
    n1, n0, n = flag.sum(), (~flag).sum(), len(x)
    _, t = np.unique(x, return_counts=True)
    sd_u = np.sqrt(n1 * n0 / 12 * ((n + 1) - (t**3 - t).sum() / (n * (n - 1))))
    mw = rows(grid, "theme_ease_of_use", "age", "mann_whitney").iloc[0]
    half = stats.norm.ppf(0.975) * 2 * sd_u / (n1 * n0)
    assert mw["effect_ci_low"] == pytest.approx(mw["effect"] - half, rel=1e-9)
    assert mw["effect_ci_high"] == pytest.approx(mw["effect"] + half, rel=1e-9)


def test_rank_biserial_and_cramers_v_intervals_cover_and_narrow_with_n() -> None:
    # 400 metadata columns, each a shift of 0.5 SD between the theme group and the rest: the true
    # rank-biserial correlation is 2 Phi(0.5 / sqrt 2) - 1
    rng = np.random.default_rng(4)
    truth = 2 * stats.norm.cdf(0.5 / np.sqrt(2)) - 1
    widths = []
    for n in (200, 800):
        flag = np.arange(n) < n // 3
        cols = {f"x{j}": rng.normal(size=n) + 0.5 * flag for j in range(400)}
        df = pd.DataFrame({"t": flag, **cols})
        res = cv.theme_associations(df, themes=["t"], metadata=list(cols), profiles=False)
        mw = res.table[res.table["test"] == "mann_whitney"]
        assert ((mw["effect_ci_low"] <= mw["effect"]) & (mw["effect"] <= mw["effect_ci_high"])).all()
        cover = ((mw["effect_ci_low"] < truth) & (truth < mw["effect_ci_high"])).mean()
        assert 0.91 <= cover <= 0.99  # 95% nominal, 400 replicates: 3.5 standard errors
        widths.append((mw["effect_ci_high"] - mw["effect_ci_low"]).mean())
    assert widths[1] < 0.6 * widths[0]
    v_widths = []
    for n in (1000, 8000):
        df = cv.datasets.customers(n, seed=1)
        res = cv.theme_associations(df, themes=["theme_price"], metadata=["region"], profiles=False)
        v = res.table[res.table["test"] == "chi2"].iloc[0]
        assert v["effect_ci_low"] < v["effect"] < v["effect_ci_high"]
        v_widths.append(v["effect_ci_high"] - v["effect_ci_low"])
    assert v_widths[1] < 0.6 * v_widths[0]


def fmt_edge(x: float) -> str:
    """The bin-edge format of the profile labels."""
    if x == round(x) and abs(x) < 1e15:
        return f"{x:.0f}"
    d = min(max(3 - int(np.floor(np.log10(abs(x)))), 0), 15)
    s = f"{x:.{d}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def condition_labels(df: pd.DataFrame, column: str) -> pd.Series:
    x = df[column]
    if isinstance(x.dtype, pd.CategoricalDtype) or x.dtype == object:
        return column + " = " + x.astype(str)
    edges = np.unique(np.quantile(x, [0.25, 0.5, 0.75]))
    names = [f"{column} < {fmt_edge(edges[0])}"]
    names += [
        f"{column} in [{fmt_edge(a)}, {fmt_edge(b)})" for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]
    names += [f"{column} >= {fmt_edge(edges[-1])}"]
    return pd.Series(np.array(names)[np.searchsorted(edges, x, side="right")], index=df.index)


def test_profiles_match_a_pandas_groupby_oracle() -> None:
    df = cv.datasets.customers(5000, seed=0)
    metadata = ["region", "product", "monetary"]
    themes = ["theme_price", "theme_support"]
    res = cv.theme_associations(df, themes=themes, metadata=metadata, min_support=0.05)
    got = res.all_profiles
    assert got is not None and res.profiles is not None
    labels = pd.DataFrame({c: condition_labels(df, c) for c in metadata})
    n = len(df)
    expected = []
    for theme in themes:
        flags = df[theme]
        for c in metadata:
            g = flags.groupby(labels[c]).agg(["size", "sum"])
            expected += [(theme, k, r["size"], r["sum"]) for k, r in g.iterrows()]
        for i, a in enumerate(metadata):
            for b in metadata[i + 1 :]:
                g = flags.groupby([labels[a], labels[b]]).agg(["size", "sum"])
                expected += [(theme, f"{ka} & {kb}", r["size"], r["sum"]) for (ka, kb), r in g.iterrows()]
    oracle = pd.DataFrame(expected, columns=["theme", "conditions", "n", "mentions"])
    oracle = oracle[oracle["n"] >= np.ceil(0.05 * n)]
    merged = oracle.merge(got.astype({"theme": str}), on=["theme", "conditions"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    assert (merged["n_x"] == merged["n_y"]).all() and (merged["mentions_x"] == merged["mentions_y"]).all()
    base = merged["theme"].map(df[themes].mean())
    np.testing.assert_allclose(merged["lift"], merged["mentions_x"] / merged["n_x"] / base, rtol=1e-12)
    np.testing.assert_allclose(merged["support"], merged["n_x"] / n, rtol=1e-12)
    lo, hi = proportion_confint(merged["mentions_x"], merged["n_x"], alpha=0.05, method="wilson")
    np.testing.assert_allclose(merged["lift_ci_low"], lo / base, rtol=1e-6)
    np.testing.assert_allclose(merged["lift_ci_high"], hi / base, rtol=1e-6)
    for r in merged.sample(40, random_state=0).itertuples():
        m = int(df[r.theme].sum())
        table = np.array(
            [[r.mentions_x, r.n_x - r.mentions_x], [m - r.mentions_x, n - r.n_x - m + r.mentions_x]]
        )
        chi2, p, _, e = stats.chi2_contingency(table, correction=False)
        want = stats.fisher_exact(table)[1] if (e < 5).any() else p
        assert r.p == pytest.approx(want, rel=1e-7, abs=1e-300)
    np.testing.assert_allclose(got["q"], multipletests(got["p"], method="fdr_bh")[1], rtol=1e-10)
    shown = res.profiles
    assert (shown["q"] < res.alpha).all() and (shown["lift"] > 1).all()
    assert shown.groupby("theme", observed=True).size().max() <= 5
    assert shown["lift"].is_monotonic_decreasing


def test_planted_price_profile_is_found_among_the_top_profiles() -> None:
    df = cv.datasets.customers(5000, seed=0)
    truth = df.attrs["truth"]["theme_lifts"]["price"]
    res = cv.theme_associations(df, themes=THEMES, metadata=["region", "product", "monetary", "age"])
    assert res.profiles is not None
    top = res.profiles[res.profiles["theme"] == "theme_price"]
    assert any(f"region = {r}" in c for c in top["conditions"].head(3) for r in truth["regions"])
    assert any(" & " in h and "% of customers" in h for h in res.highlights or [])


def test_profiles_can_be_switched_off_and_bad_support_is_a_parameter_error() -> None:
    df = cv.datasets.customers(500, seed=0)
    res = cv.theme_associations(df, themes=["theme_price"], metadata=["region"], profiles=False)
    assert res.profiles is None and res.all_profiles is None
    with pytest.raises(cv.ParameterError, match="min_support"):
        cv.theme_associations(df, themes=["theme_price"], metadata=["region"], min_support=0.0)
    with pytest.raises(cv.ParameterError, match="permutations"):
        cv.theme_associations(df, themes=["theme_price"], metadata=["region"], n_permutations=0)


def test_holm_correction_equals_statsmodels_over_the_grid() -> None:
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    df = cv.datasets.customers(600, seed=2)
    themes = [c for c in df.columns if c.startswith("theme_")][:3]
    grid = cv.theme_associations(df, themes=themes, metadata=["age", "region"], correction="holm").table
    testable = grid["p"].notna()
    want = multitest.multipletests(grid.loc[testable, "p"], method="holm")[1]
    np.testing.assert_allclose(grid.loc[testable, "q"], want, rtol=1e-12)
