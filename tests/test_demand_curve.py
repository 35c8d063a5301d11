"""WTP demand curves against a numpy oracle, the premium test, groups and bad input."""

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


def oracle(wtp, weights=None, cost=0.0, fixed=0.0):
    wtp = np.asarray(wtp, float)
    w = np.ones_like(wtp) if weights is None else np.asarray(weights, float)
    prices = np.unique(wtp[wtp > 0])
    share = np.array([w[wtp >= p].sum() for p in prices]) / w.sum()
    revenue = prices * share * w.sum()
    profit = (prices - cost) * share * w.sum() - fixed
    return prices, share, revenue, profit


def test_curve_matches_the_numpy_oracle(survey):
    r = cv.demand_curve(survey, wtp="wtp", cost=12.0, fixed_cost=100.0)
    prices, share, revenue, profit = oracle(survey["wtp"], cost=12.0, fixed=100.0)
    np.testing.assert_allclose(r.table["price"], prices)
    np.testing.assert_allclose(r.table["share"], share, rtol=1e-12)
    np.testing.assert_allclose(r.table["revenue"], revenue, rtol=1e-12)
    np.testing.assert_allclose(r.table["profit"], profit, rtol=1e-12)
    assert r.revenue_optimal_price == prices[np.argmax(revenue)]
    assert r.profit_optimal_price == prices[np.argmax(profit)]


def test_weights_match_the_oracle_and_weights_of_two_equal_duplicated_rows():
    df = pd.DataFrame({"wtp": [5.0, 7.0, 9.0, 9.0], "w": [2.0, 1.0, 0.5, 1.5]})
    r = cv.demand_curve(df, wtp="wtp", weights="w")
    _, share, _, _ = oracle(df["wtp"], df["w"])
    np.testing.assert_allclose(r.table["share"], share)
    dup = pd.DataFrame({"wtp": [5.0, 5.0, 7.0]})
    two = pd.DataFrame({"wtp": [5.0, 7.0], "w": [2.0, 1.0]})
    pd.testing.assert_frame_equal(cv.demand_curve(dup).table, cv.demand_curve(two, weights="w").table)


def test_by_gives_one_curve_per_segment_equal_to_filtering(survey):
    r = cv.demand_curve(survey, wtp="wtp", by="segment")
    assert list(r.optima["segment"]) == ["Students", "Professionals", "Teams"]
    for seg in r.optima["segment"]:
        alone = cv.demand_curve(survey[survey["segment"] == seg], wtp="wtp")
        part = r.table[r.table["segment"] == seg].drop(columns="segment").reset_index(drop=True)
        pd.testing.assert_frame_equal(part, alone.table)
        assert r.revenue_optimal_price[seg] == alone.revenue_optimal_price


def test_elasticities_between_adjacent_prices():
    df = pd.DataFrame({"wtp": [10.0] * 2 + [20.0] * 3 + [30.0] * 5})
    e = cv.demand_curve(df).elasticity(kind="point")
    # shares 1.0, 0.8, 0.5 at 10, 20, 30
    assert e["elasticity"].tolist() == pytest.approx([(-0.2 / 1.0) / 1.0, (-0.3 / 0.8) / 0.5])
    arc = cv.demand_curve(df).elasticity(kind="arc")
    assert arc["elasticity"].iloc[0] == pytest.approx((-0.2 / 0.9) / (10 / 15))


def test_bootstrap_is_seeded_brackets_the_curve_and_agrees_with_a_numpy_bootstrap(survey):
    a = cv.demand_curve(survey, wtp="wtp", ci=0.9, n_boot=400, seed=7)
    b = cv.demand_curve(survey, wtp="wtp", ci=0.9, n_boot=400, seed=7)
    pd.testing.assert_frame_equal(a.table, b.table)
    t = a.table
    assert (t["share_ci_low"] <= t["share"] + 1e-9).all() and (t["share"] <= t["share_ci_high"] + 1e-9).all()
    # the width at the median price agrees with an independent numpy bootstrap to 25%
    rng = np.random.default_rng(0)
    w = survey["wtp"].to_numpy()
    p = float(np.median(w))
    row = t.iloc[(t["price"] - p).abs().argmin()]
    reps = [np.mean(rng.choice(w, len(w)) >= row["price"]) for _ in range(400)]
    lo, hi = np.quantile(reps, [0.05, 0.95])
    assert row["share_ci_high"] - row["share_ci_low"] == pytest.approx(hi - lo, rel=0.25)
    lo_p, hi_p = a.optima[["revenue_optimal_price_ci_low", "revenue_optimal_price_ci_high"]].iloc[0]
    assert lo_p <= a.revenue_optimal_price <= hi_p


