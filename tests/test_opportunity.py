"""Opportunity scores: a worked example, the planted underserved outcomes, gaps, bad input."""

import doctest

import customervalue as cv
import customervalue.opportunity as opportunity_module
import numpy as np
import pandas as pd
import polars as pl
import pytest
from customervalue import InputError, ParameterError


def _worked():
    # 10 respondents, 1-5 scale. speed: importance 4-5 for 8 of 10, satisfaction 4-5 for 3 of 10
    # -> I = 8, S = 3, opportunity = 8 + (8 - 3) = 13. price: I = 4, S = 6 -> 4 (overserved).
    return pd.DataFrame(
        {
            "importance_speed": [5, 5, 4, 4, 5, 4, 5, 4, 2, 3],
            "satisfaction_speed": [2, 3, 4, 1, 5, 2, 3, 4, 2, 1],
            "importance_price": [4, 4, 5, 5, 1, 2, 3, 3, 2, 1],
            "satisfaction_price": [5, 4, 4, 5, 4, 4, 1, 2, 3, 3],
            "seg": list("aaaaabbbbb"),
        }
    )


def test_doctests_run():
    result = doctest.testmod(opportunity_module)
    assert result.attempted >= 2
    assert result.failed == 0


def test_worked_example():
    r = cv.opportunity_scores(_worked(), scale=(1, 5), top=2)
    t = r.table.set_index("outcome")
    assert t.loc["speed", ["importance", "satisfaction", "opportunity"]].tolist() == pytest.approx(
        [8.0, 3.0, 13.0]
    )
    assert t.loc["price", ["importance", "satisfaction", "opportunity"]].tolist() == pytest.approx(
        [4.0, 6.0, 4.0]
    )
    assert t.loc["speed", "served"] == "underserved"
    assert t.loc["price", "served"] == "overserved"
    assert t.loc["speed", "rank"] == 1
    # quadrants cut at the mean over outcomes: importance 6, satisfaction 4.5
    assert t.loc["speed", "quadrant"] == "concentrate here"
    assert t.loc["price", "quadrant"] == "possible overkill"


def test_default_top_is_forty_percent_of_the_scale():
    r5 = cv.opportunity_scores(_worked(), scale=(1, 5))
    assert r5.top == 2
    assert cv.opportunity_scores(_worked(), scale=(1, 10)).top == 4
    assert cv.opportunity_scores(_worked(), scale=(1, 7)).top == 3


def test_by_segment_by_hand():
    r = cv.opportunity_scores(_worked(), scale=(1, 5), top=2, by="seg")
    t = r.table.set_index(["seg", "outcome"])
    # segment a speed: importance 5 of 5 high -> 10; satisfaction (4, 5) 2 of 5 -> 4; opp 16
    assert t.loc[("a", "speed"), "opportunity"] == pytest.approx(16.0)
    # segment b speed: importance (4, 5, 4) 3 of 5 -> 6; satisfaction (4) 1 of 5 -> 2; opp 10
    assert t.loc[("b", "speed"), "opportunity"] == pytest.approx(10.0)
    assert t["n"].tolist() == [5, 5, 5, 5]


def test_long_format_gives_the_same_scores(customers):
    small = customers.head(3000).reset_index(drop=True)
    wide = cv.opportunity_scores(small, by="product")
    outcomes = small.attrs["truth"]["outcomes"]
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "product": small["product"].astype(str),
                    "outcome": o,
                    "imp": small[f"importance_{o}"],
                    "sat": small[f"satisfaction_{o}"],
                }
            )
            for o in outcomes
        ]
    )
    r = cv.opportunity_scores(long, "imp", "sat", outcome="outcome", by="product")
    a = wide.table.assign(product=wide.table["product"].astype(str)).set_index(["product", "outcome"])
    b = r.table.set_index(["product", "outcome"]).loc[a.index]
    np.testing.assert_allclose(a["opportunity"], b["opportunity"])
    np.testing.assert_allclose(a["opportunity_se"], b["opportunity_se"])


def test_lists_of_columns_and_polars(customers):
    small = customers.head(2000)
    outcomes = small.attrs["truth"]["outcomes"]
    by_list = cv.opportunity_scores(
        small, [f"importance_{o}" for o in outcomes], [f"satisfaction_{o}" for o in outcomes]
    ).table
    by_prefix = cv.opportunity_scores(small).table
    assert by_list["outcome"].tolist() == by_prefix["outcome"].tolist()
    np.testing.assert_allclose(by_list["opportunity"], by_prefix["opportunity"])
    polars = cv.opportunity_scores(pl.from_pandas(small.drop(columns=["comment"]))).table
    np.testing.assert_allclose(polars["opportunity"], by_prefix["opportunity"])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_underserved_outcomes_are_recovered(seed):
    df = cv.datasets.customers(8000, seed=seed)
    r = cv.opportunity_scores(df)
    top_two = set(r.table.nsmallest(2, "rank")["outcome"])
    assert top_two == set(df.attrs["truth"]["underserved_outcomes"])
    t = r.table.set_index("outcome")
    for o in df.attrs["truth"]["underserved_outcomes"]:
        assert t.loc[o, "served"] == "underserved"
        assert t.loc[o, "opportunity_low"] > 10 - 1  # clearly above the attractive range's edge


