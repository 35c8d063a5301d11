"""Work and memory budgets checked before any work (issue 18, item 1, and the aborts, hangs and
quadratic costs of its examples). Each case runs in a child process under a 3 GiB address-space
cap and a time limit, so a regression shows as a failed test instead of killing the suite: the
promise is a customervalue error naming the argument or column, within seconds.

Budgets (src/stats/mod.rs and the cores): at most 1,000,000 replicates of any resampling and
2 GiB of replicate results; BG/BB up to 100,000 opportunities per customer; contingency tables
up to 25 million cells; DBSCAN up to 50 million neighbour pairs (estimated from 256 points).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap

import pytest

CAP = 3 << 30


def run(code: str, timeout: float = 60.0) -> str:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))

    body = textwrap.dedent(
        """
        import numpy as np, pandas as pd, customervalue as cv
        try:
        {code}
            print("RESULT ok")
        except cv.CustomerValueError as e:
            print("RESULT", type(e).__name__, e)
        """
    ).replace("{code}", textwrap.indent(textwrap.dedent(code).strip(), "    "))
    out = subprocess.run(
        [sys.executable, "-c", body], capture_output=True, text=True, timeout=timeout, preexec_fn=limit
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT")]
    assert lines, f"the child died (exit {out.returncode}): {out.stderr[-500:]}"
    return lines[-1]


CASES = {
    "demand_curve n_boot=1e9": (
        "cv.demand_curve(cv.datasets.pricing_survey(200), wtp='wtp', ci=0.9, n_boot=10**9)",
        "ParameterError argument 'n_boot': 1000000000 replicates",
    ),
    "van_westendorp n_boot=1e9": (
        "cv.van_westendorp(cv.datasets.pricing_survey(200), ci=0.9, n_boot=10**9)",
        "ParameterError argument 'n_boot'",
    ),
    "theme_impact n_boot=1e9": (
        """
        d = cv.datasets.customers(300)
        cv.theme_impact(d, themes=['theme_price', 'theme_quality'], outcome='value_rating', n_boot=10**9)
        """,
        "ParameterError argument 'n_boot'",
    ),
    "theme_associations n_permutations=1e9": (
        """
        d = cv.datasets.customers(300)
        cv.theme_associations(d, themes=['theme_price'], metadata=['region'], n_permutations=10**9)
        """,
        "ParameterError argument 'n_permutations'",
    ),
    "BG/BB n_periods=1e9": (
        """
        d = pd.DataFrame({'frequency': [1, 2], 'recency': [1, 2], 'n_periods': [10**9, 10**9]})
        cv.BetaGeoBetaBinom().fit(d)
        """,
        "InputError column 'n_periods': row 0 holds 1000000000 opportunities",
    ),
    "compare_groupings 60,000 x 60,000 groups": (
        """
        n = 60_000
        x = np.random.default_rng(0).normal(size=n)
        d = pd.DataFrame({'a': np.arange(n), 'b': np.arange(n)[::-1], 'x': x})
        cv.compare_groupings(d, groupings={'a': 'a', 'b': 'b'}, features=['x'])
        """,
        "ParameterError argument 'labels': a table of 60000 x 60000 groups",
    ),
    "DBSCAN with a huge eps": (
        """
        x = np.random.default_rng(0).normal(size=(20_000, 2))
        cv.cluster(pd.DataFrame(x, columns=['a', 'b']), features=['a', 'b'], method='dbscan', eps=1e6)
        """,
        "ParameterError argument 'eps': at eps = 1000000",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_argument_past_the_budget_is_refused_before_work(case):
    code, want = CASES[case]
    assert run(code).startswith(f"RESULT {want}")


def test_ami_of_singletons_uses_the_distinct_margins():
    # Vinh et al.'s E[MI] summed over distinct row and column totals: all singletons take one
    # term (this ran past a minute at n = 5,000); the value is scikit-learn's
    import customervalue as cv
    import numpy as np
    from sklearn.metrics import adjusted_mutual_info_score

    rng = np.random.default_rng(1)
    for a, b in [(np.arange(800), np.arange(800)), (rng.integers(0, 40, 3000), rng.integers(0, 25, 3000))]:
        assert cv.metrics.adjusted_mutual_info_score(a, b) == pytest.approx(
            adjusted_mutual_info_score(a, b), abs=1e-10
        )
    code = "assert cv.metrics.adjusted_mutual_info_score(np.arange(5000), np.arange(5000)) == 1.0"
    assert run(code, 30) == "RESULT ok"
