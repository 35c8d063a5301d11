"""Small helpers shared by the result classes' plots: matplotlib (imported lazily), the choice
of backend, and the lift grid that both backends draw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._io import PLOT_BACKENDS, check_choice, get_option
from .errors import ParameterError


def choose_backend(name: str | None, ax: Any) -> str:
    """The backend a plot method offering ``backend=`` draws with: ``name`` when given; else
    matplotlib when an ``ax`` (a matplotlib Axes to draw on) is given; else the
    ``plot_backend`` option (``cv.set_option``). An unknown name is a ParameterError listing
    the backends, and so is an ``ax`` with the plotly backend, which draws its own figure."""
    if name is None:
        return "matplotlib" if ax is not None else str(get_option("plot_backend"))
    check_choice("backend", name, PLOT_BACKENDS)
    if name == "plotly" and ax is not None:
        raise ParameterError(
            "argument 'ax': backend='plotly' draws its own figure and cannot draw on a matplotlib "
            "Axes; leave ax out (or use backend='matplotlib')"
        )
    return name


def axes(ax: Any = None, figsize: tuple[float, float] = (7.0, 4.2)) -> Any:
    """The given Axes, or a new figure's."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def grid(n: int, ncols: int = 3, size: tuple[float, float] = (4.2, 3.2)) -> tuple[Any, list[Any]]:
    """A figure of ``n`` small multiples."""
    import matplotlib.pyplot as plt

    ncols = max(1, min(ncols, n))
    nrows = (n + ncols - 1) // ncols
    fig, axs = plt.subplots(nrows, ncols, figsize=(size[0] * ncols, size[1] * nrows), squeeze=False)
    flat = [a for row in axs for a in row]
    for a in flat[n:]:
        a.set_visible(False)
    return fig, flat[:n]


def money(ax: Any, axis: str = "x") -> None:
    """Formats an axis as money."""
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}".rstrip("0").rstrip("."))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def legend_both(ax: Any, twin: Any, **kwargs: Any) -> None:
    """One legend on ``ax`` for the lines of ``ax`` and of its twin axis."""
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = twin.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=8, **kwargs)


@dataclass(frozen=True)
class LiftGrid:
    """The theme lift heatmap's cells: one row per theme (per theme and stratum with ``by``),
    one column per (variable, level); each array is rows x columns, NaN (or "") where the
    table has no row for the cell."""

    rows: list[str]
    columns: list[str]
    lift: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    q: np.ndarray
    n: np.ndarray
    mentions: np.ndarray
    marks: np.ndarray  # "*" q < alpha, "**" q < alpha / 10

    @property
    def log2_lift(self) -> np.ndarray:
        """log2 of the lift, NaN where the lift is missing or 0 (no mention in the level)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.lift > 0, np.log2(np.where(self.lift > 0, self.lift, 1.0)), np.nan)


def lift_grid(lifts: pd.DataFrame, alpha: float, by: str | None) -> LiftGrid:
    """The per-level rows of a theme association grid (``ThemeAssociations.lifts``) as a
    themes x levels grid, in the table's order. With ``by`` (the table's first column when the
    analysis was stratified) a row per theme and stratum, labelled ``"theme (by = stratum)"``,
    the strata of a theme next to each other."""
    cols = list(dict.fromkeys(zip(lifts["variable"], lifts["level"], strict=True)))
    themes = list(dict.fromkeys(lifts["theme"]))
    keys: list[tuple[Any, ...]]
    row_of: list[tuple[Any, ...]]
    if by is None:
        keys = [(t,) for t in themes]
        row_of = list(zip(lifts["theme"], strict=True))
        labels = [str(t) for t in themes]
    else:
        strata = list(dict.fromkeys(lifts[by]))
        present = set(zip(lifts["theme"], lifts[by], strict=True))
        keys = [(t, s) for t in themes for s in strata if (t, s) in present]
        row_of = list(zip(lifts["theme"], lifts[by], strict=True))
        labels = [f"{t} ({by} = {s})" for t, s in keys]
    row_index = {k: i for i, k in enumerate(keys)}
    col_index = {c: j for j, c in enumerate(cols)}
    shape = (len(keys), len(cols))
    out = {name: np.full(shape, np.nan) for name in ("lift", "ci_low", "ci_high", "q", "n", "mentions")}
    marks = np.full(shape, "", dtype=object)
    ii = np.array([row_index[k] for k in row_of], dtype=np.intp)
    jj = np.array([col_index[c] for c in zip(lifts["variable"], lifts["level"], strict=True)], dtype=np.intp)
    for name, col in [
        ("lift", "effect"),
        ("ci_low", "effect_ci_low"),
        ("ci_high", "effect_ci_high"),
        ("q", "q"),
        ("n", "n"),
        ("mentions", "mentions"),
    ]:
        out[name][ii, jj] = pd.to_numeric(lifts[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    q = out["q"]
    with np.errstate(invalid="ignore"):
        marks[q < alpha] = "*"
        marks[q < alpha / 10] = "**"
    return LiftGrid(rows=labels, columns=[f"{v}={lv}" for v, lv in cols], marks=marks, **out)
