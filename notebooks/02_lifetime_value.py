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
# # 02 · Customer lifetime value: three definitions, two models, one honest comparison
#
# **The book, chapter 1 ("The Value Problem").** Joe Dager's book on customer value (Business901)
# defines customer lifetime value three ways that do not agree:
# * section "Why is it difficult to understand customer value?": *"the total amount of money a
#   customer is expected to spend on a product or service throughout their lifetime"* (revenue);
# * section "Customer lifetime value (CLV)": *"CLV measures the net profit attributed to a
#   customer's future relationship"* (profit, with acquisition cost, churn and order value as
#   factors);
# * section "No Right Way; Review Multiple Metrics over Time": the average spend per transaction
#   times *"the number of transactions a customer makes over their lifetime"*.
#
# This notebook computes all three on the same customers, then replaces the guesswork about
# "lifetime" with the probabilistic models that estimate it: BG/NBD and Gamma-Gamma on the real
# CDNOW data (with a calibration/holdout check), and the shifted-beta-geometric model for a
# contractual cohort.

# %%
import customervalue as cv
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

plt.rcParams["figure.dpi"] = 72  # small figures keep the executed notebook small
MARGIN = 0.30  # gross margin on revenue
MONTHLY_DISCOUNT = 0.01  # discount rate per month

# %% [markdown]
# ## 1. The simple formulas
# With average purchase value, purchases per year, margin and an annual churn rate, the textbook
# formula is m / churn; the discounted form, with retention r = 1 − churn and margin received at
# the end of each year, is m·r / (1 + d − r) (Gupta & Lehmann 2003). Convin's article "Customer
# Value Explained" (June 2024) lists the same inputs under "Customer Lifetime Value Formula":
# average purchase value, purchase frequency, churn rate and profit margin.

# %%
(
    cv.simple_clv(average_purchase_value=60, purchase_frequency=4, margin=MARGIN, churn_rate=0.25),
    cv.simple_clv(
        average_purchase_value=60, purchase_frequency=4, margin=MARGIN, churn_rate=0.25, discount_rate=0.10
    ),
)

# %% [markdown]
# ## 2. BG/NBD and Gamma-Gamma on CDNOW
# BG/NBD (Fader, Hardie & Lee 2005a) models how often a customer buys while active and when they
# silently stop; Gamma-Gamma (Fader, Hardie & Lee 2005b, after Colombo & Jiang 1999) models how
# much they spend per purchase. The CDNOW summary of Fader & Hardie: 2,357 customers observed for
# 39 weeks. The fit reproduces
# the published estimates (r = 0.243, α = 4.414, a = 0.793, b = 2.426; log-likelihood −9582.43).

# %%
cdnow = cv.datasets.cdnow()
bgnbd = cv.BetaGeo(time_unit="W").fit(cdnow)
spend = cv.GammaGamma().fit(cdnow)
print(bgnbd.summary())
print(spend.summary())
bgnbd.conf_int()

# %%
bgnbd.plot_frequency(cdnow)
plt.show()

# %%
bgnbd.plot_probability_alive_matrix(max_frequency=25)
plt.show()

# %% [markdown]
# A customer with 2 repeat purchases, the last in week 30.43 of 38.86, is expected to buy
# 1.226 times in the next 39 weeks:

# %%
one = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]})
bgnbd.conditional_expected_purchases(39, one)

# %% [markdown]
# ## 3. Calibration and holdout on the full transaction log
# Fit on the first 39 weeks, forecast the next 39, and compare with what happened.

# %%
log = cv.datasets.cdnow_transactions()
split = cv.rfm_summary(
    log,
    "customer_id",
    "date",
    "amount",
    calibration_end="1997-09-30",
    observation_end="1998-06-30",
    time_unit="W",
)
calibrated = cv.BetaGeo().fit(split)
predicted = calibrated.conditional_expected_purchases(split["duration_holdout"].iloc[0], split)
print("total predicted", round(predicted.sum()), "actual", int(split["frequency_holdout"].sum()))
calibrated.plot_calibration_holdout(split)
plt.show()

# %% [markdown]
# ## 4. The three book definitions against the model, on the same customers
# Twelve months ahead: revenue (definition 1), margin (definition 2), and order value × expected
# number of orders (definition 3, with the count from BG/NBD, so it equals definition 1 here).

# %%
clv_revenue = cv.customer_lifetime_value(
    bgnbd, spend, cdnow, horizon=12, time_unit="M", discount_rate=MONTHLY_DISCOUNT
)
clv_profit = cv.customer_lifetime_value(
    bgnbd, spend, cdnow, horizon=12, time_unit="M", discount_rate=MONTHLY_DISCOUNT, margin=MARGIN
)
orders = bgnbd.conditional_expected_purchases(52, cdnow)
aov = spend.conditional_expected_spend(cdnow)
table = pd.DataFrame({"revenue_clv": clv_revenue, "profit_clv": clv_profit, "aov_x_orders": aov * orders})
table.describe().round(2)

