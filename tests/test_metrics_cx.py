"""Customer-experience metrics: formulas by hand, intervals against statsmodels, bad input."""

import doctest

import customervalue as cv
import customervalue.metrics._cx as cx_module
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from customervalue import InputError, ParameterError
from sklearn.metrics import roc_auc_score
from statsmodels.stats.proportion import proportion_confint

m = cv.metrics


def test_doctests_run():
    attempted = 0
    for module in cx_module.MODULES:  # the metrics live in three modules along their seams
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__
        attempted += result.attempted
    assert attempted >= 10


def test_metrics_is_a_submodule_with_economics_ratios():
    assert cv.metrics.ltv_to_cac is cv.ltv_to_cac
    assert cv.metrics.cac_payback(300.0, 50.0) == 6.0
    assert set(cx_module.__all__) <= set(cv.metrics.__all__)


# ---- NPS ----------------------------------------------------------------------------------


def test_nps_by_hand():
    scores = [10, 9, 9, 8, 7, 6, 3, 10, 9, 0]  # 5 promoters, 2 passives, 3 detractors
    t = m.nps(scores).table.iloc[0]
    assert (t["promoters"], t["passives"], t["detractors"], t["n"]) == (5, 2, 3, 10)
    assert t["nps"] == pytest.approx(20.0)
    assert t["se"] == pytest.approx(100 * np.sqrt((0.5 + 0.3 - 0.2**2) / 10))
    assert t["ci_low"] == pytest.approx(20 - 1.959964 * t["se"], rel=1e-6)


def test_nps_se_matches_the_variance_of_plus_minus_one_scores():
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 11, 2000)
    t = m.nps(scores).table.iloc[0]
    ternary = np.where(scores >= 9, 1.0, np.where(scores <= 6, -1.0, 0.0))
    assert t["nps"] == pytest.approx(100 * ternary.mean())
    assert t["se"] == pytest.approx(100 * ternary.std(ddof=0) / np.sqrt(len(scores)))


def test_nps_se_agrees_with_a_multinomial_simulation():
    p = np.array([0.25, 0.35, 0.40])  # detractor, passive, promoter
    n = 400
    rng = np.random.default_rng(7)
    draws = rng.multinomial(n, p, size=20000)
    simulated = 100 * (draws[:, 2] - draws[:, 0]) / n
    counts = (p * n).astype(int)
    scores = np.repeat([3, 7, 10], counts)
    se = m.nps(scores).table["se"].iloc[0]
    assert se == pytest.approx(simulated.std(), rel=0.03)


def test_nps_by_segment_equals_pandas_groupby(customers):
    r = m.nps(customers, column="nps", by="region")
    g = customers.groupby("region", observed=True)["nps"]
    expected = 100 * (g.apply(lambda s: (s >= 9).mean()) - g.apply(lambda s: (s <= 6).mean()))
    got = r.value
    assert list(got.index) == list(customers["region"].cat.categories)
    np.testing.assert_allclose(got.to_numpy(), expected.reindex(got.index).to_numpy())
    assert r.table["n"].sum() == len(customers)


def test_nps_accepts_series_arrays_polars_and_arrow(customers):
    small = customers[["nps", "region"]].head(500)
    expected = m.nps(small, column="nps", by="region").value
    from_series = m.nps(small["nps"], by=small["region"]).value
    from_polars = m.nps(pl.from_pandas(small), column="nps", by="region").value
    from_arrow = m.nps(pa.Table.from_pandas(small), column="nps", by="region").value
    for other in (from_series, from_polars, from_arrow):
        other.index = other.index.astype(str)
        np.testing.assert_allclose(other.reindex(expected.index.astype(str)).to_numpy(), expected.to_numpy())
    assert small.pipe(m.nps, column="nps").value == pytest.approx(m.nps(small["nps"].to_numpy()).value)


def test_nps_plot_and_summary(customers):
    r = m.nps(customers, column="nps", by="product")
    ax = r.plot()
    assert len(ax.patches) == customers["product"].nunique()
    assert "Net Promoter Score" in r.summary()
    assert r.to_arrow().num_rows == len(r.table)
    assert "<table" in r._repr_html_()


# ---- CSAT, CES, FCR ------------------------------------------------------------------------


