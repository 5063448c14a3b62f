"""Two people acting on one request at the same moment end in one consistent state.

Each test holds the first action's transaction open (its UPDATE owns the row lock) until the
second action is seen waiting for that lock in pg_stat_activity, then commits. An
implementation that reads the status first and writes it afterwards would let the second
action overwrite the first; the conditional UPDATE ... WHERE status = 'pending' refuses it.
"""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from kbio.events import services
from kbio.events.models import MeetingRequest, RequestStatus
from tests.events import races
from tests.factories import ContactFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason=(
            "SQLite takes one lock for the whole database file, so two connections cannot "
            "interleave row updates; this race runs in the PostgreSQL pass of the suite."
        ),
    ),
]


def race(pk: int, first, second) -> dict[str, object]:
    """`first` and `second` act on request `pk`, each with the request as its own session
    reads it; `first` commits only once `second` waits for its row lock."""

    def on_request(action):
        return lambda: action(MeetingRequest.objects.select_related("event").get(pk=pk))

    return races.race(on_request(first), on_request(second))


@pytest.fixture
def colleague(bob):
    """A second delegate of bob's organization, answering from another browser."""
    user = UserFactory(username="bob2")
    ContactFactory(organization=bob.organization, user=user, email="bob2@example.org")
    return user


def test_two_simultaneous_accepts_accept_once_and_email_once(
    ab_request, bob, colleague, mailoutbox
):
    results = race(
        ab_request.pk,
        lambda r: services.meeting_request_accept(meeting_request=r, by=bob.user),
        lambda r: services.meeting_request_accept(meeting_request=r, by=colleague),
    )
    assert results["first"] == "ok"
    assert isinstance(results["second"], ValidationError)
    assert "no longer pending" in results["second"].messages[0]
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.ACCEPTED
    assert ab_request.answered_by == bob.user
    assert len(mailoutbox) == 1


def test_an_accept_racing_a_cancel_loses_to_the_cancel(ab_request, alice, bob, mailoutbox):
    results = race(
        ab_request.pk,
        lambda r: services.meeting_request_cancel(meeting_request=r),
        lambda r: services.meeting_request_accept(meeting_request=r, by=bob.user),
    )
    assert results["first"] == "ok"
    assert isinstance(results["second"], ValidationError)
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.CANCELLED
    assert ab_request.answered_by is None
    assert mailoutbox == []  # nobody is told of an acceptance that did not happen


def test_a_cancel_after_a_racing_accept_leaves_the_request_cancelled(ab_request, alice, bob):
    results = race(
        ab_request.pk,
        lambda r: services.meeting_request_accept(meeting_request=r, by=bob.user),
        lambda r: services.meeting_request_cancel(meeting_request=r),
    )
    assert results == {"first": "ok", "second": "ok"}
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.CANCELLED
    assert ab_request.cancelled_at is not None


def test_a_decline_and_an_accept_at_once_keep_the_decline(ab_request, bob, colleague):
    results = race(
        ab_request.pk,
        lambda r: services.meeting_request_decline(
            meeting_request=r, by=bob.user, reason="too_early"
        ),
        lambda r: services.meeting_request_accept(meeting_request=r, by=colleague),
    )
    assert isinstance(results["second"], ValidationError)
    ab_request.refresh_from_db()
    assert (ab_request.status, ab_request.decline_reason) == ("declined", "too_early")
