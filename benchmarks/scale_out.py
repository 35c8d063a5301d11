"""Scale-out costs: the same analyses on one machine, on Dask, and what a map-reduce round costs.

On ``cv.datasets.transactions(n)`` for each n given (default 1,000,000 customers):

* one machine: ``rfm_summary`` (all cores, and on one thread: a worker's share of the work) and
  the BG/NBD fit;
* Dask, a ``LocalCluster`` of 2 worker processes x 1 thread: the log loaded into the workers,
  ``rfm_summary`` (global end, shuffle by customer, per-partition summaries; persisted) and the
  fit on merged patterns, with the results checked bit for bit against one machine;
* state sizes: the log's rows, the ``PartialSummary`` (bytes per customer-day, customer-days per
  row), the summary, the BTYD pattern table; a ``VanWestendorpState`` of
  ``pricing_survey(1,000,000)``;
* the overhead of one map-reduce round: a no-op map over the partitions and a tree combine (8
  at a time, as the adapter combines), on Dask at two partition counts, and on Spark
  ``local[2]`` (a no-op ``mapInArrow`` and a collect) when pyspark and a Java runtime are there.

On two cores the engines can only add overhead: the figures are for the exactness check and for
the extrapolation to a cluster (README, "Scaling out"). Not part of ``make test``.

Run: python benchmarks/scale_out.py [n_customers ...] [--partitions P] [--no-spark]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import sys
import time

import customervalue as cv
import numpy as np
import pandas as pd


def timed(fn, repeat=1):
    """(best seconds of ``repeat`` runs, the last result)."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def median_time(fn, repeat=7):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def mb(n_bytes):
    return f"{n_bytes / 1e6:,.1f} MB"


def load():
    return "load {:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


ROWS: list[tuple[str, str, str]] = []  # (what, figure, note): the table printed at the end


def record(what, figure, note=""):
    ROWS.append((what, figure, note))
    print(f"  {what}: {figure}{'  (' + note + ')' if note else ''}", flush=True)


# ---- one machine and Dask on one log -----------------------------------------------------------


def lifetime_value(n, partitions):
    import dask.dataframe as dd
    from distributed import wait
    from pandas.testing import assert_frame_equal

    print(f"\ntransactions({n:,}) [{load()}]", flush=True)
    t_gen, tx = timed(lambda: cv.datasets.transactions(n, seed=0))
    rows = len(tx)
    record(f"{n:,} customers: generate the log", f"{t_gen:.2f} s", f"{rows:,} rows")
    args = ("customer_id", "date", "amount")
    repeat = 2 if n <= 2_000_000 else 1
    t_sum, one = timed(lambda: cv.rfm_summary(tx, *args), repeat)
    threads = cv.get_num_threads()
    record(f"{n:,}: rfm_summary, one machine ({threads} threads)", f"{t_sum:.2f} s", f"best of {repeat}")
    cv.set_num_threads(1)
    t_sum1, _ = timed(lambda: cv.rfm_summary(tx, *args), repeat)
    cv.set_num_threads(None)
    record(f"{n:,}: rfm_summary, one thread", f"{t_sum1:.2f} s", f"{rows / t_sum1 / 1e6:.1f}M rows/s")
    t_fit, bg = timed(lambda: cv.BetaGeo().fit(one), 3)
    record(f"{n:,}: BG/NBD fit, one machine", f"{t_fit:.2f} s", f"{bg.n_patterns_:,} patterns; best of 3")

    # state sizes
    raw = int(tx[list(args)].memory_usage(index=False, deep=True).sum())
    t_state, state = timed(lambda: cv.economics.PartialSummary.from_arrow(tx, amount="amount"))
    days = state.n_state_rows
    summary_bytes = int(one.memory_usage(index=True, deep=True).sum())
    pattern_bytes = bg.n_patterns_ * 32  # frequency, recency, T, count: 4 x 8 bytes
    record(f"{n:,}: log rows (customer, date, amount)", mb(raw), f"{raw / rows:.1f} B/row")
    record(
        f"{n:,}: PartialSummary",
        mb(state.nbytes),
        f"{days:,} customer-days, {state.nbytes / days:.1f} B each, {days / rows:.3f} per row; "
        f"built in {t_state:.2f} s",
    )
    record(f"{n:,}: summary (pandas)", mb(summary_bytes), f"{summary_bytes / len(one):.0f} B/customer")
    record(f"{n:,}: BTYD pattern table", mb(pattern_bytes), f"{bg.n_patterns_:,} patterns x 32 B")
    del state

    # Dask: the log held by the workers, then the summary and the fit
    t_load, log = timed(lambda: wait_for(dd.from_pandas(tx, npartitions=partitions).persist()))
    record(f"{n:,}: Dask, load the log into the workers", f"{t_load:.2f} s", f"{partitions} partitions")

    def summarise():
        s = cv.rfm_summary(log, *args).persist()
        wait(s)
        return s

    t_dsum, summary = timed(summarise)
    record(f"{n:,}: Dask rfm_summary (end, shuffle, summaries)", f"{t_dsum:.2f} s", "persisted")
    t_dfit, dbg = timed(lambda: cv.BetaGeo().fit(summary))
    record(f"{n:,}: Dask BG/NBD fit (merged patterns)", f"{t_dfit:.2f} s")
    got = summary.compute().sort_index()
    assert_frame_equal(got, one, check_exact=True)
    same = np.array_equal(list(dbg.params_.values()), list(bg.params_.values()))
    assert same, (dbg.params_, bg.params_)
    record(f"{n:,}: Dask vs one machine", "bit-identical", "summary and BG/NBD parameters")


def wait_for(collection):
    from distributed import wait

    wait(collection)
    return collection


