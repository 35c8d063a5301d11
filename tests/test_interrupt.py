"""Ctrl-C stops long Rust work promptly (issue 18, item 4): the core checks a cancellation flag
after every bootstrap replicate, start or fit, and the binding sets it from Python's signal
handling while it waits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

CHILD = textwrap.dedent(
    """
    import numpy as np, pandas as pd, customervalue as cv
    df = pd.DataFrame({"wtp": np.random.default_rng(0).uniform(1, 100, 200_000).round(2)})
    print("ready", flush=True)
    try:
        # 100,000 replicates of 200,000 respondents: minutes of work
        cv.demand_curve(df, wtp="wtp", ci=0.95, n_boot=100_000, progress=False)
        print("finished", flush=True)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_ctrl_c_stops_a_long_bootstrap_within_a_second_or_two():
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(1.5)  # well inside the bootstrap
    sent = time.perf_counter()
    os.kill(child.pid, signal.SIGINT)
    try:
        out, _ = child.communicate(timeout=30)
    finally:
        child.kill()
    latency = time.perf_counter() - sent
    assert out.strip() == "interrupted"
    # the core stops at its next replicate and the binding polls every 50 ms; 3 s leaves room for
    # a loaded CI machine (about 0.1-0.3 s here)
    assert latency < 3.0, latency


LONG_WORK = {
    # permutation tests of sparse tables: 400 levels of 5 respondents, 1,000,000 permutations
    "theme_associations permutations": """
        rng = np.random.default_rng(0)
        df = pd.DataFrame({"t": rng.random(2000) < 0.3, "m": np.repeat(np.arange(400), 5).astype(str)})
        work = lambda: cv.theme_associations(df, themes=["t"], metadata=["m"], n_permutations=1_000_000)
    """,
    # one BG/NBD fit with covariates: every customer is its own pattern (1,200,000 of them,
    # several seconds of work in one call)
    "covariate fit": """
        s = cv.rfm_summary(cv.datasets.transactions(60_000, seed=1))
        rng = np.random.default_rng(0)
        s = pd.concat([s] * 20, ignore_index=True).assign(z=lambda d: rng.normal(size=len(d)))
        work = lambda: cv.BetaGeo().fit(s, purchase_covariates=["z"], dropout_covariates=["z"])
    """,
    # a Pareto/NBD fit on patterns (it takes no progress argument: the optimiser asks the flag
    # the binding sets): 20,000 customers with continuous recency and T, a minute of work
    "pattern fit": """
        rng = np.random.default_rng(0)
        T = rng.uniform(20, 40, 20_000)
        x = rng.poisson(2, 20_000).astype(float)
        t_x = np.where(x > 0, T * rng.uniform(0.1, 1, 20_000), 0.0)
        s = pd.DataFrame({"frequency": x, "recency": t_x, "T": T})
        work = lambda: cv.ParetoNBD().fit(s)
    """,
}


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
@pytest.mark.parametrize("name", sorted(LONG_WORK))
def test_ctrl_c_stops_permutation_tests_and_covariate_fits(name):
    code = textwrap.dedent(
        """
        import numpy as np, pandas as pd, customervalue as cv
        {setup}
        print("ready", flush=True)
        try:
            work()
            print("finished", flush=True)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
        """
    ).replace("{setup}", textwrap.dedent(LONG_WORK[name]).strip().replace("\n", "\n"))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    sent = time.perf_counter()
    os.kill(child.pid, signal.SIGINT)
    try:
        out, _ = child.communicate(timeout=60)
    finally:
        child.kill()
    latency = time.perf_counter() - sent
    assert out.strip() == "interrupted"
    assert latency < 3.0, latency
