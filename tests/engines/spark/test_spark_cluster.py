"""k-means of a Spark DataFrame (scale-out.md 4.4): k-means|| seeding and Lloyd steps over the
partitions, one Spark job per pass. Not the single call's bits (another seeding), but on planted
clusters the same clusters (ARI >= 0.99) with the same inertia (1e-3); labels a lazy Spark
DataFrame; what needs every row refused with the way out."""

from __future__ import annotations

from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
from customervalue.metrics import adjusted_rand_score

from ..support import engine

cvspark = engine("customervalue.spark", "spark")
FEATURES = ["a", "b", "c"]


def blobs(n: int, seed: int) -> pd.DataFrame:
    """Four planted clusters in three features of different scales, with an id column."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0], [6, 0, 0], [0, 6, 0], [0, 0, 6]], dtype=float)
    truth = rng.integers(0, len(centres), n)
    x = centres[truth] * [1.0, 10.0, 0.1] + rng.normal(size=(n, 3)) * [1.0, 10.0, 0.1]
    return pd.DataFrame(x, columns=FEATURES).assign(id=np.arange(n), truth=truth)


def test_kmeans_finds_the_single_fit_on_planted_clusters(spark: Any) -> None:
    df = blobs(4_000, 1)
    df.loc[[7, 2500], "b"] = np.nan
    sdf = spark.createDataFrame(df)  # partitions are slices of the rows, in order
    single = cv.cluster(df, features=FEATURES, k=4, missing="drop")
    got = cv.cluster(sdf, features=FEATURES, k=4, seed=3, missing="drop")
    assert isinstance(got, cvspark.SparkClusterResult)
    labels = got.labels_  # lazy: the input's columns and the cluster
    assert "pyspark" in type(labels).__module__ and got.labels is labels
    assert labels.columns == [*sdf.columns, "cluster"]
    computed = labels.toPandas().set_index("id").sort_index()["cluster"]
    assert (computed.loc[[7, 2500]] == -1).all() and (computed >= 0).sum() == len(df) - 2
    kept = computed.to_numpy() >= 0
    assert adjusted_rand_score(single.labels_[kept], computed.to_numpy()[kept]) >= 0.99
    assert adjusted_rand_score(df["truth"].to_numpy()[kept], computed.to_numpy()[kept]) >= 0.99
    assert abs(got.inertia_ - single.inertia_) <= 1e-3 * single.inertia_
    assert (got.k_, got.n_rows, got.n_missing) == (4, len(df), 2)
    assert got.table["size"].tolist() == computed[kept].value_counts().sort_index().tolist()
    # the dropped rows at their positions in the collected table
    pd.testing.assert_frame_equal(got.dropped, single.dropped)
    # the same partitioning and seed, the same fit; predict labels new rows the same way
    again = cv.cluster(sdf, features=FEATURES, k=4, seed=3, missing="drop")
    assert np.array_equal(again.centers_.to_numpy(), got.centers_.to_numpy())
    assert again.inertia_ == got.inertia_
    some = df.drop(index=[7, 2500]).head(50)
    assert np.array_equal(got.predict(some), computed.loc[some["id"]].to_numpy())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "gmm"}, r"^argument 'method': .*gmm.*sdf.sample\(fraction=0.01\).toPandas\(\)"),
        ({"k": range(2, 5)}, r"^argument 'k': .*sample"),
        ({"n_boot": 5}, r"^argument 'n_boot': .*n_boot=0"),
        ({"k": None}, r"^argument 'k': must be a positive integer"),
        ({"features": ["a", "label"]}, r"^column 'label': is Spark string, not numeric"),
    ],
)
def test_what_needs_every_row_is_refused(spark: Any, kwargs: dict[str, Any], match: str) -> None:
    sdf = spark.createDataFrame(blobs(50, 2).assign(label="x"))
    with pytest.raises((cv.ParameterError, cv.InputError), match=match):
        cv.cluster(sdf, **{"features": FEATURES, "k": 3, **kwargs})
