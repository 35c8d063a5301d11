"""Discounted expected residual transactions (Pareto/NBD, BG/BB) and the BG/BB predictions,
against numerical integration with scipy of the quantities they are defined as."""

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special


@pytest.fixture(scope="module")
def pareto(cdnow):
    return cv.ParetoNBD().fit(cdnow)


@pytest.fixture(scope="module")
def donations():
    return cv.datasets.donations()


@pytest.fixture(scope="module")
def bgbb(donations):
    return cv.BetaGeoBetaBinom().fit(donations, weights="weights")


def _cdnow_patterns(cdnow):
    """Distinct customers: no repeat, a light, a heavy and the heaviest buyer, early and late."""
    d = cdnow.drop_duplicates(["frequency", "recency", "T"])
    picks = [
        d[d.frequency == 0].iloc[0],
        d[d.frequency == 2].iloc[0],
        d[(d.frequency >= 5) & (d.recency < 10)].iloc[0],
        d[(d.frequency >= 10) & (d.recency > 30)].iloc[0],
        d.loc[d.frequency.idxmax()],
    ]
    return pd.DataFrame(picks).reset_index(drop=True)


def _laplace(f, delta):
    """integral_0^inf e^(-delta t) f(t) dt = (1/delta) integral_0^1 f(-ln(1-u)/delta) du."""
    value, _ = integrate.quad_vec(
        lambda u: f(-np.log1p(-u) / delta), 0, 1, epsabs=0, epsrel=1e-11, limit=2000
    )
    return value / delta


@pytest.mark.parametrize("delta", [np.log(1.15) / 52, 0.05, 1e-5])
def test_pareto_dert_is_the_discounted_flow_of_conditional_purchases(cdnow, pareto, delta):
    # by parts, integral e^(-delta t) dE[Y(t)] = delta integral e^(-delta t) E[Y(t)] dt, with
    # E[Y(t)] the model's own conditional expected purchases in the next t
    data = _cdnow_patterns(cdnow)
    dert = pareto.discounted_expected_residual_transactions(data, discount_rate=delta)
    if delta < 1e-4:  # the series branch of Gamma(1 - s, z), z < 1e-3; tail too long for the flow form
        oracle = _posterior_form(pareto, data, delta)
    else:
        oracle = delta * _laplace(lambda t: pareto.conditional_expected_purchases(t, data), delta)
    np.testing.assert_allclose(dert, oracle, rtol=1e-6)
    assert np.all(dert > 0)


def _posterior_form(m, data, delta):
    """P(alive) (r+x)/(alpha+T) E[1/(mu+delta)], mu ~ Gamma(s, beta+T):
    E[1/(mu+delta)] = integral_0^inf e^(-delta t) ((beta+T)/(beta+T+t))^s dt."""
    p = m.params_
    b = p["beta"] + data["T"].to_numpy()
    life = _laplace(lambda t: (b / (b + t)) ** p["s"], delta)
    rate = (p["r"] + data["frequency"].to_numpy()) / (p["alpha"] + data["T"].to_numpy())
    return m.probability_alive(data) * rate * life


def test_pareto_dert_matches_the_posterior_integral_on_cdnow(cdnow, pareto):
    data = _cdnow_patterns(cdnow)
    delta = np.log(1.15) / 52
    np.testing.assert_allclose(
        pareto.discounted_expected_residual_transactions(data, discount_rate=delta),
        _posterior_form(pareto, data, delta),
        rtol=1e-8,
    )
    all_dert = pareto.discounted_expected_residual_transactions(cdnow, discount_rate=delta)
    assert np.all(np.isfinite(all_dert)) and np.all(all_dert > 0)
    # bought just now: alive for sure, so DERT rises with frequency; quiet for 8 weeks: the
    # heaviest buyer is likely gone (FHL 2005's iso-value curves bend back)
    fresh = pd.DataFrame({"frequency": [1, 5, 20, 200], "recency": [38.0] * 4, "T": [38.0] * 4})
    assert np.all(np.diff(pareto.discounted_expected_residual_transactions(fresh, discount_rate=delta)) > 0)
    quiet = fresh.assign(recency=30.0)
    d = pareto.discounted_expected_residual_transactions(quiet, discount_rate=delta)
    assert d[3] < 1e-6 < d[0] < d[1] < d[2]


@pytest.mark.parametrize("rate", [0, -0.1, float("nan"), "0.1"])
def test_dert_rejects_a_bad_discount_rate(cdnow, pareto, bgbb, donations, rate):
    with pytest.raises(cv.ParameterError, match="discount_rate"):
        pareto.discounted_expected_residual_transactions(cdnow.head(), discount_rate=rate)
    with pytest.raises(cv.ParameterError, match="discount_rate"):
        bgbb.discounted_expected_residual_transactions(donations.head(), discount_rate=rate)


