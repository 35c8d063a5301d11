"""Every notebook runs top to bottom, and each one's jupytext source agrees with it.

The source of a notebook is ``notebooks/NN_name.py`` in jupytext's percent format, paired with
``notebooks/NN_name.ipynb`` (``make notebooks`` syncs and executes the pairs). The pairing test
compares cell types and sources only: outputs, execution counts and metadata may differ.
"""

from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

HERE = Path(__file__).parent.parent / "notebooks"
NOTEBOOKS = sorted(HERE.glob("*.ipynb"))
# the percent-format sources; a module whose name starts with "_" would be a helper, not a notebook
SOURCES = sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


def test_every_notebook_has_a_source_and_every_source_a_notebook():
    assert {p.stem for p in NOTEBOOKS} == {p.stem for p in SOURCES}


def _cells(nb) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source) for cell in nb.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_agrees_with_its_source(path):
    source = path.with_suffix(".py")
    assert source.exists(), f"{path.name} has no {source.name}"
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent", (
        f"{path.name} is not paired with its .py (jupytext formats metadata)"
    )
    text = jupytext.read(source)
    have, want = _cells(nb), _cells(text)
    for i, (a, b) in enumerate(zip(have, want, strict=False)):
        assert a == b, (
            f"{path.name} cell {i} differs from {source.name}: run `make notebooks` "
            f"(or `jupytext --sync {source}`)\n.ipynb: {a!r}\n.py:    {b!r}"
        )
    assert len(have) == len(want), f"{path.name} has {len(have)} cells, {source.name} has {len(want)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
