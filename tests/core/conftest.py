"""The home page shows the directory: its tests use the directory's organizations. The
date-format pages are event pages: alice (a venture) asks bob (a pharma) to meet. The hostile
sweep calls every page as these people and an organizer, on the access matrix's objects and
the outcome tests' past event."""

import sys

from tests.accounts.conftest import organizer  # noqa: F401
from tests.accounts.test_access_matrix import alice_things  # noqa: F401
from tests.directory.conftest import directory  # noqa: F401
from tests.events.conftest import (  # noqa: F401
    ab_request,
    alice,
    anonymous,
    bob,
    charlie,
    event,
    fast_password_hashing,
)
from tests.outcomes.conftest import past_event  # noqa: F401


def pytest_terminal_summary(terminalreporter):
    """How many cases the hostile sweep ran, and in how long (test_hostile_sweep.py)."""
    sweep = sys.modules.get("tests.core.test_hostile_sweep")
    for vendor, text in getattr(sweep, "REPORT", {}).items():
        terminalreporter.write_line(f"hostile sweep on {vendor}: {text}")
