"""The stub of the compiled module is generated from it (scripts/make_stub.py), never by hand."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

from customervalue import _core

ROOT = Path(__file__).resolve().parent.parent


def test_the_stub_matches_the_compiled_module():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_stub.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_binding_functions_take_every_argument_explicitly():
    # defaults live in the public Python signatures only (issue 14, item 3)
    for name in dir(_core):
        fn = getattr(_core, name)
        if callable(fn) and not name.startswith("_"):
            defaults = [p for p in inspect.signature(fn).parameters.values() if p.default is not p.empty]
            assert not defaults, f"_core.{name} has defaults: {defaults}"
