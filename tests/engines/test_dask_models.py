"""Lifetime-value models on a dask summary: fits on the merged patterns equal the
single-machine fits, predictions and CLV are lazy maps equal to the single calls (issue 16;
scale-out.md 4.2, 4.3)."""

from __future__ import annotations

from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

from .support import assert_same_rows, engine, params

dd = engine("dask.dataframe", "dask")
dask = engine("dask", "dask")
cvdask = engine("customervalue.dask", "dask")

pytestmark = pytest.mark.usefixtures("client")

TIME_MODELS = [cv.BetaGeo, cv.ModifiedBetaGeo, cv.ParetoNBD]


@pytest.fixture(scope="module")
def tx() -> pd.DataFrame:
    return cv.datasets.transactions(5_000, seed=1)


@pytest.fixture(scope="module")
def summary(tx: pd.DataFrame) -> pd.DataFrame:
    return cv.rfm_summary(tx, amount="amount")


@pytest.fixture(scope="module")
def layouts(tx: pd.DataFrame, summary: pd.DataFrame) -> dict[str, Any]:
    """Summaries spread in several ways: from the log (one partition, by time, random), and a
    computed summary cut into partitions of about 100 customers."""
    return {
        "one partition": cv.rfm_summary(dd.from_pandas(tx, npartitions=1), amount="amount").persist(),
        "time-ordered": cv.rfm_summary(
            dd.from_pandas(tx.sort_values("date", kind="stable"), npartitions=6, sort=False),
            amount="amount",
            npartitions=5,
        ).persist(),
        "random": cv.rfm_summary(
            dd.from_pandas(tx.sample(frac=1, random_state=3), npartitions=4, sort=False), amount="amount"
        ).persist(),
        "100 customers a partition": dd.from_pandas(
            plain(summary).sample(frac=1, random_state=5), npartitions=50
        ),
    }


