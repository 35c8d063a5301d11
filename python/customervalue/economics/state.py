"""``PartialSummary``: the mergeable state of ``rfm_summary`` (see ``customervalue._state``).

The state keeps, per customer and purchase day, the day's transaction count and its exact
spend (Shewchuk's expansion, as ``math.fsum`` keeps it). That is what makes it exact under any
split of the log, by customer, by time (even through a day) or at random: merging must know
whether another part's day is new for the customer, and a day's spend must not depend on the
order its amounts were added. Customers are keyed by their value (integer or text id), never
by per-call codes, so states built on different machines merge. The observation and
calibration ends are applied at ``finish``, so one state serves any pair of ends, and the
default observation end is the last date of every part merged (never one part's).

Size: 32 bytes per (customer, purchase day) plus the id; on a log with about one transaction
per customer-day the state is larger than the rows it summarises (it pays off on line-item logs
with many rows per basket, and for incremental updates: yesterday's state merged with today's
rows).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import _core
from .._boundary import read_input
from .._checks import MISSING, Options, check_args
from .._state import MergeableState
from ..errors import InputError
from .summary import _DAY_NS, _days, parse_dates, summary_frame

STATE_COLUMNS = ("customer", "day", "rows", "spend", "spend_low")


class PartialSummary(MergeableState):
    """The mergeable state of :func:`customervalue.rfm_summary` over part of a transaction log.

    Build one per part with :meth:`from_arrow`, combine them with :meth:`merge` or
    :meth:`merge_all` (any grouping, any order), and :meth:`finish` returns what ``rfm_summary``
    returns for the whole log, bit for bit: the same frequency, recency, T and spend, the same
    customer order and index, the same ``attrs``.

    ``to_arrow()`` gives the state as rows, one per (customer, purchase day): ``customer`` (int64
    or text), ``day`` (days since 1970-01-01), ``rows`` (transactions that day) and, with
    amounts, ``spend`` and ``spend_low`` (the day's exact spend: the rounded sum and the
    remainders). Rows of several states concatenated in any order and read back with
    :meth:`from_state` are their merge, so an engine can shuffle them by ``customer``.

    Examples
    --------
    >>> import customervalue as cv
    >>> log = cv.datasets.transactions(300, seed=1)
    >>> parts = [log.iloc[i::3] for i in range(3)]          # any split of the rows
    >>> states = [cv.economics.PartialSummary.from_arrow(p, amount="amount") for p in parts]
    >>> merged = cv.economics.PartialSummary.merge_all(states[::-1])
    >>> merged.finish().equals(cv.rfm_summary(log, amount="amount"))
    True
    """

    @classmethod
    @check_args(missing=MISSING)
    def from_arrow(
        cls,
        data: Any,
        customer: str = "customer_id",
        date: str = "date",
        amount: str | None = None,
        *,
        missing: str = "raise",
        date_format: str | None = None,
    ) -> PartialSummary:
        """The state of the transactions in ``data`` (a pandas, polars or Arrow table; the
        arguments as in ``rfm_summary``). Rows dropped under ``missing="drop"`` are counted and
        listed in the finished summary's ``attrs`` as ``rfm_summary`` lists them."""
        inp = read_input(data, [customer, date, amount], what="PartialSummary.from_arrow")
        if date_format is not None:
            inp = parse_dates(inp, date, date_format)
        arrow = pa.table(inp.arrow)
        if arrow.num_rows == 0:  # an empty part (an engine's empty partition): merges as nothing
            kind = arrow.schema.field(customer).type
            d = {"state": _empty_state(pa.types.is_integer(kind), amount is not None)}
        else:
            d = _core.summary_state(arrow, customer, date, amount=amount, missing=missing)
        env = inp.envelope(d if arrow.num_rows else None)
        original = data[customer].dtype if isinstance(data, pd.DataFrame) else None
        options = {
            "customer": customer,
            "date": date,
            "amount": amount,
            "date_format": date_format,
            "customer_dtype": None if original is None else str(original),
        }
        counts = cls.counts_of(env)
        return cls(pa.table(d["state"]), options, counts)

    @classmethod
    def from_state(
        cls,
        table: Any,
        customer: str = "customer_id",
        date: str = "date",
        amount: str | None = None,
        *,
        date_format: str | None = None,
    ) -> PartialSummary:
        """The state whose rows ``table`` holds (``to_arrow()`` rows of one or several states,
        concatenated in any order: their merge). The names are those of the original log, used
        for the summary's index and in errors; ``amount`` must be given when the rows carry
        spend. Row accounting of dropped rows does not travel in the rows: the finished summary
        counts the transactions the rows hold."""
        t = (
            pa.Table.from_pandas(table, preserve_index=False)
            if isinstance(table, pd.DataFrame)
            else pa.table(table)
        )
        has_spend = "spend" in t.column_names
        if has_spend != (amount is not None):
            raise InputError(
                "the summary state's rows "
                + (
                    "carry spend: pass amount= (the log's amount column name)"
                    if has_spend
                    else f"carry no spend, but amount={amount!r} was given: pass amount=None"
                )
            )
        options = {
            "customer": customer,
            "date": date,
            "amount": amount,
            "date_format": date_format,
            "customer_dtype": None,
        }
        t = cls._normalise(_state_types(t), options)
        n = int(pc.sum(t.column("rows")).as_py() or 0)
        return cls(t, options, {"n_rows": n, "n_missing": 0, "n_invalid": 0, "dropped": []})

    @staticmethod
    def _normalise(table: pa.Table, options: dict[str, Any]) -> pa.Table:
        return pa.table(_core.summary_state_merge(_state_types(table)))

    @property
    def n_rows(self) -> int:
        """Transactions summarised (rows of the log kept)."""
        return int(pc.sum(self._table.column("rows")).as_py() or 0)

    @property
    def n_customers(self) -> int:
        """Distinct customers."""
        return int(pc.count_distinct(self._table.column("customer")).as_py())

    @property
    def last_date(self) -> pd.Timestamp | None:
        """The last purchase date of the parts merged (the default observation end), or None
        for an empty state."""
        last = pc.max(self._table.column("day")).as_py()
        return None if last is None else pd.Timestamp(int(last) * _DAY_NS)

    @check_args(time_unit=Options("D", "W", "M", "Y"))
    def finish(
        self,
        *,
        observation_end: Any = None,
        calibration_end: Any = None,
        time_unit: str = "W",
    ) -> pd.DataFrame:
        """The summary ``rfm_summary`` returns for the merged parts' transactions, with these
        ends (default observation end: the last date of all parts) and unit."""
        o = self._options
        if self._table.num_rows == 0:
            raise InputError(f"column '{o['customer']}': no transactions in the summary state")
        fmt = o["date_format"]
        d = _core.summary_state_finish(
            self._table,
            o["customer"],
            o["date"],
            amount=o["amount"],
            observation_end=_days(observation_end, "observation_end", fmt),
            calibration_end=_days(calibration_end, "calibration_end", fmt),
            time_unit=time_unit,
        )
        c = self._counts
        dropped = _dropped(c["dropped"])
        original = None if o["customer_dtype"] is None else _dtype(o["customer_dtype"])
        return summary_frame(
            d,
            o["customer"],
            o["amount"],
            time_unit,
            original,
            c["n_rows"],
            c["n_missing"],
            c["n_invalid"],
            dropped,
        )


