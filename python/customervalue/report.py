"""``customervalue report``: one self-contained HTML page, a section per analysis.

Plots are embedded as base64 PNG, so the file can be mailed or opened offline. Each section
opens with a short plain-language finding computed from the data, never written by hand. The
sections read a :class:`~customervalue.report_config.ReportData`: the bundled sample data
(``--demo``) or your own files mapped by a TOML file (``--config``, schema in
:mod:`customervalue.report_config`). A section whose inputs are not configured is skipped with
a note.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import __version__
from ._report_html import Section, Skip, _need, _panels, _table
from ._report_pricing import _conjoint
from .demand import demand_curve, gabor_granger, van_westendorp
from .errors import ParameterError
from .report_config import SCHEMA, ReportData, demo_data, load_config, load_data


def _overview(data: ReportData) -> Section:

    cfg = data.config
    rows = []
    for name in SCHEMA:
        df = getattr(data, name)
        if df is None or (name in ("survey_scores", "themes") and df is data.customers):
            continue
        settings = cfg.table(name) or {}
        rows.append(
            {"dataset": name, "rows": len(df), "columns": df.shape[1], "source": settings.get("path", "")}
        )
    if not rows:
        raise Skip("no table is configured")
    panels: list[Callable[[Any], Any]] = []
    cust, cs = data.customers, cfg.customers or {}
    if cust is not None and cs.get("value"):
        v = cs["value"]
        panels.append(
            lambda ax: (
                cust[v].clip(upper=cust[v].quantile(0.99)).plot.hist(bins=50, ax=ax, color="C0"),
                ax.set(title="Spend per customer", xlabel=v),
            )
        )
    levels = [c for c, rule in cs.get("segments", {}).items() if rule == "levels"]
    if cust is not None and levels:
        c = levels[-1]
        panels.append(
            lambda ax: (
                cust[c].value_counts().sort_index().plot.bar(ax=ax, color="C1"),
                ax.set(title=f"Customers by {c}", xlabel=""),
            )
        )
    ps = cfg.pricing_survey or {}
    survey = data.pricing_survey
    if survey is not None and ps.get("wtp"):
        w = ps["wtp"]
        panels.append(
            lambda ax: (
                survey[w].plot.hist(bins=40, ax=ax, color="C2"),
                ax.set(title="Stated willingness to pay", xlabel=w),
            )
        )
    figure = ""
    if panels:
        figure = _panels(panels, 4.4, 3.4)
    summary = pd.DataFrame(rows)
    counts = ", ".join(f"{r['rows']:,} rows of {r['dataset'].replace('_', ' ')}" for r in rows)
    finding = f"The report reads {counts}."
    tx = data.transactions
    if tx is not None and data.config.transactions:
        d = tx[data.config.transactions["date"]]
        finding += f" Purchases run from {d.min():%Y-%m-%d} to {d.max():%Y-%m-%d}."
    truth = cust.attrs.get("truth") if cust is not None else None
    if data.demo and truth is not None and cust is not None:
        hot = cust["region"].isin(["North", "Coastal"])
        lift = cust.loc[hot, "theme_price"].mean() / cust.loc[~hot, "theme_price"].mean()
        finding = (
            f"{len(cust):,} synthetic customers in five planted behavioural clusters, "
            f"{len(data.transactions if data.transactions is not None else []):,} purchases from a BG/NBD "
            f"process and {len(survey if survey is not None else []):,} pricing-survey respondents. "
            f"Price complaints are planted to over-index in North and Coastal: they appear {lift:.1f}x as "
            "often there."
        )
    return Section("overview", "The data", finding, _table(summary) + figure)


def _demand(data: ReportData) -> Section:

    ps = _need(data.config.pricing_survey, "pricing_survey", "too_cheap")
    survey = data.pricing_survey
    assert survey is not None
    seed = data.config.seed
    cost = ps.get("cost")
    nms = (
        {"cheap": ps["intent_cheap"], "expensive": ps["intent_expensive"]} if ps.get("intent_cheap") else None
    )
    vw = van_westendorp(
        survey,
        too_cheap=ps["too_cheap"],
        cheap=ps["cheap"],
        expensive=ps["expensive"],
        too_expensive=ps["too_expensive"],
        nms=nms,
        cost=cost,
        missing="drop",
        progress=False,
    )
    finding = (
        f"Respondents find prices between {vw.pmc:g} and {vw.pme:g} acceptable (Van Westendorp, "
        f"{vw.n_invalid} inconsistent answers dropped)."
    )
    body = "<h3>Van Westendorp price points</h3>" + _table(vw.points.dropna(axis=1, how="all"))
    top: list[Callable[[Any], Any]] = [lambda ax: vw.plot(ax=ax)]
    bottom: list[Callable[[Any], Any]] = [lambda ax: vw.plot_nms(ax=ax)] if nms else []
    if ps.get("wtp"):
        curve = demand_curve(
            survey,
            wtp=ps["wtp"],
            cost=cost or 0.0,
            ci=0.95,
            n_boot=300,
            seed=seed,
            missing="drop",
            progress=False,
        )
        top.append(lambda ax: curve.plot(ax=ax))
        finding += (
            f" Stated willingness to pay puts the revenue-optimal price at {curve.revenue_optimal_price:g}"
        )
        if cost:
            best = curve.profit_optimal_price
            finding += f" and, at a unit cost of {cost:g}, the profit-optimal price at {best:g}"
            premium = curve.premium_test(
                float(vw.opp or curve.revenue_optimal_price), float(curve.profit_optimal_price), n_boot=300
            )
            finding += f". {premium.summary()}"
        else:
            finding += "."
        body += "<h3>Demand, revenue and profit from stated willingness to pay</h3>" + _table(curve.optima)
    if top:
        body += _panels(top, 6.5, 4)
    prefix = ps.get("buy_prefix")
    if prefix:
        cols = [c for c in survey.columns if str(c).startswith(prefix)]
        if not cols:
            raise ParameterError(f"config key 'pricing_survey.buy_prefix': no column starts with {prefix!r}")
        wide = survey[cols].rename_axis("respondent").reset_index()
        long = wide.melt(id_vars="respondent", value_vars=cols, var_name="price", value_name="buy")
        try:
            long["price"] = long["price"].str.removeprefix(prefix).astype(float)
        except ValueError:
            raise ParameterError(
                f"config key 'pricing_survey.buy_prefix': columns {prefix}<price> need a number after "
                "the prefix"
            ) from None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            gg = gabor_granger(long, price="price", buy="buy", respondent="respondent", cost=cost or 0.0)
        notes = "".join(f"<p>Gabor-Granger: {html.escape(str(w.message))}.</p>" for w in caught)
        bottom.append(lambda ax: gg.plot(ax=ax))
    if bottom:
        title = " and ".join(t for t, on in [("Newton-Miller-Smith", nms), ("Gabor-Granger", prefix)] if on)
        body += f"<h3>{title}</h3>" + (_table(gg.table) + notes if prefix else "") + _panels(bottom, 6.5, 3.6)
    return Section("demand", "Demand curve analysis", finding, body)


def lifetime_parameters(bgnbd: Any, spend: Any, truth: dict[str, Any] | None) -> pd.DataFrame:
    """The fitted BG/NBD and Gamma-Gamma parameters, with the planted truth beside each when
    known, paired by name (the truth is stored in another order than the estimates)."""
    params = pd.DataFrame(
        {
            "parameter": [*bgnbd.params_, *spend.params_],
            "estimate": [*bgnbd.params_.values(), *spend.params_.values()],
        }
    )
    if truth is not None:
        true = {**truth["bgnbd"], **truth["gamma_gamma"]}
        params.insert(1, "true", [true.get(k, float("nan")) for k in params["parameter"]])
    return params


def _lifetime_value(data: ReportData) -> Section:
    import numpy as np

    from .economics import BetaGeo, GammaGamma, customer_lifetime_value, rfm_summary

    ts = _need(data.config.transactions, "transactions", "customer")
    tx = data.transactions
    assert tx is not None
    unit, horizon, margin = ts["time_unit"], ts["horizon"], ts["margin"]
    summary = rfm_summary(tx, customer=ts["customer"], date=ts["date"], amount=ts["amount"], time_unit=unit)
    bgnbd = BetaGeo(time_unit=unit).fit(summary)
    # a repeat buyer whose spend is not positive is invalid data: left out and counted
    spend = GammaGamma().fit(summary, missing="drop")
    clv = customer_lifetime_value(
        bgnbd,
        spend,
        summary,
        horizon=horizon,
        time_unit="M",
        discount_rate=ts["discount_rate"],
        margin=margin,
    )
    truth = tx.attrs.get("truth") if data.demo else None
    params = lifetime_parameters(bgnbd, spend, truth)
    v = np.sort(clv.to_numpy())[::-1]
    share = np.cumsum(v) / v.sum()
    top20 = float(share[max(int(0.2 * len(v)) - 1, 0)])
    what = "margin" if margin < 1 else "revenue"

    def concentration(ax: Any) -> None:
        ax.plot(np.arange(1, len(v) + 1) / len(v), share)
        ax.plot([0, 1], [0, 1], ls="--", color="0.6")
        ax.set(
            xlabel="share of customers",
            ylabel=f"share of {horizon:g}-month CLV",
            title="Concentration of value",
        )

    figure = _panels([lambda ax: bgnbd.plot_frequency(summary, ax=ax), concentration], 6.5, 3.8)
    fitted = f"BG/NBD and Gamma-Gamma fitted to {len(summary):,} customers' purchase logs"
    finding = (
        (f"{fitted} recover the planted parameters (table)." if truth is not None else f"{fitted} (table).")
        + f" Expected {horizon:g}-month {what} averages {clv.mean():,.2f} per customer, and the "
        f"top 20% of customers hold {top20:.0%} of it."
        + (
            f" {spend.n_invalid_:,} repeat buyer(s) with a spend that is not positive were left out of "
            "the spend model."
            if spend.n_invalid_
            else ""
        )
    )
    return Section("lifetime-value", "Customer lifetime value", finding, _table(params) + figure)


def _segment_rules(rules: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col, rule in rules.items():
        if isinstance(rule, str):
            if rule != "levels":
                raise ParameterError(
                    f"config key 'customers.segments.{col}': a string rule must be \"levels\", got {rule!r}"
                )
            rule = None
        out[col] = rule
    return out


def _segmentation(data: ReportData) -> Section:

    from .segmentation import cluster, compare_groupings, segment
    from .segmentation.cluster import scatter_pca

    cs = _need(data.config.customers, "customers", "features", "value", "segments")
    cust = data.customers
    assert cust is not None
    features, (k_lo, k_hi) = cs["features"], cs["k"]
    sweep = cluster(cust, features=features, k=range(k_lo, k_hi + 1), seed=data.config.seed, n_init=4)
    segments = segment(cust, _segment_rules(cs["segments"]))
    cmp = compare_groupings(
        cust,
        groupings={"rule-based segments": segments, "behavioural clusters": sweep},
        features=features,
        value=cs["value"],
    )
    agree = cmp.agreement.iloc[0]
    ve = cmp.value_explained.set_index("grouping")
    seg_eta, clu_eta = (
        ve.loc["rule-based segments", "eta_squared"],
        ve.loc["behavioural clusters", "eta_squared"],
    )

    def segment_scatter(ax: Any) -> None:
        scatter_pca(ax, cmp.X, cmp.labels["rule-based segments"], "rule-based segments")
        ax.legend().set_visible(False)

    figure = _panels(
        [
            lambda ax: sweep.plot_sweep(ax=ax),
            segment_scatter,
            lambda ax: scatter_pca(
                ax, cmp.X, cmp.labels["behavioural clusters"], f"k-means clusters, k = {sweep.k_}"
            ),
        ],
        4.7,
        3.9,
    )
    planted = " (the data hold five planted clusters)" if data.demo else ""
    by = " x ".join(cs["segments"])
    finding = (
        f"k-means on {len(features)} behavioural measures picks k = {sweep.k_} by the silhouette{planted}. "
        f"The clusters explain {clu_eta:.0%} of the variance in {cs['value']} against {seg_eta:.0%} "
        f"for {int(ve.loc['rule-based segments', 'n_groups'])} {by} segments, and the two groupings "
        f"{'barely ' if agree['adjusted_rand'] < 0.2 else ''}agree (adjusted Rand index "
        f"{agree['adjusted_rand']:.2f})."
    )
    table = cmp.table.drop(columns=["kruskal_h"], errors="ignore")
    body = _table(table) + figure + f"<p>{html.escape(cmp.verdict)}</p>"
    return Section("segmentation", "Segments versus clusters", finding, body)


def _cx_items(ss: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """The 0-100 index items: ``cx_items``, or else the configured CSAT and effort columns."""
    if ss.get("cx_items"):
        return {k: (v[0], v[1]) for k, v in ss["cx_items"].items()}
    items = {}
    if ss.get("csat"):
        items[ss["csat"]] = tuple(ss["csat_scale"])
    if ss.get("effort"):
        items[ss["effort"]] = tuple(ss["effort_scale"])
    return items


def _cx(data: ReportData) -> Section:

    from .metrics import ces, csat, cx_index, nps
    from .opportunity import opportunity_scores

    ss = _need(data.config.survey_scores, "survey_scores")
    if not any(ss.get(k) for k in ("nps", "csat", "effort", "importance")):
        raise Skip("not configured: set survey_scores.nps, .csat, .effort or .importance and .satisfaction")
    df = data.survey_scores
    assert df is not None
    by = ss.get("by")
    drop = "drop"
    sentences, body, panels = [], "", []
    results = []
    if ss.get("nps"):
        overall = nps(df, column=ss["nps"], missing=drop)
        results.append(overall)
        lo, hi = overall.table[["ci_low", "ci_high"]].iloc[0]
        n = int(overall.table["n"].iloc[0])
        text = f"NPS is {overall.value:.0f} (95% interval {lo:.0f} to {hi:.0f}, n = {n:,})"
        if by:
            seg = nps(df, by=by, column=ss["nps"], missing=drop)
            t = seg.table.set_index(by)["nps"]
            worst, best = t.idxmin(), t.idxmax()
            text += f"; it is lowest for {by} {worst} ({t[worst]:.0f}) and highest for {best} ({t[best]:.0f})"
            panels.append(lambda ax: (seg.plot(ax=ax), ax.set_title(f"NPS by {by}")))
            cols = [by, "n", "pct_promoters", "pct_detractors", "nps", "ci_low", "ci_high"]
            body += f"<h3>Net Promoter Score by {html.escape(by)}</h3>" + _table(seg.table[cols])
        sentences.append(text + ".")
    shares = []
    if ss.get("csat"):
        sat = csat(df, column=ss["csat"], scale=tuple(ss["csat_scale"]), missing=drop)
        results.append(sat)
        shares.append(f"{sat.value:.0f}% are satisfied (CSAT top-2-box)")
    if ss.get("effort"):
        effort = ces(df, column=ss["effort"], scale=tuple(ss["effort_scale"]), missing=drop)
        results.append(effort)
        shares.append(f"{effort.value:.0f}% report low effort")
    if shares:
        sentences.append(" and ".join(shares) + ".")
    items = _cx_items(ss)
    if len(items) >= 2:
        reverse = [i for i in ss["cx_reverse"] if i in items] or (
            [ss["effort"]] if ss.get("effort") in items else []
        )
        index = cx_index(
            df, list(items), scale=items, reverse=reverse, by=by, n_simulations=200, missing=drop
        )
        whole = index.scores
        text = (
            f"The 0-100 experience index averages {whole.mean():.0f}, yet {100 * (whole < 50).mean():.0f}% "
            "score below 50"
        )
        head = "Experience index (0-100)"
        idx_table = index.table.drop(columns=["sd", "q25", "median", "q75"])
        if by:
            ranks = index.rank_range
            moved = int((ranks["best_rank"] != ranks["worst_rank"]).sum())
            text += f", and {moved} of {len(ranks)} {by} segments change rank under other weights"
            idx_table = idx_table.merge(ranks)
            head += f" by {html.escape(by)} and how far its ranks move with the weights"
        sentences.append(text + ".")
        panels.append(lambda ax: index.plot(ax=ax))
        body += f"<h3>{head}</h3>" + _table(idx_table)
    if ss.get("importance"):
        opp = opportunity_scores(
            df,
            importance=ss["importance"],
            satisfaction=ss["satisfaction"],
            scale=tuple(ss["opportunity_scale"]),
            missing=drop,
        )
        under = opp.underserved_outcomes
        sentences.append(
            f"Underserved outcomes (opportunity score of 10 or more): {', '.join(under)}."
            if under
            else "No outcome reaches an opportunity score of 10 (underserved)."
        )
        panels.append(lambda ax: (opp.plot(ax=ax), ax.set_title("Opportunity landscape")))
        cols = ["outcome", "importance", "satisfaction", "opportunity", "served", "quadrant"]
        body += "<h3>Opportunity scores (Ulwick)</h3>" + _table(opp.table[cols])
    if results:
        scores = pd.DataFrame(
            [
                {
                    "metric": r.metric,
                    "estimate": r.value,
                    "ci_low": t["ci_low"],
                    "ci_high": t["ci_high"],
                    "n": int(t["n"]),
                }
                for r in results
                for t in [r.table.iloc[0]]
            ]
        )
        body = "<h3>Survey scores with 95% intervals</h3>" + _table(scores) + body
    if panels:
        body += _panels(panels, 5, 4.4)
    return Section("cx", "Customer experience and opportunities", " ".join(sentences), body)


def _themes(data: ReportData) -> Section:
    from .report_config import columns_of
    from .themes import theme_associations, theme_impact

    ts = _need(data.config.themes, "themes", "metadata")
    df = data.themes
    assert df is not None
    flags = columns_of(df, ts["themes"], "themes.themes", "the themes table")
    metadata: list[str] = ts["metadata"]
    grid = theme_associations(df, themes=flags, metadata=metadata, missing="drop")
    sentences = []
    found = (grid.highlights or [])[:3]
    if found:
        sentences.append("The strongest significant theme-metadata links: " + "; ".join(found) + ".")
    else:
        sentences.append(f"No theme is linked to {', '.join(metadata)} at q < {grid.alpha:g}.")
    cols = [
        "theme",
        "variable",
        "level",
        "effect_name",
        "effect",
        "effect_ci_low",
        "effect_ci_high",
        "q",
        "n",
    ]
    strongest = (
        grid.table[grid.table["q"] < grid.alpha]
        # rank lifts by |log lift| and the other effects (Cramer's V, d, r) by their size
        .assign(
            size=lambda t: np.abs(t["effect"].where(t["effect_name"] != "lift", np.log(t["effect"].abs())))
        )
        .sort_values("size", ascending=False)
        .head(12)[cols]
        .astype({"level": object})
        .fillna({"level": ""})
    )
    body = (
        f"<h3>Strongest of {len(grid.table):,} tests (q &lt; {grid.alpha:g}, "
        f"{grid.correction} across the grid)</h3>" + _table(strongest)
    )
    # the subgroups (one condition or two) where each theme over-indexes most
    sharp = pd.DataFrame() if grid.profiles is None else grid.profiles[grid.profiles["q"] < grid.alpha]
    if not sharp.empty:
        sharp = sharp.sort_values("lift", ascending=False)
        best = sharp.iloc[0]
        sentences.append(
            f"The sharpest subgroup: {best['theme']} is mentioned {best['lift']:.1f}x as often among "
            f"{best['conditions']} ({best['support']:.0%} of respondents) as overall."
        )
        top = sharp.groupby("theme", observed=True, sort=False).head(2)
        cols = ["theme", "conditions", "support", "n", "lift", "lift_ci_low", "lift_ci_high", "q"]
        body += (
            f"<h3>Where each theme over-indexes most (one or two conditions, support &ge; "
            f"{grid.min_support:.0%}, q &lt; {grid.alpha:g})</h3>" + _table(top[cols])
        )
    panels: list[Callable[[Any], Any]] = []
    if not grid.lifts.empty:
        panels.append(lambda ax: grid.plot(ax=ax))
    outcome = ts.get("outcome")
    if outcome:
        impact = theme_impact(df, themes=flags, outcome=outcome, missing="drop")
        top = impact.table.sort_values("rank").iloc[0]
        share = top["impact"] / impact.r_squared if impact.r_squared > 0 else float("nan")
        sentences.append(
            f"Themes explain {impact.r_squared:.0%} of the variance in {outcome}; {top['theme']} carries "
            f"{share:.0%} of it (Johnson's relative weights): {outcome} averages {top['mean_with']:.2f} "
            f"where it is mentioned against {top['mean_without']:.2f} where it is not."
        )
        itable = impact.table[
            ["theme", "prevalence", "impact", "mean_with", "mean_without", "impact_if_removed"]
        ]
        body += f"<h3>Impact on {html.escape(outcome)}</h3>" + _table(itable)
        panels.append(lambda ax: impact.plot(ax=ax))
    if panels:
        body += _panels(panels, 6, 4.6)
    return Section("themes", "Themes and metadata", " ".join(sentences), body)


def _fit_value_map(data: ReportData) -> Any:
    """The value map of the configured quality profile and prices."""
    from .economics import value_map

    vs = _need(data.config.value_map, "value_map", "ours")
    return value_map(
        data.value_map,
        ours=vs["ours"],
        prices={str(k): float(v) for k, v in vs["prices"].items()},
        fair_value_line=vs["fair_value_line"],
        attribute=vs["attribute"],
        weights=vs["weight"],
    )


def _parity_price(vmap: Any) -> float:
    """The price that puts our brand on the fair-value line: its fair relative price times the
    other brands' mean price / 100."""
    t = vmap.table.set_index("brand")
    others = t.drop(index=vmap.ours)["price"].mean()
    return float(t.loc[vmap.ours, "fair_price"] * others / 100)


