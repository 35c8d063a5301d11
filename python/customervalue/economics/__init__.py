"""Economic value modelling: transaction summaries, buy-till-you-die lifetime-value models and
customer lifetime value. Fitting and prediction run in the Rust core."""

from .clv import cac_payback, customer_lifetime_value, ltv_to_cac, simple_clv
from .models import (
    BetaGeo,
    BetaGeoBetaBinom,
    GammaGamma,
    ModifiedBetaGeo,
    ParetoNBD,
    ShiftedBetaGeometric,
)
from .summary import rfm_summary
from .value import (
    EconomicValue,
    ValueMap,
    ValueQuantification,
    economic_value,
    value_map,
    value_quantification,
)

__all__ = [
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
    "EconomicValue",
    "ValueMap",
    "ValueQuantification",
]
