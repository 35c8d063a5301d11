"""The protocol every mergeable state follows: the map / combine / finish pieces that run an
analysis over a table split into parts (an engine's partitions, files read one at a time, or
yesterday's state and today's rows), with a result equal to the single call on the whole table.

* ``State.from_arrow(data, ...)`` summarises one part (the map step);
* ``a.merge(b)`` and ``State.merge_all(states)`` combine parts, associatively and commutatively;
* ``state.finish(...)`` returns exactly what the single-machine function returns for the union;
* ``state.to_arrow()`` gives the state as rows an engine can shuffle by key, and
  ``State.from_state(table, ...)`` reads such rows back (rows of several states concatenated, in
  any order, read back as their merge), given the options the rows do not carry (column names;
  ``PartialSummary``, ``ThemeCooccurrenceState``, ``DemandCurveState`` and ``GaborGrangerState``
  have it; ``VanWestendorpState`` and ``ThemeGridState`` also need their level orders and
  settings, so they travel as pickled states, which is how the engines move them);
* states pickle (Dask moves them between processes) and report ``nbytes``.

A state's rows are its whole content: ``merge`` is "concatenate the rows and normalise", so the
same code serves an in-memory merge and an engine's shuffle.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import pyarrow as pa

from .errors import ParameterError

S = TypeVar("S", bound="MergeableState")


class MergeableState:
    """Base class of the mergeable states (see the module docstring).

    A state is its rows (``_table``), the options that define it (``_options``: column names
    and settings; only states with equal options merge) and side counts (``_counts``: numbers
    added on merge, such as rows dropped). Subclasses implement ``_normalise`` (concatenated
    rows of several states to the rows of their merge) and ``finish``."""

    def __init__(self, table: pa.Table, options: dict[str, Any], counts: dict[str, Any]) -> None:
        self._table, self._options, self._counts = table, options, counts

    @staticmethod
    def counts_of(env: Any) -> dict[str, Any]:
        """The side counts of a part from its read's envelope: rows read, dropped for missing
        values and by validation, and the dropped rows (a list, concatenated on merge)."""
        return {
            "n_rows": env.n_rows,
            "n_missing": env.n_missing,
            "n_invalid": env.n_invalid,
            "dropped": [env.dropped] if len(env.dropped) else [],
        }

    @staticmethod
    def _normalise(table: pa.Table, options: dict[str, Any]) -> pa.Table:
        raise NotImplementedError

    def _check_compatible(self, other: Any) -> None:
        if type(other) is not type(self):
            raise ParameterError(
                f"cannot merge a {type(self).__name__} with a {type(other).__name__}; "
                "merge states of one kind"
            )
        if other._options != self._options:
            diff = {
                k: (self._options.get(k), other._options.get(k))
                for k in self._options
                if self._options.get(k) != other._options.get(k)
            }
            raise ParameterError(
                f"cannot merge {type(self).__name__} states built with different options: {diff}; build "
                "every part with the same columns and settings"
            )

    @staticmethod
    def _add(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        out = dict(a)
        for k, v in b.items():
            out[k] = out[k] + v if k in out else v
        return out

    def merge(self: S, other: S) -> S:
        """The state of the union of the parts ``self`` and ``other`` summarise (neither is
        changed). Associative and commutative: any order of merges finishes to the same result."""
        return type(self).merge_all([self, other])

    @classmethod
    def merge_all(cls: type[S], states: Iterable[S]) -> S:
        """The merge of every state in ``states``, in one pass over their rows."""
        items = list(states)
        if not items:
            raise ParameterError(f"{cls.__name__}.merge_all needs at least one state, got none")
        first = items[0]
        for s in items[1:]:
            first._check_compatible(s)
        if len(items) == 1:
            return first
        tables = [s._table for s in items if s._table.num_rows] or [first._table]
        table = pa.concat_tables(tables, promote_options="permissive")
        counts = first._counts
        for s in items[1:]:
            counts = cls._add(counts, s._counts)
        return cls(cls._normalise(table, first._options), dict(first._options), counts)

    def to_arrow(self) -> pa.Table:
        """The state as rows an engine can shuffle by key (see the class docstring)."""
        return self._table

    @property
    def nbytes(self) -> int:
        """Bytes the state's rows hold."""
        return int(self._table.nbytes)

    @property
    def n_state_rows(self) -> int:
        """Rows the state holds (its size)."""
        return int(self._table.num_rows)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._table, self._options, self._counts))

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self._table.__arrow_c_stream__(requested_schema)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.n_state_rows:,} state rows, {self.nbytes:,} bytes>"
