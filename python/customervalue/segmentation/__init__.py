"""Segmentation versus clustering: rule segments, RFM scores, clusters, and their comparison."""

from .cluster import ClusterResult, cluster
from .compare import ComparisonResult, compare_groupings
from .rules import RF_GRID, RFMResult, rfm_scores, segment  # noqa: F401 - RF_GRID: see rules

__all__ = [
    "segment",
    "rfm_scores",
    "cluster",
    "compare_groupings",
    "ClusterResult",
    "ComparisonResult",
    "RFMResult",
]
