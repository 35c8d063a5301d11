"""Demand curves, Gabor-Granger and the theme co-occurrence network of a Spark DataFrame, from the
mergeable states of each partition: equal to the single call on the collected table (bit for bit
unweighted, within the stated tolerance with fractional weights)."""

from __future__ import annotations

from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

from ..support import engine

cvspark = engine("customervalue.spark", "spark")

#: With fractional weights each price's weight sum adds the same terms in another order
#: (measured: 6.4e-16 relative for the demand curve, 2.5e-14 for Gabor-Granger; test_states.py).
CURVE_RTOL, LADDER_RTOL = 1e-14, 1e-12
PRICES = [20, 30, 40, 50, 60, 70, 80, 90, 100]


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    s = cv.datasets.pricing_survey(2_000, seed=0)
    rng = np.random.default_rng(0)
    return s.assign(
        segment=s["segment"].astype(str),
        region=rng.choice([2, 10, 33], len(s)),  # integer groups: ordered by value, not as text
        w=rng.uniform(0.2, 3.0, len(s)),
    )


@pytest.fixture(scope="module")
def ladder(survey: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "price": np.tile(np.asarray(PRICES, dtype=float), len(survey)),
            "buy": survey[[f"buy_at_{p}" for p in PRICES]].to_numpy().ravel().astype(bool),
            "w": np.repeat(survey["w"].to_numpy(), len(PRICES)),
        }
    )


def test_demand_curve_equals_the_single_call(spark: Any, survey: pd.DataFrame) -> None:
    cols = ["wtp", "segment", "region", "w"]
    sdf = spark.createDataFrame(survey[cols]).repartition(3, "region")
    for kw in ({"cost": 12.0}, {"by": "segment"}, {"by": "region", "market_size": 1e4}):
        got, want = cv.demand_curve(sdf, wtp="wtp", **kw), cv.demand_curve(survey[cols], wtp="wtp", **kw)
        assert isinstance(got, cv.DemandCurveResult)
        pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)
        pd.testing.assert_frame_equal(got.optima, want.optima, check_exact=True)
        assert (got.n_rows, got.n_missing, got.warnings) == (want.n_rows, want.n_missing, want.warnings)
    got = cv.demand_curve(sdf, wtp="wtp", weights="w", by="segment")
    want = cv.demand_curve(survey[cols], wtp="wtp", weights="w", by="segment")
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=False, rtol=CURVE_RTOL, atol=0.0)
    pd.testing.assert_frame_equal(got.optima, want.optima, check_exact=False, rtol=CURVE_RTOL, atol=0.0)


def test_demand_curve_missing_values_and_errors_name_rows_of_the_collected_table(
    spark: Any, survey: pd.DataFrame
) -> None:
    data = survey[["wtp"]].copy()
    data.loc[data.index[::8], "wtp"] = np.nan  # 12.5%: the drop warning of the single call
    sdf = spark.createDataFrame(data).coalesce(3)
    with pytest.raises(cv.InputError) as single:
        cv.demand_curve(data, wtp="wtp")
    with pytest.raises(cv.InputError) as spread:
        cv.demand_curve(sdf, wtp="wtp")
    assert str(spread.value) == str(single.value)
    with pytest.warns(cv.DataDroppedWarning) as single_warning:
        want = cv.demand_curve(data, wtp="wtp", missing="drop")
    with pytest.warns(cv.DataDroppedWarning) as spread_warning:
        got = cv.demand_curve(sdf, wtp="wtp", missing="drop")
    drops = [str(w.message) for w in spread_warning if issubclass(w.category, cv.DataDroppedWarning)]
    assert drops == [str(w.message) for w in single_warning]
    assert got.warnings == want.warnings
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)
    pd.testing.assert_frame_equal(got.dropped, want.dropped)  # positions in the collected table
    bad = survey[["wtp"]].copy()
    bad.loc[bad.index[1777], "wtp"] = -3.0
    with pytest.raises(cv.InputError) as single:
        cv.demand_curve(bad, wtp="wtp")
    with pytest.raises(cv.InputError) as spread:
        cv.demand_curve(spark.createDataFrame(bad).coalesce(3), wtp="wtp")
    assert str(spread.value) == str(single.value) and "row 1777 holds -3" in str(single.value)


def test_gabor_granger_equals_the_single_call(spark: Any, ladder: pd.DataFrame) -> None:
    sdf = spark.createDataFrame(ladder).repartition(4)
    rows = sdf.toPandas()  # a round-robin repartition orders rows by content: compare with them
    kw: dict[str, Any] = {"cost": 15.0, "kind": "arc"}
    got, want = cv.gabor_granger(sdf, **kw), cv.gabor_granger(rows, **kw)
    assert isinstance(got, cv.GaborGrangerResult)
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)
    for field in ("revenue_optimal_price", "profit_optimal_price", "n", "n_rows", "warnings"):
        assert getattr(got, field) == getattr(want, field), field
    got, want = cv.gabor_granger(sdf, weights="w", **kw), cv.gabor_granger(rows, weights="w", **kw)
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=False, rtol=LADDER_RTOL, atol=0.0)
    assert got.n == pytest.approx(want.n, rel=LADDER_RTOL)


def test_cooccurrence_equals_the_single_call(spark: Any) -> None:
    people = cv.datasets.customers(2_000, seed=1)
    themes = [c for c in people.columns if c.startswith("theme_")]
    data = people[themes].astype(float)
    echo = np.random.default_rng(0).random(len(data)) < 0.1  # a theme that echoes the first
    data["theme_echo"] = np.where(echo, 1.0 - data[themes[0]], data[themes[0]])
    data.iloc[[3, 1500], 2] = np.nan
    names = [*themes, "theme_echo"]
    sdf = spark.createDataFrame(data).coalesce(3)
    with pytest.raises(cv.InputError) as single:
        cv.theme_cooccurrence(data, names)
    with pytest.raises(cv.InputError) as spread:
        cvspark.theme_cooccurrence(sdf, names)
    assert str(spread.value) == str(single.value)
    got = cvspark.theme_cooccurrence(sdf, names, missing="drop", correction="bonferroni")
    want = cv.theme_cooccurrence(data, names, missing="drop", correction="bonferroni")
    assert isinstance(got, cv.ThemeCooccurrence)
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)
    assert len(got.edges) > 0 and got.edges.equals(want.edges)
    pd.testing.assert_frame_equal(got.dropped, want.dropped)
    got = cv.theme_cooccurrence(sdf, names, missing="drop")  # the top-level function dispatches
    pd.testing.assert_frame_equal(got.table, cv.theme_cooccurrence(data, names, missing="drop").table)


def test_what_resamples_respondents_is_refused(
    spark: Any, survey: pd.DataFrame, ladder: pd.DataFrame
) -> None:
    sdf = spark.createDataFrame(survey[["wtp", "respondent_id"]])
    with pytest.raises(cv.ParameterError, match=r"^argument 'ci': .*ci=None"):
        cv.demand_curve(sdf, wtp="wtp", ci=0.9)
    with pytest.raises(cv.ParameterError, match="premium_test resamples"):
        cv.demand_curve(sdf, wtp="wtp").premium_test(30, 40)
    with pytest.raises(cv.ParameterError, match=r"^argument 'respondent': .*toPandas"):
        cv.gabor_granger(spark.createDataFrame(ladder.assign(id=1)), respondent="id")
