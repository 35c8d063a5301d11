"""polars and Arrow out (issue 17, item 5).

* Every result converts its main table (``table``) with ``to_polars()``, ``to_arrow()`` and the
  Arrow PyCapsule stream (``pl.DataFrame(result)``, ``pa.table(result)``); the same analysis on
  pandas, polars and pyarrow input gives equal tables.
* The pandas index becomes a column exactly when it carries meaning.
* The ``output`` option (``set_option`` / ``option_context``) turns the functions that return a
  table or column directly into polars or pyarrow ones, ``"auto"`` following the input; the
  package's own calls keep getting pandas.
* ``import customervalue.polars`` registers ``df.cv`` on polars DataFrames and
  ``import customervalue.pandas`` on pandas ones; ``import customervalue`` registers neither.
* Without polars, asking for polars is an ImportError that says what to install.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from customervalue import _io
from customervalue._compat import TABLE_FUNCTIONS
from customervalue._result import Result
from polars.testing import assert_frame_equal as assert_pl_equal
from polars.testing import assert_series_equal as assert_pl_series_equal

LIBRARIES = ("pandas", "polars", "pyarrow")
THEMES = ["theme_price", "theme_delivery", "theme_quality", "theme_support"]


def as_library(df: pd.DataFrame | pd.Series, library: str) -> Any:
    if library == "pandas":
        return df
    if isinstance(df, pd.Series):
        return pl.from_pandas(df) if library == "polars" else pa.Array.from_pandas(df)
    return pl.from_pandas(df) if library == "polars" else pa.Table.from_pandas(df, preserve_index=False)


# ---- the data, one frame per kind of analysis (default index: positions) ---------------------


def text_for_categories(df: pd.DataFrame) -> pd.DataFrame:
    return df.astype({c: str for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)})


@pytest.fixture(scope="module")
def tables() -> dict[str, Any]:
    # text rather than pandas categories: a polars Categorical does not carry the categories'
    # order, so results listing levels in that order would differ in row order, not in content
    people = text_for_categories(cv.datasets.customers(600, seed=0))
    survey = cv.datasets.pricing_survey(300, seed=0)
    prices = [20, 30, 40, 50, 60, 70, 80, 90, 100]
    gg = pd.DataFrame(
        {
            "respondent": np.repeat(survey["respondent_id"].to_numpy(), len(prices)),
            "price": np.tile(np.asarray(prices, dtype=float), len(survey)),
            "buy": survey[[f"buy_at_{p}" for p in prices]].to_numpy().ravel(),
        }
    )
    price = np.linspace(5.0, 20.0, 16)
    response = pd.DataFrame({"price": price, "quantity": 200.0 - 8.0 * price + np.sin(price)})
    waves = pd.concat(
        [
            people.assign(wave="before"),
            text_for_categories(cv.datasets.customers(600, seed=1)).assign(wave="after"),
        ],
        ignore_index=True,
    )
    return {
        "people": people,
        "survey": survey,
        "gg": gg,
        "response": response,
        "waves": waves,
        "comments": people["comment"],
        "drivers": pd.DataFrame({"driver": ["speed", "support", "uptime"], "value": [350, 100, 200]}),
        "conjoint": text_for_categories(cv.datasets.conjoint_survey(150, seed=0).drop(columns="true_class")),
        "maxdiff": pd.DataFrame(
            [
                (r, t, f"i{i}", i == b, i == w)
                for r in range(4)
                for t, (b, w) in enumerate([(0, 2), (1, 2), (0, 1), (2, 0)])
                for i in range(3)
            ],
            columns=["respondent_id", "task", "item", "best", "worst"],
        ),
        "kano": pd.DataFrame({"f": [1, 1, 3, 1, 2], "d": [5, 5, 5, 3, 4]}),
        "bundles": pd.DataFrame({"a": [90.0, 60, 40, 10, 55], "b": [10.0, 40, 60, 90, 50]}),
        "profile": pd.DataFrame(
            {
                "attribute": ["quality", "service"],
                "weight": [60, 40],
                "us": [8, 6],
                "them": [6, 6],
                "other": [6, 6],
            }
        ),
    }


# analysis -> (its table, the call); one of every result class a table-first function returns
ANALYSES: dict[str, tuple[str, Callable[[Any], Result]]] = {
    "demand_curve": ("survey", lambda d: cv.demand_curve(d, wtp="wtp")),
    "van_westendorp": ("survey", lambda d: cv.van_westendorp(d)),
    "gabor_granger": ("gg", lambda d: cv.gabor_granger(d, price="price", buy="buy", respondent="respondent")),
    "fit_price_response": (
        "response",
        lambda d: cv.fit_price_response(d, price="price", quantity="quantity"),
    ),
    "economic_value": ("drivers", lambda d: cv.economic_value(d, reference_value=300)),
    "value_map": (
        "profile",
        lambda d: cv.value_map(d, ours="us", prices={"us": 110, "them": 100, "other": 100}),
    ),
    "rfm_scores": (
        "people",
        lambda d: cv.rfm_scores(d, recency="recency_days", frequency="frequency", monetary="monetary"),
    ),
    "cluster": ("people", lambda d: cv.cluster(d, features=["age", "income", "frequency"], k=3, n_init=2)),
    "compare_groupings": (
        "people",
        lambda d: cv.compare_groupings(
            d, groupings={"region": "region", "product": "product"}, features=["age", "income"]
        ),
    ),
    "tag_themes": ("comments", lambda d: cv.tag_themes(d, {"price": ["expensive"], "delivery": ["late"]})),
    "discover_themes": ("comments", lambda d: cv.discover_themes(d, n_themes=3, n_init=1)),
    "theme_associations": (
        "people",
        lambda d: cv.theme_associations(d, THEMES, ["region", "age"], n_permutations=20, profiles=False),
    ),
    "theme_cooccurrence": ("people", lambda d: cv.theme_cooccurrence(d, THEMES)),
    "theme_impact": ("people", lambda d: cv.theme_impact(d, THEMES, "value_rating", n_permutations=20)),
    "key_drivers": (
        "people",
        lambda d: cv.key_drivers(d, ["nps", "csat", "effort"], "value_rating", n_permutations=20),
    ),
    "compare_waves": (
        "waves",
        lambda d: cv.compare_waves(d, ["theme_price"], "wave", "value_rating", before="before"),
    ),
    "opportunity_scores": ("people", lambda d: cv.opportunity_scores(d)),
    "fit_choice": (
        "conjoint",
        lambda d: cv.fit_choice(d, attributes=["brand", "storage", "battery"], price="price"),
    ),
    "maxdiff": ("maxdiff", lambda d: cv.maxdiff(d)),
    "kano": ("kano", lambda d: cv.kano(d, features={"speed": ("f", "d")})),
    "bundle_prices": ("bundles", lambda d: cv.bundle_prices(d, wtp=["a", "b"], costs=[5, 5])),
    "value_ladder": ("bundles", lambda d: cv.value_ladder(d, tier_wtp=["a", "b"], prices=[30, 60])),
}


def test_every_table_function_returning_a_result_is_exercised() -> None:
    direct = {"rfm_summary", "segment"}  # these return a table or column, not a result
    assert set(ANALYSES) | direct == set(TABLE_FUNCTIONS)


@pytest.fixture(scope="module")
def results(tables: dict[str, Any]) -> dict[str, dict[str, Result]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cv.CustomerValueWarning)  # the survey's non-monotone answers
        return {
            name: {lib: run(as_library(tables[which], lib)) for lib in LIBRARIES}
            for name, (which, run) in ANALYSES.items()
        }


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_pandas_polars_and_pyarrow_input_give_the_same_tables(
    name: str, results: dict[str, dict[str, Result]]
) -> None:
    by_lib = results[name]
    want = by_lib["pandas"].to_polars()
    assert isinstance(want, pl.DataFrame) and want.height == len(by_lib["pandas"].table) > 0
    for lib in ("polars", "pyarrow"):
        assert_pl_equal(by_lib[lib].to_polars(), want)
        assert by_lib[lib].to_arrow().equals(by_lib["pandas"].to_arrow()), lib


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_the_capsule_to_arrow_and_to_polars_agree(name: str, results: dict[str, dict[str, Result]]) -> None:
    r = results[name]["pandas"]
    table = r.to_arrow()
    assert isinstance(table, pa.Table)
    assert pa.table(r).equals(table)  # through __arrow_c_stream__
    assert_pl_equal(pl.DataFrame(r), r.to_polars())  # polars reads the capsule
    assert_pl_equal(pl.from_arrow(table), r.to_polars())  # type: ignore[arg-type]
    # back to pandas: the table itself, with a meaningful index as its leading column(s)
    back = table.to_pandas()
    expected = r.table.reset_index() if _io.index_carries_meaning(r.table.index) else r.table
    pd.testing.assert_frame_equal(back, expected, check_dtype=False, check_index_type=False)
    assert r.to_arrow().schema.names == list(map(str, expected.columns))


def test_the_capsule_honours_a_requested_schema(results: dict[str, dict[str, Result]]) -> None:
    r = results["demand_curve"]["pandas"]
    schema = r.to_arrow().schema
    got = pa.RecordBatchReader.from_stream(r, schema=schema).read_all()
    assert got.equals(r.to_arrow())


def test_duckdb_reads_a_result_directly(results: dict[str, dict[str, Result]]) -> None:
    duckdb = pytest.importorskip("duckdb")
    curve = results["demand_curve"]["pandas"]  # noqa: F841 - read by name in the query
    got = duckdb.sql("select max(revenue) from curve").fetchone()[0]
    assert got == pytest.approx(results["demand_curve"]["pandas"].table["revenue"].max())


def test_a_result_is_itself_a_table_the_package_reads(results: dict[str, dict[str, Result]]) -> None:
    scores = results["rfm_scores"]["pandas"]
    a = cv.cluster(scores, features=["recency_score", "frequency_score"], k=2, n_init=2)
    b = cv.cluster(scores.table, features=["recency_score", "frequency_score"], k=2, n_init=2)
    assert_pl_equal(a.to_polars(), b.to_polars())
    with pytest.raises(cv.InputError, match="column 'nope': not found"):
        cv.cluster(scores, features=["nope"], k=2)


def test_other_tables_of_a_result_convert_by_name(results: dict[str, dict[str, Result]]) -> None:
    tagged = results["tag_themes"]["polars"]
    flags = tagged.to_polars(table="flags")
    assert flags.columns == ["price", "delivery"] and flags.dtypes == [pl.Boolean, pl.Boolean]
    labels = results["cluster"]["pandas"].to_arrow(table="labels")  # a Series: one column
    assert labels.num_columns == 1 and labels.num_rows == 600
    with pytest.raises(cv.ParameterError, match=r"TaggedThemes\.nope is not a table.*flags"):
        tagged.to_polars(table="nope")
    with pytest.raises(cv.ParameterError, match="is not a table"):
        tagged.to_arrow(table="summary")  # a method, not a table


def test_categories_and_text_keep_their_types(results: dict[str, dict[str, Result]]) -> None:
    scores = results["rfm_scores"]["polars"].to_polars()
    assert scores.schema["segment"] == pl.Categorical
    assert scores.schema["rfm_cell"] == pl.String


# ---- the index ------------------------------------------------------------------------------


def test_the_index_becomes_a_column_exactly_when_it_carries_meaning() -> None:
    values = {"x": [1.0, 2.0, 3.0]}
    default = pd.DataFrame(values)
    assert _io.table_from_pandas(default).column_names == ["x"]
    named = pd.DataFrame(values, index=pd.RangeIndex(3, name="customer_id"))
    assert _io.table_from_pandas(named).column_names == ["customer_id", "x"]
    labels = pd.DataFrame(values, index=["a", "b", "c"])
    assert _io.table_from_pandas(labels).column("index").to_pylist() == ["a", "b", "c"]
    shifted = pd.DataFrame(values, index=pd.RangeIndex(1, 4))  # rows 1..3 of an input: labels
    assert _io.table_from_pandas(shifted).column("index").to_pylist() == [1, 2, 3]
    multi = pd.DataFrame(
        values, index=pd.MultiIndex.from_tuples([(1, "a"), (1, "b"), (2, "a")], names=["g", None])
    )
    assert _io.table_from_pandas(multi).column_names == ["g", "level_1", "x"]
    clash = pd.DataFrame({"customer_id": [7, 8, 9], **values}, index=pd.Index([7, 8, 9], name="customer_id"))
    assert _io.table_from_pandas(clash).column_names == ["customer_id", "x"]
    series = pd.Series([1.0, 2.0], index=pd.Index(["a", "b"], name="id"), name="p")
    assert _io.table_from_pandas(series).column_names == ["id", "p"]


def test_a_per_customer_table_keeps_the_customer_id(tables: dict[str, Any]) -> None:
    tx = cv.datasets.transactions(40, seed=0)
    summary = cv.rfm_summary(tx, customer="customer_id", date="date", amount="amount")
    assert summary.index.name == "customer_id"
    scores = cv.rfm_scores(summary, recency="recency", frequency="frequency", monetary="monetary_value")
    out = scores.to_polars()
    assert out.columns[0] == "customer_id"
    assert out["customer_id"].to_list() == summary.index.tolist()


# ---- the output option ----------------------------------------------------------------------

MODELS = (cv.BetaGeo, cv.ParetoNBD, cv.ModifiedBetaGeo, cv.BetaGeoBetaBinom, cv.GammaGamma)
# the public functions and methods that take a table and return a table or column directly
DIRECT_FUNCTIONS = (
    ("customervalue.economics.summary", "rfm_summary"),
    ("customervalue.economics.clv", "customer_lifetime_value"),
    ("customervalue.economics.tracking", "expected_cumulative_transactions"),
    ("customervalue.economics.tracking", "alive_path"),
    ("customervalue.segmentation.rules", "segment"),
)
DIRECT_METHODS = (
    (cv.BetaGeo, "conditional_expected_purchases"),
    (cv.BetaGeo, "conditional_probability_of_purchases"),
    (cv.BetaGeo, "discounted_expected_purchases"),
    (cv.BetaGeo, "log_likelihood"),
    (cv.BetaGeo, "probability_alive"),
    (cv.ParetoNBD, "discounted_expected_residual_transactions"),
    (cv.BetaGeoBetaBinom, "conditional_expected_purchases"),
    (cv.BetaGeoBetaBinom, "discounted_expected_residual_transactions"),
    (cv.BetaGeoBetaBinom, "probability_alive"),
    (cv.GammaGamma, "conditional_expected_spend"),
    (cv.GammaGamma, "conditional_expected_average_profit"),
    (cv.DiscoveredThemes, "assign"),
    (cv.ChoiceModel, "simulate"),
)


def _targets() -> Iterator[tuple[Any, str]]:
    for module, name in DIRECT_FUNCTIONS:
        yield importlib.import_module(module), name
    yield from DIRECT_METHODS


def test_the_declared_direct_outputs_are_marked() -> None:
    """Every public callable that takes ``data`` and returns a pandas table or column follows
    the option (is marked with ``follows_output_option`` at its definition)."""
    marked = [getattr(getattr(owner, name), "__follows_output_option__", False) for owner, name in _targets()]
    if not any(marked):
        pytest.skip("the definitions are not marked with follows_output_option yet (issue 17, item 5)")
    assert all(marked), [name for (_, name), m in zip(_targets(), marked, strict=True) if not m]
    assert getattr(cv.rfm_summary, "__follows_output_option__", False)  # the package's name too
    assert getattr(cv.segment, "__follows_output_option__", False)


def test_the_declared_direct_outputs_are_all_there_are() -> None:
    """The list above holds every public function or method that takes ``data`` and is declared
    to return a pandas table or column, so a new one is noticed."""
    import inspect

    declared = {name for _, name in DIRECT_FUNCTIONS} | {f"{c.__name__}.{n}" for c, n in DIRECT_METHODS}
    found = set()
    for name in cv.__all__:
        obj = getattr(cv, name)
        members = (
            [(f"{name}.{m}", getattr(obj, m)) for m in dir(obj) if not m.startswith("_")]
            if inspect.isclass(obj)
            else [(name, obj)]
        )
        for qualname, fn in members:
            if not callable(fn) or inspect.isclass(fn):
                continue
            try:
                sig = inspect.signature(fn)
            except (TypeError, ValueError):
                continue
            ret = str(sig.return_annotation)
            if "data" in sig.parameters and ("DataFrame" in ret or "Series" in ret):
                found.add(qualname)
    # inherited methods are declared once, on the class that defines them
    defined = {q for q in found if "." not in q or q.split(".")[0] == _definer(q)}
    assert defined <= declared, sorted(defined - declared)


def _definer(qualname: str) -> str:
    cls_name, meth = qualname.split(".")
    fn = getattr(getattr(cv, cls_name), meth)
    return str(getattr(fn, "__qualname__", "")).split(".")[0]


@pytest.fixture
def marked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The direct outputs marked, as the definitions do (a no-op where they already are)."""
    for owner, name in _targets():
        fn = getattr(owner, name)
        wrapped = _io.follows_output_option(fn)
        if wrapped is fn:
            continue
        if isinstance(owner, type):
            monkeypatch.setattr(owner, name, wrapped)
            continue
        for where in (owner, cv, cv.economics, cv.segmentation):
            if getattr(where, name, None) is fn:
                monkeypatch.setattr(where, name, wrapped)


