# ruff: noqa: E501
"""Writes the walk-through notebooks from the cells below (run: python notebooks/_make_notebooks.py).

Keeping the source here makes review easy; the test suite executes the .ipynb files."""

from _nb import notebook

notebook(
    "00_quickstart.ipynb",
    [
        """md:# 00 · Quickstart: the sample data and the three table libraries

customervalue ships seeded synthetic data with the truth it was drawn from, and the real CDNOW
purchase data. Every analysis takes a pandas DataFrame, a polars DataFrame or a pyarrow Table;
this notebook loads each dataset, shows the planted truth, and passes the same data in all three
forms.""",
        """import json
import pandas as pd
import polars as pl
import pyarrow as pa
import customervalue as cv

customers = cv.datasets.customers(n=5000, seed=0)
customers.head()""",
        """md:## The planted truth
Each synthetic frame carries the parameters it was drawn from in `df.attrs["truth"]`: five
behavioural clusters with known weights, themes in the comments with known lifts, and known
effects of each theme on the value rating.""",
        """truth = customers.attrs["truth"]
print(truth["clusters"], truth["cluster_weights"])
print(json.dumps(truth["theme_lifts"]["price"], indent=1))
pd.crosstab(customers["true_cluster"], customers["product"], normalize="index").round(2)""",
        """md:Simple statistics already show what was planted: price complaints over-index in North and
Coastal (planted lift 2.2) and among customers spending below the median (1.8).""",
        """hot = customers["region"].isin(["North", "Coastal"])
low = customers["monetary"] < customers["monetary"].median()
rates = customers.groupby([hot.rename("north_or_coastal"), low.rename("low_spender")])["theme_price"].mean()
rates.unstack().round(3)""",
        """transactions = cv.datasets.transactions(n_customers=2000, seed=0)
print(transactions.attrs["truth"]["bgnbd"], transactions.attrs["truth"]["gamma_gamma"])
transactions.head()""",
        """survey = cv.datasets.pricing_survey(n=1000, seed=0)
print(survey.attrs["truth"]["wtp_median"], survey.attrs["truth"]["segments"])
survey.head()""",
        """cdnow = cv.datasets.cdnow()
print(len(cdnow), "CDNOW customers;", len(cv.datasets.cdnow_transactions()), "transactions")
cdnow.describe().round(2)""",
        """md:## One call, three libraries
The same survey as pandas, polars and pyarrow gives the same demand curve: each crosses into
Rust as Arrow, with no per-row Python work.""",
        """as_polars = pl.from_pandas(survey)
as_arrow = pa.Table.from_pandas(survey)
results = [cv.demand_curve(data, wtp="wtp", cost=10) for data in (survey, as_polars, as_arrow)]
assert all(r.table.equals(results[0].table) for r in results)
results[0]""",
        """md:## Notebook conveniences
`%load_ext customervalue` adds a `df.cv` accessor, so any function that takes a DataFrame first
can be called on the frame itself; results render as tables.""",
        """%load_ext customervalue
survey.cv.van_westendorp(nms={"cheap": "intent_cheap", "expensive": "intent_expensive"})""",
        """md:## Errors name the column
Bad input raises `cv.InputError` (a `ValueError`) saying which column and what is wrong.""",
        """try:
    cv.demand_curve(survey, wtp="willingness")
except cv.InputError as e:
    print("InputError:", e)
try:
    cv.demand_curve(survey.assign(wtp=-survey["wtp"]), wtp="wtp")
except cv.InputError as e:
    print("InputError:", e)""",
    ],
)

