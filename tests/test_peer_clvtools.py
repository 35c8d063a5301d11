"""Time-invariant covariates on BG/NBD, MBG/NBD and Pareto/NBD, as CLVTools' static covariates.

CLVTools (bachmannpatrick/CLVTools, src/bgnbd.cpp and src/pnbd.cpp) moves each customer's
parameters as alpha_i = alpha exp(-g'z), a_i = a exp(h'w), b_i = b exp(h'w) (BG/NBD) and
beta_i = beta exp(-h'w) (Pareto/NBD). Its tests (tests/testthat/test_consistency_pnbd.R and the
bgnbd ones) expect a model whose covariate coefficients are all zero to predict as the model
without covariates; ported here. The fit itself is checked against the log-likelihood written
independently in scipy (the BG/NBD likelihood of Fader, Hardie & Lee 2005 at each customer's
parameters, maximised with scipy.optimize): estimates to 1e-3, log-likelihood to 1e-6; and a
planted covariate effect is recovered within three standard errors.
"""

from __future__ import annotations

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy.special import betaln, gammaln


@pytest.fixture(scope="module")
def cdnow_z():
    d = cv.datasets.cdnow().copy()
    rng = np.random.default_rng(0)
    d["z"] = (rng.random(len(d)) < 0.5).astype(float)
    d["w"] = rng.normal(size=len(d))
    return d


def bgnbd_ll(theta, x, tx, T, z, w):
    r, alpha, a, b = np.exp(theta[:4])
    g, h = theta[4], theta[5]
    al = alpha * np.exp(-g * z)
    ai, bi = a * np.exp(h * w), b * np.exp(h * w)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(al)
    a2 = betaln(ai, bi + x) - betaln(ai, bi)
    a3 = -(r + x) * np.log(al + T)
    a4 = np.where(
        x > 0, betaln(ai + 1, bi + np.maximum(x, 1) - 1) - betaln(ai, bi) - (r + x) * np.log(al + tx), -np.inf
    )
    return np.sum(a1 + np.logaddexp(a2 + a3, a4))


def test_bgnbd_covariate_fit_equals_the_likelihood_maximised_with_scipy(cdnow_z):
    d = cdnow_z
    m = cv.BetaGeo().fit(d, purchase_covariates=["z"], dropout_covariates=["w"])
    args = (
        d["frequency"].to_numpy(),
        d["recency"].to_numpy(),
        d["T"].to_numpy(),
        d["z"].to_numpy(),
        d["w"].to_numpy(),
    )
    start = np.r_[np.log([0.24, 4.4, 0.79, 2.4]), 0.0, 0.0]
    opts = {"xatol": 1e-9, "fatol": 1e-10, "maxiter": 40000, "maxfev": 40000}
    res = optimize.minimize(lambda th: -bgnbd_ll(th, *args), start, method="Nelder-Mead", options=opts)
    want = np.r_[np.exp(res.x[:4]), res.x[4:]]
    got = np.array(list(m.params_.values()))
    np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-4)
    assert m.log_likelihood_ == pytest.approx(-res.fun, rel=1e-6)
    assert list(m.params_) == ["r", "alpha", "a", "b", "purchase.z", "dropout.w"]
    assert set(m.standard_errors_) == set(m.params_)


@pytest.mark.parametrize("model", [cv.BetaGeo, cv.ModifiedBetaGeo, cv.ParetoNBD])
def test_zero_coefficients_predict_as_the_model_without_covariates(cdnow_z, model):
    # CLVTools' consistency tests: covariate parameters at 0 give the no-covariate predictions
    plain = model().fit(cdnow_z)
    with_cov = model().fit(cdnow_z, purchase_covariates=["z"], dropout_covariates=["w"])
    with_cov.params_ = {**plain.params_, "purchase.z": 0.0, "dropout.w": 0.0}
    head = cdnow_z.head(50)
    np.testing.assert_allclose(with_cov.probability_alive(head), plain.probability_alive(head), rtol=1e-12)
    np.testing.assert_allclose(
        with_cov.conditional_expected_purchases(10, head),
        plain.conditional_expected_purchases(10, head),
        rtol=1e-12,
    )


def test_a_planted_purchase_effect_is_recovered():
    # customers with z = 1 buy twice as fast: alpha_i = alpha exp(-ln 2 z)
    rng = np.random.default_rng(7)
    n = 4000
    z = (np.arange(n) % 2).astype(float)
    lam = rng.gamma(0.8, 1 / (4.0 * np.exp(-np.log(2) * z)))
    p = rng.beta(1.0, 4.0, n)
    x, tx = np.zeros(n), np.zeros(n)
    for i in range(n):
        clock = 0.0
        while True:
            clock += rng.exponential(1 / lam[i])
            if clock > 40:
                break
            x[i] += 1
            tx[i] = clock
            if rng.random() < p[i]:
                break
    d = pd.DataFrame({"frequency": x, "recency": tx, "T": 40.0, "z": z})
    m = cv.BetaGeo().fit(d, purchase_covariates=["z"])
    assert abs(m.params_["purchase.z"] - np.log(2)) < 3 * m.standard_errors_["purchase.z"]


def test_covariate_models_refuse_what_needs_no_customer(cdnow_z):
    m = cv.BetaGeo().fit(cdnow_z, purchase_covariates=["z"])
    with pytest.raises(cv.ParameterError, match="depends on each customer's covariates"):
        m.expected_purchases(10)
    with pytest.raises(cv.InputError, match="'z'"):
        m.probability_alive(cdnow_z.drop(columns="z").head())
    with pytest.raises(cv.ParameterError, match="weights"):
        cv.BetaGeo().fit(cdnow_z, weights="w", purchase_covariates=["z"])
    with pytest.raises(cv.InputError, match="'c'.*constant"):
        cv.BetaGeo().fit(cdnow_z.assign(c=1.0), purchase_covariates=["c"])


def test_clv_with_covariates_runs_per_customer(cdnow_z):
    bg = cv.BetaGeo().fit(cdnow_z, purchase_covariates=["z"])
    gg = cv.GammaGamma().fit(cdnow_z)
    clv = cv.customer_lifetime_value(bg, gg, cdnow_z.head(20), horizon=12)
    assert clv.index.equals(cdnow_z.head(20).index) and np.isfinite(clv).all()