def _value_map(data: ReportData) -> Section:
    vmap = _fit_value_map(data)
    t = vmap.table.set_index("brand")
    ours = t.loc[vmap.ours]
    best = str(t["customer_value"].idxmax())
    side = "below" if ours["customer_value"] >= 0 else "above"
    line = "parity diagonal" if vmap.line == (0.0, 1.0) else "regression line"
    finding = (
        f"{vmap.ours} scores {ours['quality']:.0f} on market-perceived quality (100 = parity with the "
        f"other brands) at a relative price of {ours['relative_price']:.0f}: "
        f"{abs(ours['customer_value']):.1f} points {side} the fair-value {line}, so customers see "
        f"{'better' if side == 'below' else 'worse'} value than the price implies. "
        + (
            f"{vmap.ours} offers the best value of the {len(t)} brands."
            if best == vmap.ours
            else f"{best} offers the best value of the {len(t)} brands."
        )
        + f" On the line, {vmap.ours} would be priced at {_parity_price(vmap):,.2f} "
        f"(now {ours['price']:,.2f})."
    )
    body = (
        _table(vmap.table)
        + "<h3>Quality profile</h3>"
        + _table(vmap.profile)
        + _panels([lambda ax: vmap.plot(ax=ax)], 6.5, 4.8)
    )
    return Section("value-map", "Customer value map", finding, body)


