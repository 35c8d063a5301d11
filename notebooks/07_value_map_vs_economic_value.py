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
# **The book, chapter 8 ("Pricing, Strategies & Assumptions"), the paragraph headed "A question of
# value - customer value mapping versus economic value modeling".** Joe Dager's book on customer
# value (Business901) sets up a contest: there is *"much debate in the business world as to which
# method is more effective for determining customer value"*. It then describes the two contestants.
# *"Customer value mapping is a qualitative approach that looks at the perceived value of a product
# or service from the customer's perspective"*, and *"it can be challenging to quantify the results
# of customer value mapping, making it difficult to compare different products or services."*
# Economic value modelling, by contrast, is *"a quantitative approach that uses financial data"*.
# The verdict: *"Each has its strengths and weaknesses"*.
#
# The heading is the title under which Smith & Nagle's article "A question of value" (2005) is
# reprinted, and that article does reach a verdict, which the book leaves out: for setting prices,
# economic value estimation beats the value map, because a value map anchored on competitors'
# prices underprices differentiation. The book's descriptions of the two methods are also wrong.
# Gale's customer value map is a calculation (weights, ratings and prices in, a quality score and a
# relative price out), and its whole purpose is to compare products. Nagle's economic value
# estimation does not use "financial data" about the product. It prices the *differences* between
# the product and the customer's next-best alternative, in the customer's money.
#
# This notebook runs both methods on the bundled example (a five-attribute quality profile of three
# brands, and the value drivers of ours against the next-best alternative). It compares the prices
# each method implies, then shows four ways the results can mislead: the map cannot see money,
# one map averages over segments, relative scores depend on who is in the comparison, and ratios of
# ratings depend on where the rating scale starts.

# %%
from importlib import resources

import customervalue as cv
import matplotlib.pyplot as plt
import pandas as pd

plt.rcParams["figure.dpi"] = 72  # small figures keep the executed notebook small


def bundled(name: str) -> pd.DataFrame:
    """A CSV file that ships in the package's data folder."""
    with resources.files("customervalue").joinpath("data", name).open("rb") as fh:
        return pd.read_csv(fh)


profile = bundled("value_map_profile.csv")  # attribute weights (sum 100) and 1-10 ratings
drivers = bundled("economic_value_drivers.csv")  # value per unit of ours against Rival A
PRICES = {"Ours": 120.0, "Rival A": 100.0, "Rival B": 80.0}
UNIT_COST = 35.0  # our incremental cost per unit: the floor of any price
profile.round(1)

# %% [markdown]
# ## 1. The customer value map (Gale 1994)
# Customers say how much each attribute matters (weights $w_a \ge 0$ that sum to 100) and rate
# every brand $b$ on every attribute ($x_{b,a}$, here on a 1–10 scale). Then, for each brand:
#
# * the **quality ratio** on attribute $a$ compares the brand with the average of the others:
#   $q_{b,a} = x_{b,a} \,/\, \bar x_{-b,a}$;
# * the **market-perceived quality score** is $Q_b = \sum_a w_a\, q_{b,a}$ (100 = level with
#   the average rival);
# * the **relative price** is $P_b = 100\, p_b \,/\, \bar p_{-b}$;
# * the **fair-value line** is where quality and price balance: $P = Q$ ("parity"), or a line
#   $P = \alpha + \beta Q$ fitted through the brands ("regression");
# * **customer value added** is the distance below the line, $\text{CVA}_b = \alpha + \beta Q_b -
#   P_b$: positive means more quality than the price asks for.

# %%
vmap = cv.value_map(profile, ours="Ours", prices=PRICES)
print(vmap.summary())
vmap.profile.round(3)

# %% [markdown]
# The profile shows where our score comes from: accuracy (weight 40, rated 9 against the rivals'
# 5.5) contributes 65 of our 140 points. The formulas can be checked by hand:

# %%
others = ["Rival A", "Rival B"]
ratio = profile["Ours"] / profile[others].mean(axis=1)
by_hand = (profile["weight"] * ratio).sum()
relative_price = 100 * PRICES["Ours"] / pd.Series(PRICES)[others].mean()
print(f"Q = {by_hand:.2f} (package {vmap.quality_score:.2f}); P = {relative_price:.1f}")
vmap.table.round(1)

