"""Interactive plotly figures: the plot methods' ``backend="plotly"`` (the ``plotly`` extra).

The plot methods import this module only when a plotly figure is asked for, and it imports
plotly only inside :func:`plotly_modules`, so ``import customervalue`` never imports plotly and
a missing plotly is a ParameterError naming the extra. Each figure carries the result's own
numbers: the traces' x, y and z are the columns of the result's tables, unrounded, and the
hover text names each quantity with its unit (shares as percentages of respondents; prices,
revenue and profit in the currency of the stated prices).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ._plot import lift_grid
from .errors import ParameterError

# matplotlib's default colours (C0 ... C3), so that both backends draw a chart alike
BLUE, ORANGE, GREEN, RED = "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"
GREY = "#4d4d4d"
MONEY = ",.2~f"  # d3-format: thousands separated, at most two decimals, no trailing zeros


def plotly_modules() -> tuple[Any, Any]:
    """``plotly.graph_objects`` and ``plotly.subplots.make_subplots``; a ParameterError naming
    the ``plotly`` extra when plotly is not installed."""
    try:
        import plotly.graph_objects as go
        from plotly.subplots import make_subplots
    except ImportError as exc:
        raise ParameterError(
            "argument 'backend': the plotly backend (backend='plotly', or "
            "cv.set_option(plot_backend='plotly')) needs plotly, which is not installed; install it "
            "with `pip install customervalue[plotly]` (or `pip install plotly`), or draw with "
            "matplotlib (backend='matplotlib', the default)"
        ) from exc
    return go, make_subplots


def _panels(
    titles: list[str] | None, n: int, secondary_y: bool, ncols: int = 3
) -> tuple[Any, list[tuple[int, int]]]:
    """A figure of ``n`` panels (at most ``ncols`` a row) and each panel's (row, col)."""
    _, make_subplots = plotly_modules()
    ncols = max(1, min(ncols, n))
    nrows = (n + ncols - 1) // ncols
    fig = make_subplots(
        rows=nrows,
        cols=ncols,
        specs=[[{"secondary_y": secondary_y} for _ in range(ncols)] for _ in range(nrows)],
        subplot_titles=titles,
        horizontal_spacing=0.1 if secondary_y and ncols > 1 else 0.06,
        vertical_spacing=min(0.12, 0.3 / nrows),
    )
    width = None if ncols == 1 else 400 * ncols
    fig.update_layout(
        template="plotly_white",
        width=width,
        height=480 if nrows == 1 else 340 * nrows + 100,
        hovermode="x unified",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.06 if nrows == 1 else 1.02, "x": 0},
    )
    return fig, [(k // ncols + 1, k % ncols + 1) for k in range(n)]


def _fmt(v: float) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _interval(low: Any, high: Any, ci: float | None, fmt: Any = _fmt) -> str:
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    level = f"{ci:.0%} " if ci is not None else ""
    return f" ({level}CI {fmt(low)} to {fmt(high)})"


# ---- the demand, revenue and profit curves ---------------------------------------------


def demand_curve_figure(result: Any, show: str) -> Any:
    """DemandCurveResult.plot(backend="plotly"): the share willing to pay as a step curve
    (the interval band with ``ci``), revenue and profit on a second axis, the optimal prices
    marked; one panel per group with ``by``."""
    go, _ = plotly_modules()
    by = result.by
    groups: list[Any] = [None] if by is None else list(result.optima[by])
    money_axis = show in ("all", "revenue")
    titles = None if by is None else [f"{by} = {g}" for g in groups]
    fig, cells = _panels(titles, len(groups), money_axis)
    ci = result.ci
    for k, (g, (row, col)) in enumerate(zip(groups, cells, strict=True)):
        t = result.table if g is None else result.table[result.table[by] == g]
        opt = result.optima if g is None else result.optima[result.optima[by] == g]
        first = k == 0
        price = t["price"].to_numpy()
        if "share_ci_low" in t:
            band = f"{ci:.0%} interval" if ci is not None else "interval"
            fig.add_trace(
                go.Scatter(
                    x=price,
                    y=t["share_ci_high"].to_numpy(),
                    mode="lines",
                    line={"width": 0, "shape": "vh", "color": BLUE},
                    name=f"share, {band}",
                    legendgroup="share band",
                    showlegend=False,
                    hoverinfo="skip",
                ),
                row=row,
                col=col,
                secondary_y=False,
            )
            fig.add_trace(
                go.Scatter(
                    x=price,
                    y=t["share_ci_low"].to_numpy(),
                    mode="lines",
                    line={"width": 0, "shape": "vh", "color": BLUE},
                    fill="tonexty",
                    fillcolor="rgba(31, 119, 180, 0.2)",
                    name=f"share, {band}",
                    legendgroup="share band",
                    showlegend=first,
                    hoverinfo="skip",
                ),
                row=row,
                col=col,
                secondary_y=False,
            )
        share_extra = [t["buyers"].to_numpy(dtype=float)]
        share_hover = (
            "price %{x:" + MONEY + "}: <b>%{y:.1%}</b> of respondents willing to pay"
            " (%{customdata[0]:,.0f} buyers)"
        )
        if "share_ci_low" in t:
            share_extra += [t["share_ci_low"].to_numpy(dtype=float), t["share_ci_high"].to_numpy(dtype=float)]
            share_hover += (
                "<br>"
                + (f"{ci:.0%} " if ci is not None else "")
                + ("CI %{customdata[1]:.1%} to %{customdata[2]:.1%}")
            )
        fig.add_trace(
            go.Scatter(
                x=price,
                y=t["share"].to_numpy(),
                mode="lines",
                line={"shape": "vh", "color": BLUE},
                name="demand share",
                legendgroup="share",
                showlegend=first,
                customdata=np.column_stack(share_extra),
                hovertemplate=share_hover + "<extra>demand share</extra>",
            ),
            row=row,
            col=col,
            secondary_y=False,
        )
        if money_axis:
            lines = [("revenue", ORANGE, "solid")]
            if (t["profit"] != t["revenue"]).any():
                lines.append(("profit", GREEN, "solid"))
            for name, color, dash in lines:
                extra = f"{name}_ci_low" in t
                hover = f"{name}: <b>%{{y:{MONEY}}}</b>"
                if name == "profit":
                    fixed = f" - {_fmt(result.fixed_cost)}" if result.fixed_cost else ""
                    hover += f" = (price - unit cost {_fmt(result.cost)}) x buyers{fixed}"
                else:
                    hover += " = price x buyers"
                if extra:
                    hover += (
                        "<br>"
                        + (f"{ci:.0%} " if ci is not None else "")
                        + f"CI %{{customdata[0]:{MONEY}}} to %{{customdata[1]:{MONEY}}}"
                    )
                fig.add_trace(
                    go.Scatter(
                        x=price,
                        y=t[name].to_numpy(),
                        mode="lines",
                        line={"color": color, "dash": dash},
                        name=name,
                        legendgroup=name,
                        showlegend=first,
                        customdata=(
                            np.column_stack([t[f"{name}_ci_low"], t[f"{name}_ci_high"]]) if extra else None
                        ),
                        hovertemplate=hover + f"<extra>{name}</extra>",
                    ),
                    row=row,
                    col=col,
                    secondary_y=True,
                )
            rp = float(opt["revenue_optimal_price"].iloc[0])
            pp = float(opt["profit_optimal_price"].iloc[0])
            # the revenue optimum's label left of its line, the profit optimum's right of its own
            optima = [("revenue", rp, float(opt["revenue_at_optimum"].iloc[0]), ORANGE, "dash", "top left")]
            if pd.notna(pp) and pp != rp:
                side = "top right" if pp > rp else "top left"
                if pp < rp:
                    optima[0] = (*optima[0][:5], "top right")
                optima.append(("profit", pp, float(opt["profit_at_optimum"].iloc[0]), GREEN, "dot", side))
            for name, p, value, color, dash, where in optima:
                low = opt.get(f"{name}_optimal_price_ci_low")
                high = opt.get(f"{name}_optimal_price_ci_high")
                span = _interval(
                    None if low is None else low.iloc[0], None if high is None else high.iloc[0], ci
                )
                fig.add_trace(
                    go.Scatter(
                        x=[p],
                        y=[value],
                        mode="markers",
                        marker={"color": color, "size": 11, "symbol": "star"},
                        name=f"{name}-optimal price",
                        legendgroup=f"{name} optimum",
                        showlegend=first,
                        hovertemplate=(
                            f"<b>{name}-optimal price {_fmt(p)}</b>{span}<br>{name} at the optimum: "
                            f"{_fmt(value)}<extra></extra>"
                        ),
                    ),
                    row=row,
                    col=col,
                    secondary_y=True,
                )
                fig.add_vline(
                    x=p,
                    line={"color": color, "dash": dash, "width": 1},
                    annotation_text=f"{name} max {_fmt(p)}",
                    annotation_position=where,
                    annotation_font_size=10,
                    row=row,
                    col=col,
                    exclude_empty_subplots=False,
                )
            fig.update_yaxes(
                # titles on the outer panels only, so that they do not run into the next panel
                title_text="revenue / profit" if col == len({c for _, c in cells}) else None,
                tickmode="auto",
                nticks=6,
                showgrid=False,
                rangemode="tozero",
                row=row,
                col=col,
                secondary_y=True,
            )
        fig.update_yaxes(
            title_text="share willing to pay" if col == 1 else None,
            tickformat=".0%",
            rangemode="tozero",
            row=row,
            col=col,
            secondary_y=False,
        )
        fig.update_xaxes(
            title_text="price",
            range=[float(price.min()), float(price.max())],  # the optima's labels stay out of it
            tickformat=",~f",
            hoverformat=MONEY,
            row=row,
            col=col,
        )
    fig.update_layout(title="Demand curve" if by is None else f"Demand curves by {by}")
    return fig


# ---- the Van Westendorp chart ---------------------------------------------------------

# the curves: how each steps between answered prices (matplotlib's "pre"/"post"), colour,
# dash, and what a share of it means at a price
_VW_CURVES = {
    "too_cheap": ("vh", BLUE, "dash", "find it too cheap"),
    "cheap": ("vh", BLUE, "solid", "find it cheap (a bargain)"),
    "expensive": ("hv", RED, "solid", "find it expensive"),
    "too_expensive": ("hv", RED, "dash", "find it too expensive"),
    "not_cheap": ("vh", BLUE, "dot", "do not find it cheap"),
    "not_expensive": ("hv", RED, "dot", "do not find it expensive"),
}
_VW_POINTS = {
    "PMC": "point of marginal cheapness",
    "OPP": "optimal price point",
    "IPP": "indifference price point",
    "PME": "point of marginal expensiveness",
}
# the two curves that cross at each point, under each convention for the range
_VW_CROSSINGS = {
    "original": {
        "PMC": ("too_cheap", "not_cheap"),
        "OPP": ("too_cheap", "too_expensive"),
        "IPP": ("cheap", "expensive"),
        "PME": ("too_expensive", "not_expensive"),
    },
    "narrower": {
        "PMC": ("too_cheap", "expensive"),
        "OPP": ("too_cheap", "too_expensive"),
        "IPP": ("cheap", "expensive"),
        "PME": ("too_expensive", "cheap"),
    },
}


def _step_at(c: pd.DataFrame, curve: str, x: float) -> float:
    """The value of a Van Westendorp curve at price ``x`` as it is drawn: a "pre" step takes the
    value at the first answered price at or above ``x``, a "post" step at the last at or below."""
    price = c["price"].to_numpy(dtype=float)
    values = c[curve].to_numpy(dtype=float)
    if _VW_CURVES[curve][0] == "vh":
        i = int(np.searchsorted(price, x, side="left"))
        return float(values[min(i, len(values) - 1)])
    i = int(np.searchsorted(price, x, side="right")) - 1
    return float(values[max(i, 0)])


def van_westendorp_figure(result: Any) -> Any:
    """VanWestendorpResult.plot(backend="plotly"): the four cumulative curves (and the two
    complements with the original range), the range of acceptable prices shaded, the four price
    points marked where their curves cross; one panel per group with ``by``."""
    go, _ = plotly_modules()
    by = result.by
    groups: list[Any] = [None] if by is None else list(result.counts[by])
    titles = None if by is None else [f"{by} = {g}" for g in groups]
    fig, cells = _panels(titles, len(groups), False)
    names = ["too_cheap", "cheap", "expensive", "too_expensive"]
    if result.range == "original":
        names += ["not_cheap", "not_expensive"]
    for k, (g, (row, col)) in enumerate(zip(groups, cells, strict=True)):
        c = result.table if g is None else result.table[result.table[by] == g]
        c = c.sort_values("price", kind="stable")
        pts = result.points if g is None else result.points[result.points[by] == g]
        first = k == 0
        for name in names:
            shape, color, dash, meaning = _VW_CURVES[name]
            label = name.replace("_", " ")
            fig.add_trace(
                go.Scatter(
                    x=c["price"].to_numpy(),
                    y=c[name].to_numpy(),
                    mode="lines",
                    line={"shape": shape, "color": color, "dash": dash, "width": 1 if dash == "dot" else 2},
                    name=label,
                    legendgroup=name,
                    showlegend=first,
                    hovertemplate=(
                        f"{label}: <b>%{{y:.1%}}</b> of respondents {meaning} at price %{{x:{MONEY}}}"
                        f"<extra>{label}</extra>"
                    ),
                ),
                row=row,
                col=col,
            )
        p = {r.point: r for r in pts.itertuples()}
        present = [n for n in _VW_POINTS if n in p and pd.notna(p[n].price)]
        if "PMC" in present and "PME" in present:
            fig.add_vrect(
                x0=float(p["PMC"].price),
                x1=float(p["PME"].price),
                fillcolor="lightgrey",
                opacity=0.45,
                layer="below",
                line_width=0,
                annotation_text=f"acceptable range {_fmt(p['PMC'].price)} to {_fmt(p['PME'].price)}",
                annotation_position="bottom left",
                annotation_font_size=10,
                row=row,
                col=col,
                exclude_empty_subplots=False,
            )
        crossings = _VW_CROSSINGS[result.range]
        xs, ys, labels, hover = [], [], [], []
        for n in present:
            r = p[n]
            a, b = crossings[n]
            height = (_step_at(c, a, float(r.price)) + _step_at(c, b, float(r.price))) / 2
            xs.append(float(r.price))
            ys.append(height)
            labels.append(f"{n} {_fmt(r.price)}")
            hover.append(
                f"<b>{n}</b>, {_VW_POINTS[n]}: price <b>{_fmt(r.price)}</b>"
                f"{_interval(getattr(r, 'ci_low', None), getattr(r, 'ci_high', None), result.ci)}"
                f"<br>where {a.replace('_', ' ')} crosses {b.replace('_', ' ')}, at about "
                f"{height:.1%} of respondents"
            )
            fig.add_vline(
                x=float(r.price),
                line={"color": GREY, "width": 0.8},
                row=row,
                col=col,
                exclude_empty_subplots=False,
            )
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="markers+text",
                    marker={"color": "black", "size": 8},
                    text=labels,
                    textposition="top right",
                    textfont={"size": 10},
                    name="price points",
                    legendgroup="price points",
                    showlegend=first,
                    hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>",
                ),
                row=row,
                col=col,
            )
        # show the prices where the answers are, not the long tail of outliers (as matplotlib)
        upper = c.loc[c["too_expensive"] >= 0.98, "price"]
        right = float(upper.iloc[0]) * 1.15 if len(upper) else float(c["price"].max())
        fig.update_xaxes(
            title_text="price", range=[0, right], tickformat=",~f", hoverformat=MONEY, row=row, col=col
        )
        fig.update_yaxes(
            title_text="share of respondents" if col == 1 else None,
            range=[0, 1.02],
            tickformat=".0%",
            row=row,
            col=col,
        )
    fig.update_layout(
        title="Van Westendorp" if by is None else f"Van Westendorp by {by}", hovermode="closest"
    )
    return fig


