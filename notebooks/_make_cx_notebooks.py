# ruff: noqa: E501
"""Writes notebooks 01, 04 and 06 (value definitions, CX metrics, needs and opportunities).

Run from inside notebooks/: python _make_cx_notebooks.py. The test suite executes the .ipynb files."""

from _nb import notebook

notebook(
    "01_what_is_customer_value.ipynb",
    [
        """md:# 01 · What is customer value? Definitions you can compute

**The book, chapters 3 and 4.** It defines customer value more than once, and the definitions do
not agree:

* ch. 3, L2163–2165: value is *"what the customer is getting in return for what they are
  paying"*: a **ratio**, get ÷ give;
* ch. 3, L2194–2196: *"Customer value is the difference between a product or service's perceived
  benefits and costs"*: a **difference**, benefits − costs;
* ch. 4, L3000–3004: *"the value of a haircut might be $15 against the cost of $5 for the
  hairdresser"*: willingness to pay against the *seller's* cost, which is the **value created**
  by the exchange, shared between the customer and the firm;
* ch. 4, L3044–3047: *"four categories: emotional, functional, financial, and social value"*.

This notebook computes each on seeded data and shows where the choice changes the answer.""",
        """import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import customervalue as cv

rng = np.random.default_rng(1)""",
        """md:## 1. Benefits minus costs versus the get/give ratio
Take 2,000 customers with perceived benefits B and costs C in dollars (price plus the time and
effort they spend). The difference B − C says how many dollars of value a customer keeps; the ratio
B ÷ C says how much they get per dollar given. The two orders agree on the obvious cases and
disagree on the ones that matter: a large purchase with a thin margin against a small one with a
generous margin.""",
        """n = 2000
costs = np.round(rng.lognormal(np.log(120), 0.9, n), 2)             # price + time + effort, $
benefits = np.round(costs * rng.lognormal(np.log(1.25), 0.25, n), 2)  # perceived benefits, $
value = pd.DataFrame({"benefits": benefits, "costs": costs})
value["difference"] = value["benefits"] - value["costs"]   # dollars kept by the customer
value["ratio"] = value["benefits"] / value["costs"]        # dollars received per dollar given

two = pd.DataFrame({"benefits": [1000.0, 30.0], "costs": [800.0, 10.0]}, index=["A: big purchase", "B: small purchase"])
two["difference"] = two["benefits"] - two["costs"]
two["ratio"] = two["benefits"] / two["costs"]
two""",
        """md:Customer A keeps more dollars ($200 against $20); customer B gets more per dollar (3.0 against
1.25). Which one "gets more value" depends on the definition. On the whole base the two orders
broadly agree, yet they pick different customers at the top, which is where targeting happens:""",
        """rank_diff = value["difference"].rank(ascending=False)
rank_ratio = value["ratio"].rank(ascending=False)
rho = value["difference"].corr(value["ratio"], method="spearman")
top_diff = set(rank_diff.nsmallest(200).index)
top_ratio = set(rank_ratio.nsmallest(200).index)
print(f"Spearman rank correlation of difference and ratio: {rho:.2f}")
print(f"customers in the top 10% on both definitions: {len(top_diff & top_ratio) / 200:.0%}")

fig, ax = plt.subplots(figsize=(6, 4.5))
ax.scatter(rank_diff, rank_ratio, s=4, alpha=0.4)
ax.set(xlabel="rank by benefits − costs", ylabel="rank by benefits ÷ costs",
       title="The two definitions of value order customers differently");""",
        """md:**What to do:** name the definition in every report, and pick it for the decision at hand.
Targeting customers who keep the most dollars (difference) is a different campaign from targeting
those who get the best deal per dollar (ratio). The package keeps them apart as separate columns
rather than one ambiguous "customer value".

## 2. The haircut: value created, captured and left to the customer
The book's haircut is worth $15 to the customer and costs the hairdresser $5. That $10 is the
value the haircut *creates*. The price splits it: the customer keeps 15 − p (consumer surplus),
the hairdresser keeps p − 5 (margin).""",
        """prices = np.arange(5, 16)
split = pd.DataFrame({"price": prices, "customer keeps (WTP − price)": 15 - prices, "hairdresser keeps (price − cost)": prices - 5})
ax = split.set_index("price").plot.bar(stacked=True, figsize=(7, 3.8), color=["C0", "C2"])
ax.set(ylabel="$ per haircut", title="One customer: the $10 value pool, split by the price");
split.set_index("price").T""",
        """md:With many customers, each with their own willingness to pay (WTP), the price also decides
*how much* value is created: a customer whose WTP is below the price walks away, and the value
their haircut would have created is lost. Here 2,000 customers have log-normal WTP around $15.
`cv.demand_curve` gives the profit-optimal price; the chart shows the value pool at every price.""",
        """hair = pd.DataFrame({"wtp": np.round(rng.lognormal(np.log(15), 0.35, 2000), 2)})
COST = 5.0
curve = cv.demand_curve(hair, wtp="wtp", cost=COST)
grid = np.linspace(5, 30, 101)
w = np.sort(hair["wtp"].to_numpy())
pool = pd.DataFrame({
    "price": grid,
    "created": [np.sum(w[w >= p] - COST) for p in grid],
    "captured by the firm": [np.sum(w >= p) * (p - COST) for p in grid],
    "left to customers": [np.sum(w[w >= p] - p) for p in grid],
    "lost (WTP > cost, no sale)": [np.sum(w[(w > COST) & (w < p)] - COST) for p in grid],
})
ax = pool.set_index("price").plot(figsize=(7, 4))
ax.axvline(curve.profit_optimal_price, color="0.4", ls="--", label="profit-optimal price")
ax.set(ylabel="$ over 2,000 customers", title="The value pool across prices"); ax.legend(fontsize=8)
print(f"profit-optimal price: ${curve.profit_optimal_price:.2f}")
print(pool.iloc[(pool["price"] - curve.profit_optimal_price).abs().argmin()].round(0))""",
        """md:At the profit-optimal price the firm captures the largest share it can, but some value is
lost: customers who would have paid more than the cost walk away. A lower price creates more value
and leaves more of it with customers. "Capturing customer value" (the book's heading at L2998)
is therefore a trade-off between three numbers, not one.

## 3. The kinds of value
The book's four categories are attributed to an article that could not be found (L3044); other
sources give different lists. The lists overlap but are not the same:""",
        """kinds = pd.DataFrame({
    "the book (L3046)": ["functional", "emotional", "social", "financial", "—", "—"],
    "Convin (seed 004, L161–167)": ["functional", "emotional", "social", "economic", "—", "—"],
    "Sheth, Newman & Gross (1991)": ["functional", "emotional", "social", "—", "epistemic", "conditional"],
    "Sweeney & Soutar PERVAL (2001)": ["quality/performance", "emotional", "social", "price/value for money", "—", "—"],
})
kinds""",
        """md:PERVAL is the one with a validated questionnaire: four items per dimension. Each dimension is a
scale only if its items hang together (Cronbach's alpha, conventionally ≥ 0.7) and the dimensions
are distinct (correlations between scale scores well below 1). Here is that check on a seeded
simulation of 800 respondents answering 16 items, 4 per dimension (the data are simulated, not
from a real study):""",
        """dims = ["functional", "emotional", "social", "financial"]
latent_corr = np.array([[1, .4, .3, .5], [.4, 1, .5, .3], [.3, .5, 1, .2], [.5, .3, .2, 1]])
latent = rng.multivariate_normal(np.zeros(4), latent_corr, size=800)
items = {f"{d}_{k}": np.clip(np.round(4 + 1.2 * latent[:, j] + rng.normal(0, 0.9, 800)), 1, 7)
         for j, d in enumerate(dims) for k in range(1, 5)}
survey = pd.DataFrame(items)

def cronbach_alpha(block):
    k = block.shape[1]
    return k / (k - 1) * (1 - block.var(ddof=1).sum() / block.sum(axis=1).var(ddof=1))

scales = pd.DataFrame({d: survey.filter(like=d).mean(axis=1) for d in dims})
print(pd.Series({d: cronbach_alpha(survey.filter(like=d)) for d in dims}, name="Cronbach alpha").round(2))
scales.corr().round(2)""",
        """md:## What the book gets wrong, and what to do instead
* **Four definitions of value, used as if they were one.** Ratio (L2163–2165), difference
  (L2194–2196), WTP against the seller's cost (L3000–3004) and "perceived worth" (L394–396) rank
  customers differently (section 1). *Instead:* name the definition, report it as its own column,
  and keep value *to the customer* (benefits − costs, or the ratio) apart from value *created*
  (WTP − cost) and value *captured* (price − cost).
* **The haircut is value created, not customer value.** $15 − $5 is shared between the two sides;
  how it is shared depends on the price, and some of it is lost when customers walk away
  (section 2). *Instead:* show the whole pool across prices.
* **An unsourced list of value types.** The Forbes attribution at L3044 could not be checked, and
  the lists differ between sources. *Instead:* use a validated instrument (PERVAL, or Sheth et
  al.'s five values) and check reliability and distinctness before reporting scores per type.""",
    ],
)

