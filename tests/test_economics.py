"""Lifetime-value models against the published CDNOW, retention and donation tables, an
independent scipy fit of the same likelihood, and pandas oracles for the summary."""

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special


@pytest.fixture(scope="module")
def bgnbd(cdnow):
    return cv.BetaGeo().fit(cdnow)


def assert_published(model, params: dict[str, tuple[float, float]], log_likelihood=None) -> None:
    """Each fitted parameter within its tolerance of the published value: name -> (value,
    absolute tolerance); ``log_likelihood`` likewise as (value, tolerance)."""
    for name, (value, tol) in params.items():
        assert model.params_[name] == pytest.approx(value, abs=tol), name
    if log_likelihood is not None:
        assert model.log_likelihood_ == pytest.approx(log_likelihood[0], abs=log_likelihood[1])


def test_bgnbd_reproduces_the_published_cdnow_estimates(bgnbd):
    published = {"r": (0.243, 5e-4), "alpha": (4.414, 5e-3), "a": (0.793, 5e-3), "b": (2.426, 5e-3)}
    assert_published(bgnbd, published, (-9582.43, 0.01))
    assert all(np.isfinite(list(bgnbd.standard_errors_.values())))


def test_bgnbd_matches_an_independent_scipy_fit(cdnow, bgnbd):
    x, tx, T = (cdnow[c].to_numpy() for c in ["frequency", "recency", "T"])

    def nll(theta):
        r, alpha, a, b = np.exp(theta)
        a1 = special.betaln(a, b + x) - (r + x) * np.log(alpha + T)
        a2 = np.where(
            x > 0, special.betaln(a + 1, np.maximum(b + x - 1, 1e-12)) - (r + x) * np.log(alpha + tx), -np.inf
        )
        ll = (
            special.gammaln(r + x)
            - special.gammaln(r)
            + r * np.log(alpha)
            - special.betaln(a, b)
            + np.logaddexp(a1, a2)
        )
        return -ll.sum()

    res = optimize.minimize(
        nll, np.zeros(4), method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-9, "maxiter": 20000}
    )
    assert -res.fun == pytest.approx(bgnbd.log_likelihood_, abs=1e-4)
    np.testing.assert_allclose(np.exp(res.x), list(bgnbd.params_.values()), rtol=2e-3)


def test_worked_example_and_predictions(bgnbd):
    one = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]})
    assert bgnbd.conditional_expected_purchases(39, one)[0] == pytest.approx(1.226, abs=2e-3)
    alive = bgnbd.probability_alive(
        pd.DataFrame({"frequency": [0, 5, 5], "recency": [0, 38, 5], "T": [38.86] * 3})
    )
    assert alive[0] == 1.0 and alive[1] > alive[2]
    assert bgnbd.expected_purchases(0.0) == pytest.approx(0.0)
    e = bgnbd.expected_purchases(np.array([10.0, 39.0, 78.0]))
    assert np.all(np.diff(e) > 0)


def test_gamma_gamma_reproduces_the_published_cdnow_estimates(cdnow):
    gg = cv.GammaGamma().fit(cdnow)
    assert gg.n_used_ == 946
    assert_published(gg, {"p": (6.25, 0.01), "q": (3.74, 0.01), "v": (15.44, 0.05)})
    spend = gg.conditional_expected_spend(cdnow)
    assert np.all(spend > 0)


@pytest.mark.parametrize(
    "survivors, alpha, beta",
    [
        ([1000, 631, 468, 382, 326, 289, 262, 241], 0.704, 1.182),
        ([1000, 869, 743, 653, 593, 551, 517, 491], 0.668, 3.806),
    ],
)
def test_sbg_reproduces_fader_hardie_2007(survivors, alpha, beta):
    m = cv.ShiftedBetaGeometric().fit(survivors)
    assert m.params_["alpha"] == pytest.approx(alpha, abs=1e-3)
    assert m.params_["beta"] == pytest.approx(beta, abs=2e-3)
    s = m.survival([1, 2, 3])
    assert np.all(np.diff(s) < 0)
    r = m.retention([1, 2, 3])
    assert np.all(np.diff(r) > 0)  # retention rises as the cohort sorts itself
    assert m.discounted_expected_residual_lifetime(0.1, renewals=0)[0] > 0


def test_sbg_rejects_a_rising_series():
    with pytest.raises(cv.InputError, match="'survivors'.*rise"):
        cv.ShiftedBetaGeometric().fit([100, 80, 90])


