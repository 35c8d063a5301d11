"""Segments versus clusters, measured: agreement, separation, value explained, stability, profiles."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._boundary import drop_missing
from .._checks import COUNT, MISSING, SEED, check_args
from .._compat import renamed
from .._io import frame as read_frame
from .._result import Result
from ..errors import InputError, ParameterError
from ..metrics._clustering import agreement, label_codes
from .cluster import (
    CENTROID,
    ClusterResult,
    bootstrap_stability,
    internal_indices,
    read_features,
    scatter_pca,
    subsample_stability,
)


@dataclass(frozen=True)
class ComparisonResult(Result):
    """The comparison of several groupings of the same customers.

    ``table`` (= ``value_explained`` joined with ``separation``) has one row per grouping.
    ``agreement``: one row per pair (adjusted Rand index, NMI, AMI, homogeneity, completeness,
    V-measure, chi-square with its p-value, Cramer's V). ``crosstab``: per pair and pair of
    groups, the count, expected count and adjusted standardized residual (|r| > 2 is notable).
    ``separation``: silhouette, Calinski-Harabasz and Davies-Bouldin of every grouping in the
    same standardized feature space. ``value_explained``: eta squared (and adjusted for the
    number of groups) and Kruskal-Wallis of ``value``. ``stability``: bootstrap ARI of each
    k-means grouping. ``profiles``: per grouping and group, size, share, mean and median of
    every feature, its index against the overall mean x 100, and the share of total value.
    ``verdict``: one sentence.

    NaN, and what it means:

    * ``silhouette``, ``calinski_harabasz``, ``davies_bouldin`` (``separation``, ``table``):
      NaN for a grouping of a single group or of (almost) only singletons (k < 2 or k > n - 1),
      where separation between groups is undefined;
    * ``eta_squared``, ``eta_squared_adjusted``, ``kruskal_h``, ``kruskal_p``
      (``value_explained``, ``table``): NaN for a grouping of a single group (nothing to
      explain between groups); ``eta_squared_adjusted`` also when there are as many groups as
      rows (n - k = 0 degrees of freedom);
    * ``stability_ari``, ``ci_low``, ``ci_high`` (``stability``): NaN for a grouping that was not
      refitted (``n_boot=0``, or a rule-based or given grouping; ``note`` says which);
    * ``<feature>_index`` (``profiles``): NaN when the feature's overall mean is 0 (no index
      against it); ``value_share`` when the total value is 0.

    Not NaN: when either grouping of a pair has a single group (one row, say), the chi-square
    has no degrees of freedom: ``chi2`` is 0, ``chi2_df`` 0, ``chi2_p`` 1 (as
    ``scipy.stats.chi2_contingency`` gives), ``cramers_v`` 0, and every ``residual`` of the
    pair's ``crosstab`` 0 (each count is its expected count).

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"spend": [10, 12, 11, 50, 55, 52], "tier": ["lo"] * 3 + ["hi"] * 3,
    ...                   "region": ["N", "S"] * 3})
    >>> r = cv.compare_groupings(d, groupings={"tier": "tier", "region": "region"},
    ...                          features=["spend"], value="spend")
    >>> print(r.verdict)
    tier explains the most of the variance in spend after charging for the number of groups
    (adjusted eta squared 99%); eta squared: tier 99% with 2 groups; region 9% with 2 groups.
    """

    agreement: pd.DataFrame = field(default_factory=pd.DataFrame)
    crosstab: pd.DataFrame = field(default_factory=pd.DataFrame)
    separation: pd.DataFrame = field(default_factory=pd.DataFrame)
    value_explained: pd.DataFrame = field(default_factory=pd.DataFrame)
    stability: pd.DataFrame = field(default_factory=pd.DataFrame)
    profiles: pd.DataFrame = field(default_factory=pd.DataFrame)
    verdict: str = ""
    X: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    labels: dict[str, np.ndarray] = field(default_factory=dict)

    def summary(self) -> str:
        return self.verdict + "\n" + self.table.to_string(index=False, float_format=lambda v: f"{v:.3g}")

    def plot(self, ax: Any = None) -> Any:
        """Side-by-side PCA scatters, one per grouping, in the shared feature space."""
        from .._plot import grid

        if self.X.shape[1] == 0:
            raise ParameterError("argument 'features': the scatter needs numeric features")
        fig, axs = grid(len(self.labels), ncols=min(3, len(self.labels)), size=(4.6, 3.8))
        for a, (name, lab) in zip(axs, self.labels.items(), strict=True):
            scatter_pca(a, self.X, lab, name)
        fig.tight_layout()
        return axs

    def plot_profiles(self, grouping: str | None = None, ax: Any = None) -> Any:
        """Heatmap of each group's feature means as an index (overall mean = 100)."""
        from .._plot import axes

        name = grouping or next(iter(self.labels))
        p = self.profiles[self.profiles["grouping"] == name]
        cols = [c for c in p.columns if c.endswith("_index")]
        m = p.set_index("group")[cols]
        ax = axes(ax, figsize=(1.0 + 0.9 * len(cols), 0.9 + 0.45 * len(m)))
        im = ax.imshow(m.to_numpy(dtype=float), cmap="RdBu_r", vmin=0, vmax=200, aspect="auto")
        ax.set_xticks(range(len(cols)), [c[: -len("_index")] for c in cols], rotation=45, ha="right")
        ax.set_yticks(range(len(m)), [str(i) for i in m.index])
        for i in range(m.shape[0]):
            for j in range(m.shape[1]):
                ax.text(j, i, f"{m.iloc[i, j]:.0f}", ha="center", va="center", fontsize=7)
        ax.figure.colorbar(im, ax=ax, label="index (100 = overall mean)")
        ax.set_title(f"Profiles of {name}")
        return ax

    def plot_crosstab(self, ax: Any = None) -> Any:
        """Crosstab of the first pair of groupings, coloured by adjusted residual, counts printed."""
        from .._plot import axes

        if self.crosstab.empty:
            raise ParameterError("argument 'groupings': a crosstab needs two groupings")
        first = self.crosstab[self.crosstab["pair"] == self.crosstab["pair"].iloc[0]]
        res = first.pivot(index="group_a", columns="group_b", values="residual")
        cnt = first.pivot(index="group_a", columns="group_b", values="count")
        ax = axes(ax, figsize=(1.5 + 0.8 * res.shape[1], 1.0 + 0.45 * res.shape[0]))
        lim = float(np.nanmax(np.abs(res.to_numpy()))) or 1.0
        im = ax.imshow(res.to_numpy(dtype=float), cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
        ax.set_xticks(range(res.shape[1]), [str(c) for c in res.columns], rotation=45, ha="right")
        ax.set_yticks(range(res.shape[0]), [str(i) for i in res.index])
        for i in range(res.shape[0]):
            for j in range(res.shape[1]):
                ax.text(j, i, f"{int(cnt.iloc[i, j])}", ha="center", va="center", fontsize=7)
        a, b = first["grouping_a"].iloc[0], first["grouping_b"].iloc[0]
        ax.set_xlabel(b)
        ax.set_ylabel(a)
        ax.figure.colorbar(im, ax=ax, label="adjusted residual")
        ax.set_title(f"{a} x {b}")
        return ax


def _grouping(name: str, g: Any, frame: pd.DataFrame) -> pd.Series:
    """A grouping's labels on the rows of ``frame``, as text; missing where a row has no label.

    A column name reads the column. A Series (``segment(...)``, ``ClusterResult.labels``, an RFM
    result's ``labels``) is aligned on the frame's index when it holds every row's label, so a
    grouping of the same customers in another order or of a larger table lines up; otherwise,
    and for arrays, labels are taken in row order. Rows a clustering dropped have no label.
    """
    if isinstance(g, ClusterResult):
        labels = g.labels
        if g.space is not None and len(g.space.rows) < len(labels):
            kept = np.zeros(len(labels), dtype=bool)
            kept[g.space.rows] = True
            labels = labels.astype(object).where(kept)  # not -1: those rows were never clustered
        g = labels
    elif hasattr(g, "labels") and isinstance(g.labels, pd.Series):
        g = g.labels
    if isinstance(g, str):
        if g not in frame.columns:
            raise InputError(f"column '{g}': not found (grouping '{name}')")
        g = frame[g]
    if isinstance(g, pd.Series) and not g.index.equals(frame.index):
        if g.index.is_unique and frame.index.isin(g.index).all():
            g = g.reindex(frame.index)
        else:
            g = g.to_numpy()
    s = g if isinstance(g, pd.Series) else pd.Series(np.asarray(g, dtype=object))
    if len(s) != len(frame):
        raise ParameterError(f"argument 'groupings': '{name}' has {len(s)} labels for {len(frame)} rows")
    return pd.Series(s.to_numpy(dtype=object), index=frame.index, name=name).where(s.notna().to_numpy())


def _profiles(
    name: str, lab: pd.Series, raw: np.ndarray, numeric: list[str], overall: np.ndarray, v: np.ndarray | None
) -> pd.DataFrame:
    """One grouping's profile rows, its groups in order of first appearance: size, share, and per
    feature the mean, the median and the index (100 x mean / overall mean); the value share.
    One grouped pass (O(n log n)), however many groups."""
    frame = pd.DataFrame(raw, columns=range(raw.shape[1]))
    frame["_group"] = lab.to_numpy()
    by = frame.groupby("_group", sort=False)
    size = by.size()
    out = pd.DataFrame({"grouping": name, "group": size.index.to_numpy(), "size": size.to_numpy()})
    out["share"] = out["size"] / len(frame)
    means = by[list(range(raw.shape[1]))].mean()
    medians = by[list(range(raw.shape[1]))].median()
    for j, f in enumerate(numeric):
        out[f"{f}_mean"] = means[j].to_numpy()
        out[f"{f}_median"] = medians[j].to_numpy()
        out[f"{f}_index"] = 100 * out[f"{f}_mean"] / overall[j] if overall[j] != 0 else np.nan
    if v is not None:
        total = v.sum()
        share = pd.Series(v).groupby(frame["_group"].to_numpy(), sort=False).sum()
        out["value_share"] = share.to_numpy() / total if total != 0 else np.nan
    return out


@renamed(df="data", bootstrap="n_boot")
@check_args(n_boot=COUNT, seed=SEED, missing=MISSING)
def compare_groupings(
    data: Any,
    *,
    groupings: dict[str, Any],
    features: list[str],
    value: str | None = None,
    n_boot: int = 0,
    seed: int = 0,
    standardize: bool = True,
    missing: str = "raise",
) -> ComparisonResult:
    """Compares any number of groupings of the same customers (rule-based segments, clusters, RFM).

    Each grouping is a column name, an array of labels, a :class:`ClusterResult` or an RFM
    result. Agreement between each pair: adjusted Rand index (Hubert & Arabie 1985), normalized
    and adjusted mutual information (Vinh et al. 2010), homogeneity, completeness and V-measure
    (Rosenberg & Hirschberg 2007), Pearson chi-square and Cramer's V with adjusted standardized
    residuals (Haberman 1973) per cell. Separation of every grouping (rule-based ones too) in
    one standardized space of ``features``: silhouette (exact up to 20,000 rows, else a
    stratified sample), Calinski-Harabasz, Davies-Bouldin. Value explained: eta squared =
    SS_between / SS_total of ``value``, adjusted 1 - (1 - eta^2)(n - 1)/(n - k), and Kruskal-Wallis
    H with ties corrected. Stability (``n_boot`` > 0): mean ARI between a k-means grouping and
    refits on bootstrap samples. The verdict compares adjusted eta squared, which charges a
    grouping for its number of groups.

    Every grouping is read on the rows of ``data``: a column name, or a Series aligned on the
    table's index (``segment(...)``, ``cluster(...)`` and ``rfm_scores(...)`` results line up
    with the table they came from, also after filtering or reordering), or labels in row order.
    ``missing="raise"`` (default) refuses a missing feature, value or label, naming it;
    ``"drop"`` compares the groupings on the rows where all are present and lists the others in
    ``.dropped`` (rows a clustering left out have no label).

    Examples
    --------
    A rule-based tier against a region, on six customers:

    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"spend": [10, 12, 11, 50, 55, 52], "tier": ["lo"] * 3 + ["hi"] * 3,
    ...                   "region": ["N", "S"] * 3})
    >>> r = cv.compare_groupings(d, groupings={"tier": "tier", "region": "region"},
    ...                          features=["spend"], value="spend")
    >>> r.table[["grouping", "eta_squared", "silhouette"]].round(3).values.tolist()
    [['tier', 0.994, 0.944], ['region', 0.093, -0.054]]
    >>> r.agreement[["grouping_a", "grouping_b", "adjusted_rand"]].round(3).values.tolist()
    [['tier', 'region', -0.111]]
    """
    if not isinstance(groupings, dict) or not groupings:
        raise ParameterError(
            "argument 'groupings': give a dict of name -> labels, column name or cluster result"
        )
    if isinstance(features, str) or not list(features):
        raise ParameterError("argument 'features': give a non-empty list of column names")
    columns = list(dict.fromkeys([*features, *([value] if value is not None else [])]))
    grouping_columns = [g for g in groupings.values() if isinstance(g, str)]
    frame = read_frame(data, columns + grouping_columns, "customer")
    # one working table of the features, the value and every grouping's labels, so that the
    # missing policy sees them all and every grouping is compared on the same rows
    work = frame[columns].copy()
    keys: dict[str, str] = {}
    for name, g in groupings.items():
        keys[name] = name if name not in work.columns else f"{name} (grouping)"
        work[keys[name]] = _grouping(name, g, frame).to_numpy()
    frame, env = drop_missing(work, list(work.columns), missing, what="compare_groupings")
    if len(frame) == 0:
        raise InputError(f"column '{columns[0]}': no rows left after dropping missing values")
    F = read_features(
        frame, list(features), standardize=standardize, missing="raise", allow_categorical=False
    )
    n = len(frame)
    labels = {name: frame[key].astype(str) for name, key in keys.items()}
    codes = {name: label_codes(s, name) for name, s in labels.items()}
    # Agreement and crosstabs for every pair.
    agree_rows, cross_rows = [], []
    for a, b in combinations(labels, 2):
        s = agreement(codes[a], codes[b])
        la, lb = pd.unique(labels[a]), pd.unique(labels[b])
        agree_rows.append(
            {
                "grouping_a": a,
                "grouping_b": b,
                "adjusted_rand": s["adjusted_rand"],
                "normalized_mutual_info": s["normalized_mutual_info"],
                "adjusted_mutual_info": s["adjusted_mutual_info"],
                "homogeneity": s["homogeneity"],
                "completeness": s["completeness"],
                "v_measure": s["v_measure"],
                "chi2": s["chi2"],
                "chi2_df": s["chi2_df"],
                "chi2_p": s["chi2_p"],  # 1 without degrees of freedom (the core, as scipy)
                "cramers_v": s["cramers_v"],
            }
        )
        counts = np.asarray(s["counts"]).reshape(s["ka"], s["kb"])
        resid = np.asarray(s["residuals"]).reshape(s["ka"], s["kb"])
        rs, cs = counts.sum(axis=1), counts.sum(axis=0)
        # every cell at once (a grouping of many groups makes ka x kb rows: no Python loop)
        cells = counts.size
        cross_rows.append(
            pd.DataFrame(
                {
                    "pair": np.full(cells, f"{a} x {b}", dtype=object),
                    "grouping_a": np.full(cells, a, dtype=object),
                    "grouping_b": np.full(cells, b, dtype=object),
                    "group_a": np.repeat(np.asarray(la, dtype=object), len(lb)),
                    "group_b": np.tile(np.asarray(lb, dtype=object), len(la)),
                    "count": counts.ravel().astype(np.int64),
                    "expected": np.outer(rs, cs).ravel() / n,
                    "residual": resid.ravel(),  # 0 where its variance is (one group on a side)
                }
            )
        )
    sep_rows, val_rows, stab_rows, prof = [], [], [], []
    v = None
    if value is not None:
        if not pd.api.types.is_numeric_dtype(frame[value]):
            raise InputError(f"column '{value}': is {frame[value].dtype}, but the value must be numeric")
        v = frame[value].to_numpy(dtype=float)
        if np.nanstd(v) == 0:
            raise InputError(f"column '{value}': has no variance, so no grouping can explain it")
    raw = frame[F.numeric].to_numpy(dtype=float)
    overall = raw.mean(axis=0)
    for name, c in codes.items():
        k = int(c.max()) + 1
        sep_rows.append({"grouping": name, "n_groups": k, **internal_indices(F.X, c, seed)})
        if v is not None:
            if k >= 2:
                sp = _core.separation(np.ascontiguousarray(v), c)
                adj = 1 - (1 - sp["eta_squared"]) * (n - 1) / (n - k) if n > k else np.nan
                val_rows.append(
                    {
                        "grouping": name,
                        "n_groups": k,
                        "eta_squared": sp["eta_squared"],
                        "eta_squared_adjusted": adj,
                        "kruskal_h": sp["kruskal_h"],
                        "kruskal_p": sp["kruskal_p"],
                    }
                )
            else:
                val_rows.append(
                    {
                        "grouping": name,
                        "n_groups": k,
                        "eta_squared": np.nan,
                        "eta_squared_adjusted": np.nan,
                        "kruskal_h": np.nan,
                        "kruskal_p": np.nan,
                    }
                )
        g = groupings[name]
        st = None
        if n_boot and isinstance(g, ClusterResult) and g.method in CENTROID and g.features == list(features):
            st = bootstrap_stability(F, c, k, 3, n_boot, seed)
            how = "k-means refit on bootstrap samples"
        elif n_boot and isinstance(g, ClusterResult) and g.space is not None:
            k_fit = None if g.method == "dbscan" else g.k_
            st = subsample_stability(g.space, k_fit, g.method, n_boot, seed, g.details)
            how = f"{g.method} refit on pairs of 80% subsamples"
        if st is not None:
            stab_rows.append(
                {
                    "grouping": name,
                    "stability_ari": float(st.mean()),
                    "ci_low": float(np.quantile(st, 0.025)),
                    "ci_high": float(np.quantile(st, 0.975)),
                    "replicates": n_boot,
                    "note": how,
                }
            )
        else:
            note = "not refitted: a rule-based or given grouping" if n_boot else "bootstrap=0"
            stab_rows.append(
                {
                    "grouping": name,
                    "stability_ari": np.nan,
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "replicates": 0,
                    "note": note,
                }
            )
        prof.append(_profiles(name, labels[name], raw, F.numeric, overall, v))
    separation = pd.DataFrame(sep_rows)
    value_explained = pd.DataFrame(val_rows)
    table = (
        separation.merge(value_explained, on=["grouping", "n_groups"]) if len(value_explained) else separation
    )
    verdict = _verdict(value_explained, value)
    return ComparisonResult(
        table=table,
        agreement=pd.DataFrame(agree_rows),
        crosstab=pd.concat(cross_rows, ignore_index=True) if cross_rows else pd.DataFrame(),
        separation=separation,
        value_explained=value_explained,
        stability=pd.DataFrame(stab_rows),
        profiles=pd.concat(prof, ignore_index=True) if prof else pd.DataFrame(),
        verdict=verdict,
        X=F.X,
        labels={k: v.to_numpy() for k, v in labels.items()},
        **env.as_fields(),
    )


def _verdict(ve: pd.DataFrame, value: str | None) -> str:
    if value is None or ve.empty or ve["eta_squared_adjusted"].isna().all():
        return "No value column was given, so the groupings are compared on agreement and separation only."
    ranked = ve.sort_values("eta_squared_adjusted", ascending=False)
    best = ranked.iloc[0]
    parts = [f"{r.grouping} {r.eta_squared:.0%} with {int(r.n_groups)} groups" for r in ranked.itertuples()]
    return (
        f"{best['grouping']} explains the most of the variance in {value} "
        "after charging for the number of groups "
        f"(adjusted eta squared {best['eta_squared_adjusted']:.0%}); eta squared: " + "; ".join(parts) + "."
    )
