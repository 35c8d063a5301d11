"""Step 3 of the cycle: ``compare_waves`` (did a change move the themes and the outcome?)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import _core
from .._boundary import read_input
from .._checks import MISSING, check_args
from .._compat import renamed
from .._io import to_pandas
from .._plot import axes
from .._result import Result
from ._checks import testing_args


@dataclass(frozen=True, repr=False)
class WaveComparison(Result):
    """Two waves compared.

    ``table``: theme (or the outcome column), measure ("prevalence" or "mean"), before, after
    (among the treated when there is a control group), difference (after - before), ci_low,
    ci_high, statistic (two-proportion z, or Welch t for the outcome), p, q (adjusted across the
    rows), did, did_ci_low, did_ci_high, did_p (difference in differences against the control
    group; NaN without one).

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"wave": ["Q1"] * 4 + ["Q2"] * 4, "price": [1, 0, 0, 0, 1, 1, 1, 0]})
    >>> r = cv.compare_waves(d, themes=["price"], wave="wave")
    >>> r.table[["theme", "before", "after", "difference"]].values.tolist()
    [['price', 0.25, 0.75, 0.5]]
    """

    before_wave: str = ""
    after_wave: str = ""
    alpha: float = 0.05

    def summary(self) -> str:
        lines = [f"Waves: {self.before_wave} -> {self.after_wave}"]
        for r in self.table.itertuples():
            did = "" if r.did != r.did else f"; vs control {r.did:+.3g} (p = {r.did_p:.2g})"
            lines.append(f"- {r.theme} ({r.measure}): {r.before:.3g} -> {r.after:.3g}, q = {r.q:.2g}{did}")
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """Prevalence change per theme with its interval (significant ones in red)."""
        ax = axes(ax)
        t = self.table[self.table["measure"] == "prevalence"]
        colours = ["C3" if q < self.alpha else "0.5" for q in t["q"]]
        ax.errorbar(
            t["difference"],
            range(len(t)),
            xerr=[t["difference"] - t["ci_low"], t["ci_high"] - t["difference"]],
            fmt="none",
            ecolor="0.6",
        )
        ax.scatter(t["difference"], range(len(t)), c=colours, zorder=3)
        ax.axvline(0, color="0.4", lw=1)
        ax.set_yticks(range(len(t)), [str(x).removeprefix("theme_") for x in t["theme"]])
        ax.set(
            xlabel=f"prevalence {self.after_wave} - {self.before_wave}", title="Theme change between waves"
        )
        return ax


@renamed(df="data", level="ci")
@check_args(missing=MISSING)
def compare_waves(
    data: Any,
    themes: Sequence[str],
    wave: str,
    outcome: str | None = None,
    control: str | None = None,
    *,
    before: str | None = None,
    correction: str = "fdr_bh",
    alpha: float = 0.05,
    ci: float = 0.95,
    missing: str = "raise",
) -> WaveComparison:
    """Theme prevalence and the outcome between two waves (before and after a change).

    Prevalence: the pooled two-proportion z-test of after - before (as statsmodels'
    ``proportions_ztest``) with an unpooled Wald interval. Outcome: Welch's t on the mean
    difference. q-values adjust across the rows. With ``control`` (a 0/1 column marking rows not
    exposed to the change), before/after are among the treated, and the difference in
    differences (after - before | treated) - (after - before | control) is reported with the
    standard error sqrt(sum over the four cells of v_g / n_g), v_g the cell variance with
    divisor n_g: the HC0 robust error of the interaction in y ~ after * treated.

    Parameters
    ----------
    wave : a column with exactly two levels; ``before`` names the first wave (default: the
        first level in order).

    Returns
    -------
    WaveComparison
        ``.table`` (theme, measure, before, after, difference, ci_low, ci_high, statistic, p,
        q, did, did_ci_low, did_ci_high, did_p), ``.plot()``.

    References
    ----------
    Agresti (2013), Categorical Data Analysis, 3rd ed., 3.1 (two proportions); Angrist & Pischke
    (2009), Mostly Harmless Econometrics, ch. 5 (difference in differences); White (1980),
    Econometrica 48(4) (HC0).

    Examples
    --------
    >>> import customervalue as cv, pandas as pd
    >>> a, b = cv.datasets.customers(500, seed=0), cv.datasets.customers(500, seed=1)
    >>> both = pd.concat([a.assign(wave="1"), b.assign(wave="2")])
    >>> cv.compare_waves(both, themes=["theme_price"], wave="wave").table["measure"].tolist()
    ['prevalence']
    """
    themes = testing_args(correction, alpha, themes)
    inp = read_input(data, [*themes, wave, outcome, control], what="compare_waves")
    d = _core.compare_waves(
        inp.arrow,
        themes,
        wave,
        outcome=outcome,
        control=control,
        before=before,
        correction=correction,
        ci=float(ci),
        missing=missing,
    )
    return WaveComparison(
        table=to_pandas(d["table"]),
        before_wave=str(d["before"]),
        after_wave=str(d["after"]),
        alpha=alpha,
        **inp.envelope(d).as_fields(),
    )
