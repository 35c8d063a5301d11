"""theme_cooccurrence against scipy's hypergeometric tail and Fisher's one-sided exact test."""

from __future__ import annotations

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    rng = np.random.default_rng(8)
    n = 4000
    a = rng.random(n) < 0.2
    b = np.where(a, rng.random(n) < 0.5, rng.random(n) < 0.1)  # planted: b follows a
    c = rng.random(n) < 0.15
    d = rng.random(n) < 0.03
    return pd.DataFrame({"a": a, "b": b, "c": c, "d": d})


def test_p_values_match_scipy_and_q_values_statsmodels(df: pd.DataFrame) -> None:
    res = cv.theme_cooccurrence(df, themes=["a", "b", "c", "d"])
    t = res.table
    n = len(df)
    for r in t.itertuples():
        x = int((df[r.theme_a] & df[r.theme_b]).sum())
        assert r.both == x
        expected = stats.hypergeom.sf(x - 1, n, r.n_a, r.n_b)
        assert r.p == pytest.approx(expected, rel=1e-9, abs=1e-300)
        table = pd.crosstab(df[r.theme_a], df[r.theme_b]).to_numpy()[::-1, ::-1]
        assert r.p == pytest.approx(stats.fisher_exact(table, alternative="greater")[1], rel=1e-8, abs=1e-300)
        assert r.lift == pytest.approx(x * n / (r.n_a * r.n_b), rel=1e-12)
    np.testing.assert_allclose(t["q"], multipletests(t["p"], method="fdr_bh")[1], rtol=1e-10)
    assert res.edges[["theme_a", "theme_b"]].values.tolist() == [["a", "b"]]


def test_bad_input(df: pd.DataFrame) -> None:
    with pytest.raises(cv.ParameterError, match="two"):
        cv.theme_cooccurrence(df, themes=["a"])
    with pytest.raises(cv.InputError, match="'x'"):
        cv.theme_cooccurrence(df.assign(x=2), themes=["a", "x"])
    with pytest.raises(cv.InputError, match="empty"):
        cv.theme_cooccurrence(df.iloc[:0], themes=["a", "b"])


def test_plot_and_summary(df: pd.DataFrame) -> None:
    import matplotlib

    matplotlib.use("Agg")
    res = cv.theme_cooccurrence(df, themes=["a", "b", "c", "d"])
    assert "a + b" in res.summary()
    assert res.plot() is not None
