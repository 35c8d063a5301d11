"""customervalue on Spark: the same functions, the same results, on a ``pyspark.sql.DataFrame``.

``cv.rfm_summary(sdf, ...)``, ``cv.BetaGeo().fit(summary)``, ``cv.van_westendorp(sdf, ...)``
and the other functions listed in ``__all__`` take a Spark DataFrame (classic or Spark Connect)
where they take a pandas one: the top-level functions send it here
(:mod:`customervalue._engines`). Each function has the signature of its top-level twin, plus
``num_partitions=`` for the summary. The DataFrame's own session runs the work; there is no
session argument. Every other function given a Spark DataFrame raises a
:class:`~customervalue.errors.ParameterError` naming itself and the way out (a sample, or the
collected table): nothing collects a table silently.

What runs on Spark
------------------
* ``rfm_summary`` (lazy, partitioned by customer);
* the fits of ``BetaGeo``, ``ModifiedBetaGeo``, ``ParetoNBD``, ``BetaGeoBetaBinom`` and
  ``GammaGamma`` (collected patterns), their predictions and ``customer_lifetime_value``
  (lazy Spark DataFrames: the input's columns and the output's);
* ``demand_curve``, ``van_westendorp`` and ``gabor_granger`` without ``respondent`` (merged
  histogram states);
* ``theme_associations`` with ``profiles=False`` and ``theme_cooccurrence`` (merged count
  states);
* ``cluster`` with ``method="kmeans"`` (k-means|| and Lloyd over the partitions), returning a
  :class:`~customervalue._spark_kmeans.SparkClusterResult` whose labels are a lazy Spark
  DataFrame.

Not on Spark (refused with the way out): everything else, among them ``gabor_granger`` with
``respondent`` (each respondent's answers are read together) and the options that resample
rows (bootstrap ``ci=``, ``premium_test``). The same list as :mod:`customervalue.dask` (less its
``accounting``: a Spark summary keeps no row accounting).

How it works
------------
Partitions reach the Rust core as Arrow record batches through ``DataFrame.mapInArrow``; a
partition arrives as many batches (``spark.sql.execution.arrow.maxRecordsPerBatch``) and is
always read whole. Inside every map the core runs on the task's cores
(``TaskContext.cpus()``, one by default), so executors do not oversubscribe the machine.

* **rfm_summary** (lazy; a Spark DataFrame with one row per customer). One small pass over the
  log's partitions first: per partition its rows, its missing values and the first and last day
  of its complete rows. The default observation end is the last day of the *whole* log (a
  partition's own would shorten the T of its customers); missing values under
  ``missing="raise"`` and a result that would be empty raise the single-machine error there,
  with the row positions of the collected table. Then the rows are shuffled by customer
  (``repartition(n, customer)``) and every partition, which then holds every row of its
  customers, is summarised by the core with that global end. Rows are shuffled rather than
  mergeable ``PartialSummary`` states: on a log of about one transaction per customer-day the
  state (32 bytes per customer-day plus the id) is larger than the rows (about 20 bytes), the
  shuffle runs in the JVM on Spark's compact rows, and the rows cross into Python once instead of
  twice (map to states, then finish).
* **Fits** (``BetaGeo``, ``ModifiedBetaGeo``, ``ParetoNBD``, ``BetaGeoBetaBinom``,
  ``GammaGamma``): a Spark ``groupBy`` of the columns the model reads counts each pattern
  (``(frequency, recency, T)``, ...); the patterns are collected, sorted by their values and
  fitted on the driver with the counts as weights.
* **Predictions, CLV**: ``mapInArrow`` over the customers' partitions with the fitted models
  (pickled to the executors): each Arrow batch (a whole partition for CLV, whose intervals
  draw parameters per call) gets the output columns appended. The arguments, the models and
  the summary's time unit are checked on the driver first, on an empty table of the columns.
* **The surveys and theme counts** (``demand_curve``, ``van_westendorp``, ``gabor_granger``,
  ``theme_associations``, ``theme_cooccurrence``): each partition builds the mergeable state
  (:class:`~customervalue.demand.DemandCurveState`,
  :class:`~customervalue.demand.VanWestendorpState`,
  :class:`~customervalue.demand.GaborGrangerState`,
  :class:`~customervalue.themes.ThemeGridState`,
  :class:`~customervalue.themes.ThemeCooccurrenceState`); the states (a few kB, pickled) are
  collected, merged in partition order and finished on the driver. An error a partition
  raises naming a row ("row 12 holds -5") is raised again naming its row in the collected
  table.
* **k-means**: the feature columns are cached; each pass (moments, k-means|| seeding, Lloyd
  steps) is one ``mapInArrow`` job sending sums to the driver, the partitions numbered by
  Spark's partition id (:func:`customervalue.segmentation.scaleout.kmeans`).

Exactness
---------
The summary equals ``cv.rfm_summary`` on the collected log bit for bit (row order aside: it
comes back in partition order; sort by customer). Fits are bit-identical to the fit on the
collected summary (the core sums patterns in one canonical order); predictions and CLV are each
row's single-call value, bit for bit. The theme grid (Mann-Whitney ranks and permutation
p-values included), the co-occurrence network, and without ``weights`` the demand curves,
Gabor-Granger and the Van Westendorp curves, points, ranges and counts are bit-identical; with
``weights`` the sums of weights run in another order (measured: demand curves 6e-16 relative,
Van Westendorp 3e-16, Gabor-Granger 2.5e-14), and the NMS reach and its optima are within
1e-12 of their scale (measured: 2e-13), weighted or not. k-means is not the single call's bits
(another seeding): the same for a fixed partitioning and seed, and on well-separated clusters
the single fit's clusters. ``dropped`` and the row
positions in messages are positions in the collected table (``sdf.toPandas()``, partitions in
order; a round-robin ``repartition(n)`` distributes rows by their content, so a projection of
it may order them differently).

Spark
-----
* The session: ``PYSPARK_PYTHON`` must name a Python with customervalue and pyarrow installed
  (the workers start ``python3`` from the PATH otherwise); set
  ``spark.sql.execution.arrow.pyspark.enabled=true`` so that collecting (``toPandas``) and
  ``createDataFrame`` from pandas go through Arrow (``mapInArrow`` uses Arrow in any case); on
  a laptop, ``SPARK_LOCAL_IP=127.0.0.1`` and ``spark.driver.bindAddress=127.0.0.1`` keep it
  on loopback. ``spark.executorEnv.RAYON_NUM_THREADS`` may set the core's threads per worker;
  the adapter sets the task's cpus in each map anyway.
* Dates are calendar dates in the session time zone (``spark.sql.session.timeZone``): a
  timestamp column (with or without a time zone) is cast with ``to_date()`` before it reaches
  Python, so a purchase at 08:00 in Tokyo counts on its Tokyo day, whatever the session zone
  the workers see. (Timestamps reach Python as instants, and the core reads an instant at its
  UTC day: without the cast, every T would move by a day in a session east of UTC.) Date
  columns pass unchanged; text and integer dates are read by the core as on one machine
  (``date_format``).
* Spark has no row labels, no categories and no ``attrs``: ``dropped`` lists positions in the
  collected table; a pandas categorical turned into a Spark string column orders its levels
  (and ``by`` groups) as text; the summary's ``time_unit`` travels in its columns' metadata
  (``customervalue.time_unit``), which fits read.
* Errors: Spark wraps a worker's exception in ``PythonException``; the adapter checks columns
  and types on the driver first, and raises a customervalue error from a worker again as its
  own class (InputError, ParameterError, ...) with its message. A lazy summary fails only when
  it is computed, by then outside the adapter: the checks before the shuffle are meant to catch
  what can fail.
"""

