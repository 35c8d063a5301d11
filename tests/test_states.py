"""Mergeable states without any engine (issue 16): a transaction log split any way, summarised
part by part and merged in any order, finishes to exactly the single call; BTYD fits depend only
on the set of patterns, not on the customers' order or grouping; the thread count changes no
result."""

import pickle

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
from customervalue.economics import PartialSummary
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LOG = cv.datasets.transactions(400, seed=5)


def _params(model):
    return np.array(list(model.params_.values()))


def _merge_in_order(states, order, tree):
    """Merges ``states`` taken in ``order``: left to right (tree False) or pairwise (True)."""
    items = [states[i] for i in order]
    if not tree:
        out = items[0]
        for s in items[1:]:
            out = out.merge(s)
        return out
    while len(items) > 1:
        items = [a.merge(b) for a, b in zip(items[::2], items[1::2], strict=False)] + (
            [items[-1]] if len(items) % 2 else []
        )
    return items[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    k=st.integers(1, 7),
    text_ids=st.booleans(),
    amounts=st.booleans(),
    ends=st.sampled_from(
        [(None, None), (None, "2024-09-01"), ("2025-01-15", "2024-06-30"), ("2024-12-01", None)]
    ),
    tree=st.booleans(),
)
def test_random_splits_merged_in_random_order_equal_the_single_call(seed, k, text_ids, amounts, ends, tree):
    rng = np.random.default_rng(seed)
    log = LOG.iloc[rng.permutation(len(LOG))[: rng.integers(1, len(LOG) + 1)]]
    if text_ids:
        log = log.assign(customer_id="c" + log["customer_id"].astype(str))
    amount = "amount" if amounts else None
    part = rng.integers(0, k, len(log))  # some parts may be empty
    states = [PartialSummary.from_arrow(log[part == i], amount=amount) for i in range(k)]
    merged = _merge_in_order(states, rng.permutation(k), tree)
    end, cal = ends
    kw = {"observation_end": end, "calibration_end": cal}
    try:
        want = cv.rfm_summary(log, amount=amount, **kw)
    except cv.InputError as e:  # no customer before the calibration end: the same error
        with pytest.raises(cv.InputError, match=str(e).split(":")[0]):
            merged.finish(**kw)
        return
    got = merged.finish(**kw)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert {k: v for k, v in got.attrs.items() if k != "dropped"} == {
        k: v for k, v in want.attrs.items() if k != "dropped"
    }


def test_state_rows_round_trip_through_pandas_in_any_order_and_pickle():
    whole = cv.rfm_summary(LOG, amount="amount", calibration_end="2024-10-01")
    states = [PartialSummary.from_arrow(LOG.iloc[i::3], amount="amount") for i in range(3)]
    rows = pd.concat([s.to_arrow().to_pandas() for s in states]).sample(frac=1, random_state=2)
    back = PartialSummary.from_state(rows, amount="amount")
    got = back.finish(calibration_end="2024-10-01")
    pd.testing.assert_frame_equal(got, whole, check_exact=True)
    again = pickle.loads(pickle.dumps(PartialSummary.merge_all(states)))
    pd.testing.assert_frame_equal(again.finish(calibration_end="2024-10-01"), whole, check_exact=True)
    assert again.n_rows == len(LOG) and again.n_customers == LOG["customer_id"].nunique()
    assert again.last_date == LOG["date"].max().normalize()
    assert again.nbytes > 0 and again.n_state_rows == len(again.to_arrow())


def test_the_default_observation_end_is_the_last_date_of_every_part():
    # a part of early customers alone would end at its own last date: the merged state must not
    by_first = LOG.groupby("customer_id")["date"].transform("min")
    early = LOG[by_first < "2024-01-20"]
    late = LOG[by_first >= "2024-01-20"]
    alone = PartialSummary.from_arrow(early).finish()
    merged = PartialSummary.from_arrow(early).merge(PartialSummary.from_arrow(late)).finish()
    want = cv.rfm_summary(LOG)
    pd.testing.assert_frame_equal(merged, want, check_exact=True)
    assert early["date"].max() < LOG["date"].max()
    assert (alone["T"] < want.loc[alone.index, "T"]).all()


