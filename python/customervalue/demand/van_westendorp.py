"""Van Westendorp's price sensitivity meter with the Newton-Miller-Smith extension."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import _core
from .._boundary import read_input, warn
from .._checks import COUNT, MISSING, SEED, Amount, Options, check_args
from .._compat import renamed
from .._engines import distributable
from .._io import check_choice
from .._plot import axes, choose_backend, grid, legend_both, money
from .._result import LazyFrame, Result
from ..errors import ParameterError
from ._common import run_bootstrapped

DEFAULT_CALIBRATION: dict[int, float] = {5: 0.7, 4: 0.5, 3: 0.3, 2: 0.1, 1: 0.0}


@dataclass(frozen=True, repr=False)
class VanWestendorpResult(Result):
    """Van Westendorp results. ``table`` (= ``curves``) holds the six curves as shares at every
    observed answer price; ``points`` the four points (point, price, ci_low, ci_high);
    ``ranges`` PMC and PME under both conventions (range, pmc, pme; also
    ``.acceptable_range(range=)``); ``counts`` n_valid and
    n_invalid per group; with NMS ``nms`` (price, reach, revenue[, profit]) and
    ``nms_optima`` (objective, price, value, ci_low, ci_high).

    NaN, and what it means:

    * ``price`` (``points``, ``ranges``): NaN where the two curves never cross (the point is
      undefined; ``.opp`` and the other properties give None), and for OPP and PMC without the
      too-cheap question; ``nms_optima``: the profit row without ``cost``;
    * ``ci_low``, ``ci_high``: NaN without ``ci``, wherever ``price`` is NaN (no interval around
      an undefined point), and where the point is defined in the sample but in none of the
      bootstrap replicates (a warning names it: it rests on too few answers to resample). With
      ``ci`` the interval is the percentile interval of the replicates in which the point is
      defined.

    Examples
    --------
    >>> import customervalue as cv
    >>> r = cv.van_westendorp(cv.datasets.pricing_survey(300, seed=0))
    >>> r.points["point"].tolist()
    ['OPP', 'IPP', 'PMC', 'PME']
    >>> r.pmc, r.pme                 # the range of acceptable prices
    (26.0, 60.0)
    """

    table: pd.DataFrame = LazyFrame()
    points: pd.DataFrame = LazyFrame()
    ranges: pd.DataFrame = LazyFrame()
    counts: pd.DataFrame = LazyFrame()
    nms: pd.DataFrame | None = LazyFrame()
    nms_optima: pd.DataFrame | None = LazyFrame()
    by: str | None = None
    range: str = "original"
    validate: str = "strict"
    ci: float | None = None
    seed: int = 0
    # without ``by``: the points, counts and NMS optima as plain numbers, so that reading
    # ``.opp`` or ``.n_valid`` does not build (and then filter) a DataFrame
    _scalars: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def curves(self) -> pd.DataFrame:
        """too_cheap, cheap (share answering >= p), expensive, too_expensive (share answering
        <= p), not_cheap, not_expensive at each observed answer price."""
        return self.table

    def _point(self, name: str) -> Any:
        if name in self._scalars:
            return self._scalars[name]
        rows = self.points[self.points["point"] == name]
        if self.by is None:
            v = rows["price"].iloc[0]
            return None if pd.isna(v) else float(v)
        return rows.set_index(self.by)["price"].rename(name.lower())

    @property
    def opp(self) -> Any:
        """Optimal price point: too_cheap crosses too_expensive."""
        return self._point("OPP")

    @property
    def ipp(self) -> Any:
        """Indifference price point: cheap crosses expensive."""
        return self._point("IPP")

    @property
    def pmc(self) -> Any:
        """Point of marginal cheapness (lower end of the acceptable range)."""
        return self._point("PMC")

    @property
    def pme(self) -> Any:
        """Point of marginal expensiveness (upper end of the acceptable range)."""
        return self._point("PME")

    def acceptable_range(self, *, range: str | None = None) -> Any:
        """The range of acceptable prices, (PMC, PME), under ``range``: "original" or
        "narrower" (see :func:`van_westendorp`); the default is the analysis' own convention.
        Every analysis computes both, so comparing them needs no second run.

        Returns a ``(pmc, pme)`` tuple (None where the curves never cross), or with ``by`` a
        DataFrame of pmc and pme indexed by group.

        Examples
        --------
        >>> import customervalue as cv
        >>> r = cv.van_westendorp(cv.datasets.pricing_survey(300, seed=0))
        >>> r.acceptable_range(), r.acceptable_range(range="narrower")
        ((26.0, 60.0), (33.0, 48.0))
        """
        convention = self.range if range is None else range
        check_choice("range", convention, ["original", "narrower"])
        if f"range_{convention}" in self._scalars:
            return self._scalars[f"range_{convention}"]
        rows = self.ranges[self.ranges["range"] == convention]
        if self.by is None:
            return tuple(None if pd.isna(v) else float(v) for v in rows[["pmc", "pme"]].iloc[0])
        return rows.set_index(self.by)[["pmc", "pme"]]

    def _count(self, col: str) -> Any:
        if col in self._scalars:
            return self._scalars[col]
        if self.by is None:
            return int(self.counts[col].iloc[0])
        return self.counts.set_index(self.by)[col]

    @property
    def n_valid(self) -> Any:
        """Respondents kept by validation."""
        return self._count("n_valid")

    @property
    def n_dropped(self) -> Any:
        """Deprecated: respondents dropped by validation; use ``n_invalid`` (and ``counts`` per
        group) and ``.dropped`` for the rows."""
        import warnings

        warnings.warn(
            "VanWestendorpResult.n_dropped is renamed n_invalid (respondents dropped by validation); "
            "n_missing counts rows dropped for missing answers, and .dropped lists both",
            FutureWarning,
            stacklevel=2,
        )
        return self._count("n_invalid")

    @property
    def n_missing_dropped(self) -> int:
        """Deprecated: use ``n_missing``."""
        import warnings

        warnings.warn("n_missing_dropped is renamed n_missing", FutureWarning, stacklevel=2)
        return self.n_missing

    def _nms_opt(self, objective: str) -> Any:
        if self.nms_optima is None:
            raise ParameterError("argument 'nms': the NMS extension was not requested (pass nms=...)")
        if f"nms_{objective}" in self._scalars:
            return self._scalars[f"nms_{objective}"]
        rows = self.nms_optima[self.nms_optima["objective"] == objective]
        if self.by is None:
            v = rows["price"].iloc[0]
            return None if pd.isna(v) else float(v)
        return rows.set_index(self.by)["price"].rename(f"nms_{objective}_optimal_price")

    @property
    def nms_reach_optimal_price(self) -> Any:
        """Price with the highest NMS reach (mean calibrated purchase probability)."""
        return self._nms_opt("reach")

    @property
    def nms_revenue_optimal_price(self) -> Any:
        """Price maximising p x reach(p), exact on the piecewise-linear reach."""
        return self._nms_opt("revenue")

    @property
    def nms_profit_optimal_price(self) -> Any:
        """Price maximising (p - cost) x reach(p); needs ``cost``."""
        return self._nms_opt("profit")

    def summary(self) -> str:
        lines = [f"Van Westendorp (range='{self.range}', validate='{self.validate}')"]
        groups = [None] if self.by is None else list(self.counts[self.by])
        for g in groups:
            pts = self.points if g is None else self.points[self.points[self.by] == g]
            cnt = self.counts if g is None else self.counts[self.counts[self.by] == g]
            head = "  " if g is None else f"  {g}: "
            vals = ", ".join(
                f"{r.point} {r.price:g}" + (f" [{r.ci_low:g}, {r.ci_high:g}]" if pd.notna(r.ci_low) else "")
                for r in pts.itertuples()
            )
            lines.append(
                f"{head}{vals}; {int(cnt['n_valid'].iloc[0])} valid, "
                f"{int(cnt['n_invalid'].iloc[0])} inconsistent"
            )
        if self.nms_optima is not None:
            for r in self.nms_optima.itertuples():
                g = f"{getattr(r, self.by)}: " if self.by else ""
                if pd.notna(r.price):
                    lines.append(
                        f"  NMS {g}{r.objective}-optimal price {r.price:.2f} ({r.objective} {r.value:.4g})"
                    )
        return "\n".join(lines)

    def plot(self, ax: Any = None, *, backend: str | None = None) -> Any:
        """The Van Westendorp chart: the four cumulative curves, the four points marked, the
        range of acceptable prices (PMC to PME) shaded. Small multiples with ``by``.

        With ``range="original"`` the complements not cheap and not expensive are drawn too
        (PMC and PME are where they cross too cheap and too expensive).

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            An Axes to draw on (matplotlib only); a new figure when None.
        backend : str, optional
            ``"matplotlib"`` or ``"plotly"`` (which needs the ``plotly`` extra,
            ``pip install customervalue[plotly]``). None: matplotlib when ``ax`` is given, else
            the ``plot_backend`` option (``cv.set_option``), matplotlib by default.

        Returns
        -------
        matplotlib.axes.Axes or plotly.graph_objects.Figure
            matplotlib: the Axes (the first panel's with ``by``). plotly: an interactive Figure
            whose step curves (``too cheap``, ``cheap``, ``expensive``, ``too expensive``, and
            ``not cheap``, ``not expensive``) hold the columns of ``table``; the trace
            ``price points`` marks PMC, OPP, IPP and PME (in that order) at their prices in
            ``points``, where their curves cross, each also drawn as a vertical line, with the
            range of acceptable prices shaded. Hovering gives each curve's share as a
            percentage of respondents at a price, and each point's price and interval.

        Examples
        --------
        >>> import customervalue as cv
        >>> r = cv.van_westendorp(cv.datasets.pricing_survey(300, seed=0))
        >>> r.plot().get_xlabel()                          # matplotlib, the default
        'price'
        >>> fig = r.plot(backend="plotly")                  # an interactive plotly Figure
        >>> points = next(t for t in fig.data if t.name == "price points")
        >>> list(points.text), list(points.x) == [r.pmc, r.opp, r.ipp, r.pme]
        (['PMC 26', 'OPP 37', 'IPP 41', 'PME 60'], True)
        """
        if choose_backend(backend, ax) == "plotly":
            from .._plotly import van_westendorp_figure

            return van_westendorp_figure(self)
        if self.by is not None and ax is None:
            groups = list(self.counts[self.by])
            _, axs = grid(len(groups))
            for a, g in zip(axs, groups, strict=True):
                self._plot_one(a, g)
            return axs[0]
        return self._plot_one(axes(ax), None if self.by is None else self.counts[self.by].iloc[0])

    def _plot_one(self, ax: Any, group: Any) -> Any:
        c = self.table if group is None else self.table[self.table[self.by] == group]
        pts = self.points if group is None else self.points[self.points[self.by] == group]
        styles = {
            "too_cheap": ("C0", "--"),
            "cheap": ("C0", "-"),
            "expensive": ("C3", "-"),
            "too_expensive": ("C3", "--"),
        }
        for name, (color, ls) in styles.items():
            where = "pre" if name in ("too_cheap", "cheap") else "post"
            ax.step(c["price"], c[name], where=where, color=color, ls=ls, label=name.replace("_", " "))
        if self.range == "original":
            ax.step(c["price"], c["not_cheap"], where="pre", color="C0", ls=":", lw=1, label="not cheap")
            ax.step(
                c["price"], c["not_expensive"], where="post", color="C3", ls=":", lw=1, label="not expensive"
            )
        p = dict(zip(pts["point"], pts["price"], strict=True))
        if pd.notna(p.get("PMC")) and pd.notna(p.get("PME")):
            ax.axvspan(p["PMC"], p["PME"], color="0.85", alpha=0.6, label="acceptable range")
        for k, name in enumerate(["PMC", "OPP", "IPP", "PME"]):
            if pd.notna(p.get(name)):
                ax.axvline(p[name], color="0.3", lw=0.8)
                ax.annotate(
                    f"{name} {p[name]:g}",
                    (p[name], 0.55 - 0.1 * k),
                    xytext=(3, 0),
                    textcoords="offset points",
                    fontsize=8,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
                )
        # show the prices where the answers are, not the long tail of outliers
        upper = c.loc[c["too_expensive"] >= 0.98, "price"]
        right = float(upper.iloc[0]) * 1.15 if len(upper) else float(c["price"].max())
        ax.set(xlabel="price", ylabel="share of respondents", ylim=(0, 1.02), xlim=(0, right))
        ax.set_title("Van Westendorp" if group is None else str(group))
        money(ax)
        ax.legend(fontsize=7, loc="center right")
        return ax

    def plot_nms(self, ax: Any = None) -> Any:
        """NMS reach and revenue per respondent against price, optima marked."""
        if self.nms is None:
            raise ParameterError("argument 'nms': the NMS extension was not requested (pass nms=...)")
        ax = axes(ax)
        parts = [(None, self.nms)] if self.by is None else list(self.nms.groupby(self.by, observed=True))
        ax2 = ax.twinx()
        for k, (g, part) in enumerate(parts):
            suffix = "" if g is None else f" ({g})"
            ax.plot(part["price"], part["reach"], color=f"C{k}", label="reach" + suffix)
            ax2.plot(part["price"], part["revenue"], color=f"C{k}", ls="--", label="revenue" + suffix)
        if self.by is None and self.nms_optima is not None:
            for r in self.nms_optima.itertuples():
                if pd.notna(r.price) and r.objective != "profit":
                    ax.axvline(r.price, color="0.4", lw=0.8, ls=":")
                    ax.annotate(
                        f"{r.objective} max {r.price:.2f}", (r.price, 0), rotation=90, fontsize=8, va="bottom"
                    )
        ax.set(xlabel="price", ylabel="reach (purchase probability)", title="Newton-Miller-Smith")
        ax2.set_ylabel("revenue per respondent")
        money(ax)
        legend_both(ax, ax2)
        return ax


@renamed(df="data")
@check_args(
    range=Options("original", "narrower"),
    validate=Options("strict", "weak", "none"),
    intersection=Options("min", "max", "mean"),
    n_boot=COUNT,
    seed=SEED,
    missing=MISSING,
    cost=Amount(optional=True),
)
@distributable
def van_westendorp(
    data: Any,
    too_cheap: str | None = "too_cheap",
    cheap: str = "cheap",
    expensive: str = "expensive",
    too_expensive: str = "too_expensive",
    *,
    range: str = "original",
    validate: str = "strict",
    interpolate: bool = False,
    intersection: str = "min",
    weights: str | None = None,
    by: str | None = None,
    nms: Mapping[str, Any] | None = None,
    cost: float | None = None,
    ci: float | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    missing: str = "raise",
    progress: bool | None = None,
) -> VanWestendorpResult:
    """Van Westendorp's price sensitivity meter, with the Newton-Miller-Smith extension.

    Conventions (all stated, all tested):

    * Valid respondents (``validate="strict"``): too_cheap < cheap < expensive < too_expensive
      (``"weak"`` allows equality, ``"none"`` keeps all); ``n_invalid`` counts the others
      (listed in ``.dropped``).
    * Curves from weight sums W (integer counts without weights; sums are compared, never
      shares): too_cheap(p), cheap(p) = weight answering >= p; expensive(p),
      too_expensive(p) = weight answering <= p; not_cheap = W - cheap,
      not_expensive = W - expensive.
    * The crossing of two curves is the first observed answer price at which, or immediately
      after which, the sign of their difference leaves its sign at the lowest observed price
      (zero counts as a change).
    * OPP = too_cheap x too_expensive; IPP = cheap x expensive. ``range="original"``:
      PMC = too_cheap x not_cheap, PME = too_expensive x not_expensive; ``"narrower"``:
      PMC = too_cheap x expensive, PME = too_expensive x cheap.
    * NMS (``nms={"cheap": col, "expensive": col, "calibration": {5: .7, 4: .5, 3: .3, 2: .1,
      1: 0}}``): a respondent's purchase probability is 0 at their too_cheap price, the
      calibrated intent at cheap and at expensive, 0 at too_expensive, linear in between, 0
      outside (respondents with strictly increasing answers only). Reach is the weighted mean;
      revenue = p x reach; profit = (p - cost) x reach. Optima are exact on the
      piecewise-linear reach (a knot, or the stationary point of the quadratic between knots).
    * ``interpolate=True`` finds the points as R's pricesensitivitymeter does (``psm_analysis``
      with ``interpolate = TRUE``): its curves at the observed prices (the cheap curves count
      answers strictly above p, except that each curve is 1 at and below its lowest answer and
      the "<=" curves 0 there), joined linearly between observed prices; each sign change of a
      difference between neighbouring prices gives a root by linear interpolation, and
      ``intersection`` ("min", "max" or "mean", psm's ``intersection_method``) picks among
      several. psm interpolates on a grid of 0.01 from the lowest price; with answer prices on
      that grid (whole cents) the roots are the same. The default, the exact observed-price
      convention above, reports a price someone answered; the interpolated one a price between
      two answers. ``.curves`` keep the default convention either way.
    * ``too_cheap=None`` analyses a survey without the "too cheap" question (as psm with
      ``toocheap = NA``): validation checks cheap < expensive < too_expensive, IPP and PME are
      found as usual and OPP and PMC are undefined (None, with a warning); NMS needs the
      question (its reach curve starts from 0 at each respondent's too-cheap price) and is
      refused without it.

    Parameters
    ----------
    data : pandas or polars DataFrame, or pyarrow Table
    too_cheap, cheap, expensive, too_expensive : the four answer columns (positive prices)
    range : "original" or "narrower" (see above)
    validate : "strict", "weak" or "none"
    interpolate, intersection : psm's interpolated crossings (see above)
    weights : optional respondent weights
    by : optional segment column (one analysis per segment)
    nms : the NMS intents and calibration (see above); ``None`` skips NMS
    cost : unit cost for the NMS profit curve and profit-optimal price
    ci : confidence level for percentile bootstrap intervals of every point (``n_boot``
        replicates resampling respondents, seeded by ``seed``)
    missing : "raise" or "drop"
    progress : show a progress bar for the bootstrap (None: in notebooks, for long runs)

    Returns
    -------
    VanWestendorpResult
        ``.opp``, ``.ipp``, ``.pmc``, ``.pme``, ``.acceptable_range(range=)`` (PMC and PME under
        either convention), ``.n_valid``, ``.n_invalid``, ``.n_missing``, ``.dropped``, ``.curves``,
        ``.points``, ``.nms``, ``.nms_reach_optimal_price``, ``.nms_revenue_optimal_price``,
        ``.nms_profit_optimal_price``, ``.plot()``, ``.plot_nms()``.

    References
    ----------
    Van Westendorp (1976), "NSS price sensitivity meter (PSM): a new approach to study consumer
    perception of prices", ESOMAR Congress. Newton, Miller & Smith (1993), "A market acceptance
    extension to traditional price sensitivity measurement", AMA ART Forum.

    Examples
    --------
    >>> import customervalue as cv
    >>> s = cv.datasets.pricing_survey(1000, seed=0)
    >>> r = cv.van_westendorp(s, nms={"cheap": "intent_cheap", "expensive": "intent_expensive"})
    >>> r.pmc <= r.pme
    True
    """
    intent_cheap, intent_expensive, calibration = nms_columns(nms)
    inp = read_input(
        data,
        [too_cheap, cheap, expensive, too_expensive, weights, by, intent_cheap, intent_expensive],
        what="van_westendorp",
    )
    d, env = run_bootstrapped(
        _core.van_westendorp,
        inp,
        too_cheap,
        cheap,
        expensive,
        too_expensive,
        by=by,
        ci=ci,
        n_boot=n_boot,
        seed=seed,
        missing=missing,
        progress=progress,
        weights=weights,
        validate=validate,
        range=range,
        interpolate=bool(interpolate),
        intersection=intersection,
        intent_cheap=intent_cheap,
        intent_expensive=intent_expensive,
        calibration=calibration,
        cost=cost,
    )
    fields = env.as_fields()
    if ci is not None:
        notes = _interval_notes(d, by, int(n_boot))
        for note in notes:
            warn(note)
        fields["warnings"] = (*fields["warnings"], *notes)
    return VanWestendorpResult(
        table=d["curves"],
        points=d["points"],
        ranges=d["ranges"],
        counts=d["counts"],
        nms=d.get("nms"),
        nms_optima=d.get("nms_optima"),
        _scalars=_scalars(d) if by is None else {},
        by=by,
        range=range,
        validate=validate,
        ci=ci,
        seed=int(seed),
        **fields,
    )


def _interval_notes(d: dict[str, Any], by: str | None, n_boot: int) -> list[str]:
    """A note for each point of ``d["points"]`` and ``d["nms_optima"]`` that is defined in the
    sample but has no interval (undefined in every replicate). The core gives no interval around
    a point the sample does not define, and skips the replicates where a point is undefined."""
    notes = []
    for key, label in (("points", "point"), ("nms_optima", "objective")):
        table = d.get(key)
        if table is None:
            continue
        table = pa.table(table)
        # NaN and null are both "no value" here (the core writes missing bounds as nulls)
        undefined = pc.is_null(table.column("price"), nan_is_null=True)
        no_bound = pc.is_null(table.column("ci_low"), nan_is_null=True)
        lost = pc.and_(pc.invert(undefined), no_bound).to_numpy(zero_copy_only=False)
        for i in np.flatnonzero(lost):
            name = table.column(label)[i].as_py()
            name = f"the NMS {name}-optimal price" if key == "nms_optima" else name
            group = f" (group {table.column(by)[i].as_py()!r})" if by is not None else ""
            price = table.column("price")[i].as_py()
            why = " (its curves never cross in them)" if key == "points" else ""
            notes.append(
                f"van_westendorp: {name}{group} is {price:g} in the sample but undefined in all "
                f"{n_boot:,} bootstrap replicates{why}, so its ci_low and ci_high are NaN: the point "
                "rests on too few answers to resample; more respondents give it an interval"
            )
    return notes


def nms_columns(nms: Mapping[str, Any] | None) -> tuple[Any, Any, list[tuple[float, float]]]:
    """The NMS intent columns (None without ``nms``) and the calibration as (answer,
    probability) pairs, from ``nms={"cheap": column, "expensive": column, "calibration": {...}}``."""
    if nms is None:
        return None, None, [(float(k), float(v)) for k, v in DEFAULT_CALIBRATION.items()]
    if not isinstance(nms, Mapping) or "cheap" not in nms or "expensive" not in nms:
        raise ParameterError(
            "argument 'nms': expected {'cheap': column, 'expensive': column, 'calibration': {...}}"
        )
    cal = nms.get("calibration", DEFAULT_CALIBRATION)
    return nms["cheap"], nms["expensive"], [(float(k), float(v)) for k, v in dict(cal).items()]


def _scalars(d: Mapping[str, Any]) -> dict[str, Any]:
    """The points (None where undefined), both ranges, counts and NMS optima of an analysis without ``by``,
    read from the core's Arrow tables as plain Python numbers."""

    def number(v: Any) -> float | None:
        return None if v is None or v != v else float(v)

    points = d["points"].to_pydict()
    out: dict[str, Any] = {p: number(v) for p, v in zip(points["point"], points["price"], strict=True)}
    ranges = d["ranges"].to_pydict()
    for name, pmc, pme in zip(ranges["range"], ranges["pmc"], ranges["pme"], strict=True):
        out[f"range_{name}"] = (number(pmc), number(pme))
    counts = d["counts"].to_pydict()
    out.update({k: int(counts[k][0]) for k in ("n_valid", "n_invalid")})
    if "nms_optima" in d:
        optima = d["nms_optima"].to_pydict()
        for objective, price in zip(optima["objective"], optima["price"], strict=True):
            out[f"nms_{objective}"] = number(price)
    return out
