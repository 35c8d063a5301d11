"""Progress bars for long work, fed from Rust.

The core counts finished items (bootstrap replicates, fits) and the binding layer passes the
increments to the callback given here, a ``tqdm`` bar's ``update``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


def in_notebook() -> bool:
    """True inside a Jupyter kernel."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover
        return False
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


@contextmanager
def progress_bar(
    progress: bool | None, total: int | None, desc: str, cost: float = 0.0
) -> Iterator[Callable[[int], object] | None]:
    """Yields a callback for the core, or None when no bar is shown.

    ``progress=None`` shows a bar in notebooks when the work is large (``cost``, a rough count
    of elementary operations, above about one second's worth); True and False force it.
    """
    show = progress if progress is not None else (in_notebook() and cost > 2e8)
    if not show or total == 0:
        yield None
        return
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=desc, leave=False) as bar:
        yield bar.update
