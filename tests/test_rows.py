"""Results keep the caller's rows, units and drops (issue 14, items 6-9), on pandas, polars and
pyarrow input alike."""

from __future__ import annotations

import warnings

import customervalue as cv
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

KINDS = ["pandas", "polars", "pyarrow"]


def as_kind(df: pd.DataFrame, kind: str):
    if kind == "pandas":
        return df
    t = pa.Table.from_pandas(df, preserve_index=False)
    return pl.from_arrow(t) if kind == "polars" else t


def labels_of(df: pd.DataFrame, kind: str) -> pd.Index:
    """The row labels a result should carry for ``df`` given as ``kind``."""
    return df.index if kind == "pandas" else pd.RangeIndex(len(df))


@pytest.fixture(scope="module")
def summary_days() -> pd.DataFrame:
    tx = cv.datasets.transactions(1500, seed=4)
    return cv.rfm_summary(tx, "customer_id", "date", "amount", time_unit="D")


@pytest.fixture(scope="module")
def models(summary_days):
    bg = cv.BetaGeo().fit(summary_days)
    gg = cv.GammaGamma().fit(summary_days[summary_days["frequency"] > 0])
    return bg, gg


# -- item 6: rows keep their identity -------------------------------------------------------------


def test_clv_assigned_to_a_filtered_shuffled_summary_lands_on_the_right_customers(summary_days, models):
    bg, gg = models
    full = cv.customer_lifetime_value(bg, gg, summary_days, horizon=12)
    rep = summary_days[summary_days["frequency"] > 1].sample(frac=1.0, random_state=3)
    rep["clv"] = cv.customer_lifetime_value(bg, gg, rep, horizon=12)
    assert rep["clv"].notna().all()
    np.testing.assert_array_equal(rep["clv"].to_numpy(), full.loc[rep.index].to_numpy())
    with_ci = cv.customer_lifetime_value(bg, gg, rep.head(20), horizon=12, ci=0.9, n_simulations=20)
    assert with_ci.index.equals(rep.head(20).index)


@pytest.mark.parametrize("kind", KINDS)
def test_predictions_carry_the_input_rows(summary_days, models, kind):
    bg, gg = models
    sub = summary_days[summary_days["frequency"] > 0].iloc[::7].sample(frac=1.0, random_state=1)
    data = as_kind(sub, kind) if kind == "pandas" else as_kind(sub.reset_index(), kind)
    if kind == "pandas":
        data.attrs = dict(summary_days.attrs)
    want = labels_of(sub, kind)
    for out in (
        bg.probability_alive(data),
        bg.conditional_expected_purchases(4, data),
        gg.conditional_expected_spend(data),
    ):
        assert isinstance(out, pd.Series)
        assert out.index.equals(want)
    # the values follow the rows: the same customer gets the same number in any order
    direct = bg.probability_alive(summary_days)
    if kind == "pandas":
        np.testing.assert_array_equal(bg.probability_alive(data).to_numpy(), direct.loc[sub.index].to_numpy())


@pytest.mark.parametrize("kind", KINDS)
def test_rfm_summary_is_indexed_by_the_customer(kind):
    log = pd.DataFrame(
        {
            "cust": ["b", "a", "b", "c"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-15", "2024-01-02"]),
            "amount": [5.0, 7.0, 9.0, 1.0],
        },
        index=[10, 11, 12, 13],
    )
    s = cv.rfm_summary(as_kind(log, kind), "cust", "date", "amount", time_unit="D")
    assert s.index.name == "cust" and list(s.index) == ["a", "b", "c"]
    assert s.loc["b", "frequency"] == 1 and s.loc["b", "recency"] == 14


def test_theme_flags_join_back_to_the_callers_frame():
    df = pd.DataFrame(
        {"comment": ["too expensive", "late delivery", None, "fair price"]}, index=["r1", "r2", "r3", "r4"]
    )
    kept = df.iloc[[3, 0, 1]]  # filtered and reordered
    tagged = cv.tag_themes(kept["comment"], {"price": ["expensive", "price"], "delivery": ["late"]})
    joined = df.join(tagged.flags)
    assert joined.loc[["r1", "r2", "r4"], "price"].tolist() == [True, False, True]
    assert joined.loc[["r1", "r2", "r4"], "delivery"].tolist() == [False, True, False]
    assert pd.isna(joined.loc["r3", "price"])


@pytest.mark.parametrize("kind", KINDS)
def test_cluster_labels_and_drops_name_the_input_rows(kind):
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {"x": np.r_[rng.normal(0, 1, 30), rng.normal(8, 1, 30)], "y": rng.normal(0, 1, 60)},
        index=pd.Index([f"c{i}" for i in range(60)], name="customer"),
    )
    df.iloc[[4, 40], 0] = np.nan
    res = cv.cluster(as_kind(df, kind), features=["x", "y"], k=2, missing="drop")
    want = labels_of(df, kind)
    assert res.labels.index.equals(want)
    assert list(res.dropped.index) == list(want[[4, 40]])
    assert (res.n_rows, res.n_missing) == (60, 2)
    assert (res.labels.iloc[[4, 40]] == -1).all()


