"""k-means over a table split into parts (an engine's partitions), engine-neutral.

The states follow the protocol of ``customervalue._state`` (map / merge / finish):

* :class:`MomentsState`: per feature the count, mean and sum of squared deviations (Chan,
  Golub & LeVeque 1979 to merge), whose finish is the standardisation ``cv.cluster`` applies
  (mean 0, variance 1, ddof 0), equal to the single call's to about 1e-16 relative.
* :class:`LloydState`: one Lloyd step's sums for given centres, per centre the weight, the
  coordinate sums and the squared distances (the core's ``lloyd_sums``): merged sums give the
  next centres exactly as one Lloyd step over every point, in the order of the additions.

:func:`kmeans` drives them: k-means|| seeding (Bahmani et al. 2012, "Scalable k-means++",
VLDB 5(7)) as Spark MLlib runs it (``init_steps`` rounds that each sample about
``oversampling * k`` candidates with probability proportional to the squared distance to the
candidates so far, every candidate then weighted by the points nearest to it, and k-means++ on
the weighted candidates in the core, the best of ``LOCAL_STARTS`` starts), then Lloyd steps,
one pass over the parts each, stopped as ``cv.cluster`` stops (centres moving less than
``tol`` times the mean feature variance). It needs only a function that applies a function
``f(i, part)`` to every part (``i`` its number) and returns the results in part order, so the
same code runs over a list of frames, Dask partitions or Spark partitions.

Contract: not the single-machine bits (another seeding, plain rather than Hamerly-bounded
Lloyd), but deterministic for a fixed partitioning and seed, and on planted clusters the same
clusters (adjusted Rand index >= 0.99) with an inertia within 1e-3 of the single fit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import _core
from .._io import as_arrow, to_pandas
from .._state import MergeableState
from ..errors import ConvergenceError, InputError, ParameterError
from .cluster import read_features

PartsMap = Callable[[Callable[[int, Any], Any]], list[Any]]


def _matrix(data: Any, features: list[str], missing: str) -> np.ndarray:
    """The raw numeric features of one part (rows with a missing value dropped or refused as
    ``missing`` says); an empty part gives an empty matrix. A feature with one value in this
    part, or a part whose every row has a missing value (``missing="drop"``), is not an error
    of the part: whether a feature is constant is a property of the whole table (the merged
    moments), and such a part adds no rows."""
    if len(data) == 0:
        return np.zeros((0, len(features)))
    try:
        f = read_features(data, features, standardize=False, missing=missing, allow_categorical=False)
    except InputError as exc:
        if not str(exc).endswith(_WHOLE_TABLE_CHECKS):
            raise
        # raised after the checks of the columns, their types and missing="raise"
        frame = data if isinstance(data, pd.DataFrame) else to_pandas(as_arrow(data, features))
        X = frame[features].to_numpy(dtype=np.float64, na_value=np.nan)
        X = X[~frame[features].isna().any(axis=1).to_numpy()]
        if not np.isfinite(X).all():
            col = features[int(np.flatnonzero(~np.isfinite(X).all(axis=0))[0])]
            raise InputError(f"column '{col}': holds infinite values") from None
        return np.ascontiguousarray(X)
    return np.ascontiguousarray(f.X)


#: The ends of ``read_features``' messages about the whole table, which a part cannot decide.
_WHOLE_TABLE_CHECKS = (
    "is constant, so it cannot separate groups; leave it out",
    "no rows are left after dropping missing values",
)


class MomentsState(MergeableState):
    """Count, mean and sum of squared deviations of each feature over part of a table; merged
    with Chan et al.'s update. ``finish()`` gives the mean and scale (standard deviation, ddof
    0) ``cv.cluster`` standardizes with."""

    @classmethod
    def from_arrow(cls, data: Any, features: list[str], *, missing: str = "raise") -> MomentsState:
        X = _matrix(data, features, missing)
        n = X.shape[0]
        mean = X.mean(axis=0) if n else np.zeros(len(features))
        m2 = ((X - mean) ** 2).sum(axis=0) if n else np.zeros(len(features))
        table = pa.table({"feature": list(features), "n": [float(n)] * len(features), "mean": mean, "m2": m2})
        return cls(table, {"features": tuple(features)}, {})

    @staticmethod
    def _normalise(table: pa.Table, options: dict[str, Any]) -> pa.Table:
        rows = table.to_pydict()
        acc: dict[str, tuple[float, float, float]] = {}
        for f, n, m, s in zip(rows["feature"], rows["n"], rows["mean"], rows["m2"], strict=True):
            if f not in acc or acc[f][0] == 0:
                acc[f] = (n, m, s) if n else acc.get(f, (0.0, 0.0, 0.0))
                continue
            na, ma, sa = acc[f]
            if n == 0:
                continue
            total = na + n
            delta = m - ma
            acc[f] = (total, ma + delta * n / total, sa + s + delta * delta * na * n / total)
        feats = list(options["features"])
        return pa.table(
            {
                "feature": feats,
                "n": [acc[f][0] for f in feats],
                "mean": [acc[f][1] for f in feats],
                "m2": [acc[f][2] for f in feats],
            }
        )

    def finish(self) -> pd.DataFrame:
        """Per feature (the index) the ``mean``, ``scale`` (ddof 0) and ``n``."""
        t = self._normalise(self._table, self._options).to_pandas().set_index("feature")
        if (t["n"] == 0).all():
            raise ParameterError("no rows in any part: nothing to standardize")
        t["scale"] = np.sqrt(t["m2"] / t["n"])
        return t[["mean", "scale", "n"]]


class LloydState(MergeableState):
    """One Lloyd step's sums over part of a table, for given centres (in standardized units when
    ``mean`` and ``scale`` are given): per centre the weight, the coordinate sums and the squared
    distances to it. ``finish()`` gives the next centres, how far each moved and the inertia."""

    @classmethod
    def from_arrow(
        cls,
        data: Any,
        features: list[str],
        centers: Any,
        *,
        mean: Any = None,
        scale: Any = None,
        missing: str = "raise",
    ) -> LloydState:
        C = np.ascontiguousarray(np.asarray(centers, dtype=np.float64))
        if C.ndim != 2 or C.shape[1] != len(features):
            raise ParameterError(
                f"argument 'centers': expected k rows of {len(features)} features, got {C.shape}"
            )
        k, d = C.shape
        X = _standardized(_matrix(data, features, missing), mean, scale)
        if X.shape[0]:
            w, sums, inertia = _core.kmeans_lloyd_sums(X.ravel(), X.shape[0], d, C.ravel().tolist(), None)
        else:
            w, sums, inertia = [0.0] * k, [0.0] * (k * d), [0.0] * k
        S = np.asarray(sums).reshape(k, d)
        cols: dict[str, Any] = {"cluster": np.arange(k), "weight": w, "inertia": inertia}
        for j, f in enumerate(features):
            cols[f"sum_{f}"] = S[:, j]
        return cls(pa.table(cols), {"features": tuple(features), "k": k}, {})

    @staticmethod
    def _normalise(table: pa.Table, options: dict[str, Any]) -> pa.Table:
        # the rows of every part, added in the order the parts come (reproducible for a fixed
        # partitioning; pyarrow's group-by sum would not promise an order)
        df = table.to_pandas()
        k = int(options["k"])
        values = df.drop(columns="cluster").to_numpy()
        out = np.zeros((k, values.shape[1]))
        for c, row in zip(df["cluster"].to_numpy(), values, strict=True):
            out[int(c)] += row
        return pa.table(
            {"cluster": np.arange(k), **{name: out[:, j] for j, name in enumerate(df.columns[1:])}}
        )

    def finish(self, centers: Any) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
        """(next centres, squared distance each centre moved, inertia, weight per centre) from
        the current ``centers``; a centre no point is nearest to stays where it is."""
        t = self._normalise(self._table, self._options).to_pandas()
        C = np.asarray(centers, dtype=np.float64)
        w = t["weight"].to_numpy()
        S = t[[f"sum_{f}" for f in self._options["features"]]].to_numpy()
        new = C.copy()
        has = w > 0
        new[has] = S[has] / w[has, None]
        moved = ((new - C) ** 2).sum(axis=1)
        return new, moved, float(t["inertia"].sum()), w


def _standardized(X: np.ndarray, mean: Any, scale: Any) -> np.ndarray:
    if mean is None:
        return X
    return np.ascontiguousarray(
        (X - np.asarray(mean, dtype=np.float64)) / np.asarray(scale, dtype=np.float64)
    )


@dataclass
class ScaledKMeans:
    """A k-means fitted over parts: ``centers`` in the standardized units (rows of
    ``features``), the ``mean`` and ``scale`` that standardize, the ``inertia`` (standardized
    units, as ``cv.cluster``), the points per centre, and how many Lloyd steps and passes over
    the parts it took."""

    features: list[str]
    centers: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    inertia: float
    counts: np.ndarray
    n_iter: int
    n_passes: int

    @property
    def centers_original_units(self) -> pd.DataFrame:
        """The centres in the features' own units, one row per cluster."""
        return pd.DataFrame(self.centers * self.scale + self.mean, columns=self.features)

    def predict(self, data: Any, *, missing: str = "raise") -> np.ndarray:
        """Labels (nearest centre) of the rows of one part."""
        X = _standardized(_matrix(data, self.features, missing), self.mean, self.scale)
        if X.shape[0] == 0:
            return np.zeros(0, dtype=np.int64)
        out = _core.kmeans_predict(X.ravel(), X.shape[0], X.shape[1], self.centers.ravel().tolist())
        return np.asarray(out.column(0).to_numpy(), dtype=np.int64)


