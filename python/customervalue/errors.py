"""The exception hierarchy of customervalue.

``CustomerValueError`` is the root. Bad data raise :class:`InputError`, bad arguments
:class:`ParameterError`, failed fits :class:`ConvergenceError`. Messages name the column or
argument and what is wrong with it. The Rust core raises these same classes.
"""

from __future__ import annotations


class CustomerValueError(Exception):
    """Root of every error raised by customervalue.

    Examples
    --------
    Catch this class to handle any error of the package, whatever its kind:

    >>> import customervalue as cv
    >>> try:
    ...     cv.price_position(10, [])
    ... except cv.CustomerValueError as err:
    ...     print(type(err).__name__, "-", err)
    InputError - column 'competitor_prices': no competitor prices
    """


class InputError(CustomerValueError, ValueError):
    """Bad data: a missing column, a wrong type, an empty table, missing values, a negative
    price, inconsistent answers. The message names the column.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> cv.demand_curve(pd.DataFrame({"wtp": [10, -5]}), wtp="wtp")
    Traceback (most recent call last):
        ...
    customervalue.errors.InputError: column 'wtp': willingness to pay must be non-negative ...; row 1 holds -5
    """


class ParameterError(CustomerValueError, ValueError):
    """A bad argument: k larger than n, alpha outside (0, 1), an unknown option.

    Examples
    --------
    >>> import customervalue as cv
    >>> cv.simple_clv(50, 12, 0.3, churn_rate=0)
    Traceback (most recent call last):
        ...
    customervalue.errors.ParameterError: argument 'churn_rate': must be in (0, 1]
    """


class ConvergenceError(CustomerValueError, RuntimeError):
    """A fit that did not converge; the message says what to try.

    Examples
    --------
    Everyone buys at 10 and 20, no one at 30 and 40: price separates buyers perfectly and the
    logit has no finite maximum.

    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"price": [10, 20, 30, 40], "share": [1.0, 1.0, 0.0, 0.0], "n": [50] * 4})
    >>> cv.fit_price_response(d, quantity="share", model="logit", weights="n")
    Traceback (most recent call last):
        ...
    customervalue.errors.ConvergenceError: logit fit did not converge: buy and no-buy are perfectly ...
    """


class NotFittedError(CustomerValueError, ValueError, AttributeError):
    """A model used before ``fit()``. Like scikit-learn's ``NotFittedError`` it is both a
    ``ValueError`` and an ``AttributeError``, so code written for either keeps working.

    Examples
    --------
    >>> import customervalue as cv
    >>> cv.BetaGeo().probability_alive(cv.datasets.cdnow())
    Traceback (most recent call last):
        ...
    customervalue.errors.NotFittedError: this BetaGeo is not fitted yet; call fit() first
    """


class CustomerValueWarning(UserWarning):
    """Root of every warning issued by customervalue; filter this class to silence them all.

    Examples
    --------
    >>> import warnings, customervalue as cv
    >>> warnings.simplefilter("ignore", cv.CustomerValueWarning)
    """


class DataDroppedWarning(CustomerValueWarning):
    """More than 5% of the input rows were dropped (missing values or failed validation); the
    result's ``dropped`` table lists them with the reason."""


__all__ = [
    "CustomerValueError",
    "InputError",
    "ParameterError",
    "ConvergenceError",
    "NotFittedError",
    "CustomerValueWarning",
    "DataDroppedWarning",
]
