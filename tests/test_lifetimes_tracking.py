"""lifetimes' tracking features in customervalue (issue 15): cumulative and incremental
tracking of repeat transactions, the alive path of one customer, and the frequency x recency
matrices as data.

Expectations are ported as facts and numbers from lifetimes' test suite,
CamDavidsonPilon/lifetimes, lifetimes/tests/test_utils.py (each test names the one it ports;
their numbers come from R's BTYD walkthrough on the CDNOW sample); the rest compares with
lifetimes 0.11.3 itself on the same data and the same parameters, where lifetimes runs under
pandas 3. The data files (CDNOW_sample.txt, example_transactions.csv) ship with lifetimes, so
those tests skip without it. Where lifetimes counts differently (its row numbers, its calendar
weeks, its x = 0 row of the P(alive) matrix), the test shows both results.
"""

from __future__ import annotations

import warnings

import customervalue as cv
import matplotlib
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

matplotlib.use("Agg")

ECT = cv.economics.expected_cumulative_transactions


def lifetimes_data(name: str, **kwargs):
    pytest.importorskip("lifetimes")
    from lifetimes.datasets import load_dataset

    return load_dataset(name, **kwargs)


@pytest.fixture(scope="module")
def cdnow_sample() -> pd.DataFrame:
    """lifetimes' fixture `cdnow_transactions`: the CDNOW 1/10th sample, dates as integers
    such as 19970101 (read with date_format="%Y%m%d", lifetimes' datetime_format)."""
    tx = lifetimes_data("CDNOW_sample.txt", header=None, sep=r"\s+")
    tx.columns = ["id_total", "id_sample", "date", "num_cd_purc", "total_value"]
    return tx[["id_sample", "date"]]


@pytest.fixture(scope="module")
def example_log() -> pd.DataFrame:
    """lifetimes' fixture `example_transaction_data` (5000 customers over 2014, by day)."""
    return lifetimes_data("example_transactions.csv", parse_dates=["date"])


@pytest.fixture(scope="module")
def example_bg(example_log) -> cv.BetaGeo:
    """lifetimes' fixture `fitted_bg`: BG/NBD on the example log in days."""
    return cv.BetaGeo().fit(cv.rfm_summary(example_log, "id", "date", time_unit="D"))


def lifetimes_twin(model: cv.BetaGeo):
    """The lifetimes fitter of the same model carrying the same parameters, so the two
    implementations are compared on the computation and not on the fit."""
    lt = pytest.importorskip("lifetimes")
    cls = {
        "BetaGeo": lt.BetaGeoFitter,
        "ModifiedBetaGeo": lt.ModifiedBetaGeoFitter,
        "ParetoNBD": lt.ParetoNBDFitter,
    }[type(model).__name__]
    twin = cls()
    twin.params_ = pd.Series(model.params_)
    return twin


def lifetimes_utils():
    pytest.importorskip("lifetimes")
    from lifetimes import utils

    return utils


# ---- expected cumulative transactions ------------------------------------------------------


@pytest.fixture(scope="module")
def walkthrough(cdnow_sample) -> tuple[cv.ParetoNBD, pd.DataFrame]:
    """lifetimes' fixture `df_cum_transactions`: Pareto/NBD fitted on the CDNOW sample through
    1997-09-30 in weeks of days (lifetimes: freq="D", freq_multiplier=7; here time_unit="W"),
    tracked for 25 weeks."""
    summary = cv.rfm_summary(
        cdnow_sample, "id_sample", "date", date_format="%Y%m%d", observation_end="19970930", time_unit="W"
    )
    model = cv.ParetoNBD().fit(summary)
    return model, ECT(model, cdnow_sample, "id_sample", "date", t=25, date_format="%Y%m%d")


def test_cumulative_tracking_equals_r_btyd_walkthrough(walkthrough):
    # ports test_expected_cumulative_transactions_equals_r_btyd_walktrough: R's cum.tracking[, 20:25]
    _, track = walkthrough
    rows = track.iloc[19:25]
    assert rows["period"].tolist() == [20, 21, 22, 23, 24, 25]  # lifetimes' rows 19..24
    assert rows["actual"].tolist() == [1359, 1414, 1484, 1517, 1573, 1672]
    # R prints whole transactions: within 0.5 is equal after rounding
    np.testing.assert_allclose(rows["predicted"], [1309, 1385, 1460, 1533, 1604, 1674], atol=0.5)