def kmeans(
    map_parts: PartsMap,
    features: list[str],
    k: int,
    *,
    seed: int = 0,
    standardize: bool = True,
    init_steps: int = 2,
    oversampling: float = 2.0,
    max_iter: int = 300,
    tol: float = 1e-4,
    init: Any = None,
    missing: str = "raise",
) -> ScaledKMeans:
    """k-means over the parts ``map_parts`` reaches (see the module docstring): ``map_parts(f)``
    must return ``[f(i, part) for i, part in enumerate(parts)]`` (each part a pandas DataFrame).
    ``init`` (k x d, standardized units) starts Lloyd from given centres instead of k-means||."""
    feats = list(features)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ParameterError(f"argument 'k': must be a whole number of at least 1, got {k!r}")
    passes = 0
    if standardize:
        mom = MomentsState.merge_all(
            map_parts(lambda i, p: MomentsState.from_arrow(p, feats, missing=missing))
        ).finish()
        passes += 1
        n_rows = int(mom["n"].iloc[0])
        mean, scale = mom["mean"].to_numpy(), mom["scale"].to_numpy()
        if (scale <= 0).any():
            raise ParameterError(
                f"column '{feats[int(np.argmax(scale <= 0))]}': is constant, so it cannot separate groups"
            )
    else:
        mean, scale = np.zeros(len(feats)), np.ones(len(feats))
        n_rows = sum(map_parts(lambda i, p: len(p)))
        passes += 1
    if k > n_rows:
        raise ParameterError(f"argument 'k': k = {k} is larger than the {n_rows} rows")
    if init is not None:
        centers = np.asarray(init, dtype=np.float64).reshape(k, len(feats))
    else:
        centers, p = _kmeans_parallel(
            map_parts, feats, k, mean, scale, seed, init_steps, oversampling, missing
        )
        passes += p
    # cv.cluster's stop rule: squared movement summed over centres <= tol x mean variance (1 in
    # standardized units)
    limit = tol * float(np.mean(scale**2)) if not standardize else tol
    n_iter, inertia, counts = 0, np.inf, np.zeros(k)
    for it in range(max_iter):
        c = centers
        step = _lloyd_pass(map_parts, feats, c, mean, scale, missing)
        passes += 1
        centers, moved, inertia, counts = step.finish(c)
        n_iter = it + 1
        if moved.sum() <= limit:
            break
    else:
        raise ConvergenceError(f"k-means over parts: no convergence in max_iter = {max_iter} Lloyd steps")
    # the inertia and counts of the final centres (one more pass, as cv.cluster re-derives labels)
    c = centers
    final = _lloyd_pass(map_parts, feats, c, mean, scale, missing)
    passes += 1
    _, _, inertia, counts = final.finish(c)
    return ScaledKMeans(feats, centers, mean, scale, inertia, counts, n_iter, passes)


