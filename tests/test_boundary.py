"""The Arrow boundary: every supported column type from pandas, polars and pyarrow, with
nulls, and the errors every public function relies on."""

import datetime as dt

import customervalue as cv
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from customervalue import _core
from customervalue._io import as_arrow

KINDS = [
    ("f64", "float"),
    ("f32", "float"),
    ("i64", "float"),
    ("u8", "float"),
    ("flag", "flag"),
    ("s", "category"),
    ("cat", "category"),
    ("d", "days"),
    ("ts", "days"),
]


def arrow_table():
    return pa.table(
        {
            "f64": pa.array([1.5, None, 3.0], pa.float64()),
            "f32": pa.array([1.5, 2.0, None], pa.float32()),
            "i64": pa.array([None, 2, 3], pa.int64()),
            "u8": pa.array([1, 2, 3], pa.uint8()),
            "flag": pa.array([True, None, False]),
            "s": pa.array(["b", "a", None]),
            "cat": pa.array(["x", "y", "x"]).dictionary_encode(),
            "d": pa.array([dt.date(1970, 1, 2), None, dt.date(2000, 1, 1)], pa.date32()),
            "ts": pa.array([86_400_000_000 * 3, 0, None], pa.timestamp("us")),
        }
    )


def as_library(kind):
    t = arrow_table()
    if kind == "pyarrow":
        return t
    if kind == "polars":
        return pl.from_arrow(t)
    return t.to_pandas(types_mapper=None, date_as_object=False)


EXPECTED = {
    "f64": [1.5, None, 3.0],
    "f32": [1.5, 2.0, None],
    "i64": [None, 2.0, 3.0],
    "u8": [1.0, 2.0, 3.0],
    "flag": [True, None, False],
    "s": ["b", "a", None],
    "cat": ["x", "y", "x"],
    "d": [1.0, None, 10957.0],
    "ts": [3.0, 0.0, None],
}


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_round_trip_of_every_supported_type_with_nulls(library):
    data = as_arrow(as_library(library), [c for c, _ in KINDS])
    for name, kind in KINDS:
        out, dropped = _core.read_columns(data, [(name, kind)], missing="drop")
        got = out.column(name).to_pylist()
        want = [v for v in EXPECTED[name] if v is not None]
        if library == "pandas" and name == "flag":
            # pandas stores a boolean column with a null as object; the nulls still arrive as nulls
            pass
        assert got == want, (library, name, got)
        assert dropped == EXPECTED[name].count(None)


def test_categories_keep_dictionary_order_and_strings_sort():
    t = pa.table({"c": pd.Categorical(["lo", "hi", "lo"], categories=["lo", "hi"]), "s": ["b", "c", "a"]})
    out, _ = _core.read_columns(t, [("c", "category"), ("s", "category")], "raise")
    assert out.column("c").type == pa.dictionary(pa.int32(), pa.string())
    assert out.column("c").chunk(0).dictionary.to_pylist() == ["lo", "hi"]
    assert out.column("s").chunk(0).dictionary.to_pylist() == ["a", "b", "c"]


def test_nan_and_inf_count_as_missing():
    t = pa.table({"x": [1.0, np.nan, np.inf, 4.0]})
    with pytest.raises(cv.InputError, match=r"'x': 2 missing"):
        _core.read_columns(t, [("x", "float")], "raise")
    out, dropped = _core.read_columns(t, [("x", "float")], missing="drop")
    assert dropped == 2 and out.column("x").to_pylist() == [1.0, 4.0]


