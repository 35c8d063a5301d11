"""Hostile input at the shared boundary (issue 18, classes 17-33 of the campaign): each defect
class is fixed once, where every public function passes (``customervalue._io`` for tables,
``customervalue._checks`` for arguments); these tests check the messages the campaign's
reproducers only check for a customervalue exception naming something."""

from __future__ import annotations

import inspect
import math
import re

import customervalue as cv
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from customervalue import _checks
from customervalue._checks import INT_MAX, SEED_MAX, as_date, as_int, as_option, as_scale, as_seed

NAN = float("nan")


def _log() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "b"],
            "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-15"]),
            "amount": [10.0, 20.0, 5.0],
        }
    )


def _impact_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"t0": [1, 0, 1, 0, 1, 0], "t1": [0, 0, 1, 1, 0, 1], "y": [1.0, 2.0, 3.0, 4.0, 5.0, 7.0]}
    )


# --------------------------------------------------------------------------------------------
# The shared checks
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), (7, 7), (np.int64(7), 7), (np.uint64(2**63 - 1), INT_MAX), (1e3, 1000), (np.float32(4.0), 4)],
)
def test_whole_numbers_of_any_kind_are_accepted(value, expected):
    out = as_int("n_boot", value)
    assert out == expected and type(out) is int


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (-1, "-1"),
        (2**63, str(2**63)),
        (NAN, "nan"),
        (math.inf, "inf"),
        (1.5, "1.5"),
        (None, "None"),
        ("3", "'3' (text)"),
        (True, "True (a bool)"),
        ([3], "[3]"),
    ],
)
def test_a_bad_count_names_the_argument_the_range_and_the_value(value, shown):
    with pytest.raises(cv.ParameterError) as err:
        as_int("n_boot", value)
    msg = str(err.value)
    assert msg.startswith("argument 'n_boot': must be a whole number from 0 to 2**63 - 1")
    assert msg.endswith(f"got {shown}")


def test_seeds_span_the_cores_u64_and_none_is_refused_with_the_default():
    assert as_seed(0) == 0 and as_seed(SEED_MAX) == SEED_MAX and as_seed(np.int64(5)) == 5
    for bad in (-1, SEED_MAX + 1, NAN, None, "0", 1.5):
        with pytest.raises(cv.ParameterError, match=r"argument 'seed': .* 2\*\*64 - 1 \(the default is 0"):
            as_seed(bad)


def test_options_name_the_allowed_values_and_refuse_none():
    assert as_option("missing", "drop", ["raise", "drop"]) == "drop"
    for bad in (None, 1, np.array(["drop"]), "Drop"):
        with pytest.raises(
            cv.ParameterError, match=r"argument 'missing': must be one of 'raise', 'drop', got"
        ):
            as_option("missing", bad, ["raise", "drop"])


def test_scales_are_pairs_of_whole_numbers():
    assert as_scale("scale", (1.0, np.int64(5))) == (1, 5)
    for bad in ((NAN, 5), 5, (1, 2, 3), ("1", "5"), (5, 1), (1, 1)):
        with pytest.raises(cv.ParameterError, match=r"argument 'scale': expected \(low, high\)"):
            as_scale("scale", bad)


def test_dates_outside_pandas_range_name_the_argument():
    assert as_date("observation_end", "2024-06-30") == pd.Timestamp("2024-06-30")
    assert as_date("observation_end", pd.Timestamp("2024-06-30 02:00", tz="Europe/Paris")) == pd.Timestamp(
        "2024-06-30"
    )
    for bad in ("2262-04-12", "2999-12-31", "1600-01-01"):
        with pytest.raises(cv.ParameterError, match=r"argument 'observation_end': .* is outside the dates"):
            as_date("observation_end", bad)
    for bad in ("not a date", pd.NaT, NAN):
        with pytest.raises(cv.ParameterError, match=r"argument 'observation_end': not a date"):
            as_date("observation_end", bad)


def test_check_args_coerces_on_entry_and_leaves_defaults_and_signatures_alone():
    @_checks.check_args(n=_checks.COUNT, seed=_checks.SEED)
    def draw(n, *, seed=0):
        return n, seed

    assert draw(1e2, seed=np.int64(3)) == (100, 3)
    assert draw(2) == (2, 0)
    assert list(inspect.signature(draw).parameters) == ["n", "seed"]
    assert set(draw.__checks__) == {"n", "seed"}
    with pytest.raises(TypeError):  # a wrong call keeps Python's own message
        draw()
    with pytest.raises(TypeError, match="has no parameter"):
        _checks.check_args(nope=_checks.COUNT)(draw.__wrapped__)


