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
# # 10 · Beyond one machine: the same analyses on Dask, exactly
#
# **An optional extra session; it follows no chapter of the book.** It takes the lifetime-value
# pipeline of notebook 02 (chapter 1, "The Value Problem", section "Customer lifetime value
# (CLV)") and the Van Westendorp analysis of notebook 09 (chapter 8, "Pricing, Strategies &
# Assumptions") to tables that do not fit on one machine: a retailer's transaction log is
# billions of rows, and those notebooks fitted tables held in memory. The usual answer,
# "summarise elsewhere, then fit", hides a question this notebook answers with code: **does the
# result change when the table is split?**
#
# customervalue answers "no": every analysis that runs on Dask (and on Spark) is a *map* over the
# parts of the table, a *combine* of small mergeable states, and a *finish* that calls the
# single-machine function, so the summaries, fitted parameters, Van Westendorp points and CLV are
# **bit-identical** to the call on the whole table. Here we show that equality rather than claim
# it, look at the states themselves (the incremental-update story: yesterday's state plus today's
# rows), and demonstrate the one trap that makes naive splits silently wrong.
#
# It needs the `dask` extra: `pip install "customervalue[dask]"`. The data are small, so a
# cluster of two processes on this machine can only add overhead; the point is that the same
# code, unchanged, runs on a cluster of a hundred machines.

# %%
import logging
import pickle

import customervalue as cv
import dask.dataframe as dd
import numpy as np
import pandas as pd
from distributed import Client, LocalCluster
from pandas.testing import assert_frame_equal, assert_series_equal

# dask's p2p shuffle logs a line each time a shuffle starts and ends: keep the outputs readable
logging.getLogger("distributed.shuffle").setLevel(logging.ERROR)

# %% [markdown]
# ## 1. A cluster on this machine
# `LocalCluster` starts a scheduler and worker *processes* on this machine; a `Client` connected
# to it becomes the default for every dask computation. Two workers with one thread each stand in
# for two machines. customervalue has no client argument: it runs on whichever client is current,
# and sets the Rust core's thread count on each worker to the worker's own threads, so the
# workers do not oversubscribe the cores.

# %%
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
client = Client(cluster)
print(f"{len(client.scheduler_info()['workers'])} workers, 1 thread each")

# %% [markdown]
# ## 2. The lifetime-value pipeline on partitioned data
# The log of 20,000 customers, cut into eight partitions in its own row order (by customer),
# stands in for a log read from many Parquet files (`dd.read_parquet("orders/*.parquet")`). The
# top-level functions take the dask DataFrame where they take a pandas one.

# %%
tx = cv.datasets.transactions(20_000, seed=0)
log = dd.from_pandas(tx, npartitions=8)
summary = cv.rfm_summary(log, "customer_id", "date", "amount")
print(f"a dask {type(summary).__name__} with {summary.npartitions} partitions, not computed yet")

# %% [markdown]
# The summary is **lazy**: a plan, not a table. The call ran one small pass over the partitions
# (the first and last date, the rows, the missing values: a few numbers per partition); the plan
# shuffles the rows so that each partition holds every row of its customers, and summarises each
# partition with the Rust core. Computed and sorted by customer, it is the single-machine summary
# bit for bit:

# %%
one = cv.rfm_summary(tx, "customer_id", "date", "amount")
assert_frame_equal(summary.compute().sort_index(), one, check_exact=True)
print(f"summary of {len(one):,} customers: bit-identical to the single-machine call")

# %% [markdown]
# `persist()` keeps the shuffled summary in the workers' memory, so the fits and predictions
# below read it there instead of re-running the shuffle each time (on a real cluster, the
# difference between seconds and minutes).

# %%
summary = summary.persist()
bg, bg_one = cv.BetaGeo().fit(summary), cv.BetaGeo().fit(one)
gg, gg_one = cv.GammaGamma().fit(summary), cv.GammaGamma().fit(one)
for name, a, b in [("BG/NBD", bg, bg_one), ("Gamma-Gamma", gg, gg_one)]:
    same = np.array_equal(list(a.params_.values()), list(b.params_.values()))
    print(f"{name:12s}", {k: round(v, 6) for k, v in a.params_.items()}, "bit-identical:", same)

