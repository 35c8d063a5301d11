"""Price-response models against statsmodels, the published optima, and bad input."""

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from customervalue import PriceResponseModel
from scipy import optimize, special


@pytest.fixture
def linear_data():
    rng = np.random.default_rng(1)
    p = np.repeat(np.arange(10, 60, 5.0), 4)
    return pd.DataFrame({"price": p, "quantity": 1000 - 10 * p + rng.normal(0, 20, len(p))})


def test_linear_matches_statsmodels_ols(linear_data):
    m = cv.fit_price_response(linear_data, price="price", quantity="quantity", model="linear")
    ols = sm.OLS(linear_data["quantity"], sm.add_constant(linear_data["price"])).fit()
    assert m.params_["a"] == pytest.approx(ols.params["const"], rel=1e-10)
    assert m.params_["b"] == pytest.approx(-ols.params["price"], rel=1e-10)
    assert m.standard_errors_["a"] == pytest.approx(ols.bse["const"], rel=1e-8)
    assert m.standard_errors_["b"] == pytest.approx(ols.bse["price"], rel=1e-8)
    assert m.log_likelihood_ == pytest.approx(ols.llf, rel=1e-10)
    ci = m.conf_int(ci=0.95)
    assert ci.loc["b", "lower"] < m.params_["b"] < ci.loc["b", "upper"]


def test_constant_elasticity_matches_statsmodels_on_logs(linear_data):
    df = linear_data.assign(quantity=5e4 * linear_data["price"] ** -2.154)
    m = cv.fit_price_response(df, price="price", quantity="quantity", model="constant_elasticity")
    assert m.params_["e"] == pytest.approx(2.154, rel=1e-10)
    assert m.optimal_price(cost=50) == pytest.approx(50 * 2.154 / 1.154)
    assert m.elasticity(20.0) == pytest.approx(-2.154)


def test_logit_matches_statsmodels_glm_binomial():
    rng = np.random.default_rng(2)
    p = rng.uniform(5, 25, 3000)
    buy = rng.uniform(size=p.size) < 1 / (1 + np.exp(-8 + 0.5 * p))
    df = pd.DataFrame({"price": p, "buy": buy})
    m = cv.fit_price_response(df, price="price", quantity="buy", model="logit")
    glm = sm.GLM(buy.astype(float), sm.add_constant(p), family=sm.families.Binomial()).fit()
    # statsmodels fits P(buy) = 1/(1 + exp(-(c0 + c1 p))): a = -c0, b = -c1
    assert m.params_["a"] == pytest.approx(-glm.params[0], rel=1e-6)
    assert m.params_["b"] == pytest.approx(-glm.params[1], rel=1e-6)
    assert m.standard_errors_["a"] == pytest.approx(glm.bse[0], rel=1e-4)
    assert m.log_likelihood_ == pytest.approx(glm.llf, rel=1e-8)


def test_golden_logit_optimum_share_and_elasticity():
    m = PriceResponseModel.from_params("logit", a=-8, b=0.5)
    p = m.optimal_price(cost=6)
    assert p == pytest.approx(13.852542, abs=1e-6)
    assert m.predict(p) == pytest.approx(0.745305, abs=1e-6)
    assert abs(m.elasticity(p)) == pytest.approx(1.764084, abs=1e-6)
    assert m.optimal_price(cost=0) == pytest.approx(12.654357, abs=1e-6)
    # independent oracle: scipy's Lambert W and a numeric optimum
    w = special.lambertw(np.exp(-(-8 + 0.5 * 6) - 1)).real
    assert p == pytest.approx(6 + (1 + w) / 0.5, rel=1e-12)
    num = optimize.minimize_scalar(
        lambda x: -(x - 6) * m.predict(x), bounds=(6, 40), method="bounded", options={"xatol": 1e-10}
    )
    assert p == pytest.approx(num.x, abs=1e-6)


def test_golden_logistic_gabor_granger_with_saturation():
    m = PriceResponseModel.from_params("logit", a=-8.3, b=0.97, saturation=0.33)
    p = m.optimal_price(cost=3)
    assert p == pytest.approx(7.351, abs=5e-4)
    assert float(m.profit(p, cost=3, fixed_cost=5000, market_size=10_000)) == pytest.approx(5956.25, abs=0.5)


def test_golden_linear():
    m = PriceResponseModel.from_params("linear", a=1000, b=10)
    assert m.optimal_price(cost=0) == 50 and m.optimal_price(cost=20) == 60
    assert m.elasticity(50.0) == pytest.approx(-1.0)