# Parameters with one meaning everywhere (DESIGN.md, vocabulary) whose bad values used to reach
# the core (pyo3's OverflowError/TypeError) or int() (ValueError): every public function taking
# one declares its check with @check_args, or checks it in its body with the same helpers.
VOCABULARY = {"seed", "n_boot", "n_permutations", "n_simulations", "n_init", "missing"}
CHECKED_IN_THE_BODY = {
    # economics/_limits.py: the shared as_int/as_seed plus the memory budgets of the draws
    "sample_params",
    "customer_lifetime_value",
    # drop_missing's check_choice, before any work
    "economic_value",
}


def _public_functions():
    from tests.campaign.test_campaign import public_callables

    for name in public_callables():
        owner, _, attr = name.rpartition(".")
        if owner in ("metrics", "datasets"):
            yield name, getattr(getattr(cv, owner), attr)
        elif owner:
            yield name, getattr(getattr(cv, owner, None) or getattr(cv.metrics, owner), attr)
        else:
            yield name, getattr(cv, name)


def test_every_vocabulary_argument_is_checked_on_entry():
    unchecked = []
    for name, fn in _public_functions():
        try:
            params = set(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            continue
        declared: set[str] = set()
        f = fn
        while f is not None:
            declared |= set(getattr(f, "__checks__", {}))
            f = getattr(f, "__wrapped__", None)
        missing = sorted((params & VOCABULARY) - declared)
        if missing and name.rpartition(".")[2] not in CHECKED_IN_THE_BODY:
            unchecked.append(f"{name}: {missing}")
    assert not unchecked, f"declare these with customervalue._checks.check_args: {unchecked}"


# --------------------------------------------------------------------------------------------
# Classes 19/20 and 33: integer arguments (counts, seeds) on their way to the core
# --------------------------------------------------------------------------------------------

BAD_INTEGERS = [
    (lambda **kw: cv.demand_curve(pd.DataFrame({"wtp": [10.0, 20.0]}), ci=0.9, **kw), "n_boot", -1),
    (lambda **kw: cv.demand_curve(pd.DataFrame({"wtp": [10.0, 20.0]}), ci=0.9, **kw), "n_boot", 2**64),
    (lambda **kw: cv.datasets.customers(**kw), "n", -1),
    (lambda **kw: cv.datasets.transactions(**kw), "n_customers", NAN),
    (lambda **kw: cv.theme_impact(_impact_frame(), ["t0", "t1"], "y", n_boot=5, **kw), "seed", 2**64),
    (lambda **kw: cv.theme_impact(_impact_frame(), ["t0", "t1"], "y", **kw), "n_permutations", -1),
    (lambda **kw: cv.theme_associations(_impact_frame(), ["t0"], ["t1"], **kw), "n_permutations", NAN),
    (lambda **kw: cv.key_drivers(_impact_frame(), ["t0", "t1"], "y", **kw), "n_boot", 1.5),
    (lambda **kw: cv.discover_themes(["price too high", "late delivery"], n_themes=2, **kw), "seed", None),
    (lambda **kw: cv.discover_themes(["price too high", "late delivery"], **kw), "n_themes", 0),
    (lambda **kw: cv.cluster(_impact_frame(), features=["y"], k=2, **kw), "n_init", 2**64),
    (lambda **kw: cv.cluster(_impact_frame(), features=["y"], k=2, **kw), "seed", -1),
    (lambda **kw: cv.metrics.cx_index(pd.DataFrame({"q0": [1, 5, 3]}), ["q0"], **kw), "seed", -1),
    (lambda **kw: cv.metrics.silhouette_score([[0.0], [1.0], [5.0]], [0, 0, 1], **kw), "seed", "0"),
]


@pytest.mark.parametrize(("call", "name", "value"), BAD_INTEGERS)
def test_a_bad_integer_argument_is_a_parameter_error_naming_it(call, name, value):
    with pytest.raises(cv.ParameterError, match=rf"argument '{name}': must be a whole number from"):
        call(**{name: value})


def test_van_westendorp_seed_nan_and_value_quantification_horizon_nan():
    survey = cv.datasets.pricing_survey(60, seed=0)
    with pytest.raises(cv.ParameterError, match=r"argument 'seed'.*got nan"):
        cv.van_westendorp(survey, ci=0.9, n_boot=10, seed=NAN)
    benefits = pd.DataFrame({"name": ["x"], "value": [100.0]})
    costs = pd.DataFrame({"name": ["y"], "value": [10.0]})
    with pytest.raises(cv.ParameterError, match=r"argument 'horizon'.*got nan"):
        cv.value_quantification(benefits, costs, horizon=NAN)


def test_integral_floats_and_numpy_integers_give_the_same_result_as_ints():
    df = _impact_frame()
    a = cv.theme_impact(df, ["t0", "t1"], "y", n_boot=5, seed=3)
    b = cv.theme_impact(df, ["t0", "t1"], "y", n_boot=5.0, seed=np.int64(3))
    pd.testing.assert_frame_equal(a.table, b.table)
    big = cv.theme_impact(df, ["t0", "t1"], "y", n_boot=5, seed=SEED_MAX)  # the largest u64
    assert big.table["ci_low"].notna().all()


def test_sklearn_twins_refuse_counts_the_core_cannot_take():
    pytest.importorskip("sklearn")
    from customervalue.sklearn import KMeans

    X = np.array([[0.0], [0.1], [5.0], [5.1]])
    with pytest.raises(cv.ParameterError, match=r"argument 'max_iter'.*2\*\*63 - 1"):
        KMeans(2, max_iter=2**64, random_state=0).fit(X)


def test_cluster_stability_seeds_wrap_within_u64():
    df = pd.DataFrame({"x": [0.0, 0.1, 0.2, 5.0, 5.1, 5.2, 9.0, 9.1]})
    res = cv.cluster(df, features=["x"], k=2, method="gmm", n_boot=2, seed=SEED_MAX)
    assert len(res.details["stability"]) == 2


# --------------------------------------------------------------------------------------------
# Class 18: None (or another non-text) for a text option
# --------------------------------------------------------------------------------------------

NONE_OPTIONS = [
    (lambda **kw: cv.ParetoNBD().fit(cv.datasets.cdnow().head(50), **kw), "missing", "'raise', 'drop'"),
    (lambda **kw: cv.GammaGamma().fit(cv.datasets.cdnow().head(50), **kw), "missing", "'raise', 'drop'"),
    (lambda **kw: cv.demand_curve(pd.DataFrame({"wtp": [1.0, 2.0]}), **kw), "missing", "'raise', 'drop'"),
    (lambda **kw: cv.rfm_summary(_log(), **kw), "time_unit", "'D', 'W', 'M', 'Y'"),
    (lambda **kw: cv.tag_themes(["too expensive"], {"price": ["expensive"]}, **kw), "language", "'english'"),
    (lambda **kw: cv.van_westendorp(cv.datasets.pricing_survey(30), **kw), "range", "'original', 'narrower'"),
    (lambda **kw: cv.theme_cooccurrence(_impact_frame(), ["t0", "t1"], **kw), "missing", "'raise', 'drop'"),
    (
        lambda **kw: cv.fit_price_response(
            pd.DataFrame({"price": [10.0, 12.0, 14.0], "quantity": [9.0, 8.0, 6.0]}), **kw
        ),
        "model",
        "'linear', 'constant_elasticity', 'logit'",
    ),
    (
        lambda **kw: cv.segment(pd.DataFrame({"r": ["a", "b"]}), {"r": None}, **kw),
        "missing",
        "'raise', 'label'",
    ),
    (lambda **kw: cv.stats.fisher_exact([[8, 2], [1, 5]], **kw), "alternative", "'two-sided'"),
]


@pytest.mark.parametrize(("call", "name", "allowed"), NONE_OPTIONS)
def test_none_for_a_text_option_names_the_argument_and_the_allowed_values(call, name, allowed):
    with pytest.raises(cv.ParameterError) as err:
        call(**{name: None})
    msg = str(err.value)
    assert (
        msg.startswith(f"argument '{name}': must be one of ") and allowed in msg and msg.endswith("got None")
    )


# --------------------------------------------------------------------------------------------
# Class 17: duplicate column names
# --------------------------------------------------------------------------------------------

DUP = r"column '{}': the table has 2 columns named '{}'.*drop or rename the duplicates"


def _dup_pandas() -> pd.DataFrame:
    df = pd.concat([pd.Series([10.0, 20.0, 30.0]), pd.Series([20.0, 10.0, 5.0])], axis=1)
    df.columns = ["wtp", "wtp"]
    return df


@pytest.mark.parametrize(
    "call",
    [
        lambda df: cv.demand_curve(df, wtp="wtp"),  # read by the core
        lambda df: cv.metrics.csat(df, column="wtp", scale=(0, 40)),  # read by pandas
        lambda df: cv.segment(df, {"wtp": [15]}),
        lambda df: cv.cluster(df, features=["wtp"], k=2),
    ],
)
@pytest.mark.parametrize("container", ["pandas", "arrow"])
def test_a_duplicated_column_is_an_input_error_naming_it(call, container):
    df = _dup_pandas()
    data = (
        df
        if container == "pandas"
        else pa.Table.from_arrays([pa.array(df.iloc[:, j]) for j in (0, 1)], ["wtp", "wtp"])
    )
    with pytest.raises(cv.InputError, match=DUP.format("wtp", "wtp")):
        call(data)


def test_a_duplicated_column_the_analysis_does_not_read_is_harmless():
    df = pd.concat([pd.Series([10.0, 20.0]), pd.Series(["a", "b"]), pd.Series(["c", "d"])], axis=1)
    df.columns = ["wtp", "note", "note"]
    assert cv.demand_curve(df, wtp="wtp").table["price"].tolist() == [10.0, 20.0]


def test_a_model_fit_on_an_arrow_table_with_a_repeated_column():
    t = pa.Table.from_arrays(
        [pa.array([1.0, 0.0]), pa.array([2.0, 0.0]), pa.array([5.0, 5.0]), pa.array([2.0, 0.0])],
        ["frequency", "recency", "T", "recency"],
    )
    with pytest.raises(cv.InputError, match=DUP.format("recency", "recency")):
        cv.BetaGeo().fit(t)


# --------------------------------------------------------------------------------------------
# Classes 28 and 31 (and the core's analyses): columns named by numbers
# --------------------------------------------------------------------------------------------


def test_first_contact_resolution_with_an_integer_column_name():
    df = pd.DataFrame({0: [1, 2, 1, 1]})
    assert cv.metrics.first_contact_resolution(df, contacts=0).value == 75.0


def test_a_segment_column_named_like_an_output_column_keeps_its_rows():
    df = pd.DataFrame({0: [0.0, 1.0], 1: ["x", "y"]})  # by=1 meets the distribution's point "1"
    r = cv.metrics.first_contact_resolution(df, resolved=0, by=1)
    assert r.by == "1 (segment)" and r.table["1 (segment)"].tolist() == ["x", "y"]
    r = cv.metrics.nps(pd.DataFrame({"s": [1, 9, 10, 7], "n": ["a", "a", "b", "b"]}), column="s", by="n")
    assert r.table["n"].tolist() == [2, 2] and r.value.index.tolist() == ["a", "b"]


def test_opportunity_scores_with_integer_column_names():
    d = pd.DataFrame({0: [5, 4, 3], 1: [3, 2, 4], 2: [4, 4, 5], 3: [5, 5, 1]})
    r = cv.opportunity_scores(d, importance=[0, 2], satisfaction=[1, 3], scale=(1, 5), top=2)
    assert sorted(r.table["outcome"]) == ["0", "2"]
    r = cv.opportunity_scores(
        d, importance=[0, 2], satisfaction=[1, 3], scale=(1, 5), top=2, competitor=[3, 1]
    )
    assert r.table["competitor"].notna().all()
    with pytest.raises(cv.InputError, match=r"column 'competitor_': no column is named so or starts with it"):
        cv.opportunity_scores(
            d, importance=[0, 2], satisfaction=[1, 3], scale=(1, 5), competitor="competitor_"
        )


def test_a_core_analysis_names_a_column_named_by_a_number_with_the_fix():
    df = pd.DataFrame({0: [10.0, 20.0]})
    with pytest.raises(cv.InputError, match=r"column 0: .*the int 0; rename the columns first"):
        cv.demand_curve(df, wtp=0)


def test_a_number_for_a_column_named_by_its_text_gets_a_hint():
    t = pa.table({"0": [10.0, 20.0]})
    with pytest.raises(
        cv.InputError, match=r"column '0': not found in the table \(it has '0' as str, not int: pass '0'\)"
    ):
        cv.demand_curve(t, wtp=0)


# --------------------------------------------------------------------------------------------
# Classes 22 and 27: columns of only missing values (Arrow's null type)
# --------------------------------------------------------------------------------------------


def _null_amount_polars() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "customer_id": ["c1", "c1", "c2"],
            "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01"]),
            "amount": [None, None, None],
        }
    )


