"""``rfm_summary``: per-customer frequency, recency, T and mean repeat spend."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import pyarrow as pa

from .. import _core
from .._boundary import DroppedFrame, Input, read_input
from .._checks import MISSING, Options, as_date, check_args
from .._compat import renamed
from .._engines import distributable
from .._io import follows_output_option, to_pandas
from ..errors import InputError, ParameterError

_DAY_NS = 86_400 * 10**9


def _is_text(t: pa.DataType) -> bool:
    if pa.types.is_dictionary(t):
        t = t.value_type
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t))


def parse_dates(inp: Input, date: str, date_format: str | None) -> Input:
    """``inp`` with its ``date`` column of text parsed by ``date_format`` (a ``strptime``
    format; None reads ISO 8601 text) into UTC timestamps; with a format, integers such as
    19970101 are read as their digits. Date and timestamp columns pass unchanged. A value that
    does not match is an InputError naming the column, how many values fail, the first one with
    its row label, and the fix."""
    table = pa.table(inp.arrow)
    col = table.column(date)
    kind = col.type
    if pa.types.is_integer(kind) and date_format is not None:
        text = col.cast(pa.string()).to_pandas()
    elif _is_text(kind):
        text = col.to_pandas()
        if isinstance(text.dtype, pd.CategoricalDtype):
            text = text.astype(object)
    elif pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        return inp
    elif date_format is None:
        raise InputError(
            f"column '{date}': expected dates, timestamps or text, got {kind}; convert it first, or pass "
            "date_format= (e.g. date_format='%Y%m%d' for numbers such as 19970101)"
        )
    else:
        raise InputError(
            f"column '{date}': date_format={date_format!r} parses text (or integers such as 19970101), "
            f"but the column holds {kind}; pass a column of dates, timestamps or text"
        )
    try:
        parsed = pd.to_datetime(text, format=date_format or "ISO8601", errors="coerce", utc=True)
    except ValueError as exc:  # a format pandas cannot read ("'Q' is a bad directive in format '%Q'")
        raise ParameterError(
            f"argument 'date_format': {date_format!r} is not a strptime format ({exc}); use codes such "
            "as '%Y-%m-%d' for 2024-12-31 or '%d/%m/%Y' for 31/12/2024"
        ) from None
    bad = (text.notna() & parsed.isna()).to_numpy()
    if bad.any():
        first = int(bad.argmax())
        if date_format is None:
            what = "is not an ISO date (such as 2024-12-31)"
            fix = "pass date_format= with the format the dates are written in, e.g. date_format='%d/%m/%Y'"
        else:
            what = f"does not match date_format {date_format!r}"
            fix = (
                "correct the value, or pass the format the dates are written in "
                "(strptime codes, e.g. '%Y-%m-%d' for 2024-12-31, '%d/%m/%Y' for 31/12/2024)"
            )
        raise InputError(
            f"column '{date}': {int(bad.sum()):,} value(s) cannot be read as dates: row "
            f"{inp.index[first]!r} holds {text.iloc[first]!r}, which {what}; {fix}"
        )
    values = pa.Array.from_pandas(parsed.dt.tz_localize(None))
    table = table.set_column(table.schema.get_field_index(date), date, values)
    return Input(table, inp.index, inp.what)


def _days(value: Any, name: str, date_format: str | None = None) -> float | None:
    if value is None:
        return None
    if date_format is not None and isinstance(value, str):
        try:
            value = datetime.strptime(value, date_format)
        except ValueError:
            raise ParameterError(
                f"argument '{name}': {value!r} does not match date_format {date_format!r}; write it in "
                "that format, or pass a date (pd.Timestamp, datetime)"
            ) from None
    return float(as_date(name, value).value) / _DAY_NS


@follows_output_option
@renamed(transactions="data")
@check_args(time_unit=Options("D", "W", "M", "Y"), missing=MISSING)
@distributable
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
) -> pd.DataFrame:
    """Summarises a transaction log (``data``, one row per purchase) into the statistics the
    lifetime-value models use.

    Purchases on the same calendar day count as one purchase (amounts added). With first
    purchase day f, last purchase day l and observation end E, in ``time_unit`` ("D" day, "W"
    week, "M" = 365.25/12 days, "Y" = 365.25 days):

    * ``frequency`` = distinct purchase days - 1 (repeat purchases);
    * ``recency`` = (l - f) / unit; ``T`` = (E - f) / unit;
    * ``monetary_value`` = mean spend of the repeat purchase days (0 without repeats); only
      with ``amount`` (without it there is no spend to summarise, and no column of NaN).

    Transactions after ``observation_end`` (default: the last date) are left out. With
    ``calibration_end``, the statistics describe the calibration period and
    ``frequency_holdout``, ``monetary_value_holdout`` and ``duration_holdout`` the rest;
    customers whose first purchase falls after ``calibration_end`` are left out.

    Returns a DataFrame with one row per customer, indexed by the customer id (the index takes
    the customer column's name and type, as in lifetimes), so per-customer results computed on
    it (predictions, ``customer_lifetime_value``) align with it and with other customer tables.
    ``attrs`` records ``time_unit`` (models fitted on the summary adopt it) and the row
    accounting of the transaction log: ``n_rows``, ``n_missing``, ``n_invalid`` and ``dropped``
    (the log's rows dropped under ``missing="drop"``, by their index labels).

    Dates may be dates or timestamps, or text: ISO text (2024-12-31) is read as it is; other
    text (and integers such as 20241231) needs ``date_format``, a ``strptime`` format
    ("%Y%m%d", "%d/%m/%Y", ...; lifetimes' ``datetime_format``), which also reads
    ``observation_end`` and ``calibration_end`` when they are given as text. A value that does
    not match is an InputError naming the column, the value and its row. Timestamps with a time
    zone (or text with an offset, "%z") count by their UTC day.

    Reference: Fader, Hardie & Lee (2005), Marketing Science 24(2).

    Examples
    --------
    Customer 1 buys in weeks 0, 2 and 6 of a 9-week window; customer 2 once, 8 weeks before the end:

    >>> import pandas as pd, customervalue as cv
    >>> log = pd.DataFrame({"customer_id": [1, 1, 1, 2],
    ...                     "date": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-02-12", "2024-01-08"]),
    ...                     "amount": [20.0, 30.0, 40.0, 10.0]})
    >>> s = cv.rfm_summary(log, amount="amount", observation_end="2024-03-04")
    >>> s[["frequency", "recency", "T", "monetary_value"]].values.tolist()
    [[2.0, 6.0, 9.0, 35.0], [0.0, 0.0, 8.0, 0.0]]

    Dates written as text in another format, read with ``date_format``:

    >>> log["date"] = ["01/01/2024", "15/01/2024", "12/02/2024", "08/01/2024"]
    >>> s = cv.rfm_summary(log, date_format="%d/%m/%Y", observation_end="04/03/2024")
    >>> s[["frequency", "recency", "T"]].values.tolist()
    [[2.0, 6.0, 9.0], [0.0, 0.0, 8.0]]
    """
    transactions = data
    inp = read_input(transactions, [customer, date, amount], what="rfm_summary")
    if date_format is not None:
        inp = parse_dates(inp, date, date_format)
    d = _core.rfm_summary(
        inp.arrow,
        customer,
        date,
        amount=amount,
        observation_end=_days(observation_end, "observation_end", date_format),
        calibration_end=_days(calibration_end, "calibration_end", date_format),
        time_unit=time_unit,
        missing=missing,
    )
    original = transactions[customer].dtype if isinstance(transactions, pd.DataFrame) else None
    env = inp.envelope(d)
    return summary_frame(
        d, customer, amount, time_unit, original, env.n_rows, env.n_missing, env.n_invalid, env.dropped
    )


def summary_frame(
    d: dict[str, Any],
    customer: str,
    amount: str | None,
    time_unit: str,
    original: Any,
    n_rows: int,
    n_missing: int,
    n_invalid: int,
    dropped: pd.DataFrame,
) -> pd.DataFrame:
    """The core's summary output as ``rfm_summary`` returns it: indexed by the customer id in the
    caller's dtype (``original``, the log's customer dtype when known), without spend columns
    when there were no amounts, with the row accounting in ``attrs``."""
    out = to_pandas(d["table"])
    if original is not None and pd.api.types.is_integer_dtype(original):
        out[customer] = out[customer].astype(original)
    elif original is not None and not isinstance(original, pd.CategoricalDtype):
        out[customer] = out[customer].astype(str)
    out = out.set_index(customer)
    if amount is None:
        out = out.drop(columns=[c for c in ("monetary_value", "monetary_value_holdout") if c in out])
    out.attrs["time_unit"] = time_unit
    out.attrs["n_after_end"] = d["n_after_end"]
    out.attrs["n_late_customers"] = d["n_late_customers"]
    out.attrs.update(n_rows=n_rows, n_missing=n_missing, n_invalid=n_invalid, dropped=DroppedFrame(dropped))
    return out
