"""The ``df.cv`` pandas accessor, registered by ``%load_ext customervalue``.

``df.cv.f(...)`` is ``customervalue.f(df, ...)`` for exactly the public functions that take a
table first, as declared once in ``customervalue._compat.TABLE_FUNCTIONS`` (the vocabulary test
checks that list against the signatures).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._compat import TABLE_FUNCTIONS

_registered = False


class CustomerValueAccessor:
    """Calls ``customervalue.<name>(df, ...)`` as ``df.cv.<name>(...)``."""

    def __init__(self, df: pd.DataFrame) -> None:
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


def register_accessor() -> None:
    """Registers ``df.cv`` once."""
    global _registered
    if not _registered:
        pd.api.extensions.register_dataframe_accessor("cv")(CustomerValueAccessor)
        _registered = True