def test_csat_wilson_matches_statsmodels(customers):
    r = m.csat(customers, column="csat", by="channel", ci=0.9)
    for row in r.table.itertuples():
        lo, hi = proportion_confint(row.count, row.n, alpha=0.1, method="wilson")
        assert row.ci_low == pytest.approx(100 * lo, rel=1e-10)
        assert row.ci_high == pytest.approx(100 * hi, rel=1e-10)
        seg = customers.loc[customers["channel"] == row.channel, "csat"]
        assert row.count == int((seg >= 4).sum())
        assert row.mean == pytest.approx(seg.mean())


def test_csat_top_box_and_scale():
    scores = [1, 2, 3, 4, 5, 5, 5, 4, 3, 2]
    assert m.csat(scores, top=1).value == pytest.approx(30.0)
    assert m.csat(scores, top=2).value == pytest.approx(50.0)
    assert m.csat([0, 1, 2, 3, 4, 4], scale=(0, 4)).value == pytest.approx(100 * 3 / 6)


def test_wilson_extremes_stay_in_range_and_match_statsmodels():
    for k, n in [(0, 7), (7, 7), (1, 1), (3, 1000)]:
        r = m.csat([5] * k + [1] * (n - k))
        lo, hi = proportion_confint(k, n, method="wilson")
        assert r.table["ci_low"].iloc[0] == pytest.approx(100 * lo, abs=1e-10)
        assert r.table["ci_high"].iloc[0] == pytest.approx(100 * hi, abs=1e-10)


def test_ces_effort_and_ease_directions(customers):
    effort = customers["effort"]
    r = m.ces(customers, column="effort")
    assert r.value == pytest.approx(100 * (effort <= 3).mean())
    row = r.table.iloc[0]
    half = 1.959964 * effort.std(ddof=1) / np.sqrt(len(effort))
    assert row["mean_ci_high"] - row["mean"] == pytest.approx(half, rel=1e-5)
    ease = m.ces(8 - effort, direction="ease", easy=3)
    assert ease.value == pytest.approx(r.value)
    lo, hi = proportion_confint(int((effort <= 3).sum()), len(effort), method="wilson")
    assert row["ci_low"] == pytest.approx(100 * lo)


def test_fcr_from_flags_and_from_contact_counts():
    cases = pd.DataFrame(
        {"contacts": [1, 1, 2, 1, 3, 1, 1, 2], "team": list("aabbaabb"), "resolved": [1, 1, 0, 1, 0, 1, 1, 0]}
    )
    by_count = m.first_contact_resolution(cases, contacts="contacts", by="team").table
    by_flag = m.first_contact_resolution(cases, "resolved", by="team").table
    assert by_count["fcr"].tolist() == pytest.approx([75.0, 50.0])
    assert by_flag["fcr"].tolist() == pytest.approx(by_count["fcr"].tolist())
    flags = m.first_contact_resolution(cases.assign(resolved=cases["resolved"].astype(bool)), "resolved")
    assert flags.value == pytest.approx(62.5)


# ---- churn and retention ------------------------------------------------------------------


def _subs():
    return pd.DataFrame(
        {
            "id": range(8),
            "start": pd.to_datetime(["2024-01-03"] * 5 + ["2024-02-10"] * 3),
            "end": pd.to_datetime(
                ["2024-01-20", "2024-03-05", None, None, "2024-05-02", "2024-02-25", None, "2024-04-01"]
            ),
        }
    )


def test_churn_rate_by_hand():
    r = m.churn_rate(
        _subs(), customer="id", start="start", end="end", period="M", observation_end="2024-04-30"
    )
    jan = r.table[r.table["cohort"] == pd.Period("2024-01", "M")]
    # January cohort of 5: one ends in Jan, one in Mar; the May end is after observation_end
    assert jan["at_risk"].tolist() == [5, 4, 4, 3]
    assert jan["churned"].tolist() == [1, 0, 1, 0]
    assert jan["churn_rate"].tolist() == pytest.approx([0.2, 0.0, 0.25, 0.0])
    assert jan["retention"].tolist() == pytest.approx([0.8, 0.8, 0.6, 0.6])
    feb = r.table[r.table["cohort"] == pd.Period("2024-02", "M")]
    assert feb["at_risk"].tolist() == [3, 2, 2]
    assert feb["churned"].tolist() == [1, 0, 1]
    lo, hi = proportion_confint(1, 3, method="wilson")
    assert feb["churn_ci_low"].iloc[0] == pytest.approx(lo)


