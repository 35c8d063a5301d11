"""Issue 18, the findings left open by the hostile-input runs: each reproducer pinned with the
result it now gives (a finite number, a NaN with its documented meaning, or an error naming the
argument or column). Tests marked ``xfail(strict=True)`` pin a change proposed for the Rust core
(the Python side already works around it); they pass once the core is rebuilt with it, and the
strict mark then fails, which says to remove it."""

from __future__ import annotations

import math
import warnings

import customervalue as cv
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from customervalue import _core

MAX = 1.7976931348623157e308
VW_COLUMNS = ["too_cheap", "cheap", "expensive", "too_expensive"]


def _vw(rows: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=VW_COLUMNS, dtype=float)


def _core_vw(data: pd.DataFrame, **kw: object) -> dict:
    """The core's Van Westendorp as the wrapper calls it (no NMS, no weights, no groups)."""
    options = dict(
        weights=None,
        by=None,
        validate="weak",
        range="original",
        interpolate=False,
        intersection="min",
        intent_cheap=None,
        intent_expensive=None,
        calibration=[(5.0, 0.7), (4.0, 0.5), (3.0, 0.3), (2.0, 0.1), (1.0, 0.0)],
        cost=None,
        ci=0.9,
        n_boot=200,
        seed=0,
        missing="raise",
        progress=None,
    )
    options.update(kw)
    return _core.van_westendorp(pa.table(data), *VW_COLUMNS, **options)


# ---- 1. van_westendorp: the intervals of the points -----------------------------------------

# PME (too_expensive x not_expensive) never crosses in these two answers, but it does in the
# bootstrap replicates that draw the first respondent twice
UNDEFINED_PME = [[3, 3, 3, 5], [3, 3, 3, 3]]
# PME is defined (5) in the sample and in neither of two replicates drawn with seed 0
FRAGILE_PME = [[2, 4, 5, 5], [4, 5, 5, 5], [3, 3, 3, 3]]


def test_van_westendorp_gives_no_interval_around_an_undefined_point():
    r = cv.van_westendorp(_vw(UNDEFINED_PME), validate="weak", ci=0.9, n_boot=200)
    pme = r.points.set_index("point").loc["PME"]
    assert math.isnan(pme["price"]) and r.pme is None
    # was [5, 5]: the percentile interval of the replicates where the point exists
    assert math.isnan(pme["ci_low"]) and math.isnan(pme["ci_high"])
    defined = r.points[r.points["point"] != "PME"]
    assert (defined["ci_low"] == 3.0).all() and (defined["ci_high"] == 3.0).all()


def test_van_westendorp_names_a_defined_point_without_an_interval():
    with pytest.warns(
        cv.CustomerValueWarning, match=r"PME is 5 in the sample but undefined in all 2 bootstrap"
    ):
        r = cv.van_westendorp(_vw(FRAGILE_PME), validate="none", ci=0.9, n_boot=2, seed=0)
    pme = r.points.set_index("point").loc["PME"]
    assert pme["price"] == 5.0 and math.isnan(pme["ci_low"]) and math.isnan(pme["ci_high"])
    assert any("PME is 5 in the sample" in w for w in r.warnings)
    assert "PME 5;" in r.summary()  # no interval printed


def test_van_westendorp_names_the_group_of_a_point_without_an_interval():
    data = _vw(FRAGILE_PME).assign(segment="north")
    with pytest.warns(cv.CustomerValueWarning, match=r"PME \(group 'north'\) is 5"):
        cv.van_westendorp(data, validate="none", by="segment", ci=0.9, n_boot=2, seed=0)


def test_van_westendorp_without_ci_has_nan_intervals_and_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", cv.CustomerValueWarning)
        r = cv.van_westendorp(_vw(FRAGILE_PME), validate="none")
    assert r.points["ci_low"].isna().all() and r.points["ci_high"].isna().all()
    assert r.pme == 5.0