def test_incremental_tracking_equals_r_btyd_walkthrough(walkthrough):
    # ports test_incremental_transactions_equals_r_btyd_walktrough: R's inc.tracking[, 20:25]
    _, track = walkthrough
    steps = track[["actual", "predicted"]].diff().iloc[19:25]
    assert steps["actual"].tolist() == [73, 55, 70, 33, 56, 99]
    # R prints two decimals; our Pareto/NBD fit differs from BTYD's in the fifth digit
    np.testing.assert_allclose(steps["predicted"], [78.31, 76.42, 74.65, 72.98, 71.41, 69.93], atol=0.015)


def test_daily_tracking_dates_equal_lifetimes_date_index(cdnow_sample):
    # ports test_expected_cumulative_transactions_date_index: BG/NBD in days, 14 days tracked;
    # lifetimes indexes the rows by the period's date (set_index_date=True), here a column
    summary = cv.rfm_summary(
        cdnow_sample, "id_sample", "date", date_format="%Y%m%d", observation_end="19970930", time_unit="D"
    )
    bg = cv.BetaGeo().fit(summary)
    track = ECT(bg, cdnow_sample, "id_sample", "date", t=14, date_format="%Y%m%d").iloc[-4:]
    assert track["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "1997-01-11",
        "1997-01-12",
        "1997-01-13",
        "1997-01-14",
    ]
    assert track["period"].tolist() == [11, 12, 13, 14]
    assert track["actual"].tolist() == [11, 12, 15, 19]
    np.testing.assert_allclose(track["predicted"], [10.67, 12.67, 14.87, 17.24], atol=0.01)


@pytest.mark.parametrize(
    "model_cls", [cv.BetaGeo, cv.ModifiedBetaGeo, cv.ParetoNBD], ids=lambda c: c.__name__
)
def test_tracking_matches_lifetimes_on_the_same_parameters(cdnow_sample, model_cls):
    # lifetimes itself, weeks of days (freq="D", freq_multiplier=7): its row i is period i + 1
    utils = lifetimes_utils()
    summary = cv.rfm_summary(
        cdnow_sample, "id_sample", "date", date_format="%Y%m%d", observation_end="19970930"
    )
    model = model_cls().fit(summary)
    ours = ECT(model, cdnow_sample, "id_sample", "date", t=40, date_format="%Y%m%d")
    theirs = utils.expected_cumulative_transactions(
        # lifetimes is given the dates as text: pandas 3 deprecates parsing numbers with a format
        lifetimes_twin(model),
        cdnow_sample.astype({"date": str}),
        "date",
        "id_sample",
        280,
        "%Y%m%d",
        "D",
        freq_multiplier=7,
    )
    assert list(theirs.index) == list(ours["period"] - 1)
    np.testing.assert_array_equal(ours["actual"], theirs["actual"])
    np.testing.assert_allclose(ours["predicted"], theirs["predicted"], rtol=1e-9)


def test_a_day_model_tracked_by_week_reads_the_daily_table_every_seventh_day(example_log, example_bg):
    # Periods convert to the model's unit: weeks of a model fitted in days are 7 of its units.
    # lifetimes' freq_multiplier=7 instead divides the days by 7, which is right only for a model
    # fitted in weeks: both are shown.
    utils = lifetimes_utils()
    weekly = ECT(example_bg, example_log, "id", "date", t=10, time_unit="W")
    daily = ECT(example_bg, example_log, "id", "date", t=70, time_unit="D")
    pd.testing.assert_frame_equal(
        weekly[["actual", "predicted"]], daily[["actual", "predicted"]].iloc[6::7].reset_index(drop=True)
    )
    twin = lifetimes_twin(example_bg)
    by_day = utils.expected_cumulative_transactions(twin, example_log, "date", "id", 70, freq="D")
    np.testing.assert_allclose(weekly["predicted"], by_day["predicted"].iloc[6::7], rtol=1e-9)
    multiplied = utils.expected_cumulative_transactions(
        twin, example_log, "date", "id", 70, freq_multiplier=7
    )
    np.testing.assert_array_equal(multiplied["actual"], weekly["actual"])
    assert (multiplied["predicted"].to_numpy() < 0.5 * weekly["predicted"].to_numpy()).all()
    # ... and with a model fitted in weeks, lifetimes' multiplier and our weeks agree
    bg_w = cv.BetaGeo().fit(cv.rfm_summary(example_log, "id", "date", time_unit="W"))
    ours_w = ECT(bg_w, example_log, "id", "date", t=10)
    theirs_w = utils.expected_cumulative_transactions(
        lifetimes_twin(bg_w), example_log, "date", "id", 70, freq_multiplier=7
    )
    np.testing.assert_allclose(ours_w["predicted"], theirs_w["predicted"], rtol=1e-9)


