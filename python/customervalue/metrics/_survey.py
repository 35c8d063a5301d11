"""Survey scores: NPS, CSAT, customer effort and first-contact resolution.

One input path (a table with ``column=``, or a Series / array of scores), one counting kernel
(``np.bincount`` over segment codes x scale points, so tens of millions of answers take well
under a second) and one result class, :class:`ScoreResult`. Each function states its formula,
its units and its interval, and checks its input against the scale it assumes. The book names
these scores without defining them (NPS once, in ch. 5, "Customer Value Analysis: Why & How",
section "How do you quantify customer service?").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .._boundary import Envelope, as_series, drop_missing
from .._checks import MISSING, as_scale, check_args
from .._compat import ALPHA_TO_CI, alpha_of, renamed, renamed_attribute
from .._io import check_choice, frame, segment_codes
from .._plot import axes
from .._result import Result
from .._stats import wilson_interval, z_value
from ..errors import InputError, ParameterError

__all__ = ["ScoreResult", "nps", "csat", "ces", "first_contact_resolution"]


@dataclass(frozen=True, repr=False)
class ScoreResult(Result):
    """A survey metric per segment: ``table`` (one row per segment, columns in each function's
    docstring), ``distribution`` (respondents per scale point and segment), the ``metric`` name,
    the column of the estimate, the ``by`` column, ``ci`` (the interval level) and the rows dropped
    as missing.

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
    ci: float = 0.95
    alpha = renamed_attribute(ALPHA_TO_CI)

    @property
    def value(self) -> Any:
        """The estimate: a float without ``by``, a Series indexed by segment with it."""
        if self.by is None:
            return float(self.table[self.estimate].iloc[0])
        return self.table.set_index(self.by)[self.estimate]

    def _row_text(self, r: Mapping[str, Any], level: str) -> str:
        return f"{r[self.estimate]:.1f} ({level} CI {r['ci_low']:.1f} to {r['ci_high']:.1f}), n={r['n']:,}"

    def summary(self) -> str:
        level = f"{100 * self.ci:g}%"
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
        ax.set(xlabel=f"{self.estimate} ({100 * self.ci:g}% interval)", title=self.metric)
        return ax


def _survey_frame(
    scores: Any, by: Any, column: str | None, default_name: str, missing: str, what: str
) -> tuple[pd.Series, pd.Series | None, Envelope]:
    """The score column and the segment column (or None) from either a table plus ``column=``
    or a column on its own (a Series, array or list) plus an optional column ``by``; the missing
    policy applied. A pandas Series keeps its index (a ``by`` Series with the same labels in
    another order is aligned to it), so ``.dropped`` names the caller's rows; other input is
    numbered by position."""
    s = as_series(scores, default_name)
    if s is not None:
        if column is not None:
            raise ParameterError("argument 'column': only used when the first argument is a table")
        cols = [str(s.name)]  # the column's name as text, as messages give it (a name may be 0)
        df = s.to_frame(name=cols[0])
        if by is not None:
            b = as_series(by, "segment")
            if b is None:
                raise ParameterError("argument 'by': give the segment labels as a Series or array")
            if len(b) != len(s):
                raise InputError(f"column '{b.name}': has {len(b)} rows, the scores have {len(s)}")
            if not b.index.equals(s.index) and b.index.is_unique and s.index.isin(b.index).all():
                b = b.reindex(s.index)  # a Series of the same rows in another order
            bname = str(b.name)
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
    df, dropped = drop_missing(df, cols, missing, what=what)
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


#: The most points a rating scale may have (0-10,000): answers are counted per segment and
#: point, so a scale of 10**9 points would ask for gigabytes of counts.
MAX_SCALE_POINTS = 10_001


def _check_scale(scale: Any) -> tuple[int, int]:
    lo, hi = as_scale("scale", scale)
    if hi - lo + 1 > MAX_SCALE_POINTS:
        raise ParameterError(
            f"argument 'scale': ({lo}, {hi}) has {hi - lo + 1:,} points; a rating scale has at most "
            f"{MAX_SCALE_POINTS:,} (answers are counted per point)"
        )
    return lo, hi


class Counts(NamedTuple):
    """Respondents per segment (rows) and scale point (columns), and what they were read from."""

    counts: np.ndarray
    labels: pd.Index | None  # the segments, None without ``by``
    by: str | None  # the segment column's name
    lo: int  # the scale point of column 0
    dropped: Envelope

    @property
    def n(self) -> np.ndarray:
        """Respondents per segment."""
        return self.counts.sum(axis=1)


