"""customervalue: customer-value analytics with a Rust core.

Four analyses on the same customers: segmentation versus clustering, theme-to-metadata
correlation, economic value modelling, and demand curve analysis. Every function takes a
pandas DataFrame, a polars DataFrame or a pyarrow Table first and names columns by keyword.

>>> import customervalue as cv
>>> survey = cv.datasets.pricing_survey(500, seed=0)
"""

import warnings as _warnings

from . import _core, datasets, metrics
from .demand import (
    DemandCurveResult,
    GaborGrangerResult,
    PricePosition,
    PriceResponseModel,
    VanWestendorpResult,
    demand_curve,
    fit_price_response,
    gabor_granger,
    price_position,
    van_westendorp,
)
from .economics import (
    BetaGeo,
    BetaGeoBetaBinom,
    GammaGamma,
    ModifiedBetaGeo,
    ParetoNBD,
    ShiftedBetaGeometric,
    cac_payback,
    customer_lifetime_value,
    economic_value,
    ltv_to_cac,
    rfm_summary,
    simple_clv,
    value_map,
    value_quantification,
)
from .errors import (
    ConvergenceError,
    CustomerValueError,
    CustomerValueWarning,
    DataDroppedWarning,
    InputError,
    NotFittedError,
    ParameterError,
)
from .opportunity import OpportunityResult, opportunity_scores  # issue 7: metrics and opportunities
from .segmentation import (  # issue 5: segmentation versus clustering
    ClusterResult,
    ComparisonResult,
    RFMResult,
    cluster,
    compare_groupings,
    rfm_scores,
    segment,
)
from .themes import (
    DiscoveredThemes,
    TaggedThemes,
    ThemeAssociations,
    ThemeCooccurrence,
    ThemeImpact,
    WaveComparison,
    compare_waves,
    discover_themes,
    tag_themes,
    theme_associations,
    theme_cooccurrence,
    theme_impact,
)

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


__all__ = [
    "datasets",
    "demand_curve",
    "van_westendorp",
    "gabor_granger",
    "fit_price_response",
    "price_position",
    "rfm_summary",
    "BetaGeo",
    "ParetoNBD",
    "BetaGeoBetaBinom",
    "ModifiedBetaGeo",
    "GammaGamma",
    "ShiftedBetaGeometric",
    "customer_lifetime_value",
    "simple_clv",
    "ltv_to_cac",
    "cac_payback",
    "economic_value",
    "value_map",
    "value_quantification",
    "theme_associations",
    "ThemeAssociations",
    "theme_impact",
    "ThemeImpact",
    "tag_themes",
    "TaggedThemes",
    "discover_themes",
    "DiscoveredThemes",
    "theme_cooccurrence",
    "ThemeCooccurrence",
    "compare_waves",
    "WaveComparison",
    "DemandCurveResult",
    "VanWestendorpResult",
    "GaborGrangerResult",
    "PriceResponseModel",
    "PricePosition",
    "CustomerValueError",
    "InputError",
    "ParameterError",
    "ConvergenceError",
    "NotFittedError",
    "CustomerValueWarning",
    "DataDroppedWarning",
    "load_ipython_extension",
    # segmentation versus clustering (issue 5)
    "segment",
    "rfm_scores",
    "cluster",
    "compare_groupings",
    "ClusterResult",
    "ComparisonResult",
    "RFMResult",
    # customer-experience metrics and opportunity analysis (issue 7)
    "metrics",
    "opportunity_scores",
    "OpportunityResult",
]