def test_core_van_westendorp_gives_no_interval_around_an_undefined_point():
    points = pa.table(_core_vw(_vw(UNDEFINED_PME))["points"]).to_pandas().set_index("point")
    assert math.isnan(points.loc["PME", "price"])
    assert math.isnan(points.loc["PME", "ci_low"]) and math.isnan(points.loc["PME", "ci_high"])


# ---- 2. compare_groupings: chi-square without degrees of freedom ----------------------------


def test_compare_groupings_of_one_row_has_chi2_p_1():
    d = pd.DataFrame({"x": [1.0], "a": ["u"], "b": ["v"]})
    row = cv.compare_groupings(d, groupings={"a": "a", "b": "b"}, features=["x"]).agreement.iloc[0]
    assert (row["chi2"], row["chi2_df"], row["chi2_p"], row["cramers_v"]) == (0.0, 0, 1.0, 0.0)


def test_compare_groupings_crosstab_against_a_single_group_has_residuals_0():
    d = pd.DataFrame({"x": [38.8, 19.0], "g1": ["x", "x"], "g2": ["North", "c"]})
    r = cv.compare_groupings(d, groupings={"first": "g1", "second": "g2"}, features=["x"])
    assert r.crosstab["residual"].tolist() == [0.0, 0.0]  # was NaN (0 / 0)
    assert (r.crosstab["count"] == r.crosstab["expected"]).all()


def test_compare_groupings_against_a_single_group_has_chi2_p_1():
    d = pd.DataFrame({"x": [1.0, 2, 3, 4], "one": ["u"] * 4, "two": ["v", "w"] * 2})
    row = cv.compare_groupings(d, groupings={"one": "one", "two": "two"}, features=["x"]).agreement.iloc[0]
    assert (row["chi2_df"], row["chi2_p"]) == (0, 1.0)
    # a pair with freedom keeps the core's p-value
    d["three"] = ["v", "v", "v", "w"]
    r = cv.compare_groupings(d, groupings={"two": "two", "three": "three"}, features=["x"])
    assert r.agreement["chi2_df"].iloc[0] == 1 and 0 < r.agreement["chi2_p"].iloc[0] < 1


def test_core_agreement_of_one_row_has_chi2_p_1():
    one = np.zeros(1, dtype=np.int64)
    assert dict(_core.agreement(one, one, False))["chi2_p"] == 1.0


# ---- 3. gabor_granger: nobody buys; who has no highest accepted price -----------------------

NOBODY_BUYS = pd.DataFrame({"id": [1, 1, 2, 2], "price": [10.0, 20.0] * 2, "buy": [0, 0, 0, 0]})


def test_gabor_granger_without_any_purchase_has_no_optimal_price():
    with pytest.warns(cv.CustomerValueWarning, match="no respondent accepts any price on the ladder"):
        r = cv.gabor_granger(NOBODY_BUYS, respondent="id")
    # was 10.0: the core's argmax of a revenue of 0 at every price
    assert r.revenue_optimal_price is None and r.profit_optimal_price is None
    assert r.respondents["highest_accepted_price"].isna().all() and r.n_no_purchase == 2
    assert "revenue-optimal price None" in r.summary()


def test_gabor_granger_without_respondents_and_without_purchase_has_no_optimal_price():
    with pytest.warns(cv.CustomerValueWarning, match="demand is 0 everywhere"):
        r = cv.gabor_granger(NOBODY_BUYS)
    assert r.revenue_optimal_price is None


def test_gabor_granger_with_a_purchase_keeps_its_optimum():
    d = NOBODY_BUYS.assign(buy=[1, 0, 0, 0])
    assert cv.gabor_granger(d, respondent="id").revenue_optimal_price == 10.0