# %% [markdown]
# The fit is a map-reduce on *patterns*: each partition collapses its customers to distinct
# `(frequency, recency, T)` tuples with counts, the counts of equal tuples are added, and the
# merged patterns are fitted on the client with the counts as weights: the same likelihood,
# summed over the patterns in one canonical order (sorted by their values) on both paths. That
# order is why the parameters agree to the last bit, whatever the partitioning. What reaches the
# client is small:

# %%
print(f"{len(one):,} customers -> {bg.n_patterns_:,} patterns ({bg.n_patterns_ * 32 / 1e6:.2f} MB)")

# %% [markdown]
# Per-customer outputs stay lazy and partitioned by customer: each partition is scored with the
# fitted model, pickled to the workers. Twelve months of CLV, computed, equal the single call's:

# %%
alive = bg.probability_alive(summary)
clv = cv.customer_lifetime_value(bg, gg, summary, horizon=12, time_unit="M", discount_rate=0.01)
print(type(alive).__name__, type(clv).__name__, "(lazy)")
clv_one = cv.customer_lifetime_value(bg_one, gg_one, one, horizon=12, time_unit="M", discount_rate=0.01)
assert_series_equal(clv.compute().sort_index(), clv_one, check_exact=True)
assert_series_equal(alive.compute().sort_index(), bg_one.probability_alive(one), check_exact=True)
print(f"CLV of {len(clv_one):,} customers: bit-identical; total {clv_one.sum():,.0f}")

# %% [markdown]
# ## 3. Van Westendorp on a partitioned survey
# A survey of 20,000 respondents in six partitions. Each partition becomes a histogram of its
# answers (per answer price, the respondents naming it for each of the four questions), the
# histograms are added, and the curves, points and ranges are computed from the sum: every sum is
# a whole number, exact in any order, so the result is the single call's bit for bit.

# %%
survey = cv.datasets.pricing_survey(20_000, seed=0)
vw = cv.van_westendorp(dd.from_pandas(survey, npartitions=6))
vw_one = cv.van_westendorp(survey)
assert_frame_equal(vw.points, vw_one.points, check_exact=True)
assert_frame_equal(vw.table, vw_one.table, check_exact=True)
print(vw.points[["point", "price"]].to_string(index=False))
print("points and curves: bit-identical")

# %% [markdown]
# With the Newton-Miller-Smith extension the reach sums *fractional* purchase probabilities, and
# fractions added in another order can differ in the last bits. The adapter says so in its
# documentation and the difference is the size of rounding, not of a method:

# %%
nms = {"cheap": "intent_cheap", "expensive": "intent_expensive"}
vw_nms = cv.van_westendorp(dd.from_pandas(survey, npartitions=6), nms=nms)
vw_nms_one = cv.van_westendorp(survey, nms=nms)
gap = abs(vw_nms.nms_revenue_optimal_price / vw_nms_one.nms_revenue_optimal_price - 1)
print(f"NMS revenue-optimal price {vw_nms_one.nms_revenue_optimal_price:.4f}; relative gap {gap:.1e}")

# %% [markdown]
# ## 4. The mergeable states themselves
# Under the engine are small classes with one protocol: `from_arrow` summarises one part of a
# table (the map), `merge` / `merge_all` combine parts in any grouping and order, and `finish`
# returns what the single-machine function returns for the whole table. They work without any
# engine: on files read one at a time, or on yesterday's state and today's rows.
#
# **Files read one at a time.** Suppose the log arrives as one file per quarter. A
# `PartialSummary` per file, merged, finishes to the summary of the whole log:

# %%
PartialSummary = cv.economics.PartialSummary
quarter = tx["date"].dt.to_period("Q")
states = {str(q): PartialSummary.from_arrow(rows, amount="amount") for q, rows in tx.groupby(quarter)}
for q, s in states.items():
    print(q, s)
merged = PartialSummary.merge_all(reversed(list(states.values())))  # any order
assert_frame_equal(merged.finish(), one, check_exact=True)
print("merged quarterly states: bit-identical to the summary of the whole log")

