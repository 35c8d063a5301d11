"""rfm_summary and the BTYD fits on a Spark DataFrame: the collected summary equals the single call
bit for bit (integer and text ids, calibration, a log partitioned by customer, a non-UTC session
time zone), and fits on the Spark summary are bit-identical to fits on the collected one."""

from __future__ import annotations

from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

from ..support import params
from .conftest import time_zone


@pytest.fixture(scope="module")
def tx() -> pd.DataFrame:
    return cv.datasets.transactions(2_000, seed=0)


@pytest.fixture(scope="module")
def single(tx: pd.DataFrame) -> pd.DataFrame:
    return cv.rfm_summary(tx, amount="amount")


def collected(summary: Any, customer: str = "customer_id") -> pd.DataFrame:
    """A Spark summary collected, indexed and sorted by customer as the single call returns it."""
    return summary.toPandas().set_index(customer).sort_index()


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    want = want.sort_index()
    want.attrs = {}
    got.attrs = {}
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_summary_and_fits_equal_the_single_call(spark: Any, tx: pd.DataFrame, single: pd.DataFrame) -> None:
    sdf = spark.createDataFrame(tx)
    summary = cv.rfm_summary(sdf, amount="amount")
    assert type(summary).__name__ == "DataFrame" and "pyspark" in type(summary).__module__  # lazy, in Spark
    assert summary.schema["T"].metadata == {"customervalue.time_unit": "W"}
    assert_same(collected(summary), single)
    for model in (cv.BetaGeo, cv.GammaGamma):
        got, want = model().fit(summary), model().fit(single)
        assert np.array_equal(params(got), params(want)), (model.__name__, params(got) - params(want))
        assert (got.n_rows_, got.n_missing_, got.n_invalid_) == (
            want.n_rows_,
            want.n_missing_,
            want.n_invalid_,
        )
    assert cv.BetaGeo().fit(summary).time_unit_ == "W"


def test_text_ids_and_calibration_on_a_log_partitioned_by_customer(spark: Any, tx: pd.DataFrame) -> None:
    """Partitions of few customers (their own last date is early: the global end must be used),
    text ids, a holdout period, more summary partitions than the log has."""
    log = tx.assign(customer_id="c" + tx["customer_id"].astype(str))
    sdf = spark.createDataFrame(log).repartition(16, "customer_id")
    options = {"amount": "amount", "calibration_end": "2025-01-01", "time_unit": "D"}
    summary = cv.rfm_summary(sdf, **options, num_partitions=7)
    want = cv.rfm_summary(log, **options)
    assert_same(collected(summary), want)
    got = cv.ParetoNBD().fit(summary)
    assert np.array_equal(params(got), params(cv.ParetoNBD().fit(want)))
    assert got.time_unit_ == "D"


def test_forty_partitions_some_empty_some_of_late_customers_only(spark: Any, tx: pd.DataFrame) -> None:
    """30 customers in 40 summary partitions: empty partitions, and partitions whose customers all
    start after calibration_end, give no rows instead of the single call's errors."""
    log = tx[tx["customer_id"] <= 30]
    first = log.groupby("customer_id")["date"].min()
    assert (first > "2024-02-01").sum() >= 5  # late customers, left out of a calibration summary
    options = {"amount": "amount", "calibration_end": "2024-02-01"}
    summary = cv.rfm_summary(spark.createDataFrame(log), **options, num_partitions=40)
    assert_same(collected(summary), cv.rfm_summary(log, **options))