# %%
vmap.plot()
plt.show()

# %% [markdown]
# We sit below the parity line: 140 points of quality at a relative price of 133, so 6.6 points
# of customer value added. The price that would put us *on* the line is the price the map says we
# can charge without giving customers worse value than the rivals:
# $p^{\text{parity}} = Q_{\text{ours}} / 100 \times \bar p_{\text{rivals}}$.

# %%
rival_mean_price = pd.Series(PRICES)[others].mean()
parity_price = vmap.quality_score / 100 * rival_mean_price
round(parity_price, 2)

# %% [markdown]
# ## 2. Economic value estimation (Forbis & Mehta 1981; Nagle & Müller 2018)
# Start from what the customer would otherwise buy, the **reference value** $R$ (the price of the
# next-best alternative, here Rival A at 100). Then put a price, in the customer's money and per
# unit, on every difference between us and that alternative: positive differentiation value $D^+$
# for what we do better, negative $D^-$ for what we do worse (here a switching cost). Then
#
# $$\text{EV} = R + D^+ - D^-,$$
#
# the most a fully informed customer would pay before Rival A became the better deal. A
# value-based price lies between the unit cost $c$ and EV: at price $p$ the customer keeps
# $\text{EV} - p$ as the incentive to buy from us, and we keep $p - c$.
#
# The book asks the right first questions elsewhere. Chapter 6 ("Assessing Customer Value and
# Developing Strategies") opens its section "Identifying Customer Value and Program Impact" with
# *"How do customers currently solve their problems?"* and *"What are their current options?"*.
# The answers are the reference value; the rest of economic value estimation prices the
# differences from it.
#
# Each driver is a small calculation of its own. In the bundled table, "fewer costly errors" at 45
# could be 0.9 fewer errors per unit × 50 per error, and "analyst time saved" at 30 could be 0.6
# hours × 50 an hour. Section 4 varies the first of these.

# %%
eve = cv.economic_value(drivers, reference_value=PRICES["Rival A"], cost_floor=UNIT_COST)
print(eve.summary())
eve.plot()
plt.show()

# %%
candidates = {
    "value-map parity": parity_price,
    "current": PRICES["Ours"],
    "economic value": eve.economic_value,
}
pd.DataFrame(
    {
        "price": candidates,
        "customer keeps (EV - p)": {k: eve.economic_value - p for k, p in candidates.items()},
        "we keep (p - cost)": {k: p - UNIT_COST for k, p in candidates.items()},
    }
).round(1)

# %% [markdown]
# ## 3. Two methods, two prices
# The value map says a price near 126 keeps us on the fair-value line; economic value estimation
# says the customer would pay up to 170. That gap of 44 per unit is Smith & Nagle's point. The
# map measures our quality *relative to the rivals* and converts it into money through the
# *rivals' prices*, so our advantage is priced at what the market charges for average quality.
# Economic value estimation prices our advantage at what it is worth to the customer. When the
# differences matter a lot to the customer, the map leaves money on the table. Neither number is
# "the" price: EV is a ceiling, and the price between floor and ceiling is a choice about how much
# of the differentiation value to leave to the customer as an incentive to switch.

# %%
pd.Series(
    {
        "cost floor": UNIT_COST,
        "value-map parity price": round(parity_price, 2),
        "current price": PRICES["Ours"],
        "economic value (ceiling)": eve.economic_value,
    }
).to_frame("price per unit")

# %% [markdown]
# ## 4. What goes wrong, and why
# ### 4a. The map cannot see money
# Suppose the cost of an error differs from one customer to another. For a lab that reruns an
# experiment, an error may cost 200; for a small shop, 10. Ratings on a 1–10 scale do not change
# with the stakes (our accuracy is rated 9 either way), so the map and its parity price stay where
# they are. Economic value moves one for one with what the difference is worth.

