"""Every theme against every metadata column: ``theme_associations`` (step 2 of the cycle)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._boundary import read_input
from .._checks import POSITIVE, SEED, Options, check_args
from .._compat import renamed, renamed_attribute
from .._engines import distributable
from .._io import check_choice, to_pandas
from .._plot import axes, choose_backend, lift_grid
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
    strongest significant findings. ``profiles``: the subgroups (one or two metadata
    conditions) in which each theme over-indexes most, ``all_profiles`` every profile tested
    (columns in :func:`theme_associations`).

    Examples
    --------
    >>> import customervalue as cv
    >>> df = cv.datasets.customers(3000, seed=0)
    >>> grid = cv.theme_associations(df, themes=["theme_price", "theme_delivery"],
    ...                              metadata=["region", "monetary"])
    >>> omnibus = grid.table[grid.table["level"].isna()]      # one row per test of a pair
    >>> omnibus[omnibus["theme"] == "theme_price"][["variable", "test", "effect_name"]].values.tolist()
    [['region', 'chi2', 'cramers_v'], ['monetary', 'point_biserial', 'r'],
     ['monetary', 'welch_t', 'cohens_d'], ['monetary', 'mann_whitney', 'rank_biserial']]
    >>> grid.highlights[0]
    'delivery comments over-index 2.0x (95% CI 1.7-2.5) among customers with region = Mountain; q < 0.001'
    """

    highlights: list[str] | None = None
    correction: str = "fdr_bh"
    alpha: float = 0.05
    min_count: int = 5
    profiles: pd.DataFrame | None = None
    all_profiles: pd.DataFrame | None = None
    min_support: float = 0.05
    seed: int = 0
    n_permutations: int = 2000
    permutations = renamed_attribute("n_permutations")

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
        if self.profiles is not None and self.all_profiles is not None:
            lines.append(
                f"Profiles: {len(self.all_profiles)} tested at support >= {self.min_support:g}, "
                f"{len(self.profiles)} shown (q < {self.alpha}, lift > 1)"
            )
        lines += [f"- {h}" for h in (self.highlights or [])]
        return "\n".join(lines)

    def plot(self, ax: Any = None, *, variable: str | None = None, backend: str | None = None) -> Any:
        """Heatmap of lift (log scale, themes x levels); * q < alpha, ** q < alpha / 10.

        One column per level of each categorical variable (``"region=North"``), one row per
        theme; with ``by`` one row per theme and stratum (``"theme_price (wave = 2)"``). A lift
        of 0 (no respondent of the level mentions the theme) is left blank.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            An Axes to draw on (matplotlib only); a new figure when None.
        variable : str, optional
            Draw the levels of this metadata column only.
        backend : str, optional
            ``"matplotlib"`` or ``"plotly"`` (which needs the ``plotly`` extra,
            ``pip install customervalue[plotly]``). None: matplotlib when ``ax`` is given, else
            the ``plot_backend`` option (``cv.set_option``), matplotlib by default.

        Returns
        -------
        matplotlib.axes.Axes or plotly.graph_objects.Figure
            matplotlib: the Axes. plotly: an interactive Figure of one heatmap whose ``z`` is
            log2 of the lift grid (themes x levels, in the order of ``lifts``), on a colour
            scale centred on a lift of 1 and labelled in lift, its ``customdata`` the lift, its
            interval, q, n and mentions of each cell, which the hover text names.

        Examples
        --------
        >>> import numpy as np, customervalue as cv
        >>> df = cv.datasets.customers(2000, seed=0)
        >>> grid = cv.theme_associations(df, themes=["theme_price", "theme_delivery"],
        ...                              metadata=["region"], profiles=False)
        >>> grid.plot().get_title()                       # matplotlib, the default
        'Theme lift by metadata level (* q < 0.05)'
        >>> fig = grid.plot(backend="plotly")              # an interactive plotly Figure
        >>> heat = fig.data[0]
        >>> list(heat.y), len(heat.x) == grid.lifts["level"].nunique()
        (['theme_price', 'theme_delivery'], True)
        >>> lift = grid.lifts.pivot(index="theme", columns="level", values="effect")
        >>> bool(np.allclose(heat.z, np.log2(lift.loc[list(heat.y), [x.split("=")[1] for x in heat.x]])))
        True
        """
        lifts = self.lifts
        if variable is not None:
            lifts = lifts[lifts["variable"] == variable]
        if lifts.empty:
            raise ParameterError("argument 'variable': no categorical levels to plot")
        by = self.table.columns[0] if self.table.columns[0] != "theme" else None
        if choose_backend(backend, ax) == "plotly":
            from .._plotly import lift_heatmap_figure

            return lift_heatmap_figure(self, lifts, by)
        g = lift_grid(lifts, self.alpha, by)
        grid = g.log2_lift
        ax = axes(ax, figsize=(max(6.0, 0.55 * len(g.columns) + 2), max(3.0, 0.45 * len(g.rows) + 1.5)))
        lim = float(np.nanmax(np.abs(grid))) if np.isfinite(grid).any() else 1.0
        im = ax.imshow(grid, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
        for (i, j), m in np.ndenumerate(g.marks):
            if m:
                ax.text(j, i, m, ha="center", va="center", fontsize=9)
        ax.set_xticks(range(len(g.columns)), g.columns, rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(len(g.rows)), g.rows, fontsize=8)
        ax.figure.colorbar(im, ax=ax, label="log2 lift")
        ax.set_title(f"Theme lift by metadata level (* q < {self.alpha:g})")
        return ax


def _fmt_q(q: float) -> str:
    return "q < 0.001" if q < 0.001 else f"q = {q:.3f}"


def _label(theme: str) -> str:
    return theme.removeprefix("theme_").replace("_", " ")


def _top_profiles(all_profiles: pd.DataFrame, alpha: float, top: int) -> pd.DataFrame:
    """Significant over-indexing profiles, a pair only when it beats both of its conditions,
    sorted by lift, at most ``top`` per theme."""
    p = all_profiles
    sig = p[(p["q"] < alpha) & (p["lift"] > 1)]
    singles = p[p["size"] == 1]
    keys = zip(singles["theme"], singles["conditions"], strict=True)
    single_lift = dict(zip(keys, singles["lift"], strict=True))
    labels = set(singles["conditions"])

    def beats_parts(r: Any) -> bool:
        if r.size == 1:
            return True
        for a in labels:
            b = r.conditions[len(a) + 3 :]
            if r.conditions.startswith(a + " & ") and b in labels:
                parts = [single_lift.get((r.theme, c), np.inf) for c in (a, b)]
                return bool(r.lift > max(parts))
        return False

    keep = sig[[beats_parts(r) for r in sig.itertuples()]] if len(sig) else sig
    keep = keep.sort_values("lift", ascending=False, kind="stable")
    return keep.groupby("theme", observed=True, sort=False).head(top).reset_index(drop=True)


def _lift_sentence(theme: str, lift: float, low: float, high: float, who: str, q: float, ci: float) -> str:
    verb = "over-index" if lift > 1 else "under-index"
    return (
        f"{_label(theme)} comments {verb} {lift:.1f}x ({ci:.0%} CI {low:.1f}-{high:.1f}) among customers "
        f"with {who}; {_fmt_q(q)}"
    )


def _highlights(
    t: pd.DataFrame,
    alpha: float,
    top: int,
    by: str | None = None,
    profiles: pd.DataFrame | None = None,
    ci: float = 0.95,
) -> list[str]:
    """Sentences for the strongest significant lifts (either way), numeric differences and (at
    most two) two-condition profiles, with intervals at level ``ci``."""
    out: list[tuple[float, str]] = []

    def where(r: Any) -> str:
        return f" ({by} = {r._asdict()[by]})" if by else ""

    lifts = t[(t["effect_name"] == "lift") & (t["q"] < alpha)]
    for r in lifts.itertuples():
        who = f"{r.variable} = {r.level}{where(r)}"
        text = _lift_sentence(r.theme, r.effect, r.effect_ci_low, r.effect_ci_high, who, r.q, ci)
        out.append((abs(np.log(r.effect)), text))
    welch = t[(t["test"] == "welch_t") & (t["q"] < alpha)]
    for r in welch.itertuples():
        direction = "higher" if r.effect > 0 else "lower"
        text = (
            f"customers mentioning {_label(r.theme)} have {direction} {r.variable}{where(r)} "
            f"(Cohen's d = {r.effect:.2f}, {ci:.0%} CI {r.effect_ci_low:.2f} to {r.effect_ci_high:.2f}); "
            f"{_fmt_q(r.q)}"
        )
        out.append((abs(r.effect), text))
    if profiles is not None:
        pairs = profiles[profiles["size"] == 2].drop_duplicates("theme").head(2)
        for r in pairs.itertuples():
            who = f"{r.conditions} ({r.support:.0%} of customers)"
            out.append(
                (np.log(r.lift), _lift_sentence(r.theme, r.lift, r.lift_ci_low, r.lift_ci_high, who, r.q, ci))
            )
    out.sort(key=lambda x: -x[0])
    return [s for _, s in out[:top]]


@renamed(df="data", level="ci", permutations="n_permutations")
@check_args(
    missing=Options("raise", "drop", "pairwise"),
    min_count=POSITIVE,
    seed=SEED,
    n_permutations=POSITIVE,
    profiles_top=POSITIVE,
)
@distributable
def theme_associations(
    data: Any,
    themes: Sequence[str],
    metadata: Sequence[str],
    *,
    correction: str = "fdr_bh",
    alpha: float = 0.05,
    min_count: int = 5,
    categorical: Sequence[str] = (),
    by: str | None = None,
    missing: str = "raise",
    ci: float = 0.95,
    top: int = 8,
    seed: int = 0,
    n_permutations: int = 2000,
    profiles: bool = True,
    min_support: float = 0.05,
    profiles_top: int = 5,
) -> ThemeAssociations:
    """Tests every theme against every metadata column, effect sizes first, with FDR control.

    Categorical metadata (strings, categories, booleans; integers named in ``categorical``):

    - omnibus ``chi2``: Pearson's chi-square on the 2 x L table of mention by level, no
      continuity correction, over levels with at least ``min_count`` respondents;
      ``fisher`` (Fisher's exact test, statistic the odds ratio) for a 2 x 2 table with an
      expected count below 5; ``permutation`` for a larger table with an expected count below
      5: a seeded Monte Carlo permutation test of the chi-square, the theme flags permuted
      against the levels with both margins fixed, p = (1 + #{chi2_b >= chi2}) / (1 + B) over
      B = ``n_permutations`` permuted tables (each drawn from the permutation distribution level
      by level, hypergeometric conditionals; blocks of 64 permutations draw from their own
      stream of ``seed``, so the same seed gives the same p on any number of threads). Effect:
      Cramer's V = sqrt(chi2 / n), interval from the noncentral chi-square: the noncentrality
      lambda with F(chi2; L - 1, lambda) = 0.975 and 0.025 (or 0 when F(chi2; L - 1, 0) is
      already below that), V = sqrt(lambda / (n (min(2, L) - 1))) (Smithson 2003). When chi2 is
      in the lower tail of its null distribution both ends are 0.
    - per level ``level_chi2`` (``level_fisher`` when an expected count of the level-versus-rest
      table is below 5): statistic the adjusted standardized residual
      (O - E) / sqrt(E (1 - n_l / n) (1 - m / n)); effect the lift P(theme | level) / P(theme),
      interval the Wilson interval of P(theme | level) divided by P(theme).

    Numeric metadata: ``point_biserial`` (r, Fisher-z interval tanh(atanh(r) +/- z / sqrt(n - 3)),
    as ``scipy.stats.pearsonr(...).confidence_interval()``), ``welch_t`` (Welch's t; effect
    Cohen's d = (mean_1 - mean_0) / pooled SD, Hedges-Olkin interval
    d +/- z sqrt(n / (n_1 n_0) + d^2 / (2 n))), ``mann_whitney`` (U of the theme group, normal
    approximation with tie and continuity correction; effect the rank-biserial correlation
    2 U / (n_1 n_0) - 1, interval r +/- z 2 sd(U) / (n_1 n_0) clipped to [-1, 1], with
    sd(U)^2 = n_1 n_0 / 12 ((n + 1) - sum(t^3 - t) / (n (n - 1))) the tie-corrected null
    variance of U: exact in spread at r = 0, close for moderate shifts, and wider than needed
    as abs(r) approaches 1).

    Profiles (``profiles=True``, subgroup discovery): for each theme, every metadata condition
    and every pair of conditions on two different columns met by at least ``min_support`` of the
    respondents (and ``min_count``). A condition is a level of a categorical column
    (``region = North``) or a quartile bin of a numeric one labelled with its edges
    (``income < 38214``, ``income in [38214, 52106)``, ``income >= 71880``; numpy's linear
    quartiles, a value on an edge in the bin above). Lift = P(theme | profile) / P(theme), its
    interval the Wilson interval of P(theme | profile) divided by P(theme); p against every
    other respondent (Fisher's exact test when an expected count is below 5, else the
    chi-square); q across every profile of the call (``correction``). Profiles ignore ``by``.

    q-values adjust every testable row of the grid together (``correction``: ``"fdr_bh"``
    Benjamini-Hochberg, ``"fdr_by"`` Benjamini-Yekutieli, ``"bonferroni"``, ``"holm"``, ``"none"``). Cells
    with fewer than ``min_count`` respondents (a level, or the groups with and without the
    theme), constant or all-missing variables are kept as rows with p = q = NaN and the
    reason in ``note``.

    Parameters
    ----------
    data : DataFrame or Arrow table
    themes : column names of 0/1 (or boolean) theme flags, such as ``tag_themes(...).table``.
    metadata : column names to test against.
    correction, alpha, min_count : see above; ``alpha`` marks significance in highlights and plots.
    categorical : integer metadata columns to treat as levels (default: numbers are numeric).
    by : a column to stratify by (journey point, survey wave): the grid is run within each of
        its levels, the table gains a first column named ``by``, and q-values adjust every
        testable row of every stratum together.
    missing : ``"raise"`` (default), ``"drop"`` (rows missing anywhere) or ``"pairwise"`` (each
        test leaves out the rows missing its variable; theme flags may not be missing).
    ci : confidence level of the effect intervals.
    top : number of highlight sentences (at most two of them two-condition profiles).
    seed, n_permutations : seed and number of permutations of the permutation tests.
    profiles : whether to search the profiles (``.profiles``, ``.all_profiles``).
    min_support : minimum share of respondents in a profile, in [0.01, 1).
    profiles_top : profiles shown per theme in ``.profiles``.

    Returns
    -------
    ThemeAssociations
        ``.table`` (theme, variable, level, test, statistic, p, q, effect, effect_ci_low,
        effect_ci_high, n, effect_name, mentions, note), ``.highlights``, ``.lifts``,
        ``.untestable``, ``.plot()`` (lift heatmap). ``.all_profiles``: theme, conditions
        (``"region = North & product = Enterprise"``), support (share of all respondents), n,
        mentions, lift, lift_ci_low, lift_ci_high, p, q, size (number of conditions), test
        (``fisher`` or ``chi2``). ``.profiles``: those with q < ``alpha`` and lift > 1, a pair
        only when its lift beats the lift of each of its two conditions alone, sorted by lift,
        the ``profiles_top`` best per theme (``None`` without ``profiles``).

    References
    ----------
    Agresti (2013), Categorical Data Analysis, 3rd ed., 2.4.5 (adjusted residuals); Wilson (1927),
    JASA 22(158); Benjamini & Hochberg (1995), JRSS B 57(1); Benjamini & Yekutieli (2001), Annals
    of Statistics 29(4); Kerby (2014), Comprehensive Psychology 3 (rank-biserial); Smithson
    (2003), Confidence Intervals, Sage, ch. 4 (noncentral chi-square intervals for Cramer's V);
    Phipson & Smyth (2010), Stat. Appl. Genet. Mol. Biol. 9(1) (permutation p-values never
    zero); Herrera et al. (2011), Knowledge and Information Systems 29(3) (subgroup discovery).

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
    if int(n_permutations) < 1:
        raise ParameterError(f"argument 'n_permutations': must be at least 1, got {n_permutations}")
    if int(profiles_top) < 1:
        raise ParameterError(f"argument 'profiles_top': must be at least 1, got {profiles_top}")
    inp = read_input(data, [*themes, *metadata, by], what="theme_associations")
    d = _core.theme_associations(
        inp.arrow,
        themes,
        metadata,
        correction=correction,
        min_count=int(min_count),
        ci=float(ci),
        categorical=list(categorical),
        by=by,
        missing=missing,
        seed=int(seed),
        n_permutations=int(n_permutations),
        profiles=bool(profiles),
        min_support=float(min_support),
    )
    table = to_pandas(d["table"])
    all_profiles = to_pandas(d["profiles"]) if "profiles" in d else None
    shown = _top_profiles(all_profiles, alpha, int(profiles_top)) if all_profiles is not None else None
    return ThemeAssociations(
        table=table,
        highlights=_highlights(table, alpha, top, by, shown, float(ci)),
        correction=correction,
        alpha=alpha,
        min_count=int(min_count),
        profiles=shown,
        all_profiles=all_profiles,
        min_support=float(min_support),
        seed=int(seed),
        **inp.envelope(d).as_fields(),
        n_permutations=int(n_permutations),
    )