def test_same_day_purchases_count_once(example_log, example_bg):
    # ports test_expected_cumulative_transactions_dedups_inside_a_time_period: lifetimes asserts
    # that its weekly counts are at least its daily ones over the same number of periods
    utils = lifetimes_utils()
    by_week = ECT(example_bg, example_log, "id", "date", t=10, time_unit="W")
    by_day = ECT(example_bg, example_log, "id", "date", t=10, time_unit="D")
    assert (by_week["actual"].to_numpy() >= by_day["actual"].to_numpy()).all()
    assert by_week["actual"].iloc[-1] > by_day["actual"].iloc[-1]
    # purchases are days: every purchase entered twice, or at another hour, changes nothing
    twice = pd.concat([example_log, example_log.assign(date=example_log["date"] + pd.Timedelta(hours=15))])
    pd.testing.assert_frame_equal(
        ECT(example_bg, twice, "id", "date", t=10),
        ECT(example_bg, example_log, "id", "date", t=10),
        check_like=True,
    )
    # lifetimes' freq="W" buckets purchases into calendar weeks (ending on Sunday; 2014-01-01 is
    # a Wednesday) and counts one a week: fewer than our weeks of days from the first purchase
    calendar = utils.expected_cumulative_transactions(
        lifetimes_twin(example_bg), example_log, "date", "id", 10, freq="W"
    )
    assert calendar["actual"].tolist()[:3] == [0, 32, 81]
    assert by_week["actual"].tolist()[:3] == [29, 110, 208]
    assert (calendar["actual"].to_numpy() < by_week["actual"].to_numpy()).all()


def test_the_calibration_cohort_is_the_customers_born_by_calibration_end(example_log, example_bg):
    # lifetimes tracks every customer born before each period; with calibration_end only the
    # calibration cohort (rfm_summary's convention), as if the later customers were not in the log
    utils = lifetimes_utils()
    cut = "2014-06-30"
    cohort = ECT(example_bg, example_log, "id", "date", t=52, time_unit="W", calibration_end=cut)
    born = example_log.groupby("id")["date"].transform("min") <= cut
    alone = ECT(example_bg, example_log[born], "id", "date", t=52, time_unit="W")
    pd.testing.assert_frame_equal(cohort, alone, check_like=True, check_flags=False)
    everyone = ECT(example_bg, example_log, "id", "date", t=52, time_unit="W")
    assert (
        cohort.attrs["n_customers"] == example_log.loc[born, "id"].nunique() < everyone.attrs["n_customers"]
    )
    assert (cohort["actual"] <= everyone["actual"]).all() and cohort["actual"].iloc[-1] < everyone[
        "actual"
    ].iloc[-1]
    # the cut is the end of 2014-06-30: 181 days after 2014-01-01, in weeks
    assert cohort.attrs["calibration_period"] == pytest.approx(181 / 7)
    assert cohort.attrs["calibration_end"] == pd.Timestamp(cut)
    theirs = utils.expected_cumulative_transactions(
        lifetimes_twin(example_bg), example_log, "date", "id", 364, freq="D"
    )
    np.testing.assert_allclose(everyone["predicted"], theirs["predicted"].iloc[6::7], rtol=1e-9)


def test_periods_past_the_observation_end_are_a_forecast(example_log, example_bg):
    # 2014-01-01 .. 2014-12-31 is 52 whole weeks and a day
    full = ECT(example_bg, example_log, "id", "date", time_unit="W")
    assert len(full) == 52 and full["actual"].notna().all()
    longer = ECT(example_bg, example_log, "id", "date", t=60, time_unit="W")
    assert longer["actual"].iloc[52:].isna().all() and longer["actual"].iloc[:52].notna().all()
    assert np.all(np.diff(longer["predicted"]) > 0)
    pd.testing.assert_frame_equal(longer.iloc[:52], full, check_flags=False)
    # an observation end cuts the log: 2014-06-30 leaves 25 whole weeks
    cut = ECT(example_bg, example_log, "id", "date", time_unit="W", observation_end="2014-06-30")
    assert len(cut) == 25
    np.testing.assert_array_equal(cut["actual"], full["actual"].iloc[:25])


