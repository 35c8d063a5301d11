"""Mergeable states of the demand analyses (see ``customervalue._state``): Van Westendorp from
answer histograms.

A Van Westendorp analysis depends on the respondents only through, per group and answer price,
the weight answering that price to each of the four questions and the change in the NMS reach
slope there, plus each group's totals (valid respondents, respondents used for NMS and their
weight, respondents read). These add up across any split of the respondents, so the state of
a part is that table and merging is adding rows with the same (group, price). Unweighted, every
sum is a whole number, exact in any order: the merged analysis equals the single call bit for
bit. With weights, sums of weights depend on their order in the last bits (about 1e-15
relative).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import _core
from .._boundary import _empty_dropped, read_input, warn
from .._checks import MISSING, check_args
from .._state import MergeableState
from ..errors import ParameterError
from .van_westendorp import VanWestendorpResult, _scalars, nms_columns

VALUE_COLUMNS = ("too_cheap", "cheap", "expensive", "too_expensive", "nms_slope")


class VanWestendorpState(MergeableState):
    """The mergeable state of :func:`customervalue.van_westendorp` over part of a survey.

    Build one per part with :meth:`from_arrow` (the columns, ``weights``, ``by``, ``validate``
    and ``nms`` of ``van_westendorp``), merge in any grouping and order, and :meth:`finish`
    (``range``, ``interpolate``, ``intersection``, ``cost``) returns the
    :class:`VanWestendorpResult` of the whole survey. Bootstrap intervals need the respondents
    themselves and are not available from a state.

    ``to_arrow()`` rows: the ``by`` column (with ``by``), ``price``, then per question the weight
    answering that price, then ``nms_slope`` (the change in the NMS reach slope at that price);
    the row at price 0 holds the group's totals (valid respondents, respondents used for NMS,
    their weight, respondents read).

    Examples
    --------
    >>> import customervalue as cv
    >>> s = cv.datasets.pricing_survey(3000, seed=1)
    >>> parts = [cv.demand.VanWestendorpState.from_arrow(s.iloc[i::4]) for i in range(4)]
    >>> r = cv.demand.VanWestendorpState.merge_all(parts).finish()
    >>> one = cv.van_westendorp(s)
    >>> r.points.equals(one.points) and r.table.equals(one.table)
    True
    """

    @classmethod
    @check_args(missing=MISSING)
    def from_arrow(
        cls,
        data: Any,
        too_cheap: str | None = "too_cheap",
        cheap: str = "cheap",
        expensive: str = "expensive",
        too_expensive: str = "too_expensive",
        *,
        validate: str = "strict",
        weights: str | None = None,
        by: str | None = None,
        nms: Mapping[str, Any] | None = None,
        missing: str = "raise",
    ) -> VanWestendorpState:
        """The state of the respondents in ``data`` (arguments as in ``van_westendorp``)."""
        intent_cheap, intent_expensive, calibration = nms_columns(nms)
        columns = [too_cheap, cheap, expensive, too_expensive, weights, by, intent_cheap, intent_expensive]
        inp = read_input(data, columns, what="VanWestendorpState.from_arrow")
        levels: tuple[str, ...] = ()
        if (
            by is not None
            and isinstance(data, pd.DataFrame)
            and isinstance(data[by].dtype, pd.CategoricalDtype)
        ):
            levels = tuple(str(c) for c in data[by].cat.categories)  # the single call's group order
        options = {
            "columns": (too_cheap, cheap, expensive, too_expensive),
            "by": by,
            "levels": levels,
            "validate": validate,
            "weighted": weights is not None,
            "nms": nms is not None,
            "calibration": tuple(calibration),
        }
        if pa.table(inp.arrow).num_rows == 0:  # an empty part: merges as nothing
            env = inp.envelope(None)
            table = _empty(by)
        else:
            d = _core.van_westendorp_state(
                inp.arrow,
                too_cheap,
                cheap,
                expensive,
                too_expensive,
                weights=weights,
                by=by,
                validate=validate,
                intent_cheap=intent_cheap,
                intent_expensive=intent_expensive,
                calibration=calibration,
                missing=missing,
            )
            env = inp.envelope(d)
            table = pa.table(d["state"])
        counts = cls.counts_of(env)
        return cls(table, options, counts)

    @staticmethod
    def _normalise(table: pa.Table, options: dict[str, Any]) -> pa.Table:
        keys = ([options["by"]] if options["by"] else []) + ["price"]
        table = table.cast(_schema(options["by"]))
        out = table.group_by(keys, use_threads=False).aggregate([(c, "sum") for c in VALUE_COLUMNS])
        out = out.rename_columns(keys + list(VALUE_COLUMNS))
        return out.sort_by([(k, "ascending") for k in keys])

    @property
    def n_respondents(self) -> int:
        """Respondents read (valid or not), over every group."""
        totals = self._table.filter(pc.equal(self._table.column("price"), 0.0))
        return int(pc.sum(totals.column("too_expensive")).as_py() or 0)

    def finish(
        self,
        *,
        range: str = "original",
        interpolate: bool = False,
        intersection: str = "min",
        cost: float | None = None,
    ) -> VanWestendorpResult:
        """The :class:`VanWestendorpResult` of every respondent merged (arguments as in
        ``van_westendorp``), without bootstrap intervals."""
        o, c = self._options, self._counts
        if cost is not None and not o["nms"]:
            raise ParameterError("argument 'cost': the NMS profit curve needs nms= when the states are built")
        too_cheap, cheap, expensive, too_expensive = o["columns"]
        d = _core.van_westendorp_finish(
            self._table,
            too_cheap,
            cheap,
            expensive,
            too_expensive,
            by=o["by"],
            levels=list(o["levels"]),
            validate=o["validate"],
            range=range,
            interpolate=bool(interpolate),
            intersection=intersection,
            nms=o["nms"],
            cost=None if cost is None else float(cost),
            n_rows=int(c["n_rows"]),
        )
        dropped = c["dropped"]
        notes = tuple(d.get("warnings", ()))
        for w in notes:
            warn(w)
        return VanWestendorpResult(
            table=d["curves"],
            points=d["points"],
            ranges=d["ranges"],
            counts=d["counts"],
            nms=d.get("nms"),
            nms_optima=d.get("nms_optima"),
            _scalars=_scalars(d) if o["by"] is None else {},
            by=o["by"],
            range=range,
            validate=o["validate"],
            ci=None,
            seed=0,
            n_rows=c["n_rows"],
            n_missing=c["n_missing"],
            n_invalid=c["n_invalid"],
            dropped=pd.concat(dropped) if dropped else _empty_dropped,
            warnings=notes,
        )


def _schema(by: str | None) -> pa.Schema:
    fields = [(by, pa.string())] if by else []
    fields += [("price", pa.float64())] + [(c, pa.float64()) for c in VALUE_COLUMNS]
    return pa.schema(fields)


def _empty(by: str | None) -> pa.Table:
    return _schema(by).empty_table()


__all__ = ["VanWestendorpState"]
