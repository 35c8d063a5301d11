"""The examples in the docstrings run: every public module of customervalue, through doctest.

A public module is one with no underscore-led part in its name. Its own docstrings are tested,
and so are the docstrings of the names it exports (``__all__``) that live in a private module
(``cv.metrics.nps`` is written in ``customervalue.metrics._cx``), so the documentation a user
reads is the documentation that is tested. Each docstring is tested once.
"""

import doctest
import importlib
import inspect
import pkgutil

import customervalue
import matplotlib
import pytest

matplotlib.use("Agg")

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _private(name: str) -> bool:
    return any(part.startswith("_") for part in name.split(".")[1:])


def public_modules() -> list[str]:
    names = ["customervalue"]
    for info in pkgutil.walk_packages(customervalue.__path__, "customervalue."):
        if not _private(info.name):
            names.append(info.name)
    return sorted(names)


def _collect() -> dict[str, list[doctest.DocTest]]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    seen: set[tuple[str, int | None, str]] = set()
    out: dict[str, list[doctest.DocTest]] = {}
    for name in public_modules():
        mod = importlib.import_module(name)
        found = list(finder.find(mod))
        for export in getattr(mod, "__all__", []):
            obj = getattr(mod, export)
            home = getattr(obj, "__module__", None) or ""
            if inspect.ismodule(obj) or not home.startswith("customervalue.") or not _private(home):
                continue
            globs = dict(vars(importlib.import_module(home)))
            found += finder.find(obj, f"{name}.{export}", module=False, globs=globs)
        tests = []
        for t in found:
            key = (t.filename or "", t.lineno, t.docstring or "")
            if t.examples and key not in seen:
                seen.add(key)
                tests.append(t)
        if tests:
            out[name] = tests
    return out


DOCTESTS = _collect()


def test_the_public_api_has_examples_to_run():
    assert sum(len(t.examples) for ts in DOCTESTS.values() for t in ts) > 50
    for name in ["customervalue.metrics", "customervalue.opportunity", "customervalue.datasets"]:
        assert name in DOCTESTS, f"{name} has no docstring examples"


@pytest.mark.parametrize("module", sorted(DOCTESTS))
def test_docstring_examples_run(module):
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report: list[str] = []
    for test in DOCTESTS[module]:
        runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0, "".join(report)


def test_every_exported_function_has_an_example():
    """Every function in ``customervalue.__all__`` and ``customervalue.metrics.__all__`` shows a
    ``>>>`` example in its docstring (classes are not required to), so coverage cannot regress."""
    missing = []
    for mod in (customervalue, customervalue.metrics):
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.ismodule(obj) or inspect.isclass(obj) or not callable(obj):
                continue
            if ">>>" not in (inspect.getdoc(obj) or ""):
                missing.append(f"{mod.__name__}.{name}")
    assert not missing, f"exported functions without a docstring example: {', '.join(missing)}"


def test_every_result_class_has_an_example():
    """Every result class a public function returns shows a ``>>>`` example of its attributes."""
    from customervalue._result import Result

    classes = set()
    for info in pkgutil.walk_packages(customervalue.__path__, "customervalue."):
        for obj in vars(importlib.import_module(info.name)).values():
            if inspect.isclass(obj) and issubclass(obj, Result) and obj is not Result:
                classes.add(obj)
    assert len(classes) > 15
    missing = sorted(f"{c.__module__}.{c.__name__}" for c in classes if ">>>" not in (c.__doc__ or ""))
    assert not missing, f"result classes without a docstring example: {', '.join(missing)}"