def test_a_polars_null_column_is_a_column_of_missing_values():
    data = _null_amount_polars()
    assert str(data.schema["amount"]) == "Null"
    with pytest.raises(cv.InputError, match=r"column 'amount': 3 missing value\(s\)"):
        cv.rfm_summary(data, amount="amount")
    with pytest.raises(cv.InputError, match=r"no rows left after dropping missing values"):
        cv.rfm_summary(data, amount="amount", missing="drop")  # every row dropped
    out = cv.rfm_summary(data)  # the null column is not read
    assert out["frequency"].tolist() == [1, 0]


def test_a_polars_null_column_drops_its_rows():
    data = pl.DataFrame({"wtp": [10.0, 20.0, 30.0], "w": pl.Series([None, None, None], dtype=pl.Null)})
    with pytest.raises(cv.InputError, match=r"column 'w': 3 missing"):
        cv.demand_curve(data, wtp="wtp", weights="w")
    seg = pl.DataFrame({"t0": [True, False, True, False], "g": [None, None, None, None]})
    with pytest.raises(cv.InputError, match=r"column 'g'"):
        cv.theme_associations(seg, ["t0"], ["g"])


def test_an_empty_polars_frame_with_a_null_column():
    data = pl.DataFrame({"t0": pl.Series([], dtype=pl.Boolean), "wave": pl.Series([], dtype=pl.Int64)})
    data = data.with_columns(control=pl.Series([], dtype=pl.Null))
    with pytest.raises(cv.InputError):
        cv.compare_waves(data, ["t0"], "wave", control="control")


