"""Needs, gaps and opportunities: Ulwick's opportunity scores, importance-performance quadrants,
gaps to a target and to a competitor, and the opportunity landscape.

The book asks to "take an inventory of what their customers want and how well current solutions
meet these needs" (ch. 4, "Gathering Data and Developing the Product Vision", section "What are the
barriers preventing them from solving their problems?") and to "conduct a gap analysis" (ch. 6,
"Assessing Customer Value and Developing Strategies", section "Establishing Improvement
Strategies") without a scoring rule; the article "Measuring customer value – might be easier than
you think" (on Gene Cornfield's customer performance indicators) points to outcome-driven
innovation. This module implements the standard rules: Ulwick (2002, "Turn customer input into
innovation", Harvard Business Review 80(1)) for the opportunity score, Martilla & James (1977,
"Importance-performance analysis", Journal of Marketing 41(1)) for the quadrants.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._boundary import drop_missing
from ._checks import MISSING, as_scale, check_args
from ._compat import ALPHA_TO_CI, alpha_of, renamed, renamed_attribute
from ._io import check_choice, frame, segment_codes
from ._plot import axes
from ._result import Result
from ._stats import wilson_interval, z_value
from .errors import InputError, ParameterError

__all__ = ["OpportunityResult", "opportunity_scores"]

QUADRANTS = {
    (True, False): "concentrate here",
    (True, True): "keep up the good work",
    (False, False): "low priority",
    (False, True): "possible overkill",
}


@dataclass(frozen=True, repr=False)
class OpportunityResult(Result):
    """``table``: one row per outcome (and segment), columns in :func:`opportunity_scores`;
    the settings used: ``by``, ``scale``, ``top`` (boxes counted), ``underserved`` threshold,
    ``ci`` (the interval level).

    Examples
    --------
    A long table, one row per respondent and outcome:

    >>> import pandas as pd, customervalue as cv
    >>> long = pd.DataFrame({"outcome": ["speed"] * 3 + ["price"] * 3,
    ...                      "imp": [5, 5, 4, 3, 2, 4], "sat": [2, 3, 1, 5, 4, 4]})
    >>> r = cv.opportunity_scores(long, "imp", "sat", outcome="outcome", scale=(1, 5), top=2)
    >>> r.underserved_outcomes, r.table[["opportunity", "quadrant"]].round(1).values.tolist()
    (['speed'], [[20.0, 'concentrate here'], [3.3, 'possible overkill']])
    """

    by: str | None = None
    scale: tuple[int, int] = (1, 10)
    top: int = 4
    underserved: float = 10.0
    ci: float = 0.95
    alpha = renamed_attribute(ALPHA_TO_CI)

    @property
    def underserved_outcomes(self) -> list[str]:
        """Outcomes scored at or above the ``underserved`` threshold (in any segment)."""
        t = self.table
        return list(dict.fromkeys(t.loc[t["served"] == "underserved", "outcome"]))

    def summary(self) -> str:
        lines = [
            f"Opportunity scores (Ulwick), top-{self.top}-box of the {self.scale[0]}-{self.scale[1]} scale "
            f"scaled 0-10; underserved at >= {self.underserved:g}"
        ]
        for seg, part in (
            self.table.groupby(self.by, sort=False, observed=True) if self.by else [(None, self.table)]
        ):
            best = part.nlargest(3, "opportunity")
            items = ", ".join(f"{r.outcome} {r.opportunity:.1f}" for r in best.itertuples())
            lines.append(f"  {str(seg) + ': ' if seg is not None else ''}top opportunities: {items}")
        return "\n".join(lines)

    def plot(self, ax: Any = None, *, segment: Any = None, annotate: bool = True) -> Any:
        """The opportunity landscape: satisfaction against importance (both 0-10), the diagonal
        where satisfaction equals importance (below it: underserved; above it: overserved), the
        opportunity = ``underserved`` line (satisfaction = 2 importance - threshold) and the
        importance-performance cut lines."""
        ax = axes(ax, figsize=(6.2, 5.6))
        t = self.table
        if self.by is not None:
            segments = [segment] if segment is not None else list(dict.fromkeys(t[self.by]))
            t = t[t[self.by].isin(segments)]
        grid = np.linspace(0, 10, 50)
        ax.plot(grid, grid, color="0.4", lw=1, label="satisfaction = importance")
        x = np.linspace(self.underserved / 2, 10, 50)
        ax.plot(
            x,
            2 * x - self.underserved,
            color="C3",
            ls="--",
            lw=1,
            label=f"opportunity = {self.underserved:g}",
        )
        ax.fill_between(grid, 0, grid, color="C3", alpha=0.05)
        groups = t.groupby(self.by, sort=False, observed=True) if self.by else [(None, t)]
        for i, (seg, part) in enumerate(groups):
            ax.scatter(
                part["importance"], part["satisfaction"], s=40, color=f"C{i % 10}", label=seg, zorder=3
            )
            if annotate:
                for r in part.itertuples():
                    ax.annotate(
                        str(r.outcome),
                        (r.importance, r.satisfaction),
                        xytext=(4, 3),
                        textcoords="offset points",
                        fontsize=8,
                    )
        if "importance_cut" in t:
            ax.axvline(float(t["importance_cut"].mean()), color="0.7", ls=":", lw=1)
            ax.axhline(float(t["satisfaction_cut"].mean()), color="0.7", ls=":", lw=1)
        ax.set(
            xlim=(0, 10.2),
            ylim=(0, 10.2),
            xlabel="importance (top-box share, 0-10)",
            ylabel="satisfaction (top-box share, 0-10)",
        )
        ax.set_title("Opportunity landscape: underserved below the diagonal")
        ax.legend(fontsize=8, loc="upper left")
        return ax


def _outcome_names(columns: list[Any]) -> list[str]:
    """Outcome names: the columns without their shared prefix up to an underscore (columns
    named by numbers, as pandas allows, are named by their text)."""
    if len(columns) < 2 or not all(isinstance(c, str) for c in columns):
        return [str(c) for c in columns]
    prefix = os.path.commonprefix(columns)
    cut = prefix.rfind("_") + 1
    names = [c[cut:] for c in columns]
    return names if all(names) and len(set(names)) == len(names) else list(columns)


def _resolve(df_columns: Sequence[str], spec: Any, arg: str) -> list[str]:
    """Column names from a list, or from a prefix (a string that is not itself a column)."""
    if isinstance(spec, str):
        if spec in df_columns:
            return [spec]
        cols = [c for c in df_columns if isinstance(c, str) and c.startswith(spec)]
        if not cols:
            raise InputError(f"column '{spec}': no column is named so or starts with it (argument '{arg}')")
        return cols
    cols = list(spec)
    if not cols:
        raise ParameterError(f"argument '{arg}': name at least one column")
    return cols


def _top_share(values: np.ndarray, lo: int, hi: int, top: int, column: str) -> np.ndarray:
    """0/1 indicators of the ``top`` highest points; InputError naming the column off the scale."""
    bad = (values < lo) | (values > hi) | (values != np.floor(values))
    if bad.any():
        raise InputError(
            f"column '{column}': {int(bad.sum())} value(s) are not points of the {lo}-{hi} scale "
            f"(e.g. {values[bad][0]:g})"
        )
    return (values > hi - top).astype(float)


def _per_outcome(flags: dict[str, np.ndarray], codes: np.ndarray, n_groups: int) -> dict[str, np.ndarray]:
    return {k: np.bincount(codes, weights=v, minlength=n_groups) for k, v in flags.items()}


@renamed(df="data", alpha=ALPHA_TO_CI)
@check_args(missing=MISSING)
def opportunity_scores(
    data: Any,
    importance: Any = "importance_",
    satisfaction: Any = "satisfaction_",
    *,
    by: str | None = None,
    outcome: str | None = None,
    scale: tuple[int, int] = (1, 10),
    top: int | None = None,
    target: Any = None,
    competitor: Any = None,
    cut: Any = "mean",
    underserved: float = 10.0,
    ci: float = 0.95,
    missing: str = "raise",
) -> OpportunityResult:
    """Ulwick's opportunity scores with importance-performance quadrants and gap analysis.

    For each outcome (and segment), importance I and satisfaction S are top-box shares scaled
    0-10: I = 10 x (share rating the outcome's importance in the ``top`` highest points), S the
    same for satisfaction. The opportunity score is

        opportunity = I + max(I - S, 0)        (0 to 20)

    Outcomes at or above ``underserved`` (Ulwick: 10) are "underserved", outcomes with S > I
    "overserved", others "served". Its standard error is from the delta method on the
    respondent-level indicators (I and S come from the same respondents, so their covariance
    counts): Var = Var(I) when I <= S, else 4 Var(I) + Var(S) - 4 Cov(I, S).

    Quadrants (importance-performance analysis, Martilla & James 1977): importance against
    satisfaction, cut at ``cut`` ("mean" or "median" over the outcomes, or a number on the 0-10
    scale): "concentrate here" (high importance, low satisfaction), "keep up the good work",
    "low priority", "possible overkill".

    Gaps: ``gap_to_target`` = target - S and ``gap_to_competitor`` = C - S, with C the
    competitor's satisfaction on the same 0-10 top-box scale (positive = we fall short).

    ``top=None`` carries Ulwick's top-2-box of a 5-point scale to the scale in use: the top 40% of
    its points, round(0.4 x points) (2 of 5, 3 of 7, 4 of 10). Pass ``top=2`` for the literal
    top-2-box on any scale.

    Parameters
    ----------
    data : a table (pandas, polars, pyarrow): one row per respondent (wide: one importance and one
        satisfaction column per outcome) or, with ``outcome=``, one row per respondent and
        outcome (long)
    importance, satisfaction : wide: a column prefix (default "importance_" and "satisfaction_",
        the outcome is the rest of the name) or lists of columns in the same outcome order;
        long: the two column names
    by : a segment column
    outcome : the outcome column of a long table
    scale : (lowest, highest) whole points of both ratings, default (1, 10)
    top : how many of the highest points count (None: 40% of the points, see above)
    target : the satisfaction target, 0-10, a number or a mapping outcome -> number
    competitor : wide: a prefix or list of columns rating a competitor's satisfaction on each
        outcome; or a mapping outcome -> the competitor's satisfaction score (0-10)
    cut : where the quadrants split: "mean", "median" or a number (0-10)
    underserved : the opportunity score at which an outcome counts as underserved
    ci : confidence level of the intervals (e.g. 0.95)
    missing : "raise" or "drop" rows with a missing rating

    Returns
    -------
    OpportunityResult
        ``table``, one row per outcome (and segment), sorted by opportunity within segment: the
        ``by`` column, ``outcome``, ``n`` (respondents), ``importance``, ``importance_low``,
        ``importance_high`` (0-10, Wilson), ``satisfaction``, ``satisfaction_low``,
        ``satisfaction_high`` (0-10, Wilson), ``opportunity`` (0-20), ``opportunity_se``,
        ``opportunity_low``, ``opportunity_high``, ``rank`` (1 = largest opportunity),
        ``served`` ("underserved", "served", "overserved"), ``quadrant``, ``importance_cut``,
        ``satisfaction_cut``, and when asked ``target``, ``gap_to_target``, ``competitor``,
        ``gap_to_competitor`` (0-10 points). ``plot()``: the opportunity landscape.

    References
    ----------
    Ulwick, A. (2002). Turn customer input into innovation. *Harvard Business Review* 80(1);
    Ulwick, A. (2005). *What Customers Want*. McGraw-Hill. Martilla, J. & James, J. (1977).
    Importance-performance analysis. *J. Marketing* 41(1).

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"importance_speed": [5, 5, 4, 4, 2], "satisfaction_speed": [2, 3, 4, 1, 5],
    ...                   "importance_price": [3, 2, 4, 3, 3], "satisfaction_price": [5, 4, 4, 5, 3]})
    >>> r = cv.opportunity_scores(d, scale=(1, 5), top=2)
    >>> r.table[["outcome", "importance", "satisfaction", "opportunity"]].values.tolist()
    [['speed', 8.0, 4.0, 12.0], ['price', 2.0, 8.0, 2.0]]
    """
    df, alpha = data, alpha_of(ci)  # the names the body below uses
    lo, hi = as_scale("scale", scale)
    npts = hi - lo + 1
    if top is None:
        top = max(1, round(0.4 * npts))
    if not isinstance(top, (int, np.integer)) or not 1 <= top < npts:
        raise ParameterError(f"argument 'top': must be a whole number from 1 to {npts - 1}, got {top!r}")
    z = z_value(alpha)
    if not np.isfinite(underserved):
        raise ParameterError(f"argument 'underserved': must be a number, got {underserved!r}")

    names_attr = getattr(df, "column_names", None)
    columns = list(names_attr if names_attr is not None else getattr(df, "columns", []))
    comp_cols: list[str] = []
    if outcome is not None:
        if not isinstance(importance, str) or not isinstance(satisfaction, str):
            raise ParameterError(
                "arguments 'importance' and 'satisfaction': name one column each in a long table"
            )
        if competitor is not None and not isinstance(competitor, Mapping):
            if not isinstance(competitor, str):
                raise ParameterError(
                    "argument 'competitor': name one column, or pass a mapping outcome -> score"
                )
            comp_cols = [competitor]
        need = [outcome, importance, satisfaction, *comp_cols] + ([by] if by else [])
        data = frame(df, need, "survey")
        data, dropped = drop_missing(data, need, missing, what="opportunity_scores")
        out_codes, names = pd.factorize(data[outcome], sort=False)
        names = [str(x) for x in names]
        long = pd.DataFrame(
            {
                "_o": out_codes,
                "_i": _top_share(_check_numeric(data, importance), lo, hi, top, importance),
                "_s": _top_share(_check_numeric(data, satisfaction), lo, hi, top, satisfaction),
            }
        )
        if comp_cols:
            long["_c"] = _top_share(_check_numeric(data, comp_cols[0]), lo, hi, top, comp_cols[0])
        seg_codes, seg_labels = segment_codes(data[by]) if by else (None, None)
    else:
        imp_cols = _resolve(columns, importance, "importance")
        sat_cols = _resolve(columns, satisfaction, "satisfaction")
        if len(imp_cols) != len(sat_cols):
            raise ParameterError(
                f"arguments 'importance' and 'satisfaction': {len(imp_cols)} importance columns but "
                f"{len(sat_cols)} satisfaction columns"
            )
        names = _outcome_names(imp_cols)
        if isinstance(importance, str) and isinstance(satisfaction, str) and importance not in columns:
            sat_names = [c[len(satisfaction) :] for c in sat_cols]
            if sorted(sat_names) != sorted(names):
                raise InputError(
                    f"column '{satisfaction}': outcomes {sorted(set(names) ^ set(sat_names))} have "
                    "importance or satisfaction but not both"
                )
            sat_cols = [satisfaction + nm for nm in names]
        if competitor is not None and not isinstance(competitor, Mapping):
            comp_cols = _resolve(columns, competitor, "competitor")
            if isinstance(competitor, str) and competitor not in columns:
                comp_cols = [competitor + nm for nm in names]
            if len(comp_cols) != len(imp_cols):
                raise ParameterError(
                    f"argument 'competitor': {len(comp_cols)} columns for {len(imp_cols)} outcomes"
                )
        need = imp_cols + sat_cols + comp_cols + ([by] if by else [])
        data = frame(df, need, "survey")
        data, dropped = drop_missing(data, need, missing, what="opportunity_scores")
        parts = []
        for k in range(len(names)):
            part = {
                "_o": np.full(len(data), k),
                "_i": _top_share(_check_numeric(data, imp_cols[k]), lo, hi, top, imp_cols[k]),
                "_s": _top_share(_check_numeric(data, sat_cols[k]), lo, hi, top, sat_cols[k]),
            }
            if comp_cols:
                part["_c"] = _top_share(_check_numeric(data, comp_cols[k]), lo, hi, top, comp_cols[k])
            parts.append(pd.DataFrame(part))
        long = pd.concat(parts, ignore_index=True)
        seg_codes, seg_labels = segment_codes(data[by]) if by else (None, None)
        if seg_codes is not None:
            seg_codes = np.tile(seg_codes, len(names))
    if len(long) == 0:
        raise InputError("column 'importance': no ratings left after dropping missing values")

    if seg_codes is None or seg_labels is None:
        seg_codes, seg_labels = np.zeros(len(long), dtype=np.int64), pd.Index([None])
    n_out = len(names)
    cell = seg_codes.astype(np.int64) * n_out + long["_o"].to_numpy()
    g = len(seg_labels) * n_out
    flags = {
        "i": long["_i"].to_numpy(),
        "s": long["_s"].to_numpy(),
        "is": (long["_i"] * long["_s"]).to_numpy(),
    }
    if "_c" in long:
        flags["c"] = long["_c"].to_numpy()
    sums = _per_outcome(flags, cell, g)
    n = np.bincount(cell, minlength=g).astype(float)
    if (n == 0).any():
        where = np.flatnonzero(n == 0)[0]
        seg_name = seg_labels[where // n_out]
        raise InputError(
            f"column '{by or outcome}': no ratings of outcome {names[where % n_out]!r}"
            + (f" in segment {seg_name!r}" if by else "")
        )
    p_i, p_s = sums["i"] / n, sums["s"] / n
    cov = sums["is"] / n - p_i * p_s
    imp, sat = 10 * p_i, 10 * p_s
    opp = imp + np.maximum(imp - sat, 0)
    var = np.where(imp > sat, 4 * p_i * (1 - p_i) + p_s * (1 - p_s) - 4 * cov, p_i * (1 - p_i)) / n
    se = 10 * np.sqrt(np.maximum(var, 0))
    il, ih = wilson_interval(sums["i"], n, alpha)
    sl, sh = wilson_interval(sums["s"], n, alpha)
    table = pd.DataFrame(
        {
            "outcome": np.tile(names, len(seg_labels)),
            "n": n.astype(np.int64),
            "importance": imp,
            "importance_low": 10 * il,
            "importance_high": 10 * ih,
            "satisfaction": sat,
            "satisfaction_low": 10 * sl,
            "satisfaction_high": 10 * sh,
            "opportunity": opp,
            "opportunity_se": se,
            "opportunity_low": np.maximum(opp - z * se, 0),
            "opportunity_high": opp + z * se,
        }
    )
    segcol = np.repeat(np.asarray(seg_labels, dtype=object), n_out)
    key = pd.Series(segcol).astype(str) if by else pd.Series(np.zeros(len(table)))
    table["rank"] = (
        table.groupby(key.to_numpy())["opportunity"].rank(ascending=False, method="min").astype(int)
    )
    table["served"] = np.where(opp >= underserved, "underserved", np.where(sat > imp, "overserved", "served"))
    if isinstance(cut, str):
        check_choice("cut", cut, ["mean", "median"])
        grp = table.groupby(key.to_numpy())
        table["importance_cut"] = grp["importance"].transform(cut)
        table["satisfaction_cut"] = grp["satisfaction"].transform(cut)
    else:
        c = float(cut)
        if not 0 <= c <= 10:
            raise ParameterError(f"argument 'cut': a number must be on the 0-10 scale, got {cut!r}")
        table["importance_cut"] = c
        table["satisfaction_cut"] = c
    high_i = table["importance"] >= table["importance_cut"]
    high_s = table["satisfaction"] >= table["satisfaction_cut"]
    table["quadrant"] = [QUADRANTS[(a, b)] for a, b in zip(high_i, high_s, strict=True)]
    if target is not None:
        table["target"] = _per_name(target, table["outcome"], "target")
        table["gap_to_target"] = table["target"] - table["satisfaction"]
    if competitor is not None:
        table["competitor"] = (
            _per_name(competitor, table["outcome"], "competitor")
            if isinstance(competitor, Mapping)
            else 10 * sums["c"] / n
        )
        table["gap_to_competitor"] = table["competitor"] - table["satisfaction"]
    if by:
        table.insert(0, by, segcol)
    order = np.lexsort((table["rank"].to_numpy(), np.repeat(np.arange(len(seg_labels)), n_out)))
    table = table.iloc[order].reset_index(drop=True)
    return OpportunityResult(
        table=table,
        by=by,
        scale=(lo, hi),
        top=int(top),
        underserved=float(underserved),
        ci=ci,
        **dropped.as_fields(),
    )


def _check_numeric(df: pd.DataFrame, column: str) -> np.ndarray:
    if not pd.api.types.is_numeric_dtype(df[column].dtype):
        raise InputError(f"column '{column}': expected numeric ratings, got {df[column].dtype}")
    return df[column].to_numpy(dtype=float)


def _per_name(spec: Any, outcomes: pd.Series, arg: str) -> np.ndarray:
    """A number for every outcome from a scalar or a mapping outcome -> number (0-10)."""
    if isinstance(spec, Mapping):
        absent = sorted(set(outcomes) - set(spec))
        unknown = sorted(set(spec) - set(outcomes))
        if absent or unknown:
            raise ParameterError(
                f"argument '{arg}': outcomes do not match (no value for {absent}; unknown {unknown})"
            )
        values = outcomes.map(lambda o: float(spec[o])).to_numpy(dtype=float)
    else:
        try:
            values = np.full(len(outcomes), float(spec))
        except (TypeError, ValueError):
            raise ParameterError(
                f"argument '{arg}': expected a number or a mapping outcome -> number"
            ) from None
    if not np.all((values >= 0) & (values <= 10)):
        raise ParameterError(
            f"argument '{arg}': scores are on the 0-10 scale, got {values.min():g}-{values.max():g}"
        )
    return values