notebook(
    "09_demand_curve_analysis.ipynb",
    [
        """md:# 09 · Demand curve analysis: from a seller-chosen range to evidence

**The book, chapter 8 (Pricing, Strategies & Assumptions).** It offers two ways to a fair price.
The first (L5549–5551): *"just set a minimum and maximum price range at which you want to offer
your product."* — and (L5555) *"If the price falls within these two ranges, then it's accurate."*
The second (L5557–5563) is what the author calls *"demand curve analysis, or DCA"*, which should
*"help determine whether or not charging more than market-value pricing is worth it"*. DCA is
never defined.

This notebook makes both rigorous on `cv.datasets.pricing_survey()`: where customers draw the
range (Van Westendorp), how many would buy at each price (NMS, Gabor-Granger, stated WTP), the
revenue- and profit-optimal prices with intervals, and whether a premium pays.""",
        """import numpy as np
import pandas as pd
import customervalue as cv

survey = cv.datasets.pricing_survey(n=2000, seed=0)
UNIT_COST = 10.0
survey.head()""",
        """md:## 1. Why a seller-chosen range proves nothing
If the seller picks the minimum and the maximum, any price inside "passes": the test only checks
the seller against the seller. Customers' answers can draw the range instead.""",
        """seller_range = (25, 90)   # what a seller might pick
print("Every price from", seller_range[0], "to", seller_range[1], "passes the book's test, whatever customers think.")""",
        """md:## 2. Van Westendorp: the range customers draw
Each respondent names a price that is too cheap, a bargain, getting expensive and too expensive.
Inconsistent respondents are dropped and counted. The acceptable range runs from the point of
marginal cheapness (PMC) to the point of marginal expensiveness (PME); both published
conventions are computed in every analysis: `range=` picks the one `.pmc` and `.pme` report,
and `.acceptable_range(range="original" | "narrower")` reads either.""",
        """vw = cv.van_westendorp(survey, ci=0.95, n_boot=300, seed=1)
print(vw.summary())
vw.plot();""",
        """pd.DataFrame({c: vw.acceptable_range(range=c) for c in ["original", "narrower"]}, index=["PMC", "PME"])""",
        """md:## 3. Newton-Miller-Smith: from a range to purchase probabilities
The NMS questions ask how likely a respondent is to buy at their own cheap and expensive prices.
Calibrated intents give each respondent a purchase-probability curve; averaging them gives reach,
and price × reach gives revenue, optimised exactly on the piecewise-linear curve.""",
        """nms = cv.van_westendorp(
    survey,
    nms={"cheap": "intent_cheap", "expensive": "intent_expensive",
         "calibration": {5: 0.7, 4: 0.5, 3: 0.3, 2: 0.1, 1: 0.0}},
    cost=UNIT_COST,
)
print("reach-optimal", round(nms.nms_reach_optimal_price, 2),
      "| revenue-optimal", round(nms.nms_revenue_optimal_price, 2),
      "| profit-optimal", round(nms.nms_profit_optimal_price, 2))
nms.plot_nms();""",
        """md:## 4. Gabor-Granger: buy or not at each price of a ladder
Answers come in long format. A respondent who buys at a higher price after refusing a lower one
is non-monotone; the rule used is stated and they are counted.""",
        """long = survey.melt(id_vars="respondent_id", value_vars=[c for c in survey if c.startswith("buy_at_")],
                   var_name="price", value_name="buy")
long["price"] = long["price"].str.removeprefix("buy_at_").astype(float)
gg = cv.gabor_granger(long, price="price", buy="buy", respondent="respondent_id", cost=UNIT_COST)
print(gg.summary())
gg.table""",
        """gg.plot();""",
        """gg.plot_elasticity(kind="arc");""",
        """md:A logistic price-response model smooths the ladder into a continuous curve with a closed-form
optimum: c + (1 + W(exp(-(a + b c) - 1))) / b.""",
        """fit = cv.fit_price_response(gg.table.assign(n=gg.n), price="price", quantity="share", model="logit", weights="n")
print(fit.summary())
print("profit-optimal price:", round(fit.optimal_price(cost=UNIT_COST), 2))
fit.conf_int()""",
        """md:## 5. The demand curve of stated willingness to pay, and its optimum
D(p) is the share willing to pay at least p: an exact step function. Revenue and profit are
optimised over the stated prices, with bootstrap bands.""",
        """curve = cv.demand_curve(survey, wtp="wtp", cost=UNIT_COST, ci=0.95, n_boot=500, seed=2)
print(curve.summary())
curve.plot();""",
        """md:## 6. Is charging more than market value worth it?
The book's question, answered as a difference in profit with a confidence interval. Here the
"market value" is the Van Westendorp optimal price point and the premium is 20% above it.""",
        """market = vw.opp
test = curve.premium_test(market, round(market * 1.2), n_boot=1000)
print(test.summary())
test.table""",
        """md:## 7. Curves by segment
One call computes a curve per segment; the optima differ, which is the case for price
discrimination with fences.""",
        """by_seg = cv.demand_curve(survey, wtp="wtp", by="segment", cost=UNIT_COST)
print(by_seg.profit_optimal_price)
by_seg.plot();""",
        """md:## 8. Where our price sits among competitors
A price index replaces the seller-chosen range with a fact about the market.""",
        """pos = cv.price_position(curve.profit_optimal_price, {"Alpha": 39.0, "Beta": 45.0, "Gamma": 52.0, "Delta": 60.0})
print(pos.summary())
pos.plot();""",
        """md:## What the book gets wrong, and what to do instead
* **The min/max range is circular** (L5549–5555): the seller sets it and then tests the seller's
  own price against it. Use a range customers draw — Van Westendorp's PMC to PME — next to a cost
  floor; report which convention you used, since the two differ.
* **DCA is named, never defined** (L5557): define it as estimating q(p) (stated WTP, Gabor-Granger,
  NMS, or a fitted price-response model), then optimising revenue p·q(p) or profit (p − c)·q(p)
  with intervals. The objective matters: the revenue- and profit-optimal prices differ.
* **"Is charging more worth it?"** (L5561–5563) is a question about a difference in profit under
  uncertainty: answer it with Δπ and its bootstrap interval, not with a snapshot.
* Stated answers overstate willingness to pay (hypothetical bias); calibrate NMS intents and,
  where possible, check against price experiments.""",
    ],
)

