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
# # 01 · What is customer value? Definitions you can compute
#
# **The book, chapters 3 and 4.** Joe Dager's book on customer value (Business901) defines customer
# value more than once, and the definitions do not agree:
#
# * chapter 3, "What, Why, How, Where of Customer Value", in its opening section "From
#   Understanding Value to Understanding Customers": value is *"what the customer is getting in
#   return for what they are paying"*: a **ratio**, get ÷ give;
# * the same chapter, section "Customer Value to Customer Satisfaction and Loyalty": *"Customer
#   value is the difference between a product or service's perceived benefits and costs"*: a
#   **difference**, benefits − costs;
# * chapter 4, "Gathering Data and Developing the Product Vision", section "What Does Capturing
#   Customer Value Look Like?": *"the value of a haircut might be $15 against the cost of $5 for
#   the hairdresser"*: willingness to pay against the *seller's* cost, which is the **value
#   created** by the exchange, shared between the customer and the firm;
# * chapter 4, section "How to Capture Customer Value?": *"four categories: emotional, functional,
#   financial, and social value"*.
#
# This notebook computes each on seeded data and shows where the choice changes the answer.

# %%
import customervalue as cv
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

plt.rcParams["figure.dpi"] = 72  # small figures keep the executed notebook small
rng = np.random.default_rng(1)

# %% [markdown]
# ## 1. Benefits minus costs versus the get/give ratio
# Take 2,000 customers with perceived benefits B and costs C in dollars (price plus the time and
# effort they spend). The difference B − C says how many dollars of value a customer keeps; the ratio
# B ÷ C says how much they get per dollar given. The two orders agree on the obvious cases and
# disagree on the ones that matter: a large purchase with a thin margin against a small one with a
# generous margin.

# %%
n = 2000
costs = np.round(rng.lognormal(np.log(120), 0.9, n), 2)  # price + time + effort, $
benefits = np.round(costs * rng.lognormal(np.log(1.25), 0.25, n), 2)  # perceived benefits, $
value = pd.DataFrame({"benefits": benefits, "costs": costs})
value["difference"] = value["benefits"] - value["costs"]  # dollars kept by the customer
value["ratio"] = value["benefits"] / value["costs"]  # dollars received per dollar given

two = pd.DataFrame(
    {"benefits": [1000.0, 30.0], "costs": [800.0, 10.0]}, index=["A: big purchase", "B: small purchase"]
)
two["difference"] = two["benefits"] - two["costs"]
two["ratio"] = two["benefits"] / two["costs"]
two.round(2)

# %% [markdown]
# Customer A keeps more dollars ($200 against $20); customer B gets more per dollar (3.0 against
# 1.25). Which one "gets more value" depends on the definition. On the whole base the two orders
# broadly agree, yet they pick different customers at the top, which is where targeting happens:

# %%
rank_diff = value["difference"].rank(ascending=False)
rank_ratio = value["ratio"].rank(ascending=False)
rho = value["difference"].corr(value["ratio"], method="spearman")
top_diff = set(rank_diff.nsmallest(200).index)
top_ratio = set(rank_ratio.nsmallest(200).index)
print(f"Spearman rank correlation of difference and ratio: {rho:.2f}")
print(f"customers in the top 10% on both definitions: {len(top_diff & top_ratio) / 200:.0%}")

fig, ax = plt.subplots(figsize=(6, 4.5))
ax.scatter(rank_diff, rank_ratio, s=4, alpha=0.4)
ax.set(
    xlabel="rank by benefits − costs",
    ylabel="rank by benefits ÷ costs",
    title="The two definitions of value order customers differently",
)
plt.show()

# %% [markdown]
# **What to do:** name the definition in every report, and pick it for the decision at hand.
# Targeting customers who keep the most dollars (difference) is a different campaign from targeting
# those who get the best deal per dollar (ratio). The package keeps them apart as separate columns
# rather than one ambiguous "customer value".
#
# ## 2. The haircut: value created, captured and left to the customer
# The book's haircut is worth $15 to the customer and costs the hairdresser $5. That $10 is the
# value the haircut *creates*. The price splits it: the customer keeps 15 − p (consumer surplus),
# the hairdresser keeps p − 5 (margin).