from __future__ import annotations

import functools
import importlib
import pickle
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

try:
    from pyspark.errors import PythonException
    from pyspark.sql import DataFrame as _SparkFrame
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
    from pyspark.sql.pandas.types import to_arrow_type
except ImportError as exc:  # pragma: no cover - the extra is not installed
    raise ImportError("customervalue.spark needs pyspark: pip install 'customervalue[spark]'") from exc

from . import _core, errors
from ._boundary import DROP_WARNING_SHARE, Input, read_input, warn
from ._engines import PREDICTIONS, bind_args, btyd_pattern_keys, not_distributed, refuse, shift_row
from ._io import check_columns
from ._state import MergeableState
from ._threads import get_num_threads, set_num_threads
from .economics.models import GammaGamma
from .economics.state import PartialSummary
from .economics.summary import _DAY_NS, _days, parse_dates
from .economics.summary import rfm_summary as _rfm_summary
from .errors import CustomerValueError, DataDroppedWarning, InputError, ParameterError

#: The functions here; ``__all__`` adds those of the modules of their own (:data:`_ELSEWHERE`).
__all__ = ["rfm_summary", "fit"]

#: The key of the summary columns' Spark metadata that holds the summary's time unit.
TIME_UNIT_KEY = "customervalue.time_unit"


