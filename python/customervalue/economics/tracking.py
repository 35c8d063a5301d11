"""A fitted model against the transaction log: cumulative and incremental tracking of repeat
transactions, and the alive path of one customer (lifetimes' ``expected_cumulative_transactions``,
``calculate_alive_path`` and their plots, in customervalue's vocabulary).

These take the model and the transaction log (one row per purchase: ``customer``, ``date``), as
``customer_lifetime_value`` takes the models and the customers; the models' own methods take
the per-customer summary. Dates are counted in calendar days, as ``rfm_summary`` counts them:
purchases on one day are one purchase, and a timestamp counts by its (UTC) day.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._boundary import drop_missing, read_input
from .._checks import MISSING, check_args
from .._io import check_choice, follows_output_option
from .._plot import axes
from ..errors import InputError, ParameterError
from .clv import _UNIT_DAYS
from .models import BetaGeo
from .summary import _days, parse_dates

__all__ = [
    "expected_cumulative_transactions",
    "plot_cumulative_transactions",
    "plot_incremental_transactions",
    "alive_path",
    "plot_history_alive",
]

#: Most periods a tracking table or an alive path is built for.
MAX_PERIODS = 100_000
#: Cells (periods x distinct birth days) of the expected-purchases table held at once.
_CELLS = 4_000_000

_UNIT_NAMES = {"D": "day", "W": "week", "M": "month", "Y": "year"}


def _model_and_units(model: Any, time_unit: str | None, what: str) -> tuple[str, float, float]:
    """The period unit, its length in days, and the model's unit in days."""
    if not isinstance(model, BetaGeo):
        raise ParameterError(
            f"{what}: argument 'model': expects a fitted BetaGeo, ModifiedBetaGeo or ParetoNBD, got "
            f"{type(model).__name__}"
        )
    model._check_fitted()
    model_unit = getattr(model, "time_unit_", None) or model.time_unit or "W"
    unit = model_unit if time_unit is None else time_unit
    check_choice("time_unit", unit, list(_UNIT_DAYS))
    return unit, _UNIT_DAYS[unit], _UNIT_DAYS[model_unit]


def _periods(t: Any, name: str = "t") -> int:
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not 1 <= t <= MAX_PERIODS:
        raise ParameterError(
            f"argument '{name}': must be a whole number of periods from 1 to {MAX_PERIODS:,}, got {t!r}"
        )
    return int(t)


def _day_numbers(table: pa.Table, date: str) -> np.ndarray:
    """The ``date`` column (dates or timestamps) as days since 1970-01-01, floored to whole
    days (UTC for timestamps with a time zone); NaN where missing."""
    col = table.column(date)
    kind = col.type
    if pa.types.is_timestamp(kind):
        per_day = {"s": 86_400, "ms": 86_400 * 10**3, "us": 86_400 * 10**6, "ns": 86_400 * 10**9}[kind.unit]
    elif pa.types.is_date32(kind):
        per_day = 1
    elif pa.types.is_date64(kind):
        per_day = 86_400 * 10**3
    else:  # pragma: no cover - parse_dates has turned text into timestamps already
        raise InputError(f"column '{date}': expected dates or timestamps, got {kind}")
    raw = pc.fill_null(col.cast(pa.int32() if pa.types.is_date32(kind) else pa.int64()), 0)
    raw = raw.to_numpy(zero_copy_only=False)
    values = np.floor_divide(np.asarray(raw, dtype=np.int64), per_day).astype(float)  # exact: integers
    return np.where(col.is_null().to_numpy(zero_copy_only=False), np.nan, values)


def _read_log(
    data: Any,
    customer: str | None,
    date: str,
    *,
    date_format: str | None,
    missing: str,
    what: str,
) -> tuple[np.ndarray, np.ndarray, Any]:
    """Customer codes and purchase days (int64) of each row kept, and the row accounting."""
    inp = read_input(data, [customer, date], what=what)
    if len(inp.index) == 0:
        raise InputError(f"column '{date}': the transaction log is empty (0 rows)")
    inp = parse_dates(inp, date, date_format)
    table = pa.table(inp.arrow)
    cols = {date: _day_numbers(table, date)}
    if customer is not None:
        ids = table.column(customer).to_pandas()
        cols = {customer: ids.to_numpy(), **cols}
    frame = pd.DataFrame(cols, index=inp.index)
    frame, env = drop_missing(frame, list(cols), missing, what=what)
    if len(frame) == 0:
        raise InputError(f"column '{date}': no row left after dropping missing values")
    codes = pd.factorize(frame[customer])[0] if customer is not None else np.zeros(len(frame), dtype=np.int64)
    return np.asarray(codes, dtype=np.int64), frame[date].to_numpy().astype(np.int64), env