# %%
prices = np.arange(5, 16)
split = pd.DataFrame(
    {
        "price": prices,
        "customer keeps (WTP − price)": 15 - prices,
        "hairdresser keeps (price − cost)": prices - 5,
    }
)
ax = split.set_index("price").plot.bar(stacked=True, figsize=(7, 3.8), color=["C0", "C2"])
ax.set(ylabel="$ per haircut", title="One customer: the $10 value pool, split by the price")
split.set_index("price").transpose()

# %% [markdown]
# With many customers, each with their own willingness to pay (WTP), the price also decides
# *how much* value is created: a customer whose WTP is below the price walks away, and the value
# their haircut would have created is lost. Here 2,000 customers have log-normal WTP around $15.
# `cv.demand_curve` gives the profit-optimal price; the chart shows the value pool at every price.

# %%
hair = pd.DataFrame({"wtp": np.round(rng.lognormal(np.log(15), 0.35, 2000), 2)})
COST = 5.0
curve = cv.demand_curve(hair, wtp="wtp", cost=COST)
grid = np.linspace(5, 30, 101)
w = np.sort(hair["wtp"].to_numpy())
pool = pd.DataFrame(
    {
        "price": grid,
        "created": [np.sum(w[w >= p] - COST) for p in grid],
        "captured by the firm": [np.sum(w >= p) * (p - COST) for p in grid],
        "left to customers": [np.sum(w[w >= p] - p) for p in grid],
        "lost (WTP > cost, no sale)": [np.sum(w[(w > COST) & (w < p)] - COST) for p in grid],
    }
)
ax = pool.set_index("price").plot(figsize=(7, 4))
ax.axvline(curve.profit_optimal_price, color="0.4", ls="--", label="profit-optimal price")
ax.set(ylabel="$ over 2,000 customers", title="The value pool across prices")
ax.legend(fontsize=8)
print(f"profit-optimal price: ${curve.profit_optimal_price:.2f}")
print(pool.iloc[(pool["price"] - curve.profit_optimal_price).abs().argmin()].round(0))

# %% [markdown]
# At the profit-optimal price the firm captures the largest share it can, but some value is
# lost: customers who would have paid more than the cost walk away. A lower price creates more value
# and leaves more of it with customers. "Capturing Customer Value" (the heading of the haircut
# passage in chapter 4) is therefore a trade-off between three numbers, not one.
#
# ## 3. The kinds of value
# The book attributes its four categories to an article by Luke Wroblewski for Forbes that could
# not be found (chapter 4, "How to Capture Customer Value?"). Convin's article "Customer Value
# Explained: Key Definitions and Practical Examples" (June 2024) lists four slightly different ones
# under "What is Customer Perceived Value?", and the academic literature has others. The lists
# overlap but are not the same:

# %%
pd.DataFrame(
    {
        "the book, ch. 4": ["functional", "emotional", "social", "financial", "—", "—"],
        "Convin (2024)": ["functional", "emotional", "social", "economic", "—", "—"],
        "Sheth, Newman & Gross (1991)": [
            "functional",
            "emotional",
            "social",
            "—",
            "epistemic",
            "conditional",
        ],
        "Sweeney & Soutar PERVAL (2001)": [
            "quality/performance",
            "emotional",
            "social",
            "price/value for money",
            "—",
            "—",
        ],
    }
)

# %% [markdown]
# PERVAL is the one with a validated questionnaire: four items per dimension. Each dimension is a
# scale only if its items hang together (Cronbach's alpha, conventionally ≥ 0.7) and the dimensions
# are distinct (correlations between scale scores well below 1). Here is that check on a seeded
# simulation of 800 respondents answering 16 items, 4 per dimension (the data are simulated, not
# from a real study):

# %%
dims = ["functional", "emotional", "social", "financial"]
latent_corr = np.array([[1, 0.4, 0.3, 0.5], [0.4, 1, 0.5, 0.3], [0.3, 0.5, 1, 0.2], [0.5, 0.3, 0.2, 1]])
latent = rng.multivariate_normal(np.zeros(4), latent_corr, size=800)
items = {
    f"{d}_{k}": np.clip(np.round(4 + 1.2 * latent[:, j] + rng.normal(0, 0.9, 800)), 1, 7)
    for j, d in enumerate(dims)
    for k in range(1, 5)
}
survey = pd.DataFrame(items)


