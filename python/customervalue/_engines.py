"""Tables held by a distributed engine (Dask, Spark): recognising them, and sending a public
function either to its engine adapter or back to the user with a clear error.

Recognising costs nothing when no engine is in use: a table can only be a dask collection if
``dask`` is already imported (``"dask" in sys.modules``), and a Spark DataFrame only if
``pyspark`` is; neither is imported here, and ``import customervalue`` imports neither.

Two ways in, one rule ("run distributed, or say so; never collect the whole table silently"):

* :func:`distributable` decorates a public function or method whose ``data`` may be an engine's
  table. Given a dask collection it calls the function of the same name in
  :mod:`customervalue.dask`, given a Spark DataFrame the one in :mod:`customervalue.spark`
  (each imported on first use), with the same arguments; a method's adapter takes the
  estimator first (``customervalue.dask.fit(model, data, ...)``). When the engine has no
  adapter for it, a :class:`~customervalue.errors.ParameterError` names the function and the
  way out.
* Every other public function reaches the table through the package's readers
  (``_boundary.read_input``, ``_boundary.index_of``, ``_io.as_arrow``, ``_io.frame``), which
  call :func:`refuse_engine_table`: the same ParameterError, naming the public function the user
  called (found on the call stack, :func:`public_name`).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import ParameterError

F = TypeVar("F", bound=Callable[..., Any])

#: Spark's DataFrame classes: the classic one and the Spark Connect one (module, class name).
_SPARK_FRAMES = (("pyspark.sql", "DataFrame"), ("pyspark.sql.connect.dataframe", "DataFrame"))


def engine_of(data: Any) -> str | None:
    """``"dask"`` for a dask collection (DataFrame, Series, ...), ``"spark"`` for a Spark
    DataFrame (classic or Spark Connect), None for anything else; imports neither engine."""
    modules = sys.modules
    if "dask" in modules and not isinstance(data, type):
        is_collection = getattr(modules["dask"], "is_dask_collection", None)
        if is_collection is not None:
            try:
                if is_collection(data):
                    return "dask"
            except Exception:  # an object whose __dask_graph__ fails is not one we can run
                pass
    if "pyspark" in modules:
        for module, name in _SPARK_FRAMES:
            cls = getattr(modules.get(module), name, None)
            if isinstance(cls, type) and isinstance(data, cls):
                return "spark"
    return None


def describe(data: Any, engine: str) -> str:
    """The table as a message shows it: 'a dask DataFrame with 8 partitions', 'a Spark
    DataFrame'. Reads only metadata (nothing is computed)."""
    if engine == "dask":
        kind = type(data).__name__
        n = getattr(data, "npartitions", None)
        return f"a dask {kind}" + (f" with {n} partition{'s' if n != 1 else ''}" if n is not None else "")
    return "a Spark DataFrame"


def _way_out(engine: str) -> str:
    if engine == "dask":
        return (
            "call it on a sample: ddf.sample(frac=0.01).compute(), or on the computed summary "
            "(ddf.compute()) when it fits in memory"
        )
    return (
        "call it on a sample: sdf.sample(fraction=0.01).toPandas(), or on the collected summary "
        "(sdf.toPandas()) when it fits in memory"
    )


def not_distributed(name: str, data: Any, engine: str, argument: str = "data") -> ParameterError:
    """The ParameterError of a public function (``name``, as the user writes it: ``cv.cluster``,
    ``BetaGeo.plot_frequency``) that does not run on ``engine``'s tables yet."""
    engine_name = {"dask": "dask", "spark": "Spark"}[engine]
    return ParameterError(
        f"argument '{argument}': {name} does not run on a {engine_name} DataFrame yet (got "
        f"{describe(data, engine)}); {_way_out(engine)}"
    )


# ---- the public function the user called, from the call stack ------------------------------

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
# decorators and forwarders between the user's call and the public function's body
_WRAPPER_FILES = {
    os.path.join(_PACKAGE_DIR, name)
    for name in ("_compat.py", "_checks.py", "_io.py", "_accessor.py", "_engines.py")
}
_PUBLIC_MODULES = {"metrics": "cv.metrics.", "stats": "cv.stats.", "datasets": "cv.datasets."}


def _public_frame() -> Any:
    """The frame of the public function or method the user called: the outermost frame of
    the package on the call stack, decorators and forwarders (``_compat``, ``_checks``,
    ``_io``, ``_accessor``, this module) left out; None when called from outside the package."""
    frame: Any = sys._getframe(1)
    found = None
    while frame is not None:
        path = os.path.abspath(frame.f_code.co_filename)
        if not path.startswith(_PACKAGE_DIR):
            if found is not None:
                break
        elif path not in _WRAPPER_FILES and not frame.f_code.co_name.startswith("<"):
            found = frame
        frame = frame.f_back
    return found


