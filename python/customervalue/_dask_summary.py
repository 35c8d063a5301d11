"""customervalue on Dask: ``rfm_summary``, ``accounting``, the lifetime-value models' fits on
merged patterns, their predictions and ``customer_lifetime_value`` (exported by
:mod:`customervalue.dask`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow as pa
from dask import delayed

from ._boundary import DroppedFrame
from ._dask_core import (
    _collect_counts,
    _drop_note,
    _frame,
    _missing_mask,
    _no_drops,
    _on_tuples,
    _raise_missing,
    _reissue,
    _restate_rows,
    _Tally,
    _tally,
    _weights_column,
    _worker_threads,
)
from ._engines import PREDICTIONS, bind_args, btyd_pattern_keys, describe, engine_of, method_call
from ._io import as_arrow
from .economics.clv import _check_models
from .economics.clv import customer_lifetime_value as _customer_lifetime_value
from .economics.models import GammaGamma
from .economics.summary import _days
from .economics.summary import rfm_summary as _rfm_summary
from .errors import CustomerValueError, InputError, ParameterError

# ---- rfm_summary ------------------------------------------------------------------------------

_DAY_DIVISORS = {"s": 86_400.0, "ms": 86_400.0 * 1e3, "us": 86_400.0 * 1e6, "ns": 86_400.0 * 1e9}


def _day_numbers(values: pd.Series, date_format: str | None) -> np.ndarray:
    """Whole days since 1970-01-01 as the core reads the date column (floor of the UTC
    instant, computed with the same floating-point steps), NaN where missing or unreadable."""
    if date_format is not None and not (
        pd.api.types.is_datetime64_any_dtype(values.dtype)
        or isinstance(values.dtype, pd.ArrowDtype)
        and pa.types.is_temporal(values.dtype.pyarrow_dtype)
    ):
        text = (
            values.astype(str).where(values.notna())
            if pd.api.types.is_integer_dtype(values.dtype)
            else values
        )
        parsed = pd.to_datetime(text, format=date_format, errors="coerce", utc=True)
        values = parsed.dt.tz_localize(None)
    arr = pa.table(as_arrow(values.to_frame(name="d"), ["d"])).column("d").combine_chunks()
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if (
        pa.types.is_string(arr.type)
        or pa.types.is_large_string(arr.type)
        or pa.types.is_string_view(arr.type)
    ):
        try:
            arr = arr.cast(pa.timestamp("ns"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            arr = pa.Array.from_pandas(pd.to_datetime(arr.to_pandas(), errors="coerce", format="ISO8601"))
    t = arr.type
    if pa.types.is_date32(t):
        out = arr.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(float)
    elif pa.types.is_date64(t):
        out = arr.cast(pa.int64()).to_numpy(zero_copy_only=False).astype(float) / _DAY_DIVISORS["ms"]
    elif pa.types.is_timestamp(t):
        raw = arr.cast(pa.int64()).to_numpy(zero_copy_only=False)
        out = raw.astype(float) / _DAY_DIVISORS[t.unit]
    else:
        return np.full(len(values), np.nan)
    out = np.floor(out) + 0.0
    if arr.null_count:
        out[~np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)] = np.nan
    return np.asarray(out, dtype=float)


@dataclasses.dataclass
class _LogStats:
    """One partition of the transaction log: its tally, and over its complete rows how many
    there are and their first and last day."""

    tally: _Tally
    n_complete: int
    first_day: float
    last_day: float


def _log_stats(part: pd.DataFrame, columns: list[str], date: str, date_format: str | None) -> _LogStats:
    tally = _tally(part, columns, labels=True)
    days = _day_numbers(part[date], date_format) if len(part) else np.zeros(0)
    ok = ~np.isnan(days)
    for c in columns:
        ok &= ~_missing_mask(part[c])
    n = int(ok.sum())
    return _LogStats(
        tally, n, float(days[ok].min()) if n else np.inf, float(days[ok].max()) if n else -np.inf
    )


def _summarise(
    part: pd.DataFrame,
    columns: list[str],
    options: dict[str, Any],
    end_day: float,
    cal_day: float | None,
    meta: pd.DataFrame,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """One customer partition summarised with the global observation end; a partition without
    rows, or whose rows all fall after the end, or whose customers all start after the
    calibration end, gives an empty frame of the summary's columns and types."""
    report = {"n_after_end": 0, "n_late_customers": 0, "n_invalid": 0}
    customer, date = columns[0], columns[1]
    if len(part):
        try:
            out = _rfm_summary(part, **options)
        except InputError:
            days = _day_numbers(part[date], options.get("date_format"))
            ok = np.ones(len(part), dtype=bool)
            for c in columns:
                ok &= ~_missing_mask(part[c])
            unread = ok & np.isnan(days)
            within = ok & (days <= end_day)
            late = cal_day is not None and within.any() and days[within].min() > cal_day
            if unread.any() or (within.any() and not late):
                raise  # an error of this partition's rows (a date it cannot read, ...)
            report["n_after_end"] = int((ok & ~within).sum())
            if late:
                report["n_late_customers"] = int(part.loc[within, customer].nunique())
        else:
            report = {
                "n_after_end": int(out.attrs.get("n_after_end", 0)),
                "n_late_customers": int(out.attrs.get("n_late_customers", 0)),
                "n_invalid": int(out.attrs.get("n_invalid", 0)),
            }
            out.attrs = dict(meta.attrs)
            return out, report
    empty = meta.copy()
    empty.attrs = dict(meta.attrs)
    return empty, report


