"""Theme discovery without a lexicon: ``discover_themes`` (TF-IDF, then NMF or spherical k-means)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._checks import COUNT, POSITIVE, SEED, check_args
from .._compat import renamed
from .._io import check_choice, follows_output_option, to_pandas
from .._plot import axes
from .._result import Result
from ..errors import ParameterError
from .tagging import _text_index, _texts


@dataclass(frozen=True, repr=False)
class DiscoveredThemes(Result):
    """Themes found in texts.

    ``table``: one row per theme: theme (0..k-1), size (texts assigned), share, top_terms.
    ``terms``: theme, term, weight, rank (the ``top`` heaviest words of each theme).
    ``labels_``: each text's theme (largest weight; -1 for a text with no vocabulary word);
    ``labels``: the same as a Series on the texts' rows (a Series' index, else positions), so
    ``df["theme"] = r.labels`` aligns. ``weights_``: text x theme weights (W of NMF; one-hot for
    k-means), on the texts' rows. ``components_``: theme x
    word weights (H of NMF; unit centroids for k-means). ``vocabulary_``, ``idf_``: the fitted
    TF-IDF. ``reconstruction_err_``: ||X - W H||_F for NMF (as scikit-learn's); for k-means the
    sum over texts of 1 - cosine similarity to their centroid. ``tfidf_``: the TF-IDF matrix in
    coordinate form (row, column, value).

    Examples
    --------
    >>> import customervalue as cv
    >>> texts = ["price too high", "the price is high", "high price, again",
    ...          "delivery was late", "late delivery", "delivery late again"]
    >>> r = cv.discover_themes(texts, n_themes=2, seed=0)
    >>> r.table["top_terms"].tolist(), r.labels_.tolist()
    (['high, price', 'delivery, late'], [0, 0, 0, 1, 1, 1])
    """

    terms: pd.DataFrame = field(default_factory=pd.DataFrame)
    labels_: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    weights_: pd.DataFrame = field(default_factory=pd.DataFrame)
    components_: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    vocabulary_: tuple[str, ...] = ()
    idf_: np.ndarray = field(default_factory=lambda: np.zeros(0))
    stop_words: tuple[str, ...] = ()
    reconstruction_err_: float = float("nan")
    tfidf_: pd.DataFrame = field(default_factory=pd.DataFrame)
    method: str = "nmf"
    seed: int = 0
    index: pd.Index | None = field(default=None, repr=False, compare=False)

    @property
    def labels(self) -> pd.Series:
        """``labels_`` on the texts' rows (their pandas index; positions for other input)."""
        index = self.index if self.index is not None else pd.RangeIndex(len(self.labels_))
        return pd.Series(self.labels_, index=index, name="theme")

    @follows_output_option
    @renamed(texts="data")
    def assign(self, data: Any) -> pd.DataFrame:
        """Theme weights of new texts under the fitted model, plus ``theme`` (largest weight;
        -1 when no vocabulary word occurs). NMF solves the non-negative least-squares weights
        with the themes fixed; k-means assigns the nearest centroid by cosine similarity. The
        table is on the new texts' rows (a Series' index, else positions)."""
        table = _texts(data)
        w = to_pandas(
            _core.discover_assign(
                table,
                "text",
                list(self.vocabulary_),
                [float(v) for v in self.idf_],
                list(self.stop_words),
                self.components_.tolist(),
                self.method,
            )
        )
        w.index = _text_index(data, len(w))
        return w.assign(theme=_labels(w))

    def summary(self) -> str:
        lines = [f"{len(self.table)} themes by {self.method} (seed {self.seed}), {len(self.labels_)} texts"]
        lines += [f"{r.theme}: {r.top_terms} ({r.share:.0%})" for r in self.table.itertuples()]
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """Share of texts per theme, labelled with its top terms."""
        ax = axes(ax)
        t = self.table
        ax.barh([f"{r.theme}: {r.top_terms[:40]}" for r in t.itertuples()], t["share"], color="C0")
        ax.invert_yaxis()
        ax.set(xlabel="share of texts", title=f"Discovered themes ({self.method})")
        return ax


def _labels(w: pd.DataFrame) -> np.ndarray:
    values = w.to_numpy()
    labels = values.argmax(axis=1) if values.size else np.zeros(len(w), dtype=int)
    return np.where(values.max(axis=1) > 0, labels, -1) if values.size else labels


@renamed(texts="data")
@check_args(
    n_themes=POSITIVE, max_features=POSITIVE, seed=SEED, top=COUNT, max_iter=POSITIVE, n_init=POSITIVE
)
def discover_themes(
    data: Any,
    *,
    n_themes: int,
    method: str = "nmf",
    max_features: int = 5000,
    seed: int = 0,
    stop_words: str | Sequence[str] | None = "english",
    top: int = 8,
    max_iter: int = 400,
    tol: float = 1e-4,
    n_init: int = 4,
) -> DiscoveredThemes:
    """Discovers themes in texts without a lexicon.

    TF-IDF as scikit-learn's ``TfidfVectorizer`` defaults: words (Unicode word boundaries,
    lower-cased, two characters or more, ``stop_words`` left out); the vocabulary is the
    ``max_features`` most frequent words, sorted; tf-idf = count x (ln((1 + n) / (1 + df)) + 1),
    rows scaled to unit length.

    ``"nmf"``: X ~ W H with W, H >= 0, minimising ||X - W H||_F^2 by hierarchical alternating
    least squares on the sparse matrix; ``n_init`` seeded random starts (entries uniform on
    [0, sqrt(mean(X) / k)]), the best kept; stops when the relative decrease over 10 sweeps is
    below ``tol``. ``"kmeans"``: spherical k-means (cosine similarity, unit centroids) from
    greedy k-means++ seeding, the best of ``n_init`` starts.

    Parameters
    ----------
    data : the texts: a pandas Series, list of str (None allowed) or pyarrow string array.
    n_themes : number of themes (at most the number of texts and of vocabulary words).
    stop_words : ``"english"`` (a built-in list), None, or a list of words.
    top : top terms listed per theme.

    Returns
    -------
    DiscoveredThemes
        ``.table`` (theme, size, share, top_terms), ``.terms``, ``.labels_``, ``.weights_``,
        ``.components_``, ``.reconstruction_err_``, ``.assign(new_texts)``.

    References
    ----------
    Lee & Seung (1999), Nature 401, 788-791 (NMF); Cichocki & Phan (2009), IEICE Transactions
    E92-A(3), 708-721 (HALS); Dhillon & Modha (2001), Machine Learning 42, 143-175 (spherical
    k-means); Arthur & Vassilvitskii (2007), SODA (k-means++).

    Examples
    --------
    >>> import customervalue as cv
    >>> df = cv.datasets.customers(1000, seed=0)
    >>> res = cv.discover_themes(df["comment"], n_themes=6, seed=0)
    >>> len(res.table)
    6
    """
    check_choice("method", method, ["nmf", "kmeans"])
    if int(n_themes) < 1:
        raise ParameterError(f"argument 'n_themes': must be at least 1, got {n_themes}")
    if int(max_features) < 1:
        raise ParameterError(f"argument 'max_features': must be at least 1, got {max_features}")
    if stop_words == "english":
        stop: list[str] | None = None
    elif stop_words is None:
        stop = []
    elif isinstance(stop_words, str):
        raise ParameterError(f"argument 'stop_words': 'english', None or a list of words, got {stop_words!r}")
    else:
        stop = [str(w).lower() for w in stop_words]
    table = _texts(data)
    d = _core.discover_themes(
        table,
        "text",
        int(n_themes),
        method=method,
        max_features=int(max_features),
        seed=int(seed),
        stop_words=stop,
        max_iter=int(max_iter),
        tol=float(tol),
        n_init=int(n_init),
    )
    weights = to_pandas(d["weights"])
    weights.index = _text_index(data, len(weights))
    labels = _labels(weights)
    comps = np.asarray(d["components"], dtype=float)
    vocab = tuple(d["vocabulary"])
    rows, terms = [], []
    for t in range(int(n_themes)):
        order = [j for j in np.argsort(-comps[t], kind="stable")[:top] if comps[t, j] > 0]
        words = [vocab[j] for j in order]
        terms += [(t, vocab[j], float(comps[t, j]), r + 1) for r, j in enumerate(order)]
        size = int((labels == t).sum())
        rows.append((t, size, size / max(len(labels), 1), ", ".join(words)))
    return DiscoveredThemes(
        table=pd.DataFrame(rows, columns=["theme", "size", "share", "top_terms"]),
        terms=pd.DataFrame(terms, columns=["theme", "term", "weight", "rank"]),
        labels_=labels,
        weights_=weights,
        components_=comps,
        vocabulary_=vocab,
        idf_=np.asarray(d["idf"], dtype=float),
        stop_words=tuple(d["stop_words"]),
        reconstruction_err_=float(d["error"]),
        tfidf_=to_pandas(d["tfidf"]),
        method=method,
        seed=int(seed),
        index=weights.index,
        n_rows=len(weights),
    )
