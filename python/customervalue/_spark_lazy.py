"""customervalue on Spark, the per-customer outputs: a fitted model's predictions and
``customer_lifetime_value`` on a Spark DataFrame of customers (exported by
:mod:`customervalue.spark`).

Each is a lazy Spark DataFrame: the input's columns with the output appended (one ``DoubleType``
column named after the prediction, ``probability_alive``, ...; ``clv``, and with ``ci``
``ci_low`` and ``ci_high``), computed by ``mapInArrow`` with the fitted models (pickled to the
executors) on each partition's Arrow batches. Every value is the single call's on the same row:
predictions read each customer's row only, and CLV's intervals depend only on the models, the
seed and ``fit_data``. Nothing runs until the result is used; the arguments, the models and the
summary's time unit are checked on the driver first, on an empty table of the input's columns.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ._engines import PREDICTIONS, bind_args, describe, engine_of, method_call
from .economics.clv import _check_models
from .economics.clv import customer_lifetime_value as _customer_lifetime_value
from .errors import InputError, ParameterError
from .spark import T as SparkTypes
from .spark import _empty_table, _frame, _task, _time_unit, _whole

#: The end of the core's message for a table without rows: what the driver's check on an empty
#: table is expected to raise once every argument has passed.
_EMPTY = "the table is empty (0 rows)"


def check_on_empty(sdf: Any, call: Callable[[Any], Any]) -> None:
    """Runs ``call`` on an empty pandas table of ``sdf``'s columns (the summary's time unit, kept
    in the columns' metadata, in its ``attrs``): the argument checks, the model checks and the
    columns' presence raise now, on the driver, as the single call raises them; only the error
    of an empty table passes."""
    columns = []
    for name in sdf.columns:
        try:
            columns.append(_empty_table(sdf, [name]).column(0).to_pandas().rename(name))
        except (TypeError, ValueError, pa.ArrowException):
            continue  # a type pandas cannot hold empty (a map, a struct): not one an analysis reads
    frame = pd.concat(columns, axis=1) if columns else pd.DataFrame()
    unit = _time_unit(sdf, sdf.columns)
    if unit is not None:
        frame.attrs["time_unit"] = unit
    try:
        call(frame)
    except InputError as exc:
        if not str(exc).endswith(_EMPTY):
            raise


def with_columns(
    sdf: Any, compute: Callable[[pa.Table], dict[str, np.ndarray]], kinds: dict[str, Any], *, whole: bool
) -> Any:
    """``sdf`` with the columns ``compute`` gives appended (``kinds``: name -> Spark type), lazily:
    ``compute`` runs on each partition (``whole``) or each of its Arrow batches."""
    taken = [n for n in kinds if n in sdf.columns]
    if taken:
        raise ParameterError(
            f"argument 'data': already has a column named {taken[0]!r}, which the result appends; "
            f"drop or rename it first (sdf.drop({taken[0]!r}))"
        )
    schema = SparkTypes.StructType(
        [*sdf.schema.fields, *[SparkTypes.StructField(n, kind) for n, kind in kinds.items()]]
    )
    arrow_of = {SparkTypes.DoubleType: pa.float64(), SparkTypes.LongType: pa.int64()}
    types = {n: arrow_of[type(kind)] for n, kind in kinds.items()}

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _task()
        if whole:
            table = _whole(batches)
            parts: Any = [] if table is None else [table]
        else:
            parts = (pa.Table.from_batches([b]) for b in batches if b.num_rows)
        for part in parts:
            with warnings.catch_warnings():  # a part's warnings are not the whole table's
                warnings.simplefilter("ignore")
                values = compute(part)
            for name, kind in types.items():
                part = part.append_column(name, pa.array(np.asarray(values[name]), kind))
            yield from part.to_batches()

    return sdf.mapInArrow(run, schema)


def _predict(model: Any, name: str, kwargs: dict[str, Any], part: pa.Table) -> dict[str, np.ndarray]:
    out = getattr(model, name)(**{**kwargs, "data": part})
    return {name: np.asarray(out, dtype=np.float64)}


def _method(name: str) -> Callable[..., Any]:
    def adapter(model: Any, *args: Any, **kwargs: Any) -> Any:
        data, args_ = method_call(model, name, args, kwargs)
        sdf = _frame(data, f"{type(model).__name__}.{name}", [])
        check_on_empty(sdf, lambda frame: getattr(model, name)(**{**args_, "data": frame}))
        compute = functools.partial(_predict, model, name, args_)
        return with_columns(sdf, compute, {name: SparkTypes.DoubleType()}, whole=False)

    adapter.__name__ = adapter.__qualname__ = name
    adapter.__doc__ = (
        f"``model.{name}(..., data, ...)`` for a Spark DataFrame ``data`` (one row per customer): a "
        f"lazy Spark DataFrame, ``data``'s columns and ``{name}`` (a double), each row's value the "
        "single call's (the fitted model is sent to the executors pickled)."
    )
    return adapter


#: The adapters of the model methods, one per method of that name; :mod:`customervalue.spark`
#: lists them in its ``__all__`` and loads them from here on first use.
globals().update({name: _method(name) for name in (*PREDICTIONS, "conditional_expected_average_profit")})


def _clv(kwargs: dict[str, Any], part: pa.Table) -> dict[str, np.ndarray]:
    out = _customer_lifetime_value(**{**kwargs, "data": part})
    if isinstance(out, pd.DataFrame):
        return {c: out[c].to_numpy(dtype=np.float64) for c in out.columns}
    return {"clv": np.asarray(out, dtype=np.float64)}


def customer_lifetime_value(transaction_model: Any, spend_model: Any, data: Any, **kwargs: Any) -> Any:
    """:func:`customervalue.customer_lifetime_value` of a Spark DataFrame of customers: a lazy
    Spark DataFrame, ``data``'s columns and ``clv`` (with ``ci``: ``ci_low`` and ``ci_high``),
    each partition valued with the fitted models.

    Exact: the parameter draws (``interval="parameters"``) and the bootstrap refits on
    ``fit_data`` (``interval="bootstrap"``, a table in memory) depend only on the models, the
    seed and ``fit_data``, so each partition gets the intervals one call would give (every
    partition repeats the draws or refits). A Spark ``fit_data`` is refused. A horizon past
    what the model values accurately raises when the result is computed.
    """
    args_ = bind_args(_customer_lifetime_value, transaction_model, spend_model, data, **kwargs)
    _check_models(transaction_model, spend_model)
    fit_data = args_.get("fit_data")
    if engine_of(fit_data) is not None:
        raise ParameterError(
            "argument 'fit_data': the bootstrap resamples the table the models were fitted on by row, "
            f"which needs it in memory; got {describe(fit_data, engine_of(fit_data) or 'spark')}: pass "
            "fit_data=summary.toPandas(), or interval='parameters'"
        )
    sdf = _frame(args_.pop("data"), "cv.customer_lifetime_value", [])
    check_on_empty(sdf, lambda frame: _customer_lifetime_value(**{**args_, "data": frame}))
    names = ["clv"] if args_.get("ci") is None else ["clv", "ci_low", "ci_high"]
    kinds = {n: SparkTypes.DoubleType() for n in names}
    return with_columns(sdf, functools.partial(_clv, args_), kinds, whole=True)
