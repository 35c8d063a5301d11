"""Settings profiles of the campaign and the count of the cases it ran.

``CV_CAMPAIGN=fast`` (the default; ``make test``): a few derandomized examples per public
function. ``CV_CAMPAIGN=long`` (``make fuzz``): many random examples. ``CV_CAMPAIGN_EXAMPLES``
overrides the number of examples per function, ``CV_CAMPAIGN_TIMEOUT`` the seconds a case may
run (10 fast, 20 long), ``CV_CAMPAIGN_MEMORY_GB`` the address space it may add (3). ``CV_CAMPAIGN_LOG=path``
appends every case that broke the promise (JSON lines); ``CV_CAMPAIGN_COLLECT=1`` records them
without failing, to survey every defect in one run.
"""

from __future__ import annotations

import os
import textwrap

from hypothesis import HealthCheck, Phase, settings

from . import harness

_SUPPRESS = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
    HealthCheck.function_scoped_fixture,
]

settings.register_profile(
    "campaign-fast",
    max_examples=int(os.environ.get("CV_CAMPAIGN_EXAMPLES", "3")),
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=False,
    suppress_health_check=_SUPPRESS,
)
settings.register_profile(
    "campaign-long",
    max_examples=int(os.environ.get("CV_CAMPAIGN_EXAMPLES", "50")),
    derandomize=False,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=_SUPPRESS,
    phases=[Phase.explicit, Phase.generate, Phase.shrink]
    if not os.environ.get("CV_CAMPAIGN_COLLECT")
    else [Phase.explicit, Phase.generate],
)

PROFILE = os.environ.get("CV_CAMPAIGN", "fast")
if PROFILE not in ("fast", "long"):
    raise ValueError(f"CV_CAMPAIGN must be 'fast' or 'long', got {PROFILE!r}")
# a case's time limit: 10 s in the fast profile (its cases are small), 20 s in the long one
harness.TIMEOUT = float(os.environ.get("CV_CAMPAIGN_TIMEOUT", "10" if PROFILE == "fast" else "20"))
#: The settings the campaign's tests use (the rest of the suite keeps hypothesis' defaults).
CAMPAIGN_SETTINGS = settings.get_profile(f"campaign-{PROFILE}")


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    counts = harness.COUNTS
    if not counts:
        return
    tr = terminalreporter
    total = sum(counts.values())
    spent = sum(harness.SECONDS.values())
    tr.section(f"customervalue campaign (profile {PROFILE})")
    broken, known = sum(harness.BROKEN.values()), sum(harness.KNOWN_HITS.values())
    tr.write_line(
        f"campaign: {total} cases over {len(counts)} functions in {spent:.1f} s of child time; "
        f"{broken} broke the promise ({known} of them known defects)"
    )
    entries = []
    for name in sorted(counts):
        extra = (
            f" ({harness.BROKEN[name]} broken, {harness.KNOWN_HITS.get(name, 0)} known)"
            if harness.BROKEN.get(name)
            else ""
        )
        entries.append(f"{name} {counts[name]}{extra}")
    tr.write_line("cases per function:")
    for line in textwrap.wrap("; ".join(entries), width=108):
        tr.write_line("  " + line)