def _name_of(frame: Any) -> str:
    name = frame.f_code.co_name
    owner = frame.f_locals.get("self")
    if owner is not None and not inspect.ismodule(owner):
        return f"{type(owner).__name__}.{name}"
    module = str(frame.f_globals.get("__name__", "")).split(".")
    prefix = _PUBLIC_MODULES.get(module[1], "cv.") if len(module) > 1 else "cv."
    return prefix + name


def public_name(default: str = "this function") -> str:
    """The public function or method the user called, as they write it (``cv.cluster``,
    ``cv.metrics.nps``, ``BetaGeo.fit``), found on the call stack (:func:`_public_frame`)."""
    frame = _public_frame()
    return default if frame is None else _name_of(frame)


def refuse_engine_table(data: Any, what: str | None = None) -> None:
    """Raises the ParameterError of :func:`not_distributed` when ``data`` is an engine's table;
    the readers call it so that no public function collects such a table silently. The error
    names the public function the user called and its argument that holds the table."""
    engine = engine_of(data)
    if engine is None:
        return
    frame = _public_frame()
    if frame is None:
        raise not_distributed(what or "this function", data, engine)
    code = frame.f_code
    arguments = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    argument = next((a for a in arguments if frame.f_locals.get(a) is data), "data")
    raise not_distributed(_name_of(frame), data, engine, argument)


# ---- dispatch to the adapters ----------------------------------------------------------------


def adapter(engine: str, name: str) -> Callable[..., Any] | None:
    """The function ``name`` of ``customervalue.<engine>`` (imported on first use), or None."""
    try:
        module = importlib.import_module(f"customervalue.{engine}")
    except ImportError:
        return None
    fn = getattr(module, name, None)
    return fn if callable(fn) else None


def distributable(fn: F) -> F:
    """Marks a public function or method whose ``data`` may be an engine's table.

    Given a dask collection as ``data``, the call goes to ``customervalue.dask.<name>`` (a
    Spark DataFrame: ``customervalue.spark.<name>``) with the same arguments (the estimator
    first for a method); without an adapter it is a
    ParameterError naming the function and the way out (a sample, or the computed table). Any
    other ``data`` goes to ``fn`` itself, at the cost of one ``sys.modules`` lookup. Place it
    under the argument checks (``check_args``, ``renamed``), so that arguments are checked the
    same way on every engine. The signature seen by ``inspect`` and ``help()`` is ``fn``'s.
    """
    params = list(inspect.signature(fn).parameters)
    if "data" not in params:
        raise TypeError(f"distributable: {fn.__qualname__} has no parameter 'data'")
    at = params.index("data")
    method = bool(params) and params[0] == "self"
    name = fn.__name__

    @functools.wraps(fn)
    def dispatch(*args: Any, **kwargs: Any) -> Any:
        data = args[at] if len(args) > at else kwargs.get("data")
        engine = engine_of(data) if data is not None else None
        if engine is None:
            return fn(*args, **kwargs)
        run = adapter(engine, name)
        if run is None:
            shown = f"{type(args[0]).__name__}.{name}" if method and args else f"cv.{name}"
            raise not_distributed(shown, data, engine)
        return run(*args, **kwargs)

    dispatch.__distributable__ = True  # type: ignore[attr-defined]
    return dispatch  # type: ignore[return-value]


#: How the errors name each engine's table.
ENGINE_TABLES = {"dask": "a dask DataFrame", "spark": "a Spark DataFrame"}