def _count_table(
    scores: Any,
    by: Any,
    column: str | None,
    scale: tuple[int, int],
    name: str,
    missing: str,
    what: str,
) -> Counts:
    """Respondents per (segment, scale point): a (segments x points) count matrix."""
    values, seg, dropped = _survey_frame(scores, by, column, name, missing, what)
    k = _scale_points(values, scale, str(values.name))
    npts = scale[1] - scale[0] + 1
    if seg is None:
        return Counts(np.bincount(k, minlength=npts)[None, :], None, None, scale[0], dropped)
    codes, labels = segment_codes(seg)
    counts = np.bincount(codes * npts + k, minlength=len(labels) * npts).reshape(len(labels), npts)
    return Counts(counts, labels, str(seg.name), scale[0], dropped)


def _share_result(
    c: Counts,
    hits: np.ndarray,
    estimate: str,
    metric: str,
    ci: float,
    extra: Mapping[str, np.ndarray] | None = None,
) -> ScoreResult:
    """A proportion (as percent) with its Wilson interval per segment."""
    n = c.n
    low, high = wilson_interval(hits, n, alpha_of(ci))
    table = pd.DataFrame(
        {"n": n, "count": hits, estimate: 100 * hits / n, "ci_low": 100 * low, "ci_high": 100 * high}
    )
    for name, col in (extra or {}).items():
        table[name] = col
    return _score_result(c, table, estimate, metric, ci)


def _score_result(c: Counts, table: pd.DataFrame, estimate: str, metric: str, ci: float) -> ScoreResult:
    """The result of a survey metric: the segment column first, the distribution (respondents
    per scale point) alongside."""
    distribution = pd.DataFrame({str(c.lo + j): c.counts[:, j] for j in range(c.counts.shape[1])})
    by = c.by
    if by is not None and c.labels is not None:
        if by in table.columns or by in distribution.columns:  # a segment column named "n" or "5"
            by = f"{by} (segment)"
        table.insert(0, by, c.labels)
        distribution.insert(0, by, c.labels)
    return ScoreResult(
        table=table,
        distribution=distribution,
        metric=metric,
        estimate=estimate,
        by=by,
        ci=ci,
        **c.dropped.as_fields(),
    )


@renamed(scores="data", alpha=ALPHA_TO_CI)
@check_args(missing=MISSING)
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
    alpha = alpha_of(ci)
    z = z_value(alpha)
    c = _count_table(data, by, column, (0, 10), "nps", missing, "nps")
    counts, n = c.counts, c.n
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
    return _score_result(c, table, "nps", "Net Promoter Score", ci)


@renamed(scores="data", alpha=ALPHA_TO_CI)
@check_args(missing=MISSING)
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
    alpha_of(ci)  # a ci outside (0, 1) is a ParameterError before any work
    lo, hi = _check_scale(scale)
    _check_top(top, hi - lo + 1)
    c = _count_table(data, by, column, (lo, hi), "csat", missing, "csat")
    mean = c.counts @ np.arange(lo, hi + 1) / c.n
    return _share_result(
        c, c.counts[:, -top:].sum(axis=1), "csat", f"CSAT (top-{top}-box)", ci, {"mean": mean}
    )


def _check_top(top: Any, npts: int, name: str = "top") -> None:
    if not isinstance(top, (int, np.integer)) or not 1 <= top < npts:
        raise ParameterError(f"argument '{name}': must be a whole number from 1 to {npts - 1}, got {top!r}")


@renamed(scores="data", alpha=ALPHA_TO_CI)
@check_args(missing=MISSING)
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
    alpha = alpha_of(ci)
    lo, hi = _check_scale(scale)
    check_choice("direction", direction, ["effort", "ease"])
    _check_top(easy, hi - lo + 1, "easy")
    z = z_value(alpha)
    c = _count_table(data, by, column, (lo, hi), "effort", missing, "ces")
    counts, n = c.counts, c.n
    hits = counts[:, :easy].sum(axis=1) if direction == "effort" else counts[:, -easy:].sum(axis=1)
    points = np.arange(lo, hi + 1, dtype=float)
    mean = counts @ points / n
    var = (counts @ points**2 - n * mean**2) / np.maximum(n - 1, 1)
    half = z * np.sqrt(np.maximum(var, 0.0) / n)
    extra = {"mean": mean, "mean_ci_low": mean - half, "mean_ci_high": mean + half}
    return _share_result(c, hits, "ces", "Customer Effort Score (% low effort)", ci, extra)


@renamed(alpha=ALPHA_TO_CI)
@check_args(missing=MISSING)
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
    ch. 5, section "How do you quantify customer service?", is this metric.)

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
    alpha_of(ci)  # a ci outside (0, 1) is a ParameterError before any work
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
    c = _count_table(flags, seg, None, (0, 1), col, missing, "first_contact_resolution")
    return _share_result(c, c.counts[:, 1], "fcr", "First-contact resolution", ci)