def test_rfm_summary_matches_a_pandas_oracle():
    tx = cv.datasets.transactions(2000, seed=3)
    s = cv.rfm_summary(tx, customer="customer_id", date="date", amount="amount", time_unit="W")
    end = tx["date"].max()
    daily = tx.groupby(["customer_id", "date"], as_index=False)["amount"].sum()
    g = daily.groupby("customer_id")
    first, last = g["date"].min(), g["date"].max()
    want = pd.DataFrame(
        {
            "frequency": g.size() - 1,
            "recency": (last - first).dt.days / 7,
            "T": (end - first).dt.days / 7,
        }
    )
    first_spend = daily.sort_values("date").groupby("customer_id")["amount"].first()
    rep = (g["amount"].sum() - first_spend) / (g.size() - 1).replace(0, np.nan)
    assert s.index.name == "customer_id"  # indexed by the customer, as lifetimes
    np.testing.assert_allclose(s["frequency"], want["frequency"])
    np.testing.assert_allclose(s["recency"], want["recency"])
    np.testing.assert_allclose(s["T"], want["T"])
    np.testing.assert_allclose(s["monetary_value"], rep.fillna(0.0), rtol=1e-9)
    assert s.index.dtype == tx["customer_id"].dtype


def test_bgnbd_recovers_the_planted_truth_from_generated_transactions():
    tx = cv.datasets.transactions(20_000, seed=11)
    truth = tx.attrs["truth"]["bgnbd"]
    s = cv.rfm_summary(tx, customer="customer_id", date="date", time_unit="W")
    m = cv.BetaGeo().fit(s)
    assert m.params_["r"] == pytest.approx(truth["r"], rel=0.15)
    assert m.params_["alpha"] == pytest.approx(truth["alpha"], rel=0.2)
    # a and b are less well identified; their implied mean dropout probability is
    pm = m.params_["a"] / (m.params_["a"] + m.params_["b"])
    assert pm == pytest.approx(truth["a"] / (truth["a"] + truth["b"]), abs=0.06)


def test_calibration_holdout_check(cdnow):
    tx = cv.datasets.cdnow_transactions()
    s = cv.rfm_summary(
        tx, "customer_id", "date", "amount", calibration_end="1997-09-30", observation_end="1998-06-30"
    )
    m = cv.BetaGeo().fit(s)
    pred = m.conditional_expected_purchases(s["duration_holdout"].iloc[0], s)
    # in aggregate the forecast is within 20% of the 39-week holdout (86% here, all 23,570 customers)
    assert pred.sum() == pytest.approx(s["frequency_holdout"].sum(), rel=0.2)
    # and it ranks customers: by calibration frequency, predicted and actual holdout means agree
    by = (
        pd.DataFrame({"x": s["frequency"].clip(upper=6), "pred": pred, "act": s["frequency_holdout"]})
        .groupby("x")
        .mean()
    )
    assert np.all(np.diff(by["pred"]) > 0) and np.all(np.diff(by["act"]) > 0)
    np.testing.assert_allclose(by["pred"], by["act"], rtol=0.35)


def test_customer_lifetime_value_and_simple_formulas(cdnow, bgnbd):
    gg = cv.GammaGamma().fit(cdnow)
    clv = cv.customer_lifetime_value(bgnbd, gg, cdnow, horizon=12, time_unit="M", discount_rate=0.01)
    assert len(clv) == len(cdnow) and (clv >= 0).all()
    one_period = cv.customer_lifetime_value(bgnbd, gg, cdnow, horizon=1, time_unit="M", discount_rate=0.0)
    manual = gg.conditional_expected_spend(cdnow) * bgnbd.conditional_expected_purchases(
        365.25 / 12 / 7, cdnow
    )
    np.testing.assert_allclose(one_period, manual, rtol=1e-12)
    assert cv.simple_clv(50, 4, 0.3, 0.25) == pytest.approx(240.0)
    assert cv.simple_clv(50, 4, 0.3, 0.25, discount_rate=0.1) == pytest.approx(60 * 0.75 / (1.1 - 0.75))
    np.testing.assert_allclose(cv.simple_clv([50, 100], 4, 0.3, 0.25), [240, 480])
    # one timing convention for every rate: the sum of discounted margins, continuous at d = 0
    for timing, first in (("start", 0), ("end", 1)):
        for d in (0.0, 1e-9, 0.1):
            want = sum(60 * 0.75**t / (1 + d) ** t for t in range(first, 2000))
            got = cv.simple_clv(50, 4, 0.3, 0.25, discount_rate=d, timing=timing)
            assert got == pytest.approx(want, rel=1e-6), (timing, d)
    assert cv.ltv_to_cac(300, 100) == 3.0 and cv.cac_payback(100, 25) == 4.0
    with pytest.raises(cv.ParameterError, match="'churn_rate'"):
        cv.simple_clv(50, 4, 0.3, 0.0)


