"""Solutions to the exercises of notebook 03 · Segments versus clusters (a plain Python script).

Each exercise is solved with code; the comments give the answer and the reasoning. The notebook's
checks (exercises 2, 4 and 5) run here on these answers, from the notebook's own check cells, so
this script fails if an answer stops satisfying them. Run: `python notebooks/solutions/03_solutions.py`.
"""

import customervalue as cv
import numpy as np
import pandas as pd
from _checks import NotebookChecks

checks = NotebookChecks("03")
pd.set_option("display.width", 120)
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
RULES = {"age": [35, 55], "income": [50_000, 90_000], "region": None}
segments = cv.segment(customers, RULES)

# Exercise 1 · More income noise -----------------------------------------------------------------
rows = {}
for sd in (0.2, 0.5):
    rng = np.random.default_rng(1)
    noisy = customers.assign(income=customers["income"] * np.exp(rng.normal(0, sd, len(customers))))
    noisy_segments = cv.segment(noisy, RULES)
    explained = cv.compare_groupings(
        customers,
        groupings={"reported": segments, "with noise": noisy_segments},
        features=behaviour,
        value="monetary",
    ).value_explained.set_index("grouping")["eta_squared_adjusted"]
    rows[f"noise {sd:.0%}"] = {
        "moved": (noisy_segments.astype(str) != segments.astype(str)).mean(),
        "adj. eta2, reported": explained["reported"],
        "adj. eta2, with noise": explained["with noise"],
    }
print(pd.DataFrame(rows).T.round(3))
# At 50% noise 40% of the customers change segment (19% at 20%), and the segments' adjusted eta
# squared for spend falls from 0.124 to 0.073 (0.109 at 20%): 40% of what they explained is gone.
# Only the income cut points matter, but incomes crowd around them: the median income (53,400) is
# next to the 50,000 cut, half of the customers earn within 20% of a cut point and 87% within 50%
# (on the log scale), so even a modest error carries many across. Every move puts a customer with
# the spend of one income band into another band, which blurs the bands' averages.

# Exercise 2 · Too few and too many clusters ------------------------------------------------------
ari = {
    k: cv.metrics.adjusted_rand_score(
        customers["true_cluster"], cv.cluster(customers, features=behaviour, k=k, seed=0).labels_
    )
    for k in (3, 5, 8)
}
print("ARI against the planted clusters:", {k: round(v, 3) for k, v in ari.items()})
# k = 5 recovers the planted clusters almost exactly (ARI 0.99). With k = 3 k-means must merge
# planted clusters (ARI 0.60): pairs of customers from different planted groups land together. With
# k = 8 it must split planted clusters (ARI 0.72): pairs from the same planted group are pulled
# apart. The ARI counts pairs of customers on which the two partitions disagree, in both
# directions, and corrects for chance, so merging and splitting both cost.
checks.run("exercise 2", ari=ari)

# Exercise 3 · Clustering without standardizing -----------------------------------------------------
raw = cv.cluster(customers, features=behaviour, k=5, seed=0, standardize=False)
print("ARI unstandardized:", round(cv.metrics.adjusted_rand_score(customers["true_cluster"], raw.labels_), 3))
print(customers[behaviour].std().sort_values(ascending=False).round(2))
# The ARI falls from 0.99 to 0.59. k-means minimises squared Euclidean distances, so a measure
# counts in proportion to its variance: average order value (sd about 40 dollars) and days between
# orders (sd about 16 days) decide everything, while discount share, online share and return rate
# (sd 0.05 to 0.22) are ignored, although they are what separates bargain hunters from digital
# natives. Standardizing gives each measure the same say, unless you weight them on purpose.
assert cv.metrics.adjusted_rand_score(customers["true_cluster"], raw.labels_) < ari[5]

# Exercise 4 · RFM segments against future value ------------------------------------------------
cdnow = cv.datasets.cdnow().assign(weeks_since_last=lambda d: d["T"] - d["recency"])
rfm = cv.rfm_scores(cdnow, recency="weeks_since_last", frequency="frequency", monetary="monetary_value")
bgnbd = cv.BetaGeo(time_unit="W").fit(cdnow)
spend = cv.GammaGamma().fit(cdnow)
clv = cv.customer_lifetime_value(
    bgnbd, spend, cdnow, horizon=12, time_unit="M", discount_rate=0.01, margin=0.30
)
clv_by_rfm = clv.groupby(rfm.labels, observed=True).mean().sort_values(ascending=False)
profile = cdnow.groupby(rfm.labels, observed=True)[["frequency", "weeks_since_last"]].mean()
table = pd.concat(
    [clv_by_rfm.rename("mean CLV"), rfm.labels.value_counts().rename("customers"), profile], axis=1
)
print(table.dropna().round(2))
# Champions are worth by far the most ($30.7 of 12-month profit on average, 4.5 times the Loyal
# Customers). The least valuable are "Can't Lose Them" ($1.07), below even the Hibernating
# customers: the name says they must be won back, the model says they are probably gone already.
# They bought often (high frequency score) but not for a long time, and for BG/NBD a long silence
# after frequent buying is strong evidence of dropout: a frequent buyer who was still active would
# have bought again. RFM names read the scores as a story; the model reads them as evidence.
checks.run("exercise 4", clv_by_rfm=clv_by_rfm)

# Exercise 5 · New data: stated segments against clusters in the pricing survey --------------------
survey = cv.datasets.pricing_survey(n=1000, seed=0)
answers = ["too_cheap", "cheap", "expensive", "too_expensive"]
logged = survey.assign(**{f"log_{c}": np.log(survey[c]) for c in answers})
features = [f"log_{c}" for c in answers]
price_clusters = cv.cluster(logged, features=features, k=3, seed=0)
comparison = cv.compare_groupings(
    logged,
    groupings={"stated segment": "segment", "clusters": price_clusters},
    features=features,
    value="wtp",
)
print(comparison.verdict)
print(comparison.agreement[["adjusted_rand", "cramers_v"]].round(3))
wtp_explained = comparison.value_explained.set_index("grouping")["eta_squared_adjusted"].to_dict()
print({k: round(v, 3) for k, v in wtp_explained.items()})
# Clusters on the price answers explain 76% of the variance in WTP, the stated segments 60%; the two
# agree only moderately (ARI 0.36). That is expected: the answers are noisy multiples of each
# respondent's WTP, so clustering them sorts respondents by WTP directly, across segments (a
# well-paid student and a frugal team land together). The firm may still price by stated segment
# because it can see and verify a segment (a student ID, a team contract) but not a cluster: a
# price for "high-WTP customers" has no fence, while a team price does.
checks.run("exercise 5", wtp_explained=wtp_explained)

checks.finish()