def _purchase_days(codes: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (customer, day) pairs sorted by customer and day, and which are first purchases."""
    order = np.lexsort((days, codes))
    c, d = codes[order], days[order]
    keep = np.ones(len(c), dtype=bool)
    keep[1:] = (c[1:] != c[:-1]) | (d[1:] != d[:-1])
    c, d = c[keep], d[keep]
    first = np.ones(len(c), dtype=bool)
    first[1:] = c[1:] != c[:-1]
    return c, d, first


#: The last instant pandas' nanosecond timestamps hold (2262-04-11 23:47), in days since 1970.
_LAST_DAY = pd.Timestamp.max.value / 86_400e9


def _check_datable(start: float, last: float, t: int, unit: str, most: int) -> None:
    """A ParameterError naming ``t`` when the last period's date (``last``, in days) is past the
    dates pandas holds (its ``date`` would be NaT); ``most`` is the most periods that fit."""
    if last > _LAST_DAY:
        raise ParameterError(
            f"argument 't': {t:,} periods of '{unit}' from {_as_dates(np.array([start]))[0]:%Y-%m-%d} "
            f"end past {pd.Timestamp.max:%Y-%m-%d}, the last date pandas can hold; ask for at most "
            f"{max(most, 0):,}"
        )


def _as_dates(days: np.ndarray) -> pd.DatetimeIndex:
    """Days since 1970-01-01 (possibly fractional) as timestamps."""
    return pd.DatetimeIndex(pd.to_datetime(np.round(np.asarray(days) * 86_400e9).astype(np.int64), unit="ns"))


@follows_output_option
@check_args(missing=MISSING)
def expected_cumulative_transactions(
    model: BetaGeo,
    data: Any,
    customer: str = "customer_id",
    date: str = "date",
    *,
    t: int | None = None,
    time_unit: str | None = None,
    calibration_end: Any = None,
    observation_end: Any = None,
    date_format: str | None = None,
    missing: str = "raise",
) -> pd.DataFrame:
    """Actual and expected cumulative repeat transactions of the customer base, period by period
    since the first purchase in the log: the tracking check of Fader, Hardie & Lee (2005, "A
    note on implementing the Pareto/NBD model in MATLAB", brucehardie.com/notes/008) and of R's
    BTYD walkthrough.

    Day s is the first purchase in the log and u the length of a period (``time_unit``; the
    model's unit by default). Period k (k = 1..t) ends at s + k u, exclusive. With n_b customers
    whose first purchase falls on day b:

        actual_k    = repeat purchases (distinct purchase days after a customer's first) on days
                      before s + k u;
        predicted_k = sum_(b < s + k u) n_b E[X((s + k u - b) / u_m)],

    where E[X(t)] is the model's ``expected_purchases`` (the unconditional mean of a new
    customer's repeat purchases in t units u_m of the model; FHL 2005 eq. 9 for BG/NBD). A
    purchase on day d counts as made at d, so a customer born on day b has been a customer for
    s + k u - b days at the end of period k.

    Parameters
    ----------
    model : BetaGeo, ModifiedBetaGeo or ParetoNBD
        A fitted model; its time unit converts days to model time.
    data : DataFrame or Arrow table
        The transaction log, one row per purchase (pandas, polars or pyarrow).
    customer, date : str
        The columns of the customer id and the purchase date (dates, timestamps, ISO text, or
        other text with ``date_format``).
    t : int, optional
        Periods to track; by default every whole period up to the observation end. Periods
        past it are a forecast: ``actual`` is NaN there. The last period must end by
        2262-04-11 (pandas' last date).
    time_unit : {"D", "W", "M", "Y"}, optional
        Length of a period (a month is 365.25/12 days); the model's unit by default.
    calibration_end : date, optional
        With it, only customers whose first purchase is on or before this day are tracked
        (the calibration cohort the model was fitted on, as ``rfm_summary(calibration_end=)``
        defines it), and ``attrs["calibration_period"]`` holds the cut in periods (the end of
        that day), which the plots draw.
    observation_end : date, optional
        Purchases after this day are left out; default: the last date in the log. The log is
        taken as complete up to it: when it was observed for longer than its last purchase
        (quiet days at the end), pass the real end here, and ``actual`` carries the count
        forward over those days instead of being NaN.
    date_format : str, optional
        ``strptime`` format of text dates (lifetimes' ``datetime_format``).
    missing : {"raise", "drop"}
        Rows with a missing customer or date: raise (naming the column) or drop them.

    Returns
    -------
    pandas.DataFrame
        One row per period: ``period`` (1..t), ``date`` (the period's last day), ``actual``
        (float) and ``predicted``. ``actual`` is NaN, meaning "not observed", for every period
        that ends after the observation end (the last purchase in the log unless
        ``observation_end`` is given): the purchases in its unobserved days are unknown, and
        carrying the count forward would claim there were none (lifetimes does that, as it
        takes the log to run to its ``t``). Within the observation, days without purchases
        carry the count forward. ``attrs`` holds
        ``time_unit``, ``start`` (the first day), ``calibration_end``, ``calibration_period``,
        ``n_customers``, and the log's row accounting ``n_rows``, ``n_missing``, ``dropped``.

    Notes
    -----
    lifetimes numbers the rows from 0 (its row i is period i + 1 here) and needs
    ``freq="D", freq_multiplier=7`` for weeks of days, which is ``time_unit="W"`` here. Its
    ``freq="W"`` buckets purchases by calendar week (one purchase a week), which has no
    counterpart: purchases are always days here. lifetimes tracks every customer born before
    each period; here too, unless ``calibration_end`` restricts the tracking to the cohort.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> log = cv.datasets.cdnow_transactions()
    >>> log = log[log["customer_id"] <= 2500]
    >>> summary = cv.rfm_summary(log, calibration_end="1997-09-30")
    >>> bg = cv.BetaGeo().fit(summary)
    >>> track = cv.economics.expected_cumulative_transactions(bg, log, t=78, calibration_end="1997-09-30")
    >>> track.loc[[38, 77], ["period", "actual", "predicted"]].round(1)
        period  actual  predicted
    38      39  3018.0     3085.5
    77      78  5254.0     5180.0
    >>> track["date"].iloc[38], track.attrs["calibration_period"]
    (Timestamp('1997-09-30 00:00:00'), 39.0)
    """
    what = "expected_cumulative_transactions"
    unit, u, um = _model_and_units(model, time_unit, what)
    codes, days, env = _read_log(data, customer, date, date_format=date_format, missing=missing, what=what)
    end = _days(observation_end, "observation_end", date_format)
    end_day = float(days.max()) if end is None else float(np.floor(end))
    inside = days <= end_day
    if not inside.any():
        raise ParameterError(f"argument 'observation_end': {observation_end!r} is before the first purchase")
    c, d, first = _purchase_days(codes[inside], days[inside])
    births = d[first]
    birth_of = np.empty(int(c.max()) + 1, dtype=float)
    birth_of[c[first]] = births
    cal = _days(calibration_end, "calibration_end", date_format)
    cal_day = None if cal is None else float(np.floor(cal))
    start = float(births.min())
    if cal_day is not None:
        if not start <= cal_day < end_day:
            raise ParameterError(
                f"argument 'calibration_end': {calibration_end!r} must fall on or after the first "
                "purchase and before the observation end"
            )
        births = births[births <= cal_day]
        repeats = d[~first][birth_of[c[~first]] <= cal_day]
    else:
        repeats = d[~first]
    if t is None:
        t = int(np.floor((end_day + 1 - start) / u + 1e-9))
        if t < 1:
            raise ParameterError(
                f"argument 't': the log spans less than one period of '{unit}'; "
                "pass t= or a shorter time_unit"
            )
    t = _periods(t)
    ends = start + u * np.arange(1, t + 1)  # exclusive, in days
    # the last period's last day, and the most periods whose last day pandas can hold
    most = int(np.floor((np.floor(_LAST_DAY) + 1 - start) / u + 1e-9))
    _check_datable(start, start + np.ceil(ends[-1] - start - 1e-9) - 1, t, unit, most)
    actual = np.searchsorted(np.sort(repeats), ends, side="left").astype(float)
    actual[ends > end_day + 1 + 1e-9] = np.nan
    b, n_b = np.unique(births, return_counts=True)
    predicted = np.empty(t)
    step = max(1, _CELLS // len(b))  # periods x birth days per block, to bound the memory
    for lo in range(0, t, step):
        elapsed = ends[lo : lo + step, None] - b[None, :]
        born = elapsed > 0
        times, where = np.unique(np.round(elapsed[born] / um, 12), return_inverse=True)
        ex = np.zeros_like(elapsed)
        ex[born] = np.asarray(model.expected_purchases(times), dtype=float)[where]
        predicted[lo : lo + step] = ex @ n_b.astype(float)
    last_day = start + np.ceil(ends - start - 1e-9) - 1
    out = pd.DataFrame(
        {
            "period": np.arange(1, t + 1),
            "date": _as_dates(last_day),
            "actual": actual,
            "predicted": predicted,
        }
    )
    out.attrs.update(
        time_unit=unit,
        start=_as_dates(np.array([start]))[0],
        calibration_end=None if cal_day is None else _as_dates(np.array([cal_day]))[0],
        calibration_period=None if cal_day is None else (cal_day + 1 - start) / u,
        n_customers=len(births),
        n_rows=env.n_rows,
        n_missing=env.n_missing,
        dropped=env.dropped,
    )
    return out


def _options(given: dict[str, Any]) -> dict[str, Any]:
    """The keyword options of expected_cumulative_transactions among a plot's arguments."""
    names = ("t", "time_unit", "calibration_end", "observation_end", "date_format", "missing")
    return {k: given[k] for k in names}


def _tracking_axes(track: pd.DataFrame, ax: Any, values: pd.DataFrame, model: BetaGeo, ylabel: str) -> Any:
    ax = axes(ax)
    ax.plot(track["period"], values["actual"], "-", label="actual")
    ax.plot(track["period"], values["predicted"], "--", label=model._title)
    cut = track.attrs.get("calibration_period")
    if cut is not None:
        ax.axvline(cut, color="0.4", linestyle=":", label="end of calibration")
    unit = _UNIT_NAMES[track.attrs["time_unit"]]
    start = track.attrs["start"]
    ax.set(xlabel=f"{unit}s since {start:%Y-%m-%d}", ylabel=ylabel)
    ax.legend()
    return ax


@check_args(missing=MISSING)
def plot_cumulative_transactions(
    model: BetaGeo,
    data: Any,
    customer: str = "customer_id",
    date: str = "date",
    ax: Any = None,
    *,
    t: int | None = None,
    time_unit: str | None = None,
    calibration_end: Any = None,
    observation_end: Any = None,
    date_format: str | None = None,
    missing: str = "raise",
) -> Any:
    """Actual against expected cumulative repeat transactions by period, with the end of the
    calibration period drawn as a vertical line: lifetimes' tracking plot (Fader, Hardie & Lee
    2005, fig. 2 of the Pareto/NBD note). The numbers are those of
    :func:`expected_cumulative_transactions`, which takes the same arguments.

    Examples
    --------
    >>> import customervalue as cv
    >>> log = cv.datasets.cdnow_transactions()
    >>> log = log[log["customer_id"] <= 2500]
    >>> bg = cv.BetaGeo().fit(cv.rfm_summary(log, calibration_end="1997-09-30"))
    >>> ax = cv.economics.plot_cumulative_transactions(bg, log, calibration_end="1997-09-30")
    >>> ax.get_title()
    'Tracking cumulative repeat transactions'
    """
    track = expected_cumulative_transactions(model, data, customer, date, **_options(locals()))
    ax = _tracking_axes(track, ax, track, model, "cumulative repeat transactions")
    ax.set_title("Tracking cumulative repeat transactions")
    return ax


@check_args(missing=MISSING)
def plot_incremental_transactions(
    model: BetaGeo,
    data: Any,
    customer: str = "customer_id",
    date: str = "date",
    ax: Any = None,
    *,
    t: int | None = None,
    time_unit: str | None = None,
    calibration_end: Any = None,
    observation_end: Any = None,
    date_format: str | None = None,
    missing: str = "raise",
) -> Any:
    """Actual against expected repeat transactions in each period (the first differences of
    :func:`expected_cumulative_transactions`, the first period counted from zero), with the end
    of the calibration period drawn as a vertical line. lifetimes leaves its first period out
    (a difference with nothing before it); here it is the first period's count.

    Examples
    --------
    >>> import customervalue as cv
    >>> log = cv.datasets.cdnow_transactions()
    >>> log = log[log["customer_id"] <= 2500]
    >>> bg = cv.BetaGeo().fit(cv.rfm_summary(log, calibration_end="1997-09-30"))
    >>> ax = cv.economics.plot_incremental_transactions(bg, log, calibration_end="1997-09-30")
    >>> len(ax.get_lines())  # actual, predicted, the calibration cut
    3
    """
    track = expected_cumulative_transactions(model, data, customer, date, **_options(locals()))
    steps = track[["actual", "predicted"]].diff()
    steps.iloc[0] = track[["actual", "predicted"]].iloc[0]
    ax = _tracking_axes(track, ax, steps, model, "repeat transactions per period")
    ax.set_title("Tracking repeat transactions per period")
    return ax


@follows_output_option
@check_args(missing=MISSING)
def alive_path(
    model: BetaGeo,
    data: Any,
    date: str = "date",
    *,
    customer: str | None = None,
    t: int | None = None,
    time_unit: str | None = None,
    observation_end: Any = None,
    date_format: str | None = None,
    missing: str = "raise",
) -> pd.DataFrame:
    """P(alive) of one customer period by period, from their first purchase on: lifetimes'
    ``calculate_alive_path``.

    ``data`` holds the customer's purchases. With first purchase day f and period length u
    (``time_unit``), at k = 0..t the customer's history up to day f + k u is summarised as
    ``rfm_summary`` would summarise it then: x_k = distinct purchase days up to f + k u, less
    one; t_x = (last such day - f) / u_m; T = k u / u_m, in the model's unit u_m. The path is
    the model's ``probability_alive`` at (x_k, t_x, T) for every k in one call: for BG/NBD
    (Fader, Hardie & Lee 2005, eq. 13)

        P(alive | x, t_x, T) = 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)),

    so it jumps back up at each purchase and decays between them.

    Parameters
    ----------
    model : BetaGeo, ModifiedBetaGeo or ParetoNBD
        A fitted model.
    data : DataFrame or Arrow table
        One customer's purchases (pandas, polars or pyarrow).
    date : str
        The purchase date column.
    customer : str, optional
        The customer id column; when given it must hold one customer (a check that a whole
        log was not passed by mistake).
    t : int, optional
        Periods after the first purchase; by default up to ``observation_end``. One of the two
        is needed: a path that stops at the last purchase would end on a high P(alive).
    time_unit : {"D", "W", "M", "Y"}, optional
        Length of a period; the model's unit by default ("D" for a day-by-day path).
    observation_end : date, optional
        Purchases after it are left out; with ``t`` unset, the path ends there.
    date_format : str, optional
        ``strptime`` format of text dates.
    missing : {"raise", "drop"}
        Rows with a missing date (or customer): raise or drop.

    Returns
    -------
    pandas.DataFrame
        Rows k = 0..t: ``period``, ``date`` (f + k u), ``frequency``, ``recency``, ``T`` (model
        units) and ``probability_alive``.

    Notes
    -----
    lifetimes returns a Series indexed by period, the same numbers for ``freq="D"`` with a
    daily model. Its other frequencies bucket purchases into calendar periods
    (``resample``: weeks ending on Sunday), so its weekly path is not the daily path read every
    seventh day; here it is, because periods are counted from the first purchase in days.

    Examples
    --------
    Customer 4 of the CDNOW log buys on 1997-01-01, 01-18 and 08-02 (weeks 0, 2.4 and 30.4):
    P(alive) week by week to the end of September, at weeks 0, 3, 20 and 38:

    >>> import customervalue as cv
    >>> bg = cv.BetaGeo().fit(cv.datasets.cdnow())
    >>> log = cv.datasets.cdnow_transactions()
    >>> path = cv.economics.alive_path(bg, log[log["customer_id"] == 4], observation_end="1997-09-30")
    >>> path["probability_alive"].iloc[[0, 3, 20, 38]].round(3).tolist()
    [1.0, 0.735, 0.386, 0.735]
    """
    what = "alive_path"
    unit, u, um = _model_and_units(model, time_unit, what)
    codes, days, _ = _read_log(data, customer, date, date_format=date_format, missing=missing, what=what)
    if customer is not None and codes.max() > 0:
        raise ParameterError(
            f"argument 'data': holds {int(codes.max()) + 1:,} customers in column '{customer}'; the alive "
            f"path is one customer's: pass data[data['{customer}'] == the_id]"
        )
    end = _days(observation_end, "observation_end", date_format)
    if end is not None:
        days = days[days <= np.floor(end)]
        if len(days) == 0:
            raise ParameterError(
                f"argument 'observation_end': {observation_end!r} is before the first purchase"
            )
    purchase = np.unique(days).astype(float)
    f = purchase[0]
    if t is None:
        if end is None:
            raise ParameterError(
                "argument 't': give t= (periods after the first purchase) or observation_end= (the day the "
                "path ends); a path that stops at the last purchase would end on a high P(alive)"
            )
        t = int(np.floor((np.floor(end) - f) / u + 1e-9))
        if t < 1:
            raise ParameterError(
                f"argument 'observation_end': less than one period of '{unit}' after the first purchase"
            )
    t = _periods(t)
    at = f + u * np.arange(t + 1)
    _check_datable(f, float(at[-1]), t, unit, int(np.floor((_LAST_DAY - f) / u)))
    seen = np.searchsorted(purchase, at + 1e-9, side="right")  # purchase days up to each point
    last = purchase[seen - 1]
    freq_col, rec_col, t_col = model._cols
    grid = pd.DataFrame(
        {
            freq_col: (seen - 1).astype(float),
            rec_col: (last - f) / um,
            t_col: (at - f) / um,
        }
    )
    out = pd.DataFrame(
        {
            "period": np.arange(t + 1),
            "date": _as_dates(at),
            "frequency": grid[freq_col].to_numpy(),
            "recency": grid[rec_col].to_numpy(),
            "T": grid[t_col].to_numpy(),
            "probability_alive": model.probability_alive(grid).to_numpy(),
        }
    )
    out.attrs.update(time_unit=unit, purchases=_as_dates(purchase[purchase <= at[-1] + 1e-9]))
    return out


@check_args(missing=MISSING)
def plot_history_alive(
    model: BetaGeo,
    data: Any,
    date: str = "date",
    ax: Any = None,
    *,
    customer: str | None = None,
    t: int | None = None,
    time_unit: str | None = None,
    observation_end: Any = None,
    date_format: str | None = None,
    missing: str = "raise",
) -> Any:
    """One customer's P(alive) over time with their purchases marked: lifetimes'
    ``plot_history_alive``, drawn from :func:`alive_path` (same arguments).

    Examples
    --------
    >>> import customervalue as cv
    >>> bg = cv.BetaGeo().fit(cv.datasets.cdnow())
    >>> log = cv.datasets.cdnow_transactions()
    >>> ax = cv.economics.plot_history_alive(bg, log[log["customer_id"] == 4], time_unit="D",
    ...                                      observation_end="1997-09-30")
    >>> ax.get_ylabel()
    'P(alive)'
    """
    path = alive_path(
        model,
        data,
        date,
        customer=customer,
        t=t,
        time_unit=time_unit,
        observation_end=observation_end,
        date_format=date_format,
        missing=missing,
    )
    ax = axes(ax)
    ax.plot(path["date"], path["probability_alive"], "-", label="P(alive)")
    buys = path.attrs["purchases"]
    ax.vlines(buys, 0, 1, colors="C3", linestyles="dashed", linewidth=0.8, label="purchases")
    ax.plot(buys, np.ones(len(buys)), "v", color="C3")
    ax.set(ylim=(0, 1.05), ylabel="P(alive)", title=f"{model._title}: history of P(alive)")
    ax.legend(loc="lower left")
    return ax
