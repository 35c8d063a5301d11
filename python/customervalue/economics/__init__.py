"""Economic value modelling: transaction summaries, buy-till-you-die lifetime-value models and
customer lifetime value. Fitting and prediction run in the Rust core.

The model against the transaction log, as lifetimes' tracking utilities:
``cv.expected_cumulative_transactions``, ``plot_cumulative_transactions``,
``plot_incremental_transactions``, ``alive_path`` and ``plot_history_alive`` (module
``customervalue.economics.tracking``)."""

from .clv import cac_payback, customer_lifetime_value, ltv_to_cac, simple_clv
from .models import (
    BetaGeo,
    BetaGeoBetaBinom,
    GammaGamma,
    ModifiedBetaGeo,
    ParetoNBD,
    ShiftedBetaGeometric,
)
from .state import PartialSummary as PartialSummary  # mergeable state: cv.economics.PartialSummary
from .summary import rfm_summary
from .tracking import (
    alive_path,
    expected_cumulative_transactions,
    plot_cumulative_transactions,
    plot_history_alive,
    plot_incremental_transactions,
)
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
    # the model against the transaction log: the fitted model first, then the log (lifetimes'
    # order, and customer_lifetime_value's)
    "expected_cumulative_transactions",
    "plot_cumulative_transactions",
    "plot_incremental_transactions",
    "alive_path",
    "plot_history_alive",
]
