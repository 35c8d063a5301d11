"""Economic value estimation (Nagle), customer value maps (Gale) and value quantification."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._boundary import drop_missing
from .._checks import COUNT, POSITIVE, SEED, check_args
from .._compat import renamed
from .._engines import refuse_engine_table
from .._io import check_columns
from .._plot import axes
from .._result import Result
from ..errors import InputError, ParameterError


def _frame(data: Any, name: str) -> pd.DataFrame:
    refuse_engine_table(data)
    if isinstance(data, pd.DataFrame):
        df = data
    elif hasattr(data, "to_pandas"):
        df = data.to_pandas()
    else:
        raise ParameterError(f"argument '{name}': expected a DataFrame, got {type(data).__name__}")
    check_columns(df, [])  # a repeated column name is an InputError naming it
    if len(df) == 0:
        raise InputError(f"column '{name}': the table is empty (0 rows)")
    return df


def _need(df: pd.DataFrame, columns: list[str], what: str) -> None:
    for c in columns:
        if c not in df.columns:
            names = ", ".join(map(str, df.columns))
            raise InputError(f"column '{c}': not found in the {what} table; its columns are: {names}")


def _numeric(df: pd.DataFrame, column: str) -> np.ndarray:
    if not pd.api.types.is_numeric_dtype(df[column]):
        raise InputError(f"column '{column}': expected a numeric column, got {df[column].dtype}")
    values = df[column].to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        raise InputError(f"column '{column}': {int((~np.isfinite(values)).sum())} missing value(s)")
    return values


@dataclass(frozen=True, repr=False)
class EconomicValue(Result):
    """``table``: per segment the reference value, positive and negative differentiation value,
    the economic value and (with a cost floor) the value-based price range; ``drivers``: the
    driver lines.

    Examples
    --------
    One set of drivers per segment, each against its own next-best alternative:

    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"segment": ["small", "small", "large", "large"],
    ...                   "driver": ["speed", "setup cost", "speed", "setup cost"],
    ...                   "value": [120, -40, 400, -60]})
    >>> ev = cv.economic_value(d, reference_value={"small": 200, "large": 900}, by="segment",
    ...                        cost_floor=150)
    >>> ev.economic_value.to_dict()
    {'small': 280.0, 'large': 1240.0}
    >>> ev.table[["segment", "price_floor", "price_ceiling"]].values.tolist()
    [['small', 150.0, 280.0], ['large', 150.0, 1240.0]]
    """

    drivers: pd.DataFrame = field(default_factory=pd.DataFrame)
    by: str | None = None

    @property
    def economic_value(self) -> Any:
        """Reference value + positive - negative differentiation value (a Series with ``by``)."""
        if self.by is None:
            return float(self.table["economic_value"].iloc[0])
        return self.table.set_index(self.by)["economic_value"]

    def summary(self) -> str:
        rows = []
        for r in self.table.itertuples():
            seg = f"{getattr(r, self.by)}: " if self.by else ""
            rows.append(
                f"{seg}reference {r.reference_value:,.2f} + positive {r.positive_differentiation:,.2f} "
                f"- negative {r.negative_differentiation:,.2f} = economic value {r.economic_value:,.2f}"
            )
        return "Economic value estimation\n  " + "\n  ".join(rows)

    def plot(self, ax: Any = None, *, segment: Any = None) -> Any:
        """The EVE waterfall: reference value, each driver, the economic value."""
        ax = axes(ax)
        d = (
            self.drivers
            if self.by is None
            else self.drivers[self.drivers[self.by] == (segment or self.drivers[self.by].iloc[0])]
        )
        t = self.table if self.by is None else self.table[self.table[self.by] == d[self.by].iloc[0]]
        ref = float(t["reference_value"].iloc[0])
        labels = ["reference value", *d["driver"].astype(str), "economic value"]
        starts, heights, colors = [0.0], [ref], ["0.6"]
        level = ref
        for v in d["value"]:
            starts.append(level if v >= 0 else level + v)
            heights.append(abs(v))
            colors.append("C2" if v >= 0 else "C3")
            level += v
        starts.append(0.0)
        heights.append(level)
        colors.append("C0")
        ax.bar(range(len(labels)), heights, bottom=starts, color=colors)
        ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
        ax.set(ylabel="value per unit", title="Economic value estimation")
        return ax


@renamed(drivers="data")
def economic_value(
    data: Any,
    *,
    reference_value: Any,
    by: str | None = None,
    driver: str = "driver",
    value: str = "value",
    cost_floor: Any = None,
    missing: str = "raise",
) -> EconomicValue:
    """Nagle's economic value estimation.

    economic value = reference value (the price of the customer's next-best alternative)
    + positive differentiation value (what the customer gains from our differences)
    - negative differentiation value (what they lose).

    Parameters
    ----------
    data : the drivers, one row per value driver: ``driver`` (name) and ``value`` (signed, per unit);
        with ``by``, one set of drivers per segment
    reference_value : a number, or a mapping segment -> number with ``by``
    cost_floor : optional unit cost (number or mapping): the value-based price range runs from it
        to the economic value
    missing : "raise" (default) refuses a driver without a value (or segment); "drop" leaves it
        out and lists it in ``.dropped``. ``drivers`` keeps the rows of ``data`` (its index).

    References
    ----------
    Nagle, Muller & Gruyaert, *The Strategy and Tactics of Pricing*, ch. 2.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"driver": ["speed", "support", "uptime"], "value": [350, 100, 200]})
    >>> cv.economic_value(d, reference_value=300).economic_value
    950.0
    """
    df = _frame(data, "data")
    _need(df, [driver, value] + ([by] if by else []), "drivers")
    df, env = drop_missing(df, [value] + ([by] if by else []), missing, what="economic_value")
    if len(df) == 0:
        raise InputError(f"column '{value}': no drivers left after dropping missing values")
    df = df.copy()
    df["value"] = _numeric(df, value)
    df = df.rename(columns={driver: "driver"})
    segments = [None] if by is None else list(dict.fromkeys(df[by]))

    def pick(x: Any, seg: Any, name: str) -> float | None:
        if x is None:
            return None
        if isinstance(x, Mapping):
            if seg not in x:
                raise ParameterError(f"argument '{name}': no value for segment {seg!r}")
            return float(x[seg])
        return float(x)

    rows = []
    for seg in segments:
        part = df if seg is None else df[df[by] == seg]
        ref = pick(reference_value, seg, "reference_value")
        if ref is None or not np.isfinite(ref) or ref < 0:
            raise ParameterError(f"argument 'reference_value': must be a non-negative number, got {ref}")
        pos = float(part.loc[part["value"] > 0, "value"].sum())
        neg = float(-part.loc[part["value"] < 0, "value"].sum())
        row: dict[str, Any] = {
            "reference_value": ref,
            "positive_differentiation": pos,
            "negative_differentiation": neg,
            "economic_value": ref + pos - neg,
        }
        floor = pick(cost_floor, seg, "cost_floor")
        if floor is not None:
            row["price_floor"] = floor
            row["price_ceiling"] = ref + pos - neg
        if by is not None:
            row = {by: seg, **row}
        rows.append(row)
    return EconomicValue(table=pd.DataFrame(rows), drivers=df, by=by, **env.as_fields())


@dataclass(frozen=True, repr=False)
class ValueMap(Result):
    """``table``: per brand the market-perceived quality score (100 = parity with the other
    brands), relative price (100 = parity), the fair price on the fair-value line, and customer
    value as vertical (fair price - relative price) and perpendicular distance to the line;
    ``profile``: the quality profile (weight, ratings and our ratio per attribute);
    ``quality_score``: ours; ``line``: the fair-value line as (intercept, slope).

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> profile = pd.DataFrame({"attribute": ["quality", "service"], "weight": [60, 40],
    ...                         "us": [8, 6], "them": [6, 6], "other": [6, 6]})
    >>> vm = cv.value_map(profile, ours="us", prices={"us": 110, "them": 100, "other": 100})
    >>> vm.quality_score, vm.line          # parity line: fair price = quality score
    (120.0, (0.0, 1.0))
    >>> print(vm.summary())
    us: market-perceived quality 120 (100 = parity), relative price 110;
    customer value +10.0 points against the fair-value line
    """

    profile: pd.DataFrame = field(default_factory=pd.DataFrame)
    ours: str = ""
    line: tuple[float, float] = (0.0, 1.0)
    quality_score: float = 0.0

    def summary(self) -> str:
        r = self.table.set_index("brand").loc[self.ours]
        return (
            f"{self.ours}: market-perceived quality {r['quality']:.0f} (100 = parity), relative price "
            f"{r['relative_price']:.0f}; customer value {r['customer_value']:+.1f} points against the "
            f"fair-value line"
        )

    def plot(self, ax: Any = None) -> Any:
        """The value map: relative price against relative quality, the fair-value line, brands."""
        ax = axes(ax, figsize=(6, 5))
        t = self.table
        lo = min(t["quality"].min(), t["relative_price"].min()) * 0.9
        hi = max(t["quality"].max(), t["relative_price"].max()) * 1.1
        xs = np.array([lo, hi])
        ax.plot(xs, self.line[0] + self.line[1] * xs, ls="--", color="0.5", label="fair-value line")
        for r in t.itertuples():
            color = "C3" if r.brand == self.ours else "C0"
            ax.scatter(r.quality, r.relative_price, color=color, s=60, zorder=3)
            ax.annotate(
                str(r.brand), (r.quality, r.relative_price), xytext=(5, 5), textcoords="offset points"
            )
        ax.set(
            xlabel="market-perceived quality (100 = parity)",
            ylabel="relative price (100 = parity)",
            title="Customer value map",
        )
        ax.text(lo, hi * 0.97, "worse value", fontsize=8, va="top", color="0.4")
        ax.text(hi * 0.97, lo * 1.02, "better value", fontsize=8, ha="right", color="0.4")
        ax.legend(fontsize=8)
        return ax


@renamed(profile="data", weight="weights")
def value_map(
    data: Any,
    ours: str,
    *,
    prices: Mapping[str, float],
    fair_value_line: str = "parity",
    attribute: str = "attribute",
    weights: str = "weight",
) -> ValueMap:
    """Gale's customer value analysis: quality profile, price profile and value map.

    ``data`` (the quality profile) has one row per quality attribute with its weight (the
    ``weights`` column, summing to 100) and one rating column per brand. For each brand b and
    attribute a the ratio is the brand's rating over the mean rating of the other brands; the
    market-perceived quality score is
    sum_a w_a x ratio_(b,a) (100 = parity). Relative price is 100 x price_b / mean price of the
    other brands. The fair-value line is the parity diagonal (relative price = quality) or a
    least-squares line through the brands (``"regression"``); customer value is the fair price
    minus the relative price (positive: better value), also given as perpendicular distance.
    The ratios are computed on ratings scaled by each attribute's largest and prices scaled by
    the largest price (so values near 1e308 do not overflow); a ratio that still leaves the
    floats (a denormal price or rating against normal ones) is an error naming the brand's
    column and the row.
    Reference: Gale (1994), *Managing Customer Value*, Free Press, ch. 2-4.

    Examples
    --------
    We rate 8 against the rivals' 6 on quality (weight 60) and match them on service (40):
    quality 60 x 8/6 + 40 x 1 = 120, at a relative price of 110, so 10 points of customer value.

    >>> import pandas as pd, customervalue as cv
    >>> profile = pd.DataFrame({"attribute": ["quality", "service"], "weight": [60, 40],
    ...                         "us": [8, 6], "them": [6, 6], "other": [6, 6]})
    >>> vm = cv.value_map(profile, ours="us", prices={"us": 110, "them": 100, "other": 100})
    >>> vm.table[["brand", "quality", "relative_price", "customer_value"]].round(1).values.tolist()
    [['us', 120.0, 110.0, 10.0], ['them', 91.4, 95.2, -3.8], ['other', 91.4, 95.2, -3.8]]
    """
    if fair_value_line not in ("parity", "regression"):
        raise ParameterError(
            f"argument 'fair_value_line': must be 'parity' or 'regression', got {fair_value_line!r}"
        )
    weight = weights  # the weight column's name, as the body below calls it
    df = _frame(data, "data")
    _need(df, [attribute, weight], "profile")
    w = _numeric(df, weight)
    if np.any(w < 0) or abs(w.sum() - 100) > 1e-6:
        raise InputError(
            f"column '{weight}': weights must be non-negative and sum to 100, they sum to {w.sum():g}"
        )
    brands = [c for c in df.columns if c not in (attribute, weight)]
    if ours not in brands:
        raise InputError(f"column '{ours}': our brand is not a rating column of the profile")
    if len(brands) < 2:
        raise InputError("column 'profile': needs ratings of at least two brands")
    missing = [b for b in brands if b not in prices]
    if missing:
        raise ParameterError(f"argument 'prices': no price for {missing[0]!r}")
    ratings = np.column_stack([_numeric(df, b) for b in brands])
    if np.any(ratings <= 0):
        raise InputError("column 'profile': ratings must be positive")
    try:
        price = np.array([float(prices[b]) for b in brands])
    except (TypeError, ValueError):
        raise ParameterError(f"argument 'prices': prices must be numbers, got {dict(prices)!r}") from None
    if np.any(price <= 0):
        raise ParameterError("argument 'prices': prices must be positive")
    if not np.all(np.isfinite(price)):
        bad = int(np.argmax(~np.isfinite(price)))
        raise ParameterError(
            f"argument 'prices': the price of {brands[bad]!r} must be finite, got {price[bad]!r}"
        )
    k = len(brands)
    # the ratios are scale-free: ratings scaled by each attribute's largest and prices by the
    # largest price, so values near 1e308 do not overflow the sums; a ratio that still leaves
    # the floats (a denormal price against a normal one) is refused, naming its column and row
    scaled = ratings / ratings.max(axis=1, keepdims=True)
    scaled_price = price / price.max()
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        others_mean = (scaled.sum(axis=1, keepdims=True) - scaled) / (k - 1)
        ratio = scaled / others_mean
        quality = (w[:, None] * ratio).sum(axis=0)
        rel_price = 100 * (scaled_price / ((scaled_price.sum() - scaled_price) / (k - 1)))
    if not np.all(np.isfinite(ratio)) or not np.all(np.isfinite(quality)):
        bad = ~np.isfinite(ratio) | ~np.isfinite(w[:, None] * ratio)
        row, col = (
            (int(v) for v in np.argwhere(bad)[0]) if bad.any() else (0, int(np.argmax(~np.isfinite(quality))))
        )
        label = df[attribute].iloc[row]
        raise InputError(
            f"column '{brands[col]}': its rating {ratings[row, col]:g} at row {row} (attribute "
            f"{label!r}) over the other brands' mean rating makes a quality ratio past the largest "
            "float (1.8e308); rate every brand on one scale (e.g. 1-10)"
        )
    if not np.all(np.isfinite(rel_price)):
        bad = int(np.argmax(~np.isfinite(rel_price)))
        raise ParameterError(
            f"argument 'prices': the price of {brands[bad]!r} ({price[bad]:g}) over the other brands' "
            f"mean price ({np.delete(price, bad).mean():g}) is a relative price past the largest "
            "float (1.8e308); give every price in one currency unit"
        )
    if fair_value_line == "parity":
        intercept, slope = 0.0, 1.0
    else:
        slope, intercept = np.polyfit(quality, rel_price, 1)
    fair = intercept + slope * quality
    vertical = fair - rel_price
    perpendicular = vertical / np.sqrt(1 + slope**2)
    table = pd.DataFrame(
        {
            "brand": brands,
            "quality": quality,
            "price": price,
            "relative_price": rel_price,
            "fair_price": fair,
            "customer_value": vertical,
            "perpendicular_distance": perpendicular,
        }
    )
    prof = df[[attribute, weight, *brands]].copy()
    prof["our_ratio"] = ratio[:, brands.index(ours)]
    prof["weighted_ratio"] = prof[weight] * prof["our_ratio"]
    return ValueMap(
        table=table,
        profile=prof,
        ours=ours,
        line=(float(intercept), float(slope)),
        quality_score=float(quality[brands.index(ours)]),
        n_rows=len(df),
    )


@dataclass(frozen=True, repr=False)
class ValueQuantification(Result):
    """``table``: per line its present value; scalar NPV, ROI and payback; ``simulations`` and
    ``tornado`` when ranges were given; ``n_rows``: the benefit and cost lines read.

    ``roi`` is NaN when the present value of the costs is not positive (no costs, or credits
    that outweigh them): a return per unit of cost is then undefined; read the NPV instead.

    Examples
    --------
    With a low and a high estimate per benefit, the NPV becomes a distribution:

    >>> import pandas as pd, customervalue as cv
    >>> benefits = pd.DataFrame({"name": ["time saved", "fewer outages"], "value": [60_000, 20_000],
    ...                          "low": [40_000, 5_000], "high": [70_000, 30_000]})
    >>> costs = pd.DataFrame({"name": ["licence", "implementation"], "value": [30_000, 80_000],
    ...                       "upfront": [False, True]})
    >>> vq = cv.value_quantification(benefits, costs, n_simulations=2000, seed=0)
    >>> float((vq.simulations["npv"] < 0).mean())       # the chance of losing money
    0.0635
    >>> vq.tornado["name"].tolist()                     # the line whose range matters most first
    ['time saved', 'fewer outages']
    """

    npv: float = 0.0
    roi: float = 0.0
    payback_period: float | None = None
    simulations: pd.DataFrame | None = None
    tornado: pd.DataFrame | None = None
    seed: int = 0

    def summary(self) -> str:
        pb = (
            "never within the horizon"
            if self.payback_period is None
            else f"in period {self.payback_period:g}"
        )
        roi = f"{self.roi:.1%}" if np.isfinite(self.roi) else "undefined (no costs)"
        text = f"NPV {self.npv:,.2f}; ROI {roi}; pays back {pb}"
        if self.simulations is not None:
            q = self.simulations["npv"].quantile([0.05, 0.5, 0.95])
            p_loss = (self.simulations["npv"] < 0).mean()
            text += f"; simulated NPV 5-95%: {q.iloc[0]:,.0f} to {q.iloc[2]:,.0f} (P(loss) = {p_loss:.1%})"
        return text

    def plot(self, ax: Any = None) -> Any:
        """The tornado plot: NPV at each line's low and high value, others at base."""
        if self.tornado is None:
            raise ParameterError("argument 'n_simulations': give low/high ranges to see the tornado plot")
        ax = axes(ax)
        t = self.tornado.sort_values("swing")
        y = np.arange(len(t))
        ax.barh(y, t["npv_high"] - self.npv, left=self.npv, color="C2", label="high")
        ax.barh(y, t["npv_low"] - self.npv, left=self.npv, color="C3", label="low")
        ax.axvline(self.npv, color="0.3")
        ax.set_yticks(y, t["name"])
        ax.set(xlabel="NPV", title="What moves the value")
        ax.legend(fontsize=8)
        return ax


