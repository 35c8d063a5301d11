"""Results are finite or say why (issue 18, item 2): each defect the campaign found in the
Python wrappers, with the message it now gives (the argument or column, the value, the fix) or
the documented meaning of the NaN it keeps. The reproducers stay pinned in
tests/campaign/test_campaign.py (CASES); these check the wording and the numbers."""

from __future__ import annotations

import math
import warnings

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

MAX = 1.7976931348623157e308
NAN, INF = float("nan"), float("inf")
SBG_SURVIVORS = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return cv.datasets.cdnow()


@pytest.fixture(scope="module")
def bg(cdnow):
    return cv.BetaGeo().fit(cdnow)


@pytest.fixture(scope="module")
def mbg(cdnow):
    return cv.ModifiedBetaGeo().fit(cdnow)


@pytest.fixture(scope="module")
def pareto(cdnow):
    return cv.ParetoNBD().fit(cdnow)


@pytest.fixture(scope="module")
def gg(cdnow):
    return cv.GammaGamma().fit(cdnow)


@pytest.fixture(scope="module")
def bgbb():
    return cv.BetaGeoBetaBinom().fit(cv.datasets.donations(), weights="weights")


@pytest.fixture(scope="module")
def sbg():
    return cv.ShiftedBetaGeometric().fit(SBG_SURVIVORS)


def _summary(**cols: list[float]) -> pd.DataFrame:
    return pd.DataFrame(cols or {"frequency": [3.0], "recency": [1.73], "T": [6.0]})


# ---- 2. sample_params: n and seed, within the memory budget --------------------------------


@pytest.mark.parametrize("model", ["bg", "gg", "bgbb", "sbg"])
def test_sample_params_refuses_n_past_the_memory_budget(model, request):
    m = request.getfixturevalue(model)
    with pytest.raises(cv.ParameterError, match=r"argument 'n': 1,000,000,000 draws of \d parameters") as e:
        m.sample_params(10**9)
    assert "GiB" in str(e.value) and "the most allowed here is" in str(e.value)


@pytest.mark.parametrize("n", [-1, 0, 1.5, NAN, True, "3"])
def test_sample_params_refuses_n_that_is_not_a_whole_number_from_1(bg, n):
    with pytest.raises(cv.ParameterError, match="argument 'n': must be a whole number from 1"):
        bg.sample_params(n)


@pytest.mark.parametrize("seed", [-1, 2**64, None, 1.5])
def test_sample_params_refuses_bad_seeds(sbg, seed):
    with pytest.raises(cv.ParameterError, match="argument 'seed'"):
        sbg.sample_params(3, seed=seed)


def test_sample_params_keeps_working(bg):
    a, b = bg.sample_params(5, seed=3), bg.sample_params(5.0, seed=3)
    assert a.shape == (5, 4) and np.array_equal(a, b) and np.isfinite(a).all()


# ---- 3. cx_index: at most 1,000,000 simulations within 2 GiB --------------------------------


def test_cx_index_refuses_a_billion_simulations():
    d = pd.DataFrame({"q0": [1, 5, 3, 4]})
    with pytest.raises(
        cv.ParameterError, match=r"argument 'n_simulations': 1,000,000,000 .*at most 1,000,000"
    ):
        cv.metrics.cx_index(d, ["q0"], n_simulations=10**9)


def test_cx_index_rank_range_is_the_per_draw_ranking():
    """The ranks of the random weightings, now computed in blocks, are pandas' min ranks."""
    d = cv.datasets.customers(600, seed=1)
    items = ["csat", "effort", "value_rating"]
    scale = {"csat": (1, 5), "effort": (1, 7), "value_rating": (1, 10)}
    r = cv.metrics.cx_index(d, items, scale=scale, by="region", n_simulations=300, seed=4)
    means = r.sensitivity[r.sensitivity["weighting"] == "equal"]  # any weighting gives the segments
    segs = list(means["region"])
    # recompute p_same_rank the slow way
    rows = d.dropna(subset=[*items, "region"])
    rescaled = np.column_stack([100 * (rows[c] - scale[c][0]) / (scale[c][1] - scale[c][0]) for c in items])
    codes = pd.Categorical(rows["region"], categories=segs).codes
    item_means = np.vstack([rescaled[codes == g].mean(axis=0) for g in range(len(segs))])
    w = np.array([r.item_weights[c] for c in items])

    def rank(v):
        return pd.Series(v).rank(ascending=False, method="min").to_numpy(int)

    base = rank(item_means @ w)
    draws = np.random.default_rng(4).dirichlet(np.ones(len(items)), size=300)
    same = np.mean([rank(item_means @ dr) == base for dr in draws], axis=0)
    np.testing.assert_allclose(r.rank_range["p_same_rank"].to_numpy(), same)


