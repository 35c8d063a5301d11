"""Van Westendorp and NMS against an independent numpy implementation of the stated
conventions, plus property tests and bad input."""

import customervalue as cv
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

COLS = ["too_cheap", "cheap", "expensive", "too_expensive"]


def np_points(df, rng="original", weights=None):
    """The DESIGN.md conventions written with numpy: sorted answers and searchsorted."""
    a = df[COLS].to_numpy(float)
    w = np.ones(len(a)) if weights is None else np.asarray(weights, float)
    ok = (a[:, 0] < a[:, 1]) & (a[:, 1] < a[:, 2]) & (a[:, 2] < a[:, 3])
    a, w = a[ok], w[ok]
    W = w.sum()
    prices = np.unique(a)

    def ge(q, p, strict=False):
        return np.array([w[(a[:, q] > x) if strict else (a[:, q] >= x)].sum() for x in p])

    def le(q, p):
        return np.array([w[a[:, q] <= x].sum() for x in p])

    curves = {
        "tc": (ge(0, prices), ge(0, prices, True)),
        "ch": (ge(1, prices), ge(1, prices, True)),
        "ex": (le(2, prices), le(2, prices)),
        "te": (le(3, prices), le(3, prices)),
    }
    curves["nch"] = (W - curves["ch"][0], W - curves["ch"][1])
    curves["nex"] = (W - curves["ex"][0], W - curves["ex"][1])

    def cross(x, y):
        at = np.sign(curves[x][0] - curves[y][0])
        right = np.sign(curves[x][1] - curves[y][1])
        changed = (at != at[0]) | (right != at[0])
        return float(prices[np.argmax(changed)]) if changed.any() else None

    pmc = cross("tc", "nch") if rng == "original" else cross("tc", "ex")
    pme = cross("te", "nex") if rng == "original" else cross("te", "ch")
    return {"OPP": cross("tc", "te"), "IPP": cross("ch", "ex"), "PMC": pmc, "PME": pme}, int((~ok).sum())


@pytest.mark.parametrize("rng", ["original", "narrower"])
def test_points_match_the_numpy_oracle_on_the_survey(survey, rng):
    r = cv.van_westendorp(survey, range=rng)
    want, dropped = np_points(survey, rng)
    assert {"OPP": r.opp, "IPP": r.ipp, "PMC": r.pmc, "PME": r.pme} == want
    assert r.n_invalid == dropped and r.n_valid == len(survey) - dropped
    assert r.n_rows == len(survey) and len(r.dropped) == dropped


def test_ranges_hold_both_conventions(survey):
    r = cv.van_westendorp(survey)
    narrow, _ = np_points(survey, "narrower")
    t = r.ranges.set_index("range")
    assert (t.loc["original", "pmc"], t.loc["original", "pme"]) == (r.pmc, r.pme)
    assert (t.loc["narrower", "pmc"], t.loc["narrower", "pme"]) == (narrow["PMC"], narrow["PME"])
    assert r.acceptable_range() == (r.pmc, r.pme) == r.acceptable_range(range="original")
    assert r.acceptable_range(range="narrower") == (narrow["PMC"], narrow["PME"])
    with pytest.raises(cv.ParameterError, match="'range'"):
        r.acceptable_range(range="wide")


def test_acceptable_range_by_segment(survey):
    r = cv.van_westendorp(survey, by="segment", range="narrower")
    got = r.acceptable_range()
    assert list(got.index) == ["Students", "Professionals", "Teams"]
    alone = cv.van_westendorp(survey[survey["segment"] == "Teams"])
    assert tuple(got.loc["Teams"]) == alone.acceptable_range(range="narrower")
    assert tuple(r.acceptable_range(range="original").loc["Teams"]) == (alone.pmc, alone.pme)


def test_weighted_points_match_the_oracle(survey):
    w = (survey["respondent_id"] % 3 + 1).astype(float)
    df = survey.assign(w=w)
    r = cv.van_westendorp(df, weights="w")
    want, _ = np_points(df, weights=w)
    assert r.opp == want["OPP"] and r.pme == want["PME"]


