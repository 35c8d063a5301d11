"""customervalue on Dask: ``cluster`` with ``method="kmeans"`` over the partitions and its
:class:`DaskClusterResult` (exported by :mod:`customervalue.dask`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import dask
import numpy as np
import pandas as pd
from dask import delayed

from ._boundary import warn
from ._dask_core import _drop_text, _frame, _no_drops, _worker_threads
from ._engine_cluster import EngineClusterResult, cluster_fields
from ._engines import engine_of, kmeans_args, kmeans_over_parts
from .errors import DataDroppedWarning, InputError
from .segmentation.scaleout import MomentsState, ScaledKMeans

# ---- segmentation: k-means over the partitions -------------------------------------------------


@dataclasses.dataclass(frozen=True, repr=False)
class DaskClusterResult(EngineClusterResult):
    """The k-means clusters of a dask DataFrame (:func:`cluster`): what can be known without
    the whole table in memory. ``table`` is one row per cluster (cluster, size, share, then the
    centre in the features' original units, as ``cv.cluster``'s table); ``centers_`` the
    centres in original units; ``inertia_`` the sum of squared distances to the nearest centre
    in the clustering space (standardized features unless ``standardize=False``, as
    ``cv.cluster``); ``k_`` the clusters holding points; ``n_iter_`` the Lloyd steps;
    ``details`` the seeding and passes. ``labels_`` (and ``labels``) is a *lazy* dask Series
    named ``cluster`` on the input's index (-1 for a row dropped for a missing value);
    ``predict(data)`` labels new rows, lazily for a dask DataFrame. ``model`` holds the
    centres in the standardized space with the mean and scale that standardize.

    ``cv.cluster``'s plots, sweep and stability need every row in memory and are not here.

    Examples
    --------
    >>> import customervalue as cv, dask.dataframe as dd
    >>> df = cv.datasets.customers(1000, seed=0)
    >>> res = cv.cluster(dd.from_pandas(df, npartitions=4), features=["frequency", "avg_order_value"], k=3)
    >>> type(res).__name__, res.k_, res.centers_.shape, int(res.table["size"].sum())
    ('DaskClusterResult', 3, (3, 2), 1000)
    >>> labels = res.labels_.compute()        # lazy until computed; on the input's index
    >>> labels.index.equals(df.index), sorted(labels.unique().tolist())
    (True, [0, 1, 2])
    >>> bool((res.predict(df.head(5)) == labels.head(5).to_numpy()).all())
    True
    """

    engine = "dask"

    def _lazy_table(self, data: Any) -> bool:
        return engine_of(data) == "dask"

    def _label_lazily(self, data: Any) -> Any:
        ddf = _frame(data, "DaskClusterResult.predict", self.features)
        meta = pd.Series([], dtype="int64", name="cluster", index=ddf._meta.index)
        return ddf.map_partitions(_label_part, self.model, "raise", meta=meta, align_dataframes=False)


def _label_part(part: pd.DataFrame, model: ScaledKMeans, missing: str) -> pd.Series:
    """One partition's labels, -1 for a row with a missing feature (``missing="drop"``)."""
    out = np.full(len(part), -1, dtype=np.int64)
    if len(part):
        complete = ~part[model.features].isna().any(axis=1).to_numpy() if missing == "drop" else None
        if complete is None:
            out[:] = model.predict(part)
        elif complete.any():
            out[complete] = model.predict(part[complete])
    return pd.Series(out, index=part.index, name="cluster")


@dataclasses.dataclass
class _FeatureTally:
    """One partition's rows for k-means: how many, the missing values per feature (as
    ``read_features`` counts them), the labels of rows with any, and the moments of the rest."""

    n_rows: int
    missing: dict[str, int]
    dropped: pd.Index
    moments: MomentsState


def _feature_tally(part: pd.DataFrame, features: list[str]) -> _FeatureTally:
    bad = part[features].isna()
    any_bad = bad.any(axis=1).to_numpy()
    counts = {c: int(n) for c, n in bad.sum().items() if n}
    moments = MomentsState.from_arrow(part[~any_bad] if any_bad.any() else part, features)
    return _FeatureTally(len(part), counts, part.index[any_bad], moments)


