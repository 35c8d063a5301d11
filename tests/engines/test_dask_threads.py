"""The core's threads on the workers (issue 16, item 5): the first adapter call with a
distributed client registers a worker plugin that sets each worker's core threads to the
worker's own ``nthreads`` (one in the test cluster), so worker processes x core threads do not
oversubscribe the machine."""

from __future__ import annotations

import contextlib
from typing import Any

import customervalue as cv
import pytest

from .support import engine

dd = engine("dask.dataframe", "dask")
cvdask = engine("customervalue.dask", "dask")


def test_an_adapter_call_sets_each_workers_threads_to_its_nthreads(client: Any) -> None:
    with contextlib.suppress(Exception):  # an earlier test registered it: start afresh
        client.unregister_worker_plugin(cvdask.THREADS_PLUGIN)
    cvdask._THREADED.discard(client)
    client.run(cv.set_num_threads, 3)
    assert set(client.run(cv.get_num_threads).values()) == {3}
    survey = cv.datasets.pricing_survey(500, seed=0)
    cv.van_westendorp(dd.from_pandas(survey, npartitions=2))
    assert client.run(cv.get_num_threads) == client.nthreads()
    assert set(client.nthreads().values()) == {1}  # the test cluster's threads_per_worker
    # registered once per client: a second call does not register again
    assert client in cvdask._THREADED
    client.run(cv.set_num_threads, 2)
    cv.van_westendorp(dd.from_pandas(survey, npartitions=2))
    assert set(client.run(cv.get_num_threads).values()) == {2}
    client.run(cv.set_num_threads, 1)


def test_the_local_scheduler_leaves_this_process_alone() -> None:
    import dask

    before = cv.get_num_threads()
    survey = cv.datasets.pricing_survey(300, seed=0)
    with dask.config.set(scheduler="threads"):
        cv.van_westendorp(dd.from_pandas(survey, npartitions=2))
    assert cv.get_num_threads() == before


@pytest.fixture(autouse=True)
def _engines_ready(client: Any) -> None:
    """Every test here needs the session's cluster (the second one checks that a call under
    dask's local scheduler changes nothing here even while a distributed client exists)."""
