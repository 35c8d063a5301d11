"""Segmentation speed, printing ours / peer ratios measured in the same run (peer: scikit-learn).

* k-means, k = 8, n_init = 10, on 100,000 x 10 and 1,000,000 x 10 points with planted clusters,
  with the inertia of each (ours must be equal or lower).
* Mini-batch k-means, k = 8, batch 1024, on 1,000,000 x 10 (peer: MiniBatchKMeans, n_init = 3).
* Exact silhouette on 50,000 rows (scikit-learn's silhouette_score, its chunked implementation).
* compare_groupings of two groupings on 1,000,000 customers without bootstrap (no peer).
Run: python benchmarks/segmentation.py [--quick]
"""

import sys
import time

import customervalue as cv
import pandas as pd
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score


def timed(fn, repeat=1):
    """Best wall time of `repeat` runs (the first run also pays thread-pool start-up), and the
    last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def kmeans_row(n):
    X, _ = make_blobs(n_samples=n, centers=8, n_features=10, cluster_std=2.0, random_state=0)
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(10)])
    # best of 3 for both sides at every size: single runs at 1M vary by +-15% on this machine
    repeat = 3
    ours_t, ours = timed(
        lambda: cv.cluster(df, features=list(df.columns), k=8, n_init=10, standardize=False, seed=0),
        repeat,
    )
    sk_t, sk = timed(lambda: KMeans(n_clusters=8, n_init=10, random_state=0).fit(X), repeat)
    print(
        f"k-means {n:>9,} x 10, k=8, n_init=10 (best of {repeat}): ours {ours_t:6.2f} s, "
        f"scikit-learn {sk_t:6.2f} s, "
        f"speed-up {sk_t / ours_t:4.1f}x; inertia ours/sklearn {ours.inertia_ / sk.inertia_:.6f}"
    )


def minibatch_row(n):
    X, _ = make_blobs(n_samples=n, centers=8, n_features=10, cluster_std=2.0, random_state=0)
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(10)])
    feats = list(df.columns)
    ours_t, ours = timed(
        lambda: cv.cluster(df, features=feats, k=8, method="minibatch", n_init=3, standardize=False, seed=0)
    )
    sk_t, sk = timed(lambda: MiniBatchKMeans(n_clusters=8, batch_size=1024, n_init=3, random_state=0).fit(X))
    print(
        f"mini-batch k-means {n:>9,} x 10, k=8: ours {ours_t:6.2f} s, scikit-learn {sk_t:6.2f} s, "
        f"speed-up {sk_t / ours_t:4.1f}x; inertia ours/sklearn {ours.inertia_ / sk.inertia_:.6f}"
    )


def silhouette_row(n):
    X, y = make_blobs(n_samples=n, centers=6, n_features=10, random_state=1)
    ours_t, ours = timed(lambda: cv.metrics.silhouette_score(X, y))
    sk_t, sk = timed(lambda: silhouette_score(X, y))
    print(
        f"silhouette {n:>9,} rows exact: ours {ours_t:6.2f} s, scikit-learn {sk_t:6.2f} s, "
        f"speed-up {sk_t / ours_t:4.1f}x; |difference| {abs(ours - sk):.1e}"
    )


def compare_row(n):
    df = cv.datasets.customers(n, seed=0)
    feats = ["visits_per_month", "avg_order_value", "discount_share", "online_share", "category_breadth"]
    seg = cv.segment(df, {"age": [35, 55], "region": None})
    t, _ = timed(
        lambda: cv.compare_groupings(
            df, groupings={"segments": seg, "clusters": "true_cluster"}, features=feats, value="monetary"
        )
    )
    print(f"compare_groupings, 2 groupings, {n:,} customers: {t:.2f} s (target < 10 s)")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    kmeans_row(100_000)
    minibatch_row(100_000 if quick else 1_000_000)
    silhouette_row(10_000 if quick else 50_000)
    if not quick:
        kmeans_row(1_000_000)
    compare_row(100_000 if quick else 1_000_000)