@pytest.mark.parametrize("cost", [1e300, MAX, float("inf"), float("nan"), -1.0])
def test_gabor_granger_refuses_a_cost_outside_its_domain(cost):
    with pytest.raises(cv.ParameterError, match=r"argument 'cost': must be a finite amount from 0 to 1e\+15"):
        cv.gabor_granger(NOBODY_BUYS.assign(buy=[1, 0, 1, 1]), respondent="id", cost=cost)


def test_gabor_granger_says_why_a_respondent_has_no_highest_price():
    d = pd.DataFrame(
        {
            "id": pd.Categorical([1, 1, 2, 2, 3, 3], categories=[1, 2, 3, 4]),  # 4: no answers
            "price": [10.0, 20.0] * 3,
            "buy": [1, 0, 0, 0, 0, 1],  # 1 accepts 10, 2 accepts nothing, 3 is non-monotone
        }
    )
    r = cv.gabor_granger(d, respondent="id", nonmonotone="drop")
    t = r.respondents.set_index("respondent")
    assert list(t.index) == ["1", "2", "3"]
    assert t["status"].tolist() == ["accepted", "no price accepted", "non-monotone, dropped"]


# ---- 4. expected_cumulative_transactions: actual past the last purchase -----------------------


@pytest.fixture(scope="module")
def bg():
    log = cv.datasets.cdnow_transactions()
    return cv.BetaGeo().fit(cv.rfm_summary(log[log["customer_id"] <= 800]))


LOG = pd.DataFrame(
    {
        "customer_id": [1, 1, 1, 2, 2, 3],
        "date": pd.to_datetime(
            ["2024-01-01", "2024-01-10", "2024-02-01", "2024-01-05", "2024-01-20", "2024-01-03"]
        ),
    }
)


def test_tracking_carries_the_count_forward_up_to_the_observation_end(bg):
    ect = cv.economics.expected_cumulative_transactions
    weekly = ect(bg, LOG, time_unit="W", observation_end="2024-03-31")
    # repeats on 01-10, 01-20 and 02-01; 13 whole weeks to 03-31, the last 8 without purchases
    assert weekly["actual"].tolist() == [0, 1, 2, 2, 3] + [3] * 8
    # without observation_end the log ends on its last purchase (02-01): later weeks unobserved
    short = ect(bg, LOG, time_unit="W", t=13)
    assert short["actual"].iloc[:4].tolist() == [0, 1, 2, 2] and short["actual"].iloc[4:].isna().all()


@pytest.mark.parametrize(("t", "unit", "most"), [(30, "D", 11), (3, "W", 1)])
def test_tracking_refuses_periods_that_end_past_pandas_dates(bg, t, unit, most):
    log = pd.DataFrame(
        {"customer_id": [1, 1, 2], "date": pd.to_datetime(["2262-04-01", "2262-04-05", "2262-04-03"])}
    )
    # the dates of the last periods were NaT
    with pytest.raises(cv.ParameterError, match=rf"argument 't'.*2262-04-11.*at most {most}$"):
        cv.economics.expected_cumulative_transactions(bg, log, t=t, time_unit=unit)
    fits = cv.economics.expected_cumulative_transactions(bg, log, t=most, time_unit=unit)
    assert fits["date"].notna().all() and fits["date"].iloc[-1] <= pd.Timestamp("2262-04-11")


def test_alive_path_refuses_periods_past_pandas_dates(bg):
    one = pd.DataFrame({"customer_id": [1, 1], "date": pd.to_datetime(["2262-04-01", "2262-04-05"])})
    with pytest.raises(cv.ParameterError, match=r"argument 't'.*at most 1$"):
        cv.economics.alive_path(bg, one, t=2, time_unit="W")
    assert cv.economics.alive_path(bg, one, t=1, time_unit="W")["date"].notna().all()


# ---- 5. value_quantification: names of mixed types --------------------------------------------


