"""Demand analyses of a dask survey: the mergeable states of the partitions (WTP histograms,
ladder counts, Van Westendorp answer histograms), merged in a tree, give the single-machine
result (issue 16; scale-out.md 4.6)."""

from __future__ import annotations

from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

from .support import engine

dd = engine("dask.dataframe", "dask")

pytestmark = pytest.mark.usefixtures("client")

NMS = {"cheap": "intent_cheap", "expensive": "intent_expensive"}
#: The NMS reach is a running sum of weighted slope changes, added over tuples instead of
#: rows, so the NMS tables (and an optimum between two answer prices, found from the slope)
#: are equal to this relative tolerance, or this share of the column's largest magnitude
#: (measured: up to 4e-14 of the largest reach and 1.2e-13 of the largest revenue, 3,000 to
#: 20,000 respondents).
REACH_RTOL, REACH_ATOL = 1e-12, 1e-12


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    s = cv.datasets.pricing_survey(3_000, seed=0)
    rng = np.random.default_rng(0)
    return s.assign(
        weight=rng.choice([0.5, 1.0, 1.5, 2.0], len(s)), region=rng.choice(["north", "south"], len(s))
    )


@pytest.fixture(scope="module")
def spread(survey: pd.DataFrame) -> Any:
    return dd.from_pandas(survey.sample(frac=1, random_state=4), npartitions=6, sort=False)


def frames_equal(got: pd.DataFrame | None, want: pd.DataFrame | None, close: bool = False) -> None:
    """Bit for bit; with ``close``, numbers within REACH_RTOL or REACH_ATOL x the column's
    largest magnitude (everything else still exact)."""
    assert (got is None) == (want is None)
    if want is None or got is None:
        return
    if not close:
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        return
    pd.testing.assert_index_equal(got.columns, want.columns)
    for c in want.columns:
        if pd.api.types.is_float_dtype(want[c].dtype):
            a, b = got[c].to_numpy(), want[c].to_numpy()
            scale = np.nanmax(np.abs(b)) if np.isfinite(b).any() else 0.0
            np.testing.assert_allclose(
                a, b, rtol=REACH_RTOL, atol=REACH_ATOL * scale, equal_nan=True, err_msg=c
            )
        else:
            pd.testing.assert_series_equal(got[c], want[c], check_exact=True)


@pytest.mark.parametrize("by", [None, "segment", "region"])
@pytest.mark.parametrize("weights", [None, "weight"])
def test_demand_curve(survey: pd.DataFrame, spread: Any, by: str | None, weights: str | None) -> None:
    kwargs = {"wtp": "wtp", "by": by, "weights": weights, "cost": 12.0}
    got, want = cv.demand_curve(spread, **kwargs), cv.demand_curve(survey, **kwargs)
    assert isinstance(got, cv.DemandCurveResult)
    frames_equal(got.table, want.table)  # bit for bit, weighted too (whole and half weights)
    frames_equal(got.optima, want.optima)
    assert (got.n_rows, got.n_missing, got.n_invalid) == (want.n_rows, want.n_missing, want.n_invalid)
    if by is None:
        assert got.revenue_optimal_price == want.revenue_optimal_price
        assert got.profit_optimal_price == want.profit_optimal_price


def test_demand_curve_with_missing_values_a_category_order_and_empty_partitions(survey: pd.DataFrame) -> None:
    segment = pd.Categorical(survey["segment"])
    data = survey.assign(segment=segment.reorder_categories(segment.categories[::-1]))
    data.loc[data.index[::9], "wtp"] = np.nan  # 11%: over the 5% threshold
    frames = [data.iloc[i::4] for i in range(4)]
    ddf = pieces([frames[0], data.iloc[:0], *frames[1:], data.iloc[:0]])
    kw = {"wtp": "wtp", "by": "segment", "missing": "drop"}
    with pytest.warns(cv.DataDroppedWarning) as single:
        want = cv.demand_curve(data, **kw)
    with pytest.warns(cv.DataDroppedWarning) as spread_:
        got = cv.demand_curve(ddf, **kw, split_every=2)
    frames_equal(got.table, want.table)
    frames_equal(got.optima, want.optima)
    assert got.optima["segment"].tolist() == list(data["segment"].cat.categories)
    assert [str(w.message) for w in spread_] == [str(w.message) for w in single]
    assert got.warnings == want.warnings
    pd.testing.assert_frame_equal(got.dropped.sort_index(), want.dropped)
    with pytest.raises(cv.InputError) as single_error:
        cv.demand_curve(data, wtp="wtp")
    with pytest.raises(cv.InputError) as spread_error:
        cv.demand_curve(ddf, wtp="wtp")
    assert str(spread_error.value) == str(single_error.value)


