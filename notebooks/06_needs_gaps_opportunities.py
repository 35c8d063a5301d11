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
# # 06 · Needs, gaps and opportunities
#
# **The sources.** The article "Measuring customer value – might be easier than you think" takes up
# Gene Cornfield's *"Customer Performance Indicators (CPIs)"*, which measure the value produced
# *for* the customer, as against KPIs, which measure what customers produce for us. Under "1. Is our
# engagement producing value?" it suggests outcome-driven innovation (ODI) to *"break down the
# customers' jobs (what they are trying to do) into smaller desirable outcomes"*, with *"reduction
# in 'time-through-sales-funnel'"* as a measurable example. Joe Dager's book on customer value
# (Business901) asks companies to *"take an inventory of what their customers want and how well
# current solutions meet these needs"* (chapter 4, "Gathering Data and Developing the Product
# Vision", section "What are the barriers preventing them from solving their problems?") and to
# *"Conduct a gap analysis"* (chapter 6, "Assessing Customer Value and Developing Strategies",
# section "Establishing Improvement Strategies"), prioritised *"based on the potential impact on
# your customers and your business"*, without a scoring rule.
#
# This notebook uses the standard rules: Ulwick's opportunity score, importance-performance
# quadrants (Martilla & James 1977), gaps to a target and a competitor, and a CPI measured as time
# to outcome.

# %%
import customervalue as cv
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

plt.rcParams["figure.dpi"] = 72  # small figures keep the executed notebook small
customers = cv.datasets.customers(n=5000, seed=0)
truth = customers.attrs["truth"]
print("outcomes:", truth["outcomes"])
print("planted as underserved:", truth["underserved_outcomes"])

# %% [markdown]
# ## 1. Opportunity scores
# Each customer rated the importance of eight desired outcomes and their satisfaction with each, on
# 1–10. For each outcome, importance I and satisfaction S are top-box shares scaled 0–10, and
#
#   opportunity = I + max(I − S, 0).
#
# Ulwick counts the top 2 boxes of a 5-point scale; on this 10-point scale the default carries that
# over as the top 40% of the points (7–10). Scores of 10 or more mark an underserved outcome.

# %%
opp = cv.opportunity_scores(customers)
print(opp.summary())
opp.table[
    [
        "outcome",
        "importance",
        "satisfaction",
        "opportunity",
        "opportunity_low",
        "opportunity_high",
        "served",
        "quadrant",
    ]
].round(2)

# %%
opp.plot()
plt.show()

# %% [markdown]
# The two planted underserved outcomes come out on top, with intervals clear of the rest. The
# box cut is a choice, and it matters: with the literal top-2-box of a 10-point scale (9–10 only),
# few customers reach the top boxes and `easy_setup` drops down the ranking.

# %%
top2 = cv.opportunity_scores(customers, top=2)
pd.DataFrame(
    {
        "rank, top 40% (7-10)": opp.table.set_index("outcome")["rank"],
        "rank, top 2 boxes (9-10)": top2.table.set_index("outcome")["rank"],
    }
).sort_values("rank, top 40% (7-10)")

# %% [markdown]
# By product, the same picture holds everywhere; segments differ in degree, not in kind:

# %%
by_product = cv.opportunity_scores(customers, by="product")
by_product.table.pivot(index="outcome", columns="product", values="opportunity").round(1)

# %% [markdown]
# ## 2. Importance-performance quadrants, and where they disagree with ODI
# Importance-performance analysis cuts the same chart at the mean importance and mean satisfaction.
# It puts `easy_setup`, which is planted as underserved, in "low priority", because its importance
# is below the average of all outcomes. The opportunity score counts the gap as well as importance, so
# it does not miss it. The quadrant depends on where the lines are drawn; the opportunity score
# does not.

# %%
pd.crosstab(opp.table["outcome"], [opp.table["quadrant"], opp.table["served"]])

# %% [markdown]
# ## 3. Gap analysis: to a target and to a competitor
# The book compares *"the outcomes your program or service is currently achieving and those you'd
# like to achieve"* and the competitors' offerings (both in "Establishing Improvement Strategies").
# With a target satisfaction of 6 out of 10 on every outcome, and a competitor rated by the same
# respondents (simulated here, seeded: better at support, worse at price), each gap is in points on
# the 0–10 scale; positive means we fall short.