def _lloyd_pass(
    map_parts: PartsMap, feats: list[str], c: np.ndarray, mean: np.ndarray, scale: np.ndarray, missing: str
) -> LloydState:
    """One pass over the parts: the merged Lloyd sums for centres ``c``."""

    def one(i: int, p: Any) -> LloydState:
        return LloydState.from_arrow(p, feats, c, mean=mean, scale=scale, missing=missing)

    return LloydState.merge_all(map_parts(one))


def _kmeans_parallel(
    map_parts: PartsMap,
    feats: list[str],
    k: int,
    mean: np.ndarray,
    scale: np.ndarray,
    seed: int,
    init_steps: int,
    oversampling: float,
    missing: str,
) -> tuple[np.ndarray, int]:
    """k-means|| seeding: (centres, passes over the parts)."""
    d = len(feats)
    passes = 0

    def rows(p: Any) -> np.ndarray:
        return _standardized(_matrix(p, feats, missing), mean, scale)

    # the first candidate: row j of the first part with rows, j drawn from the seed
    sizes = map_parts(lambda i, p: len(rows(p)))
    passes += 1
    first_part = next(i for i, s in enumerate(sizes) if s > 0)
    j = int(np.random.default_rng([seed, 0]).integers(0, sizes[first_part]))
    firsts = map_parts(lambda i, p: rows(p)[j] if i == first_part else None)
    passes += 1
    cand = np.asarray(firsts[first_part]).reshape(1, d)

    def d2(p: Any, c: np.ndarray) -> np.ndarray:
        X = rows(p)
        if X.shape[0] == 0:
            return np.zeros(0)
        t = _core.kmeans_min_sq_dist(X.ravel(), X.shape[0], d, c.ravel().tolist())
        return np.asarray(t.column(0).to_numpy())

    for step in range(init_steps):
        c = cand

        def part_cost(i: int, p: Any, c: np.ndarray = c) -> float:
            return float(d2(p, c).sum())

        cost = float(sum(map_parts(part_cost)))
        passes += 1
        if cost <= 0:
            break
        ell = oversampling * k

        def sample(
            i: int, p: Any, c: np.ndarray = c, step: int = step, scale_: float = ell / cost
        ) -> np.ndarray:
            X = rows(p)
            if X.shape[0] == 0:
                return np.zeros((0, d))
            dist = d2(p, c)
            # one random stream per (seed, round, part), as Spark MLlib keys its sampling
            u = np.random.default_rng([seed, step + 1, i]).random(X.shape[0])
            return X[u < np.minimum(1.0, scale_ * dist)]

        new = [np.asarray(s) for s in map_parts(sample)]
        passes += 1
        cand = np.vstack([cand, *[s for s in new if len(s)]])
    cand = np.unique(cand, axis=0)
    if len(cand) <= k:
        # too few distinct candidates: pad with them repeated (k-means++ would too)
        return np.ascontiguousarray(np.resize(cand, (k, d))), passes

    def nearest(i: int, p: Any, c: np.ndarray = cand) -> np.ndarray:
        X = rows(p)
        if X.shape[0] == 0:
            return np.zeros(len(c))
        return np.asarray(_core.kmeans_lloyd_sums(X.ravel(), X.shape[0], d, c.ravel().tolist(), None)[0])

    weights = np.sum(map_parts(nearest), axis=0)
    passes += 1
    # weighted k-means++ and Lloyd on the candidates, on the client: one start can put two
    # centres in one cluster (measured: 4 of 120 seeded fits on planted clusters), so take the
    # lowest weighted cost of LOCAL_STARTS starts (the first from ``seed``); no extra pass
    flat, w = np.ascontiguousarray(cand).ravel(), np.asarray(weights, dtype=np.float64)
    best, best_cost = None, np.inf
    for r in range(LOCAL_STARTS):
        s = int(seed) if r == 0 else int(np.random.SeedSequence([int(seed), r]).generate_state(1)[0])
        centers = _core.kmeans_weighted(flat, len(cand), d, list(map(float, w)), k, s, 30, 0.0)
        cost = float(np.sum(_core.kmeans_lloyd_sums(flat, len(cand), d, list(centers), w)[2]))
        if cost < best_cost:
            best, best_cost = centers, cost
    return np.asarray(best).reshape(k, d), passes


#: Starts of the weighted k-means++ on the k-means|| candidates (cheap: a few dozen points).
LOCAL_STARTS = 10


__all__ = ["MomentsState", "LloydState", "ScaledKMeans", "kmeans"]
