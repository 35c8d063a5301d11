"""Metrics: clustering indices with scikit-learn's signatures, and customer-experience metrics.

Clustering (``silhouette_score``, ``calinski_harabasz_score``, ``davies_bouldin_score``,
``adjusted_rand_score``, ``normalized_mutual_info_score``) run in the Rust core and agree with
scikit-learn to 1e-10. Customer-experience metrics (NPS, CSAT, effort, resolution, churn,
retention, indices) state their formula, units and interval in each docstring.
"""

from __future__ import annotations

# customer-experience metrics (issue 7)
from ..economics.clv import cac_payback, ltv_to_cac
from ._cx import (
    CohortResult,
    CXIndex,
    EngagementIndex,
    ScoreResult,
    ces,
    churn_rate,
    csat,
    cx_index,
    engagement_index,
    first_contact_resolution,
    nps,
    retention,
)

__all__: list[str] = []
__all__ += [
    "nps",
    "csat",
    "ces",
    "first_contact_resolution",
    "churn_rate",
    "retention",
    "engagement_index",
    "cx_index",
    "ltv_to_cac",
    "cac_payback",
    "ScoreResult",
    "CohortResult",
    "EngagementIndex",
    "CXIndex",
]

# clustering indices (issue 5), scikit-learn's signatures
from ._clustering import (  # noqa: E402
    adjusted_mutual_info_score,
    adjusted_rand_score,
    calinski_harabasz_score,
    completeness_score,
    davies_bouldin_score,
    homogeneity_completeness_v_measure,
    homogeneity_score,
    normalized_mutual_info_score,
    silhouette_samples,
    silhouette_score,
    v_measure_score,
)

__all__ += [
    "silhouette_score",
    "silhouette_samples",
    "calinski_harabasz_score",
    "davies_bouldin_score",
    "adjusted_rand_score",
    "normalized_mutual_info_score",
    "adjusted_mutual_info_score",
    "homogeneity_completeness_v_measure",
    "homogeneity_score",
    "completeness_score",
    "v_measure_score",
]
