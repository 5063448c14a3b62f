"""Meeting requests CSV: round trip, upserts by pair, and the request rules on import."""

import csv
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from kbio.events.models import MeetingRequest, RequestStatus
from kbio.organizer import exports
from kbio.organizer.csvfiles import ImportRefused
from kbio.organizer.services import meeting_requests_import
from tests.events.factories import MeetingFactory, MeetingRequestFactory, tokyo
from tests.organizer.conftest import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = "requester,recipient,status,decline_reason,message"


def make(event, requester, recipient, status="pending", at=None, **fields):
    r = MeetingRequestFactory(
        event=event,
        requester=requester.participation,
        recipient=recipient.participation,
        status=status,
        **fields,
    )
    if at is not None:
        MeetingRequest.objects.filter(pk=r.pk).update(created=at)
    return r


@pytest.fixture
def history(event, alice, bob, charlie, alice_asset):
    """Every status, an asset, Korean and Japanese text, and a pair with two requests."""
    make(
        event,
        alice,
        bob,
        "accepted",
        tokyo(2030, 1, 2, 9, 0),
        asset=alice_asset,
        message="KB-101 연골 재생 치료제를 소개하고 싶습니다.",
    )
    make(
        event,
        bob,
        alice,
        "declined",
        tokyo(2030, 1, 3, 10, 30),
        decline_reason="too_early",
        decline_note="前臨床の段階では早すぎます。",
        message='Interested in your cartilage work, "KB-101", later on.',
    )
    make(event, charlie, bob, "declined", tokyo(2030, 1, 4), decline_reason="other", message="=1+1")
    make(event, charlie, bob, "pending", tokyo(2030, 1, 5), message="Second try: GLP tox.")
    make(event, alice, charlie, "cancelled", tokyo(2030, 1, 6), message="Changed plans")


def rows(text):
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def state():
    return sorted(
        (
            r.requester.organization.slug,
            r.recipient.organization.slug,
            r.status,
            r.decline_reason,
            r.decline_note,
            r.asset.slug if r.asset else "",
            r.message,
            r.created.isoformat(),
        )
        for r in MeetingRequest.objects.select_related(
            "requester__organization", "recipient__organization", "asset"
        )
    )


def test_export_lists_every_request_oldest_first(event, history):
    exported = rows(exports.requests_csv(event))
    assert [(r["requester"], r["recipient"], r["status"]) for r in exported] == [
        ("alice-org", "bob-org", "accepted"),
        ("bob-org", "alice-org", "declined"),
        ("charlie-org", "bob-org", "declined"),
        ("charlie-org", "bob-org", "pending"),
        ("alice-org", "charlie-org", "cancelled"),
    ]
    assert exported[0]["asset"] == "alice-org/kb-101"
    assert exported[0]["sent_at"] == "2030-01-02T09:00:00+09:00"
    assert exported[0]["requester_name"] == "Alice Org"
    assert exported[1]["decline_note"] == "前臨床の段階では早すぎます。"
    assert exported[2]["message"] == "'=1+1"  # kept as text in a spreadsheet


