"""customervalue: customer-value analytics with a Rust core.

Four analyses on the same customers: segmentation versus clustering, theme-to-metadata
correlation, economic value modelling, and demand curve analysis. Every function takes a
pandas DataFrame, a polars DataFrame or a pyarrow Table first and names columns by keyword.

>>> import customervalue as cv
>>> survey = cv.datasets.pricing_survey(500, seed=0)
"""

import warnings as _warnings
from typing import Any as _Any

from . import _core, datasets, demand, economics, errors, metrics, opportunity, segmentation, stats, themes
from ._io import get_option, option_context, set_option
from ._threads import get_num_threads, set_num_threads

# Each subpackage's ``__all__`` is the one list of its public names; the package exports them all.
from .demand import *  # noqa: F403
from .economics import *  # noqa: F403
from .errors import *  # noqa: F403
from .opportunity import *  # noqa: F403
from .segmentation import *  # noqa: F403
from .themes import *  # noqa: F403

__version__: str = _core.__version__

if _core.DEBUG_BUILD:
    _warnings.warn(
        "customervalue's Rust extension was built without optimisation (a debug build); it can be "
        "10-100x slower. Rebuild with `maturin develop --release` or `make build`.",
        RuntimeWarning,
        stacklevel=2,
    )


def load_ipython_extension(ipython):  # type: ignore[no-untyped-def]
    """``%load_ext customervalue``: the ``df.cv`` accessor and rich display of results.

    Examples
    --------
    ``%load_ext customervalue`` calls this; ``df.cv.f(...)`` is then ``cv.f(df, ...)``:

    >>> import pandas as pd, customervalue as cv
    >>> cv.load_ipython_extension(None)
    >>> pd.DataFrame({"wtp": [10, 20, 20, 40]}).cv.demand_curve(wtp="wtp").revenue_optimal_price
    20.0
    """
    from ._accessor import register_accessor

    register_accessor()


__all__: list[str] = ["datasets", "metrics", "stats", "load_ipython_extension"]
__all__ += ["get_option", "set_option", "option_context", "set_num_threads", "get_num_threads"]
__all__ += demand.__all__
__all__ += economics.__all__
__all__ += themes.__all__
__all__ += segmentation.__all__
__all__ += opportunity.__all__
__all__ += errors.__all__


def __getattr__(name: str) -> _Any:
    """``cv.sklearn`` and ``cv.dask`` import the scikit-learn estimators and the Dask adapter on
    first use (neither scikit-learn nor dask is a dependency of the package, so ``import
    customervalue`` imports neither)."""
    if name in ("sklearn", "dask"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'customervalue' has no attribute {name!r}")
