"""Demand curve analysis: WTP demand curves, Van Westendorp with NMS, Gabor-Granger,
fitted price-response models and price position. Computation runs in the Rust core."""

from .choice import (
    ChoiceModel,
    ConjointDesign,
    KanoResult,
    MaxDiffResult,
    conjoint_design,
    fit_choice,
    kano,
    maxdiff,
)
from .curve import DemandCurveResult, PremiumTestResult, demand_curve
from .curve_state import DemandCurveState as DemandCurveState  # mergeable state: cv.demand.DemandCurveState
from .curve_state import GaborGrangerState as GaborGrangerState  # mergeable state
from .gabor_granger import GaborGrangerResult, gabor_granger
from .menu import BundlePrices, ValueLadder, bundle_prices, value_ladder
from .price_position import PricePosition, price_position
from .price_response import PriceResponseModel, fit_price_response
from .state import VanWestendorpState as VanWestendorpState  # mergeable state: cv.demand.VanWestendorpState
from .van_westendorp import VanWestendorpResult, van_westendorp

__all__ = [
    "demand_curve",
    "DemandCurveResult",
    "PremiumTestResult",
    "van_westendorp",
    "VanWestendorpResult",
    "gabor_granger",
    "GaborGrangerResult",
    "fit_price_response",
    "PriceResponseModel",
    "price_position",
    "PricePosition",
    "conjoint_design",
    "ConjointDesign",
    "fit_choice",
    "ChoiceModel",
    "maxdiff",
    "MaxDiffResult",
    "kano",
    "KanoResult",
    "bundle_prices",
    "BundlePrices",
    "value_ladder",
    "ValueLadder",
]
