"""``ThemeCooccurrenceState``: the mergeable state of ``theme_cooccurrence`` (see
``customervalue._state``).

The network is a function of the respondents, each theme's mentions and each pair's joint
mentions: counts that add across any split of the rows. The single call computes the network
from those same counts, so merged states finish to it exactly. The state is one row per pair of
themes (k (k + 1) / 2 rows for k themes) and one for the respondents, whatever the number of
rows it summarises.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import _core
from .._boundary import _empty_dropped, read_input
from .._io import check_choice, to_pandas
from .._state import MergeableState
from ..errors import InputError, ParameterError
from ._checks import testing_args
from .cooccurrence import ThemeCooccurrence

_SCHEMA = pa.schema([("theme_a", pa.string()), ("theme_b", pa.string()), ("count", pa.int64())])


class ThemeCooccurrenceState(MergeableState):
    """The mergeable state of :func:`customervalue.theme_cooccurrence` over part of a table.

    Build one per part with :meth:`from_arrow` (``themes`` and ``missing`` as in
    ``theme_cooccurrence``), merge in any grouping and order, and :meth:`finish`
    (``correction``, ``alpha``) returns the :class:`ThemeCooccurrence` of the whole table,
    exactly (the counts are integers).

    ``to_arrow()`` rows: ``theme_a``, ``theme_b`` and ``count``, the respondents mentioning both
    themes (a theme with itself: those mentioning it), for each pair in the order of ``themes``;
    the row with both themes null holds the respondents. Cost: O(rows x k^2) to build, O(k^2)
    to merge and finish.

    Examples
    --------
    >>> import customervalue as cv
    >>> df = cv.datasets.customers(3000, seed=0)
    >>> themes = ["theme_price", "theme_support", "theme_trust"]
    >>> parts = [cv.themes.ThemeCooccurrenceState.from_arrow(df.iloc[i::4], themes) for i in range(4)]
    >>> got = cv.themes.ThemeCooccurrenceState.merge_all(parts).finish()
    >>> got.table.equals(cv.theme_cooccurrence(df, themes=themes).table)
    True
    """

    @classmethod
    def from_arrow(
        cls, data: Any, themes: Sequence[str], *, missing: str = "raise"
    ) -> ThemeCooccurrenceState:
        """The state of the rows of ``data`` (a pandas, polars or Arrow table)."""
        check_choice("missing", missing, ["raise", "drop"])
        if isinstance(themes, str):
            raise ParameterError("argument 'themes': give a list of theme column names")
        themes = [str(t) for t in themes]
        if len(themes) < 2:
            raise ParameterError("argument 'themes': give at least two theme columns")
        if len(set(themes)) != len(themes):
            raise ParameterError(f"argument 'themes': a theme is named twice in {themes}")
        inp = read_input(data, themes, what="ThemeCooccurrenceState.from_arrow")
        options = {"themes": tuple(themes), "missing": missing}
        if pa.table(inp.arrow).num_rows == 0:  # an empty part: merges as nothing
            return cls(_SCHEMA.empty_table(), options, cls.counts_of(inp.envelope(None)))
        d = _core.theme_cooccurrence_state(inp.arrow, themes, missing)
        n = pa.table(
            {"theme_a": pa.nulls(1, pa.string()), "theme_b": pa.nulls(1, pa.string()), "count": [int(d["n"])]}
        )
        table = pa.concat_tables([pa.table(d["state"]).cast(_SCHEMA), n.cast(_SCHEMA)])
        return cls(table, options, cls.counts_of(inp.envelope(d)))

    @classmethod
    def from_state(
        cls, table: Any, themes: Sequence[str], *, missing: str = "raise"
    ) -> ThemeCooccurrenceState:
        """The state whose rows ``table`` holds (``to_arrow()`` rows of one or several states,
        concatenated in any order: their merge), for the ``themes`` they were built with. Row
        accounting of dropped rows does not travel in the rows."""
        t = (
            pa.Table.from_pandas(table, preserve_index=False)
            if isinstance(table, pd.DataFrame)
            else pa.table(table)
        )
        if t.column_names != _SCHEMA.names:
            raise InputError(
                f"co-occurrence state rows need the columns {_SCHEMA.names}, got {t.column_names}"
            )
        themes = [str(x) for x in themes]
        names = {
            x for x in t.column("theme_a").to_pylist() + t.column("theme_b").to_pylist() if x is not None
        }
        if unknown := sorted(names - set(themes)):
            raise InputError(f"column 'theme_a': the state rows name themes {unknown} not in themes={themes}")
        options = {"themes": tuple(themes), "missing": missing}
        counts = {"n_rows": 0, "n_missing": 0, "n_invalid": 0, "dropped": []}
        state = cls(cls._normalise(t, options), options, counts)
        n, _ = state.counts()
        state._counts["n_rows"] = n
        return state

    @staticmethod
    def _normalise(table: pa.Table, options: dict[str, Any]) -> pa.Table:
        keys = ["theme_a", "theme_b"]
        out = table.cast(_SCHEMA).group_by(keys, use_threads=False).aggregate([("count", "sum")])
        return out.rename_columns([*keys, "count"]).select([*keys, "count"]).cast(_SCHEMA)

    def counts(self) -> tuple[int, np.ndarray]:
        """The respondents and the k x k matrix of joint mentions (the diagonal: mentions)."""
        themes = list(self._options["themes"])
        pos = {t: i for i, t in enumerate(themes)}
        t = self._table.to_pydict()
        n, both = 0, np.zeros((len(themes), len(themes)), dtype=np.uint64)
        for a, b, c in zip(t["theme_a"], t["theme_b"], t["count"], strict=True):
            if a is None:
                n += int(c)
            else:
                both[pos[a], pos[b]] += c
                if a != b:
                    both[pos[b], pos[a]] += c
        return n, both

    def finish(self, *, correction: str = "fdr_bh", alpha: float = 0.05) -> ThemeCooccurrence:
        """The :class:`ThemeCooccurrence` of every row merged (arguments as in
        ``theme_cooccurrence``)."""
        themes = testing_args(correction, alpha, list(self._options["themes"]))
        n, both = self.counts()
        d = _core.theme_cooccurrence_finish(n, both.ravel().tolist(), themes, correction)
        table = to_pandas(d["table"])
        table["edge"] = (table["q"] < alpha) & (table["lift"] > 1)
        c = self._counts
        return ThemeCooccurrence(
            table=table,
            alpha=alpha,
            correction=correction,
            n_rows=c["n_rows"],
            n_missing=c["n_missing"],
            n_invalid=c["n_invalid"],
            dropped=pd.concat(c["dropped"]) if c["dropped"] else _empty_dropped,
        )


__all__ = ["ThemeCooccurrenceState"]
