"""Small statistical helpers shared by result classes."""

from __future__ import annotations

from collections.abc import Mapping
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from .errors import ParameterError


def wald_intervals(
    params: Mapping[str, float], standard_errors: Mapping[str, float], alpha: float
) -> pd.DataFrame:
    """Wald intervals: estimate +/- z_(1 - alpha/2) x standard error, one row per parameter."""
    z = z_value(alpha)
    p = pd.Series(dict(params), dtype=float)
    se = pd.Series(dict(standard_errors), dtype=float).reindex(p.index)
    return pd.DataFrame({"lower": p - z * se, "upper": p + z * se})


def z_value(alpha: float) -> float:
    """The two-sided normal quantile z_(1 - alpha/2); ParameterError unless 0 < alpha < 1."""
    if not 0 < alpha < 1:
        raise ParameterError(f"argument 'alpha': must be in (0, 1), got {alpha}")
    return NormalDist().inv_cdf(1 - alpha / 2)


def wilson_interval(successes: Any, n: Any, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for binomial proportions, elementwise (Wilson 1927).

    centre = (k + z^2/2) / (n + z^2), half-width = z / (n + z^2) * sqrt(k (n - k) / n + z^2 / 4),
    the same as ``statsmodels.stats.proportion.proportion_confint(k, n, method="wilson")``.
    Returns (lower, upper) as proportions in [0, 1]; NaN where n is 0.
    """
    z = z_value(alpha)
    k = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = (k + z * z / 2) / (m + z * z)
        half = z / (m + z * z) * np.sqrt(k * (m - k) / m + z * z / 4)
        p = k / m
    # the interval always holds p; the clip only repairs rounding at p = 0 or 1
    return np.clip(centre - half, 0.0, p), np.clip(centre + half, p, 1.0)


def auc(target: Any, score: Any) -> tuple[float, float]:
    """Area under the ROC curve of ``score`` for a 0/1 ``target``, and its Hanley-McNeil SE.

    AUC = (R_1 - n_1 (n_1 + 1) / 2) / (n_1 n_0), with R_1 the sum of the mid-ranks of the positives
    (the Mann-Whitney form; ties count one half), as ``sklearn.metrics.roc_auc_score``.
    SE from Hanley & McNeil (1982, *Radiology* 143(1)).
    """
    y = np.asarray(target, dtype=bool)
    s = np.asarray(score, dtype=float)
    n1 = int(y.sum())
    n0 = int(y.size - n1)
    if n1 == 0 or n0 == 0:
        raise ParameterError("the validation target has one class only; the AUC needs both 0 and 1")
    ranks = pd.Series(s).rank(method="average").to_numpy()
    a = float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    var = (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n0 - 1) * (q2 - a * a)) / (n1 * n0)
    return a, float(np.sqrt(max(var, 0.0)))
