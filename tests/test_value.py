"""Economic value estimation, value maps and value quantification against the published
examples and hand computations."""

import customervalue as cv
import numpy as np
import pandas as pd
import pytest


def test_economic_value_published_examples():
    d = pd.DataFrame({"driver": ["speed", "support", "uptime"], "value": [350, 100, 200]})
    assert cv.economic_value(d, reference_value=300).economic_value == 950
    two = pd.DataFrame({"driver": ["training", "integration"], "value": [100, 200]})
    assert cv.economic_value(two, reference_value=1000).economic_value == 1300


def test_economic_value_by_segment_with_negative_drivers_and_a_price_range():
    d = pd.DataFrame(
        {
            "segment": ["A", "A", "B", "B"],
            "driver": ["speed", "switching", "speed", "switching"],
            "value": [200, -50, 80, -50],
        }
    )
    r = cv.economic_value(d, reference_value={"A": 500, "B": 400}, by="segment", cost_floor=300)
    t = r.table.set_index("segment")
    assert t.loc["A", "economic_value"] == 650 and t.loc["B", "economic_value"] == 430
    assert t.loc["A", "negative_differentiation"] == 50
    assert (t["price_floor"] == 300).all() and (t["price_ceiling"] == t["economic_value"]).all()
    assert r.plot(segment="A").get_title() == "Economic value estimation"
    with pytest.raises(cv.ParameterError, match="'reference_value'"):
        cv.economic_value(d, reference_value={"A": 500}, by="segment")


def test_value_map_reproduces_gales_quality_score():
    # one competitor: our ratings over theirs give the published ratios 3.0/2.0/1.5/1.4/2.0
    profile = pd.DataFrame(
        {
            "attribute": ["a1", "a2", "a3", "a4", "a5"],
            "weight": [40, 30, 10, 5, 15],
            "ours": [9.0, 8.0, 7.5, 7.0, 8.0],
            "rival": [3.0, 4.0, 5.0, 5.0, 4.0],
        }
    )
    m = cv.value_map(profile, ours="ours", prices={"ours": 120.0, "rival": 100.0})
    assert m.quality_score == pytest.approx(232.0)
    t = m.table.set_index("brand")
    assert t.loc["ours", "relative_price"] == pytest.approx(120.0)
    assert t.loc["ours", "customer_value"] == pytest.approx(232 - 120)
    assert t.loc["ours", "perpendicular_distance"] == pytest.approx((232 - 120) / np.sqrt(2))
    assert m.plot().get_title() == "Customer value map"


def test_value_map_regression_line_and_bad_weights():
    profile = pd.DataFrame(
        {"attribute": ["q", "s"], "weight": [60, 40], "A": [8, 6], "B": [6, 7], "C": [5, 5]}
    )
    prices = {"A": 110, "B": 100, "C": 80}
    m = cv.value_map(profile, ours="A", prices=prices, fair_value_line="regression")
    slope, intercept = np.polyfit(m.table["quality"], m.table["relative_price"], 1)
    assert m.line == pytest.approx((intercept, slope))
    assert m.table["customer_value"].sum() == pytest.approx(0.0, abs=1e-9)  # OLS residuals sum to zero
    with pytest.raises(cv.InputError, match="'weight'.*sum to 100"):
        cv.value_map(profile.assign(weight=[50, 40]), ours="A", prices=prices)


def test_value_quantification_npv_roi_and_payback():
    benefits = pd.DataFrame({"name": ["hours saved", "fewer outages"], "value": [100 * 50.0, 0.1 * 20_000]})
    costs = pd.DataFrame({"name": ["licence", "setup"], "value": [3000.0, 5000.0], "upfront": [False, True]})
    r = cv.value_quantification(benefits, costs, discount_rate=0.1, horizon=3)
    annuity = sum(1 / 1.1**t for t in (1, 2, 3))
    pv_b = 7000 * annuity
    pv_c = 3000 * annuity + 5000
    assert r.npv == pytest.approx(pv_b - pv_c)
    assert r.roi == pytest.approx((pv_b - pv_c) / pv_c)
    assert r.payback_period == 2  # -5000 + 4000 per period
    time_saved = cv.value_quantification(
        pd.DataFrame({"name": ["time"], "hours": [10.0], "rate": [30.0]}),
        pd.DataFrame({"name": ["x"], "value": [0.0]}),
    )
    assert time_saved.table["value"].iloc[0] == 300


def test_value_quantification_simulation_is_seeded_and_tornado_ranks_lines():
    benefits = pd.DataFrame(
        {"name": ["a", "b"], "value": [1000.0, 500.0], "low": [500.0, 400.0], "high": [1500.0, 600.0]}
    )
    costs = pd.DataFrame({"name": ["c"], "value": [800.0]})
    r1 = cv.value_quantification(benefits, costs, n_simulations=2000, seed=4)
    r2 = cv.value_quantification(benefits, costs, n_simulations=2000, seed=4)
    pd.testing.assert_frame_equal(r1.simulations, r2.simulations)
    assert r1.simulations["npv"].mean() == pytest.approx(r1.npv, rel=0.05)
    top = r1.tornado.sort_values("swing", ascending=False)["name"].iloc[0]
    assert top == "a"
    assert r1.plot().get_title() == "What moves the value"
    with pytest.raises(cv.InputError, match="'low'"):
        cv.value_quantification(benefits.assign(low=[2000.0, 400.0]), costs)
