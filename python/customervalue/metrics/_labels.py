"""Labels and feature matrices as the clustering metrics read them: codes in order of first
appearance, rows paired by position (see :mod:`customervalue.metrics._clustering`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, ParameterError


def as_matrix(X: Any, name: str = "X") -> np.ndarray:
    """``X`` as a C-contiguous float64 matrix (n x d), refusing text and missing values."""
    if isinstance(X, pd.DataFrame):
        bad = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c]) or X[c].dtype == bool]
        if bad:
            raise InputError(f"column '{bad[0]}': is not numeric; encode it or leave it out of {name}")
    try:
        m = np.ascontiguousarray(np.asarray(X, dtype=np.float64))
    except (TypeError, ValueError) as exc:
        raise InputError(f"column '{name}': cannot be read as numbers ({exc})") from None
    if m.ndim == 1:
        m = m.reshape(-1, 1)
    if m.ndim != 2:
        raise ParameterError(f"argument '{name}': expected a 2-d array, got {m.ndim} dimensions")
    if m.shape[0] == 0:
        raise InputError(f"column '{name}': has no rows")
    return m


def _check_positions(a: Any, b: Any, name_a: str, name_b: str) -> None:
    """Refuses two pandas objects (Series or DataFrames) whose indexes hold the same unique
    labels in different orders: their rows are paired by position (as scikit-learn pairs
    them), which would pair rows pandas itself would not (see the module docstring)."""
    ia, ib = getattr(a, "index", None), getattr(b, "index", None)
    if not (isinstance(ia, pd.Index) and isinstance(ib, pd.Index)) or ia.equals(ib) or len(ia) != len(ib):
        return
    if ia.is_unique and ib.is_unique and ia.isin(ib).all():
        raise ParameterError(
            f"argument '{name_b}': its pandas index holds the labels of the index of '{name_a}' in "
            "another order; the metrics pair rows by position (as scikit-learn), which would pair "
            f"different rows here. Align it first ({name_b}.reindex({name_a}.index)), or pass "
            f"{name_b}.to_numpy() to pair by position"
        )


def _codes_uniques(labels: Any, name: str = "labels") -> tuple[np.ndarray, np.ndarray]:
    """Labels as int64 codes 0..k-1 in order of first appearance, and the k labels coded."""
    if isinstance(labels, pd.Series):
        series = labels
    else:
        arr = np.asarray(labels)
        if arr.ndim != 1:
            raise ParameterError(f"argument '{name}': labels must be 1-d, got an array of shape {arr.shape}")
        series = pd.Series(arr)
    codes, uniques = pd.factorize(series)
    if (codes < 0).any():
        raise InputError(f"column '{name}': {(codes < 0).sum()} missing labels")
    return np.ascontiguousarray(codes.astype(np.int64)), np.asarray(uniques)


def label_codes(labels: Any, name: str = "labels") -> np.ndarray:
    """Any labels (numbers, strings, categories) as int64 codes 0..k-1; missing labels refused."""
    return _codes_uniques(labels, name)[0]
