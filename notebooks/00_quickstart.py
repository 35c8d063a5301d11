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