def test_tracking_reads_pandas_polars_and_arrow_and_text_dates(example_log, example_bg):
    pl = pytest.importorskip("polars")
    want = ECT(example_bg, example_log, "id", "date", t=8, time_unit="W")
    for data in (pl.from_pandas(example_log), pa.table(example_log)):
        pd.testing.assert_frame_equal(
            ECT(example_bg, data, "id", "date", t=8, time_unit="W"), want, check_flags=False
        )
    # a time zone: days are counted in UTC, as rfm_summary counts them
    berlin = example_log.assign(date=example_log["date"].dt.tz_localize("UTC").dt.tz_convert("Europe/Berlin"))
    pd.testing.assert_frame_equal(
        ECT(example_bg, berlin, "id", "date", t=8, time_unit="W"), want, check_flags=False
    )
    dates = pl.from_pandas(example_log).with_columns(pl.col("date").dt.date())  # a polars Date column
    pd.testing.assert_frame_equal(
        ECT(example_bg, dates, "id", "date", t=8, time_unit="W"), want, check_flags=False
    )
    iso = example_log.assign(date=example_log["date"].dt.strftime("%Y-%m-%d"))
    pd.testing.assert_frame_equal(
        ECT(example_bg, iso, "id", "date", t=8, time_unit="W"), want, check_flags=False
    )
    text = example_log.assign(date=example_log["date"].dt.strftime("%d/%m/%Y"))
    got = ECT(example_bg, text, "id", "date", t=8, time_unit="W", date_format="%d/%m/%Y")
    pd.testing.assert_frame_equal(got, want, check_flags=False)
    with pytest.raises(
        cv.InputError, match=r"column 'date'.*row 0 holds '08/03/2014'.*not an ISO date.*date_format="
    ):
        ECT(example_bg, text, "id", "date", t=8)


def test_tracking_missing_values_and_bad_arguments(example_log, example_bg):
    log = example_log.copy()
    log.loc[5, "date"] = pd.NaT
    with pytest.raises(cv.InputError, match=r"column 'date': 1 missing value.*row 5.*missing='drop'"):
        ECT(example_bg, log, "id", "date", t=4)
    kept = ECT(example_bg, log, "id", "date", t=4, missing="drop")
    assert kept.attrs["n_missing"] == 1 and list(kept.attrs["dropped"].index) == [5]
    with pytest.raises(cv.InputError, match="column 'when': not found"):
        ECT(example_bg, example_log, "id", "when", t=4)
    with pytest.raises(cv.ParameterError, match="argument 't'"):
        ECT(example_bg, example_log, "id", "date", t=0)
    with pytest.raises(cv.ParameterError, match="argument 'time_unit'"):
        ECT(example_bg, example_log, "id", "date", t=4, time_unit="H")
    with pytest.raises(cv.ParameterError, match="argument 'calibration_end'"):
        ECT(example_bg, example_log, "id", "date", t=4, calibration_end="2015-06-01")
    with pytest.raises(cv.ParameterError, match="argument 'model'.*GammaGamma"):
        ECT(cv.GammaGamma().fit(cv.datasets.cdnow()), example_log, "id", "date", t=4)
    with pytest.raises(cv.NotFittedError):
        ECT(cv.BetaGeo(), example_log, "id", "date", t=4)
    with pytest.raises(cv.InputError, match="empty"):
        ECT(example_bg, example_log.iloc[:0], "id", "date", t=4)


def test_tracking_plots_draw_the_table_and_the_calibration_cut(example_log, example_bg):
    import matplotlib.pyplot as plt

    kw = dict(t=52, time_unit="W", calibration_end="2014-06-30")
    track = ECT(example_bg, example_log, "id", "date", **kw)
    ax = cv.economics.plot_cumulative_transactions(example_bg, example_log, "id", "date", **kw)
    actual, predicted, cut = ax.get_lines()
    np.testing.assert_array_equal(actual.get_ydata(), track["actual"])
    np.testing.assert_array_equal(predicted.get_ydata(), track["predicted"])
    assert cut.get_xdata()[0] == pytest.approx(181 / 7)
    assert ax.get_xlabel() == "weeks since 2014-01-01"
    _, own = plt.subplots()
    ax = cv.economics.plot_incremental_transactions(example_bg, example_log, "id", "date", own, **kw)
    assert ax is own
    actual, predicted, cut = ax.get_lines()
    # lifetimes' incremental table starts with NaN (a difference with nothing before it); here
    # the first period's own count
    np.testing.assert_array_equal(actual.get_ydata(), np.diff(track["actual"], prepend=0))
    np.testing.assert_allclose(predicted.get_ydata(), np.diff(track["predicted"], prepend=0))
    plt.close("all")


