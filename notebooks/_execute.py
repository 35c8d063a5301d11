"""Execute notebooks in place, for ``make notebooks``: ``python notebooks/_execute.py NB.ipynb ...``.

Each notebook runs in its own folder with matplotlib's inline backend, so its figures are kept as
PNG outputs (the notebooks set a modest DPI). No timing metadata is recorded, so re-running a
notebook whose code and data have not changed rewrites it unchanged. The source of each notebook
is its jupytext percent-format ``.py`` beside it; ``make notebooks`` syncs the pairs first.
"""

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nbformat.write(nb, path)


if __name__ == "__main__":
    # the kernel inherits this; `make` exports MPLBACKEND=Agg, which would keep the figures out
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    for name in sys.argv[1:]:
        print(f"executing {name}", flush=True)
        execute(Path(name))
