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
# # 05 · Themes and metadata: the Customer Value Alignment cycle, openly
#
# Worthix's blog article "Customer Value Alignment Cycle" (Ariana Kamran) describes a three-step
# cycle. Under "Step 1: Track Value", the software "classifies and ranks the most relevant topics
# according to its impact on your business"; under "Step 2: Find Actionability", it "automatically
# looks for correlations between the conversation themes and your respondents' metadata (i.e.
# amount spent, age, location, product purchased)"; after "Step 3: Co-create Innovation", "track
# your initiatives to see if they are creating the expected value". No vendor publishes how. This
# notebook does each step with stated methods, effect sizes first and false-discovery control, on
# `cv.datasets.customers()`, whose planted theme correlations it recovers.

# %%
import customervalue as cv
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

plt.rcParams["figure.dpi"] = 72  # small figures keep the executed notebook small
df = cv.datasets.customers(n=5000, seed=0)
truth = df.attrs["truth"]
df[["comment", "region", "product", "value_rating"]].head()

# %% [markdown]
# ## Themes from text: a lexicon, and discovery without one
# `tag_themes` finds a lexicon's words and phrases in one Aho-Corasick pass over stemmed words;
# a mention within three words after a negator in the same clause ("the price is **not** too
# high") does not count. On the sample comments the lexicon recovers the planted theme columns
# exactly, and the planted negated mentions are counted apart.

# %%
lexicon = {
    "price": [
        "too high",
        "too expensive",
        "overpriced",
        "pay more than",
        "cheaper alternatives",
        "hard to justify",
    ],
    "delivery": ["late", "shipping", "delivery took", "courier", "delivery window"],
    "quality": ["quality", "well made", "durable"],
    "support": ["support", "on hold"],
    "ease_of_use": ["easy", "intuitive", "user friendly", "out of the box"],
    "trust": ["trust", "reliable", "been honest", "transparent", "trustworthy"],
}
tagged = cv.tag_themes(df["comment"], lexicon)
for theme in lexicon:
    assert (tagged.table[theme] == df[f"theme_{theme}"]).all()
print(tagged.summary())
tagged.phrases.sort_values("documents", ascending=False).head(8)

# %% [markdown]
# Without a lexicon, `discover_themes` factorises the TF-IDF matrix (NMF by alternating
# least squares). Besides the six planted themes it finds the four filler sentences ("Thanks.",
# "It does the job.", ...), which are themes of a kind too.

# %%
found = cv.discover_themes(df["comment"], n_themes=12, seed=0)
found.table.round(3)

# %% [markdown]
# ## Step 1 · Rank the themes by their impact on value
# `theme_impact` decomposes the R² of the value rating on all theme flags: exact Shapley (LMG)
# shares for up to 15 themes, here with 200 seeded bootstrap replicates. Marginal impacts (mean
# rating with minus without the theme) give the direction; both match the planted effects.

# %%
flags = [f"theme_{t}" for t in lexicon]
impact = cv.theme_impact(df, themes=flags, outcome="value_rating", method="shapley", n_boot=200, seed=0)
marginal = cv.theme_impact(df, themes=flags, outcome="value_rating", method="marginal")
planted = {f"theme_{t['name']}": t["value_rating_effect"] for t in truth["themes"]}
table = impact.table.assign(
    marginal=marginal.table["impact"], planted_effect=impact.table["theme"].map(planted)
)
table.sort_values("rank")

# %%
impact.plot()
plt.show()

# %% [markdown]
# ## Step 2 · Correlate themes with metadata
# Every theme against every metadata column in one call: chi-square and per-level lift with a
# Wilson interval for categories, point-biserial r, Welch's t with Cohen's d and Mann-Whitney for
# numbers, Benjamini-Hochberg across the whole grid, and plain sentences for the strongest
# findings. Planted: price complaints 2.2x in North and Coastal, delivery 2.5x in Mountain,
# support 2x for Premium and Enterprise (lifts below are against the overall rate, which already
# includes the lifted groups, so they read a little lower).

# %%
grid = cv.theme_associations(
    df, themes=flags, metadata=["region", "product", "channel", "income", "age", "monetary"]
)
print(grid.summary())
print(truth["theme_lifts"]["price"])

# %%
grid.plot(variable="region")
plt.show()

# %% [markdown]
# Profiles go one step further (subgroup discovery): every metadata condition, and every
# pair of conditions on two columns, held by at least 5% of the customers (numbers cut at their
# quartiles), ranked by the theme's lift inside it; a pair is shown only when it beats both of its
# conditions alone. The planted lifts come back: delivery in Mountain and price in North and
# Coastal as single conditions (no pair with 5% of the customers beats them), support among
# Premium and Enterprise customers, sharpest for Premium customers in the top spend quartile.

# %%
grid.profiles.groupby("theme", observed=True).head(2)[
    ["theme", "conditions", "support", "lift", "lift_ci_low", "lift_ci_high", "q"]
]

