"""Lexicon tagging of free text: ``tag_themes``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from .. import _core
from .._checks import Options, check_args
from .._compat import renamed
from .._engines import refuse_engine_table
from .._io import lone_surrogate, surrogate_error, to_pandas
from .._plot import axes
from .._result import Result
from ..errors import InputError, ParameterError


@dataclass(frozen=True, repr=False)
class TaggedThemes(Result):
    """Themes found in texts by a lexicon.

    ``table``: one row per text, on the texts' index (a Series' index, so ``df.join(r.flags)``
    aligns; row positions for a list), with one boolean column per theme (mentioned
    without negation), ``<theme>_count`` (matches without negation), ``<theme>_negated``
    (negated matches) and ``phrases`` (the lexicon terms that fired, joined by "; ").
    ``phrases``: one row per lexicon term: theme, phrase, matches, negated, documents.

    Examples
    --------
    >>> import customervalue as cv
    >>> r = cv.tag_themes(["Too expensive", "Late again", "Fair price, quick delivery"],
    ...                   {"price": ["expensive", "price"], "delivery": ["late", "delivery"]})
    >>> r.table["phrases"].tolist()
    ['expensive', 'late', 'price; delivery']
    >>> r.flags.sum().tolist()            # texts mentioning each theme
    [2, 2]
    """

    phrases: pd.DataFrame | None = None
    themes: tuple[str, ...] = ()
    n_empty: int = 0
    stem: bool = True
    negation: bool = True
    language: str = "english"

    @property
    def flags(self) -> pd.DataFrame:
        """Only the boolean theme columns (ready for ``theme_associations``)."""
        return self.table[list(self.themes)]

    def summary(self) -> str:
        n = len(self.table)
        lines = [f"Tagged {n} texts with {len(self.themes)} themes ({self.n_empty} null or empty)"]
        for t in self.themes:
            neg = int(self.table[f"{t}_negated"].sum())
            lines.append(
                f"- {t}: {self.table[t].mean():.1%} of texts" + (f", {neg} negated matches" if neg else "")
            )
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """Share of texts mentioning each theme."""
        ax = axes(ax)
        share = self.table[list(self.themes)].mean().sort_values()
        ax.barh(share.index, share.to_numpy(), color="C0")
        ax.set(xlabel="share of texts", title="Theme prevalence")
        return ax


#: The Snowball stemmers of the core (src/themes/tagging.rs, ``algorithm``), for ``language``.
LANGUAGES = (
    "arabic",
    "danish",
    "dutch",
    "english",
    "finnish",
    "french",
    "german",
    "greek",
    "hungarian",
    "italian",
    "norwegian",
    "portuguese",
    "romanian",
    "russian",
    "spanish",
    "swedish",
    "tamil",
    "turkish",
)


def _text_column(data: Any) -> str:
    """The name messages give the texts: a named Series' name, else the argument's, 'data'."""
    name = getattr(data, "name", None) if isinstance(data, pd.Series) else None
    return str(name) if name is not None else "data"


def _text_index(data: Any, n: int) -> pd.Index:
    """The rows of the texts: a Series' index, else positions 0..n-1."""
    return data.index if isinstance(data, pd.Series) else pd.RangeIndex(n)


def _texts(data: Any) -> pa.Table:
    """The texts (a Series, list, NumPy array, pyarrow or polars string column) as the one-column
    table the core reads, ``text``. A text that UTF-8 cannot hold (a lone surrogate) is an
    InputError naming its row (:func:`customervalue._io.surrogate_error`)."""
    refuse_engine_table(data)
    try:
        return _texts_table(data)
    except UnicodeEncodeError:
        values = data if isinstance(data, pd.Series) else list(data)
        where = lone_surrogate(values)
        if where is None:
            raise
        raise surrogate_error(_text_column(data), *where) from None


def _texts_table(data: Any) -> pa.Table:
    if isinstance(data, str):
        raise ParameterError("argument 'data': give a sequence of texts, not one string")
    if isinstance(data, pd.DataFrame):
        raise ParameterError("argument 'data': give one text column (df['comment']), not a DataFrame")
    if isinstance(data, pd.Series):
        if not (data.dtype == object or pd.api.types.is_string_dtype(data)):
            raise InputError(f"column '{_text_column(data)}': expected text, got {data.dtype}")
        arr = pa.array(
            data.astype(object).where(data.notna(), None), type=pa.large_string(), from_pandas=True
        )
    elif isinstance(data, pa.ChunkedArray | pa.Array):
        arr = data
    else:
        values = list(data)
        bad = next((v for v in values if v is not None and not isinstance(v, str)), None)
        if bad is not None:
            raise InputError(f"column 'data': expected strings or None, found {type(bad).__name__}")
        arr = pa.array(values, type=pa.large_string())
    return pa.table({"text": arr})


