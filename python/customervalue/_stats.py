"""Small statistical helpers shared by result classes."""

from __future__ import annotations

from collections.abc import Mapping
from statistics import NormalDist

import pandas as pd

from .errors import ParameterError


def wald_intervals(
    params: Mapping[str, float], standard_errors: Mapping[str, float], alpha: float
) -> pd.DataFrame:
    """Wald intervals: estimate +/- z_(1 - alpha/2) x standard error, one row per parameter."""
    if not 0 < alpha < 1:
        raise ParameterError(f"argument 'alpha': must be in (0, 1), got {alpha}")
    z = NormalDist().inv_cdf(1 - alpha / 2)
    p = pd.Series(dict(params), dtype=float)
    se = pd.Series(dict(standard_errors), dtype=float).reindex(p.index)
    return pd.DataFrame({"lower": p - z * se, "upper": p + z * se})