def _lines(data: Any, what: str) -> pd.DataFrame:
    df = _frame(data, what).copy()
    _need(df, ["name"], what)
    # names are text: a column mixing numbers and text (1, "licence") would not convert to
    # Arrow (to_arrow, polars), so every name that is not text is written as text
    names = df["name"].astype(object)  # categories and nullable types as plain values
    if not all(isinstance(v, str) for v in names):
        missing = names.isna().to_numpy()
        df["name"] = names.map(str).where(~missing, None)
    if "value" not in df.columns:
        if {"hours", "rate"} <= set(df.columns):
            df["value"] = _numeric(df, "hours") * _numeric(df, "rate")
        elif {"probability", "loss"} <= set(df.columns):
            df["value"] = _numeric(df, "probability") * _numeric(df, "loss")
        else:
            raise InputError(
                f"column 'value': not found in the {what} table "
                "(or give hours and rate, or probability and loss)"
            )
    df["value"] = _numeric(df, "value")
    for c in ("low", "high"):
        if c in df.columns:
            df[c] = df[c].fillna(df["value"]).astype(float)
    if {"low", "high"} <= set(df.columns) and np.any((df["low"] > df["value"]) | (df["high"] < df["value"])):
        raise InputError(f"column 'low': in the {what} table every low <= value <= high")
    if "upfront" not in df.columns:
        df["upfront"] = False
    return df


