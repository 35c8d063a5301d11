"""k-means of a dask table (issue 16; scale-out.md 4.4): k-means|| seeding and Lloyd steps over
the partitions. Not the single call's bits, but on planted clusters the same clusters (ARI >=
0.99) with the same inertia (1e-3), and the same result again for a fixed partitioning and
seed; labels lazy on the input's index; what needs every row refused with the way out."""

from __future__ import annotations

from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
from customervalue.metrics import adjusted_rand_score

from .support import engine

dd = engine("dask.dataframe", "dask")
dask = engine("dask", "dask")
cvdask = engine("customervalue.dask", "dask")

pytestmark = pytest.mark.usefixtures("client")

FEATURES = ["a", "b", "c"]


def blobs(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Five planted clusters in three features of different scales."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0], [6, 0, 0], [0, 6, 0], [0, 0, 6], [6, 6, 6]], dtype=float)
    truth = rng.integers(0, len(centres), n)
    x = centres[truth] * [1.0, 10.0, 0.1] + rng.normal(size=(n, 3)) * [1.0, 10.0, 0.1]
    return pd.DataFrame(x, columns=FEATURES, index=pd.RangeIndex(n) * 3 + 7), truth


def pieces(frames: list[pd.DataFrame]) -> Any:
    """A dask DataFrame whose partitions are exactly ``frames`` (empty ones included)."""
    return dd.from_delayed([dask.delayed(f) for f in frames], meta=frames[0].iloc[:0], verify_meta=False)


def spread(df: pd.DataFrame, n: int, seed: int, empty: tuple[int, ...] = ()) -> Any:
    full = [i for i in range(n) if i not in empty]
    where = np.random.default_rng(seed).choice(full, len(df))
    return pieces([df[where == i] for i in range(n)])


@pytest.fixture(scope="module")
def planted() -> tuple[pd.DataFrame, np.ndarray]:
    return blobs(30_000, 4)


@pytest.fixture(scope="module")
def single(planted: tuple[pd.DataFrame, np.ndarray]) -> Any:
    return cv.cluster(planted[0], features=FEATURES, k=5, seed=0)


def test_kmeans_finds_the_single_fit_on_planted_clusters(
    planted: tuple[pd.DataFrame, np.ndarray], single: Any
) -> None:
    df, truth = planted
    ddf = spread(df, 8, seed=1, empty=(0, 5))
    got = cv.cluster(ddf, features=FEATURES, k=5, seed=3)
    assert isinstance(got, cvdask.DaskClusterResult)
    labels = got.labels_  # lazy, on the input's index
    assert isinstance(labels, dd.Series) and got.labels is labels
    computed = labels.compute().sort_index()
    assert computed.index.equals(df.index) and computed.name == "cluster"
    assert adjusted_rand_score(single.labels_, computed.to_numpy()) >= 0.99
    assert adjusted_rand_score(truth, computed.to_numpy()) >= 0.99
    assert abs(got.inertia_ - single.inertia_) <= 1e-3 * single.inertia_
    assert got.k_ == 5 and got.n_rows == len(df) and got.n_missing == 0
    # the table: cluster, size, share, the centre in original units; sizes from the last pass
    assert got.table.columns.tolist() == ["cluster", "size", "share", *FEATURES]
    assert got.table["size"].tolist() == computed.value_counts().sort_index().tolist()
    assert got.table["share"].sum() == pytest.approx(1.0)
    # the centres match the single fit's once the clusters are paired by their overlap
    pairs = pd.crosstab(single.labels_, computed.to_numpy()).idxmax(axis=1)
    np.testing.assert_allclose(
        got.centers_.to_numpy()[pairs.to_numpy()], single.centers_.to_numpy(), rtol=1e-3, atol=1e-3
    )
    # predict: an array for pandas, a lazy series for dask, the labels again
    assert np.array_equal(got.predict(df.head(100)), computed.head(100).to_numpy())
    again = got.predict(ddf)
    assert isinstance(again, dd.Series)
    assert again.compute().sort_index().equals(computed)


def test_the_same_partitioning_and_seed_give_the_same_fit(planted: tuple[pd.DataFrame, np.ndarray]) -> None:
    df, _ = planted
    ddf = spread(df, 6, seed=2, empty=(3,))
    one = cv.cluster(ddf, features=FEATURES, k=5, seed=11)
    two = cv.cluster(ddf, features=FEATURES, k=5, seed=11)
    assert np.array_equal(one.centers_.to_numpy(), two.centers_.to_numpy())
    assert one.inertia_ == two.inertia_ and one.n_iter_ == two.n_iter_
    assert one.labels_.compute().equals(two.labels_.compute())


def test_n_init_keeps_the_lowest_inertia(planted: tuple[pd.DataFrame, np.ndarray]) -> None:
    df, _ = planted
    ddf = dd.from_pandas(df.iloc[:6000], npartitions=3)
    one = cv.cluster(ddf, features=FEATURES, k=5, seed=5)
    three = cv.cluster(ddf, features=FEATURES, k=5, seed=5, n_init=3)
    assert three.inertia_ <= one.inertia_
    assert three.details["n_init"] == 3 and three.details["n_passes"] > one.details["n_passes"]


def test_missing_values(planted: tuple[pd.DataFrame, np.ndarray]) -> None:
    df = planted[0].iloc[:3000].copy()
    df.loc[df.index[[10, 2000, 2500]], "b"] = np.nan
    df.loc[df.index[[40]], "c"] = np.nan
    ddf = dd.from_pandas(df, npartitions=4)
    with pytest.raises(cv.InputError) as single_error:
        cv.cluster(df, features=FEATURES, k=5)
    with pytest.raises(cv.InputError) as spread_error:
        cv.cluster(ddf, features=FEATURES, k=5)
    assert str(spread_error.value) == str(single_error.value)
    got = cv.cluster(ddf, features=FEATURES, k=5, missing="drop")
    want = cv.cluster(df, features=FEATURES, k=5, missing="drop")
    assert (got.n_rows, got.n_missing) == (want.n_rows, want.n_missing) == (3000, 4)
    pd.testing.assert_frame_equal(got.dropped, want.dropped)
    labels = got.labels_.compute()
    assert (labels == -1).sum() == 4 and (labels.loc[want.dropped.index] == -1).all()
    assert adjusted_rand_score(want.labels_, labels.to_numpy()) >= 0.99


def test_a_feature_constant_in_one_partition_only(planted: tuple[pd.DataFrame, np.ndarray]) -> None:
    df = planted[0].iloc[:2000].copy()
    df["flag"] = (np.arange(len(df)) >= 1000).astype(float)  # 0 in the first half, 1 in the second
    got = cv.cluster(dd.from_pandas(df, npartitions=2), features=[*FEATURES, "flag"], k=5)
    assert got.k_ == 5
    constant = df.assign(flag=1.0)
    with pytest.raises(cv.InputError) as single_error:
        cv.cluster(constant, features=[*FEATURES, "flag"], k=5)
    with pytest.raises(cv.InputError) as spread_error:
        cv.cluster(dd.from_pandas(constant, npartitions=2), features=[*FEATURES, "flag"], k=5)
    assert str(spread_error.value) == str(single_error.value)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "minibatch"}, r"^argument 'method': .*minibatch.*method='kmeans'.*sample"),
        ({"method": "gmm"}, r"^argument 'method': .*gmm"),
        ({"method": "dbscan"}, r"^argument 'method': .*dbscan"),
        ({"method": "kprototypes"}, r"^argument 'method': .*kprototypes"),
        ({"k": range(2, 5)}, r"^argument 'k': .*sample"),
        ({"n_boot": 5}, r"^argument 'n_boot': .*n_boot=0"),
        ({"k": None}, r"^argument 'k': must be a positive integer"),
        ({"k": 3001}, r"^argument 'k': k = 3001 is larger than the 3000 rows"),
    ],
)
def test_what_needs_every_row_is_refused(
    planted: tuple[pd.DataFrame, np.ndarray], kwargs: dict[str, Any], match: str
) -> None:
    ddf = dd.from_pandas(planted[0].iloc[:3000], npartitions=2)
    with pytest.raises(cv.ParameterError, match=match):
        cv.cluster(ddf, features=FEATURES, **{"k": 3, **kwargs})
