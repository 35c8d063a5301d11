"""Argument checks shared by every public function (issue 18): one domain per kind of
argument, declared once per function and checked before any work.

The core takes counts as unsigned 64-bit integers (``usize``/``u64``) and seeds as ``u64``; an
argument outside what it takes reached Python as pyo3's or NumPy's ``OverflowError`` ("can't
convert negative int to unsigned"), a NaN as ``int()``'s ``ValueError``, and None for a text
option as a ``TypeError``. Here every such argument is checked on entry instead, and a bad one
is a :class:`~customervalue.errors.ParameterError` naming the argument, what it must be, and
the value given:

* **counts** (``n_boot``, ``n_permutations``, ``n_simulations``, ``n_init``, ``n``, ...): whole
  numbers from a stated lower bound (0 or 1) to 2**63 - 1. A float with a whole value (``1e3``)
  is that integer; NaN, infinities, fractions, None, booleans and text are refused;
* **seeds**: whole numbers from 0 to 2**64 - 1, the default 0 (DESIGN.md: every random step
  takes ``seed``, default 0, recorded on the result). None is refused rather than read as "fresh
  entropy" (NumPy's meaning), which would break "same seed, same result";
* **options** (``missing``, ``language``, ...): one of the listed texts; None is refused with
  the allowed values;
* **dates** (``observation_end``, ``calibration_end``): a date pandas can hold in
  nanoseconds, 1677-09-21 to 2262-04-11 (the range of ``pd.Timestamp``, in which the Python
  side computes with these dates);
* **amounts of money** (``cost``, ``fixed_cost``): finite numbers from 0 to 10**15
  (:data:`MAX_AMOUNT`). A cost of 1e300 made every profit (p - c) x buyers overflow to
  -infinity; no unit or fixed cost in any currency comes near 10**15, and below it a profit
  overflows only for a market of more than 10**293 buyers (which the analyses refuse on their
  own, naming ``cost``).

:func:`check_args` declares the checks of a function's arguments::

    @check_args(n_boot=COUNT, seed=SEED, missing=MISSING)
    def demand_curve(data, wtp="wtp", *, n_boot=1000, seed=0, missing="raise"): ...

Budgets (at most 1,000,000 replicates, memory for draws, ...) are checked after these, by the
core and by ``customervalue.economics._limits``.
"""

from __future__ import annotations

import functools
import inspect
import math
import operator
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from .errors import ParameterError

#: The largest count: the core's ``usize``/``u64`` counts, and NumPy's ``int64`` sizes.
INT_MAX = 2**63 - 1
#: The largest seed: the core's ``u64`` (NumPy's generators take it too).
SEED_MAX = 2**64 - 1

#: The largest amount of money (a unit or fixed cost) the analyses take: 10**15 currency units.
MAX_AMOUNT = 1e15

_NAMED = {INT_MAX: "2**63 - 1", SEED_MAX: "2**64 - 1"}