def test_segment_labels_an_all_null_dictionary_column_as_missing():
    t = pa.table({"region": pa.array([None, None, None]).dictionary_encode(), "x": [1, 2, 3]})
    assert cv.segment(t, {"region": None}, missing="label").tolist() == ["region missing"] * 3
    labels = cv.segment(t, {"region": None, "x": [2]}, missing="label").tolist()
    assert labels == ["region missing | x <2", "region missing | x >=2", "region missing | x >=2"]
    with pytest.raises(cv.InputError, match=r"column 'region': 3 missing values"):
        cv.segment(t, {"region": None})


# --------------------------------------------------------------------------------------------
# Class 23: observation_end / calibration_end past pandas' range
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["observation_end", "calibration_end"])
@pytest.mark.parametrize("when", ["2262-04-12", "2999-12-31"])
def test_rfm_summary_dates_past_2262_name_the_argument(name, when):
    with pytest.raises(cv.ParameterError, match=rf"argument '{name}': {when} 00:00:00 is outside the dates"):
        cv.rfm_summary(_log(), **{name: when})


def test_churn_rate_observation_end_past_2262():
    subs = pd.DataFrame({"id": [1, 2], "start": pd.to_datetime(["2024-01-05", "2024-03-05"])})
    subs["end"] = pd.NaT
    with pytest.raises(cv.ParameterError, match=r"argument 'observation_end': 2999-12-31"):
        cv.metrics.churn_rate(
            subs, customer="id", start="start", end="end", period="M", observation_end="2999-12-31"
        )


