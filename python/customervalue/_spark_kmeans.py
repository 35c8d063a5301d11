"""customervalue on Spark: ``cluster`` with ``method="kmeans"`` over the partitions (exported by
:mod:`customervalue.spark`), the plan of :func:`customervalue.dask.cluster`.

The feature columns are cached (each pass reads them from the executors' memory, not from the
source again); one pass counts the rows and the missing values and merges the features' moments;
then k-means|| seeding and Lloyd steps (:func:`customervalue.segmentation.scaleout.kmeans`), one
``mapInArrow`` job per pass, each partition numbered by Spark's partition id (the k-means||
samples are keyed by it), only sums reaching the driver. The labels are a lazy Spark DataFrame.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ._engine_cluster import EngineClusterResult, cluster_fields
from ._engines import kmeans_args, kmeans_over_parts
from ._spark_lazy import with_columns
from .errors import InputError
from .segmentation.scaleout import MomentsState, ScaledKMeans
from .spark import F, _drop_warning, _frame, _is_spark_frame, _map_partitions, _offsets
from .spark import T as SparkTypes


@dataclasses.dataclass(frozen=True, repr=False)
class SparkClusterResult(EngineClusterResult):
    """The k-means clusters of a Spark DataFrame (:func:`cluster`): ``table`` is one row per
    cluster (cluster, size, share, then the centre in the features' original units, as
    ``cv.cluster``'s table); ``centers_`` the centres in original units; ``inertia_`` the sum
    of squared distances to the nearest centre in the clustering space (standardized features
    unless ``standardize=False``); ``k_`` the clusters holding points; ``n_iter_`` the Lloyd
    steps; ``details`` the seeding and passes. ``labels_`` (and ``labels``) is a *lazy* Spark
    DataFrame: the input's columns and ``cluster`` (-1 for a row dropped for a missing value);
    ``predict(data)`` labels new rows (lazily for a Spark DataFrame). ``model`` holds the
    centres in the standardized space with the mean and scale that standardize; ``dropped``
    lists positions in the collected table.

    ``cv.cluster``'s plots, sweep and stability need every row in memory and are not here.

    Examples
    --------
    With a SparkSession ``spark`` (not run here: the documentation's examples start no JVM;
    ``tests/engines/spark/test_spark_cluster.py`` runs the same):

    >>> import customervalue as cv
    >>> df = cv.datasets.customers(1000, seed=0)[["customer_id", "frequency", "avg_order_value"]]
    >>> sdf = spark.createDataFrame(df)  # doctest: +SKIP
    >>> res = cv.cluster(sdf, features=["frequency", "avg_order_value"], k=3)  # doctest: +SKIP
    >>> res.k_, res.centers_.shape, int(res.table["size"].sum())  # doctest: +SKIP
    (3, (3, 2), 1000)
    >>> res.labels_.columns  # doctest: +SKIP
    ['customer_id', 'frequency', 'avg_order_value', 'cluster']
    """

    engine = "spark"

    def _lazy_table(self, data: Any) -> bool:
        return _is_spark_frame(data)

    def _label_lazily(self, data: Any) -> Any:
        assert self.model is not None
        return _labelled(_frame(data, "SparkClusterResult.predict", self.features), self.model, "raise")


def _labels(model: ScaledKMeans, missing: str, part: pa.Table) -> dict[str, np.ndarray]:
    """One part's labels, -1 for a row with a missing feature (``missing="drop"``)."""
    frame = part.select(model.features).to_pandas()
    out = np.full(len(frame), -1, dtype=np.int64)
    complete = ~frame.isna().any(axis=1).to_numpy() if missing == "drop" else np.ones(len(frame), dtype=bool)
    if complete.any():
        out[complete] = model.predict(frame[complete])
    return {"cluster": out}


def _labelled(sdf: Any, model: ScaledKMeans, missing: str) -> Any:
    compute = functools.partial(_labels, model, missing)
    return with_columns(sdf, compute, {"cluster": SparkTypes.LongType()}, whole=False)


def _frame_of(table: pa.Table | None, features: list[str]) -> pd.DataFrame:
    """A partition as the k-means maps read it: a pandas frame of the features (empty when the
    partition is)."""
    if table is None:
        return pd.DataFrame({c: pd.Series([], dtype="float64") for c in features})
    return table.to_pandas()


def _tally(table: pa.Table | None, features: list[str]) -> dict[str, Any]:
    """Pass 1 on a partition: its rows, the missing values per feature, the positions of the
    rows with any, and the moments of the complete rows."""
    frame = _frame_of(table, features)
    bad = frame[features].isna()
    any_bad = bad.any(axis=1).to_numpy()
    return {
        "n": len(frame),
        "missing": {c: int(n) for c, n in bad.sum().items() if n},
        "dropped": np.flatnonzero(any_bad),
        "moments": MomentsState.from_arrow(frame[~any_bad] if any_bad.any() else frame, features),
    }


def _map_parts(sdf: Any, features: list[str]) -> Callable[[Callable[[int, Any], Any]], list[Any]]:
    """``map_parts(f)`` for :func:`customervalue.segmentation.scaleout.kmeans`: ``f(i, part)``
    on every partition (``i`` Spark's partition id, ``part`` a pandas frame of the features),
    one ``mapInArrow`` job, the results in partition order."""

    def map_parts(f: Callable[[int, Any], Any]) -> list[Any]:
        def one(pid: int, table: pa.Table | None) -> Any:
            return f(pid, _frame_of(table, features))

        return [r for _, r in _map_partitions(sdf, one, with_pid=True)]

    return map_parts


def cluster(
    data: Any,
    *,
    features: list[str],
    k: int | range | list[int] | None = None,
    method: str = "kmeans",
    standardize: bool = True,
    n_init: int = 1,
    seed: int = 0,
    eps: float | None = None,
    min_samples: int | None = None,
    gamma: float | None = None,
    n_boot: int = 0,
    missing: str = "raise",
    progress: bool | None = None,
    batch_size: int = 1024,
    init_steps: int = 2,
    oversampling: float = 2.0,
    max_iter: int = 300,
    tol: float = 1e-4,
) -> SparkClusterResult:
    """:func:`customervalue.cluster` of a Spark DataFrame with ``method="kmeans"``: k-means over
    the partitions (:func:`customervalue.segmentation.scaleout.kmeans`), returning a
    :class:`SparkClusterResult` (centres, inertia, sizes, lazy labels).

    The same plan and contract as :func:`customervalue.dask.cluster`: k-means|| seeding as Spark
    MLlib runs it (``init_steps`` rounds of about ``oversampling x k`` candidates, weighted
    k-means++ on the driver), then Lloyd steps, one pass each, stopped as ``cv.cluster`` stops;
    ``n_init`` seedings (1 by default), the lowest inertia kept. Not the single call's bits
    (another seeding), but the same for a fixed partitioning and seed, and on well-separated
    clusters the single fit's clusters (adjusted Rand index >= 0.99, inertia within 1e-3). A
    sweep over k, bootstrap stability and the other methods need every row in memory and are
    refused (run them on a sample: ``sdf.sample(fraction=0.01).toPandas()``). Each pass is one
    Spark job (about a second on a laptop's ``local[2]``).
    """
    _frame(data, "cv.cluster", [])  # a Spark DataFrame, or the refusal
    features, k = kmeans_args(
        "spark", features=features, k=k, method=method, n_boot=n_boot, n_init=n_init, missing=missing
    )
    sdf = _frame(data, "cv.cluster", features)
    selected = []
    for c in features:
        kind = sdf.schema[c].dataType
        if not isinstance(kind, SparkTypes.NumericType):
            raise InputError(
                f"column '{c}': is Spark {kind.simpleString()}, not numeric; encode it (k-prototypes, for "
                "mixed data, does not run on a Spark DataFrame)"
            )
        selected.append(
            F.col(c).cast("double").alias(c) if isinstance(kind, SparkTypes.DecimalType) else F.col(c)
        )
    cached = sdf.select(*selected).cache()
    try:
        tallies = [t for _, t in _map_partitions(cached, functools.partial(_tally, features=features))]
        n_rows = sum(t["n"] for t in tallies)
        best, n_kept, table, details = kmeans_over_parts(
            _map_parts(cached, features),
            features,
            k,
            n_rows=n_rows,
            missing_counts={c: sum(t["missing"].get(c, 0) for t in tallies) for c in features},
            moments=[t["moments"] for t in tallies],
            missing=missing,
            seed=seed,
            n_init=n_init,
            standardize=standardize,
            init_steps=init_steps,
            oversampling=oversampling,
            max_iter=max_iter,
            tol=tol,
        )
    finally:
        cached.unpersist()
    offsets = _offsets([t["n"] for t in tallies])
    lost = np.concatenate([t["dropped"] + off for t, off in zip(tallies, offsets, strict=True)])
    n_missing = n_rows - n_kept
    dropped = pd.DataFrame(
        {"reason": np.full(len(lost), "missing", dtype=object)}, index=pd.Index(lost.astype(np.int64))
    )
    notes = _drop_warning("cluster", n_rows, dropped)
    return SparkClusterResult(
        labels_=_labelled(sdf, best, missing),
        **cluster_fields(best, table, details, features, seed),
        n_rows=n_rows,
        n_missing=n_missing,
        dropped=dropped,
        warnings=notes,
    )


__all__ = ["SparkClusterResult", "cluster"]