def test_states_that_cannot_merge_say_why():
    a = PartialSummary.from_arrow(LOG)
    b = PartialSummary.from_arrow(LOG, amount="amount")
    with pytest.raises(cv.ParameterError, match="different options.*amount"):
        a.merge(b)
    with pytest.raises(cv.ParameterError, match="at least one state"):
        PartialSummary.merge_all([])
    with pytest.raises(cv.InputError, match="no transactions"):
        PartialSummary.from_arrow(LOG.iloc[:0]).finish()
    rows = b.to_arrow().to_pandas()
    with pytest.raises(cv.InputError, match="pass amount="):
        PartialSummary.from_state(rows)
    bad = rows.assign(day=rows["day"] + 0.5)
    with pytest.raises(cv.InputError, match="'day'.*row 0"):
        PartialSummary.from_state(bad, amount="amount")


@pytest.mark.parametrize("model", [cv.BetaGeo, cv.ModifiedBetaGeo, cv.ParetoNBD])
def test_btyd_fits_depend_only_on_the_patterns(model):
    s = cv.rfm_summary(cv.datasets.transactions(3000, seed=2))
    a = model().fit(s)
    b = model().fit(s.sample(frac=1, random_state=1))
    patterns = s.groupby(["frequency", "recency", "T"]).size().rename("n").reset_index()
    c = model().fit(patterns.sample(frac=1, random_state=2), weights="n")
    assert np.array_equal(_params(a), _params(b))
    assert np.array_equal(_params(a), _params(c))


def test_gamma_gamma_and_bgbb_fits_depend_only_on_the_patterns():
    s = cv.rfm_summary(cv.datasets.transactions(3000, seed=3), amount="amount")
    r = s[s["frequency"] > 0]
    pairs = r.groupby(["frequency", "monetary_value"]).size().rename("n").reset_index()
    a, b = cv.GammaGamma().fit(r), cv.GammaGamma().fit(pairs.sample(frac=1, random_state=1), weights="n")
    assert np.array_equal(_params(a), _params(b))
    # the donations patterns written out as one row per donor, in a shuffled order
    d = cv.datasets.donations()
    rows = d.loc[d.index.repeat(d["weights"].astype(int))].drop(columns="weights")
    a = cv.BetaGeoBetaBinom().fit(rows.sample(frac=1, random_state=3))
    b = cv.BetaGeoBetaBinom().fit(d.sample(frac=1, random_state=4), weights="weights")
    assert np.array_equal(_params(a), _params(b))


def test_the_thread_count_changes_no_result():
    log = cv.datasets.transactions(20_000, seed=6)
    try:
        cv.set_num_threads(1)
        assert cv.get_num_threads() == 1
        one = cv.rfm_summary(log, amount="amount")
        fit_one = _params(cv.BetaGeo().fit(one))
    finally:
        cv.set_num_threads(None)
    many = cv.rfm_summary(log, amount="amount")
    pd.testing.assert_frame_equal(one, many, check_exact=True)
    assert np.array_equal(fit_one, _params(cv.BetaGeo().fit(many)))
    for bad in (-1, 1.5, "2", True):
        with pytest.raises(cv.ParameterError, match="argument 'n'"):
            cv.set_num_threads(bad)


# ---- Van Westendorp -----------------------------------------------------------------------------

SURVEY = cv.datasets.pricing_survey(2000, seed=3)
NMS = {"cheap": "intent_cheap", "expensive": "intent_expensive"}
VW_TABLES = ("table", "points", "ranges", "counts", "nms", "nms_optima")


def _vw_parts(data, k, seed, **kw):
    part = np.random.default_rng(seed).integers(0, k, len(data))
    return [cv.demand.VanWestendorpState.from_arrow(data[part == i], **kw) for i in range(k)]


@pytest.mark.parametrize(
    "kw",
    [{}, {"by": "segment"}, {"validate": "none"}, {"validate": "weak", "by": "segment"}, {"too_cheap": None}],
    ids=["plain", "by", "none", "weak-by", "no-too-cheap"],
)
def test_van_westendorp_from_merged_states_is_the_single_call_bit_for_bit(kw):
    # unweighted without NMS every sum is a whole number: exact in any order of merges
    one = cv.van_westendorp(SURVEY, **kw)
    merged = cv.demand.VanWestendorpState.merge_all(_vw_parts(SURVEY, 5, 1, **kw)[::-1])
    got = merged.finish()
    for name in VW_TABLES:
        a, b = getattr(got, name), getattr(one, name)
        assert (a is None and b is None) or a.equals(b), name
    assert (got.n_rows, got.n_invalid, got.warnings) == (one.n_rows, one.n_invalid, one.warnings)
    assert got.dropped.sort_index().index.equals(one.dropped.sort_index().index)