def test_demand_curve_names_the_row_of_the_whole_table(survey: pd.DataFrame) -> None:
    bad = survey.copy()
    bad.loc[bad.index[2345], "wtp"] = -4.0
    with pytest.raises(cv.InputError) as single:
        cv.demand_curve(bad, wtp="wtp")
    with pytest.raises(cv.InputError) as spread_:
        cv.demand_curve(dd.from_pandas(bad, npartitions=5), wtp="wtp")
    assert str(spread_.value) == str(single.value) and "row 2345 holds -4" in str(single.value)


def test_demand_curve_refuses_the_bootstrap(spread: Any) -> None:
    with pytest.raises(cv.ParameterError, match="argument 'ci'"):
        cv.demand_curve(spread, wtp="wtp", ci=0.9)
    with pytest.raises(cv.ParameterError, match="premium_test"):
        cv.demand_curve(spread, wtp="wtp").premium_test(30, 40)


@pytest.mark.parametrize("nms", [None, NMS])
@pytest.mark.parametrize("by", [None, "segment"])
@pytest.mark.parametrize("weights", [None, "weight"])
def test_van_westendorp(
    survey: pd.DataFrame, spread: Any, nms: Any, by: str | None, weights: str | None
) -> None:
    kwargs = {"nms": nms, "by": by, "weights": weights, "cost": 10.0 if nms else None}
    got, want = cv.van_westendorp(spread, **kwargs), cv.van_westendorp(survey, **kwargs)
    assert isinstance(got, cv.VanWestendorpResult)
    frames_equal(got.table, want.table)
    frames_equal(got.points, want.points)
    frames_equal(got.ranges, want.ranges)
    frames_equal(got.counts, want.counts)
    frames_equal(got.nms, want.nms, close=True)
    frames_equal(got.nms_optima, want.nms_optima, close=True)
    assert (got.n_rows, got.n_missing, got.n_invalid) == (want.n_rows, want.n_missing, want.n_invalid)
    pd.testing.assert_frame_equal(got.dropped.sort_index(), want.dropped.sort_index())  # rows shuffled
    if by is None:
        assert (got.opp, got.ipp, got.pmc, got.pme) == (want.opp, want.ipp, want.pmc, want.pme)
        assert (got.n_valid, got.n_invalid) == (want.n_valid, want.n_invalid)


def test_van_westendorp_missing_and_validation(survey: pd.DataFrame) -> None:
    holes = survey.copy()
    holes.loc[holes.index[[5, 1500]], "cheap"] = np.nan
    ddf = dd.from_pandas(holes, npartitions=5)
    with pytest.raises(cv.InputError) as single:
        cv.van_westendorp(holes)
    with pytest.raises(cv.InputError) as spread:
        cv.van_westendorp(ddf)
    assert str(spread.value) == str(single.value)
    for validate in ("strict", "weak", "none"):
        got = cv.van_westendorp(ddf, missing="drop", validate=validate)
        want = cv.van_westendorp(holes, missing="drop", validate=validate)
        frames_equal(got.table, want.table)
        frames_equal(got.counts, want.counts)
        assert (got.n_missing, got.n_invalid) == (want.n_missing, want.n_invalid)
        pd.testing.assert_frame_equal(got.dropped, want.dropped)


def test_van_westendorp_refuses_the_bootstrap(spread: Any) -> None:
    with pytest.raises(cv.ParameterError, match="argument 'ci'"):
        cv.van_westendorp(spread, ci=0.9)


@pytest.fixture(scope="module")
def ladder(survey: pd.DataFrame) -> pd.DataFrame:
    prices = [20, 30, 40, 50, 60, 70, 80, 90, 100]
    return pd.DataFrame(
        {
            "respondent": np.repeat(survey["respondent_id"].to_numpy(), len(prices)),
            "price": np.tile(np.asarray(prices, dtype=float), len(survey)),
            "buy": survey[[f"buy_at_{p}" for p in prices]].to_numpy().ravel(),
            "weight": np.repeat(survey["weight"].to_numpy(), len(prices)),
        }
    )


@pytest.mark.parametrize("weights", [None, "weight"])
def test_gabor_granger(ladder: pd.DataFrame, weights: str | None) -> None:
    ddf = dd.from_pandas(ladder.sample(frac=1, random_state=1), npartitions=7, sort=False)
    kwargs = {"price": "price", "buy": "buy", "weights": weights, "cost": 15.0, "kind": "arc"}
    got, want = cv.gabor_granger(ddf, **kwargs), cv.gabor_granger(ladder, **kwargs)
    assert isinstance(got, cv.GaborGrangerResult)
    frames_equal(got.table, want.table)
    for field in ("revenue_optimal_price", "profit_optimal_price", "n", "n_rows", "n_missing", "n_invalid"):
        assert getattr(got, field) == getattr(want, field), field


