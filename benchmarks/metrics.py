"""Survey-metric speed: NPS, CSAT and CES by segment on 10 million rows, against pandas groupby.

The peer is the pandas one-liner an analyst would write (boolean columns, groupby mean) for the
same three point estimates, without intervals; both are measured in the same run.
Run: python benchmarks/metrics.py [n_rows]
"""

import sys
import time

import customervalue as cv
import numpy as np
import pandas as pd


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def survey(n, seed=0):
    rng = np.random.default_rng(seed)
    regions = ["North", "South", "East", "West", "Central", "Coastal", "Mountain", "Metro"]
    return pd.DataFrame(
        {
            "region": pd.Categorical.from_codes(rng.integers(0, len(regions), n), regions),
            "nps": rng.integers(0, 11, n),
            "csat": rng.integers(1, 6, n),
            "effort": rng.integers(1, 8, n),
        }
    )


def ours(df):
    return (
        cv.metrics.nps(df, column="nps", by="region"),
        cv.metrics.csat(df, column="csat", by="region"),
        cv.metrics.ces(df, column="effort", by="region"),
    )


def peer(df):
    flags = pd.DataFrame(
        {
            "region": df["region"],
            "promoter": df["nps"] >= 9,
            "detractor": df["nps"] <= 6,
            "satisfied": df["csat"] >= 4,
            "low_effort": df["effort"] <= 3,
        }
    )
    shares = flags.groupby("region", observed=True).mean()
    return (
        100 * (shares["promoter"] - shares["detractor"]),
        100 * shares["satisfied"],
        100 * shares["low_effort"],
    )


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    df = survey(n)
    ours(df.head(1000))  # warm-up
    t_ours, (r_nps, r_csat, r_ces) = timed(lambda: ours(df))
    t_peer, (p_nps, p_csat, p_ces) = timed(lambda: peer(df))
    assert np.allclose(r_nps.value.to_numpy(), p_nps.to_numpy())
    assert np.allclose(r_csat.value.to_numpy(), p_csat.to_numpy())
    assert np.allclose(r_ces.value.to_numpy(), p_ces.to_numpy())
    print(f"nps + csat + ces by region (with intervals) on {n:,} survey rows: {t_ours:.2f} s")
    print(f"pandas groupby (point estimates only): {t_peer:.2f} s; ours / peer = {t_ours / t_peer:.2f}")