# %% [markdown]
# The state keeps one row per customer and purchase day: the day's transaction count and its
# spend kept *exactly* (the rounded sum and the remainders, as `math.fsum` keeps them), so that
# a day split across two files, or amounts added in another order, give the same spend to the
# last bit. The ends (observation, calibration) are applied at `finish`, not in the state.

# %%
print(merged.to_arrow().slice(0, 4).to_pandas())
print(f"{merged.nbytes / merged.n_state_rows:.0f} bytes per customer-day; the log's rows: {len(tx):,}")

# %% [markdown]
# **Yesterday's state plus today's rows.** A nightly job need not re-read the history. It keeps
# the state (pickled, or as Arrow rows in a Parquet file), builds the state of today's rows and
# merges: the summary as of today, without touching yesterday's rows again.

# %%
today = tx["date"].max()
yesterday_state = PartialSummary.from_arrow(tx[tx["date"] < today], amount="amount")
stored = pickle.dumps(yesterday_state)  # or yesterday_state.to_arrow() to Parquet
todays_rows = tx[tx["date"] == today]
updated = pickle.loads(stored).merge(PartialSummary.from_arrow(todays_rows, amount="amount"))
assert_frame_equal(updated.finish(), one, check_exact=True)
print(f"{len(todays_rows)} rows today merged into a {len(stored) / 1e6:.1f} MB state: bit-identical")

# %% [markdown]
# The survey's state is far smaller than the survey: a row per distinct answer price, whatever
# the number of respondents.

# %%
VW = cv.demand.VanWestendorpState
parts = [VW.from_arrow(survey.iloc[i::5]) for i in range(5)]
vw_state = VW.merge_all(parts)
print(f"{len(survey):,} respondents -> {vw_state}")
assert_frame_equal(vw_state.finish().points, vw_one.points, check_exact=True)

# %% [markdown]
# ## 5. The trap: each part's own observation end
# A summary's `T` (how long each customer has been observed) runs to the observation end, which
# by default is the **last date of the whole log**. Summarising each part on its own, the habit of
# a `groupby(...).apply(...)`, gives each part *its own* last date. With parts of 100 customers,
# many parts end a few days early, their customers' `T` shrinks, and the fit moves. Nothing
# raises; the numbers are just wrong.


# %%
def summarise_alone(rows):
    """One part's summary on its own: its own last date is its observation end."""
    part = cv.rfm_summary(rows, "customer_id", "date", "amount")
    # keep the unit only: pd.concat compares the parts' attrs, and cannot compare their row
    # accounting (it holds a DataFrame of dropped rows)
    part.attrs = {"time_unit": part.attrs["time_unit"]}
    return part


block = tx["customer_id"] // 100  # parts of 100 customers
naive = pd.concat([summarise_alone(rows) for _, rows in tx.groupby(block)]).sort_index()
wrong_T = int((naive["T"] != one["T"]).sum())
print(f"{wrong_T:,} of {len(one):,} customers get a wrong T")
naive_params = cv.BetaGeo().fit(naive).params_
print(
    pd.DataFrame({"whole log": bg_one.params_, "parts alone": naive_params})
    .assign(change=lambda t: t["parts alone"] / t["whole log"] - 1)
    .round(4)
)

# %% [markdown]
# The adapter computes the global end first (one small reduction over every partition) and
# summarises every partition with it. The same parts of 100 customers, as 200 dask partitions,
# give the right summary:

# %%
log_100 = dd.from_pandas(tx, npartitions=200, sort=False)  # the log is in customer order
print(log_100.npartitions, "partitions")
exact = cv.rfm_summary(log_100, "customer_id", "date", "amount").compute().sort_index()
assert_frame_equal(exact, one, check_exact=True)
print("with the global end: bit-identical")

# %% [markdown]
# The states carry the same rule: a state's default end is the last date of *every part merged*.
# Finishing one quarter's state alone summarises that quarter as if the world ended there, which
# is a different question (and `finish(observation_end=...)` asks it on purpose).

# %%
first_quarter = states["2024Q1"]
print(f"first quarter alone ends {first_quarter.last_date:%Y-%m-%d}; merged: {merged.last_date:%Y-%m-%d}")