notebook(
    "02_lifetime_value.ipynb",
    [
        """md:# 02 · Customer lifetime value: three definitions, two models, one honest comparison

**The book, chapter 1.** It defines customer lifetime value three ways that do not agree:
* L422–424: *"the total amount of money a customer is expected to spend on a product or service
  throughout their lifetime"* (revenue);
* L899–901: *"CLV measures the net profit attributed to a customer's future relationship"*
  (profit, with acquisition cost, churn and order value as factors, L903–905);
* L972–974: the average spend per transaction times *"the number of transactions a customer
  makes over their lifetime"*.

This notebook computes all three on the same customers, then replaces the guesswork about
"lifetime" with the probabilistic models that estimate it: BG/NBD and Gamma-Gamma on the real
CDNOW data (with a calibration/holdout check), and the shifted-beta-geometric model for a
contractual cohort.""",
        """import numpy as np
import pandas as pd
import customervalue as cv

MARGIN = 0.30            # gross margin on revenue
MONTHLY_DISCOUNT = 0.01  # discount rate per month""",
        """md:## 1. The simple formulas
With average purchase value, purchases per year, margin and an annual churn rate, the textbook
formula is m / churn; the discounted form, with retention r = 1 − churn and margin received at
the end of each year, is m·r / (1 + d − r).""",
        """cv.simple_clv(average_purchase_value=60, purchase_frequency=4, margin=MARGIN, churn_rate=0.25), \
cv.simple_clv(average_purchase_value=60, purchase_frequency=4, margin=MARGIN, churn_rate=0.25, discount_rate=0.10)""",
        """md:## 2. BG/NBD and Gamma-Gamma on CDNOW
The CDNOW summary of Fader & Hardie: 2,357 customers observed for 39 weeks. The fit reproduces
the published estimates (r = 0.243, α = 4.414, a = 0.793, b = 2.426; log-likelihood −9582.43).""",
        """cdnow = cv.datasets.cdnow()
bgnbd = cv.BetaGeo(time_unit="W").fit(cdnow)
spend = cv.GammaGamma().fit(cdnow)
print(bgnbd.summary())
print(spend.summary())
bgnbd.conf_int()""",
        """bgnbd.plot_frequency(cdnow);""",
        """bgnbd.plot_probability_alive_matrix(max_frequency=25);""",
        """md:A customer with 2 repeat purchases, the last in week 30.43 of 38.86, is expected to buy
1.226 times in the next 39 weeks:""",
        """one = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]})
bgnbd.conditional_expected_purchases(39, one)""",
        """md:## 3. Calibration and holdout on the full transaction log
Fit on the first 39 weeks, forecast the next 39, and compare with what happened.""",
        """log = cv.datasets.cdnow_transactions()
split = cv.rfm_summary(log, "customer_id", "date", "amount", calibration_end="1997-09-30",
                       observation_end="1998-06-30", time_unit="W")
calibrated = cv.BetaGeo().fit(split)
predicted = calibrated.conditional_expected_purchases(split["duration_holdout"].iloc[0], split)
print("total predicted", round(predicted.sum()), "actual", int(split["frequency_holdout"].sum()))
calibrated.plot_calibration_holdout(split);""",
        """md:## 4. The three book definitions against the model, on the same customers
Twelve months ahead: revenue (definition 1), margin (definition 2), and order value × expected
number of orders (definition 3, with the count from BG/NBD, so it equals definition 1 here).""",
        """clv_revenue = cv.customer_lifetime_value(bgnbd, spend, cdnow, horizon=12, time_unit="M", discount_rate=MONTHLY_DISCOUNT)
clv_profit = cv.customer_lifetime_value(bgnbd, spend, cdnow, horizon=12, time_unit="M",
                                        discount_rate=MONTHLY_DISCOUNT, margin=MARGIN)
orders = bgnbd.conditional_expected_purchases(52, cdnow)
aov = spend.conditional_expected_spend(cdnow)
table = pd.DataFrame({"revenue_clv": clv_revenue, "profit_clv": clv_profit, "aov_x_orders": aov * orders})
table.describe().round(2)""",
        """md:Estimates come with uncertainty: intervals from the parameters' sampling distribution.""",
        """cv.customer_lifetime_value(bgnbd, spend, cdnow.head(10), horizon=12, time_unit="M",
                           discount_rate=MONTHLY_DISCOUNT, margin=MARGIN, ci=0.9, n_simulations=200, seed=0).round(2)""",
        """md:The definitions differ by a factor (margin) and by discounting, but rank customers alike;
the book's historical "total spend" does not:""",
        """historic = cdnow["monetary_value"] * cdnow["frequency"]
pd.DataFrame({"model CLV": clv_profit, "historic spend": historic}).corr(method="spearman").round(3)""",
        """md:## 5. A Lorenz curve of value
How concentrated is future value?""",
        """import matplotlib.pyplot as plt

v = np.sort(clv_profit.to_numpy())[::-1]
share = np.cumsum(v) / v.sum()
top20 = share[int(0.2 * len(v)) - 1]
fig, ax = plt.subplots()
ax.plot(np.arange(1, len(v) + 1) / len(v), share)
ax.plot([0, 1], [0, 1], ls="--", color="0.6")
ax.set(xlabel="share of customers (most valuable first)", ylabel="share of 12-month CLV",
       title=f"Top 20% hold {top20:.0%} of expected value");""",
        """md:## 6. A contractual cohort: the shifted-beta-geometric model
Fader & Hardie's (2007) "regular" customers, survivors per 1,000 over seven years.""",
        """sbg = cv.ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
print(sbg.summary())
print("retention by year:", np.round(sbg.retention(np.arange(1, 8)), 3))
print("discounted expected residual lifetime of a new customer at 10%:",
      round(float(sbg.discounted_expected_residual_lifetime(0.10, renewals=0)[0]), 3), "years")
sbg.plot(periods=13);""",
        """md:## What the book gets wrong, and what to do instead
* **Three incompatible definitions** (L422–424, L899–901, L972–974). Name the one you use:
  revenue or margin, historical or expected, discounted or not, over which horizon.
* **"Lifetime" is not observed.** Customers of a non-contractual business do not announce that
  they have left; estimate it (BG/NBD, Pareto/NBD) instead of assuming a churn rate.
* **A constant churn rate overstates early losses and understates late value**: retention rises
  with tenure because the customers most likely to leave leave first (the sBG fit above).
* **Check forecasts out of sample**: the calibration/holdout comparison is the evidence a CLV
  number deserves.""",
    ],
)

