"""The plotly backend of the three interactive charts (issue 17, item 7).

``DemandCurveResult.plot``, ``VanWestendorpResult.plot`` and ``ThemeAssociations.plot`` take
``backend="plotly"`` (or the ``plot_backend`` option) and return a
``plotly.graph_objects.Figure`` that carries the result's own numbers: the traces' x and y are
the curve tables' columns, the Van Westendorp points are marked at the result's prices, the
heatmap's z is the lift grid; the hover text names each quantity with its unit. Matplotlib
stays the default; ``import customervalue`` never imports plotly; without plotly the backend is
a ParameterError naming the ``plotly`` extra.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import customervalue as cv
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from customervalue import _io

go = pytest.importorskip("plotly.graph_objects")


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return cv.datasets.pricing_survey(600, seed=0)


@pytest.fixture(scope="module")
def curve(survey: pd.DataFrame) -> Any:
    return cv.demand_curve(survey, wtp="wtp", cost=10, fixed_cost=500)


@pytest.fixture(scope="module")
def curve_ci(survey: pd.DataFrame) -> Any:
    return cv.demand_curve(survey, wtp="wtp", cost=10, ci=0.9, n_boot=50, seed=1)


@pytest.fixture(scope="module")
def vw(survey: pd.DataFrame) -> Any:
    return cv.van_westendorp(survey)


@pytest.fixture(scope="module")
def associations() -> Any:
    df = cv.datasets.customers(3000, seed=0)
    return cv.theme_associations(
        df, themes=["theme_price", "theme_delivery", "theme_support"], metadata=["region", "channel"]
    )


def _trace(fig: Any, name: str, k: int = 0) -> Any:
    """The ``k``-th trace called ``name`` (one per panel with ``by``)."""
    found = [t for t in fig.data if t.name == name]
    assert len(found) > k, f"no trace {name!r} (#{k}); the traces are {[t.name for t in fig.data]}"
    return found[k]


def _equal(a: Any, b: Any) -> None:
    np.testing.assert_array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float))


# ---- import, errors, the choice of backend -------------------------------------------------


def test_import_customervalue_does_not_import_plotly() -> None:
    code = textwrap.dedent(
        """
        import sys
        import matplotlib
        matplotlib.use("Agg")
        import pandas as pd
        import customervalue as cv
        assert "plotly" not in sys.modules, "import customervalue imported plotly"
        curve = cv.demand_curve(pd.DataFrame({"wtp": [10.0, 20.0, 30.0]}), wtp="wtp")
        curve.plot()                      # the matplotlib default does not import it either
        assert "plotly" not in sys.modules, "a matplotlib plot imported plotly"
        fig = curve.plot(backend="plotly")
        assert "plotly" in sys.modules and type(fig).__name__ == "Figure"
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


@pytest.mark.parametrize("which", ["curve", "vw", "associations"])
def test_without_plotly_the_backend_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, which: str
) -> None:
    result = request.getfixturevalue(which)
    for name in ("plotly", "plotly.graph_objects", "plotly.subplots"):
        monkeypatch.setitem(sys.modules, name, None)  # `import plotly` now raises ImportError
    with pytest.raises(cv.ParameterError, match=r"pip install customervalue\[plotly\]") as err:
        result.plot(backend="plotly")
    assert isinstance(err.value.__cause__, ImportError)
    with _io.option_context(plot_backend="plotly"), pytest.raises(cv.ParameterError, match="plotly"):
        result.plot()
    assert isinstance(result.plot(), plt.Axes)  # matplotlib needs no plotly


@pytest.mark.parametrize("which", ["curve", "vw", "associations"])
def test_an_unknown_backend_lists_the_choices(request: pytest.FixtureRequest, which: str) -> None:
    result = request.getfixturevalue(which)
    with pytest.raises(cv.ParameterError, match=r"argument 'backend'.*'matplotlib', 'plotly'.*'bokeh'"):
        result.plot(backend="bokeh")