notebook(
    "04_cx_metrics.ipynb",
    [
        """md:# 04 · Customer-experience scores, built honestly

**The book, chapters 1, 5 and 7.** It leans on scores it never defines:

* ch. 5, L4065–4071: complaint rates, *"First, call resolution rates"* (first-contact resolution)
  and *"Net Promoter Scores can measure how likely customers recommend a company to others"*;
* ch. 5, L4189–4191: *"The most practical way to quantify customer experience is to use a
  numeric score out of 100"*, followed by two pitfalls (L4203–4225) it leaves unresolved;
* ch. 7, L5073–5077: an engagement score built *"by averaging those scores across all measures
  over time"*, where the measures include daily visitors, ROI and likes;
* ch. 1, L1014–1016: engagement as *"a leading indicator of future behavior, such as loyalty or
  retention"*.

Here each score gets its formula, its interval and its failure modes, with `cv.metrics`.""",
        """import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import customervalue as cv

pd.set_option("display.precision", 3)
customers = cv.datasets.customers(n=5000, seed=0)
m = cv.metrics""",
        """md:## 1. Net Promoter Score with its interval
NPS = % promoters (9–10) − % detractors (0–6). Every answer counts +1, 0 or −1, so its standard
error follows from the multinomial variance: SE = 100·√((p_P + p_D − (p_P − p_D)²)/n). With 500
to 800 respondents per region, the intervals are about ±6 points wide: differences smaller than
that are noise.""",
        """nps = m.nps(customers, column="nps", by="region")
print(nps.summary())
nps.plot();""",
        """md:A bootstrap of one region confirms the formula (1,000 resamples, seeded):""",
        """north = customers.loc[customers["region"] == "North", "nps"].to_numpy()
boot_rng = np.random.default_rng(0)
boot = [m.nps(boot_rng.choice(north, north.size)).value for _ in range(1000)]
print(f"formula SE {nps.table.set_index('region').loc['North', 'se']:.2f}, bootstrap SE {np.std(boot):.2f}")""",
        """md:## 2. CSAT, effort and first-contact resolution
CSAT is the top-2-box share of a 1–5 satisfaction item; the customer effort score (CES) here is the
share answering 1–3 on a 1–7 effort question (higher = more effort). Both are proportions, so
their intervals are Wilson score intervals (good at small n and near 0% or 100%).""",
        """csat = m.csat(customers, column="csat", by="product")
ces = m.ces(customers, column="effort", by="channel", scale=(1, 7), easy=3)
fig, axs = plt.subplots(1, 2, figsize=(11, 3.6))
csat.plot(ax=axs[0]); ces.plot(ax=axs[1]); plt.tight_layout()
csat.table.round(1)""",
        """md:First-contact resolution needs a table of cases, one row per case that needed resolving. The
customer data have no case log, so here is a seeded one: 3,000 cases over three support channels,
with the number of contacts each took.""",
        """case_rng = np.random.default_rng(4)
channel = case_rng.choice(["phone", "chat", "email"], 3000, p=[0.4, 0.35, 0.25])
p_first = pd.Series({"phone": 0.72, "chat": 0.66, "email": 0.55})[channel].to_numpy()
contacts = np.where(case_rng.random(3000) < p_first, 1, 1 + case_rng.geometric(0.5, 3000))
cases = pd.DataFrame({"channel": channel, "contacts": contacts})
fcr = m.first_contact_resolution(cases, contacts="contacts", by="channel")
fcr.table.round(1)""",
        """md:## 3. Churn and retention with a denominator
The book calls churn *"how many customers cancel or stop using a product or service within a
given time"* (L980–982): a count with no denominator. A rate divides by the customers **at risk
at the start of each period**. In a purchase log nobody cancels, so churn needs a stated rule: here,
three whole months without a purchase. Customers whose last months are not yet observed stay at
risk (censored) rather than being counted as lost.""",
        """tx = cv.datasets.transactions(n_customers=3000, seed=0)
churn = m.churn_rate(tx, customer="customer_id", date="date", period="M", inactivity=3)
print(churn.summary())
churn.plot();
churn.table.head(6)""",
        """md:## 4. A score out of 100, and the two pitfalls the book names
`cx_index` rescales each item to 0–100 and takes a weighted mean. It reports the distribution
(quartiles, the share at 80+ and below 50), n and an interval beside the mean, and recomputes the
segment ranking under other weightings.""",
        """items = ["csat", "effort", "value_rating", "nps"]
scales = {"csat": (1, 5), "effort": (1, 7), "value_rating": (1, 10), "nps": (0, 10)}
cx = m.cx_index(customers, items, scale=scales, reverse=["effort"],
                item_weights={"csat": 0.4, "effort": 0.2, "value_rating": 0.2, "nps": 0.2}, by="region", seed=0)
print(cx.summary())
cx.table.round(1)""",
        """md:**Pitfall 2 (L4215–4225): the weights hide trade-offs.** Each line is a region's rank under one
weighting; crossing lines are rank flips. `rank_range` gives every region's best and worst rank
over the named weightings and 200 random ones.""",
        """cx.plot();
cx.rank_range""",
        """md:**Pitfall 1 (L4203–4211): high marks need not mean many satisfied customers.** Two simulated
companies (seeded): A has 150 customers who all rate it 4 or 5 out of 5; B has 1,500 customers with
mixed ratings. A has the higher score out of 100; B has far more satisfied customers. A score
out of 100 answers "how good, on average, for those asked", not "for how many".""",
        """sim = np.random.default_rng(2)
a = pd.DataFrame({"company": "A", "sat": sim.choice([4, 5], 150, p=[0.4, 0.6])})
b = pd.DataFrame({"company": "B", "sat": sim.choice([1, 2, 3, 4, 5], 1500, p=[0.1, 0.1, 0.1, 0.2, 0.5])})
two = pd.concat([a, b], ignore_index=True)
pit = m.cx_index(two, ["sat"], scale=(1, 5), by="company", n_simulations=0)
sat = m.csat(two, column="sat", by="company")
pit.table[["company", "n", "index", "ci_low", "ci_high", "pct_low"]].merge(
    sat.table[["company", "count", "csat"]].rename(columns={"count": "satisfied customers", "csat": "CSAT %"}), on="company")""",
        """md:## 5. The engagement score: the book's average against an index done right
The book averages measures in different units. To test the *leading indicator* claim we need an
outcome after the measures: the data have no later churn, so we plant one, seeded, driven by
visits, frequency and category breadth (and not by spend), as a teaching device.""",
        """eng = customers.copy()


def z(s):
    return (s - s.mean()) / s.std()


plant = np.random.default_rng(5)
logit = -1.0 - 0.8 * z(eng["visits_per_month"]) - 0.6 * z(np.log1p(eng["frequency"])) - 0.5 * z(eng["category_breadth"])
eng["churned_later"] = (plant.random(len(eng)) < 1 / (1 + np.exp(-logit))).astype(int)
print(f"planted later churn: {eng['churned_later'].mean():.1%}")""",
        """measures = ["visits_per_month", "frequency", "category_breadth", "monetary"]
naive = m.engagement_index(eng, measures, method="book_naive", validate_against="churned_later")
print(naive.summary())
naive.plot();""",
        """md:The plain average is the spend column in disguise: spend is measured in dollars (thousands per
customer) and carries almost all of its variance. It predicts churn only as far as spend happens to
move with purchase frequency; its AUC is close to that of spend alone:""",
        """spend_only = m.engagement_index(eng, ["monetary"], normalize="z", validate_against="churned_later")
print(f"AUC of the book's average {naive.auc:.3f}; of spend alone {spend_only.auc:.3f}")""",
        """md:Normalising first and choosing the weights openly fixes that. Each AUC comes with its
Hanley-McNeil standard error; the supervised weights are fitted on one half of the customers and
validated on the other, so their AUC is not flattered by fitting:""",
        """runs = {
    "book_naive (raw average)": naive,
    "z-scores, equal weights": m.engagement_index(eng, measures, normalize="z", validate_against="churned_later"),
    "z-scores, first principal component": m.engagement_index(eng, measures, normalize="z", item_weights="pca", validate_against="churned_later"),
    "min-max, supervised (held-out half)": m.engagement_index(eng, measures, normalize="minmax", item_weights="supervised", validate_against="churned_later", seed=0),
}
pd.DataFrame({name: {"AUC": r.auc, "AUC SE": r.auc_se, "largest variance share": r.table["variance_share"].max()} for name, r in runs.items()}).T.round(3)""",
        """runs["z-scores, equal weights"].plot();""",
        """md:## What the book gets wrong, and what to do instead
* **NPS, CSAT and FCR are named but not defined** (L4065–4071), and "First, call resolution" is a
  garbled first-contact resolution. *Instead:* state the formula, report n and an interval
  (multinomial SE for NPS, Wilson for shares), and compare segments only when intervals allow.
* **Churn without a denominator** (L980–982). *Instead:* churned ÷ at risk at the start of each
  period, per cohort, with an explicit period and, for purchase logs, an explicit inactivity rule.
* **"A numeric score out of 100" is called the most practical and "objective" measure**
  (L4189–4191, L4235–4237), yet its weights are subjective and its mean hides the distribution.
  *Instead:* report the distribution, n and an interval with the index, and show how rankings
  move with the weights (`rank_range`).
* **The engagement score averages raw measures in different units** (L5075–5077), so the measure
  with the largest scale decides. *Instead:* normalise, choose weights openly (equal, principal
  component or supervised on a held-out half), and validate against later churn: the AUC is the
  test of the book's own "leading indicator" claim (L1014–1016). ROI is a firm-level number and
  does not belong in a per-customer index.""",
    ],
)

