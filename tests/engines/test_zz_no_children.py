"""Last in this folder (files run in name order): the session's LocalCluster closes and leaves
no child process behind (zombies and multiprocessing's resource tracker aside, see
conftest.py). The session teardown checks the same for any run that skips this file."""

from __future__ import annotations

from typing import Any


def test_no_child_process_is_left_after_the_cluster_closes(dask_cluster: Any) -> None:
    assert dask_cluster.client.status == "running"
    left = dask_cluster.close()
    assert not left, f"child processes left after the LocalCluster closed: {left}"