# %%
ERRORS_AVOIDED = 0.9  # fewer errors per unit than Rival A
sweep = []
for cost_per_error in [10, 25, 50, 100, 200]:
    d = drivers.copy()
    d.loc[d["driver"] == "fewer costly errors", "value"] = ERRORS_AVOIDED * cost_per_error
    ev = cv.economic_value(d, reference_value=PRICES["Rival A"]).economic_value
    sweep.append({"cost per error": cost_per_error, "economic value": ev, "value-map parity": parity_price})
sweep = pd.DataFrame(sweep).set_index("cost per error")
ax = sweep.plot(marker="o", title="Price each method supports")
ax.axhline(UNIT_COST, color="0.5", ls=":", label="cost floor")
ax.set(xlabel="cost of one error to the customer", ylabel="price per unit")
ax.legend()
plt.show()
sweep.round(1)

# %% [markdown]
# The two methods agree only where an error costs the customer about 1. At 50 per error the map
# underprices by 44 per unit; at 200, by 179. The map is not wrong about perceptions. It just has
# no unit in which the stakes can show up. The error also runs the other way: when our advantages
# are worth little to a customer, the map's parity price is more than they would pay (the small
# shops below).
#
# ### 4b. One map, many customers: economic value per segment
# The usual fix is to estimate economic value per segment, each against *its own* next-best
# alternative. Here small shops would otherwise buy Rival B at 80, and errors cost them little;
# labs compare us with Rival A, and errors cost them a great deal.

# %%
segment_drivers = pd.DataFrame(
    {
        "segment": ["labs"] * 4 + ["small shops"] * 4,
        "driver": ["fewer costly errors", "analyst time saved", "less support effort", "switching cost"] * 2,
        "value": [0.9 * 200, 30.0, 10.0, -15.0, 1.2 * 10, 20.0, 15.0, -15.0],
    }
)
eve_by_segment = cv.economic_value(
    segment_drivers,
    by="segment",
    reference_value={"labs": PRICES["Rival A"], "small shops": PRICES["Rival B"]},
    cost_floor=UNIT_COST,
)
print(eve_by_segment.summary())
eve_by_segment.table.round(1)

# %% [markdown]
# One price of 120 is far below what labs would pay (305) and above what small shops would (112);
# the map's parity price of 126 is further above it still. A single value map, averaged over both
# segments, hides both facts. The two economic values are the case
# for two offers (say a premium tier with an accuracy guarantee and a basic tier), fenced so that
# labs cannot buy the cheap one.
#
# ### 4c. Relative scores depend on who is in the comparison
# Every number on the map is relative to the *other* brands. Add a cheap, weak brand that few of
# our customers would consider, and our position changes though nothing about us has.

# %%
with_c = profile.assign(**{"Rival C": [4.0, 4.5, 5.0, 5.0, 5.0]})
vmap_c = cv.value_map(with_c, ours="Ours", prices={**PRICES, "Rival C": 40.0})
position = ["quality", "relative_price", "customer_value"]
pd.DataFrame(
    {
        "three brands": vmap.table.set_index("brand").loc["Ours", position],
        "with Rival C": vmap_c.table.set_index("brand").loc["Ours", position],
    }
).round(1)

# %% [markdown]
# Our quality score rises from 140 to 153 (the rival average is lower), our relative price rises
# even more, from 133 to 164 (the rivals' average price falls from 90 to 73), and customer value
# added turns from +6.6 to −10.4. The
# comparison set must be the brands *our customers* actually weigh us against, which is a survey
# question ("which others did you consider?"), not a list the analyst chooses.
#
# ### 4d. Ratios of ratings depend on where the scale starts
# A quality ratio treats a rating of 9 as "1.5 times" a rating of 6. That only makes sense if 0
# means "no quality at all". A 1–10 scale has no such zero. Subtract 4 from every rating (the same
# answers on a scale whose lowest point is −3) and the ratios change, though the brands' order and
# the gaps between them are untouched.

# %%
brands = ["Ours", "Rival A", "Rival B"]
shifted = profile.assign(**{b: profile[b] - 4 for b in brands})
vmap_shifted = cv.value_map(shifted, ours="Ours", prices=PRICES)