@pytest.mark.parametrize("which", ["curve", "vw", "associations"])
def test_matplotlib_stays_the_default_and_an_ax_means_matplotlib(
    request: pytest.FixtureRequest, which: str
) -> None:
    result = request.getfixturevalue(which)
    assert isinstance(result.plot(), plt.Axes)
    assert isinstance(result.plot(backend="matplotlib"), plt.Axes)
    assert isinstance(result.plot(backend="plotly"), go.Figure)
    _, ax = plt.subplots()
    with pytest.raises(cv.ParameterError, match="argument 'ax'.*plotly"):
        result.plot(ax=ax, backend="plotly")
    with _io.option_context(plot_backend="plotly"):
        assert isinstance(result.plot(), go.Figure)
        # an Axes to draw on is matplotlib whatever the option (the report draws so)
        assert result.plot(ax=ax) is ax
        assert isinstance(result.plot(backend="matplotlib"), plt.Axes)


# ---- the plot_backend option ---------------------------------------------------------------


@pytest.fixture
def restore_options() -> Iterator[None]:
    before = {name: _io.get_option(name) for name in ("output", "plot_backend")}
    yield
    _io.set_option(**before)


def test_the_plot_backend_option(restore_options: None, curve: Any) -> None:
    assert cv.get_option("plot_backend") == "matplotlib"
    cv.set_option(plot_backend="plotly")
    assert cv.get_option("plot_backend") == "plotly"
    assert cv.get_option("output") == "pandas"  # the other option keeps its value
    assert isinstance(curve.plot(), go.Figure)
    cv.set_option(output="polars")
    assert cv.get_option("plot_backend") == "plotly"
    with cv.option_context(plot_backend="matplotlib"):
        assert isinstance(curve.plot(), plt.Axes)
        assert cv.get_option("output") == "polars"
    assert cv.get_option("plot_backend") == "plotly"
    cv.set_option(output="pandas", plot_backend="matplotlib")
    assert (cv.get_option("output"), cv.get_option("plot_backend")) == ("pandas", "matplotlib")
    with cv.option_context(output="pyarrow", plot_backend="plotly"):
        assert (cv.get_option("output"), cv.get_option("plot_backend")) == ("pyarrow", "plotly")
    assert (cv.get_option("output"), cv.get_option("plot_backend")) == ("pandas", "matplotlib")


def test_the_plot_backend_option_refuses_what_it_does_not_know(restore_options: None) -> None:
    with pytest.raises(cv.ParameterError, match=r"argument 'plot_backend'.*'matplotlib', 'plotly'"):
        cv.set_option(plot_backend="altair")
    with pytest.raises(cv.ParameterError, match=r"argument 'plot_backend'"):
        with cv.option_context(plot_backend="Plotly"):
            pass
    with pytest.raises(cv.ParameterError, match=r"no option given.*output=.*plot_backend="):
        cv.set_option()
    with pytest.raises(cv.ParameterError, match="no option given"):
        with cv.option_context():
            pass
    # a bad value of one option leaves both unchanged
    with pytest.raises(cv.ParameterError, match="argument 'output'"):
        cv.set_option(output="spark", plot_backend="plotly")
    assert (cv.get_option("output"), cv.get_option("plot_backend")) == ("pandas", "matplotlib")


# ---- the demand curve ----------------------------------------------------------------------


def test_demand_curve_traces_are_the_table(curve: Any) -> None:
    fig = curve.plot(backend="plotly")
    assert isinstance(fig, go.Figure)
    t = curve.table
    share, revenue, profit = _trace(fig, "demand share"), _trace(fig, "revenue"), _trace(fig, "profit")
    for trace, column in [(share, "share"), (revenue, "revenue"), (profit, "profit")]:
        _equal(trace.x, t["price"])
        _equal(trace.y, t[column])
    _equal(share.customdata[:, 0], t["buyers"])
    assert share.line.shape == "vh"  # the share at p holds down to the previous stated price
    assert share.yaxis == "y" and revenue.yaxis == profit.yaxis == "y2"  # money on the second axis
    opt = curve.optima.iloc[0]
    rev_opt, prof_opt = _trace(fig, "revenue-optimal price"), _trace(fig, "profit-optimal price")
    assert (rev_opt.x[0], rev_opt.y[0]) == (curve.revenue_optimal_price, opt["revenue_at_optimum"])
    assert (prof_opt.x[0], prof_opt.y[0]) == (curve.profit_optimal_price, opt["profit_at_optimum"])
    assert curve.revenue_optimal_price != curve.profit_optimal_price
    lines = sorted(s.x0 for s in fig.layout.shapes if s.type == "line")
    assert lines == sorted([curve.revenue_optimal_price, curve.profit_optimal_price])
    assert fig.layout.title.text == "Demand curve"
    assert fig.layout.xaxis.title.text == "price"


