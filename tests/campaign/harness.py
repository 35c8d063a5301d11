"""The campaign's harness: picklable case specifications, their materialisation in a child
process, the promise check, and the parent side that runs each case in a fresh forked child
under a timeout and a memory cap.

Why a fork server and not a plain ``fork`` of the pytest process: the core runs its parallel
work on rayon's global thread pool. Once the pytest process has used it (any other test of the
suite does), a child forked from it inherits a pool whose threads do not exist and waits for
them forever. ``multiprocessing``'s "forkserver" context forks every child from a clean server
process that has imported the package but never run the core, so each case starts from the
same state (about 15 ms a case).

A case is plain data (:class:`Case`: a function name, arguments and :class:`Frame` /
:class:`Col` / :class:`Arr` specifications); the child builds the pandas, polars or Arrow
containers from it, so a sliced or chunked Arrow array reaches the package exactly as described,
never through pickling.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import resource
import signal
import sys
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Seconds a case may run before it counts as a hang.
TIMEOUT = float(os.environ.get("CV_CAMPAIGN_TIMEOUT", "20"))
#: Address space a case may add to what the child holds at its start (RLIMIT_AS).
MEMORY_CAP = int(float(os.environ.get("CV_CAMPAIGN_MEMORY_GB", "3")) * 2**30)


# --------------------------------------------------------------------------------------------
# Specifications (plain, picklable data)
# --------------------------------------------------------------------------------------------


@dataclass
class Gen:
    """Values generated in the child (large columns cost nothing to describe): ``kind``
    "range" (0..n-1, all distinct), "labels" (integers below ``k``), "normal" (floats with
    scale ``k``) or "binary"; seeded."""

    kind: str
    n: int
    k: float = 5
    seed: int = 0

    def __len__(self) -> int:
        return self.n

    def make(self) -> np.ndarray:
        rng = np.random.default_rng(self.seed)
        if self.kind == "range":
            return np.arange(self.n)
        if self.kind == "labels":
            return rng.integers(0, max(int(self.k), 1), self.n)
        if self.kind == "normal":
            return rng.normal(0, self.k, self.n)
        if self.kind == "binary":
            return rng.integers(0, 2, self.n)
        raise AssertionError(f"harness: unknown generator {self.kind!r}")


@dataclass
class Col:
    """One column: ``values`` (a list or NumPy array) and how to type it.

    ``dtype``: "float64", "float32", "Float64", "int64", "int32", "uint64", "Int64", "bool",
    "boolean", "str" (pandas' default string), "string_pa" (string[pyarrow]), "object",
    "category", "category_unused" (extra categories no row uses), "category_empty" (no
    categories at all, every row missing), "datetime" (datetime64[ns]), "datetime_tz" (UTC),
    "date_str" (ISO strings).
    ``arrow``: an extra Arrow-side transform for Arrow and polars containers: "dictionary",
    "large_string", "float32", "decimal", "date32" or None.
    """

    values: Any
    dtype: str = "float64"
    arrow: str | None = None

    def __len__(self) -> int:
        return len(self.values)


@dataclass
class Frame:
    """A table: named columns (names may repeat or be non-strings), a container and a row index.

    ``container``: "pandas", "polars", "arrow", "arrow_chunked" (3 chunks), "arrow_sliced"
    (a slice of a larger table, offset > 0), "record_batch".
    ``index`` (pandas only): "range", "shuffled" (rows permuted, labels kept), "filtered"
    (every third row dropped, labels kept), "reversed", "string" (text labels), "duplicate"
    (repeated labels).
    """

    columns: list[tuple[Any, Col]]
    container: str = "pandas"
    index: str = "range"

    @property
    def names(self) -> list[Any]:
        return [n for n, _ in self.columns]

    def __len__(self) -> int:
        return len(self.columns[0][1]) if self.columns else 0


@dataclass
class Arr:
    """A bare column given where a function takes one (texts, labels, scores, X):
    ``container``: "list", "numpy", "series", "series_indexed" (a pandas Series on a shuffled
    index), "arrow", "arrow_chunked", "arrow_sliced", "polars", "tuple"."""

    col: Col
    container: str = "numpy"
    name: str | None = None


@dataclass
class Matrix:
    """A 2-D feature matrix X for the clustering indices: ``values`` (rows x columns floats),
    ``container``: "numpy", "list", "pandas", "polars", "arrow", "float32", "fortran"."""

    values: Any
    container: str = "numpy"


@dataclass
class Fitted:
    """A model fitted on clean bundled data, for the prediction methods: fitted once in a child
    and carried pickled (``blob``, filled by the parent before the case runs)."""

    model: str
    blob: bytes | None = field(default=None, repr=False)


@dataclass
class Case:
    """One call: ``func`` names the public function ("demand_curve", "metrics.nps",
    "BetaGeo.fit", "BetaGeo.probability_alive", "DemandCurveResult.elasticity", ...).
    ``args``/``kwargs`` may hold the specifications above, built in the child. ``names``: the
    column and parameter names an error message may name (filled from the case when empty)."""

    func: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    names: tuple = ()
    #: the value the result must equal (to 1e-9), when the case has a known answer
    expect: Any = None

    def describe(self) -> str:
        return f"{self.func}(args={_short(self.args)}, kwargs={_short(self.kwargs)})"


def _short(obj: Any, limit: int = 1500) -> str:
    with np.printoptions(threshold=12, edgeitems=4):  # a context: the suite's other tests print arrays
        text = repr(obj)
    return text if len(text) <= limit else text[:limit] + " ...]"


# --------------------------------------------------------------------------------------------
# Materialisation (in the child)
# --------------------------------------------------------------------------------------------


def _as_float(values: Any) -> np.ndarray:
    out = np.empty(len(values), dtype=np.float64)
    for i, v in enumerate(values):
        try:
            out[i] = np.nan if v is None else float(v)
        except (TypeError, ValueError, OverflowError):
            out[i] = np.nan
    return out


def _pandas_col(col: Col) -> Any:
    import pandas as pd

    v, d = col.values, col.dtype
    if isinstance(v, Gen):
        v = v.make()
        if d in ("int64", "float64", "bool"):
            return pd.Series(v.astype(d))
    if d in ("float64", "float32"):
        return pd.Series(_as_float(v).astype(d))
    if d in ("int64", "int32", "uint64"):
        f = _as_float(v)
        lo, hi = np.iinfo(d).min, np.iinfo(d).max
        if not np.all(np.isfinite(f)):
            vals = [None if not math.isfinite(x) else int(min(max(x, lo), hi - 1024)) for x in f]
            return pd.Series(pd.array(vals, dtype="Int64" if d != "uint64" else "UInt64"))
        return pd.Series(np.clip(f, lo, hi).astype(d) if len(f) else np.zeros(0, d))
    if d == "Int64":
        f = _as_float(v)
        vals = [None if not math.isfinite(x) or abs(x) >= 2**63 else int(x) for x in f]
        return pd.Series(pd.array(vals, dtype="Int64"))
    if d == "Float64":
        vals = [None if x is None else x for x in (list(v) if not isinstance(v, np.ndarray) else v.tolist())]
        return pd.Series(pd.array(_as_float(vals), dtype="Float64"))
    if d == "bool":
        return pd.Series(np.asarray([bool(x) if x is not None and x == x else False for x in v], dtype=bool))
    if d == "boolean":
        return pd.Series(pd.array([None if x is None or x != x else bool(x) for x in v], dtype="boolean"))
    if d in ("str", "string_pa"):
        texts = [None if x is None or (isinstance(x, float) and x != x) else str(x) for x in v]
        try:
            return pd.Series(pd.array(texts, dtype="str" if d == "str" else "string[pyarrow]"))
        except UnicodeEncodeError:  # a lone surrogate: pandas' Arrow-backed strings cannot hold it
            return pd.Series(texts, dtype=object)
    if d == "object":
        return pd.Series(list(v), dtype=object)
    if d in ("category", "category_unused"):
        try:
            c = pd.Categorical(list(v))
        except (UnicodeEncodeError, TypeError):  # a lone surrogate or mixed types: object categories
            vals = list(v)
            uniq = list(dict.fromkeys(x for x in vals if x is not None and x == x))
            codes = [-1 if x is None or x != x else uniq.index(x) for x in vals]
            c = pd.Categorical.from_codes(codes, categories=pd.Index(uniq, dtype=object))
        if d == "category":
            return pd.Series(c)
        extra = [x for x in ("zz_unused", 987654321) if x not in set(c.categories)]
        try:
            return pd.Series(c.add_categories(extra[:1]))
        except (TypeError, ValueError):
            return pd.Series(c)
    if d == "category_empty":
        return pd.Series(pd.Categorical([None] * len(v), categories=[]))
    if d in ("datetime", "datetime_tz", "date_str"):
        s = pd.to_datetime(pd.Series(list(v), dtype=object), errors="coerce")
        if d == "datetime_tz":
            return s.dt.tz_localize("UTC")
        if d == "date_str":
            return pd.Series([None if x is pd.NaT else x.isoformat() for x in s], dtype=object)
        return s
    raise AssertionError(f"harness: unknown dtype {d!r}")


def _arrow_transform(arr: Any, how: str | None) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    if how is None:
        return arr
    if how == "dictionary":
        return arr.dictionary_encode() if not pa.types.is_dictionary(arr.type) else arr
    if how == "large_string":
        if pa.types.is_dictionary(arr.type):
            arr = arr.dictionary_decode()
        return pc.cast(arr, pa.large_string()) if pa.types.is_string(arr.type) else arr
    if how == "float32":
        return (
            pc.cast(arr, pa.float32())
            if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type)
            else arr
        )
    if how == "decimal":
        if pa.types.is_integer(arr.type):
            return pc.cast(arr, pa.decimal128(38, 0))
        return arr
    if how == "date32":
        if pa.types.is_timestamp(arr.type):
            return pc.cast(pc.cast(arr, pa.timestamp("s", arr.type.tz)), pa.date32())
        return arr
    raise AssertionError(f"harness: unknown arrow transform {how!r}")


def _arrow_col(col: Col) -> Any:
    import pandas as pd
    import pyarrow as pa

    s = _pandas_col(col)
    if col.dtype == "object":
        try:
            arr = pa.array(list(s), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, UnicodeEncodeError):
            arr = pa.array([None if x is None else _utf8(str(x)) for x in s])
    else:
        try:
            arr = pa.Array.from_pandas(s)
        except UnicodeEncodeError:  # Arrow strings are UTF-8: a lone surrogate cannot cross
            arr = pa.array([None if x is None or x is pd.NA else _utf8(str(x)) for x in s])
    try:
        return _arrow_transform(arr, col.arrow)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return arr  # a transform that does not apply to these values (e.g. decimal of huge ints)


def _utf8(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


def _index(n: int, how: str) -> tuple[np.ndarray, Any]:
    """Row order (positions into the built rows) and index labels for a pandas frame."""
    import pandas as pd

    pos = np.arange(n)
    if how == "range":
        return pos, pd.RangeIndex(n)
    if how == "shuffled":
        return np.random.default_rng(n).permutation(n), pd.RangeIndex(n)
    if how == "filtered":
        return pos, pd.RangeIndex(n)
    if how == "reversed":
        return pos[::-1].copy(), pd.RangeIndex(n)
    if how == "string":
        return pos, pd.Index([f"row-{i}" for i in range(n)], dtype=object)
    if how == "duplicate":
        return pos, pd.Index(np.arange(n) // 2)
    raise AssertionError(f"harness: unknown index {how!r}")


def build_frame(spec: Frame) -> Any:
    import pandas as pd
    import pyarrow as pa

    n = len(spec)
    if spec.container == "pandas":
        cols = [_pandas_col(c) for _, c in spec.columns]
        for s in cols:
            s.index = pd.RangeIndex(len(s))
        order, labels = _index(n, spec.index)
        df = pd.concat(cols, axis=1, ignore_index=True) if cols else pd.DataFrame(index=pd.RangeIndex(n))
        df.columns = pd.Index(spec.names, dtype=object) if cols else df.columns
        if len(set(map(_hashable, spec.names))) == len(spec.names) and all(
            isinstance(x, str) for x in spec.names
        ):
            df.columns = pd.Index(spec.names)
        df.index = labels
        df = df.iloc[order]
        if spec.index == "filtered" and n >= 3:
            df = df.iloc[[i for i in range(n) if i % 3 != 1]]
        return df
    arrays = [_arrow_col(c) for _, c in spec.columns]
    names = [str(x) for x in spec.names]
    table = pa.Table.from_arrays(arrays, names=names) if arrays else pa.table({})
    if spec.container == "arrow":
        return table
    if spec.container == "record_batch":
        return (
            table.combine_chunks().to_batches()[0]
            if n
            else pa.RecordBatch.from_arrays([a for a in arrays], names=names)
        )
    if spec.container == "arrow_chunked":
        cuts = [0, n // 3, (2 * n) // 3, n]
        parts = [table.slice(a, b - a) for a, b in zip(cuts, cuts[1:], strict=False)]
        return pa.concat_tables(parts)
    if spec.container == "arrow_sliced":
        pad = min(n, 5)
        bigger = pa.concat_tables([table.slice(0, pad), table, table.slice(0, pad)]).combine_chunks()
        return bigger.slice(pad, n)
    if spec.container == "polars":
        import polars as pl

        if len(set(names)) != len(names):  # polars has no duplicate names: fall back to Arrow
            return table
        return pl.from_arrow(table.combine_chunks()) if arrays else pl.DataFrame()
    raise AssertionError(f"harness: unknown container {spec.container!r}")


def _hashable(x: Any) -> Any:
    try:
        hash(x)
        return x
    except TypeError:
        return repr(x)


def build_arr(spec: Arr) -> Any:
    import pandas as pd
    import pyarrow as pa

    c = spec.container
    if c in ("list", "tuple"):
        vals = list(spec.col.values.tolist() if isinstance(spec.col.values, np.ndarray) else spec.col.values)
        return vals if c == "list" else tuple(vals)
    s = _pandas_col(spec.col)
    if spec.name is not None:
        s = s.rename(spec.name)
    if c == "numpy":
        return s.to_numpy()
    if c == "series":
        return s
    if c == "series_indexed":
        n = len(s)
        perm = np.random.default_rng(n + 1).permutation(n)
        return pd.Series(s.to_numpy()[perm], index=pd.Index(perm * 7 + 3), name=s.name, dtype=s.dtype)
    arr = _arrow_col(spec.col)
    if c == "arrow":
        return arr
    if c == "arrow_chunked":
        n = len(arr)
        return pa.chunked_array([arr.slice(0, n // 2), arr.slice(n // 2)], type=arr.type)
    if c == "arrow_sliced":
        pad = min(len(arr), 3)
        return pa.concat_arrays([arr.slice(0, pad), arr, arr.slice(0, pad)]).slice(pad, len(arr))
    if c == "polars":
        import polars as pl

        return pl.from_arrow(arr) if len(arr) else pl.Series(spec.name or "", [])
    raise AssertionError(f"harness: unknown array container {c!r}")


def build_matrix(spec: Matrix) -> Any:
    import pandas as pd
    import pyarrow as pa

    x = np.asarray(spec.values, dtype=float)
    if x.ndim == 1:
        x = x.reshape(-1, 1) if x.size else x.reshape(0, 1)
    c = spec.container
    if c == "numpy":
        return x
    if c == "float32":
        return x.astype(np.float32)
    if c == "fortran":
        return np.asfortranarray(x)
    if c == "list":
        return x.tolist()
    if c == "pandas":
        return pd.DataFrame(x, columns=[f"x{j}" for j in range(x.shape[1])])
    if c == "arrow":
        return pa.table({f"x{j}": x[:, j] for j in range(x.shape[1])})
    if c == "polars":
        import polars as pl

        return pl.DataFrame({f"x{j}": x[:, j] for j in range(x.shape[1])})
    raise AssertionError(f"harness: unknown matrix container {c!r}")


#: Survivors of the Fader & Hardie (2007) "regular" cohort, for the sBG prediction methods.
SBG_SURVIVORS = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]


def fitted_model(name: str) -> Any:
    import customervalue as cv

    if name in ("BetaGeo", "ParetoNBD", "ModifiedBetaGeo"):
        return getattr(cv, name)().fit(cv.datasets.cdnow())
    if name == "GammaGamma":
        d = cv.datasets.cdnow()
        return cv.GammaGamma().fit(d[d["frequency"] > 0])
    if name == "BetaGeoBetaBinom":
        return cv.BetaGeoBetaBinom().fit(cv.datasets.donations(), weights="weights")
    if name == "ShiftedBetaGeometric":
        return cv.ShiftedBetaGeometric().fit(SBG_SURVIVORS)
    raise AssertionError(f"harness: no fitted model {name!r}")


def materialize(obj: Any, evaluate: bool = True) -> Any:
    """Builds the containers a specification describes; with ``evaluate``, inner calls (a
    Case inside the arguments: a grouping, the result whose method is called) are made too."""
    if isinstance(obj, Frame):
        return build_frame(obj)
    if isinstance(obj, Arr):
        return build_arr(obj)
    if isinstance(obj, Matrix):
        return build_matrix(obj)
    if isinstance(obj, Fitted):
        if obj.blob is not None:
            import pickle

            return pickle.loads(obj.blob)
        return fitted_model(obj.model)
    if isinstance(obj, Col):
        return _pandas_col(obj)
    if isinstance(obj, Case):  # an inner call: a result the outer call takes (a grouping, a result's method)
        if not evaluate:
            return Case(obj.func, materialize(obj.args, False), materialize(obj.kwargs, False), obj.names)
        return resolve(obj.func)(*materialize(obj.args), **materialize(obj.kwargs))
    if isinstance(obj, tuple):
        return tuple(materialize(x, evaluate) for x in obj)
    if isinstance(obj, list):
        return [materialize(x, evaluate) for x in obj]
    if isinstance(obj, dict):
        return {k: materialize(v, evaluate) for k, v in obj.items()}
    return obj


# --------------------------------------------------------------------------------------------
# The promise (checked in the child)
# --------------------------------------------------------------------------------------------


class Broken(Exception):
    """The result breaks the promise: ``kind`` "silent nan" (a non-finite number without a
    documented meaning) or "misaligned" (rows not on the input's index)."""

    def __init__(self, message: str, kind: str = "silent nan") -> None:
        super().__init__(message)
        self.kind = kind


#: NaN/inf that the documentation gives a meaning to: function -> list of (regex on the
#: path of the value inside the result, the documented meaning, where). Paths look like
#: "result.table['p']", "result.r_squared", "result['clv']", "params_['a']". ``where``:
#: "any" row, or "first_price": only rows with no lower price before them (an elasticity of
#: the step from the previous price has no step at the lowest price).
DOCUMENTED_NAN: dict[str, list[tuple[str, str, str]]] = {
    "theme_associations": [
        (
            r"\.table\['(p|q|statistic|effect|effect_ci_low|effect_ci_high)'\]",
            "constant or all-missing variables are kept as rows with p = q = NaN (docstring)",
            "any",
        ),
    ],
    "theme_impact": [
        (
            r"\.table\['(ci_low|ci_high)'\]",
            "intervals only with n_boot > 0 (NaN otherwise; docstring)",
            "any",
        ),
    ],
    "compare_waves": [
        (r"\.table\['did(_ci_low|_ci_high|_p)?'\]", "NaN without a control group (docstring)", "any"),
    ],
    "gabor_granger": [
        (r"\.(revenue|profit)_optimal_price$", "NaN: no optimal price (docstring)", "any"),
        (
            r"\.respondents\['highest_accepted_price'\]",
            "NaN for a respondent who accepts no price or is dropped as non-monotone; the status "
            "column says which (GaborGrangerResult docstring)",
            "any",
        ),
        (r"\.table\['elasticity'\]", "the step from the previous ladder price (docstring)", "first_price"),
        (r"\.table\['elasticity'\]", "NaN for a step from a price with no demand (docstring)", "any"),
    ],
    "GaborGrangerResult": [
        (r"\['elasticity'\]", "the step from the previous ladder price (docstring)", "first_price"),
    ],
    "DemandCurveResult": [
        (r"\['elasticity'\]", "between adjacent stated prices (docstring)", "first_price"),
    ],
    # issue 18, class 16: the NaNs the result docstrings now give a meaning. The elasticity of
    # a step from a price with no demand is NaN anywhere on the ladder (0/0; the harness has no
    # row kind "after a price with no demand", so these accept the column)
    "GaborGrangerResult.elasticity": [
        (r"\['elasticity'\]", "NaN for a step from a price with no demand (docstring)", "any"),
    ],
    "DemandCurveResult.elasticity": [
        (r"\['elasticity'\]", "NaN for a step from a price with no demand (docstring)", "any"),
    ],
    "demand_curve": [
        (
            r"\.optima\['profit_(optimal_price|at_optimum)(_ci_low|_ci_high)?'\]",
            "NaN when the unit cost is at or above every stated WTP: no price covers it (docstring)",
            "any",
        ),
    ],
    "compare_groupings": [
        (
            r"\.(table|separation)\['(silhouette|calinski_harabasz|davies_bouldin)'\]",
            "NaN for a grouping of one group or of singletons (ComparisonResult docstring)",
            "any",
        ),
        (
            r"\.(table|value_explained)\['(eta_squared|eta_squared_adjusted|kruskal_h|kruskal_p)'\]",
            "NaN for a grouping of one group; adjusted eta squared with as many groups as rows (docstring)",
            "any",
        ),
        (
            r"\.stability\['(stability_ari|ci_low|ci_high)'\]",
            "NaN for a grouping not refitted: n_boot=0 or a rule-based grouping (docstring)",
            "any",
        ),
        (
            r"\.profiles\['(.+_index|value_share)'\]",
            "NaN when the feature's overall mean, or the total value, is 0 (docstring)",
            "any",
        ),
    ],
    "CohortResult.survivor": [
        (r"^result\[", "NaN in the periods a younger cohort has not reached (docstring)", "any"),
    ],
    "PriceResponseModel.from_params": [
        (
            r"\.table\['std_error'\]|\.standard_errors_\[|\.log_likelihood_$",
            "a model from from_params is not estimated: no standard errors, no log-likelihood (docstring)",
            "any",
        ),
    ],
    "value_quantification": [
        (r"\.roi$", "NaN when the present value of the costs is not positive (docstring)", "any"),
    ],
    "metrics.cx_index": [
        (
            r"\.rank_range\['p_same_rank'\]",
            "NaN with n_simulations=0: no random weightings (docstring)",
            "any",
        ),
    ],
    "van_westendorp": [
        (
            r"\.(points|ranges|nms_optima)\['(price|value|ci_low|ci_high)'\]",
            "NaN where the curves do not cross (no such point), and every interval without ci= "
            "(VanWestendorpResult docstring, 'NaN, and what it means')",
            "any",
        ),
    ],
    "expected_cumulative_transactions": [
        (
            r"\['actual'\]",
            "NaN past the observation end: no purchase can be counted there (docstring)",
            "any",
        ),
    ],
    "theme_cooccurrence": [
        (
            r"\.table\['(lift|p|q|jaccard)'\]",
            "NaN for a pair with a theme no one mentions; jaccard when neither is (docstring)",
            "any",
        ),
    ],
    "metrics.engagement_index": [
        (
            r"\.cronbach_alpha$",
            "NaN with a single measure, or normalised measures summing to a constant (docstring)",
            "any",
        ),
    ],
    "key_drivers": [
        (r"\.table\['(ci_low|ci_high)'\]", "intervals only with n_boot > 0 (docstring)", "any"),
    ],
}

#: Attributes that are never data (skipped by the walk).
_SKIP_FIELDS = {"dropped", "warnings", "_data", "space", "X", "index", "seed"}


def _path_allowed(func: str, path: str, where: str = "any") -> bool:
    """Is a NaN at ``path`` documented (for rows of kind ``where``)?"""
    base = func.split(".")[0]
    for key in (func, base):
        for pattern, _, rows in DOCUMENTED_NAN.get(key, ()):
            if re.search(pattern, path) and rows in ("any", where):
                return True
    return False


def _bad_float(x: Any) -> bool:
    try:
        return not math.isfinite(float(x))
    except (TypeError, ValueError, OverflowError):
        return False


def check_finite(func: str, obj: Any, path: str = "result", depth: int = 0) -> None:
    """Raises Broken at the first NaN or infinity without a documented meaning."""
    import pandas as pd

    if depth > 4 or obj is None or isinstance(obj, (str, bytes, bool, np.bool_)):
        return
    if isinstance(obj, (float, np.floating)):
        if _bad_float(obj) and not _path_allowed(func, path):
            raise Broken(f"{path} is {float(obj)!r}")
        return
    if isinstance(obj, (int, np.integer)):
        return
    if isinstance(obj, pd.DataFrame):
        first_price = None
        if "price" in obj.columns and pd.api.types.is_numeric_dtype(obj["price"]):
            p = obj["price"].to_numpy(dtype=float, na_value=np.nan)
            first_price = np.r_[True, p[1:] <= p[:-1]] if len(p) else np.zeros(0, bool)
        for j, name in enumerate(obj.columns):
            _check_values(func, obj.iloc[:, j], f"{path}[{name!r}]", first_price)
        return
    if isinstance(obj, pd.Series):
        _check_values(func, obj, f"{path}[{obj.name!r}]" if obj.name is not None else path)
        return
    if isinstance(obj, np.ndarray):
        _check_values(
            func, pd.Series(obj.ravel()) if obj.dtype.kind in "fc" else pd.Series([], dtype=float), path
        )
        return
    if isinstance(obj, dict):
        for k, v in list(obj.items())[:200]:
            check_finite(func, v, f"{path}[{k!r}]", depth + 1)
        return
    if isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj[:200]):
            check_finite(func, v, f"{path}[{i}]", depth + 1)
        return
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            if f.name in _SKIP_FIELDS or f.name.startswith("_"):
                continue
            check_finite(func, getattr(obj, f.name), f"{path}.{f.name}", depth + 1)
        return


def _check_values(func: str, s: Any, path: str, first_price: Any = None) -> None:
    import pandas as pd

    if not (pd.api.types.is_float_dtype(s.dtype) or pd.api.types.is_complex_dtype(s.dtype)):
        return
    x = s.to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(x)
    if bad.any() and first_price is not None and _path_allowed(func, path, "first_price"):
        bad &= ~first_price
    if bad.any() and not _path_allowed(func, path):
        i = int(np.argmax(bad))
        raise Broken(f"{path} holds {int(bad.sum())} non-finite value(s), the first {x[i]!r} at position {i}")


def _model_probe(func: str, model: Any) -> None:
    """After a successful fit: the parameters, the log-likelihood and the predictions on a few
    customers (one with no repeat purchase) must be finite."""
    import pandas as pd

    check_finite(func, getattr(model, "params_", None), "params_")
    check_finite(func, getattr(model, "log_likelihood_", None), "log_likelihood_")
    name = type(model).__name__
    if name in ("BetaGeo", "ParetoNBD", "ModifiedBetaGeo"):
        cols = list(getattr(model, "_cols", ("frequency", "recency", "T")))
        probe = pd.DataFrame(
            {cols[0]: [0.0, 1.0, 5.0, 0.0], cols[1]: [0.0, 3.0, 10.0, 0.0], cols[2]: [10.0, 10.0, 20.0, 1.0]}
        )
        check_finite(
            func, model.conditional_expected_purchases(1.0, probe), "conditional_expected_purchases(1)"
        )
        check_finite(func, model.probability_alive(probe), "probability_alive")
        check_finite(func, model.expected_purchases(1.0), "expected_purchases(1)")
    elif name == "BetaGeoBetaBinom":
        cols = list(getattr(model, "_cols", ("frequency", "recency", "n_periods")))
        probe = pd.DataFrame({cols[0]: [0, 1, 3], cols[1]: [0, 2, 5], cols[2]: [6, 6, 6]})
        check_finite(
            func, model.conditional_expected_purchases(2, probe), "conditional_expected_purchases(2)"
        )
        check_finite(func, model.probability_alive(probe), "probability_alive")
    elif name == "GammaGamma":
        cols = list(getattr(model, "_cols", ("frequency", "monetary_value")))
        probe = pd.DataFrame({cols[0]: [1, 3, 10], cols[1]: [5.0, 20.0, 100.0]})
        check_finite(func, model.conditional_expected_spend(probe), "conditional_expected_spend")
    elif name == "ShiftedBetaGeometric":
        check_finite(func, model.survival(np.arange(1, 6)), "survival(1..5)")
        check_finite(
            func,
            model.discounted_expected_residual_lifetime(0.1),
            "discounted_expected_residual_lifetime(0.1)",
        )


def _index_of(x: Any) -> Any:
    import pandas as pd

    return x.index if isinstance(x, (pd.DataFrame, pd.Series)) else None


MODEL_NAMES = (
    "BetaGeo",
    "ParetoNBD",
    "ModifiedBetaGeo",
    "BetaGeoBetaBinom",
    "GammaGamma",
    "ShiftedBetaGeometric",
)
_UNIT = (0.0, 1.0)
#: Ranges a result's values must lie in (to 1e-9): scores and probabilities.
BOUNDS: dict[str, tuple[float, float]] = {
    "metrics.adjusted_rand_score": (-1.0, 1.0),
    "metrics.adjusted_mutual_info_score": (-1.0, 1.0),
    "metrics.normalized_mutual_info_score": _UNIT,
    "metrics.homogeneity_score": _UNIT,
    "metrics.completeness_score": _UNIT,
    "metrics.v_measure_score": _UNIT,
    "metrics.homogeneity_completeness_v_measure": _UNIT,
    "metrics.fowlkes_mallows_score": _UNIT,
    "metrics.rand_score": _UNIT,
    "metrics.silhouette_score": (-1.0, 1.0),
    "metrics.silhouette_samples": (-1.0, 1.0),
    "metrics.davies_bouldin_score": (0.0, math.inf),
    "metrics.calinski_harabasz_score": (0.0, math.inf),
    "metrics.entropy": (0.0, math.inf),
    "metrics.mutual_info_score": (0.0, math.inf),
    **{
        f"{m}.probability_alive": _UNIT
        for m in ("BetaGeo", "ParetoNBD", "ModifiedBetaGeo", "BetaGeoBetaBinom")
    },
    **{f"{m}.probability_of_purchases": _UNIT for m in MODEL_NAMES[:4]},
    **{f"{m}.conditional_probability_of_purchases": _UNIT for m in MODEL_NAMES[:3]},
    "ShiftedBetaGeometric.survival": _UNIT,
    "ShiftedBetaGeometric.retention": _UNIT,
}


def _numbers(result: Any) -> np.ndarray:
    import pandas as pd

    if isinstance(result, (pd.Series, pd.DataFrame)):
        result = (
            result.select_dtypes("number").to_numpy()
            if isinstance(result, pd.DataFrame)
            else result.to_numpy()
        )
    try:
        return np.asarray(result, dtype=float).ravel()
    except (TypeError, ValueError):
        return np.zeros(0)


def check_bounds(case: Case, result: Any) -> None:
    x = _numbers(result)
    if case.expect is not None:
        want = np.broadcast_to(np.asarray(case.expect, dtype=float), x.shape) if x.size else np.asarray([])
        if x.size == 0 or not np.allclose(x, want, rtol=0, atol=1e-9):
            raise Broken(f"result {x[:6].tolist()} is not the known answer {case.expect!r}", "wrong result")
    lo, hi = BOUNDS.get(case.func, (-math.inf, math.inf))
    x = x[np.isfinite(x)]
    if x.size and (x.min() < lo - 1e-9 or x.max() > hi + 1e-9):
        raise Broken(f"result {x.min()!r}..{x.max()!r} leaves its range [{lo}, {hi}]", "wrong result")


def check_result(case: Case, built_args: tuple, built_kwargs: dict, result: Any) -> None:
    """The promise for a returned value."""
    import pandas as pd

    func = case.func
    if func.endswith(".fit"):
        _model_probe(func, result)
        return
    check_finite(func, result)
    check_bounds(case, result)
    # per-row outputs carry the input's index (per-customer ones the customer id)
    data = built_args[2] if func == "customer_lifetime_value" else (built_args[0] if built_args else None)
    rows_out = func in ("segment", "customer_lifetime_value") or (
        "." in func
        and func.split(".")[0] in MODEL_NAMES
        and func.split(".")[1]
        in (
            "conditional_expected_purchases",
            "probability_alive",
            "conditional_expected_spend",
            "conditional_expected_average_profit",
            "log_likelihood",
            "discounted_expected_residual_transactions",
            "discounted_expected_purchases",
            "conditional_probability_of_purchases",
        )
    )
    if rows_out and func.split(".")[0] in MODEL_NAMES and func != "customer_lifetime_value":
        data = built_args[-1] if built_args else None
    idx = _index_of(data)
    if rows_out and idx is not None and isinstance(result, (pd.Series, pd.DataFrame)):
        if not result.index.equals(idx):
            raise Broken(
                f"result index {list(result.index[:8])!r} is not the input's index {list(idx[:8])!r}",
                "misaligned",
            )
    # the result object's own methods
    for meth in ("summary", "to_arrow", "_repr_html_"):
        if hasattr(type(result), meth) and not isinstance(result, (pd.Series, pd.DataFrame)):
            getattr(result, meth)()


def resolve(func: str) -> Any:
    """The callable a case names. "Model.method" calls the method of a model fitted in the
    child on bundled data ("Model.fit" of a fresh model); "Result.method" calls a method of a
    result, whose first argument is the Case building it."""
    import customervalue as cv

    if func.startswith("metrics."):
        return getattr(cv.metrics, func.split(".", 1)[1])
    if func.startswith("datasets."):
        return getattr(cv.datasets, func.split(".", 1)[1])
    if "." not in func:
        return getattr(cv, func)
    owner, meth = func.split(".", 1)
    if owner in MODEL_NAMES:
        if meth == "fit":
            return getattr(cv, owner)().fit

        def call_on_model(model: Any, *args: Any, **kwargs: Any) -> Any:
            return getattr(model, meth)(*args, **kwargs)

        return call_on_model

    import inspect

    cls = getattr(cv, owner, None) or getattr(cv.metrics, owner)
    if isinstance(inspect.getattr_static(cls, meth), (classmethod, staticmethod)):
        return getattr(cls, meth)

    def call_on_result(result: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(result, meth)(*args, **kwargs)

    return call_on_result


# --------------------------------------------------------------------------------------------
# The child
# --------------------------------------------------------------------------------------------


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _mentions(msg: str, names: tuple) -> bool:
    """Does an error message name a column or a parameter of the case?"""
    for n in names:
        s = str(n)
        if not s:
            continue
        if re.search(rf"(['\"`]){re.escape(s)}\1", msg):
            return True
        if len(s) >= 3 and re.search(rf"(?<![A-Za-z0-9_]){re.escape(s)}(?![A-Za-z0-9_])", msg):
            return True
        if re.search(rf"(?<![A-Za-z0-9_]){re.escape(s)}\s*[=:]", msg):
            return True
    return bool(re.search(r"\b(column|argument|parameter)s?\b", msg))


def case_names(case: Case, fn: Any) -> tuple:
    """The names an error message of this case may name: the columns of its tables, its keyword
    arguments and the function's parameters."""
    import inspect

    names: list[Any] = []

    def walk(obj: Any) -> None:
        if isinstance(obj, Frame):
            names.extend(obj.names)
        elif isinstance(obj, Arr) and obj.name is not None:
            names.append(obj.name)
        elif isinstance(obj, Case):
            names.extend(obj.kwargs)
            walk(obj.args)
            walk(obj.kwargs)
        elif isinstance(obj, (tuple, list)):
            for x in obj:
                walk(x)
        elif isinstance(obj, dict):
            for k, v in obj.items():
                names.append(k)
                walk(v)

    walk(case.args)
    walk(case.kwargs)
    names.extend(case.kwargs)
    try:
        names.extend(p for p in inspect.signature(fn).parameters if p not in ("self", "args", "kwargs"))
    except (TypeError, ValueError):
        pass
    return tuple(names)


def classify_exception(case: Case, exc: BaseException) -> tuple[str, str]:
    """('ok', why) for an exception that keeps the promise, else (defect class, why)."""
    import customervalue as cv

    kind = type(exc).__module__ + "." + type(exc).__qualname__
    msg = str(exc)
    if type(exc).__name__ == "PanicException":
        return "panic", f"{kind}: {msg}"
    if isinstance(exc, MemoryError):
        return "memory", f"{kind}: {msg}"
    if isinstance(exc, RecursionError):
        return "foreign exception", f"{kind}: {msg}"
    if not isinstance(exc, cv.errors.CustomerValueError):
        return "foreign exception", f"{kind}: {msg}"
    if isinstance(exc, cv.errors.ConvergenceError):
        return (
            ("ok", f"{type(exc).__name__}: {msg}") if msg.strip() else ("unclear message", f"{kind}: (empty)")
        )
    if not _mentions(msg, case.names):
        return "unclear message", f"{type(exc).__name__}: {msg}"
    return "ok", f"{type(exc).__name__}: {msg}"


def run_case(case: Case, conn: Any, stderr_path: str, memory_cap: int) -> None:
    """The child: caps memory, builds the inputs, calls, checks, sends a small report."""
    out: dict[str, Any]
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if memory_cap > 0:
            limit = _vm_size() + memory_cap
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        fd = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        warnings.simplefilter("ignore")
        os.environ["TQDM_DISABLE"] = "1"
        os.environ["MPLBACKEND"] = "Agg"
    except Exception:  # pragma: no cover - the harness itself
        conn.send({"status": "harness", "detail": traceback.format_exc()})
        return
    t0 = time.perf_counter()
    if case.func == "__fitted_blob__":
        import pickle

        conn.send({"status": "ok", "detail": "", "blob": pickle.dumps(fitted_model(case.args[0]))})
        return
    try:
        fn = resolve(case.func)
        args = materialize(case.args, evaluate=False)
        kwargs = materialize(case.kwargs, evaluate=False)
        case = dataclasses.replace(case, names=tuple(case.names) + case_names(case, fn))
    except BaseException:  # noqa: BLE001 - a broken specification is the harness's bug
        conn.send({"status": "harness", "detail": traceback.format_exc(limit=-6)})
        return
    try:
        args, kwargs = materialize(args), materialize(kwargs)  # the inner calls, already built
        result = fn(*args, **kwargs)
        check_result(case, args, kwargs, result)
        out = {"status": "ok", "detail": "returned a result"}
    except Broken as exc:
        out = {"status": exc.kind, "detail": str(exc), "tb": traceback.format_exc(limit=-4)}
    except BaseException as exc:  # noqa: BLE001 - PanicException derives from BaseException
        status, detail = classify_exception(case, exc)
        out = {"status": status, "detail": detail, "tb": "".join(traceback.format_exception(exc)[-6:])}
    out["seconds"] = time.perf_counter() - t0
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    try:
        conn.send(out)
    except Exception:  # an unpicklable detail
        conn.send({k: str(v) for k, v in out.items()})


# --------------------------------------------------------------------------------------------
# The parent
# --------------------------------------------------------------------------------------------

_CTX: Any = None


def context() -> Any:
    """The fork server, started once with the package imported (never run)."""
    global _CTX
    if _CTX is None:
        import multiprocessing as mp

        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        if here not in sys.path:
            sys.path.insert(0, here)
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(
            ["numpy", "pandas", "pyarrow", "pyarrow.compute", "polars", "customervalue", __name__]
        )
        _CTX = ctx
    return _CTX


@dataclass
class Outcome:
    status: str  # ok, panic, abort, crash, hang, memory, silent nan, misaligned, foreign exception, ...
    detail: str
    seconds: float
    tb: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def __str__(self) -> str:
        return f"[{self.status}] {self.detail}" + (f"\n{self.tb}" if self.tb else "")


_BLOBS: dict[str, bytes] = {}


def fitted_blob(name: str) -> bytes:
    """A model fitted on bundled data, pickled (fitted once per session, in a child)."""
    if name not in _BLOBS:
        ctx = context()
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=run_case, args=(Case("__fitted_blob__", (name,)), send, os.devnull, 0), daemon=True
        )
        proc.start()
        send.close()
        if not recv.poll(120):
            proc.kill()
            raise RuntimeError(f"campaign harness: fitting {name} on bundled data took over 120 s")
        _BLOBS[name] = recv.recv()["blob"]
        proc.join(10)
    return _BLOBS[name]


def prepare(obj: Any) -> Any:
    """Fills the pickled models of the Fitted specifications of a case (in place)."""
    if isinstance(obj, Fitted) and obj.blob is None:
        obj.blob = fitted_blob(obj.model)
    elif isinstance(obj, Case):
        prepare(obj.args)
        prepare(obj.kwargs)
    elif isinstance(obj, (tuple, list)):
        for x in obj:
            prepare(x)
    elif isinstance(obj, dict):
        for x in obj.values():
            prepare(x)
    return obj


def run_in_child(case: Case, timeout: float | None = None) -> Outcome:
    """Runs ``case`` in a fresh child of the fork server and classifies what happened."""
    ctx = context()
    prepare(case)
    timeout = TIMEOUT if timeout is None else timeout
    fd, err_path = tempfile.mkstemp(prefix="cv-campaign-", suffix=".stderr")
    os.close(fd)
    recv, send = ctx.Pipe(duplex=False)
    t0 = time.perf_counter()
    proc = ctx.Process(target=run_case, args=(case, send, err_path, MEMORY_CAP), daemon=True)
    try:
        proc.start()
        send.close()
        report = None
        if recv.poll(timeout):
            try:
                report = recv.recv()
            except EOFError:
                report = None
        else:
            proc.kill()
            proc.join(5)
            return Outcome("hang", f"no result after {timeout:.0f} s (killed)", time.perf_counter() - t0)
        proc.join(10)
        if proc.exitcode is None:
            proc.kill()
            proc.join(5)
        elapsed = time.perf_counter() - t0
        stderr = _tail(err_path)
        if report is not None:
            return Outcome(
                report["status"], report["detail"], report.get("seconds", elapsed), report.get("tb", "")
            )
        code = proc.exitcode
        if code is not None and code < 0:
            sig = signal.Signals(-code).name
            status = "abort" if -code == signal.SIGABRT else "crash"
            if "memory allocation" in stderr or "capacity overflow" in stderr:
                status = "abort"
            first = next((ln for ln in stderr.splitlines() if ln.strip() and "stack backtrace" not in ln), "")
            return Outcome(status, f"killed by {sig}: {first[:300]}", elapsed, stderr)
        return Outcome("crash", f"child exited with code {code} without a report", elapsed, stderr)
    finally:
        recv.close()
        try:
            os.unlink(err_path)
        except OSError:
            pass


def _tail(path: str, n: int = 1500) -> str:
    """The start of a crashed child's stderr (the panic or allocation message comes first,
    the backtrace after it)."""
    try:
        with open(path, errors="replace") as fh:
            text = fh.read()
    except OSError:
        return ""
    return text[:n]


# --------------------------------------------------------------------------------------------
# Bookkeeping (read by the conftest's terminal summary)
# --------------------------------------------------------------------------------------------

from collections import Counter  # noqa: E402

COUNTS: Counter = Counter()
SECONDS: Counter = Counter()
BROKEN: Counter = Counter()
KNOWN_HITS: Counter = Counter()


def record(func: str, case: Case, outcome: Outcome, known: str | None = None) -> None:
    """Counts a case; a broken promise is appended to ``CV_CAMPAIGN_LOG`` when set."""
    COUNTS[func] += 1
    SECONDS[func] += outcome.seconds
    path = os.environ.get("CV_CAMPAIGN_LOG")
    if outcome.ok:
        if path and os.environ.get("CV_CAMPAIGN_LOG_ALL"):
            with open(path, "a") as fh:
                fh.write(f'{{"func": "{func}", "status": "ok", "seconds": {outcome.seconds:.3f}}}\n')
        return
    BROKEN[func] += 1
    if known:
        KNOWN_HITS[func] += 1
    if path:
        import json

        with open(path, "a") as fh:
            fh.write(
                json.dumps(
                    {
                        "func": func,
                        "status": outcome.status,
                        "detail": outcome.detail[:2000],
                        "tb": outcome.tb[-2500:],
                        "known": known,
                        "seconds": round(outcome.seconds, 3),
                        "case": case.describe()[:6000],
                    }
                )
                + "\n"
            )
