"""Clustering indices with scikit-learn's signatures, computed in the Rust core.

Each agrees with the function of the same name in ``sklearn.metrics`` to 1e-10 (the test
suite checks it) and follows its special cases: a singleton cluster's silhouette is 0; the
Calinski-Harabasz index is 1 when every point sits on its centroid; the Davies-Bouldin index
is 0 when all clusters are points or all centroids coincide; two labellings that each put
everything in one group have NMI and AMI 1.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._compat import renamed
from ..errors import InputError, ParameterError


def as_matrix(X: Any, name: str = "X") -> np.ndarray:
    """``X`` as a C-contiguous float64 matrix (n x d), refusing text and missing values."""
    if isinstance(X, pd.DataFrame):
        bad = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c]) or X[c].dtype == bool]
        if bad:
            raise InputError(f"column '{bad[0]}': is not numeric; encode it or leave it out of {name}")
    try:
        m = np.ascontiguousarray(np.asarray(X, dtype=np.float64))
    except (TypeError, ValueError) as exc:
        raise InputError(f"column '{name}': cannot be read as numbers ({exc})") from None
    if m.ndim == 1:
        m = m.reshape(-1, 1)
    if m.ndim != 2:
        raise ParameterError(f"argument '{name}': expected a 2-d array, got {m.ndim} dimensions")
    if m.shape[0] == 0:
        raise InputError(f"column '{name}': has no rows")
    return m


def label_codes(labels: Any, name: str = "labels") -> np.ndarray:
    """Any labels (numbers, strings, categories) as int64 codes 0..k-1; missing labels refused."""
    codes, _ = pd.factorize(pd.Series(np.asarray(labels) if not isinstance(labels, pd.Series) else labels))
    if (codes < 0).any():
        raise InputError(f"column '{name}': {(codes < 0).sum()} missing labels")
    return np.ascontiguousarray(codes.astype(np.int64))


def _check_euclidean(metric: str) -> None:
    if metric != "euclidean":
        raise ParameterError(f"argument 'metric': only 'euclidean' is supported, got {metric!r}")


def _xl(X: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    m, codes = as_matrix(X), label_codes(labels)
    if len(codes) != m.shape[0]:
        raise ParameterError(f"argument 'labels': {len(codes)} labels for {m.shape[0]} rows of X")
    return m, codes


@renamed(random_state="seed")
def silhouette_score(
    X: Any,
    labels: Any,
    *,
    metric: str = "euclidean",
    sample_size: int | None = None,
    seed: int = 0,
) -> float:
    """Mean silhouette coefficient: s(i) = (b - a) / max(a, b), with a the mean distance from i
    to its own cluster's other members and b the least mean distance to another cluster
    (Rousseeuw 1987, J. Comput. Appl. Math. 20:53-65). Exact (all pairs) in parallel with memory
    linear in n; ``sample_size`` scores a random subset drawn with ``seed`` (scikit-learn's
    ``random_state``, still accepted for one release), as scikit-learn does.

    >>> round(silhouette_score([[0.0], [0.1], [5.0], [5.1]], [0, 0, 1, 1]), 4)
    0.98
    """
    _check_euclidean(metric)
    m, codes = _xl(X, labels)
    if sample_size is not None:
        rng = np.random.default_rng(seed)
        idx = rng.permutation(m.shape[0])[:sample_size]
        m, codes = np.ascontiguousarray(m[idx]), label_codes(codes[idx])
    return float(_core.internal_index(m, m.shape[0], m.shape[1], codes, "silhouette"))


def silhouette_samples(X: Any, labels: Any, *, metric: str = "euclidean") -> np.ndarray:
    """The silhouette of every point (see :func:`silhouette_score`).

    >>> silhouette_samples([[0.0], [0.1], [5.0], [5.1]], [0, 0, 1, 1]).round(3).tolist()
    [0.98, 0.98, 0.98, 0.98]

    The point at 1.0 sits 1 from its cluster-mate and 4.05 on average from the other cluster:
    (4.05 - 1) / 4.05 = 0.753.

    >>> silhouette_samples([[0.0], [1.0], [5.0], [5.1]], [0, 0, 1, 1]).round(3).tolist()
    [0.802, 0.753, 0.978, 0.978]
    """
    _check_euclidean(metric)
    m, codes = _xl(X, labels)
    return _core.silhouette_samples(m, m.shape[0], m.shape[1], codes).column(0).to_numpy()


def calinski_harabasz_score(X: Any, labels: Any) -> float:
    """Variance ratio criterion [B / (k - 1)] / [W / (n - k)], B and W the between- and
    within-cluster sums of squares (Calinski & Harabasz 1974, Commun. Stat. 3:1-27).

    B = 4 x 2.5^2 = 25 and W = 4 x 0.05^2 = 0.01, so (25 / 1) / (0.01 / 2) = 5000:

    >>> round(calinski_harabasz_score([[0.0], [0.1], [5.0], [5.1]], [0, 0, 1, 1]), 6)
    5000.0
    """
    m, codes = _xl(X, labels)
    return float(_core.internal_index(m, m.shape[0], m.shape[1], codes, "calinski_harabasz"))


def davies_bouldin_score(X: Any, labels: Any) -> float:
    """Mean over clusters of max_j (s_i + s_j) / d(c_i, c_j), s the mean distance to the
    centroid; lower is better (Davies & Bouldin 1979, IEEE TPAMI 1:224-227).

    Both clusters have s = 0.05 and centroids 5 apart: (0.05 + 0.05) / 5 = 0.02.

    >>> round(davies_bouldin_score([[0.0], [0.1], [5.0], [5.1]], [0, 0, 1, 1]), 6)
    0.02
    """
    m, codes = _xl(X, labels)
    return float(_core.internal_index(m, m.shape[0], m.shape[1], codes, "davies_bouldin"))


def agreement(labels_true: Any, labels_pred: Any, *, expected: bool = True) -> dict[str, Any]:
    """Every agreement statistic of two labellings from one contingency table (a dict)."""
    a, b = label_codes(labels_true, "labels_true"), label_codes(labels_pred, "labels_pred")
    if len(a) != len(b):
        raise ParameterError(f"argument 'labels_pred': {len(b)} labels against {len(a)} in labels_true")
    if len(a) == 0:
        raise InputError("column 'labels_true': has no rows")
    return dict(_core.agreement(a, b, expected))


def _both_empty(labels_true: Any, labels_pred: Any) -> bool:
    """Two empty labellings: scikit-learn scores them as identical (1.0) rather than raising."""
    return (
        len(np.atleast_1d(np.asarray(labels_true))) == 0 and len(np.atleast_1d(np.asarray(labels_pred))) == 0
    )


def adjusted_rand_score(labels_true: Any, labels_pred: Any) -> float:
    """Rand index adjusted for chance (Hubert & Arabie 1985, J. Classif. 2:193-218): 1 for
    identical partitions up to renaming, about 0 for independent ones.

    >>> adjusted_rand_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    if _both_empty(labels_true, labels_pred):
        return 1.0
    return float(agreement(labels_true, labels_pred, expected=False)["adjusted_rand"])


