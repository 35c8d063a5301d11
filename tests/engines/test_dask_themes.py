"""The theme x metadata grid of a dask table: per-partition ``ThemeGridState`` merged in a tree
equals the single call bit for bit, permutation p-values included (issue 16; scale-out.md 4.5).
Profiles need the whole table and are refused. The co-occurrence network from merged
``ThemeCooccurrenceState`` counts equals the single call bit for bit."""

from __future__ import annotations

import warnings
from typing import Any

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

from .support import engine

dd = engine("dask.dataframe", "dask")
dask = engine("dask", "dask")
cvdask = engine("customervalue.dask", "dask")

pytestmark = pytest.mark.usefixtures("client")

PERMUTATIONS = 300


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    df = cv.datasets.customers(2500, seed=4)
    region = df["region"]
    df = df.assign(
        # a categorical whose level order is not sorted (reversed), as metadata and as strata
        region=region.cat.reorder_categories(region.cat.categories[::-1]),
        wave=pd.Categorical(np.where(np.arange(len(df)) % 3 == 0, "w2", "w1"), categories=["w2", "w1"]),
    )
    df.loc[df.index[::41], "tenure_months"] = np.nan
    return df


@pytest.fixture(scope="module")
def themes(people: pd.DataFrame) -> list[str]:
    return [c for c in people.columns if c.startswith("theme_")]


def pieces(frames: list[pd.DataFrame]) -> Any:
    """A dask DataFrame whose partitions are exactly ``frames`` (empty ones included)."""
    return dd.from_delayed([dask.delayed(f) for f in frames], meta=frames[0].iloc[:0], verify_meta=False)


def spread(df: pd.DataFrame, n: int, seed: int, empty: tuple[int, ...] = ()) -> Any:
    """``df`` dealt at random into ``n`` partitions, those in ``empty`` left empty."""
    full = [i for i in range(n) if i not in empty]
    where = np.random.default_rng(seed).choice(full, len(df))
    return pieces([df[where == i] for i in range(n)])


CASES = {
    "plain": {"metadata": ["region", "age", "income"]},
    "by a categorical": {"metadata": ["region", "product", "age"], "by": "wave"},
    "integer levels": {"metadata": ["region", "nps"], "categorical": ["nps"]},
    "pairwise": {"metadata": ["product", "tenure_months", "region"], "missing": "pairwise"},
    "drop": {"metadata": ["tenure_months", "region"], "missing": "drop", "by": "wave"},
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_grid_equals_the_single_call_bit_for_bit(
    people: pd.DataFrame, themes: list[str], case: str
) -> None:
    kw = {**CASES[case], "n_permutations": PERMUTATIONS, "profiles": False}
    want = cv.theme_associations(people, themes, **kw)
    got = cv.theme_associations(spread(people, 7, seed=1, empty=(2, 5)), themes, **kw, split_every=2)
    assert isinstance(got, cv.ThemeAssociations)
    assert got.table.equals(want.table)
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)
    assert got.highlights == want.highlights
    assert (got.n_rows, got.n_missing, got.n_invalid) == (want.n_rows, want.n_missing, want.n_invalid)
    pd.testing.assert_frame_equal(got.dropped.sort_index(), want.dropped.sort_index())
    assert got.warnings == want.warnings
    assert got.profiles is None and got.all_profiles is None


def test_the_level_order_is_the_categories_order(people: pd.DataFrame, themes: list[str]) -> None:
    got = cv.theme_associations(
        dd.from_pandas(people, npartitions=4), themes[:2], ["region"], by="wave", profiles=False
    )
    levels = got.table.dropna(subset=["level"])["level"].drop_duplicates().tolist()
    assert levels == list(people["region"].cat.categories)
    assert got.table["wave"].drop_duplicates().tolist() == ["w2", "w1"]


def test_the_drop_warning_counts_rows_of_the_whole_table(people: pd.DataFrame, themes: list[str]) -> None:
    holes = people.copy()
    holes.loc[holes.index[::9], "age"] = np.nan  # 11%: over the 5% threshold
    kw = {"missing": "drop", "profiles": False, "n_permutations": PERMUTATIONS}
    with pytest.warns(cv.DataDroppedWarning) as single:
        want = cv.theme_associations(holes, themes[:3], ["age", "region"], **kw)
    with pytest.warns(cv.DataDroppedWarning) as spread_:
        got = cv.theme_associations(dd.from_pandas(holes, npartitions=5), themes[:3], ["age", "region"], **kw)
    assert [str(w.message) for w in spread_] == [str(w.message) for w in single]
    assert got.warnings == want.warnings and got.table.equals(want.table)