def test_recovers_logit_parameters_from_noiseless_data():
    p = np.arange(8, 25, 1.0)
    df = pd.DataFrame({"price": p, "share": 1 / (1 + np.exp(-8 + 0.5 * p))})
    m = cv.fit_price_response(df, price="price", quantity="share", model="logit")
    assert m.params_["a"] == pytest.approx(-8, abs=1e-6) and m.params_["b"] == pytest.approx(0.5, abs=1e-7)


def test_inelastic_demand_has_no_optimum():
    m = PriceResponseModel.from_params("constant_elasticity", A=100, e=0.8)
    with pytest.raises(cv.ParameterError, match="e = 0.8 <= 1"):
        m.optimal_price(cost=10)


def test_bad_input():
    with pytest.raises(cv.InputError, match="'quantity'.*positive"):
        cv.fit_price_response(
            pd.DataFrame({"price": [1.0, 2.0], "quantity": [1.0, 0.0]}), model="constant_elasticity"
        )
    with pytest.raises(cv.InputError, match="'price'.*two distinct"):
        cv.fit_price_response(pd.DataFrame({"price": [3.0, 3.0, 3.0], "quantity": [1.0, 2.0, 3.0]}))
    with pytest.raises(cv.ConvergenceError, match="separated"):
        cv.fit_price_response(
            pd.DataFrame({"price": [1.0, 2, 3, 4], "buy": [1.0, 1, 0, 0]}), quantity="buy", model="logit"
        )
    # at prices where the likelihood flattens before the parameters blow up, too
    with pytest.raises(cv.ConvergenceError, match="separated"):
        cv.fit_price_response(
            pd.DataFrame({"price": [10.0, 20, 30, 40], "buy": [1.0, 1, 0, 0]}), quantity="buy", model="logit"
        )
    with pytest.raises(cv.ParameterError, match="'model'"):
        cv.fit_price_response(pd.DataFrame({"price": [1.0, 2.0], "quantity": [1.0, 2.0]}), model="probit")


def test_price_position():
    r = cv.price_position(12.0, {"A": 10.0, "B": 12.0, "C": 15.0, "D": 9.0})
    assert r.index_vs_mean == pytest.approx(100 * 12 / 11.5)
    assert r.percentile == pytest.approx(100 * (2 + 0.5) / 4)
    assert r.rank == 3
    with pytest.raises(cv.InputError, match="'competitor_prices'"):
        cv.price_position(10.0, [])


def test_logit_on_unit_sales_estimates_the_saturation_as_scipy_curve_fit():
    # issue 15, failure class 6: unit sales could not be fitted without the market size.
    # Phillips' three-parameter logit q = s / (1 + exp(a + b p)), checked against scipy's
    # curve_fit (nonlinear least squares, same sigma^2 (J'J)^-1 covariance) on the same data
    from scipy.optimize import curve_fit

    rng = np.random.default_rng(3)
    price = np.repeat(np.arange(5.0, 41.0, 2.5), 3)
    truth = (-6.0, 0.3, 500.0)
    sales = truth[2] / (1 + np.exp(truth[0] + truth[1] * price)) + rng.normal(0, 8, price.size)
    df = pd.DataFrame({"price": price, "units": sales.clip(0)})
    with pytest.raises(cv.ParameterError, match="saturation"):
        cv.fit_price_response(df, quantity="units", model="logit", saturation="guess")
    m = cv.fit_price_response(df, quantity="units", model="logit")
    assert list(m.params_) == ["a", "b", "saturation"] and m.saturation == m.params_["saturation"]

    def f(p, a, b, s):
        return s / (1 + np.exp(a + b * p))

    want, pcov = curve_fit(f, df["price"], df["units"], p0=[-5, 0.2, 450])
    got = np.array(list(m.params_.values()))
    np.testing.assert_allclose(got, want, rtol=1e-5)
    np.testing.assert_allclose(list(m.standard_errors_.values()), np.sqrt(np.diag(pcov)), rtol=1e-3)
    # and the truth is recovered: within three standard errors
    assert (np.abs(got - truth) <= 3 * np.array(list(m.standard_errors_.values()))).all()
    # the fitted curve's optimal price uses the estimated saturation (it does not depend on it)
    assert m.optimal_price(cost=5) == pytest.approx(
        cv.PriceResponseModel.from_params("logit", a=got[0], b=got[1], saturation=got[2]).optimal_price(
            cost=5
        )
    )
    # shares keep the binomial model with s = 1, unless the estimate is asked for
    shares = df.assign(share=df["units"] / 600)
    assert cv.fit_price_response(shares, quantity="share", model="logit").saturation == 1.0
    est = cv.fit_price_response(shares, quantity="share", model="logit", saturation="estimate")
    assert est.params_["saturation"] == pytest.approx(got[2] / 600, rel=1e-5)