# ---- the theme lift heatmap -----------------------------------------------------------


def lift_heatmap_figure(result: Any, lifts: pd.DataFrame, by: str | None) -> Any:
    """ThemeAssociations.plot(backend="plotly"): log2 lift, themes x levels, on a diverging
    scale centred on a lift of 1, the colour bar labelled in lift; * q < alpha, ** q < alpha / 10;
    the hover gives the lift with its interval, q and the counts."""
    go, _ = plotly_modules()
    g = lift_grid(lifts, result.alpha, by)
    z = g.log2_lift
    lim = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
    lim = max(lim, 0.1)
    if lim >= 1:  # powers of two
        ticks = [2.0**e for e in range(-math.ceil(lim), math.ceil(lim) + 1) if abs(e) <= lim + 1e-9]
    else:
        ticks = [t for t in (2 / 3, 0.8, 0.95, 1.0, 1.05, 1.25, 1.5) if abs(math.log2(t)) <= lim + 1e-9]
    customdata = np.dstack([g.lift, g.ci_low, g.ci_high, g.q, g.n, g.mentions])
    hover = (
        "<b>%{y}</b> among customers with %{x}<br>"
        "lift <b>%{customdata[0]:.2f}x</b> (interval %{customdata[1]:.2f}x to %{customdata[2]:.2f}x): "
        "P(theme | level) / P(theme)<br>"
        "q = %{customdata[3]:.3g}<br>"
        "%{customdata[5]:,.0f} of %{customdata[4]:,.0f} respondents in the level mention the theme"
        "<extra></extra>"
    )
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=g.columns,
            y=g.rows,
            customdata=customdata,
            text=g.marks,
            texttemplate="%{text}",
            colorscale="RdBu_r",
            zmin=-lim,
            zmax=lim,
            zmid=0,
            xgap=1,
            ygap=1,
            hoverongaps=False,
            hovertemplate=hover,
            colorbar={
                "title": {"text": "lift (log scale)"},
                "tickvals": [math.log2(t) for t in ticks],
                "ticktext": [f"{round(t, 3):g}x" for t in ticks],
            },
        )
    )
    fig.update_layout(
        template="plotly_white",
        title=f"Theme lift by metadata level (* q < {result.alpha:g}, ** q < {result.alpha / 10:g})",
        width=max(600, 45 * len(g.columns) + 320),
        height=max(420, 40 * len(g.rows) + 260),
    )
    fig.update_xaxes(type="category", tickangle=-60, showgrid=False)
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False)
    return fig
