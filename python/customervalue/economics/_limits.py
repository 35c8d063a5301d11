"""Numeric domains and budgets of the arguments of the wrappers written in Python (issue 18,
item 2: results are finite or say why).

Every check raises :class:`~customervalue.errors.ParameterError` whose message names the
argument, shows the offending value and says what would be accepted, before any work or
allocation. The budgets are the Rust cores' (``src/stats/mod.rs``): at most
:data:`MAX_REPLICATES` replicates or draws, and at most :data:`MEMORY_BUDGET` bytes planned for
their results.

Whole numbers and seeds go through the package's shared checks (``customervalue._checks``);
this module adds the numeric domains (finite, bounded, same length) and the budgets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._checks import INT_MAX, as_int, as_seed
from ..errors import ParameterError

#: The most replicates or draws one call takes (as the Rust cores' ``MAX_REPLICATES``).
MAX_REPLICATES = 1_000_000

#: The memory one call may plan to hold for its replicates or draws: 2 GiB (as the Rust cores'
#: ``MEMORY_BUDGET``), a quarter of a small laptop.
MEMORY_BUDGET = 2 << 30


def _is_real(value: Any) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(
        value, (int, float, np.integer, np.floating)
    )


def _bound_text(low: float, high: float, low_open: bool, high_open: bool) -> str:
    parts = []
    if low > -math.inf:
        parts.append(f"{'>' if low_open else '>='} {low:g}")
    if high < math.inf:
        parts.append(f"{'<' if high_open else '<='} {high:g}")
    return " and ".join(parts)


def number(
    name: str,
    value: Any,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
    why: str = "",
) -> float:
    """``value`` as a float: a finite real number within the bounds, else ParameterError
    naming ``name`` and the value (``why`` is appended: the reason for the bounds or the fix)."""
    bounds = _bound_text(low, high, low_open, high_open)
    want = "a finite number" + (f" {bounds}" if bounds else "")
    if not _is_real(value):
        raise ParameterError(f"argument '{name}': must be {want}, got {value!r}{why}")
    v = float(value)
    inside = (
        math.isfinite(v) and (v > low if low_open else v >= low) and (v < high if high_open else v <= high)
    )
    if not inside:
        raise ParameterError(f"argument '{name}': must be {want}, got {value!r}{why}")
    return v


def whole(name: str, value: Any, *, low: int = 0, high: int | None = None, what: str = "") -> int:
    """``value`` as an int from ``low`` to ``high``: the boundary's shared :func:`as_int`
    (whole numbers of any integer type, or floats holding one), with ``what`` in the message."""
    return as_int(
        name, value, low=low, high=INT_MAX if high is None else high, note=f" ({what})" if what else ""
    )


def seed(value: Any, name: str = "seed") -> int:
    """A seed: the boundary's shared :func:`as_seed` (a whole number from 0 to 2**64 - 1)."""
    return as_seed(value, name)


def _gb(n_bytes: float) -> str:
    return f"{n_bytes / 2**30:,.1f} GiB"


def budget(name: str, n: int, bytes_each: int, what: str, *, replicates: bool = True) -> None:
    """ParameterError naming ``name`` unless ``n`` items of ``bytes_each`` bytes fit within
    :data:`MEMORY_BUDGET` (and, with ``replicates``, ``n`` is at most :data:`MAX_REPLICATES`).
    The message says what ``n`` would need and the largest allowed."""
    bytes_each = max(int(bytes_each), 1)
    by_memory = MEMORY_BUDGET // bytes_each
    cap = min(MAX_REPLICATES, by_memory) if replicates else by_memory
    if n <= cap:
        return
    need = float(n) * bytes_each
    limits = (
        f"at most {MAX_REPLICATES:,} and within {_gb(MEMORY_BUDGET)}"
        if replicates
        else f"within {_gb(MEMORY_BUDGET)}"
    )
    raise ParameterError(
        f"argument '{name}': {n:,} {what} would hold {_gb(need)} ({bytes_each:,} bytes each); the most "
        f"allowed here is {cap:,} ({limits}); a few thousand give stable intervals"
    )