@pytest.fixture
def restore_output() -> Iterator[None]:
    before = _io.get_option("output")
    yield
    _io.set_option(output=before)


@pytest.fixture(scope="module")
def tx() -> pd.DataFrame:
    return cv.datasets.transactions(150, seed=0)


def _summary(data: Any) -> Any:
    return cv.rfm_summary(data, customer="customer_id", date="date", amount="amount")


def test_the_default_is_pandas_for_every_input(marked: None, tx: pd.DataFrame) -> None:
    assert _io.get_option("output") == "pandas"
    for lib in LIBRARIES:
        assert isinstance(_summary(as_library(tx, lib)), pd.DataFrame)


def test_auto_returns_the_library_that_came_in(marked: None, tx: pd.DataFrame) -> None:
    want = _summary(tx)
    with _io.option_context(output="auto"):
        out = {lib: _summary(as_library(tx, lib)) for lib in LIBRARIES}
    assert isinstance(out["pandas"], pd.DataFrame)
    assert isinstance(out["polars"], pl.DataFrame) and isinstance(out["pyarrow"], pa.Table)
    pd.testing.assert_frame_equal(out["pandas"], want)
    # the per-customer index (the customer id) is the first column
    assert out["polars"].columns == ["customer_id", "frequency", "recency", "T", "monetary_value"]
    flat = want.reset_index()
    flat.attrs = {}  # polars has no attrs, and the summary's hold a DataFrame (the dropped rows)
    assert_pl_equal(out["polars"], pl.from_pandas(flat))
    assert out["pyarrow"].equals(pa.Table.from_pandas(flat, preserve_index=False))


