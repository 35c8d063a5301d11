"""Gabor-Granger: the published worked example, a pandas oracle, the non-monotone rule."""

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

LADDER = [1000, 1500, 2000, 2500, 3000]


def worked_example():
    rows, rid = [], 0
    for k, count in enumerate([14, 11, 9, 12, 8]):
        for _ in range(count):
            rows += [(rid, p, j <= k) for j, p in enumerate(LADDER)]
            rid += 1
    rows += [(rid, p, False) for p in LADDER]
    return pd.DataFrame(rows, columns=["respondent", "price", "buy"])


def test_golden_worked_example():
    r = cv.gabor_granger(worked_example(), price="price", buy="buy", respondent="respondent")
    assert r.table["demand"].tolist() == [54, 40, 29, 20, 8]
    assert r.revenue_optimal_price == 1500
    assert r.table.loc[r.table["price"] == 1500, "revenue"].item() == 60_000
    assert r.n == 55
    point = r.elasticity(kind="point")["elasticity"].round(2).tolist()
    assert point == pytest.approx([-0.52, -0.82, -1.24, -3.00], abs=0.0051)
    arc = r.elasticity(kind="arc")["elasticity"].tolist()
    assert arc == pytest.approx([-0.745, -1.116, -1.653, -4.714], abs=5e-4)


def test_matches_a_pandas_oracle_on_the_survey(survey):
    long = survey.melt(
        id_vars="respondent_id",
        value_vars=[c for c in survey if c.startswith("buy_at_")],
        var_name="price",
        value_name="buy",
    )
    long["price"] = long["price"].str.removeprefix("buy_at_").astype(float)
    r = cv.gabor_granger(
        long, price="price", buy="buy", respondent="respondent_id", nonmonotone="highest", cost=5
    )
    top = long[long["buy"]].groupby("respondent_id")["price"].max()
    want = [(top >= p).sum() for p in sorted(long["price"].unique())]
    assert r.table["demand"].tolist() == want
    assert r.n_nonmonotone > 0  # the survey plants flipped answers
    rev = np.array(want) * np.array(sorted(long["price"].unique()))
    assert r.revenue_optimal_price == sorted(long["price"].unique())[int(np.argmax(rev))]
    first = cv.gabor_granger(long, price="price", buy="buy", respondent="respondent_id")
    assert (first.table["demand"] <= r.table["demand"]).all()


def test_without_respondents_each_price_is_read_on_its_own():
    df = pd.DataFrame({"price": [10, 10, 20, 20], "buy": [1, 1, 1, 0]})
    r = cv.gabor_granger(df, price="price", buy="buy")
    assert r.table["share"].tolist() == [1.0, 0.5]


def test_market_size_and_costs_scale_profit():
    r = cv.gabor_granger(
        worked_example(), respondent="respondent", cost=500, fixed_cost=1000, market_size=5500
    )
    # demand scaled by 5500 / 55 = 100
    assert r.table["demand"].tolist() == [5400, 4000, 2900, 2000, 800]
    assert r.table["profit"].tolist() == [
        (p - 500) * d - 1000 for p, d in zip(LADDER, [5400, 4000, 2900, 2000, 800], strict=True)
    ]


def test_conflicting_answers_and_bad_prices_are_input_errors():
    with pytest.raises(cv.InputError, match="'buy'.*both"):
        cv.gabor_granger(
            pd.DataFrame({"r": [1, 1], "price": [5.0, 5.0], "buy": [True, False]}), respondent="r"
        )
    with pytest.raises(cv.InputError, match="'price'.*positive"):
        cv.gabor_granger(pd.DataFrame({"price": [-5.0], "buy": [True]}))
    with pytest.raises(cv.InputError, match="'buy'.*boolean"):
        cv.gabor_granger(pd.DataFrame({"price": [5.0], "buy": ["yes"]}))


def test_plot(survey):
    r = cv.gabor_granger(worked_example(), respondent="respondent")
    assert r.plot().get_title() == "Gabor-Granger"
    assert r.plot_elasticity().get_title() == "Elasticity against price"
