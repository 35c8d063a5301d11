"""Pieces shared by the demand results."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd

from .. import _core
from .._boundary import Envelope, Input
from .._io import check_choice
from .._progress import progress_bar


def warn_all(messages: list[str]) -> None:
    """Shows the core's statements about degenerate data as warnings."""
    for m in messages:
        warnings.warn(m, UserWarning, stacklevel=3)


def run_bootstrapped(
    core: Callable[..., dict[str, Any]],
    inp: Input,
    *columns: Any,
    by: str | None,
    ci: float | None,
    n_boot: int,
    seed: int,
    missing: str,
    progress: bool | None,
    **options: Any,
) -> tuple[dict[str, Any], Envelope]:
    """Runs a demand analysis of the core on the table read by ``inp``, with a progress bar over
    its bootstrap replicates (none without ``ci``; no total when ``by`` splits the work), and
    returns the core's answer and the result envelope (its drops and warnings)."""
    boots = int(n_boot) if ci is not None else 0
    cost = boots * float(getattr(inp.arrow, "num_rows", 0) or 0)
    with progress_bar(progress, boots if by is None else None, "bootstrap", cost=cost) as cb:
        d = core(
            inp.arrow,
            *columns,
            by=by,
            ci=ci,
            n_boot=int(n_boot),
            seed=int(seed),
            missing=missing,
            progress=cb,
            **options,
        )
    return d, inp.envelope(d)


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