def test_value_quantification_reads_names_of_mixed_types_as_text():
    benefits = pd.DataFrame({"name": [1, "time saved", None], "value": [10.0, 20.0, 1.0]})
    costs = pd.DataFrame({"name": [2.5], "value": [5.0]})
    vq = cv.value_quantification(benefits, costs)
    # was pyarrow's ArrowInvalid ("Could not convert 'time saved' with type str")
    assert vq.to_arrow().column("name").to_pylist() == ["1", "time saved", None, "2.5"]
    assert vq.table["present_value"].notna().all()
    assert benefits["name"].tolist()[:2] == [1, "time saved"]  # the caller's frame is untouched


def test_value_quantification_reads_categorical_and_nullable_names():
    benefits = pd.DataFrame({"name": pd.Categorical(["North"]), "value": [10.0]})
    costs = pd.DataFrame({"name": pd.array([6, None], dtype="Int64"), "value": [1.0, 2.0]})
    vq = cv.value_quantification(benefits, costs)
    assert vq.to_arrow().column("name").to_pylist() == ["North", "6", None]


def test_value_quantification_keeps_text_names_as_they_are():
    benefits = pd.DataFrame(
        {"name": ["a", "b"], "value": [10.0, 20.0], "low": [5.0, 15.0], "high": [12.0, 30.0]}
    )
    vq = cv.value_quantification(benefits, pd.DataFrame({"name": [7], "value": [5.0]}))
    assert vq.table["name"].tolist() == ["a", "b", "7"] and set(vq.tornado["name"]) == {"a", "b"}


# ---- 6. label metrics: rows are paired by position ---------------------------------------------

LABELS = np.array([0, 0, 1, 1, 2, 2, 0, 1, 2, 0])
PERM = [3, 7, 0, 9, 1, 5, 8, 2, 6, 4]
PAIR_METRICS = [
    "adjusted_rand_score",
    "normalized_mutual_info_score",
    "adjusted_mutual_info_score",
    "homogeneity_completeness_v_measure",
    "homogeneity_score",
    "completeness_score",
    "v_measure_score",
    "rand_score",
    "fowlkes_mallows_score",
    "mutual_info_score",
    "contingency_matrix",
]


def test_an_arrow_array_and_a_shuffled_series_are_paired_by_position():
    shuffled = pd.Series(LABELS)[PERM]  # values [1, 1, 0, 0, 0, 2, 2, 1, 0, 2], index shuffled
    got = cv.metrics.completeness_score(pa.array(LABELS), shuffled)
    # scikit-learn's completeness_score(LABELS, shuffled), which pairs by position too
    assert got == pytest.approx(0.3946483716358942, abs=1e-12)
    assert got == cv.metrics.completeness_score(LABELS, shuffled.to_numpy())
    assert cv.metrics.adjusted_rand_score(pa.chunked_array([LABELS[:4], LABELS[4:]]), shuffled) == (
        pytest.approx(1 / 11, abs=1e-12)
    )
    # identical labels in any containers score 1, whatever their indexes
    filtered = pd.Series(LABELS, index=np.arange(100, 110))
    assert cv.metrics.completeness_score(pa.array(LABELS), filtered) == 1.0
    assert cv.metrics.completeness_score(pd.Series(LABELS), filtered) == 1.0


@pytest.mark.parametrize("metric", PAIR_METRICS)
def test_two_series_with_one_index_in_two_orders_are_refused(metric):
    a = pd.Series(LABELS)
    b = a[PERM]  # the same labels on the same rows, listed in another order
    with pytest.raises(cv.ParameterError, match=r"argument 'labels_pred'.*reindex\(labels_true.index\)"):
        getattr(cv.metrics, metric)(a, b)
    aligned = getattr(cv.metrics, metric)(a, b.reindex(a.index))
    assert np.all(
        np.asarray(aligned, dtype=float) == np.asarray(getattr(cv.metrics, metric)(a, a), dtype=float)
    )