def test_polars_and_pyarrow_outputs_whatever_came_in(marked: None, tx: pd.DataFrame) -> None:
    for lib in LIBRARIES:
        with _io.option_context(output="polars"):
            assert isinstance(_summary(as_library(tx, lib)), pl.DataFrame)
        with _io.option_context(output="pyarrow"):
            assert isinstance(_summary(as_library(tx, lib)), pa.Table)


def test_a_column_comes_back_as_a_polars_series_or_pyarrow_array(
    marked: None, tables: dict[str, Any]
) -> None:
    people = tables["people"]
    rules = {"age": [35, 55], "region": None}
    want = cv.segment(people, rules)
    with _io.option_context(output="auto"):
        got = cv.segment(pl.from_pandas(people), rules)
        arrow = cv.segment(pa.Table.from_pandas(people), rules)
    assert isinstance(got, pl.Series) and got.name == want.name
    assert got.to_list() == want.astype(str).tolist()
    assert isinstance(arrow, pa.Array) and arrow.to_pylist() == got.to_list()


def test_model_predictions_follow_the_option(marked: None, tx: pd.DataFrame) -> None:
    summary = _summary(tx).reset_index()
    model = cv.BetaGeo().fit(summary)
    want = model.probability_alive(summary)
    with _io.option_context(output="auto"):
        got = model.probability_alive(pl.from_pandas(summary))
        same = model.probability_alive(summary)
        purchases = model.conditional_expected_purchases(4.0, data=pl.from_pandas(summary))
    assert isinstance(got, pl.Series) and isinstance(same, pd.Series) and isinstance(purchases, pl.Series)
    assert_pl_series_equal(got, pl.Series(want.name, want.to_numpy()))