# %% [markdown]
# Estimates come with uncertainty: intervals from the parameters' sampling distribution.

# %%
cv.customer_lifetime_value(
    bgnbd,
    spend,
    cdnow.head(10),
    horizon=12,
    time_unit="M",
    discount_rate=MONTHLY_DISCOUNT,
    margin=MARGIN,
    ci=0.9,
    n_simulations=200,
    seed=0,
).round(2)

# %% [markdown]
# The definitions differ by a factor (margin) and by discounting, but rank customers alike;
# the book's historical "total spend" does not:

# %%
historic = cdnow["monetary_value"] * cdnow["frequency"]
pd.DataFrame({"model CLV": clv_profit, "historic spend": historic}).corr(method="spearman").round(3)

# %% [markdown]
# ## 5. A Lorenz curve of value
# How concentrated is future value?

# %%
v = np.sort(clv_profit.to_numpy())[::-1]
share = np.cumsum(v) / v.sum()
top20 = share[int(0.2 * len(v)) - 1]
fig, ax = plt.subplots()
ax.plot(np.arange(1, len(v) + 1) / len(v), share)
ax.plot([0, 1], [0, 1], ls="--", color="0.6")
ax.set(
    xlabel="share of customers (most valuable first)",
    ylabel="share of 12-month CLV",
    title=f"Top 20% hold {top20:.0%} of expected value",
)
plt.show()

# %% [markdown]
# ## 6. A contractual cohort: the shifted-beta-geometric model
# Fader & Hardie's (2007) "regular" customers, survivors per 1,000 over seven years.

# %%
sbg = cv.ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
print(sbg.summary())
print("retention by year:", np.round(sbg.retention(np.arange(1, 8)), 3))
print(
    "discounted expected residual lifetime of a new customer at 10%:",
    round(float(sbg.discounted_expected_residual_lifetime(0.10, renewals=0)[0]), 3),
    "years",
)
sbg.plot(periods=13)
plt.show()

# %% [markdown]
# ## What the book gets wrong, and what to do instead
# * **Three incompatible definitions** (the three chapter 1 passages quoted at the top). Name the
#   one you use: revenue or margin, historical or expected, discounted or not, over which horizon.
# * **"Lifetime" is not observed.** Customers of a non-contractual business do not announce that
#   they have left; estimate it (BG/NBD, Pareto/NBD) instead of assuming a churn rate.
# * **A constant churn rate overstates early losses and understates late value**: retention rises
#   with tenure because the customers most likely to leave leave first (the sBG fit above).
# * **Check forecasts out of sample**: the calibration/holdout comparison is the evidence a CLV
#   number deserves.
#
# ## References
# * Colombo, R. & Jiang, W. (1999). A stochastic RFM model. *Journal of Interactive Marketing*,
#   13(3), 2–12.
# * Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. *Journal of
#   Interactive Marketing*, 21(1), 76–90. (The shifted-beta-geometric model and the "regular"
#   cohort.)
# * Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a contractual setting: the
#   perils of ignoring heterogeneity. *Marketing Science*, 29(1), 85–93. (Discounted expected
#   residual lifetime.)
# * Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your customers" the easy way: an
#   alternative to the Pareto/NBD model. *Marketing Science*, 24(2), 275–284. (BG/NBD and the CDNOW
#   estimates.)
# * Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: using iso-value curves for
#   customer base analysis. *Journal of Marketing Research*, 42(4), 415–430. (Gamma-Gamma spend.)
# * Gupta, S. & Lehmann, D. R. (2003). Customers as assets. *Journal of Interactive Marketing*,
#   17(1), 9–24.
# * Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting your customers: who are they
#   and what will they do next? *Management Science*, 33(1), 1–24. (Pareto/NBD.)
# * Shrivastav, R. R. (2024, June 11). Customer value explained: key definitions and practical
#   examples. Convin.

# %% [markdown]
# ## Exercises
# Five exercises, from changing a parameter to applying the models to other data. The ones marked
# **checked** have an answer cell: replace `None` with your code and run the check cell after it,
# which prints "not answered yet" until you do and fails with a hint if the answer is wrong. Worked
# solutions: `notebooks/solutions/02_solutions.py`.
#
# **Exercise 1 (change a parameter).** In section 1, lower the annual churn rate from 25% to 10%
# and compute `cv.simple_clv` with and without the 10% discount rate. By what factor does each
# CLV grow? Explain why the discounted one grows less, and what `timing="start"` changes.
#
# **Exercise 2 (change a parameter; checked).** Compute the 36-month profit CLV of the CDNOW
# customers (section 4's call with `horizon=36`), with the 1% monthly discount rate and without
# discounting (`discount_rate=0`). Give `ratio_discounted` and `ratio_undiscounted`: the mean
# 36-month CLV divided by the mean 12-month CLV at the same discount rate. Why is neither ratio 3?
# Name the two reasons and say how much each contributes.

