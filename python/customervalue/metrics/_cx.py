"""Customer-experience metrics: NPS, CSAT, effort, first-contact resolution, churn and retention
by cohort, an engagement index and a 0-100 experience index.

The book names these scores without defining them: NPS once (ch. 5, "Customer Value Analysis:
Why & How", section "How do you quantify customer service?"), "a numeric score out of 100" (same
chapter, "How do you quantify customer experience?") and an engagement score "by averaging those
scores across all measures" (ch. 7, "Marketing Communication: Strategies and Assumptions", section
"What measures or indicators will be used?"). Each function states its formula, its units and its
interval, and checks its input against the scale it assumes. They live in three modules along
their seams: the survey scores (``_survey``), churn and retention by cohort (``_cohorts``), and
the engagement and CX indices (``_indices``); this module gathers them under one name.
"""

from __future__ import annotations

from . import _cohorts, _indices, _survey
from ._cohorts import *  # noqa: F403
from ._indices import *  # noqa: F403
from ._survey import *  # noqa: F403

#: The modules that hold the customer-experience metrics, in the order of ``__all__``.
MODULES = (_survey, _cohorts, _indices)

__all__: list[str] = []
__all__ += _survey.__all__
__all__ += _cohorts.__all__
__all__ += _indices.__all__