def test_cx_index_p_same_rank_is_nan_without_simulations_as_documented():
    r = cv.metrics.cx_index(pd.DataFrame({"q0": [1]}), ["q0"], n_simulations=0)
    assert math.isnan(r.rank_range["p_same_rank"].iloc[0])
    assert "NaN" in cv.metrics.CXIndex.__doc__ and "n_simulations=0" in cv.metrics.CXIndex.__doc__


# ---- 4, 5, 9. the shifted-beta-geometric model ------------------------------------------------


@pytest.mark.parametrize("periods", [10**10, NAN, 0, -3, 2.5])
def test_sbg_plot_refuses_periods_outside_1_to_a_million(sbg, periods):
    with pytest.raises(cv.ParameterError, match="argument 'periods'"):
        sbg.plot(periods=periods)


@pytest.mark.parametrize("t", [-3, -1, NAN, INF, 1e300, [1, -2]])
def test_sbg_survival_refuses_negative_nan_or_huge_periods(sbg, t):
    with pytest.raises(cv.ParameterError, match=r"argument 't': must .*>= 0 and <= 1e\+06"):
        sbg.survival(t)


@pytest.mark.parametrize("t", [0, 0.5, -1, NAN])
def test_sbg_retention_is_defined_from_period_1(sbg, t):
    with pytest.raises(cv.ParameterError, match="retention r_t is the renewal rate in period t, from t = 1"):
        sbg.retention(t)


def test_sbg_survival_and_retention_stay_in_0_1(sbg):
    t = np.arange(0, 1_000_001, 50_000)
    s = sbg.survival(t)
    r = sbg.retention(t[1:])
    assert s[0] == 1.0 and np.all((s > 0) & (s <= 1)) and np.all(np.diff(s) < 0)
    assert np.all((r > 0) & (r < 1))


def test_sbg_derl_at_zero_rate_refused_when_the_sum_diverges(sbg):
    assert sbg.params_["alpha"] <= 1
    with pytest.raises(
        cv.ParameterError, match=r"argument 'discount_rate': at 0 .* infinite \(alpha = 0\.69"
    ):
        sbg.discounted_expected_residual_lifetime(0.0)


def test_sbg_derl_at_zero_rate_is_the_expected_renewals_when_alpha_above_1():
    # a cohort that churns fast: alpha > 1, so sum_(t>=1) S(n+t)/S(n) = (beta + n)/(alpha - 1)
    m = cv.ShiftedBetaGeometric().fit([1000, 500, 260, 140, 80, 47])
    a, b = m.params_["alpha"], m.params_["beta"]
    assert a > 1
    got = m.discounted_expected_residual_lifetime(0.0, renewals=[0, 3])
    np.testing.assert_allclose(got, [b / (a - 1), (b + 3) / (a - 1)])
    # a tiny rate approaches it, now that the core integrates near z = 1 instead of summing
    near = m.discounted_expected_residual_lifetime(1e-6, renewals=[0, 3])
    assert np.all(near < got) and np.allclose(near, got, rtol=1e-4)


@pytest.mark.parametrize("rate", [1e-300, 5e-324, 1e-9])
def test_sbg_derl_refuses_rates_too_small_to_value(sbg, rate):
    with pytest.raises(cv.ParameterError, match=r"argument 'discount_rate': .* below the 1e-08 .* digits"):
        sbg.discounted_expected_residual_lifetime(rate)


