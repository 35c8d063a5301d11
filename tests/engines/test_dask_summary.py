"""``cv.rfm_summary`` on a dask DataFrame equals the single-machine summary bit for bit, for
every partitioning of the log (issue 16; scale-out.md 4.1 and 5, rules 1, 2 and 7)."""

from __future__ import annotations

from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

from .support import assert_same_rows, engine

dd = engine("dask.dataframe", "dask")
dask = engine("dask", "dask")
cvdask = engine("customervalue.dask", "dask")

pytestmark = pytest.mark.usefixtures("client")


@pytest.fixture(scope="module")
def tx() -> pd.DataFrame:
    return cv.datasets.transactions(5_000, seed=0)


def by_time(tx: pd.DataFrame, n: int) -> Any:
    return dd.from_pandas(tx.sort_values("date", kind="stable"), npartitions=n, sort=False)


def by_customer(tx: pd.DataFrame, n: int) -> Any:
    return dd.from_pandas(tx.sort_values("customer_id", kind="stable"), npartitions=n, sort=False)


def shuffled(tx: pd.DataFrame, n: int) -> Any:
    return dd.from_pandas(tx.sample(frac=1.0, random_state=7), npartitions=n, sort=False)


def pieces(frames: list[pd.DataFrame]) -> Any:
    """A dask DataFrame whose partitions are exactly ``frames`` (empty ones included)."""
    return dd.from_delayed([dask.delayed(f) for f in frames], meta=frames[0].iloc[:0], verify_meta=False)


def with_empty(tx: pd.DataFrame, n: int) -> tuple[Any, pd.DataFrame]:
    """``n`` partitions by customer, every fifth one empty."""
    ordered = tx.sort_values("customer_id", kind="stable")
    chunks = [ordered.iloc[i] for i in np.array_split(np.arange(len(ordered)), n)]
    frames = [c.iloc[:0] if i % 5 == 2 else c for i, c in enumerate(chunks)]
    return pieces(frames), pd.concat(frames)


PARTITIONINGS = {
    "one partition": lambda tx: dd.from_pandas(tx, npartitions=1),
    "time-ordered": lambda tx: by_time(tx, 8),
    "random": lambda tx: shuffled(tx, 6),
}


@pytest.mark.parametrize("layout", list(PARTITIONINGS))
def test_summary_equals_the_single_call(tx: pd.DataFrame, layout: str) -> None:
    got = cv.rfm_summary(PARTITIONINGS[layout](tx), amount="amount")
    assert isinstance(got, dd.DataFrame)  # lazy
    want = cv.rfm_summary(tx, amount="amount")
    computed = got.compute()
    assert_same_rows(computed, want)
    assert computed.attrs == {"time_unit": "W"} and got._meta.attrs == {"time_unit": "W"}
    acc = dask.compute(cvdask.accounting(got))[0]
    for key in ("n_rows", "n_missing", "n_invalid", "n_after_end", "n_late_customers", "time_unit"):
        assert acc[key] == want.attrs[key], key


def test_forty_partitions_some_empty(tx: pd.DataFrame) -> None:
    ddf, kept = with_empty(tx, 40)
    sizes = ddf.map_partitions(len).compute()
    assert (sizes == 0).sum() >= 7
    got = cv.rfm_summary(ddf, amount="amount", npartitions=40)
    assert_same_rows(got.compute(), cv.rfm_summary(kept, amount="amount"))


def test_more_partitions_than_customers(tx: pd.DataFrame) -> None:
    small = tx[tx["customer_id"] <= 12]
    got = cv.rfm_summary(shuffled(small, 5), amount="amount", npartitions=40)
    parts = list(dask.compute(*got.to_delayed()))
    empty = [p for p in parts if len(p) == 0]
    assert empty, "some of the 40 partitions hold no customer"
    want = cv.rfm_summary(small, amount="amount")
    for p in empty:  # typed: the columns, dtypes and index of the single call
        pd.testing.assert_frame_equal(p, want.iloc[:0], check_exact=True)
    assert_same_rows(pd.concat(parts), want)


def test_string_customer_ids(tx: pd.DataFrame) -> None:
    named = tx.assign(customer_id="c" + tx["customer_id"].astype(str))
    got = cv.rfm_summary(shuffled(named, 5), amount="amount").compute()
    want = cv.rfm_summary(named, amount="amount")
    assert got.index.dtype == want.index.dtype
    assert_same_rows(got, want)


def test_calibration_end(tx: pd.DataFrame) -> None:
    got = cv.rfm_summary(by_time(tx, 8), amount="amount", calibration_end="2024-03-01", time_unit="D")
    want = cv.rfm_summary(tx, amount="amount", calibration_end="2024-03-01", time_unit="D")
    assert "frequency_holdout" in want
    assert_same_rows(got.compute(), want)
    acc = dask.compute(cvdask.accounting(got))[0]
    assert acc["n_late_customers"] == want.attrs["n_late_customers"] > 0


def test_observation_end_before_some_partitions(tx: pd.DataFrame) -> None:
    """A user end before the rows of the later time partitions: after the shuffle, partitions
    whose rows all fall after the end (and customers who start after it) drop out."""
    end = "2024-03-01"
    got = cv.rfm_summary(by_time(tx, 8), amount="amount", observation_end=end, npartitions=40)
    want = cv.rfm_summary(tx, amount="amount", observation_end=end)
    assert_same_rows(got.compute(), want)
    acc = dask.compute(cvdask.accounting(got))[0]
    assert acc["n_after_end"] == want.attrs["n_after_end"] > 0