def test_partial_last_period_is_not_counted():
    r = m.churn_rate(
        _subs(), customer="id", start="start", end="end", period="M", observation_end="2024-04-15"
    )
    assert r.table["period"].max() == 2  # April is not fully observed


def test_retention_is_the_product_of_survival_and_plots(customers):
    tx = cv.datasets.transactions(1500, seed=2)
    r = m.retention(tx, customer="customer_id", date="date", period="M", inactivity=3)
    for _, part in r.table.groupby("cohort"):
        assert part["retention"].to_numpy() == pytest.approx(np.cumprod(1 - part["churn_rate"].to_numpy()))
        assert (np.diff(part["at_risk"].to_numpy()) <= 0).all()
    total = tx.groupby("customer_id")["date"].min().dt.to_period("M").value_counts()
    first = r.table[r.table["period"] == 0].set_index("cohort")["at_risk"]
    assert first.sort_index().tolist() == total.sort_index().tolist()
    ax = r.plot()
    assert len(ax.get_lines()) == r.table["cohort"].nunique()
    assert r.survivor().shape[1] == r.table["cohort"].nunique()


def test_purchase_log_churn_rule_by_hand():
    tx = pd.DataFrame(
        {
            "c": [1, 1, 2, 3, 3],
            "d": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-01-09", "2024-01-10", "2024-05-01"]),
        }
    )
    r = m.churn_rate(tx, customer="c", date="d", period="M", inactivity=2, observation_end="2024-05-31")
    t = r.table
    # customer 2 churns in Feb (no purchase Feb-Mar), customer 1 in Mar; customer 3 is active
    assert t["at_risk"].tolist() == [3, 3, 2, 1, 1]
    assert t["churned"].tolist() == [0, 1, 1, 0, 0]


# ---- engagement index ---------------------------------------------------------------------


def _engaged(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)
    df = pd.DataFrame(
        {
            "visits": np.exp(1 + 0.4 * latent + 0.5 * rng.normal(size=n)),
            "minutes": 30 + 8 * latent + 10 * rng.normal(size=n),
            "spend": np.exp(6 + 0.1 * latent + 1.2 * rng.normal(size=n)),  # huge scale, weak signal
            "days_since": np.maximum(0, 20 - 6 * latent + 8 * rng.normal(size=n)),
        }
    )
    df["churned"] = (rng.random(n) < 1 / (1 + np.exp(1.0 + 1.2 * latent))).astype(int)
    return df


def test_engagement_auc_matches_sklearn():
    df = _engaged()
    r = m.engagement_index(
        df,
        ["visits", "minutes", "days_since"],
        normalize="z",
        reverse=["days_since"],
        validate_against="churned",
    )
    assert r.auc == pytest.approx(roc_auc_score(1 - df["churned"], r.scores))
    assert 0.6 < r.auc < 1
    assert r.table["weight"].tolist() == pytest.approx([1 / 3] * 3)
    assert r.table["variance_share"].sum() == pytest.approx(1.0)


def test_book_naive_is_dominated_by_the_largest_scale():
    df = _engaged()
    measures = ["visits", "minutes", "spend"]
    naive = m.engagement_index(df, measures, method="book_naive", validate_against="churned")
    share = naive.table.set_index("measure")["variance_share"]
    assert share["spend"] > 0.95
    assert naive.scores.corr(df["spend"]) > 0.99
    proper = m.engagement_index(df, measures, normalize="z", validate_against="churned")
    assert proper.auc > naive.auc + 0.05


