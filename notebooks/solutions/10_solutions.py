# %% [markdown]
# # Solutions to the exercises of notebook 10 · Beyond one machine
#
# Each exercise is solved with code; the comments give the answer and the reasoning. The checked
# exercises (1, 2, 3 and 5) run the notebook's own check cells on these answers (through
# `_checks.py`), so this script fails if an answer stops satisfying them. Run:
# `python notebooks/solutions/10_solutions.py`.
#
# The notebook runs on a `LocalCluster` of two worker processes. A script that starts worker
# processes must guard its top level with `if __name__ == "__main__":` (the workers re-import the
# script), so this one uses dask's default scheduler (threads of this process) instead: the
# adapter runs the same map, combine and finish on any scheduler, and the answers are the same.

# %%
import customervalue as cv
import dask.dataframe as dd
import pandas as pd
from _checks import NotebookChecks
from pandas.testing import assert_frame_equal

checks = NotebookChecks("10")
tx = cv.datasets.transactions(20_000, seed=0)
one = cv.rfm_summary(tx, "customer_id", "date", "amount")
bg_one = cv.BetaGeo().fit(one)


def summarise_alone(rows):
    """One part's summary on its own (the naive split), as in section 5 of the notebook."""
    part = cv.rfm_summary(rows, "customer_id", "date", "amount")
    part.attrs = {"time_unit": part.attrs["time_unit"]}
    return part


# %% [markdown]
# ## Exercise 1 · Any partitioning

# %%
shuffled = tx.sample(frac=1, random_state=1)
log_40 = dd.from_pandas(shuffled, npartitions=40)
params_40 = cv.BetaGeo().fit(cv.rfm_summary(log_40, "customer_id", "date", "amount")).params_
print(params_40, "equal to the single fit:", params_40 == bg_one.params_)
assert params_40 == bg_one.params_

# what summarising each of those 40 partitions yourself gives
naive = pd.concat([summarise_alone(shuffled.iloc[i::40]) for i in range(40)])
print(f"naive: {len(naive):,} summary rows for {naive.index.nunique():,} customers")
try:
    cv.BetaGeo().fit(naive)
except cv.ConvergenceError as exc:
    print("and the BG/NBD fit on it:", exc)

# Answer: yes, bit-identical (r 0.24552040504474365, alpha 4.613824976297512, a 0.8302520683361875,
# b 2.525132706437695, as on one machine). Two steps make the random order harmless: the adapter
# shuffles the rows by customer before summarising, so each partition holds all the rows of its
# customers, and it summarises every partition with the global observation end. Then the fit
# merges the patterns and sums them in one canonical order, so even the last bits agree.
# Summarising each random partition yourself breaks the first rule: a customer's rows are spread
# over many partitions, so the same customer appears up to 40 times (50,745 rows for 20,000
# customers), each time with a fraction of their purchases, and the BG/NBD fit on that table does
# not even converge.

# the notebook's check
checks.run("exercise 1", params_40=params_40)

# %% [markdown]
# ## Exercise 2 · How large a part hides the trap?

