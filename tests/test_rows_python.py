"""The analyses written in Python keep the caller's rows and report their drops (issue 14, items 6
and 8), on pandas, polars and pyarrow input alike: per-row outputs carry the input's index (the
pandas index; the row position for polars and pyarrow), and ``.dropped`` names the dropped rows
by the same labels."""

from __future__ import annotations

import warnings

import customervalue as cv
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from test_rows import KINDS, as_kind, labels_of


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    """Customers on a shuffled, non-default index, with gaps punched into a few columns."""
    df = cv.datasets.customers(240, seed=3).sample(frac=1.0, random_state=5)
    df.index = pd.Index([f"c{i:03d}" for i in range(len(df))], name="customer")
    for col in ("recency_days", "frequency", "nps", "csat", "effort"):
        df[col] = df[col].astype(float)
    return df


HOLES = [2, 7, 19]  # the row positions given a missing value


def with_holes(df: pd.DataFrame, *columns: str, rows: list[int] = HOLES) -> pd.DataFrame:
    out = df.copy()
    for c in columns:
        out.iloc[rows, out.columns.get_loc(c)] = np.nan
    return out


def quiet(fn, *args, **kwargs):
    """Calls ``fn`` with DataDroppedWarning silenced (small tables drop more than 5%)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cv.DataDroppedWarning)
        return fn(*args, **kwargs)


def assert_dropped(result, want: pd.Index, rows: list[int] = HOLES) -> None:
    """``result.dropped`` lists exactly the rows at ``rows`` of the input, as missing."""
    assert list(result.dropped.index) == list(want[rows])
    assert set(result.dropped["reason"]) == {"missing"}
    assert (result.n_rows, result.n_missing, result.n_invalid) == (len(want), len(rows), 0)


def kept(want: pd.Index, rows: list[int] = HOLES) -> pd.Index:
    return want.delete(rows)


# -- segmentation ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_segment_labels_sit_on_the_input_rows(people, kind):
    seg = cv.segment(as_kind(people, kind), {"age": [35, 55], "region": None})
    want = labels_of(people, kind)
    assert seg.index.equals(want)
    # the labels follow the rows: assigning them back to the frame lines up
    if kind == "pandas":
        young = people["age"] < 35
        assert seg[young].str.startswith("age <35").all()


@pytest.mark.parametrize("kind", KINDS)
def test_rfm_scores_drop_rows_missing_a_measure_and_name_them(people, kind):
    holes = with_holes(people, "recency_days")
    data = as_kind(holes, kind)
    with pytest.raises(cv.InputError, match="'recency_days'.*missing='drop'"):
        cv.rfm_scores(data, recency="recency_days", frequency="frequency")
    r = quiet(cv.rfm_scores, data, recency="recency_days", frequency="frequency", missing="drop")
    want = labels_of(people, kind)
    assert r.table.index.equals(kept(want))
    assert_dropped(r, want)
    assert "dropped" in r.summary()


@pytest.mark.parametrize("kind", KINDS)
def test_compare_groupings_lists_rows_missing_a_feature_value_or_label(people, kind):
    holes = with_holes(people, "frequency")
    holes.iloc[[30], holes.columns.get_loc("monetary")] = np.nan
    data = as_kind(holes, kind)
    groupings = {"region": "region", "product": "product"}
    with pytest.raises(cv.InputError, match="'frequency'.*missing='drop'"):
        cv.compare_groupings(data, groupings=groupings, features=["frequency", "age"], value="monetary")
    r = quiet(
        cv.compare_groupings,
        data,
        groupings=groupings,
        features=["frequency", "age"],
        value="monetary",
        missing="drop",
    )
    want = labels_of(people, kind)
    assert_dropped(r, want, [*HOLES, 30])
    assert r.crosstab.groupby("pair")["count"].sum().iloc[0] == len(people) - 4


@pytest.mark.parametrize("kind", KINDS)
def test_compare_groupings_aligns_groupings_on_the_rows_and_skips_unclustered_ones(people, kind):
    data = as_kind(people, kind)
    want = labels_of(people, kind)
    # a grouping given as a Series in another order lines up with the table's rows
    seg = cv.segment(data, {"region": None})
    shuffled = seg.sample(frac=1.0, random_state=9)
    r = cv.compare_groupings(
        data, groupings={"column": "region", "shuffled": shuffled}, features=["frequency", "age"]
    )
    assert r.agreement["adjusted_rand"].iloc[0] == pytest.approx(1.0)
    # rows a clustering dropped have no label: compared without them, listed in .dropped
    holes = as_kind(with_holes(people, "income"), kind)
    clusters = quiet(cv.cluster, holes, features=["income", "age"], k=3, missing="drop")
    with pytest.raises(cv.InputError, match="'clusters'.*missing"):
        cv.compare_groupings(holes, groupings={"clusters": clusters}, features=["age"])
    r = quiet(
        cv.compare_groupings,
        holes,
        groupings={"clusters": clusters, "region": "region"},
        features=["age"],
        missing="drop",
    )
    assert_dropped(r, want)
    assert "-1" not in set(r.crosstab["group_a"])


# -- economic value ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_economic_value_keeps_driver_rows_and_lists_the_dropped(kind):
    drivers = pd.DataFrame(
        {"driver": ["speed", "support", "setup", "uptime"], "value": [350.0, np.nan, -40.0, 200.0]},
        index=pd.Index(["d1", "d2", "d3", "d4"], name="line"),
    )
    data = as_kind(drivers, kind)
    with pytest.raises(cv.InputError, match="'value'.*missing='drop'"):
        cv.economic_value(data, reference_value=300)
    ev = quiet(cv.economic_value, data, reference_value=300, missing="drop")
    want = labels_of(drivers, kind)
    assert ev.economic_value == 300 + 350 + 200 - 40
    assert ev.drivers.index.equals(want.delete(1))
    assert_dropped(ev, want, [1])


@pytest.mark.parametrize("kind", KINDS)
def test_value_map_profile_keeps_the_attribute_rows(kind):
    profile = pd.DataFrame(
        {"attribute": ["quality", "service"], "weight": [60, 40], "us": [8, 6], "them": [6, 6]},
        index=["a1", "a2"],
    )
    vm = cv.value_map(as_kind(profile, kind), ours="us", prices={"us": 110, "them": 100})
    assert vm.profile.index.equals(labels_of(profile, kind))
    assert (vm.n_rows, len(vm.dropped)) == (2, 0)


def test_value_quantification_counts_its_lines():
    benefits = pd.DataFrame({"name": ["time", "risk"], "value": [100.0, 20.0]})
    costs = pd.DataFrame({"name": ["licence"], "value": [60.0]})
    vq = cv.value_quantification(benefits, costs)
    assert (vq.n_rows, vq.n_missing, len(vq.dropped)) == (3, 0, 0)


# -- themes ------------------------------------------------------------------------------------


def texts_as(texts: pd.Series, kind: str):
    if kind == "pandas":
        return texts
    arr = pa.chunked_array([pa.array(texts.tolist(), pa.large_string())])
    return pl.Series("comment", texts.tolist()) if kind == "polars" else arr


@pytest.mark.parametrize("kind", KINDS)
def test_discovered_themes_sit_on_the_texts_rows(people, kind):
    texts = people["comment"].head(150)
    data = texts_as(texts, kind)
    r = cv.discover_themes(data, n_themes=3, seed=0)
    want = labels_of(texts.to_frame(), kind)
    assert r.weights_.index.equals(want) and r.labels.index.equals(want)
    assert (r.labels.to_numpy() == r.labels_).all() and r.n_rows == len(texts)
    new = texts.iloc[[5, 1, 9]]
    assigned = r.assign(texts_as(new, kind))
    assert assigned.index.equals(labels_of(new.to_frame(), kind))
    if kind == "pandas":  # the same text gets the same theme in the fit and in assign
        assert (assigned["theme"] == r.labels.loc[new.index]).all()


# -- opportunities and customer-experience metrics ----------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_opportunity_scores_list_the_dropped_respondents(people, kind):
    holes = with_holes(people, "importance_low_price")
    r = quiet(cv.opportunity_scores, as_kind(holes, kind), missing="drop")
    assert_dropped(r, labels_of(people, kind))
    assert (r.table["n"] == len(people) - len(HOLES)).all()


@pytest.mark.parametrize("kind", KINDS)
def test_survey_scores_name_dropped_rows_by_the_input_labels(people, kind):
    holes = with_holes(people, "nps", "csat")
    want = labels_of(people, kind)
    r = quiet(cv.metrics.nps, as_kind(holes, kind), column="nps", by="region", missing="drop")
    assert_dropped(r, want)
    cases = holes.assign(contacts=holes["csat"])  # whole numbers >= 1, missing in HOLES
    r = quiet(cv.metrics.first_contact_resolution, as_kind(cases, kind), contacts="contacts", missing="drop")
    assert_dropped(r, want)


def test_a_series_of_scores_keeps_its_index_and_aligns_its_segments(people):
    scores = with_holes(people, "nps")["nps"]
    r = quiet(cv.metrics.nps, scores, missing="drop")
    assert_dropped(r, people.index)
    # segment labels given as a Series in another order line up with the scores
    by = people["region"].sample(frac=1.0, random_state=2)
    aligned = cv.metrics.nps(people["nps"], by=by)
    expected = cv.metrics.nps(people, column="nps", by="region")
    pd.testing.assert_frame_equal(aligned.table.drop(columns="region"), expected.table.drop(columns="region"))
    # scores as a polars Series or a pyarrow array are numbered by position
    for column in (pl.Series("nps", scores.tolist()), pa.array(scores.tolist())):
        r = quiet(cv.metrics.nps, column, missing="drop")
        assert_dropped(r, pd.RangeIndex(len(scores)))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("log", ["subscriptions", "purchases"])
def test_churn_rate_reports_the_rows_it_dropped(kind, log):
    if log == "subscriptions":
        df = pd.DataFrame(
            {
                "id": [1, 2, 3, 4, 5, 6],
                "start": pd.to_datetime(["2024-01-05", None, "2024-01-09", "2024-02-01", None, "2024-01-20"]),
                "end": pd.to_datetime(["2024-02-10", None, "2024-03-01", None, None, None]),
            },
            index=list("abcdef"),
        )
        args = {"start": "start", "end": "end"}
    else:
        df = pd.DataFrame(
            {
                "id": [1, 1, 2, 2, 3, 3],
                "date": pd.to_datetime(["2024-01-05", None, "2024-01-09", "2024-03-01", None, "2024-02-20"]),
            },
            index=list("abcdef"),
        )
        args = {"date": "date", "inactivity": 2, "observation_end": "2024-09-30"}
    data = as_kind(df, kind)
    with pytest.raises(cv.InputError, match="missing='drop'"):
        cv.metrics.churn_rate(data, customer="id", period="M", **args)
    r = quiet(cv.metrics.churn_rate, data, customer="id", period="M", missing="drop", **args)
    assert_dropped(r, labels_of(df, kind), [1, 4])


@pytest.mark.parametrize("kind", KINDS)
def test_indices_score_the_kept_rows_and_list_the_dropped(people, kind):
    holes = with_holes(people, "frequency", "csat")
    data = as_kind(holes, kind)
    want = labels_of(people, kind)
    e = quiet(cv.metrics.engagement_index, data, ["frequency", "monetary"], normalize="z", missing="drop")
    assert e.scores.index.equals(kept(want))
    assert_dropped(e, want)
    x = quiet(
        cv.metrics.cx_index,
        data,
        ["csat", "effort"],
        scale={"csat": (1, 5), "effort": (1, 7)},
        missing="drop",
    )
    assert x.scores.index.equals(kept(want))
    assert_dropped(x, want)


@pytest.mark.parametrize("kind", KINDS)
def test_drop_warnings_name_the_analysis(people, kind):
    many = list(range(0, 240, 10))  # 24 of 240 rows: 10%, above the 5% that warns
    holes = as_kind(with_holes(people, "nps", "frequency", "csat", "importance_low_price", rows=many), kind)
    calls = {
        "nps": lambda: cv.metrics.nps(holes, column="nps", missing="drop"),
        "opportunity_scores": lambda: cv.opportunity_scores(holes, missing="drop"),
        "engagement_index": lambda: cv.metrics.engagement_index(
            holes, ["frequency", "monetary"], normalize="z", missing="drop"
        ),
        "cx_index": lambda: cv.metrics.cx_index(holes, ["csat"], missing="drop"),
        "rfm_scores": lambda: cv.rfm_scores(
            holes, recency="recency_days", frequency="frequency", missing="drop"
        ),
    }
    for what, call in calls.items():
        with pytest.warns(cv.DataDroppedWarning, match=rf"^{what}: 24 of 240 rows \(10%\)"):
            r = call()
        assert list(r.dropped.index) == list(labels_of(people, kind)[many]), what