@renamed(simulations="n_simulations")
@check_args(horizon=POSITIVE, n_simulations=COUNT, seed=SEED)
def value_quantification(
    benefits: Any,
    costs: Any,
    *,
    discount_rate: float = 0.1,
    horizon: int = 3,
    n_simulations: int = 0,
    seed: int = 0,
) -> ValueQuantification:
    """Quantifies a solution's value: benefit lines minus costs over a horizon.

    Benefit lines (``name``, read as text, and ``value`` per period; or ``hours`` x ``rate``
    for time saved; or ``probability`` x ``loss`` for risk reduction) and cost lines (``name``
    and ``value``, with ``upfront`` true for one-off costs paid at time 0). With d the discount
    rate per period and H the horizon: NPV = sum_(t=1..H) (B - C)/(1+d)^t - upfront; ROI = (PV
    benefits - PV costs) / PV costs (NaN when PV costs is not positive: undefined without
    costs); payback = the first period whose cumulative net is non-negative. With ``low`` and
    ``high`` columns, ``n_simulations`` Monte Carlo draws (triangular, seeded) give the NPV
    distribution, and the tornado table shows each line's swing.

    Examples
    --------
    80,000 of benefits and 30,000 of licence a year for 3 years at 10%, plus 80,000 upfront:
    NPV = 50,000 x 2.4869 - 80,000.

    >>> import pandas as pd, customervalue as cv
    >>> benefits = pd.DataFrame({"name": ["time saved", "fewer outages"], "value": [60_000, 20_000]})
    >>> costs = pd.DataFrame({"name": ["licence", "implementation"], "value": [30_000, 80_000],
    ...                       "upfront": [False, True]})
    >>> vq = cv.value_quantification(benefits, costs, discount_rate=0.1, horizon=3)
    >>> round(vq.npv, 2), round(vq.roi, 3), vq.payback_period
    (44342.6, 0.287, 2.0)
    """
    if horizon < 1 or int(horizon) != horizon:
        raise ParameterError(f"argument 'horizon': must be a positive whole number of periods, got {horizon}")
    if not np.isfinite(discount_rate) or discount_rate < 0:
        raise ParameterError(f"argument 'discount_rate': must be non-negative, got {discount_rate}")
    if n_simulations < 0:
        raise ParameterError(f"argument 'n_simulations': must be non-negative, got {n_simulations}")
    b = _lines(benefits, "benefits")
    c = _lines(costs, "costs")
    annuity = sum(1 / (1 + discount_rate) ** t for t in range(1, int(horizon) + 1))

    def npv_of(bv: np.ndarray, cv_: np.ndarray) -> np.ndarray:
        up = c["upfront"].to_numpy(bool)
        pv_b = bv.sum(axis=-1) * annuity
        pv_c = cv_[..., ~up].sum(axis=-1) * annuity + cv_[..., up].sum(axis=-1)
        return pv_b - pv_c

    up = c["upfront"].to_numpy(bool)
    pv_b = float(b["value"].sum() * annuity)
    pv_c = float(c.loc[~up, "value"].sum() * annuity + c.loc[up, "value"].sum())
    npv = pv_b - pv_c
    net = b["value"].sum() - c.loc[~up, "value"].sum()
    cum = -c.loc[up, "value"].sum() + net * np.arange(1, int(horizon) + 1)
    payback = float(np.argmax(cum >= 0) + 1) if np.any(cum >= 0) else None
    table = pd.concat(
        [
            pd.DataFrame(
                {
                    "line": "benefit",
                    "name": b["name"],
                    "value": b["value"],
                    "present_value": b["value"] * annuity,
                }
            ),
            pd.DataFrame(
                {
                    "line": "cost",
                    "name": c["name"],
                    "value": c["value"],
                    "present_value": np.where(up, c["value"], c["value"] * annuity),
                }
            ),
        ],
        ignore_index=True,
    )
    sims = tornado = None
    ranged = {"low", "high"} <= set(b.columns) or {"low", "high"} <= set(c.columns)
    if ranged:
        rows = []
        for kind, frame in (("benefit", b), ("cost", c)):
            if {"low", "high"} <= set(frame.columns):
                for i, r in frame.iterrows():
                    values = []
                    for bound in ("low", "high"):
                        bv = b["value"].to_numpy(float).copy()
                        cv_ = c["value"].to_numpy(float).copy()
                        (bv if kind == "benefit" else cv_)[list(frame.index).index(i)] = r[bound]
                        values.append(float(npv_of(bv, cv_)))
                    rows.append(
                        {
                            "name": r["name"],
                            "line": kind,
                            "npv_low": values[0],
                            "npv_high": values[1],
                            "swing": abs(values[1] - values[0]),
                        }
                    )
        tornado = pd.DataFrame(rows)
    if n_simulations:
        if not ranged:
            raise ParameterError("argument 'n_simulations': give low and high columns to simulate over")
        rng = np.random.default_rng(seed)

        def draw(frame: pd.DataFrame) -> np.ndarray:
            lo = frame["low"].to_numpy(float) if "low" in frame else frame["value"].to_numpy(float)
            hi = frame["high"].to_numpy(float) if "high" in frame else frame["value"].to_numpy(float)
            mode = frame["value"].to_numpy(float)
            out = np.repeat(mode[None, :], n_simulations, axis=0)
            vary = hi > lo
            if vary.any():
                out[:, vary] = rng.triangular(
                    lo[vary], mode[vary], hi[vary], size=(n_simulations, int(vary.sum()))
                )
            return out

        sims = pd.DataFrame({"npv": npv_of(draw(b), draw(c))})
    return ValueQuantification(
        table=table,
        npv=npv,
        roi=(pv_b - pv_c) / pv_c if pv_c > 0 else float("nan"),
        payback_period=payback,
        simulations=sims,
        tornado=tornado,
        seed=seed,
        n_rows=len(b) + len(c),
    )