def _economic_value(data: ReportData) -> Section:
    from .economics import economic_value

    es = _need(data.config.economic_value, "economic_value", "driver")
    floor = es.get("cost_floor")
    eve = economic_value(
        data.economic_value,
        reference_value=float(es["reference_value"]),
        driver=es["driver"],
        value=es["value"],
        cost_floor=None if floor is None else float(floor),
    )
    r = eve.table.iloc[0]
    value = float(r["economic_value"])
    pos, neg = float(r["positive_differentiation"]), abs(float(r["negative_differentiation"]))
    worth = f"+{pos:,.2f}" + (f" and -{neg:,.2f}" if neg > 0 else "")
    finding = (
        f"Against the next-best alternative at {r['reference_value']:,.2f}, the differences are worth "
        f"{worth} to the customer: an economic value of {value:,.2f} per unit"
        + (f", the ceiling of a value-based price range from the cost, {floor:,.2f}." if floor else ".")
    )
    if data.config.value_map is not None and data.value_map is not None:
        parity = _parity_price(_fit_value_map(data))
        gap = value - parity
        finding += f" The value map's fair-value price is {parity:,.2f}, {abs(gap):,.2f} " + (
            "below it: pricing against competitors' prices leaves that much differentiation unpriced."
            if gap > 0
            else "above it: the value map prices the product higher than its differences are worth."
        )
    body = _table(eve.table) + _table(eve.drivers) + _panels([lambda ax: eve.plot(ax=ax)], 7, 4.2)
    return Section("economic-value", "Economic value estimation", finding, body)