@pytest.mark.parametrize(
    "kw", [{"nms": NMS}, {"weights": "w"}, {"weights": "w", "nms": NMS, "by": "segment"}]
)
def test_van_westendorp_states_with_fractional_sums_agree_to_1e12(kw):
    # NMS slope changes and weights are fractions: their sums depend on the order in the last
    # bits, and the reach curve is a running sum of slope changes, so its error is absolute, on
    # the scale of the curve. Each numeric column agrees to 1e-12 of its largest value
    # (measured: under 1e-13); the points and optima, found by comparing those sums, agree.
    data = SURVEY.assign(w=np.random.default_rng(0).uniform(0.5, 2.0, len(SURVEY)))
    extra = {"cost": 5.0} if "nms" in kw else {}
    one = cv.van_westendorp(data, **kw, **extra)
    got = cv.demand.VanWestendorpState.merge_all(_vw_parts(data, 5, 2, **kw)).finish(**extra)
    for name in VW_TABLES:
        a, b = getattr(got, name), getattr(one, name)
        if a is None:
            assert b is None
            continue
        assert a.columns.equals(b.columns) and len(a) == len(b), name
        for col in a.columns:
            x, y = a[col], b[col]
            if pd.api.types.is_float_dtype(y):
                scale = np.nanmax(np.abs(y.to_numpy())) if y.notna().any() else 0.0
                np.testing.assert_allclose(x, y, rtol=0, atol=1e-12 * scale, err_msg=f"{name}.{col}")
            else:
                assert x.equals(y), f"{name}.{col}"
    pd.testing.assert_frame_equal(got.points[["point", "price"]], one.points[["point", "price"]])


def test_van_westendorp_state_rows_round_trip_and_refuse_what_they_cannot_do():
    parts = _vw_parts(SURVEY, 3, 4, by="segment")
    rows = pd.concat([p.to_arrow().to_pandas() for p in parts]).sample(frac=1, random_state=1)
    merged = parts[0].merge(parts[1]).merge(parts[2])
    again = pickle.loads(pickle.dumps(merged))
    assert again.finish().points.equals(cv.van_westendorp(SURVEY, by="segment").points)
    assert merged.n_respondents == len(SURVEY)
    assert len(rows) > merged.n_state_rows  # the same (segment, price) in several parts: merged
    with pytest.raises(cv.ParameterError, match="different options"):
        parts[0].merge(cv.demand.VanWestendorpState.from_arrow(SURVEY))
    with pytest.raises(cv.ParameterError, match="cost"):
        merged.finish(cost=3.0)
    empty = cv.demand.VanWestendorpState.from_arrow(SURVEY.iloc[:0])
    with pytest.raises(cv.InputError, match="no respondents"):
        empty.finish()
    assert (
        empty.merge(cv.demand.VanWestendorpState.from_arrow(SURVEY)).finish().pmc
        == cv.van_westendorp(SURVEY).pmc
    )


# ---- k-means over parts -------------------------------------------------------------------------

from customervalue.segmentation import scaleout  # noqa: E402


def _blobs(n, seed):
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0], [6, 0, 0], [0, 6, 0], [0, 0, 6], [6, 6, 6]], dtype=float)
    truth = rng.integers(0, len(centres), n)
    x = centres[truth] * [1.0, 10.0, 0.1] + rng.normal(size=(n, 3)) * [1.0, 10.0, 0.1]
    return pd.DataFrame(x, columns=["a", "b", "c"]), truth


def _over(parts):
    return lambda f: [f(i, p) for i, p in enumerate(parts)]


def _labels(fit, parts, n):
    out = np.empty(n, dtype=np.int64)
    for p in parts:
        out[p.index.to_numpy()] = fit.predict(p)
    return out


def test_moments_of_parts_standardize_as_the_single_call():
    df, _ = _blobs(5000, 1)
    states = [scaleout.MomentsState.from_arrow(df.iloc[i::6], ["a", "b", "c"]) for i in range(6)]
    got = scaleout.MomentsState.merge_all(states[::-1]).finish()
    np.testing.assert_allclose(got["mean"], df.mean(), rtol=1e-13)
    np.testing.assert_allclose(got["scale"], df.std(ddof=0), rtol=1e-13)
    assert (got["n"] == 5000).all()


