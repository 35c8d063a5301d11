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
# # 04 · Customer-experience scores, built honestly
#
# **The book, chapters 1, 5 and 7.** Joe Dager's book on customer value (Business901) leans on
# scores it never defines:
#
# * chapter 5, "Customer Value Analysis: Why & How", section "How do you quantify customer
#   service?": complaint rates, *"First, call resolution rates"* (first-contact resolution) and
#   *"Net Promoter Scores can measure how likely customers recommend a company to others"*;
# * chapter 5, section "How do you quantify customer experience?": *"The most practical way to
#   quantify customer experience is to use a numeric score out of 100"*, followed by two pitfalls it
#   leaves unresolved;
# * chapter 7, "Marketing Communication: Strategies and Assumptions", section "What measures or
#   indicators will be used?": an engagement score built *"by averaging those scores across all
#   measures over time"*, where the measures include daily visitors, ROI and likes;
# * chapter 1, "The Value Problem", section "Engagement Metrics": engagement as *"a leading
#   indicator of future behavior, such as loyalty or retention"*.
#
# Foundever's "5 steps for tying customer experience to brand value" names the same scores (NPS,
# first contact resolution, CSAT) as the measures to improve and monitor, also without formulas.
#
# Here each score gets its formula, its interval and its failure modes, with `cv.metrics`.

# %%
import customervalue as cv
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

plt.rcParams["figure.dpi"] = 72  # small figures keep the executed notebook small
pd.set_option("display.precision", 3)
customers = cv.datasets.customers(n=5000, seed=0)
m = cv.metrics

# %% [markdown]
# ## 1. Net Promoter Score with its interval
# NPS = % promoters (9–10) − % detractors (0–6). Every answer counts +1, 0 or −1, so its standard
# error follows from the multinomial variance: SE = 100·√((p_P + p_D − (p_P − p_D)²)/n). With 500
# to 800 respondents per region, the intervals are about ±6 points wide: differences smaller than
# that are noise.

# %%
nps = m.nps(customers, column="nps", by="region")
print(nps.summary())
nps.plot()
plt.show()

# %% [markdown]
# A bootstrap of one region confirms the formula (1,000 resamples, seeded):

# %%
north = customers.loc[customers["region"] == "North", "nps"].to_numpy()
boot_rng = np.random.default_rng(0)
boot = [m.nps(boot_rng.choice(north, north.size)).value for _ in range(1000)]
print(f"formula SE {nps.table.set_index('region').loc['North', 'se']:.2f}, bootstrap SE {np.std(boot):.2f}")

# %% [markdown]
# ## 2. CSAT, effort and first-contact resolution
# CSAT is the top-2-box share of a 1–5 satisfaction item; the customer effort score (CES) here is the
# share answering 1–3 on a 1–7 effort question (higher = more effort). Both are proportions, so
# their intervals are Wilson score intervals (good at small n and near 0% or 100%).

# %%
csat = m.csat(customers, column="csat", by="product")
ces = m.ces(customers, column="effort", by="channel", scale=(1, 7), easy=3)
fig, axs = plt.subplots(1, 2, figsize=(11, 3.6))
csat.plot(ax=axs[0])
ces.plot(ax=axs[1])
plt.tight_layout()
csat.table.round(1)

# %% [markdown]
# First-contact resolution needs a table of cases, one row per case that needed resolving. The
# customer data have no case log, so here is a seeded one: 3,000 cases over three support channels,
# with the number of contacts each took.

# %%
case_rng = np.random.default_rng(4)
channel = case_rng.choice(["phone", "chat", "email"], 3000, p=[0.4, 0.35, 0.25])
p_first = pd.Series({"phone": 0.72, "chat": 0.66, "email": 0.55})[channel].to_numpy()
contacts = np.where(case_rng.random(3000) < p_first, 1, 1 + case_rng.geometric(0.5, 3000))
cases = pd.DataFrame({"channel": channel, "contacts": contacts})
fcr = m.first_contact_resolution(cases, contacts="contacts", by="channel")
fcr.table.round(1)

# %% [markdown]
# ## 3. Churn and retention with a denominator
# The book calls churn *"how many customers cancel or stop using a product or service within a
# given time"* (chapter 1, section "No Right Way; Review Multiple Metrics over Time"): a count with
# no denominator. A rate divides by the customers **at risk
# at the start of each period**. In a purchase log nobody cancels, so churn needs a stated rule: here,
# three whole months without a purchase. Customers whose last months are not yet observed stay at
# risk (censored) rather than being counted as lost.