@pytest.mark.parametrize("rate", [1e-8, 1e-6, 1e-4, 1e-3, 0.05])
def test_small_discount_rates_equal_scipys_hypergeometric(sbg, rate):
    # near z = 1 the core integrates (Euler) instead of summing the series: against scipy's 2F1
    from scipy.special import hyp2f1

    a, b = sbg.params_["alpha"], sbg.params_["beta"]
    n = np.array([0.0, 4.0, 40.0])
    want = (b + n) / (a + b + n) * hyp2f1(1.0, b + n + 1.0, a + b + n + 1.0, 1.0 / (1.0 + rate))
    got = sbg.discounted_expected_residual_lifetime(rate, renewals=n.astype(int))
    np.testing.assert_allclose(got, want, rtol=1e-9)
    # BG/BB DERT: the same 2F1 in its formula, against the direct sum over future periods
    donations = cv.datasets.donations()
    m = cv.BetaGeoBetaBinom().fit(donations, weights="weights")
    al, be, ga, de = (m.params_[k] for k in ("alpha", "beta", "gamma", "delta"))
    row = donations.head(1)
    x, tx, nn = (float(row[c].iloc[0]) for c in ("frequency", "recency", "n_periods"))
    dert = m.discounted_expected_residual_transactions(row, discount_rate=rate).iloc[0]
    ratio = hyp2f1(1.0, de + nn + 1.0, ga + de + nn + 1.0, 1.0 / (1.0 + rate)) / hyp2f1(
        1.0, de + nn + 1.0, ga + de + nn + 1.0, 1.0 / 1.1
    )
    at_10 = m.discounted_expected_residual_transactions(row, discount_rate=0.1).iloc[0]
    # the formula's other factors: 1/(1+d) and the same alive and rate terms
    assert dert == pytest.approx(at_10 * ratio * 1.1 / (1.0 + rate), rel=1e-9), (al, be, x, tx)


@pytest.mark.parametrize("rate", [-0.1, NAN, INF])
def test_sbg_derl_refuses_negative_and_non_finite_rates(sbg, rate):
    with pytest.raises(cv.ParameterError, match="argument 'discount_rate': must be a finite number >= 0"):
        sbg.discounted_expected_residual_lifetime(rate)


@pytest.mark.parametrize("renewals", [-1, NAN, 2.5])
def test_sbg_derl_refuses_renewals_that_are_not_counts(sbg, renewals):
    with pytest.raises(cv.ParameterError, match="argument 'renewals'"):
        sbg.discounted_expected_residual_lifetime(0.1, renewals=renewals)


# ---- 6. BTYD horizons ------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["bg", "mbg", "pareto"])
@pytest.mark.parametrize("t", [NAN, -1.0, -1e9, INF])
def test_expected_purchases_refuses_nan_negative_and_infinite_horizons(model, t, request):
    m = request.getfixturevalue(model)
    with pytest.raises(cv.ParameterError, match="argument 't': must be a finite number >= 0"):
        m.expected_purchases(t)
    with pytest.raises(cv.ParameterError, match="argument 't': must be a finite number >= 0"):
        m.conditional_expected_purchases(t, _summary())


@pytest.mark.parametrize("model", ["bg", "mbg"])
@pytest.mark.parametrize("t", [1e6, 1e300, MAX])
def test_bg_horizons_past_the_series_limit_are_refused_with_the_limit(model, t, request):
    m = request.getfixturevalue(model)
    with pytest.raises(
        cv.ParameterError, match=r"argument 't': a horizon of .* weeks is past the longest"
    ) as e:
        m.expected_purchases(t)
    assert "alpha x (100,000 / (40 + 4 r) - 1)" in str(e.value) and "100,000" in str(e.value)
    with pytest.raises(cv.ParameterError, match=r"for the customer at row 0 \(column 'frequency' = 3"):
        m.conditional_expected_purchases(t, _summary())
    with pytest.raises(cv.ParameterError, match="argument 't'"):
        m.conditional_expected_purchases_matrix(t=t, max_frequency=3)


