"""Data-driven clusters: k-means (written in Rust for speed), Gaussian mixtures, DBSCAN and
k-prototypes, with a k sweep that reports every index and the rule that picked k."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._boundary import Input, index_of
from .._checks import COUNT, MISSING, POSITIVE, SEED, SEED_MAX, Integer, check_args
from .._compat import renamed
from .._engines import distributable
from .._io import as_arrow, check_choice, check_columns, lone_surrogate, surrogate_error, to_pandas
from .._progress import progress_bar
from .._result import Result
from ..errors import InputError, ParameterError
from ..metrics._clustering import adjusted_rand_score, label_codes

METHODS = ("kmeans", "minibatch", "gmm", "dbscan", "kprototypes")
#: Methods whose clusters are nearest-centre cells (predict, stability by k-means refits).
CENTROID = ("kmeans", "minibatch")
#: Above this many rows the silhouette is computed on a stratified sample of this size.
SILHOUETTE_EXACT_MAX = 20_000


@dataclass(frozen=True)
class Features:
    """The feature matrix as the core sees it, with the scaling to map centres back."""

    numeric: list[str]
    categorical: list[str]
    X: np.ndarray  # standardized (or raw) numeric part, n x d
    cat: np.ndarray  # n x c int64 codes
    levels: list[list[str]]
    mean: np.ndarray
    scale: np.ndarray
    rows: np.ndarray  # positions of the kept rows in the input


def read_features(
    data: Any, features: list[str], *, standardize: bool, missing: str, allow_categorical: bool
) -> Features:
    """Reads and checks the feature columns: unknown names, text among numbers, missing values
    (raised with the column and count, or dropped), constant columns (which cannot separate
    groups), then standardizes to mean 0 and variance 1 (ddof 0, as scikit-learn's scaler)."""
    if isinstance(features, str) or not features:
        raise ParameterError("argument 'features': give a non-empty list of column names")
    check_choice("missing", missing, ("raise", "drop"))
    check_columns(data, features)  # present, and not repeated
    frame = data if isinstance(data, pd.DataFrame) else to_pandas(as_arrow(data, features))
    for c in features:
        if c not in frame.columns:
            raise InputError(f"column '{c}': not found; the table has {', '.join(map(str, frame.columns))}")
    if len(frame) == 0:
        raise InputError(f"column '{features[0]}': the table has no rows")
    numeric = [c for c in features if pd.api.types.is_numeric_dtype(frame[c]) and frame[c].dtype != bool]
    categorical = [c for c in features if c not in numeric]
    if categorical and not allow_categorical:
        raise InputError(
            f"column '{categorical[0]}': is {frame[categorical[0]].dtype}, not numeric; use "
            "method='kprototypes' for mixed data, or encode it"
        )
    bad = frame[features].isna()
    keep = ~bad.any(axis=1).to_numpy()
    if not keep.all():
        if missing == "raise":
            col = bad.sum().idxmax()
            raise InputError(
                f"column '{col}': {int(bad[col].sum())} missing values; "
                "pass missing='drop' to leave those rows out"
            )
    rows = np.flatnonzero(keep)
    if len(rows) == 0:
        raise InputError(f"column '{features[0]}': no rows are left after dropping missing values")
    # column by column on a feature-major copy: numpy's axis-0 reductions over a row-major
    # million-row matrix cost several times more
    X = np.asfortranarray(frame[numeric].to_numpy(dtype=np.float64)) if numeric else np.zeros((len(rows), 0))
    if len(rows) < len(frame):
        X = np.asfortranarray(X[rows])
    # each column over its largest magnitude first, so that values near 1e200 (whose squares
    # overflow) still give a finite mean and standard deviation; exact for ordinary values
    big = np.array([np.abs(X[:, j]).max() if len(X) else 0.0 for j in range(X.shape[1])])
    unit = np.where((big > 1e150) & np.isfinite(big), big, 1.0)
    mean = np.array([unit[j] * (X[:, j] / unit[j]).mean() for j in range(X.shape[1])])
    scale = np.array([unit[j] * (X[:, j] / unit[j]).std() for j in range(X.shape[1])])
    for c, s, m in zip(numeric, scale, mean, strict=True):
        if s <= np.finfo(float).eps * max(abs(m), 1.0) and len(rows) > 1:
            raise InputError(f"column '{c}': is constant, so it cannot separate groups; leave it out")
    if not np.isfinite(X).all():
        col = numeric[int(np.flatnonzero(~np.isfinite(X).all(axis=0))[0])]
        raise InputError(f"column '{col}': holds infinite values")
    # unscaled, squared distances must stay finite: (2 max|x|)^2 d below the largest float
    limit = 1e150 / np.sqrt(max(len(numeric), 1))
    if not standardize and numeric and (big > limit).any():
        j = int(np.flatnonzero(big > limit)[0])
        raise InputError(
            f"column '{numeric[j]}': holds values up to {big[j]:.3g}, so squared distances between "
            f"rows overflow (past 1.8e308); pass standardize=True or state the column in larger units"
        )
    if standardize and numeric and len(rows) > 1:
        X = (X - mean) / scale
    else:
        mean, scale = np.zeros(len(numeric)), np.ones(len(numeric))
    cat = np.zeros((len(rows), len(categorical)), dtype=np.int64)
    levels: list[list[str]] = []
    for j, c in enumerate(categorical):
        try:
            codes, uniq = pd.factorize(frame[c].iloc[rows].astype(str), sort=True)
        except UnicodeEncodeError:  # pandas' text is Arrow's (UTF-8): a lone surrogate
            where = lone_surrogate(frame[c])
            if where is None:
                raise
            raise surrogate_error(str(c), *where) from None
        cat[:, j] = codes
        levels.append([str(u) for u in uniq])
    return Features(
        numeric, categorical, np.ascontiguousarray(X), np.ascontiguousarray(cat), levels, mean, scale, rows
    )


def stratified_sample(codes: np.ndarray, size: int, seed: int) -> np.ndarray:
    """Row positions of a sample of ``size`` rows, each group in proportion (at least 2 where it
    has them), drawn with a seeded generator."""
    rng = np.random.default_rng(seed)
    groups = np.unique(codes)
    n = len(codes)
    out = []
    for g in groups:
        idx = np.flatnonzero(codes == g)
        take = min(len(idx), max(2, int(round(size * len(idx) / n))))
        out.append(rng.choice(idx, size=take, replace=False))
    return np.sort(np.concatenate(out))


def internal_indices(X: np.ndarray, codes: np.ndarray, seed: int = 0) -> dict[str, float]:
    """Silhouette (exact up to 20,000 rows, else on a stratified sample of 20,000),
    Calinski-Harabasz and Davies-Bouldin on ``X``; NaN where fewer than 2 groups."""
    codes = label_codes(codes)
    k, n = int(codes.max()) + 1 if len(codes) else 0, X.shape[0]
    if k < 2 or k > n - 1:
        return {"silhouette": np.nan, "calinski_harabasz": np.nan, "davies_bouldin": np.nan}
    sx, sc = X, codes
    if n > SILHOUETTE_EXACT_MAX:
        idx = stratified_sample(codes, SILHOUETTE_EXACT_MAX, seed)
        sx, sc = np.ascontiguousarray(X[idx]), label_codes(codes[idx])
    d = X.shape[1]
    sil = _core.internal_index(sx, sx.shape[0], d, sc, "silhouette") if int(sc.max()) >= 1 else np.nan
    return {
        "silhouette": float(sil),
        "calinski_harabasz": float(_core.internal_index(X, n, d, codes, "calinski_harabasz")),
        "davies_bouldin": float(_core.internal_index(X, n, d, codes, "davies_bouldin")),
    }


@dataclass(frozen=True)
class ClusterResult(Result):
    """Clusters of customers. ``table``: one row per cluster (cluster, size, share, then the mean of
    every numeric feature in its original units and the mode of every categorical one).

    Attributes: ``labels_`` (one per input row; -1 is DBSCAN noise or a dropped row; ``labels``
    is the same as a Series on the input's index), ``centers_``
    (a DataFrame in original units), ``inertia_`` (sum of squared distances to the assigned
    centre in the clustering space, as scikit-learn), ``k_``, ``sweep_`` (the k table when k
    was a range), ``method``, ``features``, ``details`` (BIC, AIC, eps, gamma, cost...).

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> res = cv.cluster(pd.DataFrame({"spend": [10.0, 12, 11, 50, 55, 52]}), features=["spend"], k=2)
    >>> res.k_, sorted(res.table["spend"].round(1).tolist())
    (2, [11.0, 52.3])
    """

    labels_: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    centers_: pd.DataFrame = field(default_factory=pd.DataFrame)
    inertia_: float = np.nan
    k_: int = 0
    sweep_: pd.DataFrame | None = None
    method: str = "kmeans"
    features: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    space: Features | None = None
    seed: int = 0
    index: pd.Index | None = field(default=None, repr=False, compare=False)

    @property
    def labels(self) -> pd.Series:
        """``labels_`` on the input's rows (its pandas index; positions for polars and pyarrow),
        so ``df["cluster"] = res.labels`` aligns; dropped rows and DBSCAN noise are -1."""
        index = self.index if self.index is not None else pd.RangeIndex(len(self.labels_))
        return pd.Series(self.labels_, index=index, name="cluster")

    def summary(self) -> str:
        lines = [
            f"{self.method} clustering: k = {self.k_} on {len(self.features)} features, "
            f"inertia {self.inertia_:,.4g}"
        ]
        if self.sweep_ is not None:
            lines.append(f"k chosen by {self.details.get('rule')}")
        for _, r in self.table.iterrows():
            lines.append(f"  cluster {r['cluster']}: {int(r['size'])} customers ({r['share']:.1%})")
        return "\n".join(lines)

    @renamed(df="data")
    def predict(self, data: Any) -> np.ndarray:
        """Nearest-centre labels of new customers (k-means; same features and scaling)."""
        if self.method not in CENTROID or self.space is None:
            raise ParameterError(f"argument 'method': predict is available for k-means, not {self.method!r}")
        new = read_features(data, self.features, standardize=False, missing="raise", allow_categorical=False)
        X = np.ascontiguousarray((new.X - self.space.mean) / self.space.scale)
        centers = (
            (self.centers_[self.space.numeric].to_numpy() - self.space.mean) / self.space.scale
        ).ravel()
        return _core.kmeans_predict(X, X.shape[0], X.shape[1], centers.tolist()).column(0).to_numpy()

    def plot(self, ax: Any = None) -> Any:
        """The customers on their first two principal components, coloured by cluster."""
        from .._plot import axes

        if self.space is None or self.space.X.shape[1] == 0:
            raise ParameterError("argument 'features': a scatter needs numeric features")
        ax = axes(ax, figsize=(6.0, 4.6))
        scatter_pca(
            ax, self.space.X, self.labels_[self.space.rows], f"{self.method}, k = {self.k_}", self.seed
        )
        return ax

    def plot_sweep(self, ax: Any = None) -> Any:
        """The k sweep: silhouette and Calinski-Harabasz against k, the chosen k marked."""
        from .._plot import axes, legend_both

        if self.sweep_ is None:
            raise ParameterError("argument 'k': plot_sweep needs k given as a range")
        ax = axes(ax)
        s = self.sweep_
        ax.plot(s["k"], s["silhouette"], "o-", label="silhouette (higher is better)")
        ax.set_xlabel("k")
        ax.set_ylabel("silhouette")
        twin = ax.twinx()
        col = "bic" if "bic" in s and s["bic"].notna().any() else "davies_bouldin"
        twin.plot(s["k"], s[col], "s--", color="C1", label=f"{col} (lower is better)")
        twin.set_ylabel(col)
        ax.axvline(self.k_, color="grey", lw=1, ls=":")
        legend_both(ax, twin, loc="best")
        ax.set_title(f"Choosing k: {self.details.get('rule')}")
        return ax


def scatter_pca(ax: Any, X: np.ndarray, labels: np.ndarray, title: str, seed: int = 0) -> None:
    """Draws the rows of ``X`` on their first two principal components (at most 5,000 points,
    a seeded sample), coloured by ``labels``."""
    Z = X - X.mean(axis=0)
    _, _, vt = np.linalg.svd(Z[: min(len(Z), 50_000)], full_matrices=False)
    P = Z @ vt[: min(2, vt.shape[0])].T
    if P.shape[1] == 1:
        P = np.column_stack([P[:, 0], np.zeros(len(P))])
    idx = np.random.default_rng(seed).permutation(len(P))[:5000]
    codes, uniq = pd.factorize(pd.Series(labels[idx]), sort=True)
    for j, u in enumerate(uniq):
        m = codes == j
        ax.scatter(P[idx][m, 0], P[idx][m, 1], s=6, alpha=0.6, label=str(u))
    ax.set_xlabel("PC 1")
    ax.set_ylabel("PC 2")
    ax.set_title(title)
    if len(uniq) <= 12:
        ax.legend(markerscale=2, fontsize=7, loc="best")


def _fit_one(
    F: Features,
    k: int | None,
    method: str,
    n_init: int,
    seed: int,
    eps: float | None,
    min_samples: int | None,
    gamma: float | None,
    progress: bool | None,
    batch_size: int = 1024,
) -> tuple[np.ndarray, np.ndarray, float, dict[str, Any]]:
    """One fit: labels on the kept rows, centres in the clustering space, inertia, details."""
    X, n, d = F.X, F.X.shape[0], F.X.shape[1]
    if method in ("kmeans", "minibatch", "gmm", "kprototypes"):
        if k is None or not isinstance(k, (int, np.integer)) or k < 1:
            raise ParameterError(f"argument 'k': must be a positive integer, got {k!r}")
        if k > n:
            raise ParameterError(f"argument 'k': k = {k} is larger than the {n} rows")
    if method == "kmeans":
        with progress_bar(
            progress, n_init, "k-means starts", cost=float(n) * d * (k or 1) * 50 * n_init
        ) as cb:
            r = _core.kmeans(
                X, n, d, int(k or 1), n_init=n_init, max_iter=300, tol=1e-4, seed=seed, progress=cb
            )
        labels = r["labels"].column(0).to_numpy()
        return labels, np.asarray(r["centers"]).reshape(-1, d), float(r["inertia"]), {"n_iter": r["n_iter"]}
    if method == "minibatch":
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ParameterError(f"argument 'batch_size': must be a positive integer, got {batch_size!r}")
        with progress_bar(progress, 100, "mini-batch passes", cost=float(n) * d * (k or 1) * 20) as cb:
            r = _core.minibatch_kmeans(
                X,
                n,
                d,
                int(k or 1),
                batch_size=int(batch_size),
                max_iter=100,
                n_init=n_init,
                max_no_improvement=10,
                reassignment_ratio=0.01,
                seed=seed,
                progress=cb,
            )
        labels = r["labels"].column(0).to_numpy()
        details = {"n_steps": r["n_iter"], "batch_size": int(batch_size)}
        return labels, np.asarray(r["centers"]).reshape(-1, d), float(r["inertia"]), details
    if method == "gmm":
        r = _core.gmm(X, n, d, int(k or 1), n_init=n_init, seed=seed)
        labels = r["labels"].column(0).to_numpy()
        centers = np.asarray(r["means"]).reshape(-1, d)
        details = {
            "bic": r["bic"],
            "aic": r["aic"],
            "log_likelihood": r["log_likelihood"],
            "weights": r["weights"],
        }
        return labels, centers, _inertia(X, labels, centers), details
    if method == "dbscan":
        ms = min_samples if min_samples is not None else max(2 * d, 5)
        if ms < 1:
            raise ParameterError(f"argument 'min_samples': must be at least 1, got {ms}")
        if ms > n:
            raise ParameterError(f"argument 'min_samples': {ms} is larger than the {n} rows")
        chosen = eps if eps is not None else _core.eps_knee(X, n, d, ms, sample=5000)
        if not chosen > 0:
            raise InputError(
                f"column '{F.numeric[0]}': the points are duplicates at the k-distance knee, "
                "so no eps can be "
                "derived; pass eps="
            )
        labels = _core.dbscan(X, n, d, float(chosen), ms).column(0).to_numpy()
        found = labels[labels >= 0]
        centers = (
            np.vstack([X[labels == j].mean(axis=0) for j in np.unique(found)])
            if len(found)
            else np.zeros((0, d))
        )
        details = {
            "eps": float(chosen),
            "eps_rule": "given" if eps is not None else "k-distance knee",
            "min_samples": ms,
            "noise_share": float((labels < 0).mean()),
        }
        inertia = _inertia(X[labels >= 0], labels[labels >= 0], centers) if len(found) else np.nan
        return labels, centers, inertia, details
    # k-prototypes
    g = gamma if gamma is not None else 0.5 * (float(np.mean(X.std(axis=0))) if d else 1.0)
    r = _core.kprototypes(
        X if d else np.zeros(0),
        d,
        F.cat,
        F.cat.shape[1],
        [len(lv) for lv in F.levels],
        n,
        int(k or 1),
        float(g),
        n_init=n_init,
        max_iter=100,
        seed=seed,
    )
    labels = r["labels"].column(0).to_numpy()
    centers = np.asarray(r["centers_num"]).reshape(-1, d) if d else np.zeros((int(k or 1), 0))
    modes = np.asarray(r["centers_cat"]).reshape(-1, F.cat.shape[1])
    return labels, centers, float(r["cost"]), {"gamma": g, "modes": modes}


def bootstrap_stability(
    F: Features, labels: np.ndarray, k: int, n_init: int, replicates: int, seed: int
) -> np.ndarray:
    """ARI between ``labels`` and k-means refitted on each of ``replicates`` bootstrap samples of
    the clustering space (at most 3 starts each), seeded by ``seed``."""
    st = _core.stability(
        F.X,
        F.X.shape[0],
        F.X.shape[1],
        label_codes(labels),
        k,
        min(n_init, 3),
        replicates,
        seed,
        progress=None,
    )
    return np.asarray(st)


def subsample_stability(
    F: Features,
    k: int | None,
    method: str,
    replicates: int,
    seed: int,
    details: dict[str, Any],
    frac: float = 0.8,
) -> np.ndarray:
    """Stability of a clustering method without a predict step (Ben-Hur, Elisseeff & Guyon
    2002): per replicate, two random subsamples of ``frac`` of the customers (without
    replacement) are clustered with the same method and settings, and the adjusted Rand index
    of the two labellings on the customers both subsamples hold is recorded. Replicate b uses
    seed + b for its draws and fits. DBSCAN keeps its eps and min_samples, k-prototypes its
    gamma; noise (-1) counts as a group of its own."""
    n = F.X.shape[0]
    m = max(int(frac * n), 2)
    out = []
    for b in range(replicates):
        rng = np.random.default_rng([seed, b])
        fits = []
        for _ in range(2):
            idx = np.sort(rng.choice(n, m, replace=False))
            sub = replace(F, X=F.X[idx], cat=F.cat[idx], rows=F.rows[idx])
            lab, _, _, _ = _fit_one(
                sub,
                k,
                method,
                3,
                (seed + b) % (SEED_MAX + 1),  # a u64 for the core, whatever the seed
                details.get("eps"),
                details.get("min_samples"),
                details.get("gamma"),
                False,
                int(details.get("batch_size", 1024)),
            )
            fits.append((idx, lab))
        (ia, la), (ib, lb) = fits
        _, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
        out.append(adjusted_rand_score(la[pa], lb[pb]))
    return np.asarray(out)


def _inertia(X: np.ndarray, labels: np.ndarray, centers: np.ndarray) -> float:
    """Sum of squared distances to the assigned centre (labels index the rows of centers)."""
    return float(((X - centers[labels]) ** 2).sum()) if len(X) else np.nan


@renamed(df="data", bootstrap="n_boot")
@check_args(
    n_init=POSITIVE,
    seed=SEED,
    min_samples=Integer(1, optional=True),
    n_boot=COUNT,
    missing=MISSING,
    batch_size=POSITIVE,
)
@distributable
def cluster(
    data: Any,
    *,
    features: list[str],
    k: int | range | list[int] | None = None,
    method: str = "kmeans",
    standardize: bool = True,
    n_init: int = 10,
    seed: int = 0,
    eps: float | None = None,
    min_samples: int | None = None,
    gamma: float | None = None,
    n_boot: int = 0,
    missing: str = "raise",
    progress: bool | None = None,
    batch_size: int = 1024,
) -> ClusterResult:
    """Data-driven clusters of customers.

    Methods: ``"kmeans"`` minimises the within-cluster sum of squares sum_i ||x_i - c_{l(i)}||^2
    (Lloyd 1982) from ``n_init`` greedy k-means++ starts (Arthur & Vassilvitskii 2007) with
    Hamerly (2010) bounds; ``"minibatch"`` minimises the same objective from random batches of
    ``batch_size`` points (Sculley 2010): each centre moves towards its batch points with
    learning rate 1 / (points it has seen), seeded by k-means++ on a subsample, stopped when the
    smoothed batch inertia stops improving; it trades a little inertia (typically under 1%) for
    far fewer passes over large data; ``"gmm"`` fits a mixture of k full-covariance Gaussians by EM
    (linfa), reporting BIC = -2 log L + p ln n and AIC; ``"dbscan"`` groups density-connected
    points (Ester et al. 1996) with ``eps`` from the knee of the k-distance curve unless given
    (noise is labelled -1); ``"kprototypes"`` handles mixed numeric and categorical features
    with cost ||x - c||^2 + gamma * mismatches (Huang 1998; gamma defaults to half the mean
    standard deviation of the numeric features).

    Features are standardized (mean 0, variance 1) unless ``standardize=False``; centres are
    reported back in original units. ``k`` may be a range: every k is fitted and the table
    ``sweep_`` holds inertia, silhouette, Calinski-Harabasz, Davies-Bouldin, BIC (gmm) and, with
    ``n_boot`` > 0, stability; the suggested k maximises the silhouette.

    Stability (``n_boot`` replicates, ``details["stability"]`` or the sweep's column): for
    k-means, the ARI between the labels and those of a k-means refitted on a bootstrap sample
    and applied to every customer; for the methods without a predict step (GMM, DBSCAN,
    k-prototypes), the ARI between two fits on random 80% subsamples, on the customers both
    hold (Ben-Hur, Elisseeff & Guyon 2002).

    >>> import customervalue as cv
    >>> df = cv.datasets.customers(1000, seed=0)
    >>> res = cv.cluster(df, features=["frequency", "avg_order_value"], k=3, seed=0)
    >>> res.k_, len(res.labels_)
    (3, 1000)
    """
    check_choice("method", method, METHODS)
    F = read_features(
        data,
        list(features),
        standardize=standardize,
        missing=missing,
        allow_categorical=method == "kprototypes",
    )
    if method == "kprototypes" and not F.categorical:
        raise ParameterError(
            "argument 'method': k-prototypes needs at least one categorical feature; use 'kmeans'"
        )
    if not isinstance(n_init, int) or n_init < 1:
        raise ParameterError(f"argument 'n_init': must be a positive integer, got {n_init!r}")
    n_rows = len(data) if hasattr(data, "__len__") else int(F.rows.max()) + 1
    sweep = None
    details: dict[str, Any] = {}
    if isinstance(k, (range, list, tuple)):
        ks = [int(v) for v in k]
        if not ks:
            raise ParameterError("argument 'k': the range of k is empty")
        if method == "dbscan":
            raise ParameterError(
                "argument 'k': DBSCAN finds the number of clusters itself; give eps and min_samples"
            )
        rows = []
        fits = {}
        for kk in ks:
            lab, cen, inert, det = _fit_one(
                F, kk, method, n_init, seed, eps, min_samples, gamma, progress, batch_size
            )
            fits[kk] = (lab, cen, inert, det)
            row = {"k": kk, "inertia": inert, **(internal_indices(F.X, lab, seed) if F.X.shape[1] else {})}
            row["bic"] = det.get("bic", np.nan)
            if n_boot and method in CENTROID:
                row["stability"] = float(np.mean(bootstrap_stability(F, lab, kk, n_init, n_boot, seed)))
            elif n_boot:
                row["stability"] = float(np.mean(subsample_stability(F, kk, method, n_boot, seed, det)))
            rows.append(row)
        sweep = pd.DataFrame(rows)
        valid = sweep.dropna(subset=["silhouette"]) if "silhouette" in sweep else sweep.iloc[0:0]
        if len(valid):
            best = int(valid.loc[valid["silhouette"].idxmax(), "k"])
            details["rule"] = "the largest silhouette"
        else:
            best = ks[0]
            details["rule"] = "the first k (no silhouette could be computed)"
        labels, centers, inertia, det = fits[best]
        k_final = best
    else:
        labels, centers, inertia, det = _fit_one(
            F, k, method, n_init, seed, eps, min_samples, gamma, progress, batch_size
        )
        k_final = int(len(np.unique(labels[labels >= 0])))
    details.update(det)
    if n_boot and method in CENTROID and sweep is None:
        details["stability"] = bootstrap_stability(F, labels, k_final, n_init, n_boot, seed)
    elif n_boot and sweep is None:
        k_fit = int(k) if isinstance(k, (int, np.integer)) and method != "dbscan" else None
        details["stability"] = subsample_stability(F, k_fit, method, n_boot, seed, details)
    full = np.full(n_rows, -1, dtype=np.int64)
    full[F.rows] = labels
    index = index_of(data)
    if len(index) != n_rows:
        index = pd.RangeIndex(n_rows)
    kept = np.zeros(n_rows, dtype=bool)
    kept[F.rows] = True
    env = Input(None, index, "cluster").envelope(extra=[(np.flatnonzero(~kept), "missing")])
    # Centres in original units, and the per-cluster table.
    orig = centers * F.scale + F.mean if F.numeric else np.zeros((len(centers), 0))
    centers_df = pd.DataFrame(orig, columns=F.numeric)
    for j, c in enumerate(F.categorical):
        modes = det.get("modes")
        if modes is not None:
            centers_df[c] = [F.levels[j][m] for m in modes[:, j]]
    ids = np.unique(labels[labels >= 0])
    centers_df.insert(0, "cluster", ids if len(ids) == len(centers_df) else np.arange(len(centers_df)))
    sizes = pd.Series(labels).value_counts()
    table = centers_df.copy()
    table.insert(1, "size", [int(sizes.get(c, 0)) for c in table["cluster"]])
    table.insert(2, "share", table["size"] / len(labels))
    if (labels < 0).any():
        details["noise"] = int((labels < 0).sum())
    return ClusterResult(
        table=table,
        labels_=full,
        centers_=centers_df.drop(columns="cluster"),
        inertia_=float(inertia),
        k_=k_final,
        sweep_=sweep,
        method=method,
        features=list(features),
        details=details,
        space=F,
        seed=seed,
        index=index,
        **env.as_fields(),
    )