def test_bad_input_names_the_column():
    bad = pd.DataFrame({"frequency": [1, 2], "recency": [5.0, 40.0], "T": [30.0, 30.0]})
    with pytest.raises(cv.InputError, match="'T'.*smaller than recency"):
        cv.BetaGeo().fit(bad)
    frac = pd.DataFrame({"frequency": [1.5], "recency": [5.0], "T": [30.0]})
    with pytest.raises(cv.InputError, match="'frequency'.*integer"):
        cv.BetaGeo().fit(frac)
    tx = pd.DataFrame({"c": [1, 1], "d": pd.to_datetime(["2024-01-01", "2024-02-01"]), "a": [10.0, -5.0]})
    with pytest.raises(cv.InputError, match="'a'.*non-negative"):
        cv.rfm_summary(tx, "c", "d", "a")
    with pytest.raises(cv.NotFittedError, match="not fitted"):
        cv.BetaGeo().probability_alive(bad)


def test_mbgnbd_reproduces_the_published_cdnow_estimates(cdnow):
    m = cv.ModifiedBetaGeo().fit(cdnow)
    assert_published(m, {"r": (0.525, 2e-3), "alpha": (6.183, 0.02), "a": (0.891, 5e-3), "b": (1.614, 0.01)})
    # unlike BG/NBD, a customer without repeat purchases may be gone
    alive = m.probability_alive(pd.DataFrame({"frequency": [0], "recency": [0.0], "T": [38.86]}))
    assert 0 < alive[0] < 1
    assert m.expected_purchases(39.0) > 0


def test_bgbb_reproduces_the_published_donations_estimates():
    d = cv.datasets.donations()
    m = cv.BetaGeoBetaBinom().fit(d, weights="weights")
    published = {
        "alpha": (1.204, 2e-3),
        "beta": (0.750, 2e-3),
        "gamma": (0.657, 2e-3),
        "delta": (2.783, 5e-3),
    }
    assert_published(m, published, (-33225.58, 0.01))
    alive = m.probability_alive(d)
    assert np.all((alive > 0) & (alive <= 1))


def test_pareto_nbd_reproduces_the_published_cdnow_fit(cdnow):
    m = cv.ParetoNBD().fit(cdnow)
    assert_published(m, {"r": (0.553, 0.01), "alpha": (10.578, 0.2)}, (-9594.98, 0.02))
    # s and beta are poorly identified: loose checks only
    assert m.params_["s"] == pytest.approx(0.606, rel=0.15)
    assert m.params_["beta"] == pytest.approx(11.669, rel=0.35)
    heavy = pd.DataFrame({"frequency": [0, 50, 500], "recency": [0.0, 38.0, 38.5], "T": [38.86] * 3})
    alive = m.probability_alive(heavy)
    assert np.all(np.isfinite(alive)) and np.all((alive > 0) & (alive <= 1))
    e = m.conditional_expected_purchases(39, heavy)
    assert np.all(np.isfinite(e)) and e[2] > e[1] > e[0]
    assert m.expected_purchases(39.0) > 0


def test_pareto_nbd_matches_an_independent_numeric_likelihood(cdnow):
    """The likelihood by numerical integration over the death time, for a few customers.

    Given lambda and mu: alive at T gives lam^x e^(-(lam+mu) T); death at tau in (t_x, T] gives
    lam^x e^(-lam tau) mu e^(-mu tau). The expectations over lambda and mu are closed-form for
    a fixed tau, and the integral over tau is done numerically.
    """
    from scipy import integrate

    m = cv.ParetoNBD().fit(cdnow)
    r, alpha, s, beta = m.params_.values()

    def nb(u, x):  # E[lam^x e^(-lam u)] = Gamma(r+x)/Gamma(r) alpha^r / (alpha+u)^(r+x)
        return np.exp(
            special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) - (r + x) * np.log(alpha + u)
        )

    def death(tau, x):  # E[lam^x e^(-lam tau)] E[mu e^(-mu tau)]
        return nb(tau, x) * s / beta * (beta / (beta + tau)) ** (s + 1)

    for _, row in cdnow.iloc[[0, 1, 5]].iterrows():
        x, tx, T = row["frequency"], row["recency"], row["T"]
        survive = nb(T, x) * (beta / (beta + T)) ** s
        died, _ = integrate.quad(death, tx, T, args=(x,), epsabs=1e-14, epsrel=1e-12)
        got = m.log_likelihood(pd.DataFrame({"frequency": [x], "recency": [tx], "T": [T]}))[0]
        assert got == pytest.approx(np.log(survive + died), abs=1e-8)
    # and the per-customer values add up to the fitted log-likelihood
    assert m.log_likelihood(cdnow).sum() == pytest.approx(m.log_likelihood_, abs=1e-6)


