"""Solutions to the exercises of notebook 04 · Customer-experience scores (a plain Python script).

Each exercise is solved with code; the comments give the answer and the reasoning. The notebook's
checks (exercises 3, 4 and 5) run here on these answers, from the notebook's own check cells, so
this script fails if an answer stops satisfying them. Run: `python notebooks/solutions/04_solutions.py`.
"""

import customervalue as cv
import numpy as np
import pandas as pd
from _checks import NotebookChecks

checks = NotebookChecks("04")
pd.set_option("display.width", 120)
m = cv.metrics
customers = cv.datasets.customers(n=5000, seed=0)

# Exercise 1 · A stricter "easy" ----------------------------------------------------------------
ces = {
    easy: m.ces(customers, column="effort", by="channel", scale=(1, 7), easy=easy).table.set_index("channel")[
        "ces"
    ]
    for easy in (3, 2)
}
table = pd.DataFrame({"CES, easy = 1-3": ces[3], "CES, easy = 1-2": ces[2]})
table["rank (1-3)"] = table["CES, easy = 1-3"].rank(ascending=False).astype(int)
table["rank (1-2)"] = table["CES, easy = 1-2"].rank(ascending=False).astype(int)
print(table.round(1))
# The level falls from about 61% to about 27%: the threshold, not the customers, decides most of
# the number. The ranking moves too: Paid search leads with 1-3, Social with 1-2; the spread
# between channels (5 points with 1-3, 8 with 1-2) is close to the width of one channel's interval
# (about 6 points), so most of these rank changes are noise. A CES without its scale and
# threshold cannot be compared with another company's, or even with last year's if the
# threshold changed.

# Exercise 2 · A longer inactivity rule ------------------------------------------------------------
tx = cv.datasets.transactions(n_customers=3000, seed=0)
pooled = {}
for months in (3, 6):
    churn = m.churn_rate(tx, customer="customer_id", date="date", period="M", inactivity=months)
    by_period = churn.table.groupby("period")[["at_risk", "churned"]].sum()
    pooled[f"churn rate, {months} months"] = by_period["churned"] / by_period["at_risk"]
print(pd.DataFrame(pooled).round(3).to_string())
# The early periods do not change: a customer whose last purchase was in period 4 and who never
# came back is a churner under either rule, dated by that last purchase. What changes is the end of
# the window: with a 6-month rule a customer is only known to have churned after 6 months without
# buying, so in the last 6 observed months nobody can qualify yet; they stay at risk (censored)
# and the rate shows 0%. That is missing information, not retention: the rule's lag hides the most
# recent churn, and a longer rule hides more of it.

# Exercise 3 · NPS and its standard error by hand --------------------------------------------------
north = customers.loc[customers["region"] == "North", "nps"]
metro = customers.loc[customers["region"] == "Metro", "nps"]


def nps_and_se(scores: pd.Series) -> tuple[float, float]:
    promoters, detractors = (scores >= 9).mean(), (scores <= 6).mean()
    se = 100 * np.sqrt((promoters + detractors - (promoters - detractors) ** 2) / len(scores))
    return 100 * (promoters - detractors), float(se)


nps_north, se_north = nps_and_se(north)
nps_metro, se_metro = nps_and_se(metro)
z_north_metro = (nps_metro - nps_north) / np.hypot(se_metro, se_north)
print(f"North {nps_north:.1f} (SE {se_north:.2f}); Metro {nps_metro:.1f} (SE {se_metro:.2f})")
print(f"z = {z_north_metro:.2f}")
# North scores -26.7 with SE 2.67, Metro -10.7 with SE 2.80: the difference of 15.9 points is 4.1
# standard errors, far beyond the 1.96 of a 5% test. Metro's NPS is higher beyond reasonable
# doubt. Each answer counts +1, 0 or -1, so the SE follows from the variance of that score.
checks.run("exercise 3", nps_north=nps_north, se_north=se_north, z_north_metro=z_north_metro)

# Exercise 4 · The Wilson interval by hand -------------------------------------------------------
answers = customers.loc[customers["product"] == "Enterprise", "csat"]
n, p, z = len(answers), (answers >= 4).mean(), 1.959963984540054  # z: the 97.5% normal quantile
centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
wilson = (100 * (centre - half), 100 * (centre + half))
wald = (100 * (p - z * np.sqrt(p * (1 - p) / n)), 100 * (p + z * np.sqrt(p * (1 - p) / n)))
print(f"CSAT {100 * p:.1f}% of {n}: Wilson {wilson[0]:.2f}-{wilson[1]:.2f}, Wald {wald[0]:.2f}-{wald[1]:.2f}")
for small_n, successes in [(20, 19), (10, 10)]:
    q = successes / small_n
    wald_small = (q - z * np.sqrt(q * (1 - q) / small_n), q + z * np.sqrt(q * (1 - q) / small_n))
    print(f"{successes} of {small_n} satisfied: Wald {wald_small[0]:.3f}-{wald_small[1]:.3f}")
# With 331 answers and a share near 57%, the two intervals agree within about 0.1 point. They part
# where n is small or the share is near 0% or 100%: 19 satisfied out of 20 gives a Wald interval
# reaching above 100%, and 10 out of 10 gives a zero-width interval at 100%. The Wilson interval
# stays inside 0-100% and keeps its coverage there, which is why cv.metrics uses it.
checks.run("exercise 4", wilson=wilson)

# Exercise 5 · New data: does engagement lead churn in CDNOW? ---------------------------------------
log = cv.datasets.cdnow_transactions()
split = cv.rfm_summary(
    log,
    "customer_id",
    "date",
    "amount",
    calibration_end="1997-09-30",
    observation_end="1998-06-30",
    time_unit="W",
)
data = split.assign(
    weeks_since_last=split["T"] - split["recency"],
    churned_later=(split["frequency_holdout"] == 0).astype(int),
)
measures = ["frequency", "monetary_value", "weeks_since_last"]
naive = m.engagement_index(data, measures, method="book_naive", validate_against="churned_later")
z_index = m.engagement_index(
    data, measures, normalize="z", reverse=["weeks_since_last"], validate_against="churned_later"
)
forgot = m.engagement_index(data, measures, normalize="z", validate_against="churned_later")
auc_naive, auc_z = naive.auc, z_index.auc
print(f"{data['churned_later'].mean():.1%} made no purchase in the holdout")
print(naive.table[["measure", "sd", "variance_share"]].round(3))
print(
    f"AUC: book's average {auc_naive:.3f}, z-scores {auc_z:.3f}, z-scores without reversing {forgot.auc:.3f}"
)
# 70% of the customers made no purchase in the 39 holdout weeks. The plain average is monetary
# value in disguise (it carries all of the index's variance: dollars have the largest spread) and
# predicts later churn only weakly (AUC 0.60). The z-score index with equal weights reaches 0.77:
# on a common scale each measure carries about a third of the index, so how recently and how often
# a customer buys count as much as the dollars, and engagement is a leading indicator when it is
# measured properly. Forgetting to reverse weeks_since_last makes
# a long silence count as engagement, and the AUC falls to 0.57, below the plain average.
checks.run("exercise 5", auc_naive=auc_naive, auc_z=auc_z)

checks.finish()
