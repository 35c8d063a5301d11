"""scikit-learn estimators over customervalue's Rust clustering core.

``KMeans``, ``MiniBatchKMeans``, ``KPrototypes`` and ``GaussianMixture`` follow scikit-learn's
estimator protocol: ``fit`` returns the estimator, learned attributes end in ``_``,
``get_params``/``set_params`` come from the constructor, and they pass scikit-learn's
``check_estimator``; so ``clone``, ``Pipeline`` (after a scaler) and ``GridSearchCV`` work. The
work is done by the same Rust core as :func:`customervalue.cluster`: greedy k-means++ starts and
Lloyd iterations with Hamerly bounds, mini-batch k-means (Sculley 2010), k-prototypes (Huang
1998) and a full-covariance Gaussian mixture fitted by EM (linfa).

scikit-learn
    This module needs scikit-learn 1.6 or later, which customervalue itself does not install:
    importing ``customervalue.sklearn`` without it raises an ImportError that says
    ``pip install scikit-learn``. The estimators subclass ``sklearn.base.BaseEstimator`` and its
    mixins, because ``clone``, tags, ``set_output`` and the meta-estimators rely on those classes
    and not on duck typing; a look-alike without scikit-learn would half work. Nothing else in
    customervalue imports this module, so the package runs without scikit-learn.

Names
    These are scikit-learn twins, so they keep scikit-learn's parameter names (``n_clusters``,
    ``n_components``, ``n_init``, ``max_iter``, ``tol``, ``batch_size``, ``random_state``), as
    ``cv.metrics`` keeps scikit-learn's signatures. The vocabulary's ``seed`` governs
    customervalue's own functions; a twin that renamed ``random_state`` would break every
    ``GridSearchCV`` grid, ``set_params`` call and script written for scikit-learn.

``random_state``
    scikit-learn's semantics: an int seeds the core directly (``KMeans(random_state=0)`` gives
    the same centres as ``cv.cluster(..., standardize=False, seed=0)``, and the same result on
    any number of threads); ``None`` (the default, as in scikit-learn) draws the seed from
    NumPy's global generator, so results vary between fits unless ``np.random.seed`` was set;
    a ``np.random.RandomState`` instance draws the seed from that instance.

Differences from scikit-learn
    Starts are always greedy k-means++ (no ``init=``), and there is no ``sample_weight``,
    ``partial_fit``, ``verbose`` or ``copy_x``. ``n_init="auto"`` means one start, as
    scikit-learn's rule for k-means++. ``GaussianMixture`` fits full covariances only, with the
    core's fixed EM settings (tolerance 1e-3 on the per-sample lower bound, at most 300
    iterations, 1e-6 added to the covariance diagonals, a k-means start), so it has no ``tol``,
    ``max_iter``, ``reg_covar``, ``init_params``, ``warm_start`` or ``n_iter_``; a fit that does
    not converge raises :class:`customervalue.ConvergenceError` rather than warning. Labels are
    int32, as scikit-learn's.

Errors
    Bad data raise :class:`customervalue.InputError` and bad arguments
    :class:`customervalue.ParameterError`, both ``ValueError`` subclasses, with scikit-learn's
    wording where its checks look for it (``"X has 3 features, but KMeans is expecting 4
    features as input"``); NaN and infinity name the column. An estimator used before ``fit``
    raises :class:`NotFittedError`, which is both scikit-learn's and customervalue's
    ``NotFittedError``.

Examples
--------
>>> import numpy as np
>>> from sklearn.pipeline import make_pipeline
>>> from sklearn.preprocessing import StandardScaler
>>> from customervalue.sklearn import KMeans
>>> X = np.array([[1.0, 2.0], [1.2, 1.9], [0.9, 2.1], [8.0, 9.0], [8.2, 9.1], [7.9, 8.8]])
>>> km = KMeans(n_clusters=2, random_state=0).fit(X)
>>> sorted(np.bincount(km.labels_).tolist()), km.cluster_centers_.shape
([3, 3], (2, 2))
>>> pipe = make_pipeline(StandardScaler(), KMeans(2, random_state=0)).fit(X)
>>> bool(pipe.predict([[1.1, 2.0]])[0] == pipe.predict(X[:1])[0])
True
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

import numpy as np
import pandas as pd

try:
    from sklearn.base import (
        BaseEstimator,
        ClassNamePrefixFeaturesOutMixin,
        ClusterMixin,
        DensityMixin,
        TransformerMixin,
    )
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.exceptions import NotFittedError as _SklearnNotFittedError
    from sklearn.utils import check_random_state
    from sklearn.utils.validation import validate_data
except ImportError as _err:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "customervalue.sklearn needs scikit-learn 1.6 or later, which customervalue does not "
        f"install: pip install scikit-learn (--upgrade if an older one is installed; the import "
        f"failed with: {_err})"
    ) from _err

from . import _core
from ._checks import as_int
from .errors import ConvergenceError, CustomerValueError, InputError, ParameterError
from .errors import NotFittedError as _CvNotFittedError

__all__ = ["KMeans", "MiniBatchKMeans", "KPrototypes", "GaussianMixture", "NotFittedError"]


class NotFittedError(_CvNotFittedError, _SklearnNotFittedError):
    """An estimator used before ``fit()``: both customervalue's and scikit-learn's
    ``NotFittedError`` (so also a ``ValueError`` and an ``AttributeError``).

    Examples
    --------
    >>> from customervalue.sklearn import KMeans
    >>> KMeans(2).predict([[0.0, 1.0]])
    Traceback (most recent call last):
        ...
    customervalue.sklearn.NotFittedError: KMeans is not fitted yet; call fit() first
    """


# ---- checks shared by the estimators --------------------------------------------------------


def _check_fitted(est: Any, attribute: str) -> None:
    if not hasattr(est, attribute):
        raise NotFittedError(f"{type(est).__name__} is not fitted yet; call fit() first")


def _validated(est: Any, X: Any, *, reset: bool, **check: Any) -> Any:
    """``validate_data`` with its ValueErrors raised as InputError (same message)."""
    try:
        return validate_data(est, X, reset=reset, **check)
    except CustomerValueError:
        raise
    except ValueError as err:
        raise InputError(str(err)) from err


def _column(est: Any, j: int) -> str:
    names = getattr(est, "feature_names_in_", None)
    return f"'{names[j]}'" if names is not None and j < len(names) else str(j)


def _check_finite(est: Any, X: np.ndarray, columns: np.ndarray | None = None) -> None:
    """InputError naming the first column holding NaN or infinity (``columns`` maps the
    columns of ``X`` to the input's)."""
    bad = ~np.isfinite(X)
    if not bad.any():
        return
    j = int(np.flatnonzero(bad.any(axis=0))[0])
    col = _column(est, int(columns[j]) if columns is not None else j)
    nan = int(np.isnan(X[:, j]).sum())
    what, count = ("NaN", nan) if nan else ("infinity", int(bad[:, j].sum()))
    raise InputError(
        f"column {col}: {count} {what} value{'s' if count > 1 else ''}; input X contains {what}, "
        f"which {type(est).__name__} does not accept: impute the missing values (for example with "
        "sklearn.impute.SimpleImputer in the pipeline) or drop those rows"
    )


def _numeric_X(est: Any, X: Any, *, reset: bool, ensure_min_samples: int = 1) -> np.ndarray:
    """X as a C-contiguous float64 matrix, its shape and feature names checked (and recorded
    when ``reset``), every value finite."""
    X = _validated(
        est,
        X,
        reset=reset,
        dtype=np.float64,
        order="C",
        ensure_all_finite=False,
        ensure_min_samples=ensure_min_samples,
    )
    _check_finite(est, X)
    return np.ascontiguousarray(X, dtype=np.float64)


def _integer(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        what = "a positive integer" if low == 1 else f"an integer >= {low}"
        raise ParameterError(f"argument '{name}': must be {what}, got {value!r}")
    return as_int(name, value, low=low)  # and at most what the core takes (2**63 - 1)


def _n_init(value: Any) -> int:
    """``n_init``: a positive integer, or ``"auto"`` (one start: the starts are k-means++,
    for which scikit-learn's ``"auto"`` also means one)."""
    if isinstance(value, str) and value == "auto":
        return 1
    return _integer("n_init", value, 1)


def _clusters(value: Any, n: int, name: str = "n_clusters") -> int:
    k = _integer(name, value, 1)
    if k > n:
        raise ParameterError(f"argument '{name}': n_samples={n} should be >= {name}={k}")
    return k


def _seed(random_state: Any) -> int:
    """The core's seed from scikit-learn's ``random_state``: an int is the seed; ``None`` draws
    it from NumPy's global generator and a RandomState from that generator."""
    if random_state is None or isinstance(random_state, np.random.RandomState):
        return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        seed = int(random_state)
        if not 0 <= seed < 2**64:
            raise ParameterError(f"argument 'random_state': must be in [0, 2**64), got {seed}")
        return seed
    raise ParameterError(
        "argument 'random_state': must be None, an int or a numpy.random.RandomState, "
        f"got {type(random_state).__name__}"
    )


def _start_seed(seed: int, i: int) -> int:
    """The seed of start ``i``: ``seed`` itself for the first, then independent streams."""
    return seed if i == 0 else int(np.random.SeedSequence([seed, i]).generate_state(1, np.uint64)[0])


def _labels(table: Any) -> np.ndarray:
    return np.asarray(table.column(0).to_numpy(), dtype=np.int32)


def _sq_distances(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """n x k squared Euclidean distances, one centre at a time (exact, no n x k x d array)."""
    out = np.empty((X.shape[0], centers.shape[0]))
    for j, c in enumerate(centers):
        diff = X - c
        out[:, j] = np.einsum("ij,ij->i", diff, diff)
    return out


def _warn_distinct(labels: np.ndarray, k: int) -> None:
    found = len(np.unique(labels))
    if found < k:
        warnings.warn(
            f"Number of distinct clusters ({found}) found smaller than n_clusters ({k}). "
            "Possibly due to duplicate points in X.",
            ConvergenceWarning,
            stacklevel=3,
        )


# ---- the k-means family ---------------------------------------------------------------------


class _CentroidMixin(ClassNamePrefixFeaturesOutMixin, TransformerMixin, ClusterMixin):
    """predict, transform and score of a fitted nearest-centre clustering."""

    cluster_centers_: np.ndarray

    @property
    def _n_features_out(self) -> int:
        return int(self.cluster_centers_.shape[0])

    def predict(self, X: Any) -> np.ndarray:
        """The index of the nearest centre of each row of ``X`` (int32)."""
        _check_fitted(self, "cluster_centers_")
        X = _numeric_X(self, X, reset=False)
        n, d = X.shape
        return _labels(_core.kmeans_predict(X, n, d, self.cluster_centers_.ravel().tolist()))

    def transform(self, X: Any) -> np.ndarray:
        """Euclidean distances of each row of ``X`` to every centre, n x n_clusters."""
        _check_fitted(self, "cluster_centers_")
        X = _numeric_X(self, X, reset=False)
        return np.sqrt(_sq_distances(X, self.cluster_centers_))

    def score(self, X: Any, y: Any = None) -> float:
        """Minus the k-means objective on ``X``: -sum of squared distances to the nearest
        centre (higher is better, as scikit-learn's)."""
        _check_fitted(self, "cluster_centers_")
        X = _numeric_X(self, X, reset=False)
        return -float(_sq_distances(X, self.cluster_centers_).min(axis=1).sum())


class KMeans(_CentroidMixin, BaseEstimator):
    """k-means clustering: the minimum of the within-cluster sum of squares
    sum_i ||x_i - c_{l(i)}||^2 (Lloyd 1982), from greedy k-means++ starts (Arthur &
    Vassilvitskii 2007, as scikit-learn draws them) with Hamerly (2010) bounds, in Rust.

    Parameters
    ----------
    n_clusters : int, default 8
        The number of clusters.
    n_init : int or "auto", default "auto"
        Seeded starts; the best by inertia is kept. ``"auto"`` is one start (scikit-learn's
        rule for k-means++ starts).
    max_iter : int, default 300
        Lloyd iterations per start at most.
    tol : float, default 1e-4
        Stop when the squared centre movement summed over centres is at most ``tol`` times the
        mean feature variance (scikit-learn's rule), or when no label changes.
    random_state : int, RandomState or None, default None
        An int seeds the starts; None draws the seed from NumPy's global generator, as
        scikit-learn does (see the module's docstring).

    Attributes
    ----------
    cluster_centers_ : ndarray (n_clusters, n_features)
    labels_ : ndarray (n_samples,), int32
    inertia_ : float
        Sum of squared distances to the nearest centre.
    n_iter_ : int
        Iterations of the best start.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        When X had string column names (a DataFrame).

    Examples
    --------
    >>> import numpy as np
    >>> from customervalue.sklearn import KMeans
    >>> X = np.array([[1.0, 1.0], [1.5, 2.0], [8.0, 8.0], [8.5, 9.0]])
    >>> km = KMeans(n_clusters=2, n_init=5, random_state=0).fit(X)
    >>> bool(km.labels_[0] == km.labels_[1]) and bool(km.labels_[0] != km.labels_[2])
    True
    >>> round(km.inertia_, 3), round(km.score(X), 3)
    (1.25, -1.25)
    >>> km.transform(X).shape
    (4, 2)
    """

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        n_init: int | str = "auto",
        max_iter: int = 300,
        tol: float = 1e-4,
        random_state: Any = None,
    ) -> None:
        self.n_clusters = n_clusters
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None) -> KMeans:
        """Fits the centres to ``X`` (n_samples x n_features; ``y`` is ignored)."""
        X = _numeric_X(self, X, reset=True)
        n, d = X.shape
        k = _clusters(self.n_clusters, n)
        n_init = _n_init(self.n_init)
        max_iter = _integer("max_iter", self.max_iter, 1)
        tol = self.tol
        if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not tol >= 0:
            raise ParameterError(f"argument 'tol': must be a non-negative number, got {tol!r}")
        r = _core.kmeans(
            X,
            n,
            d,
            k,
            n_init=n_init,
            max_iter=max_iter,
            tol=float(tol),
            seed=_seed(self.random_state),
            progress=None,
        )
        self.cluster_centers_ = np.asarray(r["centers"], dtype=np.float64).reshape(k, d)
        self.labels_ = _labels(r["labels"])
        self.inertia_ = float(r["inertia"])
        self.n_iter_ = int(r["n_iter"])
        _warn_distinct(self.labels_, k)
        return self


class MiniBatchKMeans(_CentroidMixin, BaseEstimator):
    """Mini-batch k-means (Sculley 2010): the k-means objective minimised from random batches,
    each centre moving towards its batch points with learning rate 1 / (points it has seen),
    seeded by greedy k-means++ on a subsample, stopped when the smoothed batch inertia stops
    improving; labels and inertia are those of the final centres over every row.

    Parameters
    ----------
    n_clusters : int, default 8
    max_iter : int, default 100
        Passes over the data at most (a pass is n_samples / batch_size batches).
    batch_size : int, default 1024
        Rows per batch (at most n_samples).
    random_state : int, RandomState or None, default None
        As :class:`KMeans`.
    max_no_improvement : int or None, default 10
        Stop after this many batches without improvement of the smoothed batch inertia;
        None never stops early.
    n_init : int or "auto", default "auto"
        k-means++ starts on the seeding subsample, the best by its inertia; "auto" is one.
    reassignment_ratio : float in [0, 1), default 0.01
        A centre that has seen fewer than this share of the busiest centre's points is moved
        to a far batch point.

    Attributes
    ----------
    cluster_centers_, labels_, inertia_, n_features_in_, feature_names_in_
        As :class:`KMeans`.
    n_iter_ : int
        Passes over the data (batches x batch size / n_samples, rounded up).
    n_steps_ : int
        Batches processed.

    Examples
    --------
    >>> import numpy as np
    >>> from customervalue.sklearn import MiniBatchKMeans
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(1, 0.3, (100, 2)), rng.normal(5, 0.3, (100, 2))])
    >>> mbk = MiniBatchKMeans(n_clusters=2, batch_size=32, random_state=0).fit(X)
    >>> np.round(np.sort(mbk.cluster_centers_[:, 0])).tolist()
    [1.0, 5.0]
    """

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        max_iter: int = 100,
        batch_size: int = 1024,
        random_state: Any = None,
        max_no_improvement: int | None = 10,
        n_init: int | str = "auto",
        reassignment_ratio: float = 0.01,
    ) -> None:
        self.n_clusters = n_clusters
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.random_state = random_state
        self.max_no_improvement = max_no_improvement
        self.n_init = n_init
        self.reassignment_ratio = reassignment_ratio

    def fit(self, X: Any, y: Any = None) -> MiniBatchKMeans:
        """Fits the centres to ``X`` (``y`` is ignored)."""
        X = _numeric_X(self, X, reset=True)
        n, d = X.shape
        k = _clusters(self.n_clusters, n)
        n_init = _n_init(self.n_init)
        max_iter = _integer("max_iter", self.max_iter, 1)
        batch = _integer("batch_size", self.batch_size, 1)
        ratio = self.reassignment_ratio
        if isinstance(ratio, bool) or not isinstance(ratio, numbers.Real) or not 0 <= ratio < 1:
            raise ParameterError(f"argument 'reassignment_ratio': must be in [0, 1), got {ratio!r}")
        b = min(batch, n)
        steps = max_iter * math.ceil(n / b)
        patience = (
            steps + 1
            if self.max_no_improvement is None
            else _integer("max_no_improvement", self.max_no_improvement, 0)
        )
        r = _core.minibatch_kmeans(
            X,
            n,
            d,
            k,
            batch_size=batch,
            max_iter=max_iter,
            n_init=n_init,
            max_no_improvement=min(patience, steps + 1),
            reassignment_ratio=float(ratio),
            seed=_seed(self.random_state),
            progress=None,
        )
        self.cluster_centers_ = np.asarray(r["centers"], dtype=np.float64).reshape(k, d)
        self.labels_ = _labels(r["labels"])
        self.inertia_ = float(r["inertia"])
        self.n_steps_ = int(r["n_iter"])
        self.n_iter_ = math.ceil(self.n_steps_ * b / n)
        _warn_distinct(self.labels_, k)
        return self