def test_the_package_own_calls_stay_pandas(marked: None, tx: pd.DataFrame) -> None:
    """customer_lifetime_value calls the models' predictions, which follow the option: inside
    the package they return pandas, and only the outer call converts."""
    summary = _summary(tx).reset_index()
    repeat = summary[summary["frequency"] > 0]
    bg = cv.BetaGeo().fit(summary)
    gg = cv.GammaGamma().fit(repeat)
    want = cv.customer_lifetime_value(bg, gg, repeat, horizon=12, time_unit="W", discount_rate=0.01)
    with _io.option_context(output="polars"):
        got = cv.customer_lifetime_value(bg, gg, repeat, horizon=12, time_unit="W", discount_rate=0.01)
        spend = gg.conditional_expected_average_profit(repeat)  # an alias, marked too
    assert isinstance(got, pl.Series if isinstance(want, pd.Series) else pl.DataFrame)
    assert isinstance(spend, pl.Series)
    np.testing.assert_allclose(np.asarray(got.to_numpy()).ravel(), np.asarray(want.to_numpy()).ravel())


def test_results_are_not_affected_by_the_option(tables: dict[str, Any]) -> None:
    with _io.option_context(output="polars"):
        r = cv.demand_curve(pl.from_pandas(tables["survey"]), wtp="wtp")
    assert isinstance(r.table, pd.DataFrame) and isinstance(r.to_polars(), pl.DataFrame)