def test_lloyd_over_parts_from_given_centres_equals_lloyd_over_the_whole():
    df, _ = _blobs(20_000, 2)
    feats = ["a", "b", "c"]
    init = np.random.default_rng(3).normal(size=(5, 3))
    parts = [df.iloc[i::9] for i in range(9)] + [df.iloc[:0]]
    split = scaleout.kmeans(_over(parts), feats, 5, init=init, tol=0.0)
    whole = scaleout.kmeans(_over([df]), feats, 5, init=init, tol=0.0)
    np.testing.assert_allclose(split.centers, whole.centers, rtol=1e-9, atol=1e-12)
    assert np.array_equal(_labels(split, parts, len(df)), whole.predict(df))
    assert split.n_iter == whole.n_iter and np.array_equal(split.counts, whole.counts)


def test_kmeans_parallel_over_parts_finds_the_single_fit_on_planted_clusters():
    from sklearn.metrics import adjusted_rand_score

    df, truth = _blobs(30_000, 4)
    feats = ["a", "b", "c"]
    parts = [df.iloc[i::8] for i in range(8)]
    fit = scaleout.kmeans(_over(parts), feats, 5, seed=11)
    again = scaleout.kmeans(_over(parts), feats, 5, seed=11)
    assert np.array_equal(fit.centers, again.centers)  # deterministic for a partitioning and seed
    one = cv.cluster(df, features=feats, k=5, seed=0)
    labels = _labels(fit, parts, len(df))
    assert adjusted_rand_score(one.labels_, labels) >= 0.99
    assert adjusted_rand_score(truth, labels) >= 0.99
    assert abs(fit.inertia - one.inertia_) <= 1e-3 * one.inertia_
    # centres in the features' units, near the single fit's (matched by label overlap)
    assert fit.centers_original_units.shape == (5, 3)


def test_kmeans_over_parts_refuses_what_it_cannot_do():
    df, _ = _blobs(30, 5)
    with pytest.raises(cv.ParameterError, match="argument 'k'"):
        scaleout.kmeans(_over([df]), ["a", "b", "c"], 31)
    with pytest.raises(cv.ParameterError, match="argument 'k'"):
        scaleout.kmeans(_over([df]), ["a", "b", "c"], 0)
    with pytest.raises(cv.InputError, match="'zz'"):
        scaleout.kmeans(_over([df]), ["a", "zz"], 2)


# ---- theme x metadata grid ----------------------------------------------------------------------

CUSTOMERS = cv.datasets.customers(2500, seed=4)
THEMES = [c for c in CUSTOMERS.columns if c.startswith("theme_")]


@pytest.mark.parametrize(
    "kw",
    [
        {"metadata": ["region", "age", "income"]},
        {"metadata": ["region", "product", "age"], "by": "wave"},
        {"metadata": ["region", "nps"], "categorical": ["nps"]},
        {"metadata": ["product", "tenure_months"], "missing": "pairwise"},
    ],
    ids=["plain", "by", "integer-levels", "pairwise"],
)
def test_theme_grid_from_merged_states_is_the_single_call_bit_for_bit(kw):
    # every test is a function of counts per level or distinct value; the single call computes
    # them in the same canonical order, so even permutation p-values agree to the bit
    data = CUSTOMERS.assign(wave=np.where(np.arange(len(CUSTOMERS)) % 3 == 0, "w1", "w2"))
    data.loc[data.index[::41], "tenure_months"] = np.nan
    one = cv.theme_associations(data, themes=THEMES, profiles=False, n_permutations=300, **kw)
    part = np.random.default_rng(5).integers(0, 6, len(data))
    states = [cv.themes.ThemeGridState.from_arrow(data[part == i], themes=THEMES, **kw) for i in range(6)]
    got = _merge_in_order(states, np.random.default_rng(6).permutation(6), tree=True).finish(
        n_permutations=300
    )
    assert got.table.equals(one.table)
    assert got.highlights == one.highlights
    assert (got.n_rows, got.n_missing) == (one.n_rows, one.n_missing)


