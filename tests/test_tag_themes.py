"""tag_themes: recovers the planted theme columns from the sample comments, agrees with a plain
regular-expression count, and handles negation, nulls and bad lexicons by stated rules."""

from __future__ import annotations

import re

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

LEXICON = {
    "price": [
        "too high",
        "too expensive",
        "overpriced",
        "pay more than",
        "cheaper alternatives",
        "hard to justify",
    ],
    "delivery": ["late", "shipping", "delivery took", "courier", "delivery window"],
    "quality": ["quality", "well made", "durable"],
    "support": ["support", "on hold"],
    "ease_of_use": ["easy", "intuitive", "user friendly", "out of the box"],
    "trust": ["trust", "reliable", "been honest", "transparent", "trustworthy"],
}


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return cv.datasets.customers(4000, seed=5)


def test_lexicon_recovers_the_planted_theme_columns(df: pd.DataFrame) -> None:
    res = cv.tag_themes(df["comment"], LEXICON)
    for theme in LEXICON:
        np.testing.assert_array_equal(
            res.table[theme].to_numpy(), df[f"theme_{theme}"].to_numpy(), err_msg=theme
        )


def test_planted_negations_are_counted_not_tagged(df: pd.DataFrame) -> None:
    res = cv.tag_themes(df["comment"], LEXICON)
    negated_price = df["comment"].str.contains("The price is not too high.", regex=False)
    assert negated_price.sum() > 0
    np.testing.assert_array_equal(res.table["price_negated"].to_numpy() > 0, negated_price.to_numpy())
    off = cv.tag_themes(df["comment"], LEXICON, negation=False)
    assert (off.table["price"] == (df["theme_price"] | negated_price)).all()


def test_counts_match_a_regular_expression_count_without_stemming(df: pd.DataFrame) -> None:
    texts = df["comment"].head(1500)
    res = cv.tag_themes(texts, LEXICON, stem=False, negation=False)
    for theme, terms in LEXICON.items():
        expected = [
            sum(len(re.findall(r"\b" + re.escape(t) + r"\b", s.lower())) for t in terms) for s in texts
        ]
        np.testing.assert_array_equal(res.table[f"{theme}_count"].to_numpy(), expected, err_msg=theme)
    per_term = res.phrases.set_index("phrase")["matches"]
    assert per_term["late"] == sum(len(re.findall(r"\blate\b", s.lower())) for s in texts)


def test_stemming_matches_inflections_and_phrases_fire() -> None:
    res = cv.tag_themes(
        ["Deliveries were delayed", "Delivery delays again!", "on time"], {"delay": ["delay"]}
    )
    assert res.table["delay"].tolist() == [True, True, False]
    assert res.table["phrases"].tolist() == ["delay", "delay", ""]
    exact = cv.tag_themes(["Deliveries were delayed"], {"delay": ["delay"]}, stem=False)
    assert not exact.table["delay"].iloc[0]


def test_unicode_words_and_other_languages() -> None:
    res = cv.tag_themes(
        ["Le prix est TROP ÉLEVÉ.", "Prix correct"], {"prix": ["trop élevé"]}, language="french"
    )
    assert res.table["prix"].tolist() == [True, False]
    neg = cv.tag_themes(["It isn't expensive", "It is expensive"], {"price": ["expensive"]})
    assert neg.table["price"].tolist() == [False, True]
    assert neg.table["price_negated"].tolist() == [1, 0]


def test_null_and_empty_texts_mention_nothing_and_are_counted() -> None:
    res = cv.tag_themes(pd.Series(["too expensive", None, "", "   ", np.nan]), {"price": ["expensive"]})
    assert res.table["price"].tolist() == [True, False, False, False, False]
    assert res.n_empty == 4
    with pytest.raises(cv.InputError, match="null or empty"):
        cv.tag_themes([None, ""], {"price": ["expensive"]})


def test_bad_lexicons_and_texts_are_rejected() -> None:
    with pytest.raises(cv.ParameterError, match="lexicon"):
        cv.tag_themes(["a"], {})
    with pytest.raises(cv.ParameterError, match="'price'"):
        cv.tag_themes(["a"], {"price": []})
    with pytest.raises(cv.ParameterError, match="no words"):
        cv.tag_themes(["a"], {"price": ["..."]})
    with pytest.raises(cv.ParameterError, match="language"):
        cv.tag_themes(["a"], {"price": ["x"]}, language="klingon")
    with pytest.raises(cv.InputError, match="'score'"):
        cv.tag_themes(pd.Series([1, 2], name="score"), {"price": ["x"]})
    with pytest.raises(cv.ParameterError, match="texts"):
        cv.tag_themes("too expensive", {"price": ["x"]})
    with pytest.raises(cv.InputError, match="no texts"):
        cv.tag_themes([], {"price": ["x"]})


def test_tagged_flags_feed_the_association_grid(df: pd.DataFrame) -> None:
    tagged = cv.tag_themes(df["comment"], LEXICON)
    data = pd.concat([tagged.flags, df[["region"]]], axis=1)
    grid = cv.theme_associations(data, themes=list(LEXICON), metadata=["region"])
    assert grid.table["q"].notna().any()
    assert "price" in tagged.summary()


def test_a_theme_named_like_another_themes_output_column_is_refused() -> None:
    # issue 18 ("tag_themes output columns that collide with a theme named price_count"): the
    # table had two 'price_count' columns and summary() failed
    lexicon = {"price": ["expensive"], "price_count": ["late"]}
    with pytest.raises(
        cv.ParameterError, match="theme 'price_count' has the name of the count column of theme 'price'"
    ):
        cv.tag_themes(pd.Series(["too expensive", "late again"]), lexicon)
    with pytest.raises(cv.ParameterError, match="phrases column"):
        cv.tag_themes(pd.Series(["too expensive"]), {"phrases": ["expensive"]})
