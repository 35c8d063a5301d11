"""``ThemeGridState``: the mergeable state of ``theme_associations`` (see ``customervalue._state``).

Every test of the grid is a function of, per stratum and metadata column, the respondents and
the mentions of each theme at each level (categorical columns) or at each distinct value
(numeric columns): counts, which add across any split of the rows. The single call computes the
grid from those same counts, in one canonical order (levels in level order, values ascending),
so the grid of merged states equals the single call bit for bit, p-values of the permutation
tests included (they depend only on the table and the seed). The Mann-Whitney ranks are the
average ranks of the merged values, so no second pass is needed. A numeric column with many
distinct values (a continuous income) makes a large state: one row per distinct value per
stratum; round or bin such a column first when that matters.

Profiles (conjunctions of conditions) need quartile edges of the whole data and are not part of
the state: finish without them, or compute them on a sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa

from .. import _core
from .._boundary import _empty_dropped, read_input
from .._io import check_choice, to_pandas
from .._state import MergeableState
from ..errors import ParameterError
from ._checks import testing_args
from .associations import ThemeAssociations, _highlights


def _numeric(t: pa.DataType) -> bool:
    """Whether the core reads a metadata column of this type as numbers (unless named in
    ``categorical``): integers, floats and decimals, not booleans."""
    return bool(pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t))


class ThemeGridState(MergeableState):
    """The mergeable state of :func:`customervalue.theme_associations` over part of a table.

    Build one per part with :meth:`from_arrow` (``themes``, ``metadata``, ``categorical``,
    ``by``, ``missing`` as in ``theme_associations``), merge in any grouping and order, and
    :meth:`finish` (``correction``, ``alpha``, ``min_count``, ``ci``, ``top``, ``seed``,
    ``n_permutations``) returns the :class:`ThemeAssociations` of the whole table, bit for bit,
    without profiles.

    ``to_arrow()`` rows: the ``by`` column (with ``by``), ``variable``, ``level`` (a categorical
    column's level) or ``value`` (a numeric column's value), ``n`` (respondents) and
    ``theme_0``, ``theme_1``, ... (mentions of each theme, in the order of ``themes``); per
    stratum a row without a variable holds its respondents and mentions.

    Examples
    --------
    >>> import customervalue as cv
    >>> df = cv.datasets.customers(2000, seed=0)
    >>> kw = dict(themes=["theme_price", "theme_support"], metadata=["region", "age"])
    >>> parts = [cv.themes.ThemeGridState.from_arrow(df.iloc[i::3], **kw) for i in range(3)]
    >>> got = cv.themes.ThemeGridState.merge_all(parts).finish()
    >>> got.table.equals(cv.theme_associations(df, **kw, profiles=False).table)
    True
    """

    @classmethod
    def from_arrow(
        cls,
        data: Any,
        themes: Sequence[str],
        metadata: Sequence[str],
        *,
        categorical: Sequence[str] = (),
        by: str | None = None,
        missing: str = "raise",
    ) -> ThemeGridState:
        """The state of the rows of ``data`` (a pandas, polars or Arrow table)."""
        check_choice("missing", missing, ["raise", "drop", "pairwise"])
        if isinstance(themes, str) or isinstance(metadata, str):
            raise ParameterError("arguments 'themes' and 'metadata': give lists of column names")
        themes, metadata = list(themes), list(metadata)
        if not themes or not metadata:
            raise ParameterError("give at least one theme column and one metadata column")
        inp = read_input(data, [*themes, *metadata, by], what="ThemeGridState.from_arrow")
        arrow = pa.table(inp.arrow)
        numeric = tuple(_numeric(arrow.schema.field(m).type) and m not in categorical for m in metadata)
        orders: list[tuple[str, ...]] = []
        for m in [*metadata, by]:
            col = data[m] if isinstance(data, pd.DataFrame) and m is not None else None
            if col is not None and isinstance(col.dtype, pd.CategoricalDtype):
                orders.append(tuple(str(c) for c in col.cat.categories))  # the single call's order
            else:
                orders.append(())
        options = {
            "themes": tuple(themes),
            "metadata": tuple(metadata),
            "numeric": numeric,
            "by": by,
            "level_orders": tuple(orders[:-1]),
            "stratum_order": orders[-1],
            "missing": missing,
        }
        if arrow.num_rows == 0:  # an empty part: merges as nothing
            env = inp.envelope(None)
            table = _schema(by, len(themes)).empty_table()
        else:
            d = _core.theme_associations_state(
                arrow, themes, metadata, categorical=list(categorical), by=by, missing=missing
            )
            env = inp.envelope(d)
            table = pa.table(d["state"])
        counts = cls.counts_of(env)
        return cls(table.cast(_schema(by, len(themes))), options, counts)

    @staticmethod
    def _normalise(table: pa.Table, options: dict[str, Any]) -> pa.Table:
        by, k = options["by"], len(options["themes"])
        keys = ([by] if by else []) + ["variable", "level", "value"]
        values = ["n"] + [f"theme_{j}" for j in range(k)]
        t = table.cast(_schema(by, k))
        out = t.group_by(keys, use_threads=False).aggregate([(c, "sum") for c in values])
        out = out.rename_columns(keys + values)
        return out.select([*keys, *values]).cast(_schema(by, k))

    def finish(
        self,
        *,
        correction: str = "fdr_bh",
        alpha: float = 0.05,
        min_count: int = 5,
        ci: float = 0.95,
        top: int = 8,
        seed: int = 0,
        n_permutations: int = 2000,
    ) -> ThemeAssociations:
        """The :class:`ThemeAssociations` of every row merged (arguments as in
        ``theme_associations``), without profiles."""
        o, c = self._options, self._counts
        themes = testing_args(correction, alpha, list(o["themes"]))
        if int(min_count) < 1:
            raise ParameterError(f"argument 'min_count': must be at least 1, got {min_count}")
        if int(n_permutations) < 1:
            raise ParameterError(f"argument 'n_permutations': must be at least 1, got {n_permutations}")
        d = _core.theme_associations_finish(
            self._table,
            themes,
            list(o["metadata"]),
            numeric=list(o["numeric"]),
            by=o["by"],
            stratum_order=list(o["stratum_order"]),
            level_orders=[list(x) for x in o["level_orders"]],
            correction=correction,
            min_count=int(min_count),
            ci=float(ci),
            seed=int(seed),
            n_permutations=int(n_permutations),
        )
        table = to_pandas(d["table"])
        return ThemeAssociations(
            table=table,
            highlights=_highlights(table, alpha, top, o["by"], None, float(ci)),
            correction=correction,
            alpha=alpha,
            min_count=int(min_count),
            profiles=None,
            all_profiles=None,
            min_support=0.05,
            seed=int(seed),
            n_rows=c["n_rows"],
            n_missing=c["n_missing"],
            n_invalid=c["n_invalid"],
            dropped=pd.concat(c["dropped"]) if c["dropped"] else _empty_dropped,
            n_permutations=int(n_permutations),
        )


def _schema(by: str | None, k: int) -> pa.Schema:
    fields = [(by, pa.string())] if by else []
    fields += [("variable", pa.string()), ("level", pa.string()), ("value", pa.float64()), ("n", pa.int64())]
    fields += [(f"theme_{j}", pa.int64()) for j in range(k)]
    return pa.schema(fields)


__all__ = ["ThemeGridState"]