def test_theme_grid_state_rows_round_trip_and_keep_a_categorical_order():
    # region is a categorical whose categories are not sorted; reversed here, to be sure
    region = CUSTOMERS["region"]
    data = CUSTOMERS.assign(region=region.cat.reorder_categories(region.cat.categories[::-1]))
    kw = {"themes": THEMES[:2], "metadata": ["region", "age"]}
    states = [cv.themes.ThemeGridState.from_arrow(data.iloc[i::4], **kw) for i in range(4)]
    rows = pd.concat([s.to_arrow().to_pandas() for s in states]).sample(frac=1, random_state=3)
    merged = cv.themes.ThemeGridState.merge_all(states)
    assert len(rows) > merged.n_state_rows
    got = pickle.loads(pickle.dumps(merged)).finish()
    assert got.table.equals(cv.theme_associations(data, profiles=False, **kw).table)
    with pytest.raises(cv.ParameterError, match="different options"):
        states[0].merge(cv.themes.ThemeGridState.from_arrow(CUSTOMERS, themes=THEMES[:2], metadata=["age"]))


def test_summaries_merge_and_concatenate_with_their_row_accounting():
    # pandas compares the attrs of the tables it merges or concatenates; the dropped rows kept
    # there compare as a whole, so this works (it raised "truth value of a DataFrame is ambiguous")
    a = cv.rfm_summary(LOG, amount="amount")
    b = cv.rfm_summary(LOG, amount="amount")
    merged = a.merge(b, left_index=True, right_index=True, suffixes=("", "_again"))
    assert len(merged) == len(a) and merged.attrs["n_rows"] == a.attrs["n_rows"]
    assert len(pd.concat([a, b])) == 2 * len(a)
    assert a.attrs["dropped"] == b.attrs["dropped"] and not (a.attrs["dropped"] != b.attrs["dropped"])
    assert list(a.attrs["dropped"].columns) == ["reason"]


# ---- demand curves and Gabor-Granger read price by price ----------------------------------------

#: With weights, each price's weight sum adds the same terms in another order. Measured on
#: 200,000 respondents of datasets.pricing_survey in 16 parts: the demand curve within 6.4e-16
#: relative, Gabor-Granger (shares of sums over 1.8M answers) within 2.5e-14.
CURVE_RTOL, LADDER_RTOL = 1e-14, 1e-12


def _survey(rng, n, holes):
    """A random WTP survey: whole and fractional prices, zeros, text and integer groups."""
    prices = np.array([0.0, 5.0, 9.99, 10.0, 12.5, 20.0, 35.0, 50.0, 99.0, 100.0])
    data = pd.DataFrame(
        {
            "wtp": rng.choice(prices, n) + np.where(rng.random(n) < 0.2, rng.integers(0, 50, n), 0),
            "w": rng.choice([0.0, 0.25, 0.5, 1.0, 1.5, 2.0], n),
            "segment": rng.choice(["a", "b", "c"], n),
            "code": rng.choice([2, 10, 33], n),
        },
        index=pd.RangeIndex(n) * 2 + 5,
    )
    if holes:
        data.loc[data.index[rng.random(n) < 0.1], "wtp"] = np.nan
    return data


def _curves_equal(got, want, rtol=0.0):
    for name in ("table", "optima"):
        a, b = getattr(got, name), getattr(want, name)
        if rtol == 0.0:
            pd.testing.assert_frame_equal(a, b, check_exact=True, obj=name)
        else:
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=rtol, atol=0.0, obj=name)


@pytest.mark.filterwarnings("ignore::customervalue.DataDroppedWarning")
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    k=st.integers(1, 6),
    by=st.sampled_from([None, "segment", "code"]),
    holes=st.booleans(),
    tree=st.booleans(),
)
def test_demand_curve_states_of_random_splits_merged_in_random_order_equal_the_single_call(
    seed, k, by, holes, tree
):
    rng = np.random.default_rng(seed)
    data = _survey(rng, int(rng.integers(1, 300)), holes)
    kw = {"by": by, "missing": "drop"}
    part = rng.integers(0, k, len(data))  # some parts may be empty
    states = [cv.demand.DemandCurveState.from_arrow(data[part == i], "wtp", **kw) for i in range(k)]
    merged = _merge_in_order(states, rng.permutation(k), tree)
    try:
        want = cv.demand_curve(data, wtp="wtp", cost=7.5, **kw)
    except cv.InputError as e:  # every WTP zero, or every row missing: the same error
        with pytest.raises(cv.InputError) as got_error:
            merged.finish(cost=7.5)
        assert str(got_error.value) == str(e)
        return
    got = merged.finish(cost=7.5)
    _curves_equal(got, want)  # bit for bit: every sum is a whole number
    assert (got.n_rows, got.n_missing, got.n_invalid) == (want.n_rows, want.n_missing, want.n_invalid)
    pd.testing.assert_frame_equal(got.dropped.sort_index(), want.dropped)
    assert got.warnings == tuple(w for w in want.warnings if "were dropped" not in w)
    if by is None:
        assert (got.revenue_optimal_price, got.profit_optimal_price) == (
            want.revenue_optimal_price,
            want.profit_optimal_price,
        )