def cronbach_alpha(block):
    k = block.shape[1]
    return k / (k - 1) * (1 - block.var(ddof=1).sum() / block.sum(axis=1).var(ddof=1))


scales = pd.DataFrame({d: survey.filter(like=d).mean(axis=1) for d in dims})
print(pd.Series({d: cronbach_alpha(survey.filter(like=d)) for d in dims}, name="Cronbach alpha").round(2))
scales.corr().round(2)

# %% [markdown]
# ## What the book gets wrong, and what to do instead
# * **Four definitions of value, used as if they were one.** Ratio (chapter 3, "From Understanding
#   Value to Understanding Customers"), difference (chapter 3, "Customer Value to Customer
#   Satisfaction and Loyalty"), WTP against the seller's cost (chapter 4, "What Does Capturing
#   Customer Value Look Like?") and "perceived worth" (chapter 1, "The Value Problem", section "Why
#   is it difficult to understand customer value?") rank customers differently (section 1).
#   *Instead:* name the definition, report it as its own column, and keep value *to the customer*
#   (benefits − costs, or the ratio) apart from value *created* (WTP − cost) and value *captured*
#   (price − cost).
# * **The haircut is value created, not customer value.** $15 − $5 is shared between the two sides;
#   how it is shared depends on the price, and some of it is lost when customers walk away
#   (section 2). *Instead:* show the whole pool across prices.
# * **An unsourced list of value types.** The Forbes attribution in chapter 4 could not be checked,
#   and the lists differ between sources. *Instead:* use a validated instrument (PERVAL, or Sheth et
#   al.'s five values) and check reliability and distinctness before reporting scores per type.
#
# ## References
# * Brandenburger, A. M. & Stuart, H. W. (1996). Value-based business strategy. *Journal of
#   Economics & Management Strategy*, 5(1), 5–24. (Value created = willingness to pay − cost, split
#   by the price.)
# * Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
#   *Psychometrika*, 16(3), 297–334.
# * Sheth, J. N., Newman, B. I. & Gross, B. L. (1991). Why we buy what we buy: a theory of
#   consumption values. *Journal of Business Research*, 22(2), 159–170.
# * Shrivastav, R. R. (2024, June 11). Customer value explained: key definitions and practical
#   examples. Convin.
# * Sweeney, J. C. & Soutar, G. N. (2001). Consumer perceived value: the development of a multiple
#   item scale. *Journal of Retailing*, 77(2), 203–220.
# * Zeithaml, V. A. (1988). Consumer perceptions of price, quality, and value: a means-end model
#   and synthesis of evidence. *Journal of Marketing*, 52(3), 2–22. (Perceived value as a get/give
#   trade-off.)

# %% [markdown]
# ## Exercises
# Five exercises, from changing a parameter to applying the method to other data. The ones marked
# **checked** have an answer cell: replace `None` with your code and run the check cell after it,
# which prints "not answered yet" until you do and fails with a hint if the answer is wrong. Worked
# solutions: `notebooks/solutions/01_solutions.py`.
#
# **Exercise 1 (change a parameter; checked).** In section 1 the costs have a log standard
# deviation of 0.9: customers spend very different amounts. Draw the 2,000 customers again with
# 0.2 instead (same recipe: `rng = np.random.default_rng(1)`, costs first, then benefits) and
# compute `rho_narrow`, the Spearman correlation of difference and ratio, and `overlap_narrow`, the
# share of the top 200 by difference who are also in the top 200 by ratio. Explain why the two
# definitions agree more when customers spend similar amounts (hint: B − C = C · (B ÷ C − 1)).
# Then put the costs back to 0.9 and narrow the ratio's log standard deviation from 0.25 to 0.05:
# what happens to the agreement, and why?

# %%
rho_narrow = None  # your code here: Spearman correlation with cost log-sd 0.2
overlap_narrow = None  # your code here: share of the top 200 on both definitions

# %%
# check: exercise 1
if rho_narrow is None or overlap_narrow is None:
    print("exercise 1: not answered yet")
else:
    assert 0.95 < rho_narrow < 1, (
        f"rho_narrow = {rho_narrow:.3f}: with costs this similar, difference and ratio should order "
        "customers almost alike (was the cost log-sd set to 0.2, with the same seed and recipe?)"
    )
    assert 0.6 < overlap_narrow < 1, (
        f"overlap_narrow = {overlap_narrow:.3f}: expected a share (0-1) well above section 1's 40%"
    )
    print("exercise 1: correct")