def test_curves_are_shares_from_counts(survey):
    r = cv.van_westendorp(survey)
    c = r.curves
    valid = survey[np.all(np.diff(survey[COLS].to_numpy(), axis=1) > 0, axis=1)]
    p = c["price"].iloc[len(c) // 2]
    row = c[c["price"] == p].iloc[0]
    assert row["too_cheap"] == pytest.approx(np.mean(valid["too_cheap"] >= p))
    assert row["expensive"] == pytest.approx(np.mean(valid["expensive"] <= p))
    assert row["not_cheap"] == pytest.approx(1 - row["cheap"])


def test_the_planted_truth_is_recovered_roughly(survey):
    r = cv.van_westendorp(survey)
    # answers are fixed multiples of WTP: the acceptable range brackets the median WTP
    assert r.pmc < survey["wtp"].median() < r.pme * 1.3
    assert r.pmc <= r.opp <= r.pme


def test_nms_reach_matches_per_respondent_interpolation(survey):
    cal = {5: 0.7, 4: 0.5, 3: 0.3, 2: 0.1, 1: 0.0}
    r = cv.van_westendorp(
        survey, nms={"cheap": "intent_cheap", "expensive": "intent_expensive", "calibration": cal}, cost=8.0
    )
    a = survey[COLS].to_numpy(float)
    ok = np.all(np.diff(a, axis=1) > 0, axis=1)
    a = a[ok]
    kc = survey["intent_cheap"].map(cal).to_numpy()[ok]
    ke = survey["intent_expensive"].map(cal).to_numpy()[ok]
    grid = r.nms["price"].to_numpy()
    probs = np.array([np.interp(grid, a[i], [0, kc[i], ke[i], 0], left=0, right=0) for i in range(len(a))])
    np.testing.assert_allclose(r.nms["reach"], probs.mean(axis=0), atol=1e-10)
    # exact optima beat every point of a fine grid, and the grid comes close to them
    fine = np.linspace(grid.min(), grid.max(), 20_001)
    reach = np.mean(
        [np.interp(fine, a[i], [0, kc[i], ke[i], 0], left=0, right=0) for i in range(len(a))], axis=0
    )
    rev = fine * reach
    opt = r.nms_optima.set_index("objective")
    assert opt.loc["revenue", "value"] >= rev.max() - 1e-9
    assert opt.loc["revenue", "value"] == pytest.approx(rev.max(), rel=1e-4)
    assert r.nms_revenue_optimal_price == pytest.approx(
        fine[rev.argmax()], abs=2 * (fine[1] - fine[0]) + 1e-6
    )
    prof = (fine - 8.0) * reach
    assert r.nms_profit_optimal_price == pytest.approx(
        fine[prof.argmax()], abs=2 * (fine[1] - fine[0]) + 1e-6
    )
    assert opt.loc["reach", "value"] >= reach.max() - 1e-9
    assert opt.loc["reach", "value"] == pytest.approx(reach.max(), rel=1e-3)


def test_intents_outside_the_calibration_are_an_input_error(survey):
    bad = survey.assign(intent_cheap=survey["intent_cheap"] + 10)
    with pytest.raises(cv.InputError, match="'intent_cheap'.*calibration"):
        cv.van_westendorp(bad, nms={"cheap": "intent_cheap", "expensive": "intent_expensive"})


def test_bootstrap_intervals_bracket_the_points_and_repeat(survey):
    a = cv.van_westendorp(survey, ci=0.95, n_boot=200, seed=3)
    b = cv.van_westendorp(survey, ci=0.95, n_boot=200, seed=3)
    pd.testing.assert_frame_equal(a.points, b.points)
    for row in a.points.itertuples():
        assert row.ci_low <= row.price <= row.ci_high


def test_by_runs_one_analysis_per_segment(survey):
    r = cv.van_westendorp(survey, by="segment")
    assert list(r.opp.index) == ["Students", "Professionals", "Teams"]
    alone = cv.van_westendorp(survey[survey["segment"] == "Teams"])
    invalid = r.counts.set_index("segment")["n_invalid"]
    assert r.opp["Teams"] == alone.opp and invalid["Teams"] == alone.n_invalid
    assert r.n_invalid == invalid.sum()
    # the old names still read, with a FutureWarning naming the new one
    with pytest.warns(FutureWarning, match="n_invalid"):
        assert r.n_dropped["Teams"] == alone.n_invalid
    assert r.opp["Students"] < r.opp["Teams"]


def test_all_invalid_is_an_input_error_naming_the_columns():
    df = pd.DataFrame({"too_cheap": [4.0], "cheap": [3.0], "expensive": [2.0], "too_expensive": [1.0]})
    with pytest.raises(cv.InputError, match="too_cheap.*invalid"):
        cv.van_westendorp(df)


@pytest.mark.parametrize("value, match", [(-5.0, "positive"), (0.0, "positive")])
def test_non_positive_prices_are_input_errors(value, match):
    df = pd.DataFrame(
        {"too_cheap": [value, 1.0], "cheap": [2.0, 2.0], "expensive": [3.0, 3.0], "too_expensive": [4.0, 4.0]}
    )
    with pytest.raises(cv.InputError, match=f"'too_cheap'.*{match}"):
        cv.van_westendorp(df)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_arrow_values_follow_the_missing_policy(survey, bad):
    # NaN held as an Arrow value (not a null) skips the up-front scan and is caught by the
    # histogram pass; the rerun must give the missing policy's error, or drop the row
    cols = {c: survey[c].to_numpy(float).copy() for c in COLS}
    cols["cheap"][7] = bad
    t = pa.table(cols)
    assert t["cheap"].null_count == 0
    with pytest.raises(cv.InputError, match="'cheap': 1 missing value"):
        cv.van_westendorp(t)
    got = cv.van_westendorp(t, missing="drop")
    want = cv.van_westendorp(survey[COLS].drop(index=survey.index[7]))
    assert got.n_missing == 1 and list(got.dropped.index[got.dropped["reason"] == "missing"]) == [7]
    assert (got.opp, got.ipp, got.pmc, got.pme, got.n_valid) == (
        want.opp,
        want.ipp,
        want.pmc,
        want.pme,
        want.n_valid,
    )
    pd.testing.assert_frame_equal(got.curves, want.curves)


def test_bad_options_are_parameter_errors(survey):
    with pytest.raises(cv.ParameterError, match="'range'"):
        cv.van_westendorp(survey, range="wide")
    with pytest.raises(cv.ParameterError, match="'nms'"):
        cv.van_westendorp(survey, nms={"cheap": "intent_cheap"})


def test_plot_marks_the_points(survey):
    r = cv.van_westendorp(survey, nms={"cheap": "intent_cheap", "expensive": "intent_expensive"})
    ax = r.plot()
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("OPP") for t in texts) and any(t.startswith("PME") for t in texts)
    assert r.plot_nms().get_title() == "Newton-Miller-Smith"
    assert "OPP" in r.summary()


answers = st.lists(
    st.tuples(st.integers(1, 40), st.integers(1, 15), st.integers(1, 15), st.integers(1, 15)),
    min_size=1,
    max_size=60,
)


@settings(max_examples=80, deadline=None)
@given(answers, st.sampled_from(["original", "narrower"]))
def test_property_points_match_oracle_are_order_free_and_pmc_le_pme(rows, rng):
    a = np.cumsum(np.array(rows, float), axis=1)
    df = pd.DataFrame(a, columns=COLS)
    r = cv.van_westendorp(df, range=rng)
    want, _ = np_points(df, rng)
    assert {"OPP": r.opp, "IPP": r.ipp, "PMC": r.pmc, "PME": r.pme} == want
    r2 = cv.van_westendorp(df.iloc[::-1], range=rng)
    assert (r2.opp, r2.ipp, r2.pmc, r2.pme) == (r.opp, r.ipp, r.pmc, r.pme)
    if rng == "original" and r.pmc is not None and r.pme is not None:
        assert r.pmc <= r.pme
    c = r.curves
    assert c[["too_cheap", "cheap", "expensive", "too_expensive"]].stack().between(0, 1).all()