def _entropies(s: dict[str, Any]) -> tuple[float, float]:
    counts = np.asarray(s["counts"], dtype=float).reshape(s["ka"], s["kb"])

    def h(v: np.ndarray) -> float:
        v = v[v > 0]
        return float(-np.sum(v / v.sum() * (np.log(v) - np.log(v.sum())))) if v.size else 1.0

    return h(counts.sum(axis=1)), h(counts.sum(axis=0))


def _mean(a: float, b: float, method: str) -> float:
    means: dict[str, Any] = {
        "min": min,
        "max": max,
        "arithmetic": lambda x, y: (x + y) / 2,
        "geometric": lambda x, y: np.sqrt(x * y),
    }
    if method not in means:
        raise ParameterError(f"argument 'average_method': must be one of {', '.join(means)}, got {method!r}")
    return float(means[method](a, b))


def _trivial(s: dict[str, Any]) -> bool:
    counts = np.asarray(s["counts"]).reshape(s["ka"], s["kb"])
    ka, kb = int((counts.sum(axis=1) > 0).sum()), int((counts.sum(axis=0) > 0).sum())
    return ka == kb and ka <= 1


def normalized_mutual_info_score(
    labels_true: Any, labels_pred: Any, *, average_method: str = "arithmetic"
) -> float:
    """Mutual information over a mean of the two entropies (Strehl & Ghosh 2002, JMLR 3:583-617);
    ``average_method`` is 'arithmetic' (default), 'geometric', 'min' or 'max', as scikit-learn.

    >>> normalized_mutual_info_score([0, 0, 1, 1], [1, 1, 0, 0])     # the same split, renamed
    1.0
    >>> normalized_mutual_info_score([0, 0, 1, 1], [0, 1, 0, 1])     # independent
    0.0
    >>> round(normalized_mutual_info_score([0, 0, 1, 1], [0, 0, 1, 2]), 3)
    0.8
    """
    _mean(1.0, 1.0, average_method)
    if _both_empty(labels_true, labels_pred):
        return 1.0
    s = agreement(labels_true, labels_pred, expected=False)
    if _trivial(s):
        return 1.0
    if s["mutual_info"] == 0:
        return 0.0
    return float(s["mutual_info"] / _mean(*_entropies(s), average_method))


