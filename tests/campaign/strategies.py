"""Hypothesis strategies of hostile calls, one per public function (``STRATEGIES``).

Every strategy draws a :class:`~campaign.harness.Case`: mostly valid data so the analysis runs
far, with hostile values injected (NaN, +-inf, denormals, huge and tiny values, negative where
the domain is positive), degenerate shapes (empty, one row, a constant column), every container
and dtype (pandas numpy and nullable dtypes, categoricals with unused or no categories,
string[pyarrow], object; Arrow dictionary, large_string, chunked, sliced; polars), hostile
column names (duplicated, non-string, odd text), shuffled, filtered and duplicated indexes, and
extreme parameters (negative, zero, huge, NaN seeds, k, horizons, replicate counts).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st

from .harness import Arr, Case, Col, Fitted, Frame, Gen, Matrix

#: The long profile also draws large inputs (thousands of rows, made in the child), to find
#: the hidden quadratic paths; the fast one keeps to small ones.
LONG = __import__("os").environ.get("CV_CAMPAIGN", "fast") == "long"


def big(n_lo: int = 2_000, n_hi: int = 60_000) -> st.SearchStrategy[int]:
    """A large size in the long profile; never drawn in the fast one."""
    return st.integers(n_lo, n_hi) if LONG else st.nothing()


NAN, INF = float("nan"), float("inf")
MAX = 1.7976931348623157e308
#: Hostile numbers injected into numeric columns.
HOSTILE_FLOATS = [
    NAN,
    INF,
    -INF,
    5e-324,
    2.2250738585072014e-308,
    1e-300,
    1e-12,
    1e300,
    MAX,
    -MAX,
    0.0,
    -0.0,
    -1.0,
    1e15,
    9007199254740993.0,
    -1e-300,
]
#: Hostile values of a float parameter.
HOSTILE_PARAM_F = [NAN, INF, -INF, -1.0, 0.0, -0.0, 5e-324, 1e-300, 1e300, MAX, 1e9, -1e9, 2.0, 1.0]
#: Hostile values of an integer parameter (counts, seeds, k).
HOSTILE_PARAM_I = [-1, 0, 1, 2**31, 2**32, 2**63 - 1, 2**63, 2**64, -(2**63), 10**9, 10**18, NAN, 1.5, True]
#: Hostile texts.
HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "\ud800",
    "é" * 3,
    "🙂🙂",
    "a" * 5000,
    "NOT not never n't",
    "...,;;!!",
    "\u200b",
    "ﬁne ﬂow",
    "İstanbul",
    "Straße",
    "price price price",
    "\n\t",
    "None",
    "nan",
]

STRATEGIES: dict[str, Callable[[], st.SearchStrategy[Case]]] = {}


def strategy(*names: str) -> Callable:
    def register(fn: Callable) -> Callable:
        for n in names:
            STRATEGIES[n] = (lambda fn=fn, n=n: fn(n)) if _takes_name(fn) else fn
        return fn

    return register


def _takes_name(fn: Callable) -> bool:
    import inspect

    return len(inspect.signature(fn).parameters) == 1


# --------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------


def mix(valid: st.SearchStrategy, hostile: list, weight: int = 3) -> st.SearchStrategy:
    """``valid`` most of the time, a hostile value otherwise (1 in weight + 1)."""
    return st.one_of(*([valid] * weight), st.sampled_from(hostile))


def fparam(lo: float, hi: float, hostile: list = HOSTILE_PARAM_F, weight: int = 3) -> st.SearchStrategy:
    return mix(st.floats(lo, hi, allow_nan=False, allow_infinity=False), hostile, weight)


def iparam(lo: int, hi: int, hostile: list = HOSTILE_PARAM_I, weight: int = 3) -> st.SearchStrategy:
    return mix(st.integers(lo, hi), hostile, weight)


def seeds() -> st.SearchStrategy:
    return mix(st.integers(0, 2**32), [-1, 2**63, 2**64, -(2**63), NAN, 1.5, None, "0", np.int64(3)], 4)


def cis() -> st.SearchStrategy:
    return mix(
        st.sampled_from([0.8, 0.9, 0.95, 0.99]), [0.0, 1.0, 1.5, -0.5, NAN, INF, 95, 1e-300, 0.999999999999]
    )


def missing_policy() -> st.SearchStrategy:
    return st.sampled_from(["raise", "raise", "drop", "drop", "ignore", None])


def sizes(max_n: int = 60) -> st.SearchStrategy[int]:
    return st.one_of(
        st.just(0), st.just(1), st.just(2), st.integers(3, 12), st.integers(3, max_n), st.integers(3, max_n)
    )


def kwarg_subset(**options: st.SearchStrategy) -> st.SearchStrategy[dict]:
    """A dict holding some of the keyword arguments (each present or absent)."""

    @st.composite
    def build(draw: Any) -> dict:
        out = {}
        for k, strat in options.items():
            if draw(st.booleans()):
                out[k] = draw(strat)
        return out

    return build()


# value generators -----------------------------------------------------------------------


def _floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.one_of(
        st.integers(int(math.ceil(lo)), int(math.floor(hi))).map(float),
        st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 2)),
    )


KINDS: dict[str, Callable[[], st.SearchStrategy]] = {
    "positive": lambda: _floats(0.5, 500),
    "nonneg": lambda: _floats(0, 500),
    "real": lambda: _floats(-500, 500),
    "count": lambda: st.integers(0, 12),
    "prob": lambda: st.floats(0, 1, allow_nan=False),
    "binary": lambda: st.integers(0, 1),
    "label": lambda: st.sampled_from(["a", "b", "c", "North", "é", "1"]),
    "few_labels": lambda: st.sampled_from(["x", "y"]),
    "text": lambda: st.lists(
        st.sampled_from(
            [
                "price",
                "too",
                "expensive",
                "not",
                "late",
                "delivery",
                "great",
                "support",
                "slow",
                "never",
                "quality",
                "delays",
                "the",
                "was",
                ".",
                ",",
                "cheap",
                "love",
            ]
        ),
        min_size=0,
        max_size=12,
    ).map(" ".join),
}

NUMERIC_DTYPES = ["float64"] * 6 + ["float32", "Float64", "object", "Int64", "int64", "string_pa", "category"]
COUNT_DTYPES = ["int64"] * 5 + [
    "Int64",
    "float64",
    "int32",
    "uint64",
    "Float64",
    "object",
    "category",
    "bool",
]
LABEL_DTYPES = (
    ["str"] * 3
    + ["category"] * 2
    + ["category_unused", "category_empty", "string_pa", "object", "int64", "boolean", "Int64"]
)
BOOL_DTYPES = ["bool"] * 4 + ["boolean", "int64", "Int64", "float64", "object", "str", "category"]
TEXT_DTYPES = ["str"] * 3 + ["string_pa", "object", "category"]
DATE_DTYPES = ["datetime"] * 4 + ["datetime_tz", "date_str", "object"]
ARROW_TRANSFORMS = [None] * 6 + ["dictionary", "large_string", "float32", "decimal", "date32"]

DTYPES = {
    "positive": NUMERIC_DTYPES,
    "nonneg": NUMERIC_DTYPES,
    "real": NUMERIC_DTYPES,
    "prob": NUMERIC_DTYPES,
    "count": COUNT_DTYPES,
    "binary": BOOL_DTYPES,
    "bool": BOOL_DTYPES,
    "label": LABEL_DTYPES,
    "few_labels": LABEL_DTYPES,
    "text": TEXT_DTYPES,
    "date": DATE_DTYPES,
    "score": COUNT_DTYPES,
}


@st.composite
def values(draw: Any, kind: str, n: int, lo: int = 0, hi: int = 10) -> list:
    if kind == "score":
        return draw(st.lists(st.integers(lo, hi), min_size=n, max_size=n))
    if kind == "date":
        days = draw(st.lists(st.integers(0, 400), min_size=n, max_size=n))
        return [np.datetime64("2024-01-01") + np.timedelta64(d, "D") for d in days]
    if kind == "bool":
        return draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return draw(st.lists(KINDS[kind](), min_size=n, max_size=n))


@st.composite
def corrupt(draw: Any, vals: list, kind: str) -> list:
    """Injects hostile values, or makes the column constant, all-missing or extreme."""
    vals = list(vals)
    n = len(vals)
    if n == 0:
        return vals
    mode = draw(st.sampled_from(["none"] * 5 + ["inject", "inject", "constant", "all_missing", "extreme"]))
    numeric = kind in ("positive", "nonneg", "real", "count", "prob", "binary", "score")
    if mode == "none":
        return vals
    if mode == "constant":
        return [vals[0]] * n
    if mode == "all_missing":
        return [None] * n
    if mode == "extreme":
        if numeric:
            scale = draw(st.sampled_from([1e-310, 1e-200, 1e200, 1e300, -1.0, 1e18]))
            return [None if v is None else float(v) * scale for v in vals]
        if kind == "date":
            far = draw(
                st.sampled_from(["1677-09-22", "2262-04-10", "1970-01-01", "2999-12-31", "0001-01-01"])
            )
            return [np.datetime64(far)] + vals[1:]
        if kind in ("label", "few_labels", "text"):
            return [draw(st.sampled_from(HOSTILE_TEXT)) for _ in vals]
        return vals
    for _ in range(draw(st.integers(1, min(n, 3)))):
        i = draw(st.integers(0, n - 1))
        if numeric:
            vals[i] = draw(st.sampled_from(HOSTILE_FLOATS + [None]))
        elif kind == "date":
            vals[i] = draw(
                st.sampled_from(
                    [None, np.datetime64("NaT"), np.datetime64("2262-04-11"), np.datetime64("1600-01-01")]
                )
            )
        elif kind in ("label", "few_labels", "text"):
            vals[i] = draw(st.sampled_from([None, NAN] + HOSTILE_TEXT))
        else:
            vals[i] = None
    return vals


@st.composite
def typed(draw: Any, vals: list, kind: str, hostile: bool = True) -> Col:
    dtypes = DTYPES.get(kind, NUMERIC_DTYPES)
    dtype = draw(st.sampled_from(dtypes)) if hostile else dtypes[0]
    if kind == "date" and dtype == "object":
        vals = [None if v is None else str(v) for v in vals]
    arrow = draw(st.sampled_from(ARROW_TRANSFORMS)) if hostile else None
    if dtype in ("int64", "int32", "uint64", "Int64") and kind in ("label", "few_labels", "text"):
        vals = [None if v is None or v != v else (abs(hash(v)) % 7) for v in vals]
    return Col(vals, dtype, arrow)


@st.composite
def column(draw: Any, kind: str, n: int, hostile: bool = True, lo: int = 0, hi: int = 10) -> Col:
    vals = draw(values(kind, n, lo, hi))
    if hostile:
        vals = draw(corrupt(vals, kind))
    return draw(typed(vals, kind, hostile))


CONTAINERS = ["pandas"] * 5 + ["polars", "arrow", "arrow_chunked", "arrow_sliced", "record_batch"]
INDEXES = ["range"] * 4 + ["shuffled", "filtered", "reversed", "string", "duplicate"]


@st.composite
def table(draw: Any, cols: dict[str, Col], extra_ok: bool = True) -> tuple[Frame, dict[str, Any]]:
    """A Frame of the role columns ``cols``, with hostile naming, container and index; returns
    it with the name each role got (pass those as the column keywords)."""
    naming = draw(st.sampled_from(["plain"] * 8 + ["duplicate", "int_names", "odd_names"]))
    names: dict[str, Any] = {r: r for r in cols}
    if naming == "int_names":
        names = {r: i for i, r in enumerate(cols)}
    elif naming == "odd_names":
        odd = ["", " x", "é ü", "a.b", "0", "None", "\u200b", "col\ttab"]
        names = {r: (odd[i] if i < len(odd) else f"{r}?") for i, r in enumerate(cols)}
    columns = [(names[r], c) for r, c in cols.items()]
    if naming == "duplicate" and columns:
        j = draw(st.integers(0, len(columns) - 1))
        name, c = columns[j]
        columns.append((name, Col(list(reversed(list(c.values))), c.dtype, c.arrow)))
    if extra_ok and draw(st.integers(0, 9)) == 0:
        n = len(next(iter(cols.values()))) if cols else 0
        columns.append(("unrelated", Col(["z"] * n, "str")))
    container = draw(st.sampled_from(CONTAINERS))
    index = draw(st.sampled_from(INDEXES)) if container == "pandas" else "range"
    return Frame(columns, container, index), names


def arr_containers() -> st.SearchStrategy[str]:
    return st.sampled_from(
        [
            "list",
            "numpy",
            "series",
            "series",
            "series_indexed",
            "arrow",
            "arrow_chunked",
            "arrow_sliced",
            "polars",
            "tuple",
        ]
    )


# --------------------------------------------------------------------------------------------
# Demand
# --------------------------------------------------------------------------------------------


@strategy("demand_curve")
@st.composite
def _demand_curve(draw: Any) -> Case:
    if LONG and draw(st.integers(0, 9)) == 0:  # large, with a bootstrap
        n = draw(big(10_000, 200_000))
        frame = Frame([("wtp", Col(Gen("labels", n, 500, 12), "float64"))])
        return Case(
            "demand_curve",
            (frame,),
            {"ci": 0.9, "n_boot": draw(st.sampled_from([10, 100])), "progress": False},
        )
    n = draw(sizes())
    cols = {"wtp": draw(column("nonneg", n))}
    if draw(st.booleans()):
        cols["w"] = draw(column("nonneg", n))
    if draw(st.booleans()):
        cols["seg"] = draw(column("few_labels", n))
    frame, names = draw(table(cols))
    kw = {"wtp": names["wtp"]}
    if "w" in cols:
        kw["weights"] = names["w"]
    if "seg" in cols:
        kw["by"] = names["seg"]
    kw.update(
        draw(
            kwarg_subset(
                cost=fparam(0, 100),
                fixed_cost=fparam(0, 1000),
                ci=st.one_of(st.none(), cis()),
                seed=seeds(),
                market_size=st.one_of(st.none(), fparam(1, 1e6)),
                n_boot=iparam(1, 40, HOSTILE_PARAM_I + [10**9]),
                missing=missing_policy(),
                progress=st.sampled_from([False, None]),
            )
        )
    )
    if kw.get("ci") is not None and "n_boot" not in kw:
        kw["n_boot"] = 20
    return Case("demand_curve", (frame,), kw)


@strategy("van_westendorp")
@st.composite
def _van_westendorp(draw: Any) -> Case:
    n = draw(sizes())
    base = draw(st.lists(_floats(1, 100), min_size=n, max_size=n))
    steps = [draw(st.lists(_floats(0, 30), min_size=n, max_size=n)) for _ in range(3)]
    tc = base
    ch = [a + b for a, b in zip(tc, steps[0], strict=True)]
    ex = [a + b for a, b in zip(ch, steps[1], strict=True)]
    te = [a + b for a, b in zip(ex, steps[2], strict=True)]
    cols = {
        k: draw(typed(draw(corrupt(v, "positive")), "positive"))
        for k, v in {"too_cheap": tc, "cheap": ch, "expensive": ex, "too_expensive": te}.items()
    }
    use_nms = draw(st.booleans())
    if use_nms:
        cols["ic"] = draw(column("score", n, lo=1, hi=5))
        cols["ie"] = draw(column("score", n, lo=1, hi=5))
    if draw(st.booleans()):
        cols["w"] = draw(column("nonneg", n))
    if draw(st.booleans()):
        cols["seg"] = draw(column("few_labels", n))
    frame, names = draw(table(cols))
    args = (frame, names["too_cheap"], names["cheap"], names["expensive"], names["too_expensive"])
    kw: dict[str, Any] = {}
    if use_nms:
        calib = draw(
            st.one_of(
                st.just({5: 0.7, 4: 0.5, 3: 0.3, 2: 0.1, 1: 0.0}),
                st.just({5: NAN, 4: 0.5}),
                st.just({5: 1.5, 1: -0.2}),
                st.just({}),
                st.just({"5": 0.7}),
                st.just({5: INF, 4: 0.5, 3: 0.3, 2: 0.1, 1: 0.0}),
            )
        )
        kw["nms"] = draw(
            st.sampled_from(
                [
                    {"cheap": names["ic"], "expensive": names["ie"], "calibration": calib},
                    {"cheap": names["ic"], "expensive": names["ie"]},
                    {"cheap": names["ic"]},
                    {"cheap": "nope", "expensive": names["ie"], "calibration": calib},
                ]
            )
        )
    if "w" in cols:
        kw["weights"] = names["w"]
    if "seg" in cols:
        kw["by"] = names["seg"]
    kw.update(
        draw(
            kwarg_subset(
                range=st.sampled_from(["original", "narrower", "wide"]),
                validate=st.sampled_from(["strict", "weak", "none", "x"]),
                cost=st.one_of(st.none(), fparam(0, 100)),
                ci=st.one_of(st.none(), cis()),
                n_boot=iparam(1, 30, HOSTILE_PARAM_I + [10**9]),
                seed=seeds(),
                missing=missing_policy(),
            )
        )
    )
    if kw.get("ci") is not None and "n_boot" not in kw:
        kw["n_boot"] = 20
    return Case("van_westendorp", args, kw)


@strategy("gabor_granger")
@st.composite
def _gabor_granger(draw: Any) -> Case:
    n_resp = draw(st.integers(0, 12))
    ladder = draw(
        st.sampled_from([[10.0, 20.0, 30.0], [5.0], [1.0, 2.0, 3.0, 4.0, 5.0], [0.0, 10.0], [1e-310, 1e300]])
    )
    resp, price, buy = [], [], []
    for r in range(n_resp):
        cut = draw(st.integers(0, len(ladder)))
        for j, p in enumerate(ladder):
            resp.append(r)
            price.append(p)
            buy.append(int(j < cut) if draw(st.integers(0, 9)) else 1 - int(j < cut))
    n = len(resp)
    cols = {
        "respondent": draw(typed(draw(corrupt(resp, "count")), "count")),
        "price": draw(typed(draw(corrupt(price, "positive")), "positive")),
        "buy": draw(typed(draw(corrupt(buy, "binary")), "binary")),
    }
    if draw(st.booleans()):
        cols["w"] = draw(column("nonneg", n))
    frame, names = draw(table(cols))
    kw: dict[str, Any] = {"price": names["price"], "buy": names["buy"]}
    if draw(st.booleans()):
        kw["respondent"] = names["respondent"]
    if "w" in cols:
        kw["weights"] = names["w"]
    kw.update(
        draw(
            kwarg_subset(
                cost=fparam(0, 50),
                fixed_cost=fparam(0, 100),
                market_size=st.one_of(st.none(), fparam(1, 1e6)),
                nonmonotone=st.sampled_from(["first_refusal", "highest", "drop", "other"]),
                kind=st.sampled_from(["point", "arc", "log"]),
                missing=missing_policy(),
            )
        )
    )
    return Case("gabor_granger", (frame,), kw)


@st.composite
def _price_quantity(draw: Any) -> tuple[Frame, dict[str, Any]]:
    n = draw(sizes(30))
    price = draw(st.lists(_floats(1, 100), min_size=n, max_size=n))
    shape = draw(st.sampled_from(["units", "share", "binary"]))
    if shape == "units":
        qty = [max(0.0, 200 - 1.5 * p + draw(_floats(-10, 10))) for p in price]
    elif shape == "share":
        qty = [min(1.0, max(0.0, 1 - p / 100 + draw(st.floats(-0.1, 0.1)))) for p in price]
    else:
        qty = [float(draw(st.integers(0, 1))) for _ in price]
    cols = {
        "price": draw(typed(draw(corrupt(price, "positive")), "positive")),
        "quantity": draw(typed(draw(corrupt(qty, "nonneg")), "nonneg")),
    }
    if draw(st.booleans()):
        cols["w"] = draw(column("nonneg", n))
    return draw(table(cols))


@strategy("fit_price_response")
@st.composite
def _fit_price_response(draw: Any) -> Case:
    frame, names = draw(_price_quantity())
    kw: dict[str, Any] = {
        "price": names["price"],
        "quantity": names["quantity"],
        "model": draw(st.sampled_from(["linear", "constant_elasticity", "logit", "logit", "probit"])),
    }
    if "w" in names:
        kw["weights"] = names["w"]
    kw.update(
        draw(
            kwarg_subset(
                saturation=st.one_of(st.none(), st.just("estimate"), fparam(0.5, 1000)),
                missing=missing_policy(),
            )
        )
    )
    return Case("fit_price_response", (frame,), kw)


def _fit_case(draw: Any) -> Case:
    frame, names = draw(_price_quantity())
    kw: dict[str, Any] = {
        "price": names["price"],
        "quantity": names["quantity"],
        "model": draw(st.sampled_from(["linear", "constant_elasticity", "logit"])),
        "missing": "drop",
    }
    return Case("fit_price_response", (frame,), kw)


@strategy("PriceResponseModel.predict", "PriceResponseModel.elasticity")
def _price_response_at(name: str) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        inner = _clean_price_response(draw)
        p = draw(
            st.one_of(
                fparam(0, 200),
                st.lists(st.sampled_from(HOSTILE_PARAM_F + [10.0, 20.0]), max_size=5),
                st.just(np.array([], dtype=float)),
                st.just("10"),
            )
        )
        return Case(name, (inner, p))

    return build()


def _clean_price_response(draw: Any) -> Case:
    model = draw(st.sampled_from(["linear", "constant_elasticity", "logit", "logit_units"]))
    price = [10.0, 12.0, 14.0, 16.0, 18.0, 20.0]
    if model == "linear" or model == "constant_elasticity":
        q = [100.0, 92.0, 79.0, 72.0, 61.0, 55.0]
    elif model == "logit":
        q = [0.9, 0.8, 0.6, 0.4, 0.3, 0.1]
    else:
        q = [950.0, 880.0, 700.0, 480.0, 300.0, 160.0]
        model = "logit"
    frame = Frame([("price", Col(price)), ("quantity", Col(q))])
    return Case("fit_price_response", (frame,), {"model": model})


@strategy("PriceResponseModel.optimal_price", "PriceResponseModel.profit")
def _price_response_cost(name: str) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        inner = _clean_price_response(draw)
        if name.endswith("profit"):
            args: tuple = (draw(st.one_of(fparam(0, 200), st.lists(fparam(0, 200), max_size=4))),)
            kw = draw(kwarg_subset(cost=fparam(0, 50), fixed_cost=fparam(0, 100), market_size=fparam(1, 1e6)))
        else:
            args = ()
            kw = draw(kwarg_subset(cost=fparam(0, 50)))
        return Case(name, (inner, *args), kw)

    return build()


@strategy("PriceResponseModel.conf_int")
@st.composite
def _price_response_conf_int(draw: Any) -> Case:
    return Case("PriceResponseModel.conf_int", (_clean_price_response(draw),), draw(kwarg_subset(ci=cis())))


@strategy("PriceResponseModel.from_params")
@st.composite
def _price_response_from_params(draw: Any) -> Case:
    model = draw(st.sampled_from(["linear", "constant_elasticity", "logit", "quadratic"]))
    keys = {"linear": ["a", "b"], "constant_elasticity": ["A", "e"], "logit": ["a", "b"], "quadratic": ["a"]}[
        model
    ]
    params = {k: draw(fparam(-10, 100)) for k in keys}
    if draw(st.integers(0, 4)) == 0:
        params = draw(st.sampled_from([{}, {"zz": 1.0}, {"a": "x", "b": 1.0}]))
    kw = draw(kwarg_subset(saturation=st.one_of(st.none(), fparam(0.5, 1000))))
    return Case("PriceResponseModel.from_params", (model,), {**params, **kw})


@strategy("price_position")
@st.composite
def _price_position(draw: Any) -> Case:
    ours = draw(fparam(0.5, 500))
    k = draw(st.integers(0, 8))
    prices = draw(st.lists(mix(_floats(0.5, 500), HOSTILE_FLOATS + [None, "10"]), min_size=k, max_size=k))
    form = draw(st.sampled_from(["dict", "list", "numpy", "series", "generator_list"]))
    if form == "dict":
        comp: Any = {f"c{i}" if i % 3 else i: p for i, p in enumerate(prices)}
    elif form == "numpy":
        comp = Arr(Col([None if isinstance(p, str) else p for p in prices], "float64"), "numpy")
    elif form == "series":
        comp = Arr(Col(prices, "object"), "series")
    else:
        comp = prices
    return Case("price_position", (ours, comp))


@strategy("DemandCurveResult.elasticity", "DemandCurveResult.premium_test")
def _demand_result_methods(name: str) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        n = draw(st.integers(2, 30))
        wtp = draw(st.lists(_floats(0, 100), min_size=n, max_size=n))
        cols = [("wtp", Col(wtp))]
        seg = None
        if name.endswith("premium_test") or draw(st.booleans()):
            seg = [("a", "b")[i % 2] for i in range(n)]
            cols.append(("seg", Col(seg, "str")))
        inner = Case("demand_curve", (Frame(cols),), {"wtp": "wtp", **({"by": "seg"} if seg else {})})
        if name.endswith("elasticity"):
            kw = draw(kwarg_subset(kind=st.sampled_from(["point", "arc", "log", None])))
            return Case(name, (inner,), kw)
        a, b = draw(fparam(0, 100)), draw(fparam(0, 100))
        kw = draw(kwarg_subset(ci=cis(), n_boot=iparam(1, 30, HOSTILE_PARAM_I + [10**9])))
        return Case(name, (inner, a, b), kw)

    return build()


@strategy("VanWestendorpResult.acceptable_range")
@st.composite
def _vw_acceptable_range(draw: Any) -> Case:
    n = draw(st.integers(4, 30))
    base = draw(st.lists(_floats(1, 100), min_size=n, max_size=n))
    cols = [
        ("too_cheap", Col(base)),
        ("cheap", Col([b + 5 for b in base])),
        ("expensive", Col([b + 10 for b in base])),
        ("too_expensive", Col([b + 20 for b in base])),
    ]
    inner = Case("van_westendorp", (Frame(cols),), {})
    kw = draw(kwarg_subset(range=st.sampled_from(["original", "narrower", "other", None])))
    return Case("VanWestendorpResult.acceptable_range", (inner,), kw)


@strategy("GaborGrangerResult.elasticity")
@st.composite
def _gg_result_elasticity(draw: Any) -> Case:
    n = draw(st.integers(1, 6))
    ladder = draw(st.sampled_from([[10.0, 20.0, 30.0], [5.0], [0.0, 10.0, 20.0]]))
    resp, price, buy = [], [], []
    for r in range(n):
        cut = draw(st.integers(0, len(ladder)))
        for j, p in enumerate(ladder):
            resp.append(r)
            price.append(p)
            buy.append(int(j < cut))
    inner = Case(
        "gabor_granger",
        (Frame([("respondent", Col(resp, "int64")), ("price", Col(price)), ("buy", Col(buy, "int64"))]),),
        {"respondent": "respondent"},
    )
    return Case(
        "GaborGrangerResult.elasticity",
        (inner,),
        draw(kwarg_subset(kind=st.sampled_from(["point", "arc", "x"]))),
    )


# --------------------------------------------------------------------------------------------
# Economic value: transaction summaries, lifetime-value models, CLV, value
# --------------------------------------------------------------------------------------------


@st.composite
def transactions(draw: Any) -> tuple[Frame, dict[str, Any]]:
    n = draw(sizes(60))
    n_cust = max(1, draw(st.integers(1, 10)))
    cust = [draw(st.integers(0, n_cust - 1)) for _ in range(n)]
    cust_kind = draw(st.sampled_from(["count", "label"]))
    if cust_kind == "label":
        cust = [f"c{c}" for c in cust]
    cols = {
        "customer_id": draw(typed(draw(corrupt(cust, cust_kind)), cust_kind)),
        "date": draw(column("date", n)),
    }
    if draw(st.booleans()):
        cols["amount"] = draw(column("nonneg", n))
    return draw(table(cols))


def dates() -> st.SearchStrategy:
    return st.one_of(
        st.none(),
        st.sampled_from(["2024-06-30", "2025-01-01", "2024-01-01"]),
        st.sampled_from(
            [
                "2999-01-01",
                "1677-09-22",
                "1900-01-01",
                "not a date",
                "",
                0,
                NAN,
                -1,
                10**18,
                np.datetime64("NaT"),
                "2024-13-45",
                "2262-04-12",
            ]
        ),
    )


@strategy("rfm_summary")
@st.composite
def _rfm_summary(draw: Any) -> Case:
    frame, names = draw(transactions())
    kw: dict[str, Any] = {"customer": names["customer_id"], "date": names["date"]}
    if "amount" in names:
        kw["amount"] = names["amount"]
    kw.update(
        draw(
            kwarg_subset(
                observation_end=dates(),
                time_unit=st.sampled_from(["D", "W", "M", "Y", "X", "", None, 7]),
                calibration_end=dates(),
                missing=missing_policy(),
            )
        )
    )
    return Case("rfm_summary", (frame,), kw)


@st.composite
def btyd_summary(
    draw: Any, n_periods: bool = False, money: bool = False, max_n: int = 60
) -> tuple[Frame, dict[str, Any]]:
    """frequency, recency and T (or n_periods) of a customer summary, consistent before
    corruption: recency <= T, recency 0 without repeat purchases."""
    n = draw(sizes(max_n))
    shape = draw(st.sampled_from(["mixed"] * 4 + ["no_repeat", "all_repeat", "one_big"]))
    freq, rec, tt, mon = [], [], [], []
    for _ in range(n):
        if n_periods:
            big = draw(st.integers(1, 8))
            f = draw(st.integers(0, big))
            r = 0 if f == 0 else draw(st.integers(f, big))
            t = big
        else:
            t = draw(_floats(1, 60))
            f = draw(st.integers(0, 12))
            r = 0.0 if f == 0 else round(draw(st.floats(0, 1)) * t, 2)
        if shape == "no_repeat":
            f, r = 0, 0
        elif shape == "all_repeat" and f == 0:
            f, r = 1, t / 2 if not n_periods else t
        elif shape == "one_big":
            f = 10**6
        freq.append(f)
        rec.append(r)
        tt.append(t)
        mon.append(0.0 if f == 0 and not money else draw(_floats(0.5, 300)))
    cols = {
        "frequency": draw(typed(draw(corrupt(freq, "count")), "count")),
        "recency": draw(typed(draw(corrupt(rec, "nonneg")), "nonneg")),
        ("n_periods" if n_periods else "T"): draw(typed(draw(corrupt(tt, "positive")), "positive")),
    }
    if money:
        cols["monetary_value"] = draw(typed(draw(corrupt(mon, "nonneg")), "nonneg"))
    if draw(st.integers(0, 3)) == 0:
        cols["weights"] = draw(column("count", n))
    return draw(table(cols))


@strategy("BetaGeo.fit", "ParetoNBD.fit", "ModifiedBetaGeo.fit")
def _btyd_fit(name: str) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        frame, names = draw(btyd_summary())
        args = (frame, names["frequency"], names["recency"], names["T"])
        kw: dict[str, Any] = {}
        if "weights" in names:
            kw["weights"] = names["weights"]
        kw.update(draw(kwarg_subset(missing=missing_policy())))
        return Case(name, args, kw)

    return build()


@strategy("BetaGeoBetaBinom.fit")
@st.composite
def _bgbb_fit(draw: Any) -> Case:
    frame, names = draw(btyd_summary(n_periods=True))
    kw: dict[str, Any] = {}
    if "weights" in names:
        kw["weights"] = names["weights"]
    kw.update(draw(kwarg_subset(missing=missing_policy())))
    return Case("BetaGeoBetaBinom.fit", (frame, names["frequency"], names["recency"], names["n_periods"]), kw)


@strategy("GammaGamma.fit")
@st.composite
def _gg_fit(draw: Any) -> Case:
    frame, names = draw(btyd_summary(money=True))
    kw: dict[str, Any] = {}
    if "weights" in names:
        kw["weights"] = names["weights"]
    kw.update(draw(kwarg_subset(missing=missing_policy())))
    return Case("GammaGamma.fit", (frame, names["frequency"], names["monetary_value"]), kw)


@strategy("ShiftedBetaGeometric.fit")
@st.composite
def _sbg_fit(draw: Any) -> Case:
    k = draw(st.integers(0, 12))
    start = draw(st.sampled_from([1000, 10, 1, 10**9, 2**62]))
    surv = [start]
    for _ in range(k):
        surv.append(int(surv[-1] * draw(st.floats(0.3, 1.0))))
    surv = draw(corrupt(surv, "count"))
    dtype = draw(st.sampled_from(["int64", "float64", "Int64", "object", "uint64"]))
    return Case("ShiftedBetaGeometric.fit", (Arr(Col(surv, dtype), draw(arr_containers())),))


def times() -> st.SearchStrategy:
    return mix(_floats(0, 52), HOSTILE_PARAM_F + [10**6, 1e12, -5.0], 3)


@st.composite
def _btyd_data(draw: Any, model: str) -> Frame:
    if model == "BetaGeoBetaBinom":
        frame, _ = draw(btyd_summary(n_periods=True))
    elif model == "GammaGamma":
        frame, _ = draw(btyd_summary(money=True))
    else:
        frame, _ = draw(btyd_summary())
    return frame


def _model_method(model: str, meth: str) -> st.SearchStrategy[Case]:
    name = f"{model}.{meth}"
    fitted = Fitted(model)

    @st.composite
    def build(draw: Any) -> Case:
        if meth in (
            "probability_alive",
            "log_likelihood",
            "conditional_expected_spend",
            "conditional_expected_average_profit",
        ):
            return Case(name, (fitted, draw(_btyd_data(model))))
        if meth == "conditional_expected_purchases":
            t = (
                draw(times())
                if model != "BetaGeoBetaBinom"
                else draw(iparam(0, 20, HOSTILE_PARAM_I + [10**6]))
            )
            return Case(name, (fitted, t, draw(_btyd_data(model))))
        if meth == "expected_purchases":
            t = draw(st.one_of(times(), st.lists(times(), max_size=4)))
            if model == "BetaGeoBetaBinom":
                t = draw(
                    st.one_of(
                        iparam(0, 20, HOSTILE_PARAM_I + [10**6, 10**9]),
                        st.lists(st.integers(-2, 30), max_size=4),
                    )
                )
            return Case(name, (fitted, t))
        if meth == "probability_of_purchases":
            n = draw(
                st.one_of(
                    iparam(0, 20, HOSTILE_PARAM_I + [10**6, 10**9]), st.lists(st.integers(-2, 50), max_size=4)
                )
            )
            t = (
                draw(times())
                if model != "BetaGeoBetaBinom"
                else draw(iparam(0, 20, HOSTILE_PARAM_I + [5000, 10**6]))
            )
            return Case(name, (fitted, t, n))
        if meth == "conditional_probability_of_purchases":
            n = draw(iparam(0, 10, HOSTILE_PARAM_I + [10**6]))
            return Case(name, (fitted, draw(times()), n, draw(_btyd_data(model))))
        if meth == "discounted_expected_purchases":
            k = draw(st.integers(0, 5))
            ts = draw(st.lists(times(), min_size=k, max_size=k))
            fs = draw(st.lists(fparam(0, 1), min_size=draw(st.sampled_from([k, k, k + 1])), max_size=k + 1))
            return Case(name, (fitted, ts, fs, draw(_btyd_data(model))))
        if meth == "discounted_expected_residual_transactions":
            return Case(name, (fitted, draw(_btyd_data(model))), {"discount_rate": draw(fparam(0, 0.5))})
        if meth == "conf_int":
            return Case(name, (fitted,), draw(kwarg_subset(ci=cis())))
        if meth == "sample_params":
            return Case(
                name,
                (fitted, draw(iparam(0, 50, HOSTILE_PARAM_I + [10**9]))),
                draw(kwarg_subset(seed=seeds())),
            )
        if meth in ("plot_frequency", "plot_calibration_holdout"):
            frame = draw(_btyd_data(model))
            if meth == "plot_calibration_holdout":
                frame.columns.append(("frequency_holdout", draw(column("count", len(frame)))))
            return Case(
                name,
                (fitted, frame),
                draw(kwarg_subset(max_frequency=iparam(1, 10, HOSTILE_PARAM_I + [10**7]))),
            )
        if meth == "plot_probability_alive_matrix":
            return Case(
                name,
                (fitted,),
                draw(kwarg_subset(max_frequency=iparam(1, 10, HOSTILE_PARAM_I + [10**5]), T=fparam(1, 60))),
            )
        if meth == "discounted_expected_residual_lifetime":
            return Case(name, (fitted, draw(fparam(0, 0.5))), draw(kwarg_subset(renewals=iparam(0, 10))))
        if meth in ("survival", "retention"):
            t = draw(
                st.one_of(
                    iparam(0, 20, HOSTILE_PARAM_I + [10**7]),
                    st.lists(st.integers(-2, 30), max_size=5),
                    st.just(np.array([], dtype=int)),
                )
            )
            return Case(name, (fitted, t))
        if meth == "plot":
            return Case(name, (fitted,), draw(kwarg_subset(periods=iparam(1, 20, HOSTILE_PARAM_I + [10**7]))))
        raise AssertionError(f"no strategy for {name}")

    return build()


MODEL_METHODS = {
    "BetaGeo": [
        "conditional_expected_purchases",
        "conditional_probability_of_purchases",
        "conf_int",
        "discounted_expected_purchases",
        "expected_purchases",
        "log_likelihood",
        "plot_calibration_holdout",
        "plot_frequency",
        "plot_probability_alive_matrix",
        "probability_alive",
        "probability_of_purchases",
        "sample_params",
    ],
    "ModifiedBetaGeo": None,  # as BetaGeo
    "ParetoNBD": None,  # as BetaGeo, plus the residual transactions
    "BetaGeoBetaBinom": [
        "conditional_expected_purchases",
        "conf_int",
        "discounted_expected_residual_transactions",
        "expected_purchases",
        "probability_alive",
        "probability_of_purchases",
        "sample_params",
    ],
    "GammaGamma": [
        "conditional_expected_average_profit",
        "conditional_expected_spend",
        "conf_int",
        "sample_params",
    ],
    "ShiftedBetaGeometric": [
        "conf_int",
        "discounted_expected_residual_lifetime",
        "plot",
        "retention",
        "sample_params",
        "survival",
    ],
}
MODEL_METHODS["ModifiedBetaGeo"] = list(MODEL_METHODS["BetaGeo"])
MODEL_METHODS["ParetoNBD"] = [*MODEL_METHODS["BetaGeo"], "discounted_expected_residual_transactions"]
for _model, _methods in MODEL_METHODS.items():
    for _meth in _methods:
        STRATEGIES[f"{_model}.{_meth}"] = lambda m=_model, k=_meth: _model_method(m, k)


@strategy("customer_lifetime_value")
@st.composite
def _clv(draw: Any) -> Case:
    tm = draw(
        st.sampled_from(
            ["BetaGeo"] * 3 + ["ParetoNBD", "ModifiedBetaGeo", "BetaGeoBetaBinom", "unfitted", "GammaGamma"]
        )
    )
    transaction = Fitted(tm) if tm != "unfitted" else None
    spend = draw(st.sampled_from([Fitted("GammaGamma")] * 4 + [None, Fitted("BetaGeo")]))
    frame, _ = draw(btyd_summary(money=True))
    kw = draw(
        kwarg_subset(
            horizon=mix(_floats(1, 36), HOSTILE_PARAM_F + [1e9, 10**7, 1e6]),
            time_unit=st.sampled_from(["M", "W", "D", "Y", "Q", ""]),
            discount_rate=fparam(0, 0.2),
            margin=fparam(0, 1),
            ci=st.one_of(st.none(), cis()),
            n_simulations=iparam(1, 30, HOSTILE_PARAM_I + [10**9]),
            seed=seeds(),
        )
    )
    if kw.get("ci") is not None and "n_simulations" not in kw:
        kw["n_simulations"] = 20
    return Case("customer_lifetime_value", (transaction, spend, frame), kw)


def _vector(lo: float, hi: float) -> st.SearchStrategy:
    return st.one_of(
        fparam(lo, hi),
        st.lists(fparam(lo, hi), min_size=0, max_size=5),
        st.lists(fparam(lo, hi), min_size=1, max_size=5).map(lambda v: Arr(Col(v), "numpy")),
        st.lists(fparam(lo, hi), min_size=1, max_size=5).map(lambda v: Arr(Col(v), "series_indexed")),
        st.sampled_from(["10", None, [[1.0, 2.0]], True]),
    )


@strategy("simple_clv")
@st.composite
def _simple_clv(draw: Any) -> Case:
    args = (draw(_vector(0, 500)), draw(_vector(0, 50)), draw(_vector(0, 1)))
    kw = {"churn_rate": draw(_vector(0.01, 1))}
    kw.update(
        draw(
            kwarg_subset(
                discount_rate=_vector(0, 0.5), timing=st.sampled_from([None, "start", "end", "middle"])
            )
        )
    )
    return Case("simple_clv", args, kw)


@strategy("ltv_to_cac", "metrics.ltv_to_cac")
def _ltv_to_cac(name: str) -> st.SearchStrategy[Case]:
    return st.builds(lambda a, b: Case(name, (a, b)), _vector(0, 5000), _vector(0, 1000))


@strategy("cac_payback", "metrics.cac_payback")
def _cac_payback(name: str) -> st.SearchStrategy[Case]:
    return st.builds(
        lambda a, b: Case(name, (a,), {"margin_per_period": b}), _vector(0, 5000), _vector(0, 1000)
    )


@strategy("economic_value")
@st.composite
def _economic_value(draw: Any) -> Case:
    n = draw(sizes(12))
    drivers = [f"d{i % 5}" for i in range(n)]
    cols = {"driver": draw(typed(draw(corrupt(drivers, "label")), "label")), "value": draw(column("real", n))}
    use_by = draw(st.booleans())
    if use_by:
        cols["seg"] = draw(column("few_labels", n))
    frame, names = draw(table(cols))
    kw: dict[str, Any] = {"driver": names["driver"], "value": names["value"]}
    ref = draw(fparam(0, 1000))
    if use_by:
        kw["by"] = names["seg"]
        ref = draw(st.sampled_from([{"x": 100.0, "y": 200.0}, {"x": NAN, "y": 1.0}, {"x": 1.0}, ref, {}]))
    kw["reference_value"] = ref
    kw.update(
        draw(
            kwarg_subset(
                cost_floor=st.one_of(st.none(), fparam(0, 500), st.just({"x": 1.0})), missing=missing_policy()
            )
        )
    )
    return Case("economic_value", (frame,), kw)


@strategy("value_map")
@st.composite
def _value_map(draw: Any) -> Case:
    n = draw(sizes(8))
    k = draw(st.integers(1, 4))
    brands = [f"b{j}" for j in range(k)]
    w = [100.0 / n] * n if n else []
    cols = {
        "attribute": draw(typed(draw(corrupt([f"a{i}" for i in range(n)], "label")), "label")),
        "weight": draw(typed(draw(corrupt(w, "nonneg")), "nonneg")),
    }
    for b in brands:
        cols[b] = draw(column("positive", n))
    frame, names = draw(table(cols, extra_ok=False))
    prices = {names[b]: draw(mix(_floats(1, 200), HOSTILE_FLOATS)) for b in brands}
    if draw(st.integers(0, 5)) == 0:
        prices = draw(st.sampled_from([{}, {"zz": 1.0}, {names[brands[0]]: 10.0}]))
    kw: dict[str, Any] = {"prices": prices, "attribute": names["attribute"], "weights": names["weight"]}
    kw.update(draw(kwarg_subset(fair_value_line=st.sampled_from(["parity", "regression", "lowess"]))))
    ours = draw(st.sampled_from([names[brands[0]], names[brands[-1]], "nobody"]))
    return Case("value_map", (frame, ours), kw)


@st.composite
def _lines(draw: Any, costs: bool) -> Frame:
    n = draw(sizes(6))
    form = draw(st.sampled_from(["value"] * 3 + ["hours", "risk", "none"]))
    cols: dict[str, Col] = {"name": draw(column("label", n))}
    if form == "value":
        cols["value"] = draw(column("nonneg", n))
        if draw(st.booleans()):
            vals = list(cols["value"].values)
            cols["low"] = draw(
                typed(draw(corrupt([None if v is None else v * 0.5 for v in vals], "nonneg")), "nonneg")
            )
            cols["high"] = draw(
                typed(draw(corrupt([None if v is None else v * 1.5 for v in vals], "nonneg")), "nonneg")
            )
    elif form == "hours":
        cols["hours"], cols["rate"] = draw(column("nonneg", n)), draw(column("nonneg", n))
    elif form == "risk":
        cols["probability"], cols["loss"] = draw(column("prob", n)), draw(column("nonneg", n))
    if costs and draw(st.booleans()):
        cols["upfront"] = draw(column("bool", n))
    frame, _ = draw(table(cols, extra_ok=False))
    return frame


@strategy("value_quantification")
@st.composite
def _value_quantification(draw: Any) -> Case:
    kw = draw(
        kwarg_subset(
            discount_rate=fparam(0, 0.5),
            horizon=iparam(1, 10, HOSTILE_PARAM_I + [10**9, 2.5]),
            n_simulations=iparam(0, 50, HOSTILE_PARAM_I + [10**9]),
            seed=seeds(),
        )
    )
    return Case("value_quantification", (draw(_lines(False)), draw(_lines(True))), kw)


# --------------------------------------------------------------------------------------------
# Segmentation versus clustering
# --------------------------------------------------------------------------------------------


@strategy("segment")
@st.composite
def _segment(draw: Any) -> Case:
    n = draw(sizes())
    cols = {"age": draw(column("real", n)), "region": draw(column("label", n))}
    frame, names = draw(table(cols))
    rule_age = draw(
        st.sampled_from(
            [
                [18, 35, 55],
                [35],
                None,
                4,
                1,
                0,
                -3,
                [],
                [55, 18],
                [NAN],
                [INF],
                [-INF, 0, INF],
                10**9,
                2,
                "x",
                [1e300],
                (5,),
            ]
        )
    )
    rule_region = draw(
        st.sampled_from([None, {"a": "g1", "b": "g1"}, {}, {"a": None}, {None: "x"}, {"a": 1}, [1, 2]])
    )
    rules = {}
    for role, rule in (("age", rule_age), ("region", rule_region)):
        if draw(st.integers(0, 3)):
            rules[names[role]] = rule
    if draw(st.integers(0, 9)) == 0:
        rules = draw(st.sampled_from([{}, {"nope": None}, [("age", None)], None]))
    kw = draw(kwarg_subset(missing=st.sampled_from(["raise", "label", "drop"])))
    return Case("segment", (frame, rules), kw)


@strategy("rfm_scores")
@st.composite
def _rfm_scores(draw: Any) -> Case:
    if LONG and draw(st.integers(0, 9)) == 0:
        n = draw(big(5_000, 100_000))
        frame = Frame(
            [("r", Col(Gen("labels", n, 365, 13), "float64")), ("f", Col(Gen("labels", n, 30, 14), "int64"))]
        )
        return Case("rfm_scores", (frame,), {"recency": "r", "frequency": "f"})
    n = draw(sizes())
    cols = {"r": draw(column("nonneg", n)), "f": draw(column("count", n))}
    if draw(st.booleans()):
        cols["m"] = draw(column("nonneg", n))
    frame, names = draw(table(cols))
    kw: dict[str, Any] = {"recency": names["r"], "frequency": names["f"]}
    if "m" in cols:
        kw["monetary"] = names["m"]
    kw.update(
        draw(
            kwarg_subset(
                bins=iparam(2, 10, HOSTILE_PARAM_I + [10**6]),
                preset=st.sampled_from(
                    [
                        "rf_grid",
                        None,
                        "nope",
                        {"Top": ([5], [5])},
                        {"Bad": ([9], [0])},
                        {"Bad": (5, 5)},
                        {"Empty": ([], [])},
                        {"x": ()},
                    ]
                ),
                ties=st.sampled_from(["average", "first", "min", None]),
                missing=missing_policy(),
            )
        )
    )
    return Case("rfm_scores", (frame,), kw)


@st.composite
def features_frame(
    draw: Any, k_features: int = 2, max_n: int = 60, label: bool = False
) -> tuple[Frame, dict, list]:
    n = draw(sizes(max_n))
    shape = draw(st.sampled_from(["blobs"] * 3 + ["same_point", "huge", "tiny", "line"]))
    cols: dict[str, Col] = {}
    centres = [draw(_floats(-50, 50)) for _ in range(3)]
    assign = [draw(st.integers(0, 2)) for _ in range(n)]
    for j in range(k_features):
        vals = [centres[a] * (j + 1) + draw(_floats(-3, 3)) for a in assign]
        if shape == "same_point":
            vals = [1.0] * n
        elif shape == "huge":
            vals = [v * 1e200 for v in vals]
        elif shape == "tiny":
            vals = [v * 1e-310 for v in vals]
        elif shape == "line" and j > 0:
            vals = list(cols["f0"].values)
        cols[f"f{j}"] = draw(typed(draw(corrupt(vals, "real")), "real"))
    if label:
        cols["cat"] = draw(column("few_labels", n))
    frame, names = draw(table(cols))
    feats = [names[f"f{j}"] for j in range(k_features)]
    return frame, names, feats


def ks() -> st.SearchStrategy:
    return st.one_of(
        st.none(),
        iparam(1, 6, HOSTILE_PARAM_I + [10**6]),
        st.just(range(2, 5)),
        st.just(range(5, 2)),
        st.just([2, 3]),
        st.just([]),
        st.just([0, 3]),
        st.just(range(2, 10**7)),
    )


@strategy("cluster")
@st.composite
def _cluster(draw: Any) -> Case:
    method = draw(
        st.sampled_from(["kmeans", "kmeans", "minibatch", "gmm", "dbscan", "kprototypes", "spectral"])
    )
    if LONG and method in ("kmeans", "dbscan", "gmm") and draw(st.integers(0, 7)) == 0:
        n = draw(big(2_000, 50_000))
        frame = Frame([("a", Col(Gen("normal", n, 1.0, 6))), ("b", Col(Gen("normal", n, 1e3, 7)))])
        kw: dict[str, Any] = {"features": ["a", "b"], "method": method}
        if method == "dbscan":
            kw["eps"] = draw(st.sampled_from([None, 1e9, 0.5, 1e-9]))
        else:
            kw["k"] = draw(st.sampled_from([2, 8, range(2, 6)]))
        return Case("cluster", (frame,), kw)
    frame, names, feats = draw(features_frame(draw(st.integers(1, 3)), label=method == "kprototypes"))
    if method == "kprototypes":
        feats = [*feats, names["cat"]]
    if draw(st.integers(0, 9)) == 0:
        feats = draw(st.sampled_from([[], ["nope"], [feats[0], feats[0]]]))
    kw: dict[str, Any] = {"features": feats, "method": method}
    kw.update(
        draw(
            kwarg_subset(
                k=ks(),
                standardize=st.booleans(),
                n_init=iparam(1, 5, HOSTILE_PARAM_I + [10**7]),
                seed=seeds(),
                eps=st.one_of(st.none(), fparam(0.01, 5, HOSTILE_PARAM_F + [1e300])),
                min_samples=st.one_of(st.none(), iparam(1, 10)),
                gamma=st.one_of(st.none(), fparam(0, 5)),
                n_boot=iparam(0, 5, HOSTILE_PARAM_I + [10**7]),
                missing=missing_policy(),
                batch_size=iparam(1, 64, HOSTILE_PARAM_I),
            )
        )
    )
    if method != "dbscan" and "k" not in kw:
        kw["k"] = draw(st.integers(1, 4))
    return Case("cluster", (frame,), kw)


@strategy("ClusterResult.predict")
@st.composite
def _cluster_predict(draw: Any) -> Case:
    n = 30
    x = [float(i % 3) * 10 + (i % 7) * 0.1 for i in range(n)]
    y = [float(i % 5) for i in range(n)]
    method = draw(st.sampled_from(["kmeans", "minibatch", "gmm", "dbscan", "kprototypes"]))
    cols = [("f0", Col(x)), ("f1", Col(y))]
    feats = ["f0", "f1"]
    if method == "kprototypes":
        cols.append(("cat", Col(["u", "v"] * 15, "str")))
        feats.append("cat")
    kw: dict[str, Any] = {"features": feats, "method": method}
    if method != "dbscan":
        kw["k"] = 3
    inner = Case("cluster", (Frame(cols),), kw)
    frame, _, _ = draw(features_frame(2, label=method == "kprototypes"))
    return Case("ClusterResult.predict", (inner, frame))


@strategy("compare_groupings")
@st.composite
def _compare_groupings(draw: Any) -> Case:
    if LONG and draw(st.integers(0, 7)) == 0:  # large: many rows, a grouping with many levels
        n = draw(big(5_000, 200_000))
        levels = draw(st.sampled_from([n, n // 2, 1000, 3]))
        frame = Frame(
            [
                ("x", Col(Gen("normal", n, 1.0, 3))),
                ("g1", Col(Gen("labels", n, 4, 4), "int64")),
                ("g2", Col(Gen("labels" if levels < n else "range", n, levels, 5), "int64")),
            ]
        )
        kw = {"groupings": {"a": "g1", "b": "g2"}, "features": ["x"], "value": "x"}
        kw.update(draw(kwarg_subset(n_boot=iparam(0, 5))))
        return Case("compare_groupings", (frame,), kw)
    frame, names, feats = draw(features_frame(draw(st.integers(1, 2))))
    n = len(frame)
    g1 = draw(column("few_labels", n))
    g2 = draw(column("label", n))
    frame.columns.append(("g1", g1))
    frame.columns.append(("g2", g2))
    groupings: dict[str, Any] = {"first": "g1", "second": "g2"}
    extra = draw(
        st.sampled_from(["none", "array", "series", "singletons", "one", "missing", "cluster", "rfm"])
    )
    if extra == "array":
        groupings["array"] = Arr(Col([i % 2 for i in range(n)], "int64"), "numpy")
    elif extra == "series":
        groupings["series"] = Arr(Col([i % 3 for i in range(n)], "int64"), "series_indexed")
    elif extra == "singletons":
        groupings["singletons"] = Arr(Col(list(range(n)), "int64"), "numpy")
    elif extra == "one":
        groupings = {"only": "g1"}
    elif extra == "missing":
        groupings["missing"] = "nope"
    elif extra == "cluster":
        groupings["clusters"] = Case("cluster", (frame,), {"features": feats, "k": 2})
    elif extra == "rfm":
        groupings["rfm"] = Case(
            "rfm_scores", (frame,), {"recency": feats[0], "frequency": feats[-1], "missing": "drop"}
        )
    if draw(st.integers(0, 9)) == 0:
        groupings = draw(st.sampled_from([{}, {"a": None}, {"a": [1, 2]}]))
    kw: dict[str, Any] = {"groupings": groupings, "features": feats}
    if draw(st.booleans()):
        kw["value"] = feats[0]
    kw.update(
        draw(
            kwarg_subset(
                n_boot=iparam(0, 5, HOSTILE_PARAM_I + [10**7]),
                seed=seeds(),
                standardize=st.booleans(),
                missing=missing_policy(),
            )
        )
    )
    return Case("compare_groupings", (frame,), kw)


# clustering indices and agreement scores ------------------------------------------------------


@st.composite
def matrix_and_labels(draw: Any) -> tuple[Matrix, Arr]:
    n = draw(sizes(50))
    d = draw(st.integers(1, 3))
    shape = draw(st.sampled_from(["blobs"] * 3 + ["same", "huge", "tiny", "inject"]))
    labels = [draw(st.integers(0, 3)) for _ in range(n)]
    rows = [[labels[i] * 5.0 + draw(_floats(-2, 2)) for _ in range(d)] for i in range(n)]
    if shape == "same":
        rows = [[1.0] * d for _ in range(n)]
    elif shape == "huge":
        rows = [[v * 1e200 for v in r] for r in rows]
    elif shape == "tiny":
        rows = [[v * 1e-310 for v in r] for r in rows]
    elif shape == "inject" and n:
        rows[draw(st.integers(0, n - 1))][0] = draw(st.sampled_from(HOSTILE_FLOATS))
    lab_shape = draw(
        st.sampled_from(["given"] * 3 + ["one", "singletons", "strings", "negative", "mismatch", "nan"])
    )
    lab_dtype = "int64"
    if lab_shape == "one":
        labels = [0] * n
    elif lab_shape == "singletons":
        labels = list(range(n))
    elif lab_shape == "strings":
        labels = [f"g{v}" for v in labels]
        lab_dtype = draw(st.sampled_from(["str", "category", "object", "string_pa"]))
    elif lab_shape == "negative":
        labels = [v - 1 for v in labels]
    elif lab_shape == "mismatch":
        labels = labels[:-1]
    elif lab_shape == "nan":
        labels = [float(v) for v in labels]
        if labels:
            labels[0] = NAN
        lab_dtype = "float64"
    container = draw(
        st.sampled_from(["numpy", "numpy", "list", "pandas", "polars", "arrow", "float32", "fortran"])
    )
    return Matrix(rows if rows else np.zeros((0, d)), container), Arr(
        Col(labels, lab_dtype), draw(arr_containers())
    )


@strategy(
    "metrics.silhouette_score",
    "metrics.silhouette_samples",
    "metrics.calinski_harabasz_score",
    "metrics.davies_bouldin_score",
)
def _cluster_index(name: str) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        X, labels = draw(matrix_and_labels())
        kw: dict[str, Any] = {}
        if name.startswith("metrics.silhouette"):
            kw = draw(kwarg_subset(metric=st.sampled_from(["euclidean", "manhattan", "cosine", ""])))
            if name == "metrics.silhouette_score":
                kw.update(
                    draw(
                        kwarg_subset(
                            sample_size=st.one_of(st.none(), iparam(2, 40, HOSTILE_PARAM_I + [10**9])),
                            seed=seeds(),
                        )
                    )
                )
        return Case(name, (X, labels), kw)

    return build()


@st.composite
def two_labelings(draw: Any, with_shape: bool = False) -> Any:
    n = draw(sizes(80))
    a = [draw(st.integers(0, 4)) for _ in range(n)]
    b = [draw(st.integers(0, 4)) for _ in range(n)]
    shape = draw(
        st.sampled_from(
            ["random"] * 3
            + ["identical", "singletons", "one", "mismatch", "strings", "nan", "huge_ids", "many_singletons"]
        )
    )
    da = db = "int64"
    if shape == "identical":
        b = list(a)
    elif shape in ("singletons", "many_singletons"):
        if shape == "many_singletons":
            n = draw(st.integers(100, 250))
        a = list(range(n))
        b = list(range(n)) if draw(st.booleans()) else [draw(st.integers(0, 4)) for _ in range(n)]
        if a == b:
            shape = "identical"
    elif shape == "one":
        a = [0] * n
    elif shape == "mismatch":
        b = b[:-1] if b else [1]
    elif shape == "strings":
        a = [f"s{v}" for v in a]
        da = draw(st.sampled_from(["str", "category", "object", "string_pa", "category_unused"]))
    elif shape == "nan":
        a = [float(v) for v in a]
        if a:
            a[0] = NAN
        da = "float64"
    elif shape == "huge_ids":
        a = [v * 2**62 for v in a]
        b = [-(v * 2**62) for v in b]
    pair = Arr(Col(a, da), draw(arr_containers())), Arr(Col(b, db), draw(arr_containers()))
    if LONG and draw(st.integers(0, 9)) == 0:  # large labelings: singletons or many levels
        n = draw(big(1_000, 20_000))
        kind = draw(st.sampled_from(["range", "labels"]))
        k = draw(st.sampled_from([5, 1000, n]))
        pair = (
            Arr(Col(Gen(kind, n, k, 1), "int64"), "numpy"),
            Arr(Col(Gen(draw(st.sampled_from(["range", "labels"])), n, k, 2), "int64"), "numpy"),
        )
        shape = "big"
    return (*pair, shape) if with_shape else pair


#: Scores that are 1 for identical labelings (scikit-learn's convention, one cluster included).
ONE_WHEN_IDENTICAL = {
    "metrics.adjusted_rand_score",
    "metrics.normalized_mutual_info_score",
    "metrics.adjusted_mutual_info_score",
    "metrics.homogeneity_completeness_v_measure",
    "metrics.homogeneity_score",
    "metrics.completeness_score",
    "metrics.v_measure_score",
}


@strategy(
    "metrics.adjusted_rand_score",
    "metrics.normalized_mutual_info_score",
    "metrics.adjusted_mutual_info_score",
    "metrics.homogeneity_completeness_v_measure",
    "metrics.homogeneity_score",
    "metrics.completeness_score",
    "metrics.v_measure_score",
)
def _agreement(name: str) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        a, b, shape = draw(two_labelings(with_shape=True))
        kw: dict[str, Any] = {}
        if name in ("metrics.normalized_mutual_info_score", "metrics.adjusted_mutual_info_score"):
            kw = draw(
                kwarg_subset(
                    average_method=st.sampled_from(["arithmetic", "geometric", "min", "max", "median"])
                )
            )
        # labels pair by position (as scikit-learn's do): a Series on a shuffled index holds the
        # values shuffled, so identical labelings stay identical only when both or neither are
        same_order = (a.container == "series_indexed") == (b.container == "series_indexed")
        identical = shape == "identical" and same_order
        expect = 1.0 if identical and name in ONE_WHEN_IDENTICAL and len(a.col) > 0 else None
        return Case(name, (a, b), kw, expect=expect)

    return build()


# --------------------------------------------------------------------------------------------
# Themes
# --------------------------------------------------------------------------------------------


@st.composite
def themes_frame(
    draw: Any,
    n_themes: int | None = None,
    numeric_meta: bool = True,
    cat_meta: bool = True,
    outcome: bool = False,
    wave: bool = False,
) -> tuple[Frame, dict, list]:
    n = draw(sizes(80))
    k = n_themes if n_themes is not None else draw(st.integers(1, 4))
    cols: dict[str, Col] = {}
    for j in range(k):
        p = draw(st.sampled_from([0.3, 0.5, 0.0, 1.0, 0.1]))
        flags = [int(draw(st.floats(0, 1)) < p) for _ in range(n)]
        cols[f"t{j}"] = draw(typed(draw(corrupt(flags, "binary")), "binary"))
    if numeric_meta:
        cols["score"] = draw(column("real", n))
    if cat_meta:
        cols["region"] = draw(column("label", n))
    if outcome:
        cols["y"] = draw(column("real", n))
    if wave:
        waves = [("w1", "w2")[i % 2] for i in range(n)]
        cols["wave"] = draw(typed(draw(corrupt(waves, "few_labels")), "few_labels"))
        cols["control"] = draw(column("binary", n))
    frame, names = draw(table(cols))
    themes = [names[f"t{j}"] for j in range(k)]
    if draw(st.integers(0, 9)) == 0:
        themes = draw(st.sampled_from([[], ["nope"], [themes[0], themes[0]], "t0"]))
    return frame, names, themes


@strategy("theme_associations")
@st.composite
def _theme_associations(draw: Any) -> Case:
    if LONG and draw(st.integers(0, 7)) == 0:  # large: a metadata column with many levels
        n = draw(big(2_000, 30_000))
        levels = draw(st.sampled_from([n, 5_000, 50]))
        frame = Frame(
            [
                ("t0", Col(Gen("binary", n, 2, 8), "int64")),
                ("t1", Col(Gen("binary", n, 2, 9), "int64")),
                ("meta", Col(Gen("labels" if levels < n else "range", n, levels, 10), "int64")),
                ("num", Col(Gen("normal", n, 10.0, 11))),
            ]
        )
        return Case("theme_associations", (frame, ["t0", "t1"], ["meta", "num"]), {"categorical": ["meta"]})
    frame, names, themes = draw(themes_frame())
    meta = [names["score"], names["region"]]
    meta = draw(st.sampled_from([meta, meta[:1], meta[1:], [], ["nope"], [meta[0], meta[0]], themes[:1]]))
    kw = draw(
        kwarg_subset(
            correction=st.sampled_from(["fdr_bh", "bonferroni", "holm", "none", "fdr_by", "x"]),
            alpha=fparam(0.01, 0.2),
            min_count=iparam(0, 10),
            categorical=st.sampled_from([(), [names["score"]], ["nope"]]),
            by=st.sampled_from([None, names["region"]]),
            missing=missing_policy(),
            ci=cis(),
            top=iparam(0, 10),
            seed=seeds(),
            n_permutations=iparam(1, 200, HOSTILE_PARAM_I + [10**9]),
            profiles=st.booleans(),
            min_support=fparam(0, 1),
            profiles_top=iparam(0, 10),
        )
    )
    return Case("theme_associations", (frame, themes, meta), kw)


@strategy("theme_impact")
@st.composite
def _theme_impact(draw: Any) -> Case:
    frame, names, themes = draw(themes_frame(numeric_meta=False, cat_meta=False, outcome=True))
    kw = draw(
        kwarg_subset(
            method=st.sampled_from(["relative_weights", "shapley", "marginal", "dominance"]),
            n_boot=iparam(0, 20, HOSTILE_PARAM_I + [10**9]),
            seed=seeds(),
            ci=cis(),
            n_permutations=iparam(1, 200, HOSTILE_PARAM_I + [10**9]),
            missing=missing_policy(),
            progress=st.just(False),
        )
    )
    return Case("theme_impact", (frame, themes, names["y"]), kw)


@strategy("theme_cooccurrence")
@st.composite
def _theme_cooccurrence(draw: Any) -> Case:
    frame, names, themes = draw(themes_frame(numeric_meta=False, cat_meta=False))
    kw = draw(
        kwarg_subset(
            correction=st.sampled_from(["fdr_bh", "bonferroni", "none", "x"]),
            alpha=fparam(0.01, 0.2),
            missing=missing_policy(),
        )
    )
    return Case("theme_cooccurrence", (frame, themes), kw)


@strategy("compare_waves")
@st.composite
def _compare_waves(draw: Any) -> Case:
    frame, names, themes = draw(themes_frame(numeric_meta=False, cat_meta=False, outcome=True, wave=True))
    kw: dict[str, Any] = {}
    if draw(st.booleans()):
        kw["outcome"] = names["y"]
    if draw(st.booleans()):
        kw["control"] = names["control"]
    kw.update(
        draw(
            kwarg_subset(
                before=st.sampled_from([None, "w1", "w2", "w3"]),
                correction=st.sampled_from(["fdr_bh", "bonferroni", "x"]),
                alpha=fparam(0.01, 0.2),
                ci=cis(),
                missing=missing_policy(),
            )
        )
    )
    return Case("compare_waves", (frame, themes, names["wave"]), kw)


@st.composite
def texts(draw: Any) -> Arr:
    n = draw(sizes(40))
    vals = draw(st.lists(KINDS["text"](), min_size=n, max_size=n))
    vals = draw(corrupt(vals, "text"))
    if any(isinstance(v, str) and "\ud800" in v for v in vals):
        dtype = "object"
    else:
        dtype = draw(st.sampled_from(TEXT_DTYPES))
    arrow = draw(st.sampled_from([None, None, "large_string", "dictionary"]))
    container = draw(
        st.sampled_from(
            [
                "list",
                "series",
                "series",
                "series_indexed",
                "arrow",
                "arrow_chunked",
                "arrow_sliced",
                "polars",
                "numpy",
                "tuple",
            ]
        )
    )
    return Arr(Col(vals, dtype, arrow), container, name=draw(st.sampled_from([None, "comment", ""])))


@strategy("tag_themes")
@st.composite
def _tag_themes(draw: Any) -> Case:
    lexicon = draw(
        st.sampled_from(
            [
                {"price": ["expensive", "cheap", "price"], "delivery": ["late", "delivery", "slow"]},
                {"price": ["too expensive"], "support": ["support"]},
                {"price_count": ["price"], "price": ["cheap"]},
                {"x": []},
                {},
                {"x": [""]},
                {"": ["price"]},
                {"x": "price"},
                {"x": ["\ud800"]},
                {"x": [None]},
                {"x": ["not"]},
                {"x": ["price"] * 1000},
                {1: ["price"]},
                {"q": ["a" * 10000]},
            ]
        )
    )
    kw = draw(
        kwarg_subset(
            stem=st.booleans(),
            negation=st.booleans(),
            language=st.sampled_from(["english", "french", "german", "klingon", "", None]),
        )
    )
    return Case("tag_themes", (draw(texts()), lexicon), kw)


@strategy("discover_themes")
@st.composite
def _discover_themes(draw: Any) -> Case:
    kw = {"n_themes": draw(iparam(1, 5, HOSTILE_PARAM_I + [10**6]))}
    kw.update(
        draw(
            kwarg_subset(
                method=st.sampled_from(["nmf", "kmeans", "lda"]),
                max_features=iparam(1, 100, HOSTILE_PARAM_I + [10**9]),
                seed=seeds(),
                stop_words=st.sampled_from(["english", None, [], ["price"], "french", ["", None]]),
                top=iparam(1, 10, HOSTILE_PARAM_I + [10**9]),
                max_iter=iparam(1, 50, HOSTILE_PARAM_I + [10**9]),
                tol=fparam(1e-6, 1e-2),
                n_init=iparam(1, 4, HOSTILE_PARAM_I + [10**7]),
            )
        )
    )
    return Case("discover_themes", (draw(texts()),), kw)


@strategy("DiscoveredThemes.assign")
@st.composite
def _discover_assign(draw: Any) -> Case:
    corpus = [
        "price too expensive",
        "delivery late slow",
        "great support love",
        "price cheap",
        "slow delivery",
        "support great",
        "expensive price",
        "late delivery",
    ]
    inner = Case(
        "discover_themes", (corpus,), {"n_themes": 2, "method": draw(st.sampled_from(["nmf", "kmeans"]))}
    )
    return Case("DiscoveredThemes.assign", (inner, draw(texts())))


# --------------------------------------------------------------------------------------------
# Survey and customer metrics
# --------------------------------------------------------------------------------------------


def _score_case(name: str, lo: int, hi: int, extra: Callable[[Any], dict]) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        n = draw(sizes())
        scores = draw(column("score", n, lo=lo, hi=hi))
        use_by = draw(st.booleans())
        seg = draw(column("few_labels", n)) if use_by else None
        form = draw(st.sampled_from(["table", "table", "array"]))
        kw: dict[str, Any] = {}
        if form == "table":
            cols = {"s": scores}
            if seg is not None:
                cols["seg"] = seg
            frame, names = draw(table(cols))
            args: tuple = (frame,)
            kw["column"] = names["s"]
            if seg is not None:
                kw["by"] = names["seg"]
        else:
            args = (Arr(scores, draw(arr_containers()), name=draw(st.sampled_from([None, "score"]))),)
            if seg is not None:
                kw["by"] = Arr(seg, draw(arr_containers()))
        kw.update(draw(kwarg_subset(ci=cis(), missing=missing_policy())))
        kw.update(extra(draw))
        return Case(name, args, kw)

    return build()


def _scales() -> st.SearchStrategy:
    return st.sampled_from(
        [
            (1, 5),
            (1, 7),
            (0, 10),
            (1, 10),
            (5, 1),
            (1, 1),
            (0, 10**9),
            (1.5, 5),
            (NAN, 5),
            (1,),
            "1-5",
            (-(2**63), 2**63 - 1),
        ]
    )


STRATEGIES["metrics.nps"] = lambda: _score_case("metrics.nps", 0, 10, lambda draw: {})
STRATEGIES["metrics.csat"] = lambda: _score_case(
    "metrics.csat", 1, 5, lambda draw: draw(kwarg_subset(top=iparam(1, 4), scale=_scales()))
)
STRATEGIES["metrics.ces"] = lambda: _score_case(
    "metrics.ces",
    1,
    7,
    lambda draw: draw(
        kwarg_subset(scale=_scales(), direction=st.sampled_from(["effort", "ease", "x"]), easy=iparam(1, 6))
    ),
)


@strategy("metrics.first_contact_resolution")
@st.composite
def _fcr(draw: Any) -> Case:
    n = draw(sizes())
    use_contacts = draw(st.booleans())
    cols = {"c": draw(column("score", n, lo=1, hi=4)) if use_contacts else draw(column("binary", n))}
    if draw(st.booleans()):
        cols["seg"] = draw(column("few_labels", n))
    frame, names = draw(table(cols))
    kw: dict[str, Any] = {("contacts" if use_contacts else "resolved"): names["c"]}
    if draw(st.integers(0, 7)) == 0:
        kw = draw(st.sampled_from([{}, {"contacts": names["c"], "resolved": names["c"]}]))
    if "seg" in cols:
        kw["by"] = names["seg"]
    kw.update(draw(kwarg_subset(ci=cis(), missing=missing_policy())))
    return Case("metrics.first_contact_resolution", (frame,), kw)


@strategy("metrics.churn_rate", "metrics.retention")
def _cohorts(name: str) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        contractual = draw(st.booleans())
        n = draw(sizes(40))
        if contractual:
            start = draw(values("date", n))
            end = [
                None if draw(st.booleans()) else s + np.timedelta64(draw(st.integers(0, 200)), "D")
                for s in start
            ]
            cols = {
                "id": draw(column("count", n)),
                "start": draw(typed(draw(corrupt(start, "date")), "date")),
                "end": draw(typed(draw(corrupt(end, "date")), "date")),
            }
        else:
            cols = {"id": draw(column("count", n)), "date": draw(column("date", n))}
        if draw(st.integers(0, 3)) == 0:
            cols["plan"] = draw(column("few_labels", n))
        frame, names = draw(table(cols))
        kw: dict[str, Any] = {
            "customer": names["id"],
            "period": draw(st.sampled_from(["D", "W", "M", "M", "Q", "Y", "H", ""])),
        }
        if contractual:
            kw.update(start=names["start"], end=names["end"])
        else:
            kw.update(
                date=names["date"],
                inactivity=draw(st.one_of(st.none(), iparam(1, 3, HOSTILE_PARAM_I + [10**9]))),
            )
        if "plan" in cols:
            kw["cohort"] = names["plan"]
        kw.update(draw(kwarg_subset(observation_end=dates(), ci=cis(), missing=missing_policy())))
        return Case(name, (frame,), kw)

    return build()


@strategy("CohortResult.survivor")
@st.composite
def _cohort_survivor(draw: Any) -> Case:
    n = draw(st.integers(1, 12))
    start = [np.datetime64("2024-01-05") + np.timedelta64(draw(st.integers(0, 90)), "D") for _ in range(n)]
    end = [None if draw(st.booleans()) else s + np.timedelta64(draw(st.integers(0, 200)), "D") for s in start]
    frame = Frame(
        [
            ("id", Col(list(range(n)), "int64")),
            ("start", Col(start, "datetime")),
            ("end", Col(end, "datetime")),
        ]
    )
    inner = Case(
        "metrics.churn_rate",
        (frame,),
        {"customer": "id", "start": "start", "end": "end", "period": draw(st.sampled_from(["M", "W", "D"]))},
    )
    return Case("CohortResult.survivor", (inner,))


@strategy("metrics.engagement_index")
@st.composite
def _engagement_index(draw: Any) -> Case:
    n = draw(sizes())
    k = draw(st.integers(1, 3))
    cols = {f"m{j}": draw(column("real", n)) for j in range(k)}
    use_target = draw(st.booleans())
    if use_target:
        cols["churned"] = draw(column("binary", n))
    frame, names = draw(table(cols))
    measures = [names[f"m{j}"] for j in range(k)]
    kw: dict[str, Any] = {}
    method = draw(st.sampled_from(["index", "index", "book_naive", "x"]))
    kw["method"] = method
    if method == "index" or draw(st.booleans()):
        kw["normalize"] = draw(st.sampled_from(["z", "minmax", None, "rank"]))
    iw = draw(
        st.sampled_from(
            [
                "equal",
                "pca",
                "supervised",
                {m: 1.0 for m in measures},
                {measures[0]: NAN},
                {measures[0]: 0.0},
                {"nope": 1.0},
                "x",
                [1.0] * k,
            ]
        )
    )
    kw["item_weights"] = iw
    if use_target and draw(st.booleans()):
        kw["validate_against"] = names["churned"]
    kw.update(
        draw(
            kwarg_subset(
                reverse=st.sampled_from([(), measures[:1], ["nope"]]), seed=seeds(), missing=missing_policy()
            )
        )
    )
    return Case("metrics.engagement_index", (frame, measures), kw)


@strategy("metrics.cx_index")
@st.composite
def _cx_index(draw: Any) -> Case:
    n = draw(sizes())
    k = draw(st.integers(1, 3))
    cols = {f"q{j}": draw(column("score", n, lo=1, hi=5)) for j in range(k)}
    if draw(st.booleans()):
        cols["seg"] = draw(column("few_labels", n))
    frame, names = draw(table(cols))
    items = [names[f"q{j}"] for j in range(k)]
    kw: dict[str, Any] = {}
    if "seg" in cols:
        kw["by"] = names["seg"]
    kw.update(
        draw(
            kwarg_subset(
                item_weights=st.sampled_from(
                    [None, {i: 1.0 for i in items}, [1.0] * k, [NAN] * k, [0.0] * k, [-1.0] * k, {"nope": 1}]
                ),
                scale=st.one_of(_scales(), st.just({items[0]: (1, 5)})),
                reverse=st.sampled_from([(), items[:1], ["nope"]]),
                alternatives=st.sampled_from([None, {"alt": [1.0] * k}, {"alt": [NAN] * k}, {"bad": "x"}]),
                n_simulations=iparam(0, 50, HOSTILE_PARAM_I + [10**9]),
                ci=cis(),
                seed=seeds(),
                missing=missing_policy(),
            )
        )
    )
    return Case("metrics.cx_index", (frame, items), kw)


@strategy("opportunity_scores")
@st.composite
def _opportunity_scores(draw: Any) -> Case:
    n = draw(sizes())
    outcomes = draw(st.sampled_from([["speed", "price"], ["speed"], ["a b", "é"]]))
    cols: dict[str, Col] = {}
    for o in outcomes:
        cols[f"importance_{o}"] = draw(column("score", n, lo=1, hi=10))
        cols[f"satisfaction_{o}"] = draw(column("score", n, lo=1, hi=10))
        if draw(st.integers(0, 3)) == 0:
            cols[f"competitor_{o}"] = draw(column("score", n, lo=1, hi=10))
    if draw(st.booleans()):
        cols["seg"] = draw(column("few_labels", n))
    frame, names = draw(table(cols))
    plain = all(names[c] == c for c in cols)
    kw: dict[str, Any] = {}
    if not plain:
        kw["importance"] = [names[f"importance_{o}"] for o in outcomes]
        kw["satisfaction"] = [names[f"satisfaction_{o}"] for o in outcomes]
    if "seg" in cols:
        kw["by"] = names["seg"]
    if any(c.startswith("competitor_") for c in cols) and draw(st.booleans()):
        kw["competitor"] = "competitor_"
    kw.update(
        draw(
            kwarg_subset(
                scale=_scales(),
                top=st.one_of(st.none(), iparam(1, 5)),
                target=st.one_of(st.none(), fparam(0, 10), st.just({"speed": 5})),
                cut=st.sampled_from(["mean", "median", 5, NAN, -1, "mode"]),
                underserved=fparam(0, 20),
                ci=cis(),
                missing=missing_policy(),
            )
        )
    )
    return Case("opportunity_scores", (frame,), kw)


# --------------------------------------------------------------------------------------------
# Bundled data and the IPython extension
# --------------------------------------------------------------------------------------------


@strategy(
    "datasets.customers", "datasets.transactions", "datasets.pricing_survey", "datasets.conjoint_survey"
)
def _datasets(name: str) -> st.SearchStrategy[Case]:
    return st.builds(
        lambda n, kw: Case(name, (n,), kw),
        iparam(0, 300, HOSTILE_PARAM_I + [10**12, -5]),
        kwarg_subset(seed=seeds()),
    )


@strategy("datasets.cdnow", "datasets.cdnow_transactions", "datasets.donations")
def _datasets_fixed(name: str) -> st.SearchStrategy[Case]:
    return st.just(Case(name))


# --------------------------------------------------------------------------------------------
# Choice models (conjoint)
# --------------------------------------------------------------------------------------------


@strategy("conjoint_design")
@st.composite
def _conjoint_design(draw: Any) -> Case:
    k = draw(st.integers(0, 4))
    attrs: Any = {
        f"a{i}": draw(st.lists(st.sampled_from(["x", "y", "z", "w", 1, 2.5, None]), min_size=0, max_size=5))
        for i in range(k)
    }
    attrs = draw(st.sampled_from([attrs, attrs, [1, 2], "brand", None]))
    kw = draw(
        kwarg_subset(
            n_tasks=iparam(1, 10, HOSTILE_PARAM_I + [10**12]),
            n_alternatives=iparam(1, 5, HOSTILE_PARAM_I + [10**9]),
            n_versions=iparam(1, 4, HOSTILE_PARAM_I + [10**12]),
            none_option=st.booleans(),
            seed=seeds(),
        )
    )
    return Case("conjoint_design", (attrs,), kw)


@st.composite
def _choice_frame(draw: Any) -> tuple[Frame, dict[str, Any]]:
    """Long choice data: respondents x tasks x alternatives, one choice per task unless
    corrupted, a text attribute and a price."""
    n_r, n_t, n_a = draw(st.integers(1, 6)), draw(st.integers(1, 4)), draw(st.integers(2, 3))
    resp, task, brand, price, chosen = [], [], [], [], []
    for r in range(n_r):
        for t in range(n_t):
            pick = draw(st.integers(0, n_a - 1))
            for j in range(n_a):
                resp.append(r)
                task.append(t)
                brand.append(draw(st.sampled_from(["a", "b", "c"])))
                price.append(draw(st.sampled_from([10.0, 20.0, 30.0])))
                chosen.append(j == pick)
    hostile = draw(st.booleans())
    cols = [
        ("respondent_id", Col(resp, "int64")),
        ("task", Col(task, "int64")),
        (
            "brand",
            draw(column("label", len(brand), hostile=hostile)) if draw(st.booleans()) else Col(brand, "str"),
        ),
        ("price", Col(price)),
        ("chosen", Col(chosen, "bool")),
    ]
    return Frame(cols), {"attributes": ["brand"], "price": "price"}


@strategy("fit_choice")
@st.composite
def _fit_choice(draw: Any) -> Case:
    frame, kw = draw(_choice_frame())
    kw.update(
        draw(
            kwarg_subset(
                model=st.sampled_from(["mnl", "latent_class", "probit"]),
                n_classes=st.sampled_from([1, 2, [1, 2], 0, 10**6]),
                coding=st.sampled_from(["effects", "dummy", "other"]),
                n_starts=iparam(1, 3, HOSTILE_PARAM_I),
                seed=seeds(),
                ci=cis(),
                missing=missing_policy(),
            )
        )
    )
    return Case("fit_choice", (frame,), kw)


@strategy("ChoiceModel.simulate", "ChoiceModel.demand_curve", "ChoiceModel.utilities")
def _choice_model_methods(name: str) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        frame, kw = draw(_choice_frame())
        inner = Case("fit_choice", (frame,), kw)
        m = draw(st.integers(1, 3))
        products = Frame(
            [
                (
                    "brand",
                    Col(
                        draw(st.lists(st.sampled_from(["a", "b", "c", "zz", None]), min_size=m, max_size=m)),
                        "str",
                    ),
                ),
                ("price", Col(draw(st.lists(mix(_floats(0, 100), HOSTILE_FLOATS), min_size=m, max_size=m)))),
            ]
        )
        if name.endswith("simulate"):
            extra = draw(
                kwarg_subset(rule=st.sampled_from(["logit", "first_choice", "x"]), none=fparam(-5, 5))
            )
            return Case(name, (inner, products), extra)
        if name.endswith("utilities"):
            return Case(name, (inner, products))
        product = {"brand": draw(st.sampled_from(["a", "b", "zz"]))}
        prices = draw(st.lists(mix(_floats(0, 100), HOSTILE_FLOATS), min_size=0, max_size=5))
        extra = draw(kwarg_subset(cost=fparam(0, 50), market_size=fparam(1, 1000)))
        return Case(name, (inner,), {"product": product, "competitors": products, "prices": prices, **extra})

    return build()


@strategy("maxdiff")
@st.composite
def _maxdiff(draw: Any) -> Case:
    n_r, n_t, shown = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(2, 4))
    rows = []
    for r in range(n_r):
        for t in range(n_t):
            b, w = draw(st.integers(0, shown - 1)), draw(st.integers(0, shown - 1))
            for i in range(shown):
                rows.append((r, t, draw(st.sampled_from(["x", "y", "z", "w"])), i == b, i == w))
    cols = [
        ("respondent_id", Col([x[0] for x in rows], "int64")),
        ("task", Col([x[1] for x in rows], "int64")),
        (
            "item",
            draw(column("label", len(rows))) if draw(st.booleans()) else Col([x[2] for x in rows], "str"),
        ),
        ("best", Col([x[3] for x in rows], "bool")),
        ("worst", Col([x[4] for x in rows], "bool")),
    ]
    return Case("maxdiff", (Frame(cols),), draw(kwarg_subset(ci=cis(), missing=missing_policy())))


@strategy("kano")
@st.composite
def _kano(draw: Any) -> Case:
    n = draw(sizes(40))
    f = draw(column("score", n, lo=0, hi=7))
    d = draw(column("score", n, lo=0, hi=7))
    features = draw(st.sampled_from([{"a": ("f", "d")}, {"a": ("f",)}, {}, {"a": ("f", "zz")}, None]))
    return Case(
        "kano",
        (Frame([("f", f), ("d", d)]),),
        {"features": features, **draw(kwarg_subset(missing=missing_policy()))},
    )


@strategy("bundle_prices", "value_ladder")
def _menus(name: str) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        n = draw(sizes(30))
        k = draw(st.integers(1, 4))
        cols = [(f"w{j}", draw(column("nonneg", n))) for j in range(k)]
        names = [c for c, _ in cols]
        costs = draw(st.sampled_from([None, [1.0] * k, [0.0] * (k + 1), [-1.0] * k, [float("nan")] * k]))
        if name == "bundle_prices":
            kw = {"wtp": names, "costs": costs}
            kw.update(draw(kwarg_subset(strategy=st.sampled_from(["mixed", "pure", ["components"], "x"]))))
        else:
            kw = {"tier_wtp": names, "costs": costs}
            kw.update(draw(kwarg_subset(prices=st.sampled_from([None, [10.0] * k, [-1.0] * k, [1.0]]))))
        kw.update(draw(kwarg_subset(missing=missing_policy())))
        return Case(name, (Frame(cols),), kw)

    return build()


@strategy("load_ipython_extension")
def _ipython() -> st.SearchStrategy[Case]:
    return st.sampled_from([Case("load_ipython_extension", (None,)), Case("load_ipython_extension", (0,))])


# --------------------------------------------------------------------------------------------
# Tracking (lifetimes' alive path and cumulative transactions) and the model matrices
# --------------------------------------------------------------------------------------------


@strategy(
    "alive_path",
    "plot_history_alive",
    "expected_cumulative_transactions",
    "plot_cumulative_transactions",
    "plot_incremental_transactions",
)
def _tracking(name: str) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        model = draw(
            st.sampled_from(
                [Fitted("BetaGeo")] * 3
                + [Fitted("ParetoNBD"), Fitted("ModifiedBetaGeo"), Fitted("GammaGamma"), None]
            )
        )
        frame, names = draw(transactions())
        kw: dict[str, Any] = {"date": names["date"]}
        if name in ("alive_path", "plot_history_alive"):
            if draw(st.booleans()):
                kw["customer"] = names["customer_id"]
        else:
            kw["customer"] = names["customer_id"]
            kw.update(draw(kwarg_subset(calibration_end=dates())))
        kw.update(
            draw(
                kwarg_subset(
                    t=st.one_of(st.none(), iparam(1, 60, HOSTILE_PARAM_I + [10**7, 10**9])),
                    time_unit=st.sampled_from([None, "D", "W", "M", "Y", "X"]),
                    observation_end=dates(),
                    date_format=st.sampled_from([None, "%Y-%m-%d", "%d/%m/%Y", "", "%Q"]),
                    missing=missing_policy(),
                )
            )
        )
        return Case(name, (model, frame), kw)

    return build()


def _matrix_method(model: str, meth: str) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        kw = draw(
            kwarg_subset(
                max_frequency=st.one_of(st.none(), iparam(0, 30, HOSTILE_PARAM_I + [10**5, 10**7])),
                max_recency=st.one_of(st.none(), fparam(0, 60, HOSTILE_PARAM_F + [1e5, 1e7])),
                T=st.one_of(st.none(), fparam(0, 60)),
            )
        )
        if "conditional" in meth:
            kw.update(draw(kwarg_subset(t=times())))
        return Case(f"{model}.{meth}", (Fitted(model),), kw)

    return build()


for _model in ("BetaGeo", "ModifiedBetaGeo", "ParetoNBD"):
    for _meth in (
        "conditional_expected_purchases_matrix",
        "probability_alive_matrix",
        "plot_conditional_expected_purchases_matrix",
    ):
        STRATEGIES[f"{_model}.{_meth}"] = lambda m=_model, k=_meth: _matrix_method(m, k)


@strategy(
    "metrics.fowlkes_mallows_score",
    "metrics.mutual_info_score",
    "metrics.rand_score",
    "metrics.contingency_matrix",
)
def _agreement_more(name: str) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: Any) -> Case:
        a, b = draw(two_labelings())
        kw: dict[str, Any] = {}
        if name == "metrics.contingency_matrix":
            kw = draw(
                kwarg_subset(
                    eps=st.one_of(st.none(), fparam(0, 1)),
                    sparse=st.booleans(),
                    dtype=st.sampled_from([np.int64, np.float64, np.int8, np.uint8, "int32", None]),
                )
            )
        return Case(name, (a, b), kw)

    return build()


@strategy("metrics.entropy")
@st.composite
def _entropy(draw: Any) -> Case:
    a, _ = draw(two_labelings())
    return Case("metrics.entropy", (a,))


@strategy("key_drivers")
@st.composite
def _key_drivers(draw: Any) -> Case:
    n = draw(sizes())
    p = draw(st.integers(1, 4))
    cols = {f"x{j}": draw(column("score", n, lo=1, hi=10)) for j in range(p)}
    binary = draw(st.booleans())
    cols["y"] = draw(column("binary", n)) if binary else draw(column("real", n))
    if draw(st.integers(0, 4)) == 0 and p > 1:
        cols["x1"] = Col(list(cols["x0"].values), cols["x0"].dtype)  # a collinear driver
    frame, names = draw(table(cols))
    feats = [names[f"x{j}"] for j in range(p)]
    if draw(st.integers(0, 9)) == 0:
        feats = draw(st.sampled_from([[], ["nope"], [feats[0], feats[0]], [names["y"]]]))
    kw = draw(
        kwarg_subset(
            method=st.sampled_from(["relative_weights", "shapley", "marginal"]),
            outcome_type=st.sampled_from(["auto", "binary", "continuous", "x"]),
            n_boot=iparam(0, 20, [*HOSTILE_PARAM_I, 10**9]),
            ci=cis(),
            seed=seeds(),
            n_permutations=iparam(1, 200, [*HOSTILE_PARAM_I, 10**9]),
            missing=missing_policy(),
            progress=st.just(False),
        )
    )
    return Case("key_drivers", (frame, feats, names["y"]), kw)
