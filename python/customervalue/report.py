"""``customervalue report``: one self-contained HTML page, a section per analysis.

Plots are embedded as base64 PNG, so the file can be mailed or opened offline. Each section
opens with a short plain-language finding computed from the data, never written by hand.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__, datasets
from .demand import demand_curve, gabor_granger, van_westendorp


@dataclass
class Section:
    """A report section: an anchor, a title, a finding and its body (HTML)."""

    anchor: str
    title: str
    finding: str
    body: str


def _png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img alt="figure" src="data:image/png;base64,{data}">'


def _table(df: pd.DataFrame, digits: int = 3) -> str:
    return df.to_html(index=False, float_format=lambda v: f"{v:,.{digits}g}", border=0, classes="tbl")


def _overview(data: dict[str, pd.DataFrame]) -> Section:
    import matplotlib.pyplot as plt

    cust, tx, survey = data["customers"], data["transactions"], data["survey"]
    truth = cust.attrs["truth"]
    fig, axs = plt.subplots(1, 3, figsize=(13, 3.4))
    cust["monetary"].clip(upper=cust["monetary"].quantile(0.99)).plot.hist(bins=50, ax=axs[0], color="C0")
    axs[0].set(title="Total spend per customer", xlabel="monetary")
    cust["region"].value_counts().sort_index().plot.bar(ax=axs[1], color="C1")
    axs[1].set(title="Customers by region", xlabel="")
    survey["wtp"].plot.hist(bins=40, ax=axs[2], color="C2")
    axs[2].set(title="Stated willingness to pay", xlabel="wtp")
    summary = pd.DataFrame(
        {
            "dataset": ["customers", "transactions", "pricing_survey"],
            "rows": [len(cust), len(tx), len(survey)],
            "columns": [cust.shape[1], tx.shape[1], survey.shape[1]],
            "seed": [truth["seed"], tx.attrs["truth"]["seed"], survey.attrs["truth"]["seed"]],
        }
    )
    hot = cust["region"].isin(["North", "Coastal"])
    lift = cust.loc[hot, "theme_price"].mean() / cust.loc[~hot, "theme_price"].mean()
    finding = (
        f"{len(cust):,} synthetic customers in five planted behavioural clusters, {len(tx):,} purchases "
        f"from a BG/NBD process and {len(survey):,} pricing-survey respondents. Price complaints are "
        f"planted to over-index in North and Coastal: they appear {lift:.1f}x as often there."
    )
    body = _table(summary) + _png(fig)
    return Section("overview", "The sample data", finding, body)


def _demand(data: dict[str, pd.DataFrame]) -> Section:
    import matplotlib.pyplot as plt

    survey = data["survey"]
    vw = van_westendorp(survey, nms={"cheap": "intent_cheap", "expensive": "intent_expensive"}, cost=10.0)
    curve = demand_curve(survey, wtp="wtp", cost=10.0, ci=0.95, n_boot=300, seed=0)
    long = survey.melt(
        id_vars="respondent_id",
        value_vars=[c for c in survey if c.startswith("buy_at_")],
        var_name="price",
        value_name="buy",
    )
    long["price"] = long["price"].str.removeprefix("buy_at_").astype(float)
    gg = gabor_granger(long, price="price", buy="buy", respondent="respondent_id", cost=10.0)
    premium = curve.premium_test(float(vw.opp or 30.0), float(curve.profit_optimal_price or 40.0), n_boot=300)
    fig, axs = plt.subplots(1, 2, figsize=(13, 4))
    vw.plot(ax=axs[0])
    curve.plot(ax=axs[1])
    fig2, axs2 = plt.subplots(1, 2, figsize=(13, 3.6))
    vw.plot_nms(ax=axs2[0])
    gg.plot(ax=axs2[1])
    finding = (
        f"Respondents find prices between {vw.pmc:g} and {vw.pme:g} acceptable (Van Westendorp, "
        f"{vw.n_dropped} inconsistent answers dropped). Stated willingness to pay puts the revenue-optimal "
        f"price at {curve.revenue_optimal_price:g} and, at a unit cost of 10, the profit-optimal price at "
        f"{curve.profit_optimal_price:g}. {premium.summary()}"
    )
    body = (
        "<h3>Van Westendorp price points</h3>"
        + _table(vw.points)
        + "<h3>Demand, revenue and profit from stated willingness to pay</h3>"
        + _table(curve.optima)
        + _png(fig)
        + "<h3>Newton-Miller-Smith and Gabor-Granger</h3>"
        + _table(gg.table)
        + _png(fig2)
    )
    return Section("demand", "Demand curve analysis", finding, body)


def _lifetime_value(data: dict[str, pd.DataFrame]) -> Section:
    import matplotlib.pyplot as plt
    import numpy as np

    from .economics import BetaGeo, GammaGamma, customer_lifetime_value, rfm_summary

    tx = data["transactions"]
    summary = rfm_summary(tx, customer="customer_id", date="date", amount="amount", time_unit="W")
    bgnbd = BetaGeo(time_unit="W").fit(summary)
    spend = GammaGamma().fit(summary)
    clv = customer_lifetime_value(
        bgnbd, spend, summary, horizon=12, time_unit="M", discount_rate=0.01, margin=0.3
    )
    truth = tx.attrs["truth"]
    compare = pd.DataFrame(
        {
            "parameter": ["r", "alpha", "a", "b", "p", "q", "v"],
            "true": [*truth["bgnbd"].values(), *truth["gamma_gamma"].values()],
            "estimate": [*bgnbd.params_.values(), *spend.params_.values()],
        }
    )
    fig, axs = plt.subplots(1, 2, figsize=(13, 3.8))
    bgnbd.plot_frequency(summary, ax=axs[0])
    v = np.sort(clv.to_numpy())[::-1]
    share = np.cumsum(v) / v.sum()
    axs[1].plot(np.arange(1, len(v) + 1) / len(v), share)
    axs[1].plot([0, 1], [0, 1], ls="--", color="0.6")
    top20 = float(share[max(int(0.2 * len(v)) - 1, 0)])
    axs[1].set(xlabel="share of customers", ylabel="share of 12-month CLV", title="Concentration of value")
    finding = (
        f"BG/NBD and Gamma-Gamma fitted to {len(summary):,} customers' purchase logs recover the planted "
        f"parameters (table). Expected 12-month margin averages {clv.mean():,.2f} per customer, and the "
        f"top 20% of customers hold {top20:.0%} of it."
    )
    body = _table(compare) + _png(fig)
    return Section("lifetime-value", "Customer lifetime value", finding, body)


BEHAVIOUR = [
    "visits_per_month",
    "avg_order_value",
    "discount_share",
    "online_share",
    "category_breadth",
    "support_contacts",
    "return_rate",
    "days_between_orders",
]


def _segmentation(data: dict[str, pd.DataFrame]) -> Section:
    import matplotlib.pyplot as plt

    from .segmentation import cluster, compare_groupings, segment
    from .segmentation.cluster import scatter_pca

    cust = data["customers"]
    sweep = cluster(cust, features=BEHAVIOUR, k=range(2, 9), seed=0, n_init=4)
    segments = segment(cust, {"age": [35, 55], "region": None})
    cmp = compare_groupings(
        cust,
        groupings={"demographic segments": segments, "behavioural clusters": sweep},
        features=BEHAVIOUR,
        value="monetary",
    )
    agree = cmp.agreement.iloc[0]
    ve = cmp.value_explained.set_index("grouping")
    seg_eta, clu_eta = (
        ve.loc["demographic segments", "eta_squared"],
        ve.loc["behavioural clusters", "eta_squared"],
    )
    fig, axs = plt.subplots(1, 3, figsize=(14, 3.9))
    sweep.plot_sweep(ax=axs[0])
    scatter_pca(axs[1], cmp.X, cmp.labels["demographic segments"], "demographic segments")
    axs[1].legend().set_visible(False)
    scatter_pca(axs[2], cmp.X, cmp.labels["behavioural clusters"], f"k-means clusters, k = {sweep.k_}")
    finding = (
        f"k-means on eight behavioural measures picks k = {sweep.k_} by the silhouette (the data hold five "
        f"planted clusters). The clusters explain {clu_eta:.0%} of the variance in spend "
        f"against {seg_eta:.0%} "
        f"for {int(ve.loc['demographic segments', 'n_groups'])} age x region segments, and the two groupings "
        f"barely agree (adjusted Rand index {agree['adjusted_rand']:.2f})."
    )
    table = cmp.table.drop(columns=["kruskal_h"], errors="ignore")
    body = _table(table) + _png(fig) + f"<p>{html.escape(cmp.verdict)}</p>"
    return Section("segmentation", "Segments versus clusters", finding, body)


def _cx(data: dict[str, pd.DataFrame]) -> Section:
    import matplotlib.pyplot as plt

    from .metrics import ces, csat, cx_index, nps
    from .opportunity import opportunity_scores

    cust = data["customers"]
    by = "journey"
    overall = nps(cust, column="nps")
    by_journey = nps(cust, by=by, column="nps")
    sat = csat(cust, column="csat", scale=(1, 5))
    effort = ces(cust, column="effort", scale=(1, 7))
    index = cx_index(
        cust,
        ["csat", "effort", "value_rating"],
        scale={"csat": (1, 5), "effort": (1, 7), "value_rating": (1, 10)},
        reverse=["effort"],
        by="region",
        n_random=200,
    )
    opp = opportunity_scores(cust, importance="importance_", satisfaction="satisfaction_", scale=(1, 10))
    fig, axs = plt.subplots(1, 3, figsize=(15, 4.4), gridspec_kw={"width_ratios": [1, 1.15, 1]})
    by_journey.plot(ax=axs[0])
    axs[0].set_title("NPS by journey")
    index.plot(ax=axs[1])
    opp.plot(ax=axs[2])
    axs[2].set_title("Opportunity landscape")
    scores = pd.DataFrame(
        [
            {
                "metric": r.metric,
                "estimate": r.value,
                "ci_low": t["ci_low"],
                "ci_high": t["ci_high"],
                "n": t["n"],
            }
            for r in (overall, sat, effort)
            for t in [r.table.iloc[0]]
        ]
    )
    t = by_journey.table.set_index(by)["nps"]
    worst, best = t.idxmin(), t.idxmax()
    ranks = index.rank_range
    moved = int((ranks["best_rank"] != ranks["worst_rank"]).sum())
    under = opp.underserved_outcomes
    whole = index.scores
    lo, hi = overall.table[["ci_low", "ci_high"]].iloc[0]
    finding = (
        f"NPS is {overall.value:.0f} (95% interval {lo:.0f} to {hi:.0f}, n = {len(cust):,}); it is lowest "
        f"on the {worst} journey ({t[worst]:.0f}) and highest on {best} ({t[best]:.0f}). "
        f"{sat.value:.0f}% are satisfied (CSAT top-2-box) and {effort.value:.0f}% report low effort. "
        f"The 0-100 experience index averages {whole.mean():.0f}, yet {100 * (whole < 50).mean():.0f}% of "
        f"customers score below 50, and {moved} of {len(ranks)} regions change rank under other weights. "
        + (
            f"Underserved outcomes (opportunity score of 10 or more): {', '.join(under)}."
            if under
            else "No outcome reaches an opportunity score of 10 (underserved)."
        )
    )
    opp_cols = ["outcome", "importance", "satisfaction", "opportunity", "served", "quadrant"]
    body = (
        "<h3>Survey scores with 95% intervals</h3>"
        + _table(scores)
        + "<h3>Net Promoter Score by journey</h3>"
        + _table(by_journey.table[[by, "n", "pct_promoters", "pct_detractors", "nps", "ci_low", "ci_high"]])
        + _png(fig)
        + "<h3>Experience index (0-100) by region and how far its ranks move with the weights</h3>"
        + _table(
            index.table[["region", "n", "index", "ci_low", "ci_high", "pct_high", "pct_low"]].merge(ranks)
        )
        + "<h3>Opportunity scores (Ulwick)</h3>"
        + _table(opp.table[opp_cols])
    )
    return Section("cx", "Customer experience and opportunities", finding, body)


SECTIONS: list[Callable[[dict[str, pd.DataFrame]], Section]] = [
    _overview,
    _segmentation,
    _demand,
    _lifetime_value,
    _cx,
]

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em} nav{background:#f5f5f7;padding:.6em 1em;border-radius:6px}
nav ol{margin:.2em 0} section{margin-top:2.2em}
.finding{background:#eef6ee;border-left:4px solid #4a8;padding:.6em 1em;margin:.8em 0}
img{max-width:100%;height:auto;display:block;margin:1em 0}
table.tbl{border-collapse:collapse;font-size:.85em;margin:.6em 0;max-width:100%;display:block;overflow-x:auto}
table.tbl td,table.tbl th{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right}
footer{margin-top:3em;color:#777;font-size:.8em}
"""