def _map_parts(parts: list[Any]) -> Callable[[Callable[[int, Any], Any]], list[Any]]:
    """``map_parts(f)`` for :func:`customervalue.segmentation.scaleout.kmeans`: ``f(i, part)``
    on every partition (delayed objects of persisted partitions), computed in one round, in
    partition order."""

    def map_parts(f: Callable[[int, Any], Any]) -> list[Any]:
        return list(dask.compute(*[delayed(f, pure=False)(i, p) for i, p in enumerate(parts)]))

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
) -> DaskClusterResult:
    """:func:`customervalue.cluster` of a dask DataFrame with ``method="kmeans"``: k-means over
    the partitions (:func:`customervalue.segmentation.scaleout.kmeans`), returning a
    :class:`DaskClusterResult` (centres, inertia, sizes, lazy labels).

    Plan: the feature columns are persisted (each pass reads them from the workers' memory,
    not from the source again); one pass counts the rows and missing values and merges the
    features' moments (the single call's checks and messages: a missing value under
    ``missing="raise"``, a constant feature); then k-means|| seeding as Spark MLlib runs it
    (``init_steps`` rounds sampling about ``oversampling x k`` candidates each, the candidates
    weighted by their nearest points, weighted k-means++ on the client), then Lloyd steps, one
    pass each, stopped as ``cv.cluster`` stops (``tol``, ``max_iter``). Each pass sends only
    sums (k x d numbers) to the client. ``n_init`` runs that many seedings (the first with
    ``seed``, the others with seeds drawn from it) and keeps the lowest inertia; 1 by default,
    as k-means|| replaces ``cv.cluster``'s ten k-means++ starts.

    Not the single call's bits (another seeding; plain rather than bounded Lloyd), but the same
    for a fixed partitioning and seed, and on well-separated clusters the single fit's
    clusters (adjusted Rand index >= 0.99, inertia within 1e-3). ``k`` must be a whole number;
    a sweep over k, bootstrap stability (``n_boot``) and the other methods need every row in
    memory and are refused (run them on a sample: ``ddf.sample(frac=0.01).compute()``).
    """
    _worker_threads()
    features, k = kmeans_args(
        "dask", features=features, k=k, method=method, n_boot=n_boot, n_init=n_init, missing=missing
    )
    ddf = _frame(data, "cluster", features)
    meta = ddf._meta
    for c in features:
        if not pd.api.types.is_numeric_dtype(meta[c]) or meta[c].dtype == bool:
            raise InputError(
                f"column '{c}': is {meta[c].dtype}, not numeric; encode it (k-prototypes, for mixed "
                "data, does not run on a dask DataFrame)"
            )
    persisted = ddf[features].persist()
    parts = persisted.to_delayed()
    tallies: list[_FeatureTally] = list(
        dask.compute(*[delayed(_feature_tally, pure=True)(p, features) for p in parts])
    )
    n_rows = sum(t.n_rows for t in tallies)
    best, n_kept, table, details = kmeans_over_parts(
        _map_parts(parts),
        features,
        k,
        n_rows=n_rows,
        missing_counts={c: sum(t.missing.get(c, 0) for t in tallies) for c in features},
        moments=[t.moments for t in tallies],
        missing=missing,
        seed=seed,
        n_init=n_init,
        standardize=standardize,
        init_steps=init_steps,
        oversampling=oversampling,
        max_iter=max_iter,
        tol=tol,
    )
    del persisted, parts
    dropped = [t.dropped for t in tallies if len(t.dropped)]
    meta_labels = pd.Series([], dtype="int64", name="cluster", index=ddf._meta.index)
    labels = ddf.map_partitions(_label_part, best, missing, meta=meta_labels, align_dataframes=False)
    n_missing = n_rows - n_kept
    reasons = {"missing": n_missing} if n_missing else {}
    note = _drop_text("cluster", n_rows, reasons)
    if note is not None:
        warn(note, DataDroppedWarning)
    return DaskClusterResult(
        labels_=labels,
        **cluster_fields(best, table, details, features, seed),
        n_rows=n_rows,
        n_missing=n_missing,
        dropped=pd.DataFrame(
            {"reason": np.full(sum(len(x) for x in dropped), "missing", dtype=object)},
            index=dropped[0].append(dropped[1:]),
        )
        if dropped
        else _no_drops(ddf._meta.index.name),
        warnings=(note,) if note is not None else (),
    )