def test_gabor_granger_missing_values_and_errors(ladder: pd.DataFrame) -> None:
    holes = ladder.astype({"buy": float})
    holes.loc[holes.index[[10, 20_000]], "buy"] = np.nan
    ddf = dd.from_pandas(holes, npartitions=6)
    with pytest.raises(cv.InputError) as single:
        cv.gabor_granger(holes)
    with pytest.raises(cv.InputError) as spread_:
        cv.gabor_granger(ddf)
    assert str(spread_.value) == str(single.value)
    got, want = cv.gabor_granger(ddf, missing="drop"), cv.gabor_granger(holes, missing="drop")
    frames_equal(got.table, want.table)
    assert (got.n_rows, got.n_missing) == (want.n_rows, want.n_missing) == (len(holes), 2)
    pd.testing.assert_frame_equal(got.dropped, want.dropped)
    bad = ladder.copy()
    bad.loc[bad.index[19_999], "price"] = 0.0
    with pytest.raises(cv.InputError) as single:
        cv.gabor_granger(bad)
    with pytest.raises(cv.InputError) as spread_:
        cv.gabor_granger(dd.from_pandas(bad, npartitions=4))
    assert str(spread_.value) == str(single.value) and "row 19999" in str(single.value)


def test_gabor_granger_by_respondent_is_refused(ladder: pd.DataFrame) -> None:
    with pytest.raises(cv.ParameterError, match="argument 'respondent'"):
        cv.gabor_granger(dd.from_pandas(ladder, npartitions=2), respondent="respondent")


def pieces(frames: list[pd.DataFrame]) -> Any:
    """A dask DataFrame whose partitions are exactly ``frames`` (empty ones included)."""
    dask = engine("dask", "dask")
    return dd.from_delayed([dask.delayed(f) for f in frames], meta=frames[0].iloc[:0], verify_meta=False)


@pytest.mark.filterwarnings("ignore:without the too-cheap question")
def test_van_westendorp_from_states_with_empty_partitions_and_a_category_order(survey: pd.DataFrame) -> None:
    # the merged histograms hold one row per (group, answer price), whatever the respondents
    segment = pd.Categorical(survey["segment"])
    data = survey.assign(segment=segment.reorder_categories(segment.categories[::-1]))
    frames = [data.iloc[i::5] for i in range(5)]
    ddf = pieces([frames[0], data.iloc[:0], *frames[1:3], data.iloc[:0], *frames[3:]])
    for kwargs in ({"by": "segment"}, {"by": "segment", "nms": NMS, "validate": "weak"}, {"too_cheap": None}):
        got, want = cv.van_westendorp(ddf, **kwargs, split_every=2), cv.van_westendorp(data, **kwargs)
        frames_equal(got.table, want.table)
        frames_equal(got.points, want.points)
        frames_equal(got.counts, want.counts)
        frames_equal(got.nms, want.nms, close=True)
        assert got.warnings == want.warnings


def test_van_westendorp_names_the_row_of_the_whole_table(survey: pd.DataFrame) -> None:
    bad = survey.copy()
    bad.loc[bad.index[1234], "cheap"] = -3.0
    with pytest.raises(cv.InputError) as single:
        cv.van_westendorp(bad)
    with pytest.raises(cv.InputError) as spread:
        cv.van_westendorp(dd.from_pandas(bad, npartitions=4))
    assert str(spread.value) == str(single.value)
    assert "row 1234" in str(single.value)


def test_van_westendorp_warns_of_drops_over_five_percent_as_the_single_call(survey: pd.DataFrame) -> None:
    bad = survey.copy()
    rows = bad.index[::7]
    bad.loc[rows, "cheap"] = bad.loc[rows, "too_expensive"] + 1.0  # about 14% inconsistent
    with pytest.warns(cv.DataDroppedWarning) as single:
        want = cv.van_westendorp(bad)
    with pytest.warns(cv.DataDroppedWarning) as spread:
        got = cv.van_westendorp(dd.from_pandas(bad, npartitions=6))
    assert [str(w.message) for w in spread] == [str(w.message) for w in single]
    assert got.warnings == want.warnings
    assert (got.n_rows, got.n_invalid) == (want.n_rows, want.n_invalid)
    pd.testing.assert_frame_equal(got.dropped, want.dropped)