# %%
crng = np.random.default_rng(3)
shift = {"responsive_support": 2.0, "easy_setup": 1.0, "low_price": -1.5}
for o in truth["outcomes"]:
    customers[f"competitor_{o}"] = np.clip(
        customers[f"satisfaction_{o}"] + shift.get(o, 0.0) + crng.normal(0, 1.0, len(customers)).round(),
        1,
        10,
    ).astype(int)
gaps = cv.opportunity_scores(customers, target=6.0, competitor="competitor_")
g = gaps.table.set_index("outcome")[["opportunity", "satisfaction", "gap_to_target", "gap_to_competitor"]]
ax = g[["gap_to_target", "gap_to_competitor"]].sort_values("gap_to_target").plot.barh(figsize=(7, 4))
ax.axvline(0, color="0.4", lw=0.8)
ax.set(xlabel="points short of the target / competitor (0-10 scale)")
g.round(2)

# %% [markdown]
# Prioritising by *"potential impact"* needs a number for it. A simple, stated rule: priority =
# importance × the gap, so that a large gap on an outcome nobody cares about ranks low.

# %%
g = gaps.table.set_index("outcome")
priority = (
    (g["importance"] * g["gap_to_target"].clip(lower=0))
    .sort_values(ascending=False)
    .rename("importance x gap to target")
)
priority.round(1)

# %% [markdown]
# ## 4. A customer performance indicator: time through the funnel
# Cornfield's example CPI is the time a customer spends getting through the sales funnel. It is a
# time to an outcome, with the usual trap: quotes that have not converted *yet* are not failures.
# Treating "quote → policy bound" as the event, `cv.metrics.retention` gives per monthly cohort the
# share of quotes still waiting, with censoring handled; 1 minus that is the cumulative conversion.
# The quotes are simulated (seeded): a process change on 1 April halves the typical waiting time.

# %%
qrng = np.random.default_rng(8)
n = 3000
quoted = pd.Timestamp("2024-01-01") + pd.to_timedelta(qrng.integers(0, 180, n), unit="D")
after = quoted >= pd.Timestamp("2024-04-01")
days = np.where(after, qrng.exponential(12, n), qrng.exponential(25, n))
converts = qrng.random(n) < 0.7
bound = pd.Series(quoted + pd.to_timedelta(days.round(), unit="D")).where(converts)
quotes = pd.DataFrame({"quote_id": range(n), "quoted": quoted, "bound": bound})
waiting = cv.metrics.retention(
    quotes, customer="quote_id", start="quoted", end="bound", period="W", observation_end="2024-07-31"
)
curves = waiting.survivor()
first_week = waiting.table[waiting.table["period"] == 3].assign(
    converted_by_week_4=lambda d: 1 - d["retention"]
)
first_week.groupby(first_week["cohort"].dt.start_time >= "2024-04-01")["converted_by_week_4"].mean().rename(
    index={False: "before the change", True: "after the change"}
).round(3)

# %%
ax = waiting.plot()
ax.set(ylabel="share of quotes not yet bound", title="Quotes still waiting, by weekly cohort of quote")
ax.get_legend().remove() if ax.get_legend() else None

# %% [markdown]
# ## What the book gets wrong, and what to do instead
# * **No scoring rule for needs and gaps.** The inventory of needs (chapter 4) and the gap analysis
#   (chapter 6) stop at "compare" and "prioritise". *Instead:* top-box importance and satisfaction
#   per outcome, Ulwick's opportunity score with an interval, and gaps in stated units, with the box
#   cut reported because it changes the ranking.
# * **Quadrants alone mislead.** Mean-cut quadrants can file an underserved outcome under "low
#   priority" (section 2). *Instead:* read the quadrant together with the opportunity score.
# * **"Potential impact" is left undefined** (chapter 6). *Instead:* state the rule (here importance ×
#   gap; better, the outcome's estimated effect on retention or spend).
# * **CPIs need care as times to an outcome.** Time through the funnel is censored: open quotes are
#   not failures. *Instead:* survival curves per cohort, as above, and before/after comparisons
#   with cohorts, not a single average.
#
# ## References
# * Cornfield, G. (2020). The most important metrics you're not tracking (yet). (As cited in
#   "Measuring customer value – might be easier than you think".)
# * Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
#   *Journal of the American Statistical Association*, 53(282), 457–481.
# * Martilla, J. A. & James, J. C. (1977). Importance-performance analysis. *Journal of
#   Marketing*, 41(1), 77–79.
# * Measuring customer value – might be easier than you think (article on customer performance
#   indicators, outcome-driven innovation and jobs to be done).
# * Ulwick, A. W. (2002). Turn customer input into innovation. *Harvard Business Review*, 80(1),
#   91–97. (The opportunity score.)
# * Ulwick, A. W. (2005). *What Customers Want*. McGraw-Hill.
# * Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
#   *Journal of the American Statistical Association*, 22(158), 209–212.

