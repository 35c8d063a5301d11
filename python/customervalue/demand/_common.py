"""Pieces shared by the demand results."""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from .. import _core
from .._io import check_choice


def warn_all(messages: list[str]) -> None:
    """Shows the core's statements about degenerate data as warnings."""
    for m in messages:
        warnings.warn(m, UserWarning, stacklevel=3)


def per_group(frame: pd.DataFrame, by: str | None, column: str) -> Any:
    """A scalar without groups; a Series indexed by group with them."""
    if by is None:
        value = frame[column].iloc[0]
        return None if pd.isna(value) else float(value)
    return frame.set_index(by)[column].rename(column)


def elasticity_table(table: pd.DataFrame, quantity: str, kind: str, by: str | None) -> pd.DataFrame:
    """Elasticities between adjacent prices of ``table`` (per group), by ``kind``.

    Row i holds the elasticity of the step from price i-1 to price i:
    ``point``: (dQ/Q_prev)/(dP/P_prev); ``arc``: (dQ/mean Q)/(dP/mean P).
    """
    check_choice("kind", kind, ["point", "arc"])
    parts = [table] if by is None else [g for _, g in table.groupby(by, observed=True, sort=False)]
    out = []
    for part in parts:
        prices = part["price"].to_numpy(float)
        e = _core.elasticities(list(prices), list(part[quantity].to_numpy(float)), kind)
        frame = pd.DataFrame({"price_from": prices[:-1], "price_to": prices[1:], "elasticity": e[1:]})
        if by is not None:
            frame.insert(0, by, part[by].iloc[0])
        out.append(frame)
    return pd.concat(out, ignore_index=True)
