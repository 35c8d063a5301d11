"""Predictions and customer lifetime value of a Spark summary: lazy Spark DataFrames (the summary's
columns and the prediction), each row's value the single call's on the collected summary, bit for
bit; the arguments, the models and the summary's time unit checked before anything runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

from ..support import engine

cvspark = engine("customervalue.spark", "spark")


@pytest.fixture(scope="module")
def single() -> pd.DataFrame:
    return cv.rfm_summary(cv.datasets.transactions(1_500, seed=2), amount="amount")


@pytest.fixture(scope="module")
def summary(spark_session: Any) -> Iterator[Any]:
    """The Spark summary of the same log, in 3 partitions (cached: each test reads it again)."""
    tx = cv.datasets.transactions(1_500, seed=2)
    frame = spark_session.spark.createDataFrame(tx)
    out = cv.rfm_summary(frame, amount="amount", num_partitions=3).cache()
    yield out
    out.unpersist()


@pytest.fixture(scope="module")
def models(single: pd.DataFrame) -> dict[str, Any]:
    return {
        "bg": cv.BetaGeo().fit(single),
        "pareto": cv.ParetoNBD().fit(single),
        "gg": cv.GammaGamma().fit(single),
    }


PREDICTIONS = {
    "probability_alive": lambda m, d: m["bg"].probability_alive(d),
    "conditional_expected_purchases": lambda m, d: m["bg"].conditional_expected_purchases(26, d),
    "conditional_probability_of_purchases": lambda m, d: m["bg"].conditional_probability_of_purchases(
        10, 2, d
    ),
    "log_likelihood": lambda m, d: m["bg"].log_likelihood(d),
    "discounted_expected_purchases": lambda m, d: m["bg"].discounted_expected_purchases(
        [1.0, 2.0, 3.0], [0.99, 0.98, 0.97], d
    ),
    "discounted_expected_residual_transactions": lambda m, d: m[
        "pareto"
    ].discounted_expected_residual_transactions(d, discount_rate=0.01),
    "conditional_expected_spend": lambda m, d: m["gg"].conditional_expected_spend(d),
}


def collected(frame: Any) -> pd.DataFrame:
    return frame.toPandas().set_index("customer_id").sort_index()


def test_predictions_are_lazy_and_equal_the_single_call(
    summary: Any, single: pd.DataFrame, models: dict[str, Any]
) -> None:
    for name, call in PREDICTIONS.items():
        got = call(models, summary)
        assert "pyspark" in type(got).__module__, name  # lazy, in Spark
        assert got.columns == [*summary.columns, name]
        values = collected(got)
        want = call(models, single)
        assert values.index.equals(want.sort_index().index), name
        np.testing.assert_array_equal(values[name].to_numpy(), want.sort_index().to_numpy(), err_msg=name)


@pytest.mark.parametrize("ci", [None, 0.9])
def test_customer_lifetime_value(summary: Any, single: pd.DataFrame, models: dict[str, Any], ci: Any) -> None:
    kw = {"horizon": 12, "time_unit": "M", "discount_rate": 0.01, "ci": ci, "n_simulations": 40}
    got = cv.customer_lifetime_value(models["bg"], models["gg"], summary, **kw)
    want = cv.customer_lifetime_value(models["bg"], models["gg"], single, **kw)
    names = ["clv"] if ci is None else ["clv", "ci_low", "ci_high"]
    assert got.columns == [*summary.columns, *names]
    values = collected(got)[names]
    want = want.to_frame() if ci is None else want
    pd.testing.assert_frame_equal(values, want.sort_index(), check_exact=True, check_names=False)


def test_what_is_wrong_is_said_before_anything_runs(
    summary: Any, single: pd.DataFrame, models: dict[str, Any]
) -> None:
    days = cv.BetaGeo().fit(cv.rfm_summary(cv.datasets.transactions(300, seed=0), time_unit="D"))
    with pytest.raises(cv.ParameterError) as want:
        days.probability_alive(single)
    with pytest.raises(cv.ParameterError) as got:
        days.probability_alive(summary)  # the unit travels in the Spark summary's column metadata
    assert str(got.value) == str(want.value) and "time_unit" in str(got.value)
    with pytest.raises(cv.NotFittedError):
        cv.BetaGeo().probability_alive(summary)
    with pytest.raises(cv.ParameterError, match="argument 't'"):
        models["bg"].conditional_expected_purchases(-1, summary)
    with pytest.raises(cv.InputError, match="column 'frequency'"):
        models["bg"].probability_alive(summary.drop("frequency"))
    with pytest.raises(cv.ParameterError, match=r"already has a column named 'probability_alive'"):
        models["bg"].probability_alive(models["bg"].probability_alive(summary))
    with pytest.raises(cv.ParameterError, match="argument 'spend_model'"):
        cv.customer_lifetime_value(models["bg"], models["bg"], summary)
    with pytest.raises(cv.ParameterError, match=r"^argument 'fit_data': .*toPandas"):
        cv.customer_lifetime_value(
            models["bg"], models["gg"], summary, ci=0.9, interval="bootstrap", fit_data=summary
        )
    with pytest.raises(cv.ParameterError, match="BetaGeo.plot_frequency does not run on a Spark DataFrame"):
        models["bg"].plot_frequency(summary)
    assert set(cvspark.__all__) >= {
        "probability_alive",
        "customer_lifetime_value",
        "demand_curve",
        "gabor_granger",
        "theme_cooccurrence",
        "cluster",
    }
