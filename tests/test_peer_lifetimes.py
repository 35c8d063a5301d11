"""Expectations of lifetimes' test suite, and the two lifetimes failure classes of issue 15.

Ported as facts (numbers from R's BTYD package) from lifetimes' lifetimes/tests/test_estimation.py,
`test_probability_of_n_purchases_up_to_time_same_as_R_BTYD`; the MBG/NBD probabilities, which
lifetimes has and this package lacked (failure class 2), are checked against the published
formula evaluated independently with scipy; a repeat buyer with zero spend (one customer of the
real CDNOW log) stopped the Gamma-Gamma fit even with missing="drop" (failure class 4).
"""

from __future__ import annotations

import customervalue as cv
import numpy as np
import pytest
from scipy.special import betaln, gammaln

CDNOW_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def with_params(model, params):
    model.params_ = dict(params)
    return model


def test_bgnbd_purchase_count_probabilities_match_r_btyd():
    bg = with_params(cv.BetaGeo(), CDNOW_BGNBD)
    assert bg.probability_of_purchases(2, 10) == pytest.approx(1.07869e-07, rel=1e-4)
    assert bg.probability_of_purchases(39, 0) == pytest.approx(0.5737864, rel=1e-6)
    want = [0.0019995214, 0.0015170236, 0.0011633150, 0.0009003148, 0.0007023638,
            0.0005517902, 0.0004361913, 0.0003467171, 0.0002769613, 0.0002222260]  # fmt: skip
    np.testing.assert_allclose(bg.probability_of_purchases(30, np.arange(11, 21)), want, rtol=1e-6)


def mbg_oracle(p, t, n):
    """P(X(t) = n) under MBG/NBD (Batislam, Denizel & Filiztekin 2007), term by term."""
    r, alpha, a, b = p["r"], p["alpha"], p["a"], p["b"]

    def ln_nb(j):
        return (
            gammaln(r + j)
            - gammaln(r)
            - gammaln(j + 1)
            + r * np.log(alpha / (alpha + t))
            + j * np.log(t / (alpha + t))
        )

    first = np.exp(betaln(a, b + n + 1) - betaln(a, b) + ln_nb(n))
    below = sum(np.exp(ln_nb(j)) for j in range(n))
    return first + np.exp(betaln(a + 1, b + n) - betaln(a, b)) * (1 - below)


@pytest.mark.parametrize("t", [2.0, 30.0, 39.0, 78.0])
def test_mbgnbd_purchase_count_probabilities_match_the_formula(t):
    m = cv.ModifiedBetaGeo().fit(cv.datasets.cdnow())
    ns = np.arange(0, 25)
    np.testing.assert_allclose(
        m.probability_of_purchases(t, ns),
        [mbg_oracle(m.params_, t, int(n)) for n in ns],
        rtol=1e-10,
        # the oracle's 1 - sum(...) cancels: its tail terms carry an absolute error near 1e-18
        atol=1e-16,
    )
    # a distribution: it sums to one, with E[X(t)] as its mean
    p = m.probability_of_purchases(t, np.arange(0, 2000))
    assert p.sum() == pytest.approx(1.0, abs=1e-9)
    assert (np.arange(2000) * p).sum() == pytest.approx(m.expected_purchases(t), rel=1e-8)


def test_a_huge_purchase_count_is_refused_rather_than_tried():
    bg = with_params(cv.BetaGeo(), CDNOW_BGNBD)
    with pytest.raises(cv.ParameterError, match="'n'"):
        bg.probability_of_purchases(5, 10**9)


def test_zero_spend_of_a_repeat_buyer_is_invalid_data_dropped_and_listed():
    tx = cv.datasets.cdnow_transactions()
    s = cv.rfm_summary(tx, "customer_id", "date", "amount", time_unit="W")
    zero = s.index[(s["frequency"] > 0) & (s["monetary_value"] <= 0)]
    assert len(zero) == 1  # customer 10244 of the real log
    with pytest.raises(cv.InputError, match="monetary_value.*missing='drop'"):
        cv.GammaGamma().fit(s)
    gg = cv.GammaGamma().fit(s, missing="drop")
    assert gg.n_invalid_ == 1 and list(gg.dropped_.index) == list(zero)
    assert gg.dropped_["reason"].iloc[0] == "non-positive spend of a repeat buyer"
    # the fit equals the one on the data without that customer
    clean = cv.GammaGamma().fit(s.drop(index=zero))
    assert gg.params_ == pytest.approx(clean.params_, rel=1e-12)


def bgnbd_conditional_oracle(p, t, x, tx, T):
    """E[Y(t) | x, t_x, T] under BG/NBD (Fader, Hardie & Lee 2005, eq. 10), with scipy's 2F1."""
    from scipy.special import hyp2f1

    r, alpha, a, b = p["r"], p["alpha"], p["a"], p["b"]
    head = (a + b + x - 1) / (a - 1)
    tail = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(
        r + x, b + x, a + b + x - 1, t / (alpha + T + t)
    )
    alive = 1.0 if x == 0 else 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x))
    return head * tail * alive


def test_predictions_stay_finite_when_a_plus_b_is_below_one():
    # issue 18: on the first 229 CDNOW customers the fit has a + b < 1, and the expected
    # purchases of the 137 customers without a repeat purchase (and their CLV) were NaN, because
    # the hypergeometric series refused a negative c = a + b + x - 1
    d = cv.datasets.cdnow().head(229)
    m = cv.BetaGeo().fit(d)
    assert m.params_["a"] + m.params_["b"] < 1
    got = m.conditional_expected_purchases(1, d)
    want = [
        bgnbd_conditional_oracle(m.params_, 1, x, tx, T)
        for x, tx, T in zip(d["frequency"], d["recency"], d["T"], strict=True)
    ]
    np.testing.assert_allclose(got.to_numpy(), want, rtol=1e-11)
    assert np.isfinite(m.expected_purchases(10.0))
    gg = cv.GammaGamma().fit(d[d["frequency"] > 0])
    assert cv.customer_lifetime_value(m, gg, d, horizon=12).notna().all()


def test_a_fit_on_customers_who_never_repeat_says_why_it_cannot():
    # issue 18: such data returned a = b = 1 and NaN predictions
    d = cv.datasets.cdnow()
    never = d[d["frequency"] == 0]
    for model in (cv.BetaGeo(), cv.ModifiedBetaGeo(), cv.ParetoNBD()):
        with pytest.raises(cv.InputError, match="'frequency'.*no customer makes a repeat purchase"):
            model.fit(never)
