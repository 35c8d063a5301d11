"""Purchase-count probabilities and BG/BB's extras against lifetimes and independent oracles.

lifetimes (CamDavidsonPilon/lifetimes, lifetimes/fitters/pareto_nbd_fitter.py and
beta_geo_beta_binom_fitter.py) runs here as the oracle with the same parameters loaded:
- Pareto/NBD P(X(T, T+t) = n | x, t_x, T) (``conditional_probability_of_n_purchases_up_to_time``,
  Fader & Hardie's closed form) against customervalue's quadrature, to 1e-10;
- BG/BB P(X(n) = x) (``expected_number_of_transactions_in_first_n_periods`` over the number of
  customers) and P(alive at n + m) (``conditional_probability_alive``), to 1e-10.
lifetimes has no conditional count law for BG/NBD or MBG/NBD: those are checked against the
law of the process mixed over the posterior of (lambda, p) (p integrated with scipy), and
for all three models the law sums to 1 with the conditional expectation as its mean.
"""

from __future__ import annotations

import warnings

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

lifetimes = pytest.importorskip("lifetimes")


@pytest.fixture(scope="module")
def cdnow():
    return cv.datasets.cdnow()


@pytest.fixture(scope="module")
def customers(cdnow):
    return cdnow.iloc[np.r_[0:40, 200:210, 1000:1010]]


def test_pareto_conditional_counts_equal_lifetimes(cdnow, customers):
    m = cv.ParetoNBD().fit(cdnow)
    lt = lifetimes.ParetoNBDFitter()
    lt.params_ = pd.Series(m.params_)
    for n in range(7):
        ours = m.conditional_probability_of_purchases(39, n, customers)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = [
                float(lt.conditional_probability_of_n_purchases_up_to_time(n, 39, f, r, t))
                for f, r, t in zip(customers["frequency"], customers["recency"], customers["T"], strict=True)
            ]
        np.testing.assert_allclose(ours.to_numpy(), theirs, rtol=1e-10)
        assert ours.index.equals(customers.index)


def pareto_oracle(p, t, n):
    """P(X(t) = n): the NB law of the time alive, integrated over the lifetime with scipy."""
    r, alpha, s, beta = p["r"], p["alpha"], p["s"], p["beta"]

    def nb(u):
        return np.exp(
            special.gammaln(r + n) - special.gammaln(r) - special.gammaln(n + 1)
            + r * np.log(alpha / (alpha + u)) + (n * np.log(u / (alpha + u)) if n else 0.0)
        )  # fmt: skip

    tail = nb(t) * (beta / (beta + t)) ** s
    body, _ = integrate.quad(
        lambda u: nb(u) * s * beta**s / (beta + u) ** (s + 1), 0, t, epsabs=0, epsrel=1e-12
    )
    return tail + body


@pytest.mark.parametrize("t", [1.0, 39.0, 200.0])
def test_pareto_counts_equal_the_integral(cdnow, t):
    m = cv.ParetoNBD().fit(cdnow)
    ns = np.arange(0, 12)
    np.testing.assert_allclose(
        m.probability_of_purchases(t, ns), [pareto_oracle(m.params_, t, int(n)) for n in ns], rtol=1e-10
    )


def bg_oracle(m, n, t, x, tx, big_t):
    """P(X(T, T+t) = n | history): the BG process law given (lambda, p), mixed over the
    posterior given survival to T (lambda by the negative binomial, p numerically with scipy),
    times P(alive), plus the dead's [n = 0]."""
    p = m.params_
    modified = isinstance(m, cv.ModifiedBetaGeo)
    shape, rate = p["r"] + x, p["alpha"] + big_t
    a, b = p["a"], p["b"] + x + (1 if modified else 0)
    nb = stats.nbinom(shape, rate / (rate + t))  # Poisson(lambda t) mixed over Gamma(shape, rate)
    below = nb.cdf(n - 1) if n > 0 else 0.0

    def law(q):
        first = (1 - q) ** n * nb.pmf(n)
        rest = q * (1 - q) ** (n - 1) * (1 - below) if n > 0 else 0.0
        return (first + rest) * stats.beta.pdf(q, a, b)

    inner, _ = integrate.quad(law, 0, 1, epsabs=1e-14, epsrel=1e-12, limit=200)
    one = pd.DataFrame({"frequency": [x], "recency": [tx], "T": [big_t]})
    alive = float(m.probability_alive(one).iloc[0])
    return alive * inner + (1 - alive) * (n == 0)


