"""``rfm_summary``: per-customer frequency, recency, T and mean repeat spend."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import _core
from .._boundary import read_input
from .._compat import renamed
from .._io import to_pandas

_DAY_NS = 86_400 * 10**9


def _days(value: Any, name: str) -> float | None:
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        from ..errors import ParameterError

        raise ParameterError(f"argument '{name}': not a date ({exc})") from None
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return float(ts.value) / _DAY_NS


@renamed(transactions="data")
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
    """
    transactions = data
    inp = read_input(transactions, [customer, date, amount], what="rfm_summary")
    d = _core.rfm_summary(
        inp.arrow,
        customer,
        date,
        amount=amount,
        observation_end=_days(observation_end, "observation_end"),
        calibration_end=_days(calibration_end, "calibration_end"),
        time_unit=time_unit,
        missing=missing,
    )
    out = to_pandas(d["table"])
    original = transactions[customer].dtype if isinstance(transactions, pd.DataFrame) else None
    if original is not None and pd.api.types.is_integer_dtype(original):
        out[customer] = out[customer].astype(original)
    elif original is not None and not isinstance(original, pd.CategoricalDtype):
        out[customer] = out[customer].astype(str)
    out = out.set_index(customer)
    if amount is None:
        out = out.drop(columns=[c for c in ("monetary_value", "monetary_value_holdout") if c in out])
    env = inp.envelope(d)
    out.attrs["time_unit"] = time_unit
    out.attrs["n_after_end"] = d["n_after_end"]
    out.attrs["n_late_customers"] = d["n_late_customers"]
    out.attrs.update(n_rows=env.n_rows, n_missing=env.n_missing, n_invalid=env.n_invalid, dropped=env.dropped)
    return out
