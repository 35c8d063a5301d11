# %% [markdown]
# # Solutions to the exercises of notebook 11 · Conjoint and features
#
# Each exercise is solved with code; the comments give the answer and the reasoning. The checked
# exercises (1, 2, 3 and 5) run the notebook's own check cells on these answers (through
# `_checks.py`), so this script fails if an answer stops satisfying them. Run:
# `python notebooks/solutions/11_solutions.py`.

# %%
import customervalue as cv
import numpy as np
import pandas as pd
from _checks import NotebookChecks

checks = NotebookChecks("11")
pd.set_option("display.width", 120)
ATTRS = ["brand", "storage", "battery"]
UNIT_COST = 15.0
survey = cv.datasets.conjoint_survey(800, seed=0)
truth = survey.attrs["truth"]
mnl = cv.fit_choice(survey, attributes=ATTRS, price="price")
lc = cv.fit_choice(
    survey, attributes=ATTRS, price="price", model="latent_class", n_classes=2, n_starts=2, seed=0
)
OURS = {"brand": "Bolt", "storage": "128 GB", "battery": "2 days"}
rivals = pd.DataFrame(
    {
        "brand": ["Apex", "Cirrus"],
        "storage": ["128 GB", "64 GB"],
        "battery": ["2 days", "2 days"],
        "price": [45.0, 20.0],
    },
    index=["Apex 128", "Cirrus 64"],
)
PRICES = np.arange(20.0, 51.0)

# %% [markdown]
# ## Exercise 1 · The upgrade, with its interval

# %%
dummy = cv.fit_choice(survey, attributes=ATTRS, price="price", coding="dummy")
w_dummy = dummy.wtp.set_index(["attribute", "level"])
w_effects = mnl.wtp.set_index(["attribute", "level"])
upgrade_wtp = w_dummy.loc[("storage", "256 GB"), "wtp"]
print(w_dummy.loc["storage"].round(3))
print(
    "effects-coded difference:",
    round(w_effects.loc[("storage", "256 GB"), "wtp"] - w_effects.loc[("storage", "64 GB"), "wtp"], 4),
)
# the likelihood is the same under both codings: the same model, reparametrised
assert abs(dummy.log_likelihood - mnl.log_likelihood) < 1e-6

# Answer: 12.55 (95% interval 11.73 to 13.38). Under dummy coding the first level, 64 GB, is the
# reference with part-worth 0, so the part-worth of 256 GB is its utility *over 64 GB*, and its
# WTP is the money value of the upgrade. Effects coding measures each level from the attribute's
# average instead (6.12 and -6.43); both codings describe the same utilities (the log-likelihoods
# are equal), so differences between levels agree: 6.12 - (-6.43) = 12.55. The effects-coded WTP
# table has no interval for the difference (it would need the covariance of the two WTPs); the
# dummy coding gives it directly, because the difference is one coefficient. For an upgrade from a
# level that is not the first, reorder the categories so that it is.

checks.run("exercise 1", upgrade_wtp=upgrade_wtp)

# %% [markdown]
# ## Exercise 2 · The battery, segment by segment

# %%
price_coef = lc.coefficients.query("name == 'price'").set_index("class")["coef"]
CLASS = {int(price_coef.idxmin()): "value seekers", int(price_coef.idxmax()): "premium"}
w = lc.wtp.set_index(["class", "attribute", "level"])["wtp"]
battery_wtp = {
    name: w[(cls, "battery", "2 days")] - w[(cls, "battery", "1 day")] for cls, name in CLASS.items()
}
planted = {
    c: -(truth["part_worths"]["battery"][c][1] - truth["part_worths"]["battery"][c][0])
    / truth["price_coefficient_per_dollar"][c]
    for c in truth["classes"]
}
utility = {
    name: lc.part_worths.set_index(["class", "attribute", "level"]).loc[
        (cls, "battery", "2 days"), "part_worth"
    ]
    * 2
    for cls, name in CLASS.items()
}
print(
    pd.DataFrame({"fitted WTP": battery_wtp, "planted WTP": planted, "fitted utility gain": utility}).round(2)
)

# Answer: the value seekers would pay 6.50 for the second day of battery (planted 6.67), the
# premium class 19.70 (planted 20). In utility the order is reversed: the second day is worth
# 0.98 to a value seeker and 0.40 to a premium customer. The value seekers care more about the
# battery than about anything else but price (it is their largest part-worth range); the premium
# customers care about it less than about brand and storage, but every unit of utility is worth
# 7.5 times as much money to them, because their price coefficient is 7.5 times smaller. So "the
# customer who places high value on convenience" is the value seeker if "value" means importance,
# and the premium customer if it means money. The book's package for that customer (all the
# convenience benefits at one price point) should be priced from the money, and the segments it
# is offered to chosen from both.

checks.run("exercise 2", battery_wtp=battery_wtp)

# %% [markdown]
# ## Exercise 3 · A higher unit cost

# %%
curves = {
    cost: lc.demand_curve(product=OURS, competitors=rivals, prices=PRICES, cost=cost)
    for cost in (15.0, 20.0, 25.0)
}
price_at_cost_25 = curves[25.0].profit_optimal_price
print({cost: c.profit_optimal_price for cost, c in curves.items()})
wide = lc.demand_curve(product=OURS, competitors=rivals, prices=np.arange(20.0, 151.0), cost=25.0)
print("over 20 to 150 the optimum at cost 25 would be", wide.profit_optimal_price)
tail = curves[25.0].table.set_index("price")["profit"]
print("profit at cost 25:", tail.loc[[28.0, 33.0, 40.0, 50.0]].round(3).to_dict())

