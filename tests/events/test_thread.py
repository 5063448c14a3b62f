"""A request's thread: both sides write before and after the answer, the other side is told by
email in its own language, viewers only read, outsiders see nothing, bad input is a form error."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kbio.directory.models import Contact
from kbio.events import services
from kbio.events.models import MESSAGE_MAX_LENGTH, RequestMessage, RequestStatus
from tests.events.factories import AttendeeFactory
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

EVENT = "spring-partnering"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def detail(meeting_request) -> str:
    return reverse("events:request", args=[EVENT, meeting_request.pk])


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST a message as `party` and run the emails it queues."""

    def send(party, meeting_request, body):
        with django_capture_on_commit_callbacks(execute=True):
            return party.client.post(detail(meeting_request), {"body": body})

    return send


def viewer_of(party) -> Client:
    user = UserFactory(username=f"{party.user.username}-viewer")
    ContactFactory(organization=party.organization, user=user, role=Contact.Role.VIEWER)
    client = Client()
    client.force_login(user)
    return client


def test_the_recipient_writes_before_answering_and_the_requester_is_told_in_korean(
    alice, bob, ab_request, post, mailoutbox
):
    response = post(bob, ab_request, "Could you bring the large-animal data?")
    message = RequestMessage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{detail(ab_request)}#message-{message.pk}"
    assert (message.author, message.organization) == (bob.user, bob.organization)
    assert message.body == "Could you bring the large-animal data?"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["alice@example.org"]  # alice's organization works in Korean first
    assert "Bob Org" in mail.subject and "Spring Partnering Day" in mail.subject
    assert "Could you bring the large-animal data?" in mail.body
    link = f"http://testserver/ko/events/{EVENT}/requests/{ab_request.pk}/#message-{message.pk}"
    assert link in mail.body
    assert f'href="{link}"' in mail.alternatives[0][0]
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.PENDING  # writing is not answering


def test_the_requester_writes_after_the_answer_and_the_recipient_is_told_in_japanese(
    alice, bob, ab_request, post, mailoutbox
):
    ab_request.status = RequestStatus.ACCEPTED
    ab_request.save()
    response = post(alice, ab_request, "Thank you. We will bring the data.")
    assert response.status_code == 302
    assert RequestMessage.objects.get().organization == alice.organization
    assert [mail.to for mail in mailoutbox] == [["bob@example.org"]]
    assert "Alice Org" in mailoutbox[0].subject
    assert f"/ja/events/{EVENT}/requests/{ab_request.pk}/" in mailoutbox[0].body


def test_each_reader_of_the_other_side_gets_their_own_language(
    alice, bob, ab_request, post, mailoutbox
):
    english = ContactFactory(
        organization=alice.organization, email="en@alpha.example", language="en"
    )
    AttendeeFactory(participation=alice.participation, contact=english)
    post(bob, ab_request, "Looking forward to it.")
    by_address = {tuple(mail.to): mail for mail in mailoutbox}
    assert set(by_address) == {("alice@example.org",), ("en@alpha.example",)}
    english_mail = by_address[("en@alpha.example",)]
    assert english_mail.subject == (
        "New message from Bob Org about your meeting at Spring Partnering Day"
    )
    assert "Bob (Bob Org) wrote about your meeting request at Spring Partnering Day:" in (
        english_mail.body
    )
    assert f"/events/{EVENT}/requests/{ab_request.pk}/#message-" in english_mail.body
    assert "/ko/" not in english_mail.body


def test_the_subject_is_not_html_escaped(alice, bob, ab_request, post, mailoutbox):
    bob.organization.name = "Bob & Söhne <Pharma>"
    bob.organization.save()
    english = ContactFactory(
        organization=alice.organization, email="en@alpha.example", language="en"
    )
    AttendeeFactory(participation=alice.participation, contact=english)
    post(bob, ab_request, "R&D <questions> first")
    mail = next(m for m in mailoutbox if m.to == ["en@alpha.example"])
    assert mail.subject.startswith("New message from Bob & Söhne <Pharma> about")
    assert "R&D <questions> first" in mail.body
    assert "R&amp;D &lt;questions&gt; first" in mail.alternatives[0][0]


def test_the_email_never_carries_the_assets_confidential_details(
    alice, bob, ab_request, alice_asset, post, mailoutbox
):
    ab_request.asset = alice_asset
    ab_request.status = RequestStatus.ACCEPTED  # bob may read the details on the page now
    ab_request.save()
    assert alice_asset.confidential_details in bob.client.get(detail(ab_request)).content.decode()
    post(alice, ab_request, "See the data room for KB-101.")
    post(bob, ab_request, "Thank you.")
    assert len(mailoutbox) == 2
    for mail in mailoutbox:
        for part in (mail.subject, mail.body, mail.alternatives[0][0]):
            assert "12-month efficacy" not in part
            assert "Confidential:" not in part
    assert "KB-101" in mailoutbox[0].body  # the asset's name is what says which request


def test_a_colleague_without_a_delegate_place_is_told_when_no_delegate_is_named(
    alice, bob, ab_request, post, mailoutbox
):
    """The same readers as the other notices: the delegates at the event, else every
    colleague with a login."""
    alice.participation.attendees.all().delete()
    colleague = UserFactory(username="alice-colleague")
    ContactFactory(organization=alice.organization, user=colleague, email="col@alpha.example")
    ContactFactory(organization=alice.organization, email="nologin@alpha.example")
    post(bob, ab_request, "Hello")
    addresses = sorted(address for mail in mailoutbox for address in mail.to)
    assert addresses == ["alice@example.org", "col@alpha.example"]


