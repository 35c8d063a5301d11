"""The k-means result of an engine's table, shared by :class:`customervalue.dask.DaskClusterResult`
and :class:`customervalue.spark.SparkClusterResult` (imports neither engine).

Not in :mod:`customervalue._engines`: a frame of that module is a forwarder to the call stack's
search for the public name (:func:`customervalue._engines.public_name`), and ``predict`` is the
public method an error names.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from ._engines import ENGINE_TABLES
from ._result import Result
from .errors import ParameterError

if TYPE_CHECKING:
    from .segmentation.scaleout import ScaledKMeans


def cluster_fields(
    best: Any, table: pd.DataFrame, details: dict[str, Any], features: list[str], seed: int
) -> dict[str, Any]:
    """The fields of an :class:`EngineClusterResult` that :func:`kmeans_over_parts` gives: the
    fit ``best``, the table, the details, the features and the seed."""
    return {
        "table": table,
        "centers_": best.centers_original_units,
        "inertia_": float(best.inertia),
        "k_": int((best.counts > 0).sum()),
        "n_iter_": int(best.n_iter),
        "features": features,
        "details": details,
        "seed": int(seed),
        "model": best,
    }


@dataclasses.dataclass(frozen=True, repr=False)
class EngineClusterResult(Result):
    """The fields and methods of :class:`customervalue.dask.DaskClusterResult` and
    :class:`customervalue.spark.SparkClusterResult`; ``engine`` names the engine, and the
    subclass says which tables it labels lazily (``_lazy_table``, ``_label_lazily``).

    Examples
    --------
    >>> import customervalue as cv, dask.dataframe as dd
    >>> df = cv.datasets.customers(400, seed=0)
    >>> res = cv.cluster(dd.from_pandas(df, npartitions=2), features=["frequency", "avg_order_value"], k=2)
    >>> isinstance(res, EngineClusterResult), res.engine, res.summary().splitlines()[0][:31]
    (True, 'dask', 'k-means over a dask DataFrame: ')
    """

    labels_: Any = None
    centers_: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    inertia_: float = np.nan
    k_: int = 0
    n_iter_: int = 0
    method: str = "kmeans"
    features: list[str] = dataclasses.field(default_factory=list)
    details: dict[str, Any] = dataclasses.field(default_factory=dict)
    seed: int = 0
    model: ScaledKMeans | None = dataclasses.field(default=None, compare=False)

    engine: ClassVar[str] = ""

    @property
    def labels(self) -> Any:
        """The same lazy labels as ``labels_`` (a dask Series, which ``ddf["cluster"] =
        res.labels`` aligns; a Spark DataFrame)."""
        return self.labels_

    def summary(self) -> str:
        lines = [
            f"k-means over {ENGINE_TABLES[self.engine]}: k = {self.k_} on {len(self.features)} features, "
            f"inertia {self.inertia_:,.4g}, {self.n_iter_} Lloyd steps, {self.details.get('n_passes', 0)} "
            "passes"
        ]
        t = self.table
        for c, size, share in zip(t["cluster"], t["size"], t["share"], strict=True):
            lines.append(f"  cluster {int(c)}: {int(size)} customers ({share:.1%})")
        return "\n".join(lines)

    def predict(self, data: Any) -> Any:
        """Nearest-centre labels of new rows (same features and scaling): a numpy array for a
        pandas, polars or Arrow table; for the engine's own table its lazy labels (a dask Series
        for a dask DataFrame; a Spark DataFrame, the columns and ``cluster``, for a Spark
        DataFrame)."""
        if self.model is None:
            raise ParameterError("argument 'self': this result holds no fitted centres")
        if self._lazy_table(data):
            return self._label_lazily(data)
        return self.model.predict(data)

    def _lazy_table(self, data: Any) -> bool:  # pragma: no cover - each subclass says
        raise NotImplementedError

    def _label_lazily(self, data: Any) -> Any:  # pragma: no cover - each subclass says
        raise NotImplementedError
