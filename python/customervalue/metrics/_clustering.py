"""Clustering indices with scikit-learn's signatures, computed in the Rust core.

Each agrees with the function of the same name in ``sklearn.metrics`` to 1e-10 (the test
suite checks it) and follows its special cases: a singleton cluster's silhouette is 0; the
Calinski-Harabasz index is 1 when every point sits on its centroid; the Davies-Bouldin index
is 0 when all clusters are points or all centroids coincide; two labellings that each put
everything in one group have NMI and AMI 1; two empty labellings score 1 (Rand index 1,
Fowlkes-Mallows 0, as scikit-learn).

The pair-counting and information scores (:func:`rand_score`, :func:`fowlkes_mallows_score`,
:func:`mutual_info_score`, :func:`contingency_matrix`) read the contingency table of the two
labellings that the Rust core counts; classes are ordered as ``np.unique`` orders them.
Where scikit-learn itself fails on a degenerate input (a mutual information of empty
labellings, a V-measure with ``beta=0`` and completeness 0) the docstring says what is
returned instead.

Rows are paired by position, as scikit-learn pairs them: the i-th label of ``labels_true``
with the i-th of ``labels_pred`` (and the i-th row of ``X`` with the i-th label), whatever the
containers (lists, NumPy, pandas, polars, pyarrow Arrays and ChunkedArrays, mixed). A pandas
index is not used, since an Arrow array, a NumPy array or a list has none to align on. One case
is refused instead of read by position: two pandas objects whose indexes hold the same unique
labels in different orders (a Series and a shuffled copy of it, say), which pandas would align
and position would pair wrongly; a :class:`~customervalue.errors.ParameterError` names both
arguments and the fix (``b.reindex(a.index)`` to align, ``.to_numpy()`` to pair by position).
"""

from __future__ import annotations

import math
import numbers
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .. import _core
from .._checks import SEED, Integer, check_args
from .._compat import renamed
from ..errors import InputError, ParameterError
from ._labels import _check_positions, _codes_uniques, as_matrix, label_codes

#: the values of ``metric`` the silhouette takes
SILHOUETTE_METRICS = ("euclidean", "manhattan", "cityblock", "l1", "l2", "precomputed")


#: cells of the distance matrix reordered at a time by the precomputed silhouette (32 MB)
SILHOUETTE_BLOCK_CELLS = 1 << 22


def _check_metric(metric: Any) -> None:
    if not isinstance(metric, str) or metric not in SILHOUETTE_METRICS:
        supported = ", ".join(repr(m) for m in SILHOUETTE_METRICS)
        raise ParameterError(f"argument 'metric': must be one of {supported}, got {metric!r}")