def _take(pair: tuple[Any, Any], i: int) -> Any:
    return pair[i]


def _accounting(reports: list[dict[str, int]], stats: list[_LogStats], time_unit: str) -> dict[str, Any]:
    """The summary's row accounting, as the single call records it in ``attrs``."""
    labels = [s.tally.dropped for s in stats if s.tally.dropped is not None]
    n_missing = sum(s.tally.n_rows - s.n_complete for s in stats)
    dropped = (
        pd.DataFrame(
            {"reason": np.full(sum(len(x) for x in labels), "missing", dtype=object)},
            index=labels[0].append(labels[1:]),
        )
        if labels
        else _no_drops()
    )
    return {
        "time_unit": time_unit,
        "n_after_end": sum(r["n_after_end"] for r in reports),
        "n_late_customers": sum(r["n_late_customers"] for r in reports),
        "n_rows": sum(s.tally.n_rows for s in stats),
        "n_missing": n_missing,
        "n_invalid": sum(r["n_invalid"] for r in reports),
        "dropped": DroppedFrame(dropped),
    }


def rfm_summary(
    data: Any,
    customer: str = "customer_id",
    date: str = "date",
    amount: str | None = None,
    *,
    observation_end: Any = None,
    time_unit: str = "W",
    calibration_end: Any = None,
    missing: str = "raise",
    date_format: str | None = None,
    npartitions: int | None = None,
    shuffle_method: str | None = None,
) -> Any:
    """:func:`customervalue.rfm_summary` of a dask DataFrame: a lazy dask DataFrame with one
    row per customer, indexed by the customer id, partitioned by customer; computed, it equals
    the single-machine summary of the computed log (row order aside).

    Plan: (1) one small reduction over the log's partitions finds the first and last day of
    the complete rows, the row count and the missing values; the default observation end is
    the last day of the *whole* log (a partition's own would shorten T). Missing values under
    ``missing="raise"`` and a result that would be empty (every purchase after the end, every
    customer starting after ``calibration_end``) raise the single-machine error here, before
    any shuffle. (2) The rows are shuffled by customer (``npartitions`` partitions; default:
    as many as the log has; ``shuffle_method``: dask's, "p2p" or "tasks", default dask's choice),
    and (3) each partition is summarised with the global end.

    The summary's ``time_unit`` is in its meta and in every computed partition's ``attrs``;
    the log's row accounting is :func:`accounting` of the returned frame.

    Examples
    --------
    >>> import customervalue as cv, dask.dataframe as dd
    >>> tx = cv.datasets.transactions(300, seed=0)
    >>> summary = cv.rfm_summary(dd.from_pandas(tx, npartitions=4), amount="amount")
    >>> type(summary).__name__, summary.npartitions          # lazy, partitioned by customer
    ('DataFrame', 4)
    >>> summary.compute().sort_index().equals(cv.rfm_summary(tx, amount="amount"))
    True
    """
    _worker_threads()
    what = "rfm_summary"
    columns = [c for c in (customer, date, amount) if c is not None]
    ddf = _frame(data, what, columns)[columns]
    options = {
        "customer": customer,
        "date": date,
        "amount": amount,
        "time_unit": time_unit,
        "calibration_end": calibration_end,
        "missing": missing,
        "date_format": date_format,
    }
    parts = ddf.to_delayed()
    stats: list[_LogStats] = list(
        dask.compute(*[delayed(_log_stats, pure=True)(p, columns, date, date_format) for p in parts])
    )
    tallies = [s.tally for s in stats]
    n_rows = sum(t.n_rows for t in tallies)
    if n_rows == 0:
        _rfm_summary(ddf._meta, **options)  # the single-machine error for an empty table
    _raise_missing(tallies, columns, missing)
    if sum(s.n_complete for s in stats) == 0:
        raise InputError(f"column '{customer}': no rows left after dropping missing values")
    first_day = min(s.first_day for s in stats)
    if observation_end is None:
        end_day = max(s.last_day for s in stats)
    else:
        end_day = float(np.floor(_days(observation_end, "observation_end", date_format) or 0.0))
    end = pd.Timestamp(int(end_day), unit="D")
    cal = _days(calibration_end, "calibration_end", date_format)
    cal_day = None if cal is None else float(np.floor(cal))
    # one complete row on the first day, summarised as the whole log will be: raises the
    # single-machine error of a result that would be empty, and gives the summary's columns
    probe = ddf._meta_nonempty.iloc[:1].copy()
    probe[date] = pd.Series([pd.Timestamp(int(first_day), unit="D")], index=probe.index)
    if amount is not None:
        probe[amount] = 0.0
    shaped = _rfm_summary(probe, **{**options, "observation_end": end, "date_format": None})
    meta = shaped.iloc[:0].copy()
    meta.attrs = {"time_unit": time_unit}
    options["observation_end"] = end
    shuffled = ddf.shuffle(
        on=customer, npartitions=npartitions or ddf.npartitions, shuffle_method=shuffle_method
    )
    pieces = [
        delayed(_summarise, pure=True)(p, columns, options, end_day, cal_day, meta)
        for p in shuffled.to_delayed()
    ]
    frames = [delayed(_take, pure=True)(p, 0) for p in pieces]
    reports = [delayed(_take, pure=True)(p, 1) for p in pieces]
    out = dd.from_delayed(frames, meta=meta, verify_meta=False)
    object.__setattr__(out, "_cv_accounting", delayed(_accounting, pure=True)(reports, stats, time_unit))
    return out