def _is_spark_frame(data: Any) -> bool:
    """A classic or Spark Connect DataFrame (the Connect class is looked up only when its module
    is already imported: importing it costs time and needs Connect's dependencies)."""
    if isinstance(data, _SparkFrame):
        return True
    connect = getattr(sys.modules.get("pyspark.sql.connect.dataframe"), "DataFrame", None)
    return isinstance(connect, type) and isinstance(data, connect)


# the core's message for missing values under missing="raise" (src/table/rows.rs)
_MISSING_MESSAGE = (
    "column '{column}': {bad} missing value(s) (null, NaN or infinite) in {n} rows, the first at "
    "row {first}; pass missing='drop' to drop those rows (the result lists them in .dropped)"
)


# ---- the session, the driver-side checks, collecting ------------------------------------------


def _frame(data: Any, name: str, columns: Iterable[str | None]) -> Any:
    """``data`` as a Spark DataFrame holding ``columns`` (the single-machine message when one is
    missing); anything else (a stand-in for a Spark class) is the refusal of ``name``."""
    if not _is_spark_frame(data):
        raise not_distributed(name, data, "spark")
    check_columns(data, [c for c in columns if c is not None])
    return data


def _large_types(sdf: Any) -> bool:
    try:
        value = sdf.sparkSession.conf.get("spark.sql.execution.arrow.useLargeVarTypes", "false")
    except Exception:  # a conf the session does not know
        return False
    return str(value).lower() == "true"


def _arrow_type(kind: Any, large: bool) -> pa.DataType:
    return to_arrow_type(kind, timezone="UTC", prefers_large_types=large)


def _collect(sdf: Any) -> pa.Table:
    """The (small) DataFrame ``sdf`` on the driver as an Arrow table: ``toArrow()`` (Spark >= 4),
    else through pandas."""
    with _worker_errors():
        if hasattr(sdf, "toArrow"):
            return sdf.toArrow()
        return pa.Table.from_pandas(sdf.toPandas(), preserve_index=False)  # pragma: no cover - Spark 3.5


_WORKER_ERROR = re.compile(r"customervalue\.errors\.(\w+): ")


def _from_worker(exc: BaseException) -> CustomerValueError | None:
    """The customervalue error a Python worker raised, rebuilt from Spark's PythonException
    (its text ends with the worker's traceback: ``customervalue.errors.InputError: message``)."""
    text = str(exc)
    found = list(_WORKER_ERROR.finditer(text))
    if not found:
        return None
    last = found[-1]
    cls = getattr(errors, last.group(1), None)
    if not (isinstance(cls, type) and issubclass(cls, CustomerValueError)):
        return None
    message = text[last.end() :]
    message = re.split(r"\n+\s*JVM stacktrace:", message, maxsplit=1)[0].rstrip()
    return cls(message)


@contextmanager
def _worker_errors() -> Iterator[None]:
    """Raises a customervalue error from a Python worker (wrapped by Spark) as its own class."""
    try:
        yield
    except PythonException as exc:
        mapped = _from_worker(exc)
        if mapped is None:
            raise
        raise mapped from exc


# ---- inside the workers -----------------------------------------------------------------------


def _task() -> int:
    """Sets the core's threads to the task's cpus and returns the partition number."""
    from pyspark import TaskContext

    ctx = TaskContext.get()
    n, pid = 1, 0
    if ctx is not None:
        pid = int(ctx.partitionId())
        try:
            n = max(int(ctx.cpus()), 1)
        except Exception:  # an old TaskContext without cpus()
            n = 1
    if get_num_threads() != n:
        set_num_threads(n)
    return pid


def _whole(batches: Iterable[pa.RecordBatch]) -> pa.Table | None:
    """A partition's batches read whole (None for an empty partition)."""
    items = [b for b in batches if b.num_rows]
    return pa.Table.from_batches(items) if items else None


