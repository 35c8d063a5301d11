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
# # 03 · Segments versus clusters, measured
#
# **The book, chapter 4 ("Gathering Data and Developing the Product Vision"), section "Customer
# Identification - Marketing Segmentation and Market Clustering".** Joe Dager's book on customer
# value (Business901) opens the section with *"Segments are groups of customers who share similar
# characteristics, while clusters are groups of customers with similar purchasing behavior"*. Under
# "Market Segmentation", segments use *"age, gender, income, or location"* and *"may not be accurate
# if customers do not accurately report their income"*. Under "Market Clustering": *"Clusters can be
# more accurate than segments based on actual purchasing behavior. However, clusters can be more
# challenging to create"*.
#
# The book never says what "accurate" means, and the "Market Clustering" paragraph opens with a
# different definition of market clustering: *grouping segments*. This notebook puts both groupings
# on the same customers and measures them: how much they agree, how well each separates customers,
# how much of the value each explains, how stable each is, and what each group looks like. The data,
# `cv.datasets.customers()`, has five planted behavioural clusters, so we can also see which method
# finds them.

# %%
import dataclasses

import customervalue as cv
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

plt.rcParams["figure.dpi"] = 60  # this notebook has many large figures: a low DPI keeps it small
customers = cv.datasets.customers(n=5000, seed=0)
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
customers[["age", "income", "region", "product"] + behaviour].head()

# %% [markdown]
# ## 1. Segments: rules on who the customers are
# `cv.segment` turns rules into readable labels: cut points for numbers (half-open bins), levels for
# categories, any combination.

# %%
segments = cv.segment(customers, {"age": [35, 55], "income": [50_000, 90_000], "region": None})
segments.value_counts().head(8)

# %% [markdown]
# ## 2. Clusters: groups found in what customers do
# k-means (Lloyd's algorithm from k-means++ starts) on the eight standardized behaviour measures.
# Giving `k` as a range fits every k and reports the indices that help choose one; the suggested k
# maximises the silhouette (the rule is stated in the result).

# %%
sweep = cv.cluster(customers, features=behaviour, k=range(2, 10), seed=0, n_boot=5)
print(sweep.details["rule"], "->", sweep.k_)
sweep.sweep_.round(3)

# %%
sweep.plot_sweep()
plt.show()

# %% [markdown]
# The silhouette peaks at the planted number of clusters and the bootstrap stability (ARI
# between the fit and refits on resampled customers) stays high there. Because the generator
# knows the truth, we can also check recovery directly:

# %%
print(
    "ARI, clusters vs planted truth:",
    round(cv.metrics.adjusted_rand_score(customers["true_cluster"], sweep.labels_), 3),
)
print(
    "ARI, segments vs planted truth:",
    round(cv.metrics.adjusted_rand_score(customers["true_cluster"], segments), 3),
)

# %% [markdown]
# ## 3. The comparison: what "more accurate" can mean
# `cv.compare_groupings` answers the book's vague claim with numbers: agreement between the two
# groupings (adjusted Rand index, mutual information, Cramér's V), separation of each in the same
# standardized behaviour space (silhouette, Calinski–Harabasz, Davies–Bouldin), the share of the
# variance in spend each explains (eta squared, adjusted for the number of groups, and
# Kruskal–Wallis), and profiles.

# %%
cmp = cv.compare_groupings(
    customers,
    groupings={"segments": segments, "clusters": sweep},
    features=behaviour,
    value="monetary",
    n_boot=5,
)
print(cmp.verdict)
cmp.table.round(3)

# %%
cmp.agreement.round(3)

# %%
axs = cmp.plot()
axs[0].figure.set_size_inches(7.6, 3.2)  # 2 x 5,000 points: a smaller figure keeps the file small
plt.show()

# %% [markdown]
# The crosstab of 72 segments by 5 clusters is a tall chart; here are the 10 largest segments
# (`cmp.crosstab` has every cell).

# %%
largest = segments.value_counts().index[:10]
top10 = cmp.crosstab[cmp.crosstab["group_a"].isin(largest)]
dataclasses.replace(cmp, crosstab=top10).plot_crosstab()
plt.show()

# %% [markdown]
# Each cell of the crosstab holds a count; the colour is the adjusted standardized residual,
# so red cells are combinations that occur more often than independence predicts. Segments and
# clusters cut across each other: knowing a customer's age band, income band and region tells you
# little about how they buy.

# %%
cmp.plot_profiles("clusters")
plt.show()