def test_opportunity_se_agrees_with_a_bootstrap(customers):
    small = customers.head(1500)
    r = cv.opportunity_scores(small).table.set_index("outcome")
    rng = np.random.default_rng(11)
    boot = []
    for _ in range(400):
        sample = small.iloc[rng.integers(0, len(small), len(small))]
        i = 10 * (sample["importance_responsive_support"] >= 7).mean()
        s = 10 * (sample["satisfaction_responsive_support"] >= 7).mean()
        boot.append(i + max(i - s, 0))
    assert r.loc["responsive_support", "opportunity_se"] == pytest.approx(np.std(boot), rel=0.15)


def test_gaps_to_target_and_competitor():
    d = _worked()
    d["competitor_speed"] = [5, 5, 5, 4, 4, 4, 3, 3, 2, 2]  # 6 of 10 at 4-5 -> 6
    d["competitor_price"] = [1, 1, 1, 1, 1, 1, 1, 1, 5, 5]  # 2 of 10 -> 2
    r = cv.opportunity_scores(
        d, scale=(1, 5), top=2, target={"speed": 7, "price": 5}, competitor="competitor_"
    )
    t = r.table.set_index("outcome")
    assert t.loc["speed", "gap_to_target"] == pytest.approx(7 - 3)
    assert t.loc["price", "gap_to_target"] == pytest.approx(5 - 6)
    assert t.loc["speed", "gap_to_competitor"] == pytest.approx(6 - 3)
    assert t.loc["price", "gap_to_competitor"] == pytest.approx(2 - 6)
    fixed = cv.opportunity_scores(d, scale=(1, 5), top=2, competitor={"speed": 5.0, "price": 5.0})
    assert fixed.table.set_index("outcome").loc["speed", "gap_to_competitor"] == pytest.approx(2.0)


def test_landscape_plot_and_summary(customers):
    r = cv.opportunity_scores(customers.head(2000), by="product")
    ax = r.plot(segment="Basic")
    assert len(ax.collections) >= 2
    assert "opportunity" in ax.get_legend().get_texts()[1].get_text()
    assert "responsive_support" in r.summary()
    assert r.to_arrow().num_rows == len(r.table)
    assert "responsive_support" in r.underserved_outcomes


@pytest.mark.parametrize(
    ("kwargs", "column"),
    [
        ({"importance": "imp_"}, "imp_"),
        (
            {
                "importance": ["importance_speed", "importance_colour"],
                "satisfaction": ["satisfaction_speed", "satisfaction_price"],
            },
            "importance_colour",
        ),
        ({"by": "region"}, "region"),
    ],
)
def test_missing_columns_are_named(kwargs, column):
    with pytest.raises(InputError, match=f"'{column}'"):
        cv.opportunity_scores(_worked(), scale=(1, 5), **kwargs)


def test_ratings_off_the_scale_are_named():
    d = _worked()
    d.loc[3, "satisfaction_price"] = 6
    with pytest.raises(InputError, match="'satisfaction_price'.*1-5"):
        cv.opportunity_scores(d, scale=(1, 5))
    d.loc[3, "satisfaction_price"] = np.nan
    with pytest.raises(InputError, match="'satisfaction_price'.*missing"):
        cv.opportunity_scores(d, scale=(1, 5))
    r = cv.opportunity_scores(d, scale=(1, 5), missing="drop")
    assert r.n_missing == 1 and list(r.dropped.index) == [3]


def test_unpaired_outcomes_and_empty_table():
    d = _worked().drop(columns=["satisfaction_price"]).assign(satisfaction_colour=3)
    with pytest.raises(InputError, match="'satisfaction_'"):
        cv.opportunity_scores(d, scale=(1, 5))
    with pytest.raises(InputError, match="'importance_speed'.*empty"):
        cv.opportunity_scores(_worked().iloc[:0], scale=(1, 5))
    with pytest.raises(InputError, match="'importance_speed'.*numeric"):
        cv.opportunity_scores(_worked().assign(importance_speed="high"), scale=(1, 5))


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"scale": (5, 1)}, "scale"),
        ({"top": 5}, "top"),
        ({"target": {"speed": 5}}, "target"),
        ({"target": 12}, "target"),
        ({"cut": "mode"}, "cut"),
        (
            {
                "importance": ["importance_speed"],
                "satisfaction": ["satisfaction_speed", "satisfaction_price"],
            },
            "importance",
        ),
        ({"competitor": ["importance_speed"]}, "competitor"),
        ({"ci": 1}, "ci"),
    ],
)
def test_bad_arguments_are_named(kwargs, argument):
    with pytest.raises(ParameterError, match=f"'{argument}'"):
        cv.opportunity_scores(_worked(), **{"scale": (1, 5), **kwargs})


def test_segments_keep_category_order_and_empty_ones_are_named():
    d = _worked().assign(seg=pd.Categorical(list("aaaaabbbbb"), categories=["b", "a"]))
    r = cv.opportunity_scores(d, scale=(1, 5), top=2, by="seg")
    assert list(dict.fromkeys(r.table["seg"])) == ["b", "a"]
    d["seg"] = pd.Categorical(list("aaaaabbbbb"), categories=["a", "b", "c"])
    with pytest.raises(InputError, match="'seg'.*'c'"):
        cv.opportunity_scores(d, scale=(1, 5), by="seg")