def _missing_mask(col: Any) -> np.ndarray:
    """Rows the core reads as missing: null, and NaN or infinite in a float column."""
    mask = np.asarray(col.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if pa.types.is_floating(col.type):
        finite = pc.fill_null(pc.is_finite(col), False)
        mask |= ~np.asarray(finite.to_numpy(zero_copy_only=False), dtype=bool)
    return mask


def _tally(table: pa.Table | None, columns: Sequence[str]) -> dict[str, Any]:
    """A partition's rows, its missing values per column (count, first position in the
    partition) and the mask of its complete rows."""
    if table is None:
        return {"n": 0, "missing": {}, "complete": np.zeros(0, dtype=bool)}
    complete = np.ones(table.num_rows, dtype=bool)
    missing: dict[str, tuple[int, int]] = {}
    for c in dict.fromkeys(columns):
        m = _missing_mask(table.column(c))
        if m.any():
            missing[c] = (int(m.sum()), int(np.argmax(m)))
            complete &= ~m
    return {"n": table.num_rows, "missing": missing, "complete": complete}


def _map_partitions(sdf: Any, fn: Callable[..., Any], *, with_pid: bool = False) -> list[tuple[int, Any]]:
    """``fn(partition)`` (``fn(number, partition)`` ``with_pid``) on every partition of ``sdf``
    (read whole, None when empty), its results collected to the driver in partition order:
    [(partition, result), ...], one for every partition."""
    large = _large_types(sdf)
    schema = T.StructType(
        [T.StructField("partition", T.IntegerType()), T.StructField("payload", T.BinaryType())]
    )
    binary = pa.large_binary() if large else pa.binary()

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        pid = _task()
        with warnings.catch_warnings():  # the driver issues the warnings of the whole table
            warnings.simplefilter("ignore")
            out = fn(pid, _whole(batches)) if with_pid else fn(_whole(batches))
        yield pa.RecordBatch.from_arrays(
            [pa.array([pid], pa.int32()), pa.array([pickle.dumps(out)], binary)], ["partition", "payload"]
        )

    table = _collect(sdf.mapInArrow(run, schema))
    pids = table.column("partition").to_pylist()
    payloads = table.column("payload").to_pylist()
    return sorted(
        ((int(p), pickle.loads(x)) for p, x in zip(pids, payloads, strict=True)), key=lambda r: r[0]
    )


def _offsets(counts: Sequence[int]) -> list[int]:
    """The position of each partition's first row in the collected table."""
    return [0, *np.cumsum(np.asarray(counts, dtype=np.int64)).tolist()][: len(counts)]


def _raise_missing(tallies: Sequence[dict[str, Any]], columns: Sequence[str], missing: str) -> None:
    """Under missing="raise", the single-machine InputError for the first column (in the order
    the analysis reads them) holding a missing value: the whole table's count, the position of
    the first such row in the collected table."""
    if missing != "raise":
        return
    offsets = _offsets([t["n"] for t in tallies])
    n = sum(t["n"] for t in tallies)
    for c in dict.fromkeys(columns):
        hits = [
            (off + t["missing"][c][1], t["missing"][c][0])
            for t, off in zip(tallies, offsets, strict=True)
            if c in t["missing"]
        ]
        if hits:
            raise InputError(
                _MISSING_MESSAGE.format(column=c, bad=sum(h[1] for h in hits), n=n, first=hits[0][0])
            )


def _empty_table(sdf: Any, columns: Sequence[str]) -> pa.Table:
    """An empty Arrow table with the types ``columns`` of ``sdf`` reach Python with."""
    large = _large_types(sdf)
    return pa.schema([(c, _arrow_type(sdf.schema[c].dataType, large)) for c in columns]).empty_table()


def _shift_dropped(state: Any, offset: int) -> None:
    """Moves the dropped rows a partition's state lists to their positions in the whole table."""
    dropped = state._counts.get("dropped") or []
    state._counts["dropped"] = [d.set_axis(d.index + offset) for d in dropped if len(d)]


def _drop_warning(what: str, n_rows: int, dropped: pd.DataFrame) -> tuple[str, ...]:
    """The single call's DataDroppedWarning (more than 5% of the rows dropped), on the whole
    table's counts; returns its text (none under the threshold) for the result's warnings."""
    if not len(dropped):
        return ()
    positions = np.asarray(dropped.index, dtype=np.int64)
    reasons = dropped["reason"].astype(str).to_numpy(dtype=object)
    env = Input(None, pd.RangeIndex(n_rows), what).envelope(
        warnings=(), extra=[(positions[reasons == r], r) for r in dict.fromkeys(reasons)]
    )
    return env.warnings


# ---- rfm_summary --------------------------------------------------------------------------------


def _day_numbers(arr: Any) -> np.ndarray:
    """Whole days since 1970-01-01 of a date or timestamp column (the UTC day of an instant)."""
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    t = arr.type
    if pa.types.is_date32(t):
        out = arr.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(float)
    elif pa.types.is_date64(t):
        out = arr.cast(pa.int64()).to_numpy(zero_copy_only=False).astype(float) / 86_400e3
    else:  # a timestamp
        per_day = {"s": 86_400.0, "ms": 86_400e3, "us": 86_400e6, "ns": 86_400e9}[t.unit]
        out = arr.cast(pa.int64()).to_numpy(zero_copy_only=False).astype(float) / per_day
    return np.floor(out) + 0.0


def _log_days(table: pa.Table, o: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """(customer, day) of the complete rows of a partition, the days read as the core reads them."""
    complete = _tally(table, o["columns"])["complete"]
    kept = table if complete.all() else table.filter(pa.array(complete))
    date = o["date"]
    if kept.num_rows == 0:
        return np.zeros(0, dtype=object), np.zeros(0)
    kind = kept.schema.field(date).type
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        return kept.column(o["customer"]).to_numpy(), _day_numbers(kept.column(date))
    # text or integers: the core's own reading (ISO text, or date_format), as on one machine
    state = PartialSummary.from_arrow(
        kept, o["customer"], date, o["amount"], missing="raise", date_format=o["date_format"]
    ).to_arrow()
    return state.column("customer").to_numpy(zero_copy_only=False), state.column("day").to_numpy()


def _log_stats(table: pa.Table | None, o: dict[str, Any]) -> dict[str, Any]:
    """Map 1: a partition's rows, missing values, and first and last day of its complete rows."""
    stats = _tally(table, o["columns"])
    stats["n_complete"] = int(stats.pop("complete").sum())
    days = _log_days(table, o)[1] if stats["n_complete"] and table is not None else np.zeros(0)
    stats["first"] = float(days.min()) if len(days) else np.inf
    stats["last"] = float(days.max()) if len(days) else -np.inf
    return stats


def _falls_out(table: pa.Table, o: dict[str, Any]) -> bool:
    """Whether a partition holds no customer of the summary: every complete row after the
    observation end, or every customer's first purchase after the calibration end."""
    customers, days = _log_days(table, o)
    within = days <= np.floor(o["end_days"])
    if not within.any():
        return True
    cal = o["cal_days"]
    if cal is None:
        return False
    first = pd.Series(days[within]).groupby(pd.Series(customers[within])).min()
    return bool((first > np.floor(cal)).all())


def _summarise(o: dict[str, Any], batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Map 2: the summary of one customer partition (every row of its customers), by the core,
    with the global observation end; nothing for an empty partition or one whose customers all
    fall out."""
    _task()
    table = _whole(batches)
    if table is None:
        return
    customer, date, amount = o["customer"], o["date"], o["amount"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inp = read_input(table, [customer, date, amount], what="rfm_summary")
        if o["date_format"] is not None:
            inp = parse_dates(inp, date, o["date_format"])
        try:
            d = _core.rfm_summary(
                inp.arrow,
                customer,
                date,
                amount=amount,
                observation_end=o["end_days"],
                calibration_end=o["cal_days"],
                time_unit=o["time_unit"],
                missing=o["missing"],
            )
        except InputError:
            if _falls_out(table, o):
                return
            raise
    out = pa.table(d["table"])
    schema: pa.Schema = o["schema"]
    columns = [out.column(f.name).cast(f.type) for f in schema]
    yield from pa.Table.from_arrays(columns, schema=schema).to_batches()


def _spark_type(dtype: Any) -> Any:
    if pd.api.types.is_integer_dtype(dtype):
        return T.LongType()
    return T.DoubleType()


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
    num_partitions: int | None = None,
) -> Any:
    """:func:`customervalue.rfm_summary` of a Spark DataFrame: a lazy Spark DataFrame with one
    row per customer (the customer column, then ``frequency``, ``recency``, ``T``,
    ``monetary_value``, ...), partitioned by customer; collected and sorted by customer it equals
    the single-machine summary of the collected log bit for bit.

    Plan: (1) one small pass over the log's partitions (run now) finds the first and last day of
    the complete rows and the missing values; the default observation end is the last day of
    the *whole* log. Missing values under ``missing="raise"`` and a result that would be empty
    raise the single-machine error here. (2) The rows are shuffled by customer
    (``repartition(num_partitions, customer)``; default: ``spark.sql.shuffle.partitions``) and
    (3) each partition is summarised by the core with the global end (lazily). A timestamp
    ``date`` is read as the calendar date in the session time zone.

    The summary's columns carry ``time_unit`` in their metadata (``customervalue.time_unit``);
    fits on the summary adopt it. The row accounting of the single call's ``attrs`` is not
    kept (a Spark DataFrame has no attrs).
    """
    what = "rfm_summary"
    columns = [c for c in (customer, date, amount) if c is not None]
    sdf = _frame(data, f"cv.{what}", columns)
    fields = {f.name: f.dataType for f in sdf.schema.fields}
    ckind, dkind = fields[customer], fields[date]
    if not isinstance(ckind, (T.IntegralType, T.StringType)):
        raise InputError(
            f"column '{customer}': customer ids must be integers or text, got Spark {ckind.simpleString()}; "
            "cast the column first"
        )
    if isinstance(dkind, (T.TimestampType, T.TimestampNTZType)):
        date_col = F.to_date(F.col(date)).alias(date)  # the calendar day in the session time zone
    elif isinstance(dkind, (T.DateType, T.StringType, T.IntegralType)):
        date_col = F.col(date)
    else:
        raise InputError(
            f"column '{date}': expected dates, timestamps or text, got Spark {dkind.simpleString()}; "
            "cast the column first"
        )
    selected = [F.col(customer), date_col]
    if amount is not None:
        akind = fields[amount]
        if isinstance(akind, T.DecimalType):
            selected.append(F.col(amount).cast("double").alias(amount))
        elif isinstance(akind, T.NumericType):
            selected.append(F.col(amount))
        else:
            raise InputError(f"column '{amount}': expected numbers, got Spark {akind.simpleString()}")
    if len({customer, date, *([amount] if amount else [])}) != len(columns):
        raise ParameterError("arguments 'customer', 'date' and 'amount' must name different columns")
    proj = sdf.select(*selected)
    o: dict[str, Any] = {
        "columns": columns,
        "customer": customer,
        "date": date,
        "amount": amount,
        "date_format": date_format,
        "time_unit": time_unit,
        "missing": missing,
    }
    stats = [s for _, s in _map_partitions(proj, functools.partial(_log_stats, o=o))]
    n_rows = sum(s["n"] for s in stats)
    if n_rows == 0:  # the single-machine error for an empty table
        _rfm_summary(
            _empty_table(proj, columns),
            customer,
            date,
            amount,
            time_unit=time_unit,
            missing=missing,
            date_format=date_format,
        )
    _raise_missing(stats, columns, missing)
    if sum(s["n_complete"] for s in stats) == 0:
        raise InputError(f"column '{customer}': no rows left after dropping missing values")
    first_day = min(s["first"] for s in stats)
    given_end = _days(observation_end, "observation_end", date_format)
    end_days = float(max(s["last"] for s in stats) if given_end is None else given_end)
    cal_days = _days(calibration_end, "calibration_end", date_format)
    # one complete row on the first day, summarised as the whole log will be: raises the
    # single-machine error of a result that would be empty, and gives the summary's columns
    probe = pd.DataFrame(
        {
            customer: [0 if isinstance(ckind, T.IntegralType) else "0"],
            date: [pd.Timestamp(int(first_day) * _DAY_NS)],
            **({amount: [0.0]} if amount is not None else {}),
        }
    )
    when = {
        "observation_end": pd.Timestamp(round(end_days * _DAY_NS)),
        "calibration_end": None if cal_days is None else pd.Timestamp(round(cal_days * _DAY_NS)),
    }
    shaped = _rfm_summary(probe, customer, date, amount, **when, time_unit=time_unit)
    names = [str(c) for c in shaped.columns]
    if customer in names:
        raise ParameterError(
            f"argument 'customer': the summary has a column named {customer!r}; rename the customer column"
        )
    large = _large_types(sdf)
    spark_schema = T.StructType(
        [T.StructField(customer, ckind)] + [T.StructField(c, _spark_type(shaped[c].dtype)) for c in names]
    )
    o.update(
        end_days=end_days,
        cal_days=cal_days,
        schema=pa.schema([(f.name, _arrow_type(f.dataType, large)) for f in spark_schema.fields]),
    )
    shuffled = proj.repartition(num_partitions, customer) if num_partitions else proj.repartition(customer)
    out = shuffled.mapInArrow(functools.partial(_summarise, o), spark_schema)
    meta = {TIME_UNIT_KEY: time_unit}
    return out.select(F.col(customer), *[F.col(c).alias(c, metadata=meta) for c in names])


# ---- lifetime-value models: fits on collected patterns -------------------------------------------


def _time_unit(sdf: Any, columns: Sequence[str]) -> str | None:
    """The summary's time unit, from its columns' metadata (set by :func:`rfm_summary`)."""
    for c in columns:
        unit = (sdf.schema[c].metadata or {}).get(TIME_UNIT_KEY)
        if unit is not None:
            return str(unit)
    return None


def _refuse(argument: str, value: Any, what: str, why: str) -> ParameterError:
    return refuse("spark", argument, value, what, why)


def _count_name(keys: Sequence[str]) -> str:
    name = "n"
    while name in keys:
        name += "_"
    return name


def _first_missing(sdf: Any, columns: list[str], missing: str) -> None:
    """Under missing="raise", the single-machine error for a missing value, found by one more
    pass (its position in the collected table)."""
    _raise_missing(
        [
            s
            for _, s in _map_partitions(
                sdf.select(*columns), functools.partial(_plain_tally, columns=columns)
            )
        ],
        columns,
        missing,
    )


def _plain_tally(table: pa.Table | None, columns: list[str]) -> dict[str, Any]:
    out = _tally(table, columns)
    out.pop("complete")
    return out


def _on_patterns(call: Callable[[], Any], table: pd.DataFrame, keys: list[str]) -> Any:
    """Runs the finishing call on the collected patterns; an error naming a row of the pattern
    table ("row 12 ...") names the pattern's values instead."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = call()
    except CustomerValueError as exc:
        text = str(exc)
        match = re.search(r"\brow (\d+)\b", text)
        if match is None or int(match.group(1)) >= len(table):
            raise
        row = table.iloc[int(match.group(1))]
        shown = ", ".join(f"{k}={row[k]!r}" for k in keys)
        raise type(exc)(text[: match.start()] + f"a row ({shown})" + text[match.end() :]) from None
    for w in caught:
        if not issubclass(w.category, DataDroppedWarning):
            warn(str(w.message), w.category)
    return out


def fit(model: Any, data: Any, *args: Any, **kwargs: Any) -> Any:
    """``model.fit(data, ...)`` on a Spark DataFrame (a summary): fits BetaGeo,
    ModifiedBetaGeo, ParetoNBD, BetaGeoBetaBinom and GammaGamma on the collected patterns and
    returns ``model``, fitted.

    Spark counts the distinct patterns (``groupBy``): (frequency, recency, T) (BG/BB: frequency,
    recency, n_periods; Gamma-Gamma: frequency, monetary_value); the patterns are collected,
    sorted by their values and fitted on the driver with the counts as ``weights``: the same
    likelihood, summed by the core in the same canonical order, so the parameters are
    bit-identical to the fit on the collected summary. ``n_rows_``, ``n_missing_``,
    ``n_invalid_`` (and Gamma-Gamma's ``n_used_``) count customers, as on one machine;
    ``dropped_`` lists the dropped patterns (their values, ``reason`` and the number of
    customers, ``n``), as Spark rows have no labels. Covariates need one row per customer: refused.
    """
    args_ = bind_args(type(model).fit, model, data, *args, **kwargs)
    name = f"{type(model).__name__}.fit"
    keys = btyd_pattern_keys(model, args_, data, "spark", "collected summary (summary.toPandas())")
    weights, missing = args_.get("weights"), args_.get("missing", "raise")
    sdf = _frame(data, name, [*keys, weights])
    cols = list(dict.fromkeys([*keys, *([weights] if weights is not None else [])]))
    count = _count_name(cols)
    table = _collect(sdf.groupBy(*cols).agg(F.count(F.lit(1)).alias(count))).to_pandas()
    table = table.sort_values(cols, na_position="last", kind="mergesort", ignore_index=True)
    table[count] = table[count].astype(np.int64)
    n_rows = int(table[count].sum())
    if n_rows == 0:  # the single-machine error for an empty table
        model.fit(_empty_table(sdf, cols).to_pandas(), *keys, weights=weights, missing=missing)
    if missing == "raise" and any(_missing_mask(pa.array(table[c])).any() for c in cols):
        _first_missing(sdf, cols, missing)
    unit = _time_unit(sdf, keys)
    if unit is not None:
        table.attrs["time_unit"] = unit
    wname = count
    if weights is not None:
        wname = f"{count}_weight"
        while wname in table.columns:
            wname += "_"
        table[wname] = table[weights].to_numpy(dtype=float, na_value=np.nan) * table[count].to_numpy(
            dtype=float
        )
    model = _on_patterns(lambda: model.fit(table, *keys, weights=wname, missing=missing), table, cols)
    lost = model.dropped_
    kept = np.ones(len(table), dtype=bool)
    pos = np.asarray(lost.index, dtype=np.int64)
    kept[pos] = False
    dropped = table.iloc[pos][[*cols, count]].reset_index(drop=True)
    dropped.insert(len(cols), "reason", pd.Series(lost["reason"].to_numpy(dtype=object), dtype=object))
    lost_n = int(dropped[count].sum())
    n_missing = int(dropped.loc[dropped["reason"] == "missing", count].sum())
    model.n_rows_, model.n_missing_, model.n_invalid_ = n_rows, n_missing, lost_n - n_missing
    model.dropped_ = dropped
    if lost_n > DROP_WARNING_SHARE * n_rows:
        why = dropped.groupby("reason")[count].sum().sort_values(ascending=False)
        text = ", ".join(f"{int(c):,} {r}" for r, c in why.items())
        warn(
            f"{name}(): {lost_n:,} of {n_rows:,} rows ({lost_n / n_rows:.0%}) were dropped ({text}); "
            "the model's .dropped_ lists the patterns",
            DataDroppedWarning,
        )
    if isinstance(model, GammaGamma):
        repeat = table[keys[0]].to_numpy(dtype=float, na_value=np.nan) > 0
        model.n_used_ = int(table[count].to_numpy()[kept & repeat].sum())
    return model


# ---- aggregates from mergeable states -----------------------------------------------------------


def _state_part(
    table: pa.Table | None, build: Callable[[pa.Table], Any], columns: list[str], missing: str
) -> tuple[dict[str, Any], Any]:
    """Map: a partition's tally and its state (None when empty, or when it holds a missing value
    under missing="raise": the driver raises the single-machine error). An error of the data
    (a negative price at row 12 of the partition) is kept, not raised, so that the driver can
    name the row of the whole table."""
    tally = _plain_tally(table, columns)
    if table is None or (missing == "raise" and tally["missing"]):
        return tally, None
    try:
        return tally, build(table)
    except CustomerValueError as exc:
        return tally, exc


def _merged_state(
    sdf: Any,
    columns: list[str],
    missing: str,
    build: Callable[[pa.Table], Any],
    cls: type[MergeableState],
    empty: Callable[[], Any],
) -> tuple[Any, int]:
    """The states of every partition of ``sdf[columns]``, merged in partition order with their
    dropped rows at their positions in the collected table, and the table's row count.
    ``empty()`` raises the single-machine error of an empty table; an error a partition raised
    is raised with the row it names moved to its position in the collected table."""
    parts = [
        p
        for _, p in _map_partitions(
            sdf.select(*columns),
            functools.partial(_state_part, build=build, columns=columns, missing=missing),
        )
    ]
    tallies = [t for t, _ in parts]
    n_rows = sum(t["n"] for t in tallies)
    if n_rows == 0:
        empty()
    _raise_missing(tallies, columns, missing)
    states = []
    for (_, state), offset in zip(parts, _offsets([t["n"] for t in tallies]), strict=True):
        if isinstance(state, CustomerValueError):
            raise shift_row(state, offset) from None
        if state is not None:
            _shift_dropped(state, offset)
            states.append(state)
    return cls.merge_all(states), n_rows


# ---- the rest of the adapter, in modules of their own ---------------------------------------------

#: The functions of the adapter that live in modules of their own (which use the helpers above),
#: imported on first use (PEP 562): a Python worker that unpickles one of their functions first
#: imports that module, which imports this one, so this one must not import them when loaded.
_ELSEWHERE = {
    **dict.fromkeys(("van_westendorp", "theme_associations"), "_spark_surveys"),
    **dict.fromkeys(("cluster", "SparkClusterResult"), "_spark_kmeans"),
    **dict.fromkeys(("demand_curve", "gabor_granger", "theme_cooccurrence"), "_spark_surveys"),
    **dict.fromkeys(
        (*PREDICTIONS, "conditional_expected_average_profit", "customer_lifetime_value"), "_spark_lazy"
    ),
}


__all__ += [name for name in _ELSEWHERE if name != "SparkClusterResult"]


def __getattr__(name: str) -> Any:
    module = _ELSEWHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"customervalue.{module}"), name)
    globals()[name] = value
    return value