# %%
tx = cv.datasets.transactions(n_customers=3000, seed=0)
churn = m.churn_rate(tx, customer="customer_id", date="date", period="M", inactivity=3)
print(churn.summary())
churn.plot()
churn.table.head(6)

# %% [markdown]
# ## 4. A score out of 100, and the two pitfalls the book names
# `cx_index` rescales each item to 0–100 and takes a weighted mean. It reports the distribution
# (quartiles, the share at 80+ and below 50), n and an interval beside the mean, and recomputes the
# segment ranking under other weightings.

# %%
items = ["csat", "effort", "value_rating", "nps"]
scales = {"csat": (1, 5), "effort": (1, 7), "value_rating": (1, 10), "nps": (0, 10)}
cx = m.cx_index(
    customers,
    items,
    scale=scales,
    reverse=["effort"],
    item_weights={"csat": 0.4, "effort": 0.2, "value_rating": 0.2, "nps": 0.2},
    by="region",
    seed=0,
)
print(cx.summary())
cx.table.round(1)

# %% [markdown]
# **Pitfall 2 (the book's second pitfall): the weights hide trade-offs.** Each line is a region's
# rank under one weighting; crossing lines are rank flips. `rank_range` gives every region's best
# and worst rank over the named weightings and 200 random ones.

# %%
cx.plot()
plt.show()
cx.rank_range.round(1)

# %% [markdown]
# **Pitfall 1 (the book's first pitfall): high marks need not mean many satisfied customers.** Two simulated
# companies (seeded): A has 150 customers who all rate it 4 or 5 out of 5; B has 1,500 customers with
# mixed ratings. A has the higher score out of 100; B has far more satisfied customers. A score
# out of 100 answers "how good, on average, for those asked", not "for how many".

# %%
sim = np.random.default_rng(2)
a = pd.DataFrame({"company": "A", "sat": sim.choice([4, 5], 150, p=[0.4, 0.6])})
b = pd.DataFrame({"company": "B", "sat": sim.choice([1, 2, 3, 4, 5], 1500, p=[0.1, 0.1, 0.1, 0.2, 0.5])})
two = pd.concat([a, b], ignore_index=True)
pit = m.cx_index(two, ["sat"], scale=(1, 5), by="company", n_simulations=0)
sat = m.csat(two, column="sat", by="company")
pit.table[["company", "n", "index", "ci_low", "ci_high", "pct_low"]].merge(
    sat.table[["company", "count", "csat"]].rename(
        columns={"count": "satisfied customers", "csat": "CSAT %"}
    ),
    on="company",
)

# %% [markdown]
# ## 5. The engagement score: the book's average against an index done right
# The book averages measures in different units. To test the *leading indicator* claim we need an
# outcome after the measures: the data have no later churn, so we plant one, seeded, driven by
# visits, frequency and category breadth (and not by spend), as a teaching device.

# %%
eng = customers.copy()


def z(s):
    return (s - s.mean()) / s.std()


plant = np.random.default_rng(5)
logit = (
    -1.0
    - 0.8 * z(eng["visits_per_month"])
    - 0.6 * z(np.log1p(eng["frequency"]))
    - 0.5 * z(eng["category_breadth"])
)
eng["churned_later"] = (plant.random(len(eng)) < 1 / (1 + np.exp(-logit))).astype(int)
print(f"planted later churn: {eng['churned_later'].mean():.1%}")

# %%
measures = ["visits_per_month", "frequency", "category_breadth", "monetary"]
naive = m.engagement_index(eng, measures, method="book_naive", validate_against="churned_later")
print(naive.summary())
naive.plot()
plt.show()

# %% [markdown]
# The plain average is the spend column in disguise: spend is measured in dollars (thousands per
# customer) and carries almost all of its variance. It predicts churn only as far as spend happens to
# move with purchase frequency; its AUC is close to that of spend alone:

# %%
spend_only = m.engagement_index(eng, ["monetary"], normalize="z", validate_against="churned_later")
print(f"AUC of the book's average {naive.auc:.3f}; of spend alone {spend_only.auc:.3f}")

# %% [markdown]
# Normalising first and choosing the weights openly fixes that. Each AUC comes with its
# Hanley-McNeil standard error; the supervised weights are fitted on one half of the customers and
# validated on the other, so their AUC is not flattered by fitting:

# %%
runs = {
    "book_naive (raw average)": naive,
    "z-scores, equal weights": m.engagement_index(
        eng, measures, normalize="z", validate_against="churned_later"
    ),
    "z-scores, first principal component": m.engagement_index(
        eng, measures, normalize="z", item_weights="pca", validate_against="churned_later"
    ),
    "min-max, supervised (held-out half)": m.engagement_index(
        eng, measures, normalize="minmax", item_weights="supervised", validate_against="churned_later", seed=0
    ),
}
pd.DataFrame(
    {
        name: {"AUC": r.auc, "AUC SE": r.auc_se, "largest variance share": r.table["variance_share"].max()}
        for name, r in runs.items()
    }
).T.round(3)

# %%
runs["z-scores, equal weights"].plot()
plt.show()

# %% [markdown]
# ## What the book gets wrong, and what to do instead
# * **NPS, CSAT and FCR are named but not defined** (chapter 5, "How do you quantify customer
#   service?"), and "First, call resolution" is a garbled first-contact resolution. *Instead:* state
#   the formula, report n and an interval (multinomial SE for NPS, Wilson for shares), and compare
#   segments only when intervals allow.
# * **Churn without a denominator** (chapter 1). *Instead:* churned ÷ at risk at the start of each
#   period, per cohort, with an explicit period and, for purchase logs, an explicit inactivity rule.
# * **"A numeric score out of 100" is called the most practical and "objective" measure** (chapter
#   5, "How do you quantify customer experience?"), yet its weights are subjective and its mean
#   hides the distribution. *Instead:* report the distribution, n and an interval with the index,
#   and show how rankings move with the weights (`rank_range`).
# * **The engagement score averages raw measures in different units** (chapter 7), so the measure
#   with the largest scale decides. *Instead:* normalise, choose weights openly (equal, principal
#   component or supervised on a held-out half), and validate against later churn: the AUC is the
#   test of the book's own "leading indicator" claim (chapter 1, "Engagement Metrics"). ROI is a
#   firm-level number and does not belong in a per-customer index.
#
# ## References
# * Dixon, M., Freeman, K. & Toman, N. (2010). Stop trying to delight your customers. *Harvard
#   Business Review*, 88(7/8), 116–122. (The customer effort score.)
# * Efron, B. (1979). Bootstrap methods: another look at the jackknife. *The Annals of Statistics*,
#   7(1), 1–26.
# * Foundever. 5 steps for tying customer experience to brand value (in "The connection between
#   customer experience and value").
# * Hanley, J. A. & McNeil, B. J. (1982). The meaning and use of the area under a receiver operating
#   characteristic (ROC) curve. *Radiology*, 143(1), 29–36.
# * Keiningham, T. L., Cooil, B., Andreassen, T. W. & Aksoy, L. (2007). A longitudinal examination
#   of net promoter and firm revenue growth. *Journal of Marketing*, 71(3), 39–51.
# * Mann, H. B. & Whitney, D. R. (1947). On a test of whether one of two random variables is
#   stochastically larger than the other. *The Annals of Mathematical Statistics*, 18(1), 50–60.
# * Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*, 81(12),
#   46–54. (The Net Promoter Score.)
# * Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
#   *Journal of the American Statistical Association*, 22(158), 209–212.

# %% [markdown]
# ## Exercises
# Five exercises, from changing a parameter to applying the scores to other data. The ones marked
# **checked** have an answer cell: replace `None` with your code and run the check cell after it,
# which prints "not answered yet" until you do and fails with a hint if the answer is wrong. Worked
# solutions: `notebooks/solutions/04_solutions.py`.
#
# **Exercise 1 (change a parameter).** Compute the customer effort score by channel with `easy=2`
# instead of 3 (only answers 1 and 2 count as easy). How much does the level change, and does the
# ranking of the channels change? What does that tell you about comparing a CES across companies
# that do not state their threshold?
#
# **Exercise 2 (change a parameter).** Compute the churn table of section 3 with `inactivity=6`
# instead of 3. Which periods change, and which do not? Why does the 6-month rule report no churn
# at all in the last months of the observation window, and why is that not good news?
#
# **Exercise 3 (the formula by hand; checked).** From the `nps` answers of the North region alone,
# compute by hand `nps_north` (% promoters − % detractors) and its standard error `se_north` with
# the multinomial formula of section 1. Then compute `z_north_metro`, the difference between the
# NPS of Metro and of North divided by the standard error of the difference (the two regions are
# independent samples). Is Metro's NPS higher than North's beyond doubt?