# ---- the alive path of one customer --------------------------------------------------------


@pytest.fixture
def lifetimes_fillna(monkeypatch):
    """lifetimes' calculate_alive_path calls Series.fillna(method="ffill"), which pandas 3
    removed; this routes that call to Series.ffill() for the test's duration."""
    original = pd.Series.fillna

    def fillna(self, value=None, *, method=None, **kwargs):
        return self.ffill() if method == "ffill" else original(self, value, **kwargs)

    monkeypatch.setattr(pd.Series, "fillna", fillna)


def test_alive_path_of_customer_33_as_lifetimes_tests_it(example_log, example_bg, lifetimes_fillna):
    # ports test_calculate_alive_path: customer 33 of the example data, 205 days; P(alive) is 1
    # at the first purchase and, at the customer's age T, equals P(alive) of their summary
    summary = cv.rfm_summary(example_log, "id", "date", time_unit="D")
    one = example_log[example_log["id"] == 33]
    path = cv.economics.alive_path(example_bg, one, "date", t=205, time_unit="D")
    big_t = int(summary.loc[33, "T"])
    assert path["probability_alive"].iloc[0] == 1
    assert path["probability_alive"].iloc[big_t] == example_bg.probability_alive(summary.loc[[33]]).iloc[0]
    assert (
        path.loc[big_t, ["frequency", "recency", "T"]].tolist()
        == summary.loc[33, ["frequency", "recency", "T"]].tolist()
    )
    # lifetimes itself (freq="D", a model in days): the same path, a Series indexed by period
    utils = lifetimes_utils()
    theirs = utils.calculate_alive_path(lifetimes_twin(example_bg), one, "date", 205)
    assert list(theirs.index) == path["period"].tolist()
    np.testing.assert_allclose(
        path["probability_alive"], np.asarray(theirs.tolist(), dtype=float).ravel(), rtol=1e-12
    )


def test_alive_path_by_week_is_the_daily_path_every_seventh_day(example_log, example_bg, lifetimes_fillna):
    one = example_log[example_log["id"] == 33]
    daily = cv.economics.alive_path(example_bg, one, "date", t=203, time_unit="D")
    weekly = cv.economics.alive_path(example_bg, one, "date", t=29, time_unit="W")
    np.testing.assert_array_equal(weekly["probability_alive"], daily["probability_alive"].iloc[::7])
    np.testing.assert_array_equal(weekly["T"], daily["T"].iloc[::7])  # in the model's unit, days
    # lifetimes' freq="W" resamples purchases into calendar weeks ending on Sunday (the first
    # purchase, 2014-06-13, is a Friday) and takes T in weeks of a model in days, so its weekly
    # path is another curve; shown for the record
    utils = lifetimes_utils()
    bg_w = cv.BetaGeo().fit(cv.rfm_summary(example_log, "id", "date", time_unit="W"))
    ours = cv.economics.alive_path(bg_w, one, "date", t=29)
    theirs = np.asarray(
        utils.calculate_alive_path(lifetimes_twin(bg_w), one, "date", 29, freq="W").tolist(), dtype=float
    ).ravel()
    # week 4: the second purchase (07-07) is 3.43 weeks after the first here, in calendar week 4 there
    assert ours.loc[4, ["frequency", "recency"]].tolist() == [1.0, pytest.approx(24 / 7)]
    assert ours["probability_alive"].iloc[4] == pytest.approx(0.5925, abs=5e-4)
    assert theirs[4] == pytest.approx(0.6322, abs=5e-4)
    assert not np.allclose(ours["probability_alive"], theirs)


def test_alive_path_is_one_prediction_call(example_log, example_bg, monkeypatch):
    calls = []
    original = cv.BetaGeo.probability_alive

    def counted(self, data):
        calls.append(len(data))
        return original(self, data)

    monkeypatch.setattr(cv.BetaGeo, "probability_alive", counted)
    one = example_log[example_log["id"] == 33]
    path = cv.economics.alive_path(example_bg, one, "date", t=300, time_unit="D")
    assert calls == [301] and len(path) == 301


