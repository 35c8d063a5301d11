"""Choice-model speed, printing ours / peer ratios measured in the same run.

* The multinomial logit of a choice-based conjoint study, 5,000 respondents x 12 tasks x 3
  alternatives (``cv.datasets.conjoint_survey(5000)``, 180,000 rows), against statsmodels'
  ``ConditionalLogit`` (Newton's method) on the same effects-coded data. Both are timed in the
  same run, best of 3; the parameters, standard errors and log-likelihood must agree to 1e-6.
  The peer's time counts building its model and fitting it; the effects coding it is given is
  built once, outside the timing (ours codes the levels inside its call).
* The latent-class MNL (2 classes, 5 seeded starts) on the same data, for scale; no peer.
Run: python benchmarks/choice.py
"""

import time

import customervalue as cv
import numpy as np
import pandas as pd
from statsmodels.discrete.conditional_models import ConditionalLogit

ATTRS = ["brand", "storage", "battery"]


def timed(fn, repeat=3):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def effects(data, attrs, price):
    """Effects coding: level l < L - 1 is e_l, the last level -1 everywhere (ours, by default)."""
    cols = {}
    for a in attrs:
        levels = list(data[a].cat.categories)
        for lv in levels[:-1]:
            cols[f"{a}[{lv}]"] = (data[a] == lv).astype(float) - (data[a] == levels[-1]).astype(float)
    cols[price] = data[price].astype(float)
    return pd.DataFrame(cols)


def ours(data):
    return cv.fit_choice(data, attributes=ATTRS, price="price")


def peer(y, X, groups):
    return ConditionalLogit(y, X, groups=groups).fit(method="newton", maxiter=100, disp=False)


if __name__ == "__main__":
    survey = cv.datasets.conjoint_survey(5000, seed=0)
    n_resp = survey["respondent_id"].nunique()
    n_tasks = survey.groupby("respondent_id")["task"].nunique().iloc[0]
    n_alt = survey.groupby(["respondent_id", "task"]).size().iloc[0]
    print(f"{n_resp:,} respondents x {n_tasks} tasks x {n_alt} alternatives = {len(survey):,} rows")

    X = effects(survey, ATTRS, "price")
    y = survey["chosen"].astype(float).to_numpy()
    groups = (survey["respondent_id"] * 100 + survey["task"]).to_numpy()

    t_ours, m = timed(lambda: ours(survey))
    t_peer, ref = timed(lambda: peer(y, X, groups))
    got = m.coefficients.set_index("name")
    np.testing.assert_allclose(got.loc[X.columns, "coef"], ref.params[X.columns], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(got.loc[X.columns, "se"], ref.bse[X.columns], rtol=1e-6)
    assert abs(m.log_likelihood - ref.llf) <= 1e-6 * abs(ref.llf), (m.log_likelihood, ref.llf)
    worst = np.max(np.abs(got.loc[X.columns, "coef"].to_numpy() / ref.params[X.columns].to_numpy() - 1))
    print(
        f"parameters agree: largest relative difference {worst:.1e} (tolerance 1e-6); "
        f"ln L {m.log_likelihood:,.4f}"
    )
    print(
        f"MNL: ours {t_ours * 1e3:.0f} ms, statsmodels ConditionalLogit (newton) {t_peer * 1e3:.0f} ms; "
        f"ours / peer = {t_ours / t_peer:.3f} (peer is {t_peer / t_ours:.1f}x slower; target >= 10x)"
    )
    # the peer's fit alone, its model already built (its groupby work done)
    model = ConditionalLogit(y, X, groups=groups)
    t_fit, _ = timed(lambda: model.fit(method="newton", maxiter=100, disp=False))
    print(f"statsmodels' fit alone, model built: {t_fit * 1e3:.0f} ms (peer is {t_fit / t_ours:.1f}x slower)")

    t_lc, lc = timed(
        lambda: cv.fit_choice(
            survey, attributes=ATTRS, price="price", model="latent_class", n_classes=2, n_starts=5
        ),
        repeat=1,
    )
    print(f"latent-class MNL, 2 classes, 5 starts: {t_lc:.2f} s (ln L {lc.log_likelihood:,.2f})")