# --------------------------------------------------------------------------------------------
# Class 24: lone surrogates (text that UTF-8 cannot hold)
# --------------------------------------------------------------------------------------------

SURROGATE = (
    r"column '{}': row {} holds text that is not valid Unicode \(a lone surrogate, '\\ud800', "
    r"at character {}\)"
)


def test_a_lone_surrogate_in_an_id_names_the_column_and_the_row():
    log = _log()
    log.index = ["r1", "r2", "r3"]
    log["customer_id"] = pd.Series(["a", "a", "b\ud800"], index=log.index, dtype=object)
    with pytest.raises(cv.InputError, match=SURROGATE.format("customer_id", "'r3'", 1)) as err:
        cv.rfm_summary(log)
    assert ".str.encode('utf-8', 'replace')" in str(err.value)


def test_a_lone_surrogate_in_a_category_names_the_column():
    seg = pd.Categorical.from_codes([0, 1], categories=pd.Index(["a", "\ud800"], dtype=object))
    df = pd.DataFrame({"wtp": [10.0, 20.0], "seg": seg})
    with pytest.raises(cv.InputError, match=SURROGATE.format("seg", 1, 0)):
        cv.demand_curve(df, wtp="wtp", by="seg")


def test_a_lone_surrogate_in_texts_names_the_series_and_the_row():
    texts = pd.Series(["cheap", "\ud800 expensive"], index=[10, 20], name="comment", dtype=object)
    with pytest.raises(cv.InputError, match=SURROGATE.format("comment", 20, 0)):
        cv.tag_themes(texts, {"price": ["expensive"]})
    with pytest.raises(cv.InputError, match=SURROGATE.format("data", 0, 0)):
        cv.tag_themes(["\ud800 expensive", "cheap"], {"price": ["expensive"]})
    with pytest.raises(cv.InputError, match=SURROGATE.format("data", 1, 0)):
        cv.discover_themes(["late delivery", "\ud800 price"], n_themes=1)