notebook(
    "06_needs_gaps_opportunities.ipynb",
    [
        """md:# 06 · Needs, gaps and opportunities

**The sources.** The Cornfield article (seed 003) proposes *"Customer Performance Indicators
(CPIs)"* (L7), which measure the value produced *for* the customer, as against KPIs, which measure
what customers produce for us. It suggests outcome-driven innovation (ODI): *"break down the
customers' jobs (what they are trying to do) into smaller desirable outcomes"* (L15), with
*"reduction in 'time-through-sales-funnel'"* as a measurable example. The book asks companies to
*"take an inventory of what their customers want and how well current solutions meet these
needs"* (ch. 4, L3095–3097) and to *"Conduct a gap analysis"* (ch. 6, L4365–4367), prioritised
*"based on the potential impact on your customers and your business"* (L4381–4383), without a
scoring rule.

This notebook uses the standard rules: Ulwick's opportunity score, importance-performance
quadrants (Martilla & James 1977), gaps to a target and a competitor, and a CPI measured as time
to outcome.""",
        """import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import customervalue as cv

customers = cv.datasets.customers(n=5000, seed=0)
truth = customers.attrs["truth"]
print("outcomes:", truth["outcomes"])
print("planted as underserved:", truth["underserved_outcomes"])""",
        """md:## 1. Opportunity scores
Each customer rated the importance of eight desired outcomes and their satisfaction with each, on
1–10. For each outcome, importance I and satisfaction S are top-box shares scaled 0–10, and

  opportunity = I + max(I − S, 0).

Ulwick counts the top 2 boxes of a 5-point scale; on this 10-point scale the default carries that
over as the top 40% of the points (7–10). Scores of 10 or more mark an underserved outcome.""",
        """opp = cv.opportunity_scores(customers)
print(opp.summary())
opp.table[["outcome", "importance", "satisfaction", "opportunity", "opportunity_low", "opportunity_high", "served", "quadrant"]].round(2)""",
        """opp.plot();""",
        """md:The two planted underserved outcomes come out on top, with intervals clear of the rest. The
box cut is a choice, and it matters: with the literal top-2-box of a 10-point scale (9–10 only),
few customers reach the top boxes and `easy_setup` drops down the ranking.""",
        """top2 = cv.opportunity_scores(customers, top=2)
pd.DataFrame({
    "rank, top 40% (7-10)": opp.table.set_index("outcome")["rank"],
    "rank, top 2 boxes (9-10)": top2.table.set_index("outcome")["rank"],
}).sort_values("rank, top 40% (7-10)")""",
        """md:By product, the same picture holds everywhere; segments differ in degree, not in kind:""",
        """by_product = cv.opportunity_scores(customers, by="product")
by_product.table.pivot(index="outcome", columns="product", values="opportunity").round(1)""",
        """md:## 2. Importance-performance quadrants, and where they disagree with ODI
Importance-performance analysis cuts the same chart at the mean importance and mean satisfaction.
It puts `easy_setup`, which is planted as underserved, in "low priority", because its importance
is below the average of all outcomes. The opportunity score counts the gap as well as importance, so
it does not miss it. The quadrant depends on where the lines are drawn; the opportunity score
does not.""",
        """pd.crosstab(opp.table["outcome"], [opp.table["quadrant"], opp.table["served"]])""",
        """md:## 3. Gap analysis: to a target and to a competitor
The book compares *"the outcomes your program or service is currently achieving and those you'd
like to achieve"* (L4383–4385) and the competitors' offerings (L4369–4373). With a target
satisfaction of 6 out of 10 on every outcome, and a competitor rated by the same respondents
(simulated here, seeded: better at support, worse at price), each gap is in points on the 0–10
scale; positive means we fall short.""",
        """crng = np.random.default_rng(3)
shift = {"responsive_support": 2.0, "easy_setup": 1.0, "low_price": -1.5}
for o in truth["outcomes"]:
    customers[f"competitor_{o}"] = np.clip(
        customers[f"satisfaction_{o}"] + shift.get(o, 0.0) + crng.normal(0, 1.0, len(customers)).round(), 1, 10
    ).astype(int)
gaps = cv.opportunity_scores(customers, target=6.0, competitor="competitor_")
g = gaps.table.set_index("outcome")[["opportunity", "satisfaction", "gap_to_target", "gap_to_competitor"]]
ax = g[["gap_to_target", "gap_to_competitor"]].sort_values("gap_to_target").plot.barh(figsize=(7, 4))
ax.axvline(0, color="0.4", lw=0.8); ax.set(xlabel="points short of the target / competitor (0-10 scale)")
g.round(2)""",
        """md:Prioritising by *"potential impact"* needs a number for it. A simple, stated rule: priority =
importance × the gap, so that a large gap on an outcome nobody cares about ranks low.""",
        """g = gaps.table.set_index("outcome")
priority = (g["importance"] * g["gap_to_target"].clip(lower=0)).sort_values(ascending=False).rename("importance x gap to target")
priority.round(1)""",
        """md:## 4. A customer performance indicator: time through the funnel
Cornfield's example CPI is the time a customer spends getting through the sales funnel. It is a
time to an outcome, with the usual trap: quotes that have not converted *yet* are not failures.
Treating "quote → policy bound" as the event, `cv.metrics.retention` gives per monthly cohort the
share of quotes still waiting, with censoring handled; 1 minus that is the cumulative conversion.
The quotes are simulated (seeded): a process change on 1 April halves the typical waiting time.""",
        """qrng = np.random.default_rng(8)
n = 3000
quoted = pd.Timestamp("2024-01-01") + pd.to_timedelta(qrng.integers(0, 180, n), unit="D")
after = quoted >= pd.Timestamp("2024-04-01")
days = np.where(after, qrng.exponential(12, n), qrng.exponential(25, n))
converts = qrng.random(n) < 0.7
bound = pd.Series(quoted + pd.to_timedelta(days.round(), unit="D")).where(converts)
quotes = pd.DataFrame({"quote_id": range(n), "quoted": quoted, "bound": bound})
waiting = cv.metrics.retention(quotes, customer="quote_id", start="quoted", end="bound", period="W",
                               observation_end="2024-07-31")
curves = waiting.survivor()
first_week = waiting.table[waiting.table["period"] == 3].assign(converted_by_week_4=lambda d: 1 - d["retention"])
first_week.groupby(first_week["cohort"].dt.start_time >= "2024-04-01")["converted_by_week_4"].mean().rename(
    index={False: "before the change", True: "after the change"}).round(3)""",
        """ax = waiting.plot()
ax.set(ylabel="share of quotes not yet bound", title="Quotes still waiting, by weekly cohort of quote")
ax.get_legend().remove() if ax.get_legend() else None""",
        """md:## What the book gets wrong, and what to do instead
* **No scoring rule for needs and gaps.** The inventory of needs (L3095–3097) and the gap analysis
  (L4365–4385) stop at "compare" and "prioritise". *Instead:* top-box importance and satisfaction
  per outcome, Ulwick's opportunity score with an interval, and gaps in stated units, with the box
  cut reported because it changes the ranking.
* **Quadrants alone mislead.** Mean-cut quadrants can file an underserved outcome under "low
  priority" (section 2). *Instead:* read the quadrant together with the opportunity score.
* **"Potential impact" is left undefined** (L4381–4383). *Instead:* state the rule (here importance ×
  gap; better, the outcome's estimated effect on retention or spend).
* **CPIs need care as times to an outcome.** Time through the funnel is censored: open quotes are
  not failures. *Instead:* survival curves per cohort, as above, and before/after comparisons
  with cohorts, not a single average.""",
    ],
)
