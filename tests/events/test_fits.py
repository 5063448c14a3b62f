"""The fit of a partner on event pages: the inbox shows each request's score and reasons and sorts
by fit, date or status; the participant list is searchable, filterable, linked to profiles and
shows each participant's fit. The numbers are those of the matches page for the same pair."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kbio.directory.models import Organization
from kbio.events.fits import participant_fits, request_fits
from kbio.events.models import MeetingRequest, RequestStatus
from kbio.matching.index import current_index
from kbio.matching.models import MatchingProfile
from kbio.matching.services import match_index_invalidate
from kbio.matching.suggestions import explain
from tests.events.factories import AttendeeFactory, MeetingRequestFactory, ParticipationFactory
from tests.events.factories import delegate as make_delegate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVENT = "spring-partnering"
PARTNERS = ["pinotbio", "yipscell", "edgene", "genecraft"]


@pytest.fixture
def directory(event):
    """The real organizations and their partnering criteria; astellas and four Korean ventures
    take part in the event, each with a delegate."""
    call_command("loaddata", "taxonomy", "organizations", "partnering", verbosity=0)
    match_index_invalidate()
    found = {}
    for slug in ["astellas", *PARTNERS]:
        organization = Organization.objects.get(slug=slug)
        user, contact = make_delegate(organization, username=f"{slug}-bd")
        participation = ParticipationFactory(event=event, organization=organization)
        AttendeeFactory(participation=participation, contact=contact)
        client = Client()
        client.force_login(user)
        found[slug] = (participation, client)
    return found


def matches_page_fit(viewer: str, partner: str):
    """What the matches page of `viewer` computes for `partner`."""
    index = current_index()
    return explain(
        index, index.by_slug[viewer], index.by_slug[partner], MatchingProfile.objects.weights()
    )


@pytest.fixture
def to_astellas(directory):
    """Requests to astellas from edgene (oldest), yipscell, pinotbio (newest)."""
    astellas = directory["astellas"][0]
    found = {}
    for age, slug in enumerate(["pinotbio", "yipscell", "edgene"]):
        found[slug] = MeetingRequestFactory(
            event=astellas.event, requester=directory[slug][0], recipient=astellas
        )
        MeetingRequest.objects.filter(pk=found[slug].pk).update(
            created=timezone.now() - timezone.timedelta(hours=age)
        )
    return found


def inbox(client, **params):
    response = client.get(reverse("events:inbox", args=[EVENT]), params)
    assert response.status_code == 200
    return response.content.decode()


def order(html: str, ids) -> list:
    """The given request ids in the order their rows appear."""
    return sorted(ids, key=lambda pk: html.index(f'id="request-{pk}"'))


def test_the_inbox_shows_the_matches_pages_score_and_reasons(directory, to_astellas):
    html = inbox(directory["astellas"][1])
    for slug, meeting_request in to_astellas.items():
        fit = matches_page_fit("astellas", slug)
        card = html[html.index(f'id="request-{meeting_request.pk}"') :]
        assert f'<strong class="fit-score">{fit.score}</strong>' in card[:2000], slug
        for line in fit.reasons[:3]:
            assert line.text in card[:3000], slug
    pinotbio = matches_page_fit("astellas", "pinotbio")
    assert pinotbio.score > matches_page_fit("astellas", "edgene").score
    assert "antibody–drug conjugates" in pinotbio.reasons[0].text


def test_the_inbox_is_newest_first_and_sorts_by_fit(directory, to_astellas):
    client = directory["astellas"][1]
    pk = {slug: r.pk for slug, r in to_astellas.items()}
    ids = list(pk.values())
    newest_first = [pk["pinotbio"], pk["yipscell"], pk["edgene"]]
    assert order(inbox(client), ids) == newest_first
    assert order(inbox(client, sort="date"), ids) == newest_first
    # Make the worst fit the newest: sorting by fit puts it last.
    MeetingRequest.objects.filter(pk=pk["edgene"]).update(
        created=timezone.now() + timezone.timedelta(hours=1)
    )
    assert order(inbox(client), ids)[0] == pk["edgene"]
    by_fit = order(inbox(client, sort="fit"), ids)
    scores = [matches_page_fit("astellas", s).score for s in ("pinotbio", "yipscell", "edgene")]
    assert scores == sorted(scores, reverse=True)
    assert by_fit == [pk["pinotbio"], pk["yipscell"], pk["edgene"]]
    assert 'href="?sort=fit" aria-current="true"' in inbox(client, sort="fit")


def test_the_inbox_sorts_answered_requests_by_status(directory, to_astellas):
    client = directory["astellas"][1]
    declined, accepted = to_astellas["pinotbio"], to_astellas["edgene"]  # declined is newer
    MeetingRequest.objects.filter(pk=declined.pk).update(
        status=RequestStatus.DECLINED, decline_reason="other"
    )
    MeetingRequest.objects.filter(pk=accepted.pk).update(status=RequestStatus.ACCEPTED)
    ids = [declined.pk, accepted.pk]
    assert order(inbox(client), ids) == [declined.pk, accepted.pk]
    assert order(inbox(client, sort="status"), ids) == [accepted.pk, declined.pk]


def test_an_unknown_sort_falls_back_to_newest_first(directory, to_astellas):
    client = directory["astellas"][1]
    ids = [r.pk for r in to_astellas.values()]
    for sort in ["bogus", "fit\x00", "9" * 400, ""]:
        assert order(inbox(client, sort=sort), ids) == order(inbox(client), ids), sort


def test_the_helper_gives_each_request_the_other_sides_fit(directory, to_astellas):
    """request_fits, for pages outside the inbox (a start page): the same pair, the same fit,
    from either side's point of view."""
    astellas = Organization.objects.get(slug="astellas")
    requests = list(MeetingRequest.objects.for_lists())
    fits = request_fits(astellas.pk, requests)
    for slug, meeting_request in to_astellas.items():
        assert fits[meeting_request.pk] == matches_page_fit("astellas", slug)
    pinotbio = Organization.objects.get(slug="pinotbio")
    theirs = request_fits(pinotbio.pk, requests)
    assert theirs == {to_astellas["pinotbio"].pk: matches_page_fit("pinotbio", "astellas")}


