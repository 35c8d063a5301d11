"""Gabor-Granger: buy / no-buy answers on a price ladder."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import _core
from .._boundary import read_input, warn
from .._checks import AMOUNT, MISSING, Options, check_args
from .._compat import renamed
from .._engines import distributable
from .._io import to_pandas
from .._plot import axes, legend_both, money
from .._result import Result
from ._common import elasticity_table


@dataclass(frozen=True, repr=False)
class GaborGrangerResult(Result):
    """``table``: price, buyers (named as in the demand curve; ``demand`` is the same column
    under Gabor-Granger's own name), share, revenue, profit, elasticity (of the step from the
    previous ladder price, by ``kind``); ``respondents``: each respondent with an answer, their
    highest accepted price and its ``status``: "accepted", "no price accepted", "non-monotone,
    read as first_refusal" (or "highest", the ``nonmonotone`` rule applied) or "non-monotone,
    dropped".

    NaN, and what it means:

    * ``elasticity``: NaN at the lowest ladder price (no step into it) and for a step from a
      price with no demand: the point elasticity's relative change (dQ / Q_prev) from zero is
      undefined, and so is the arc elasticity when neither price has demand;
    * ``highest_accepted_price`` (``respondents``): NaN for a respondent who accepts no price
      (status "no price accepted"; with ``"first_refusal"``, also a non-monotone one who
      refuses the lowest price and buys a higher one) and for a non-monotone respondent left
      out by ``nonmonotone="drop"`` (status "non-monotone, dropped", not counted in N); a
      respondent with no answer left (every row dropped for a missing value, or an unused
      category of a categorical respondent column) is not listed;
    * ``revenue_optimal_price`` and ``profit_optimal_price`` are None (not a price) when no
      respondent accepts any ladder price (demand 0 everywhere; a warning says so), and the
      profit-optimal one also when no ladder price covers the unit cost.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3], "price": [10, 20] * 3, "buy": [1, 1, 1, 0, 0, 0]})
    >>> r = cv.gabor_granger(d, respondent="id")
    >>> r.table["share"].round(3).tolist(), r.n_no_purchase
    ([0.667, 0.333], 1)
    """

    respondents: pd.DataFrame | None = None
    revenue_optimal_price: float | None = None
    profit_optimal_price: float | None = None
    n: float = 0.0
    n_nonmonotone: int = 0
    n_no_purchase: int = 0
    kind: str = "point"
    cost: float = 0.0

    def elasticity(self, *, kind: str = "point") -> pd.DataFrame:
        """Elasticity of demand between adjacent ladder prices: "point" or "arc"; NaN for a
        step from a price with no demand (point) or between two prices without demand (arc)."""
        return elasticity_table(self.table, "buyers", kind, None)

    def summary(self) -> str:
        ladder = ", ".join(f"{p:g}" for p in self.table["price"])
        return (
            f"Gabor-Granger: {self.n:g} respondents, ladder {ladder}; "
            f"revenue-optimal price {self.revenue_optimal_price}, profit-optimal price "
            f"{self.profit_optimal_price} (unit cost {self.cost:g}); {self.n_nonmonotone} non-monotone, "
            f"{self.n_no_purchase} accept no price"
        )

    def plot(self, ax: Any = None) -> Any:
        """Demand share (bars) and revenue (line) per ladder price, the optimum marked."""
        ax = axes(ax)
        t = self.table
        width = 0.6 * (t["price"].diff().min() if len(t) > 1 else 1.0)
        ax.bar(t["price"], t["share"], width=width, color="C0", alpha=0.6, label="share buying")
        ax.set(xlabel="price", ylabel="share buying", title="Gabor-Granger")
        ax2 = ax.twinx()
        ax2.plot(t["price"], t["revenue"], "o-", color="C1", label="revenue")
        if self.cost:
            ax2.plot(t["price"], t["profit"], "s--", color="C2", label="profit")
        if self.revenue_optimal_price is not None:
            ax2.axvline(self.revenue_optimal_price, color="C1", ls=":")
        ax2.set_ylabel("revenue / profit")
        money(ax)
        legend_both(ax, ax2)
        return ax

    def plot_elasticity(self, ax: Any = None, *, kind: str = "point") -> Any:
        """Elasticity against price (|e| > 1: elastic)."""
        ax = axes(ax)
        e = self.elasticity(kind=kind)
        ax.plot(e["price_to"], e["elasticity"], "o-")
        ax.axhline(-1, color="0.5", ls="--", lw=1)
        ax.set(xlabel="price", ylabel=f"{kind} elasticity", title="Elasticity against price")
        return ax


@renamed(df="data")
@check_args(
    nonmonotone=Options("first_refusal", "highest", "drop"),
    kind=Options("point", "arc"),
    missing=MISSING,
    cost=AMOUNT,
    fixed_cost=AMOUNT,
)
@distributable
def gabor_granger(
    data: Any,
    price: str = "price",
    buy: str = "buy",
    respondent: str | None = None,
    *,
    weights: str | None = None,
    cost: float = 0.0,
    fixed_cost: float = 0.0,
    market_size: float | None = None,
    nonmonotone: str = "first_refusal",
    kind: str = "point",
    missing: str = "raise",
) -> GaborGrangerResult:
    """Gabor-Granger analysis of buy / no-buy answers on a price ladder (long format).

    With ``respondent``, each respondent's highest accepted price is found and demand at a
    ladder price p is the (weighted) number of respondents whose highest accepted price is at
    least p; respondents accepting no price count in N and never buy. A respondent who buys at
    a higher price after refusing a lower one is non-monotone; ``nonmonotone`` states the rule:
    ``"first_refusal"`` (default) takes the highest accepted price below the lowest refused
    one, ``"highest"`` the highest accepted price anywhere, ``"drop"`` leaves the respondent
    out. Without ``respondent`` each price is read on its own (share of its rows buying).

    share = demand / N; revenue = p x demand; profit = (p - c) x demand - F, with demand
    scaled to ``market_size`` when given. ``elasticity`` in the table is the elasticity of the
    step from the previous ladder price (``kind`` "point": (dQ/Q_prev)/(dP/P_prev); "arc":
    midpoint formula).

    Returns
    -------
    GaborGrangerResult
        ``.table`` (price, demand, share, revenue, profit, elasticity), ``.respondents``,
        ``.revenue_optimal_price``, ``.profit_optimal_price``, ``.n_nonmonotone``,
        ``.elasticity(kind=)``, ``.plot()``; where a NaN or None can appear and what it means:
        :class:`GaborGrangerResult`.

    References
    ----------
    Gabor & Granger (1966), "Price as an indicator of quality: report on an enquiry",
    Economica 33(129), 43-70.

    Examples
    --------
    Four respondents on the ladder 10, 20, 30; the fourth accepts no price:

    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"respondent": [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4],
    ...                   "price": [10, 20, 30] * 4,
    ...                   "buy": [1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0]})
    >>> r = cv.gabor_granger(d, respondent="respondent")
    >>> r.table[["price", "demand", "revenue"]].values.tolist()
    [[10.0, 3.0, 30.0], [20.0, 2.0, 40.0], [30.0, 1.0, 30.0]]
    >>> r.revenue_optimal_price
    20.0
    """
    inp = read_input(data, [price, buy, respondent, weights], what="gabor_granger")
    d = _core.gabor_granger(
        inp.arrow,
        price,
        buy,
        respondent=respondent,
        weights=weights,
        cost=float(cost),
        fixed_cost=float(fixed_cost),
        market_size=market_size,
        nonmonotone=nonmonotone,
        missing=missing,
    )
    env = inp.envelope(d)
    fields = env.as_fields()
    table = to_pandas(d["table"])
    if not (table["buyers"] > 0).any():
        # demand 0 at every price: the core gives no revenue-optimal price; say why
        note = (
            f"gabor_granger: no respondent accepts any price on the ladder (no answer counted in "
            f"column '{buy}' is a purchase), so demand is 0 everywhere and no price is revenue-optimal"
        )
        warn(note)
        fields["warnings"] = (*fields["warnings"], note)
    # ``buyers`` is the demand curve's name for the same quantity; ``demand`` stays as the
    # contract's name for Gabor-Granger
    table.insert(2, "demand", table["buyers"])
    e = _core.elasticities(list(table["price"]), list(table["buyers"]), kind)
    table["elasticity"] = e
    return GaborGrangerResult(
        table=table,
        respondents=to_pandas(d["respondents"]) if "respondents" in d else None,
        revenue_optimal_price=d["revenue_optimal_price"],
        profit_optimal_price=d["profit_optimal_price"],
        n=float(d["n"]),
        n_nonmonotone=int(d["n_nonmonotone"]),
        n_no_purchase=int(d["n_no_purchase"]),
        kind=kind,
        cost=float(cost),
        **fields,
    )
