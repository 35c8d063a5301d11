"""The project's own campaign (issue 18, item 5): hostile input for every public function, each
call in a forked child under a timeout and a memory cap, asserting the promise: a result whose
numbers are finite (NaN only where the documentation gives it a meaning) or a customervalue
exception whose message names the column or parameter. A crash, an abort, a hang, a foreign
exception or a silent NaN fails.

* ``test_every_public_function_has_a_strategy``: a public function without a strategy fails,
  so a new function cannot be forgotten.
* ``test_hostile_input[<function>]``: hypothesis draws cases from the function's strategy.
* ``test_reproducer[<function>-<case>]``: the minimal reproducers of the defects the campaign
  found, pinned. Those still open are listed in ``KNOWN_DEFECTS`` and run as strict xfails: a
  fix turns one into a failure, which says to remove its entry. The fuzz test tolerates a case
  that breaks the promise in the way a listed defect does (same class and message, in the
  defect's function or its ``scope``), so it fails only on new defects.

Profiles (tests/campaign/conftest.py): ``CV_CAMPAIGN=fast`` (default, ``make test``) and
``CV_CAMPAIGN=long`` (``make fuzz``).
"""

from __future__ import annotations

import inspect
import os
import re
from typing import Any, NamedTuple

import customervalue as cv
import pytest
from hypothesis import given
from hypothesis import strategies as st

from . import harness
from .conftest import CAMPAIGN_SETTINGS
from .harness import Arr, Case, Col, Fitted, Frame, run_in_child
from .strategies import STRATEGIES

NAN, INF = float("nan"), float("inf")


class Known(NamedTuple):
    """An open defect: its class (the Outcome status), a regex on the outcome's detail that
    recognises it, the reason shown by the xfail, and ``scope``: a regex of the other public
    functions (beyond the key's) where the fuzz test tolerates the same defect."""

    status: str
    match: str
    reason: str
    scope: str | None = None


def F(*columns: tuple, container: str = "pandas") -> Frame:
    """A Frame from (name, values[, dtype]) tuples."""
    return Frame([(c[0], Col(list(c[1]), c[2] if len(c) > 2 else "float64")) for c in columns], container)


def _summary() -> Frame:
    return F(("frequency", [3.0]), ("recency", [1.73]), ("T", [6.0]))


_PQ = F(("price", [10.0, 12.0, 14.0, 16.0, 18.0, 20.0]), ("quantity", [100.0, 92.0, 79.0, 72.0, 61.0, 55.0]))
_SHARES = F(("price", [10.0, 12.0, 14.0, 16.0, 18.0, 20.0]), ("quantity", [0.9, 0.8, 0.6, 0.4, 0.3, 0.1]))
_BGBB_HUGE = F(("frequency", [2.0]), ("recency", [5.0]), ("n_periods", [1e9]))
_HUGE_X = [[1e200, 0.0], [1.1e200, 0.0], [5e200, 0.0], [5.2e200, 0.0]]
_MAX = 1.7976931348623157e308

