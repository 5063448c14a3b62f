"""Emails on request, accept and decline: to the right people, in each reader's language."""

import pytest
from django.core.exceptions import ValidationError

from kbio.events import services
from tests.events.factories import AttendeeFactory
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def send_request(alice, bob, django_capture_on_commit_callbacks):
    def send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.meeting_request_create(
                requester=alice.participation,
                recipient=bob.participation,
                message="We would like to present KB-101 & its data.",
                sent_by=alice.user,
                **kwargs,
            )

    return send


def test_a_request_notifies_the_recipients_delegates_in_japanese(send_request, mailoutbox):
    send_request()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["bob@example.org"]
    assert mail.subject == "Alice Orgから面談リクエストが届きました（Spring Partnering Day）"
    assert "KB-101 & its data" in mail.body  # the text part is not HTML-escaped
    assert "http://testserver/ja/events/spring-partnering/inbox/" in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    assert "KB-101 &amp; its data" in html
    assert 'href="http://testserver/ja/events/spring-partnering/inbox/"' in html


def test_each_reader_gets_their_own_language(send_request, bob, mailoutbox):
    english = ContactFactory(organization=bob.organization, email="en@beta.example", language="en")
    korean = ContactFactory(organization=bob.organization, email="ko@beta.example", language="ko")
    for contact in (english, korean):
        AttendeeFactory(participation=bob.participation, contact=contact)
    send_request()
    by_address = {tuple(mail.to): mail for mail in mailoutbox}
    assert set(by_address) == {("bob@example.org",), ("en@beta.example",), ("ko@beta.example",)}
    assert by_address[("en@beta.example",)].subject == (
        "Alice Org asks to meet you at Spring Partnering Day"
    )
    assert by_address[("ko@beta.example",)].subject == (
        "Alice Org에서 Spring Partnering Day 미팅을 요청했습니다"
    )


def test_without_delegates_the_colleagues_with_a_login_are_told(send_request, bob, mailoutbox):
    bob.participation.attendees.all().delete()
    ContactFactory(organization=bob.organization, email="nologin@beta.example")
    ContactFactory(organization=bob.organization, email="login@beta.example", user=UserFactory())
    send_request()
    assert sorted(address for mail in mailoutbox for address in mail.to) == [
        "bob@example.org",
        "login@beta.example",
    ]


def test_accepting_tells_the_requester_in_korean(
    ab_request, bob, alice_asset, mailoutbox, django_capture_on_commit_callbacks
):
    ab_request.asset = alice_asset
    ab_request.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_request_accept(meeting_request=ab_request, by=bob.user)
    (mail,) = mailoutbox
    assert mail.to == ["alice@example.org"]
    assert mail.subject == "Bob Org에서 미팅 요청을 수락했습니다 (Spring Partnering Day)"
    assert "KB-101" in mail.body
    assert "/ko/events/spring-partnering/outbox/" in mail.body


def test_declining_tells_the_requester_the_reason_and_note(
    ab_request, bob, alice, mailoutbox, django_capture_on_commit_callbacks
):
    alice.contact.language = "en"
    alice.contact.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_request_decline(
            meeting_request=ab_request, by=bob.user, reason="too_early", note="Come back after Ph1."
        )
    (mail,) = mailoutbox
    assert mail.subject == "Bob Org declined your meeting request (Spring Partnering Day)"
    assert "Reason: Too early for us" in mail.body
    assert "Come back after Ph1." in mail.body
    assert "Come back after Ph1." in mail.alternatives[0][0]


def test_a_refused_answer_sends_nothing(
    ab_request, bob, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_request_accept(meeting_request=ab_request, by=bob.user)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.meeting_request_accept(meeting_request=ab_request, by=bob.user)
    assert mailoutbox == []