# -- item 7: units travel ---------------------------------------------------------------------


def test_a_model_fitted_on_days_gives_the_same_lifetime_value_as_one_fitted_on_weeks():
    tx = cv.datasets.transactions(1500, seed=4)
    days = cv.rfm_summary(tx, "customer_id", "date", "amount", time_unit="D")
    weeks = cv.rfm_summary(tx, "customer_id", "date", "amount", time_unit="W")
    bg_d, bg_w = cv.BetaGeo().fit(days), cv.BetaGeo().fit(weeks)
    assert (bg_d.time_unit_, bg_w.time_unit_) == ("D", "W")
    gg = cv.GammaGamma().fit(weeks[weeks["frequency"] > 0])
    clv_d = cv.customer_lifetime_value(bg_d, gg, days, horizon=12, time_unit="M")
    clv_w = cv.customer_lifetime_value(bg_w, gg, weeks, horizon=12, time_unit="M")
    # the same model in two units: the BG/NBD likelihood is unit-free up to alpha's scale
    np.testing.assert_allclose(clv_d.to_numpy(), clv_w.loc[clv_d.index].to_numpy(), rtol=2e-3)


def test_an_explicit_unit_that_contradicts_the_summary_is_refused(summary_days, models):
    with pytest.raises(cv.ParameterError, match="'D'.*'W'"):
        cv.BetaGeo(time_unit="W").fit(summary_days)
    bg, _ = models
    weeks = summary_days.copy()
    weeks.attrs["time_unit"] = "W"
    with pytest.raises(cv.ParameterError, match="time_unit"):
        bg.probability_alive(weeks)


# -- item 8: drops are visible ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_van_westendorp_lists_inconsistent_and_missing_respondents(kind):
    survey = cv.datasets.pricing_survey(400, seed=2)
    survey.index = survey.index + 1000
    swapped = survey.rename(columns={"cheap": "expensive", "expensive": "cheap"})
    with pytest.warns(cv.DataDroppedWarning, match="inconsistent answers"):
        r = cv.van_westendorp(as_kind(swapped, kind))
    want = labels_of(survey, kind)
    assert r.n_rows == 400 and r.n_missing == 0 and r.n_invalid == 400 - r.n_valid > 300
    assert set(r.dropped["reason"]) == {"inconsistent answers"}
    assert r.dropped.index.isin(want).all() and len(r.dropped) == r.n_invalid
    # missing answers are listed too, with their own reason, and counted apart
    holes = survey.copy()
    holes.iloc[[0, 5, 9], holes.columns.get_loc("cheap")] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cv.DataDroppedWarning)
        r = cv.van_westendorp(as_kind(holes, kind), missing="drop")
    miss = r.dropped[r.dropped["reason"] == "missing"]
    assert list(miss.index) == list(labels_of(holes, kind)[[0, 5, 9]]) and r.n_missing == 3
    assert "dropped" in r.summary()