def test_pca_and_supervised_weights():
    df = _engaged()
    measures = ["visits", "minutes", "days_since"]
    pca = m.engagement_index(df, measures, normalize="z", item_weights="pca", reverse=["days_since"])
    z = (df[measures] - df[measures].mean()) / df[measures].std()
    z["days_since"] *= -1
    vals, vecs = np.linalg.eigh(np.cov(z.to_numpy(), rowvar=False))
    v = vecs[:, -1] * np.sign(vecs[:, -1].sum())
    assert pca.table["weight"].to_numpy() == pytest.approx(v / np.abs(v).sum(), abs=1e-10)
    sup = m.engagement_index(
        df, measures, normalize="minmax", item_weights="supervised", validate_against="churned", seed=1
    )
    assert sup.auc_sample == "held-out half"
    assert np.abs(sup.table["weight"]).sum() == pytest.approx(1.0)
    again = m.engagement_index(
        df, measures, normalize="minmax", item_weights="supervised", validate_against="churned", seed=1
    )
    assert again.scores.equals(sup.scores)
    given = m.engagement_index(
        df, measures, normalize="z", item_weights={"visits": 2, "minutes": 1, "days_since": 1}
    )
    assert given.table["weight"].tolist() == pytest.approx([0.5, 0.25, 0.25])
    assert pca.plot() is not None


def test_engagement_needs_a_normalisation():
    with pytest.raises(ParameterError, match="'normalize'"):
        m.engagement_index(_engaged(), ["visits", "minutes"])


# ---- CX index -----------------------------------------------------------------------------


def test_cx_index_by_hand_and_interval():
    d = pd.DataFrame({"ease": [5, 4, 3, 5, 1, 2], "speed": [1, 3, 5, 5, 2, 2], "team": list("aaabbb")})
    r = m.cx_index(d, ["ease", "speed"], item_weights=[3, 1], by="team")
    ease = 100 * (d["ease"] - 1) / 4
    speed = 100 * (d["speed"] - 1) / 4
    per = 0.75 * ease + 0.25 * speed
    assert r.scores.to_numpy() == pytest.approx(per.to_numpy())
    a = r.table.set_index("team").loc["a"]
    assert a["index"] == pytest.approx(per[:3].mean())
    assert a["ci_high"] - a["index"] == pytest.approx(1.959964 * per[:3].std() / np.sqrt(3), rel=1e-5)
    assert a["pct_low"] == pytest.approx(0.0)
    assert r.table.set_index("team").loc["b", "pct_low"] == pytest.approx(100 * 2 / 3)  # 100, 6.25, 25


def test_cx_index_rank_flips_under_other_weights():
    # segment x is great on ease and poor on speed, y the reverse: the weights decide who wins
    d = pd.DataFrame({"ease": [5, 5, 2, 2], "speed": [2, 2, 5, 5], "seg": ["x", "x", "y", "y"]})
    r = m.cx_index(
        d,
        ["ease", "speed"],
        item_weights={"ease": 2, "speed": 1},
        by="seg",
        alternatives={"speed first": {"ease": 1, "speed": 2}},
    )
    s = r.sensitivity.set_index(["weighting", "seg"])["rank"]
    assert s[("chosen", "x")] == 1 and s[("speed first", "x")] == 2
    rr = r.rank_range.set_index("seg")
    assert (rr["best_rank"] == 1).all() and (rr["worst_rank"] == 2).all()
    assert "change rank" in r.summary()
    assert r.plot() is not None


def test_cx_index_reverse_items(customers):
    r = m.cx_index(
        customers, ["csat", "effort"], scale={"csat": (1, 5), "effort": (1, 7)}, reverse=["effort"]
    )
    expected = 0.5 * 100 * (customers["csat"] - 1) / 4 + 0.5 * 100 * (7 - customers["effort"]) / 6
    assert r.value == pytest.approx(expected.mean())


