"""Small matplotlib helpers shared by the result classes (imported lazily)."""

from __future__ import annotations

from typing import Any


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