@pytest.mark.parametrize("model", [cv.BetaGeo, cv.ModifiedBetaGeo])
def test_bg_conditional_counts_equal_the_posterior_integral(cdnow, model):
    m = model().fit(cdnow)
    for x, tx, big_t in [(0.0, 0.0, 30.0), (2.0, 20.0, 38.0), (6.0, 35.5, 38.5)]:
        one = pd.DataFrame({"frequency": [x], "recency": [tx], "T": [big_t]})
        for n in (0, 1, 3):
            got = float(m.conditional_probability_of_purchases(39, n, one).iloc[0])
            assert got == pytest.approx(bg_oracle(m, n, 39.0, x, tx, big_t), rel=1e-9, abs=1e-13)


@pytest.mark.parametrize("model", [cv.BetaGeo, cv.ModifiedBetaGeo, cv.ParetoNBD])
def test_conditional_law_sums_to_one_with_the_conditional_mean(cdnow, customers, model):
    m = model().fit(cdnow)
    laws = np.column_stack([m.conditional_probability_of_purchases(39, n, customers) for n in range(250)])
    np.testing.assert_allclose(laws.sum(axis=1), 1.0, atol=1e-9)
    mean = laws @ np.arange(250)
    np.testing.assert_allclose(mean, m.conditional_expected_purchases(39, customers), rtol=1e-7)


def test_conditional_counts_refuse_bad_arguments(cdnow):
    m = cv.BetaGeo().fit(cdnow)
    with pytest.raises(cv.ParameterError, match="'n'"):
        m.conditional_probability_of_purchases(39, -1, cdnow)
    with pytest.raises(cv.ParameterError, match="'t'"):
        m.conditional_probability_of_purchases(float("nan"), 1, cdnow)
    with pytest.raises(cv.ParameterError, match="'n'"):
        cv.ParetoNBD().fit(cdnow).probability_of_purchases(39, 10**6)


@pytest.fixture(scope="module")
def bgbb_pair():
    don = cv.datasets.donations()
    ours = cv.BetaGeoBetaBinom().fit(don, weights="weights")
    lt = lifetimes.BetaGeoBetaBinomFitter().fit(
        don["frequency"], don["recency"], don["n_periods"], weights=don["weights"]
    )
    lt.params_ = pd.Series(ours.params_)  # the same parameters in both
    return don, ours, lt


def test_bgbb_purchase_count_law_equals_lifetimes(bgbb_pair):
    don, ours, lt = bgbb_pair
    theirs = lt.expected_number_of_transactions_in_first_n_periods(6)["model"] / don["weights"].sum()
    np.testing.assert_allclose(ours.probability_of_purchases(6, theirs.index.to_numpy()), theirs, rtol=1e-10)
    assert ours.probability_of_purchases(6, 7) == 0.0  # more transactions than opportunities
    with pytest.raises(cv.ParameterError, match="'t'"):
        ours.probability_of_purchases(-1, 0)


@pytest.mark.parametrize("m", [0, 1, 3, 10])
def test_bgbb_alive_at_a_later_opportunity_equals_lifetimes(bgbb_pair, m):
    don, ours, lt = bgbb_pair
    theirs = lt.conditional_probability_alive(m, don["frequency"], don["recency"], don["n_periods"])
    np.testing.assert_allclose(ours.probability_alive(don, t=m), theirs, rtol=1e-10)
