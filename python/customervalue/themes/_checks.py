"""Argument checks shared by the theme tests (one place for the correction/alpha/themes rules)."""

from __future__ import annotations

from collections.abc import Sequence

from .._io import check_choice
from ..errors import ParameterError

CORRECTIONS = ["fdr_bh", "fdr_by", "bonferroni", "holm", "none"]


def testing_args(correction: str, alpha: float, themes: Sequence[str]) -> list[str]:
    """Validates ``correction`` and ``alpha`` and returns ``themes`` as a list of names."""
    check_choice("correction", correction, CORRECTIONS)
    if not 0 < alpha < 1:
        raise ParameterError(f"argument 'alpha': must be in (0, 1), got {alpha}")
    if isinstance(themes, str):
        raise ParameterError("argument 'themes': give a list of column names")
    return list(themes)