#: The pinned reproducers, keyed by (function, case id): each must keep the promise.
CASES: dict[tuple[str, str], Case] = {
    # abort, panic (fixed while the campaign was written: kept as regressions)
    ("BetaGeoBetaBinom.probability_alive", "n_periods_1e9"): Case(
        "BetaGeoBetaBinom.probability_alive", (Fitted("BetaGeoBetaBinom"), _BGBB_HUGE)
    ),
    ("BetaGeoBetaBinom.conditional_expected_purchases", "n_periods_1e9"): Case(
        "BetaGeoBetaBinom.conditional_expected_purchases", (Fitted("BetaGeoBetaBinom"), 2, _BGBB_HUGE)
    ),
    ("BetaGeoBetaBinom.fit", "n_periods_1e9"): Case(
        "BetaGeoBetaBinom.fit",
        (F(("frequency", [1.0, 0.0]), ("recency", [1.0, 0.0]), ("n_periods", [1e9, 6.0])),),
    ),
    ("BetaGeoBetaBinom.fit", "n_periods_8e18"): Case(
        "BetaGeoBetaBinom.fit",
        (F(("frequency", [1.0, 0.0]), ("recency", [1.0, 0.0]), ("n_periods", [8e18, 6.0])),),
    ),
    # hang
    ("BetaGeo.fit", "frequency_1e6"): Case(
        "BetaGeo.fit", (F(("frequency", [1e6]), ("recency", [0.94]), ("T", [1.1])),)
    ),
    ("ModifiedBetaGeo.fit", "frequency_1e6"): Case(
        "ModifiedBetaGeo.fit", (F(("frequency", [1e6]), ("recency", [0.94]), ("T", [1.1])),)
    ),
    ("metrics.adjusted_mutual_info_score", "singletons_800"): Case(
        "metrics.adjusted_mutual_info_score",
        (Arr(Col(list(range(800)), "int64")), Arr(Col(list(range(800)), "int64"))),
    ),
    # memory from a parameter
    ("BetaGeo.sample_params", "n_1e9"): Case("BetaGeo.sample_params", (Fitted("BetaGeo"), 10**9)),
    ("metrics.cx_index", "n_simulations_1e9"): Case(
        "metrics.cx_index", (F(("q0", [1, 5, 3, 4], "int64")), ["q0"]), {"n_simulations": 10**9}
    ),
    ("ShiftedBetaGeometric.plot", "periods_1e10"): Case(
        "ShiftedBetaGeometric.plot", (Fitted("ShiftedBetaGeometric"),), {"periods": 10**10}
    ),
    # wrong result (AMI: fixed while the campaign was written, kept as a regression)
    ("metrics.adjusted_mutual_info_score", "identical_singletons"): Case(
        "metrics.adjusted_mutual_info_score", (list(range(10)), list(range(10))), expect=1.0
    ),
    # silent NaN or infinity
    ("BetaGeo.expected_purchases", "t_nan"): Case("BetaGeo.expected_purchases", (Fitted("BetaGeo"), NAN)),
    ("ParetoNBD.expected_purchases", "t_negative"): Case(
        "ParetoNBD.expected_purchases", (Fitted("ParetoNBD"), -1e9)
    ),
    ("ModifiedBetaGeo.expected_purchases", "t_1e300"): Case(
        "ModifiedBetaGeo.expected_purchases", (Fitted("ModifiedBetaGeo"), 1e300)
    ),
    ("BetaGeo.conditional_expected_purchases", "t_max_float"): Case(
        "BetaGeo.conditional_expected_purchases", (Fitted("BetaGeo"), _MAX, _summary())
    ),
    ("ModifiedBetaGeo.conditional_expected_purchases_matrix", "t_max_float"): Case(
        "ModifiedBetaGeo.conditional_expected_purchases_matrix", (Fitted("ModifiedBetaGeo"),), {"t": _MAX}
    ),
    ("ParetoNBD.probability_alive", "frequency_1e308"): Case(
        "ParetoNBD.probability_alive",
        (Fitted("ParetoNBD"), F(("frequency", [1e308]), ("recency", [0.0]), ("T", [1.0]))),
    ),
    ("BetaGeoBetaBinom.discounted_expected_residual_transactions", "discount_rate_1e-300"): Case(
        "BetaGeoBetaBinom.discounted_expected_residual_transactions",
        (Fitted("BetaGeoBetaBinom"), F(("frequency", [1.0]), ("recency", [5.0]), ("n_periods", [5.0]))),
        {"discount_rate": 1e-300},
    ),
    ("ShiftedBetaGeometric.discounted_expected_residual_lifetime", "discount_rate_0"): Case(
        "ShiftedBetaGeometric.discounted_expected_residual_lifetime", (Fitted("ShiftedBetaGeometric"), 0.0)
    ),
    ("ShiftedBetaGeometric.survival", "t_negative"): Case(
        "ShiftedBetaGeometric.survival", (Fitted("ShiftedBetaGeometric"), -3)
    ),
    ("ShiftedBetaGeometric.retention", "t_nan"): Case(
        "ShiftedBetaGeometric.retention", (Fitted("ShiftedBetaGeometric"), NAN)
    ),
    ("PriceResponseModel.predict", "price_0_constant_elasticity"): Case(
        "PriceResponseModel.predict",
        (Case("fit_price_response", (_PQ,), {"model": "constant_elasticity"}), 0.0),
    ),
    ("PriceResponseModel.elasticity", "price_inf"): Case(
        "PriceResponseModel.elasticity", (Case("fit_price_response", (_SHARES,), {"model": "logit"}), INF)
    ),
    ("PriceResponseModel.profit", "cost_nan"): Case(
        "PriceResponseModel.profit",
        (Case("fit_price_response", (_PQ,), {"model": "linear"}), 15.0),
        {"cost": NAN},
    ),
    ("PriceResponseModel.from_params", "standard_errors"): Case(
        "PriceResponseModel.from_params", ("linear",), {"a": 100.0, "b": 2.0}
    ),
    ("simple_clv", "nan_component"): Case("simple_clv", (NAN, 12, 0.3), {"churn_rate": 0.25}),
    ("ltv_to_cac", "ltv_nan"): Case("ltv_to_cac", (NAN, 300.0)),
    ("value_quantification", "zero_costs_roi"): Case(
        "value_quantification",
        (F(("name", ["x"], "str"), ("value", [100.0])), F(("name", ["y"], "str"), ("value", [0.0]))),
    ),
    ("GaborGrangerResult.elasticity", "no_demand_at_previous_price"): Case(
        "GaborGrangerResult.elasticity",
        (
            Case(
                "gabor_granger",
                (
                    F(
                        ("respondent", [0, 0, 0, 1, 1, 1], "int64"),
                        ("price", [10.0, 20.0, 30.0] * 2),
                        ("buy", [1, 0, 0, 0, 0, 0], "int64"),
                    ),
                ),
                {"respondent": "respondent"},
            ),
        ),
    ),
    ("CohortResult.survivor", "cohorts_of_different_ages"): Case(
        "CohortResult.survivor",
        (
            Case(
                "metrics.churn_rate",
                (
                    F(
                        ("id", [1, 2], "int64"),
                        ("start", ["2024-01-05", "2024-03-05"], "datetime"),
                        ("end", [None, None], "datetime"),
                    ),
                ),
                {
                    "customer": "id",
                    "start": "start",
                    "end": "end",
                    "period": "M",
                    "observation_end": "2024-06-30",
                },
            ),
        ),
    ),
    ("metrics.engagement_index", "constant_measure"): Case(
        "metrics.engagement_index",
        (F(("m0", [1.0, 1.0, 1.0]), ("m1", [1.0, 2.0, 3.0])), ["m0", "m1"]),
        {"normalize": "z"},
    ),
    ("demand_curve", "cost_above_every_wtp"): Case(
        "demand_curve", (F(("wtp", [341.0, 200.0])),), {"cost": 1000.0}
    ),
    ("compare_groupings", "singleton_grouping"): Case(
        "compare_groupings",
        (
            F(
                ("x", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
                ("g", [0, 0, 0, 1, 1, 1], "int64"),
                ("s", [0, 1, 2, 3, 4, 5], "int64"),
            ),
        ),
        {"groupings": {"g": "g", "s": "s"}, "features": ["x"]},
    ),
    ("metrics.silhouette_samples", "values_1e200"): Case(
        "metrics.silhouette_samples", (_HUGE_X, [0, 0, 1, 1])
    ),
    ("metrics.silhouette_score", "values_1e200"): Case("metrics.silhouette_score", (_HUGE_X, [0, 0, 1, 1])),
    # foreign exceptions
    ("demand_curve", "duplicate_column_pandas"): Case(
        "demand_curve", (Frame([("wtp", Col([10.0, 20.0])), ("wtp", Col([20.0, 10.0]))]),), {"wtp": "wtp"}
    ),
    ("BetaGeo.fit", "duplicate_column_arrow"): Case(
        "BetaGeo.fit",
        (
            Frame(
                [
                    ("frequency", Col([1.0, 0.0])),
                    ("recency", Col([2.0, 0.0])),
                    ("T", Col([5.0, 5.0])),
                    ("recency", Col([2.0, 0.0])),
                ],
                "arrow",
            ),
        ),
    ),
    ("ParetoNBD.fit", "missing_none"): Case("ParetoNBD.fit", (_summary(),), {"missing": None}),
    ("tag_themes", "language_none"): Case(
        "tag_themes", (["too expensive"], {"price": ["expensive"]}), {"language": None}
    ),
    ("demand_curve", "n_boot_negative"): Case("demand_curve", (F(("wtp", [10.0, 20.0])),), {"n_boot": -1}),
    ("datasets.customers", "n_negative"): Case("datasets.customers", (-1,)),
    ("theme_impact", "seed_2_64"): Case(
        "theme_impact",
        (
            F(
                ("t0", [1, 0, 1, 0, 1, 0], "int64"),
                ("t1", [0, 0, 1, 1, 0, 1], "int64"),
                ("y", [1.0, 2.0, 3.0, 4.0, 5.0, 7.0]),
            ),
            ["t0", "t1"],
            "y",
        ),
        {"seed": 2**64, "n_boot": 5},
    ),
    ("van_westendorp", "seed_nan"): Case(
        "van_westendorp",
        (
            F(
                ("too_cheap", [1.0, 2.0]),
                ("cheap", [2.0, 3.0]),
                ("expensive", [3.0, 4.0]),
                ("too_expensive", [4.0, 5.0]),
            ),
        ),
        {"seed": NAN},
    ),
    ("value_quantification", "horizon_nan"): Case(
        "value_quantification",
        (F(("name", ["x"], "str"), ("value", [100.0])), F(("name", ["y"], "str"), ("value", [10.0]))),
        {"horizon": NAN},
    ),
    ("theme_associations", "n_permutations_nan"): Case(
        "theme_associations",
        (F(("t0", [1, 0, 1, 0, 1, 0, 1, 0], "int64"), ("g", list("aabbaabb"), "str")), ["t0"], ["g"]),
        {"n_permutations": NAN},
    ),
    ("opportunity_scores", "scale_nan"): Case(
        "opportunity_scores",
        (F(("importance_speed", [5, 4], "int64"), ("satisfaction_speed", [3, 2], "int64")),),
        {"scale": (NAN, 5)},
    ),
    ("BetaGeo.sample_params", "n_negative"): Case("BetaGeo.sample_params", (Fitted("BetaGeo"), -1)),
    ("GammaGamma.sample_params", "n_fractional"): Case(
        "GammaGamma.sample_params", (Fitted("GammaGamma"), 1.5)
    ),
    ("ShiftedBetaGeometric.sample_params", "seed_negative"): Case(
        "ShiftedBetaGeometric.sample_params", (Fitted("ShiftedBetaGeometric"), 3), {"seed": -1}
    ),
    ("BetaGeo.probability_of_purchases", "n_empty"): Case(
        "BetaGeo.probability_of_purchases", (Fitted("BetaGeo"), 5.0, [])
    ),
    ("rfm_summary", "all_null_column_polars"): Case(
        "rfm_summary",
        (
            F(
                ("customer_id", ["c1", "c1"], "object"),
                ("date", ["2024-01-01", "2024-03-01"], "datetime"),
                ("amount", [None, None], "object"),
                container="polars",
            ),
        ),
        {"amount": "amount", "missing": "drop"},
    ),
    ("compare_waves", "empty_polars"): Case(
        "compare_waves",
        (
            F(("t0", [], "bool"), ("wave", [], "int64"), ("control", [], "object"), container="polars"),
            ["t0"],
            "wave",
        ),
        {"control": "control"},
    ),
    ("rfm_summary", "observation_end_2262"): Case(
        "rfm_summary",
        (
            F(
                ("customer_id", [1, 1, 2], "int64"),
                ("date", ["2024-01-01", "2024-02-01", "2024-01-15"], "datetime"),
            ),
        ),
        {"observation_end": "2262-04-12"},
    ),
    ("customer_lifetime_value", "spend_model_not_gamma_gamma"): Case(
        "customer_lifetime_value",
        (
            Fitted("BetaGeo"),
            Fitted("BetaGeo"),
            F(("frequency", [1.0]), ("recency", [2.0]), ("T", [5.0]), ("monetary_value", [10.0])),
        ),
    ),
    ("simple_clv", "length_mismatch"): Case(
        "simple_clv", ([50.0, 60.0], [12.0, 12.0, 12.0], 0.3), {"churn_rate": 0.25}
    ),
    ("cac_payback", "length_mismatch"): Case(
        "cac_payback", ([300.0, 200.0],), {"margin_per_period": [50.0, 60.0, 70.0]}
    ),
    ("segment", "all_null_dictionary"): Case(
        "segment",
        (Frame([("region", Col([None, None, None], "object", "dictionary"))], "arrow"), {"region": None}),
        {"missing": "label"},
    ),
    ("opportunity_scores", "integer_names_with_competitor"): Case(
        "opportunity_scores",
        (Frame([(i, Col([], "int64")) for i in range(4)], "record_batch"),),
        {"importance": [0, 2], "satisfaction": [1, 3], "competitor": "competitor_"},
    ),
    ("BetaGeo.plot_frequency", "other_column_names"): Case(
        "BetaGeo.plot_frequency", (Fitted("BetaGeo"), F(("f", [1.0]), ("r", [1.0]), ("T", [5.0])))
    ),
    ("ShiftedBetaGeometric.plot", "periods_nan"): Case(
        "ShiftedBetaGeometric.plot", (Fitted("ShiftedBetaGeometric"),), {"periods": NAN}
    ),
    ("rfm_summary", "lone_surrogate_id"): Case(
        "rfm_summary",
        (F(("customer_id", ["\ud800", "a"], "object"), ("date", ["2024-01-01", "2024-03-01"], "datetime")),),
    ),
    ("tag_themes", "lone_surrogate_text"): Case(
        "tag_themes", (["\ud800 expensive", "cheap"], {"price": ["expensive"]})
    ),
    # found by the long profile
    ("BetaGeo.plot_frequency", "categorical_frequency"): Case(
        "BetaGeo.plot_frequency",
        (Fitted("BetaGeo"), F(("frequency", [1, 2], "category"), ("recency", [1.0, 2.0]), ("T", [5.0, 5.0]))),
    ),
    ("PriceResponseModel.from_params", "text_parameter"): Case(
        "PriceResponseModel.from_params", ("linear",), {"a": "x", "b": 1.0}
    ),
    ("ShiftedBetaGeometric.survival", "t_minus_1"): Case(
        "ShiftedBetaGeometric.survival", (Fitted("ShiftedBetaGeometric"), -1)
    ),
    ("metrics.cx_index", "no_simulations"): Case(
        "metrics.cx_index", (F(("q0", [1], "int64")), ["q0"]), {"n_simulations": 0}
    ),
    ("metrics.first_contact_resolution", "integer_column_name"): Case(
        "metrics.first_contact_resolution", (Frame([(0, Col([1, 2], "int64"))]),), {"contacts": 0}
    ),
    ("price_position", "our_price_max_float"): Case("price_position", (_MAX, {"a": 1.05, "b": 44.0})),
    ("rfm_scores", "malformed_preset"): Case(
        "rfm_scores",
        (F(("r", [192.0, 400.0]), ("f", [4, 0], "int64")),),
        {"recency": "r", "frequency": "f", "preset": {"Bad": (5, 5)}},
    ),
    ("theme_cooccurrence", "theme_never_mentioned"): Case(
        "theme_cooccurrence", (F(("t0", [1, 0, 1], "bool"), ("t1", [0, 0, 0], "bool")), ["t0", "t1"])
    ),
    ("value_map", "denormal_price"): Case(
        "value_map",
        (
            F(
                ("attribute", ["q", "s"], "str"),
                ("weight", [50.0, 50.0]),
                ("us", [8.0, 6.0]),
                ("them", [6.0, 6.0]),
            ),
            "us",
        ),
        {"prices": {"us": 110.0, "them": 5e-324}},
    ),
    ("key_drivers", "no_bootstrap"): Case(
        "key_drivers",
        (F(("x0", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), ("y", [1.0, 3.0, 2.0, 5.0, 4.0, 6.0])), ["x0"], "y"),
    ),
    ("discover_themes", "seed_none"): Case(
        "discover_themes",
        (["price too high", "late delivery", "great support"],),
        {"n_themes": 2, "seed": None},
    ),
}

_ALL = r".*"

#: Open defects (issue 18): (function, case id) of a reproducer in CASES -> Known. Remove an
#: entry when its strict xfail starts failing (the defect is fixed).
KNOWN_DEFECTS: dict[tuple[str, str], Known] = {}


# --------------------------------------------------------------------------------------------
# The registry of public functions
# --------------------------------------------------------------------------------------------

#: Methods of estimators and results that need no strategy, and why.
EXEMPT_METHODS = {
    "get_params": "returns the constructor's arguments, no input",
    "set_params": "stores constructor arguments; the models take none that reach the core",
    "summary": "called on every result by the promise check",
    "to_arrow": "called on every result by the promise check",
    "to_pandas": "returns the result's table",
    "to_polars": "converts the table to_arrow converts (the promise check calls to_arrow)",
    "plot": "results' plots draw the checked tables (the sBG plot, which takes periods, has a strategy)",
}
#: Top-level callables that take no data and do no analysis, with the reason.
EXEMPT_FUNCTIONS = {
    "get_option": "reads a global option; its names and values are tested in test_outputs_polars_arrow.py",
    "set_option": "sets a global option (a campaign child would change it for nothing); tested there too",
    "option_context": "a context manager over set_option; tested there too",
    "set_num_threads": "a process setting (a campaign child would change it for nothing); see test_states.py",
    "get_num_threads": "reads that process setting; no input",
}
RESULT_PLOTS = re.compile(r"^plot_")  # plots of results draw tables the check already read


def public_callables() -> list[str]:
    """Every public callable of customervalue, as the campaign names them."""
    names: list[str] = []
    for owner, prefix in ((cv, ""), (cv.metrics, "metrics."), (cv.datasets, "datasets.")):
        for n in owner.__all__:
            obj = getattr(owner, n)
            if n in ("datasets", "metrics") and owner is cv:
                continue
            if inspect.isclass(obj):
                if issubclass(obj, (BaseException, Warning)):
                    continue
                is_model = n in harness.MODEL_NAMES
                if is_model:
                    names.append(f"{n}.fit")
                for m, member in inspect.getmembers(obj):
                    if m.startswith("_") or m == "fit" or not callable(member) or m in EXEMPT_METHODS:
                        continue
                    if isinstance(inspect.getattr_static(obj, m), property):
                        continue
                    if not is_model and RESULT_PLOTS.match(m):
                        continue
                    names.append(f"{n}.{m}")
            elif callable(obj) and not (owner is cv and n in EXEMPT_FUNCTIONS):
                names.append(prefix + n)
    if "ShiftedBetaGeometric.plot" not in names:
        names.append("ShiftedBetaGeometric.plot")
    return sorted(set(names))


def test_every_public_function_has_a_strategy():
    public = public_callables()
    missing = [n for n in public if n not in STRATEGIES]
    stale = [n for n in STRATEGIES if n not in public]
    assert not missing, (
        f"public functions without a campaign strategy (add one in tests/campaign/strategies.py): {missing}"
    )
    assert not stale, f"campaign strategies for names that are no longer public: {stale}"


# --------------------------------------------------------------------------------------------
# Fuzzing
# --------------------------------------------------------------------------------------------


def _known_match(func: str, outcome: harness.Outcome) -> str | None:
    """The known defect a broken promise matches: same class, a message the regex finds, and
    the function is the key's or in the defect's scope."""
    for (f, cid), k in KNOWN_DEFECTS.items():
        in_scope = f == func or (k.scope is not None and re.fullmatch(k.scope, func))
        if (
            in_scope
            and k.status == outcome.status
            and re.search(k.match, outcome.detail + "\n" + outcome.tb, re.S)
        ):
            return f"{f}/{cid}"
    return None


def check(func: str, case: Case, *, tolerate_known: bool, timeout: float | None = None) -> None:
    outcome = run_in_child(case, timeout=timeout)
    known = _known_match(func, outcome) if not outcome.ok else None
    harness.record(func, case, outcome, known)
    if outcome.ok or (tolerate_known and (known or os.environ.get("CV_CAMPAIGN_COLLECT"))):
        return
    pytest.fail(f"{outcome.status}: {case.describe()}\n{outcome}", pytrace=False)


@pytest.mark.parametrize("func", sorted(STRATEGIES))
@CAMPAIGN_SETTINGS
@given(data=st.data())
def test_hostile_input(func: str, data: Any) -> None:
    case = data.draw(STRATEGIES[func](), label="case")
    check(func, case, tolerate_known=True)


# --------------------------------------------------------------------------------------------
# Pinned reproducers
# --------------------------------------------------------------------------------------------


def _params() -> list[Any]:
    out = []
    for (func, cid), case in sorted(CASES.items()):
        marks = []
        if (func, cid) in KNOWN_DEFECTS:
            k = KNOWN_DEFECTS[(func, cid)]
            marks.append(pytest.mark.xfail(strict=True, reason=f"issue 18: {k.reason}"))
        out.append(pytest.param(func, cid, case, id=f"{func}-{cid}", marks=marks))
    return out


@pytest.mark.parametrize(("func", "cid", "case"), _params())
def test_reproducer(func: str, cid: str, case: Case) -> None:
    known = KNOWN_DEFECTS.get((func, cid))
    # a known hang need not wait the full timeout to show it still hangs (3 s)
    check(func, case, tolerate_known=False, timeout=3 if known and known.status == "hang" else None)


def test_known_defects_have_reproducers():
    assert not [k for k in KNOWN_DEFECTS if k not in CASES]