def test_demand_curve_hover_names_the_quantities_and_units(curve: Any) -> None:
    fig = curve.plot(backend="plotly")
    share = _trace(fig, "demand share").hovertemplate
    assert "%{y:.1%}" in share and "of respondents willing to pay" in share and "buyers" in share
    assert "price %{x:" in share
    assert "revenue" in _trace(fig, "revenue").hovertemplate
    assert "price x buyers" in _trace(fig, "revenue").hovertemplate
    profit = _trace(fig, "profit").hovertemplate
    assert "profit" in profit and "unit cost 10" in profit and "- 500" in profit  # c and F
    optimum = _trace(fig, "revenue-optimal price").hovertemplate
    assert f"revenue-optimal price {curve.revenue_optimal_price:g}" in optimum


def test_demand_curve_intervals_are_the_table_bounds(curve_ci: Any) -> None:
    fig = curve_ci.plot(backend="plotly")
    t = curve_ci.table
    low, high = _trace(fig, "share, 90% interval", 1), _trace(fig, "share, 90% interval", 0)
    _equal(low.y, t["share_ci_low"])
    _equal(high.y, t["share_ci_high"])
    assert low.fill == "tonexty"  # the band fills between the bounds
    share = _trace(fig, "demand share")
    _equal(share.customdata[:, 1], t["share_ci_low"])
    _equal(share.customdata[:, 2], t["share_ci_high"])
    assert "90% CI %{customdata[1]:.1%}" in share.hovertemplate
    revenue = _trace(fig, "revenue")
    _equal(revenue.customdata[:, 0], t["revenue_ci_low"])
    _equal(revenue.customdata[:, 1], t["revenue_ci_high"])
    opt = curve_ci.optima.iloc[0]
    hover = _trace(fig, "revenue-optimal price").hovertemplate
    assert (
        f"90% CI {opt['revenue_optimal_price_ci_low']:g} to {opt['revenue_optimal_price_ci_high']:g}" in hover
    )


def test_demand_curve_share_only(curve: Any) -> None:
    fig = curve.plot(backend="plotly", show="share")
    assert [t.name for t in fig.data] == ["demand share"]
    _equal(fig.data[0].y, curve.table["share"])


def test_demand_curve_by_group_one_panel_each(survey: pd.DataFrame) -> None:
    res = cv.demand_curve(survey, wtp="wtp", by="segment", cost=5)
    fig = res.plot(backend="plotly")
    groups = list(res.optima["segment"])
    assert len(groups) > 1
    assert [a.text for a in fig.layout.annotations if a.text.startswith("segment = ")] == [
        f"segment = {g}" for g in groups
    ]
    for k, g in enumerate(groups):
        part = res.table[res.table["segment"] == g]
        share = _trace(fig, "demand share", k)
        _equal(share.x, part["price"])
        _equal(share.y, part["share"])
        _equal(_trace(fig, "revenue", k).y, part["revenue"])
        opt = res.optima[res.optima["segment"] == g].iloc[0]
        assert _trace(fig, "revenue-optimal price", k).x[0] == opt["revenue_optimal_price"]
    assert len({_trace(fig, "demand share", k).xaxis for k in range(len(groups))}) == len(groups)
    assert sum(bool(t.showlegend) for t in fig.data if t.name == "demand share") == 1


# ---- Van Westendorp --------------------------------------------------------------------------