# %% [markdown]
# ## 6. k-means on dask: the same clusters, not the same bits
# `cv.cluster` on a dask DataFrame runs k-means over the partitions: the features' means and
# variances are merged (to standardize), the starting centres are chosen by k-means||
# (Bahmani et al. 2012: a few passes that sample candidates far from those chosen so far), and each
# Lloyd step is one pass that sends only per-cluster sums to the client. The seeding differs from
# the single call's k-means++ starts, so the result is not the same bits; it is deterministic for
# a fixed partitioning and seed, and on well-separated clusters it finds the same clusters.

# %%
customers = cv.datasets.customers(20_000, seed=0)
behaviour = [
    "visits_per_month",
    "avg_order_value",
    "discount_share",
    "online_share",
    "category_breadth",
    "support_contacts",
    "return_rate",
    "days_between_orders",
]
km = cv.cluster(dd.from_pandas(customers, npartitions=4), features=behaviour, k=5, seed=0)
km_one = cv.cluster(customers, features=behaviour, k=5, seed=0, progress=False)
labels = km.labels_.compute()  # lazy until computed, on the input's index
print(type(km).__name__, "-", km.details["n_passes"], "passes over the partitions")
print("ARI, dask vs single fit:", round(cv.metrics.adjusted_rand_score(km_one.labels_, labels), 4))
print(
    "ARI, dask vs planted truth:", round(cv.metrics.adjusted_rand_score(customers["true_cluster"], labels), 4)
)
gap = km.inertia_ / km_one.inertia_ - 1
print(f"inertia: dask {km.inertia_:,.3f}, single {km_one.inertia_:,.3f} (relative {gap:+.1e})")

# %% [markdown]
# ## 7. The same code on a real cluster
# Nothing above names the cluster, so moving to a real one changes only where the client
# connects and where the data come from. Install `customervalue[dask]` on the client and on
# every worker (the same version: the workers run the Rust core), then:
#
# ```python
# from distributed import Client
# import dask.dataframe as dd
# import customervalue as cv
#
# client = Client("tcp://scheduler:8786")                    # the cluster's scheduler
# log = dd.read_parquet("s3://shop/orders/*.parquet", columns=["customer_id", "date", "amount"])
# summary = cv.rfm_summary(log, "customer_id", "date", "amount").persist()
# bg, gg = cv.BetaGeo().fit(summary), cv.GammaGamma().fit(summary)
# clv = cv.customer_lifetime_value(bg, gg, summary, horizon=12, time_unit="M")
# clv.to_frame().to_parquet("s3://shop/clv/")                # lazy until written, per partition
# ```
#
# On **Spark**, install `customervalue[spark]` on the driver and the executors. The same
# functions take a `pyspark.sql.DataFrame`: partitions reach the Rust core as Arrow batches
# (`mapInArrow`), with no pandas on the executors. The session settings the adapter expects:
#
# ```python
# import os, sys
# from pyspark.sql import SparkSession
# import customervalue as cv
#
# os.environ["PYSPARK_PYTHON"] = sys.executable  # executors: a Python with customervalue and pyarrow
# spark = (
#     SparkSession.builder
#     .config("spark.sql.execution.arrow.pyspark.enabled", "true")  # toPandas / createDataFrame via Arrow
#     .config("spark.sql.session.timeZone", "Europe/Berlin")        # the zone whose calendar days count
#     .config("spark.executorEnv.RAYON_NUM_THREADS", "1")           # optional: core threads per task
#     .getOrCreate()
# )
# orders = spark.read.parquet("s3://shop/orders/")
# summary = cv.rfm_summary(orders, "customer_id", "date", "amount")  # lazy Spark DataFrame
# bg = cv.BetaGeo().fit(summary)                                     # patterns, fitted on the driver
# vw = cv.van_westendorp(spark.read.parquet("s3://shop/pricing/"))    # partitions' states merged
# ```
#
# A timestamp column is read as its calendar date **in the session time zone**: a purchase at
# 08:00 in Tokyo counts on its Tokyo day. On a laptop, `SPARK_LOCAL_IP=127.0.0.1` and
# `spark.driver.bindAddress=127.0.0.1` keep Spark on loopback. The Spark summary has the customer
# column rather than an index (Spark has none): sort by customer to compare it with the single
# call.
#
# What does *not* run distributed raises a `ParameterError` naming itself and the way out (a
# sample, or the computed table); nothing collects a whole table silently:

# %%
try:
    cv.cluster(dd.from_pandas(customers, npartitions=4), features=behaviour, k=range(2, 8))
except cv.ParameterError as exc:
    print("ParameterError:", exc)

# %%
client.close()
cluster.close()

# %% [markdown]
# ## What to remember
# * **Exact, not approximate.** Summaries, BTYD parameters, predictions, CLV and (unweighted) Van
#   Westendorp are bit-identical to the single-machine call for any partitioning; sums of
#   fractions (NMS reach, user weights) agree to rounding; k-means finds the same clusters.
# * **Map, combine, finish.** Every analysis is a map to a small mergeable state, a combine in
#   any order, and a finish that calls the single-machine function. The states are public and
#   work without an engine: files one at a time, or yesterday's state plus today's rows.
# * **Three rules a home-made split breaks.** The default observation end is the last date of
#   the *whole* log (section 5); customers and categories are keyed by their values, never by
#   codes a partition assigned; on Spark, dates are calendar dates in the session time zone.
# * **What reaches the client is small** (patterns, histograms, per-cluster sums); per-customer
#   outputs stay partitioned. The summary state (about 36 bytes per customer-day) is kept
#   partitioned by customer, never reduced to one machine.
#
# ## References
# * Bahmani, B., Moseley, B., Vattani, A., Kumar, R. & Vassilvitskii, S. (2012). Scalable
#   k-means++. *Proceedings of the VLDB Endowment*, 5(7), 622–633.
# * Chan, T. F., Golub, G. H. & LeVeque, R. J. (1979). Updating formulae and a pairwise algorithm
#   for computing sample variances. Stanford technical report STAN-CS-79-773.
# * Dean, J. & Ghemawat, S. (2004). MapReduce: simplified data processing on large clusters.
#   *Proceedings of OSDI 2004*, 137–150.
# * Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy way: an
#   alternative to the Pareto/NBD model. *Marketing Science*, 24(2), 275–284.
# * Shewchuk, J. R. (1997). Adaptive precision floating-point arithmetic and fast robust geometric
#   predicates. *Discrete & Computational Geometry*, 18(3), 305–363.

# %% [markdown]
# ## Exercises
# Five exercises. Solutions, with the reasoning, are in `solutions/10_solutions.py`. Exercises
# marked **(checked)** have a cell to fill in and a check cell after it, which prints "not answered
# yet" until you replace the `None`. The answers need a dask scheduler: restart the cluster of
# section 1 (or use dask's default threads, which run the same code).
#
# **Exercise 1 · Any partitioning (change a parameter and explain; checked).** Re-run the
# summary and the BG/NBD fit of section 2 on the log cut into 40 partitions after shuffling its
# rows at random (`tx.sample(frac=1, random_state=1)`), so that every customer's rows are spread
# over many partitions. Put the fitted `params_` in `params_40`. Are they the single-machine
# parameters to the last bit? Which step of the adapter makes the random order harmless, and
# which would a random order break if you summarised each partition yourself?

# %%
params_40 = None  # your code here: BetaGeo().fit(...).params_ on 40 shuffled partitions

# %%
# check: exercise 1
if params_40 is None:
    print("exercise 1: not answered yet")
else:
    _tx = cv.datasets.transactions(20_000, seed=0)
    _want = cv.BetaGeo().fit(cv.rfm_summary(_tx, "customer_id", "date", "amount")).params_
    assert set(params_40) == set(_want), f"params_40 has keys {sorted(params_40)}: pass the model's params_"
    _gap = max(abs(params_40[k] / _want[k] - 1) for k in _want)
    assert _gap == 0, (
        f"params_40 is {_gap:.1e} (relative) from the single-machine fit: it should be bit-identical; "
        "pass the dask log itself to cv.rfm_summary (not partitions summarised one by one)"
    )
    print("exercise 1: correct, bit-identical")

# %% [markdown]
# **Exercise 2 · How large a part hides the trap? (checked).** Repeat the naive summary of
# section 5 with parts of 1,000 customers instead of 100 (`tx["customer_id"] // 1000`) and put
# the number of customers with a wrong `T` in `wrong_T_1000`. How does it compare with 100-
# customer parts, and why does it shrink as the parts grow? Why is "it looked fine on my test
# partitions" no evidence here?

