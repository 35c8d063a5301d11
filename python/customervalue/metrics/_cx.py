"""Customer-experience metrics: NPS, CSAT, effort, first-contact resolution, churn and retention
by cohort, an engagement index and a 0-100 experience index.

The book names these scores without defining them (NPS once, at ch. 5 L4069; "a numeric score out
of 100" at L4189; an engagement score "by averaging those scores across all measures" at
L5075-5077). Each function here states its formula, its units and its interval, and checks its
input against the scale it assumes. Counting is vectorised (``np.bincount`` over segment codes),
so tens of millions of survey rows take well under a second.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._boundary import Envelope, drop_missing
from .._compat import ALPHA_TO_CI, alpha_of, renamed
from .._io import check_choice, frame, segment_codes
from .._plot import axes
from .._result import Result
from .._stats import auc, wilson_interval, z_value
from ..errors import InputError, ParameterError

__all__ = [
    "ScoreResult",
    "CohortResult",
    "EngagementIndex",
    "CXIndex",
    "nps",
    "csat",
    "ces",
    "first_contact_resolution",
    "churn_rate",
    "retention",
    "engagement_index",
    "cx_index",
]


# --------------------------------------------------------------------------------------------
# Survey scores: one input path, one counting kernel, one result class
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class ScoreResult(Result):
    """A survey metric per segment: ``table`` (one row per segment, columns in each function's
    docstring), ``distribution`` (respondents per scale point and segment), the ``metric`` name,
    the column of the estimate, the ``by`` column, ``alpha`` and the rows dropped as missing.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"score": [10, 9, 3, 10, 6, 7], "plan": ["a", "a", "a", "b", "b", "b"]})
    >>> r = cv.metrics.nps(d, by="plan", column="score")
    >>> r.metric, r.value.round(1).tolist()
    ('Net Promoter Score', [33.3, 0.0])
    >>> r.table[["plan", "promoters", "passives", "detractors"]].values.tolist()
    [['a', 2, 0, 1], ['b', 1, 1, 1]]
    """

    distribution: pd.DataFrame = field(default_factory=pd.DataFrame)
    metric: str = ""
    estimate: str = ""
    by: str | None = None
    alpha: float = 0.05

    @property
    def value(self) -> Any:
        """The estimate: a float without ``by``, a Series indexed by segment with it."""
        if self.by is None:
            return float(self.table[self.estimate].iloc[0])
        return self.table.set_index(self.by)[self.estimate]

    def _row_text(self, r: Mapping[str, Any], level: str) -> str:
        return f"{r[self.estimate]:.1f} ({level} CI {r['ci_low']:.1f} to {r['ci_high']:.1f}), n={r['n']:,}"

    def summary(self) -> str:
        level = f"{100 * (1 - self.alpha):g}%"
        lines = [
            (f"{r[self.by]}: " if self.by else "") + self._row_text(r, level)
            for r in self.table.to_dict("records")
        ]
        dropped = f"; {self.n_missing:,} rows dropped as missing" if self.n_missing else ""
        return f"{self.metric}{dropped}\n  " + "\n  ".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """The estimate with its interval, one bar per segment."""
        t = self.table
        ax = axes(ax, figsize=(7.0, max(2.0, 0.45 * len(t) + 1.2)))
        labels = t[self.by].astype(str) if self.by else pd.Series([self.metric])
        y = np.arange(len(t))
        est = t[self.estimate].to_numpy(float)
        err = np.vstack([est - t["ci_low"].to_numpy(float), t["ci_high"].to_numpy(float) - est])
        ax.barh(y, est, color="C0", alpha=0.7)
        ax.errorbar(est, y, xerr=err, fmt="none", ecolor="k", capsize=3)
        ax.set_yticks(y, labels)
        ax.axvline(0, color="0.5", lw=0.8)
        ax.set(xlabel=f"{self.estimate} ({100 * (1 - self.alpha):g}% interval)", title=self.metric)
        return ax


def _survey_frame(
    scores: Any, by: Any, column: str | None, default_name: str, missing: str
) -> tuple[pd.Series, pd.Series | None, Envelope]:
    """The score column and the segment column (or None) from either a table plus ``column=``
    or an array/Series plus an optional array/Series ``by``; the missing policy applied."""
    if isinstance(scores, (pd.Series, np.ndarray, list, tuple)):
        if column is not None:
            raise ParameterError("argument 'column': only used when the first argument is a table")
        s = scores if isinstance(scores, pd.Series) else pd.Series(np.asarray(scores), name=default_name)
        s = s.rename(s.name if s.name is not None else default_name).reset_index(drop=True)
        df = s.to_frame()
        cols = [str(s.name)]
        if by is not None:
            b = by if isinstance(by, pd.Series) else pd.Series(np.asarray(by), name="segment")
            if len(b) != len(s):
                raise InputError(f"column '{b.name}': has {len(b)} rows, the scores have {len(s)}")
            bname = str(b.name) if b.name is not None else "segment"
            if bname == cols[0]:
                bname = "segment"
            df[bname] = b.to_numpy() if not isinstance(b.dtype, pd.CategoricalDtype) else b.array
            cols.append(bname)
        if len(df) == 0:
            raise InputError(f"column '{cols[0]}': no scores (0 rows)")
    else:
        if column is None:
            raise ParameterError("argument 'column': name the score column when passing a table")
        if by is not None and not isinstance(by, str):
            raise ParameterError("argument 'by': name a column of the table")
        cols = [column] + ([by] if by is not None else [])
        df = frame(scores, cols, "survey")
    df, dropped = drop_missing(df, cols, missing)
    if len(df) == 0:
        raise InputError(f"column '{cols[0]}': no scores left after dropping missing values")
    return df[cols[0]], (df[cols[1]] if len(cols) > 1 else None), dropped


def _scale_points(values: pd.Series, scale: tuple[int, int], name: str) -> np.ndarray:
    """Scores as 0-based integer offsets into the scale; InputError for points off the scale."""
    lo, hi = _check_scale(scale)
    dtype = values.dtype
    if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
        raise InputError(f"column '{name}': expected numeric scores, got {dtype}")
    v = values.to_numpy()
    if v.dtype.kind == "f":
        frac = v != np.floor(v)
        if frac.any():
            raise InputError(
                f"column '{name}': {int(frac.sum())} score(s) are not scale points (e.g. {v[frac][0]:g}); "
                f"the {lo}-{hi} scale has whole points"
            )
    vmin, vmax = v.min(), v.max()
    if vmin < lo or vmax > hi:
        outside = (v < lo) | (v > hi)
        raise InputError(
            f"column '{name}': {int(outside.sum())} score(s) outside the {lo}-{hi} scale "
            f"(e.g. {v[outside][0]:g})"
        )
    return (v - lo).astype(np.int64, copy=False)


def _check_scale(scale: Any) -> tuple[int, int]:
    try:
        lo, hi = (int(x) for x in scale)
    except (TypeError, ValueError):
        raise ParameterError(f"argument 'scale': expected (low, high) integers, got {scale!r}") from None
    if (lo, hi) != tuple(scale) or hi <= lo:
        raise ParameterError(f"argument 'scale': expected integers low < high, got {scale!r}")
    return lo, hi


def _count_table(
    scores: Any, by: Any, column: str | None, scale: tuple[int, int], name: str, missing: str
) -> tuple[np.ndarray, pd.Index | None, str | None, str, Envelope]:
    """Respondents per (segment, scale point): a (segments x points) count matrix."""
    values, seg, dropped = _survey_frame(scores, by, column, name, missing)
    label = str(values.name)
    k = _scale_points(values, scale, label)
    npts = scale[1] - scale[0] + 1
    if seg is None:
        return np.bincount(k, minlength=npts)[None, :], None, None, label, dropped
    codes, labels = segment_codes(seg)
    counts = np.bincount(codes * npts + k, minlength=len(labels) * npts).reshape(len(labels), npts)
    return counts, labels, str(seg.name), label, dropped


def _distribution(counts: np.ndarray, labels: pd.Index | None, by: str | None, lo: int) -> pd.DataFrame:
    cols = {str(lo + j): counts[:, j] for j in range(counts.shape[1])}
    out = pd.DataFrame(cols)
    if by is not None and labels is not None:
        out.insert(0, by, labels)
    return out


def _share_result(
    counts: np.ndarray,
    hits: np.ndarray,
    labels: pd.Index | None,
    by: str | None,
    estimate: str,
    metric: str,
    lo: int,
    alpha: float,
    dropped: Envelope,
    extra: Mapping[str, np.ndarray] | None = None,
) -> ScoreResult:
    """A proportion (as percent) with its Wilson interval per segment."""
    n = counts.sum(axis=1)
    low, high = wilson_interval(hits, n, alpha)
    table = pd.DataFrame(
        {"n": n, "count": hits, estimate: 100 * hits / n, "ci_low": 100 * low, "ci_high": 100 * high}
    )
    for name, col in (extra or {}).items():
        table[name] = col
    return _score_result(table, counts, labels, by, estimate, metric, lo, alpha, dropped)


def _score_result(
    table: pd.DataFrame,
    counts: np.ndarray,
    labels: pd.Index | None,
    by: str | None,
    estimate: str,
    metric: str,
    lo: int,
    alpha: float,
    dropped: Envelope,
) -> ScoreResult:
    """The result of a survey metric: the segment column first, the distribution alongside."""
    if by is not None and labels is not None:
        table.insert(0, by, labels)
    return ScoreResult(
        table=table,
        distribution=_distribution(counts, labels, by, lo),
        metric=metric,
        estimate=estimate,
        by=by,
        alpha=alpha,
        **dropped.as_fields(),
    )


@renamed(scores="data", alpha=ALPHA_TO_CI)
def nps(
    data: Any,
    *,
    by: Any = None,
    column: str | None = None,
    ci: float = 0.95,
    missing: str = "raise",
) -> ScoreResult:
    """Net Promoter Score with its multinomial standard error, overall or by segment.

    NPS = 100 (p_P - p_D), with p_P the share of promoters (9-10) and p_D the share of detractors
    (0-6) on the 0-10 "how likely are you to recommend" question. Each answer is +1, 0 or -1, so
    the variance of the mean is Var = (p_P + p_D - (p_P - p_D)^2) / n and
    SE = 100 sqrt(Var), in NPS points. The interval is NPS +/- z_((1+ci)/2) SE, clipped to
    [-100, 100].

    Parameters
    ----------
    data : a table (pandas, polars, pyarrow) with ``column=``, or a Series / array of 0-10 scores
    by : the segment column name (with a table) or a Series / array of segment labels
    column : the score column of the table
    ci : confidence level of the interval (e.g. 0.95)
    missing : "raise" (default) or "drop" rows with a missing score or segment

    Returns
    -------
    ScoreResult
        ``table``, one row per segment (sorted; the ``by`` column first when given): ``n``
        (respondents), ``promoters``, ``passives``, ``detractors`` (counts), ``pct_promoters``,
        ``pct_passives``, ``pct_detractors`` (percent), ``nps`` (points, -100 to 100), ``se``
        (points), ``ci_low``, ``ci_high`` (points). ``distribution``: respondents per score.
        ``value``: the NPS (a Series by segment with ``by``).

    Raises
    ------
    InputError
        a score outside 0-10 or not a whole number, missing values (with ``missing="raise"``),
        a segment with no responses, an empty table or a missing column, all naming the column.

    References
    ----------
    Reichheld, F. (2003). The one number you need to grow. *Harvard Business Review* 81(12).
    Rocks, B. (2016). Margin of error for NPS. (The multinomial variance above.)

    Examples
    --------
    >>> import customervalue as cv
    >>> r = cv.metrics.nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 0])
    >>> r.value                  # 5 promoters, 3 detractors of 10
    20.0
    >>> round(float(r.table["se"].iloc[0]), 2)
    27.57
    """
    scores, alpha = data, alpha_of(ci)  # the names the body below uses
    z = z_value(alpha)
    counts, labels, by_name, _, dropped = _count_table(scores, by, column, (0, 10), "nps", missing)
    n = counts.sum(axis=1)
    det, pas, pro = counts[:, :7].sum(axis=1), counts[:, 7:9].sum(axis=1), counts[:, 9:].sum(axis=1)
    p_p, p_d = pro / n, det / n
    est = 100 * (p_p - p_d)
    se = 100 * np.sqrt(np.maximum(p_p + p_d - (p_p - p_d) ** 2, 0.0) / n)
    table = pd.DataFrame(
        {
            "n": n,
            "promoters": pro,
            "passives": pas,
            "detractors": det,
            "pct_promoters": 100 * p_p,
            "pct_passives": 100 * pas / n,
            "pct_detractors": 100 * p_d,
            "nps": est,
            "se": se,
            "ci_low": np.clip(est - z * se, -100, 100),
            "ci_high": np.clip(est + z * se, -100, 100),
        }
    )
    return _score_result(table, counts, labels, by_name, "nps", "Net Promoter Score", 0, alpha, dropped)


@renamed(scores="data", alpha=ALPHA_TO_CI)
def csat(
    data: Any,
    *,
    by: Any = None,
    column: str | None = None,
    top: int = 2,
    scale: tuple[int, int] = (1, 5),
    ci: float = 0.95,
    missing: str = "raise",
) -> ScoreResult:
    """Customer satisfaction (CSAT): the top-box share with its Wilson interval.

    CSAT = 100 k / n, with k the respondents in the ``top`` highest points of the scale (4 and 5
    on the usual 1-5 satisfaction item) and n all respondents. The interval is Wilson's score
    interval for k of n (better than the Wald interval near 0% and 100% and for small n).

    Parameters
    ----------
    data, by, column, ci, missing : as :func:`nps`
    top : how many of the highest scale points count as satisfied (1 to the scale's size - 1)
    scale : (lowest, highest) whole points of the item, default (1, 5)

    Returns
    -------
    ScoreResult
        ``table`` per segment: ``n``, ``count`` (satisfied respondents), ``csat`` (percent),
        ``ci_low``, ``ci_high`` (percent, Wilson), ``mean`` (mean score, scale points).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *JASA* 22(158). Top-box CSAT: Farris et al., *Marketing Metrics* (2010), ch. 2.

    Examples
    --------
    >>> import customervalue as cv
    >>> r = cv.metrics.csat([5, 4, 4, 3, 2, 5, 1, 4])
    >>> r.value                 # 5 of 8 answered 4 or 5
    62.5
    >>> [round(x, 1) for x in r.table[["ci_low", "ci_high"]].iloc[0]]
    [30.6, 86.3]
    """
    scores, alpha = data, alpha_of(ci)  # the names the body below uses
    lo, hi = _check_scale(scale)
    _check_top(top, hi - lo + 1)
    counts, labels, by_name, _, dropped = _count_table(scores, by, column, (lo, hi), "csat", missing)
    hits = counts[:, -top:].sum(axis=1)
    points = np.arange(lo, hi + 1)
    mean = counts @ points / counts.sum(axis=1)
    return _share_result(
        counts, hits, labels, by_name, "csat", f"CSAT (top-{top}-box)", lo, alpha, dropped, {"mean": mean}
    )


def _check_top(top: Any, npts: int, name: str = "top") -> None:
    if not isinstance(top, (int, np.integer)) or not 1 <= top < npts:
        raise ParameterError(f"argument '{name}': must be a whole number from 1 to {npts - 1}, got {top!r}")


@renamed(scores="data", alpha=ALPHA_TO_CI)
def ces(
    data: Any,
    *,
    by: Any = None,
    column: str | None = None,
    scale: tuple[int, int] = (1, 7),
    direction: str = "effort",
    easy: int = 3,
    ci: float = 0.95,
    missing: str = "raise",
) -> ScoreResult:
    """Customer Effort Score: the share of low-effort answers (Wilson interval) and the mean.

    With ``direction="effort"`` (the question "how much effort did you have to put forth?", higher
    is more effort, as in Dixon, Freeman & Toman 2010) the low-effort share counts the ``easy``
    lowest points; with ``direction="ease"`` (CES 2.0, "the company made it easy", higher is
    easier) it counts the ``easy`` highest points. ces = 100 k / n; the mean score has the
    interval mean +/- z sd / sqrt(n).

    Parameters
    ----------
    data, by, column, ci, missing : as :func:`nps`
    scale : (lowest, highest) whole points, default (1, 7)
    direction : "effort" (higher = more effort) or "ease" (higher = easier)
    easy : how many points at the easy end count as low effort (default 3 of 7)

    Returns
    -------
    ScoreResult
        ``table`` per segment: ``n``, ``count`` (low-effort answers), ``ces`` (percent low effort),
        ``ci_low``, ``ci_high`` (percent, Wilson), ``mean`` (scale points), ``mean_ci_low``,
        ``mean_ci_high`` (scale points).

    References
    ----------
    Dixon, M., Freeman, K. & Toman, N. (2010). Stop trying to delight your customers.
    *Harvard Business Review* 88(7/8).

    Examples
    --------
    >>> import customervalue as cv
    >>> r = cv.metrics.ces([1, 2, 2, 3, 5, 7, 4, 1], scale=(1, 7))
    >>> r.value                 # 5 of 8 answered 1-3 (low effort)
    62.5
    """
    scores, alpha = data, alpha_of(ci)  # the names the body below uses
    lo, hi = _check_scale(scale)
    check_choice("direction", direction, ["effort", "ease"])
    _check_top(easy, hi - lo + 1, "easy")
    z = z_value(alpha)
    counts, labels, by_name, _, dropped = _count_table(scores, by, column, (lo, hi), "effort", missing)
    hits = counts[:, :easy].sum(axis=1) if direction == "effort" else counts[:, -easy:].sum(axis=1)
    points = np.arange(lo, hi + 1, dtype=float)
    n = counts.sum(axis=1)
    mean = counts @ points / n
    var = (counts @ points**2 - n * mean**2) / np.maximum(n - 1, 1)
    half = z * np.sqrt(np.maximum(var, 0.0) / n)
    return _share_result(
        counts,
        hits,
        labels,
        by_name,
        "ces",
        "Customer Effort Score (% low effort)",
        lo,
        alpha,
        dropped,
        {"mean": mean, "mean_ci_low": mean - half, "mean_ci_high": mean + half},
    )


@renamed(alpha=ALPHA_TO_CI)
def first_contact_resolution(
    data: Any,
    resolved: str | None = None,
    *,
    contacts: str | None = None,
    by: str | None = None,
    ci: float = 0.95,
    missing: str = "raise",
) -> ScoreResult:
    """First-contact resolution (FCR): the share of cases resolved at the first contact.

    FCR = 100 k / n, with n the cases that needed resolution (one row each) and k those resolved
    at the first contact: ``resolved`` is 1/True for them, or ``contacts`` (contacts it took to
    resolve the case) equals 1. Wilson interval. (The book's "First, call resolution rates",
    ch. 5 L4067, is this metric.)

    Parameters
    ----------
    data : a table with one row per case needing resolution
    resolved : a 0/1 or boolean column (1 = resolved at the first contact)
    contacts : alternatively, a column of contacts to resolution (whole numbers >= 1)
    by, ci, missing : as :func:`nps` (``by`` names a column)

    Returns
    -------
    ScoreResult
        ``table`` per segment: ``n`` (cases), ``count`` (resolved at first contact), ``fcr``
        (percent), ``ci_low``, ``ci_high`` (percent, Wilson).

    References
    ----------
    SQM Group; Farris et al., *Marketing Metrics* (2010). Wilson (1927) for the interval.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> cases = pd.DataFrame({"contacts": [1, 1, 2, 1, 3, 1, 1, 2]})
    >>> cv.metrics.first_contact_resolution(cases, contacts="contacts").value
    62.5
    """
    alpha = alpha_of(ci)  # the tail probability the body below uses
    if (resolved is None) == (contacts is None):
        raise ParameterError("arguments 'resolved' and 'contacts': give exactly one of them")
    col = resolved if resolved is not None else contacts
    assert col is not None
    df = frame(data, [col] + ([by] if by else []), "cases")
    values = df[col]
    if values.dtype == bool:
        values = values.astype(np.int64)
    if not pd.api.types.is_numeric_dtype(values.dtype):
        raise InputError(f"column '{col}': expected numbers or booleans, got {values.dtype}")
    v = values.to_numpy(dtype=float, na_value=np.nan)
    if contacts is not None:
        bad = np.isfinite(v) & ((v < 1) | (v != np.floor(v)))
        if bad.any():
            raise InputError(
                f"column '{col}': {int(bad.sum())} value(s) are not whole contact counts >= 1 "
                f"(e.g. {v[bad][0]:g})"
            )
        v = np.where(np.isfinite(v), (v == 1).astype(float), np.nan)
    elif (np.isfinite(v) & (v != 0) & (v != 1)).any():
        raise InputError(f"column '{col}': expected 0/1 or True/False (resolved at first contact)")
    flags = pd.Series(v, name=col, index=df.index)
    seg = df[by] if by else None
    counts, labels, by_name, _, dropped = _count_table(flags, seg, None, (0, 1), col, missing)
    return _share_result(
        counts, counts[:, 1], labels, by_name, "fcr", "First-contact resolution", 0, alpha, dropped
    )


# --------------------------------------------------------------------------------------------
# Churn and retention by cohort (a life table)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class CohortResult(Result):
    """Churn and retention by cohort and period: ``table`` (one row per cohort and period,
    columns in :func:`churn_rate`), the ``period`` alias, ``observation_end`` and, for purchase
    logs, the ``inactivity`` rule.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> subs = pd.DataFrame({"id": [1, 2, 3, 4], "start": pd.to_datetime(["2024-01-05"] * 4),
    ...                      "end": pd.to_datetime(["2024-02-10", None, "2024-03-01", None])})
    >>> r = cv.metrics.churn_rate(subs, customer="id", start="start", end="end", period="M",
    ...                           observation_end="2024-04-30")
    >>> r.table["churn_rate"].round(3).tolist(), r.table["retention"].tolist()
    ([0.0, 0.25, 0.333, 0.0], [1.0, 0.75, 0.5, 0.5])
    """

    period: str = "M"
    observation_end: Any = None
    inactivity: int | None = None
    alpha: float = 0.05

    def survivor(self) -> pd.DataFrame:
        """Retention (survivor) curves: periods since acquisition x cohort, share still active."""
        return self.table.pivot(index="period", columns="cohort", values="retention")

    def summary(self) -> str:
        t = self.table
        total = t.groupby("period")[["at_risk", "churned"]].sum()
        rates = (total["churned"] / total["at_risk"]).round(3)
        head = ", ".join(f"{k}: {v:.1%}" for k, v in rates.head(6).items())
        rule = f"; churn = {self.inactivity} periods without a purchase" if self.inactivity else ""
        return (
            f"Churn by cohort, period '{self.period}', {t['cohort'].nunique()} cohorts, observed to "
            f"{self.observation_end}{rule}\n  pooled churn rate by period since acquisition: {head}"
        )

    def plot(self, ax: Any = None) -> Any:
        """Survivor curves: the share of each cohort still active against periods since start."""
        ax = axes(ax)
        for cohort, part in self.table.groupby("cohort", sort=True):
            x = np.concatenate([[0], part["period"].to_numpy() + 1])
            y = np.concatenate([[1.0], part["retention"].to_numpy()])
            ax.step(x, y, where="post", label=str(cohort))
        ax.set(
            xlabel=f"periods since acquisition ({self.period})",
            ylabel="share still active",
            ylim=(0, 1.02),
            title="Retention by cohort (survivor curves)",
        )
        if self.table["cohort"].nunique() <= 12:
            ax.legend(fontsize=8, title="cohort")
        return ax


def _ordinals(dates: pd.Series, period: str, name: str) -> np.ndarray:
    try:
        d = pd.to_datetime(dates)
    except (TypeError, ValueError):
        raise InputError(f"column '{name}': expected dates, got {dates.dtype}") from None
    try:
        return pd.PeriodIndex(d, freq=period).asi8.astype(np.int64)
    except (TypeError, ValueError):
        raise ParameterError(f"argument 'period': not a pandas period alias, got {period!r}") from None


def _life_table(
    cohort: np.ndarray,
    start: np.ndarray,
    stop: np.ndarray,
    event: np.ndarray,
    last: int,
    alpha: float,
    cohort_name: str,
    period: str | None = None,
) -> pd.DataFrame:
    """Actuarial life table per cohort from period ordinals, one entry per customer.

    ``start``: first active period; ``stop``: the period in which the customer churned (event) or
    the first period no longer observed (censored). A period counts only when fully observed
    (ordinal <= ``last``). at_risk(k) = customers active at the start of period k (periods since
    their own start) whose period k is observed.
    """
    z = z_value(alpha)
    horizon = last - start + 1  # fully observed periods of each customer
    exit_k = np.minimum(stop - start, horizon)  # first period not survived, or not observed
    churn = event & (stop - start < horizon)
    labels, codes = np.unique(cohort, return_inverse=True)
    rows = []
    for j, c in enumerate(labels):
        m = codes == j
        h = int(horizon[m].max())
        if h <= 0:
            name = pd.Period(ordinal=int(c), freq=period) if period else c
            raise InputError(
                f"column '{cohort_name}': cohort {name} has nobody at risk for a full period before "
                "observation_end; drop it or pass a later observation_end"
            )
        churned = np.bincount(exit_k[m & churn], minlength=h + 1)[:h]
        censored = np.bincount(np.maximum(exit_k[m & ~churn], 0), minlength=h + 1)[: h + 1]
        gone_before = np.concatenate([[0], np.cumsum(churned + censored[:h])[:-1]])
        at_risk = m.sum() - gone_before - censored[:h]
        keep = at_risk > 0
        at_risk, churned = at_risk[keep], churned[keep]
        rate = churned / at_risk
        surv = np.cumprod(1 - rate)
        with np.errstate(divide="ignore", invalid="ignore"):
            green = np.cumsum(np.where(at_risk > churned, churned / (at_risk * (at_risk - churned)), 0.0))
        se = surv * np.sqrt(green)
        lo, hi = wilson_interval(churned, at_risk, alpha)
        rows.append(
            pd.DataFrame(
                {
                    "cohort": [c] * int(keep.sum()),
                    "period": np.flatnonzero(keep),
                    "at_risk": at_risk,
                    "churned": churned,
                    "churn_rate": rate,
                    "churn_ci_low": lo,
                    "churn_ci_high": hi,
                    "retention": surv,
                    "retention_ci_low": np.clip(surv - z * se, 0, 1),
                    "retention_ci_high": np.clip(surv + z * se, 0, 1),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


@renamed(alpha=ALPHA_TO_CI)
def churn_rate(
    data: Any,
    *,
    customer: str,
    period: str,
    start: str | None = None,
    end: str | None = None,
    date: str | None = None,
    inactivity: int | None = None,
    cohort: str | None = None,
    observation_end: Any = None,
    ci: float = 0.95,
    missing: str = "raise",
) -> CohortResult:
    """Churn rate and retention by acquisition cohort, with customers at risk as the denominator.

    churn rate(c, k) = churned(c, k) / at_risk(c, k), for cohort c (the period of acquisition) and
    k = 0, 1, ... periods since acquisition, where at_risk(c, k) counts the cohort's customers still
    active at the start of period k and still observed. retention(c, k) = prod_{j<=k} (1 - churn
    rate(c, j)), the share of the cohort active at the end of period k (the actuarial, Kaplan-Meier
    survivor curve; Greenwood standard errors). Only fully observed periods (ending on or before
    ``observation_end``) are counted.

    Two inputs:

    * subscriptions (contractual): one row per customer with ``start`` and ``end`` dates (``end``
      missing = still active); the customer churns in the period holding ``end``.
    * a purchase log (non-contractual): rows of ``customer`` and ``date``; churn is not observed,
      so it is defined by a rule: the customer churns in the period after their last purchase if
      ``inactivity`` (required) full periods follow it without a purchase before
      ``observation_end``; otherwise they are still at risk (censored).

    Parameters
    ----------
    data : a table (pandas, polars, pyarrow)
    customer : the customer id column
    period : a pandas period alias, required: "D", "W", "M", "Q" or "Y"
    start, end : the subscription date columns (contractual input)
    date : the purchase date column (purchase-log input)
    inactivity : periods without a purchase that count as churn (purchase-log input)
    cohort : a column grouping customers into cohorts (a plan, a channel; with a purchase log, its
        value on the customer's first purchase); default: the period of acquisition. Periods are
        always counted from each customer's own start.
    observation_end : the last date observed (default: the latest date in the data)
    ci : confidence level of the intervals (e.g. 0.95)
    missing : "raise" or "drop" rows with a missing customer or start/date (a missing ``end``
        means still active)

    Returns
    -------
    CohortResult
        ``table``, one row per cohort and period: ``cohort`` (the acquisition period as a pandas
        Period, or the ``cohort`` column's value), ``period``
        (periods since acquisition, 0 = the acquisition period), ``at_risk`` (customers),
        ``churned`` (customers), ``churn_rate`` (share), ``churn_ci_low``, ``churn_ci_high``
        (Wilson), ``retention`` (share of the cohort still active at the period's end),
        ``retention_ci_low``, ``retention_ci_high`` (Greenwood). ``plot()``: the survivor curves.

    References
    ----------
    Fader, P. & Hardie, B. (2007). How to project customer retention. *J. Interactive Marketing*
    21(1). Kaplan, E. & Meier, P. (1958). *JASA* 53(282).

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> subs = pd.DataFrame({"id": [1, 2, 3, 4],
    ...                      "start": pd.to_datetime(["2024-01-05"] * 4),
    ...                      "end": pd.to_datetime(["2024-02-10", None, "2024-03-01", None])})
    >>> r = cv.metrics.churn_rate(subs, customer="id", start="start", end="end", period="M",
    ...                           observation_end="2024-04-30")
    >>> r.table[["period", "at_risk", "churned"]].values.tolist()
    [[0, 4, 0], [1, 4, 1], [2, 3, 1], [3, 2, 0]]
    >>> r.table["churn_rate"].round(3).tolist()
    [0.0, 0.25, 0.333, 0.0]
    """
    alpha = alpha_of(ci)  # the tail probability the body below uses
    z_value(alpha)
    contractual = start is not None or end is not None
    if contractual == (date is not None):
        raise ParameterError(
            "arguments 'start'/'end' and 'date': give start (and end) for subscriptions, "
            "or date for a purchase log"
        )
    if contractual:
        if start is None or end is None:
            raise ParameterError("arguments 'start' and 'end': subscriptions need both")
        if inactivity is not None:
            raise ParameterError("argument 'inactivity': only used with a purchase log (date=)")
        df = frame(data, [customer, start, end] + ([cohort] if cohort else []), "subscriptions")
        df, _ = drop_missing(df, [customer, start] + ([cohort] if cohort else []), missing)
        dup = df[customer].duplicated()
        if dup.any():
            raise InputError(
                f"column '{customer}': {int(dup.sum())} repeated id(s); subscriptions need one row "
                "per customer"
            )
        s = _ordinals(df[start], period, start)
        ends = pd.to_datetime(df[end])
        has_end = ends.notna().to_numpy()
        e = np.full(len(df), np.iinfo(np.int64).max, dtype=np.int64)
        if has_end.any():
            e[has_end] = _ordinals(ends[has_end], period, end)
        if (has_end & (e < s)).any():
            raise InputError(f"column '{end}': {int((has_end & (e < s)).sum())} row(s) end before they start")
        latest = max(pd.to_datetime(df[start]).max(), ends.max() if has_end.any() else pd.Timestamp.min)
        obs_end = pd.Timestamp(observation_end) if observation_end is not None else latest
        last = _last_full(obs_end, period)
        event = has_end & (e <= last)
        stop = np.where(event, e, last + 1)
        labels = df[cohort].to_numpy() if cohort else None
        rule = None
    else:
        assert date is not None
        if not isinstance(inactivity, (int, np.integer)) or inactivity < 1:
            raise ParameterError(
                "argument 'inactivity': a purchase log needs the churn rule, periods without a "
                "purchase >= 1, "
                f"got {inactivity!r}"
            )
        df = frame(data, [customer, date] + ([cohort] if cohort else []), "purchase log")
        df, _ = drop_missing(df, [customer, date] + ([cohort] if cohort else []), missing)
        p = _ordinals(df[date], period, date)
        log = pd.DataFrame({"c": df[customer].to_numpy(), "p": p})
        if cohort:
            log["g"] = df[cohort].to_numpy()
        g = log.sort_values("p", kind="stable").groupby("c", sort=False)
        first, lastp = g["p"].min().to_numpy(), g["p"].max().to_numpy()
        labels = g["g"].first().to_numpy() if cohort else None
        obs_end = (
            pd.Timestamp(observation_end) if observation_end is not None else pd.to_datetime(df[date]).max()
        )
        last = _last_full(obs_end, period)
        # churned in period lastp + 1 when periods lastp+1 .. lastp+inactivity are all observed
        event = lastp + inactivity <= last
        stop = np.where(event, lastp + 1, last + 1)
        s = first
        rule = int(inactivity)
    if labels is None:
        table = _life_table(s, s, stop, event, last, alpha, "cohort", period)
        table["cohort"] = pd.PeriodIndex.from_ordinals(table["cohort"].to_numpy(np.int64), freq=period)
    else:
        table = _life_table(labels, s, stop, event, last, alpha, str(cohort))
    return CohortResult(table=table, period=period, observation_end=obs_end, inactivity=rule, alpha=alpha)


def _last_full(obs_end: pd.Timestamp, period: str) -> int:
    """Ordinal of the last period that ends on or before ``obs_end``."""
    p = pd.Period(obs_end, freq=period)
    return int(p.ordinal if obs_end >= p.end_time.normalize() else p.ordinal - 1)


def retention(data: Any, **kwargs: Any) -> CohortResult:
    """Retention by cohort: the survivor curves of :func:`churn_rate` (same arguments, same
    result; ``result.survivor()`` is the period x cohort matrix of the share still active).

    retention(c, k) = prod_{j<=k} (1 - churned(c, j) / at_risk(c, j)).

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> subs = pd.DataFrame({"id": [1, 2, 3, 4], "start": pd.to_datetime(["2024-01-05"] * 4),
    ...                      "end": pd.to_datetime(["2024-02-10", None, "2024-03-01", None])})
    >>> r = cv.metrics.retention(subs, customer="id", start="start", end="end", period="M",
    ...                          observation_end="2024-04-30")
    >>> r.survivor().iloc[:, 0].round(3).tolist()
    [1.0, 0.75, 0.5, 0.5]
    """
    return churn_rate(data, **kwargs)


# --------------------------------------------------------------------------------------------
# Engagement index
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class EngagementIndex(Result):
    """``table``: one row per measure (``measure``, ``direction``, ``mean``, ``sd``, ``weight``,
    ``loading``, ``variance_share``); ``scores``: the index per row of the input; the validation
    ``auc`` against later churn (with ``auc_se``), ``cronbach_alpha``, and the settings.

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
    weights: str = "equal"
    auc: float | None = None
    auc_se: float | None = None
    auc_sample: str | None = None
    cronbach_alpha: float = float("nan")
    seed: int = 0

    def summary(self) -> str:
        how = (
            "the book's plain average of raw measures (for teaching: scale dominance)"
            if self.method == "book_naive"
            else f"{self.normalize} normalisation, {self.weights} weights"
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
            xlabel="share of the index variance", title=f"Engagement index ({self.method}, {self.weights})"
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
    the Hanley-McNeil SE. The book's "leading indicator" claim (ch. 1 L1014-1016) holds when the
    AUC is clearly above 0.5.

    ``method="book_naive"`` is the book's engagement score (ch. 7 L5075-5077, "averaging those
    scores across all measures"): the plain mean of the raw measures. It is kept only to show why
    it fails: the measure with the largest spread dominates (see ``variance_share``).

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
        "held-out half"), ``cronbach_alpha``.

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
    df, weights = data, item_weights  # the names the body below uses
    check_choice("method", method, ["index", "book_naive"])
    measures = list(measures)
    if len(measures) == 0:
        raise ParameterError("argument 'measures': name at least one measure column")
    for r in reverse:
        if r not in measures:
            raise ParameterError(f"argument 'reverse': {r!r} is not one of the measures")
    if method == "index":
        if normalize is None:
            raise ParameterError(
                "argument 'normalize': required ('z' or 'minmax'); measures in different units "
                "cannot be averaged raw"
            )
        check_choice("normalize", normalize, ["z", "minmax"])
    cols = measures + ([validate_against] if validate_against else [])
    data = frame(df, cols, "engagement")
    data, dropped = drop_missing(data, cols, missing)
    x = np.column_stack([_numeric_column(data, m) for m in measures])
    sign = np.array([-1.0 if m in reverse else 1.0 for m in measures])
    y = None
    if validate_against:
        y = _numeric_column(data, validate_against)
        if not np.isin(y, (0.0, 1.0)).all():
            raise InputError(f"column '{validate_against}': expected 0/1 (1 = churned later)")
    if method == "book_naive":
        z = x * sign
        w = np.full(len(measures), 1 / len(measures))
        weight_name = "equal"
    else:
        assert normalize is not None
        z = _normalise(x, normalize) * sign
        w, weight_name = _engagement_weights(weights, measures, z, y, seed)
    train = np.ones(len(z), dtype=bool)
    if weight_name == "supervised":
        train = np.random.default_rng(seed).random(len(z)) < 0.5
        assert y is not None
        w, _ = _engagement_weights("supervised", measures, z[train], y[train], seed)
    index = z @ w
    var = index.var(ddof=1)
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
        scores=pd.Series(index, index=data.index, name="engagement_index"),
        method=method,
        normalize=normalize if method == "index" else None,
        weights=weight_name,
        auc=a,
        auc_se=se,
        auc_sample=sample,
        cronbach_alpha=cronbach,
        seed=seed,
        **dropped.as_fields(),
    )


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
    weights; ``rank_range``: per segment the best and worst rank over all weightings; ``value``:
    the index (a Series by segment with ``by``).

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
    weights: dict[str, float] = field(default_factory=dict)
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
    calls a score out of 100 "the most practical way" (ch. 5 L4189-4191) and then lists its two
    pitfalls (L4203-4225): a mean hides how many customers are satisfied, and weights hide
    trade-offs. So the table also gives the share of respondents at 80+ and below 50 and the
    quartiles, and ``sensitivity`` recomputes every segment's index and rank under equal weights,
    under each item left out, under each named alternative, and under ``n_random`` weight vectors
    drawn from a flat Dirichlet (``n_simulations`` of them, ``seed``).

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
        ``worst_rank``, ``p_same_rank`` (share of the random weightings keeping the rank).

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
    df, weights, n_random, alpha = data, item_weights, n_simulations, alpha_of(ci)  # the body's names
    items = list(items)
    if len(items) == 0:
        raise ParameterError("argument 'items': name at least one item column")
    for r in reverse:
        if r not in items:
            raise ParameterError(f"argument 'reverse': {r!r} is not one of the items")
    z = z_value(alpha)
    w = (
        _weight_vector(weights, items, "item_weights", "items")
        if weights is not None
        else np.full(len(items), 1 / len(items))
    )
    cols = items + ([by] if by else [])
    data = frame(df, cols, "survey")
    data, dropped = drop_missing(data, cols, missing)
    if len(data) == 0:
        raise InputError(f"column '{items[0]}': no rows left after dropping missing values")
    rescaled = np.empty((len(data), len(items)))
    for j, item in enumerate(items):
        sc = scale.get(item) if isinstance(scale, Mapping) else scale
        if sc is None:
            raise ParameterError(f"argument 'scale': no (low, high) for item {item!r}")
        lo, hi = _check_scale(sc)
        v = _numeric_column(data, item)
        out = (v < lo) | (v > hi)
        if out.any():
            raise InputError(
                f"column '{item}': {int(out.sum())} value(s) outside the {lo}-{hi} scale (e.g. {v[out][0]:g})"
            )
        rescaled[:, j] = 100 * ((hi - v) if item in reverse else (v - lo)) / (hi - lo)
    scores = rescaled @ w
    if by:
        codes, labels = segment_codes(data[by])
    else:
        codes, labels = np.zeros(len(data), dtype=np.int64), pd.Index(["all"])
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
    sens, ranges = _rank_sensitivity(rescaled, codes, labels, items, w, by, alternatives, n_random, seed)
    return CXIndex(
        table=table,
        metric="CX index (0-100)",
        estimate="index",
        by=by,
        alpha=alpha,
        **dropped.as_fields(),
        scores=pd.Series(scores, index=data.index, name="cx_index"),
        sensitivity=sens,
        rank_range=ranges,
        weights=dict(zip(items, map(float, w), strict=True)),
        seed=seed,
    )


def _rank_sensitivity(
    rescaled: np.ndarray,
    codes: np.ndarray,
    labels: pd.Index,
    items: list[str],
    w: np.ndarray,
    by: str | None,
    alternatives: Mapping[str, Any] | None,
    n_random: int,
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
    same = np.full(g, np.nan)
    if n_random > 0:
        draws = np.random.default_rng(seed).dirichlet(np.ones(len(items)), size=n_random)
        rand = np.vstack([ranks(item_means @ d) for d in draws])
        all_ranks = np.vstack([all_ranks, rand])
        same = (rand == base).mean(axis=0)
    ranges = pd.DataFrame(
        {
            seg: labels,
            "rank": base,
            "best_rank": all_ranks.min(axis=0),
            "worst_rank": all_ranks.max(axis=0),
            "p_same_rank": same,
        }
    )
    return sens, ranges
