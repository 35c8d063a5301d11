"""Every public function that takes a table runs on a dask DataFrame or says it does not
(issue 16, item 4): a ParameterError naming the function, the argument and the way out, and
nothing computed. Importing customervalue imports no engine.

The registry below calls each public table function and method once with a dask table; the
first test checks it against what the package declares (``_compat.TABLE_FUNCTIONS``,
``METRICS_TABLE_FUNCTIONS``) and against every public method and function with a ``data``
parameter, so a new public function needs an entry here.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from customervalue import _engines
from customervalue._compat import METRICS_TABLE_FUNCTIONS, TABLE_FUNCTIONS

from .support import engine

dd = engine("dask.dataframe", "dask")
dask = engine("dask", "dask")
cvdask = engine("customervalue.dask", "dask")

THEMES = ["theme_price", "theme_delivery", "theme_quality", "theme_support"]
MODELS = [cv.BetaGeo, cv.ModifiedBetaGeo, cv.ParetoNBD, cv.BetaGeoBetaBinom, cv.GammaGamma]


@contextmanager
def nothing_computed() -> Iterator[None]:
    """Any dask computation inside the block is an AssertionError (a silent ``.compute()``)."""

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a dask computation was started")

    with dask.config.set(scheduler=forbidden):
        yield


@pytest.fixture(scope="module")
def tables() -> dict[str, Any]:
    people = cv.datasets.customers(300, seed=0)
    people = people.astype(
        {c: str for c in people.columns if isinstance(people[c].dtype, pd.CategoricalDtype)}
    )
    survey = cv.datasets.pricing_survey(200, seed=0)
    tx = cv.datasets.transactions(200, seed=0)
    summary = cv.rfm_summary(tx, amount="amount")
    plain = summary.copy()
    plain.attrs = {"time_unit": "W"}
    donations = cv.datasets.donations()
    pandas = {
        "people": people,
        "survey": survey,
        "tx": tx.assign(period=tx["date"].dt.to_period("M").astype(str)),
        "summary": plain,
        "holdout": cv.rfm_summary(tx, amount="amount", calibration_end="2025-01-01").pipe(
            lambda s: s.set_axis(s.index).assign()
        ),
        "donations": donations,
        "waves": pd.concat([people.assign(wave="before"), people.assign(wave="after")], ignore_index=True),
        "gg": pd.DataFrame({"price": [10.0, 20.0] * 5, "buy": [1, 0] * 5}),
        "response": pd.DataFrame({"price": np.linspace(5, 20, 16), "quantity": np.linspace(150, 40, 16)}),
        "drivers": pd.DataFrame({"driver": ["speed", "support"], "value": [350.0, 100.0]}),
        "profile": pd.DataFrame(
            {"attribute": ["quality", "service"], "weight": [60, 40], "us": [8, 6], "them": [6, 6]}
        ),
        "cases": pd.DataFrame({"contacts": [1, 1, 2, 1, 3]}),
        "conjoint": cv.datasets.conjoint_survey(30, seed=0),
        "maxdiff": pd.DataFrame(
            [(r, t, i, i == t, i == (t + 1) % 3) for r in range(3) for t in range(2) for i in range(3)],
            columns=["respondent_id", "task", "item", "best", "worst"],
        ),
        "kano": pd.DataFrame({"f": [1, 2, 3, 1], "d": [5, 5, 3, 3]}),
    }
    pandas["holdout"].attrs = {"time_unit": "W"}
    out: dict[str, Any] = {f"pd_{k}": v for k, v in pandas.items()}
    out.update({k: dd.from_pandas(v, npartitions=2) for k, v in pandas.items()})
    out["comments"] = out["people"]["comment"]
    out["bg"] = cv.BetaGeo().fit(summary)
    out["models"] = {
        cv.BetaGeo: out["bg"],
        cv.ModifiedBetaGeo: cv.ModifiedBetaGeo().fit(summary),
        cv.ParetoNBD: cv.ParetoNBD().fit(summary),
        cv.BetaGeoBetaBinom: cv.BetaGeoBetaBinom().fit(donations, weights="weights"),
        cv.GammaGamma: cv.GammaGamma().fit(summary),
    }
    out["clusters"] = cv.cluster(people, features=["age", "income"], k=3, n_init=1)
    out["discovered"] = cv.discover_themes(people["comment"], n_themes=3, n_init=1)
    out["choice"] = cv.fit_choice(
        pandas["conjoint"], attributes=["brand", "storage", "battery"], price="price"
    )
    return out


Call = Callable[[dict[str, Any]], Any]

# public functions: what they are called with (``t``: the tables above, dask unless "pd_")
FUNCTIONS: dict[str, Call] = {
    "cv.demand_curve": lambda t: cv.demand_curve(t["survey"], wtp="wtp"),
    "cv.van_westendorp": lambda t: cv.van_westendorp(t["survey"]),
    "cv.gabor_granger": lambda t: cv.gabor_granger(t["gg"], price="price", buy="buy"),
    "cv.rfm_summary": lambda t: cv.rfm_summary(t["tx"], amount="amount"),
    "cv.customer_lifetime_value": lambda t: cv.customer_lifetime_value(
        t["bg"], t["models"][cv.GammaGamma], t["summary"]
    ),
    "cv.fit_price_response": lambda t: cv.fit_price_response(
        t["response"], price="price", quantity="quantity"
    ),
    "cv.economic_value": lambda t: cv.economic_value(t["drivers"], reference_value=300),
    "cv.value_map": lambda t: cv.value_map(t["profile"], ours="us", prices={"us": 110, "them": 100}),
    "cv.segment": lambda t: cv.segment(t["people"], {"age": [30, 50]}),
    "cv.rfm_scores": lambda t: cv.rfm_scores(
        t["people"], recency="recency_days", frequency="frequency", monetary="monetary"
    ),
    "cv.cluster": lambda t: cv.cluster(t["people"], features=["age", "income"], k=3),
    "cv.maxdiff": lambda t: cv.maxdiff(t["maxdiff"]),
    "cv.bundle_prices": lambda t: cv.bundle_prices(t["kano"], wtp=["f", "d"]),
    "cv.value_ladder": lambda t: cv.value_ladder(t["kano"], tier_wtp=["f", "d"]),
    "cv.kano": lambda t: cv.kano(t["kano"], features={"speed": ("f", "d")}),
    "cv.fit_choice": lambda t: cv.fit_choice(
        t["conjoint"], attributes=["brand", "storage", "battery"], price="price"
    ),
    "cv.compare_groupings": lambda t: cv.compare_groupings(
        t["people"], groupings={"region": "region", "product": "product"}, features=["age", "income"]
    ),
    "cv.tag_themes": lambda t: cv.tag_themes(t["comments"], {"price": ["expensive"]}),
    "cv.discover_themes": lambda t: cv.discover_themes(t["comments"], n_themes=3),
    "cv.theme_associations": lambda t: cv.theme_associations(t["people"], THEMES, ["region", "age"]),
    "cv.theme_cooccurrence": lambda t: cv.theme_cooccurrence(t["people"], THEMES),
    "cv.theme_impact": lambda t: cv.theme_impact(t["people"], THEMES, "value_rating"),
    "cv.key_drivers": lambda t: cv.key_drivers(t["people"], ["nps", "csat", "effort"], "value_rating"),
    "cv.compare_waves": lambda t: cv.compare_waves(
        t["waves"], ["theme_price"], "wave", "value_rating", before="before"
    ),
    "cv.opportunity_scores": lambda t: cv.opportunity_scores(t["people"]),
    "cv.expected_cumulative_transactions": lambda t: cv.expected_cumulative_transactions(t["bg"], t["tx"]),
    "cv.plot_cumulative_transactions": lambda t: cv.plot_cumulative_transactions(t["bg"], t["tx"]),
    "cv.plot_incremental_transactions": lambda t: cv.plot_incremental_transactions(t["bg"], t["tx"]),
    "cv.alive_path": lambda t: cv.alive_path(t["bg"], t["tx"], customer="customer_id"),
    "cv.plot_history_alive": lambda t: cv.plot_history_alive(t["bg"], t["tx"], customer="customer_id"),
    "cv.metrics.nps": lambda t: cv.metrics.nps(t["people"], column="nps"),
    "cv.metrics.csat": lambda t: cv.metrics.csat(t["people"], column="csat"),
    "cv.metrics.ces": lambda t: cv.metrics.ces(t["people"], column="effort"),
    "cv.metrics.first_contact_resolution": lambda t: cv.metrics.first_contact_resolution(
        t["cases"], contacts="contacts"
    ),
    "cv.metrics.churn_rate": lambda t: cv.metrics.churn_rate(
        t["tx"], customer="customer_id", period="M", date="date", inactivity=2
    ),
    "cv.metrics.retention": lambda t: cv.metrics.retention(
        t["tx"], customer="customer_id", period="M", date="date", inactivity=2
    ),
    "cv.metrics.engagement_index": lambda t: cv.metrics.engagement_index(
        t["people"], ["visits_per_month", "online_share"], normalize="z"
    ),
    "cv.metrics.cx_index": lambda t: cv.metrics.cx_index(t["people"], ["nps", "csat"], scale=(0, 10)),
}

# public methods: (class, method) -> call with the fitted object of that class
METHODS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "fit": lambda m, t: type(m)().fit(t["donations" if isinstance(m, cv.BetaGeoBetaBinom) else "summary"]),
    "probability_alive": lambda m, t: m.probability_alive(
        t["donations" if isinstance(m, cv.BetaGeoBetaBinom) else "summary"]
    ),
    "conditional_expected_purchases": lambda m, t: m.conditional_expected_purchases(
        4, t["donations" if isinstance(m, cv.BetaGeoBetaBinom) else "summary"]
    ),
    "conditional_probability_of_purchases": lambda m, t: m.conditional_probability_of_purchases(
        4, 1, t["summary"]
    ),
    "discounted_expected_purchases": lambda m, t: m.discounted_expected_purchases([1.0], [0.9], t["summary"]),
    "discounted_expected_residual_transactions": lambda m, t: m.discounted_expected_residual_transactions(
        t["donations" if isinstance(m, cv.BetaGeoBetaBinom) else "summary"], discount_rate=0.1
    ),
    "log_likelihood": lambda m, t: m.log_likelihood(t["summary"]),
    "conditional_expected_spend": lambda m, t: m.conditional_expected_spend(t["summary"]),
    "conditional_expected_average_profit": lambda m, t: m.conditional_expected_average_profit(t["summary"]),
    "plot_frequency": lambda m, t: m.plot_frequency(t["summary"]),
    "plot_calibration_holdout": lambda m, t: m.plot_calibration_holdout(t["holdout"]),
    "predict": lambda m, t: m.predict(t["people"]),
    "assign": lambda m, t: m.assign(t["comments"]),
    "simulate": lambda m, t: m.simulate(t["conjoint"]),
    "utilities": lambda m, t: m.utilities(t["conjoint"]),
}

#: Run on dask (their adapters are in customervalue.dask); everything else refuses.
DISTRIBUTED_FUNCTIONS = {
    "cv.demand_curve",
    "cv.van_westendorp",
    "cv.gabor_granger",
    "cv.rfm_summary",
    "cv.customer_lifetime_value",
    "cv.theme_associations",
    "cv.theme_cooccurrence",
    "cv.cluster",
}
REFUSING_METHODS = {
    "plot_frequency",
    "plot_calibration_holdout",
    "predict",
    "assign",
    "simulate",
    "utilities",
}


def public_callables() -> Iterator[tuple[str, Any, str]]:
    """(name as the user writes it, owner class or None, method name) of every public function
    and method with a ``data`` parameter."""
    for module, prefix in ((cv, "cv."), (cv.metrics, "cv.metrics.")):
        for name in dir(module):
            obj = getattr(module, name)
            if name.startswith("_"):
                continue
            if inspect.isclass(obj):
                for meth, fn in inspect.getmembers(obj, callable):
                    if not meth.startswith("_") and "data" in _params(fn):
                        yield f"{obj.__name__}.{meth}", obj, meth
            elif callable(obj) and "data" in _params(obj):
                yield prefix + name, None, name


def _params(fn: Any) -> list[str]:
    try:
        return list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return []


def owner_object(cls: type, t: dict[str, Any]) -> Any:
    if cls in t["models"]:
        return t["models"][cls]
    return {
        cv.ClusterResult: t["clusters"],
        cv.DiscoveredThemes: t["discovered"],
        cv.ChoiceModel: t["choice"],
    }[cls]


def test_the_registry_covers_every_public_table_function() -> None:
    declared = {f"cv.{n}" for n in TABLE_FUNCTIONS} | {f"cv.metrics.{n}" for n in METRICS_TABLE_FUNCTIONS}
    assert declared <= set(FUNCTIONS)
    for name, owner, meth in public_callables():
        if owner is None:
            assert name in FUNCTIONS, f"{name} takes data: add it to FUNCTIONS"
        else:
            assert meth in METHODS, f"{name} takes data: add it to METHODS"


CASES = [(name, None, "") for name in sorted(set(FUNCTIONS) - DISTRIBUTED_FUNCTIONS)] + [
    (f"{cls.__name__}.{meth}", cls, meth)
    for name, cls, meth in sorted(public_callables(), key=lambda x: x[0])
    if cls is not None
    and meth in REFUSING_METHODS
    # the Pareto/NBD refuses plot_frequency itself (it simulates the BG/NBD), before any read
    and not (cls is cv.ParetoNBD and meth == "plot_frequency")
]


@pytest.mark.parametrize(("name", "cls", "meth"), CASES, ids=[c[0] for c in CASES])
def test_not_distributed_functions_refuse_a_dask_table(
    name: str, cls: type | None, meth: str, tables: dict[str, Any]
) -> None:
    with nothing_computed(), pytest.raises(cv.ParameterError) as err:
        if cls is None:
            FUNCTIONS[name](tables)
        else:
            METHODS[meth](owner_object(cls, tables), tables)
    text = str(err.value)
    assert f"{name} does not run on a dask DataFrame yet" in text or (
        f"{name} does not run on a dask Series yet" in text
    ), text
    assert "ddf.sample(frac=0.01).compute()" in text
    assert text.startswith("argument '")


def test_the_refusal_names_the_argument_holding_the_table(tables: dict[str, Any]) -> None:
    refusal = "^argument 'data': cv.theme_impact "
    with nothing_computed(), pytest.raises(cv.ParameterError, match=refusal):
        cv.theme_impact(tables["people"], THEMES, "value_rating")


@pytest.mark.parametrize(
    "name",
    sorted(DISTRIBUTED_FUNCTIONS)
    + [f"{c.__name__}.{m}" for c in MODELS for m in METHODS if m not in REFUSING_METHODS and hasattr(c, m)],
)
def test_distributed_functions_dispatch_to_their_adapter(name: str) -> None:
    owner, _, attr = name.rpartition(".")
    fn = getattr(cv if owner == "cv" else getattr(cv, owner), attr)
    assert inspect.unwrap(fn, stop=lambda f: hasattr(f, "__distributable__")).__distributable__
    assert callable(getattr(cvdask, fn.__name__))
    assert inspect.signature(fn) == inspect.signature(inspect.unwrap(fn))


def test_dask_tests_are_marked_dask_only(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("dask") is not None
    assert request.node.get_closest_marker("spark") is None


def test_engine_of() -> None:
    df = pd.DataFrame({"a": [1, 2]})
    assert _engines.engine_of(df) is None
    assert _engines.engine_of(pa.table(df)) is None
    assert _engines.engine_of(None) is None
    assert _engines.engine_of(dd.from_pandas(df, npartitions=1)) == "dask"
    assert _engines.engine_of(dd.from_pandas(df, npartitions=1)["a"]) == "dask"


def test_a_spark_frame_is_refused_without_importing_pyspark(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in for pyspark in sys.modules: the check looks there and nowhere else."""
    fake = types.ModuleType("pyspark")
    sql = types.ModuleType("pyspark.sql")

    class DataFrame:  # the shape of pyspark.sql.DataFrame as far as the check goes
        columns = ["customer_id", "date"]

    sql.DataFrame = DataFrame  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyspark", fake)
    monkeypatch.setitem(sys.modules, "pyspark.sql", sql)
    frame = DataFrame()
    assert _engines.engine_of(frame) == "spark"
    with pytest.raises(cv.ParameterError, match="cv.rfm_summary does not run on a Spark DataFrame yet"):
        cv.rfm_summary(frame)
    with pytest.raises(
        cv.ParameterError, match=r"cv.cluster does not run on a Spark DataFrame yet.*toPandas"
    ):
        cv.cluster(frame, features=["customer_id"], k=2)


def test_importing_customervalue_imports_no_engine() -> None:
    code = "import customervalue, sys; assert 'dask' not in sys.modules and 'pyspark' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
