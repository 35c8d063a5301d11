"""What a reader sees cites only what a reader can find (issue 19).

The README, the notebooks (their jupytext sources, their .ipynb, any solutions) and the docstrings
and comments of the package cite the book by chapter and section heading and the articles by title
and publisher. This test fails, naming the file and line, on a citation by line number ("L3337",
"L3337-3339", "ch. 5 L4069") and on words that mean nothing outside the project's own working
files: the numbers those files were stored under ("seed 001"), their folder and file names, and
the name of the internal map of passages to methods.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).parent.parent

# "L" and two to five digits as a whole word: L3337, L3337-3339, L5404–5406. Two digits at least so
# that L1 and L2 (penalties, norms) are not citations.
LINE_CITATION = re.compile(r"\bL\d{2,5}\b")
INTERNAL_WORDS = re.compile(
    r"seed\s+00[0-4]\b"  # the numbers the five source texts were stored under
    r"|worthix\s+seed"
    r"|\bseeds/"
    r"|book-methods"
    r"|\b00[0-4]_[0-9a-f]{16}\b"  # the stored file names, 001_fd3f00da7398bc01.txt
    r"|\bNB\d{2}\b",  # the internal notebook plan (NB00-NB15), not the project's notebooks
    re.IGNORECASE,
)


def _files() -> list[Path]:
    notebooks = ROOT / "notebooks"
    files = [ROOT / "README.md", *sorted((ROOT / "python" / "customervalue").rglob("*.py"))]
    files += sorted(notebooks.glob("*.py")) + sorted(notebooks.glob("*.ipynb"))
    files += [p for p in [notebooks / "README.md"] if p.exists()]
    solutions = notebooks / "solutions"
    if solutions.is_dir():
        files += sorted(p for p in solutions.rglob("*") if p.suffix in {".py", ".ipynb", ".md"})
    return files


FILES = _files()


def _lines(path: Path) -> list[tuple[str, str]]:
    """(where, text) for every line a reader sees: for an .ipynb, the sources of its cells."""
    if path.suffix != ".ipynb":
        return [(f"line {i}", line) for i, line in enumerate(path.read_text().splitlines(), 1)]
    nb = nbformat.read(path, as_version=4)
    return [
        (f"cell {c} line {i}", line)
        for c, cell in enumerate(nb.cells)
        for i, line in enumerate(cell.source.splitlines(), 1)
    ]


def offences(path: Path) -> list[str]:
    found = []
    for where, line in _lines(path):
        for pattern in (LINE_CITATION, INTERNAL_WORDS):
            for match in pattern.finditer(line):
                found.append(f"{path.relative_to(ROOT)} {where}: {match.group(0)!r} in {line.strip()!r}")
    return found


def test_the_scan_covers_what_readers_read():
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert "README.md" in names
    assert "python/customervalue/__init__.py" in names
    assert any(n.endswith(".ipynb") for n in names) and any(n.startswith("notebooks/0") for n in names)


def test_the_patterns_catch_citations_and_spare_ordinary_text():
    caught = [
        "the book (L3337-3339)",
        "ch. 5 L4069",
        "[L5404–5406]",
        "Worthix seed",
        "seed 001",
        "see seeds/",
        "book-methods.md",
        "001_fd3f00da7398bc01.txt",
        "NB00-NB15",
    ]
    spared = [
        "seed=0",
        "seed 0 and seed 1",
        "an L1 or L2 penalty",
        "CLV",
        "LTV:CAC",
        "HTML5",
        "dataset seeds",
        "nbformat",
    ]
    for text in caught:
        assert LINE_CITATION.search(text) or INTERNAL_WORDS.search(text), text
    for text in spared:
        assert not (LINE_CITATION.search(text) or INTERNAL_WORDS.search(text)), text


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(ROOT).as_posix() for p in FILES])
def test_no_line_citations_or_internal_words(path):
    found = offences(path)
    assert not found, f"{len(found)} citation(s) a reader cannot follow:\n" + "\n".join(found)
