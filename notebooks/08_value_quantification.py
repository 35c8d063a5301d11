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
# # 08 · Quantifying value: discover, select, quantify, share
#
# **The book, chapter 8 ("Pricing, Strategies & Assumptions"), section "Charge What You're Worth
# and Get What You Charge".** Joe Dager's book on customer value (Business901) says: *"The steps to
# building a shared understanding with the customer are discovery, selecting, quantifying, and
# sharing value."* Quantifying means *"calculating the cost savings, increased efficiency, or other
# benefits of the solution."* And chapter 1, "The Value Problem", admits in its section "So why is it
# difficult to understand customer value?": *"It's hard to put a number on customer satisfaction or
# time savings."*
#
# Time savings are hours × the value of an hour; risk reduction is probability × loss; uncertainty
# is a range, carried through by simulation.

# %%
import customervalue as cv
import matplotlib.pyplot as plt
import pandas as pd

plt.rcParams["figure.dpi"] = 72  # small figures keep the executed notebook small

# %%
benefits = pd.DataFrame(
    {
        "name": ["analyst hours saved", "fewer stock-outs", "faster month-end close"],
        "value": [120 * 55.0, 0.05 * 80_000, 6_000.0],  # hours x rate, probability x loss, direct saving
        "low": [80 * 55.0, 0.02 * 80_000, 3_000.0],
        "high": [160 * 55.0, 0.08 * 80_000, 9_000.0],
    }
)
costs = pd.DataFrame(
    {
        "name": ["licence", "implementation", "training"],
        "value": [9_000.0, 15_000.0, 2_000.0],
        "upfront": [False, True, True],
        "low": [9_000.0, 12_000.0, 1_500.0],
        "high": [9_000.0, 25_000.0, 3_000.0],
    }
)
result = cv.value_quantification(benefits, costs, discount_rate=0.08, horizon=3, n_simulations=5000, seed=1)
print(result.summary())
result.table.round(2)

# %%
result.plot()
plt.show()

# %%
ax = result.simulations["npv"].plot.hist(bins=50, title="Simulated NPV")
ax.axvline(0, color="C3")
plt.show()

# %% [markdown]
# ## What the book gets wrong, and what to do instead
# * "Hard to put a number on" is not a reason to skip it: value time at the cost of an hour, risk at
#   its expected loss, and satisfaction through its effect on retention and lifetime value.
# * A single number hides the uncertainty: state ranges, simulate, and share the distribution and
#   the tornado chart, which shows the customer which assumptions matter.
#
# ## References
# * Metropolis, N. & Ulam, S. (1949). The Monte Carlo method. *Journal of the American Statistical
#   Association*, 44(247), 335–341.