# ---- k-prototypes ---------------------------------------------------------------------------


def _levels(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a categorical column (by type name, then text, when the
    values do not compare), as an object array."""
    uniq = list(pd.unique(pd.Series(values, dtype=object)))
    try:
        uniq = sorted(uniq)
    except TypeError:
        uniq = sorted(uniq, key=lambda v: (type(v).__name__, str(v)))
    out = np.empty(len(uniq), dtype=object)
    out[:] = uniq
    return out


def _is_number(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_)


def _numeric_or_missing(v: Any) -> bool:
    """A number or a missing marker (None, pd.NA): what a numeric column of an object array holds."""
    return _is_number(v) or v is None or v is pd.NA


def _is_infinite(v: Any) -> bool:
    return isinstance(v, float | np.floating) and math.isinf(v)


class KPrototypes(ClassNamePrefixFeaturesOutMixin, TransformerMixin, ClusterMixin, BaseEstimator):
    """k-prototypes for mixed numeric and categorical columns (Huang 1998): the dissimilarity
    of a row to a prototype is the squared Euclidean distance over the numeric columns plus
    ``gamma`` times the number of categorical columns on which they differ; prototypes are
    numeric means and categorical modes; ``n_init`` seeded random starts, the lowest total cost
    kept. Scale the numeric columns first (a ``ColumnTransformer`` with a scaler that passes
    the categorical columns through), as ``gamma`` is in their squared units.

    Parameters
    ----------
    n_clusters : int, default 8
    categorical : list of int or str, boolean mask, or None, default None
        The categorical columns, by position, by name (X a DataFrame) or as a mask. None takes
        them from the data: the columns of a DataFrame whose dtype is not numeric (object,
        string, category, bool), or the columns of an array that hold anything but numbers. A
        constructor parameter (as scikit-learn's ``HistGradientBoosting*(categorical_features=)``,
        not kmodes' ``fit(X, categorical=)``), so ``clone``, ``Pipeline``, ``GridSearchCV`` and
        ``cross_validate`` carry it without routing fit parameters, and predict knows it.
    gamma : float or None, default None
        The weight of a categorical mismatch; None is half the mean standard deviation of the
        numeric columns (Huang's suggestion and kmodes' default), or 0.5 when there are none
        or they are constant.
    n_init : int, default 10
        Random starts (kmodes' default; scikit-learn's "auto" is 10 for random starts).
    max_iter : int, default 100
    random_state : int, RandomState or None, default None
        As :class:`KMeans`.

    Attributes
    ----------
    cluster_centers_ : ndarray (n_clusters, n_features), object
        The prototypes in the input's column order: numeric means and categorical modes (the
        modes as the input's values).
    labels_ : ndarray (n_samples,), int32
    inertia_ : float
        Total dissimilarity of the rows to their prototypes (``cost_`` in kmodes, also set).
    n_iter_ : int
    gamma_ : float
    categorical_ : ndarray of int
        Positions of the categorical columns.
    categories_ : list of ndarray
        The levels of each categorical column, sorted; a level not seen in fit matches no mode.
    n_features_in_, feature_names_in_

    ``transform`` gives the square root of the dissimilarity to each prototype (with no
    categorical mismatch it is the Euclidean distance, as in :class:`KMeans`), and ``score``
    minus the total dissimilarity.

    Examples
    --------
    >>> import pandas as pd
    >>> from customervalue.sklearn import KPrototypes
    >>> X = pd.DataFrame({"spend": [1.0, 1.2, 0.8, 5.0, 5.3, 4.9],
    ...                   "channel": ["web", "web", "web", "store", "store", "web"]})
    >>> kp = KPrototypes(n_clusters=2, random_state=0).fit(X)
    >>> kp.categorical_.tolist(), kp.labels_.tolist() in ([0, 0, 0, 1, 1, 1], [1, 1, 1, 0, 0, 0])
    ([1], True)
    >>> sorted(kp.cluster_centers_[:, 1].tolist())
    ['store', 'web']
    """

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        categorical: Any = None,
        gamma: float | None = None,
        n_init: int = 10,
        max_iter: int = 100,
        random_state: Any = None,
    ) -> None:
        self.n_clusters = n_clusters
        self.categorical = categorical
        self.gamma = gamma
        self.n_init = n_init
        self.max_iter = max_iter
        self.random_state = random_state

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags

    @property
    def _n_features_out(self) -> int:
        return int(self.cluster_centers_.shape[0])

    # -- reading mixed data

    def _resolve_categorical(self, X: Any, A: np.ndarray) -> np.ndarray:
        d = A.shape[1]
        spec = self.categorical
        if spec is None:
            dtypes = getattr(X, "dtypes", None)
            if isinstance(X, pd.DataFrame) and dtypes is not None:
                return np.array(
                    [
                        j
                        for j, t in enumerate(dtypes)
                        if not pd.api.types.is_numeric_dtype(t) or pd.api.types.is_bool_dtype(t)
                    ],
                    dtype=np.intp,
                )
            if A.dtype != object:
                return np.array([j for j in range(d) if A.dtype.kind in "bOUS"], dtype=np.intp)
            return np.array(
                [j for j in range(d) if not all(map(_numeric_or_missing, A[:, j]))], dtype=np.intp
            )
        if isinstance(spec, str) or not hasattr(spec, "__iter__"):
            raise ParameterError(
                f"argument 'categorical': give a list of column positions or names, or a boolean "
                f"mask, got {spec!r}"
            )
        items = list(spec)
        if items and all(isinstance(v, bool | np.bool_) for v in items):
            if len(items) != d:
                raise ParameterError(
                    f"argument 'categorical': a boolean mask needs one value per column ({d}), "
                    f"got {len(items)}"
                )
            return np.flatnonzero(items).astype(np.intp)
        names = getattr(self, "feature_names_in_", None)
        out = []
        for v in items:
            if isinstance(v, str):
                if names is None or v not in list(names):
                    known = ", ".join(map(str, names)) if names is not None else "none (X has no names)"
                    raise ParameterError(f"argument 'categorical': column '{v}' not found; X has {known}")
                out.append(list(names).index(v))
            elif isinstance(v, numbers.Integral) and not isinstance(v, bool) and 0 <= int(v) < d:
                out.append(int(v))
            else:
                raise ParameterError(
                    f"argument 'categorical': {v!r} is neither a column name nor a position in [0, {d})"
                )
        if len(set(out)) != len(out):
            raise ParameterError(f"argument 'categorical': a column is listed twice in {items!r}")
        return np.array(sorted(out), dtype=np.intp)

    def _split(self, X: Any, *, reset: bool) -> tuple[np.ndarray, np.ndarray]:
        """The numeric part (float64, finite) and the categorical codes (-1: a level not seen
        in fit) of X."""
        A = _validated(self, X, reset=reset, dtype=None, ensure_all_finite=False)
        d = A.shape[1]
        if reset:
            cat = self._resolve_categorical(X, A)
            if len(cat) == 0:
                raise ParameterError(
                    "argument 'categorical': k-prototypes needs at least one categorical column; "
                    "name them with categorical=[...] (positions or names), or use KMeans for "
                    "numeric data"
                )
            self.categorical_ = cat
        cat = self.categorical_
        num = np.setdiff1d(np.arange(d), cat)
        Xn = np.empty((A.shape[0], len(num)), dtype=np.float64)
        for t, j in enumerate(num):
            try:
                Xn[:, t] = A[:, j]
            except (TypeError, ValueError):
                # missing markers (None, pd.NA) become NaN, reported below; text is refused
                values = pd.Series(A[:, j], dtype=object)
                parsed = pd.to_numeric(values, errors="coerce")
                text = (parsed.isna() & values.notna()).to_numpy()
                if text.any():
                    raise InputError(
                        f"column {_column(self, int(j))}: holds non-numeric values such as "
                        f"{values[text].iloc[0]!r}; list it in categorical= or encode it"
                    ) from None
                Xn[:, t] = parsed.to_numpy(dtype=np.float64, na_value=np.nan)
        _check_finite(self, Xn, num)
        codes = np.empty((A.shape[0], len(cat)), dtype=np.int64)
        if reset:
            self.categories_ = []
        for t, j in enumerate(cat):
            col = np.asarray(A[:, j], dtype=object)
            values = pd.Series(col, dtype=object)
            missing = values.isna().to_numpy()
            infinite = values.map(_is_infinite).to_numpy(dtype=bool)
            if missing.any() or infinite.any():
                what, count = ("NaN", int(missing.sum())) if missing.any() else ("inf", int(infinite.sum()))
                raise InputError(
                    f"column {_column(self, int(j))}: {count} {what} value{'s' if count > 1 else ''} "
                    f"in a categorical column; input X contains {what}, which KPrototypes does "
                    "not accept: impute or drop those rows"
                )
            if reset:
                self.categories_.append(_levels(col))
            codes[:, t] = pd.Index(self.categories_[t]).get_indexer(pd.Index(col, dtype=object))
        return Xn, codes

    def _dissimilarity(self, Xn: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """n x k: squared distance over numeric columns + gamma x categorical mismatches."""
        out = _sq_distances(Xn, self._centers_num) if Xn.shape[1] else np.zeros((len(Xn), self._k))
        for j in range(self._k):
            out[:, j] += self.gamma_ * (codes != self._modes[j]).sum(axis=1)
        return out

    # -- the estimator

    def fit(self, X: Any, y: Any = None, categorical: Any = None) -> KPrototypes:
        """Fits the prototypes to ``X`` (``y`` is ignored). ``categorical=`` belongs to the
        constructor; it is accepted here only to say so to kmodes users."""
        if categorical is not None:
            raise TypeError(
                "KPrototypes takes the categorical columns in its constructor, "
                "KPrototypes(categorical=[...]), so that clone, Pipeline and GridSearchCV carry "
                "them; fit(X, categorical=...) is kmodes' spelling"
            )
        Xn, codes = self._split(X, reset=True)
        n, dn = Xn.shape
        k = _clusters(self.n_clusters, n)
        n_init = _integer("n_init", self.n_init, 1)
        max_iter = _integer("max_iter", self.max_iter, 1)
        if self.gamma is None:
            spread = float(np.mean(Xn.std(axis=0))) if dn else 0.0
            gamma = 0.5 * spread if spread > 0 else 0.5
        else:
            gamma = self.gamma
            if isinstance(gamma, bool) or not isinstance(gamma, numbers.Real) or not 0 <= gamma < np.inf:
                raise ParameterError(f"argument 'gamma': must be a non-negative number, got {gamma!r}")
        r = _core.kprototypes(
            Xn if dn else np.zeros(0),
            dn,
            np.ascontiguousarray(codes),
            codes.shape[1],
            [len(lv) for lv in self.categories_],
            n,
            k,
            float(gamma),
            n_init=n_init,
            max_iter=max_iter,
            seed=_seed(self.random_state),
        )
        self.gamma_ = float(gamma)
        self._k = k
        self._centers_num = np.asarray(r["centers_num"], dtype=np.float64).reshape(k, dn)
        self._modes = np.asarray(r["centers_cat"], dtype=np.int64).reshape(k, codes.shape[1])
        d = dn + codes.shape[1]
        centers = np.empty((k, d), dtype=object)
        num = np.setdiff1d(np.arange(d), self.categorical_)
        for t, j in enumerate(num):
            centers[:, j] = self._centers_num[:, t]
        for t, j in enumerate(self.categorical_):
            centers[:, j] = self.categories_[t][self._modes[:, t]]
        self.cluster_centers_ = centers
        self.labels_ = _labels(r["labels"])
        self.inertia_ = self.cost_ = float(r["cost"])
        self.n_iter_ = int(r["n_iter"])
        if self.n_iter_ >= max_iter:
            # stopped by max_iter after a prototype update: label by the final prototypes, as
            # predict does, so labels_, inertia_ and predict(X) agree
            dis = self._dissimilarity(Xn, codes)
            self.labels_ = np.asarray(dis.argmin(axis=1), dtype=np.int32)
            self.inertia_ = self.cost_ = float(dis.min(axis=1).sum())
        _warn_distinct(self.labels_, k)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The index of the least dissimilar prototype of each row (int32)."""
        _check_fitted(self, "cluster_centers_")
        return np.asarray(self._dissimilarity(*self._split(X, reset=False)).argmin(axis=1), dtype=np.int32)

    def transform(self, X: Any) -> np.ndarray:
        """Square roots of the dissimilarities of each row to every prototype."""
        _check_fitted(self, "cluster_centers_")
        return np.sqrt(self._dissimilarity(*self._split(X, reset=False)))

    def score(self, X: Any, y: Any = None) -> float:
        """Minus the total dissimilarity of the rows of ``X`` to their nearest prototypes."""
        _check_fitted(self, "cluster_centers_")
        return -float(self._dissimilarity(*self._split(X, reset=False)).min(axis=1).sum())


# ---- Gaussian mixture -----------------------------------------------------------------------


def _logsumexp(a: np.ndarray) -> np.ndarray:
    m = a.max(axis=1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return (np.log(np.exp(a - m).sum(axis=1, keepdims=True)) + m)[:, 0]


class GaussianMixture(DensityMixin, BaseEstimator):
    """A mixture of ``n_components`` full-covariance Gaussians fitted by EM (linfa, in Rust)
    from a k-means start; the density is sum_j w_j N(x | mu_j, Sigma_j).

    Parameters
    ----------
    n_components : int, default 1
    covariance_type : "full", default "full"
        The only type the core fits; others raise ParameterError.
    n_init : int, default 1
        Independent EM runs, each from its own k-means start, the best by log-likelihood
        kept; the first uses the seed itself, as :func:`customervalue.cluster` does.
    random_state : int, RandomState or None, default None
        As :class:`KMeans`.

    Attributes
    ----------
    weights_ : ndarray (n_components,)
    means_ : ndarray (n_components, n_features)
    covariances_ : ndarray (n_components, n_features, n_features)
    precisions_, precisions_cholesky_ : ndarray (n_components, n_features, n_features)
        Inverse covariances, and their upper-triangular factors U with precision = U U^T.
    converged_ : bool
        True (a fit that does not converge raises ConvergenceError).
    lower_bound_ : float
        The mean log-likelihood per sample of the fit, which EM's lower bound equals at
        convergence.
    n_features_in_, feature_names_in_

    Notes
    -----
    The core's EM settings are fixed (module docstring): tolerance 1e-3, at most 300
    iterations, 1e-6 on the covariance diagonals (scikit-learn's ``reg_covar`` default).

    Examples
    --------
    >>> import numpy as np
    >>> from customervalue.sklearn import GaussianMixture
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(2, 1, (200, 2)), rng.normal(8, 1, (200, 2))])
    >>> gm = GaussianMixture(n_components=2, random_state=0).fit(X)
    >>> np.round(np.sort(gm.means_[:, 0])).tolist(), np.round(gm.weights_, 1).tolist()
    ([2.0, 8.0], [0.5, 0.5])
    >>> gm.predict_proba(X[:2]).sum(axis=1).round(6).tolist()
    [1.0, 1.0]
    """

    def __init__(
        self,
        n_components: int = 1,
        *,
        covariance_type: str = "full",
        n_init: int = 1,
        random_state: Any = None,
    ) -> None:
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.n_init = n_init
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None) -> GaussianMixture:
        """Fits the mixture to ``X`` (at least 2 rows; ``y`` is ignored)."""
        X = _numeric_X(self, X, reset=True, ensure_min_samples=2)
        n, d = X.shape
        k = _clusters(self.n_components, n, "n_components")
        if self.covariance_type != "full":
            raise ParameterError(
                f"argument 'covariance_type': only 'full' is fitted by the core, got "
                f"{self.covariance_type!r}; use sklearn.mixture.GaussianMixture for the others"
            )
        n_init = _integer("n_init", self.n_init, 1)
        seed = _seed(self.random_state)
        # Independent starts here, one core run each: linfa's own n_runs continues every run
        # from the state the previous one ended in, which refines one start instead.
        r: dict[str, Any] | None = None
        failed: ConvergenceError | None = None
        for i in range(n_init):
            try:
                fit = _core.gmm(X, n, d, k, n_init=1, seed=_start_seed(seed, i))
            except ConvergenceError as err:
                failed = err
                continue
            if r is None or fit["log_likelihood"] > r["log_likelihood"]:
                r = fit
        if r is None:
            assert failed is not None
            raise failed
        self.weights_ = np.asarray(r["weights"], dtype=np.float64)
        self.means_ = np.asarray(r["means"], dtype=np.float64).reshape(k, d)
        self.covariances_ = np.asarray(r["covariances"], dtype=np.float64).reshape(k, d, d)
        chol = np.linalg.cholesky(self.covariances_)
        eye = np.eye(d)
        self.precisions_cholesky_ = np.stack([np.linalg.solve(c, eye).T for c in chol])
        self.precisions_ = np.einsum("kij,klj->kil", self.precisions_cholesky_, self.precisions_cholesky_)
        self.converged_ = True
        self.lower_bound_ = float(r["log_likelihood"]) / n
        return self

    def _X(self, X: Any) -> np.ndarray:
        _check_fitted(self, "means_")
        return _numeric_X(self, X, reset=False)

    def _weighted_log_prob(self, X: np.ndarray) -> np.ndarray:
        """n x k: log w_j + log N(x | mu_j, Sigma_j) of the validated rows ``X``."""
        n, d = X.shape
        out = np.empty((n, len(self.weights_)))
        for j, (mu, u) in enumerate(zip(self.means_, self.precisions_cholesky_, strict=True)):
            z = (X - mu) @ u
            log_det = float(np.log(np.diag(u)).sum())
            out[:, j] = -0.5 * (d * np.log(2 * np.pi) + np.einsum("ij,ij->i", z, z)) + log_det
        return out + np.log(self.weights_)

    def score_samples(self, X: Any) -> np.ndarray:
        """The log density of each row of ``X`` under the mixture."""
        return _logsumexp(self._weighted_log_prob(self._X(X)))

    def score(self, X: Any, y: Any = None) -> float:
        """The mean log density per row of ``X``."""
        return float(self.score_samples(X).mean())

    def predict(self, X: Any) -> np.ndarray:
        """The most probable component of each row (int32)."""
        return np.asarray(self._weighted_log_prob(self._X(X)).argmax(axis=1), dtype=np.int32)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Posterior probabilities of the components, n x n_components."""
        w = self._weighted_log_prob(self._X(X))
        return np.exp(w - _logsumexp(w)[:, None])

    def fit_predict(self, X: Any, y: Any = None) -> np.ndarray:
        """``fit(X)`` then the component of each row of ``X``."""
        return self.fit(X).predict(X)

    def _n_parameters(self) -> int:
        k, d = self.means_.shape
        return int(k * d + k * d * (d + 1) // 2 + k - 1)

    def bic(self, X: Any) -> float:
        """Bayesian information criterion on ``X``: -2 log L + p ln n (lower is better)."""
        X = self._X(X)
        log_lik = float(_logsumexp(self._weighted_log_prob(X)).sum())
        return -2 * log_lik + self._n_parameters() * float(np.log(X.shape[0]))

    def aic(self, X: Any) -> float:
        """Akaike information criterion on ``X``: -2 log L + 2 p (lower is better)."""
        X = self._X(X)
        return -2 * float(_logsumexp(self._weighted_log_prob(X)).sum()) + 2 * self._n_parameters()

    def sample(self, n_samples: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """``n_samples`` draws from the fitted mixture and their components, grouped by
        component (drawn with ``random_state``, as scikit-learn's)."""
        _check_fitted(self, "means_")
        m = _integer("n_samples", n_samples, 1)
        rng = check_random_state(self.random_state)
        counts = rng.multinomial(m, self.weights_)
        X = np.vstack(
            [
                rng.multivariate_normal(mu, cov, int(c))
                for mu, cov, c in zip(self.means_, self.covariances_, counts, strict=True)
            ]
        )
        y = np.concatenate([np.full(int(c), j, dtype=np.int32) for j, c in enumerate(counts)])
        return X, y