def plain(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary with only its time unit in ``attrs``: pandas compares ``attrs`` when it
    concatenates, and the single-machine summary's hold a DataFrame (``dropped``), which has no
    truth value, so dask could not put the partitions of that frame back together."""
    out = summary.copy()
    out.attrs = {"time_unit": summary.attrs["time_unit"]}
    return out


@pytest.mark.parametrize("model", [*TIME_MODELS, cv.GammaGamma])
@pytest.mark.parametrize("layout", ["one partition", "time-ordered", "random", "100 customers a partition"])
def test_fits_equal_the_single_machine_fit(
    model: type, layout: str, layouts: dict[str, Any], summary: pd.DataFrame
) -> None:
    """Bit for bit: the merged patterns are the same multiset, in the canonical order."""
    got = model().fit(layouts[layout])
    want = model().fit(summary)
    assert type(got) is type(want)
    assert np.array_equal(params(got), params(want)), (params(got), params(want))
    assert got.log_likelihood_ == want.log_likelihood_
    np.testing.assert_array_equal(got.cov_, want.cov_)
    assert (got.n_rows_, got.n_missing_, got.n_invalid_) == (want.n_rows_, want.n_missing_, want.n_invalid_)
    if model is cv.GammaGamma:
        assert got.n_used_ == want.n_used_
    else:
        assert got.time_unit_ == want.time_unit_ == "W"
        assert got.n_patterns_ == want.n_patterns_


def test_fit_with_a_penalizer_and_days(tx: pd.DataFrame) -> None:
    ddf = dd.from_pandas(tx.sample(frac=1, random_state=9), npartitions=5, sort=False)
    got = cv.ParetoNBD(penalizer=0.01).fit(cv.rfm_summary(ddf, time_unit="D"))
    want = cv.ParetoNBD(penalizer=0.01).fit(cv.rfm_summary(tx, time_unit="D"))
    assert got.time_unit_ == "D"
    assert np.array_equal(params(got), params(want))


def test_bgbb_fit_per_customer_and_with_weights() -> None:
    donations = cv.datasets.donations()
    people = donations.loc[donations.index.repeat(donations["weights"])].drop(columns="weights")
    people = people.sample(frac=1, random_state=2).reset_index(drop=True)
    want = cv.BetaGeoBetaBinom().fit(people)
    got = cv.BetaGeoBetaBinom().fit(dd.from_pandas(people, npartitions=7, sort=False))
    assert np.array_equal(params(got), params(want))
    assert got.n_rows_ == want.n_rows_ == len(people)
    patterns = cv.BetaGeoBetaBinom().fit(dd.from_pandas(donations, npartitions=3), weights="weights")
    assert np.array_equal(params(patterns), params(cv.BetaGeoBetaBinom().fit(donations, weights="weights")))


def test_fit_missing_values(summary: pd.DataFrame) -> None:
    holes = summary.copy()
    holes.iloc[[10, 20], holes.columns.get_loc("recency")] = np.nan
    ddf = dd.from_pandas(holes, npartitions=4)
    with pytest.raises(cv.InputError) as single:
        cv.BetaGeo().fit(holes)
    with pytest.raises(cv.InputError) as spread:
        cv.BetaGeo().fit(ddf)
    assert str(spread.value) == str(single.value)
    got, want = cv.BetaGeo().fit(ddf, missing="drop"), cv.BetaGeo().fit(holes, missing="drop")
    assert np.array_equal(params(got), params(want))
    assert (got.n_rows_, got.n_missing_) == (want.n_rows_, want.n_missing_) == (len(holes), 2)
    pd.testing.assert_frame_equal(got.dropped_, want.dropped_)


def test_covariates_are_refused(summary: pd.DataFrame) -> None:
    ddf = dd.from_pandas(summary.assign(z=1.0), npartitions=2)
    with pytest.raises(cv.ParameterError, match="purchase_covariates"):
        cv.BetaGeo().fit(ddf, purchase_covariates=["z"])


@pytest.fixture(scope="module")
def fitted(summary: pd.DataFrame) -> dict[str, Any]:
    return {
        "bg": cv.BetaGeo().fit(summary),
        "pareto": cv.ParetoNBD().fit(summary),
        "gg": cv.GammaGamma().fit(summary),
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
    "pareto DERT": lambda m, d: m["pareto"].discounted_expected_residual_transactions(d, discount_rate=0.01),
    "conditional_expected_spend": lambda m, d: m["gg"].conditional_expected_spend(d),
}


@pytest.mark.parametrize("name", list(PREDICTIONS))
def test_predictions_are_lazy_and_equal(
    name: str, fitted: dict[str, Any], layouts: dict[str, Any], summary: pd.DataFrame
) -> None:
    ddf = layouts["random"]
    got = PREDICTIONS[name](fitted, ddf)
    assert isinstance(got, dd.Series)
    assert_same_rows(got.compute(), PREDICTIONS[name](fitted, summary))


def test_predictions_keep_the_customers_partitions(fitted: dict[str, Any], layouts: dict[str, Any]) -> None:
    ddf = layouts["100 customers a partition"]
    alive = fitted["bg"].probability_alive(ddf)
    assert alive.npartitions == ddf.npartitions
    joined = ddf.assign(p_alive=alive).compute()
    assert joined["p_alive"].notna().all()


def test_bgbb_predictions() -> None:
    donations = cv.datasets.donations()
    model = cv.BetaGeoBetaBinom().fit(donations, weights="weights")
    ddf = dd.from_pandas(donations, npartitions=3)
    assert_same_rows(model.probability_alive(ddf, t=2).compute(), model.probability_alive(donations, t=2))
    assert_same_rows(
        model.conditional_expected_purchases(5, ddf).compute(),
        model.conditional_expected_purchases(5, donations),
    )


@pytest.mark.parametrize("ci", [None, 0.9])
def test_customer_lifetime_value(
    ci: float | None, fitted: dict[str, Any], layouts: dict[str, Any], summary: pd.DataFrame
) -> None:
    kwargs = {"horizon": 12, "time_unit": "M", "discount_rate": 0.01, "ci": ci, "n_simulations": 50}
    got = cv.customer_lifetime_value(fitted["bg"], fitted["gg"], layouts["time-ordered"], **kwargs)
    assert isinstance(got, dd.Series if ci is None else dd.DataFrame)
    want = cv.customer_lifetime_value(fitted["bg"], fitted["gg"], summary, **kwargs)
    assert_same_rows(got.compute(), want)


def test_clv_bootstrap_with_pandas_fit_data(
    fitted: dict[str, Any], layouts: dict[str, Any], summary: pd.DataFrame
) -> None:
    small = summary.iloc[:300]
    bg, gg = cv.BetaGeo().fit(small), cv.GammaGamma().fit(small)
    kwargs = {"ci": 0.8, "interval": "bootstrap", "n_boot": 5, "fit_data": small}
    got = cv.customer_lifetime_value(bg, gg, dd.from_pandas(small, npartitions=3), **kwargs)
    assert_same_rows(got.compute(), cv.customer_lifetime_value(bg, gg, small, **kwargs))
    for data in (small, dd.from_pandas(small, npartitions=2)):
        with pytest.raises(cv.ParameterError, match="argument 'fit_data'"):
            cv.customer_lifetime_value(
                bg, gg, data, **{**kwargs, "fit_data": dd.from_pandas(small, npartitions=2)}
            )


def test_an_unfitted_model_fails_now_not_when_computed(summary: pd.DataFrame) -> None:
    ddf = dd.from_pandas(plain(summary), npartitions=2)
    with pytest.raises(cv.NotFittedError):
        cv.BetaGeo().probability_alive(ddf)
    with pytest.raises(cv.NotFittedError):
        cv.customer_lifetime_value(cv.BetaGeo(), cv.GammaGamma(), ddf)
