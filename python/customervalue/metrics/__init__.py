"""Metrics: clustering indices with scikit-learn's signatures, and customer-experience metrics.

Clustering (``silhouette_score``, ``calinski_harabasz_score``, ``davies_bouldin_score``,
``adjusted_rand_score``, ``normalized_mutual_info_score``) run in the Rust core and agree with
scikit-learn to 1e-10. Customer-experience metrics (NPS, CSAT, effort, resolution, churn,
retention, indices) state their formula, units and interval in each docstring.
"""

from __future__ import annotations

from ..economics.clv import cac_payback, ltv_to_cac
from . import _clustering, _cohorts, _cx, _indices, _survey  # noqa: F401 - _cx: the old import path

# customer-experience metrics (issue 7: survey scores, cohorts, indices) and clustering indices
# (issue 5); each module's ``__all__`` is the one list of its public names
from ._clustering import *  # noqa: F403
from ._cohorts import *  # noqa: F403
from ._indices import *  # noqa: F403
from ._survey import *  # noqa: F403

__all__: list[str] = []
__all__ += _survey.__all__
__all__ += _cohorts.__all__
__all__ += _indices.__all__
__all__ += ["ltv_to_cac", "cac_payback"]
__all__ += _clustering.__all__