def test_an_organization_outside_the_index_has_no_fit(directory, to_astellas):
    Organization.objects.filter(slug="edgene").update(is_active=False)
    match_index_invalidate()
    html = inbox(directory["astellas"][1])
    card = html[html.index(f'id="request-{to_astellas["edgene"].pk}"') :][:2000]
    assert "Fit not known" in card


# --- the participant list ---------------------------------------------------------------------


def participants(client, **params):
    response = client.get(reverse("events:participants", args=[EVENT]), params)
    assert response.status_code == 200
    return response.content.decode()


def listed(html: str) -> list[str]:
    return re.findall(r'id="participant-([a-z0-9-]+)"', html)


SEARCHES = [
    ("Pinot", ["pinotbio"]),  # name
    ("입셀", ["yipscell"]),  # native name
    ("イプセル", ["yipscell"]),  # another name
    ("gene craft", ["genecraft"]),  # every word of another name
    ("アステラス", ["astellas"]),
    ("nothing-like-this", []),
]


def test_the_participants_are_searchable_by_every_name(directory):
    for query, found in SEARCHES:
        html = participants(directory["astellas"][1], q=query)
        assert sorted(listed(html)) == found, query
        if not found:
            assert "No participant matches these filters." in html


FILTERS = [
    ({"kind": "pharma"}, ["astellas"]),
    ({"country": "JP"}, ["astellas"]),
    ({"country": "KR", "kind": "venture"}, sorted(PARTNERS)),
    ({"focus": "ipsc-cell-therapy"}, ["astellas", "yipscell"]),
    ({"focus": "adc", "q": "pinot"}, ["pinotbio"]),
]


def test_the_participants_filter_by_kind_country_and_focus_area(directory):
    for params, found in FILTERS:
        assert sorted(listed(participants(directory["astellas"][1], **params))) == found, params


HOSTILE = [
    ({"kind": "bogus"}, "Select a valid choice."),
    ({"country": "ZZ"}, "Select a valid choice."),
    ({"focus": "no-such-area"}, "Select a valid choice."),
    ({"focus": "9" * 400}, "Select a valid choice."),
    ({"q": "Pinot\x00"}, "Null characters are not allowed."),
]


def test_hostile_filters_are_form_errors_and_list_everyone(directory):
    for params, message in HOSTILE:
        html = participants(directory["astellas"][1], **params)
        assert message in html, params
        assert "Some filters could not be understood" in html
        assert len(listed(html)) == 5


def test_each_participant_links_to_its_profile(directory):
    html = participants(directory["yipscell"][1])
    for slug in ["astellas", *PARTNERS]:
        assert f'href="{reverse("directory:organization", args=[slug])}"' in html
    event_page = directory["yipscell"][1].get(reverse("events:detail", args=[EVENT]))
    for slug in ["astellas", *PARTNERS]:
        assert f'href="{reverse("directory:organization", args=[slug])}"' in (
            event_page.content.decode()
        )


def test_a_member_sees_each_participants_fit_with_its_first_reason(directory):
    html = participants(directory["astellas"][1])
    for slug in PARTNERS:
        fit = matches_page_fit("astellas", slug)
        card = html[html.index(f'id="participant-{slug}"') :]
        card = card[: card.index("</li>", card.index("participant-card-fit"))]
        assert f'<strong class="fit-score">{fit.score}</strong>' in card
        if fit.reasons:
            assert fit.reasons[0].text in card
            assert all(line.text not in card for line in fit.reasons[1:])
    own = html[html.index('id="participant-astellas"') :]
    assert "fit-score" not in own[: own.index("</li>")]  # no fit with oneself


def test_the_participants_sort_by_fit(directory):
    client = directory["astellas"][1]
    by_name = listed(participants(client))
    by_fit = listed(participants(client, sort="fit"))
    assert by_name == ["astellas", "edgene", "genecraft", "pinotbio", "yipscell"]
    scores = {slug: matches_page_fit("astellas", slug).score for slug in PARTNERS}
    ranked = [slug for slug in by_fit if slug in scores]
    assert [scores[s] for s in ranked] == sorted(scores.values(), reverse=True)
    assert ranked[0] == "pinotbio"
    assert by_fit[-1] == "astellas"  # oneself has no fit and comes last
    assert '<option value="fit" selected>' in participants(client, sort="fit")


def test_a_login_without_an_organization_sees_the_list_without_fits(directory):
    client = Client()
    client.force_login(UserFactory(username="no-org"))
    html = participants(client, sort="fit")
    assert len(listed(html)) == 5
    assert "fit-score" not in html
    assert 'name="sort"' not in html


def test_participant_fits_leave_out_the_viewer(directory):
    astellas, _client = directory["astellas"]
    everyone = list(astellas.event.participations.all())
    fits = participant_fits(astellas.organization_id, everyone)
    assert astellas.pk not in fits
    assert set(fits) == {p.pk for p in everyone} - {astellas.pk}
