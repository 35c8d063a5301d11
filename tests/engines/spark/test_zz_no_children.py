"""Last in this folder (files run in name order): the Spark session stops, its JVM exits and no
child process is left behind (zombies and multiprocessing's resource tracker aside)."""

from __future__ import annotations

from typing import Any


def test_no_child_process_is_left_after_the_session_stops(spark_session: Any) -> None:
    assert not spark_session.stopped
    left = spark_session.stop()
    assert not left, f"child processes left after the Spark session stopped: {left}"
