"""Solutions to the exercises of notebook 01 · What is customer value? (a plain Python script).

Each exercise is solved with code; the comments give the answer and the reasoning. The notebook's
checks (exercises 1, 2, 3 and 5) run here on these answers, from the notebook's own check cells, so
this script fails if an answer stops satisfying them. Run: `python notebooks/solutions/01_solutions.py`.
"""

import customervalue as cv
import numpy as np
import pandas as pd
from _checks import NotebookChecks

checks = NotebookChecks("01")
N = 2000


def draw_value(rng: np.random.Generator, cost_sd: float = 0.9, ratio_sd: float = 0.25) -> pd.DataFrame:
    """Section 1's customers: costs first, then benefits, from the same random stream."""
    costs = np.round(rng.lognormal(np.log(120), cost_sd, N), 2)
    benefits = np.round(costs * rng.lognormal(np.log(1.25), ratio_sd, N), 2)
    return pd.DataFrame({"difference": benefits - costs, "ratio": benefits / costs})


def agreement(value: pd.DataFrame) -> tuple[float, float]:
    rho = value["difference"].corr(value["ratio"], method="spearman")
    top_diff = set(value["difference"].rank(ascending=False).nsmallest(200).index)
    top_ratio = set(value["ratio"].rank(ascending=False).nsmallest(200).index)
    return float(rho), len(top_diff & top_ratio) / 200


# Exercise 1 · Difference and ratio when customers spend alike -------------------------------------
rho_wide, overlap_wide = agreement(draw_value(np.random.default_rng(1)))
print(f"section 1 (cost sd 0.9, ratio sd 0.25): rho {rho_wide:.3f}, overlap {overlap_wide:.2f}")
rho_narrow, overlap_narrow = agreement(draw_value(np.random.default_rng(1), cost_sd=0.2))
print(f"cost sd 0.2: rho {rho_narrow:.3f}, overlap {overlap_narrow:.2f}")
rho_flat, overlap_flat = agreement(draw_value(np.random.default_rng(1), ratio_sd=0.05))
print(f"ratio sd 0.05: rho {rho_flat:.3f}, overlap {overlap_flat:.2f}")
# B - C = C (B/C - 1): the difference is the ratio's excess scaled by what the customer spends.
# When costs are nearly the same for everyone (log-sd 0.2), that scale is almost constant, so the
# difference is nearly a rising function of the ratio and the two orders agree (rho 0.98, 76% of
# the top 200 in common, against 0.82 and 40% in section 1). When instead the ratios are nearly the
# same (log-sd 0.05) and costs vary widely, the difference is driven by the size of the purchase and
# the ratio by small deal-to-deal noise: the orders almost stop agreeing (rho 0.24, overlap 18%).
# The more customers differ in what they spend, the more the choice of definition matters.
checks.run("exercise 1", rho_narrow=rho_narrow, overlap_narrow=overlap_narrow)

# Section 2's haircut customers: the notebook draws them after section 1 from the same stream.
rng = np.random.default_rng(1)
draw_value(rng)
hair = pd.DataFrame({"wtp": np.round(rng.lognormal(np.log(15), 0.35, N), 2)})
w = hair["wtp"].to_numpy()

# Exercise 2 · A cost rise and the price ----------------------------------------------------------
at_5 = cv.demand_curve(hair, wtp="wtp", cost=5.0).profit_optimal_price
at_8 = cv.demand_curve(hair, wtp="wtp", cost=8.0).profit_optimal_price
pass_through = (at_8 - at_5) / (8 - 5)
print(
    f"profit-optimal price: ${at_5:.2f} at cost $5, ${at_8:.2f} at cost $8; pass-through {pass_through:.2f}"
)
# The price rises by $1.30 for a $3 rise in cost: 43% is passed on. Raising the price by the full $3
# would push out every customer whose WTP lies in the band just above the old price, and with WTP
# spread this way the lost margin on them outweighs the gain; the optimum shares the rise. The
# hairdresser bears the other 57% as a thinner margin, and customers bear theirs twice: those who
# still buy pay more, and some who bought before no longer do.
checks.run("exercise 2", pass_through=pass_through)

