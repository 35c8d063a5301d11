"""The Spark session the Spark adapter's tests run on, started once.

One ``SparkSession`` ``local[2]`` on loopback (no UI, 4 shuffle partitions, 1 GB driver, session
time zone UTC, Arrow on, the core's threads per worker set to the task's cpus) serves every test
of this folder. Its workers run this interpreter (``PYSPARK_PYTHON``). Stopping it stops the JVM
too (pyspark keeps the JVM alive after ``spark.stop()`` until its stdin closes): the last test
(``test_zz_no_children.py``) stops it and checks that no child process is left; the session
teardown does the same for a run that skips that file.

Every test here is marked ``spark``. Without pyspark (or a Java runtime) the tests skip, unless
``CV_ENGINES=required`` (CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from ..support import REQUIRED, engine, leftover_children

HERE = Path(__file__).resolve().parent
#: pyspark 4 warns about pandas 3 at each conversion (customervalue's floor is pandas 2.2)
PANDAS_WARNINGS = (
    "ignore:PySpark does not yet fully support pandas:FutureWarning",
    "ignore:The copy keyword is deprecated",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "spark: runs on a Spark local[2] session (customervalue[spark])")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.spark)
            for w in PANDAS_WARNINGS:
                item.add_marker(pytest.mark.filterwarnings(w))


class Session:
    """The session's SparkSession; ``stop()`` stops it and its JVM (idempotent) and returns the
    child processes left running."""

    ENV = {
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
        "SPARK_LOCAL_IP": "127.0.0.1",
    }

    def __init__(self) -> None:
        import psutil

        engine("pyspark.sql", "spark")
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            message = "no Java runtime (java on PATH or JAVA_HOME): Spark needs one"
            if REQUIRED:
                pytest.fail(f"CV_ENGINES=required, but {message}", pytrace=False)
            pytest.skip(message)
        from pyspark.sql import SparkSession

        self.saved = {k: os.environ.get(k) for k in self.ENV}
        os.environ.update(self.ENV)
        self.before = frozenset(p.pid for p in psutil.Process().children(recursive=True))
        started = time.perf_counter()
        self.spark = (
            SparkSession.builder.master("local[2]")
            .appName("customervalue-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.default.parallelism", "2")
            .config("spark.driver.memory", "1g")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.task.cpus", "1")
            .config("spark.executorEnv.RAYON_NUM_THREADS", "1")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")
        self.start_seconds = time.perf_counter() - started
        self.stopped = False

    def stop(self) -> list[Any]:
        if not self.stopped:
            self.stopped = True
            from pyspark import SparkContext

            self.spark.stop()
            gateway = SparkContext._gateway
            if gateway is not None:  # the JVM exits when its stdin closes
                gateway.shutdown()
                proc = getattr(gateway, "proc", None)
                if proc is not None:
                    proc.stdin.close()
                    proc.wait(timeout=60)
                SparkContext._gateway = None
                SparkContext._jvm = None
            for k, v in self.saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        return leftover_children(self.before)


_SESSION: dict[str, Session] = {}


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Session]:
    session = Session()
    _SESSION["session"] = session
    yield session
    left = session.stop()
    _SESSION.pop("session", None)
    assert not left, f"child processes left after the Spark session stopped: {left}"


@pytest.fixture
def spark(spark_session: Session) -> Any:
    """The session's SparkSession."""
    if spark_session.stopped:
        pytest.fail("the Spark session was stopped before this test", pytrace=False)
    return spark_session.spark


@contextmanager
def time_zone(spark: Any, zone: str) -> Iterator[None]:
    """The session time zone set to ``zone`` inside the block, restored after."""
    before = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", zone)
    try:
        yield
    finally:
        spark.conf.set("spark.sql.session.timeZone", before)


__all__ = ["REQUIRED", "leftover_children", "time_zone"]
