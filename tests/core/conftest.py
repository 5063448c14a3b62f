# The home page shows the directory: its tests use the directory's organizations.
from tests.directory.conftest import directory  # noqa: F401

# The date-format pages are event pages: alice (a venture) asks bob (a pharma) to meet.
from tests.events.conftest import (  # noqa: F401, E402
    ab_request,
    alice,
    bob,
    event,
    fast_password_hashing,
)