def adjusted_mutual_info_score(
    labels_true: Any, labels_pred: Any, *, average_method: str = "arithmetic"
) -> float:
    """Mutual information adjusted for chance, (MI - E[MI]) / (mean(H_a, H_b) - E[MI]), with
    E[MI] under the hypergeometric model of random labellings (Vinh, Epps & Bailey 2010,
    JMLR 11:2837-2854).

    >>> adjusted_mutual_info_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> round(adjusted_mutual_info_score([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 3)
    0.299
    """
    _mean(1.0, 1.0, average_method)
    if _both_empty(labels_true, labels_pred):
        return 1.0
    s = agreement(labels_true, labels_pred)
    if _trivial(s):
        return 1.0
    emi = s["expected_mutual_info"]
    den = _mean(*_entropies(s), average_method) - emi
    eps = np.finfo(np.float64).eps
    den = min(den, -eps) if den < 0 else max(den, eps)
    return float((s["mutual_info"] - emi) / den)


def homogeneity_completeness_v_measure(labels_true: Any, labels_pred: Any) -> tuple[float, float, float]:
    """Homogeneity (each cluster holds one class), completeness (each class sits in one cluster)
    and their harmonic mean, the V-measure (Rosenberg & Hirschberg 2007, EMNLP-CoNLL).

    Splitting class 1 over two clusters keeps every cluster pure (homogeneity 1) but leaves
    a third of the class entropy unexplained (completeness 1 - 0.5 / 1.5):

    >>> h, c, v = homogeneity_completeness_v_measure([0, 0, 1, 1], [0, 0, 1, 2])
    >>> round(h, 3), round(c, 3), round(v, 3)
    (1.0, 0.667, 0.8)
    """
    if _both_empty(labels_true, labels_pred):
        return 1.0, 1.0, 1.0
    s = agreement(labels_true, labels_pred, expected=False)
    return float(s["homogeneity"]), float(s["completeness"]), float(s["v_measure"])


def homogeneity_score(labels_true: Any, labels_pred: Any) -> float:
    """Homogeneity; see :func:`homogeneity_completeness_v_measure`.

    >>> round(homogeneity_score([0, 0, 1, 1], [0, 0, 1, 2]), 3)     # every cluster is pure
    1.0
    >>> round(homogeneity_score([0, 0, 1, 1], [0, 0, 0, 0]), 3)     # one cluster holds both classes
    0.0
    """
    return homogeneity_completeness_v_measure(labels_true, labels_pred)[0]


def completeness_score(labels_true: Any, labels_pred: Any) -> float:
    """Completeness; see :func:`homogeneity_completeness_v_measure`.

    >>> round(completeness_score([0, 0, 1, 1], [0, 0, 0, 0]), 3)    # each class sits in one cluster
    1.0
    >>> round(completeness_score([0, 0, 1, 1], [0, 0, 1, 2]), 3)
    0.667
    """
    return homogeneity_completeness_v_measure(labels_true, labels_pred)[1]


def v_measure_score(labels_true: Any, labels_pred: Any) -> float:
    """V-measure; see :func:`homogeneity_completeness_v_measure`.

    >>> v_measure_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> round(v_measure_score([0, 0, 1, 1], [0, 0, 1, 2]), 3)      # 2 x 1 x 0.667 / 1.667
    0.8
    """
    return homogeneity_completeness_v_measure(labels_true, labels_pred)[2]


__all__ = [
    "silhouette_score",
    "silhouette_samples",
    "calinski_harabasz_score",
    "davies_bouldin_score",
    "adjusted_rand_score",
    "normalized_mutual_info_score",
    "adjusted_mutual_info_score",
    "homogeneity_completeness_v_measure",
    "homogeneity_score",
    "completeness_score",
    "v_measure_score",
]