def test_bg_values_within_the_limit_agree_with_scipy(bg):
    """Inside the stated limit the core's series agrees with scipy's hyp2f1 (FHL 2005, eq. 9);
    past it (1e6 weeks on CDNOW) it had drifted to a value below the one at 3e5 weeks."""
    from scipy.special import hyp2f1

    p = bg.params_
    r, alpha, a, b = p["r"], p["alpha"], p["a"], p["b"]
    limit = alpha * (100_000 / (40 + 4 * r) - 1)
    for t in (10.0, 1_000.0, 0.999 * limit):
        z = t / (alpha + t)
        want = (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z))
        assert bg.expected_purchases(t) == pytest.approx(want, rel=1e-9)
    with pytest.raises(cv.ParameterError, match="past the longest"):
        bg.expected_purchases(1.001 * limit)


def test_heavy_buyers_shorten_the_conditional_horizon(bg):
    """A customer with 3,000 repeat purchases overflows the series within weeks: refused with
    that customer named, not a NaN."""
    d = pd.DataFrame(
        {"frequency": [0.0, 3000.0], "recency": [0.0, 30.0], "T": [38.0, 38.0]}, index=["a", "b"]
    )
    with pytest.raises(cv.ParameterError, match=r"row 'b' \(column 'frequency' = 3000"):
        bg.conditional_expected_purchases(60, d)
    assert np.isfinite(bg.conditional_expected_purchases(5, d)).all()


def test_pareto_horizons_are_any_finite_number(pareto):
    p = pareto.params_
    r, alpha, s, beta = p["r"], p["alpha"], p["s"], p["beta"]
    for t in (1.0, 1e6, 1e300, MAX):
        want = r * beta / (alpha * (s - 1)) * (1 - math.exp((s - 1) * (math.log(beta) - math.log(beta + t))))
        assert pareto.expected_purchases(t) == pytest.approx(want, rel=1e-9)
    assert np.isfinite(pareto.conditional_expected_purchases(MAX, _summary())).all()


def test_clv_names_horizon_past_the_transaction_models_limit(bg, gg, cdnow):
    with pytest.raises(cv.ParameterError, match="argument 'horizon': a horizon of 434821 weeks"):
        cv.customer_lifetime_value(bg, gg, cdnow.head(3), horizon=100_000, time_unit="M")


# ---- 8. BG/BB DERT at tiny rates ---------------------------------------------------------------


@pytest.mark.parametrize("rate", [1e-300, 5e-9])
def test_bgbb_dert_refuses_rates_too_small_to_value(bgbb, rate):
    d = pd.DataFrame({"frequency": [1.0], "recency": [5.0], "n_periods": [5.0]})
    with pytest.raises(cv.ParameterError, match=r"argument 'discount_rate': .* below the 1e-08 .* digits"):
        bgbb.discounted_expected_residual_transactions(d, discount_rate=rate)
    # from 1e-8 on the core integrates near z = 1 (test_small_discount_rates_equal_scipys_hypergeometric)
    small = bgbb.discounted_expected_residual_transactions(d, discount_rate=1e-8)
    assert (
        np.isfinite(small).all()
        and (small > bgbb.discounted_expected_residual_transactions(d, discount_rate=1e-3)).all()
    )


# ---- 10, 30. price-response models -----------------------------------------------------------

_PQ = pd.DataFrame({"price": [10.0, 12.0, 14.0, 16.0, 18.0, 20.0], "quantity": [100.0, 92, 79, 72, 61, 55]})
_SHARES = pd.DataFrame(
    {"price": [10.0, 12.0, 14.0, 16.0, 18.0, 20.0], "quantity": [0.9, 0.8, 0.6, 0.4, 0.3, 0.1]}
)


@pytest.mark.parametrize("model", ["linear", "constant_elasticity", "logit"])
@pytest.mark.parametrize("p", [0.0, -1.0, INF, NAN, [10.0, 0.0]])
def test_price_response_refuses_prices_that_are_not_positive_and_finite(model, p):
    m = cv.fit_price_response(_SHARES if model == "logit" else _PQ, model=model)
    for method in (m.predict, m.elasticity, m.profit):
        with pytest.raises(cv.ParameterError, match="argument 'p': must .* > 0, got"):
            method(p)


