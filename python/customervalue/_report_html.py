"""The HTML pieces every report section is built from: the section, its skip note, embedded
figures and tables (see :mod:`customervalue.report`)."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass
class Section:
    """A report section: an anchor, a title, a finding and its body (HTML)."""

    anchor: str
    title: str
    finding: str
    body: str
    skipped: bool = False


class Skip(Exception):
    """A section's inputs are not configured; the message says which config keys it needs."""


def _png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img alt="figure" src="data:image/png;base64,{data}">'


def _panels(draws: list[Callable[[Any], Any]], width: float, height: float) -> str:
    """Plots, one per drawing function (each takes its axes), each an embedded PNG of
    ``width`` x ``height`` inches, in a row that wraps: side by side on a wide page, one under
    the other on a narrow one (CSS ``.panels``)."""
    import matplotlib.pyplot as plt

    images = []
    for draw in draws:
        fig, ax = plt.subplots(figsize=(width, height))
        draw(ax)
        images.append(_png(fig))
    return images[0] if len(images) == 1 else '<div class="panels">' + "".join(images) + "</div>"


def _table(frame: pd.DataFrame, digits: int = 3) -> str:
    """A table as HTML; one row of many columns is turned on its side (quantity, value) so that it
    fits the page."""
    if len(frame) == 1 and frame.shape[1] > 6:
        frame = pd.DataFrame(
            {"quantity": frame.columns.astype(str), "value": frame.iloc[0].to_numpy(dtype=object)}
        )
    return frame.to_html(index=False, float_format=lambda v: f"{v:,.{digits}g}", border=0, classes="tbl")


def _need(settings: dict[str, Any] | None, table: str, *keys: str) -> dict[str, Any]:
    """The settings of ``table``, or Skip naming the missing config keys."""
    if settings is None:
        raise Skip(f"not configured: add a [{table}] table to the config")
    missing = [k for k in keys if not settings.get(k)]
    if missing:
        raise Skip("not configured: set " + ", ".join(f"{table}.{k}" for k in missing))
    return settings
