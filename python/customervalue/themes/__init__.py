"""Theme-to-metadata correlation: tagging and discovering themes in text, the theme x metadata
test grid and theme impact on value. Computation runs in the Rust core."""

from .associations import ThemeAssociations, theme_associations
from .cooccurrence import ThemeCooccurrence, theme_cooccurrence
from .cooccurrence_state import ThemeCooccurrenceState as ThemeCooccurrenceState  # mergeable state
from .discover import DiscoveredThemes, discover_themes
from .drivers import KeyDrivers, key_drivers
from .impact import ThemeImpact, theme_impact
from .state import ThemeGridState as ThemeGridState  # mergeable state: cv.themes.ThemeGridState
from .tagging import TaggedThemes, tag_themes
from .waves import WaveComparison, compare_waves

__all__ = [
    "theme_associations",
    "ThemeAssociations",
    "theme_impact",
    "ThemeImpact",
    "key_drivers",
    "KeyDrivers",
    "tag_themes",
    "TaggedThemes",
    "discover_themes",
    "DiscoveredThemes",
    "theme_cooccurrence",
    "ThemeCooccurrence",
    "compare_waves",
    "WaveComparison",
]