def test_price_response_refuses_prices_where_the_model_overflows():
    m = cv.fit_price_response(_PQ, model="linear")
    with pytest.raises(
        cv.ParameterError, match=r"argument 'p': q\(p\) of the linear model overflows at the price 1e\+308"
    ):
        m.predict(1e308)


@pytest.mark.parametrize(
    ("kw", "name"),
    [({"cost": NAN}, "cost"), ({"fixed_cost": INF}, "fixed_cost"), ({"market_size": -1}, "market_size")],
)
def test_price_response_profit_refuses_non_finite_costs(kw, name):
    m = cv.fit_price_response(_PQ, model="linear")
    with pytest.raises(cv.ParameterError, match=f"argument '{name}': must be a finite number"):
        m.profit(15.0, **kw)
    with pytest.raises(cv.ParameterError, match="argument 'cost'"):
        m.optimal_price(cost=NAN)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"a": "x", "b": 1.0}, "argument 'a': must be a finite number, got 'x'"),
        ({"a": 1.0, "b": NAN}, "argument 'b'"),
        ({"a": 1.0, "b": 2.0, "c": 3.0}, "argument 'c': the linear model takes parameters a, b"),
    ],
)
def test_from_params_refuses_parameters_that_are_not_finite_numbers(params, message):
    with pytest.raises(cv.ParameterError, match=message):
        cv.PriceResponseModel.from_params("linear", **params)


def test_from_params_has_documented_nan_standard_errors():
    m = cv.PriceResponseModel.from_params("linear", a=100.0, b=2.0)
    assert m.table["std_error"].isna().all() and math.isnan(m.log_likelihood_)
    assert "not estimated" in cv.PriceResponseModel.__doc__
    assert m.predict(20) == 60.0 and m.optimal_price() == 25.0


# ---- 11, 26. simple_clv, ltv_to_cac, cac_payback -----------------------------------------------


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: cv.simple_clv(NAN, 12, 0.3, churn_rate=0.25), "average_purchase_value"),
        (lambda: cv.simple_clv(50, INF, 0.3, churn_rate=0.25), "purchase_frequency"),
        (lambda: cv.simple_clv(50, 12, [0.3, NAN], churn_rate=0.25), "margin"),
        (lambda: cv.simple_clv(50, 12, 0.3, churn_rate=NAN), "churn_rate"),
        (lambda: cv.simple_clv(50, 12, 0.3, churn_rate=0.25, discount_rate=INF), "discount_rate"),
        (lambda: cv.ltv_to_cac(NAN, 300.0), "ltv"),
        (lambda: cv.ltv_to_cac(900, NAN), "cac"),
        (lambda: cv.cac_payback(INF, margin_per_period=50), "cac"),
        (lambda: cv.cac_payback(300, margin_per_period=NAN), "margin_per_period"),
    ],
)
def test_clv_formulas_refuse_nan_and_infinite_inputs(call, name):
    with pytest.raises(cv.ParameterError, match=f"argument '{name}': must .*finite"):
        call()


def test_clv_formulas_refuse_arrays_of_different_lengths_naming_both():
    with pytest.raises(
        cv.ParameterError,
        match="arguments 'average_purchase_value' and 'purchase_frequency': 2 values against 3",
    ):
        cv.simple_clv([50.0, 60.0], [12.0, 12.0, 12.0], 0.3, churn_rate=0.25)
    with pytest.raises(
        cv.ParameterError, match="arguments 'cac' and 'margin_per_period': 2 values against 3"
    ):
        cv.cac_payback([300.0, 200.0], margin_per_period=[50.0, 60.0, 70.0])
    with pytest.raises(cv.ParameterError, match="arguments 'ltv' and 'cac'"):
        cv.ltv_to_cac([1.0, 2.0], [1.0, 2.0, 3.0])
    # a single number goes with any length
    assert cv.simple_clv([50, 100], 12, [0.3], churn_rate=0.25).tolist() == [720.0, 1440.0]


# ---- 12, 13. value_map and price_position near the float limits -------------------------------


