"""Every theme against every metadata column: ``theme_associations`` (step 2 of the cycle)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._io import as_arrow, check_choice, to_pandas
from .._plot import axes
from .._result import Result
from ..errors import ParameterError
from ._checks import testing_args


@dataclass(frozen=True, repr=False)
class ThemeAssociations(Result):
    """The theme x metadata test grid.

    ``table`` columns: theme, variable, level (per-level rows of a categorical variable; empty
    for the omnibus and numeric rows), test, statistic, p, q (adjusted across every testable row
    of the grid), effect, effect_ci_low, effect_ci_high, n (respondents in the test; for a
    per-level row, in the level), effect_name, mentions (of the theme among the n), note (why
    a row is untestable, or an approximation). ``highlights``: plain sentences for the
    strongest significant findings.
    """

    highlights: list[str] | None = None
    correction: str = "fdr_bh"
    alpha: float = 0.05
    min_count: int = 5
    n_dropped: int = 0

    @property
    def lifts(self) -> pd.DataFrame:
        """Per-level rows only: theme, variable, level, lift, interval, q."""
        t = self.table
        return t[t["effect_name"] == "lift"].reset_index(drop=True)

    @property
    def untestable(self) -> pd.DataFrame:
        """Rows that were not tested, with the reason in ``note``."""
        return self.table[self.table["note"].str.startswith("untestable")].reset_index(drop=True)

    def summary(self) -> str:
        t = self.table
        tested = t["p"].notna()
        sig = (t["q"] < self.alpha) & tested
        lines = [
            f"Theme associations: {t['theme'].nunique()} themes x {t['variable'].nunique()} variables, "
            f"{int(tested.sum())} tests ({int((~tested).sum())} untestable), {int(sig.sum())} significant "
            f"at q < {self.alpha} ({self.correction})"
        ]
        lines += [f"- {h}" for h in (self.highlights or [])]
        return "\n".join(lines)

    def plot(self, ax: Any = None, variable: str | None = None) -> Any:
        """Heatmap of lift (log scale, themes x levels); * q < alpha, ** q < alpha / 10."""
        lifts = self.lifts
        if variable is not None:
            lifts = lifts[lifts["variable"] == variable]
        if lifts.empty:
            raise ParameterError("argument 'variable': no categorical levels to plot")
        cols = [(v, lv) for v, lv in dict.fromkeys(zip(lifts["variable"], lifts["level"], strict=True))]
        themes = list(dict.fromkeys(lifts["theme"]))
        grid = np.full((len(themes), len(cols)), np.nan)
        marks = np.full(grid.shape, "", dtype=object)
        for r in lifts.itertuples():
            i, j = themes.index(r.theme), cols.index((r.variable, r.level))
            grid[i, j] = np.log2(r.effect) if r.effect and r.effect > 0 else np.nan
            if r.q < self.alpha:
                marks[i, j] = "**" if r.q < self.alpha / 10 else "*"
        ax = axes(ax, figsize=(max(6.0, 0.55 * len(cols) + 2), max(3.0, 0.45 * len(themes) + 1.5)))
        lim = float(np.nanmax(np.abs(grid))) if np.isfinite(grid).any() else 1.0
        im = ax.imshow(grid, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
        for (i, j), m in np.ndenumerate(marks):
            if m:
                ax.text(j, i, m, ha="center", va="center", fontsize=9)
        ax.set_xticks(range(len(cols)), [f"{v}={lv}" for v, lv in cols], rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(len(themes)), themes, fontsize=8)
        ax.figure.colorbar(im, ax=ax, label="log2 lift")
        ax.set_title(f"Theme lift by metadata level (* q < {self.alpha:g})")
        return ax


def _fmt_q(q: float) -> str:
    return "q < 0.001" if q < 0.001 else f"q = {q:.3f}"


def _label(theme: str) -> str:
    return theme.removeprefix("theme_").replace("_", " ")


def _highlights(t: pd.DataFrame, alpha: float, top: int, by: str | None = None) -> list[str]:
    """Sentences for the strongest significant lifts (either way) and numeric differences."""
    out: list[tuple[float, str]] = []

    def where(r: Any) -> str:
        return f" ({by} = {r._asdict()[by]})" if by else ""

    lifts = t[(t["effect_name"] == "lift") & (t["q"] < alpha)]
    for r in lifts.itertuples():
        verb = "over-index" if r.effect > 1 else "under-index"
        text = (
            f"{_label(r.theme)} comments {verb} {r.effect:.1f}x (95% CI {r.effect_ci_low:.1f}-"
            f"{r.effect_ci_high:.1f}) among customers with {r.variable} = {r.level}{where(r)}; {_fmt_q(r.q)}"
        )
        out.append((abs(np.log(r.effect)), text))
    welch = t[(t["test"] == "welch_t") & (t["q"] < alpha)]
    for r in welch.itertuples():
        direction = "higher" if r.effect > 0 else "lower"
        text = (
            f"customers mentioning {_label(r.theme)} have {direction} {r.variable}{where(r)} "
            f"(Cohen's d = {r.effect:.2f}, 95% CI {r.effect_ci_low:.2f} to {r.effect_ci_high:.2f}); "
            f"{_fmt_q(r.q)}"
        )
        out.append((abs(r.effect), text))
    out.sort(key=lambda x: -x[0])
    return [s for _, s in out[:top]]


def theme_associations(
    df: Any,
    themes: Sequence[str],
    metadata: Sequence[str],
    correction: str = "fdr_bh",
    alpha: float = 0.05,
    min_count: int = 5,
    *,
    categorical: Sequence[str] = (),
    by: str | None = None,
    missing: str = "raise",
    level: float = 0.95,
    top: int = 8,
) -> ThemeAssociations:
    """Tests every theme against every metadata column, effect sizes first, with FDR control.

    Categorical metadata (strings, categories, booleans; integers named in ``categorical``):

    - omnibus ``chi2``: Pearson's chi-square on the 2 x L table of mention by level, no
      continuity correction, over levels with at least ``min_count`` respondents;
      ``fisher`` (Fisher's exact test, statistic the odds ratio) for a 2 x 2 table with an
      expected count below 5. Effect: Cramer's V = sqrt(chi2 / n).
    - per level ``level_chi2`` (``level_fisher`` when an expected count of the level-versus-rest
      table is below 5): statistic the adjusted standardized residual
      (O - E) / sqrt(E (1 - n_l / n) (1 - m / n)); effect the lift P(theme | level) / P(theme),
      interval the Wilson interval of P(theme | level) divided by P(theme).

    Numeric metadata: ``point_biserial`` (r, Fisher-z interval), ``welch_t`` (Welch's t; effect
    Cohen's d = (mean_1 - mean_0) / pooled SD, Hedges-Olkin interval
    d +/- z sqrt(n / (n_1 n_0) + d^2 / (2 n))), ``mann_whitney`` (U of the theme group, normal
    approximation with tie and continuity correction; effect the rank-biserial correlation
    2 U / (n_1 n_0) - 1).

    q-values adjust every testable row of the grid together (``correction``: ``"fdr_bh"``
    Benjamini-Hochberg, ``"fdr_by"`` Benjamini-Yekutieli, ``"bonferroni"``, ``"none"``). Cells
    with fewer than ``min_count`` respondents (a level, or the groups with and without the
    theme), constant or all-missing variables are kept as rows with p = q = NaN and the
    reason in ``note``.

    Parameters
    ----------
    df : DataFrame or Arrow table
    themes : column names of 0/1 (or boolean) theme flags, such as ``tag_themes(...).table``.
    metadata : column names to test against.
    correction, alpha, min_count : see above; ``alpha`` marks significance in highlights and plots.
    categorical : integer metadata columns to treat as levels (default: numbers are numeric).
    by : a column to stratify by (journey point, survey wave): the grid is run within each of
        its levels, the table gains a first column named ``by``, and q-values adjust every
        testable row of every stratum together.
    missing : ``"raise"`` (default), ``"drop"`` (rows missing anywhere) or ``"pairwise"`` (each
        test leaves out the rows missing its variable; theme flags may not be missing).
    level : confidence level of the effect intervals.
    top : number of highlight sentences.

    Returns
    -------
    ThemeAssociations
        ``.table`` (theme, variable, level, test, statistic, p, q, effect, effect_ci_low,
        effect_ci_high, n, effect_name, mentions, note), ``.highlights``, ``.lifts``,
        ``.untestable``, ``.plot()`` (lift heatmap).

    References
    ----------
    Agresti (2013), Categorical Data Analysis, 3rd ed., 2.4.5 (adjusted residuals); Wilson (1927),
    JASA 22(158); Benjamini & Hochberg (1995), JRSS B 57(1); Benjamini & Yekutieli (2001), Annals
    of Statistics 29(4); Kerby (2014), Comprehensive Psychology 3 (rank-biserial).

    Examples
    --------
    >>> import customervalue as cv
    >>> df = cv.datasets.customers(2000, seed=0)
    >>> res = cv.theme_associations(df, themes=["theme_price"], metadata=["region", "income"])
    >>> res.table.columns[:4].tolist()
    ['theme', 'variable', 'level', 'test']
    """
    check_choice("missing", missing, ["raise", "drop", "pairwise"])
    themes = testing_args(correction, alpha, themes)
    if isinstance(metadata, str):
        raise ParameterError("argument 'metadata': give a list of column names")
    metadata = list(metadata)
    if not themes:
        raise ParameterError("argument 'themes': give at least one theme column")
    if not metadata:
        raise ParameterError("argument 'metadata': give at least one metadata column")
    if int(min_count) < 1:
        raise ParameterError(f"argument 'min_count': must be at least 1, got {min_count}")
    data = as_arrow(df, [*themes, *metadata, by])
    d = _core.theme_associations(
        data,
        themes,
        metadata,
        correction=correction,
        min_count=int(min_count),
        level=float(level),
        categorical=list(categorical),
        by=by,
        missing=missing,
    )
    table = to_pandas(d["table"])
    return ThemeAssociations(
        table=table,
        highlights=_highlights(table, alpha, top, by),
        correction=correction,
        alpha=alpha,
        min_count=int(min_count),
        n_dropped=int(d["n_dropped"]),
    )