def test_premium_test_answers_is_charging_more_worth_it(survey):
    r = cv.demand_curve(survey, wtp="wtp", cost=10.0, seed=1)
    t = r.premium_test(30.0, 45.0, n_boot=300)
    _, share, _, _ = oracle(survey["wtp"])
    n = len(survey)
    d30 = np.mean(survey["wtp"] >= 30)
    d45 = np.mean(survey["wtp"] >= 45)
    assert t.difference == pytest.approx((45 - 10) * n * d45 - (30 - 10) * n * d30)
    lo, hi = t.ci
    assert lo < t.difference < hi
    assert "premium" in t.summary()


def test_cost_above_every_wtp_is_reported_not_raised():
    with pytest.warns(UserWarning, match="no price makes a profit"):
        r = cv.demand_curve(pd.DataFrame({"wtp": [5.0, 6.0]}), cost=100.0)
    assert r.profit_optimal_price is None


@pytest.mark.parametrize(
    "frame, match",
    [
        (pd.DataFrame({"wtp": [10.0, -1.0]}), "'wtp'.*non-negative"),
        (pd.DataFrame({"wtp": [0.0, 0.0]}), "'wtp'.*zero"),
        (pd.DataFrame({"wtp": ["a", "b"]}), "'wtp'.*numeric"),
    ],
)
def test_bad_wtp_is_an_input_error_naming_the_column(frame, match):
    with pytest.raises(cv.InputError, match=match):
        cv.demand_curve(frame, wtp="wtp")


def test_negative_weights_and_bad_arguments():
    df = pd.DataFrame({"wtp": [10.0, 12.0], "w": [1.0, -1.0]})
    with pytest.raises(cv.InputError, match="'w'.*non-negative"):
        cv.demand_curve(df, weights="w")
    with pytest.raises(cv.ParameterError, match="'cost'"):
        cv.demand_curve(df, cost=-1.0)
    with pytest.raises(cv.ParameterError, match="'ci'"):
        cv.demand_curve(df, ci=1.5)


def test_by_with_one_level_warns():
    df = pd.DataFrame({"wtp": [10.0, 12.0], "g": ["a", "a"]})
    with pytest.warns(UserWarning, match="one level"):
        cv.demand_curve(df, by="g")


def test_plots_return_axes(survey):
    ax = cv.demand_curve(survey, wtp="wtp", cost=10, ci=0.9, n_boot=50).plot()
    assert ax.get_title() == "Demand curve"
    ax = cv.demand_curve(survey, wtp="wtp", by="segment").plot()
    assert ax.get_title() == "Students"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 500, allow_nan=False), min_size=1, max_size=80).filter(lambda v: max(v) > 0))
def test_property_demand_never_rises_and_row_order_is_irrelevant(values):
    df = pd.DataFrame({"wtp": values})
    t = cv.demand_curve(df).table
    assert (np.diff(t["share"]) <= 0).all() and t["share"].between(0, 1).all()
    rev = cv.demand_curve(df.iloc[::-1]).table
    pd.testing.assert_frame_equal(t, rev)


def test_progress_is_fed_from_rust(survey, monkeypatch):
    from customervalue import _core

    seen = []
    table = cv._io.as_arrow(survey, ["wtp"])
    d = _core.demand_curve(table, "wtp", None, None, 0.0, 0.0, None, 0.9, 250, 0, "raise", seen.append)
    assert sum(seen) == 250 and d["table"].num_rows > 0
    # and the public function shows a bar when asked
    assert cv.demand_curve(survey, ci=0.9, n_boot=20, progress=True).ci == 0.9
