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
# # 00 · Quickstart: the sample data and the three table libraries
#
# customervalue ships seeded synthetic data with the truth it was drawn from, and the real CDNOW
# purchase data. Every analysis takes a pandas DataFrame, a polars DataFrame or a pyarrow Table;
# this notebook loads each dataset, shows the planted truth, and passes the same data in all three
# forms.

# %%
import json

import customervalue as cv
import pandas as pd
import polars as pl
import pyarrow as pa

customers = cv.datasets.customers(n=5000, seed=0)
customers.head()

# %% [markdown]
# ## The planted truth
# Each synthetic frame carries the parameters it was drawn from in `df.attrs["truth"]`: five
# behavioural clusters with known weights, themes in the comments with known lifts, and known
# effects of each theme on the value rating.

# %%
truth = customers.attrs["truth"]
print(truth["clusters"], truth["cluster_weights"])
print(json.dumps(truth["theme_lifts"]["price"], indent=1))
pd.crosstab(customers["true_cluster"], customers["product"], normalize="index").round(2)

# %% [markdown]
# Simple statistics already show what was planted: price complaints over-index in North and
# Coastal (planted lift 2.2) and among customers spending below the median (1.8).

# %%
hot = customers["region"].isin(["North", "Coastal"])
low = customers["monetary"] < customers["monetary"].median()
rates = customers.groupby([hot.rename("north_or_coastal"), low.rename("low_spender")])["theme_price"].mean()
rates.unstack().round(3)

# %%
transactions = cv.datasets.transactions(n_customers=2000, seed=0)
print(transactions.attrs["truth"]["bgnbd"], transactions.attrs["truth"]["gamma_gamma"])
transactions.head()

# %%
survey = cv.datasets.pricing_survey(n=1000, seed=0)
print(survey.attrs["truth"]["wtp_median"], survey.attrs["truth"]["segments"])
survey.head()

# %%
cdnow = cv.datasets.cdnow()
print(len(cdnow), "CDNOW customers;", len(cv.datasets.cdnow_transactions()), "transactions")
cdnow.describe().round(2)

# %% [markdown]
# ## One call, three libraries
# The same survey as pandas, polars and pyarrow gives the same demand curve: each crosses into
# Rust as Arrow, with no per-row Python work.

# %%
as_polars = pl.from_pandas(survey)
as_arrow = pa.Table.from_pandas(survey)
results = [cv.demand_curve(data, wtp="wtp", cost=10) for data in (survey, as_polars, as_arrow)]
assert all(r.table.equals(results[0].table) for r in results)
results[0]

# %% [markdown]
# ## Notebook conveniences
# `%load_ext customervalue` adds a `df.cv` accessor, so any function that takes a DataFrame first
# can be called on the frame itself; results render as tables.

# %%
# %load_ext customervalue
survey.cv.van_westendorp(nms={"cheap": "intent_cheap", "expensive": "intent_expensive"})

# %% [markdown]
# ## Errors name the column
# Bad input raises `cv.InputError` (a `ValueError`) saying which column and what is wrong.

# %%
try:
    cv.demand_curve(survey, wtp="willingness")
except cv.InputError as e:
    print("InputError:", e)
try:
    cv.demand_curve(survey.assign(wtp=-survey["wtp"]), wtp="wtp")
except cv.InputError as e:
    print("InputError:", e)

# %% [markdown]
# ## Exercises
# Five exercises, from changing a parameter to applying what you saw to other data. The ones marked
# **checked** have an answer cell: replace `None` with your code and run the check cell after it,
# which prints "not answered yet" until you do and fails with a hint if the answer is wrong. Worked
# solutions: `notebooks/solutions/00_solutions.py`.
#
# **Exercise 1 (change a parameter; checked).** Draw `cv.datasets.customers(n=2000, seed=1)` and
# compute the observed share of customers in each planted cluster, as a pandas Series `shares`
# indexed by cluster *name* (`true_cluster` holds codes 0–4; `truth["clusters"]` gives their names
# in code order). Compare it with `truth["cluster_weights"]`. Which numbers changed with the seed
# and the size, and which did not? How far from the weights do you expect the shares of 2,000
# customers to be (the binomial standard error √(w(1 − w)/n))?