def build_report(seed: int = 0, n: int = 5000, progress: bool = True) -> str:
    """The report as one HTML string."""
    import matplotlib

    matplotlib.use("Agg")
    from tqdm.auto import tqdm

    data = {
        "customers": datasets.customers(n, seed=seed),
        "transactions": datasets.transactions(n, seed=seed),
        "survey": datasets.pricing_survey(max(n // 5, 200), seed=seed),
    }
    sections = [make(data) for make in tqdm(SECTIONS, desc="report", disable=not progress)]
    toc = "".join(f'<li><a href="#{s.anchor}">{html.escape(s.title)}</a></li>' for s in sections)
    parts = "".join(
        f'<section id="{s.anchor}"><h2>{html.escape(s.title)}</h2>'
        f'<p class="finding">{html.escape(s.finding)}</p>{s.body}</section>'
        for s in sections
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>customervalue report</title><style>{CSS}</style></head><body>"
        f"<h1>Customer value report</h1><p>customervalue {__version__}, sample data seed {seed}.</p>"
        f"<nav><strong>Contents</strong><ol>{toc}</ol></nav>{parts}"
        "<footer>Generated by customervalue. Figures are embedded; the file is self-contained.</footer>"
        "</body></html>"
    )


def write_report(
    path: str | Path = "report.html", seed: int = 0, n: int = 5000, progress: bool = True
) -> Path:
    """Writes the report and returns its path."""
    out = Path(path)
    out.write_text(build_report(seed=seed, n=n, progress=progress), encoding="utf-8")
    return out.resolve()
