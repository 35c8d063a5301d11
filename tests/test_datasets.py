"""Sample data: seeded, identical for the same seed, with the planted truth visible."""

import customervalue as cv
import numpy as np
import pandas as pd
import pytest


def test_same_seed_same_frame_other_seed_other_frame():
    a = cv.datasets.customers(3000, seed=5)
    b = cv.datasets.customers(3000, seed=5)
    c = cv.datasets.customers(3000, seed=6)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    pd.testing.assert_frame_equal(
        cv.datasets.transactions(500, seed=2), cv.datasets.transactions(500, seed=2)
    )
    pd.testing.assert_frame_equal(
        cv.datasets.pricing_survey(500, seed=2), cv.datasets.pricing_survey(500, seed=2)
    )


def test_rows_do_not_depend_on_the_number_of_rows_requested():
    # blocks are seeded by position, so a longer frame extends a shorter one
    small = cv.datasets.pricing_survey(100, seed=3)
    big = cv.datasets.pricing_survey(20_000, seed=3)
    pd.testing.assert_frame_equal(small, big.iloc[:100].reset_index(drop=True))


def test_customers_columns_and_types(customers):
    df = customers
    assert len(df) == 20_000
    assert df["region"].dtype == "category" and len(df["region"].cat.categories) == 8
    assert len(df["product"].cat.categories) == 5
    assert set(df["journey"].cat.categories) == {"purchase", "renewal", "cancellation"}
    assert df["nps"].between(0, 10).all() and df["csat"].between(1, 5).all()
    assert df["effort"].between(1, 7).all() and df["value_rating"].between(1, 10).all()
    assert df["comment"].str.len().gt(0).all()
    assert sum(c.startswith("importance_") for c in df) == 8
    assert df["true_cluster"].nunique() == 5
    truth = df.attrs["truth"]
    assert truth["cluster_weights"] == pytest.approx([0.28, 0.24, 0.14, 0.22, 0.12])


def test_cluster_shares_match_the_planted_weights(customers):
    shares = customers["true_cluster"].value_counts(normalize=True).sort_index().to_numpy()
    assert shares == pytest.approx(customers.attrs["truth"]["cluster_weights"], abs=0.015)


def test_planted_price_complaint_over_index(customers):
    df = customers
    hot = df["region"].isin(["North", "Coastal"])
    low = df["monetary"] < df["monetary"].median()
    rate = df["theme_price"]
    # within low spenders, the region lift is 2.2 (capped probabilities aside)
    lift_region = rate[hot & ~low].mean() / rate[~hot & ~low].mean()
    lift_spend = rate[low & ~hot].mean() / rate[~low & ~hot].mean()
    assert lift_region == pytest.approx(2.2, rel=0.15)
    assert lift_spend == pytest.approx(1.8, rel=0.15)
    # and the comments carry it: the price phrases appear where the theme is planted
    said = df["comment"].str.contains("expensive|overpriced|too high|pricing|pay more", regex=True)
    negated = df["comment"].str.contains("not too high")
    assert (said & ~negated)[df["theme_price"]].all()


def test_planted_theme_effects_on_the_value_rating(customers):
    truth = {t["name"]: t["value_rating_effect"] for t in customers.attrs["truth"]["themes"]}
    for theme in ["price", "support", "quality"]:
        flag = customers[f"theme_{theme}"]
        diff = customers["value_rating"][flag].mean() - customers["value_rating"][~flag].mean()
        assert np.sign(diff) == np.sign(truth[theme])
        assert abs(diff) == pytest.approx(abs(truth[theme]), abs=0.35)


def test_underserved_outcomes_have_the_largest_gaps(customers):
    outcomes = customers.attrs["truth"]["outcomes"]
    gaps = {o: (customers[f"importance_{o}"] - customers[f"satisfaction_{o}"]).mean() for o in outcomes}
    top2 = sorted(gaps, key=gaps.get, reverse=True)[:2]
    assert set(top2) == set(customers.attrs["truth"]["underserved_outcomes"])


def test_transactions_follow_the_bgnbd_truth():
    tx = cv.datasets.transactions(20_000, seed=1)
    truth = tx.attrs["truth"]["bgnbd"]
    assert list(tx.columns) == ["customer_id", "date", "amount"]
    assert tx["customer_id"].nunique() == 20_000
    assert pd.api.types.is_datetime64_any_dtype(tx["date"])
    # share of customers with no repeat purchase within the window is high, as in CDNOW
    repeats = tx.groupby("customer_id").size() - 1
    assert 0.45 < (repeats == 0).mean() < 0.75
    # Gamma-Gamma: mean spend per transaction near p q... E[z] = p v / (q - 1)
    gg = tx.attrs["truth"]["gamma_gamma"]
    assert tx["amount"].mean() == pytest.approx(gg["p"] * gg["v"] / (gg["q"] - 1), rel=0.1)
    assert truth["r"] > 0


def test_pricing_survey_wtp_follows_the_planted_lognormals(survey):
    truth = survey.attrs["truth"]
    for seg, median in zip(truth["segments"], truth["wtp_median"], strict=True):
        got = survey.loc[survey["segment"] == seg, "wtp"].median()
        assert got == pytest.approx(median, rel=0.08)
    vw = survey[["too_cheap", "cheap", "expensive", "too_expensive"]].to_numpy()
    ordered = (np.diff(vw, axis=1) > 0).all(axis=1)
    assert 0.85 < ordered.mean() < 0.99


def test_cdnow_is_the_real_data():
    df = cv.datasets.cdnow()
    assert len(df) == 2357
    assert df.index.name == "customer_id" and df.index.is_unique
    assert list(df.columns) == ["frequency", "recency", "T", "monetary_value"]
    assert df.attrs["time_unit"] == "W"
    # the cohort joined in the first 12 weeks of 1997 and was observed to week 39
    assert df["T"].between(27, 39).all() and (df["recency"] <= df["T"]).all()
    tx = cv.datasets.cdnow_transactions()
    assert len(tx) == 69_659 and tx["customer_id"].nunique() == 23_570


def test_bad_sizes_are_parameter_errors():
    with pytest.raises(cv.ParameterError, match="'n'"):
        cv.datasets.customers(0)


def test_identical_on_one_thread_and_on_many():
    import hashlib
    import os
    import subprocess
    import sys

    code = (
        "import hashlib, customervalue as cv; df = cv.datasets.customers(40_000, seed=9); "
        "print(hashlib.sha256(df.to_csv().encode()).hexdigest())"
    )
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    one = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    here = cv.datasets.customers(40_000, seed=9)
    assert one.stdout.strip() == hashlib.sha256(here.to_csv().encode()).hexdigest()
