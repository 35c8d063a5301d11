"""The report as a reader sees it: report.html rendered in headless Chromium (scripts/browser-check.sh);
and the documentation site, built with ``mkdocs build --strict``, its front page and a rendered
notebook opened in the same browser (at the end of this file).

The script installs Debian's chromium when it is missing, takes a full-page screenshot (kept in
``$CV_ARTIFACTS``, default ``artifacts/``, with the JSON it measured) and reports every section,
every image and every element that does not fit the 1280 px viewport; a second rendering at
500 px checks that only tables scroll sideways there.
"""

import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from customervalue.report import SECTIONS as REPORT_SECTIONS

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "browser-check.sh"
ARTIFACTS = Path(os.environ.get("CV_ARTIFACTS", ROOT / "artifacts"))
SECTIONS = [anchor for anchor, _, _ in REPORT_SECTIONS]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    exe = shutil.which("customervalue") or str(Path(sys.executable).parent / "customervalue")
    report = tmp_path_factory.mktemp("browser") / "report.html"
    subprocess.run([exe, "report", "--demo", "--no-progress", "-o", str(report)], check=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    r = subprocess.run(["bash", str(SCRIPT), str(report), str(shot)], capture_output=True, text=True)
    if r.returncode == 3:
        pytest.skip(f"Chromium is not installed and could not be installed: {r.stderr.strip()[-300:]}")
    assert r.returncode == 0, r.stderr[-2000:]
    (ARTIFACTS / "report-check.json").write_text(r.stdout)
    return report.read_text(), json.loads(r.stdout), shot


def test_every_section_is_rendered_with_its_finding_and_contents_link(rendered):
    _, check, _ = rendered
    assert [s["id"] for s in check["sections"]] == SECTIONS
    for s in check["sections"]:
        assert s["toc"] and s["title"] and s["height"] > 100, s
        assert len(s["finding"]) > 40 and not s["skipped"], s


def test_every_image_loaded(rendered):
    page, check, _ = rendered
    images = check["images"]
    assert len(images) == page.count("<img ") >= len(SECTIONS)
    bad = [i for i in images if not (i["complete"] and i["naturalWidth"] > 0 and i["naturalHeight"] > 0)]
    assert not bad, bad
    assert {i["section"] for i in images} == set(SECTIONS)


def test_nothing_overflows_the_page_horizontally(rendered):
    _, check, _ = rendered
    assert check["viewport"] == 1280
    assert check["scrollWidth"] <= check["viewport"]
    assert check["n_wider"] == 0, check["wider_than_viewport"]


def test_a_narrow_window_scrolls_only_inside_tables(rendered):
    """At 500 px (the narrowest window headless Chromium lays out) the page itself must not scroll
    sideways: what is too wide (table rows) sits in a box that fits and scrolls on its own."""
    page, _, _ = rendered
    narrow = ARTIFACTS / "report-500px.png"
    with_page = narrow.with_suffix(".html")
    with_page.write_text(page)
    r = subprocess.run(
        ["bash", str(SCRIPT), str(with_page), str(narrow), "500"], capture_output=True, text=True
    )
    with_page.unlink()
    assert r.returncode == 0, r.stderr[-2000:]
    check = json.loads(r.stdout)
    assert check["viewport"] == 500 and check["scrollWidth"] <= 500
    assert check["n_wider"] > 0  # the wide tables are there, and measured
    assert check["n_wider_unscrollable"] == 0, [w for w in check["wider_than_viewport"] if not w["scrolls"]]
    assert [s["id"] for s in check["sections"]] == SECTIONS
    # every image is one plot (not a row of them), and plots that stand side by side on a wide
    # page stack here, each as wide as the text
    assert all(i["naturalWidth"] < 2.5 * i["naturalHeight"] for i in check["images"])
    assert min(i["width"] for i in check["images"]) >= 400, sorted(i["width"] for i in check["images"])


def test_the_screenshot_is_kept_as_an_artifact_and_shows_the_whole_page(rendered):
    _, check, shot = rendered
    head = shot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    assert (width, height) == (1280, check["scrollHeight"]) and height > 3000
    assert shot.stat().st_size > 100_000  # figures, not a blank page
    assert json.loads((ARTIFACTS / "report-check.json").read_text())["scrollHeight"] == height


# ---- the documentation site (issue 17, item 6) ------------------------------------------------
#
# The site is built here with `mkdocs build --strict` into a temporary folder (a few seconds: the
# API reference is read statically and the notebooks are rendered from their committed outputs,
# cached under .cache/mkdocs-jupyter), then its front page and the rendered demand-curve notebook
# are opened in headless Chromium, as a reader opens them, with a probe script that reports every
# image after the page has loaded.

DOCS_NOTEBOOK = "09_demand_curve_analysis"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-extensions",
    "--mute-audio",
    "--window-size=1280,4000",
]
DOCS_PROBE = """<script>
window.addEventListener("load", function () {
  var images = Array.prototype.map.call(document.images, function (img) {
    var r = img.getBoundingClientRect();
    return {src: img.getAttribute("src").slice(0, 40), complete: img.complete,
            naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
            width: Math.round(r.width), height: Math.round(r.height),
            in_notebook: !!img.closest(".jupyter-wrapper")};
  });
  // mkdocs-jupyter wraps each code cell in a second element of the same class: count cells once
  function outermost(sel) {
    return Array.prototype.filter.call(document.querySelectorAll(sel), function (e) {
      return !e.parentElement.closest(sel);
    }).length;
  }
  var out = document.createElement("pre");
  out.id = "cv-docs-check";
  out.style.display = "none";
  out.textContent = JSON.stringify({
    title: document.title, h1: (document.querySelector("h1") || {}).textContent || "",
    images: images, nav: Array.prototype.map.call(document.querySelectorAll("nav a[href]"),
                                                  function (a) { return a.getAttribute("href"); }),
    code_cells: outermost(".jp-CodeCell"), markdown_cells: outermost(".jp-MarkdownCell")
  });
  document.body.appendChild(out);
});
</script>
"""