def test_alive_path_follows_the_purchases(example_log, example_bg):
    one = example_log[example_log["id"] == 33]  # buys on 06-13, 07-07, 07-17, 08-04, 08-21
    path = cv.economics.alive_path(example_bg, one, "date", time_unit="D", observation_end="2014-12-31")
    assert len(path) == 202 and path["date"].iloc[-1] == pd.Timestamp("2014-12-31")
    assert path["frequency"].iloc[-1] == 4 and path["recency"].iloc[-1] == 69
    jumps = path.index[np.diff(path["frequency"], prepend=0) > 0]
    assert path.loc[jumps, "date"].dt.strftime("%m-%d").tolist() == ["07-07", "07-17", "08-04", "08-21"]
    p = path["probability_alive"].to_numpy()
    # under BG/NBD a customer without a repeat purchase cannot have dropped out (P(alive) = 1),
    # so the first repeat purchase lowers P(alive); every later one revives it
    assert p[jumps[0] - 1] == 1 and p[jumps[0]] < 1
    assert (p[jumps[1:]] > p[jumps[1:] - 1]).all()
    between = np.setdiff1d(np.arange(jumps[0] + 1, len(p)), jumps)
    assert (p[between] <= p[between - 1]).all()  # and P(alive) decays between purchases
    assert path.attrs["purchases"].strftime("%m-%d").tolist() == ["06-13", "07-07", "07-17", "08-04", "08-21"]


def test_alive_path_refuses_a_whole_log_and_a_path_without_an_end(example_log, example_bg):
    with pytest.raises(
        cv.ParameterError, match=r"holds 5,000 customers in column 'id'.*data\[data\['id'\] =="
    ):
        cv.economics.alive_path(example_bg, example_log, "date", customer="id", t=10)
    one = example_log[example_log["id"] == 33]
    assert len(cv.economics.alive_path(example_bg, one, "date", customer="id", t=10)) == 11
    with pytest.raises(cv.ParameterError, match="argument 't': give t= .* or observation_end="):
        cv.economics.alive_path(example_bg, one, "date")
    with pytest.raises(cv.ParameterError, match="argument 'observation_end'"):
        cv.economics.alive_path(example_bg, one, "date", observation_end="2014-01-01")


def test_plot_history_alive_draws_the_path_and_the_purchases(example_log, example_bg):
    import matplotlib.pyplot as plt

    one = example_log[example_log["id"] == 33]
    path = cv.economics.alive_path(example_bg, one, "date", t=205, time_unit="D")
    ax = cv.economics.plot_history_alive(example_bg, one, "date", t=205, time_unit="D")
    line = ax.get_lines()[0]
    np.testing.assert_array_equal(line.get_ydata(), path["probability_alive"])
    assert len(ax.collections[0].get_segments()) == 5  # one dashed line a purchase
    assert ax.get_ylabel() == "P(alive)"
    plt.close("all")


# ---- frequency x recency matrices ----------------------------------------------------------


@pytest.mark.parametrize(
    "model_cls", [cv.BetaGeo, cv.ModifiedBetaGeo, cv.ParetoNBD], ids=lambda c: c.__name__
)
def test_probability_alive_matrix_matches_lifetimes(model_cls):
    model = model_cls().fit(cv.datasets.cdnow())
    ours = model.probability_alive_matrix(max_frequency=20, max_recency=38)
    assert ours.shape == (21, 39) and ours.attrs["T"] == 38
    assert ours.index.name == "frequency" and ours.columns.name == "recency"
    # lifetimes' conditional_probability_alive_matrix: rows recency, columns frequency, T = max_recency
    theirs = lifetimes_twin(model).conditional_probability_alive_matrix(max_frequency=20, max_recency=38)
    np.testing.assert_allclose(ours.to_numpy()[1:], np.asarray(theirs, dtype=float).T[1:], rtol=1e-9)
    # x = 0: a customer without repeat purchases has recency 0; lifetimes evaluates the formula
    # at recency > 0 too, the same number for BG/NBD (1) but not for MBG/NBD and Pareto/NBD
    np.testing.assert_allclose(ours.loc[0], theirs[0, 0], rtol=1e-9)
    if model_cls is cv.BetaGeo:
        assert (ours.loc[0] == 1).all() and np.all(theirs[:, 0] == 1)
    else:
        assert np.ptp(np.asarray(theirs, dtype=float)[:, 0]) > 0.01 and np.ptp(ours.loc[0]) == 0