def test_clv_intervals_are_seeded_and_bracket_the_estimate(cdnow, bgnbd):
    gg = cv.GammaGamma().fit(cdnow)
    a = cv.customer_lifetime_value(bgnbd, gg, cdnow.head(300), horizon=6, ci=0.9, n_simulations=100, seed=2)
    b = cv.customer_lifetime_value(bgnbd, gg, cdnow.head(300), horizon=6, ci=0.9, n_simulations=100, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert (a["ci_low"] <= a["clv"] + 1e-9).all() and (a["clv"] <= a["ci_high"] + 1e-9).all()
    assert (a["ci_high"] > a["ci_low"]).mean() > 0.99
    # draws have the covariance they should: the sample covariance of log-parameters
    draws = np.log(bgnbd.sample_params(4000, seed=1))
    p = np.array(list(bgnbd.params_.values()))
    want = np.diag(1 / p) @ bgnbd.cov_ @ np.diag(1 / p)
    got = np.cov(draws.T)
    np.testing.assert_allclose(np.diag(got), np.diag(want), rtol=0.1)
    corr = lambda c: c / np.sqrt(np.outer(np.diag(c), np.diag(c)))  # noqa: E731
    np.testing.assert_allclose(corr(got), corr(want), atol=0.06)


def test_diagnostic_plots(cdnow, bgnbd):
    ax = bgnbd.plot_probability_alive_matrix(max_frequency=20)
    assert "probability alive" in ax.get_title()
    tx = cv.datasets.transactions(3000, seed=2)
    split = cv.rfm_summary(tx, "customer_id", "date", calibration_end="2024-09-30")
    m = cv.BetaGeo().fit(split)
    assert m.plot_calibration_holdout(split).get_title() == "Calibration vs holdout"
    with pytest.raises(cv.ParameterError, match="frequency_holdout"):
        m.plot_calibration_holdout(cdnow)


def test_purchase_count_distribution_matches_a_simulation(bgnbd):
    """P(X(t) = n) against a Monte Carlo of the BG/NBD and Pareto/NBD processes at the fitted
    parameters."""
    p = bgnbd.params_
    rng = np.random.default_rng(5)
    n = 100_000
    lam = rng.gamma(p["r"], 1 / p["alpha"], n)
    drop = rng.beta(p["a"], p["b"], n)
    counts = np.zeros(n, dtype=int)
    clock = rng.exponential(1 / lam)
    alive = clock < 39.0
    while alive.any():
        counts[alive] += 1
        alive &= rng.uniform(size=n) >= drop
        clock = np.where(alive, clock + rng.exponential(1 / lam), clock)
        alive &= clock < 39.0
    sim = np.bincount(counts, minlength=4)[:4] / n
    np.testing.assert_allclose(bgnbd.probability_of_purchases(39.0, [0, 1, 2, 3]), sim, atol=0.005)

    # Pareto/NBD: Poisson purchases at rate lambda until an exponential death at rate mu
    pareto = cv.ParetoNBD().fit(cv.datasets.cdnow())
    q = pareto.params_
    lam = rng.gamma(q["r"], 1 / q["alpha"], n)
    death = rng.exponential(1 / rng.gamma(q["s"], 1 / q["beta"], n))
    sim = np.bincount(rng.poisson(lam * np.minimum(death, 39.0)), minlength=4)[:4] / n
    np.testing.assert_allclose(pareto.probability_of_purchases(39.0, [0, 1, 2, 3]), sim, atol=0.005)


def test_rfm_summary_keeps_string_ids_as_written():
    tx = pd.DataFrame(
        {
            "c": ["007", "007", "010"],
            "d": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-01-03"]),
            "a": [1.0, 2.0, 3.0],
        }
    )
    s = cv.rfm_summary(tx, "c", "d", "a", time_unit="D")
    assert list(s.index) == ["007", "010"] and list(s["frequency"]) == [1.0, 0.0]