# %%
wrong = {}
for size in [100, 1000, 5000]:
    parts = pd.concat([summarise_alone(r) for _, r in tx.groupby(tx["customer_id"] // size)]).sort_index()
    wrong[size] = int((parts["T"] != one["T"]).sum())
print("customers with a wrong T, by part size:", wrong)
wrong_T_1000 = wrong[1000]

# Answer: 3,001 customers with parts of 1,000 customers, against 15,800 with parts of 100 (and 1
# with parts of 5,000). A part's own end is the last date any of its customers bought; the
# bigger the part, the likelier that someone in it bought on the log's last day, so fewer parts
# end early. The 1 left at 5,000 is the last part, which holds a single customer (id 20,000).
# That is why "it looked fine on my test partitions" proves nothing: the error depends on the
# part size and on who happens to buy late, not on the code, and a test with large parts hides
# it. The only safe rule is the one the adapter follows: compute the end over the whole log first.

# the notebook's check
checks.run("exercise 2", wrong_T_1000=wrong_T_1000)

# %% [markdown]
# ## Exercise 3 · A month of updates

# %%
PartialSummary = cv.economics.PartialSummary
state = PartialSummary.from_arrow(tx[tx["date"] < "2025-06-01"], amount="amount")
end_of_may = state.finish()
june = tx[tx["date"] >= "2025-06-01"]
for _day, rows in june.groupby("date"):  # a nightly job, one day at a time
    state = state.merge(PartialSummary.from_arrow(rows, amount="amount"))
end_of_june = state.finish()
assert_frame_equal(end_of_june, one, check_exact=True)
rose = end_of_june["frequency"] > end_of_may["frequency"].reindex(end_of_june.index, fill_value=0)
june_repeaters = int(rose.sum())
print(
    f"{june['date'].nunique()} daily states merged; {june_repeaters:,} customers bought again in June "
    f"({len(june):,} transactions); T grew by {(end_of_june['T'] - end_of_may['T']).mean():.2f} weeks for all"
)

# Answer: 967 customers (1,246 June transactions; several customers bought on more than one
# day). Every customer had bought before June (all were acquired in the first 12 weeks), so any
# June purchase day is a new purchase day and raises frequency; the final state finishes to the
# single-machine summary bit for bit. T is the time from a customer's first purchase to the
# observation end, so it grows with the calendar for everyone (here by 29 days = 4.14 weeks,
# from May 31 to June 29) whether they buy or not. Storing T would make every customer's state
# change every night; the state stores only what the rows say (purchase days, counts, spend) and
# applies the end at finish, so one state serves any observation end (and calibration end).

# the notebook's check
checks.run("exercise 3", june_repeaters=june_repeaters)

# %% [markdown]
# ## Exercise 4 · k-means and the partitioning

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
single = cv.cluster(customers, features=behaviour, k=5, seed=0, progress=False)
rows = []
for n in [2, 8, 32]:
    km = cv.cluster(dd.from_pandas(customers, npartitions=n), features=behaviour, k=5, seed=0)
    rows.append(
        {
            "partitions": n,
            "inertia": km.inertia_,
            "vs single": km.inertia_ / single.inertia_ - 1,
            "ARI vs single": cv.metrics.adjusted_rand_score(single.labels_, km.labels_.compute()),
            "Lloyd steps": km.n_iter_,
        }
    )
table = pd.DataFrame(rows)
print(table.to_string(index=False))
assert (table["ARI vs single"] > 0.99).all()

# Answer: on 2, 8 and 32 partitions the inertia is 41,360.6688 in every case, within a few 1e-16
# of the single fit, and the labels agree exactly (ARI 1.0); 32 partitions took one more Lloyd
# step. The summaries never depend on the partitioning because every step is a sum of whole
# numbers or exact spends per customer, merged by key. k-means samples rows: k-means|| draws its
# candidates with a random stream keyed by (seed, round, partition), so another partitioning
# draws other candidates, and the Lloyd sums are added partition by partition, so their last bits
# depend on the order. On well-separated clusters both land on the same optimum; on overlapping
# ones they may not, as two single-machine fits with different seeds may not. For a segmentation
# that is acceptable (the segments are the same; report the seed and the partitioning). A CLV
# forecast does not have this problem: its fit is exact.

# %% [markdown]
# ## Exercise 5 · On paper: a billion transactions

# %%
merged = PartialSummary.from_arrow(tx, amount="amount")
per_transaction = merged.nbytes / len(tx)
state_gb_1b = per_transaction * 1e9 / 1e9
print(
    f"{merged.nbytes / merged.n_state_rows:.1f} bytes per customer-day x "
    f"{merged.n_state_rows / len(tx):.3f} customer-days per transaction -> {state_gb_1b:.1f} GB "
    f"for 1e9 transactions; patterns: {bg_one.n_patterns_:,} x 32 bytes = "
    f"{bg_one.n_patterns_ * 32 / 1e6:.2f} MB"
)
assert 30 < state_gb_1b < 40

# Answer: about 36 GB (36.0 bytes per customer-day, 0.991 customer-days per transaction). That
# does not belong on one machine, and it need not go there: the summary is per customer, so the
# state stays partitioned by customer across the workers (0.36 GB each on 100 workers) and each
# partition is finished where it lies. What a fit collects is different: the BG/NBD patterns are
# the distinct (frequency, recency, T) tuples, bounded by the purchase days and the observation
# window, not by the customers: 9,648 patterns (0.3 MB) for 20,000 customers here, about 217,000
# (7 MB) for 1 million; they grow far more slowly than the log and stay a few MB at any size.
# The state grows with the log; the patterns and the Van Westendorp histograms do not.

# the notebook's check
checks.run("exercise 5", state_gb_1b=state_gb_1b)

# %%
checks.finish()
