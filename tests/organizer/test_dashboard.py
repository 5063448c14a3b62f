"""The dashboard's figures against a hand-counted event, as the organizer reads them."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from kbio.directory.models import Stage
from kbio.events.models import Event, EventStatus, Participation, RequestStatus
from kbio.organizer import dashboard
from kbio.outcomes.services import outcome_record
from tests.events.conftest import make_party
from tests.events.factories import (
    AttendeeFactory,
    MeetingFactory,
    MeetingRequestFactory,
    ParticipationFactory,
)
from tests.factories import AssetFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@dataclass
class Scenario:
    event: Event
    p: dict  # participations by short name


@pytest.fixture
def scenario(event, taxonomy):
    """Seven participants and seven requests, counted by hand below.

    v1 Alpha Bio (venture, KR): iPSC for musculoskeletal, one open preclinical iPSC asset;
       seeks investment.
    v2 Beta Gene (venture, KR): gene therapy, rare disease, lead stage phase 1, no assets;
       offers a licence to its platform.
    v3 Gamma Cells (venture, JP): nothing stated.
    p1 Pharma One (JP): iPSC, musculoskeletal, oncology.   p2 Pharma Two (JP): gene therapy for
    rare disease.   c1 CRO One (JP): GLP toxicology, manufacturing.
    i1 Fund One (investor, KR): iPSC; offers equity investment.

    Requests: v1→p1 accepted, v1→p2 declined (too early), v2→p1 accepted, v2→c1 declined
    (outside focus), p2→v3 pending, v3→c1 cancelled, c1→v1 accepted.
    """
    a = taxonomy["areas"]
    orgs = {
        "v1": OrganizationFactory(
            slug="alpha-bio",
            name="Alpha Bio",
            native_name="알파바이오",
            kind="venture",
            country="KR",
            focus_areas=[a["ipsc-cell-therapy"], a["musculoskeletal"]],
            seeks=[taxonomy["types"]["equity-investment"]],
        ),
        "v2": OrganizationFactory(
            slug="beta-gene",
            name="Beta Gene",
            kind="venture",
            country="KR",
            lead_stage=Stage.PHASE_1,
            focus_areas=[a["gene-therapy"], a["rare-disease"]],
            offers=[taxonomy["types"]["licensing"]],
        ),
        "v3": OrganizationFactory(
            slug="gamma-cells",
            name="Gamma Cells",
            kind="venture",
            country="JP",
            lead_stage=Stage.NOT_APPLICABLE,
        ),
        "p1": OrganizationFactory(
            slug="pharma-one",
            name="Pharma One",
            kind="pharma",
            country="JP",
            lead_stage=Stage.APPROVED,
            focus_areas=[a["ipsc-cell-therapy"], a["musculoskeletal"], a["oncology"]],
        ),
        "p2": OrganizationFactory(
            slug="pharma-two",
            name="Pharma Two",
            kind="pharma",
            country="JP",
            lead_stage=Stage.APPROVED,
            focus_areas=[a["gene-therapy"], a["rare-disease"]],
        ),
        "c1": OrganizationFactory(
            slug="cro-one",
            name="CRO One",
            kind="cro_cdmo",
            country="JP",
            lead_stage=Stage.NOT_APPLICABLE,
            focus_areas=[a["glp-toxicology"], a["cmc-manufacturing"]],
        ),
        "i1": OrganizationFactory(
            slug="fund-one",
            name="Fund One",
            kind="investor",
            country="KR",
            lead_stage=Stage.NOT_APPLICABLE,
            focus_areas=[a["ipsc-cell-therapy"]],
            offers=[taxonomy["types"]["equity-investment"]],
        ),
    }
    AssetFactory(
        organization=orgs["v1"],
        modality=a["ipsc-cell-therapy"],
        therapeutic_areas=[a["musculoskeletal"]],
        stage=Stage.PRECLINICAL,
    )
    p = {key: ParticipationFactory(event=event, organization=org) for key, org in orgs.items()}
    AttendeeFactory(
        participation=p["v3"],
        contact=ContactFactory(
            organization=orgs["v3"], name="Gamma BD", email="bd@gamma.example.org"
        ),
    )
    for requester, recipient, status, reason in [
        ("v1", "p1", "accepted", ""),
        ("v1", "p2", "declined", "too_early"),
        ("v2", "p1", "accepted", ""),
        ("v2", "c1", "declined", "outside_focus"),
        ("p2", "v3", "pending", ""),
        ("v3", "c1", "cancelled", ""),
        ("c1", "v1", "accepted", ""),
    ]:
        MeetingRequestFactory(
            event=event,
            requester=p[requester],
            recipient=p[recipient],
            status=status,
            decline_reason=reason,
        )
    return Scenario(event, p)


def get(client, event, **params):
    return client.get(reverse("organizer:dashboard", args=[event.slug]), params)


def test_registrations_and_requests(staff, scenario):
    response = get(staff, scenario.event)
    figures = response.context["figures"]
    assert figures.by_kind == [("venture", 3), ("pharma", 2), ("cro_cdmo", 1), ("investor", 1)]
    assert figures.by_country == [("JP", 4), ("KR", 3)]
    assert figures.requests_by_status == {
        "pending": 1,
        "accepted": 3,
        "declined": 2,
        "cancelled": 1,
    }
    assert figures.decline_reasons == [("outside_focus", 1), ("too_early", 1)]
    # 3 accepted of 5 answered.
    assert response.context["acceptance_percent"] == 60
    body = response.content.decode()
    # The figures are on the page as text, in the key figures and inside the charts.
    assert "<dt>Acceptance rate</dt><dd>60%</dd>" in body
    assert "<dt>Requests sent</dt><dd>7</dd>" in body
    assert (
        '<desc id="chart-kind-desc">Bio venture: 3; Pharma: 2; CRO / CDMO: 1; Investor: 1.' in body
    )
    assert "Accepted: 3 (43%)" in body
    assert "Outside our focus: 1; Too early for us: 1." in body


def test_meetings_per_participant(staff, scenario):
    figures = get(staff, scenario.event).context["figures"]
    # v1 2, v2 1, v3 0, p1 2, p2 0, c1 1, i1 0.
    assert figures.distribution == [(0, 3), (1, 2), (2, 2)]
    body = get(staff, scenario.event).content.decode()
    assert "3 participants with 0 meetings" in body


def test_ventures_with_few_meetings_and_what_to_suggest(staff, scenario):
    figures = get(staff, scenario.event).context["figures"]
    low = [(v.participant.slug, v.meetings) for v in figures.low_ventures.object_list]
    assert low == [("gamma-cells", 0), ("beta-gene", 1), ("alpha-bio", 2)]
    gamma = figures.low_ventures.object_list[0]
    assert [(d.name, d.email) for d in gamma.delegates] == [("Gamma BD", "bd@gamma.example.org")]
    beta = figures.low_ventures.object_list[1]
    suggested = [m.slug for m in beta.matches]
    # Beta Gene asked Pharma One and CRO One already; Pharma Two shares its gene therapy.
    assert suggested[0] == "pharma-two"
    assert not {"pharma-one", "cro-one", "beta-gene"} & set(suggested)
    alpha = figures.low_ventures.object_list[2]
    assert not {"pharma-one", "pharma-two", "cro-one"} & {m.slug for m in alpha.matches}
    assert "fund-one" in {m.slug for m in alpha.matches}
    body = get(staff, scenario.event).content.decode()
    assert 'href="mailto:bd@gamma.example.org"' in body


def test_threshold_is_a_validated_parameter(staff, scenario):
    response = get(staff, scenario.event, fewer_than=1)
    assert [v.participant.slug for v in response.context["figures"].low_ventures.object_list] == [
        "gamma-cells"
    ]
    assert "Ventures with fewer than 1 meeting" in response.content.decode()
    for bad, message in [
        ("lots", "Enter a whole number of meetings, e.g. 3."),
        ("0", "Enter at least 1."),
        ("1000", "Enter at most 100."),
    ]:
        response = get(staff, scenario.event, fewer_than=bad)
        assert response.status_code == 400
        assert message in response.content.decode()
        # The page still shows, with the default threshold.
        assert response.context["figures"].fewer_than == dashboard.DEFAULT_FEWER_THAN


def test_supply_and_demand(staff, scenario):
    balances = get(staff, scenario.event).context["figures"].balances
    modality = {b.slug: (b.seek, b.offer) for b in balances["modality"]}
    area = {b.slug: (b.seek, b.offer) for b in balances["therapeutic_area"]}
    service = {b.slug: (b.seek, b.offer) for b in balances["service"]}
    # iPSC: Pharma One and Fund One seek it; Alpha Bio offers it. Rare disease: Pharma Two
    # seeks it, Beta Gene offers it.
    assert modality == {"ipsc-cell-therapy": (2, 1), "gene-therapy": (1, 1)}
    assert area == {"oncology": (1, 0), "musculoskeletal": (1, 1), "rare-disease": (1, 1)}
    # Alpha Bio's preclinical asset needs GLP toxicology; both ventures' cell and gene
    # therapies need manufacturing; CRO One offers both.
    assert service["glp-toxicology"] == (1, 1)
    assert service["cmc-manufacturing"] == (2, 1)
    body = get(staff, scenario.event).content.decode()
    assert (
        "iPSC-derived cell therapy: Pharma and investors seeking it 2, Developers offering it 1"
        in body
    )


def test_funnel_of_outcomes(staff, past_event):
    """Three pairs met; alice–bob reached verification, alice–charlie investment and then
    closed, bob–charlie recorded nothing."""
    alice = make_party(past_event, "alice", kind="venture")
    bob = make_party(past_event, "bob", kind="pharma", country="JP")
    charlie = make_party(past_event, "charlie", kind="cro_cdmo", country="JP")
    slots = list(past_event.sessions.get().slots.order_by("starts_at"))
    table = past_event.tables.get(number=1)
    requests = {}
    for i, (one, two) in enumerate([(alice, bob), (alice, charlie), (charlie, bob)]):
        r = MeetingRequestFactory(
            event=past_event,
            requester=one.participation,
            recipient=two.participation,
            status=RequestStatus.ACCEPTED,
        )
        MeetingFactory(request=r, slot=slots[i], table=table, is_published=True)
        requests[(one.user.username, two.user.username)] = r
    # A fourth meeting, not yet published, is not a pair that met (bob sends a second
    # delegate to hold it beside bob–charlie).
    Participation.objects.filter(pk=bob.participation.pk).update(capacity=2)
    late = MeetingRequestFactory(
        event=past_event,
        requester=bob.participation,
        recipient=alice.participation,
        status=RequestStatus.ACCEPTED,
    )
    MeetingFactory(request=late, slot=slots[2], table=past_event.tables.get(number=2))

    def record(pair, stage, day, who):
        outcome_record(
            meeting_request=requests[pair],
            stage=stage,
            on=date(2025, 2, day),
            note="",
            by=who.user,
            side=who.organization,
        )

    record(("alice", "bob"), "follow_up", 1, alice)
    record(("alice", "bob"), "verification", 20, bob)
    record(("alice", "charlie"), "investment", 5, charlie)
    record(("alice", "charlie"), "closed_no_deal", 25, alice)

    response = get(staff, past_event)
    figures = response.context["figures"]
    assert figures.pairs_met == 3
    assert [n for _step, n in figures.funnel] == [2, 2, 1, 1, 0, 0]
    assert figures.current_stages == [("verification", 1), ("closed_no_deal", 1)]
    body = response.content.decode()
    assert "Pairs that met: 3 (pairs of organizations whose meeting has taken place)" in body
    assert "Verification: 2 (67%)" in body
    assert "Investment: 1 (33%)" in body
    assert "Licensing deal: 0 (0%)" in body


def test_request_window_from_the_dashboard(staff, event):
    close = reverse("organizer:window", args=[event.slug, "close"])
    response = staff.post(close, follow=True)
    assert "Meeting requests are closed." in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED
    staff.post(reverse("organizer:window", args=[event.slug, "open"]))
    event.refresh_from_db()
    assert event.accepts_requests()
    event.status = EventStatus.SCHEDULED
    event.save()
    response = staff.post(reverse("organizer:window", args=[event.slug, "open"]), follow=True)
    assert "already scheduled" in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED
    assert staff.get(reverse("organizer:window", args=[event.slug, "open"])).status_code == 405
    assert staff.post(reverse("organizer:window", args=[event.slug, "reset"])).status_code == 404


def test_dashboard_links_to_everything_an_organizer_runs(staff, event):
    body = get(staff, event).content.decode()
    for url in [
        reverse("organizer:window", args=[event.slug, "close"]),
        reverse("organizer:requests_export", args=[event.slug]),
        reverse("organizer:requests_import", args=[event.slug]),
        reverse("organizer:schedule_export", args=[event.slug]),
        reverse("organizer:outcomes", args=[event.slug]),
        reverse("organizer:data"),
        event.get_absolute_url(),
        reverse("admin:events_participation_changelist") + f"?event__id__exact={event.pk}",
    ]:
        assert url in body, url


def test_empty_event(staff, event):
    Participation.objects.filter(event=event).delete()
    body = get(staff, event).content.decode()
    assert "Nobody has registered yet." in body
    assert "No meeting requests yet." in body
    assert "Every venture has enough meetings." in body


def test_long_lists_of_ventures_come_in_pages(staff, event):
    for i in range(dashboard.LOW_VENTURES_PER_PAGE + 5):
        ParticipationFactory(
            event=event, organization=OrganizationFactory(name=f"Venture {i:02d}", kind="venture")
        )
    first = get(staff, event)
    page = first.context["figures"].low_ventures
    assert page.paginator.count == dashboard.LOW_VENTURES_PER_PAGE + 5
    assert len(page.object_list) == dashboard.LOW_VENTURES_PER_PAGE
    body = first.content.decode()
    assert "30 ventures." in body
    assert "Page 1 of 2" in body
    assert 'href="?fewer_than=3&amp;page=2#few-meetings"' in body
    second = get(staff, event, page=2)
    names = [v.participant.name for v in second.context["figures"].low_ventures.object_list]
    assert names == [f"Venture {i:02d}" for i in range(25, 30)]
