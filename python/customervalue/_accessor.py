"""The ``df.cv`` accessors: on pandas DataFrames (registered by ``import customervalue.pandas``
or ``%load_ext customervalue``) and on polars DataFrames (``import customervalue.polars``).

``df.cv.f(...)`` is ``customervalue.f(df, ...)`` for exactly the public functions that take a
table first, as declared once in ``customervalue._compat.TABLE_FUNCTIONS`` (the vocabulary test
checks that list against the signatures). ``import customervalue`` registers neither: adding an
attribute to another library's DataFrame is a side effect the user asks for by importing the
module that does it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._compat import TABLE_FUNCTIONS

_registered = False
_registered_polars = False


class CustomerValueAccessor:
    """Calls ``customervalue.<name>(df, ...)`` as ``df.cv.<name>(...)``."""

    def __init__(self, df: Any) -> None:
        self._df = df

    def __getattr__(self, name: str) -> Any:
        import customervalue

        if name not in TABLE_FUNCTIONS:
            raise AttributeError(f"customervalue has no function '{name}' that takes a DataFrame first")
        fn = getattr(customervalue, name)

        def bound(*args: Any, **kwargs: Any) -> Any:
            return fn(self._df, *args, **kwargs)

        bound.__doc__ = fn.__doc__
        bound.__name__ = name
        return bound

    def __dir__(self) -> list[str]:
        return list(TABLE_FUNCTIONS)


class CustomerValueNamespace(CustomerValueAccessor):
    """Calls ``customervalue.<name>(df, ...)`` as ``df.cv.<name>(...)`` on a polars DataFrame.

    Results are the same objects as for pandas input; with ``cv.set_option(output="auto")`` the
    functions that return a table directly (``rfm_summary``, ``segment``) return polars.
    """


def register_accessor() -> None:
    """Registers ``df.cv`` on pandas DataFrames once."""
    global _registered
    if not _registered:
        pd.api.extensions.register_dataframe_accessor("cv")(CustomerValueAccessor)
        _registered = True


def register_namespace() -> None:
    """Registers ``df.cv`` on polars DataFrames once (ImportError naming the fix when polars is
    not installed)."""
    global _registered_polars
    if not _registered_polars:
        from ._io import polars_module

        pl = polars_module("customervalue.polars (the df.cv namespace on polars DataFrames)")
        pl.api.register_dataframe_namespace("cv")(CustomerValueNamespace)
        _registered_polars = True
