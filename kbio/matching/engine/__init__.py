"""The partner-matching engine: plain data in, ranked and explained suggestions out.

No Django here (a test keeps it so). `kbio.matching.index` loads the directory into the
types of `model`, `Engine` ranks and explains; `kbio.matching.reasons` puts the codes it
returns into words. docs/matching.md explains the rules.
"""

from .engine import Engine, Explanation, Line
from .model import (
    Asset,
    Capability,
    Exclusion,
    Feedback,
    Interest,
    Mandate,
    Org,
    Relationship,
    Taxonomy,
    Weights,
)

__all__ = [
    "Asset",
    "Capability",
    "Engine",
    "Exclusion",
    "Explanation",
    "Feedback",
    "Interest",
    "Line",
    "Mandate",
    "Org",
    "Relationship",
    "Taxonomy",
    "Weights",
]
