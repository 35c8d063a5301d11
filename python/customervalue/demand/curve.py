"""The willingness-to-pay demand curve (``demand_curve``) and the premium test."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import _core
from .._boundary import read_input
from .._checks import AMOUNT, COUNT, MISSING, SEED, check_args
from .._compat import renamed
from .._engines import distributable
from .._io import to_pandas
from .._plot import axes, choose_backend, grid, legend_both, money
from .._result import Result
from ..errors import ParameterError
from ._common import elasticity_table, per_group, run_bootstrapped


@dataclass(frozen=True, repr=False)
class PremiumTestResult(Result):
    """Profit at ``price_b`` minus profit at ``price_a``, with a bootstrap interval.

    ``table`` has one row: price_a, price_b, profit_a, profit_b, difference, ci_low, ci_high,
    prob_b_better (the share of bootstrap replicates in which b is more profitable), ci (the
    interval level). ``.ci`` is the interval itself, (ci_low, ci_high).

    Examples
    --------
    >>> import customervalue as cv
    >>> curve = cv.demand_curve(cv.datasets.pricing_survey(500, seed=1), wtp="wtp", cost=10)
    >>> t = curve.premium_test(40, 50, n_boot=500)      # is 50 worth it over 40?
    >>> round(t.difference), tuple(round(x) for x in t.ci)
    (-1340, (-2030, -690))
    >>> float(t.table["prob_b_better"].iloc[0])         # share of resamples where 50 wins
    0.0
    """

    @property
    def difference(self) -> float:
        return float(self.table["difference"].iloc[0])

    @property
    def ci(self) -> tuple[float, float]:
        return float(self.table["ci_low"].iloc[0]), float(self.table["ci_high"].iloc[0])

    def summary(self) -> str:
        r = self.table.iloc[0]
        verdict = (
            "worth it"
            if r.ci_low > 0
            else "not worth it"
            if r.ci_high < 0
            else "not distinguishable from no difference"
        )
        return (
            f"Premium test: profit at {r.price_b:g} minus profit at {r.price_a:g} = "
            f"{r.difference:,.2f} ({r['ci']:.0%} CI {r.ci_low:,.2f} to {r.ci_high:,.2f}); "
            f"b is better in {r.prob_b_better:.0%} of resamples: the premium is {verdict}."
        )


@dataclass(frozen=True, repr=False)
class DemandCurveResult(Result):
    """A WTP demand curve: ``table`` holds price, share, buyers, revenue, profit (and the
    ``by`` column, and ``*_ci_low``/``*_ci_high`` with ``ci``); ``optima`` one row per group.

    When the unit cost is at or above every stated willingness to pay, no price makes a
    profit: that group's ``profit_optimal_price`` and ``profit_at_optimum`` in ``optima`` (and
    their interval bounds) are NaN, and :attr:`profit_optimal_price` is None.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> curve = cv.demand_curve(pd.DataFrame({"wtp": [10, 20, 20, 40]}), wtp="wtp")
    >>> curve.table["revenue"].tolist(), curve.revenue_optimal_price   # 20 x 3 buyers
    ([40.0, 60.0, 40.0], 20.0)
    """

    optima: pd.DataFrame = field(default_factory=pd.DataFrame)
    by: str | None = None
    wtp: str = "wtp"
    weights: str | None = None
    cost: float = 0.0
    fixed_cost: float = 0.0
    market_size: float | None = None
    ci: float | None = None
    seed: int = 0
    _data: Any = None

    @property
    def revenue_optimal_price(self) -> Any:
        """The stated price maximising p N D(p) (a Series by group with ``by``)."""
        return per_group(self.optima, self.by, "revenue_optimal_price")

    @property
    def profit_optimal_price(self) -> Any:
        """The stated price maximising (p - c) N D(p) - F; None when no price covers the cost."""
        return per_group(self.optima, self.by, "profit_optimal_price")

    def elasticity(self, *, kind: str = "point") -> pd.DataFrame:
        """Elasticity of demand between adjacent stated prices (``kind`` "point" or "arc");
        NaN for a step from a price with no demand (its relative change from zero is undefined)."""
        return elasticity_table(self.table, "share", kind, self.by)

    @check_args(n_boot=COUNT)
    def premium_test(
        self, price_a: float, price_b: float, *, ci: float = 0.95, n_boot: int = 1000
    ) -> PremiumTestResult:
        """Is charging ``price_b`` (say, a premium over the market value ``price_a``) more
        profitable? The difference (p_b - c) N D(p_b) - (p_a - c) N D(p_a) with a percentile
        bootstrap interval (respondents resampled, seeded by this result's ``seed``)."""

        if self.by is not None:
            raise ParameterError(
                "argument 'by': run premium_test on a curve without by= (filter the group first)"
            )
        if self._data is None:
            raise ParameterError(
                "premium_test resamples the respondents' stated willingness to pay; this curve has none "
                "(a choice model's simulated demand, or a curve from an engine's merged histogram): "
                "compare the profit at the two prices in .table instead"
            )
        d = _core.premium_test(
            self._data,
            self.wtp,
            float(price_a),
            float(price_b),
            weights=self.weights,
            cost=self.cost,
            market_size=self.market_size,
            ci=ci,
            n_boot=n_boot,
            seed=self.seed,
            missing="drop",
        )
        return PremiumTestResult(table=to_pandas(d["table"]))

    def summary(self) -> str:
        lines = [f"Demand curve from stated willingness to pay ('{self.wtp}')"]
        for _, r in self.optima.iterrows():
            head = f"  {r[self.by]}: " if self.by else "  "
            lines.append(
                f"{head}n = {int(r['n'])}; revenue-optimal price {r['revenue_optimal_price']:g} "
                f"(revenue {r['revenue_at_optimum']:,.2f}); profit-optimal price "
                f"{r['profit_optimal_price']:g} at unit cost {self.cost:g}"
            )
        return "\n".join(lines)

    def plot(self, ax: Any = None, *, show: str = "all", backend: str | None = None) -> Any:
        """Demand share, revenue and profit against price, optima marked, interval bands with
        ``ci``. With ``by``, small multiples (one panel per group) unless ``ax`` is given.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            An Axes to draw on (matplotlib only); a new figure when None.
        show : str
            ``"all"`` or ``"revenue"``: the share with revenue and profit on a second axis and
            the optimal prices marked; anything else: the share alone.
        backend : str, optional
            ``"matplotlib"`` or ``"plotly"`` (which needs the ``plotly`` extra,
            ``pip install customervalue[plotly]``). None: matplotlib when ``ax`` is given, else
            the ``plot_backend`` option (``cv.set_option``), matplotlib by default.

        Returns
        -------
        matplotlib.axes.Axes or plotly.graph_objects.Figure
            matplotlib: the Axes (the first panel's with ``by``). plotly: an interactive Figure
            whose traces hold the columns of ``table`` (the step curve ``demand share``, with
            the band ``share, 95% interval`` under ``ci``; ``revenue`` and ``profit`` on the
            second y axis; the optima as the markers ``revenue-optimal price`` and
            ``profit-optimal price`` at their price and value); hovering names the share (as a
            percentage of respondents), buyers, revenue and profit at each price.

        Examples
        --------
        >>> import pandas as pd, customervalue as cv
        >>> curve = cv.demand_curve(pd.DataFrame({"wtp": [10, 20, 20, 40]}), wtp="wtp", cost=15)
        >>> curve.plot().get_xlabel()                     # matplotlib, the default
        'price'
        >>> fig = curve.plot(backend="plotly")             # an interactive plotly Figure
        >>> [trace.name for trace in fig.data]
        ['demand share', 'revenue', 'profit', 'revenue-optimal price', 'profit-optimal price']
        >>> fig.data[0].x.tolist(), fig.data[0].y.tolist()   # the table's price and share
        ([10.0, 20.0, 40.0], [1.0, 0.75, 0.25])
        """
        if choose_backend(backend, ax) == "plotly":
            from .._plotly import demand_curve_figure

            return demand_curve_figure(self, show)
        if self.by is not None and ax is None:
            groups = list(self.optima[self.by])
            _, axs = grid(len(groups))
            for a, g in zip(axs, groups, strict=True):
                self._plot_one(a, self.table[self.table[self.by] == g], g, show)
            return axs[0]
        ax = axes(ax)
        if self.by is not None:
            for g, part in self.table.groupby(self.by, observed=True):
                ax.step(part["price"], part["share"], where="pre", label=str(g))
            ax.set(xlabel="price", ylabel="share willing to pay", title="Demand curves by " + self.by)
            ax.legend()
            money(ax)
            return ax
        return self._plot_one(ax, self.table, None, show)

    def _plot_one(self, ax: Any, t: pd.DataFrame, group: Any, show: str) -> Any:
        ax.step(t["price"], t["share"], where="pre", color="C0", label="demand share")
        if "share_ci_low" in t:
            ax.fill_between(
                t["price"], t["share_ci_low"], t["share_ci_high"], step="pre", color="C0", alpha=0.2
            )
        ax.set_ylabel("share willing to pay")
        ax.set_xlabel("price")
        money(ax)
        if show in ("all", "revenue"):
            ax2 = ax.twinx()
            ax2.plot(t["price"], t["revenue"], color="C1", label="revenue")
            if (t["profit"] != t["revenue"]).any():
                ax2.plot(t["price"], t["profit"], color="C2", label="profit")
            opt = self.optima if group is None else self.optima[self.optima[self.by] == group]
            rp = opt["revenue_optimal_price"].iloc[0]
            ax2.axvline(rp, color="C1", ls="--", lw=1)
            ax2.annotate(f"revenue max {rp:g}", (rp, ax2.get_ylim()[1]), va="top", fontsize=8)
            pp = opt["profit_optimal_price"].iloc[0]
            if pd.notna(pp) and pp != rp:
                ax2.axvline(pp, color="C2", ls=":", lw=1)
            ax2.set_ylabel("revenue / profit")
            legend_both(ax, ax2, loc="center right")
        ax.set_title("Demand curve" if group is None else str(group))
        return ax


@renamed(df="data")
@check_args(seed=SEED, n_boot=COUNT, missing=MISSING, cost=AMOUNT, fixed_cost=AMOUNT)
@distributable
def demand_curve(
    data: Any,
    wtp: str = "wtp",
    *,
    weights: str | None = None,
    by: str | None = None,
    cost: float = 0.0,
    fixed_cost: float = 0.0,
    ci: float | None = None,
    seed: int = 0,
    market_size: float | None = None,
    n_boot: int = 1000,
    missing: str = "raise",
    progress: bool | None = None,
) -> DemandCurveResult:
    """Demand, revenue and profit curves from stated willingness to pay.

    The demand share at price p is the exact step function

        D(p) = sum_i v_i [wtp_i >= p] / sum_i v_i

    over the distinct stated prices (v_i the weights, 1 by default; respondents stating 0 count
    in the total and never buy). With N the market size (the total weight unless
    ``market_size`` is given): buyers = N D(p), revenue = p N D(p), profit = (p - c) N D(p) - F.
    The revenue- and profit-optimal prices are exact: p D(p) only rises between stated prices,
    so the optimum is a stated price (ties go to the lowest).

    Parameters
    ----------
    data : pandas or polars DataFrame, or pyarrow Table
    wtp : column of stated willingness to pay (non-negative)
    weights : optional column of respondent weights (non-negative)
    by : optional segment column: one curve per segment, computed in one pass
    cost, fixed_cost : unit cost c and fixed cost F (currency; finite, from 0 to 10**15)
    ci : confidence level (e.g. 0.95) for percentile bootstrap intervals of the curve and both
        optimal prices; respondents resampled ``n_boot`` times, in parallel, seeded by ``seed``
    market_size : N; the total respondent weight by default
    missing : "raise" (default) or "drop" rows with missing values
    progress : show a progress bar for the bootstrap (None: in notebooks, for long runs)

    Returns
    -------
    DemandCurveResult
        ``.table``: price, share, buyers, revenue, profit (with ``ci``: share_ci_low,
        share_ci_high, revenue_ci_low, ..., profit_ci_high); ``.optima``: per group
        revenue_optimal_price, revenue_at_optimum, profit_optimal_price, profit_at_optimum, n,
        total_weight, market_size (and interval bounds; the profit optimum is NaN when the
        cost is at or above every stated WTP: no price covers it); ``.elasticity(kind=)``,
        ``.premium_test(a, b)``, ``.plot()``.

    References
    ----------
    Nagle, Muller & Gruyaert, *The Strategy and Tactics of Pricing*, ch. 6; Breidert, Hahsler &
    Reutterer (2006), "A review of methods for measuring willingness-to-pay", Innovative
    Marketing 2(4).

    Examples
    --------
    >>> import customervalue as cv
    >>> survey = cv.datasets.pricing_survey(500, seed=1)
    >>> curve = cv.demand_curve(survey, wtp="wtp", cost=10)
    >>> curve.revenue_optimal_price > 0
    True
    """
    inp = read_input(data, [wtp, weights, by], what="demand_curve")
    d, env = run_bootstrapped(
        _core.demand_curve,
        inp,
        wtp,
        by=by,
        ci=ci,
        n_boot=n_boot,
        seed=seed,
        missing=missing,
        progress=progress,
        weights=weights,
        cost=float(cost),
        fixed_cost=float(fixed_cost),
        market_size=market_size,
    )
    return DemandCurveResult(
        table=to_pandas(d["table"]),
        optima=to_pandas(d["optima"]),
        by=by,
        wtp=wtp,
        weights=weights,
        cost=float(cost),
        fixed_cost=float(fixed_cost),
        market_size=market_size,
        ci=ci,
        seed=int(seed),
        _data=inp.arrow,
        **env.as_fields(),
    )