def _beta_moment(a, b, f):
    """E[f(u)] for u ~ Beta(a, b) by quad with the Jacobi weight u^(a-1) (1-u)^(b-1)."""
    value, _ = integrate.quad(f, 0, 1, weight="alg", wvar=(a - 1, b - 1), epsabs=0, epsrel=1e-13, limit=200)
    return value / special.beta(a, b)


def _bgbb_oracle(m, x, tx, n, t, d):
    """Likelihood, E[X(n, n+t) | x, t_x, n] and DERT as integrals over p ~ Beta(alpha, beta) and
    theta ~ Beta(gamma, delta); the (p, theta) integrals factor, so each is a product of quads."""
    p = m.params_
    e_p = lambda f: _beta_moment(p["alpha"], p["beta"], f)  # noqa: E731
    e_th = lambda f: _beta_moment(p["gamma"], p["delta"], f)  # noqa: E731
    alive_n = e_p(lambda u: u**x * (1 - u) ** (n - x)) * e_th(lambda v: (1 - v) ** n)
    died = sum(
        e_p(lambda u, i=i: u**x * (1 - u) ** (tx - x + i)) * e_th(lambda v, i=i: v * (1 - v) ** (tx + i))
        for i in range(int(n - tx))
    )
    like = alive_n + died
    buy = e_p(lambda u: u ** (x + 1) * (1 - u) ** (n - x))
    ahead = e_th(lambda v: (1 - v) ** n * sum((1 - v) ** k for k in range(1, t + 1)))
    q = lambda v: (1 - v) / (1 + d)  # noqa: E731
    disc = e_th(lambda v: (1 - v) ** n * q(v) / (1 - q(v)))
    return like, buy * ahead / like, buy * disc / like


def test_bgbb_predictions_match_integrals_over_the_beta_posteriors(bgbb, donations):
    f, r, n = donations["frequency"], donations["recency"], donations["n_periods"]
    cond = bgbb.conditional_expected_purchases(5, donations)
    dert = bgbb.discounted_expected_residual_transactions(donations, discount_rate=0.1)
    for i in range(len(donations)):
        _, c, d = _bgbb_oracle(bgbb, f[i], r[i], n[i], 5, 0.1)
        assert cond[i] == pytest.approx(c, rel=1e-6), i
        assert dert[i] == pytest.approx(d, rel=1e-6), i


def test_bgbb_unconditional_expectation_matches_the_beta_integral(bgbb):
    p = bgbb.params_
    ts = [0, 1, 6, 11, 50]
    got = bgbb.expected_purchases(ts)
    for t, g in zip(ts, got, strict=True):
        ahead = lambda v, t=t: sum((1 - v) ** k for k in range(1, t + 1))  # noqa: E731
        alive = _beta_moment(p["gamma"], p["delta"], ahead)
        assert g == pytest.approx(p["alpha"] / (p["alpha"] + p["beta"]) * alive, rel=1e-6, abs=1e-15)
    assert isinstance(bgbb.expected_purchases(6), float)
    # a new customer's expectation is the conditional one given an empty history
    empty = pd.DataFrame({"frequency": [0], "recency": [0], "n_periods": [0]})
    assert bgbb.conditional_expected_purchases(6, empty)[0] == pytest.approx(got[2], rel=1e-12)


def test_bgbb_predictions_reject_fractional_periods(bgbb, donations):
    with pytest.raises(cv.ParameterError, match="'t'"):
        bgbb.conditional_expected_purchases(2.5, donations)
    with pytest.raises(cv.ParameterError, match="'t'"):
        bgbb.expected_purchases([1, -1])
    with pytest.raises(cv.InputError, match="periods"):
        bgbb.conditional_expected_purchases(2, donations.drop(columns="n_periods"))


def test_pareto_standard_errors_match_a_numerical_hessian_of_the_likelihood(cdnow, pareto):
    # the covariance comes from differences of the analytic gradient; here from second
    # differences of the log-likelihood value alone
    p = np.array(list(pareto.params_.values()))
    probe = cv.ParetoNBD().fit(cdnow.head(50))

    def ll(q):
        probe.params_ = dict(zip(pareto.params_, q, strict=True))
        return probe.log_likelihood(cdnow).sum()

    h, eye = 1e-3 * p, np.eye(4)
    hess = np.array(
        [
            [
                (
                    ll(p + h * (eye[i] + eye[j]))
                    - ll(p + h * (eye[i] - eye[j]))
                    - ll(p - h * (eye[i] - eye[j]))
                    + ll(p - h * (eye[i] + eye[j]))
                )
                / (4 * h[i] * h[j])
                for j in range(4)
            ]
            for i in range(4)
        ]
    )
    se = np.sqrt(np.diag(np.linalg.inv(-hess)))
    np.testing.assert_allclose(list(pareto.standard_errors_.values()), se, rtol=1e-3)