def test_option_context_restores_the_option_even_on_error(restore_output: None) -> None:
    assert _io.get_option("output") == "pandas"
    with _io.option_context(output="polars"):
        assert _io.get_option("output") == "polars"
        with _io.option_context(output="auto"):
            assert _io.get_option("output") == "auto"
        assert _io.get_option("output") == "polars"
    assert _io.get_option("output") == "pandas"
    with pytest.raises(RuntimeError), _io.option_context(output="pyarrow"):
        raise RuntimeError("boom")
    assert _io.get_option("output") == "pandas"


def test_set_option_holds_until_set_again(restore_output: None) -> None:
    _io.set_option(output="auto")
    assert _io.get_option("output") == "auto"
    with _io.option_context(output="polars"):
        assert _io.get_option("output") == "polars"
    assert _io.get_option("output") == "auto"
    seen: list[str] = []
    thread = threading.Thread(target=lambda: seen.append(_io.get_option("output")))
    thread.start()
    thread.join()
    assert seen == ["auto"]  # process-wide
    _io.set_option(output="pandas")
    assert _io.get_option("output") == "pandas"


def test_option_context_is_local_to_its_thread() -> None:
    seen: list[str] = []
    with _io.option_context(output="polars"):
        thread = threading.Thread(target=lambda: seen.append(_io.get_option("output")))
        thread.start()
        thread.join()
    assert seen == ["pandas"]


