"""The report as a reader sees it: report.html rendered in headless Chromium (scripts/browser-check.sh).

The script installs Debian's chromium when it is missing, takes a full-page screenshot (kept in
``$CV_ARTIFACTS``, default ``artifacts/``, with the JSON it measured) and reports every section,
every image and every element that does not fit the 1280 px viewport; a second rendering at
500 px checks that only tables scroll sideways there.
"""

import json
import os
import shutil
import struct
import subprocess
import sys
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