# %% [markdown]
# ## Exercises
# Four exercises, from changing a parameter to applying the method to new data. Solutions, with
# the reasoning, are in `solutions/06_solutions.py`. Exercises marked **(checked)** have a cell to
# fill in and a check cell after it, which prints "not answered yet" until you replace the `None`.
#
# **Exercise 1 · Where the quadrant lines go (change a parameter and explain).** Re-run
# `cv.opportunity_scores(customers)` with `cut="median"` and with `cut=5` (the middle of the 0–10
# scale). In which quadrant does `easy_setup` land each time, and does its opportunity score or
# rank change? Explain why the quadrant depends on the cut while the opportunity score does not,
# and say which cut you would defend to a product team.

# %% [markdown]
# **Exercise 2 · The opportunity score by hand (checked).** From the raw columns
# `importance_easy_setup` and `satisfaction_easy_setup` alone (no `cv` call), compute the
# opportunity score of `easy_setup` with the default box cut (the top 40% of the 10 points, 7–10):
# I and S are the shares of customers in the top boxes, scaled 0–10, and opportunity =
# I + max(I − S, 0). Then compute it with the literal top-2-box (9–10) and explain, from I and S,
# why the outcome drops down the ranking in section 1.

# %%
easy_setup_by_hand = None  # your code here: the opportunity score of easy_setup, boxes 7-10

# %%
# check: exercise 2
if easy_setup_by_hand is None:
    print("exercise 2: not answered yet")
else:
    _scores = cv.opportunity_scores(cv.datasets.customers(n=5000, seed=0)).table.set_index("outcome")
    _library = _scores.loc["easy_setup", "opportunity"]
    assert abs(easy_setup_by_hand - _library) < 1e-9, (
        f"{easy_setup_by_hand:.3f} differs from opportunity_scores' {_library:.3f}: top boxes are "
        "ratings of 7 or more, and I and S are shares times 10"
    )
    print("exercise 2: correct")

# %% [markdown]
# **Exercise 3 · A smaller process improvement (change a parameter and explain).** In section 4
# the process change cuts the mean waiting time of converting quotes from 25 to 12 days. Change it
# to 18 days (`qrng.exponential(18, n)` in place of `qrng.exponential(12, n)`) and re-run the
# section. By how much does the share converted by week 4 rise now, against about +0.17 before?
# Why are the before-change cohorts unchanged? And why is the share of *all* quotes that ever
# convert (70%, by construction) not the right CPI for judging the change?

# %% [markdown]
# **Exercise 4 · A small survey (apply the method to new data; checked).** A second study asks 300
# customers: `cv.datasets.customers(n=300, seed=11)`. Compute its opportunity scores, put the two
# outcomes with the highest scores in `top_two` (a set of outcome names), and check them against
# the planted underserved outcomes. Then look at the intervals: is the second-ranked outcome's
# interval clear of the third's, as it is with 5,000 customers? What would you tell a product
# team about the third-ranked outcome?

# %%
small = cv.datasets.customers(n=300, seed=11)
top_two = None  # your code here: a set of two outcome names

# %%
# check: exercise 4
if top_two is None:
    print("exercise 4: not answered yet")
else:
    _planted = cv.datasets.customers(n=10, seed=11).attrs["truth"]["underserved_outcomes"]
    assert set(top_two) == set(_planted), (
        f"{set(top_two)} are not the two highest opportunity scores: rank by opportunity, "
        "not by importance or by the gap alone"
    )
    print("exercise 4: correct, and they are the planted underserved outcomes")