# ---- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "column"),
    [
        (lambda: m.nps(pd.DataFrame({"nps": [3, 11, 9]}), column="nps"), "nps"),
        (lambda: m.nps(pd.DataFrame({"rec": [3, -1]}), column="rec"), "rec"),
        (lambda: m.nps(pd.DataFrame({"nps": [3.5, 9.0]}), column="nps"), "nps"),
        (lambda: m.nps(pd.DataFrame({"nps": [3, np.nan]}), column="nps"), "nps"),
        (lambda: m.nps(pd.DataFrame({"nps": [3, 9]}), column="score"), "score"),
        (lambda: m.nps(pd.DataFrame({"nps": pd.Series([], dtype=int)}), column="nps"), "nps"),
        (lambda: m.nps(pd.DataFrame({"nps": ["a", "b"]}), column="nps"), "nps"),
        (lambda: m.csat(pd.DataFrame({"sat": [0, 5]}), column="sat"), "sat"),
        (lambda: m.csat(pd.DataFrame({"sat": [4, 5], "seg": [None, "a"]}), column="sat", by="seg"), "seg"),
        (lambda: m.ces(pd.DataFrame({"eff": [8, 1]}), column="eff"), "eff"),
        (lambda: m.first_contact_resolution(pd.DataFrame({"k": [0, 1]}), contacts="k"), "k"),
        (lambda: m.first_contact_resolution(pd.DataFrame({"r": [2, 1]}), "r"), "r"),
        (lambda: m.churn_rate(_subs(), customer="id", start="start", end="stop", period="M"), "stop"),
        (
            lambda: m.churn_rate(
                _subs().assign(end=pd.to_datetime("2023-12-01")),
                customer="id",
                start="start",
                end="end",
                period="M",
            ),
            "end",
        ),
        (lambda: m.engagement_index(_engaged(50), ["visits", "clicks"], normalize="z"), "clicks"),
        (
            lambda: m.engagement_index(
                _engaged(50).assign(churned=2), ["visits"], normalize="z", validate_against="churned"
            ),
            "churned",
        ),
        (lambda: m.cx_index(pd.DataFrame({"a": [1, 6]}), ["a"]), "a"),
        (lambda: m.cx_index(pd.DataFrame({"a": [1, np.nan]}), ["a"]), "a"),
    ],
)
def test_bad_input_names_the_column(call, column):
    with pytest.raises(InputError, match=f"'{column}'"):
        call()


def test_empty_segment_is_an_input_error():
    df = pd.DataFrame({"nps": [9, 3, 10], "seg": pd.Categorical(["a", "a", "b"], categories=["a", "b", "c"])})
    with pytest.raises(InputError, match="'seg'.*'c'"):
        m.nps(df, column="nps", by="seg")


def test_cohort_with_nobody_at_risk():
    subs = _subs()
    with pytest.raises(InputError, match="'cohort'.*2024-02"):
        m.churn_rate(subs, customer="id", start="start", end="end", period="M", observation_end="2024-02-20")


def test_missing_drop_reports_rows():
    r = m.nps(pd.DataFrame({"nps": [3, np.nan, 10, 9]}), column="nps", missing="drop")
    assert r.n_missing == 1 and r.table["n"].iloc[0] == 3 and list(r.dropped.index) == [1]


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: m.csat([1, 5], top=5), "top"),
        (lambda: m.csat([1, 5], scale=(5, 1)), "scale"),
        (lambda: m.nps([1, 5], ci=1.5), "ci"),
        (lambda: m.ces([1, 5], direction="up"), "direction"),
        (lambda: m.nps([1, 5], missing="ignore"), "missing"),
        (
            lambda: m.cx_index(pd.DataFrame({"a": [1], "b": [2]}), ["a", "b"], item_weights={"a": 1, "c": 1}),
            "item_weights",
        ),
        (
            lambda: m.cx_index(pd.DataFrame({"a": [1], "b": [2]}), ["a", "b"], item_weights=[1, 2, 3]),
            "item_weights",
        ),
        (lambda: m.engagement_index(_engaged(50), ["visits"], normalize="rank"), "normalize"),
        (
            lambda: m.engagement_index(
                _engaged(50), ["visits", "minutes"], normalize="z", item_weights={"visits": 1}
            ),
            "item_weights",
        ),
        (
            lambda: m.engagement_index(_engaged(50), ["visits"], normalize="z", item_weights="supervised"),
            "validate_against",
        ),
        (
            lambda: m.churn_rate(_subs(), customer="id", start="start", end="end", period="fortnight"),
            "period",
        ),
        (lambda: m.churn_rate(_subs(), customer="id", date="start", period="M"), "inactivity"),
        (lambda: m.first_contact_resolution(pd.DataFrame({"r": [1]})), "resolved"),
    ],
)
def test_bad_arguments_name_the_argument(call, argument):
    with pytest.raises(ParameterError, match=f"'{argument}"):
        call()


# ---- properties and table libraries -------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=300), st.floats(0.01, 0.5))
def test_nps_stays_in_range_and_its_interval_covers_it(scores, alpha):
    t = m.nps(scores, ci=1 - alpha).table.iloc[0]
    assert -100 <= t["ci_low"] <= t["nps"] <= t["ci_high"] <= 100
    assert t["promoters"] + t["passives"] + t["detractors"] == len(scores)
    shuffled = m.nps(list(reversed(scores)), ci=1 - alpha).table.iloc[0]
    assert shuffled["nps"] == pytest.approx(t["nps"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=300), st.integers(1, 4))