def _xl(X: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    _check_positions(X, labels, "X", "labels")
    m, codes = as_matrix(X), label_codes(labels)
    if len(codes) != m.shape[0]:
        raise ParameterError(f"argument 'labels': {len(codes)} labels for {m.shape[0]} rows of X")
    return m, codes


def _is_sparse(x: Any) -> bool:
    return type(x).__module__.startswith("scipy.sparse") and hasattr(x, "toarray")


def _distances(X: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    """A precomputed distance matrix checked as scikit-learn checks it (square, finite,
    non-negative, a zero diagonal up to 100 machine epsilons of its float type), as float64."""
    _check_positions(X, labels, "X", "labels")
    if _is_sparse(X):
        X = X.toarray()  # an absent entry is a distance of 0, as in scikit-learn
    if isinstance(X, pd.DataFrame):
        as_matrix(X)  # refuses text columns with the column's name
    try:
        d = np.asarray(X)
    except (TypeError, ValueError) as exc:
        raise InputError(f"column 'X': cannot be read as distances ({exc})") from None
    if d.dtype.kind not in "biuf":
        try:
            d = d.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise InputError(f"column 'X': cannot be read as distances ({exc})") from None
    if d.ndim != 2:
        raise ParameterError(f"argument 'X': expected a 2-d distance matrix, got {d.ndim} dimensions")
    if d.shape[0] == 0:
        raise InputError("column 'X': has no rows")
    if d.shape[0] != d.shape[1]:
        raise ParameterError(
            f"argument 'X': metric='precomputed' needs a square n x n distance matrix, got shape {d.shape}"
        )
    codes = label_codes(labels)
    if len(codes) != d.shape[0]:
        raise ParameterError(f"argument 'labels': {len(codes)} labels for {d.shape[0]} rows of X")
    if d.dtype.kind == "f" and not np.isfinite(d).all():
        raise InputError(f"column 'X': {int((~np.isfinite(d)).sum())} missing or infinite distances")
    diag = np.abs(np.diagonal(d))
    tol = 100 * np.finfo(d.dtype).eps if d.dtype.kind == "f" else 0
    if (diag > tol).any():
        i = int(np.argmax(diag))
        raise InputError(
            f"column 'X': the precomputed distance matrix has non-zero elements on its diagonal "
            f"(X[{i}, {i}] = {d[i, i]!r}); a point is at distance 0 from itself: np.fill_diagonal(X, 0)"
        )
    if (d < 0).any():
        raise InputError(f"column 'X': {int((d < 0).sum())} negative distances; distances are >= 0")
    return np.asarray(d, dtype=np.float64), codes


def _check_n_labels(codes: np.ndarray) -> None:
    k, n = (int(codes.max()) + 1 if len(codes) else 0), len(codes)
    if not 1 < k < n:
        raise ParameterError(
            f"argument 'labels': {k} distinct labels for {n} rows; valid values are 2 to n - 1 (inclusive)"
        )


def _silhouette_precomputed(d: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Silhouettes from a full distance matrix: the row sums by cluster, in blocks of rows."""
    _check_n_labels(codes)
    n, sizes = len(codes), np.bincount(codes)
    order = np.argsort(codes, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    sums = np.empty((n, len(sizes)))
    step = max(1, SILHOUETTE_BLOCK_CELLS // n)
    for lo in range(0, n, step):
        sums[lo : lo + step] = np.add.reduceat(d[lo : lo + step][:, order], starts, axis=1)
    rows, own = np.arange(n), sizes[codes]
    several = own > 1
    a = np.zeros(n)
    a[several] = sums[rows, codes][several] / (own[several] - 1)  # d(i, i) = 0 is in the sum
    means = sums / sizes
    means[rows, codes] = np.inf
    b = means.min(axis=1)
    top = np.maximum(a, b)
    s = np.zeros(n)
    ok = several & (top > 0)  # a singleton's silhouette is 0, and so is 0 / 0
    s[ok] = (b[ok] - a[ok]) / top[ok]
    return s


@renamed(random_state="seed")
@check_args(sample_size=Integer(1, optional=True), seed=SEED)
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

    ``metric`` is ``"euclidean"`` or ``"manhattan"`` (sum of absolute differences; scikit-learn's
    aliases ``"l2"``, ``"cityblock"`` and ``"l1"`` too), both computed in the core from the
    points in X, or ``"precomputed"`` (X is the n x n matrix of distances, see
    :func:`silhouette_samples`).

    >>> round(silhouette_score([[0.0], [0.1], [5.0], [5.1]], [0, 0, 1, 1]), 4)
    0.98
    """
    _check_metric(metric)
    if metric == "precomputed":
        d, codes = _distances(X, labels)
        if sample_size is not None:
            idx = np.random.default_rng(seed).permutation(d.shape[0])[:sample_size]
            d, codes = d[np.ix_(idx, idx)], label_codes(codes[idx])
        return float(np.mean(_silhouette_precomputed(d, codes)))
    m, codes = _xl(X, labels)
    if sample_size is not None:
        rng = np.random.default_rng(seed)
        idx = rng.permutation(m.shape[0])[:sample_size]
        m, codes = np.ascontiguousarray(m[idx]), label_codes(codes[idx])
    which = "silhouette" if metric in ("euclidean", "l2") else f"silhouette_{metric}"
    return float(_core.internal_index(m, m.shape[0], m.shape[1], codes, which))


def silhouette_samples(X: Any, labels: Any, *, metric: str = "euclidean") -> np.ndarray:
    """The silhouette of every point (see :func:`silhouette_score`).

    >>> silhouette_samples([[0.0], [0.1], [5.0], [5.1]], [0, 0, 1, 1]).round(3).tolist()
    [0.98, 0.98, 0.98, 0.98]

    The point at 1.0 sits 1 from its cluster-mate and 4.05 on average from the other cluster:
    (4.05 - 1) / 4.05 = 0.753.

    >>> silhouette_samples([[0.0], [1.0], [5.0], [5.1]], [0, 0, 1, 1]).round(3).tolist()
    [0.802, 0.753, 0.978, 0.978]

    With ``metric="precomputed"``, X is the n x n matrix of distances (any dissimilarity:
    non-negative, finite, zero on the diagonal up to 100 machine epsilons, as scikit-learn
    requires; it is read row by row and need not be symmetric). It is computed in numpy with
    memory of the order of X itself; a scipy sparse matrix is densified, an absent entry
    being a distance of 0. The same points as above, as distances:

    >>> import numpy as np
    >>> x = np.array([0.0, 1.0, 5.0, 5.1])
    >>> D = np.abs(x[:, None] - x[None, :])
    >>> silhouette_samples(D, [0, 0, 1, 1], metric="precomputed").round(3).tolist()
    [0.802, 0.753, 0.978, 0.978]
    """
    _check_metric(metric)
    if metric == "precomputed":
        return _silhouette_precomputed(*_distances(X, labels))
    m, codes = _xl(X, labels)
    return _core.silhouette_samples(m, m.shape[0], m.shape[1], codes, metric).column(0).to_numpy()


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


def _pair(labels_true: Any, labels_pred: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Codes and coded labels of two labellings of the same rows, paired by position."""
    _check_positions(labels_true, labels_pred, "labels_true", "labels_pred")
    a, ua = _codes_uniques(labels_true, "labels_true")
    b, ub = _codes_uniques(labels_pred, "labels_pred")
    if len(a) != len(b):
        raise ParameterError(f"argument 'labels_pred': {len(b)} labels against {len(a)} in labels_true")
    return a, ua, b, ub


def agreement(labels_true: Any, labels_pred: Any, *, expected: bool = True) -> dict[str, Any]:
    """Every agreement statistic of two labellings from one contingency table (a dict)."""
    a, _, b, _ = _pair(labels_true, labels_pred)
    if len(a) == 0:
        raise InputError("column 'labels_true': has no rows")
    return dict(_core.agreement(a, b, expected))


#: contingency tables of more cells than this are counted sparsely in numpy (the core returns
#: every cell of the table, which for thousands of clusters on each side is too many)
DENSE_CELLS = 1 << 22


class _Table(NamedTuple):
    """The non-zero cells of a contingency table: row, column, count; and its shape."""

    rows: np.ndarray
    cols: np.ndarray
    counts: np.ndarray
    shape: tuple[int, int]

    def row_sums(self) -> np.ndarray:
        out = np.zeros(self.shape[0], dtype=np.int64)
        np.add.at(out, self.rows, self.counts)
        return out

    def col_sums(self) -> np.ndarray:
        out = np.zeros(self.shape[1], dtype=np.int64)
        np.add.at(out, self.cols, self.counts)
        return out


def _table(a: np.ndarray, b: np.ndarray) -> _Table:
    """The contingency table of two code vectors of equal length (classes in code order)."""
    if len(a) == 0:
        none = np.zeros(0, dtype=np.int64)
        return _Table(none, none, none, (0, 0))
    ka, kb = int(a.max()) + 1, int(b.max()) + 1
    if ka * kb <= DENSE_CELLS:
        dense = np.asarray(_core.agreement(a, b, False)["counts"], dtype=np.int64).reshape(ka, kb)
        i, j = np.nonzero(dense)
        return _Table(i.astype(np.int64), j.astype(np.int64), dense[i, j], (ka, kb))
    key, count = np.unique(a * kb + b, return_counts=True)
    return _Table(key // kb, key % kb, count.astype(np.int64), (ka, kb))


def _counts_of(values: np.ndarray) -> np.ndarray:
    """Cell values of a contingency table given by the caller, checked to be counts."""
    if values.dtype.kind == "b":
        values = values.astype(np.int64)
    if values.dtype.kind not in "iuf":
        try:
            values = values.astype(np.float64)
        except (TypeError, ValueError):
            raise InputError("argument 'contingency': cannot be read as counts") from None
    if values.dtype.kind == "f":
        bad = ~np.isfinite(values) | (values != np.round(values))
        if bad.any():
            raise InputError(
                f"argument 'contingency': holds {int(bad.sum())} values that are not whole numbers "
                f"(e.g. {values[bad][0]!r}); a contingency table holds counts"
            )
    if (values < 0).any():
        raise InputError(f"argument 'contingency': holds {int((values < 0).sum())} negative counts")
    return values.astype(np.int64)


def _table_of_matrix(contingency: Any) -> _Table:
    """A caller's contingency table: a 2-d array of counts (numpy, nested lists, scipy sparse)."""
    if _is_sparse(contingency):
        coo = contingency.tocoo(copy=True)
        coo.sum_duplicates()
        rows, cols, vals = np.asarray(coo.row), np.asarray(coo.col), _counts_of(np.asarray(coo.data))
        shape = (int(coo.shape[0]), int(coo.shape[1]))
    else:
        m = np.asarray(contingency)
        if m.ndim != 2:
            raise ParameterError(f"argument 'contingency': expected a 2-d table, got {m.ndim} dimensions")
        m = _counts_of(m)
        rows, cols = np.nonzero(m)
        vals, shape = m[rows, cols], (int(m.shape[0]), int(m.shape[1]))
    if 0 in shape:
        raise InputError(f"argument 'contingency': an empty table of shape {shape}")
    keep = vals != 0
    return _Table(rows[keep].astype(np.int64), cols[keep].astype(np.int64), vals[keep], shape)


def _independent(t: _Table) -> bool:
    """Whether the table is exactly the outer product of its margins (n n_ij = a_i b_j in every
    cell, in integers): its mutual information is then exactly 0, where the sum of logarithms
    leaves a residue of rounding (about 1e-16)."""
    n = int(t.counts.sum())
    ri, cj = t.row_sums(), t.col_sums()
    if n == 0 or len(t.counts) != int((ri > 0).sum()) * int((cj > 0).sum()):
        return False  # an empty cell between non-empty margins
    kind = np.int64 if n < 3_000_000_000 else object  # n^2 fits in int64
    lhs = t.counts.astype(kind) * n
    return bool((lhs == ri[t.rows].astype(kind) * cj[t.cols].astype(kind)).all())


def _table_of_agreement(s: dict[str, Any]) -> _Table:
    dense = np.asarray(s["counts"], dtype=np.int64).reshape(s["ka"], s["kb"])
    i, j = np.nonzero(dense)
    return _Table(i.astype(np.int64), j.astype(np.int64), dense[i, j], (int(s["ka"]), int(s["kb"])))


def _mutual_info(t: _Table) -> float:
    """MI in nats of a contingency table: 0 when either side has one class (one row or one
    column, as scikit-learn counts them: zero rows of a caller's table count) and when the
    table is exactly independent; otherwise terms below machine epsilon zeroed and the sum
    clipped at 0, as scikit-learn."""
    if t.shape[0] == 1 or t.shape[1] == 1:
        return 0.0
    n = int(t.counts.sum())
    if n == 0:
        raise InputError(
            "column 'labels_true': has no rows; the mutual information of an empty table is undefined"
        )
    if _independent(t):
        return 0.0
    ri, cj = t.row_sums()[t.rows], t.col_sums()[t.cols]
    terms = t.counts / n * (np.log(t.counts) + np.log(n) - np.log(ri) - np.log(cj))
    terms[np.abs(terms) < np.finfo(np.float64).eps] = 0.0
    return float(max(terms.sum(), 0.0))


def _sum_squares(v: np.ndarray) -> int:
    return int(np.dot(v, v))


def _sorted_rank(uniques: np.ndarray, name: str) -> np.ndarray:
    """Each coded label's position among the labels sorted as ``np.unique`` sorts them."""
    try:
        return np.asarray(np.unique(uniques, return_inverse=True)[1]).reshape(-1)
    except TypeError:
        raise InputError(f"column '{name}': labels of mixed types cannot be sorted into classes") from None


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


def _same_partition(s: dict[str, Any]) -> bool:
    """The two labellings split the points alike up to renaming (every non-empty row and
    column of the table holds one non-zero cell): MI = H(a) = H(b), so AMI is 1 exactly; the
    general formula is 0/0 there once E[MI] reaches H, as for two labellings into singletons."""
    counts = np.asarray(s["counts"]).reshape(s["ka"], s["kb"])
    nonzero = counts > 0
    return bool((nonzero.sum(axis=1) <= 1).all() and (nonzero.sum(axis=0) <= 1).all())


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
    if s["mutual_info"] == 0 or _independent(_table_of_agreement(s)):
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
    if _trivial(s) or _same_partition(s):
        return 1.0
    emi = s["expected_mutual_info"]
    den = _mean(*_entropies(s), average_method) - emi
    eps = np.finfo(np.float64).eps
    den = min(den, -eps) if den < 0 else max(den, eps)
    return float((s["mutual_info"] - emi) / den)


def _finite_non_negative(x: Any) -> bool:
    return isinstance(x, numbers.Real) and math.isfinite(float(x)) and float(x) >= 0


def _check_beta(beta: Any) -> float:
    if not _finite_non_negative(beta):
        raise ParameterError(
            f"argument 'beta': must be a finite number >= 0 (the weight of completeness against "
            f"homogeneity; 1 is the harmonic mean), got {beta!r}"
        )
    return float(beta)


def _v_measure(h: float, c: float, beta: float) -> float:
    if h + c == 0:
        return 0.0
    den = beta * h + c
    if den == 0:  # beta = 0 and completeness 0: the limit of V_beta as beta -> 0 is 0
        return 0.0
    return float((1 + beta) * h * c / den)


def homogeneity_completeness_v_measure(
    labels_true: Any, labels_pred: Any, *, beta: float = 1.0
) -> tuple[float, float, float]:
    """Homogeneity (each cluster holds one class), completeness (each class sits in one cluster)
    and their weighted harmonic mean, the V-measure V = (1 + beta) h c / (beta h + c)
    (Rosenberg & Hirschberg 2007, EMNLP-CoNLL). ``beta`` > 1 weights completeness more,
    ``beta`` < 1 homogeneity; ``beta = 0`` gives the homogeneity (and 0 where completeness is
    0, where scikit-learn divides by zero). ``beta`` must be finite and >= 0, as scikit-learn.

    Splitting class 1 over two clusters keeps every cluster pure (homogeneity 1) but leaves
    a third of the class entropy unexplained (completeness 1 - 0.5 / 1.5):

    >>> h, c, v = homogeneity_completeness_v_measure([0, 0, 1, 1], [0, 0, 1, 2])
    >>> round(h, 3), round(c, 3), round(v, 3)
    (1.0, 0.667, 0.8)

    With beta = 2, completeness counts twice: 3 x 1 x 2/3 / (2 + 2/3) = 0.75.

    >>> round(homogeneity_completeness_v_measure([0, 0, 1, 1], [0, 0, 1, 2], beta=2)[2], 3)
    0.75
    """
    beta = _check_beta(beta)
    if _both_empty(labels_true, labels_pred):
        return 1.0, 1.0, 1.0
    s = agreement(labels_true, labels_pred, expected=False)
    h, c = float(s["homogeneity"]), float(s["completeness"])
    if _independent(_table_of_agreement(s)):  # MI exactly 0: a side with one class keeps its 1
        h, c = (h if s["ka"] == 1 else 0.0), (c if s["kb"] == 1 else 0.0)
    return h, c, _v_measure(h, c, beta)


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


def v_measure_score(labels_true: Any, labels_pred: Any, *, beta: float = 1.0) -> float:
    """V-measure; see :func:`homogeneity_completeness_v_measure` (``beta`` as there).

    >>> v_measure_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> round(v_measure_score([0, 0, 1, 1], [0, 0, 1, 2]), 3)      # 2 x 1 x 0.667 / 1.667
    0.8
    >>> round(v_measure_score([0, 0, 1, 1], [0, 0, 1, 2], beta=0.5), 3)   # 1.5 x 0.667 / 1.167
    0.857
    """
    return homogeneity_completeness_v_measure(labels_true, labels_pred, beta=beta)[2]


def rand_score(labels_true: Any, labels_pred: Any) -> float:
    """Rand index (Rand 1971, JASA 66:846-850): the share of the n(n - 1) ordered pairs of
    distinct points that the two labellings treat alike (together in both, or apart in both),
    counted from the contingency table: pairs together in both = sum n_ij^2 - n, together in
    one only = sum a_i^2 + sum b_j^2 - 2 sum n_ij^2. Not adjusted for chance (see
    :func:`adjusted_rand_score`). Fewer than two points, and identical partitions, score 1, as
    in scikit-learn.

    Of the 12 ordered pairs, the two labellings disagree on the pair (2, 3) both ways:

    >>> round(rand_score([0, 0, 1, 2], [0, 0, 1, 1]), 4)     # 10 / 12
    0.8333
    >>> rand_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    a, _, b, _ = _pair(labels_true, labels_pred)
    n = len(a)
    pairs = n * (n - 1)
    if pairs == 0:
        return 1.0
    t = _table(a, b)
    both = _sum_squares(t.counts)
    disagree = (_sum_squares(t.row_sums()) - both) + (_sum_squares(t.col_sums()) - both)
    return float((pairs - disagree) / pairs)


def fowlkes_mallows_score(labels_true: Any, labels_pred: Any) -> float:
    """Fowlkes-Mallows index (Fowlkes & Mallows 1983, JASA 78:553-569): the geometric mean of
    pair precision and pair recall, TP / sqrt((TP + FP)(TP + FN)), with TP the pairs together in
    both labellings, TP + FP those together in ``labels_pred`` and TP + FN those together in
    ``labels_true``. 0 when no pair is together in both, so also for empty labellings and a
    single point, as in scikit-learn.

    >>> fowlkes_mallows_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0

    Together in both: 1 pair of 3 together in ``labels_pred`` and of 2 in ``labels_true``,
    so 1 / sqrt(3 x 2):

    >>> round(fowlkes_mallows_score([0, 0, 1, 1, 2], [0, 0, 0, 1, 2]), 4)
    0.4082
    """
    a, _, b, _ = _pair(labels_true, labels_pred)
    n = len(a)
    t = _table(a, b)
    together = _sum_squares(t.counts) - n  # ordered pairs: every count here is doubled
    if together == 0:
        return 0.0
    precision = together / (_sum_squares(t.col_sums()) - n)
    recall = together / (_sum_squares(t.row_sums()) - n)
    return float(np.sqrt(precision) * np.sqrt(recall))


def mutual_info_score(labels_true: Any, labels_pred: Any, *, contingency: Any = None) -> float:
    """Mutual information in nats (natural logarithm, as scikit-learn):
    MI = sum_ij (n_ij / n) log(n n_ij / (a_i b_j)), over the cells of the contingency table.

    ``contingency`` takes the table itself (a 2-d array of counts, nested lists or a scipy
    sparse matrix, e.g. from :func:`contingency_matrix`), and then the labels are ignored, as in
    scikit-learn. A labelling with one class (a table with one row or one column) has MI
    exactly 0. Differences from scikit-learn, where it has no answer: empty labellings and a
    table of zeros raise :class:`InputError` (scikit-learn fails with "math domain error"), and so
    does a table with negative or fractional entries (scikit-learn gives NaN, or truncates
    fractions to integers).

    >>> round(mutual_info_score([0, 0, 1, 1], [1, 1, 0, 0]), 4)      # log 2
    0.6931
    >>> mutual_info_score([0, 0, 1, 1], [0, 1, 0, 1])                # independent
    0.0
    >>> round(mutual_info_score(None, None, contingency=[[2, 0], [0, 2]]), 4)
    0.6931
    """
    if contingency is not None:
        return _mutual_info(_table_of_matrix(contingency))
    a, _, b, _ = _pair(labels_true, labels_pred)
    return _mutual_info(_table(a, b))


def contingency_matrix(
    labels_true: Any,
    labels_pred: Any,
    *,
    eps: float | None = None,
    sparse: bool = False,
    dtype: Any = np.int64,
) -> Any:
    """The contingency table C, C[i, j] the number of rows in class i of ``labels_true`` and
    class j of ``labels_pred``, classes in sorted order (as ``np.unique`` sorts them), as
    scikit-learn. ``eps`` (a number >= 0) is added to every cell, turning counts into floats
    (``dtype`` then serves only the counts); ``sparse=True`` returns a scipy.sparse CSR matrix
    (scipy is needed for it, and cannot be combined with ``eps``). Empty labellings give a
    0 x 0 table.

    >>> contingency_matrix(["b", "a", "b", "c"], [1, 1, 2, 2])
    array([[1, 0],
           [1, 1],
           [0, 1]])
    >>> contingency_matrix([0, 0, 1], [0, 1, 1], eps=0.5)
    array([[1.5, 1.5],
           [0.5, 1.5]])
    """
    if not isinstance(sparse, bool | np.bool_):
        raise ParameterError(f"argument 'sparse': must be True or False, got {sparse!r}")
    if eps is not None:
        if not _finite_non_negative(eps):
            raise ParameterError(f"argument 'eps': must be a finite number >= 0 or None, got {eps!r}")
        if sparse:
            raise ParameterError("argument 'eps': cannot be set when sparse=True (it would fill every cell)")
    a, ua, b, ub = _pair(labels_true, labels_pred)
    t = _table(a, b)
    rows = _sorted_rank(ua, "labels_true")[t.rows] if len(a) else t.rows
    cols = _sorted_rank(ub, "labels_pred")[t.cols] if len(a) else t.cols
    if sparse:
        try:
            import scipy.sparse
        except ImportError:
            raise ParameterError(
                "argument 'sparse': sparse=True returns a scipy.sparse matrix, and scipy is not "
                "installed; install scipy, or pass sparse=False for a numpy array"
            ) from None
        return scipy.sparse.csr_matrix((t.counts.astype(dtype), (rows, cols)), shape=t.shape)
    out = np.zeros(t.shape, dtype=dtype)
    out[rows, cols] = t.counts
    return out if eps is None else out + eps


def entropy(labels: Any) -> float:
    """Shannon entropy of a labelling in nats, H = -sum_k p_k log p_k over the class shares
    (natural logarithm). As scikit-learn's ``sklearn.metrics.cluster.entropy`` (deprecated
    there since 1.8): 0 for one class, and 1.0 for an empty labelling (by convention, so
    that homogeneity and completeness of empty labellings are 1). Missing labels are refused
    (scikit-learn counts each NaN as a class of its own).

    >>> round(entropy([0, 0, 1, 1]), 4)      # log 2
    0.6931
    >>> entropy(["a", "a", "a"]), entropy([])
    (0.0, 1.0)
    """
    codes, _ = _codes_uniques(labels, "labels")
    n = len(codes)
    if n == 0:
        return 1.0
    counts = np.bincount(codes)
    if len(counts) == 1:
        return 0.0
    return float(-np.sum(counts / n * (np.log(counts) - np.log(n))))


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
    "rand_score",
    "fowlkes_mallows_score",
    "mutual_info_score",
    "contingency_matrix",
    "entropy",
]