# %% [markdown]
# ## 4. The book's own worry: misreported income
# The book warns that an income segment is only as good as the reported income ("Market
# Segmentation", quoted above). We can
# measure that: add reporting noise (±20% on a log scale) and count how many customers change
# segment, and how much explained value is lost.

# %%
rng = np.random.default_rng(1)
noisy = customers.assign(income=customers["income"] * np.exp(rng.normal(0, 0.2, len(customers))))
noisy_segments = cv.segment(noisy, {"age": [35, 55], "income": [50_000, 90_000], "region": None})
moved = (noisy_segments.astype(str) != segments.astype(str)).mean()
sens = cv.compare_groupings(
    customers,
    groupings={"reported": segments, "with noise": noisy_segments},
    features=behaviour,
    value="monetary",
)
print(f"{moved:.1%} of customers change segment under 20% income noise")
sens.value_explained.round(4)

# %% [markdown]
# ## 5. The book's other definition: market clustering as grouping segments
# Under "Market Clustering" the book says clustering is *"grouping similar customer segments
# together"*. That
# is a different operation: cluster the segment profiles, not the customers. It gives coarser
# segments of segments, and it can only be as good as the segments it starts from.

# %%
seg_profiles = customers.groupby(segments, observed=True)[behaviour].mean()
meta = cv.cluster(seg_profiles.reset_index(drop=True), features=behaviour, k=3, seed=0)
segment_of_segments = pd.Series(meta.labels_, index=seg_profiles.index)
grouped = segments.map(segment_of_segments).astype(int)
cv.compare_groupings(
    customers,
    groupings={"segments of segments": grouped, "clusters": sweep},
    features=behaviour,
    value="monetary",
).value_explained.round(3)

# %% [markdown]
# ## 6. RFM segments versus clusters on real purchases (CDNOW)
# RFM scoring is the classic rule-based segmentation of purchase behaviour. On the CDNOW customers
# (first purchases in early 1997, 39 weeks of history), we score recency (weeks since the last
# purchase), frequency and spend into quintiles and name the R–F cells with the common grid, then
# compare with k-means on the same three measures (log-transformed, since they are skewed).

# %%
cdnow = cv.datasets.cdnow().assign(
    weeks_since_last=lambda d: d["T"] - d["recency"], spend=lambda d: d["frequency"] * d["monetary_value"]
)
rfm = cv.rfm_scores(cdnow, recency="weeks_since_last", frequency="frequency", monetary="monetary_value")
print(rfm.summary())
rfm.plot()
plt.show()

# %% [markdown]
# Frequency ties are everywhere in CDNOW (most customers never came back), which is why the
# tie report matters: with `ties="average"` every customer with zero repeat purchases gets the same
# frequency score, so the quintiles are far from equal.

# %%
logged = cdnow.assign(log_f=np.log1p(cdnow["frequency"]), log_m=np.log1p(cdnow["monetary_value"]))
rfm_clusters = cv.cluster(logged, features=["weeks_since_last", "log_f", "log_m"], k=range(2, 8), seed=0)
real = cv.compare_groupings(
    logged,
    groupings={"RFM segments": rfm, "clusters": rfm_clusters},
    features=["weeks_since_last", "log_f", "log_m"],
    value="spend",
)
print(real.verdict)
real.table.round(3)

# %% [markdown]
# On CDNOW the contest is close, and for a reason: both groupings are built from the very
# measures that make up spend, so neither is independent evidence of value. The fair test of
# "accuracy" there is a holdout: how well each grouping, formed on the first weeks, explains spend
# in the weeks after (the lifetime-value notebook splits CDNOW that way).

# %% [markdown]
# ## 7. Personas from clusters, not from imagination
# The book recommends buyer personas *"based on real data and research"* (chapter 1, "The Value
# Problem", section "Dig Deeper"). A persona card
# per cluster: size, share of total spend, the behaviours that set it apart (index against the
# average, 100 = average), and its typical region, product and most over-represented comment theme.

# %%
themes = [c for c in customers.columns if c.startswith("theme_")]
prof = cmp.profiles[cmp.profiles["grouping"] == "clusters"].set_index("group")
labels = pd.Series(sweep.labels_).astype(str)
cards = []
for g, row in prof.iterrows():
    members = customers[(labels == g).to_numpy()]
    idx = row[[f"{b}_index" for b in behaviour]].astype(float)
    top = idx.sub(100).abs().sort_values(ascending=False).index[:3]
    theme_lift = members[themes].mean() / customers[themes].mean()
    cards.append(
        {
            "cluster": g,
            "customers": int(row["size"]),
            "share of spend": f"{row['value_share']:.0%}",
            "stands out on": ", ".join(f"{t[:-6]} {idx[t]:.0f}" for t in top),
            "typical region": members["region"].mode()[0],
            "typical product": members["product"].mode()[0],
            "most over-represented theme": f"{theme_lift.idxmax()[6:]} ({theme_lift.max():.1f}x)",
        }
    )
