"""The public vocabulary (../shared/DESIGN.md, "Vocabulary"), checked on every public signature.

Walks every public callable: the functions in ``customervalue.__all__``, the public methods of
the classes there (the six lifetime-value models in full, the result classes' methods), the
functions of ``customervalue.metrics.__all__`` and ``customervalue.datasets``, and checks with
``inspect.signature``:

* a callable declared to take a table first (``_compat.TABLE_FUNCTIONS`` and the lists below)
  has ``data`` as its first parameter, and no other callable does;
* no parameter carries a synonym the vocabulary retired (``level``, ``df``, ``random_state``...);
* every parameter that may be passed by position is the table, a defining column (a role name)
  or a declared exception with its reason; everything else is keyword-only;
* ``seed`` defaults to 0 wherever it exists;
* each renamed keyword still works for one release, with a FutureWarning naming the new name,
  and gives the same result as the new name.

Then the namespace: ``__all__`` is exact, ``df.cv`` offers exactly the table-first functions,
and a model used before ``fit()`` raises ``NotFittedError``.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import math
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from customervalue._compat import METRICS_TABLE_FUNCTIONS, TABLE_FUNCTIONS

# ---- the declared lists ------------------------------------------------------------------------

MODELS = (
    cv.BetaGeo,
    cv.ParetoNBD,
    cv.ModifiedBetaGeo,
    cv.BetaGeoBetaBinom,
    cv.GammaGamma,
    cv.ShiftedBetaGeometric,
)

# Methods whose first argument is the table (a model's summary, new customers, new texts).
TABLE_METHODS = {
    "fit",
    "probability_alive",
    "log_likelihood",
    "plot_calibration_holdout",
    "plot_frequency",
    "discounted_expected_residual_transactions",
    "conditional_expected_spend",
    "conditional_expected_average_profit",
    "ClusterResult.predict",
    "DiscoveredThemes.assign",
    "ChoiceModel.simulate",
    "ChoiceModel.utilities",
}

# Callables that take the table, but not first, each with its reason.
# The model against the transaction log (customervalue.economics.tracking).
TRACKING = (
    "expected_cumulative_transactions",
    "plot_cumulative_transactions",
    "plot_incremental_transactions",
    "alive_path",
    "plot_history_alive",
)

TABLE_NOT_FIRST = {
    "customer_lifetime_value": "DESIGN.md contract: (transaction_model, spend_model, data, ...)",
    "conditional_expected_purchases": "DESIGN.md contract: .conditional_expected_purchases(t, data)",
    "discounted_expected_purchases": "(times, factors, data): the sum's periods and discount factors "
    "come first, as t does in conditional_expected_purchases",
    "conditional_probability_of_purchases": "(t, n, data): the window and the count first, as t in "
    "conditional_expected_purchases",
    **{
        name: "(model, data, ...): the fitted model first, as customer_lifetime_value and lifetimes"
        for name in TRACKING
    },
}

# Callables that take no table at all, with the reason (checked: they have no ``data``).
NO_TABLE = {
    "simple_clv": "a formula of scalars (or arrays)",
    "ltv_to_cac": "a ratio of two numbers",
    "cac_payback": "a ratio of two numbers",
    "value_quantification": "two tables of benefit and cost lines (benefits, costs), DESIGN.md contract",
    "price_position": "our price and the competitors' prices",
    "load_ipython_extension": "IPython's extension hook",
    "conjoint_design": "builds a design from the attributes and their levels",
    "ChoiceModel.demand_curve": "a product and its competitors, given by keyword",
    "set_num_threads": "a process setting, as numpy's threadpoolctl and torch.set_num_threads",
    "get_num_threads": "a process setting",
    "ShiftedBetaGeometric.fit": "DESIGN.md contract: fit(survivors), the survivors per period",
}

# Column roles: parameters naming the columns that define an analysis may follow ``data``
# positionally (DESIGN.md: "the defining columns ... may follow data positionally").
ROLES = {
    "customer", "date", "amount", "wtp", "price", "buy", "quantity", "respondent", "features",
    "themes", "metadata", "outcome", "text", "too_cheap", "cheap", "expensive", "too_expensive",
    "frequency", "recency", "T", "n_periods", "monetary_value", "wave", "control", "resolved",
    "measures", "items", "importance", "satisfaction", "ours", "task", "alternative", "chosen",
    "item", "best", "worst",
}  # fmt: skip

# The scikit-learn twins among the metrics (scikit-learn's names and signatures).
SKLEARN_TWINS = tuple(cv.metrics._clustering.__all__)

# Other parameters that may be passed by position, per callable, with the reason.
POSITIONAL_EXCEPTIONS: dict[str, tuple[set[str], str]] = {
    "customer_lifetime_value": ({"transaction_model", "spend_model"}, "DESIGN.md contract order"),
    "simple_clv": (
        {"average_purchase_value", "purchase_frequency", "margin", "churn_rate", "discount_rate"},
        "no table: the formula's inputs (DESIGN.md)",
    ),
    "ltv_to_cac": ({"ltv", "cac"}, "no table: the ratio's terms"),
    "cac_payback": ({"cac", "margin_per_period"}, "no table: the ratio's terms"),
    "value_quantification": ({"benefits", "costs"}, "no table: the two line tables (DESIGN.md)"),
    "price_position": ({"our_price", "competitor_prices"}, "no table: the prices compared"),
    "load_ipython_extension": ({"ipython"}, "IPython calls it with the shell"),
    "get_option": ({"name"}, "the option's name, as pandas.get_option"),
    "conjoint_design": ({"attributes"}, "no table: the attributes and their levels"),
    "set_num_threads": ({"n"}, "the thread count, as torch.set_num_threads(n)"),
    "segment": ({"rules"}, "DESIGN.md contract: segment(data, rules)"),
    "tag_themes": ({"lexicon"}, "DESIGN.md contract: tag_themes(data, lexicon, ...)"),
    # scikit-learn twins keep scikit-learn's signatures (DESIGN.md, Vocabulary): every public
    # name of the clustering-metrics module
    **{name: ({"X", "labels", "labels_true", "labels_pred"}, "scikit-learn twin") for name in SKLEARN_TWINS},
    "datasets.customers": ({"n"}, "the sample size, cv.datasets.customers(1000, seed=0)"),
    "datasets.pricing_survey": ({"n"}, "the sample size"),
    "datasets.conjoint_survey": ({"n"}, "the sample size"),
    "datasets.transactions": ({"n_customers"}, "the sample size"),
    # model methods that take no table, or a time before it (lifetimes' order, DESIGN.md)
    "conditional_expected_purchases": ({"t"}, "DESIGN.md contract: (t, data)"),
    "discounted_expected_purchases": ({"times", "factors"}, "the periods and their discount factors"),
    "expected_purchases": ({"t"}, "the horizon"),
    "probability_of_purchases": ({"t", "n", "x"}, "P(n purchases in t); BG/BB P(x transactions in t)"),
    "conditional_probability_of_purchases": ({"t", "n"}, "P(n purchases in the next t | history)"),
    **{name: ({"model"}, "the fitted model first, as customer_lifetime_value") for name in TRACKING},
    "sample_params": ({"n"}, "the number of draws returned, like datasets' n"),
    "ShiftedBetaGeometric.fit": ({"survivors"}, "DESIGN.md contract: fit(survivors)"),
    "survival": ({"t"}, "the periods"),
    "retention": ({"t"}, "the periods"),
    "discounted_expected_residual_lifetime": ({"discount_rate"}, "no table: its one input"),
    # result methods
    "DemandCurveResult.premium_test": ({"price_a", "price_b"}, "the two prices compared"),
    "PriceResponseModel.predict": ({"p"}, "the price(s)"),
    "PriceResponseModel.elasticity": ({"p"}, "the price(s)"),
    "PriceResponseModel.profit": ({"p"}, "the price(s)"),
    "PriceResponseModel.from_params": ({"model"}, "the model's name, as in fit_price_response"),
    "ComparisonResult.plot_profiles": ({"grouping"}, "which grouping to draw"),
}
# every plot method takes the matplotlib Axes first, as pandas and seaborn do
PLOT_AX = "ax"

# Synonyms retired by the vocabulary: none of these may name a public parameter.
RETIRED = {
    "level": "ci",
    "conf_level": "ci",
    "confidence": "ci",
    "confidence_level": "ci",
    "df": "data",
    "frame": "data",
    "texts": "data",
    "scores": "data",
    "drivers": "data",
    "profile": "data",
    "transactions": "data",
    "summary": "data",
    "bootstrap": "n_boot",
    "n_bootstrap": "n_boot",
    "n_resamples": "n_boot",
    "n_replicates": "n_boot",
    "permutations": "n_permutations",
    "n_perm": "n_permutations",
    "simulations": "n_simulations",
    "n_sims": "n_simulations",
    "n_draws": "n_simulations",
    "n_random": "n_simulations",
    "random_state": "seed",
    "rng": "seed",
    "random_seed": "seed",
    "weight": "weights",
    "sample_weight": "weights",
}

# Where ``alpha`` remains it declares significance (FDR), never an interval level.
ALPHA_MEANS_SIGNIFICANCE = {"theme_associations", "theme_cooccurrence", "compare_waves"}


# ---- the walk ------------------------------------------------------------------------------


def _methods(cls: type) -> Iterator[tuple[str, Callable[..., Any]]]:
    for name in sorted(dir(cls)):
        if name.startswith("_") and not (name == "__init__" and cls in MODELS):
            continue
        attr = inspect.getattr_static(cls, name)
        if isinstance(attr, (staticmethod, classmethod)):
            attr = attr.__func__
        if inspect.isfunction(attr) and not attr.__qualname__.startswith("object."):
            yield name, attr


def public_callables() -> dict[str, Callable[..., Any]]:
    """Qualified name -> callable, for every public callable the vocabulary governs."""
    out: dict[str, Callable[..., Any]] = {}
    for name in cv.__all__:
        obj = getattr(cv, name)
        if inspect.ismodule(obj) or (inspect.isclass(obj) and issubclass(obj, BaseException | Warning)):
            continue
        if inspect.isclass(obj):
            for meth, fn in _methods(obj):
                out[f"{name}.{meth}"] = fn
        else:
            out[name] = obj
    for name in cv.metrics.__all__:
        obj = getattr(cv.metrics, name)
        if inspect.isclass(obj):
            for meth, fn in _methods(obj):
                out[f"metrics.{name}.{meth}"] = fn
        else:
            out[f"metrics.{name}"] = obj
    for name in cv.datasets.__all__:
        out[f"datasets.{name}"] = getattr(cv.datasets, name)
    return out


CALLABLES = public_callables()


def _keys(qualname: str) -> list[str]:
    """The names a declaration may use for a callable: qualified, class.method, bare."""
    parts = qualname.split(".")
    return [qualname, ".".join(parts[-2:]), parts[-1]]


def _declared(qualname: str, table: Any) -> bool:
    return any(k in table for k in _keys(qualname))


def _params(fn: Callable[..., Any]) -> list[inspect.Parameter]:
    ps = list(inspect.signature(fn).parameters.values())
    return ps[1:] if ps and ps[0].name in ("self", "cls") else ps


def _takes_table_first(qualname: str) -> bool:
    bare = qualname.split(".")[-1]
    if qualname.startswith("metrics."):
        return qualname.count(".") == 1 and bare in METRICS_TABLE_FUNCTIONS
    if "." not in qualname:
        return bare in TABLE_FUNCTIONS
    if qualname.startswith("datasets.") or _declared(qualname, NO_TABLE):
        return False
    return _declared(qualname, TABLE_METHODS) and qualname.split(".")[0] != "ShiftedBetaGeometric"


def test_the_walk_sees_the_whole_api() -> None:
    assert len(CALLABLES) > 150
    for must in ("demand_curve", "BetaGeo.fit", "GammaGamma.conditional_expected_spend", "metrics.nps"):
        assert must in CALLABLES
    assert "datasets.customers" in CALLABLES and "ShiftedBetaGeometric.fit" in CALLABLES


@pytest.mark.parametrize("qualname", sorted(CALLABLES))
def test_data_comes_first_exactly_where_declared(qualname: str) -> None:
    params = [p.name for p in _params(CALLABLES[qualname])]
    if _takes_table_first(qualname):
        assert params and params[0] == "data", f"{qualname}{params}: the table must come first, as 'data'"
    elif "data" in params:
        assert _declared(qualname, TABLE_NOT_FIRST), (
            f"{qualname}{params} takes 'data' but is not declared: add it to TABLE_FUNCTIONS "
            "(package) or TABLE_METHODS / TABLE_NOT_FIRST (here)"
        )
    if _declared(qualname, NO_TABLE):
        assert "data" not in params


def test_the_declared_lists_name_real_callables() -> None:
    for name in TABLE_FUNCTIONS:
        assert name in cv.__all__ and name in CALLABLES, name
    for name in METRICS_TABLE_FUNCTIONS:
        assert f"metrics.{name}" in CALLABLES, name
    bare = {q.split(".")[-1] for q in CALLABLES} | {".".join(q.split(".")[-2:]) for q in CALLABLES}
    for table in (TABLE_METHODS, TABLE_NOT_FIRST, NO_TABLE, POSITIONAL_EXCEPTIONS):
        missing = [k for k in table if k not in bare and k not in CALLABLES]
        assert not missing, f"declared but not public: {missing}"


@pytest.mark.parametrize("qualname", sorted(CALLABLES))
def test_no_retired_synonyms(qualname: str) -> None:
    for p in _params(CALLABLES[qualname]):
        assert p.name not in RETIRED, f"{qualname}: parameter '{p.name}' is spelled '{RETIRED[p.name]}'"
        if p.name == "alpha":
            assert _declared(qualname, ALPHA_MEANS_SIGNIFICANCE), (
                f"{qualname}: 'alpha' only where something is declared significant; an interval is 'ci'"
            )


@pytest.mark.parametrize("qualname", sorted(CALLABLES))
def test_options_are_keyword_only(qualname: str) -> None:
    allowed = {"data"} | ROLES
    for key in _keys(qualname):
        if key in POSITIONAL_EXCEPTIONS:
            allowed |= POSITIONAL_EXCEPTIONS[key][0]
            break
    if qualname.split(".")[-1].startswith("plot"):
        allowed.add(PLOT_AX)
    positional = [
        p.name
        for p in _params(CALLABLES[qualname])
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
    ]
    stray = [n for n in positional if n not in allowed]
    assert not stray, f"{qualname}: {stray} must be keyword-only (after '*')"


@pytest.mark.parametrize("qualname", sorted(CALLABLES))
def test_seed_defaults_to_zero(qualname: str) -> None:
    p = inspect.signature(CALLABLES[qualname]).parameters.get("seed")
    if p is not None:
        assert p.default == 0 and p.kind == p.KEYWORD_ONLY, f"{qualname}: seed={p.default!r}"


# ---- renamed keywords keep working for one release ----------------------------------------


def _same(a: Any, b: Any, where: str = "result") -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, obj=where)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, obj=where)
    elif isinstance(a, pd.Index):
        pd.testing.assert_index_equal(a, b, obj=where)
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, pa.Table | pa.Array | pa.ChunkedArray):
        assert a.equals(b), where
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            _same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and math.isnan(a):
        assert isinstance(b, float) and math.isnan(b), where
    elif hasattr(a, "params_"):
        _same(a.params_, b.params_, f"{where}.params_")
    else:
        assert a == b, where


def _log() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 2, 3, 3],
            "date": pd.to_datetime(
                ["2024-01-01", "2024-01-15", "2024-02-12", "2024-01-08", "2024-01-03", "2024-03-01"]
            ),
            "amount": [20.0, 30.0, 40.0, 10.0, 5.0, 15.0],
        }
    )


def _cases() -> dict[str, tuple[Callable[..., Any], dict[str, Any]]]:
    """Per renamed callable: the callable and a cheap call in the new names, with every renamed
    keyword among them."""
    survey = cv.datasets.pricing_survey(300, seed=0)
    people = cv.datasets.customers(400, seed=0)
    cdnow = cv.datasets.cdnow()
    bg, gg = cv.BetaGeo().fit(cdnow), cv.GammaGamma().fit(cdnow)
    texts = people["comment"].head(120)
    discovered = cv.discover_themes(texts, n_themes=3, seed=0)
    two_waves = pd.concat([people.head(200).assign(wave="1"), people.tail(200).assign(wave="2")])
    clustered = cv.cluster(people, features=["frequency", "monetary"], k=2)
    benefits = pd.DataFrame({"name": ["time"], "value": [100.0], "low": [80.0], "high": [130.0]})
    costs = pd.DataFrame({"name": ["licence"], "value": [60.0]})
    subs = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "start": pd.to_datetime(["2024-01-05"] * 4),
            "end": pd.to_datetime(["2024-02-10", None, "2024-03-01", None]),
        }
    )
    profile = pd.DataFrame(
        {
            "attribute": ["quality", "service"],
            "weight": [60, 40],
            "us": [8, 6],
            "them": [6, 6],
            "other": [6, 6],
        }
    )
    price_points = pd.DataFrame({"price": [10, 12, 14, 16, 18], "quantity": [100, 92, 79, 72, 61]})
    answers = pd.DataFrame({"price": [10, 10, 20, 20, 30, 30], "buy": [1, 1, 1, 0, 0, 0]})
    drivers = pd.DataFrame({"driver": ["speed", "support"], "value": [350, -100]})
    flags = ["theme_price", "theme_quality"]
    return {
        "demand_curve": (cv.demand_curve, {"data": survey, "wtp": "wtp"}),
        "van_westendorp": (cv.van_westendorp, {"data": survey}),
        "gabor_granger": (cv.gabor_granger, {"data": answers}),
        "fit_price_response": (cv.fit_price_response, {"data": price_points}),
        "PriceResponseModel.conf_int": (cv.fit_price_response(price_points).conf_int, {"ci": 0.9}),
        "rfm_summary": (cv.rfm_summary, {"data": _log(), "amount": "amount"}),
        "BetaGeo.conf_int": (bg.conf_int, {"ci": 0.9}),
        "customer_lifetime_value": (
            cv.customer_lifetime_value,
            {
                "transaction_model": bg,
                "spend_model": gg,
                "data": cdnow.head(5),
                "ci": 0.9,
                "n_simulations": 20,
            },
        ),
        "economic_value": (cv.economic_value, {"data": drivers, "reference_value": 300}),
        "value_map": (
            cv.value_map,
            {
                "data": profile,
                "ours": "us",
                "prices": {"us": 110, "them": 100, "other": 100},
                "weights": "weight",
            },
        ),
        "value_quantification": (
            cv.value_quantification,
            {"benefits": benefits, "costs": costs, "n_simulations": 50},
        ),
        "segment": (cv.segment, {"data": people, "rules": {"region": None}}),
        "rfm_scores": (cv.rfm_scores, {"data": people, "recency": "recency_days", "frequency": "frequency"}),
        "cluster": (cv.cluster, {"data": people, "features": ["frequency", "monetary"], "k": 2, "n_boot": 2}),
        "ClusterResult.predict": (clustered.predict, {"data": people.head(20)}),
        "compare_groupings": (
            cv.compare_groupings,
            {"data": people, "groupings": {"region": "region"}, "features": ["monetary"], "n_boot": 2},
        ),
        "tag_themes": (cv.tag_themes, {"data": texts, "lexicon": {"price": ["price", "expensive"]}}),
        "discover_themes": (cv.discover_themes, {"data": texts, "n_themes": 3}),
        "DiscoveredThemes.assign": (discovered.assign, {"data": texts.head(10)}),
        "theme_associations": (
            cv.theme_associations,
            {"data": people, "themes": flags, "metadata": ["region"], "ci": 0.9, "n_permutations": 50},
        ),
        "theme_cooccurrence": (cv.theme_cooccurrence, {"data": people, "themes": flags}),
        "theme_impact": (
            cv.theme_impact,
            {
                "data": people,
                "themes": flags,
                "outcome": "value_rating",
                "n_boot": 20,
                "ci": 0.9,
                "n_permutations": 20,
            },
        ),
        "compare_waves": (cv.compare_waves, {"data": two_waves, "themes": flags, "wave": "wave", "ci": 0.9}),
        "opportunity_scores": (cv.opportunity_scores, {"data": people, "ci": 0.9}),
        "metrics.nps": (cv.metrics.nps, {"data": people["nps"], "ci": 0.9}),
        "metrics.csat": (cv.metrics.csat, {"data": people["csat"], "ci": 0.9}),
        "metrics.ces": (cv.metrics.ces, {"data": people["effort"], "ci": 0.9}),
        "metrics.first_contact_resolution": (
            cv.metrics.first_contact_resolution,
            {"data": pd.DataFrame({"contacts": [1, 1, 2, 1, 3]}), "contacts": "contacts", "ci": 0.9},
        ),
        "metrics.churn_rate": (
            cv.metrics.churn_rate,
            {"data": subs, "customer": "id", "start": "start", "end": "end", "period": "M", "ci": 0.9},
        ),
        "metrics.engagement_index": (
            cv.metrics.engagement_index,
            {"data": people, "measures": ["frequency", "monetary"], "normalize": "z", "item_weights": "pca"},
        ),
        "metrics.cx_index": (
            cv.metrics.cx_index,
            {
                "data": people,
                "items": ["csat", "effort"],
                "scale": {"csat": (1, 5), "effort": (1, 7)},
                "item_weights": [2, 1],
                "n_simulations": 10,
                "ci": 0.9,
            },
        ),
        "metrics.silhouette_score": (
            cv.metrics.silhouette_score,
            {
                "X": people[["frequency", "monetary"]],
                "labels": people["region"],
                "sample_size": 100,
                "seed": 3,
            },
        ),
    }


def _renames(fn: Callable[..., Any]) -> dict[str, str]:
    return dict(getattr(fn, "__renamed__", {}))


def _old_value(old: str, new: str, value: Any) -> Any:
    return 1 - value if (old, new) == ("alpha", "ci") else value


@pytest.fixture(scope="module")
def cases() -> dict[str, tuple[Callable[..., Any], dict[str, Any]]]:
    return _cases()


def _function(fn: Callable[..., Any]) -> Any:
    return inspect.unwrap(getattr(fn, "__func__", fn))


def test_every_renamed_callable_has_a_check(
    cases: dict[str, tuple[Callable[..., Any], dict[str, Any]]],
) -> None:
    renamed = {q for q, fn in CALLABLES.items() if _renames(fn)}
    covered = {_function(fn) for fn, _ in cases.values()}
    unchecked = sorted(q for q in renamed if _function(CALLABLES[q]) not in covered)
    assert not unchecked, f"renamed callables without a check in _cases(): {unchecked}"


CASE_NAMES = (
    "demand_curve", "van_westendorp", "gabor_granger", "fit_price_response", "PriceResponseModel.conf_int",
    "rfm_summary", "BetaGeo.conf_int", "customer_lifetime_value", "economic_value", "value_map",
    "value_quantification", "segment", "rfm_scores", "cluster", "ClusterResult.predict", "compare_groupings",
    "tag_themes", "discover_themes", "DiscoveredThemes.assign", "theme_associations", "theme_cooccurrence",
    "theme_impact", "compare_waves", "opportunity_scores", "metrics.nps", "metrics.csat", "metrics.ces",
    "metrics.first_contact_resolution", "metrics.churn_rate", "metrics.engagement_index", "metrics.cx_index",
    "metrics.silhouette_score",
)  # fmt: skip


def test_case_names_list_the_cases(cases: dict[str, tuple[Callable[..., Any], dict[str, Any]]]) -> None:
    assert list(cases) == list(CASE_NAMES)


@pytest.mark.parametrize("qualname", CASE_NAMES)
def test_old_keywords_warn_and_agree(
    qualname: str, cases: dict[str, tuple[Callable[..., Any], dict[str, Any]]]
) -> None:
    fn, kwargs = cases[qualname]
    renames = _renames(fn)
    assert renames, f"{qualname}: no renamed keywords recorded"
    new_names = set(inspect.signature(fn).parameters)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        expected = fn(**kwargs)
    for old, new in renames.items():
        assert old not in new_names and new in new_names, (qualname, old, new)
        assert new in kwargs, f"{qualname}: the check must pass '{new}' to exercise '{old}'"
        call = {
            (old if k == new else k): (_old_value(old, new, v) if k == new else v) for k, v in kwargs.items()
        }
        with pytest.warns(FutureWarning, match=f"argument '{old}' is renamed '{new}'") as record:
            got = fn(**call)
        assert any("next release" in str(w.message) for w in record)
        _same(expected, got, f"{qualname}({old}=...)")


def test_old_and_new_name_together_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'level'.*'ci'"):
        cv.theme_impact(pd.DataFrame({"t": [0, 1], "y": [1.0, 2.0]}), ["t"], "y", level=0.9, ci=0.9)
    with pytest.raises(TypeError, match="'df'.*'data'"):
        cv.demand_curve(df=pd.DataFrame({"wtp": [1.0]}), data=pd.DataFrame({"wtp": [1.0]}))


def test_renames_keep_the_new_signature_visible() -> None:
    sig = inspect.signature(cv.theme_impact)
    assert "ci" in sig.parameters and "level" not in sig.parameters
    assert cv.theme_impact.__name__ == "theme_impact" and "Ranks themes" in (cv.theme_impact.__doc__ or "")
    assert inspect.unwrap(cv.theme_impact) is not cv.theme_impact


def test_alpha_as_an_interval_level_is_converted() -> None:
    a = cv.metrics.nps([10, 9, 3, 7, 10, 0], ci=0.8).table
    with pytest.warns(FutureWarning, match=r"'alpha' is renamed 'ci' \(ci = 1 - alpha\)"):
        b = cv.metrics.nps([10, 9, 3, 7, 10, 0], alpha=0.2).table
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(cv.ParameterError, match="'ci'"):
        cv.metrics.nps([10, 9], ci=95)


def _renamed_attribute_cases() -> list[tuple[Any, str, str, Any]]:
    """(result, old attribute, new attribute, the old attribute's value) per renamed field."""
    people = cv.datasets.customers(300, seed=0)
    flags = ["theme_price", "theme_quality"]
    subs = pd.DataFrame(
        {
            "id": [1, 2],
            "start": pd.to_datetime(["2024-01-05"] * 2),
            "end": pd.to_datetime(["2024-02-10", None]),
        }
    )
    engagement = cv.metrics.engagement_index(
        people, ["frequency", "monetary"], normalize="z", item_weights="pca"
    )
    cx = cv.metrics.cx_index(people, ["csat", "effort"], scale=(1, 7), item_weights=[3, 1], n_simulations=0)
    return [
        (cv.metrics.nps(people["nps"], ci=0.9), "alpha", "ci", 0.1),
        (cx, "alpha", "ci", 0.05),
        (
            cv.metrics.churn_rate(subs, customer="id", start="start", end="end", period="M", ci=0.8),
            "alpha",
            "ci",
            0.2,
        ),
        (cv.opportunity_scores(people, ci=0.99), "alpha", "ci", 0.01),
        (engagement, "weights", "item_weights", "pca"),
        (cx, "weights", "item_weights", {"csat": 0.75, "effort": 0.25}),
        (cv.theme_impact(people, flags, "value_rating", n_boot=20), "bootstrap", "n_boot", 20),
        (
            cv.theme_associations(people, flags, ["region"], n_permutations=30, profiles=False),
            "permutations",
            "n_permutations",
            30,
        ),
    ]


def test_renamed_result_attributes_read_for_one_release_with_a_warning() -> None:
    for result, old, new, value in _renamed_attribute_cases():
        name = type(result).__name__
        assert new in {f.name for f in dataclasses.fields(result)}, f"{name}.{new}"
        assert old not in {f.name for f in dataclasses.fields(result)}, f"{name}.{old}"
        with pytest.warns(FutureWarning, match=rf"{name}\.{old} is renamed '{new}'.*next release"):
            assert getattr(result, old) == value, f"{name}.{old}"
    curve = cv.demand_curve(cv.datasets.pricing_survey(200, seed=0), wtp="wtp")
    table = curve.premium_test(30.0, 40.0, ci=0.9, n_boot=50).table
    assert "level" not in table.columns and table["ci"].iloc[0] == 0.9


# ---- the namespace --------------------------------------------------------------------------

# Subpackages and modules that are attributes of ``customervalue`` once it is imported.
SUBMODULES = {
    "datasets",
    "metrics",
    "stats",
    "errors",
    "demand",
    "economics",
    "segmentation",
    "themes",
    "opportunity",
}
# Modules that become attributes only when something imports them (the CLI, the report).
ON_DEMAND = {"cli", "report", "report_config", "sklearn", "pandas", "polars", "dask", "spark"}


def test_all_is_exact() -> None:
    assert len(cv.__all__) == len(set(cv.__all__)), "duplicates in __all__"
    assert [n for n in cv.__all__ if not hasattr(cv, n)] == []
    code = (
        "import customervalue as cv, json; "
        "print(json.dumps(sorted(n for n in dir(cv) if not n.startswith('_'))))"
    )
    fresh = set(
        json.loads(
            subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        )
    )
    assert fresh == set(cv.__all__) | SUBMODULES, f"stray: {fresh - set(cv.__all__) - SUBMODULES}"
    assert not {"annotations", "warnings"} & fresh
    here = {n for n in dir(cv) if not n.startswith("_")}
    assert here - set(cv.__all__) <= SUBMODULES | ON_DEMAND


def test_accessor_offers_exactly_the_table_functions() -> None:
    cv.load_ipython_extension(None)
    df = pd.DataFrame({"wtp": [10.0, 20.0, 20.0, 40.0]})
    assert dir(df.cv) == sorted(TABLE_FUNCTIONS)
    first_data = {n for n in cv.__all__ if callable(getattr(cv, n)) and not inspect.isclass(getattr(cv, n))}
    first_data = {n for n in first_data if [p.name for p in _params(getattr(cv, n))][:1] == ["data"]}
    assert first_data == set(TABLE_FUNCTIONS)
    assert df.cv.demand_curve(wtp="wtp").revenue_optimal_price == 20.0
    for name in ("simple_clv", "BetaGeo", "price_position", "customer_lifetime_value", "datasets", "nope"):
        with pytest.raises(AttributeError):
            getattr(df.cv, name)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_not_fitted_models_raise_not_fitted_error(model: type) -> None:
    with pytest.raises(cv.NotFittedError, match=rf"{model.__name__} is not fitted yet; call fit\(\) first"):
        model().conf_int()
    with pytest.raises(ValueError):  # scikit-learn's NotFittedError is a ValueError ...
        model().summary()
    with pytest.raises(AttributeError):  # ... and an AttributeError
        model().sample_params(3)


def test_not_fitted_error_and_the_warning_classes() -> None:
    assert issubclass(cv.NotFittedError, cv.CustomerValueError)
    assert issubclass(cv.NotFittedError, ValueError) and issubclass(cv.NotFittedError, AttributeError)
    assert not issubclass(cv.NotFittedError, cv.ParameterError)
    assert issubclass(cv.CustomerValueWarning, UserWarning)
    assert issubclass(cv.DataDroppedWarning, cv.CustomerValueWarning)
    for name in ("NotFittedError", "CustomerValueWarning", "DataDroppedWarning"):
        assert name in cv.__all__ and name in cv.errors.__all__
    with pytest.raises(cv.NotFittedError):
        cv.BetaGeo().probability_alive(cv.datasets.cdnow().head(2))
    assert not hasattr(cv.GammaGamma(), "params_")