def _chromium() -> str:
    """Chromium's path; installed by scripts/browser-check.sh (on a one-line page) when missing,
    and the test skipped when it cannot be, as the report's test does."""
    if shutil.which("chromium") is None:
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "blank.html"
            page.write_text("<html><body><section id='x'><h2>x</h2></section></body></html>\n")
            r = subprocess.run(
                ["bash", str(SCRIPT), str(page), str(Path(tmp) / "blank.png")], capture_output=True, text=True
            )
        if r.returncode == 3:
            pytest.skip(f"Chromium is not installed and could not be installed: {r.stderr.strip()[-300:]}")
        assert r.returncode == 0, r.stderr[-2000:]
    return shutil.which("chromium") or "chromium"


def _probe(chromium: str, page: Path) -> dict:
    """Loads ``page`` (a copy beside it, with the probe script, so relative links resolve as
    they do for the page itself) and returns what the probe measured."""
    check = page.with_name("cv-docs-check.html")
    check.write_text(page.read_text(encoding="utf-8").replace("</body>", DOCS_PROBE + "</body>", 1))
    r = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, "--virtual-time-budget=10000", "--dump-dom", check.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    check.unlink()
    assert r.returncode == 0, r.stderr[-2000:]
    m = re.search(r'<pre id="cv-docs-check"[^>]*>(.*?)</pre>', r.stdout, re.S)
    assert m, f"the probe did not report on {page}: {r.stderr[-1000:]}"
    return json.loads(html.unescape(m.group(1)))


@pytest.fixture(scope="module")
def docs_site(tmp_path_factory):
    pytest.importorskip("mkdocs", reason="the docs extra is not installed: pip install '.[docs]'")
    site = tmp_path_factory.mktemp("docs") / "site"
    started = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, f"mkdocs build --strict failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    print(f"docs site built in {time.perf_counter() - started:.1f} s")
    return site


@pytest.fixture(scope="module")
def docs_pages(docs_site):
    chromium = _chromium()
    pages = {
        "index": docs_site / "index.html",
        "notebook": docs_site / "notebooks" / DOCS_NOTEBOOK / "index.html",
    }
    probed = {name: _probe(chromium, page) for name, page in pages.items()}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "docs-check.json").write_text(json.dumps(probed, indent=1))
    shot = ARTIFACTS / f"docs-{DOCS_NOTEBOOK}.png"
    subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--screenshot={shot}", pages["notebook"].as_uri()],
        capture_output=True,
        timeout=120,
    )
    return probed


def test_the_docs_build_strict_and_hold_every_page(docs_site):
    for page in [
        "getting-started",
        "guide/segmentation",
        "guide/themes",
        "guide/economics",
        "guide/demand",
        "scaling-out",
        "conventions",
        "coming-from/lifetimes",
        "coming-from/pricesensitivitymeter",
        "coming-from/scikit-learn",
        "api/demand",
        "api/economics",
        "api/metrics",
        "api/sklearn",
    ]:
        assert (docs_site / page / "index.html").is_file(), page
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    rendered = sorted(p.parent.name for p in (docs_site / "notebooks").glob("[0-9][0-9]_*/index.html"))
    assert rendered == notebooks
    # the jupytext sources and the solutions are not published
    assert not list(docs_site.rglob("*.py")) and not (docs_site / "notebooks" / "solutions").exists()
    # the API reference documents the functions griffe would confuse with their modules
    api = (docs_site / "api" / "demand" / "index.html").read_text(encoding="utf-8")
    assert 'id="customervalue.demand.van_westendorp.van_westendorp"' in api


def test_the_docs_front_page_shows_its_figure(docs_pages):
    index = docs_pages["index"]
    assert "customervalue" in index["title"]
    assert f"notebooks/{DOCS_NOTEBOOK}/" in index["nav"] and "api/" in index["nav"]
    figures = [i for i in index["images"] if i["src"].startswith("assets/")]
    assert figures, index["images"]
    for img in figures:
        assert img["complete"] and img["naturalWidth"] > 0 and img["naturalHeight"] > 0, img
        assert img["width"] > 300 and img["height"] > 100, img


def test_the_rendered_notebook_shows_every_plot_with_its_outputs(docs_pages):
    page = docs_pages["notebook"]
    cells = json.loads((ROOT / "notebooks" / f"{DOCS_NOTEBOOK}.ipynb").read_text(encoding="utf-8"))["cells"]
    figures = sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
    assert figures >= 3
    plots = [i for i in page["images"] if i["in_notebook"]]
    assert len(plots) == figures, page["images"]
    for img in plots:
        assert img["src"].startswith("data:image/png"), img
        assert img["complete"] and img["naturalWidth"] > 0 and img["naturalHeight"] > 0, img
        assert img["width"] > 200 and img["height"] > 100, img
    assert "Demand curve" in page["h1"]
    assert page["code_cells"] == sum(c["cell_type"] == "code" for c in cells)
    assert page["markdown_cells"] == sum(c["cell_type"] == "markdown" for c in cells)