def test_a_small_drop_does_not_warn_and_every_result_carries_the_envelope():
    survey = cv.datasets.pricing_survey(500, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", cv.DataDroppedWarning)
        results = [
            cv.van_westendorp(survey),
            cv.demand_curve(survey, wtp="wtp"),
            cv.fit_price_response(
                cv.demand_curve(survey, wtp="wtp").table, price="price", quantity="share", model="linear"
            ),
        ]
    for r in results:
        assert r.n_rows > 0 and isinstance(r.dropped, pd.DataFrame) and "reason" in r.dropped
        assert r.n_missing + r.n_invalid == len(r.dropped)
    gg = cv.gabor_granger(
        pd.DataFrame({"id": [1, 1, 2, 2], "price": [10, 20] * 2, "buy": [1, 0, 1, None]}),
        respondent="id",
        missing="drop",
    )
    assert (gg.n_rows, gg.n_missing, list(gg.dropped.index)) == (4, 1, [3])


def test_model_fits_count_their_drops(summary_days):
    s = summary_days.copy()
    s.iloc[:100, s.columns.get_loc("recency")] = np.nan
    with pytest.warns(cv.DataDroppedWarning, match="100 of"):
        m = cv.BetaGeo().fit(s, missing="drop")
    assert (m.n_rows_, m.n_missing_) == (len(s), 100)
    assert list(m.dropped_.index) == list(s.index[:100])


def test_weights_are_explicit_and_the_bundled_data_fits_by_default_names():
    d = cv.datasets.donations()
    assert list(d.columns) == ["frequency", "recency", "n_periods", "weights"]
    m = cv.BetaGeoBetaBinom().fit(d, weights="weights")
    assert m.log_likelihood_ == pytest.approx(-33225.58, abs=0.01)
    with pytest.warns(cv.CustomerValueWarning, match="weights='weights'"):
        cv.BetaGeoBetaBinom().fit(d)


# -- item 9: messages for messy input ----------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_text_in_a_money_column_names_the_value_its_row_and_the_fix(kind):
    df = pd.DataFrame({"wtp": ["12", "$13", None, "9"]})
    data = as_kind(df, kind)  # polars hands its strings over as Arrow string views
    with pytest.raises(cv.InputError, match=r"'wtp'.*row 1 is '\$13'.*pd.to_numeric"):
        cv.demand_curve(data, wtp="wtp")


def test_pandas_mixed_object_column_names_the_first_odd_value():
    df = pd.DataFrame({"wtp": [12.0, "$13", 4.0]}, index=["a", "b", "c"])
    with pytest.raises(cv.InputError, match=r"'wtp'.*'\$13'.*row 'b'"):
        cv.demand_curve(df, wtp="wtp")


@pytest.mark.parametrize("kind", KINDS)
def test_iso_date_text_is_read_and_other_text_is_refused_with_the_fix(kind):
    log = pd.DataFrame({"c": [1, 1, 2], "d": ["2024-01-01", "2024-01-15", "2024-01-08"]})
    s = cv.rfm_summary(as_kind(log, kind), "c", "d", time_unit="D")
    assert s.loc[1, "recency"] == 14 and s.loc[2, "T"] == 7
    if kind == "pyarrow":
        large = pa.table({"c": [1, 1], "d": pa.array(["2024-01-01", "2024-01-02"], pa.large_string())})
        assert cv.rfm_summary(large, "c", "d", time_unit="D").loc[1, "recency"] == 1
    bad = log.assign(d=["2024-01-01", "15/01/2024", "2024-01-08"])
    with pytest.raises(cv.InputError, match=r"'d'.*row 1 is '15/01/2024'.*to_datetime"):
        cv.rfm_summary(as_kind(bad, kind), "c", "d")


def test_decimal_and_dictionary_encoded_numbers_are_read():
    plain = cv.demand_curve(pd.DataFrame({"wtp": [12.5, 20.0, 20.0, 7.25]}), wtp="wtp")
    dec = pa.table({"wtp": pa.array(["12.50", "20.00", "20.00", "7.25"]).cast(pa.decimal128(8, 2))})
    dic = pa.table({"wtp": pa.array([12.5, 20.0, 20.0, 7.25]).dictionary_encode()})
    for t in (dec, dic):
        got = cv.demand_curve(t, wtp="wtp")
        pd.testing.assert_frame_equal(got.table, plain.table)


def test_the_lifetimes_habit_of_passing_series_gets_the_fix(summary_days):
    with pytest.raises(cv.ParameterError, match="takes a DataFrame and column names, got a Series"):
        cv.BetaGeo().fit(summary_days["frequency"], summary_days["recency"], summary_days["T"])


def test_a_summary_without_amounts_has_no_spend_column_rather_than_nan():
    # issue 18: rfm_summary without amount= returned an all-NaN monetary_value column
    tx = cv.datasets.transactions(300, seed=1)
    s = cv.rfm_summary(tx, "customer_id", "date", time_unit="W")
    assert list(s.columns) == ["frequency", "recency", "T"]
    with pytest.raises(cv.InputError, match="'monetary_value': not found"):
        cv.GammaGamma().fit(s)


def test_lifetime_value_arguments_are_checked_before_any_work(summary_days, models):
    # issue 18: a NaN discount rate gave NaN values; a horizon of 1e9 tried to allocate gigabytes
    bg, gg = models
    for bad, name in [
        ({"horizon": float("nan")}, "horizon"),
        ({"horizon": 1e9}, "horizon"),
        ({"horizon": 12, "discount_rate": float("nan")}, "discount_rate"),
        ({"horizon": 12, "discount_rate": -0.1}, "discount_rate"),
    ]:
        with pytest.raises(cv.ParameterError, match=f"'{name}'"):
            cv.customer_lifetime_value(bg, gg, summary_days, **bad)
    # intervals read the table once: the point value is the same, and so are the rows
    point = cv.customer_lifetime_value(bg, gg, summary_days.head(50), horizon=6)
    with_ci = cv.customer_lifetime_value(bg, gg, summary_days.head(50), horizon=6, ci=0.9, n_simulations=20)
    pd.testing.assert_series_equal(with_ci["clv"], point, check_names=False)
    assert (with_ci["ci_low"] <= with_ci["ci_high"]).all()
