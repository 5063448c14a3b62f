"""Access control of every partnering page: anonymous → login, another organization → 404,
own → 200; crafted requests with someone else's ids change nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from kbio.directory.models import Contact
from kbio.events.models import EventStatus, MeetingRequest, RequestMessage, RequestStatus
from tests.events.factories import EventFactory, SessionFactory, TimeSlotFactory
from tests.factories import AssetFactory, UserFactory

pytestmark = pytest.mark.django_db

EVENT = "spring-partnering"

# (url name, needs the request's pk, HTTP method) for every participant view.
PAGES = [
    ("events:list", None, "get"),
    ("events:detail", None, "get"),
    ("events:participants", None, "get"),
    ("events:register", None, "get"),
    ("events:availability", None, "get"),
    ("events:request_create", "bob-org", "get"),
    ("events:inbox", None, "get"),
    ("events:outbox", None, "get"),
    ("events:agenda", None, "get"),
    ("events:agenda_ics", None, "get"),
    ("events:request", "pk", "get"),
    ("events:request", "pk", "post"),
    ("events:decline", "pk", "get"),
    ("events:accept", "pk", "post"),
    ("events:decline", "pk", "post"),
    ("events:cancel", "pk", "post"),
    ("inbox", None, "get"),
    ("outbox", None, "get"),
    ("agenda", None, "get"),
]


def url_of(name, extra, meeting_request, event_slug=EVENT):
    if name == "events:list" or ":" not in name:
        return reverse(name)
    args = [event_slug]
    if extra == "pk":
        args.append(meeting_request.pk)
    elif extra:
        args.append(extra)
    return reverse(name, args=args)


@pytest.mark.parametrize(("name", "extra", "method"), PAGES)
def test_anonymous_is_sent_to_login(anonymous, ab_request, name, extra, method):
    url = url_of(name, extra, ab_request)
    response = getattr(anonymous, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.PENDING


# Pages of one request: the requester (alice) and the recipient (bob) may look; charlie may not.
REQUEST_PAGES = [("events:request", "get"), ("events:decline", "get")]
REQUEST_WRITES = ["events:accept", "events:decline", "events:cancel", "events:request"]


@pytest.mark.parametrize(("name", "method"), REQUEST_PAGES)
def test_another_organization_gets_404_for_a_request_page(
    charlie, ab_request, name, method, mailoutbox
):
    response = getattr(charlie.client, method)(url_of(name, "pk", ab_request))
    assert response.status_code == 404


@pytest.mark.parametrize("name", REQUEST_WRITES)
def test_crafted_posts_from_another_organization_change_nothing(
    charlie, ab_request, name, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = charlie.client.post(
            url_of(name, "pk", ab_request), {"reason": "other", "body": "Hello"}
        )
    assert response.status_code == 404
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.PENDING
    assert ab_request.answered_by is None
    assert not RequestMessage.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("name", ["events:accept", "events:decline"])
def test_the_requester_cannot_answer_its_own_request(
    alice, ab_request, name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.client.post(url_of(name, "pk", ab_request), {"reason": "other"})
    assert response.status_code == 404
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.PENDING


def test_the_recipient_cannot_cancel_the_requesters_request(bob, ab_request):
    response = bob.client.post(url_of("events:cancel", "pk", ab_request))
    assert response.status_code == 404
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.PENDING


def test_a_request_is_not_reachable_through_another_events_url(bob, ab_request):
    EventFactory(slug="other-event")
    for name in ("events:request", "events:accept"):
        method = "post" if name == "events:accept" else "get"
        response = getattr(bob.client, method)(url_of(name, "pk", ab_request, "other-event"))
        assert response.status_code == 404, name
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.PENDING


@pytest.mark.parametrize(("name", "method"), REQUEST_PAGES)
def test_both_sides_may_see_the_request(alice, bob, ab_request, name, method):
    assert alice.client.get(url_of("events:request", "pk", ab_request)).status_code == 200
    assert bob.client.get(url_of(name, "pk", ab_request)).status_code == 200


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("events:list", None),
        ("events:detail", None),
        ("events:participants", None),
        ("events:register", None),
        ("events:availability", None),
        ("events:request_create", "bob-org"),
        ("events:inbox", None),
        ("events:outbox", None),
        ("events:agenda", None),
        ("events:agenda_ics", None),
    ],
)
def test_own_pages_answer_200(alice, bob, ab_request, name, extra):
    assert alice.client.get(url_of(name, extra, ab_request)).status_code == 200


@pytest.mark.parametrize("party", ["alice", "bob"])
def test_both_sides_write_in_the_thread_and_their_viewers_cannot(
    request, ab_request, party, mailoutbox, django_capture_on_commit_callbacks
):
    side = request.getfixturevalue(party)
    url = url_of("events:request", "pk", ab_request)
    Contact.objects.filter(pk=side.contact.pk).update(role=Contact.Role.VIEWER)
    assert side.client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert side.client.post(url, {"body": "From a viewer"}).status_code == 404
    assert not RequestMessage.objects.exists()
    Contact.objects.filter(pk=side.contact.pk).update(role=Contact.Role.EDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        assert side.client.post(url, {"body": "From an editor"}).status_code == 302
    assert RequestMessage.objects.get().organization == side.organization
    assert len(mailoutbox) == 1


def test_another_organizations_inbox_and_outbox_show_none_of_this_request(charlie, ab_request):
    for name in ("events:inbox", "events:outbox", "events:agenda"):
        response = charlie.client.get(url_of(name, None, ab_request))
        assert response.status_code == 200
        assert ab_request.message not in response.content.decode()
        assert "Alice Org" not in response.content.decode()


PARTICIPANT_PAGES = ["events:inbox", "events:outbox", "events:agenda", "events:agenda_ics"]


@pytest.mark.parametrize("name", PARTICIPANT_PAGES)
def test_a_login_without_an_organization_gets_404(event, name):
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse(name, args=[EVENT])).status_code == 404


@pytest.mark.parametrize("name", PARTICIPANT_PAGES)
def test_an_unregistered_organization_gets_404(alice, name):
    alice.participation.delete()
    assert alice.client.get(reverse(name, args=[EVENT])).status_code == 404


def test_a_draft_event_is_404_for_participants(alice, ab_request):
    ab_request.event.status = EventStatus.DRAFT
    ab_request.event.save()
    for name, extra in [("events:detail", None), ("events:inbox", None), ("events:request", "pk")]:
        assert alice.client.get(url_of(name, extra, ab_request)).status_code == 404


def test_registering_someone_elses_contact_changes_nothing(alice, bob):
    response = alice.client.post(
        reverse("events:register", args=[EVENT]), {"delegates": [bob.contact.pk]}
    )
    assert response.status_code == 200
    assert "not one of the available choices" in response.content.decode()
    assert list(alice.participation.delegates.all()) == [alice.contact]
    assert list(bob.participation.delegates.all()) == [bob.contact]


def test_blocking_another_events_slot_changes_nothing(alice):
    foreign = TimeSlotFactory(session=SessionFactory(event=EventFactory(slug="elsewhere")))
    response = alice.client.post(
        reverse("events:availability", args=[EVENT]), {"blocked_slots": [foreign.pk]}
    )
    assert response.status_code == 200
    assert not alice.participation.blocked_slots.exists()


def test_requesting_about_a_third_organizations_asset_changes_nothing(alice, bob, charlie):
    foreign = AssetFactory(organization=charlie.organization)
    response = alice.client.post(
        reverse("events:request_create", args=[EVENT, "bob-org"]),
        {"message": "About their asset", "asset": foreign.pk},
    )
    assert response.status_code == 200
    assert not MeetingRequest.objects.exists()


def test_requesting_an_organization_not_at_the_event_is_404(alice):
    AssetFactory(organization__slug="absent-org")
    response = alice.client.post(
        reverse("events:request_create", args=[EVENT, "absent-org"]), {"message": "Hello"}
    )
    assert response.status_code == 404
    assert not MeetingRequest.objects.exists()


# One's own organization's shortlist and "not interested" marks (kbio/matching).
MATCHING_PAGES = [
    ("matching:shortlist", "get"),
    ("matching:shortlist_add", "post"),
    ("matching:shortlist_remove", "post"),
    ("matching:not_interested", "post"),
    ("matching:interested_again", "post"),
]


@pytest.mark.parametrize(("name", "method"), MATCHING_PAGES)
def test_matching_pages_of_ones_own_organization(anonymous, alice, bob, charlie, name, method):
    from kbio.matching.models import ShortlistEntry, SuggestionFeedback

    url = reverse(name, args=["alice-org"])
    data = {"partner": "bob-org", "reason": "not_now"}
    response = getattr(anonymous, method)(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert getattr(charlie.client, method)(url, data).status_code == 404
    assert not ShortlistEntry.objects.exists() and not SuggestionFeedback.objects.exists()
    assert getattr(alice.client, method)(url, data).status_code == (200 if method == "get" else 302)