def test_van_westendorp_curves_are_the_table(vw: Any) -> None:
    fig = vw.plot(backend="plotly")
    assert isinstance(fig, go.Figure)
    for name in ["too_cheap", "cheap", "expensive", "too_expensive", "not_cheap", "not_expensive"]:
        trace = _trace(fig, name.replace("_", " "))
        _equal(trace.x, vw.table["price"])
        _equal(trace.y, vw.table[name])
        # the cheap curves hold down to the previous answered price, the expensive ones up to the next
        assert trace.line.shape == ("vh" if name in ("too_cheap", "cheap", "not_cheap") else "hv")


def test_van_westendorp_points_are_marked_at_the_results_prices(vw: Any) -> None:
    fig = vw.plot(backend="plotly")
    points = _trace(fig, "price points")
    want = [vw.pmc, vw.opp, vw.ipp, vw.pme]
    _equal(points.x, want)
    assert list(points.text) == [
        f"{n} {p:g}" for n, p in zip(["PMC", "OPP", "IPP", "PME"], want, strict=True)
    ]
    assert all(0 <= y <= 1 for y in points.y)
    # the OPP is where too cheap meets too expensive: its marker lies between the two curves there
    t = vw.table.set_index("price")
    lo, hi = sorted([t.loc[vw.opp, "too_cheap"], t.loc[vw.opp, "too_expensive"]])
    assert lo <= points.y[1] <= hi
    lines = sorted(s.x0 for s in fig.layout.shapes if s.type == "line")
    assert lines == sorted(want)
    (band,) = [s for s in fig.layout.shapes if s.type == "rect"]
    assert (band.x0, band.x1) == vw.acceptable_range()
    hover = points.hovertext
    assert (
        hover[1].startswith("<b>OPP</b>, optimal price point: price <b>") and "% of respondents" in hover[1]
    )


def test_van_westendorp_hover_names_the_shares(vw: Any) -> None:
    fig = vw.plot(backend="plotly")
    hover = _trace(fig, "too expensive").hovertemplate
    assert "%{y:.1%}</b> of respondents find it too expensive at price %{x:" in hover
    assert "find it cheap" in _trace(fig, "cheap").hovertemplate
    assert fig.layout.yaxis.tickformat == ".0%" and fig.layout.yaxis.title.text == "share of respondents"


def test_van_westendorp_intervals_and_the_narrower_range(survey: pd.DataFrame) -> None:
    res = cv.van_westendorp(survey, range="narrower", ci=0.9, n_boot=40, seed=0)
    fig = res.plot(backend="plotly")
    names = [t.name for t in fig.data]
    assert "not cheap" not in names and "not expensive" not in names  # as the matplotlib chart
    points = _trace(fig, "price points")
    _equal(points.x, [res.pmc, res.opp, res.ipp, res.pme])
    (band,) = [s for s in fig.layout.shapes if s.type == "rect"]
    assert (band.x0, band.x1) == res.acceptable_range()
    opp = res.points.set_index("point").loc["OPP"]
    assert f"(90% CI {opp['ci_low']:g} to {opp['ci_high']:g})" in points.hovertext[1]
    assert "too cheap crosses too expensive" in points.hovertext[1]


def test_van_westendorp_by_group(survey: pd.DataFrame) -> None:
    res = cv.van_westendorp(survey, by="segment")
    fig = res.plot(backend="plotly")
    groups = list(res.counts["segment"])
    assert len(groups) > 1
    for k, g in enumerate(groups):
        part = res.table[res.table["segment"] == g]
        _equal(_trace(fig, "cheap", k).x, part["price"])
        _equal(_trace(fig, "cheap", k).y, part["cheap"])
        _equal(_trace(fig, "price points", k).x, [res.pmc[g], res.opp[g], res.ipp[g], res.pme[g]])
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == len(groups) and len({s.xref for s in rects}) == len(groups)


# ---- the theme lift heatmap ------------------------------------------------------------------


def _expected_grid(lifts: pd.DataFrame, column: str, by: str | None = None) -> pd.DataFrame:
    """``column`` of the per-level rows as a themes x (variable, level) table, NaN kept."""
    index = ["theme"] if by is None else ["theme", by]
    return lifts.pivot(index=index, columns=["variable", "level"], values=column)