def test_a_lone_surrogate_in_the_analyses_written_in_pandas():
    people = pd.DataFrame({"region": pd.Series(["a", "\ud800", "a"], dtype=object), "x": [0.0, 1.0, 5.0]})
    with pytest.raises(cv.InputError, match=SURROGATE.format("region", 1, 0)):
        cv.segment(people, {"region": None})
    levels = pd.Index(["a", "\ud800"], dtype=object)
    people["region"] = pd.Categorical.from_codes([0, 1, 0], categories=levels)
    with pytest.raises(cv.InputError, match=SURROGATE.format("region", 1, 0)):
        cv.cluster(people, features=["x", "region"], k=2, method="kprototypes")


def test_a_lone_surrogate_in_the_lexicon_is_a_parameter_error():
    with pytest.raises(
        cv.ParameterError, match=r"argument 'lexicon': theme 'price' holds text that is not valid"
    ):
        cv.tag_themes(["too expensive"], {"price": ["exp\ud800"]})


def test_messages_quote_names_as_the_campaign_reads_them():
    # the campaign's check: a message names a column or argument in quotes
    with pytest.raises(cv.ParameterError) as err:
        cv.discover_themes(["a b", "c d"], n_themes=1, seed=None)
    assert re.search(r"argument 'seed'", str(err.value)) and "the default is 0" in str(err.value)


# --------------------------------------------------------------------------------------------
# Found by the campaign's long profile next to the classes above
# --------------------------------------------------------------------------------------------


def test_other_options_and_counts_with_their_own_domains():
    subs = pd.DataFrame({"id": [1], "start": pd.to_datetime(["2024-01-01"]), "end": [pd.NaT]})
    with pytest.raises(cv.ParameterError, match=r"argument 'period': must be a pandas period alias"):
        cv.metrics.churn_rate(subs, customer="id", start="start", end="end", period=None)
    with pytest.raises(cv.ParameterError, match=r"argument 'date_format': '%Q' is not a strptime format"):
        cv.rfm_summary(pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-12"]}), date_format="%Q")
    with pytest.raises(cv.ParameterError, match=r"argument 'scale': .* has 1,000,000,000 points"):
        cv.metrics.csat([1, 2, 3], scale=(1, 10**9))
    people = pd.DataFrame({"age": [185.0, 20.0]})
    with pytest.raises(cv.ParameterError, match=r"'age' asks for 1,000,000,000 quantile bins, more than"):
        cv.segment(people, {"age": 10**9})
    for cuts in ([], ["x"], [NAN]):
        with pytest.raises(cv.ParameterError, match=r"'age' needs one or more finite cut points"):
            cv.segment(people, {"age": cuts})


def test_churn_rate_with_every_row_dropped():
    subs = pd.DataFrame(
        {"id": pd.array([None], dtype="Int64"), "start": pd.to_datetime(["2024-01-01"]), "end": [pd.NaT]}
    )
    with pytest.raises(cv.InputError, match=r"column 'id': no rows left after dropping missing values"):
        cv.metrics.retention(subs, customer="id", period="M", start="start", end="end", missing="drop")
