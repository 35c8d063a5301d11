"""Rule-based segments: bins and levels of customer attributes, and RFM scores with named cells."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._boundary import drop_missing
from .._checks import MISSING, Integer, Options, check_args
from .._compat import renamed
from .._io import follows_output_option
from .._io import frame as _frame
from .._result import Result
from ..errors import InputError, ParameterError

#: The R-F grid of ten named segments on 1-5 recency and frequency scores. Provenance: a
#: convention of marketing-analytics practice (it appears in many RFM tutorials and CRM tools),
#: not a peer-reviewed source; each entry is (name, recency scores, frequency scores).
RF_GRID: list[tuple[str, tuple[int, ...], tuple[int, ...]]] = [
    ("Champions", (5,), (4, 5)),
    ("Loyal Customers", (3, 4), (4, 5)),
    ("Potential Loyalists", (4, 5), (2, 3)),
    ("New Customers", (5,), (1,)),
    ("Promising", (4,), (1,)),
    ("Need Attention", (3,), (3,)),
    ("About to Sleep", (3,), (1, 2)),
    ("At Risk", (1, 2), (3, 4)),
    ("Can't Lose Them", (1, 2), (5,)),
    ("Hibernating", (1, 2), (1, 2)),
]
PRESETS: dict[str, list[tuple[str, tuple[int, ...], tuple[int, ...]]]] = {"rf_grid": RF_GRID}
UNASSIGNED = "unassigned"


def _numeric(s: pd.Series, name: str) -> pd.Series:
    if not pd.api.types.is_numeric_dtype(s) or s.dtype == bool:
        raise InputError(f"column '{name}': is {s.dtype}, but numeric bins need numbers")
    return s.astype(float)


def _bin_labels(edges: list[float]) -> list[str]:
    def f(v: float) -> str:
        return f"{v:g}"

    out = [f"<{f(edges[0])}"]
    out += [f"{f(a)}-{f(b)}" for a, b in zip(edges[:-1], edges[1:], strict=True)]
    return out + [f">={f(edges[-1])}"]


@follows_output_option
@renamed(df="data")
@check_args(missing=Options("raise", "label"))
def segment(data: Any, rules: dict[str, Any], *, missing: str = "raise") -> pd.Series:
    """Rule-based segments: every combination of the binned or grouped columns in ``rules``.

    Parameters
    ----------
    data : pandas or polars DataFrame, or pyarrow Table
    rules : dict
        Column name to rule. ``None``: the column's own levels (a numeric column is split at
        its quartiles). A list of cut points ``[18, 35, 55]``: half-open bins ``<18``,
        ``18-35`` (18 <= x < 35), ``35-55`` and ``>=55``. An int ``q``: ``q`` quantile bins. A
        dict ``{level: group}``: levels merged into named groups (unlisted levels keep their
        own name).
    missing : {"raise", "label"}
        A missing value raises InputError naming the column, or becomes the level "missing".

    Returns
    -------
    pandas.Series
        Categorical labels such as ``"age 35-55 | region North"``, named ``segment``, one per
        row in the order of ``data``; categories in the order of the rules' levels.

    >>> df = pd.DataFrame({"age": [20, 40, 60], "region": ["N", "S", "N"]})
    >>> list(segment(df, {"age": [35], "region": None}))
    ['age <35 | region N', 'age >=35 | region S', 'age >=35 | region N']
    """
    if not isinstance(rules, dict) or not rules:
        raise ParameterError("argument 'rules': give a dict of column -> rule, e.g. {'age': [18, 35, 55]}")
    if missing not in ("raise", "label"):
        raise ParameterError(f"argument 'missing': must be 'raise' or 'label', got {missing!r}")
    frame = _frame(data, list(rules), "customer")
    parts: list[pd.Categorical] = []
    for col, rule in rules.items():
        s = frame[col]
        n_missing = int(s.isna().sum())
        if n_missing and missing == "raise":
            raise InputError(f"column '{col}': {n_missing} missing values; pass missing='label' to keep them")
        numeric = pd.api.types.is_numeric_dtype(s) and s.dtype != bool
        if rule is None and numeric and s.nunique() > 12:
            rule = 4  # a numeric column with many values: quartile bins
        if isinstance(rule, (list, tuple, np.ndarray)) or (
            isinstance(rule, int) and not isinstance(rule, bool)
        ):
            x = _numeric(s, col)
            if isinstance(rule, int):
                if rule < 2:
                    raise ParameterError(
                        f"argument 'rules': '{col}' needs at least 2 quantile bins, got {rule}"
                    )
                if rule > max(len(x), 2):  # more bins than values: empty bins, and memory
                    raise ParameterError(
                        f"argument 'rules': '{col}' asks for {rule:,} quantile bins, more than its "
                        f"{len(x):,} values; use at most {max(len(x), 2):,}"
                    )
                edges = sorted(set(np.nanquantile(x, np.linspace(0, 1, rule + 1))[1:-1].tolist()))
            else:
                try:
                    edges = [float(v) for v in rule]
                except (TypeError, ValueError):
                    edges = [math.nan]
                if not edges or not all(math.isfinite(v) for v in edges):
                    raise ParameterError(
                        f"argument 'rules': '{col}' needs one or more finite cut points, got {rule!r}"
                    )
                if any(b <= a for a, b in zip(edges[:-1], edges[1:], strict=True)):
                    raise ParameterError(
                        f"argument 'rules': cut points for '{col}' must increase, got {rule}"
                    )
            idx = np.searchsorted(np.asarray(edges), x.to_numpy(), side="right")
            cat = pd.Categorical.from_codes(np.where(x.isna(), -1, idx), categories=_bin_labels(edges))
        elif rule is None or isinstance(rule, dict):
            mapping = rule or {}
            levels = (
                list(s.cat.categories)
                if isinstance(s.dtype, pd.CategoricalDtype)
                else sorted(s.dropna().unique(), key=str)
            )
            names = list(dict.fromkeys(str(mapping.get(v, v)) for v in levels))
            values = [None if pd.isna(v) else str(mapping.get(v, v)) for v in s.astype(object)]
            cat = pd.Categorical(values, categories=names)
        else:
            raise ParameterError(
                f"argument 'rules': the rule for '{col}' must be None, a list of cut points, an int or a dict"
            )
        named = pd.Categorical(
            [None if pd.isna(v) else f"{col} {v}" for v in cat],
            categories=[f"{col} {c}" for c in cat.categories],
        )
        if missing == "label" and n_missing:
            named = named.add_categories([f"{col} missing"]).fillna(f"{col} missing")
        parts.append(named)
    label = pd.Series(parts[0].astype(str), index=frame.index)
    for p in parts[1:]:
        label = label + " | " + pd.Series(p.astype(str), index=frame.index)
    # Categories in rule order: the product of each part's categories that occur.
    order = [""]
    for p in parts:
        order = [f"{a} | {b}" if a else str(b) for a in order for b in p.categories]
    seen = set(label.unique())
    return pd.Series(
        pd.Categorical(label, categories=[o for o in order if o in seen]), index=frame.index, name="segment"
    )


def _scores(x: pd.Series, bins: int, ties: str, reverse: bool) -> tuple[np.ndarray, int, int]:
    """Quantile scores 1..bins: score = ceil(bins * rank / n). ``ties="average"`` gives tied
    customers their mid-rank, so they share one score; ``"first"`` breaks ties by row order.
    Returns the scores, the customers sharing a value with another, and the customers whose
    score depends on how ties are broken (their tie group straddles a score boundary)."""
    v = -x if reverse else x
    n = len(v)
    first = v.rank(method="first").to_numpy()
    avg = v.rank(method="average").to_numpy()
    lo = np.ceil(bins * v.rank(method="min").to_numpy() / n)
    hi = np.ceil(bins * v.rank(method="max").to_numpy() / n)
    rank = avg if ties == "average" else first
    score = np.clip(np.ceil(bins * rank / n), 1, bins).astype(np.int64)
    tied = int(v.duplicated(keep=False).sum())
    split = int((lo != hi).sum())
    return score, tied, split


@dataclass(frozen=True)
class RFMResult(Result):
    """RFM scores per customer (``table``): recency_score, frequency_score, monetary_score (1 to
    ``bins``; 5 is best: most recent, most frequent, highest spend), ``rfm_cell`` ("545") and
    ``segment`` (the preset's name or "unassigned").

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> df = pd.DataFrame({"days_since": [1, 5, 30, 90, 200], "orders": [9, 5, 3, 2, 1]})
    >>> r = cv.rfm_scores(df, recency="days_since", frequency="orders")
    >>> r.table["rfm_cell"].tolist(), r.coverage
    (['55', '44', '33', '22', '11'], 1.0)
    """

    coverage: float = 0.0
    ties: dict[str, dict[str, int]] = field(default_factory=dict)
    preset: str | None = None

    @property
    def labels(self) -> pd.Series:
        """The named segment of every customer."""
        return self.table["segment"]

    def summary(self) -> str:
        counts = self.table["segment"].value_counts()
        lines = [
            f"RFM scores for {len(self.table)} customers; preset {self.preset!r} covers {self.coverage:.1%}"
        ]
        lines += [f"  {k}: {v}" for k, v in counts.items()]
        for k, t in self.ties.items():
            lines.append(
                f"  {k}: {t['tied']} customers share a value; {t['split_by_ties']} depend on the tie rule"
            )
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """Customers per recency x frequency cell, labelled with the preset's segment names."""
        from .._plot import axes

        ax = axes(ax)
        grid = pd.crosstab(self.table["frequency_score"], self.table["recency_score"]).sort_index(
            ascending=False
        )
        im = ax.imshow(grid.to_numpy(), cmap="Blues", aspect="auto")
        ax.set_xticks(range(grid.shape[1]), [str(c) for c in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [str(c) for c in grid.index])
        ax.set_xlabel("recency score (5 = most recent)")
        ax.set_ylabel("frequency score (5 = most frequent)")
        names = self.table.groupby(["frequency_score", "recency_score"], observed=True)["segment"].first()
        for i, f in enumerate(grid.index):
            for j, r in enumerate(grid.columns):
                name = names.get((f, r), "")
                ax.text(j, i, f"{name}\n{grid.iloc[i, j]}", ha="center", va="center", fontsize=6)
        ax.figure.colorbar(im, ax=ax, label="customers")
        ax.set_title("RFM grid")
        return ax


def _custom_preset(preset: dict[Any, Any], bins: int) -> list[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    """A custom preset ``{name: (recency_scores, frequency_scores)}`` as the grid, each score a
    whole number from 1 to ``bins``; ParameterError naming the entry and the format otherwise."""
    example = f"{{'Champions': ([{bins}], [{bins - 1}, {bins}]), 'Lost': ([1], [1, 2])}}"
    fmt = (
        "each entry maps a segment name to a pair (recency scores, frequency scores), two lists of "
        f"scores from 1 to {bins}, e.g. {example}"
    )
    grid = []
    for name, cells in preset.items():
        if isinstance(cells, (str, bytes)) or not isinstance(cells, (tuple, list)) or len(cells) != 2:
            raise ParameterError(f"argument 'preset': entry {name!r} is {cells!r}; {fmt}")
        pair = []
        for which, scores in zip(("recency", "frequency"), cells, strict=True):
            if isinstance(scores, (str, bytes)) or not isinstance(
                scores, (tuple, list, set, range, np.ndarray)
            ):
                raise ParameterError(
                    f"argument 'preset': entry {name!r} gives {which} scores {scores!r}, not a list; {fmt}"
                )
            values = list(scores)
            bad = [
                v
                for v in values
                if isinstance(v, (bool, np.bool_))
                or not isinstance(v, (int, np.integer))
                or not 1 <= v <= bins
            ]
            if bad or not values:
                raise ParameterError(
                    f"argument 'preset': entry {name!r} gives {which} scores {values!r}"
                    + (f", and {bad[0]!r} is not a score" if bad else " (none)")
                    + f"; {fmt}"
                )
            pair.append(tuple(int(v) for v in values))
        grid.append((str(name), pair[0], pair[1]))
    return grid


@renamed(df="data")
@check_args(bins=Integer(2), ties=Options("average", "first"), missing=MISSING)
def rfm_scores(
    data: Any,
    *,
    recency: str,
    frequency: str,
    monetary: str | None = None,
    bins: int = 5,
    preset: str | dict[str, Any] | None = "rf_grid",
    ties: str = "average",
    missing: str = "raise",
) -> RFMResult:
    """Quantile RFM scores and named segments.

    Each score is ``ceil(bins * rank / n)`` on the column's ranks, so each score holds about
    ``n / bins`` customers; recency is reversed (fewest days since the last purchase scores
    ``bins``). Ties: ``"average"`` (default) gives tied customers their mid-rank and hence one
    score, so score groups can be unequal; ``"first"`` splits ties by row order, giving equal
    groups but different scores to identical customers. Either way ``.ties`` reports how many
    customers share a value and how many have a score that depends on the tie rule.

    ``missing="raise"`` (default) refuses a missing recency, frequency or monetary value, naming
    the column; ``"drop"`` scores the other customers and lists the dropped rows in ``.dropped``.
    The table is on the input's rows (its pandas index; row positions for polars and pyarrow).

    ``preset="rf_grid"`` names the 25 recency x frequency cells of 1-5 scores with the ten
    segments of :data:`RF_GRID` (Champions ... Hibernating; a practitioners' convention, see
    its provenance note). A custom map is a dict ``{name: (recency_scores, frequency_scores)}``,
    each a list of scores from 1 to ``bins`` (``{"Champions": ([5], [4, 5])}``; a malformed
    entry is a ParameterError showing the format); cells it does not name are "unassigned",
    and ``.coverage`` is the share named.

    Reference: Hughes, A. M. (1994), *Strategic Database Marketing*, on RFM scoring.

    >>> df = pd.DataFrame({"r": [1, 5, 30, 90, 200], "f": [9, 5, 3, 2, 1]})
    >>> rfm_scores(df, recency="r", frequency="f").table["segment"].tolist()
    ['Champions', 'Loyal Customers', 'Need Attention', 'Hibernating', 'Hibernating']
    """
    if not isinstance(bins, int) or bins < 2:
        raise ParameterError(f"argument 'bins': must be an integer of at least 2, got {bins!r}")
    if ties not in ("average", "first"):
        raise ParameterError(f"argument 'ties': must be 'average' or 'first', got {ties!r}")
    cols = [recency, frequency] + ([monetary] if monetary else [])
    frame, env = drop_missing(_frame(data, cols, "customer"), cols, missing, what="rfm_scores")
    if len(frame) == 0:
        raise InputError(f"column '{recency}': no rows left after dropping missing values")
    out = pd.DataFrame(index=frame.index)
    tie_report: dict[str, dict[str, int]] = {}
    for name, col, rev in (
        ("recency", recency, True),
        ("frequency", frequency, False),
        ("monetary", monetary, False),
    ):
        if col is None:
            continue
        x = _numeric(frame[col], col)
        score, tied, split = _scores(x, bins, ties, rev)
        out[f"{name}_score"] = score
        tie_report[col] = {"tied": tied, "split_by_ties": split}
    # the cell label joins the scores column by column (vectorised: a row-wise join took
    # about a second on 23,600 customers)
    score_cols = [c for c in out.columns if c.endswith("_score")]
    cell = pd.Series("", index=out.index, dtype=object)
    for c in score_cols:
        cell = cell + out[c].astype(str).astype(object)
    out["rfm_cell"] = cell.astype(str)
    if preset is None:
        grid: list[tuple[str, tuple[int, ...], tuple[int, ...]]] = []
        preset_name = None
    elif isinstance(preset, str):
        if preset not in PRESETS:
            raise ParameterError(f"argument 'preset': unknown preset {preset!r}; known: {', '.join(PRESETS)}")
        if bins != 5:
            raise ParameterError(
                f"argument 'preset': {preset!r} is defined on 1-5 scores; use bins=5 or preset=None"
            )
        grid, preset_name = PRESETS[preset], preset
    elif isinstance(preset, dict):
        grid = _custom_preset(preset, bins)
        preset_name = "custom"
    else:
        raise ParameterError(
            "argument 'preset': give a preset name, a dict of name -> (R scores, F scores), or None"
        )
    seg = np.full(len(out), UNASSIGNED, dtype=object)
    r, f = out["recency_score"].to_numpy(), out["frequency_score"].to_numpy()
    for name, rs, fs in reversed(grid):  # the first listed wins where a custom map overlaps
        seg[np.isin(r, rs) & np.isin(f, fs)] = name
    order = [g[0] for g in grid] + [UNASSIGNED]
    out["segment"] = pd.Categorical(seg, categories=list(dict.fromkeys(order)))
    coverage = float((seg != UNASSIGNED).mean())
    return RFMResult(table=out, coverage=coverage, ties=tie_report, preset=preset_name, **env.as_fields())