SECTIONS: list[tuple[str, str, Callable[[ReportData], Section]]] = [
    ("overview", "The data", _overview),
    ("segmentation", "Segments versus clusters", _segmentation),
    ("demand", "Demand curve analysis", _demand),
    ("conjoint", "Choice-based conjoint", _conjoint),
    ("lifetime-value", "Customer lifetime value", _lifetime_value),
    ("value-map", "Customer value map", _value_map),
    ("economic-value", "Economic value estimation", _economic_value),
    ("themes", "Themes and metadata", _themes),
    ("cx", "Customer experience and opportunities", _cx),
]

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em} nav{background:#f5f5f7;padding:.6em 1em;border-radius:6px}
nav ol{margin:.2em 0} section{margin-top:2.2em}
.finding{background:#eef6ee;border-left:4px solid #4a8;padding:.6em 1em;margin:.8em 0}
.skipped{background:#f7f3e8;border-left:4px solid #ca4;padding:.6em 1em;margin:.8em 0}
img{max-width:100%;height:auto;display:block;margin:1em 0}
.panels{display:flex;flex-wrap:wrap;gap:0 1em;align-items:flex-start}
.panels img{flex:1 1 300px;min-width:0;margin:.5em 0}
table.tbl{border-collapse:collapse;font-size:.85em;margin:.6em 0;max-width:100%;display:block;overflow-x:auto}
table.tbl td,table.tbl th{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right}
table.tbl th{overflow-wrap:anywhere}
footer{margin-top:3em;color:#777;font-size:.8em}
"""


def render(data: ReportData, progress: bool = True) -> str:
    """The report on ``data`` as one HTML string."""
    import matplotlib

    matplotlib.use("Agg")
    from tqdm.auto import tqdm

    sections = []
    for anchor, title, make in tqdm(SECTIONS, desc="report", disable=not progress):
        try:
            sections.append(make(data))
        except Skip as note:
            sections.append(Section(anchor, title, f"Skipped: {note}.", "", skipped=True))
    toc = "".join(
        f'<li><a href="#{s.anchor}">{html.escape(s.title)}</a>{" (skipped)" if s.skipped else ""}</li>'
        for s in sections
    )
    parts = "".join(
        f'<section id="{s.anchor}"><h2>{html.escape(s.title)}</h2>'
        f'<p class="{"skipped" if s.skipped else "finding"}">{html.escape(s.finding)}</p>{s.body}</section>'
        for s in sections
    )
    title = html.escape(data.config.title)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{title}</title><style>{CSS}</style></head><body>"
        f"<h1>{title}</h1><p>customervalue {__version__}, {html.escape(data.source)}.</p>"
        f"<nav><strong>Contents</strong><ol>{toc}</ol></nav>{parts}"
        "<footer>Generated by customervalue. Figures are embedded; the file is self-contained.</footer>"
        "</body></html>"
    )


def build_report(
    seed: int = 0, n: int = 5000, progress: bool = True, config: str | Path | None = None
) -> str:
    """The report as one HTML string: on the sample data, or on the files a TOML ``config`` maps."""
    if config is not None:
        data = load_data(load_config(config))
        data.source = f"data from {Path(config).name}"
    else:
        data = demo_data(seed=seed, n=n)
    return render(data, progress=progress)


def _print_pdf(page: str, out: Path) -> None:
    """Prints the HTML page to ``out`` as PDF with headless Chromium."""
    import shutil
    import subprocess
    import tempfile

    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if exe is None:
        raise ParameterError(
            "argument 'format': 'pdf' needs Chromium on PATH (Debian: apt-get install chromium); "
            "or write HTML and print it from a browser"
        )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.html"
        src.write_text(page, encoding="utf-8")
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"]
        subprocess.run(
            [*cmd, f"--print-to-pdf={out.resolve()}", src.as_uri()], check=True, capture_output=True
        )


def write_report(
    path: str | Path = "report.html",
    seed: int = 0,
    n: int = 5000,
    progress: bool = True,
    config: str | Path | None = None,
    format: str = "html",
) -> Path:
    """Writes the report (``format`` "html", or "pdf" through headless Chromium) and returns its path."""
    if format not in ("html", "pdf"):
        raise ParameterError(f"argument 'format': must be 'html' or 'pdf', got {format!r}")
    out = Path(path)
    page = build_report(seed=seed, n=n, progress=progress, config=config)
    if format == "pdf":
        _print_pdf(page, out)
    else:
        out.write_text(page, encoding="utf-8")
    return out.resolve()