# %%
nps_north = None  # your code here: in points, -100 to 100
se_north = None  # your code here: in points
z_north_metro = None  # your code here: (NPS Metro - NPS North) / SE of the difference

# %%
# check: exercise 3
if nps_north is None or se_north is None or z_north_metro is None:
    print("exercise 3: not answered yet")
else:
    _customers = cv.datasets.customers(n=5000, seed=0)
    _by = cv.metrics.nps(_customers, column="nps", by="region").table.set_index("region")
    assert abs(nps_north - _by.loc["North", "nps"]) < 1e-6, (
        f"nps_north = {nps_north:.4g}, but cv.metrics.nps gives {_by.loc['North', 'nps']:.4g}: "
        "promoters answer 9-10, detractors 0-6, both as % of all North answers"
    )
    assert abs(se_north - _by.loc["North", "se"]) < 1e-6, (
        f"se_north = {se_north:.4g}, but cv.metrics.nps gives {_by.loc['North', 'se']:.4g}"
    )
    _z = (_by.loc["Metro", "nps"] - _by.loc["North", "nps"]) / np.hypot(_by.loc["Metro", "se"], se_north)
    assert abs(z_north_metro - _z) < 1e-6, (
        "z_north_metro should be (NPS Metro - NPS North) / sqrt(SE Metro^2 + SE North^2)"
    )
    print("exercise 3: correct")

# %% [markdown]
# **Exercise 4 (the interval by hand; checked).** The Enterprise customers' CSAT rests on only
# 331 answers. Compute the 95% Wilson score interval of their CSAT by hand, as a tuple
# `wilson = (low, high)` in percent, and compare it with the normal ("Wald") interval
# p ± 1.96 √(p(1 − p)/n). Where would the two differ much, and which would you trust there?

# %%
wilson = None  # your code here: (low, high) in percent

# %%
# check: exercise 4
if wilson is None:
    print("exercise 4: not answered yet")
else:
    _customers = cv.datasets.customers(n=5000, seed=0)
    _row = cv.metrics.csat(_customers, column="csat", by="product").table.set_index("product")
    _low, _high = _row.loc["Enterprise", ["ci_low", "ci_high"]]
    assert abs(wilson[0] - _low) < 1e-3 and abs(wilson[1] - _high) < 1e-3, (
        f"wilson = ({wilson[0]:.3f}, {wilson[1]:.3f}), but the Wilson interval of cv.metrics.csat "
        f"is ({_low:.3f}, {_high:.3f}): is the share the top 2 boxes (4 and 5), in percent?"
    )
    print("exercise 4: correct")

# %% [markdown]
# **Exercise 5 (new data: engagement on CDNOW; checked).** Test the book's "leading indicator"
# claim on real purchases. From `cv.datasets.cdnow_transactions()`, build the calibration and
# holdout summary of notebook 02 (`cv.rfm_summary(..., calibration_end="1997-09-30",
# observation_end="1998-06-30", time_unit="W")`). Take three engagement measures from the
# calibration weeks: `frequency`, `monetary_value` and `weeks_since_last` (`T − recency`); let
# "churned later" be no purchase in the holdout weeks. Give `auc_naive`, the AUC of the book's
# plain average (`method="book_naive"`), and `auc_z`, the AUC of the z-score index with equal
# weights, with `weeks_since_last` reversed (fewer weeks since the last purchase means more
# engaged). Which measure dominates the plain average? What happens to the AUC if you forget to
# reverse `weeks_since_last`?

# %%
auc_naive = None  # your code here
auc_z = None  # your code here

# %%
# check: exercise 5
if auc_naive is None or auc_z is None:
    print("exercise 5: not answered yet")
else:
    assert 0.5 < auc_naive < auc_z <= 1, (
        f"got auc_naive = {auc_naive:.3f}, auc_z = {auc_z:.3f}: both should beat a coin toss, and "
        "normalising should beat the plain average"
    )
    assert auc_z > 0.7, (
        f"auc_z = {auc_z:.3f}: with weeks_since_last reversed, the z-score index should reach an AUC "
        "above 0.7"
    )
    print("exercise 5: correct")