# %% [markdown]
# **Exercise 2 (change a parameter; checked).** The hairdresser's cost rises from \$5 to \$8. Find
# the new profit-optimal price for the 2,000 customers of section 2 (`hair`) and compute
# `pass_through`, the change in the profit-optimal price divided by the change in cost. Is the
# whole cost rise passed on to customers? Explain why not, and say who bears the rest.

# %%
pass_through = None  # your code here: (new optimal price - old optimal price) / (8 - 5)

# %%
# check: exercise 2
if pass_through is None:
    print("exercise 2: not answered yet")
else:
    assert 0.3 < pass_through < 0.6, (
        f"pass_through = {pass_through:.3g}: expected the change in the profit-optimal price per "
        "dollar of cost, which here is well below 1"
    )
    print("exercise 2: correct")

# %% [markdown]
# **Exercise 3 (extend the method; checked).** The *potential* value pool is what every customer
# whose willingness to pay exceeds the cost would create: Σ max(WTP − cost, 0). At the
# profit-optimal price of section 2 (cost \$5), split it into three shares that add up to 1:
# `captured_share` (the firm's margin), `left_share` (the buyers' surplus) and `lost_share` (the
# value of the sales that did not happen). Then find the price that creates the most value and
# explain why it is the cost.

# %%
captured_share = None  # your code here
left_share = None  # your code here
lost_share = None  # your code here

# %%
# check: exercise 3
if captured_share is None or left_share is None or lost_share is None:
    print("exercise 3: not answered yet")
else:
    _total = captured_share + left_share + lost_share
    assert abs(_total - 1) < 1e-6, f"the three shares should add up to 1 (they add up to {_total:.4f})"
    assert abs(lost_share - 0.18) < 0.01, (
        f"lost_share = {lost_share:.3f}: expected the value of the customers with cost < WTP < price, "
        "over the potential pool"
    )
    print("exercise 3: correct")

# %% [markdown]
# **Exercise 4 (a weaker questionnaire).** In section 3, raise the noise of each item from 0.9 to
# 2.0 (`rng.normal(0, 2.0, 800)`) and compute Cronbach's alpha of the four scales again. Which
# scales still reach 0.7? With the Spearman–Brown formula, k′ = k · α*(1 − α) / (α(1 − α*)) for a
# target α* = 0.7, how many items per scale would the noisier questionnaire need? What does this
# tell you about reporting "emotional value" from a single question?
#
# **Exercise 5 (new data: the pricing survey; checked).** Apply section 2's value pool to
# `cv.datasets.pricing_survey(n=1000, seed=0)` (column `wtp`) with a unit cost of \$10. At the
# profit-optimal price from `cv.demand_curve`, compute the pool in dollars as a dict
# `survey_pool` with keys `"created"`, `"captured"`, `"left"` and `"lost"`. Then repeat per segment
# (students, professionals, teams) at the single price: which segment loses the most value, and
# why?

# %%
survey_pool = None  # your code here: {"created": ..., "captured": ..., "left": ..., "lost": ...}, $

# %%
# check: exercise 5
if survey_pool is None:
    print("exercise 5: not answered yet")
else:
    _survey = cv.datasets.pricing_survey(n=1000, seed=0)
    _curve = cv.demand_curve(_survey, wtp="wtp", cost=10)
    _potential = np.maximum(_survey["wtp"].to_numpy() - 10, 0).sum()
    assert abs(survey_pool["captured"] - _curve.optima["profit_at_optimum"].iloc[0]) < 0.5, (
        "survey_pool['captured'] should be the firm's profit at the profit-optimal price"
    )
    assert abs(survey_pool["created"] - survey_pool["captured"] - survey_pool["left"]) < 0.5, (
        "value created is what the firm captures plus what it leaves to the buyers"
    )
    assert abs(survey_pool["created"] + survey_pool["lost"] - _potential) < 0.5, (
        "created plus lost should be the potential pool, the sum of max(WTP - cost, 0)"
    )
    assert survey_pool["lost"] > 0, "some customers value it above its cost and still do not buy"
    print("exercise 5: correct")
