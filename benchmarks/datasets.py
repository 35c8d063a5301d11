"""Sample-data generation speed: customers(1_000_000) in a release build.

Prints the time of the Rust generator (to a pyarrow Table) and of the pandas conversion, and, as
the peer, a numpy generator of the same numeric columns (no text, no survey) in the same run.
Run: python benchmarks/datasets.py
"""

import time

import numpy as np
from customervalue import _core, datasets


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def numpy_peer(n, seed=0):
    rng = np.random.default_rng(seed)
    cluster = rng.choice(5, n, p=[0.28, 0.24, 0.14, 0.22, 0.12])
    means = rng.normal(size=(5, 8))
    feats = means[cluster] + rng.normal(size=(n, 8))
    age = np.clip(np.round(40 + 9 * rng.normal(size=n)), 18, 85)
    income = 50_000 * np.exp(0.35 * rng.normal(size=n))
    tenure = np.ceil(rng.gamma(2.0, 10.0, n))
    freq = np.maximum(rng.poisson(tenure * 3), 1)
    return feats, age, income, freq


if __name__ == "__main__":
    n = 1_000_000
    rust = best_of(lambda: _core.customers(n, 0))
    pandas_too = best_of(lambda: datasets.customers(n, seed=0), repeat=1)
    peer = best_of(lambda: numpy_peer(n))
    print(f"customers({n:,}) in Rust to pyarrow: {rust:.2f} s (target < 2 s)")
    print(f"customers({n:,}) including pandas conversion: {pandas_too:.2f} s")
    print(f"numpy peer, numeric columns only: {peer:.2f} s; ours / peer = {rust / peer:.2f}")
    tx = best_of(lambda: _core.transactions(100_000, 0))
    print(f"transactions(100,000 customers): {tx:.3f} s")
