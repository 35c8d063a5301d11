"""The co-occurrence network from merged states (issue 16): random splits of a table, merged
in random orders and trees, finish to the single call exactly (integer counts), with the row
accounting of the whole table."""

import pickle

import customervalue as cv
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from customervalue.themes import ThemeCooccurrenceState
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

THEMES = ["theme_price", "theme_support", "theme_trust", "theme_quality"]


@pytest.fixture(scope="module")
def customers():
    return cv.datasets.customers(3000, seed=4)


def _merge_in_tree(states, rng):
    states = list(states)
    while len(states) > 1:
        i, j = sorted(rng.choice(len(states), 2, replace=False))
        b, a = states.pop(j), states.pop(i)
        states.append(a.merge(b) if rng.random() < 0.5 else b.merge(a))
    return states[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10_000),
    k=st.integers(1, 9),
    correction=st.sampled_from(["fdr_bh", "bonferroni", "holm"]),
)
def test_random_splits_merged_in_random_order_equal_the_single_call(customers, seed, k, correction):
    rng = np.random.default_rng(seed)
    part = rng.integers(0, k, len(customers))  # some parts may be empty
    states = [ThemeCooccurrenceState.from_arrow(customers[part == i], THEMES) for i in range(k)]
    got = _merge_in_tree(states, rng).finish(correction=correction)
    want = cv.theme_cooccurrence(customers, themes=THEMES, correction=correction)
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)
    assert (got.n_rows, got.n_missing, got.n_invalid) == (want.n_rows, want.n_missing, want.n_invalid)


def test_missing_rows_are_dropped_and_listed_as_the_single_call_does(customers):
    d = customers[THEMES].astype("boolean").copy()
    d.iloc[[5, 700, 2999], 1] = pd.NA
    parts = [ThemeCooccurrenceState.from_arrow(d.iloc[i::3], THEMES, missing="drop") for i in range(3)]
    got = ThemeCooccurrenceState.merge_all(parts).finish()
    want = cv.theme_cooccurrence(d, themes=THEMES, missing="drop")
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)
    assert got.n_missing == want.n_missing == 3
    assert sorted(got.dropped.index) == sorted(want.dropped.index) == [5, 700, 2999]
    with pytest.raises(cv.InputError, match="theme_support"):
        ThemeCooccurrenceState.from_arrow(d, THEMES)


def test_state_rows_round_trip_pickle_and_stay_small(customers):
    s = ThemeCooccurrenceState.from_arrow(customers, THEMES)
    assert s.n_state_rows == len(THEMES) * (len(THEMES) + 1) // 2 + 1  # pairs and the respondents
    rows = s.to_arrow()
    assert rows.schema.names == ["theme_a", "theme_b", "count"]
    shuffled = pa.Table.from_pandas(rows.to_pandas().sample(frac=1, random_state=1), preserve_index=False)
    twice = pa.concat_tables([shuffled.cast(rows.schema), rows])  # two states read back as their merge
    n, both = ThemeCooccurrenceState.from_state(twice, THEMES).counts()
    n1, both1 = s.counts()
    assert n == 2 * n1 == 2 * len(customers) and np.array_equal(both, 2 * both1)
    assert np.array_equal(np.diag(both1), customers[THEMES].sum().to_numpy())
    again = pickle.loads(pickle.dumps(s))
    pd.testing.assert_frame_equal(again.finish().table, s.finish().table)


def test_states_refuse_what_they_cannot_do(customers):
    a = ThemeCooccurrenceState.from_arrow(customers, THEMES)
    b = ThemeCooccurrenceState.from_arrow(customers, THEMES[:3])
    with pytest.raises(cv.ParameterError, match="different options"):
        a.merge(b)
    with pytest.raises(cv.ParameterError, match="at least two theme columns"):
        ThemeCooccurrenceState.from_arrow(customers, THEMES[:1])
    empty = ThemeCooccurrenceState.from_arrow(customers.iloc[:0], THEMES)
    with pytest.raises(cv.InputError, match="empty"):
        empty.finish()