@pytest.mark.parametrize(
    "model_cls", [cv.BetaGeo, cv.ModifiedBetaGeo, cv.ParetoNBD], ids=lambda c: c.__name__
)
def test_expected_purchases_matrix_matches_lifetimes_frequency_recency_matrix(model_cls):
    model = model_cls().fit(cv.datasets.cdnow())
    ours = model.conditional_expected_purchases_matrix(t=10, max_frequency=12, max_recency=30)
    twin = lifetimes_twin(model)
    # the numbers lifetimes' plot_frequency_recency_matrix(model, T=10, max_recency=30) draws
    f, r = np.meshgrid(np.arange(1, 13), np.arange(31), indexing="ij")
    theirs = twin.conditional_expected_number_of_purchases_up_to_time(10, f.ravel(), r.ravel(), 30)
    np.testing.assert_allclose(ours.to_numpy()[1:].ravel(), np.asarray(theirs, dtype=float), rtol=1e-8)
    zero = twin.conditional_expected_number_of_purchases_up_to_time(10, 0, 0, 30)
    np.testing.assert_allclose(ours.loc[0], float(np.asarray(zero).ravel()[0]), rtol=1e-8)


def test_matrix_defaults_and_the_plots_draw_the_matrices():
    import matplotlib.pyplot as plt

    model = cv.BetaGeo().fit(cv.datasets.cdnow())
    m = model.probability_alive_matrix()
    # defaults: 30 repeat purchases, T the largest age fitted on (38.86 weeks), recency in whole weeks
    assert m.shape == (31, 39) and m.attrs["T"] == pytest.approx(38.86)
    assert m.columns[-1] == 38.0
    grid = pd.DataFrame({"frequency": [5.0], "recency": [20.0], "T": [38.86]})
    assert m.loc[5, 20.0] == model.probability_alive(grid).iloc[0]
    ax = model.plot_probability_alive_matrix(max_frequency=20, T=30)
    np.testing.assert_array_equal(
        ax.images[0].get_array(), model.probability_alive_matrix(max_frequency=20, T=30)
    )
    assert "probability alive at T = 30" in ax.get_title()
    ax = model.plot_conditional_expected_purchases_matrix(t=4, max_frequency=10)
    np.testing.assert_array_equal(
        ax.images[0].get_array(), model.conditional_expected_purchases_matrix(t=4, max_frequency=10)
    )
    assert "expected purchases in the next 4" in ax.get_title()
    plt.close("all")
    with pytest.raises(cv.ParameterError, match="argument 'max_recency': 40 is past the age T = 38"):
        model.probability_alive_matrix(max_recency=40, T=38)
    with pytest.raises(cv.ParameterError, match="argument 'max_frequency'"):
        model.probability_alive_matrix(max_frequency=-1)
    with pytest.raises(cv.ParameterError, match="argument 't'"):
        model.conditional_expected_purchases_matrix(t=-1)
    with pytest.raises(cv.NotFittedError):
        cv.ParetoNBD().probability_alive_matrix()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cv.ParetoNBD().fit(cv.datasets.cdnow()).probability_alive_matrix(max_frequency=2)


# ---- the definitions, checked by brute force (no lifetimes needed) --------------------------


def test_tracking_by_months_equals_a_customer_by_customer_count():
    # months are 365.25/12 days, so period ends fall inside days: a purchase on day d counts in
    # the periods ending after d; a customer born on day b has E[X((end - b) / 7)] purchases
    # expected at each end (the model is in weeks)
    log = cv.datasets.cdnow_transactions()
    log = log[log["customer_id"] <= 300]
    bg = cv.BetaGeo().fit(cv.rfm_summary(log))
    track = ECT(bg, log, t=17, time_unit="M")
    day = (log["date"] - pd.Timestamp("1970-01-01")).dt.days
    start = day.min()
    ends = start + 365.25 / 12 * np.arange(1, 18)
    actual, predicted = np.zeros(17), np.zeros(17)
    for _, days in day.groupby(log["customer_id"]):
        distinct = np.unique(days.to_numpy())
        born, repeats = distinct[0], distinct[1:]
        for k, end in enumerate(ends):
            actual[k] += (repeats < end).sum()
            predicted[k] += bg.expected_purchases((end - born) / 7) if born < end else 0.0
    np.testing.assert_array_equal(track["actual"], actual)
    np.testing.assert_allclose(track["predicted"], predicted, rtol=1e-10)
    assert track["date"].iloc[0] == pd.Timestamp(
        "1997-01-31"
    )  # the period ends 10:30 into the 31st, which counts


