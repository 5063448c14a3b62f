"""What participants see and do on the event pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kbio.events.models import EventStatus, MeetingRequest, RequestStatus, TimeSlot
from tests.events.factories import MeetingFactory, MeetingRequestFactory
from tests.factories import AssetFactory, ContactFactory

pytestmark = pytest.mark.django_db

EVENT = "spring-partnering"


def page(client, name, *args, lang="en"):
    with translation.override(lang):
        url = reverse(name, args=[EVENT, *args])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- request form ---


def test_request_form_preselects_the_asset_from_the_link(alice, bob):
    theirs = AssetFactory(organization=bob.organization, slug="bx-7", name="BX-7")
    url = reverse("events:request_create", args=[EVENT, "bob-org"]) + "?asset=bx-7"
    html = alice.client.get(url).content.decode()
    assert "Request a meeting with Bob Org" in html
    assert f'<option value="{theirs.pk}" selected>BX-7 · Bob Org</option>' in html


def test_request_form_sends_and_lands_in_the_outbox(alice, bob, alice_asset):
    response = alice.client.post(
        reverse("events:request_create", args=[EVENT, "bob-org"]),
        {"message": "We would like to present KB-101.", "asset": alice_asset.pk},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("events:outbox", args=[EVENT])
    html = response.content.decode()
    assert "Your request to Bob Org is sent." in html
    assert "KB-101" in html
    request = MeetingRequest.objects.get()
    assert (request.requester, request.recipient) == (alice.participation, bob.participation)
    assert request.sent_by == alice.user


def test_a_refused_request_keeps_what_was_typed(alice, bob, ab_request):
    MeetingRequest.objects.all().delete()
    alice.participation.event.max_open_requests = 1
    alice.participation.event.save()
    MeetingRequestFactory(
        event=alice.participation.event,
        requester=alice.participation,
        recipient=MeetingRequestFactory(event=alice.participation.event).recipient,
    )
    response = alice.client.post(
        reverse("events:request_create", args=[EVENT, "bob-org"]),
        {"message": "A carefully written message."},
    )
    html = response.content.decode()
    assert "the most this event allows" in html
    assert "A carefully written message." in html
    assert not MeetingRequest.objects.filter(recipient=bob.participation).exists()


def test_an_empty_message_is_refused_with_a_clear_error(alice, bob):
    response = alice.client.post(
        reverse("events:request_create", args=[EVENT, "bob-org"]), {"message": "  "}
    )
    assert "Write a short message" in response.content.decode()
    assert not MeetingRequest.objects.exists()


def test_request_form_says_when_you_already_asked(alice, ab_request):
    html = page(alice.client, "events:request_create", "bob-org")
    assert "You already asked for this meeting" in html
    assert "<textarea" not in html


def test_request_form_points_to_their_request_when_they_asked_first(bob, ab_request):
    html = page(bob.client, "events:request_create", "alice-org")
    assert "Alice Org has also asked to meet you." in html
    assert reverse("events:request", args=[EVENT, ab_request.pk]) in html


def test_request_form_is_closed_outside_the_window(alice, bob):
    event = alice.participation.event
    event.requests_open_until = timezone.now() - timedelta(minutes=1)
    event.save()
    html = page(alice.client, "events:request_create", "bob-org")
    assert "not taking meeting requests now" in html
    assert "<textarea" not in html


def test_request_form_to_oneself_explains_and_offers_no_form(alice):
    html = page(alice.client, "events:request_create", "alice-org")
    assert "cannot request a meeting with yourself" in html
    assert "<textarea" not in html


def test_unregistered_organization_is_sent_to_the_event_page(alice, bob):
    alice.participation.delete()
    response = alice.client.get(reverse("events:request_create", args=[EVENT, "bob-org"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:detail", args=[EVENT])


# --- inbox, outbox, request page ---


def test_inbox_lists_pending_requests_with_answers(bob, ab_request):
    html = page(bob.client, "events:inbox")
    assert "1 request waiting for your answer" in html
    assert "We would like to present KB-101." in html
    assert reverse("events:accept", args=[EVENT, ab_request.pk]) in html
    assert reverse("events:decline", args=[EVENT, ab_request.pk]) in html


def test_accepting_from_the_inbox(bob, ab_request):
    response = bob.client.post(reverse("events:accept", args=[EVENT, ab_request.pk]), follow=True)
    assert "You accepted the meeting with Alice Org." in response.content.decode()
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.ACCEPTED


def test_accepting_twice_says_so(bob, ab_request):
    url = reverse("events:accept", args=[EVENT, ab_request.pk])
    bob.client.post(url)
    response = bob.client.post(url, follow=True)
    assert "no longer pending: it is accepted" in response.content.decode()


def test_accept_needs_post(bob, ab_request):
    response = bob.client.get(reverse("events:accept", args=[EVENT, ab_request.pk]))
    assert response.status_code == 405
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.PENDING


def test_decline_form_records_the_reason(alice, bob, ab_request):
    url = reverse("events:decline", args=[EVENT, ab_request.pk])
    html = page(bob.client, "events:decline", ab_request.pk)
    assert "Outside our focus" in html and "Too early for us" in html
    response = bob.client.post(url, {"reason": "no_capacity", "note": "Fully booked"}, follow=True)
    assert "You declined the request from Alice Org." in response.content.decode()
    ab_request.refresh_from_db()
    assert (ab_request.status, ab_request.decline_reason) == ("declined", "no_capacity")
    outbox = page(alice.client, "events:outbox")
    assert "No capacity at this event" in outbox
    assert "Fully booked" in outbox


def test_decline_without_a_reason_re_renders_with_an_error(bob, ab_request):
    response = bob.client.post(
        reverse("events:decline", args=[EVENT, ab_request.pk]), {"note": "Keep this note"}
    )
    html = response.content.decode()
    assert "Choose a reason for declining." in html
    assert "Keep this note" in html
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.PENDING


def test_outbox_cancel(alice, ab_request):
    html = page(alice.client, "events:outbox")
    assert "Bob Org" in html and "Pending" in html
    response = alice.client.post(reverse("events:cancel", args=[EVENT, ab_request.pk]), follow=True)
    assert "You cancelled your request to Bob Org." in response.content.decode()
    ab_request.refresh_from_db()
    assert ab_request.status == RequestStatus.CANCELLED


def test_mutual_interest_is_shown_on_both_sides(alice, bob, ab_request):
    MeetingRequestFactory(
        event=ab_request.event, requester=bob.participation, recipient=alice.participation
    )
    for client, name in ((alice.client, "events:inbox"), (bob.client, "events:inbox")):
        assert "Mutual interest" in page(client, name)
    assert "Mutual interest" in page(alice.client, "events:outbox")


def test_no_mutual_badge_when_only_one_side_asked(alice, bob, ab_request):
    assert "Mutual interest" not in page(bob.client, "events:inbox")
    assert "Mutual interest" not in page(alice.client, "events:outbox")


# --- confidentiality ---


def test_confidential_details_open_to_the_other_side_only_after_acceptance(
    alice, bob, ab_request, alice_asset
):
    ab_request.asset = alice_asset
    ab_request.save()
    secret = "12-month efficacy data"
    assert secret in page(alice.client, "events:request", ab_request.pk)  # the owner
    before = page(bob.client, "events:request", ab_request.pk)
    assert secret not in before
    assert "shared once the meeting is accepted" in before
    bob.client.post(reverse("events:accept", args=[EVENT, ab_request.pk]))
    assert secret in page(bob.client, "events:request", ab_request.pk)


def test_confidential_details_close_again_when_cancelled(alice, bob, ab_request, alice_asset):
    ab_request.asset = alice_asset
    ab_request.status = RequestStatus.ACCEPTED
    ab_request.save()
    alice.client.post(reverse("events:cancel", args=[EVENT, ab_request.pk]))
    assert "12-month efficacy data" not in page(bob.client, "events:request", ab_request.pk)


# --- agenda ---


def test_agenda_lists_accepted_requests_awaiting_the_schedule(alice, ab_request):
    MeetingRequest.objects.filter(pk=ab_request.pk).update(status=RequestStatus.ACCEPTED)
    html = page(alice.client, "events:agenda")
    assert "1 accepted meeting" in html
    assert "Accepted, time to be announced" in html
    assert "Bob Org" in html


def test_agenda_shows_a_published_meeting_with_time_and_table(alice, bob, ab_request, event):
    MeetingRequest.objects.filter(pk=ab_request.pk).update(status=RequestStatus.ACCEPTED)
    ab_request.refresh_from_db()
    second = TimeSlot.objects.of_event(event)[1]
    meeting = MeetingFactory(request=ab_request, slot=second, table=event.tables.get(number=2))
    html = page(bob.client, "events:agenda")
    assert "Accepted, time to be announced" in html  # not yet published
    meeting.is_published = True
    meeting.save()
    for client, partner in ((alice.client, "Bob Org"), (bob.client, "Alice Org")):
        html = page(client, "events:agenda")
        assert "Accepted, time to be announced" not in html
        assert "14:30–14:55" in html  # the event's time zone (Asia/Tokyo)
        row = html.split("14:30–14:55")[1].split("</tr>")[0]
        assert partner in row and "Table 2" in row


def test_agenda_marks_blocked_slots_and_the_fixed_table(bob, event):
    first = TimeSlot.objects.of_event(event).first()
    bob.participation.blocked_slots.add(first)
    table = event.tables.get(number=1)
    table.host = bob.participation
    table.save()
    html = page(bob.client, "events:agenda")
    assert "You host your meetings at Table 1." in html
    row = html.split("14:00–14:25")[1].split("</tr>")[0]
    assert "Blocked: you are not available" in row


def test_agenda_offers_print_and_calendar_download_only_once_published(alice, ab_meeting):
    ab_meeting.is_published = False
    ab_meeting.save()
    html = page(alice.client, "events:agenda")
    assert "Download calendar (.ics)" not in html
    assert "data-print" not in html
    ab_meeting.is_published = True
    ab_meeting.save()
    html = page(alice.client, "events:agenda")
    download = reverse("events:agenda_ics", args=[EVENT])
    assert f'href="{download}" download>Download calendar (.ics)</a>' in html
    assert ">Print</button>" in html
    assert "js/print.js" in html


def test_agenda_names_the_event_venue_and_time_zone_for_the_printout(alice):
    html = page(alice.client, "events:agenda")
    assert "Spring Partnering Day · Shonan iPark, Fujisawa" in html
    assert "Times are in Asia/Tokyo." in html


def test_agenda_row_shows_the_partners_native_name_and_delegates(alice, bob, ab_meeting):
    bob.organization.native_name = "ボブ製薬"
    bob.organization.save()
    bob.contact.native_name = "ボブ"
    bob.contact.save()
    html = page(alice.client, "events:agenda")
    row = html.split("14:30–14:55")[1].split("</tr>")[0]
    assert '<span class="native" lang="ja">ボブ製薬</span>' in row
    assert "With: Bob (ボブ)" in row
    assert "Table 2" in row


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ko", "Alice Org 일정표"), ("ja", "Alice Orgのアジェンダ"), ("en", "Agenda of Alice Org")],
)
def test_agenda_speaks_the_chosen_language(alice, lang, expected):
    assert expected in page(alice.client, "events:agenda", lang=lang)


# --- registration and availability ---


def test_register_page_saves_the_chosen_delegates(alice):
    colleague = ContactFactory(organization=alice.organization, name="Colleague")
    response = alice.client.post(
        reverse("events:register", args=[EVENT]),
        {"delegates": [alice.contact.pk, colleague.pk]},
        follow=True,
    )
    assert "Your delegates for this event are saved." in response.content.decode()
    alice.participation.refresh_from_db()
    assert alice.participation.capacity == 2
    assert set(alice.participation.delegates.all()) == {alice.contact, colleague}


def test_register_needs_at_least_one_delegate(alice):
    response = alice.client.post(reverse("events:register", args=[EVENT]), {})
    assert "Choose at least one delegate." in response.content.decode()
    assert list(alice.participation.delegates.all()) == [alice.contact]


def test_a_new_organization_registers_from_the_event_page(event):
    from django.test import Client

    from tests.events.factories import delegate
    from tests.factories import OrganizationFactory

    org = OrganizationFactory(slug="newcomer", name="Newcomer Bio")
    user, contact = delegate(org, username="newcomer")
    client = Client()
    client.force_login(user)
    assert "Register Newcomer Bio" in page(client, "events:detail")
    client.post(reverse("events:register", args=[EVENT]), {"delegates": [contact.pk]})
    assert event.participations.filter(organization=org).exists()


def test_registration_closed_redirects_with_a_message(alice, event):
    event.status = EventStatus.CLOSED
    event.save()
    response = alice.client.get(reverse("events:register", args=[EVENT]), follow=True)
    assert "Registration for this event is not open." in response.content.decode()


def test_availability_page_saves_blocked_slots(alice, event):
    second = TimeSlot.objects.of_event(event)[1]
    html = page(alice.client, "events:availability")
    assert "14:30–14:55" in html
    alice.client.post(reverse("events:availability", args=[EVENT]), {"blocked_slots": [second.pk]})
    assert list(alice.participation.blocked_slots.all()) == [second]


# --- event pages and shortcuts ---


def test_event_page_lists_participants_with_request_links(alice, bob, charlie, ab_request):
    html = page(alice.client, "events:detail")
    assert "3 participants" in html
    assert reverse("events:request_create", args=[EVENT, "charlie-org"]) in html
    # Bob was asked already: no second link.
    assert reverse("events:request_create", args=[EVENT, "bob-org"]) not in html
    assert "They asked you" in page(bob.client, "events:detail")


def test_shortcuts_lead_to_the_current_event(alice):
    for name in ("inbox", "outbox", "agenda"):
        response = alice.client.get(reverse(name))
        assert response["Location"] == reverse(f"events:{name}", args=[EVENT])


def test_shortcut_without_any_registration_goes_to_the_event_list(alice):
    alice.participation.delete()
    response = alice.client.get(reverse("inbox"), follow=True)
    assert "not registered for any event yet" in response.content.decode()


def test_unticking_every_slot_clears_the_blocked_slots(alice, event):
    alice.participation.blocked_slots.set(TimeSlot.objects.of_event(event))
    alice.client.post(reverse("events:availability", args=[EVENT]), {})
    assert not alice.participation.blocked_slots.exists()
