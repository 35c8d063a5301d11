"""``rfm_summary(date_format=)``: text dates read with a strptime format, as lifetimes'
``datetime_format`` (issue 15).

Ported as facts from CamDavidsonPilon/lifetimes, lifetimes/tests/test_utils.py,
`test_summary_data_from_transaction_data_with_specific_datetime_format` (its fixture
`transaction_level_data`, dates written "%Y%m%d"), and compared with lifetimes' own
`summary_data_from_transaction_data(datetime_format=)` on the CDNOW sample, whose dates are
integers such as 19970101. lifetimes counts time in days (freq="D") and weeks of days with
freq_multiplier=7; the same numbers are time_unit="D" and "W" here.
"""

from __future__ import annotations

import customervalue as cv
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

# lifetimes' fixture transaction_level_data, its dates written without dashes
LOG = pd.DataFrame(
    [[1, "20150201"], [1, "20150206"], [2, "20150101"], [3, "20150101"], [3, "20150102"], [3, "20150105"]],
    columns=["id", "date"],
)
# lifetimes' expected frame: id, frequency, recency, T (days)
WANT = [[1, 1.0, 5.0, 6.0], [2, 0.0, 0.0, 37.0], [3, 2.0, 4.0, 37.0]]


def _as(kind: str, df: pd.DataFrame):
    if kind == "polars":
        pl = pytest.importorskip("polars")
        return pl.from_pandas(df)
    return pa.table(df) if kind == "pyarrow" else df


def _rows(summary: pd.DataFrame) -> list[list[float]]:
    return summary.reset_index()[["id", "frequency", "recency", "T"]].values.tolist()


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_specific_date_format_as_lifetimes_tests_it(kind):
    # ports test_summary_data_from_transaction_data_with_specific_datetime_format, where the
    # observation end is written in the same format ('20150207')
    got = cv.rfm_summary(
        _as(kind, LOG), "id", "date", observation_end="20150207", time_unit="D", date_format="%Y%m%d"
    )
    assert _rows(got) == WANT
    assert got.index.dtype == "int64"


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_integer_dates_with_a_format_read_as_their_digits(kind):
    digits = LOG.assign(date=LOG["date"].astype("int64"))
    got = cv.rfm_summary(
        _as(kind, digits), "id", "date", observation_end="20150207", time_unit="D", date_format="%Y%m%d"
    )
    assert _rows(got) == WANT


def test_the_format_reads_the_period_ends_written_as_text():
    split = cv.rfm_summary(
        LOG,
        "id",
        "date",
        calibration_end="20150201",
        observation_end="20150207",
        time_unit="D",
        date_format="%Y%m%d",
    )
    iso = cv.rfm_summary(
        LOG.assign(date=pd.to_datetime(LOG["date"])),
        "id",
        "date",
        calibration_end="2015-02-01",
        observation_end="2015-02-07",
        time_unit="D",
    )
    pd.testing.assert_frame_equal(split, iso)
    assert split.loc[1, "frequency_holdout"] == 1 and split.loc[3, "frequency_holdout"] == 0
    with pytest.raises(
        cv.ParameterError,
        match=r"argument 'observation_end': '2015-02-07' does not match date_format '%Y%m%d'",
    ):
        cv.rfm_summary(LOG, "id", "date", observation_end="2015-02-07", date_format="%Y%m%d")
    # a date given as a date needs no format
    ts = cv.rfm_summary(
        LOG, "id", "date", observation_end=pd.Timestamp("2015-02-07"), time_unit="D", date_format="%Y%m%d"
    )
    assert _rows(ts) == WANT


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_an_unparsable_date_names_the_column_the_value_the_row_and_the_fix(kind):
    bad = LOG.copy()
    bad.loc[4, "date"] = "20150230"  # 30 February: strict, not rolled over to 2 March
    bad.loc[5, "date"] = "2015-01-05"
    bad.index = [f"r{i}" for i in range(6)]
    label = "'r4'" if kind == "pandas" else "4"  # polars and pyarrow rows are positions
    with pytest.raises(cv.InputError) as err:
        cv.rfm_summary(_as(kind, bad), "id", "date", date_format="%Y%m%d")
    msg = str(err.value)
    assert msg.startswith("column 'date': 2 value(s) cannot be read as dates")
    assert f"row {label} holds '20150230', which does not match date_format '%Y%m%d'" in msg
    assert "pass the format the dates are written in" in msg