# Exercise 3 · Captured, left and lost, as shares of the potential pool ----------------------------
COST = 5.0
price = at_5
potential = np.maximum(w - COST, 0).sum()
buy = w >= price
captured = buy.sum() * (price - COST)
left = (w[buy] - price).sum()
lost = (w[(w > COST) & ~buy] - COST).sum()
captured_share, left_share, lost_share = captured / potential, left / potential, lost / potential
print(f"captured {captured_share:.3f}, left {left_share:.3f}, lost {lost_share:.3f} of ${potential:,.0f}")
grid = np.linspace(1, 30, 291)
created = [(w[w >= p] - COST).sum() for p in grid]  # a buyer with WTP below the cost destroys value
at_cost = (w[w >= COST] - COST).sum()
print(f"value created: at most ${max(created):,.0f} over prices $1-$30; ${at_cost:,.0f} at price = cost")
assert at_cost >= max(created)
# At the profit-optimal $13.24 the firm captures 48% of the potential pool, buyers keep 33% and 18%
# is lost: customers who value a haircut above its $5 cost but below $13.24 stay away. Value
# created (captured + left) is largest when the price equals the cost: then every customer whose
# WTP exceeds the cost buys, and nobody whose WTP is below it does. A higher price loses the sales in
# between; a lower one adds sales that cost more to make than they are worth to the buyer.
checks.run("exercise 3", captured_share=captured_share, left_share=left_share, lost_share=lost_share)

# Exercise 4 · A noisier questionnaire ----------------------------------------------------------
dims = ["functional", "emotional", "social", "financial"]
latent_corr = np.array([[1, 0.4, 0.3, 0.5], [0.4, 1, 0.5, 0.3], [0.3, 0.5, 1, 0.2], [0.5, 0.3, 0.2, 1]])


def cronbach_alpha(block: pd.DataFrame) -> float:
    k = block.shape[1]
    return k / (k - 1) * (1 - block.var(ddof=1).sum() / block.sum(axis=1).var(ddof=1))


def alphas(noise: float) -> pd.Series:
    rng = np.random.default_rng(1)  # the notebook's stream: sections 1 and 2 first, then section 3
    draw_value(rng)
    rng.lognormal(np.log(15), 0.35, N)
    latent = rng.multivariate_normal(np.zeros(4), latent_corr, size=800)
    items = {
        f"{d}_{k}": np.clip(np.round(4 + 1.2 * latent[:, j] + rng.normal(0, noise, 800)), 1, 7)
        for j, d in enumerate(dims)
        for k in range(1, 5)
    }
    survey = pd.DataFrame(items)
    return pd.Series({d: cronbach_alpha(survey.filter(like=d)) for d in dims})


noisy = alphas(2.0)
needed = np.ceil(4 * 0.7 * (1 - noisy) / (noisy * (1 - 0.7)))
print(
    pd.DataFrame({"alpha, noise 0.9": alphas(0.9), "alpha, noise 2.0": noisy, "items for 0.7": needed}).round(
        2
    )
)
# With noise 2.0 no scale reaches 0.7 (alphas of about 0.5 to 0.6). Spearman-Brown says each scale
# would need about 7 to 9 items instead of 4 to reach 0.7. A single question is a one-item scale:
# its reliability cannot even be estimated, and with this much noise it would be far below 0.7, so
# "emotional value" from one question is mostly noise; differences between segments on it are
# attenuated towards zero.
assert (noisy < 0.7).all()

# Exercise 5 · New data: the value pool of the pricing survey --------------------------------------
survey = cv.datasets.pricing_survey(n=1000, seed=0)
curve = cv.demand_curve(survey, wtp="wtp", cost=10)
p, sw = curve.profit_optimal_price, survey["wtp"].to_numpy()


def value_pool(wtp: np.ndarray, price: float, cost: float) -> dict[str, float]:
    buy = wtp >= price
    captured = float(buy.sum() * (price - cost))
    left = float((wtp[buy] - price).sum())
    lost = float((wtp[(wtp > cost) & ~buy] - cost).sum())
    return {"created": captured + left, "captured": captured, "left": left, "lost": lost}


survey_pool = value_pool(sw, p, 10.0)
print(f"at ${p:.2f}:", {k: round(v) for k, v in survey_pool.items()})
per_segment = pd.DataFrame(
    {seg: value_pool(g["wtp"].to_numpy(), p, 10.0) for seg, g in survey.groupby("segment", observed=True)}
).T
print(per_segment.round(0))
# At $37.50 the survey's customers create $31,500 of value: the firm captures $17,850 and buyers
# keep $13,650; another $6,350 is lost. Most of the loss ($4,000) is among the students: their
# median WTP is $28, so most of them value the product above its $10 cost but below $37.50 and do
# not buy. Teams, whose WTP is far above the price, lose almost nothing and keep the most surplus.
checks.run("exercise 5", survey_pool=survey_pool)

checks.finish()