def _dtype(name: str) -> Any:
    if name == "category":
        return pd.CategoricalDtype()
    try:
        return pd.api.types.pandas_dtype(name)
    except TypeError:
        return None


def _dropped(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame({"reason": pd.Series([], dtype="object")})
    return pd.concat(parts) if len(parts) > 1 else parts[0]


def _empty_state(integer: bool, spend: bool) -> pa.Table:
    cols: dict[str, pa.Array] = {
        "customer": pa.array([], pa.int64() if integer else pa.string()),
        "day": pa.array([], pa.float64()),
        "rows": pa.array([], pa.int64()),
    }
    if spend:
        cols["spend"] = pa.array([], pa.float64())
        cols["spend_low"] = pa.array([], pa.list_(pa.float64()))
    return pa.table(cols)


def _state_types(t: pa.Table) -> pa.Table:
    """The state's columns in the types the core reads (an engine's round trip through pandas
    may turn int64 into float64 or text into large strings)."""
    fields = []
    for name in t.column_names:
        if name not in STATE_COLUMNS:
            raise InputError(
                f"column '{name}' is not part of a summary state (expected {', '.join(STATE_COLUMNS)})"
            )
    for name, kind in [
        ("customer", None),
        ("day", pa.float64()),
        ("rows", pa.int64()),
        ("spend", pa.float64()),
        ("spend_low", pa.list_(pa.float64())),
    ]:
        if name not in t.column_names:
            continue
        col = t.column(name)
        if kind is None:
            kind = pa.int64() if pa.types.is_integer(col.type) else pa.string()
        fields.append((name, col if col.type == kind else col.cast(kind)))
    return pa.table(dict(fields))


__all__ = ["PartialSummary"]