pd.DataFrame(cards)

# %% [markdown]
# ## What the book gets wrong, and what to do instead
# - **"Clusters can be more accurate" has no meaning until you name the target.** Measure it: the
#   share of variance in spend (or CLV, or churn) each grouping explains, adjusted for the number of
#   groups, plus stability. On these customers five behavioural clusters explain more of the
#   spend than dozens of demographic segments, and only the clusters recover the planted groups.
# - **Segments and clusters are not rivals for the same job.** Segments are easy to address
#   (you can buy media by age and region); clusters describe behaviour. The crosstab shows how little
#   they overlap, so use clusters to decide *what* to offer and segments to decide *where* to reach
#   each cluster.
# - **"Market clustering" is defined twice** (customers with similar behaviour, at the start of the
#   section, and grouping segments, under "Market Clustering"). The second inherits every weakness of
#   the segments it groups.
# - **Choose k with a stated rule, not by eye**: the silhouette (or BIC for mixtures) over a range of
#   k, with bootstrap stability as a check.
# - **Misreported inputs move customers between segments**: a 20% income error reshuffles a
#   measurable share of customers; behavioural data from transactions do not have that problem.
#
# ## References
# * Arthur, D. & Vassilvitskii, S. (2007). k-means++: the advantages of careful seeding. In
#   *Proceedings of the 18th Annual ACM-SIAM Symposium on Discrete Algorithms (SODA)*, 1027–1035.
# * Ben-Hur, A., Elisseeff, A. & Guyon, I. (2002). A stability based method for discovering
#   structure in clustered data. *Pacific Symposium on Biocomputing*, 7, 6–17.
# * Caliński, T. & Harabasz, J. (1974). A dendrite method for cluster analysis. *Communications in
#   Statistics*, 3(1), 1–27.
# * Davies, D. L. & Bouldin, D. W. (1979). A cluster separation measure. *IEEE Transactions on
#   Pattern Analysis and Machine Intelligence*, 1(2), 224–227.
# * Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy way: an
#   alternative to the Pareto/NBD model. *Marketing Science*, 24(2), 275–284. (The CDNOW data.)
# * Haberman, S. J. (1973). The analysis of residuals in cross-classified tables. *Biometrics*,
#   29(1), 205–220. (Adjusted standardized residuals.)
# * Hubert, L. & Arabie, P. (1985). Comparing partitions. *Journal of Classification*, 2(1),
#   193–218. (The adjusted Rand index.)
# * Hughes, A. M. (1994). *Strategic Database Marketing*. Probus. (RFM scoring.)
# * Kruskal, W. H. & Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis.
#   *Journal of the American Statistical Association*, 47(260), 583–621.
# * Lloyd, S. P. (1982). Least squares quantization in PCM. *IEEE Transactions on Information
#   Theory*, 28(2), 129–137. (The k-means algorithm.)
# * Rousseeuw, P. J. (1987). Silhouettes: a graphical aid to the interpretation and validation of
#   cluster analysis. *Journal of Computational and Applied Mathematics*, 20, 53–65.
# * Vinh, N. X., Epps, J. & Bailey, J. (2010). Information theoretic measures for clusterings
#   comparison. *Journal of Machine Learning Research*, 11, 2837–2854. (Adjusted mutual
#   information.)

# %% [markdown]
# ## Exercises
# Five exercises, from changing a parameter to applying the comparison to other data. The ones
# marked **checked** have an answer cell: replace `None` with your code and run the check cell after
# it, which prints "not answered yet" until you do and fails with a hint if the answer is wrong.
# Worked solutions: `notebooks/solutions/03_solutions.py`.
#
# **Exercise 1 (change a parameter).** In section 4, raise the income reporting noise from 20% to
# 50% (`rng.normal(0, 0.5, ...)`, same seed). What share of customers now change segment, and how
# much of the segments' adjusted eta squared for spend is lost? Why does noise in one variable
# move so many customers, when only the income cut points at 50,000 and 90,000 matter?
#
# **Exercise 2 (change a parameter; checked).** Fit `cv.cluster` on the eight behaviour measures
# with k fixed at 3, 5 and 8 (`seed=0`) and give the adjusted Rand index of each against
# `true_cluster` as a dict `ari` keyed by k. Explain what goes wrong with too few clusters and with
# too many, and why the ARI punishes both.