# Answer: 50, up from 28: a jump of 22 for a cost increase of 10 (at a cost of 20 it is 33). With
# one segment a logit's optimal price rises smoothly, by less than the cost increase. Here the
# profit curve has two regions: a peak where we sell to value seekers, and a long flat tail where
# only the premium class buys and hardly reacts to price. A higher cost squeezes the margin on the
# cheap volume more than on the tail, and at 25 the tail wins: profit rises all the way to 50, the
# highest price respondents saw, and over a wider grid the model would go to about 70. But 50 is a
# corner, not an optimum: it sits where the survey stops. Before charging it, you would need
# evidence that the premium class's utility stays linear in price above 50 (test prices up to 80
# or 100 in a new survey), and a "none" option, since in this model nobody ever leaves the market
# (section 7c). Otherwise "sell only to the premium class at 50 or more" is the model's
# assumptions speaking.

checks.run("exercise 3", price_at_cost_25=price_at_cost_25)

# %% [markdown]
# ## Exercise 4 · A way out

# %%
print("utilities: ours at 28, then the rivals at their prices (columns: classes)")
print(np.vstack([lc.utilities(pd.DataFrame([OURS | {"price": 28.0}])), lc.utilities(rivals)]).round(2))
print("classes:", CLASS)
rows = {}
for none in (None, -6.0, -4.0, -2.0):
    c = lc.demand_curve(product=OURS, competitors=rivals, prices=PRICES, cost=UNIT_COST, none=none)
    rows["no outside option" if none is None else f"none = {none:+g}"] = {
        "share at 28": c.table.set_index("price").loc[28.0, "share"],
        "profit-optimal price": c.profit_optimal_price,
        "profit at optimum": c.optima["profit_at_optimum"].iloc[0],
    }
print(pd.DataFrame(rows).T.round(3))

# Answer: the value seekers' utilities at these prices are around -3 to -6 (the price term
# dominates), the premium class's between -0.4 and +1 for ours and the Apex. With none = -6 the
# outside option hardly matters (our share at 28 moves from 0.261 to 0.256); with -4 it takes some
# value seekers (0.23) and with -2 most of them (0.15). The profit-optimal price stays at 28 down
# to -4 and then jumps to 50 at -2: once the outside option has absorbed the value seekers, only
# the premium tail is left, and it is flat (exercise 3). So the price the simulator recommends
# depends on a number the data cannot give: the survey forced a choice among three phones, so
# every value of `none` fits it equally well. To identify it, add a "none of these" alternative to
# each task (`cv.conjoint_design(..., none_option=True)`) or a dual-response question after each
# task ("would you buy the phone you chose at that price?"), and then calibrate the none share to
# the real purchase rate, since stated intent overstates it.

# %% [markdown]
# ## Exercise 5 · How many respondents for MaxDiff?

# %%
BENEFITS = {
    "free shipping": 1.2,
    "24-hour delivery": 0.9,
    "extended warranty": 0.6,
    "choose delivery slot": 0.4,
    "live chat support": 0.0,
    "custom engraving": -0.3,
    "loyalty points": -0.5,
    "gift wrapping": -1.0,
}


def simulate_maxdiff(n_respondents, seed, n_tasks=8, per_task=4):
    """The notebook's simulation: best-worst picks by the sequential logit."""
    rng = np.random.default_rng(seed)
    names, u = list(BENEFITS), np.array(list(BENEFITS.values()))
    rows = []
    for r in range(n_respondents):
        for t in range(n_tasks):
            shown = rng.choice(len(u), per_task, replace=False)
            best = shown[np.argmax(u[shown] + rng.gumbel(size=per_task))]
            rest = shown[shown != best]
            worst = rest[np.argmax(-u[rest] + rng.gumbel(size=per_task - 1))]
            rows += [(r, t, names[i], i == best, i == worst) for i in shown]
    return pd.DataFrame(rows, columns=["respondent_id", "task", "item", "best", "worst"])


def mean_width(result):
    t = result.table.iloc[1:]  # the reference item has no interval
    return float((t["ci_high"] - t["ci_low"]).mean())


md_300 = cv.maxdiff(simulate_maxdiff(300, seed=11))
md_60 = cv.maxdiff(simulate_maxdiff(60, seed=12))
width_ratio = mean_width(md_60) / mean_width(md_300)
print(f"mean width: 300 respondents {mean_width(md_300):.3f}, 60 respondents {mean_width(md_60):.3f}")
print(f"ratio {width_ratio:.2f}; sqrt(300 / 60) = {np.sqrt(5):.2f}")
order_60 = md_60.table.sort_values("score", ascending=False)["item"].to_list()
order_true = sorted(BENEFITS, key=BENEFITS.get, reverse=True)
print("order at 60:  ", order_60)
print("planted order:", order_true)

# Answer: the ratio is about 2.2. Standard errors of maximum-likelihood estimates shrink like
# 1 / sqrt(n), so a fifth of the respondents should widen every interval by sqrt(5) = 2.24; the
# difference from 2.24 is sampling noise in the two simulated studies. At 60 respondents the
# intervals are about 0.3 either side of each score, wider than the gaps between neighbours
# planted 0.2 or 0.3 apart, so neighbouring benefits can swap: compare the two orders printed
# above. The top and the bottom of the list are clear; the middle is not. A MaxDiff sized to
# separate benefits a tenth of a utility apart needs several hundred respondents.

checks.run("exercise 5", width_ratio=width_ratio)

# %%
checks.finish()
