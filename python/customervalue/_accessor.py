"""The ``df.cv`` pandas accessor, registered by ``%load_ext customervalue``.

``df.cv.f(...)`` is ``customervalue.f(df, ...)`` for every public function that takes a
DataFrame first, so it grows with the package without a list kept by hand.
"""

from __future__ import annotations

import inspect
from typing import Any

import pandas as pd

_registered = False


class CustomerValueAccessor:
    """Calls ``customervalue.<name>(df, ...)`` as ``df.cv.<name>(...)``."""

    def __init__(self, df: pd.DataFrame) -> None:
        self._df = df

    def __getattr__(self, name: str) -> Any:
        import customervalue

        fn = getattr(customervalue, name, None)
        if name.startswith("_") or not callable(fn) or inspect.isclass(fn):
            raise AttributeError(f"customervalue has no DataFrame function '{name}'")

        def bound(*args: Any, **kwargs: Any) -> Any:
            return fn(self._df, *args, **kwargs)

        bound.__doc__ = fn.__doc__
        bound.__name__ = name
        return bound

    def __dir__(self) -> list[str]:
        import customervalue

        return [n for n in customervalue.__all__ if callable(getattr(customervalue, n, None))]


def register_accessor() -> None:
    """Registers ``df.cv`` once."""
    global _registered
    if not _registered:
        pd.api.extensions.register_dataframe_accessor("cv")(CustomerValueAccessor)
        _registered = True