def accounting(summary: Any) -> Any:
    """The row accounting of a summary made by :func:`rfm_summary` on a dask DataFrame, as a
    lazy value (a ``dask.delayed`` object computing to a dict): ``time_unit``, ``n_rows``,
    ``n_missing``, ``n_invalid``, ``n_after_end``, ``n_late_customers`` and ``dropped`` (the
    log's rows dropped for missing values, by their labels): what the single-machine summary
    holds in ``attrs``. ``dask.compute(summary, accounting(summary))`` computes both in one
    pass. Frames derived from the summary (a column selection, ``persist()``) do not carry it:
    keep the frame ``rfm_summary`` returned."""
    acc = getattr(summary, "_cv_accounting", None)
    if acc is None:
        raise ParameterError(
            "argument 'summary': has no row accounting; pass the frame cv.rfm_summary returned for a "
            "dask DataFrame (frames derived from it, such as a column selection, do not carry it)"
        )
    return acc


# ---- lifetime-value models: fits on merged patterns -------------------------------------------


def fit(model: Any, data: Any, *args: Any, split_every: int | None = None, **kwargs: Any) -> Any:
    """``model.fit(data, ...)`` on a dask DataFrame (a summary): fits BetaGeo, ModifiedBetaGeo,
    ParetoNBD, BetaGeoBetaBinom and GammaGamma on the merged patterns and returns ``model``,
    fitted.

    Map: each partition's distinct patterns with counts, (frequency, recency, T) (BG/BB:
    (frequency, recency, n_periods); Gamma-Gamma: (frequency, monetary_value), whose repeat
    buyers it fits); combine: counts of equal patterns added; finish: the patterns sorted by
    their values and fitted on the client with the counts as ``weights``, the same likelihood
    as the per-customer fit. ``n_rows_``, ``n_missing_``, ``n_invalid_``, ``dropped_`` (and
    Gamma-Gamma's ``n_used_``) count customers, as on one machine. Covariates need one row per
    customer: refused (fit on the computed summary).
    """
    _worker_threads()
    args_ = bind_args(type(model).fit, model, data, *args, **kwargs)
    name = f"{type(model).__name__}.fit"
    keys = btyd_pattern_keys(model, args_, data, "dask", "computed summary (summary.compute())")
    weights, missing = args_.get("weights"), args_.get("missing", "raise")
    ddf = _frame(data, f"{name}()", [*keys, weights])
    cols = [*keys, *([weights] if weights is not None else [])]
    table, tallies, count = _collect_counts(ddf, cols, split_every)
    n_rows = sum(t.n_rows for t in tallies)
    if n_rows == 0:
        model.fit(ddf._meta, *keys, weights=weights, missing=missing)  # the single-machine error
    _raise_missing(tallies, cols, missing)
    unit = ddf._meta.attrs.get("time_unit")
    if unit is not None:
        table.attrs["time_unit"] = unit
    wname = _weights_column(table, count, weights)
    model, caught = _on_tuples(
        lambda: model.fit(table, *keys, weights=wname, missing=missing), ddf, cols, table
    )
    rows = _restate_rows(ddf, cols, table, count, model.dropped_, n_rows)
    tuple_notes, _ = _reissue(caught, _drop_note(f"{name}()", rows))
    model.n_rows_, model.n_missing_, model.n_invalid_ = rows.n_rows, rows.n_missing, rows.n_invalid
    model.dropped_ = rows.dropped() if callable(rows.dropped) else rows.dropped
    if isinstance(model, GammaGamma):
        repeat = table[keys[0]].to_numpy(dtype=float, na_value=np.nan) > 0
        model.n_used_ = int(table[count].to_numpy()[rows.kept & repeat].sum())
    return model