def van_westendorp(partitions):
    import dask.dataframe as dd
    from pandas.testing import assert_frame_equal

    print(f"\npricing_survey(1,000,000) [{load()}]", flush=True)
    survey = cv.datasets.pricing_survey(1_000_000, seed=0)
    t_one, one = timed(lambda: cv.van_westendorp(survey), 3)
    record("VW 1M respondents: one machine", f"{t_one * 1e3:.0f} ms", "best of 3")
    t_state, state = timed(lambda: cv.demand.VanWestendorpState.from_arrow(survey))
    record(
        "VW 1M: VanWestendorpState",
        f"{state.nbytes:,} B",
        f"{state.n_state_rows:,} rows (distinct prices); built in {t_state * 1e3:.0f} ms",
    )
    log = wait_for(dd.from_pandas(survey, npartitions=partitions).persist())
    t_dask, got = timed(lambda: cv.van_westendorp(log), 3)
    assert_frame_equal(got.points, one.points, check_exact=True)
    assert_frame_equal(got.table, one.table, check_exact=True)
    record("VW 1M: Dask", f"{t_dask:.2f} s", f"{partitions} partitions, bit-identical; best of 3")


# ---- the cost of one round -----------------------------------------------------------------------


def _noop(part):
    return 0


def _add(values):
    return sum(values)


def dask_round(client, partitions_list):
    import dask
    import dask.dataframe as dd
    from dask import delayed

    print(f"\nDask round overhead [{load()}]", flush=True)
    frame = pd.DataFrame({"x": np.arange(1_000_000, dtype=np.int64)})
    for p in partitions_list:
        ddf = wait_for(dd.from_pandas(frame, npartitions=p).persist())
        parts = ddf.to_delayed()

        def one_round(parts=parts):
            level = [delayed(_noop, pure=False)(q) for q in parts]
            while len(level) > 1:
                level = [delayed(_add, pure=False)(level[i : i + 8]) for i in range(0, len(level), 8)]
            return dask.compute(level[0])[0]

        one_round()  # warm
        t = median_time(one_round)
        tasks = p + sum(int(np.ceil(p / 8**i)) for i in range(1, 6) if p > 8 ** (i - 1))
        record(
            f"Dask: one no-op map-reduce round, {p} partitions",
            f"{t * 1e3:.0f} ms",
            f"median of 7; ~{tasks} tasks",
        )
        del ddf, parts


def spark_round(partitions):
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        print("\nSpark: no Java runtime, skipped")
        return
    try:
        import pyarrow as pa
        from pyspark.sql import SparkSession
    except ImportError:
        print("\nSpark: pyspark is not installed, skipped")
        return
    print(f"\nSpark local[2] round overhead [{load()}]", flush=True)
    env = {
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
        "SPARK_LOCAL_IP": "127.0.0.1",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    t0 = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("customervalue-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.executorEnv.RAYON_NUM_THREADS", "1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    record("Spark local[2]: start the session", f"{time.perf_counter() - t0:.1f} s")
    try:
        sdf = spark.range(0, 1_000_000, numPartitions=partitions).cache()
        sdf.count()
        schema = "n long"

        def noop(batches):
            for _ in batches:
                pass
            yield pa.RecordBatch.from_pydict({"n": [0]})

        def python_round():
            return sdf.mapInArrow(noop, schema).collect()

        def jvm_round():
            return sdf.count()

        python_round()  # warm: starts the Python workers
        t_py = median_time(python_round, 5)
        t_jvm = median_time(jvm_round, 5)
        record(
            f"Spark: one no-op mapInArrow round, {partitions} partitions",
            f"{t_py * 1e3:.0f} ms",
            "median of 5; Python workers, Arrow batches",
        )
        record(f"Spark: one count() round, {partitions} partitions", f"{t_jvm * 1e3:.0f} ms", "JVM only")
    finally:
        spark.stop()
        from pyspark import SparkContext

        gateway = SparkContext._gateway
        if gateway is not None:  # the JVM exits when its stdin closes
            gateway.shutdown()
            proc = getattr(gateway, "proc", None)
            if proc is not None:
                proc.stdin.close()
                proc.wait(timeout=60)
            SparkContext._gateway = None
            SparkContext._jvm = None
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main(argv):
    from distributed import Client, LocalCluster

    parser = argparse.ArgumentParser(description="Scale-out costs (see the module docstring).")
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000_000], help="customers per log")
    parser.add_argument("--partitions", type=int, default=16, help="dask partitions (default 16)")
    parser.add_argument("--no-spark", action="store_true", help="skip the Spark round")
    args = parser.parse_args(argv)
    partitions = args.partitions
    logging.getLogger("distributed.shuffle").setLevel(logging.ERROR)
    started = time.perf_counter()
    print(f"{os.cpu_count()} cores, {load()}; customervalue {cv.__version__}", flush=True)
    t0 = time.perf_counter()
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
        memory_limit="8GiB",
    )
    client = Client(cluster)
    record("Dask LocalCluster(2 x 1 thread): start", f"{time.perf_counter() - t0:.1f} s")
    try:
        for n in args.sizes:
            lifetime_value(n, partitions)
        van_westendorp(partitions)
        dask_round(client, [partitions, 16 * partitions])
    finally:
        client.close()
        cluster.close()
    if not args.no_spark:
        spark_round(partitions)

    print("\n| what | figure | note |\n|---|---|---|")
    for what, figure, note in ROWS:
        print(f"| {what} | {figure} | {note} |")
    print(f"\n{time.perf_counter() - started:.0f} s in all; {load()} at the end")


if __name__ == "__main__":
    main(sys.argv[1:])
