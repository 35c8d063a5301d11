"""The L2 ``penalizer`` of every lifetime-value fit against lifetimes' ``penalizer_coef``.

lifetimes minimises the mean negative log-likelihood plus c x the sum of the squared parameters,
with BG/NBD's alpha (and Pareto/NBD's alpha and beta) measured in units of the longest customer
age, as it fits them (lifetimes/fitters/*.py, ``_negative_log_likelihood``; its test
``test_penalizer_term_will_shrink_coefs_to_0`` in lifetimes/tests/test_estimation.py is the
qualitative expectation ported below). lifetimes runs here as the oracle on the same data:
estimates agree to a relative 1e-4 (lifetimes stops its optimiser at that precision).
lifetimes' Pareto/NBD divides its sum by the mean weight rather than the total, so its
``penalizer_coef=c`` is ``penalizer=c / n`` here: the test shows both.
"""

from __future__ import annotations

import warnings

import customervalue as cv
import numpy as np
import pytest

lifetimes = pytest.importorskip("lifetimes")


@pytest.fixture(scope="module")
def cdnow():
    return cv.datasets.cdnow()


def lt_params(fitter):
    return np.asarray(fitter.params_.values, dtype=float)


@pytest.mark.parametrize(
    "ours, theirs", [(cv.BetaGeo, "BetaGeoFitter"), (cv.ModifiedBetaGeo, "ModifiedBetaGeoFitter")]
)
@pytest.mark.parametrize("c", [0.01, 0.1])
def test_bg_family_penalizer_equals_lifetimes(cdnow, ours, theirs, c):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lt = getattr(lifetimes, theirs)(penalizer_coef=c)
        lt.fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    m = ours(penalizer=c).fit(cdnow)
    np.testing.assert_allclose(list(m.params_.values()), lt_params(lt), rtol=1e-4)


def test_pareto_penalizer_equals_lifetimes_with_its_mean_weight_convention(cdnow):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lt = lifetimes.ParetoNBDFitter(penalizer_coef=0.1)
        lt.fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    same = cv.ParetoNBD(penalizer=0.1 / len(cdnow)).fit(cdnow)
    np.testing.assert_allclose(list(same.params_.values()), lt_params(lt), rtol=2e-3)
    # the same coefficient here is n times stronger: it shrinks far more
    strong = cv.ParetoNBD(penalizer=0.1).fit(cdnow)
    assert strong.params_["alpha"] < 0.8 * same.params_["alpha"]


def test_gamma_gamma_and_bgbb_penalizer_equal_lifetimes(cdnow):
    repeat = cdnow[cdnow["frequency"] > 0]
    lt = lifetimes.GammaGammaFitter(penalizer_coef=0.01).fit(repeat["frequency"], repeat["monetary_value"])
    with pytest.warns(cv.CustomerValueWarning, match="q = 0.968"):  # the penalty pulls q below 1
        gg = cv.GammaGamma(penalizer=0.01).fit(cdnow)
    np.testing.assert_allclose(list(gg.params_.values()), lt_params(lt), rtol=1e-5)
    don = cv.datasets.donations()
    lt = lifetimes.BetaGeoBetaBinomFitter(penalizer_coef=0.1).fit(
        don["frequency"], don["recency"], don["n_periods"], weights=don["weights"]
    )
    ours = cv.BetaGeoBetaBinom(penalizer=0.1).fit(don, weights="weights")
    np.testing.assert_allclose(list(ours.params_.values()), lt_params(lt), rtol=1e-5)


def test_penalizer_shrinks_towards_zero_and_keeps_the_unpenalised_likelihood(cdnow):
    # lifetimes' test_penalizer_term_will_shrink_coefs_to_0: a larger penalty, smaller estimates
    free, light, heavy = (cv.BetaGeo(penalizer=c).fit(cdnow) for c in (0.0, 0.1, 1.0))
    for name in ("r", "a", "b"):
        assert free.params_[name] > light.params_[name] > heavy.params_[name]
    # the reported log-likelihood is the model's, unpenalised: the free fit maximises it
    assert free.log_likelihood_ > light.log_likelihood_ > heavy.log_likelihood_
    again = cv.BetaGeo(penalizer=0.1).fit(cdnow)
    assert again.params_ == light.params_  # deterministic


def test_penalised_fit_does_not_depend_on_the_time_unit(cdnow):
    weeks = cv.BetaGeo(penalizer=0.1).fit(cdnow)
    days = cdnow.assign(recency=cdnow["recency"] * 7, T=cdnow["T"] * 7)
    days.attrs["time_unit"] = "D"
    in_days = cv.BetaGeo(penalizer=0.1).fit(days)
    assert in_days.params_["alpha"] == pytest.approx(7 * weeks.params_["alpha"], rel=1e-5)
    for name in ("r", "a", "b"):
        assert in_days.params_[name] == pytest.approx(weeks.params_[name], rel=1e-5)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf")])
def test_a_bad_penalizer_is_a_parameter_error(cdnow, bad):
    with pytest.raises(cv.ParameterError, match="penalizer"):
        cv.BetaGeo(penalizer=bad).fit(cdnow)
    with pytest.raises(cv.ParameterError, match="penalizer"):
        cv.GammaGamma(penalizer=bad).fit(cdnow)


def test_penalizer_is_an_estimator_parameter():
    sklearn_base = pytest.importorskip("sklearn.base")
    m = cv.ParetoNBD(penalizer=0.05)
    assert m.get_params()["penalizer"] == 0.05
    assert sklearn_base.clone(m).penalizer == 0.05
    assert cv.BetaGeoBetaBinom().set_params(penalizer=0.2).penalizer == 0.2
