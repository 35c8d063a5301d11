# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 09 · Demand curve analysis: from a seller-chosen range to evidence
#
# **The book, chapter 8 ("Pricing, Strategies & Assumptions"), section "Market-Value Pricing –
# Charge What Your Product is Worth".** Under "Establish your price point", Joe Dager's book on
# customer value (Business901) offers two ways to a fair price. The first: *"just set a minimum and
# maximum price range at which you want to offer your product."* — and *"If the price falls within
# these two ranges, then it's accurate."* The second is what the author calls *"demand curve
# analysis, or DCA"*, which should *"help determine whether or not charging more than market-value
# pricing is worth it"*. DCA is never defined.
#
# This notebook makes both rigorous on `cv.datasets.pricing_survey()`: where customers draw the
# range (Van Westendorp), how many would buy at each price (NMS, Gabor-Granger, stated WTP), the
# revenue- and profit-optimal prices with intervals, and whether a premium pays.

# %%
import customervalue as cv
import matplotlib.pyplot as plt
import pandas as pd

plt.rcParams["figure.dpi"] = 72  # small figures keep the executed notebook small
survey = cv.datasets.pricing_survey(n=2000, seed=0)
UNIT_COST = 10.0
survey.head()

# %% [markdown]
# ## 1. Why a seller-chosen range proves nothing
# If the seller picks the minimum and the maximum, any price inside "passes": the test only checks
# the seller against the seller. Customers' answers can draw the range instead.

# %%
seller_range = (25, 90)  # what a seller might pick
print(
    "Every price from",
    seller_range[0],
    "to",
    seller_range[1],
    "passes the book's test, whatever customers think.",
)

# %% [markdown]
# ## 2. Van Westendorp: the range customers draw
# Each respondent names a price that is too cheap, a bargain, getting expensive and too expensive.
# Inconsistent respondents are dropped and counted. The acceptable range runs from the point of
# marginal cheapness (PMC) to the point of marginal expensiveness (PME); both published
# conventions are computed in every analysis: `range=` picks the one `.pmc` and `.pme` report,
# and `.acceptable_range(range="original" | "narrower")` reads either.

# %%
vw = cv.van_westendorp(survey, ci=0.95, n_boot=300, seed=1)
print(vw.summary())
vw.plot()
plt.show()

# %%
pd.DataFrame({c: vw.acceptable_range(range=c) for c in ["original", "narrower"]}, index=["PMC", "PME"])

# %% [markdown]
# ## 3. Newton-Miller-Smith: from a range to purchase probabilities
# The NMS questions ask how likely a respondent is to buy at their own cheap and expensive prices.
# Calibrated intents give each respondent a purchase-probability curve; averaging them gives reach,
# and price × reach gives revenue, optimised exactly on the piecewise-linear curve.

# %%
nms = cv.van_westendorp(
    survey,
    nms={
        "cheap": "intent_cheap",
        "expensive": "intent_expensive",
        "calibration": {5: 0.7, 4: 0.5, 3: 0.3, 2: 0.1, 1: 0.0},
    },
    cost=UNIT_COST,
)
print(
    "reach-optimal",
    round(nms.nms_reach_optimal_price, 2),
    "| revenue-optimal",
    round(nms.nms_revenue_optimal_price, 2),
    "| profit-optimal",
    round(nms.nms_profit_optimal_price, 2),
)
nms.plot_nms()
plt.show()

# %% [markdown]
# ## 4. Gabor-Granger: buy or not at each price of a ladder
# Answers come in long format. A respondent who buys at a higher price after refusing a lower one
# is non-monotone; the rule used is stated and they are counted.

# %%
long = survey.melt(
    id_vars="respondent_id",
    value_vars=[c for c in survey if c.startswith("buy_at_")],
    var_name="price",
    value_name="buy",
)
long["price"] = long["price"].str.removeprefix("buy_at_").astype(float)
gg = cv.gabor_granger(long, price="price", buy="buy", respondent="respondent_id", cost=UNIT_COST)
print(gg.summary())
gg.table.round(3)

# %%
gg.plot()
plt.show()

# %%
gg.plot_elasticity(kind="arc")
plt.show()

# %% [markdown]
# A logistic price-response model smooths the ladder into a continuous curve with a closed-form
# optimum: c + (1 + W(exp(-(a + b c) - 1))) / b.

