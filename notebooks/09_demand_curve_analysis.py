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
import warnings

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
# is non-monotone; the rule used is stated and they are counted. The call also raises a
# `CustomerValueWarning` saying so; here the warning is caught and the same text, which every result
# keeps in `.warnings`, is printed. It says that 303 respondents (15%) said yes at some price after
# saying no at a lower one, and that each was read as buying up to their highest "yes" below their
# first "no" (`nonmonotone="first_refusal"`). That many contradictions is a fact about the survey worth
# reporting; exercise 1 shows how much the rule matters.

# %%
long = survey.melt(
    id_vars="respondent_id",
    value_vars=[c for c in survey if c.startswith("buy_at_")],
    var_name="price",
    value_name="buy",
)
long["price"] = long["price"].str.removeprefix("buy_at_").astype(float)
with warnings.catch_warnings(record=True):  # kept on the result, printed below
    gg = cv.gabor_granger(long, price="price", buy="buy", respondent="respondent_id", cost=UNIT_COST)
print(gg.summary())
print("warnings:", *gg.warnings, sep="\n  ")
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

# %% [markdown]
# ## Exercises
# Five exercises, from changing a parameter to applying the method to new data. Solutions, with
# the reasoning, are in `solutions/09_solutions.py`. Exercises marked **(checked)** have a cell to
# fill in and a check cell after it, which prints "not answered yet" until you replace the `None`.
#
# **Exercise 1 · The non-monotone rule (change a parameter and explain; checked).** Re-run the
# Gabor-Granger analysis of section 4 with `nonmonotone="highest"` and with `nonmonotone="drop"`.
# For each rule, report the number of respondents counted, the share buying at 40 and the
# revenue-optimal price. Put the number of respondents counted under `"drop"` in `n_drop`. Explain
# why "highest" raises every share, and which rule you would report if a fifth of the respondents
# were non-monotone.

# %%
n_drop = None  # your code here: respondents counted with nonmonotone="drop"

# %%
# check: exercise 1
if n_drop is None:
    print("exercise 1: not answered yet")
else:
    import warnings

    _survey = cv.datasets.pricing_survey(n=2000, seed=0)
    _long = _survey.melt(
        id_vars="respondent_id",
        value_vars=[c for c in _survey if c.startswith("buy_at_")],
        var_name="price",
        value_name="buy",
    )
    _long["price"] = _long["price"].str.removeprefix("buy_at_").astype(float)
    with warnings.catch_warnings(record=True):
        _gg = cv.gabor_granger(_long, price="price", buy="buy", respondent="respondent_id")
    assert n_drop == _gg.n - _gg.n_nonmonotone, (
        f"n_drop = {n_drop}: 'drop' leaves out exactly the non-monotone respondents, and only them"
    )
    print("exercise 1: correct")

# %% [markdown]
# **Exercise 2 · A higher unit cost (change a parameter and explain; checked).** Suppose the unit
# cost rises from 10 to 25. Re-run the demand curve of section 5 with `cost=25` and put its
# profit-optimal price in `profit_price_25`. Does the revenue-optimal price move? Does the
# profit-optimal price rise by the full 15 of the cost increase? Explain both answers from
# profit = (p − c) · D(p).

# %%
profit_price_25 = None  # your code here: the profit-optimal price at a unit cost of 25

# %%
# check: exercise 2
if profit_price_25 is None:
    print("exercise 2: not answered yet")
else:
    _at_10 = cv.demand_curve(cv.datasets.pricing_survey(n=2000, seed=0), wtp="wtp", cost=10.0)
    assert profit_price_25 > _at_10.profit_optimal_price, (
        f"{profit_price_25} is not above the profit-optimal price at cost 10 "
        f"({_at_10.profit_optimal_price}): did you pass cost=25 and read the profit-optimal price?"
    )
    assert profit_price_25 < _at_10.profit_optimal_price + 15, (
        f"{profit_price_25} passes on the whole cost increase or more: is it the optimum at cost 25?"
    )
    print("exercise 2: correct")

# %% [markdown]
# **Exercise 3 · What each segment would pay (checked).** The survey's stated willingness to pay
# was drawn per segment around a planted median (`survey.attrs["truth"]["wtp_median"]`, in the
# order of `truth["segments"]`). From the per-segment demand curves of section 7 (`by_seg.table`),
# read for each segment the highest price at which at least half its respondents would still buy,
# and put them in `half_buy` as a dict, e.g. `{"Students": ..., "Professionals": ..., "Teams": ...}`.
# Compare them with the planted medians and with the segments' profit-optimal prices: why is the
# profit-optimal price below the median in every segment?

# %%
half_buy = None  # your code here: {segment: highest price with a share buying of at least 0.5}

# %%
# check: exercise 3
if half_buy is None:
    print("exercise 3: not answered yet")
else:
    _truth = cv.datasets.pricing_survey(n=10, seed=0).attrs["truth"]
    for _segment, _median in zip(_truth["segments"], _truth["wtp_median"], strict=True):
        assert _segment in half_buy, f"half_buy has no price for {_segment}"
        assert abs(half_buy[_segment] / _median - 1) < 0.1, (
            f"{_segment}: {half_buy[_segment]} is not within 10% of the planted median WTP: "
            "the share buying should be at least 0.5 at that price, and below 0.5 above it"
        )
    print("exercise 3: correct, each within 10% of the planted median")

# %% [markdown]
# **Exercise 4 · How large a premium (change a parameter and explain).** Section 6 tests a 20%
# premium over the Van Westendorp optimal price point. Run `curve.premium_test` for premiums of
# 10% and 30% as well (rounded to whole prices, as there). For each, report the difference in
# profit, its interval and the verdict. Where does the premium stop paying, and why does a
# positive difference in profit at 10% not, on its own, support a price rise?

# %% [markdown]
# **Exercise 5 · The true optimum, and a small survey (apply the method to new data; checked).**
# The planted WTP is a mixture of log-normals: segment s, with share w_s, median m_s and σ_s, so
# the true demand curve is D(p) = Σ w_s · (1 − Φ((ln p − ln m_s) / σ_s)) (the parameters are in
# `survey.attrs["truth"]`; Φ is `statistics.NormalDist().cdf` in the standard library).
# (a) Compute the true profit-optimal price at a unit cost of 10 on a fine grid of prices and put
# it in `true_optimum`. (b) Then run the demand curve, with `ci=0.95`, on a new survey of 300
# respondents, `cv.datasets.pricing_survey(n=300, seed=5)`. Does its interval for the
# profit-optimal price (`.optima`) cover the true optimum? How much wider is it than the
# 2,000-respondent interval, and by how much would you expect it to be wider?

# %%
true_optimum = None  # your code here: (a), from the planted truth

# %%
# check: exercise 5
if true_optimum is None:
    print("exercise 5: not answered yet")
else:
    # the 95% interval of section 5, from the 2,000 respondents
    _curve = cv.demand_curve(
        cv.datasets.pricing_survey(n=2000, seed=0), wtp="wtp", cost=10.0, ci=0.95, n_boot=500, seed=2
    )
    _low, _high = _curve.optima[["profit_optimal_price_ci_low", "profit_optimal_price_ci_high"]].iloc[0]
    assert _low <= true_optimum <= _high, (
        f"{true_optimum:.2f} is outside the 2,000-respondent interval ({_low} to {_high}): maximise "
        "profit (p - 10) D(p), not revenue, with D the mixture over all three segments"
    )
    print("exercise 5: correct, and inside the survey's interval")