def test_value_map_refuses_a_denormal_price_naming_the_brand():
    profile = pd.DataFrame(
        {"attribute": ["q", "s"], "weight": [50.0, 50.0], "us": [8.0, 6.0], "them": [6.0, 6.0]}
    )
    with pytest.raises(
        cv.ParameterError, match=r"argument 'prices': the price of 'us' \(110\) .*price \(4\.94066e-324\)"
    ):
        cv.value_map(profile, "us", prices={"us": 110.0, "them": 5e-324})


def test_value_map_refuses_a_rating_ratio_past_the_floats_naming_column_and_row():
    profile = pd.DataFrame(
        {"attribute": ["q", "s"], "weight": [50.0, 50.0], "us": [8.0, 6.0], "them": [5e-324, 6.0]}
    )
    with pytest.raises(cv.InputError, match=r"column 'us': its rating 8 at row 0 \(attribute 'q'\)"):
        cv.value_map(profile, "us", prices={"us": 1.0, "them": 1.0})


def test_value_map_holds_ratings_and_prices_near_1e308():
    big = pd.DataFrame(
        {"attribute": ["q", "s"], "weight": [50.0, 50.0], "us": [1.6e308, 6.0], "them": [1.2e308, 6.0]}
    )
    small = pd.DataFrame(
        {"attribute": ["q", "s"], "weight": [50.0, 50.0], "us": [8.0, 6.0], "them": [6.0, 6.0]}
    )
    a = cv.value_map(big, "us", prices={"us": 1.1e308, "them": 1.7e308}).table
    b = cv.value_map(small, "us", prices={"us": 1.1, "them": 1.7}).table
    cols = ["quality", "relative_price", "customer_value"]
    assert np.isfinite(a[cols].to_numpy()).all()
    np.testing.assert_allclose(a[cols].to_numpy(), b[cols].to_numpy())


def test_price_position_refuses_an_index_past_the_floats():
    with pytest.raises(
        cv.InputError, match=r"column 'competitor_prices': our price 1\.79769e\+308 against 'a'"
    ):
        cv.price_position(MAX, {"a": 1.05, "b": 44.0})


def test_price_position_holds_prices_near_1e308():
    r = cv.price_position(50, [1.7e308, 1.7e308])
    assert r.index_vs_mean == pytest.approx(100 * 50 / 1.7e308) and r.index_vs_median == r.index_vs_mean
    assert cv.price_position(50, [40, 50, 60]).table["our_index"].tolist()[:2] == [125.0, 100.0]


# ---- 15. engagement_index with a constant measure ---------------------------------------------


def test_engagement_index_refuses_a_constant_measure_naming_it():
    d = pd.DataFrame({"m0": [1.0, 1.0, 1.0], "m1": [1.0, 2.0, 3.0]})
    with pytest.raises(
        cv.InputError, match=r"column 'm0': constant \(every one of the 3 rows is 1\).*leave 'm0' out"
    ):
        cv.metrics.engagement_index(d, ["m0", "m1"], normalize="z")
    r = cv.metrics.engagement_index(d, ["m1"], normalize="z")
    assert np.isfinite(r.table["loading"]).all()
    assert math.isnan(r.cronbach_alpha)  # one measure: documented


def test_engagement_index_refuses_measures_that_cancel_out():
    d = pd.DataFrame({"m0": [1.0, 2.0, 3.0], "m1": [3.0, 2.0, 1.0]})
    with pytest.raises(cv.InputError, match="the index is the same for every row: the weighted measures"):
        cv.metrics.engagement_index(d, ["m0", "m1"], normalize="z")
    r = cv.metrics.engagement_index(d, ["m0", "m1"], normalize="z", reverse=["m1"])
    assert np.isfinite(r.table[["loading", "variance_share"]].to_numpy()).all()


# ---- 16. the NaNs that now have a documented meaning -------------------------------------------


