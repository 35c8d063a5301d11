"""Churn and retention by acquisition cohort: an actuarial life table with customers at risk as
the denominator, from subscriptions (start and end dates) or a purchase log (an inactivity rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._boundary import drop_missing
from .._checks import MISSING, Integer, as_date, check_args
from .._compat import ALPHA_TO_CI, alpha_of, renamed, renamed_attribute
from .._io import frame
from .._plot import axes
from .._result import Result
from .._stats import wilson_interval, z_value
from ..errors import InputError, ParameterError

__all__ = ["CohortResult", "churn_rate", "retention"]


@dataclass(frozen=True, repr=False)
class CohortResult(Result):
    """Churn and retention by cohort and period: ``table`` (one row per cohort and period,
    columns in :func:`churn_rate`), the ``period`` alias, ``observation_end`` and, for purchase
    logs, the ``inactivity`` rule.

    Examples
    --------
    From a purchase log, churn being two months without a purchase:

    >>> import pandas as pd, customervalue as cv
    >>> log = pd.DataFrame({"id": [1, 1, 2, 3, 3, 3], "date": pd.to_datetime(
    ...     ["2024-01-03", "2024-02-10", "2024-01-20", "2024-01-08", "2024-03-02", "2024-05-15"])})
    >>> r = cv.metrics.churn_rate(log, customer="id", date="date", period="M", inactivity=2,
    ...                           observation_end="2024-06-30")
    >>> r.table[["period", "at_risk", "churned"]].head(3).values.tolist(), r.inactivity
    ([[0, 3, 0], [1, 3, 1], [2, 2, 1]], 2)
    """

    period: str = "M"
    observation_end: Any = None
    inactivity: int | None = None
    ci: float = 0.95
    alpha = renamed_attribute(ALPHA_TO_CI)

    def survivor(self) -> pd.DataFrame:
        """Retention (survivor) curves: periods since acquisition x cohort, share still active.

        A cohort acquired later has been observed for fewer periods: its column is NaN in the
        periods it has not reached yet (not observed, which is not the same as 0 retained)."""
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


def _period_alias(name: str, value: Any) -> str:
    """A pandas period alias ("D", "W", "M", "Q", "Y", "W-SUN", ...): text, or ParameterError."""
    if not isinstance(value, str) or not value:
        raise ParameterError(
            f"argument '{name}': must be a pandas period alias such as 'D', 'W', 'M', 'Q' or 'Y', "
            f"got {value!r}"
        )
    return value


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
@check_args(period=_period_alias, inactivity=Integer(1, optional=True), missing=MISSING)
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
    elif not isinstance(inactivity, (int, np.integer)) or inactivity < 1:
        raise ParameterError(
            "argument 'inactivity': a purchase log needs the churn rule, periods without a "
            f"purchase >= 1, got {inactivity!r}"
        )
    # a missing end means still active; every other column must be there
    needed = [c for c in (customer, start if contractual else date, cohort) if c is not None]
    read = needed + [end] if contractual and end is not None else needed
    df = frame(data, read, "subscriptions" if contractual else "purchase log")
    df, dropped = drop_missing(df, needed, missing, what="churn_rate")
    if len(df) == 0:
        raise InputError(f"column '{needed[0]}': no rows left after dropping missing values")
    if contractual:
        assert start is not None and end is not None
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
        obs_end = as_date("observation_end", observation_end) if observation_end is not None else latest
        last = _last_full(obs_end, period)
        event = has_end & (e <= last)
        stop = np.where(event, e, last + 1)
        labels = df[cohort].to_numpy() if cohort else None
        rule = None
    else:
        assert date is not None and inactivity is not None
        p = _ordinals(df[date], period, date)
        log = pd.DataFrame({"c": df[customer].to_numpy(), "p": p})
        if cohort:
            log["g"] = df[cohort].to_numpy()
        g = log.sort_values("p", kind="stable").groupby("c", sort=False)
        first, lastp = g["p"].min().to_numpy(), g["p"].max().to_numpy()
        labels = g["g"].first().to_numpy() if cohort else None
        obs_end = (
            as_date("observation_end", observation_end)
            if observation_end is not None
            else pd.to_datetime(df[date]).max()
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
    return CohortResult(
        table=table,
        period=period,
        observation_end=obs_end,
        inactivity=rule,
        ci=ci,
        **dropped.as_fields(),
    )


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