def test_a_missing_value_raises_the_single_machine_error(people: pd.DataFrame, themes: list[str]) -> None:
    holes = people.copy()
    holes.loc[holes.index[[700, 1900]], "age"] = np.nan
    holes.loc[holes.index[1200], "income"] = np.nan
    args = (themes[:2], ["income", "age"])
    with pytest.raises(cv.InputError) as single:
        cv.theme_associations(holes, *args, profiles=False)
    with pytest.raises(cv.InputError) as spread_:
        cv.theme_associations(dd.from_pandas(holes, npartitions=6), *args, profiles=False)
    assert str(spread_.value) == str(single.value)
    assert "at row 1200" in str(single.value)


def test_profiles_are_refused_with_the_way_out(people: pd.DataFrame, themes: list[str]) -> None:
    ddf = dd.from_pandas(people, npartitions=2)
    for kw in ({}, {"profiles": True}):
        with pytest.raises(cv.ParameterError, match=r"^argument 'profiles': .*profiles=False.*sample"):
            cv.theme_associations(ddf, themes, ["region"], **kw)


def test_unknown_categories_are_refused(people: pd.DataFrame, themes: list[str]) -> None:
    ddf = dd.from_pandas(people, npartitions=2)
    ddf = ddf.assign(region=ddf["region"].cat.as_unknown())
    with pytest.raises(cv.ParameterError, match=r"column 'region'.*categorize"):
        cv.theme_associations(ddf, themes, ["region"], profiles=False)


@pytest.mark.parametrize("missing", ["raise", "drop"])
def test_cooccurrence_equals_the_single_call_bit_for_bit(
    people: pd.DataFrame, themes: list[str], missing: str
) -> None:
    # whole-number counts: the merged respondents, mentions and joint mentions are the single
    # call's, whatever the partitions (empty ones included) and the order of the merges
    data = people[themes].astype(float)
    echo = np.random.default_rng(0).random(len(data)) < 0.1  # a theme that echoes the first
    data["theme_echo"] = np.where(echo, 1.0 - data[themes[0]], data[themes[0]])
    names = [*themes, "theme_echo"]
    if missing == "drop":
        data.iloc[[5, 700, 1999], 1] = np.nan
    want = cv.theme_cooccurrence(data, names, correction="holm", alpha=0.1, missing=missing)
    ddf = spread(data, 7, seed=3, empty=(0, 4))
    got = cvdask.theme_cooccurrence(ddf, names, correction="holm", alpha=0.1, missing=missing, split_every=2)
    assert isinstance(got, cv.ThemeCooccurrence)
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)
    assert got.edges.equals(want.edges) and len(got.edges) > 0
    assert (got.n_rows, got.n_missing, got.alpha, got.correction) == (
        want.n_rows,
        want.n_missing,
        want.alpha,
        want.correction,
    )
    pd.testing.assert_frame_equal(got.dropped.sort_index(), want.dropped)


def test_cooccurrence_through_the_top_level_function(people: pd.DataFrame, themes: list[str]) -> None:
    ddf = dd.from_pandas(people, npartitions=3)
    got = cv.theme_cooccurrence(ddf, themes[:4])
    pd.testing.assert_frame_equal(
        got.table, cv.theme_cooccurrence(people, themes[:4]).table, check_exact=True
    )


def test_cooccurrence_errors_are_the_single_calls(people: pd.DataFrame, themes: list[str]) -> None:
    holes = people[themes].astype(float)
    holes.iloc[[900, 1500], 2] = np.nan
    with pytest.raises(cv.InputError) as single:
        cv.theme_cooccurrence(holes, themes)
    with pytest.raises(cv.InputError) as spread_:
        cvdask.theme_cooccurrence(dd.from_pandas(holes, npartitions=4), themes)
    assert str(spread_.value) == str(single.value) and "at row 900" in str(single.value)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # refused before any work
        with pytest.raises(cv.ParameterError, match="argument 'alpha'"):
            cvdask.theme_cooccurrence(dd.from_pandas(holes, npartitions=2), themes, alpha=1.5)