notebook(
    "07_value_map_vs_economic_value.ipynb",
    [
        """md:# 07 · Customer value mapping versus economic value modelling

**The book, chapter 8.** L5404–5406: *"Customer value mapping is a qualitative approach that looks
at the perceived value of a product or service from the customer's perspective."* L5416–5418:
*"Economic value modeling is a quantitative approach that uses financial data to calculate a
product's or service's monetary value."*

Neither is what the book says. Gale's customer value map is quantitative: attribute weights,
ratings and prices give a market-perceived quality score and a relative price. Nagle's economic
value estimation prices the differences from the next-best alternative. This notebook runs both
on one product and shows why a value map, which anchors on the competitors' prices, tends to
underprice differentiation.""",
        """import pandas as pd
import customervalue as cv""",
        """md:## 1. The value map
Customers weight five attributes (summing to 100) and rate three brands on each.""",
        """profile = pd.DataFrame({
    "attribute": ["accuracy", "speed", "support", "integrations", "ease of use"],
    "weight": [40, 30, 10, 5, 15],
    "Ours": [9.0, 8.0, 7.5, 7.0, 8.0],
    "Rival A": [6.0, 6.5, 7.0, 7.5, 7.0],
    "Rival B": [5.0, 5.5, 6.0, 6.0, 6.5],
})
prices = {"Ours": 120.0, "Rival A": 100.0, "Rival B": 80.0}
vmap = cv.value_map(profile, ours="Ours", prices=prices)
print(vmap.summary())
vmap.table.round(1)""",
        """vmap.plot();""",
        """md:The price that would put us on the fair-value (parity) line is our quality score times the
competitors' average price: what the value map says we "can" charge.""",
        """competitor_mean = (prices["Rival A"] + prices["Rival B"]) / 2
parity_price = vmap.quality_score / 100 * competitor_mean
round(parity_price, 2)""",
        """md:## 2. Economic value estimation
The customer's next-best alternative is Rival A at 100. Our differences are worth money to the
customer: fewer errors, time saved, less support effort; switching costs them something.""",
        """drivers = pd.DataFrame({
    "driver": ["fewer costly errors", "analyst time saved", "less support effort", "switching cost"],
    "value": [45.0, 30.0, 10.0, -15.0],
})
eve = cv.economic_value(drivers, reference_value=prices["Rival A"], cost_floor=35.0)
print(eve.summary())
eve.plot();""",
        """md:## 3. What each method implies for the price""",
        """pd.Series({
    "current price": prices["Ours"],
    "value-map parity price": round(parity_price, 2),
    "economic value (ceiling)": eve.economic_value,
    "cost floor": 35.0,
}).to_frame("price")""",
        """md:## What the book gets wrong, and what to do instead
* **Value mapping is not qualitative.** It is a weighted score and a price ratio; compute it, with
  the weights and ratings that customers (not managers) give.
* **The two methods answer different questions.** The value map positions you against
  competitors' *prices*; economic value estimation prices your *differences* for a customer who
  would otherwise buy the next-best alternative. When differentiation is large, anchoring on
  competitors' prices leaves money on the table (Smith & Nagle's argument).
* Use both: the value map to see where you stand, the economic value as the ceiling of a
  value-based price range whose floor is your cost.""",
    ],
)