def test_without_a_format_iso_text_is_read_as_before_and_other_text_is_refused():
    iso = LOG.assign(date=pd.to_datetime(LOG["date"]).dt.strftime("%Y-%m-%d"))
    assert _rows(cv.rfm_summary(iso, "id", "date", observation_end="2015-02-07", time_unit="D")) == WANT
    assert (
        _rows(
            cv.rfm_summary(
                iso, "id", "date", observation_end="2015-02-07", time_unit="D", date_format="%Y-%m-%d"
            )
        )
        == WANT
    )
    with pytest.raises(
        cv.InputError, match=r"column 'date': holds text that is not an ISO date: row 0 is '20150201'"
    ):
        cv.rfm_summary(LOG, "id", "date")


def test_dates_already_parsed_pass_through_the_format():
    parsed = LOG.assign(date=pd.to_datetime(LOG["date"]))
    a = cv.rfm_summary(parsed, "id", "date", observation_end="2015-02-07", time_unit="D")
    # the column is dates already; the period end, text, is read with the format
    b = cv.rfm_summary(
        parsed, "id", "date", observation_end="07/02/2015", time_unit="D", date_format="%d/%m/%Y"
    )
    pd.testing.assert_frame_equal(a, b)
    assert _rows(b) == WANT
    with pytest.raises(cv.InputError, match=r"column 'date': date_format='%Y' parses text .* holds double"):
        cv.rfm_summary(LOG.assign(date=1.5), "id", "date", date_format="%Y")


def test_offsets_count_by_their_utc_day():
    # 00:30 at +02:00 is 22:30 UTC the day before, as a timezone-aware timestamp column counts
    log = pd.DataFrame({"id": [1, 1], "date": ["2015-01-01 10:00 +0000", "2015-01-06 00:30 +0200"]})
    got = cv.rfm_summary(log, "id", "date", time_unit="D", date_format="%Y-%m-%d %H:%M %z")
    aware = cv.rfm_summary(
        log.assign(date=pd.to_datetime(log["date"], utc=True)), "id", "date", time_unit="D"
    )
    assert got["recency"].iloc[0] == 4.0
    pd.testing.assert_frame_equal(got, aware)


def test_missing_text_dates_follow_the_missing_policy():
    log = pd.concat([LOG, pd.DataFrame({"id": [4], "date": [None]})], ignore_index=True)
    with pytest.raises(cv.InputError, match=r"column 'date': 1 missing value.*row 6.*missing='drop'"):
        cv.rfm_summary(log, "id", "date", date_format="%Y%m%d")
    with pytest.warns(cv.DataDroppedWarning):
        got = cv.rfm_summary(
            log, "id", "date", observation_end="20150207", time_unit="D", date_format="%Y%m%d", missing="drop"
        )
    assert _rows(got) == WANT and list(got.attrs["dropped"].index) == [6]


def test_summary_matches_lifetimes_datetime_format_on_the_cdnow_sample():
    pytest.importorskip("lifetimes")
    from lifetimes.datasets import load_dataset
    from lifetimes.utils import summary_data_from_transaction_data

    tx = load_dataset("CDNOW_sample.txt", header=None, sep=r"\s+")
    tx.columns = ["id_total", "id_sample", "date", "num_cd_purc", "total_value"]
    ours = cv.rfm_summary(
        tx,
        "id_sample",
        "date",
        "total_value",
        observation_end="19970930",
        time_unit="W",
        date_format="%Y%m%d",
    )
    # lifetimes is given the dates as text: pandas 3 deprecates parsing numbers with a format
    theirs = summary_data_from_transaction_data(
        tx.astype({"date": str}),
        "id_sample",
        "date",
        "total_value",
        datetime_format="%Y%m%d",
        observation_period_end="19970930",
        freq="D",
        freq_multiplier=7,
    )
    theirs = theirs.loc[ours.index]
    assert len(ours) == 2357
    for col in ("frequency", "recency", "T", "monetary_value"):
        np.testing.assert_allclose(ours[col], theirs[col], rtol=1e-12, err_msg=col)
    # and the published CDNOW summary (Fader, Hardie & Lee 2005), which cv.datasets.cdnow() holds
    published = cv.datasets.cdnow()
    np.testing.assert_array_equal(ours["frequency"].to_numpy(), published["frequency"].to_numpy())
    np.testing.assert_allclose(ours["T"].to_numpy(), published["T"].to_numpy(), atol=0.005)