def test_a_non_utc_session_time_zone_gives_the_same_summary(
    spark: Any, tx: pd.DataFrame, single: pd.DataFrame
) -> None:
    """In Asia/Tokyo the log's midnights are instants of the day before in UTC: read at their
    UTC day every T would move by a day; read as calendar dates in the session zone they do not."""
    with time_zone(spark, "Asia/Tokyo"):
        sdf = spark.createDataFrame(tx)
        assert str(sdf.schema["date"].dataType) == "TimestampType()"
        instants = sdf.select("date").toArrow().column("date")  # what Python would see uncast
        utc_days = instants.cast("int64").to_numpy() // (86_400 * 10**6)
        assert (utc_days == tx["date"].to_numpy().astype("datetime64[D]").astype("int64") - 1).all()
        got = collected(cv.rfm_summary(sdf, amount="amount", observation_end="2025-06-29"))
    assert_same(got, cv.rfm_summary(tx, amount="amount", observation_end="2025-06-29"))
    assert_same(got, single)


def test_missing_values_raise_the_single_machine_error(spark: Any, tx: pd.DataFrame) -> None:
    log = tx.copy()
    log.loc[[11, 4000], "amount"] = np.nan
    with pytest.raises(cv.InputError) as want:
        cv.rfm_summary(log, amount="amount")
    sdf = spark.createDataFrame(log)
    with pytest.raises(cv.InputError) as got:
        cv.rfm_summary(sdf, amount="amount")
    assert str(got.value) == str(want.value)  # the same count and first row (in the collected table)
    dropped = collected(cv.rfm_summary(sdf, amount="amount", missing="drop"))
    assert_same(dropped, cv.rfm_summary(log, amount="amount", missing="drop"))
    # a fit on a Spark table with a missing value: the same error, or the same fit without it
    table = cv.rfm_summary(tx, amount="amount").reset_index()
    table.loc[[3, 700], "recency"] = np.nan
    table.attrs = {"time_unit": "W"}
    frame = spark.createDataFrame(table)
    with pytest.raises(cv.InputError) as want:
        cv.BetaGeo().fit(table)
    with pytest.raises(cv.InputError) as got:
        cv.BetaGeo().fit(frame)
    assert str(got.value) == str(want.value)
    fitted, single = cv.BetaGeo().fit(frame, missing="drop"), cv.BetaGeo().fit(table, missing="drop")
    assert np.array_equal(params(fitted), params(single))
    assert (fitted.n_rows_, fitted.n_missing_) == (single.n_rows_, single.n_missing_) == (len(table), 2)
    assert fitted.dropped_["n"].sum() == 2 and set(fitted.dropped_["reason"]) == {"missing"}


def test_a_worker_error_comes_back_as_its_class(spark: Any, tx: pd.DataFrame) -> None:
    """An unreadable text date is found by the core in a Python worker; Spark wraps it in a
    PythonException, the adapter raises it again as the InputError it is."""
    log = tx.head(50).assign(date=tx["date"].head(50).dt.strftime("%d/%m/%Y"))
    log.loc[7, "date"] = "31/02/2024"
    sdf = spark.createDataFrame(log)
    with pytest.raises(cv.InputError, match="cannot be read as dates"):
        cv.rfm_summary(sdf, date_format="%d/%m/%Y")
    ok = log.drop(index=7)
    got = collected(cv.rfm_summary(spark.createDataFrame(ok), date_format="%d/%m/%Y"))
    assert_same(got, cv.rfm_summary(ok, date_format="%d/%m/%Y"))


def test_the_core_runs_on_the_task_cpus_in_the_workers(spark: Any) -> None:
    """Each map sets the core's threads to the task's cpus (1 here), whatever the worker's
    default: two workers of a 2-core machine do not run 2 x 2 threads."""
    import pyarrow as pa
    from customervalue import spark as adapter

    def threads(batches: Any) -> Any:
        import os

        for _ in batches:
            pass
        adapter._task()
        yield pa.RecordBatch.from_pydict(
            {"n": pa.array([cv.get_num_threads()], pa.int64()), "env": [os.environ.get("RAYON_NUM_THREADS")]}
        )

    got = spark.range(4).repartition(2).mapInArrow(threads, "n long, env string").toPandas()
    assert got["n"].tolist() == [1, 1] and got["env"].tolist() == ["1", "1"]