notebook(
    "08_value_quantification.ipynb",
    [
        """md:# 08 · Quantifying value: discover, select, quantify, share

**The book, chapter 8.** L5665–5667: *"The steps to building a shared understanding with the
customer are discovery, selecting, quantifying, and sharing value."* L5675–5677: quantifying means
*"calculating the cost savings, increased efficiency, or other benefits of the solution."* And
L1164–1166 admits *"It's hard to put a number on customer satisfaction or time savings."*

Time savings are hours × the value of an hour; risk reduction is probability × loss; uncertainty
is a range, carried through by simulation.""",
        """import pandas as pd
import customervalue as cv""",
        """benefits = pd.DataFrame({
    "name": ["analyst hours saved", "fewer stock-outs", "faster month-end close"],
    "value": [120 * 55.0, 0.05 * 80_000, 6_000.0],   # hours x rate, probability x loss, direct saving
    "low": [80 * 55.0, 0.02 * 80_000, 3_000.0],
    "high": [160 * 55.0, 0.08 * 80_000, 9_000.0],
})
costs = pd.DataFrame({
    "name": ["licence", "implementation", "training"],
    "value": [9_000.0, 15_000.0, 2_000.0],
    "upfront": [False, True, True],
    "low": [9_000.0, 12_000.0, 1_500.0],
    "high": [9_000.0, 25_000.0, 3_000.0],
})
result = cv.value_quantification(benefits, costs, discount_rate=0.08, horizon=3, n_simulations=5000, seed=1)
print(result.summary())
result.table""",
        """result.plot();""",
        """ax = result.simulations["npv"].plot.hist(bins=50, title="Simulated NPV")
ax.axvline(0, color="C3");""",
        """md:## What the book gets wrong, and what to do instead
* "Hard to put a number on" is not a reason to skip it: value time at the cost of an hour, risk at
  its expected loss, and satisfaction through its effect on retention and lifetime value.
* A single number hides the uncertainty: state ranges, simulate, and share the distribution and
  the tornado chart, which shows the customer which assumptions matter.""",
    ],
)
