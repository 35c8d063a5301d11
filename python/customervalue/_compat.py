"""Keyword renames kept for one release, and the declared list of functions that take a table.

``@renamed(level="ci")`` lets a function whose keyword was renamed keep accepting the old name
for one release: the old keyword is passed on under the new name with a ``FutureWarning`` that
names both, and giving both is a ``TypeError``. ``functools.wraps`` keeps the new signature
visible to ``inspect.signature`` and ``help()``. Where the meaning flips as well as the name
(``alpha`` = 1 - ``ci``), the new name comes with a conversion: ``@renamed(alpha=ALPHA_TO_CI)``.
A result attribute renamed the same way stays readable under its old name for one release:
``n_boot`` field, ``bootstrap = renamed_attribute("n_boot")`` in the class body.

``TABLE_FUNCTIONS`` names the public functions of ``customervalue`` that take a table first;
the ``df.cv`` accessor offers exactly these, and the vocabulary test checks that each one's
first parameter is ``data``.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Rename(NamedTuple):
    """The new name of an old keyword; ``convert`` maps an old value to the new meaning."""

    new: str
    convert: Callable[[Any], Any] | None = None
    note: str = ""


def _one_minus(x: Any) -> Any:
    return x if x is None else round(1 - x, 12)  # 0.95 -> 0.05, not 0.050000000000000044


# ``alpha`` as 1 - the interval level becomes ``ci``, the level itself (alpha=0.05 -> ci=0.95)
ALPHA_TO_CI = Rename("ci", _one_minus, " (ci = 1 - alpha)")


def alpha_of(ci: Any) -> float:
    """1 - ``ci`` for the bodies that compute with the tail probability; a ``ci`` outside
    (0, 1) is a ParameterError naming ``ci``."""
    from .errors import ParameterError

    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ParameterError(f"argument 'ci': must be an interval level in (0, 1), got {ci!r}")
    return round(1 - float(ci), 12)  # 0.95 -> 0.05 exactly, not 0.050000000000000044


def renamed(**old_to_new: str | Rename) -> Callable[[F], F]:
    """Keeps each old keyword working under its new name for one release, with a FutureWarning.

    Examples
    --------
    >>> import warnings
    >>> @renamed(level="ci")
    ... def interval(x, *, ci=0.95):
    ...     return ci
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     interval(1, level=0.9), str(w[0].message)
    (0.9, "argument 'level' is renamed 'ci'; 'level' will be removed in the next release")
    """
    table = {old: Rename(new) if isinstance(new, str) else new for old, new in old_to_new.items()}

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old in table.keys() & kwargs.keys():
                new, convert, note = table[old]
                if new in kwargs:
                    raise TypeError(
                        f"{fn.__name__}() got both '{old}' and '{new}'; '{old}' is the old name "
                        f"of '{new}', pass only '{new}'"
                    )
                warnings.warn(
                    f"argument '{old}' is renamed '{new}'{note}; '{old}' will be removed in the next release",
                    FutureWarning,
                    stacklevel=2,
                )
                value = kwargs.pop(old)
                kwargs[new] = value if convert is None else convert(value)
            return fn(*args, **kwargs)

        renames = dict(getattr(fn, "__renamed__", {}))
        renames.update({old: r.new for old, r in table.items()})
        wrapper.__renamed__ = renames  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


class renamed_attribute:
    """A result attribute renamed for the vocabulary, still readable under its old name for one
    release: reading the old name warns with a FutureWarning naming the new one and returns
    the new attribute's value. The new name is given as to :func:`renamed`: a name, or a
    :class:`Rename` whose conversion maps one meaning onto the other (``ALPHA_TO_CI``: the
    old ``alpha`` reads 1 - ``ci``).

    Examples
    --------
    >>> import warnings
    >>> class R:
    ...     ci = 0.9
    ...     alpha = renamed_attribute(ALPHA_TO_CI)
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     R().alpha, str(w[0].message)
    (0.1, "R.alpha is renamed 'ci' (ci = 1 - alpha); 'alpha' will be removed in the next release")
    """

    def __init__(self, new: str | Rename) -> None:
        self.rename = Rename(new) if isinstance(new, str) else new

    def __set_name__(self, owner: type, name: str) -> None:
        self.old = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        new, convert, note = self.rename
        warnings.warn(
            f"{type(obj).__name__}.{self.old} is renamed '{new}'{note}; "
            f"'{self.old}' will be removed in the next release",
            FutureWarning,
            stacklevel=2,
        )
        value = getattr(obj, new)
        return value if convert is None else convert(value)


# The public functions of ``customervalue`` that take a table (``data``) as their first
# argument: ``df.cv.<name>(...)`` is ``customervalue.<name>(df, ...)`` for exactly these.
TABLE_FUNCTIONS: tuple[str, ...] = (
    "demand_curve",
    "fit_choice",
    "maxdiff",
    "kano",
    "bundle_prices",
    "value_ladder",
    "van_westendorp",
    "gabor_granger",
    "fit_price_response",
    "rfm_summary",
    "economic_value",
    "value_map",
    "segment",
    "rfm_scores",
    "cluster",
    "compare_groupings",
    "tag_themes",
    "discover_themes",
    "theme_associations",
    "theme_cooccurrence",
    "theme_impact",
    "key_drivers",
    "compare_waves",
    "opportunity_scores",
)

# The same for ``customervalue.metrics`` (not offered by ``df.cv``, which covers the top level).
METRICS_TABLE_FUNCTIONS: tuple[str, ...] = (
    "nps",
    "csat",
    "ces",
    "first_contact_resolution",
    "churn_rate",
    "retention",
    "engagement_index",
    "cx_index",
)