# %%
wrong_T_1000 = None  # your code here: customers whose T differs from the whole-log summary

# %%
# check: exercise 2
if wrong_T_1000 is None:
    print("exercise 2: not answered yet")
else:
    _tx = cv.datasets.transactions(20_000, seed=0)
    _one = cv.rfm_summary(_tx, "customer_id", "date", "amount")
    _want = 0
    for _, _rows in _tx.groupby(_tx["customer_id"] // 1000):  # each part of 1,000 customers alone
        _part = cv.rfm_summary(_rows, "customer_id", "date")
        _want += int((_part["T"].to_numpy() != _one.loc[_part.index, "T"].to_numpy()).sum())
    assert wrong_T_1000 == _want, (
        f"wrong_T_1000 = {wrong_T_1000}: count the customers whose T from parts of 1,000 customers, each "
        "summarised alone, differs from the T of the summary of the whole log"
    )
    print(f"exercise 2: correct ({_want:,} customers)")

# %% [markdown]
# **Exercise 3 · A month of updates (apply the states; checked).** Keep a `PartialSummary` of
# every transaction before 2025-06-01, then fold in June's rows *one day at a time* (a state per
# day, merged into the running state). Finish the state at the end and count the customers whose
# `frequency` rose in June; put it in `june_repeaters`. Check your final summary against
# `cv.rfm_summary` of the whole log. Why does a customer's `T` change every day even when they
# buy nothing, and why is that no reason to store `T` in the state?

# %%
june_repeaters = None  # your code here: customers whose frequency is higher at the end of June

# %%
# check: exercise 3
if june_repeaters is None:
    print("exercise 3: not answered yet")
else:
    _tx = cv.datasets.transactions(20_000, seed=0)
    _may = cv.rfm_summary(_tx[_tx["date"] < "2025-06-01"], "customer_id", "date")
    _june = cv.rfm_summary(_tx, "customer_id", "date")
    _want = int((_june["frequency"] > _may["frequency"].reindex(_june.index, fill_value=0)).sum())
    assert june_repeaters == _want, (
        f"june_repeaters = {june_repeaters}: count customers, not rows, whose frequency (repeat purchase "
        "days) at the end of June is above their frequency at the end of May"
    )
    print(f"exercise 3: correct ({_want:,} customers)")

# %% [markdown]
# **Exercise 4 · k-means and the partitioning (change a parameter and explain).** Run the
# k-means of section 6 on 2, 8 and 32 partitions (the same seed). For each, report the inertia
# and the adjusted Rand index against the single fit. Why do the summaries of section 2 not
# depend on the partitioning at all, while k-means does in its last digits? (Hint: which step
# samples rows, and where do the random streams come from?) Would you accept that difference for
# a segmentation? For a CLV forecast?
#
# **Exercise 5 · On paper: a billion transactions (checked).** A retailer's log has 1 billion
# transactions with the same customer-days per transaction as this notebook's log. From the
# merged state of section 4 (`merged.nbytes`, `merged.n_state_rows`) and the log's rows
# (`len(tx)`), estimate the size in GB (1e9 bytes) of the merged `PartialSummary` of the whole
# log; put it in `state_gb_1b`. Would you collect it to one machine? Compare it with the size of
# the BG/NBD patterns that a fit collects (section 2), and say what grows with the log and what
# does not.

# %%
state_gb_1b = None  # your code here: GB of the PartialSummary of 1 billion transactions

# %%
# check: exercise 5
if state_gb_1b is None:
    print("exercise 5: not answered yet")
else:
    _tx = cv.datasets.transactions(20_000, seed=0)
    _state = cv.economics.PartialSummary.from_arrow(_tx, amount="amount")
    _want = _state.nbytes / len(_tx)  # bytes per transaction x 1e9 transactions / 1e9 bytes per GB
    assert abs(state_gb_1b / _want - 1) < 0.1, (
        f"{state_gb_1b} GB is not within 10% of the estimate: bytes per state row times state rows "
        "(customer-days) per transaction times 1e9 transactions, in units of 1e9 bytes"
    )
    print(f"exercise 5: correct (about {_want:.0f} GB)")
