"""Composite indices: an engagement index validated against later churn, and a 0-100
customer-experience index reported with its distribution and the sensitivity of segment ranks
to the weights. The book asks for "a numeric score out of 100" (ch. 5, section "How do you
quantify customer experience?") and an engagement score "by averaging those scores across all
measures" (ch. 7, section "What measures or indicators will be used?"); both are defined here
with explicit normalisation and weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._boundary import drop_missing
from .._checks import COUNT, MISSING, SEED, check_args
from .._compat import ALPHA_TO_CI, alpha_of, renamed, renamed_attribute
from .._io import check_choice, frame, segment_codes
from .._plot import axes
from .._result import Result
from .._stats import auc, z_value
from ..economics import _limits as limits
from ..errors import InputError, ParameterError
from ._survey import ScoreResult, _check_scale

__all__ = ["EngagementIndex", "CXIndex", "engagement_index", "cx_index"]


# --------------------------------------------------------------------------------------------
# Engagement index
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class EngagementIndex(Result):
    """``table``: one row per measure (``measure``, ``direction``, ``mean``, ``sd``, ``weight``,
    ``loading``, ``variance_share``); ``scores``: the index per row of the input; the validation
    ``auc`` against later churn (with ``auc_se``), ``cronbach_alpha``, and the settings
    (``item_weights``: how the weights were chosen, "equal", "pca", "supervised" or "given").

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"visits": [1, 5, 3, 8, 2, 7], "likes": [10, 40, 20, 90, 10, 60]})
    >>> e = cv.metrics.engagement_index(d, ["visits", "likes"], normalize="z")
    >>> e.table[["measure", "weight"]].values.tolist(), round(e.cronbach_alpha, 3)
    ([['visits', 0.5], ['likes', 0.5]], 0.984)
    """

    scores: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    method: str = "index"
    normalize: str | None = None
    item_weights: str = "equal"
    weights = renamed_attribute("item_weights")
    auc: float | None = None
    auc_se: float | None = None
    auc_sample: str | None = None
    cronbach_alpha: float = float("nan")
    seed: int = 0

    def summary(self) -> str:
        how = (
            "the book's plain average of raw measures (for teaching: scale dominance)"
            if self.method == "book_naive"
            else f"{self.normalize} normalisation, {self.item_weights} weights"
        )
        top = self.table.sort_values("variance_share", ascending=False).iloc[0]
        lines = [
            f"Engagement index over {len(self.scores):,} customers, {len(self.table)} measures: {how}",
            f"  largest variance share: {top['measure']} ({top['variance_share']:.0%})",
            f"  Cronbach's alpha of the normalised measures: {self.cronbach_alpha:.2f}",
        ]
        if self.auc is not None:
            lines.append(
                f"  AUC against later churn ({self.auc_sample}): {self.auc:.3f} (SE {self.auc_se:.3f}); "
                "0.5 = no better than chance"
            )
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """Each measure's share of the index variance: one bar dwarfing the rest is scale dominance."""
        ax = axes(ax)
        t = self.table
        ax.barh(
            t["measure"], t["variance_share"], color=["C3" if v > 0.5 else "C0" for v in t["variance_share"]]
        )
        ax.set(
            xlabel="share of the index variance",
            title=f"Engagement index ({self.method}, {self.item_weights})",
        )
        ax.xaxis.set_major_formatter("{x:.0%}")
        return ax


def _normalise(x: np.ndarray, how: str) -> np.ndarray:
    if how == "z":
        sd = x.std(axis=0, ddof=1)
        return (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    lo, hi = x.min(axis=0), x.max(axis=0)
    return (x - lo) / np.where(hi > lo, hi - lo, 1.0)


def _logistic(x: np.ndarray, y: np.ndarray, iterations: int = 50) -> np.ndarray:
    """Logistic regression by Newton-Raphson (tiny ridge for separable data); returns slopes."""
    X = np.column_stack([np.ones(len(x)), x])
    beta = np.zeros(X.shape[1])
    ridge = 1e-6 * np.eye(X.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-X @ beta))
        grad = X.T @ (y - p)
        hess = (X * (p * (1 - p))[:, None]).T @ X + ridge
        step = np.linalg.solve(hess, grad)
        beta += step
        if np.max(np.abs(step)) < 1e-10:
            break
    return beta[1:]