# %%
ratio_discounted = None  # your code here: mean 36-month CLV / mean 12-month CLV, both at 1% a month
ratio_undiscounted = None  # your code here: the same ratio with discount_rate=0

# %%
# check: exercise 2
if ratio_discounted is None or ratio_undiscounted is None:
    print("exercise 2: not answered yet")
else:
    assert 1 < ratio_discounted < ratio_undiscounted < 3, (
        f"got ratio_discounted = {ratio_discounted:.3g}, ratio_undiscounted = {ratio_undiscounted:.3g}: "
        "three times the horizon should give more than the 12-month value but less than three "
        "times it, and discounting should lower the ratio"
    )
    print("exercise 2: correct")

# %% [markdown]
# **Exercise 3 (read the holdout; checked).** In section 3 the model forecasts the 39 holdout
# weeks of all 23,570 CDNOW customers. Compute `total_error`, the relative error of the total
# forecast: (predicted − actual) ÷ actual. Then compare predicted and actual purchases by the number
# of repeat purchases in the calibration period (0, 1, 2, 3–4, 5–7, 8 or more): where does the
# model miss most? Look at the number of purchases per month over 1997–98 and suggest why.

# %%
total_error = None  # your code here: (predicted - actual) / actual, over all customers

# %%
# check: exercise 3
if total_error is None:
    print("exercise 3: not answered yet")
else:
    assert -0.17 < total_error < -0.11, (
        f"total_error = {total_error:.3g}: expected (predicted - actual) / actual of the holdout "
        "purchases, summed over customers (negative when the model forecasts too few)"
    )
    print("exercise 3: correct")

# %% [markdown]
# **Exercise 4 (a second cohort; checked).** Fader & Hardie (2007) also give a "high end" cohort:
# 1,000, 869, 743, 653, 593, 551, 517 and 491 customers still subscribed at the start of years 1 to
# 8. Fit `cv.ShiftedBetaGeometric` to it and give its estimates as a dict `high_end_params` with
# keys `"alpha"` and `"beta"`. Compare the high-end cohort's retention curve and its discounted
# expected residual lifetime at 10% with the "regular" cohort of section 6. What do the
# estimates say about how the two cohorts differ, and why does the mean of the beta distribution
# (α ÷ (α + β), the average churn probability) not tell the whole story?

# %%
high_end_params = None  # your code here: {"alpha": ..., "beta": ...}

# %%
# check: exercise 4
if high_end_params is None:
    print("exercise 4: not answered yet")
else:
    # Fader & Hardie (2007) report alpha = 0.668 and beta = 3.806 for the high-end cohort
    assert abs(high_end_params["alpha"] - 0.668) < 0.01 and abs(high_end_params["beta"] - 3.806) < 0.02, (
        f"got {high_end_params}: the published estimates for the high-end cohort are alpha = 0.668 "
        "and beta = 3.806 (are the survivors entered in order, starting with 1,000?)"
    )
    print("exercise 4: correct")

# %% [markdown]
# **Exercise 5 (new data: a planted truth; checked).** `cv.datasets.transactions(n_customers=5000,
# seed=0)` is a purchase log drawn from a BG/NBD process whose parameters are in
# `df.attrs["truth"]["bgnbd"]` (weeks). Summarise it with `cv.rfm_summary(..., time_unit="W")`,
# fit `cv.BetaGeo` and give the estimates as a dict `fitted` with keys `"r"`, `"alpha"`, `"a"`,
# `"b"`. Which parameters are recovered closely and which loosely? Use `conf_int()` to say whether
# the misses are larger than the sampling error, and explain why the dropout parameters a and b are
# the hardest to pin down. Fit `cv.GammaGamma` too and compare with `truth["gamma_gamma"]`.

# %%
fitted = None  # your code here: {"r": ..., "alpha": ..., "a": ..., "b": ...}

# %%
# check: exercise 5
if fitted is None:
    print("exercise 5: not answered yet")
else:
    _truth = cv.datasets.transactions(n_customers=10, seed=0).attrs["truth"]["bgnbd"]
    for _name, _planted in _truth.items():
        assert abs(fitted[_name] / _planted - 1) < 0.25, (
            f"{_name} = {fitted[_name]:.4g} is more than 25% from the planted {_planted}: was the "
            "summary in weeks, like the planted parameters?"
        )
    print("exercise 5: correct")