def _shown(value: Any) -> str:
    """The value as a message shows it: its repr, and its type when the repr hides it."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    if isinstance(value, (bool, np.bool_)):
        return f"{text} (a bool)"
    if isinstance(value, str):
        return f"{text} (text)"
    return text


def as_int(name: str, value: Any, *, low: int = 0, high: int = INT_MAX, note: str = "") -> int:
    """``value`` as a Python int in [low, high], or a ParameterError naming ``name``.

    Integers of any kind (int, NumPy integers) and floats with a whole value are accepted;
    NaN, infinities, fractions, None, booleans and anything else are refused.

    Examples
    --------
    >>> as_int("n_boot", 1e3)
    1000
    >>> as_int("n_boot", -1)
    Traceback (most recent call last):
        ...
    customervalue.errors.ParameterError: argument 'n_boot': must be a whole number from 0 to 2**63 - 1, got -1
    """
    out: int | None = None
    if not isinstance(value, (bool, np.bool_)):
        if isinstance(value, (float, np.floating)):
            f = float(value)
            if math.isfinite(f) and f.is_integer():
                out = int(f)
        else:
            try:
                out = operator.index(value)  # int, NumPy integers; not floats, text or None
            except TypeError:
                out = None
    if out is None or not low <= out <= high:
        top = _NAMED.get(high, f"{high:,}")
        raise ParameterError(
            f"argument '{name}': must be a whole number from {low:,} to {top}{note}, got {_shown(value)}"
        )
    return out


def as_seed(value: Any, name: str = "seed") -> int:
    """A seed: a whole number from 0 to 2**64 - 1 (None is refused: the default is 0).

    Examples
    --------
    >>> as_seed(None)
    Traceback (most recent call last):
        ...
    customervalue.errors.ParameterError: argument 'seed': must be a whole number from 0 to 2**64 - 1 ...None
    """
    return as_int(
        name, value, low=0, high=SEED_MAX, note=" (the default is 0; the same seed gives the same result)"
    )


def as_option(name: str, value: Any, choices: Sequence[str]) -> str:
    """``value`` if it is one of the texts ``choices``, else a ParameterError naming ``name``
    and the allowed values (None included: an option has no "unset" value).

    Examples
    --------
    >>> as_option("missing", None, ["raise", "drop"])
    Traceback (most recent call last):
        ...
    customervalue.errors.ParameterError: argument 'missing': must be one of 'raise', 'drop', got None
    """
    if not isinstance(value, str) or value not in choices:
        raise ParameterError(
            f"argument '{name}': must be one of {', '.join(map(repr, choices))}, got {_shown(value)}"
        )
    return value


def as_scale(name: str, value: Any) -> tuple[int, int]:
    """A rating scale: (lowest, highest) whole points, lowest < highest.

    Examples
    --------
    >>> as_scale("scale", (1.0, 5))
    (1, 5)
    """
    try:
        pair = tuple(value)
        lo, hi = (as_int(name, x, low=-INT_MAX - 1) for x in pair)
    except (TypeError, ValueError):  # not a pair, or not whole numbers (ParameterError)
        raise ParameterError(
            f"argument '{name}': expected (low, high) whole numbers, low < high, got {_shown(value)}"
        ) from None
    if hi <= lo:
        raise ParameterError(f"argument '{name}': expected (low, high) with low < high, got {value!r}")
    return lo, hi


def as_amount(name: str, value: Any, *, high: float = MAX_AMOUNT) -> float:
    """An amount of money (a cost): a finite real number from 0 to ``high`` (10**15 by
    default), as a float; a ParameterError naming ``name`` otherwise (NaN, infinities, negative
    or larger amounts, None, booleans, text).

    Examples
    --------
    >>> as_amount("cost", 12)
    12.0
    >>> as_amount("cost", 1e300)
    Traceback (most recent call last):
        ...
    customervalue.errors.ParameterError: argument 'cost': must be a finite amount from 0 to 1e+15 ...
    """
    out: float | None = None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        f = float(value)
        if math.isfinite(f) and 0 <= f <= high:
            out = f + 0.0  # -0.0 reads as 0
    if out is None:
        raise ParameterError(
            f"argument '{name}': must be a finite amount from 0 to {high:g} (in currency units; a "
            f"larger one is no price in any currency and overflows the profits: state money in "
            f"thousands or millions instead), got {_shown(value)}"
        )
    return out


def as_date(name: str, value: Any) -> pd.Timestamp:
    """A date argument as a naive (UTC) nanosecond Timestamp; a ParameterError naming ``name``
    for what is not a date, NaT, or a date outside 1677-09-21 .. 2262-04-11 (pandas'
    nanosecond range, in which the data's dates are read too).

    Examples
    --------
    >>> as_date("observation_end", "2024-06-30")
    Timestamp('2024-06-30 00:00:00')
    >>> as_date("observation_end", "2999-12-31")
    Traceback (most recent call last):
        ...
    customervalue.errors.ParameterError: argument 'observation_end': 2999-12-31 00:00:00 is outside ...
    """
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ParameterError(f"argument '{name}': not a date ({exc}); pass e.g. '2024-12-31'") from None
    if ts is pd.NaT:
        raise ParameterError(f"argument '{name}': not a date (got {_shown(value)}); pass e.g. '2024-12-31'")
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    if not pd.Timestamp.min <= ts <= pd.Timestamp.max:
        raise ParameterError(
            f"argument '{name}': {ts} is outside the dates pandas can hold "
            f"({pd.Timestamp.min:%Y-%m-%d} to {pd.Timestamp.max:%Y-%m-%d}); pass a date within them"
        )
    return ts.as_unit("ns")


# ---- declarations -------------------------------------------------------------------------

Check = Callable[[str, Any], Any]


class Integer:
    """A whole-number argument in [low, high] (None allowed when ``optional``)."""

    def __init__(self, low: int = 0, high: int = INT_MAX, *, optional: bool = False) -> None:
        self.low, self.high, self.optional = low, high, optional

    def __call__(self, name: str, value: Any) -> Any:
        if value is None and self.optional:
            return None
        return as_int(name, value, low=self.low, high=self.high)

    def __repr__(self) -> str:
        return (
            f"Integer({self.low}, {_NAMED.get(self.high, self.high)}{', optional' if self.optional else ''})"
        )


class Amount:
    """An amount of money (:func:`as_amount`): a finite number from 0 to ``high`` (None
    allowed when ``optional``)."""

    def __init__(self, high: float = MAX_AMOUNT, *, optional: bool = False) -> None:
        self.high, self.optional = high, optional

    def __call__(self, name: str, value: Any) -> Any:
        if value is None and self.optional:
            return None
        return as_amount(name, value, high=self.high)

    def __repr__(self) -> str:
        return f"Amount(0, {self.high:g}{', optional' if self.optional else ''})"


class Seed:
    """A seed (:func:`as_seed`)."""

    def __call__(self, name: str, value: Any) -> int:
        return as_seed(value, name)

    def __repr__(self) -> str:
        return "Seed()"


class Options:
    """A text option, one of ``choices`` (None allowed when ``optional``)."""

    def __init__(self, *choices: str, optional: bool = False) -> None:
        self.choices, self.optional = choices, optional

    def __call__(self, name: str, value: Any) -> Any:
        if value is None and self.optional:
            return None
        return as_option(name, value, self.choices)

    def __repr__(self) -> str:
        return f"Options{self.choices}"


#: A count from 0 (n_boot, n_simulations: 0 switches the resampling off).
COUNT = Integer(0)
#: A count from 1 (n_init, n_permutations, max_iter, ...).
POSITIVE = Integer(1)
#: A seed.
SEED = Seed()
#: The missing-value policy of most analyses.
MISSING = Options("raise", "drop")
#: A unit or fixed cost.
AMOUNT = Amount()

F = TypeVar("F", bound=Callable[..., Any])


def check_args(**checks: Check) -> Callable[[F], F]:
    """Checks (and normalises) the named arguments of a function on entry, before any work.

    Each keyword names a parameter and gives its check, a callable ``(name, value) -> value``
    (:data:`COUNT`, :data:`SEED`, :class:`Integer`, :class:`Options`, ...) whose return value
    the function receives (``1e3`` arrives as ``1000``). Arguments left at their default are
    not checked. ``functools.wraps`` keeps the signature visible to ``inspect`` and ``help()``;
    the checks are listed in ``fn.__checks__``.

    Examples
    --------
    >>> @check_args(n=COUNT, seed=SEED)
    ... def draw(n, *, seed=0):
    ...     return n, seed
    >>> draw(1e2, seed=7)
    (100, 7)
    >>> draw(-1)
    Traceback (most recent call last):
        ...
    customervalue.errors.ParameterError: argument 'n': must be a whole number from 0 to 2**63 - 1, got -1
    """

    def decorate(fn: F) -> F:
        sig = inspect.signature(fn)
        unknown = sorted(set(checks) - set(sig.parameters))
        if unknown:
            raise TypeError(f"check_args: {fn.__qualname__} has no parameter(s) {unknown}")

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                bound = sig.bind(*args, **kwargs)
            except TypeError:
                return fn(*args, **kwargs)  # a wrong call: Python's own message
            given = bound.arguments
            for name, check in checks.items():
                if name in given:
                    given[name] = check(name, given[name])
            return fn(*bound.args, **bound.kwargs)

        wrapper.__checks__ = {**getattr(fn, "__checks__", {}), **checks}  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