# %%
shares = None  # your code here: a Series, cluster name -> share of the 2,000 customers

# %%
# check: exercise 1
if shares is None:
    print("exercise 1: not answered yet")
else:
    _truth = cv.datasets.customers(n=10, seed=1).attrs["truth"]
    _weights = pd.Series(_truth["cluster_weights"], index=_truth["clusters"])
    assert isinstance(shares, pd.Series) and set(shares.index) == set(_weights.index), (
        f"shares should be a Series indexed by the cluster names {list(_weights.index)}"
    )
    assert abs(shares.sum() - 1) < 1e-9, f"shares should sum to 1 (they sum to {shares.sum():.4g})"
    _gap = (shares - _weights).abs().max()
    assert _gap < 0.03, f"a share is {_gap:.3f} from its planted weight: check the code -> name mapping"
    print("exercise 1: correct")

# %% [markdown]
# **Exercise 2 (a statistic against the truth; checked).** On the 5,000 customers of `seed=0`,
# compute `price_lift`: the share of comments flagged `theme_price` among customers in North and
# Coastal divided by that share among everyone else. The planted lift is 2.2: why is the observed
# one not exactly 2.2? Repeat for `seed=1` to `seed=4` and say how much of the difference is
# sampling noise.

# %%
price_lift = None  # your code here: a number, rate in North and Coastal / rate elsewhere

# %%
# check: exercise 2
if price_lift is None:
    print("exercise 2: not answered yet")
else:
    assert 1.85 < price_lift < 2.55, (
        f"price_lift = {price_lift:.3g}: expected the rate in North and Coastal divided by the rate "
        "in the other regions, near the planted 2.2"
    )
    print("exercise 2: correct")

# %% [markdown]
# **Exercise 3 (the three libraries).** Compute the price-complaint rate by region three ways: with
# pandas (`groupby`), with polars (`pl.from_pandas(customers).group_by("region")`) and with pyarrow
# (`pa.Table.from_pandas(customers).group_by("region")`). Show that the three agree to the last
# digit. Then call `cv.demand_curve` on a polars frame of the survey with `by="segment"` and say
# what, if anything, you had to change.
#
# **Exercise 4 (one price or three).** With `cv.demand_curve(survey, wtp="wtp", cost=10,
# by="segment")`, find the profit-optimal price of each segment of the pricing survey and the
# profit it earns. How much more profit do three segment prices earn than the single price of the
# demand curve above? Compare each segment's price with its planted median willingness to pay
# (`survey.attrs["truth"]["wtp_median"]`): why is the profit-optimal price below the median? What
# would a firm need before it could charge students less than teams?
#
# **Exercise 5 (new data: the CDNOW purchase log; checked).** `cv.datasets.cdnow()` summarises a
# one-in-ten sample of the CDNOW customers over their first 39 weeks. Rebuild that summary for
# *all* 23,570 customers from `cv.datasets.cdnow_transactions()` with `cv.rfm_summary(...,
# observation_end="1997-09-30", time_unit="W")` and compute `no_repeat_share`, the share of
# customers who made no repeat purchase. Compare it with the same share in the sample. What happens
# to the share if you observe the customers to the end of the log (June 1998), and why?

# %%
no_repeat_share = None  # your code here: a number between 0 and 1

# %%
# check: exercise 5
if no_repeat_share is None:
    print("exercise 5: not answered yet")
else:
    _sample = (cv.datasets.cdnow()["frequency"] == 0).mean()
    assert 0 < no_repeat_share < 1, "no_repeat_share is a share of customers, between 0 and 1"
    assert abs(no_repeat_share - _sample) < 0.02, (
        f"no_repeat_share = {no_repeat_share:.3f}, but a one-in-ten sample of the same customers "
        f"has {_sample:.3f}: are all customers observed only to the end of September 1997?"
    )
    print("exercise 5: correct")
