"""The engines the adapters run on, started once for the engine tests.

One ``distributed.LocalCluster`` of two worker processes (one thread each, loopback only, no
dashboard) and its ``Client`` serve every Dask test of the session. Closing it is checked: once
the cluster is closed, no child process of the test run may be left (zombies, already gone,
and multiprocessing's resource tracker, which serves the whole interpreter and exits with it,
aside). ``test_zz_no_children.py`` closes the cluster and checks at the end of this folder; the
session teardown checks again whatever ran.

Every test here is marked ``dask``, but those of ``spark/``, which are marked ``spark`` only
(``spark/conftest.py``): ``pytest -m dask`` runs no Spark test, ``-m spark`` no Dask test.
Without dask installed the tests skip, unless ``CV_ENGINES=required`` (CI), where they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .support import REQUIRED, engine, leftover_children

HERE = Path(__file__).resolve().parent
#: The Spark tests' folder: its tests are the Spark engine's, not Dask's.
SPARK = HERE / "spark"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "dask: runs on a Dask LocalCluster (customervalue[dask])")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        parents = Path(str(item.fspath)).resolve().parents
        if HERE in parents and SPARK not in parents:
            item.add_marker(pytest.mark.dask)


class Cluster:
    """The session's LocalCluster and Client; ``close()`` may be called early (idempotent)."""

    def __init__(self) -> None:
        import psutil

        distributed = engine("distributed", "dask")
        self.before = frozenset(p.pid for p in psutil.Process().children(recursive=True))
        self.cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
            memory_limit="2GiB",
        )
        self.client = distributed.Client(self.cluster)
        self.closed = False

    def close(self) -> list[Any]:
        """Closes the client and the cluster; returns the children left running."""
        if not self.closed:
            self.closed = True
            self.client.close()
            self.cluster.close()
        return leftover_children(self.before)


_SESSION: dict[str, Cluster] = {}


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[Cluster]:
    engine("dask.dataframe", "dask")
    cluster = Cluster()
    _SESSION["cluster"] = cluster
    yield cluster
    left = cluster.close()
    _SESSION.pop("cluster", None)
    assert not left, f"child processes left after the LocalCluster closed: {left}"


@pytest.fixture
def client(dask_cluster: Cluster) -> Any:
    """The session's distributed Client (the default scheduler of dask while it lives)."""
    if dask_cluster.closed:
        pytest.fail("the session's LocalCluster was closed before this test", pytrace=False)
    return dask_cluster.client


__all__ = ["REQUIRED", "leftover_children"]