@pytest.mark.parametrize(
    "metric", ["silhouette_score", "silhouette_samples", "calinski_harabasz_score", "davies_bouldin_score"]
)
def test_points_and_labels_with_one_index_in_two_orders_are_refused(metric):
    X = pd.DataFrame({"x": [0.0, 0.1, 5.0, 5.1, 9.0, 9.2]})
    labels = pd.Series([0, 0, 1, 1, 2, 2])
    with pytest.raises(cv.ParameterError, match=r"argument 'labels'.*labels.reindex\(X.index\)"):
        getattr(cv.metrics, metric)(X, labels[[5, 4, 3, 2, 1, 0]])
    assert np.all(np.isfinite(getattr(cv.metrics, metric)(X, labels)))


def test_precomputed_distances_and_labels_in_two_orders_are_refused():
    x = np.array([0.0, 0.1, 5.0, 5.1])
    D = pd.DataFrame(np.abs(x[:, None] - x[None, :]))
    labels = pd.Series([0, 0, 1, 1])
    with pytest.raises(cv.ParameterError, match="argument 'labels'"):
        cv.metrics.silhouette_score(D, labels[[1, 0, 3, 2]], metric="precomputed")
    assert cv.metrics.silhouette_score(D, labels, metric="precomputed") == pytest.approx(0.98, abs=1e-4)


# ---- 7. costs and spend at the edge of the floats ---------------------------------------------

WTP = pd.DataFrame({"wtp": [10.0, 20.0, 20.0, 40.0]})


@pytest.mark.parametrize("kw", [{"cost": 1e300}, {"cost": MAX}, {"fixed_cost": 1e16}, {"cost": True}])
def test_demand_curve_refuses_costs_outside_their_domain(kw):
    (name,) = kw
    with pytest.raises(
        cv.ParameterError, match=rf"argument '{name}': must be a finite amount from 0 to 1e\+15"
    ):
        cv.demand_curve(WTP, **kw)


def test_demand_curve_names_cost_when_the_profit_overflows():
    # a cost within its bound and a market of 1e300 buyers: (10 - 1e15) x 1e300 = -inf
    with pytest.raises(cv.ParameterError, match=r"argument 'cost': .*the profit .*at the price (10|1e1)"):
        cv.demand_curve(WTP, cost=1e15, market_size=1e300)


def test_demand_curve_takes_costs_up_to_the_bound():
    curve = cv.demand_curve(WTP, cost=1e15)
    assert np.isfinite(curve.table["profit"]).all() and curve.profit_optimal_price is None
    assert cv.demand_curve(WTP, cost=np.float32(5), fixed_cost=-0.0).profit_optimal_price == 20.0


def test_van_westendorp_refuses_a_cost_outside_its_domain():
    survey = cv.datasets.pricing_survey(60, seed=0)
    nms = {"cheap": "intent_cheap", "expensive": "intent_expensive"}
    with pytest.raises(cv.ParameterError, match="argument 'cost': must be a finite amount"):
        cv.van_westendorp(survey, nms=nms, cost=1e300)
    assert cv.van_westendorp(survey, nms=nms, cost=None).nms_profit_optimal_price is None


def test_core_demand_curve_refuses_a_profit_that_overflows():
    with pytest.raises(cv.ParameterError, match="cost"):
        _core.demand_curve(
            pa.table(WTP),
            "wtp",
            weights=None,
            by=None,
            cost=1e15,
            fixed_cost=0.0,
            market_size=1e300,
            ci=None,
            n_boot=0,
            seed=0,
            missing="raise",
            progress=None,
        )


@pytest.fixture(scope="module")
def gg():
    return cv.GammaGamma().fit(cv.datasets.cdnow())


