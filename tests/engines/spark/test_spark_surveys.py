"""Van Westendorp and the theme grid on a Spark DataFrame, from the mergeable states of each
partition: equal to the single call on the collected table (bit for bit unweighted); what does
not run on Spark says so, with the way out."""

from __future__ import annotations

from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

THEMES = ["theme_price", "theme_delivery", "theme_support"]


def as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as text, as a Spark DataFrame holds them."""
    return df.astype({c: str for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)})


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return as_text(cv.datasets.pricing_survey(2_000, seed=0))


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return as_text(cv.datasets.customers(2_000, seed=0))


def test_spark_tests_are_marked_spark_only(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("spark") is not None
    assert request.node.get_closest_marker("dask") is None


def test_van_westendorp_equals_the_single_call(spark: Any, survey: pd.DataFrame) -> None:
    plain = spark.createDataFrame(survey)  # partitions are slices of the rows, in order
    for sdf, kw in ((plain, {}), (plain.repartition(3, "respondent_id"), {"by": "segment"})):
        got, want = cv.van_westendorp(sdf, **kw), cv.van_westendorp(survey, **kw)
        for name in ("table", "points", "ranges", "counts"):
            pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name), check_exact=True, obj=name)
        assert (got.n_rows, got.n_missing, got.n_invalid) == (want.n_rows, want.n_missing, want.n_invalid)
        assert got.n_invalid > 0
        if sdf is plain:  # the dropped rows at their positions in the collected table
            pd.testing.assert_frame_equal(got.dropped, want.dropped)


def test_van_westendorp_with_nms_and_weights_within_the_stated_tolerance(
    spark: Any, survey: pd.DataFrame
) -> None:
    data = survey.assign(w=np.random.default_rng(0).uniform(0.5, 2.0, len(survey)))
    data.loc[5, "cheap"] = np.nan
    sdf = spark.createDataFrame(data)
    nms = {"cheap": "intent_cheap", "expensive": "intent_expensive"}
    kw: dict[str, Any] = {"weights": "w", "nms": nms, "missing": "drop"}
    got, want = cv.van_westendorp(sdf, **kw), cv.van_westendorp(data, **kw)
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=False, rtol=1e-12, atol=1e-12)
    pd.testing.assert_frame_equal(got.points, want.points, check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(got.nms, want.nms, check_exact=False, rtol=1e-12, atol=1e-12)
    pd.testing.assert_frame_equal(got.dropped, want.dropped)
    assert got.n_missing == want.n_missing == 1 and got.dropped.loc[5, "reason"] == "missing"
    with pytest.raises(cv.InputError) as single:
        cv.van_westendorp(data)
    with pytest.raises(cv.InputError) as spark_error:
        cv.van_westendorp(sdf)
    assert str(spark_error.value) == str(single.value)


def test_theme_grid_equals_the_single_call(spark: Any, people: pd.DataFrame) -> None:
    cols = [*THEMES, "region", "product", "age", "income", "journey"]
    sdf = spark.createDataFrame(people[cols]).repartition(3, "age")
    rows = people[cols]
    kw: dict[str, Any] = {
        "themes": THEMES,
        "metadata": ["region", "product", "age", "income"],
        "profiles": False,
    }
    for extra in ({}, {"by": "journey", "n_permutations": 500}):
        got, want = cv.theme_associations(sdf, **kw, **extra), cv.theme_associations(rows, **kw, **extra)
        pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)
        assert got.highlights == want.highlights
        assert got.n_rows == want.n_rows == len(people)


def test_what_does_not_run_on_spark_says_so(spark: Any, people: pd.DataFrame, survey: pd.DataFrame) -> None:
    sdf = spark.createDataFrame(people[[*THEMES, "age", "income", "region", "value_rating"]])
    with pytest.raises(
        cv.ParameterError,
        match=r"^argument 'data': cv.theme_impact does not run on a Spark DataFrame yet.*toPandas",
    ):
        cv.theme_impact(sdf, THEMES, "value_rating")
    with pytest.raises(cv.ParameterError, match=r"^argument 'method': .*dbscan.*toPandas"):
        cv.cluster(sdf, features=["age", "income"], k=3, method="dbscan")
    with pytest.raises(cv.ParameterError, match="argument 'profiles'.*profiles=False"):
        cv.theme_associations(sdf, THEMES, ["region"])
    with pytest.raises(cv.ParameterError, match="argument 'ci'"):
        cv.van_westendorp(spark.createDataFrame(survey), ci=0.9)