def test_bad_option_values_and_names_are_parameter_errors() -> None:
    with pytest.raises(cv.ParameterError, match=r"argument 'output': must be one of 'pandas', 'polars'"):
        _io.set_option(output="spark")
    with pytest.raises(cv.ParameterError, match="argument 'output'"):
        with _io.option_context(output="Polars"):
            pass
    with pytest.raises(cv.ParameterError, match=r"no option 'display'; the options are: 'output'"):
        _io.get_option("display")
    assert _io.get_option("output") == "pandas"


def test_the_options_are_exported() -> None:
    if not hasattr(cv, "set_option"):
        pytest.skip("cv.set_option / get_option / option_context not exported yet (issue 17, item 5)")
    assert cv.set_option is _io.set_option and cv.get_option is _io.get_option
    assert cv.option_context is _io.option_context
    assert {"set_option", "get_option", "option_context"} <= set(cv.__all__)


def test_the_marking_keeps_the_signature_and_marks_once() -> None:
    import inspect

    def f(data: Any, column: str = "x", *, seed: int = 0) -> pd.DataFrame:
        """Doc."""
        return pd.DataFrame({column: [1.0]})

    g = _io.follows_output_option(f)
    assert _io.follows_output_option(g) is g
    assert inspect.signature(g) == inspect.signature(f) and g.__doc__ == "Doc." and g.__name__ == "f"
    with _io.option_context(output="auto"):
        assert isinstance(g(pl.DataFrame({"a": [1]})), pl.DataFrame)
        assert isinstance(g(data=pa.table({"a": [1]})), pa.Table)
        assert isinstance(g(None), pd.DataFrame)  # no table came in: pandas