# %%
fit = cv.fit_price_response(
    gg.table.assign(n=gg.n), price="price", quantity="share", model="logit", weights="n"
)
print(fit.summary())
print("profit-optimal price:", round(fit.optimal_price(cost=UNIT_COST), 2))
fit.conf_int()

# %% [markdown]
# ## 5. The demand curve of stated willingness to pay, and its optimum
# D(p) is the share willing to pay at least p: an exact step function. Revenue and profit are
# optimised over the stated prices, with bootstrap bands.

# %%
curve = cv.demand_curve(survey, wtp="wtp", cost=UNIT_COST, ci=0.95, n_boot=500, seed=2)
print(curve.summary())
curve.plot()
plt.show()

# %% [markdown]
# ## 6. Is charging more than market value worth it?
# The book's question, answered as a difference in profit with a confidence interval. Here the
# "market value" is the Van Westendorp optimal price point and the premium is 20% above it.

# %%
market = vw.opp
test = curve.premium_test(market, round(market * 1.2), n_boot=1000)
print(test.summary())
test.table.round(2)

# %% [markdown]
# ## 7. Curves by segment
# One call computes a curve per segment; the optima differ, which is the case for price
# discrimination with fences.

# %%
by_seg = cv.demand_curve(survey, wtp="wtp", by="segment", cost=UNIT_COST)
print(by_seg.profit_optimal_price)
by_seg.plot()
plt.show()

# %% [markdown]
# ## 8. Where our price sits among competitors
# A price index replaces the seller-chosen range with a fact about the market.

# %%
pos = cv.price_position(
    curve.profit_optimal_price, {"Alpha": 39.0, "Beta": 45.0, "Gamma": 52.0, "Delta": 60.0}
)
print(pos.summary())
pos.plot()
plt.show()

# %% [markdown]
# ## What the book gets wrong, and what to do instead
# * **The min/max range is circular** ("Establish your price point"): the seller sets it and then
#   tests the seller's own price against it. Use a range customers draw — Van Westendorp's PMC to
#   PME — next to a cost floor; report which convention you used, since the two differ.
# * **DCA is named, never defined** (same passage): define it as estimating q(p) (stated WTP, Gabor-Granger,
#   NMS, or a fitted price-response model), then optimising revenue p·q(p) or profit (p − c)·q(p)
#   with intervals. The objective matters: the revenue- and profit-optimal prices differ.
# * **"Is charging more worth it?"** (same passage) is a question about a difference in profit under
#   uncertainty: answer it with Δπ and its bootstrap interval, not with a snapshot.
# * Stated answers overstate willingness to pay (hypothetical bias); calibrate NMS intents and,
#   where possible, check against price experiments.
#
# ## References
# * Breidert, C., Hahsler, M. & Reutterer, T. (2006). A review of methods for measuring
#   willingness-to-pay. *Innovative Marketing*, 2(4), 8–32.
# * Corless, R. M., Gonnet, G. H., Hare, D. E. G., Jeffrey, D. J. & Knuth, D. E. (1996). On the
#   Lambert W function. *Advances in Computational Mathematics*, 5, 329–359.
# * Efron, B. (1979). Bootstrap methods: another look at the jackknife. *The Annals of Statistics*,
#   7(1), 1–26.
# * Gabor, A. & Granger, C. W. J. (1966). Price as an indicator of quality: report on an enquiry.
#   *Economica*, 33(129), 43–70.
# * Murphy, J. J., Allen, P. G., Stevens, T. H. & Weatherhead, D. (2005). A meta-analysis of
#   hypothetical bias in stated preference valuation. *Environmental and Resource Economics*,
#   30(3), 313–325.
# * Nagle, T. T. & Müller, G. (2018). *The Strategy and Tactics of Pricing* (6th ed.). Routledge.
# * Newton, D., Miller, J. & Smith, P. (1993). A market acceptance extension to traditional price
#   sensitivity measurement. *Proceedings of the American Marketing Association Advanced Research
#   Techniques Forum*.
# * Phillips, R. L. (2005). *Pricing and Revenue Optimization*. Stanford University Press, ch. 3.
#   (Logit price-response curves.)
# * Van Westendorp, P. H. (1976). NSS price sensitivity meter (PSM): a new approach to study
#   consumer perception of prices. *Proceedings of the 29th ESOMAR Congress*, Venice, 139–167.