def test_csat_share_and_wilson_interval_are_ordered(scores, top):
    t = m.csat(scores, top=top).table.iloc[0]
    assert 0 <= t["ci_low"] <= t["csat"] <= t["ci_high"] <= 100
    wider = m.csat(scores, top=min(top + 1, 4)).table.iloc[0]
    assert wider["csat"] >= t["csat"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=2, max_size=80))
def test_cx_index_lies_between_its_items(rows):
    d = pd.DataFrame(rows, columns=["a", "b"])
    r = m.cx_index(d, ["a", "b"], item_weights=[2, 1], n_simulations=5)
    lo = np.minimum(d["a"], d["b"]).sub(1).mul(25)
    hi = np.maximum(d["a"], d["b"]).sub(1).mul(25)
    assert ((r.scores >= lo - 1e-9) & (r.scores <= hi + 1e-9)).all()


def test_other_functions_take_polars_and_arrow():
    df = _engaged(300)
    for data in (pl.from_pandas(df), pa.Table.from_pandas(df)):
        e = m.engagement_index(data, ["visits", "minutes"], normalize="z", validate_against="churned")
        assert e.auc == pytest.approx(
            m.engagement_index(df, ["visits", "minutes"], normalize="z", validate_against="churned").auc
        )
    subs = _subs()
    for data in (pl.from_pandas(subs), pa.Table.from_pandas(subs)):
        r = m.churn_rate(
            data, customer="id", start="start", end="end", period="M", observation_end="2024-04-30"
        )
        assert r.table["churned"].tolist() == [1, 0, 1, 0, 1, 0, 1]
    d = pd.DataFrame({"a": [1, 5, 3], "b": [2, 2, 4]})
    assert m.cx_index(pl.from_pandas(d), ["a", "b"]).value == pytest.approx(m.cx_index(d, ["a", "b"]).value)


@pytest.mark.parametrize(
    ("call", "column"),
    [
        (lambda: m.csat(pd.DataFrame({"sat": pd.Series([], dtype=int)}), column="sat"), "sat"),
        (lambda: m.engagement_index(_engaged().iloc[:0], ["visits"], normalize="z"), "visits"),
        (lambda: m.cx_index(pd.DataFrame({"a": pd.Series([], dtype=int)}), ["a"]), "a"),
        (lambda: m.churn_rate(_subs().iloc[:0], customer="id", start="start", end="end", period="M"), "id"),
        (
            lambda: m.first_contact_resolution(pd.DataFrame({"k": pd.Series([], dtype=int)}), contacts="k"),
            "k",
        ),
        (lambda: m.engagement_index(_engaged(50).assign(visits="x"), ["visits"], normalize="z"), "visits"),
    ],
)
def test_empty_tables_and_wrong_types_name_the_column(call, column):
    with pytest.raises(InputError, match=f"'{column}'"):
        call()


def test_cohorts_from_a_column_count_periods_from_each_start():
    subs = _subs().assign(plan=["basic", "pro"] * 4)
    r = m.churn_rate(
        subs, customer="id", start="start", end="end", period="M", cohort="plan", observation_end="2024-04-30"
    )
    basic = r.table[r.table["cohort"] == "basic"]
    # basic: ids 0, 2, 4 start in January (0 churns in month 0; 4 ends in May, unobserved),
    # id 6 starts in February and is active: three months observed for it, four for the others
    assert basic["at_risk"].tolist() == [4, 3, 3, 2]
    assert basic["churned"].tolist() == [1, 0, 0, 0]
    pro = r.table[r.table["cohort"] == "pro"]
    # pro: ids 1 (Jan, ends Mar: month 2), 3 (Jan, active), 5 (Feb, ends Feb: month 0),
    # 7 (Feb, ends Apr: month 2)
    assert pro["at_risk"].tolist() == [4, 3, 3, 1]
    assert pro["churned"].tolist() == [1, 0, 2, 0]


def test_repeated_subscription_ids_are_named():
    with pytest.raises(InputError, match="'id'.*repeated"):
        m.churn_rate(_subs().assign(id=1), customer="id", start="start", end="end", period="M")