def difference_score(prof: pd.DataFrame) -> float:
    """Gale's other form: weighted rating difference from the rivals' average (points on the scale)."""
    return float((prof["weight"] * (prof["Ours"] - prof[others].mean(axis=1))).sum() / 100)


pd.DataFrame(
    {
        "ratio score Q": [vmap.quality_score, vmap_shifted.quality_score],
        "difference score": [difference_score(profile), difference_score(shifted)],
    },
    index=["ratings 1-10", "ratings minus 4"],
).round(2)

# %% [markdown]
# The ratio score jumps from 140 to 235; the difference score (how many scale points above the
# rivals' average we are, weighted) does not move. Use ratios only with measures that have a true
# zero (hours, error counts, money); on rating scales, compare differences, or anchor the scale so
# that its zero means something.
#
# ## What the book gets wrong, and what to do instead
# * **"A qualitative approach" is wrong.** The customer value map is arithmetic on weights, ratings
#   and prices (section 1 computes it and checks it by hand). The map *is* qualitative about one
#   thing: its inputs are perceptions, so collect the weights and ratings from customers, not from
#   the sales team.
# * **"Difficult to compare different products" is backwards.** Comparing products is all the map
#   does; every number on it is relative to the rivals (section 4c shows this cuts both ways).
# * **Economic value modelling is not about "financial data" on the product.** It prices the
#   differences from the customer's next-best alternative, in the customer's money, per segment
#   (sections 2 and 4b).
# * **"Each has its strengths and weaknesses" stops short.** The article whose title the heading
#   borrows concludes that economic value should set prices, because the map prices
#   differentiation at the market's rate (section 4a). The methods answer different questions:
#   the map shows how customers see us against the rivals; economic value gives the ceiling of a
#   value-based price range whose floor is the unit cost. Use the map to find which attributes
#   drive our position, and economic value to put money on them.

# %% [markdown]
# ## Exercises
# Five exercises, from changing a parameter to applying the method to new data. Solutions, with
# the reasoning, are in `solutions/07_solutions.py`. Exercises marked **(checked)** have a cell to
# fill in and a check cell after it, which prints "not answered yet" until you replace the `None`.
#
# **Exercise 1 · Customers' weights (change a parameter and explain; checked).** A new survey finds
# customers care less about accuracy and more about integrations: move 20 points of weight from
# accuracy to integrations (weights 20, 30, 10, 25, 15). Recompute the value map and put our new
# quality score in `quality_new_weights`. Explain why it falls by about 12 points, and what happens
# to the parity price.

# %%
quality_new_weights = None  # your code here: our market-perceived quality score with the new weights

# %%
# check: exercise 1
if quality_new_weights is None:
    print("exercise 1: not answered yet")
else:
    assert abs(quality_new_weights - 127.97) < 0.05, (
        f"{quality_new_weights:.2f}: with weights 20, 30, 10, 25, 15 (accuracy 40 -> 20, integrations "
        "5 -> 25) our score is 20 x 1.636 + 30 x 1.333 + 10 x 1.154 + 25 x 1.037 + 15 x 1.185"
    )
    print("exercise 1: correct")

# %% [markdown]
# **Exercise 2 · A fitted fair-value line (change a parameter and explain).** Refit the map with
# `fair_value_line="regression"`. How do the line and our customer value change? Then drop Rival B
# from the profile and the prices and fit the regression line again: what is every brand's
# customer value now, and why? What does that say about fitting a line through three brands?
#
# **Exercise 3 · Drivers against the right reference (build the inputs; checked).** Drivers must be
# measured against the reference. A benchmark per unit gives: errors 0.3 (ours), 1.2 (Rival A) and
# 1.5 (Rival B), at 50 per error; analyst hours 1.0, 1.6 and 2.0 at 50 an hour; support hours 0.4,
# 0.6 and 0.7 at 50 an hour; and a switching cost of 15 per unit against either rival. Compute the
# economic value of ours against Rival A (at 100) and against Rival B (at 80), as a dict in
# `ev_by_reference`. Which rival is the customer's *next-best* alternative, and why is it the one
# that gives the lower economic value?