def test_pandas_float_columns_are_handed_over_without_a_copy_and_nan_stays_missing():
    df = pd.DataFrame(
        {
            "x": [1.0, np.nan, 3.0, np.inf],
            "g": pd.Categorical(["a", "b", "a", "b"]),
            "n": pd.array([1, None, 3, 4], dtype="Int64"),
        }
    )
    t = as_arrow(df, ["x", "g", "n"])
    x = t["x"].to_numpy()
    assert t["x"].null_count == 0 and np.isnan(x[1]) and np.shares_memory(x, df["x"].to_numpy())
    assert pa.types.is_dictionary(t["g"].type) and t["n"].null_count == 1
    # the same rows are missing as after pyarrow's own conversion (NaN to null)
    kinds = [("x", "float"), ("g", "category"), ("n", "float")]
    ours, dropped = _core.read_columns(t, kinds, missing="drop")
    theirs, dropped_too = _core.read_columns(
        pa.Table.from_pandas(df, preserve_index=False), kinds, missing="drop"
    )
    assert ours.equals(theirs) and dropped == dropped_too == 2
    with pytest.raises(cv.InputError, match=r"'x': 2 missing"):
        _core.read_columns(t, kinds, "raise")


def test_missing_column_is_an_input_error_naming_it(survey):
    with pytest.raises(cv.InputError, match="'price_paid'") as e:
        cv.demand_curve(survey, wtp="price_paid")
    assert "not found" in str(e.value)
    # the message lists the columns the table does have, whichever library holds it
    assert "wtp" in str(e.value) and "too_cheap" in str(e.value)
    for table in (pa.Table.from_pandas(survey), pl.from_pandas(survey)):
        with pytest.raises(cv.InputError, match="'price_paid'.*its columns are: .*wtp"):
            cv.demand_curve(table, wtp="price_paid")


def test_wrong_dtype_is_an_input_error_naming_the_column(survey):
    with pytest.raises(cv.InputError, match="'segment'.*numeric"):
        cv.demand_curve(survey, wtp="segment")


def test_nan_with_missing_raise_names_the_column_and_the_count():
    df = pd.DataFrame({"wtp": [10.0, np.nan, 12.0, None]})
    with pytest.raises(cv.InputError, match=r"'wtp': 2 missing"):
        cv.demand_curve(df, wtp="wtp")
    with pytest.warns(cv.DataDroppedWarning, match="2 of 4 rows"):
        r = cv.demand_curve(df, wtp="wtp", missing="drop")
    assert (r.n_rows, r.n_missing, r.n_invalid) == (4, 2, 0)
    assert list(r.dropped.index) == [1, 3] and set(r.dropped["reason"]) == {"missing"}


def test_empty_table_is_an_input_error():
    with pytest.raises(cv.InputError, match="'wtp'.*empty"):
        cv.demand_curve(pd.DataFrame({"wtp": pd.Series([], dtype=float)}), wtp="wtp")


def test_exception_hierarchy():
    assert issubclass(cv.InputError, cv.CustomerValueError) and issubclass(cv.InputError, ValueError)
    assert issubclass(cv.ParameterError, ValueError)
    assert issubclass(cv.ConvergenceError, RuntimeError)
    with pytest.raises(cv.ParameterError, match="'missing'"):
        cv.demand_curve(pd.DataFrame({"wtp": [1.0]}), missing="ignore")


def test_unsupported_input_type_is_a_parameter_error():
    with pytest.raises(cv.ParameterError, match="pandas DataFrame"):
        cv.demand_curve([1, 2, 3])


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_public_functions_take_every_library_and_agree(library, survey):
    data = {"pandas": survey, "polars": pl.from_pandas(survey), "pyarrow": pa.Table.from_pandas(survey)}[
        library
    ]
    a = cv.demand_curve(data, wtp="wtp").table
    b = cv.demand_curve(survey, wtp="wtp").table
    pd.testing.assert_frame_equal(a, b)
    assert isinstance(cv.demand_curve(data, wtp="wtp").to_arrow(), pa.Table)


def test_accessor_is_registered_by_load_ext(survey):
    from IPython.testing.globalipapp import get_ipython

    ip = get_ipython()
    ip.run_line_magic("load_ext", "customervalue")
    r = survey.cv.demand_curve(wtp="wtp")
    assert r.revenue_optimal_price == cv.demand_curve(survey, wtp="wtp").revenue_optimal_price
    assert "<table" in r._repr_html_()
