"""The email that tells every participant its schedule is published: in each reader's language,
with the meetings, a link to the agenda and the calendar file; or that nothing could be placed."""

import icalendar
import pytest

from kbio.events.models import Participation, RequestStatus, TimeSlot
from kbio.events.notifications import send_schedule_published
from tests.events.factories import (
    AttendeeFactory,
    MeetingFactory,
    MeetingRequestFactory,
    ParticipationFactory,
    TableFactory,
)
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def mail_to(mailoutbox, address):
    (mail,) = [mail for mail in mailoutbox if address in mail.to]
    return mail


def calendar_of(mail) -> icalendar.Calendar:
    (attachment,) = mail.attachments
    assert attachment.filename == "spring-partnering.ics"
    assert attachment.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(attachment.content)


def test_the_korean_delegate_reads_the_schedule_in_korean(alice, bob, ab_meeting, mailoutbox):
    send_schedule_published(ab_meeting.request.event)
    mail = mail_to(mailoutbox, "alice@example.org")
    assert mail.subject == "Spring Partnering Day 미팅 일정이 공개되었습니다"
    assert "Alice Org의 미팅은 다음과 같습니다(시각은 Asia/Tokyo 기준)" in mail.body
    assert "2030년 1월 18일 (금요일)" in mail.body
    assert "14:30–14:55 · 2번 테이블 · Bob Org" in mail.body
    assert "http://testserver/ko/events/spring-partnering/agenda/" in mail.body
    assert "배정되지 못" not in mail.body
    (meeting,) = calendar_of(mail).events
    assert str(meeting["SUMMARY"]) == "미팅: Bob Org"
    assert meeting.start == ab_meeting.slot.starts_at


def test_the_japanese_delegate_reads_the_schedule_in_japanese(alice, bob, ab_meeting, mailoutbox):
    send_schedule_published(ab_meeting.request.event)
    mail = mail_to(mailoutbox, "bob@example.org")
    assert mail.subject == "Spring Partnering Dayの面談日程が公開されました"
    assert "14:30–14:55 · テーブル2 · Alice Org" in mail.body
    assert "http://testserver/ja/events/spring-partnering/agenda/" in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    assert ">14:30–14:55</td>" in html
    assert ">テーブル2</td>" in html
    assert 'href="http://testserver/ja/events/spring-partnering/agenda/"' in html
    (meeting,) = calendar_of(mail).events
    assert str(meeting["SUMMARY"]) == "面談：Alice Org"


def test_a_participant_with_no_meeting_is_told_to_contact_the_organizer(
    charlie, ab_meeting, mailoutbox
):
    send_schedule_published(ab_meeting.request.event)
    mail = mail_to(mailoutbox, "charlie@example.org")
    assert mail.subject == "Your meeting schedule for Spring Partnering Day is published"
    assert "no meeting could be placed for Charlie Org" in mail.body
    assert "Please contact the organizer about it." in mail.body
    assert "Please contact the organizer about it." in mail.alternatives[0][0]
    assert "Alice Org" not in mail.body  # nobody else's meetings
    assert mail.attachments == []


def test_accepted_meetings_left_out_of_the_schedule_are_named(
    alice, charlie, ab_meeting, mailoutbox
):
    charlie.organization.native_name = "チャーリー"
    charlie.organization.save()
    MeetingRequestFactory(
        event=ab_meeting.request.event,
        requester=alice.participation,
        recipient=charlie.participation,
        status=RequestStatus.ACCEPTED,
    )
    send_schedule_published(ab_meeting.request.event)
    korean = mail_to(mailoutbox, "alice@example.org").body
    assert "14:30–14:55 · 2번 테이블 · Bob Org" in korean
    assert "수락되었지만 배정되지 못한 미팅:\n- Charlie Org (チャーリー)" in korean
    assert "주최 측에 문의해 주세요." in korean
    english = mail_to(mailoutbox, "charlie@example.org").body
    assert "Accepted meetings that could not be placed:\n- Alice Org" in english


def test_an_unpublished_meeting_is_neither_listed_nor_attached(alice, bob, ab_meeting, mailoutbox):
    ab_meeting.is_published = False
    ab_meeting.save()
    send_schedule_published(ab_meeting.request.event)
    mail = mail_to(mailoutbox, "alice@example.org")
    assert "14:30" not in mail.body
    assert "Alice Org의 미팅은 배정되지 못했습니다" in mail.body
    assert mail.attachments == []


def test_every_reader_gets_one_email_in_their_language(alice, bob, ab_meeting, mailoutbox):
    english = ContactFactory(organization=bob.organization, email="en@beta.example", language="en")
    AttendeeFactory(participation=bob.participation, contact=english)
    assert send_schedule_published(ab_meeting.request.event) == 3
    assert sorted(address for mail in mailoutbox for address in mail.to) == [
        "alice@example.org",
        "bob@example.org",
        "en@beta.example",
    ]
    mail = mail_to(mailoutbox, "en@beta.example")
    assert "14:30–14:55 · Table 2 · Alice Org" in mail.body
    assert str(calendar_of(mail).events[0]["SUMMARY"]) == "Meeting: Alice Org"


@pytest.mark.parametrize("size", [3, 12])
def test_queries_grow_with_participants_not_meetings(
    bob, event, django_assert_num_queries, mailoutbox, size
):
    """Three for the whole schedule, then per participant: its readers and its email kept for
    the send job; the job itself (in-process in the tests) reads the email and marks it sent."""
    slots = list(TimeSlot.objects.of_event(event))
    # bob sends enough delegates to hold these meetings side by side.
    Participation.objects.filter(pk=bob.participation.pk).update(capacity=size)
    for i in range(size):
        partner = ParticipationFactory(event=event)
        AttendeeFactory(participation=partner)
        MeetingFactory(
            request=MeetingRequestFactory(
                event=event,
                requester=partner,
                recipient=bob.participation,
                status=RequestStatus.ACCEPTED,
            ),
            slot=slots[i % len(slots)],
            table=TableFactory(event=event, number=100 + i),
            is_published=True,
        )
    participants = Participation.objects.filter(event=event).count()
    with django_assert_num_queries(3 + participants * (2 + 2)):
        assert send_schedule_published(event) == participants
    bob_mail = mail_to(mailoutbox, "bob@example.org")
    assert len(calendar_of(bob_mail).events) == size