# %% [markdown]
# The journey point (purchase, renewal, cancellation) is where the Worthix cycle triggers its
# conversations ("Step 1: Track Value"); `by=` runs the grid within each and adjusts across all of
# them together.

# %%
by_journey = cv.theme_associations(
    df, themes=["theme_price", "theme_delivery"], metadata=["region"], by="journey"
)
by_journey.lifts.query("q < 0.05").sort_values("effect", ascending=False).head(8)

# %% [markdown]
# ## Tagging interview themes and connecting them (book, chapter 5)
# Chapter 5 of Joe Dager's book on customer value (Business901), "Customer Value Analysis: Why &
# How", describes coding interviews by hand in its section "Analyzing Customer Discovery
# Interviews". Under "Developing Concepts by Tagging and Categorizing Material": "draw a box around
# each theme and list the needs under each theme. Then, you can draw lines between the boxes,
# indicating that one theme connects to another." And under "Attributing Meaning to Customer
# Interviews" it warns: "Maybe you are trying to force a connection that is not there".
# `theme_cooccurrence` turns the warning into a test: an edge is drawn only when two themes co-occur
# more often than chance (hypergeometric upper tail, FDR across all pairs). In the sample data the
# themes were planted independently given the customer, so few edges should survive; those that do
# come from shared drivers (the same customers' cluster and region).

# %%
network = cv.theme_cooccurrence(df, themes=flags)
print(network.summary())
network.table.sort_values("q").head(6)

# %%
network.plot()
plt.show()

# %% [markdown]
# ## Step 3 · Track whether a change creates the expected value
# Suppose North and Coastal get a price change, and a second wave of conversations follows. Here
# the second wave is simulated: a new sample in which half of the price complaints in those two
# regions disappear (a stated, synthetic intervention). `compare_waves` tests each theme's
# prevalence between the waves (two-proportion z) and the value rating (Welch's t), and with the
# other regions as a control group it reports the difference in differences, which isolates the
# change from anything that moved everywhere.

# %%
wave2 = cv.datasets.customers(n=5000, seed=1)
rng = np.random.default_rng(0)
changed = wave2["region"].isin(["North", "Coastal"])
fixed = changed & wave2["theme_price"] & (rng.random(len(wave2)) < 0.5)
wave2.loc[fixed, "theme_price"] = False
waves = pd.concat([df.assign(wave="before"), wave2.assign(wave="after")], ignore_index=True)
waves["control"] = ~waves["region"].isin(["North", "Coastal"])
change = cv.compare_waves(
    waves, themes=flags, wave="wave", outcome="value_rating", control="control", before="before"
)
print(change.summary())
change.table[["theme", "before", "after", "difference", "q", "did", "did_ci_low", "did_ci_high", "did_p"]]

# %%
change.plot()
plt.show()

# %% [markdown]
# The price complaints fall where the change was made (difference in differences about
# -0.17, the planted halving of a rate near 0.35) and nothing else moves. The value rating does
# not rise here because the simulation removes complaints without touching the ratings; in real
# waves it is the number that says whether the change created value.
#
# ## References
# * Aho, A. V. & Corasick, M. J. (1975). Efficient string matching: an aid to bibliographic search.
#   *Communications of the ACM*, 18(6), 333–340.
# * Angrist, J. D. & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*. Princeton University
#   Press, ch. 5. (Difference in differences.)
# * Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
#   powerful approach to multiple testing. *Journal of the Royal Statistical Society, Series B*,
#   57(1), 289–300.
# * Chapman, W. W., Bridewell, W., Hanbury, P., Cooper, G. F. & Buchanan, B. G. (2001). A simple
#   algorithm for identifying negated findings and diseases in discharge summaries. *Journal of
#   Biomedical Informatics*, 34(5), 301–310. (Negation windows.)
# * Cichocki, A. & Phan, A.-H. (2009). Fast local algorithms for large scale nonnegative matrix and
#   tensor factorizations. *IEICE Transactions on Fundamentals*, E92-A(3), 708–721.
# * Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.). Lawrence
#   Erlbaum. (Cohen's d.)
# * Grömping, U. (2007). Estimators of relative importance in linear regression based on variance
#   decomposition. *The American Statistician*, 61(2), 139–147.
# * Herrera, F., Carmona, C. J., González, P. & del Jesus, M. J. (2011). An overview on subgroup
#   discovery: foundations and applications. *Knowledge and Information Systems*, 29(3), 495–525.
# * Kamran, A. Customer Value Alignment Cycle. Worthix, Customer Value Alignment Blog.
# * Lee, D. D. & Seung, H. S. (1999). Learning the parts of objects by non-negative matrix
#   factorization. *Nature*, 401, 788–791.
# * Lindeman, R. H., Merenda, P. F. & Gold, R. Z. (1980). *Introduction to Bivariate and
#   Multivariate Analysis*. Scott, Foresman. (The LMG, or Shapley, decomposition of R².)
# * Mann, H. B. & Whitney, D. R. (1947). On a test of whether one of two random variables is
#   stochastically larger than the other. *The Annals of Mathematical Statistics*, 18(1), 50–60.
# * Welch, B. L. (1947). The generalization of "Student's" problem when several different
#   population variances are involved. *Biometrika*, 34(1/2), 28–35.
# * Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
#   *Journal of the American Statistical Association*, 22(158), 209–212.