@renamed(df="data", weights="item_weights")
@check_args(seed=SEED, missing=MISSING)
def engagement_index(
    data: Any,
    measures: Sequence[str],
    *,
    normalize: str | None = None,
    item_weights: Any = "equal",
    reverse: Sequence[str] = (),
    validate_against: str | None = None,
    method: str = "index",
    seed: int = 0,
    missing: str = "raise",
) -> EngagementIndex:
    """An engagement index: normalised measures, explicit weights, validated against later churn.

    index_i = sum_j w_j x~_ij with sum_j |w_j| = 1, where x~ is each measure normalised
    (``normalize="z"``: (x - mean) / sd, the index in standard deviations; ``"minmax"``:
    (x - min) / (max - min), the index in [0, 1] for non-negative weights) and sign-flipped for the
    measures in ``reverse`` (lower = more engaged, e.g. days since the last visit). Weights:

    * ``"equal"``: 1/J each;
    * ``"pca"``: the loadings of the first principal component of the normalised measures
      (signed so that they sum positive);
    * ``"supervised"``: the coefficients of a logistic regression (a linear one for a
      non-binary target) of ``validate_against`` on the normalised measures, negated so that a
      higher index means less churn; fitted on a random half of the rows (``seed``) and validated
      on the other half;
    * a mapping measure -> weight.

    Validation (``validate_against``, a 0/1 column, 1 = churned later): AUC = P(index of a
    retained customer > index of a churned one), the Mann-Whitney AUC of -index for churn, with
    the Hanley-McNeil SE. The book's "leading indicator" claim (ch. 1, "The Value Problem", section
    "Engagement Metrics") holds when the AUC is clearly above 0.5.

    ``method="book_naive"`` is the book's engagement score (ch. 7, section "What measures or
    indicators will be used?": "averaging those scores across all measures"): the plain mean of
    the raw measures. It is kept only to show why it fails: the measure with the largest spread
    dominates (see ``variance_share``).

    Parameters
    ----------
    data : a table (pandas, polars, pyarrow), one row per customer
    measures : the engagement measure columns
    normalize : "z" or "minmax", required for ``method="index"``
    item_weights : "equal", "pca", "supervised" or a mapping measure -> weight
    reverse : measures where lower means more engaged
    validate_against : a 0/1 column of later churn (1 = churned)
    method : "index" or "book_naive"
    seed : the random split for supervised weights
    missing : "raise" or "drop"

    Returns
    -------
    EngagementIndex
        ``table`` per measure: ``measure``, ``direction`` (+1, or -1 for ``reverse``), ``mean``,
        ``sd`` (raw units), ``weight`` (on the normalised measure; on the raw one for book_naive),
        ``loading`` (correlation with the index), ``variance_share`` (w_j cov(x_j, index) /
        var(index): each measure's share of the index variance, summing to 1). ``scores``: the
        index per row (index of the input). ``auc``, ``auc_se``, ``auc_sample`` ("all rows" or
        "held-out half"), ``cronbach_alpha`` (NaN with a single measure, or when the normalised
        measures sum to a constant: the reliability of a sum needs two items that do not cancel).

    Raises
    ------
    InputError
        naming a measure that is constant (every row the same value): it says nothing about
        engagement and its loading is undefined; leave it out of ``measures`` (it is refused
        rather than dropped, so that weights and ``reverse`` keep meaning what was asked).
        Also with fewer than 2 rows.

    References
    ----------
    OECD/JRC (2008). *Handbook on Constructing Composite Indicators*. Hanley, J. & McNeil, B.
    (1982). The meaning and use of the area under a ROC curve. *Radiology* 143(1).

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"visits": [1, 5, 3, 8, 2, 7], "likes": [10, 40, 20, 90, 10, 60],
    ...                   "churned": [1, 0, 1, 0, 1, 0]})
    >>> r = cv.metrics.engagement_index(d, ["visits", "likes"], normalize="z", validate_against="churned")
    >>> r.auc
    1.0
    """
    check_choice("method", method, ["index", "book_naive"])
    measures = _columns(measures, reverse, "measures")
    if method == "index":
        if normalize is None:
            raise ParameterError(
                "argument 'normalize': required ('z' or 'minmax'); measures in different units "
                "cannot be averaged raw"
            )
        check_choice("normalize", normalize, ["z", "minmax"])
    cols = measures + ([validate_against] if validate_against else [])
    rows = frame(data, cols, "engagement")
    rows, dropped = drop_missing(rows, cols, missing, what="engagement_index")
    x = np.column_stack([_numeric_column(rows, m) for m in measures])
    _check_measures(x, measures, rows.index)
    sign = np.array([-1.0 if m in reverse else 1.0 for m in measures])
    y = None
    if validate_against:
        y = _numeric_column(rows, validate_against)
        if not np.isin(y, (0.0, 1.0)).all():
            raise InputError(f"column '{validate_against}': expected 0/1 (1 = churned later)")
    if method == "book_naive":
        z = x * sign
        w = np.full(len(measures), 1 / len(measures))
        weight_name = "equal"
    else:
        assert normalize is not None
        z = _normalise(x, normalize) * sign
        w, weight_name = _engagement_weights(item_weights, measures, z, y, seed)
    train = np.ones(len(z), dtype=bool)
    if weight_name == "supervised":
        train = np.random.default_rng(seed).random(len(z)) < 0.5
        assert y is not None
        w, _ = _engagement_weights("supervised", measures, z[train], y[train], seed)
    index = z @ w
    var = index.var(ddof=1)
    if not var > 1e-12 * max(float(np.abs(index).max()), 1.0) ** 2:
        raise InputError(
            f"column '{measures[0]}': the index is the same for every row: the weighted measures "
            f"({', '.join(measures)}) cancel out (one is the mirror of another, or the weights leave "
            "a constant), so its loadings and variance shares are undefined; check reverse= and "
            "the weights"
        )
    cov = (
        np.array([np.cov(z[:, j], index)[0, 1] for j in range(z.shape[1])])
        if len(z) > 1
        else np.zeros(len(w))
    )
    share = w * cov / var if var > 0 else np.full(len(w), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        loading = np.array([np.corrcoef(z[:, j], index)[0, 1] for j in range(z.shape[1])])
    zz = _normalise(x, "z") * sign
    k = len(measures)
    total_var = zz.sum(axis=1).var(ddof=1)
    cronbach = float(k / (k - 1) * (1 - k / total_var)) if k > 1 and total_var > 0 else float("nan")
    a = se = None
    sample = None
    if y is not None:
        test = ~train if weight_name == "supervised" else np.ones(len(z), dtype=bool)
        a, se = auc(y[test] == 1, -index[test])
        sample = "held-out half" if weight_name == "supervised" else "all rows"
    table = pd.DataFrame(
        {
            "measure": measures,
            "direction": sign.astype(int),
            "mean": x.mean(axis=0),
            "sd": x.std(axis=0, ddof=1),
            "weight": w,
            "loading": loading,
            "variance_share": share,
        }
    )
    return EngagementIndex(
        table=table,
        scores=pd.Series(index, index=rows.index, name="engagement_index"),
        method=method,
        normalize=normalize if method == "index" else None,
        item_weights=weight_name,
        auc=a,
        auc_se=se,
        auc_sample=sample,
        cronbach_alpha=cronbach,
        seed=seed,
        **dropped.as_fields(),
    )


def _check_measures(x: np.ndarray, measures: list[str], index: pd.Index) -> None:
    """InputError unless there are two rows or more and no measure is constant.

    A constant measure is refused rather than dropped: it carries nothing about engagement and
    its loading (a correlation with the index) is undefined, and dropping it would silently
    change what the caller asked for (equal weights 1/J become 1/(J - 1), rescaling every
    score; ``item_weights`` or ``reverse`` naming it would no longer apply). Leaving it out of
    ``measures`` is a one-word fix that keeps the index as stated."""
    if len(x) < 2:
        raise InputError(
            f"column '{measures[0]}': an engagement index needs at least 2 rows (customers), got {len(x)}; "
            "the normalisation, loadings and variance shares need a spread"
        )
    for j, m in enumerate(measures):
        if np.all(x[:, j] == x[0, j]):
            raise InputError(
                f"column '{m}': constant (every one of the {len(x):,} rows is {x[0, j]:g}), so it says "
                "nothing about engagement and its loading (its correlation with the index) is "
                f"undefined; leave '{m}' out of measures"
            )


def _columns(names: Sequence[str], reverse: Sequence[str], arg: str) -> list[str]:
    """The measure (or item) columns of an index: at least one, ``reverse`` among them."""
    names = list(names)
    if len(names) == 0:
        raise ParameterError(f"argument '{arg}': name at least one {arg.removesuffix('s')} column")
    for r in reverse:
        if r not in names:
            raise ParameterError(f"argument 'reverse': {r!r} is not one of the {arg}")
    return names


def _numeric_column(df: pd.DataFrame, column: str) -> np.ndarray:
    s = df[column]
    if s.dtype == bool:
        return s.to_numpy(dtype=float)
    if not pd.api.types.is_numeric_dtype(s.dtype):
        raise InputError(f"column '{column}': expected a numeric column, got {s.dtype}")
    return s.to_numpy(dtype=float)


def _engagement_weights(
    weights: Any, measures: list[str], z: np.ndarray, y: np.ndarray | None, seed: int
) -> tuple[np.ndarray, str]:
    if isinstance(weights, Mapping):
        return _weight_vector(weights, measures, "item_weights", "measures"), "given"
    check_choice("item_weights", weights, ["equal", "pca", "supervised"])
    if weights == "equal":
        return np.full(len(measures), 1 / len(measures)), "equal"
    if weights == "pca":
        vals, vecs = np.linalg.eigh(np.cov(z, rowvar=False).reshape(len(measures), len(measures)))
        v = vecs[:, -1]
        v = v if v.sum() >= 0 else -v
        return v / np.abs(v).sum(), "pca"
    if y is None:
        raise ParameterError(
            "argument 'validate_against': supervised weights need the churn column to learn from"
        )
    if set(np.unique(y)) <= {0.0, 1.0}:
        coef = _logistic(z, y)
    else:
        coef = np.linalg.lstsq(np.column_stack([np.ones(len(z)), z]), y, rcond=None)[0][1:]
    w = -coef  # churn is bad: a higher index should mean less churn
    total = np.abs(w).sum()
    if not np.isfinite(total) or total == 0:
        raise ParameterError(
            "argument 'item_weights': the supervised fit found no relation to the validation target"
        )
    return w / total, "supervised"


def _weight_vector(weights: Any, items: list[str], arg: str, what: str) -> np.ndarray:
    """Weights from a mapping or a sequence, matched to ``items``; ParameterError on mismatch."""
    if isinstance(weights, Mapping):
        unknown = [k for k in weights if k not in items]
        absent = [k for k in items if k not in weights]
        if unknown or absent:
            parts = []
            if unknown:
                parts.append(f"{', '.join(map(repr, unknown))} not among the {what}")
            if absent:
                parts.append(f"no weight for {', '.join(map(repr, absent))}")
            raise ParameterError(f"argument '{arg}': weights do not match the {what}: {'; '.join(parts)}")
        w = np.array([float(weights[k]) for k in items])
    else:
        w = np.asarray(weights, dtype=float).ravel()
        if len(w) != len(items):
            raise ParameterError(f"argument '{arg}': {len(w)} weights for {len(items)} {what}")
    if not np.all(np.isfinite(w)) or (w < 0).any() or w.sum() <= 0:
        raise ParameterError(f"argument '{arg}': weights must be finite, non-negative and not all zero")
    return w / w.sum()


# --------------------------------------------------------------------------------------------
# The 0-100 customer-experience index
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class CXIndex(ScoreResult):
    """``table``: the index per segment with its distribution, n and interval; ``scores``: the
    index per respondent; ``sensitivity``: the segment indices and ranks under alternative
    weights; ``rank_range``: per segment the best and worst rank over all weightings and
    ``p_same_rank``, the share of the random weightings that keep the segment's rank (NaN with
    ``n_simulations=0``: no random weightings were drawn); ``value``: the index (a Series by
    segment with ``by``); ``item_weights``: the weight of each item, normalised to sum to 1.

    Examples
    --------
    Each item rescaled to 0-100, then weighted 3:1; the index is the mean of the respondents':

    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"ease": [5, 4, 3, 5], "speed": [1, 3, 5, 5]})
    >>> r = cv.metrics.cx_index(d, ["ease", "speed"], item_weights={"ease": 3, "speed": 1})
    >>> r.scores.tolist(), r.value
    ([75.0, 68.75, 62.5, 100.0], 76.5625)
    """

    scores: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)
    rank_range: pd.DataFrame = field(default_factory=pd.DataFrame)
    item_weights: dict[str, float] = field(default_factory=dict)
    weights = renamed_attribute("item_weights")
    seed: int = 0

    def _row_text(self, r: Mapping[str, Any], level: str) -> str:
        return (
            f"{r['index']:.1f}/100 ({level} CI {r['ci_low']:.1f}-{r['ci_high']:.1f}), n={r['n']:,}, "
            f"{r['pct_high']:.0f}% at 80+, {r['pct_low']:.0f}% below 50"
        )

    def summary(self) -> str:
        out = super().summary()
        if self.by is not None and len(self.rank_range):
            moved = self.rank_range[self.rank_range["best_rank"] != self.rank_range["worst_rank"]]
            out += f"\n  {len(moved)} of {len(self.rank_range)} segments change rank under other weights"
        return out

    def plot(self, ax: Any = None) -> Any:
        """Segment ranks under each weighting (one line per segment): crossing lines are rank flips."""
        ax = axes(ax)
        if self.by is None:
            ax.hist(self.scores, bins=40, color="C0")
            ax.set(xlabel="CX index (0-100)", ylabel="respondents", title="Distribution of the CX index")
            return ax
        s = self.sensitivity.pivot(index="weighting", columns=self.by, values="rank")
        order = list(dict.fromkeys(self.sensitivity["weighting"]))
        s = s.loc[order]
        for seg in s.columns:
            ax.plot(range(len(s)), s[seg], marker="o", label=str(seg))
        ax.set_xticks(range(len(s)), s.index, rotation=30, ha="right")
        ax.invert_yaxis()
        ax.set(ylabel="rank (1 = best)", title="Segment ranks under alternative weights")
        ax.legend(fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
        return ax


@renamed(df="data", weights="item_weights", n_random="n_simulations", alpha=ALPHA_TO_CI)
@check_args(n_simulations=COUNT, seed=SEED, missing=MISSING)
def cx_index(
    data: Any,
    items: Sequence[str],
    *,
    item_weights: Any = None,
    scale: Any = (1, 5),
    reverse: Sequence[str] = (),
    by: str | None = None,
    alternatives: Mapping[str, Any] | None = None,
    n_simulations: int = 200,
    ci: float = 0.95,
    seed: int = 0,
    missing: str = "raise",
) -> CXIndex:
    """A 0-100 customer-experience index, reported with its distribution, n, interval and the
    sensitivity of segment rankings to the weights.

    Each item is rescaled to 0-100, s_ij = 100 (x_ij - low_j) / (high_j - low_j) (or
    100 (high_j - x_ij) / (high_j - low_j) for the items in ``reverse``, where higher is worse,
    such as effort), and combined
    with weights normalised to sum to 1: index_i = sum_j w_j s_ij (points out of 100). A segment's
    index is the mean over its respondents with the interval mean +/- z sd / sqrt(n). The book
    calls a score out of 100 "the most practical way" (ch. 5, section "How do you quantify
    customer experience?") and then lists its two pitfalls in the same section: a mean hides how
    many customers are satisfied, and weights hide trade-offs. So the table also gives the share
    of respondents at 80+ and below 50 and the quartiles, and ``sensitivity`` recomputes every
    segment's index and rank under equal weights, under each item left out, under each named
    alternative, and under ``n_simulations`` weight vectors drawn from a flat Dirichlet
    (``n_simulations`` of them, ``seed``).

    Parameters
    ----------
    data : a table (pandas, polars, pyarrow), one row per respondent
    items : the item columns
    item_weights : None (equal), a mapping item -> weight, or a sequence in the order of ``items``
    scale : (low, high) for every item, or a mapping item -> (low, high)
    reverse : items where a higher answer is a worse experience (e.g. effort)
    by : a segment column; rankings are of segments
    alternatives : extra named weightings (mapping name -> weights) for the sensitivity table
    n_simulations : random Dirichlet weightings in the rank range (0 for none)
    ci, seed, missing : interval level (e.g. 0.95), seed of the random weightings, missing-value
        policy

    Returns
    -------
    CXIndex
        ``table`` per segment: ``n``, ``index`` (mean, 0-100), ``sd``, ``ci_low``, ``ci_high``,
        ``q25``, ``median``, ``q75`` (0-100), ``pct_high`` (percent of respondents at 80 or more),
        ``pct_low`` (percent below 50). ``scores``: the index per respondent. ``sensitivity``:
        ``weighting``, the ``by`` column, ``index``, ``rank`` (1 = best), ``rank_change`` (against
        the chosen weights). ``rank_range``: per segment ``rank`` (chosen weights), ``best_rank``,
        ``worst_rank``, ``p_same_rank`` (share of the random weightings keeping the rank; NaN
        with ``n_simulations=0``: no random weightings were drawn).

    ``n_simulations`` is a whole number from 0 to 1,000,000 whose weight draws (8 bytes per
    item each) fit the 2 GiB budget of the cores; the ranks are computed in blocks.

    References
    ----------
    Fornell, C. et al. (1996). The American Customer Satisfaction Index. *J. Marketing* 60(4).
    OECD/JRC (2008). *Handbook on Constructing Composite Indicators* (weights and sensitivity).

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"ease": [5, 4, 3, 5], "speed": [1, 3, 5, 5]})
    >>> cv.metrics.cx_index(d, ["ease", "speed"], item_weights={"ease": 3, "speed": 1}).value
    76.5625
    """
    alpha = alpha_of(ci)
    items = _columns(items, reverse, "items")
    n_simulations = limits.whole("n_simulations", n_simulations, low=0, what="random weightings")
    limits.budget("n_simulations", n_simulations, 8 * len(items), "random weightings of the items")
    z = z_value(alpha)
    w = (
        _weight_vector(item_weights, items, "item_weights", "items")
        if item_weights is not None
        else np.full(len(items), 1 / len(items))
    )
    cols = items + ([by] if by else [])
    rows = frame(data, cols, "survey")
    rows, dropped = drop_missing(rows, cols, missing, what="cx_index")
    if len(rows) == 0:
        raise InputError(f"column '{items[0]}': no rows left after dropping missing values")
    rescaled = np.empty((len(rows), len(items)))
    for j, item in enumerate(items):
        sc = scale.get(item) if isinstance(scale, Mapping) else scale
        if sc is None:
            raise ParameterError(f"argument 'scale': no (low, high) for item {item!r}")
        lo, hi = _check_scale(sc)
        v = _numeric_column(rows, item)
        out = (v < lo) | (v > hi)
        if out.any():
            raise InputError(
                f"column '{item}': {int(out.sum())} value(s) outside the {lo}-{hi} scale (e.g. {v[out][0]:g})"
            )
        rescaled[:, j] = 100 * ((hi - v) if item in reverse else (v - lo)) / (hi - lo)
    scores = rescaled @ w
    if by:
        codes, labels = segment_codes(rows[by])
    else:
        codes, labels = np.zeros(len(rows), dtype=np.int64), pd.Index(["all"])
    g = len(labels)
    n = np.bincount(codes, minlength=g)
    mean = np.bincount(codes, weights=scores, minlength=g) / n
    sq = np.bincount(codes, weights=scores**2, minlength=g)
    sd = np.sqrt(np.maximum(sq - n * mean**2, 0) / np.maximum(n - 1, 1))
    half = z * sd / np.sqrt(n)
    ser = pd.Series(scores)
    grouped = ser.groupby(codes)
    q = grouped.quantile([0.25, 0.5, 0.75]).unstack()
    table = pd.DataFrame(
        {
            "n": n,
            "index": mean,
            "sd": sd,
            "ci_low": mean - half,
            "ci_high": mean + half,
            "q25": q[0.25].to_numpy(),
            "median": q[0.5].to_numpy(),
            "q75": q[0.75].to_numpy(),
            "pct_high": 100 * np.bincount(codes, weights=(scores >= 80), minlength=g) / n,
            "pct_low": 100 * np.bincount(codes, weights=(scores < 50), minlength=g) / n,
        }
    )
    if by:
        table.insert(0, by, labels)
    sens, ranges = _rank_sensitivity(rescaled, codes, labels, items, w, by, alternatives, n_simulations, seed)
    return CXIndex(
        table=table,
        metric="CX index (0-100)",
        estimate="index",
        by=by,
        ci=ci,
        **dropped.as_fields(),
        scores=pd.Series(scores, index=rows.index, name="cx_index"),
        sensitivity=sens,
        rank_range=ranges,
        item_weights=dict(zip(items, map(float, w), strict=True)),
        seed=seed,
    )


#: Segment ranks computed at once by :func:`_min_ranks_descending` (weightings x segments).
_RANK_BLOCK = 1_000_000


def _min_ranks_descending(values: np.ndarray) -> np.ndarray:
    """Per row, pandas' ``rank(ascending=False, method="min")`` of each column: 1 + the number
    of larger values in the row (ties share the lowest rank), for finite values."""
    order = np.argsort(-values, axis=1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=1)
    g = values.shape[1]
    new = np.ones(ordered.shape, dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(new, np.arange(g), 0), axis=1)
    out = np.empty(values.shape, dtype=np.int64)
    np.put_along_axis(out, order, first + 1, axis=1)
    return out


def _rank_sensitivity(
    rescaled: np.ndarray,
    codes: np.ndarray,
    labels: pd.Index,
    items: list[str],
    w: np.ndarray,
    by: str | None,
    alternatives: Mapping[str, Any] | None,
    n_simulations: int,
    seed: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Segment means of each item, then segment indices and ranks under each weighting."""
    g = len(labels)
    n = np.bincount(codes, minlength=g)
    item_means = np.column_stack(
        [np.bincount(codes, weights=rescaled[:, j], minlength=g) / n for j in range(len(items))]
    )
    schemes: dict[str, np.ndarray] = {"chosen": w, "equal": np.full(len(items), 1 / len(items))}
    if len(items) > 1:
        for j, item in enumerate(items):
            v = w.copy()
            v[j] = 0.0
            if v.sum() > 0:
                schemes[f"without {item}"] = v / v.sum()
    for name, alt in (alternatives or {}).items():
        schemes[str(name)] = _weight_vector(alt, items, f"alternatives[{name!r}]", "items")
    seg = by or "segment"

    def ranks(values: np.ndarray) -> np.ndarray:
        return pd.Series(values).rank(ascending=False, method="min").to_numpy(int)

    base = ranks(item_means @ w)
    frames = []
    for name, v in schemes.items():
        idx = item_means @ v
        r = ranks(idx)
        frames.append(
            pd.DataFrame({"weighting": name, seg: labels, "index": idx, "rank": r, "rank_change": r - base})
        )
    sens = pd.concat(frames, ignore_index=True)
    all_ranks = np.vstack([f["rank"].to_numpy() for f in frames])
    best, worst = all_ranks.min(axis=0), all_ranks.max(axis=0)
    same = np.full(g, np.nan)
    if n_simulations > 0:
        draws = np.random.default_rng(seed).dirichlet(np.ones(len(items)), size=n_simulations)
        kept = np.zeros(g)
        step = max(1, _RANK_BLOCK // max(g, 1))
        for lo in range(0, n_simulations, step):
            rand = _min_ranks_descending(draws[lo : lo + step] @ item_means.T)
            best, worst = np.minimum(best, rand.min(axis=0)), np.maximum(worst, rand.max(axis=0))
            kept += (rand == base).sum(axis=0)
        same = kept / n_simulations
    ranges = pd.DataFrame(
        {
            seg: labels,
            "rank": base,
            "best_rank": best,
            "worst_rank": worst,
            "p_same_rank": same,
        }
    )
    return sens, ranges