def values(name: str, value: Any) -> np.ndarray:
    """``value`` (a number or a sequence of numbers) as a float array, else ParameterError
    naming ``name``."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(
            f"argument '{name}': expected a number or a sequence of numbers, got {value!r}"
        ) from None
    return arr


def finite(
    name: str,
    value: Any,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    why: str = "",
) -> np.ndarray:
    """``value`` as a float array whose entries are finite and within the bounds, else
    ParameterError naming ``name``, the first offending value and (for a sequence) its
    position."""
    arr = values(name, value)
    flat = arr.ravel()
    ok = np.isfinite(flat) & ((flat > low) if low_open else (flat >= low)) & (flat <= high)
    if not ok.all():
        i = int(np.argmin(ok))
        where = f" at position {i}" if arr.ndim else ""
        bounds = _bound_text(low, high, low_open, False)
        want = ("hold finite numbers" if arr.ndim else "be a finite number") + (
            f" {bounds}" if bounds else ""
        )
        raise ParameterError(f"argument '{name}': must {want}, got {float(flat[i])!r}{where}{why}")
    return arr


def same_length(arrays: Sequence[tuple[str, np.ndarray]]) -> None:
    """ParameterError naming two arguments whose arrays (of more than one value) differ in
    length; scalars and one-value arrays go with any length."""
    sized = [(n, a) for n, a in arrays if np.ndim(a) > 0 and np.size(a) != 1]
    for (n1, a1), (n2, a2) in zip(sized, sized[1:], strict=False):
        if np.shape(a1) != np.shape(a2):
            raise ParameterError(
                f"arguments '{n1}' and '{n2}': {np.size(a1)} values against {np.size(a2)}; give them "
                "the same length (one value per customer), or a single number to use for every one"
            )


def counts(name: str, value: Any, *, what: str = "counts") -> np.ndarray:
    """``value`` (a whole number or a sequence of them, possibly empty) as an int64 array of
    whole numbers >= 0, else ParameterError naming ``name`` and the first offending value."""
    arr = values(name, value)
    flat = arr.ravel()
    ok = np.isfinite(flat) & (flat >= 0) & (flat == np.floor(flat)) & (flat < 2**62)
    if not ok.all():
        i = int(np.argmin(ok))
        where = f" at position {i}" if arr.ndim else ""
        raise ParameterError(
            f"argument '{name}': must hold whole numbers >= 0 ({what}), got {float(flat[i])!r}{where}"
        )
    return arr.astype(np.int64)


#: The smallest discount rate per period of BG/BB DERT and sBG DERL, 2F1(1, b; c; 1/(1+d)):
#: near z = 1 the core evaluates 2F1 by Euler's integral (``hyp2f1`` in src/stats/special.rs),
#: accurate for any d, but 1 - 1/(1+d) keeps only about 16 + log10(d) digits, so below 1e-8 the
#: value is no longer known to 8 digits (and it is indistinguishable from no discounting).
MIN_SERIES_RATE = 1e-8
#: The smallest rate when the fit's shape parameter (sBG alpha, BG/BB gamma) is below 1e-3: the
#: integral then has a singularity the quadrature cannot reach and the core sums the series,
#: which needs about 35/d terms of the 100,000 it allows.
SERIES_ONLY_RATE = 1e-3


def series_rate(name: str, rate: float, what: str, shape: float) -> None:
    """ParameterError naming ``name`` when a positive ``rate`` is too small for ``what`` (BG/BB
    DERT, sBG DERL) to be computed accurately, given the fit's ``shape`` parameter (see
    :data:`MIN_SERIES_RATE` and :data:`SERIES_ONLY_RATE`)."""
    floor = MIN_SERIES_RATE if shape >= 1e-3 else SERIES_ONLY_RATE
    if 0 < rate < floor:
        why = (
            "1 - 1/(1+d) keeps too few digits below it, and the value is indistinguishable from "
            "no discounting"
            if floor == MIN_SERIES_RATE
            else f"with the fit's shape parameter at {shape:.3g} (below 0.001) {what} is a series of "
            "about 35/d terms, and the core sums at most 100,000"
        )
        raise ParameterError(
            f"argument '{name}': {rate:g} per period is below the {floor:g} the core can value ({why}); "
            f"use a rate of at least {floor:g} per period"
        )


def finite_result(out: np.ndarray, inputs: Sequence[tuple[str, np.ndarray]], formula: str) -> None:
    """ParameterError naming the ``inputs`` when the result of ``formula`` computed from finite
    inputs overflows (a huge amount over a denormal one), showing the first such case."""
    if np.all(np.isfinite(out)):
        return
    flat = np.asarray(out).ravel()
    i = int(np.argmax(~np.isfinite(flat)))
    shown = ", ".join(f"{n} = {float(np.broadcast_to(a, np.shape(out)).ravel()[i]):g}" for n, a in inputs)
    quoted = [f"'{n}'" for n, _ in inputs]
    names = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
    where = f" at position {i}" if np.ndim(out) else ""
    raise ParameterError(
        f"arguments {names}: {formula} overflows past the largest float (1.8e308){where} ({shown}); "
        "give the amounts in larger units (thousands, millions)"
    )
