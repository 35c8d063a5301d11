"""Run a notebook's exercise checks from its solution, so that both run the same code.

A checked exercise in a notebook (``notebooks/NN_name.py``, jupytext percent format) is two code
cells: an answer cell the student fills (``answer = None  # your code here``) and, after it, a
check cell. The check cell is the single copy of the check: the notebook runs it as it stands, and
a solution runs it with its own answers through this module, so the two cannot drift apart.

Writing a check cell (the rules this module relies on):

* its first line is ``# check: <name>``, e.g. ``# check: exercise 2``, unique in the notebook;
* it uses only its answer variables and ``cv`` (customervalue), ``np`` (numpy) and ``pd``
  (pandas); anything else it needs (data, say) it loads or imports itself;
* while an answer is ``None`` it prints a line containing ``not answered yet`` and asserts
  nothing, so the notebook runs top to bottom unanswered;
* otherwise it asserts, with a message saying what a correct answer satisfies, and prints a
  line containing ``correct``.

Using it from ``notebooks/solutions/NN_solutions.py`` (run as a script, so this folder is on
``sys.path``)::

    from _checks import NotebookChecks

    checks = NotebookChecks("05")  # the notebook notebooks/05_*.py
    checks.run("exercise 2", price_lift=price_lift)  # the cell "# check: exercise 2"
    checks.finish()  # fails unless every check cell of the notebook ran and passed

``run`` fails if the cell does not exist, if an assert fails, or if the cell printed
``not answered yet`` (an answer was left ``None``). ``check_cells(notebook)`` returns the check
cells by name. This interface is kept stable: the solutions of every notebook use it.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import customervalue as cv
import numpy as np
import pandas as pd

NOTEBOOKS = Path(__file__).resolve().parent.parent
CHECK = re.compile(r"^# check: (.+?)\s*$")
NOT_ANSWERED = "not answered yet"

__all__ = ["NotebookChecks", "check_cells", "notebook_source"]


def notebook_source(notebook: str) -> Path:
    """The jupytext source of notebook ``"NN"``: the one ``notebooks/NN_*.py``."""
    found = sorted(NOTEBOOKS.glob(f"{notebook}_*.py"))
    if len(found) != 1:
        raise FileNotFoundError(f"expected one notebooks/{notebook}_*.py, found {len(found)}")
    return found[0]


def _code_cells(text: str) -> list[str]:
    """The code cells of a percent-format source, each as its text (header line excluded)."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("# %%"):
            cells.append((line, []))
        elif cells:
            cells[-1][1].append(line)
    return ["\n".join(body).strip("\n") for header, body in cells if "[markdown]" not in header]


def check_cells(notebook: str) -> dict[str, str]:
    """The check cells of notebook ``"NN"``, by name (the text after ``# check:``)."""
    found: dict[str, str] = {}
    for cell in _code_cells(notebook_source(notebook).read_text()):
        match = CHECK.match(cell.splitlines()[0]) if cell else None
        if match:
            name = match.group(1)
            if name in found:
                raise ValueError(f"notebook {notebook}: two check cells named {name!r}")
            found[name] = cell
    return found


class NotebookChecks:
    """The check cells of one notebook, run with a solution's answers."""

    def __init__(self, notebook: str) -> None:
        self.notebook = notebook
        self.cells = check_cells(notebook)
        self.passed: set[str] = set()

    def run(self, name: str, **answers: object) -> str:
        """Runs the check cell ``name`` with ``answers`` as its variables; returns what it printed."""
        if name not in self.cells:
            raise KeyError(f"notebook {self.notebook} has no check cell {name!r}: {sorted(self.cells)}")
        namespace: dict[str, object] = {"cv": cv, "np": np, "pd": pd, **answers}
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(self.cells[name], f"<notebook {self.notebook}, check {name}>", "exec"), namespace)
        printed = out.getvalue()
        print(printed, end="")
        if NOT_ANSWERED in printed:
            raise AssertionError(f"notebook {self.notebook}, {name}: the solution left an answer None")
        self.passed.add(name)
        return printed

    def finish(self) -> None:
        """Fails unless every check cell of the notebook has been run and passed."""
        missing = sorted(set(self.cells) - self.passed)
        if missing:
            raise AssertionError(f"notebook {self.notebook}: checks not run by the solution: {missing}")
        print(f"notebook {self.notebook}: all {len(self.cells)} checks pass")