@pytest.mark.parametrize("by", [None, "segment", "code"])
def test_weighted_demand_curve_states_agree_to_the_stated_tolerance(by):
    rng = np.random.default_rng(8)
    data = _survey(rng, 3000, holes=False).assign(w=rng.uniform(0.1, 3.0, 3000))
    part = rng.integers(0, 7, len(data))
    states = [
        cv.demand.DemandCurveState.from_arrow(data[part == i], "wtp", weights="w", by=by) for i in range(7)
    ]
    got = cv.demand.DemandCurveState.merge_all(states[::-1]).finish(market_size=1e6)
    want = cv.demand_curve(data, wtp="wtp", weights="w", by=by, market_size=1e6)
    _curves_equal(got, want, rtol=CURVE_RTOL)
    assert got.weights == "w" and got.optima["n"].tolist() == want.optima["n"].tolist()
    # weights that are sums of halves and quarters add exactly in any order: bit for bit
    halves = data.assign(w=rng.choice([0.25, 0.5, 1.0, 1.5], len(data)))
    states = [
        cv.demand.DemandCurveState.from_arrow(halves[part == i], "wtp", weights="w", by=by) for i in range(7)
    ]
    got = cv.demand.DemandCurveState.merge_all(states).finish()
    _curves_equal(got, cv.demand_curve(halves, wtp="wtp", weights="w", by=by))
    # weights summing to zero: the single call's error, naming the weights column
    zero = data.assign(w=0.0)
    with pytest.raises(cv.InputError) as single:
        cv.demand_curve(zero, wtp="wtp", weights="w")
    with pytest.raises(cv.InputError) as state:
        cv.demand.DemandCurveState.from_arrow(zero, "wtp", weights="w").finish()
    assert str(state.value) == str(single.value) == "column 'w': weights sum to zero"


def test_demand_curve_state_rows_round_trip_and_refuse_what_they_cannot_do():
    segment = pd.Categorical(SURVEY["segment"])
    data = SURVEY.assign(segment=segment.reorder_categories(segment.categories[::-1]))
    states = [cv.demand.DemandCurveState.from_arrow(data.iloc[i::3], "wtp", by="segment") for i in range(3)]
    rows = pd.concat([s.to_arrow().to_pandas() for s in states]).sample(frac=1, random_state=1)
    merged = cv.demand.DemandCurveState.merge_all(states)
    want = cv.demand_curve(data, wtp="wtp", by="segment")
    assert len(rows) > merged.n_state_rows and merged.n_respondents == len(data)
    _curves_equal(pickle.loads(pickle.dumps(merged)).finish(), want)  # the categories' order kept
    back = cv.demand.DemandCurveState.from_state(
        rows, "wtp", by="segment", levels=segment.categories[::-1].tolist()
    )
    _curves_equal(back.finish(), want)
    assert back.finish().n_rows == len(data)
    with pytest.raises(cv.InputError, match=r"state rows need the columns \['price', 'n'\]"):
        cv.demand.DemandCurveState.from_state(rows, "wtp")
    with pytest.raises(cv.ParameterError, match="different options"):
        states[0].merge(cv.demand.DemandCurveState.from_arrow(data, "wtp"))
    # the single call's errors, naming the row among the part's rows as the single call does
    bad = SURVEY.assign(w=1.0)
    bad.loc[bad.index[7], "wtp"] = -2.5
    bad.loc[bad.index[9], "w"] = -1e-7
    for kw in ({}, {"weights": "w"}):
        with pytest.raises(cv.InputError) as single:
            cv.demand_curve(bad.iloc[8:] if kw else bad, wtp="wtp", **kw)
        with pytest.raises(cv.InputError) as state:
            cv.demand.DemandCurveState.from_arrow(bad.iloc[8:] if kw else bad, "wtp", **kw)
        assert str(state.value) == str(single.value)
    with pytest.raises(cv.InputError, match="'wtp': 1 missing value"):
        cv.demand.DemandCurveState.from_arrow(
            SURVEY.assign(wtp=SURVEY["wtp"].where(SURVEY.index != 3)), "wtp"
        )
    empty = cv.demand.DemandCurveState.from_arrow(SURVEY.iloc[:0], "wtp")
    with pytest.raises(cv.InputError, match=r"the table is empty \(0 rows\)"):
        empty.finish()
    plain = cv.demand.DemandCurveState.from_arrow(SURVEY, "wtp")
    with pytest.raises(cv.ParameterError, match="premium_test resamples"):
        plain.merge(empty).finish().premium_test(20, 30)