def test_gamma_gamma_spend_is_finite_at_the_largest_frequencies_and_means(gg):
    p, q, v = gg.params_.values()
    data = pd.DataFrame(
        {"frequency": [MAX, 1e300, 3.0, 3.0, 2.0, 0.0], "monetary_value": [10.0, 10.0, 1e308, MAX, 10.0, 5.0]}
    )
    spend = gg.conditional_expected_spend(data)
    assert np.isfinite(spend).all()
    assert spend.iloc[0] == 10.0 and spend.iloc[1] == pytest.approx(10.0, rel=1e-12)  # was NaN
    w = (q - 1) / (3 * p + q - 1)
    assert spend.iloc[3] == pytest.approx(w * p * v / (q - 1) + (1 - w) * MAX, rel=1e-12)  # was inf
    # ordinary rows are the core's formula, unchanged
    assert spend.iloc[4] == p * (v + 2 * 10.0) / (p * 2 + q - 1)
    assert spend.iloc[5] == pytest.approx(p * v / (q - 1), rel=1e-15)


@pytest.mark.parametrize(
    ("column", "values"),
    [("frequency", [2.0, -2.0]), ("frequency", [-9.2e18, 1.0]), ("monetary_value", [10.0, -5.0])],
)
def test_gamma_gamma_spend_refuses_negative_frequencies_and_means(gg, column, values):
    data = pd.DataFrame({"frequency": [2.0, 1.0], "monetary_value": [10.0, 10.0]}).assign(**{column: values})
    # were numbers (2.92 for a frequency of -2, 2.23 for a mean of -5)
    with pytest.raises(cv.InputError, match=rf"column '{column}': must be non-negative.*row \d holds -"):
        gg.conditional_expected_spend(data)


def test_gamma_gamma_spend_reads_integer_and_dictionary_columns(gg):
    table = pa.table(
        {
            "frequency": pa.array([2, 0], pa.int64()),
            "monetary_value": pa.array([10.0, 10.0]).dictionary_encode(),
        }
    )
    want = gg.conditional_expected_spend(
        pd.DataFrame({"frequency": [2.0, 0.0], "monetary_value": [10.0, 10.0]})
    )
    np.testing.assert_array_equal(gg.conditional_expected_spend(table).to_numpy(), want.to_numpy())


def test_core_gamma_gamma_spend_is_finite_at_the_largest_frequency(gg):
    table = pa.table({"frequency": [MAX, 3.0], "monetary_value": [10.0, MAX]})
    out = _core.gamma_gamma_predict(table, list(gg.params_.values()), "frequency", "monetary_value")
    assert np.isfinite(out.column(0).to_numpy()).all()


def test_amount_check_takes_numbers_from_0_to_1e15():
    from customervalue._checks import AMOUNT, Amount, as_amount

    assert as_amount("cost", 0) == 0.0 and as_amount("cost", np.int64(3)) == 3.0
    assert math.copysign(1, as_amount("cost", -0.0)) == 1.0
    assert AMOUNT("cost", 1e15) == 1e15 and Amount(optional=True)("cost", None) is None
    for bad in (None, "5", float("nan"), -1e-300, 1.0000001e15, np.bool_(True)):
        with pytest.raises(cv.ParameterError, match="argument 'cost'"):
            AMOUNT("cost", bad)


def test_a_group_without_a_profitable_price_stacks_with_the_others():
    # by=: the first group has a profit-optimal price, a later one (every WTP below the cost) has
    # none; stacking the groups' optima failed on Arrow's nullability ("declared as non-nullable
    # but contains null values"), found by the states' property test
    d = pd.DataFrame({"wtp": [20.0, 35.0, 50.0, 0.0, 0.0, 5.0], "g": ["a", "a", "a", "b", "b", "b"]})
    r = cv.demand_curve(d, wtp="wtp", cost=7.5, by="g")
    opt = r.optima.set_index("g")
    assert opt.loc["a", "profit_optimal_price"] == 35.0
    assert math.isnan(opt.loc["b", "profit_optimal_price"]) and opt.loc["b", "revenue_optimal_price"] == 5.0
