"""Bundling and value ladders: menus of options priced from each respondent's willingness to
pay, in the core (``src/demand/menu.rs``)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._boundary import read_input
from .._checks import MISSING, check_args
from .._io import check_choice, to_pandas
from .._plot import axes
from .._result import Result
from ..errors import InputError, ParameterError

STRATEGIES = ("components", "pure", "mixed")


def _values(data: Any, columns: list[str], missing: str, what: str) -> tuple[np.ndarray, Any]:
    """The WTP columns as an n x k float matrix (rows with a missing value dropped or refused)
    and the result envelope (the dropped rows listed)."""
    inp = read_input(data, columns, what=what)
    table = to_pandas(inp.arrow)
    x = table[columns].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(x)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        if missing == "raise":
            raise InputError(
                f"column '{columns[c]}': row {inp.index[r]!r} holds {table[columns[c]].iloc[r]!r}, not a "
                "finite willingness to pay; pass missing='drop' to leave such respondents out"
            )
    dropped = np.flatnonzero(bad.any(axis=1))
    x = x[~bad.any(axis=1)]
    if len(x) == 0:
        raise InputError(f"column '{columns[0]}': no respondents with every willingness to pay")
    if (x < 0).any():
        r, c = np.argwhere(x < 0)[0]
        raise InputError(
            f"column '{columns[c]}': willingness to pay must be non-negative; row {r} holds {x[r, c]}"
        )
    return x, inp.envelope(extra=[(dropped, "missing")])


def _costs(costs: Sequence[float] | None, k: int) -> list[float]:
    out = [0.0] * k if costs is None else [float(c) for c in costs]
    if len(out) != k or any(not np.isfinite(c) or c < 0 for c in out):
        raise ParameterError(f"argument 'costs': give {k} non-negative, finite unit costs, got {costs!r}")
    return out


@dataclass(frozen=True, repr=False)
class BundlePrices(Result):
    """Profit-optimal prices under each bundling strategy: ``table`` has one row per strategy
    with the price of each component (``price_<column>``; NaN when not sold alone), the
    ``bundle_price`` (NaN when there is no bundle), ``profit``, ``buyers`` (respondents buying
    anything), ``units`` (components sold, a bundle counting as all of them) and
    ``consumer_surplus``. ``choices``: what each respondent buys under each strategy.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> w = pd.DataFrame({"a": [90, 60, 40, 10], "b": [10, 40, 60, 90]})  # Adams & Yellen's example
    >>> cv.bundle_prices(w, wtp=["a", "b"]).table[["strategy", "profit"]].values.tolist()
    [['components', 240.0], ['pure', 400.0], ['mixed', 400.0]]
    """

    choices: pd.DataFrame = field(default_factory=pd.DataFrame)
    components: list[str] = field(default_factory=list)

    def summary(self) -> str:
        best = self.table.sort_values("profit", ascending=False).iloc[0]
        return (
            f"Bundling over {len(self.components)} components: the most profitable strategy is "
            f"{best['strategy']} (profit {best['profit']:,.2f})"
        )

    def plot(self, ax: Any = None) -> Any:
        """Profit and consumer surplus per strategy."""
        ax = axes(ax)
        t = self.table
        x = np.arange(len(t))
        ax.bar(x - 0.2, t["profit"], 0.4, label="profit")
        ax.bar(x + 0.2, t["consumer_surplus"], 0.4, label="consumer surplus")
        ax.set_xticks(x, t["strategy"])
        ax.set(title="Bundling strategies")
        ax.legend()
        return ax


@check_args(missing=MISSING)
def bundle_prices(
    data: Any,
    *,
    wtp: Sequence[str],
    costs: Sequence[float] | None = None,
    strategy: str | Sequence[str] = STRATEGIES,
    missing: str = "raise",
) -> BundlePrices:
    """Profit-optimal prices of two or three components sold separately (``"components"``),
    only as a bundle (``"pure"``), or both (``"mixed"``), from each respondent's willingness to pay
    for each component (``wtp`` columns; the bundle is valued at the sum, Adams & Yellen's
    assumption).

    A respondent buys the option of largest non-negative surplus (value minus price; buying
    several components separately is an option too), an indifferent respondent the option that
    earns the seller more. Profit = sum over buyers of price minus unit cost. Prices are searched
    one at a time exactly over the prices that change someone's choice, until no single price can
    raise profit, from several starts (a coordinate-wise optimum; for components alone it is the
    global one, since each component is priced on its own). Adams & Yellen (1976), "Commodity
    bundling and the burden of monopoly", QJE 90(3); Schmalensee (1984), "Gaussian demand and
    commodity bundling", Journal of Business 57(1).

    Returns
    -------
    BundlePrices

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> w = pd.DataFrame({"a": [90, 60, 40, 10], "b": [10, 40, 60, 90]})
    >>> cv.bundle_prices(w, wtp=["a", "b"], strategy="pure").table["bundle_price"].tolist()
    [100.0]
    """
    cols = [wtp] if isinstance(wtp, str) else list(wtp)
    if not 2 <= len(cols) <= 3:
        raise ParameterError(f"argument 'wtp': give two or three component columns, got {len(cols)}")
    strategies = [strategy] if isinstance(strategy, str) else list(strategy)
    for s in strategies:
        check_choice("strategy", s, STRATEGIES)
    c = _costs(costs, len(cols))
    x, env = _values(data, cols, missing, "bundle_prices")
    k = len(cols)
    subsets = [s for r in range(1, k + 1) for s in itertools.combinations(range(k), r)]
    # single-component optima, used as starts
    single = []
    for j in range(k):
        p, _, _ = _core.menu_prices(
            np.ascontiguousarray(x[:, j]), 1, 1, [[0]], [c[j]], [[float(x[:, j].max())]], 0
        )
        single.append(p[0])
    total = x.sum(axis=1)
    pure_p, _, _ = _core.menu_prices(
        np.ascontiguousarray(total), 1, 1, [[0]], [sum(c)], [[float(total.max())]], 0
    )
    rows, choices = [], {}
    for s in strategies:
        if s == "components":
            parts = [list(sub) for sub in subsets]
            vals = np.column_stack([x[:, list(sub)].sum(axis=1) for sub in subsets])
            cost = [sum(c[j] for j in sub) for sub in subsets]
            starts = [single]
            m = k
        elif s == "pure":
            parts, vals, cost, starts, m = [[0]], total[:, None], [sum(c)], [pure_p], 1
        else:
            parts = [list(sub) for sub in subsets] + [[k]]
            vals = np.column_stack([*(x[:, list(sub)].sum(axis=1) for sub in subsets), total])
            cost = [sum(c[j] for j in sub) for sub in subsets] + [sum(c)]
            starts = [
                [*single, pure_p[0]],
                [*single, float(sum(single))],
                [*(float(x[:, j].max()) for j in range(k)), pure_p[0]],
            ]
            # and a grid of quartiles: the search is exact one price at a time, so a few spread
            # starts guard against stopping at a poorer coordinate-wise optimum
            qs = [np.quantile(x[:, j], [0.25, 0.5, 0.75]) for j in range(k)]
            qb = np.quantile(total, [0.25, 0.5, 0.75])
            for combo in itertools.product(*qs, qb):
                starts.append([float(v) for v in combo])
            m = k + 1
        prices, profit, choice = _core.menu_prices(
            np.ascontiguousarray(vals).ravel(), len(parts), m, parts, cost, starts, 0
        )
        ch = np.asarray(choice)
        opt_price = np.array([sum(prices[j] for j in p) for p in parts])
        bought = ch >= 0
        surplus = np.where(
            bought, vals[np.arange(len(ch)), np.maximum(ch, 0)] - opt_price[np.maximum(ch, 0)], 0.0
        )
        # components sold per option: a bundle counts as all of them
        units = np.array(
            [k if s == "pure" or o >= len(subsets) else len(subsets[o]) for o in range(len(parts))]
        )
        row: dict[str, Any] = {"strategy": s}
        for j, col in enumerate(cols):
            row[f"price_{col}"] = prices[j] if s != "pure" else np.nan
        row["bundle_price"] = prices[-1] if s != "components" else np.nan
        row.update(
            profit=float(profit),
            buyers=int(bought.sum()),
            units=int(units[ch[bought]].sum()) if bought.any() else 0,
            consumer_surplus=float(surplus.sum()),
        )
        rows.append(row)
        labels = ["+".join(cols[j] for j in sub) for sub in subsets] if s != "pure" else []
        names = {"components": labels, "pure": ["bundle"], "mixed": [*labels, "bundle"]}[s]
        choices[s] = [names[o] if o >= 0 else "nothing" for o in ch]
    return BundlePrices(
        table=pd.DataFrame(rows),
        choices=pd.DataFrame(choices),
        components=cols,
        **env.as_fields(),
    )


@dataclass(frozen=True, repr=False)
class ValueLadder(Result):
    """A priced value ladder: ``table`` has one row per tier with its ``price``, ``cost``,
    ``buyers``, ``take_rate`` (share of respondents), ``profit`` and the mean value of the tier to
    the target respondents; ``steps`` compares each step up in price with the step up in value
    (``value_step``, the target respondents' mean extra value) and says whether the step is
    ``worth_it`` (price step below value step: the book's "significantly better" made
    measurable); ``profit`` in total.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> w = pd.DataFrame({"basic": [30, 40, 20, 50], "pro": [60, 70, 30, 90]})
    >>> lad = cv.value_ladder(w, tier_wtp=["basic", "pro"], prices=[25, 60])
    >>> lad.table["buyers"].tolist()
    [2, 1]
    """

    steps: pd.DataFrame = field(default_factory=pd.DataFrame)
    profit: float = float("nan")

    def summary(self) -> str:
        rates = ", ".join(
            f"{t} {r:.0%}" for t, r in zip(self.table["tier"], self.table["take_rate"], strict=True)
        )
        return f"Value ladder: take rates {rates}; profit {self.profit:,.2f}"

    def plot(self, ax: Any = None) -> Any:
        """Price and mean value per tier: the ladder's steps."""
        ax = axes(ax)
        t = self.table
        ax.plot(t["tier"], t["price"], "o-", label="price")
        ax.plot(t["tier"], t["mean_value"], "s--", label="mean value (target)")
        ax.set(title="Value ladder", ylabel="price / value")
        ax.legend()
        return ax


@check_args(missing=MISSING)
def value_ladder(
    data: Any,
    *,
    tier_wtp: Sequence[str],
    costs: Sequence[float] | None = None,
    prices: Sequence[float] | None = None,
    target: str | None = None,
    min_take_rate: float | None = None,
    missing: str = "raise",
) -> ValueLadder:
    """Take rates and profit of a ladder of tiers (basic, standard, premium) from each
    respondent's willingness to pay for each tier (``tier_wtp`` columns, lowest tier first).
    Each respondent takes the tier of largest non-negative surplus (value minus price), an
    indifferent one the tier that earns more. With ``prices``, the ladder at those prices;
    without, the prices that maximise profit subject to every tier being taken by at least
    ``min_take_rate`` of the respondents (by at least one respondent when not given; a tier
    bought by a handful is rarely worth listing), searched one price at a time exactly, as
    :func:`bundle_prices` does. Cost: O(k n log n) per price tried.

    ``steps``: for each step up, the price step against the value step for the ``target``
    respondents (a boolean column; everyone by default): a step is worth it to them when it costs
    less than the mean extra value it brings.

    Returns
    -------
    ValueLadder

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> w = pd.DataFrame({"basic": [30, 40, 20, 50], "pro": [60, 70, 30, 90]})
    >>> bool((cv.value_ladder(w, tier_wtp=["basic", "pro"]).table["buyers"] > 0).all())
    True
    """
    cols = [tier_wtp] if isinstance(tier_wtp, str) else list(tier_wtp)
    if len(cols) < 2:
        raise ParameterError("argument 'tier_wtp': a ladder needs at least two tiers")
    c = _costs(costs, len(cols))
    if min_take_rate is not None:
        if prices is not None:
            raise ParameterError(
                "argument 'min_take_rate' applies when the prices are searched; with prices= given, "
                "read the take rates from the result's table['take_rate']"
            )
        if not (isinstance(min_take_rate, (int, float)) and 0 < min_take_rate <= 1 / len(cols)):
            raise ParameterError(
                f"argument 'min_take_rate' must be in (0, 1/{len(cols)}] for {len(cols)} tiers "
                f"(each tier taken by that share), got {min_take_rate!r}"
            )
    x, env = _values(data, [*cols, *([target] if target else [])], missing, "value_ladder")
    if target:
        mask = x[:, -1].astype(bool)
        x = x[:, :-1]
        if not mask.any():
            raise InputError(f"column '{target}': no respondent is in the target")
    else:
        mask = np.ones(len(x), dtype=bool)
    k = len(cols)
    parts = [[j] for j in range(k)]
    if prices is not None:
        p = [float(v) for v in prices]
        if len(p) != k or any(not np.isfinite(v) or v < 0 for v in p):
            raise ParameterError(f"argument 'prices': give {k} non-negative prices, got {prices!r}")
        profit, choice = _core.menu_choices(np.ascontiguousarray(x).ravel(), k, parts, c, p)
    else:
        starts = [
            list(np.quantile(x[:, j], 0.5) for j in range(k)),
            [float(x[:, j].mean()) for j in range(k)],
        ]
        need = 1 if min_take_rate is None else max(1, math.ceil(min_take_rate * len(x) - 1e-9))
        starts += _ladder_starts(x, c, need)
        p, profit, choice = _core.menu_prices(np.ascontiguousarray(x).ravel(), k, k, parts, c, starts, need)
    ch = np.asarray(choice)
    n = len(ch)
    buyers = np.array([(ch == j).sum() for j in range(k)])
    mean_value = x[mask].mean(axis=0)
    table = pd.DataFrame(
        {
            "tier": cols,
            "price": p,
            "cost": c,
            "buyers": buyers,
            "take_rate": buyers / n,
            "profit": (np.asarray(p) - np.asarray(c)) * buyers,
            "mean_value": mean_value,
        }
    )
    steps = pd.DataFrame(
        {
            "from": cols[:-1],
            "to": cols[1:],
            "price_step": np.diff(p),
            "value_step": np.diff(mean_value),
        }
    )
    steps["worth_it"] = steps["price_step"] < steps["value_step"]
    return ValueLadder(table=table, steps=steps, profit=float(profit), **env.as_fields())


def _ladder_starts(x: np.ndarray, costs: list[float], need: int, keep: int = 5) -> list[list[float]]:
    """Starting prices for the ladder search that already give every tier ``need`` takers: ladders
    built step by step (the lowest tier at a quantile of its value, each step up at a quantile of
    the value that step adds), at most 4^k of them (k <= 4 tiers; 3 levels beyond), the ``keep``
    most profitable of those that are feasible. The search moves one price at a time, and from an
    infeasible start a single price often cannot reach a feasible ladder."""
    k = x.shape[1]
    levels = (0.2, 0.4, 0.6, 0.8) if k <= 4 else (0.25, 0.5, 0.75)
    base = np.quantile(x[:, 0], levels)
    steps = [np.quantile(d, levels) for d in np.diff(x, axis=1).T]
    parts = [[j] for j in range(k)]
    flat = np.ascontiguousarray(x).ravel()
    found = []
    for combo in itertools.product(range(len(levels)), repeat=k):
        start = [float(base[combo[0]])]
        for j in range(k - 1):
            start.append(start[-1] + float(steps[j][combo[j + 1]]))
        if min(start) < 0:
            continue
        profit, choice = _core.menu_choices(flat, k, parts, costs, start)
        counts = np.bincount(np.asarray(choice) + 1, minlength=k + 1)[1:]
        if (counts >= need).all():
            found.append((float(profit), start))
    found.sort(key=lambda fs: -fs[0])
    return [s for _, s in found[:keep]]


__all__ = ["bundle_prices", "BundlePrices", "value_ladder", "ValueLadder"]