def test_partitions_whose_customers_are_all_late(tx: pd.DataFrame) -> None:
    small = tx[tx["customer_id"] <= 60]
    cal = small.groupby("customer_id")["date"].min().median()
    got = cv.rfm_summary(shuffled(small, 3), amount="amount", calibration_end=cal, npartitions=40)
    want = cv.rfm_summary(small, amount="amount", calibration_end=cal)
    assert_same_rows(got.compute(), want)
    assert dask.compute(cvdask.accounting(got))[0]["n_late_customers"] == want.attrs["n_late_customers"]


def test_the_observation_end_is_global(tx: pd.DataFrame) -> None:
    """Rule 1: partitions of about 100 customers; summarised on their own they would end at
    their own last date and shorten T. The adapter's T is the single call's."""
    ids = np.sort(tx["customer_id"].unique())
    frames = [tx[tx["customer_id"].isin(chunk)] for chunk in np.array_split(ids, len(ids) // 100)]
    ddf = pieces(frames)
    parts = [cv.rfm_summary(f, amount="amount") for f in frames]
    for part in parts:
        part.attrs.clear()
    naive = pd.concat(parts)
    want = cv.rfm_summary(tx, amount="amount")
    wrong = (naive["T"].sort_index() != want["T"].sort_index()).sum()
    assert wrong > 100, "the trap this test guards against"
    got = cv.rfm_summary(ddf, amount="amount", npartitions=50).compute()
    assert got["T"].sort_index().equals(want["T"].sort_index())
    assert_same_rows(got, want)


def test_text_dates_with_a_format(tx: pd.DataFrame) -> None:
    text = tx.assign(date=tx["date"].dt.strftime("%d/%m/%Y"))
    got = cv.rfm_summary(
        shuffled(text, 4), amount="amount", date_format="%d/%m/%Y", observation_end="01/07/2025"
    )
    want = cv.rfm_summary(text, amount="amount", date_format="%d/%m/%Y", observation_end="01/07/2025")
    assert_same_rows(got.compute(), want)


def test_missing_values(tx: pd.DataFrame) -> None:
    holes = tx.copy()
    holes.loc[holes.index[[40, 900, 5000]], "amount"] = np.nan
    holes.loc[holes.index[[7000]], "date"] = pd.NaT
    ddf = dd.from_pandas(holes, npartitions=6)
    with pytest.raises(cv.InputError) as single:
        cv.rfm_summary(holes, amount="amount")
    with pytest.raises(cv.InputError) as spread:
        cv.rfm_summary(ddf, amount="amount")
    assert str(spread.value) == str(single.value)
    got = cv.rfm_summary(ddf, amount="amount", missing="drop")
    want = cv.rfm_summary(holes, amount="amount", missing="drop")
    assert_same_rows(got.compute(), want)
    acc = dask.compute(cvdask.accounting(got))[0]
    assert acc["n_missing"] == want.attrs["n_missing"] == 4
    pd.testing.assert_frame_equal(acc["dropped"], want.attrs["dropped"])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"observation_end": "2000-01-01"},  # every purchase after the end
        {"calibration_end": "2020-01-01", "observation_end": "2026-01-01"},  # every customer late
        {"calibration_end": "2026-01-01"},  # calibration end after the observation end
    ],
)
def test_an_empty_result_raises_the_single_machine_error(tx: pd.DataFrame, kwargs: dict[str, Any]) -> None:
    with pytest.raises(cv.CustomerValueError) as single:
        cv.rfm_summary(tx, amount="amount", **kwargs)
    with pytest.raises(type(single.value)) as spread:
        cv.rfm_summary(shuffled(tx, 4), amount="amount", **kwargs)
    assert str(spread.value) == str(single.value)


def test_an_empty_log_raises_the_single_machine_error(tx: pd.DataFrame) -> None:
    with pytest.raises(cv.InputError) as single:
        cv.rfm_summary(tx.iloc[:0], amount="amount")
    with pytest.raises(cv.InputError) as spread:
        cv.rfm_summary(dd.from_pandas(tx.iloc[:0], npartitions=1), amount="amount")
    assert str(spread.value) == str(single.value)


def test_accounting_of_a_derived_frame_is_refused(tx: pd.DataFrame) -> None:
    got = cv.rfm_summary(shuffled(tx, 3), amount="amount")
    with pytest.raises(cv.ParameterError, match="rfm_summary returned"):
        cvdask.accounting(got[["frequency"]])


def test_a_bad_row_raises_when_computed(tx: pd.DataFrame) -> None:
    """Errors of single rows (a date that does not match the format) are the partition's
    single-machine error, raised when computed, never an empty partition."""
    text = tx.assign(date=tx["date"].dt.strftime("%d/%m/%Y"))
    text.loc[text.index[-1], "date"] = "31/02/2025"
    got = cv.rfm_summary(shuffled(text, 4), date_format="%d/%m/%Y", npartitions=40)
    with pytest.raises(cv.InputError, match="31/02/2025"):
        got.compute()
