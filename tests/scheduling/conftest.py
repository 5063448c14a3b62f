"""Fixtures of the schedule page tests: those of the organizer tools (the partnering event of
the events tests, a staff client)."""

from tests.organizer.conftest import (
    alice,
    alice_asset,
    anonymous,
    bob,
    charlie,
    english_urls,
    event,
    fast_password_hashing,
    past_event,
    staff,
)

__all__ = [
    "alice",
    "alice_asset",
    "anonymous",
    "bob",
    "charlie",
    "english_urls",
    "event",
    "fast_password_hashing",
    "past_event",
    "staff",
]
