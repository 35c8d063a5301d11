"""The exception hierarchy of customervalue.

``CustomerValueError`` is the root. Bad data raise :class:`InputError`, bad arguments
:class:`ParameterError`, failed fits :class:`ConvergenceError`. Messages name the column or
argument and what is wrong with it. The Rust core raises these same classes.
"""

from __future__ import annotations


class CustomerValueError(Exception):
    """Root of every error raised by customervalue."""


class InputError(CustomerValueError, ValueError):
    """Bad data: a missing column, a wrong type, an empty table, missing values, a negative
    price, inconsistent answers. The message names the column."""


class ParameterError(CustomerValueError, ValueError):
    """A bad argument: k larger than n, alpha outside (0, 1), an unknown option."""


class ConvergenceError(CustomerValueError, RuntimeError):
    """A fit that did not converge; the message says what to try."""


__all__ = ["CustomerValueError", "InputError", "ParameterError", "ConvergenceError"]