# %%
ev_by_reference = None  # your code here: {"Rival A": economic value, "Rival B": economic value}

# %%
# check: exercise 3
if ev_by_reference is None:
    print("exercise 3: not answered yet")
else:
    assert abs(ev_by_reference["Rival A"] - 170.0) < 1e-6, (
        f"against Rival A: {ev_by_reference['Rival A']}; the drivers are 0.9 x 50, 0.6 x 50, 0.2 x 50 "
        "and -15, on a reference of 100"
    )
    assert abs(ev_by_reference["Rival B"] - 190.0) < 1e-6, (
        f"against Rival B: {ev_by_reference['Rival B']}; every difference from Rival B is larger "
        "(1.2 errors, 1.0 analyst hour, 0.3 support hours), on a reference of 80"
    )
    print("exercise 3: correct")

# %% [markdown]
# **Exercise 4 · A premium rival (break the map and explain).** Add a premium brand, Rival P, rated
# 9.5, 9.0, 9.0, 9.0 and 9.5 and priced at 180. How do our quality score, relative price and
# customer value change? Compare with section 4c. Which brands belong in a value map, and how
# would you find out?
#
# **Exercise 5 · Economic value and stated willingness to pay (a new dataset; checked).**
# `cv.datasets.pricing_survey(n=2000, seed=0)` holds the stated willingness to pay (`wtp`) of
# three segments for a subscription app. The next-best alternative is a rival app at 25 a month
# for every segment. Per month, our app's drivers against it are: Students, time saved +10 and
# learning curve −5; Professionals, time saved +35, fewer errors +5 and learning curve −5; Teams,
# time saved +70, shared workspaces +30 and learning curve −10. Compute the economic value per
# segment with `by="segment"`, and put in `wtp_gap` a Series, indexed by segment, of economic value
# minus the segment's median stated WTP. Which segment has the largest gap? What does a gap between
# what the app is worth and what customers say they would pay tell a seller to do (see the
# "sharing" step of notebook 08)? Compare the medians with the planted truth,
# `survey.attrs["truth"]["wtp_median"]`.

# %%
wtp_gap = None  # your code here: Series, segment -> economic value - median stated WTP

# %%
# check: exercise 5
if wtp_gap is None:
    print("exercise 5: not answered yet")
else:
    _wtp = cv.datasets.pricing_survey(n=2000, seed=0).groupby("segment")["wtp"].median()
    _ev = pd.Series({"Students": 30.0, "Professionals": 60.0, "Teams": 115.0})
    assert set(wtp_gap.index) == set(_ev.index), f"wtp_gap should be indexed by segment: {list(_ev.index)}"
    for _segment in _ev.index:
        assert abs(wtp_gap[_segment] - (_ev[_segment] - _wtp[_segment])) < 1e-6, (
            f"{_segment}: {wtp_gap[_segment]} is not economic value minus the median stated WTP "
            f"({_ev[_segment]} - {_wtp[_segment]})"
        )
    print(f"exercise 5: correct; the largest gap is {wtp_gap.idxmax()}")

# %% [markdown]
# ## References
# * Forbis, J. L. & Mehta, N. T. (1981). Value-based strategies for industrial products. *Business
#   Horizons*, 24(3), 32–42.
# * Gale, B. T. (1994). *Managing Customer Value: Creating Quality and Service That Customers Can
#   See*. Free Press. (The customer value map: quality and price profiles, the fair-value line.)
# * Nagle, T. T. & Müller, G. (2018). *The Strategy and Tactics of Pricing* (6th ed.). Routledge,
#   ch. 2. (Economic value estimation: reference value plus differentiation value, by segment.)
# * Smith, G. E. & Nagle, T. T. (2005). A question of value. *Marketing Management*, July/August
#   2005. (Why economic value modelling, not value mapping, should set prices.)
# * Stevens, S. S. (1946). On the theory of scales of measurement. *Science*, 103(2684), 677–680.
#   (Ratios need a ratio scale, one with a true zero.)
