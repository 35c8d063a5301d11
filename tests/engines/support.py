"""Shared by the engine tests: importing an engine (skip when it is missing, or fail under
``CV_ENGINES=required``, as CI sets it) and the single-machine comparisons."""

from __future__ import annotations

import importlib
import os
import time
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest

#: ``CV_ENGINES=required`` (CI): a missing engine fails the run instead of skipping its tests.
REQUIRED = os.environ.get("CV_ENGINES", "") == "required"


def engine(module: str, extra: str) -> ModuleType:
    """``module`` imported; when it is missing, the calling test module is skipped (or, under
    ``CV_ENGINES=required``, the run fails)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        message = f"{module} is not installed: pip install 'customervalue[{extra}]' ({exc})"
        if REQUIRED:
            pytest.fail(f"CV_ENGINES=required, but {message}", pytrace=False)
        pytest.skip(message, allow_module_level=True)
        raise  # unreachable: skip raises


def params(model: object) -> np.ndarray:
    return np.array(list(model.params_.values()))  # type: ignore[attr-defined]


def assert_same_rows(got: pd.DataFrame | pd.Series, want: pd.DataFrame | pd.Series) -> None:
    """Equal bit for bit once both are in index order (a distributed result comes back in
    partition order)."""
    if isinstance(want, pd.Series):
        pd.testing.assert_series_equal(got.sort_index(), want.sort_index(), check_exact=True)
    else:
        pd.testing.assert_frame_equal(got.sort_index(), want.sort_index(), check_exact=True)


def leftover_children(before: frozenset[int] = frozenset(), wait: float = 10.0) -> list[Any]:
    """This process's children that are still running ``wait`` seconds after asking (zombies,
    multiprocessing's resource tracker and the children in ``before`` left out)."""
    import psutil

    me = psutil.Process()
    deadline = time.monotonic() + wait
    while True:
        alive = []
        for p in me.children(recursive=True):
            try:
                if p.pid in before or p.status() == psutil.STATUS_ZOMBIE:
                    continue
                if any("resource_tracker" in part for part in p.cmdline()):
                    continue
            except psutil.NoSuchProcess:
                continue
            alive.append(p)
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)
