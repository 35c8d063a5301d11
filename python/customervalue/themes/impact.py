"""Theme impact on a value outcome: ``theme_impact`` (step 1 of the cycle)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import _core
from .._boundary import read_input
from .._checks import COUNT, MISSING, SEED, check_args
from .._compat import renamed, renamed_attribute
from .._io import check_choice, to_pandas
from .._plot import axes
from .._progress import progress_bar
from .._result import Result
from ..errors import ParameterError


@dataclass(frozen=True, repr=False)
class ThemeImpact(Result):
    """Theme impact on an outcome.

    ``table`` columns: theme, prevalence (share mentioning it), impact (by ``method``), ci_low,
    ci_high (bootstrap percentile interval; Welch interval for ``marginal`` without bootstrap;
    NaN otherwise), rank (1 = largest absolute impact), mean_with, mean_without (mean outcome
    with and without the theme), impact_if_removed (change in the overall mean outcome if the
    respondents mentioning the theme were removed), correlation (theme flag with the outcome:
    its sign is the direction of a relative weight or Shapley share).

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"price": [1, 1, 0, 0, 1, 0], "late": [0, 1, 1, 0, 0, 1],
    ...                   "score": [4, 2, 3, 9, 6, 5]})
    >>> r = cv.theme_impact(d, themes=["price", "late"], outcome="score", method="marginal")
    >>> r.table[["theme", "mean_with", "mean_without", "impact", "rank"]].round(2).values.tolist()
    [['price', 4.0, 5.67, -1.67, 2], ['late', 3.33, 6.33, -3.0, 1]]
    """

    method: str = "relative_weights"
    outcome: str = ""
    r_squared: float = float("nan")
    n_boot: int = 0
    bootstrap = renamed_attribute("n_boot")
    seed: int = 0
    sampled: bool = False

    def summary(self) -> str:
        t = self.table.sort_values("rank")
        lines = [
            f"Theme impact on {self.outcome} ({self.method}); R squared of all themes {self.r_squared:.3f}"
            + (f"; {self.n_boot} bootstrap replicates (seed {self.seed})" if self.n_boot else "")
        ]
        for r in t.itertuples():
            sign = "+" if r.correlation >= 0 else "-"
            lines.append(
                f"{int(r.rank)}. {r.theme}: impact {r.impact:.4g} ({sign}), prevalence {r.prevalence:.1%}"
            )
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """Impact x prevalence quadrant plot: themes to fix first sit top right.

        Marker colour shows direction (red: lowers the outcome, blue: raises it); dashed lines
        at the median prevalence and median absolute impact split the quadrants.
        """
        ax = axes(ax)
        t = self.table
        y = t["impact"].abs() if self.method != "marginal" else t["impact"]
        colours = ["C3" if c < 0 else "C0" for c in t["correlation"]]
        ax.scatter(t["prevalence"], y, c=colours, s=60, zorder=3)
        if t["ci_low"].notna().any() and self.method == "marginal":
            ax.errorbar(
                t["prevalence"],
                y,
                yerr=[y - t["ci_low"], t["ci_high"] - y],
                fmt="none",
                ecolor="0.6",
                zorder=2,
            )
        for r, yy in zip(t.itertuples(), y, strict=True):
            ax.annotate(
                str(r.theme).removeprefix("theme_"),
                (r.prevalence, yy),
                fontsize=8,
                xytext=(4, 4),
                textcoords="offset points",
            )
        ax.axvline(t["prevalence"].median(), color="0.6", ls="--", lw=1)
        ax.axhline(y.median(), color="0.6", ls="--", lw=1)
        ax.set(
            xlabel="prevalence (share mentioning)",
            ylabel=f"impact ({self.method})",
            title=f"Theme impact on {self.outcome} x prevalence",
        )
        return ax


@renamed(df="data", bootstrap="n_boot", level="ci", permutations="n_permutations")
@check_args(n_boot=COUNT, seed=SEED, n_permutations=COUNT, missing=MISSING)
def theme_impact(
    data: Any,
    themes: Sequence[str],
    outcome: str,
    *,
    method: str = "relative_weights",
    n_boot: int = 0,
    seed: int = 0,
    ci: float = 0.95,
    n_permutations: int = 2000,
    missing: str = "raise",
    progress: bool | None = None,
) -> ThemeImpact:
    """Ranks themes by their impact on a numeric (or 0/1) value outcome.

    - ``"marginal"``: mean(outcome | theme) - mean(outcome | no theme); ``impact_if_removed`` is
      mean(outcome | no theme) - mean(outcome), the change in the overall score if that theme's
      respondents were removed.
    - ``"relative_weights"``: Johnson's (2000) relative weights. With R = V diag(l) V' the
      correlation matrix of the theme flags and r their correlations with the outcome,
      Lambda = V diag(sqrt(l)) V', beta = Lambda^-1 r and weight_j = sum_k Lambda_jk^2 beta_k^2.
      The weights sum to the R squared of the least-squares regression on every theme.
    - ``"shapley"``: the LMG / Shapley decomposition of that R squared: theme j receives the
      average over orderings of the themes of the R squared it adds when it joins the themes
      before it; exact over all 2^k subsets up to 15 themes, averaged over ``n_permutations``
      seeded random orderings beyond.

    A 0/1 outcome is treated as a linear probability model. ``n_boot`` > 0 resamples
    respondents (seeded, parallel) for percentile intervals at ``ci``.

    Returns
    -------
    ThemeImpact
        ``.table`` (theme, prevalence, impact, ci_low, ci_high, rank, mean_with, mean_without,
        impact_if_removed, correlation), ``.r_squared``, ``.plot()`` (impact x prevalence).

    Raises
    ------
    InputError
        An outcome with no variance, a theme mentioned by fewer than 2 (or all but 1)
        respondents, or (for relative weights) linearly dependent theme flags.

    References
    ----------
    Johnson (2000), "A heuristic method for estimating the relative weight of predictor
    variables in multiple regression", Multivariate Behavioral Research 35(1), 1-19.
    Lindeman, Merenda & Gold (1980), Introduction to Bivariate and Multivariate Analysis;
    Gromping (2007), "Estimators of relative importance in linear regression based on variance
    decomposition", The American Statistician 61(2), 139-147.

    Examples
    --------
    >>> import customervalue as cv
    >>> df = cv.datasets.customers(2000, seed=0)
    >>> res = cv.theme_impact(df, themes=["theme_price", "theme_quality"], outcome="value_rating")
    >>> bool(abs(res.table["impact"].sum() - res.r_squared) < 1e-9)
    True
    """
    check_choice("method", method, ["relative_weights", "shapley", "marginal"])
    if isinstance(themes, str):
        raise ParameterError("argument 'themes': give a list of column names")
    themes = list(themes)
    if not themes:
        raise ParameterError("argument 'themes': give at least one theme column")
    if int(n_boot) < 0:
        raise ParameterError(f"argument 'n_boot': must be 0 or more, got {n_boot}")
    if not 0 < ci < 1:
        raise ParameterError(f"argument 'ci': must be in (0, 1), got {ci}")
    inp = read_input(data, [*themes, outcome], what="theme_impact")
    table = inp.arrow
    with progress_bar(progress, int(n_boot), "bootstrap", cost=float(n_boot) * 1e6) as cb:
        d = _core.theme_impact(
            table,
            themes,
            outcome,
            method=method,
            n_boot=int(n_boot),
            seed=int(seed),
            ci=float(ci),
            n_permutations=int(n_permutations),
            missing=missing,
            progress=cb,
        )
    return ThemeImpact(
        table=to_pandas(d["table"]),
        method=method,
        outcome=outcome,
        r_squared=float(d["r_squared"]),
        n_boot=int(n_boot),
        seed=int(seed),
        sampled=bool(d["sampled"]),
        **inp.envelope(d).as_fields(),
    )