def test_demand_curve_profit_optimum_is_nan_when_no_price_covers_the_cost():
    with pytest.warns(cv.CustomerValueWarning, match="no price makes a profit"):
        r = cv.demand_curve(pd.DataFrame({"wtp": [341.0, 200.0]}), cost=1000.0)
    assert r.optima["profit_optimal_price"].isna().all() and r.profit_optimal_price is None
    assert "no price makes a" in cv.DemandCurveResult.__doc__


def test_gabor_granger_elasticity_after_a_price_without_demand_is_documented():
    d = pd.DataFrame(
        {"respondent": [0, 0, 0, 1, 1, 1], "price": [10.0, 20.0, 30.0] * 2, "buy": [1, 0, 0, 0, 0, 0]}
    )
    e = cv.gabor_granger(d, respondent="respondent").elasticity()
    assert e["elasticity"].tolist()[0] == -1.0 and math.isnan(e["elasticity"].iloc[1])
    assert "no demand" in cv.GaborGrangerResult.__doc__


def test_cohort_survivor_pads_unreached_periods_with_documented_nan():
    subs = pd.DataFrame(
        {
            "id": [1, 2],
            "start": pd.to_datetime(["2024-01-05", "2024-03-05"]),
            "end": pd.to_datetime([None, None]),
        }
    )
    r = cv.metrics.churn_rate(
        subs, customer="id", start="start", end="end", period="M", observation_end="2024-06-30"
    )
    s = r.survivor()
    assert s.iloc[:, 1].isna().any() and s.iloc[:, 0].notna().all()
    assert "not reached" in cv.metrics.CohortResult.survivor.__doc__


def test_value_quantification_roi_is_nan_without_costs():
    b = pd.DataFrame({"name": ["x"], "value": [100.0]})
    c = pd.DataFrame({"name": ["y"], "value": [0.0]})
    r = cv.value_quantification(b, c)
    assert math.isnan(r.roi) and r.npv > 0 and "undefined (no costs)" in r.summary()
    assert "NaN when the present value of the costs is not positive" in cv.ValueQuantification.__doc__


def test_compare_groupings_separation_of_singletons_is_documented():
    d = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6], "g": [0, 0, 0, 1, 1, 1], "s": [0, 1, 2, 3, 4, 5]})
    r = cv.compare_groupings(d, groupings={"g": "g", "s": "s"}, features=["x"])
    t = r.separation.set_index("grouping")
    assert np.isnan(t.loc["s", "silhouette"]) and np.isfinite(t.loc["g", "silhouette"])
    assert "singletons" in cv.ComparisonResult.__doc__


def test_theme_cooccurrence_lift_of_an_unmentioned_theme_is_documented():
    d = pd.DataFrame({"t0": [True, False, True], "t1": [False, False, False]})
    t = cv.theme_cooccurrence(d, ["t0", "t1"]).table
    assert math.isnan(t["lift"].iloc[0]) and not bool(t["edge"].iloc[0])
    assert "mentioned by no one" in cv.ThemeCooccurrence.__doc__


def test_key_drivers_intervals_without_n_boot_are_documented():
    d = pd.DataFrame({"x0": [1.0, 2, 3, 4, 5, 6], "y": [1.0, 3, 2, 5, 4, 6]})
    t = cv.key_drivers(d, ["x0"], "y").table
    assert t["ci_low"].isna().all()
    assert "n_boot=0" in cv.key_drivers.__doc__


# ---- 21, 25, 29, 32, 34 ----------------------------------------------------------------------


@pytest.mark.parametrize("model", ["bg", "pareto", "bgbb"])
def test_probability_of_purchases_of_no_counts_is_empty(model, request):
    m = request.getfixturevalue(model)
    out = m.probability_of_purchases(5, [])
    assert isinstance(out, np.ndarray) and out.shape == (0,)
    with pytest.raises(cv.ParameterError, match="must hold whole numbers >= 0"):
        m.probability_of_purchases(5, [1.5])


