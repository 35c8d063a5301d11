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
# # 07 · Customer value mapping versus economic value modelling
#
# **The book, chapter 8 ("Pricing, Strategies & Assumptions"), section "A question of value -
# customer value mapping versus economic value modeling".** Joe Dager's book on customer value
# (Business901) says: *"Customer value mapping is a qualitative approach that looks at the perceived
# value of a product or service from the customer's perspective."* And: *"Economic value modeling is
# a quantitative approach that uses financial data to calculate a product's or service's monetary
# value."* The section heading is the title under which Smith & Nagle's article "A question of
# value" is reprinted, but the book does not draw that article's conclusion.
#
# Neither description is right. Gale's customer value map is quantitative: attribute weights,
# ratings and prices give a market-perceived quality score and a relative price. Nagle's economic
# value estimation prices the differences from the next-best alternative. This notebook runs both
# on one product and shows why a value map, which anchors on the competitors' prices, tends to
# underprice differentiation.

# %%
import customervalue as cv
import matplotlib.pyplot as plt
import pandas as pd

plt.rcParams["figure.dpi"] = 72  # small figures keep the executed notebook small

# %% [markdown]
# ## 1. The value map
# Customers weight five attributes (summing to 100) and rate three brands on each.

# %%
profile = pd.DataFrame(
    {
        "attribute": ["accuracy", "speed", "support", "integrations", "ease of use"],
        "weight": [40, 30, 10, 5, 15],
        "Ours": [9.0, 8.0, 7.5, 7.0, 8.0],
        "Rival A": [6.0, 6.5, 7.0, 7.5, 7.0],
        "Rival B": [5.0, 5.5, 6.0, 6.0, 6.5],
    }
)
prices = {"Ours": 120.0, "Rival A": 100.0, "Rival B": 80.0}
vmap = cv.value_map(profile, ours="Ours", prices=prices)
print(vmap.summary())
vmap.table.round(1)

# %%
vmap.plot()
plt.show()

# %% [markdown]
# The price that would put us on the fair-value (parity) line is our quality score times the
# competitors' average price: what the value map says we "can" charge.

# %%
competitor_mean = (prices["Rival A"] + prices["Rival B"]) / 2
parity_price = vmap.quality_score / 100 * competitor_mean
round(parity_price, 2)

# %% [markdown]
# ## 2. Economic value estimation
# The customer's next-best alternative is Rival A at 100. Our differences are worth money to the
# customer: fewer errors, time saved, less support effort; switching costs them something.

# %%
drivers = pd.DataFrame(
    {
        "driver": ["fewer costly errors", "analyst time saved", "less support effort", "switching cost"],
        "value": [45.0, 30.0, 10.0, -15.0],
    }
)
eve = cv.economic_value(drivers, reference_value=prices["Rival A"], cost_floor=35.0)
print(eve.summary())
eve.plot()
plt.show()

# %% [markdown]
# ## 3. What each method implies for the price

# %%
pd.Series(
    {
        "current price": prices["Ours"],
        "value-map parity price": round(parity_price, 2),
        "economic value (ceiling)": eve.economic_value,
        "cost floor": 35.0,
    }
).to_frame("price")

# %% [markdown]
# ## What the book gets wrong, and what to do instead
# * **Value mapping is not qualitative.** It is a weighted score and a price ratio; compute it, with
#   the weights and ratings that customers (not managers) give.
# * **The two methods answer different questions.** The value map positions you against
#   competitors' *prices*; economic value estimation prices your *differences* for a customer who
#   would otherwise buy the next-best alternative. When differentiation is large, anchoring on
#   competitors' prices leaves money on the table (Smith & Nagle's argument).
# * Use both: the value map to see where you stand, the economic value as the ceiling of a
#   value-based price range whose floor is your cost.
#
# ## References
# * Forbis, J. L. & Mehta, N. T. (1981). Value-based strategies for industrial products. *Business
#   Horizons*, 24(3), 32–42.
# * Gale, B. T. (1994). *Managing Customer Value: Creating Quality and Service That Customers Can
#   See*. Free Press. (The customer value map: quality and price profiles, the fair-value line.)
# * Nagle, T. T. & Müller, G. (2018). *The Strategy and Tactics of Pricing* (6th ed.). Routledge.
#   (Economic value estimation: reference value plus differentiation value.)
# * Smith, G. E. & Nagle, T. T. (2005). A question of value. *Marketing Management*, July/August
#   2005.