def _ladder(rng, n):
    prices = np.array([10.0, 20.0, 30.0, 45.0, 60.0])
    return pd.DataFrame(
        {
            "price": rng.choice(prices, n),
            "buy": rng.random(n) < 0.5,
            "w": rng.choice([0.5, 1.0, 2.0], n),
        }
    )


@pytest.mark.filterwarnings("ignore:demand rises with price")  # random answers: not monotone
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 6), weighted=st.booleans(), tree=st.booleans())
def test_gabor_granger_states_of_random_splits_merged_in_random_order_equal_the_single_call(
    seed, k, weighted, tree
):
    rng = np.random.default_rng(seed)
    data = _ladder(rng, int(rng.integers(1, 400)))
    kw = {"weights": "w" if weighted else None}
    part = rng.integers(0, k, len(data))
    states = [cv.demand.GaborGrangerState.from_arrow(data[part == i], **kw) for i in range(k)]
    merged = _merge_in_order(states, rng.permutation(k), tree)
    want = cv.gabor_granger(data, cost=12.0, kind="arc", **kw)
    got = merged.finish(cost=12.0, kind="arc")
    # halves, ones and twos: every sum is exact, weighted too
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)
    for field in ("revenue_optimal_price", "profit_optimal_price", "n", "n_rows", "warnings"):
        assert getattr(got, field) == getattr(want, field), field


@pytest.mark.filterwarnings("ignore:demand rises with price")
def test_gabor_granger_states_with_fractional_weights_and_their_rows():
    rng = np.random.default_rng(3)
    data = _ladder(rng, 5000).assign(w=rng.uniform(0.1, 3.0, 5000))
    data.loc[[4, 900], "price"] = np.nan
    states = [
        cv.demand.GaborGrangerState.from_arrow(data.iloc[i::4], weights="w", missing="drop") for i in range(4)
    ]
    got = cv.demand.GaborGrangerState.merge_all(states).finish(market_size=1e5)
    want = cv.gabor_granger(data, weights="w", missing="drop", market_size=1e5)
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=False, rtol=LADDER_RTOL, atol=0.0)
    assert got.n == pytest.approx(want.n, rel=LADDER_RTOL)
    assert (got.n_rows, got.n_missing) == (want.n_rows, want.n_missing) == (5000, 2)
    pd.testing.assert_frame_equal(got.dropped.sort_index(), want.dropped)
    rows = pd.concat([s.to_arrow().to_pandas() for s in states]).sample(frac=1, random_state=2)
    back = cv.demand.GaborGrangerState.from_state(rows, weights="w").finish(market_size=1e5)
    pd.testing.assert_frame_equal(back.table, got.table, check_exact=False, rtol=LADDER_RTOL, atol=0.0)
    bad = data.assign(price=data["price"].fillna(20.0))
    bad.loc[11, "price"] = -5.0
    with pytest.raises(cv.InputError) as single:
        cv.gabor_granger(bad)
    with pytest.raises(cv.InputError) as state:
        cv.demand.GaborGrangerState.from_arrow(bad)
    assert str(state.value) == str(single.value) and "row 11 holds -5" in str(single.value)
    with pytest.raises(cv.InputError, match="'buy': expected booleans or 0/1"):
        cv.demand.GaborGrangerState.from_arrow(bad.assign(buy=2))