def test_the_thread_shows_in_order_with_author_organization_and_time(alice, bob, ab_request, post):
    post(alice, ab_request, "First, from alice.")
    post(bob, ab_request, "Second, from bob.")
    post(alice, ab_request, "Third, from alice.")
    html = bob.client.get(detail(ab_request)).content.decode()
    positions = [html.index(text) for text in ("First,", "Second,", "Third,")]
    assert positions == sorted(positions)
    thread = html[html.index('id="thread"') :]
    assert "<strong>Alice</strong> · Alice Org" in thread
    assert "<strong>Bob</strong> · Bob Org" in thread
    times = re.findall(r'<time datetime="([^"]+)">', thread)
    assert len(times) == 3 and all(t.endswith("+09:00") for t in times)  # the event's zone


def test_the_inbox_and_outbox_rows_count_the_messages(alice, bob, ab_request, post):
    inbox = reverse("events:inbox", args=[EVENT])
    outbox = reverse("events:outbox", args=[EVENT])
    assert "badge-messages" not in bob.client.get(inbox).content.decode()
    post(alice, ab_request, "One")
    post(bob, ab_request, "Two")
    assert "2 messages" in bob.client.get(inbox).content.decode()
    assert "2 messages" in alice.client.get(outbox).content.decode()
    post(alice, ab_request, "Three")
    assert "3 messages" in alice.client.get(outbox).content.decode()


def test_a_viewer_reads_the_thread_but_cannot_write(alice, bob, ab_request, post, mailoutbox):
    post(alice, ab_request, "Visible to the whole team.")
    mailoutbox.clear()
    viewer = viewer_of(bob)
    response = viewer.get(detail(ab_request))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Visible to the whole team." in html
    assert 'name="body"' not in html
    assert "Your role lets you read these messages but not write them." in html
    response = viewer.post(detail(ab_request), {"body": "Let me in"})
    assert response.status_code == 404
    assert RequestMessage.objects.count() == 1
    assert mailoutbox == []


def test_an_outsider_gets_404_for_the_thread_and_cannot_write(
    charlie, alice, ab_request, post, mailoutbox
):
    post(alice, ab_request, "Between alice and bob only.")
    mailoutbox.clear()
    assert charlie.client.get(detail(ab_request)).status_code == 404
    assert post(charlie, ab_request, "Hello from outside").status_code == 404
    assert RequestMessage.objects.count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("Hello\x00world", "Null characters are not allowed."),
        ("x" * (MESSAGE_MAX_LENGTH + 1), f"at most {MESSAGE_MAX_LENGTH} characters"),
        ("   ", "Write a message before sending it."),
    ],
)
def test_a_bad_message_is_a_form_error_that_keeps_the_text(
    bob, ab_request, post, mailoutbox, body, error
):
    response = post(bob, ab_request, body)
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    if body.strip():
        kept = body.replace("\x00", "")[:50]
        assert kept in html.replace("\x00", "")
    assert not RequestMessage.objects.exists()
    assert mailoutbox == []


def test_a_message_of_the_longest_length_is_taken(bob, ab_request, post):
    assert post(bob, ab_request, "y" * MESSAGE_MAX_LENGTH).status_code == 302
    assert len(RequestMessage.objects.get().body) == MESSAGE_MAX_LENGTH


def test_the_service_refuses_a_third_organization(charlie, ab_request):
    with pytest.raises(ValidationError) as exc:
        services.request_message_create(
            meeting_request=ab_request,
            author=charlie.user,
            organization=charlie.organization,
            body="Hello",
        )
    assert exc.value.code == "side"
    assert not RequestMessage.objects.exists()


def test_writing_is_open_whatever_the_requests_status(alice, bob, ab_request, post):
    for status in RequestStatus.values:
        ab_request.status = status
        ab_request.decline_reason = "other" if status == RequestStatus.DECLINED else ""
        ab_request.save()
        assert post(bob, ab_request, f"About {status}").status_code == 302
    assert RequestMessage.objects.count() == len(RequestStatus.values)


@pytest.mark.parametrize("size", [1, 15])
def test_the_request_pages_query_count_does_not_grow_with_the_thread(
    alice, bob, ab_request, django_assert_num_queries, size
):
    for i in range(size):
        side = alice if i % 2 else bob
        RequestMessage.objects.create(
            request=ab_request, author=side.user, organization=side.organization, body=f"M{i}"
        )
    with django_assert_num_queries(7):
        response = bob.client.get(detail(ab_request))
    assert response.content.decode().count('class="thread-message') == size


def test_the_organizer_reads_the_thread_in_admin(alice, bob, ab_request, post):
    post(alice, ab_request, "Shown to the organizer.")
    client = Client()
    client.force_login(UserFactory(username="organizer", is_staff=True, is_superuser=True))
    change = client.get(reverse("admin:events_meetingrequest_change", args=[ab_request.pk]))
    assert change.status_code == 200
    assert "Shown to the organizer." in change.content.decode()
    assert 'name="thread-0-body"' not in change.content.decode()  # read only
    listing = client.get(reverse("admin:events_meetingrequest_changelist"))
    assert '<td class="field-message_count">1</td>' in listing.content.decode()
