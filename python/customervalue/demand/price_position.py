"""Price position against competitors: the evidence behind a price range."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._plot import axes, money
from .._result import Result
from ..errors import InputError


@dataclass(frozen=True, repr=False)
class PricePosition(Result):
    """``table``: one row per competitor (name, price, our_index = 100 x ours / theirs);
    scalar fields hold the summary.

    Examples
    --------
    >>> import customervalue as cv
    >>> pos = cv.price_position(50, [40, 50, 60])
    >>> pos.table["our_index"].round(1).tolist(), pos.percentile
    ([125.0, 100.0, 83.3], 50.0)
    """

    our_price: float = 0.0
    index_vs_mean: float = 0.0
    index_vs_median: float = 0.0
    percentile: float = 0.0
    rank: int = 0
    n_competitors: int = 0

    def summary(self) -> str:
        return (
            f"Our price {self.our_price:g} is {self.index_vs_mean:.0f} against the competitor mean (=100) "
            f"and {self.index_vs_median:.0f} against the median; {self.percentile:.0f}% of the "
            f"{self.n_competitors} competitors are cheaper (rank {self.rank} from cheapest)."
        )

    def plot(self, ax: Any = None) -> Any:
        """Competitor prices as a strip, ours marked."""
        ax = axes(ax, figsize=(7, 2.2))
        t = self.table.sort_values("price")
        ax.scatter(t["price"], np.zeros(len(t)), color="0.4")
        for r in t.itertuples():
            ax.annotate(
                str(r.name), (r.price, 0), xytext=(0, 8), textcoords="offset points", ha="center", fontsize=8
            )
        ax.scatter([self.our_price], [0], color="C3", s=80, zorder=3, label="ours")
        ax.set_yticks([])
        ax.set(xlabel="price", title="Price position")
        money(ax)
        ax.legend(fontsize=8)
        return ax


def price_position(
    our_price: float, competitor_prices: Mapping[str, float] | Iterable[float]
) -> PricePosition:
    """Where our price sits among competitors' prices.

    index_vs_mean = 100 x ours / mean(competitors) (likewise against the median); percentile =
    100 x (number of competitors cheaper + half the number priced the same) / n; rank from the
    cheapest (1 = cheapest). This replaces a seller-chosen "min/max range" with evidence.

    The indices are computed on the prices scaled by the largest, so they hold for prices of
    any size; a ratio past the largest float (a price of 1e308 against one of 1) is an
    InputError naming the competitor.

    Parameters
    ----------
    our_price : positive price
    competitor_prices : a mapping name -> price, or a sequence of prices

    Examples
    --------
    >>> import customervalue as cv
    >>> pos = cv.price_position(49, {"A": 45, "B": 55, "C": 60})
    >>> round(pos.index_vs_mean, 1), pos.rank      # 49 / mean(45, 55, 60) = 0.919
    (91.9, 2)
    >>> print(pos.summary())
    Our price 49 is 92 against the competitor mean (=100) and 89 against the median; 33% of the
    3 competitors are cheaper (rank 2 from cheapest).
    """
    if isinstance(competitor_prices, Mapping):
        names = [str(k) for k in competitor_prices]
        prices = np.asarray(list(competitor_prices.values()), dtype=float)
    else:
        prices = np.asarray(list(competitor_prices), dtype=float)
        names = [f"competitor {i + 1}" for i in range(len(prices))]
    if len(prices) == 0:
        raise InputError("column 'competitor_prices': no competitor prices")
    if not np.all(np.isfinite(prices)) or np.any(prices <= 0):
        raise InputError("column 'competitor_prices': prices must be positive and finite")
    if (
        isinstance(our_price, (bool, np.bool_))
        or not isinstance(our_price, (int, float, np.integer, np.floating))
        or not np.isfinite(our_price)
        or our_price <= 0
    ):
        raise InputError(f"column 'our_price': must be a positive price, got {our_price}")
    cheaper = float(np.sum(prices < our_price))
    same = float(np.sum(prices == our_price))
    # the indices are ratios, taken before the factor 100, and the mean of prices near 1e308
    # on prices scaled by the largest (their sum would overflow); a ratio past 1.8e308 is refused
    top = float(prices.max())
    with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
        mean = prices.mean()
        if not np.isfinite(mean):
            mean = top * (prices / top).mean()
        median = np.median(prices)
        if not np.isfinite(median):
            median = top * np.median(prices / top)
        index = 100 * (np.float64(our_price) / prices)
        vs_mean = 100 * (np.float64(our_price) / mean)
        vs_median = 100 * (np.float64(our_price) / median)
    if not (np.all(np.isfinite(index)) and np.isfinite(vs_mean) and np.isfinite(vs_median)):
        i = int(np.argmax(~np.isfinite(index))) if not np.all(np.isfinite(index)) else int(np.argmin(prices))
        raise InputError(
            f"column 'competitor_prices': our price {our_price:g} against {names[i]!r} at {prices[i]:g} "
            f"(row {i}) gives an index 100 x ours / theirs past the largest float (1.8e308); give the "
            "prices in one currency unit"
        )
    table = pd.DataFrame({"name": names, "price": prices, "our_index": index})
    return PricePosition(
        table=table,
        our_price=float(our_price),
        index_vs_mean=float(vs_mean),
        index_vs_median=float(vs_median),
        percentile=float(100 * (cheaper + 0.5 * same) / len(prices)),
        rank=int(cheaper) + 1,
        n_competitors=len(prices),
    )
