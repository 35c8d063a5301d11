"""The one helper every notebook generator uses: cells in, an .ipynb beside this file out.

A cell string starting with ``md:`` is markdown; anything else is code, written to the notebook
as ``ruff format`` lays it out (with ``ruff check --fix`` for import order), so the generators
can keep a cell compact and the notebooks still pass ``make lint``. Each chapter's notebook has
its own generator (``_make_*.py``) that imports this.
"""

import subprocess
import sys
from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).parent


def notebook(name, cells):
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbf.v4.new_markdown_cell(c[3:]) if c.startswith("md:") else nbf.v4.new_code_cell(c) for c in cells
    ]
    for i, cell in enumerate(nb.cells):  # stable ids, so regenerating changes only what changed
        cell["id"] = f"{Path(name).stem[:2]}-{i:03d}"
    nbf.write(nb, HERE / name)
    # the code cells as ruff formats them, imports sorted: `make lint` checks the notebooks too
    # (what ruff cannot fix is left for `make lint` to report)
    path = str(HERE / name)
    ruff = [sys.executable, "-m", "ruff"]
    subprocess.run([*ruff, "format", "--quiet", path], check=True)
    subprocess.run([*ruff, "check", "--fix", "--quiet", path], check=False, capture_output=True)
    subprocess.run([*ruff, "format", "--quiet", path], check=True)
