"""Fixtures of the organizer tools: the partnering event of the events tests (alice, bob,
charlie), the past event of the outcome tests, and a staff client."""

import pytest

from tests.events.conftest import (
    alice,
    alice_asset,
    anonymous,
    bob,
    charlie,
    english_urls,
    event,
    fast_password_hashing,
)
from tests.outcomes.conftest import past_event, staff

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


def csv_bytes(*lines: str) -> bytes:
    """A CSV file as Excel saves it: UTF-8 with a byte-order mark, CRLF line ends."""
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture
def upload(tmp_path):
    def make(name: str, data: bytes):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return make