# %% [markdown]
# ## Exercises
# Four exercises, from changing a parameter to applying the method to new data. Solutions, with
# the reasoning, are in `solutions/05_solutions.py`. Exercises marked **(checked)** have a cell to
# fill in and a check cell after it, which prints "not answered yet" until you replace the `None`.
#
# **Exercise 1 · Negation (change a parameter and explain).** Tag the comments again with
# `cv.tag_themes(df["comment"], lexicon, negation=False)`. How many more comments are tagged
# `price`, and how many more `delivery`? Print a few of the extra comments and compare the counts
# with the planted negated sentences (`truth["negated_mentions"]`). Explain what a complaint count
# without negation handling would tell a manager about the price problem, and in which regions the
# error would be largest.

# %% [markdown]
# **Exercise 2 · A bigger intervention (change a parameter and explain; checked).** In Step 3,
# half of the price complaints in North and Coastal were removed. Before running anything, predict
# the difference in differences for `theme_price` if 80% were removed instead (what fraction of
# which rate disappears, and why does the control group not change the prediction much?). Then
# re-run the Step 3 cell with 0.8 in place of 0.5 and put the measured `did` of `theme_price` in
# `did_80`.

# %%
did_80 = None  # your code here: the measured difference in differences of theme_price at 80%

# %%
# check: exercise 2
if did_80 is None:
    print("exercise 2: not answered yet")
else:
    # the intervention removes 80% of the complaints where the rate before was this high
    _before = cv.datasets.customers(n=5000, seed=0)
    _rate = _before.loc[_before["region"].isin(["North", "Coastal"]), "theme_price"].mean()
    assert abs(did_80 - (-0.8 * _rate)) < 0.04, (
        f"did_80 = {did_80:.3f} is far from -0.8 x {_rate:.3f}, the share removed times the rate "
        "before: did you re-run Step 3 with 0.8 and read the did of theme_price?"
    )
    print("exercise 2: correct")

# %% [markdown]
# **Exercise 3 · A column that looks like a number (checked).** Quality praise was planted to
# over-index in one behavioural cluster. Run `theme_associations` for `theme_quality` against
# `true_cluster`, first as it is and then with `categorical=["true_cluster"]`. Why does the first
# run find no overall association (look at the `test` column), and what does the second find?
# Put the *name* of the cluster (from `truth["clusters"]`, indexed by the cluster code) with the
# highest significant lift in `quality_cluster`, and report that lift with its interval.

# %%
quality_cluster = None  # your code here: a cluster name, e.g. "Loyal regulars"

# %%
# check: exercise 3
if quality_cluster is None:
    print("exercise 3: not answered yet")
else:
    _truth = cv.datasets.customers(n=10, seed=0).attrs["truth"]
    assert quality_cluster == _truth["theme_lifts"]["quality"]["cluster"], (
        f"{quality_cluster!r} is not where quality praise over-indexes: did you treat the code as a "
        "category and map it to its name?"
    )
    print("exercise 3: correct, and it is the planted cluster")

# %% [markdown]
# **Exercise 4 · A smaller survey (apply the method to new data; checked).** A second study has
# 800 customers: `cv.datasets.customers(n=800, seed=3)`. Repeat Step 2 on it for `theme_price`,
# `theme_delivery` and `theme_support` against `region` and `product`. Five over-indexing lifts
# were planted (price in North and Coastal, delivery in Mountain, support for Premium and
# Enterprise). Put the (theme, level) pairs that over-index (lift above 1) with q < 0.05 in
# `found`, as a set of tuples such as `("theme_price", "North")`. Which planted lifts are missed,
# and why these ones? (Compare the base rates and the number of customers in the lifted groups.)

# %%
small = cv.datasets.customers(n=800, seed=3)
found = None  # your code here: a set of (theme, level) tuples

# %%
# check: exercise 4
if found is None:
    print("exercise 4: not answered yet")
else:
    _planted = {
        ("theme_price", "North"),
        ("theme_price", "Coastal"),
        ("theme_delivery", "Mountain"),
        ("theme_support", "Premium"),
        ("theme_support", "Enterprise"),
    }
    assert found, "at least one planted lift is found at q < 0.05 in 800 customers"
    assert set(found) <= _planted, (
        f"not planted: {set(found) - _planted}; keep only lifts above 1 with q < 0.05"
    )
    print(f"exercise 4: correct, {len(found)} of the 5 planted lifts found")
