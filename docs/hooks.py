"""mkdocs hooks of the docs site (mkdocs.yml ``hooks:``).

* The notebooks live in ``notebooks/`` at the top of the repository, not under ``docs/``: this
  hook adds ``notebooks/[0-9][0-9]_*.ipynb`` to the site's files (as ``notebooks/NN_name.ipynb``)
  before mkdocs-jupyter looks at them, so they render with their committed outputs while their
  jupytext sources (``NN_name.py``), ``notebooks/solutions/`` and the helper scripts stay out.
* The same hook lists those notebooks in the "Notebooks" section of the nav, in file order, so
  a notebook added to ``notebooks/`` joins the site's menu without an edit here.
* The front page shows a figure of the demand-curve notebook: the figure of the first cell of
  ``09_demand_curve_analysis.ipynb`` that calls ``cv.demand_curve`` and plots, copied at build
  time to ``assets/demand_curve.png``, so the picture is always the one the notebook draws and
  no image is committed twice.
* Every public name is in the API reference: the names exported (``__all__``, read statically
  by griffe) by ``customervalue`` and by the modules in ``CHECKED`` must each be rendered as an
  object heading on some ``api/`` page; a missing one is a warning, which fails
  ``mkdocs build --strict``. (The API pages name their objects one by one because griffe cannot
  tell a function from the submodule of the same name: ``customervalue.demand.van_westendorp``
  is the module to it, so ``::: customervalue.demand`` would leave the function out.)
"""

from __future__ import annotations

import base64
import json
import logging
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.customervalue")

ROOT = Path(__file__).resolve().parent.parent


def _notebooks() -> list[Path]:
    """The notebooks the site renders, in file order (read at every build, so `mkdocs serve`
    picks up a new one)."""
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


# the notebook, the code its figure's cell must contain, and where the figure goes
FRONT_FIGURE = ("09_demand_curve_analysis.ipynb", ("cv.demand_curve(", ".plot()"), "assets/demand_curve.png")


def _figure(notebook: Path, needles: tuple[str, ...]) -> bytes:
    """The PNG output of the first code cell of ``notebook`` whose source holds every needle."""
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") != "code" or not all(n in source for n in needles):
            continue
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                return base64.b64decode("".join(png) if isinstance(png, list) else png)
    raise RuntimeError(
        f"{notebook.name}: no cell with {' and '.join(needles)} has a figure among its outputs "
        "(run `make notebooks`, or change FRONT_FIGURE in docs/hooks.py)"
    )


def on_config(config):
    for section in config["nav"]:
        if isinstance(section, dict) and "Notebooks" in section:
            section["Notebooks"] += [f"notebooks/{path.name}" for path in _notebooks()]
            return config
    raise RuntimeError('mkdocs.yml: the nav has no "Notebooks" section for docs/hooks.py to fill')


@event_priority(100)  # before mkdocs-jupyter's on_files, which turns the notebooks into pages
def on_files(files: Files, config) -> Files:
    for path in _notebooks():
        files.append(
            File(
                f"notebooks/{path.name}",
                src_dir=str(ROOT),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
            )
        )
    source, needles, dest = FRONT_FIGURE
    files.append(File.generated(config, dest, content=_figure(ROOT / "notebooks" / source, needles)))
    return files


# the modules whose exported names the API reference must cover (besides ``customervalue``)
CHECKED = ("customervalue.metrics", "customervalue.stats", "customervalue.datasets", "customervalue.sklearn")
_rendered: set[str] = set()
_OBJECT_ID = re.compile(r'<h\d id="(customervalue(?:\.\w+)+)"')


def on_pre_build(config) -> None:
    _rendered.clear()


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri.startswith("api/"):
        _rendered.update(_OBJECT_ID.findall(html))
    return html


def on_post_build(config) -> None:
    import griffe

    package = griffe.load("customervalue", search_paths=[str(ROOT / "python")])
    documented = {path.rsplit(".", 1)[-1] for path in _rendered} | _rendered
    missing = []
    for module in (package, *(package[name.split(".", 1)[1]] for name in CHECKED)):
        for name in module.exports or ():
            if f"{module.path}.{name}" in CHECKED:
                continue  # a submodule listed in __all__ (customervalue.metrics): its own page
            if f"{module.path}.{name}" not in documented and name not in documented:
                missing.append(f"{module.path}.{name}")
    for name in missing:
        log.warning("the API reference (docs/api/*.md) does not document %s; add it to a page", name)