# ---- predictions and CLV: maps with the fitted model ------------------------------------------


def _empty_like(meta: Any, index: pd.Index) -> Any:
    out = meta.iloc[:0].copy()
    out.index = index[:0]
    return out


def _apply(part: pd.DataFrame, call: Callable[..., Any], kwargs: dict[str, Any], meta: Any) -> Any:
    """One partition's predictions (an empty partition gives an empty result of the meta's
    type, on the partition's index)."""
    if len(part) == 0:
        return _empty_like(meta, part.index)
    return call(**{**kwargs, "data": part})


def _lazy_map(ddf: Any, call: Callable[..., Any], kwargs: dict[str, Any], name: str | None) -> Any:
    """``call(data=partition, **kwargs)`` over the partitions, lazily; its meta from a call on
    dask's made-up non-empty partition (a Series of floats named ``name`` if that fails)."""
    try:
        meta = call(**{**kwargs, "data": ddf._meta_nonempty.iloc[:2]}).iloc[:0]
    except CustomerValueError:
        meta = pd.Series([], dtype="float64", name=name, index=ddf._meta.index)
    return ddf.map_partitions(_apply, call, kwargs, meta, meta=meta, align_dataframes=False)


def _method(name: str) -> Callable[..., Any]:
    def adapter(model: Any, *args: Any, **kwargs: Any) -> Any:
        _worker_threads()
        data, args_ = method_call(model, name, args, kwargs)
        ddf = _frame(data, f"{type(model).__name__}.{name}()", [])
        model._check_fitted()  # NotFittedError now, not when computed
        bound = getattr(model, name)
        return _lazy_map(ddf, bound, args_, name)

    adapter.__name__ = adapter.__qualname__ = name
    adapter.__doc__ = (
        f"``model.{name}(..., data, ...)`` for a dask DataFrame ``data`` (one row per customer): a "
        "lazy dask Series on ``data``'s index, each partition predicted with the fitted model (sent "
        "to the workers pickled); computed, it equals the single-machine predictions."
    )
    return adapter


(
    probability_alive,
    conditional_expected_purchases,
    conditional_probability_of_purchases,
    discounted_expected_purchases,
    discounted_expected_residual_transactions,
    log_likelihood,
    conditional_expected_spend,
) = (_method(name) for name in PREDICTIONS)
conditional_expected_average_profit = conditional_expected_spend


def customer_lifetime_value(transaction_model: Any, spend_model: Any, data: Any, **kwargs: Any) -> Any:
    """:func:`customervalue.customer_lifetime_value` of a dask DataFrame of customers: a lazy
    dask Series ``clv`` (with ``ci``, a DataFrame ``clv``, ``ci_low``, ``ci_high``) on
    ``data``'s index, each partition valued with the fitted models.

    Exact: the parameter draws (``interval="parameters"``) and the bootstrap resamples of
    ``fit_data`` (``interval="bootstrap"``, a pandas table) depend only on the models, the
    seed and ``fit_data``, so each partition gets the intervals one call would give (every
    partition repeats the ``n_boot`` refits). A dask ``fit_data`` is refused. A horizon past what
    the model values accurately raises when computed.
    """
    _worker_threads()
    args_ = bind_args(_customer_lifetime_value, transaction_model, spend_model, data, **kwargs)
    _check_models(transaction_model, spend_model)  # now, not when computed
    if engine_of(args_.get("fit_data")) is not None:
        raise ParameterError(
            "argument 'fit_data': the bootstrap resamples the table the models were fitted on by row, "
            f"which needs it in memory; got {describe(args_['fit_data'], 'dask')}: pass "
            "fit_data=summary.compute(), or interval='parameters'"
        )
    ddf = _frame(args_.pop("data"), "customer_lifetime_value", [])
    if args_.get("ci") is None:
        meta: Any = pd.Series([], dtype="float64", name="clv", index=ddf._meta.index)
    else:
        meta = pd.DataFrame(
            {c: pd.Series([], dtype="float64") for c in ("clv", "ci_low", "ci_high")}, index=ddf._meta.index
        )
    return ddf.map_partitions(_apply, _clv_call, args_, meta, meta=meta, align_dataframes=False)


def _clv_call(**kwargs: Any) -> Any:
    return _customer_lifetime_value(**kwargs)