@pytest.mark.parametrize(
    ("tx", "spend", "message"),
    [
        ("bg", None, "argument 'spend_model': must be a fitted GammaGamma .* got None"),
        ("bg", "bg", "argument 'spend_model': must be a fitted GammaGamma .* got a BetaGeo"),
        (None, "gg", "argument 'transaction_model': must be a fitted BetaGeo, ModifiedBetaGeo or ParetoNBD"),
        ("bgbb", "gg", "argument 'transaction_model': .* the BG/BB counts discrete opportunities"),
    ],
)
def test_clv_refuses_models_of_the_wrong_kind(tx, spend, message, request, cdnow):
    t = request.getfixturevalue(tx) if tx else None
    s = request.getfixturevalue(spend) if spend else None
    with pytest.raises(cv.ParameterError, match=message):
        cv.customer_lifetime_value(t, s, cdnow.head(3))


def test_clv_refuses_an_unfitted_model(gg, cdnow):
    with pytest.raises(cv.NotFittedError, match="argument 'transaction_model': this BetaGeo is not fitted"):
        cv.customer_lifetime_value(cv.BetaGeo(), gg, cdnow.head(3))


def test_plot_frequency_names_the_missing_or_categorical_column(bg):
    with pytest.raises(cv.InputError, match="column 'frequency': not found"):
        bg.plot_frequency(pd.DataFrame({"f": [1.0], "r": [1.0], "T": [5.0]}))
    cat = pd.DataFrame({"frequency": pd.Categorical([1, 2]), "recency": [1.0, 2.0], "T": [5.0, 5.0]})
    with pytest.raises(
        cv.InputError, match="column 'frequency': plot_frequency\\(\\) needs numbers, got category"
    ):
        bg.plot_frequency(cat)
    with pytest.raises(
        cv.InputError, match="column 'frequency': plot_calibration_holdout\\(\\) needs numbers"
    ):
        bg.plot_calibration_holdout(cat.assign(frequency_holdout=[0, 1], duration_holdout=[10.0, 10.0]))


def test_rfm_scores_explains_the_preset_format():
    d = pd.DataFrame({"r": [192.0, 400.0], "f": [4, 0]})
    with pytest.raises(
        cv.ParameterError,
        match=r"argument 'preset': entry 'Bad' gives recency scores 5, not a list; .*e\.g\.",
    ):
        cv.rfm_scores(d, recency="r", frequency="f", preset={"Bad": (5, 5)})
    with pytest.raises(cv.ParameterError, match="and 6 is not a score"):
        cv.rfm_scores(d, recency="r", frequency="f", preset={"Bad": ([5], [6])})


@pytest.mark.parametrize(
    ("kw", "name"),
    [({"max_recency": 3e7}, "max_recency"), ({"T": 3e7}, "T"), ({"max_frequency": 10**7}, "max_frequency")],
)
def test_probability_alive_matrix_names_the_argument_that_makes_it_large(bg, kw, name):
    with pytest.raises(cv.ParameterError, match=f"argument '{name}': a grid of"):
        bg.probability_alive_matrix(**kw)


@pytest.mark.parametrize(("kw", "name"), [({"max_recency": 1e9}, "max_recency"), ({"T": MAX}, "T")])
def test_matrices_refuse_ages_past_a_million_times_the_fitted_ones(pareto, kw, name):
    with pytest.raises(cv.ParameterError, match=f"argument '{name}': an age of .* past a million times"):
        pareto.conditional_expected_purchases_matrix(t=16.0, **kw)


def test_no_warning_leaks_from_the_checks(bg):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bg.expected_purchases([0.0, 1.0, 52.0])
        bg.conditional_expected_purchases(52.0, _summary())


def test_clv_formulas_refuse_results_that_overflow_naming_the_inputs():
    with pytest.raises(
        cv.ParameterError, match=r"arguments 'cac' and 'margin_per_period': .* at position 1 \(cac = 1e\+300"
    ):
        cv.cac_payback(1e300, margin_per_period=[1.0, 5e-324])
    with pytest.raises(cv.ParameterError, match="arguments 'ltv' and 'cac': ltv / cac overflows"):
        cv.ltv_to_cac(1e308, 1e-300)
    with pytest.raises(
        cv.ParameterError,
        match="arguments 'average_purchase_value', .* and 'discount_rate': the CLV overflows",
    ):
        cv.simple_clv(1e300, 1e10, 1.0, churn_rate=0.25)