@renamed(texts="data")
@check_args(language=Options(*LANGUAGES))
def tag_themes(
    data: Any,
    lexicon: Mapping[str, Sequence[str]],
    *,
    stem: bool = True,
    negation: bool = True,
    language: str = "english",
) -> TaggedThemes:
    """Tags texts with themes from a lexicon of words and phrases.

    Each text is split into words at Unicode word boundaries (UAX #29), lower-cased and, with
    ``stem``, reduced by the Snowball stemmer of ``language`` ("delays" and "delayed" both match
    "delay"); lexicon terms are normalised the same way. All terms, multi-word phrases included,
    are found in one pass of an Aho-Corasick automaton over the normalised words, matching whole
    words only and never across a clause boundary (. , ; : ! ?).

    Negation rule (``negation=True``): a match is negated when one of the 3 words before it in
    the same clause is a negator (not, no, never, none, nothing, nobody, neither, nor, without,
    hardly, barely, cannot, or a word ending in "n't"): "the price is not too high" does not
    mention the price theme. A theme is present when at least one of its terms matches without
    negation; negated matches are counted in ``<theme>_negated``.

    Null and empty texts mention no theme and are counted in ``n_empty``; a collection where
    every text is null or empty is an InputError.

    Parameters
    ----------
    data : the texts: a pandas Series, list of str (None allowed) or pyarrow string array.
    lexicon : {theme: [word or phrase, ...]}.
    stem, negation, language : see above.

    Returns
    -------
    TaggedThemes
        ``.table`` (one boolean column per theme, ``<theme>_count``, ``<theme>_negated``,
        ``phrases``), ``.phrases`` (per-term matches), ``.flags``, ``.n_empty``.

    References
    ----------
    Aho & Corasick (1975), "Efficient string matching", CACM 18(6); Porter (2001), Snowball;
    Chapman et al. (2001), "A simple algorithm for identifying negated findings" (NegEx),
    J. Biomedical Informatics 34(5).

    Examples
    --------
    >>> import customervalue as cv
    >>> res = cv.tag_themes(["Too expensive", "Delivery was not late"],
    ...                     {"price": ["expensive"], "delivery": ["late"]})
    >>> res.table[["price", "delivery"]].values.tolist()
    [[True, False], [False, False]]
    """
    if not isinstance(lexicon, Mapping) or not lexicon:
        raise ParameterError("argument 'lexicon': give a non-empty {theme: [words or phrases]} mapping")
    lex: list[tuple[str, list[str]]] = []
    for theme, terms in lexicon.items():
        if isinstance(terms, str):
            terms = [terms]
        terms = list(terms)
        if not terms or not all(isinstance(t, str) for t in terms):
            raise ParameterError(f"argument 'lexicon': theme '{theme}' needs a list of words or phrases")
        bad = lone_surrogate([str(theme), *terms])
        if bad is not None:
            raise ParameterError(
                f"argument 'lexicon': theme '{theme}' holds text that is not valid Unicode (a lone "
                f"surrogate) in {bad[1]!r}; correct the word or phrase"
            )
        lex.append((str(theme), terms))
    # each theme adds the columns <theme>, <theme>_count and <theme>_negated, then "phrases":
    # a theme named like another's output column would make two columns of one name
    names = [t for t, _ in lex]
    made = {f"{t}{suffix}": t for t in names for suffix in ("_count", "_negated")} | {"phrases": ""}
    for t in names:
        if t in made:
            owner = (
                f"the {t[len(made[t]) + 1 :]} column of theme '{made[t]}'"
                if made[t]
                else "the phrases column"
            )
            raise ParameterError(
                f"argument 'lexicon': theme '{t}' has the name of {owner} in the output; rename the theme"
            )
    table = _texts(data)
    if table.num_rows == 0:
        raise InputError(f"column '{_text_column(data)}': no texts (0 rows)")
    d = _core.tag_themes(table, "text", lex, stem=bool(stem), negation=bool(negation), language=language)
    n_empty = int(d["n_empty"])
    if n_empty == table.num_rows:
        raise InputError(f"column '{_text_column(data)}': all {n_empty} texts are null or empty")
    tagged = to_pandas(d["table"])
    tagged.index = _text_index(data, len(tagged))
    return TaggedThemes(
        table=tagged,
        phrases=to_pandas(d["phrases"]),
        themes=tuple(t for t, _ in lex),
        n_empty=n_empty,
        stem=bool(stem),
        negation=bool(negation),
        language=language,
    )