def test_round_trip_gives_back_the_same_requests(event, history):
    before = state()
    exported = exports.requests_csv(event)
    MeetingRequest.objects.all().delete()
    result = meeting_requests_import(event=event, data=exported.encode("utf-8"))
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    assert state() == before
    assert exports.requests_csv(event) == exported
    again = meeting_requests_import(event=event, data=exported.encode("utf-8"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert mail.outbox == []  # imports email nobody


def test_rows_update_the_pairs_requests_in_order(event, history, alice, bob, charlie):
    data = csv_bytes(
        HEADER,
        "charlie-org,bob-org,declined,other,=1+1",  # the pair's first request: unchanged
        "charlie-org,bob-org,accepted,,Second try: GLP tox.",  # its second: now accepted
        "charlie-org,alice-org,pending,,New one",  # a new request
    )
    result = meeting_requests_import(event=event, data=data)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    second = MeetingRequest.objects.get(message="Second try: GLP tox.")
    assert second.status == RequestStatus.ACCEPTED and second.answered_at is not None
    assert MeetingRequest.objects.get(message="New one").recipient == alice.participation


def test_bad_rows_refuse_the_file_with_every_line(event, history, alice, bob, charlie):
    before = state()
    data = csv_bytes(
        HEADER + ",asset",
        "charlie-org,alice-org,pending,,A fresh request,",  # 2: fine on its own
        "alice-org,alice-org,pending,,Myself,",  # 3: self
        "alice-org,nobody,pending,,Who?,",  # 4: not a participant
        "bob-org,charlie-org,declined,,No reason,",  # 5: declined without reason
        "bob-org,charlie-org,pending,too_early,Reason on pending,",  # 6
        "alice-org,bob-org,pending,,Already accepted,",  # 7: accepted cannot go back
        "bob-org,alice-org,accepted,,Declined stays declined,",  # 8
        "charlie-org,bob-org,declined,other,=1+1,",  # 9: fine (unchanged)
        "charlie-org,bob-org,pending,,Second try: GLP tox.,",  # 10: fine (unchanged)
        "charlie-org,bob-org,pending,,A third one while the second is live,",  # 11
        "bob-org,charlie-org,accepted,,,charlie-org/none",  # 12: no message, no such asset
        "alice-org,charlie-org,maybe,,Unknown status,",  # 13
    )
    with pytest.raises(ImportRefused) as refused:
        meeting_requests_import(event=event, data=data)
    found = [str(e) for e in refused.value.errors]
    assert found == [
        "Line 3: An organization cannot request a meeting with itself.",
        "Line 4, column recipient: “nobody” is not a participant of this event; register it first.",
        "Line 5, column decline_reason: A declined request needs a reason: one of "
        "outside_focus, too_early, no_capacity, other.",
        "Line 6, column decline_reason: Only a declined request has a decline reason.",
        "Line 7, column status: The request is already accepted; it cannot become pending.",
        "Line 8, column status: The request is already declined; it cannot become accepted.",
        "Line 11: charlie-org already has a pending or accepted request to bob-org; there can "
        "be only one.",
        "Line 12, column asset: Neither organization has an asset “charlie-org/none”.",
        "Line 13, column status: Write one of: pending, accepted, declined, cancelled.",
    ]
    assert state() == before


def test_two_live_requests_in_one_file_are_refused(event, alice, bob):
    data = csv_bytes(HEADER, "alice-org,bob-org,pending,,One", "alice-org,bob-org,accepted,,Two")
    with pytest.raises(ImportRefused) as refused:
        meeting_requests_import(event=event, data=data)
    assert [e.line for e in refused.value.errors] == [3]
    assert not MeetingRequest.objects.exists()


def test_a_new_request_needs_a_message(event, alice, bob):
    with pytest.raises(ImportRefused) as refused:
        meeting_requests_import(event=event, data=csv_bytes(HEADER, "alice-org,bob-org,pending,,"))
    assert str(refused.value.errors[0]) == "Line 2, column message: This field cannot be blank."


def test_a_scheduled_request_keeps_its_status(event, alice, bob):
    accepted = make(event, alice, bob, "accepted", message="Meet")
    MeetingFactory(
        request=accepted,
        slot=event.sessions.get().slots.first(),
        table=event.tables.get(number=1),
    )
    data = csv_bytes(HEADER, "alice-org,bob-org,cancelled,,Meet")
    with pytest.raises(ImportRefused, match="placed on the schedule"):
        meeting_requests_import(event=event, data=data)
    accepted.refresh_from_db()
    assert accepted.status == RequestStatus.ACCEPTED


def test_asset_by_bare_slug(event, alice, bob, alice_asset):
    data = csv_bytes(HEADER + ",asset", "bob-org,alice-org,pending,,About KB-101,kb-101")
    meeting_requests_import(event=event, data=data)
    assert MeetingRequest.objects.get().asset == alice_asset


def test_upload_page(staff, event, alice, bob):
    url = reverse("organizer:requests_import", args=[event.slug])
    good = io.BytesIO(csv_bytes(HEADER, "alice-org,bob-org,pending,,한국어 메시지"))
    good.name = "requests.csv"
    response = staff.post(url, {"file": good}, follow=True)
    assert "Imported: 1 new, 0 updated, 0 unchanged." in response.content.decode()
    bad = io.BytesIO(csv_bytes(HEADER, "bob-org,bob-org,pending,,Me"))
    bad.name = "requests.csv"
    response = staff.post(url, {"file": bad})
    assert response.status_code == 400
    assert "Line 2: An organization cannot request a meeting with itself." in (
        response.content.decode()
    )
    assert MeetingRequest.objects.count() == 1


def test_export_download(staff, event, history):
    response = staff.get(reverse("organizer:requests_export", args=[event.slug]))
    assert (
        response["Content-Disposition"] == 'attachment; filename="spring-partnering-requests.csv"'
    )
    assert "KB-101 연골" in response.content.decode("utf-8-sig")


def test_command(upload, event, alice, bob, capsys):
    path = upload("requests.csv", csv_bytes(HEADER, "alice-org,bob-org,accepted,,Let us meet"))
    call_command("import_requests", event.slug, str(path))
    assert "1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert MeetingRequest.objects.get().status == RequestStatus.ACCEPTED
    bad = upload("bad.csv", csv_bytes(HEADER, "alice-org,bob-org,pending,,Again"))
    with pytest.raises(CommandError, match="Line 2, column status"):
        call_command("import_requests", event.slug, str(bad))
    with pytest.raises(CommandError, match="No event with the slug"):
        call_command("import_requests", "no-such-event", str(path))
