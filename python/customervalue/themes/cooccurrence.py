"""Theme co-occurrence network: ``theme_cooccurrence``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _core
from .._boundary import read_input
from .._checks import MISSING, check_args
from .._compat import renamed
from .._engines import distributable
from .._io import to_pandas
from .._plot import axes
from .._result import Result
from ._checks import testing_args


@dataclass(frozen=True, repr=False)
class ThemeCooccurrence(Result):
    """Pairs of themes and whether they co-occur more than chance.

    ``table``: theme_a, theme_b, n_a, n_b (respondents mentioning each), both, expected
    (n_a n_b / n), lift (both / expected), jaccard (both / (n_a + n_b - both)), p (upper-tail
    hypergeometric), q (adjusted across every edge), edge (q < alpha and lift > 1).

    A pair in which a theme is mentioned by no one has nothing to test: its expected count is 0
    and its ``lift`` (0 / 0), ``p`` and ``q`` are NaN (``edge`` is False; the other pairs'
    q-values adjust over the testable pairs); ``jaccard`` is NaN when neither theme of the pair
    is mentioned (0 / 0).

    Examples
    --------
    Of 8 respondents, 4 mention price and 3 value, all 3 of them also price: lift 3 / (4 x 3 / 8).

    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"price": [1, 1, 1, 1, 0, 0, 0, 0], "value": [1, 1, 1, 0, 0, 0, 0, 0]})
    >>> r = cv.theme_cooccurrence(d, themes=["price", "value"])
    >>> r.table[["both", "expected", "lift", "p"]].round(3).values.tolist()
    [[3.0, 1.5, 2.0, 0.071]]
    """

    alpha: float = 0.05
    correction: str = "fdr_bh"

    @property
    def edges(self) -> Any:
        """The significant edges only."""
        return self.table[self.table["edge"]].reset_index(drop=True)

    def summary(self) -> str:
        e = self.edges
        lines = [
            f"{len(self.table)} theme pairs tested, {len(e)} co-occur more than chance (q < {self.alpha})"
        ]
        lines += [f"- {r.theme_a} + {r.theme_b}: lift {r.lift:.2f}, q = {r.q:.2g}" for r in e.itertuples()]
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """Themes on a circle; a line for every significant edge, width by lift."""
        ax = axes(ax, figsize=(5.5, 5.5))
        names = list(dict.fromkeys([*self.table["theme_a"], *self.table["theme_b"]]))
        angle = np.linspace(0, 2 * np.pi, len(names), endpoint=False)
        pos = {n: (np.cos(a), np.sin(a)) for n, a in zip(names, angle, strict=True)}
        for r in self.edges.itertuples():
            (x0, y0), (x1, y1) = pos[r.theme_a], pos[r.theme_b]
            ax.plot([x0, x1], [y0, y1], color="C3", lw=1 + 2 * np.log2(max(r.lift, 1.0)), alpha=0.7)
        for n, (x, y) in pos.items():
            ax.scatter([x], [y], s=80, color="C0", zorder=3)
            ax.annotate(
                str(n).removeprefix("theme_"), (x, y), xytext=(6, 6), textcoords="offset points", fontsize=8
            )
        ax.set_axis_off()
        ax.set_title(f"Theme co-occurrence beyond chance (q < {self.alpha:g})")
        return ax


@renamed(df="data")
@check_args(missing=MISSING)
@distributable
def theme_cooccurrence(
    data: Any,
    themes: Sequence[str],
    *,
    correction: str = "fdr_bh",
    alpha: float = 0.05,
    missing: str = "raise",
) -> ThemeCooccurrence:
    """Tests every pair of themes for co-occurring more often than chance.

    With n respondents of whom n_a mention theme a and n_b theme b, the number mentioning both
    is hypergeometric under independence given the margins, X ~ Hyp(n, n_a, n_b); the p-value is
    P(X >= both). q-values adjust every pair together (``correction`` as in
    ``theme_associations``). The book warns against forcing connections between interview
    themes: an edge is drawn only when it survives this test.

    Returns
    -------
    ThemeCooccurrence
        ``.table`` (theme_a, theme_b, n_a, n_b, both, expected, lift, jaccard, p, q, edge),
        ``.edges``, ``.plot()``.

    References
    ----------
    Fisher (1935), The Design of Experiments (the exact test of a 2 x 2 table, whose one-sided
    p-value is this hypergeometric tail); Benjamini & Hochberg (1995), JRSS B 57(1).

    Examples
    --------
    >>> import customervalue as cv
    >>> df = cv.datasets.customers(2000, seed=0)
    >>> res = cv.theme_cooccurrence(df, themes=["theme_price", "theme_support", "theme_trust"])
    >>> len(res.table)
    3
    """
    themes = testing_args(correction, alpha, themes)
    inp = read_input(data, themes, what="theme_cooccurrence")
    d = _core.theme_cooccurrence(inp.arrow, themes, correction=correction, missing=missing)
    table = to_pandas(d["table"])
    table["edge"] = (table["q"] < alpha) & (table["lift"] > 1)
    return ThemeCooccurrence(table=table, alpha=alpha, correction=correction, **inp.envelope(d).as_fields())