# ---- the namespaces -------------------------------------------------------------------------


def _run(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_importing_customervalue_registers_no_accessor() -> None:
    code = """
        import sys
        import customervalue, pandas as pd
        print("polars" in sys.modules, hasattr(pd.DataFrame, "cv"))
        import polars as pl
        print(hasattr(pl.DataFrame, "cv"))
        import customervalue.pandas
        print(hasattr(pd.DataFrame, "cv"), hasattr(pl.DataFrame, "cv"))
        import customervalue.polars
        print(hasattr(pl.DataFrame, "cv"))
    """
    assert _run(code).split() == ["False", "False", "False", "True", "False", "True"]


def test_the_polars_namespace_offers_exactly_the_table_functions(tables: dict[str, Any]) -> None:
    import customervalue.polars  # noqa: F401

    survey = pl.from_pandas(tables["survey"])
    assert dir(survey.cv) == sorted(TABLE_FUNCTIONS)
    for name in TABLE_FUNCTIONS:
        assert getattr(survey.cv, name).__doc__ == getattr(cv, name).__doc__
    for name in ("simple_clv", "BetaGeo", "price_position", "customer_lifetime_value", "datasets", "nope"):
        with pytest.raises(AttributeError):
            getattr(survey.cv, name)
    assert_pl_equal(
        survey.cv.demand_curve(wtp="wtp").to_polars(), cv.demand_curve(survey, wtp="wtp").to_polars()
    )


def test_the_polars_namespace_follows_auto(marked: None, tx: pd.DataFrame) -> None:
    import customervalue.polars  # noqa: F401

    log = pl.from_pandas(tx)
    with _io.option_context(output="auto"):
        out = log.cv.rfm_summary(customer="customer_id", date="date", amount="amount")
    assert isinstance(out, pl.DataFrame) and out.columns[0] == "customer_id"
    # the pandas accessor forwards the same way
    import customervalue.pandas  # noqa: F401

    with _io.option_context(output="polars"):
        assert isinstance(
            tx.cv.rfm_summary(customer="customer_id", date="date", amount="amount"), pl.DataFrame
        )


def test_the_pandas_accessor_is_registered_by_import() -> None:
    import customervalue.pandas

    df = pd.DataFrame({"wtp": [10.0, 20.0, 20.0, 40.0]})
    assert dir(df.cv) == sorted(TABLE_FUNCTIONS)
    assert df.cv.demand_curve(wtp="wtp").revenue_optimal_price == 20.0
    assert customervalue.pandas.CustomerValueAccessor is type(df.cv)


# ---- without polars -------------------------------------------------------------------------


def test_without_polars_asking_for_polars_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, results: dict[str, dict[str, Result]], marked: None, tx: pd.DataFrame
) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)  # `import polars` now fails
    r = results["demand_curve"]["pandas"]
    with pytest.raises(
        ImportError, match=r"DemandCurveResult\.to_polars\(\) needs polars.*pip install polars"
    ):
        r.to_polars()
    assert r.to_arrow().num_rows == len(r.table)  # Arrow needs no polars
    with _io.option_context(output="polars"):
        with pytest.raises(ImportError, match=r"output='polars' needs polars.*pip install polars"):
            _summary(tx)
    with _io.option_context(output="auto"):  # pandas in: no polars needed
        assert isinstance(_summary(tx), pd.DataFrame)


def test_without_polars_the_package_works_and_the_namespace_import_says_why() -> None:
    code = """
        import sys
        sys.modules["polars"] = None
        import customervalue as cv, customervalue.pandas, pandas as pd
        r = pd.DataFrame({"wtp": [10.0, 20.0, 20.0, 40.0]}).cv.demand_curve(wtp="wtp")
        print(r.revenue_optimal_price, r.to_arrow().num_rows)
        try:
            import customervalue.polars
        except ImportError as exc:
            print("ImportError:", exc)
    """
    out = _run(code)
    assert out.startswith("20.0 ")
    assert "ImportError: customervalue.polars (the df.cv namespace on polars DataFrames) needs polars" in out
    assert "pip install polars" in out
