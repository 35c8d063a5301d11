"""Prints the requirements of pyproject.toml (the dependencies and the named extras), one a line,
so that the Makefile installs from the extras instead of repeating the list.

    python scripts/requirements.py test dev
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
extras = project.get("optional-dependencies", {})
unknown = [e for e in sys.argv[1:] if e not in extras]
if unknown:
    raise SystemExit(f"unknown extra(s) {', '.join(unknown)}; pyproject.toml has {', '.join(extras)}")
wanted = [*project.get("dependencies", []), *(r for e in sys.argv[1:] for r in extras[e])]
print("\n".join(dict.fromkeys(wanted)))
