"""How many threads the Rust core's parallel work uses."""

from __future__ import annotations

from typing import Any

from . import _core
from .errors import ParameterError


def set_num_threads(n: Any) -> None:
    """Sets the number of threads the core's parallel work uses from now on, in this process.

    ``None`` (or 0) goes back to the default: the ``RAYON_NUM_THREADS`` environment variable if
    set, else one thread per core. Engine workers (Dask, Spark) run one core per task: set one
    thread per task there, or n workers x n threads oversubscribe the machine. Results do not
    depend on the number of threads.

    >>> import customervalue as cv
    >>> cv.set_num_threads(1); cv.get_num_threads()
    1
    >>> cv.set_num_threads(None)
    """
    if n is None:
        n = 0
    if isinstance(n, bool) or not isinstance(n, int) or n < 0 or n > 4096:
        raise ParameterError(
            f"argument 'n': the number of threads must be a whole number from 1 to 4096 (or None for "
            f"the default), got {n!r}"
        )
    _core.set_num_threads(int(n))


def get_num_threads() -> int:
    """The number of threads the core's parallel work uses (see :func:`set_num_threads`).

    >>> import customervalue as cv
    >>> cv.get_num_threads() >= 1
    True
    """
    return int(_core.get_num_threads())