def test_alive_path_is_rfm_summary_at_each_period_end():
    bg = cv.BetaGeo().fit(cv.datasets.cdnow())
    log = cv.datasets.cdnow_transactions()
    one = log[log["customer_id"] == 4]  # 1997-01-01, 01-18, 08-02, 12-12
    path = cv.economics.alive_path(bg, one, t=60)
    for k in (0, 2, 3, 31, 49, 50, 60):
        end = pd.Timestamp("1997-01-01") + pd.Timedelta(days=7 * k)
        s = cv.rfm_summary(one[one["date"] <= end], observation_end=end)
        assert (
            path.loc[k, ["frequency", "recency", "T"]].tolist()
            == s[["frequency", "recency", "T"]].iloc[0].tolist()
        )
        assert path.loc[k, "probability_alive"] == pytest.approx(bg.probability_alive(s).iloc[0], rel=1e-14)


def test_tracking_in_blocks_equals_tracking_at_once(monkeypatch):
    # the expected-purchases table is built a block of periods at a time to bound the memory
    from customervalue.economics import tracking

    log = cv.datasets.cdnow_transactions()
    bg = cv.BetaGeo().fit(cv.rfm_summary(log, time_unit="D"))
    whole = ECT(bg, log, time_unit="D")
    monkeypatch.setattr(tracking, "_CELLS", 500)  # 90 birth days: blocks of 5 periods
    pd.testing.assert_frame_equal(ECT(bg, log, time_unit="D"), whole, check_flags=False, rtol=1e-13)
    assert len(whole) == 546 and whole["actual"].iloc[-1] == 44021


def test_a_matrix_too_large_to_build_is_refused():
    model = cv.BetaGeo().fit(cv.datasets.cdnow())
    with pytest.raises(
        cv.ParameterError, match=r"argument 'max_frequency': a grid of 10,000,001 frequencies"
    ):
        model.probability_alive_matrix(max_frequency=10**7)
    with pytest.raises(cv.ParameterError, match="argument 'T': must be a finite number"):
        model.probability_alive_matrix(T=float("nan"))
    with pytest.raises(cv.ParameterError, match="argument 'max_recency': must be a finite number"):
        model.conditional_expected_purchases_matrix(max_recency="38")


def test_number_dates_need_a_format_in_tracking_too():
    log = cv.datasets.cdnow_transactions()
    log = log[log["customer_id"] <= 100]
    digits = log.assign(date=log["date"].dt.strftime("%Y%m%d").astype("int64"))
    bg = cv.BetaGeo().fit(cv.rfm_summary(log))
    with pytest.raises(
        cv.InputError, match=r"column 'date': expected dates, timestamps or text, got int64.*'%Y%m%d'"
    ):
        ECT(bg, digits, t=10)
    pd.testing.assert_frame_equal(
        ECT(bg, digits, t=10, date_format="%Y%m%d"), ECT(bg, log, t=10), check_flags=False
    )
    one = digits[digits["customer_id"] == 4]
    pd.testing.assert_frame_equal(
        cv.economics.alive_path(bg, one, t=30, date_format="%Y%m%d"),
        cv.economics.alive_path(bg, log[log["customer_id"] == 4], t=30),
    )


@pytest.mark.parametrize("model_cls", [cv.ModifiedBetaGeo, cv.ParetoNBD], ids=lambda c: c.__name__)
def test_alive_path_of_the_other_models_is_their_probability_alive(model_cls):
    model = model_cls().fit(cv.datasets.cdnow())
    log = cv.datasets.cdnow_transactions()
    path = cv.economics.alive_path(model, log[log["customer_id"] == 4], t=40)
    grid = path[["frequency", "recency", "T"]]
    np.testing.assert_array_equal(path["probability_alive"], model.probability_alive(grid))
    # unlike BG/NBD, these models let a customer without repeat purchases leave: P(alive) falls
    # before the first repeat purchase; MBG/NBD even lets them leave at the first purchase, with
    # probability E[p] = a / (a + b)
    p = model.params_
    at_first = p["b"] / (p["a"] + p["b"]) if model_cls is cv.ModifiedBetaGeo else 1.0
    assert path["probability_alive"].iloc[0] == pytest.approx(at_first, rel=1e-12)
    assert (
        path["frequency"].iloc[2] == 0
        and path["probability_alive"].iloc[2] < path["probability_alive"].iloc[0]
    )