def bind_args(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The arguments of a call to ``fn`` by name, defaults filled in."""
    bound = inspect.signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def refuse(engine: str, argument: str, value: Any, what: str, why: str) -> ParameterError:
    """The error for an option an engine's adapter cannot honour."""
    return ParameterError(
        f"argument '{argument}': {what} on {ENGINE_TABLES[engine]} cannot take {argument}={value!r}: {why}"
    )


def btyd_pattern_keys(model: Any, args: dict[str, Any], data: Any, engine: str, collect: str) -> list[str]:
    """The columns whose distinct values are a lifetime-value model's patterns (Gamma-Gamma:
    frequency and mean spend; BG/BB: frequency, recency and opportunities; the BG/NBD family:
    frequency, recency and T), for an engine's fit on merged patterns. Covariates make every
    customer a pattern of their own and are refused (``collect``: how to get the summary onto one
    machine); any other model is not distributed."""
    from .economics.models import BetaGeo, BetaGeoBetaBinom, GammaGamma

    name = f"{type(model).__name__}.fit"
    if isinstance(model, GammaGamma):
        return [args["frequency"], args["monetary_value"]]
    if isinstance(model, BetaGeoBetaBinom):
        return [args["frequency"], args["recency"], args["n_periods"]]
    if isinstance(model, BetaGeo):
        for cov in ("purchase_covariates", "dropout_covariates"):
            if args.get(cov):
                raise refuse(
                    engine,
                    cov,
                    args[cov],
                    name,
                    f"covariates make every customer a pattern of their own; fit on the {collect} or a "
                    "sample of it",
                )
        return [args["frequency"], args["recency"], args["T"]]
    raise not_distributed(name, data, engine)


_ROW_IN_MESSAGE = re.compile(r"\brow (\d+)\b")


def shift_row(exc: Exception, offset: int) -> Exception:
    """``exc`` raised on one part of a table, restated for the whole table: the row it names
    ("row 12 holds -5", a position in the part) moved by ``offset``, the rows before the part.
    An error naming no row, or a part that starts the table, is returned as it is."""
    text = str(exc)
    match = _ROW_IN_MESSAGE.search(text)
    if match is None or offset == 0:
        return exc
    return type(exc)(text[: match.start(1)] + str(int(match.group(1)) + offset) + text[match.end(1) :])


#: How the refusals of each engine write "a sample of the table, in memory".
SAMPLES = {"dask": "ddf.sample(frac=0.01).compute()", "spark": "sdf.sample(fraction=0.01).toPandas()"}


def kmeans_args(
    engine: str,
    *,
    features: Any,
    k: Any,
    method: str,
    n_boot: int,
    n_init: Any,
    missing: str,
) -> tuple[list[str], int]:
    """The arguments of ``cv.cluster`` on an engine's table checked (k-means over the
    partitions only: a whole ``k``, no bootstrap, no other method; refusals name the way out):
    the features as a list, and ``k``."""
    import numpy as np

    from ._io import check_choice
    from .segmentation.cluster import METHODS

    sample = SAMPLES[engine]
    check_choice("method", method, METHODS)
    if method != "kmeans":
        raise refuse(
            engine,
            "method",
            method,
            "cv.cluster",
            f"only k-means runs over partitions ({method} needs every row in memory); pass "
            f"method='kmeans', or fit on a sample: cv.cluster({sample}, ...)",
        )
    if isinstance(k, (range, list, tuple)):
        raise refuse(
            engine,
            "k",
            k,
            "cv.cluster",
            "choosing k compares silhouettes, which need every row in memory; fit each k with a whole "
            f"number, or sweep on a sample: cv.cluster({sample}, k=range(...))",
        )
    if k is None or isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ParameterError(f"argument 'k': must be a positive integer, got {k!r}")
    if n_boot:
        raise refuse(
            engine,
            "n_boot",
            n_boot,
            "cv.cluster",
            "stability refits k-means on bootstrap samples of every row; pass n_boot=0, or measure "
            f"stability on a sample: cv.cluster({sample}, n_boot=...)",
        )
    if isinstance(n_init, bool) or not isinstance(n_init, (int, np.integer)) or n_init < 1:
        raise ParameterError(f"argument 'n_init': must be a positive integer, got {n_init!r}")
    check_choice("missing", missing, ("raise", "drop"))
    if isinstance(features, str) or not features:
        raise ParameterError("argument 'features': give a non-empty list of column names")
    return list(features), int(k)


def kmeans_seeds(seed: int, n_init: int) -> list[int]:
    """The seeds of ``n_init`` k-means|| starts: ``seed`` first, then seeds drawn from it."""
    import numpy as np

    extra = np.random.SeedSequence([int(seed), 1]).generate_state(int(n_init) - 1, np.uint64) >> 1
    return [int(seed)] + [int(x) for x in extra]


def kmeans_over_parts(
    map_parts: Callable[..., list[Any]],
    features: list[str],
    k: int,
    *,
    n_rows: int,
    missing_counts: dict[str, int],
    moments: list[Any],
    missing: str,
    seed: int,
    n_init: int,
    standardize: bool,
    init_steps: int,
    oversampling: float,
    max_iter: int,
    tol: float,
) -> tuple[Any, int, Any, dict[str, Any]]:
    """k-means over an engine's partitions (:func:`customervalue.segmentation.scaleout.kmeans`)
    once a first pass has counted the rows (``n_rows``), the missing values per feature
    (``missing_counts``) and the moments of each partition's complete rows (``moments``,
    :class:`~customervalue.segmentation.scaleout.MomentsState`): the single call's checks and
    messages (no rows, a missing value under ``missing="raise"``, a constant feature, ``k``
    above the rows), then ``n_init`` k-means|| starts (:func:`kmeans_seeds`), the lowest inertia
    kept. Returns (the fit, the rows clustered, the table of ``cv.cluster`` (cluster, size,
    share, the centre in original units), the details: Lloyd steps, passes, seeding)."""
    import numpy as np

    from .errors import InputError
    from .segmentation.scaleout import MomentsState
    from .segmentation.scaleout import kmeans as scaleout_kmeans

    if n_rows == 0:
        raise InputError(f"column '{features[0]}': the table has no rows")
    bad = {c: int(missing_counts.get(c, 0)) for c in features}
    if missing == "raise" and any(bad.values()):
        col = max(features, key=lambda c: bad[c])  # the first of the most (pandas' idxmax)
        raise InputError(
            f"column '{col}': {bad[col]} missing values; pass missing='drop' to leave those rows out"
        )
    stats = MomentsState.merge_all(moments).finish()
    n_kept = int(stats["n"].iloc[0])
    if n_kept == 0:
        raise InputError(f"column '{features[0]}': no rows are left after dropping missing values")
    for c in features:
        m, s = float(stats.loc[c, "mean"]), float(stats.loc[c, "scale"])
        if s <= np.finfo(float).eps * max(abs(m), 1.0) and n_kept > 1:
            raise InputError(f"column '{c}': is constant, so it cannot separate groups; leave it out")
    if k > n_kept:
        raise ParameterError(f"argument 'k': k = {k} is larger than the {n_kept} rows")
    seeds = kmeans_seeds(seed, n_init)
    best, best_seed, n_passes = None, seeds[0], 1
    for s in seeds:
        fit = scaleout_kmeans(
            map_parts,
            features,
            int(k),
            seed=s,
            standardize=standardize,
            init_steps=init_steps,
            oversampling=oversampling,
            max_iter=max_iter,
            tol=tol,
            missing=missing,
        )
        n_passes += fit.n_passes
        if best is None or fit.inertia < best.inertia:
            best, best_seed = fit, s
    assert best is not None
    centers = best.centers_original_units
    sizes = np.rint(best.counts).astype(np.int64)
    table = centers.copy()
    table.insert(0, "cluster", np.arange(len(centers)))
    table.insert(1, "size", sizes)
    table.insert(2, "share", sizes / n_kept)
    details = {
        "n_iter": int(best.n_iter),
        "n_passes": n_passes,
        "init": "k-means||",
        "init_steps": int(init_steps),
        "oversampling": float(oversampling),
        "n_init": int(n_init),
        "seed": best_seed,
    }
    return best, n_kept, table, details


# ---- what the Dask and Spark adapters share ----------------------------------------------------

#: How each engine's refusals name the table brought into one machine's memory, and the call
#: that brings it there.
IN_MEMORY = {"dask": ("computed", "ddf.compute()"), "spark": ("collected", "sdf.toPandas()")}


def refuse_ci(engine: str, ci: Any, what: str, held: str) -> ParameterError:
    """The refusal of bootstrap intervals (``ci``) by an aggregate from merged states (``held``:
    what the merged state does not hold, "merged histogram does not hold")."""
    return refuse(
        engine,
        "ci",
        ci,
        what,
        f"bootstrap intervals resample respondents, which the {held}; pass ci=None, or run on the "
        f"{IN_MEMORY[engine][0]} table or a sample",
    )


def refuse_respondent(engine: str, respondent: Any) -> ParameterError:
    """The refusal of ``gabor_granger``'s ``respondent`` on an engine's table."""
    word, call = IN_MEMORY[engine]
    return refuse(
        engine,
        "respondent",
        respondent,
        "cv.gabor_granger",
        f"each respondent's answers must be read together, which is not distributed yet; run on the "
        f"{word} table ({call}) or a sample of respondents, or drop respondent= to read each price on "
        "its own",
    )


def part_missing(missing: str) -> str:
    """The missing policy of a partition's state: with missing="raise" a partition holding a
    missing value builds nothing (the client or driver raises the single call's error, with the
    whole table's count); the others have none to drop."""
    return "drop" if missing == "raise" else missing


def replace_result(result: Any, **changes: Any) -> Any:
    """A result with some fields changed, its lazy tables kept lazy."""
    import dataclasses

    values = {}
    for f in dataclasses.fields(result):
        if not f.init:
            continue
        if f.name in changes:
            values[f.name] = changes[f.name]
            continue
        slot = "_lazy_" + f.name
        values[f.name] = result.__dict__[slot] if slot in result.__dict__ else getattr(result, f.name)
    return type(result)(**values)


#: The prediction methods of the lifetime-value models that both adapters run lazily.
PREDICTIONS = (
    "probability_alive",
    "conditional_expected_purchases",
    "conditional_probability_of_purchases",
    "discounted_expected_purchases",
    "discounted_expected_residual_transactions",
    "log_likelihood",
    "conditional_expected_spend",
)


def method_call(
    model: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, dict[str, Any]]:
    """The call ``model.name(*args, **kwargs)`` of an adapter of a model method: its ``data``,
    and its other arguments by name, defaults filled in."""
    args_ = bind_args(getattr(type(model), name), model, *args, **kwargs)
    args_.pop("self", None)
    return args_.pop("data"), args_