def test_heatmap_z_is_the_lift_grid(associations: Any) -> None:
    fig = associations.plot(backend="plotly")
    assert isinstance(fig, go.Figure)
    (heat,) = fig.data
    lifts = associations.lifts
    cols = list(dict.fromkeys(zip(lifts["variable"], lifts["level"], strict=True)))
    assert list(heat.x) == [f"{v}={lv}" for v, lv in cols]
    assert list(heat.y) == list(dict.fromkeys(lifts["theme"]))
    lift = _expected_grid(lifts, "effect").loc[list(heat.y), cols].to_numpy()
    np.testing.assert_allclose(heat.z, np.log2(lift))
    np.testing.assert_array_equal(heat.customdata[:, :, 0], lift)
    for k, column in enumerate(["effect_ci_low", "effect_ci_high", "q", "n", "mentions"], start=1):
        want = _expected_grid(lifts, column).loc[list(heat.y), cols].to_numpy(dtype=float)
        np.testing.assert_array_equal(heat.customdata[:, :, k], want)
    q = _expected_grid(lifts, "q").loc[list(heat.y), cols].to_numpy()
    alpha = associations.alpha
    marks = np.where(q < alpha / 10, "**", np.where(q < alpha, "*", ""))
    np.testing.assert_array_equal(np.asarray(heat.text, dtype=str), marks)
    assert heat.zmid == 0 and heat.zmin == -heat.zmax  # diverging, centred on a lift of 1


def test_heatmap_hover_and_colour_bar_speak_lift(associations: Any) -> None:
    (heat,) = associations.plot(backend="plotly").data
    assert "lift <b>%{customdata[0]:.2f}x</b>" in heat.hovertemplate
    assert "q = %{customdata[3]" in heat.hovertemplate
    assert "respondents in the level mention the theme" in heat.hovertemplate
    ticks = dict(zip(heat.colorbar.ticktext, heat.colorbar.tickvals, strict=True))
    assert ticks["1x"] == 0 and len(ticks) >= 3  # labelled in lift, placed at its log2
    for text, value in ticks.items():
        assert value == pytest.approx(np.log2(float(text.removesuffix("x"))), abs=0.01)
        assert abs(value) <= heat.zmax


def test_heatmap_one_variable(associations: Any) -> None:
    (heat,) = associations.plot(backend="plotly", variable="channel").data
    lifts = associations.lifts[associations.lifts["variable"] == "channel"]
    assert list(heat.x) == [f"channel={lv}" for lv in dict.fromkeys(lifts["level"])]
    with pytest.raises(cv.ParameterError, match="argument 'variable'"):
        associations.plot(backend="plotly", variable="no such column")


def test_heatmap_by_stratum_keeps_every_stratum() -> None:
    """With ``by`` each theme has a row per stratum, in both backends (the lifts of one stratum
    no longer overwrite another's)."""
    df = cv.datasets.customers(3000, seed=1)
    res = cv.theme_associations(
        df, themes=["theme_price", "theme_delivery"], metadata=["region"], by="product", profiles=False
    )
    lifts = res.lifts
    (heat,) = res.plot(backend="plotly").data
    strata = list(dict.fromkeys(lifts["product"]))
    assert len(strata) > 1
    assert list(heat.y) == [f"{t} (product = {s})" for t in ["theme_price", "theme_delivery"] for s in strata]
    cols = list(dict.fromkeys(zip(lifts["variable"], lifts["level"], strict=True)))
    keys = [(t, s) for t in ["theme_price", "theme_delivery"] for s in strata]
    lift = _expected_grid(lifts, "effect", "product").loc[keys, cols].to_numpy()
    assert (lift == 0).any()  # a small stratum where no one of a level mentions a theme
    with np.errstate(divide="ignore"):
        log2_lift = np.where(lift > 0, np.log2(lift), np.nan)  # a lift of 0 is left blank
    np.testing.assert_allclose(heat.z, log2_lift)
    np.testing.assert_array_equal(heat.customdata[:, :, 0], lift)  # its lift is still 0
    ax = res.plot()
    assert [t.get_text() for t in ax.get_yticklabels()] == list(heat.y)
    np.testing.assert_allclose(np.ma.filled(ax.images[0].get_array(), np.nan), log2_lift)