# %%
ari = None  # your code here: {3: ..., 5: ..., 8: ...}

# %%
# check: exercise 2
if ari is None:
    print("exercise 2: not answered yet")
else:
    assert set(ari) == {3, 5, 8}, "ari should have the keys 3, 5 and 8"
    assert ari[5] > 0.9, f"ari[5] = {ari[5]:.3f}: five clusters should recover the five planted ones"
    assert ari[5] > ari[3] and ari[5] > ari[8], (
        f"got {ari}: with k = 5 the clusters should match the planted groups better than with 3 or 8"
    )
    print("exercise 2: correct")

# %% [markdown]
# **Exercise 3 (change a parameter).** Fit the five clusters again with `standardize=False`. How
# far does the ARI against the planted clusters fall? Compare the standard deviations of the
# eight measures and explain which of them decide an unstandardized k-means, and why that is
# rarely what you want.
#
# **Exercise 4 (segments against value; checked).** Do the RFM segments of section 6 order the
# CDNOW customers by their future value? Fit notebook 02's models (`cv.BetaGeo(time_unit="W")` and
# `cv.GammaGamma()` on `cv.datasets.cdnow()`), compute the 12-month profit CLV
# (`cv.customer_lifetime_value(..., horizon=12, time_unit="M", discount_rate=0.01, margin=0.30)`)
# and give `clv_by_rfm`, a Series of the mean CLV per RFM segment (`rfm.labels`). Which segment is
# worth most? Which is worth least, and does its name promise that? Explain with the recency of
# its customers and what BG/NBD makes of a long silence.

# %%
clv_by_rfm = None  # your code here: a Series, RFM segment -> mean 12-month profit CLV

# %%
# check: exercise 4
if clv_by_rfm is None:
    print("exercise 4: not answered yet")
else:
    _cdnow = cv.datasets.cdnow()
    _clv = cv.customer_lifetime_value(
        cv.BetaGeo(time_unit="W").fit(_cdnow),
        cv.GammaGamma().fit(_cdnow),
        _cdnow,
        horizon=12,
        time_unit="M",
        discount_rate=0.01,
        margin=0.30,
    )
    assert isinstance(clv_by_rfm, pd.Series) and "Champions" in clv_by_rfm.index, (
        "clv_by_rfm should be a Series indexed by the RFM segment names"
    )
    assert clv_by_rfm.min() < _clv.mean() < clv_by_rfm.max(), (
        f"the mean CLV of all customers ({_clv.mean():.2f}) should lie between the segment means: "
        "are these means per customer, not totals?"
    )
    assert clv_by_rfm.idxmax() == "Champions", "the Champions should have the highest mean CLV"
    assert clv_by_rfm.idxmin() == "Can't Lose Them", (
        f"the lowest mean CLV should be a segment whose name promises otherwise, not {clv_by_rfm.idxmin()!r}"
    )
    print("exercise 4: correct")

# %% [markdown]
# **Exercise 5 (new data: the pricing survey; checked).** Are the pricing survey's stated segments
# (students, professionals, teams) the best grouping of its respondents by willingness to pay? On
# `cv.datasets.pricing_survey(n=1000, seed=0)`, take the logarithms of the four Van Westendorp
# answers (`too_cheap`, `cheap`, `expensive`, `too_expensive`), cluster the respondents on them
# with k = 3 (`seed=0`), and compare the clusters with the `segment` column using
# `cv.compare_groupings(..., value="wtp")`. Give `wtp_explained`, a dict of the adjusted eta
# squared of `wtp` for `"stated segment"` and `"clusters"`. Which explains more, how much do the two
# groupings agree (ARI), and why might a firm still price by stated segment?

# %%
wtp_explained = None  # your code here: {"stated segment": ..., "clusters": ...}

# %%
# check: exercise 5
if wtp_explained is None:
    print("exercise 5: not answered yet")
else:
    _seg, _clu = wtp_explained["stated segment"], wtp_explained["clusters"]
    assert 0 < _seg < 1 and 0 < _clu < 1, "adjusted eta squared is a share of variance, between 0 and 1"
    assert 0.5 < _seg < _clu, (
        f"got stated segment {_seg:.3f}, clusters {_clu:.3f}: clusters formed on the price answers "
        "should explain more of the variance in WTP than the stated segments, which explain over half"
    )
    print("exercise 5: correct")
