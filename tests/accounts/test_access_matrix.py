"""The access matrix of every page of the site, kept complete by a test.

Every URL name the site resolves is classified here once: public, one organization's member
pages, one request's pages, the logged-in participant's own pages, or organizer pages. Then
each class is tried as the visitors who must not get in: anonymous, an outsider organization
(charlie, a member of neither side) and, for organizer pages, a participant. An outsider gets
404 for every GET and every POST (never another organization's data), and a POST changes
nothing. A new page that is not classified fails `test_every_page_is_classified`.
"""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from kbio.accounts.models import Application, Invitation
from kbio.directory.models import Contact, Interest, MemberRole
from kbio.events.models import MeetingRequest
from kbio.matching.models import ShortlistEntry, SuggestionFeedback
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

# Anyone may read these (some only GET). Value: whether anonymous GET answers 200.
PUBLIC = {
    "set_language",
    "choose_language",
    "home",
    "favicon",
    "health",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "directory:organization_list",
    "directory:organization",
    "matching:organization_matches",
    "accounts:accept",
    "accounts:apply",
}
# A logged-in person's own account pages.
OWN_ACCOUNT = {"password_change", "password_change_done"}

# One organization's member pages: (name, extra arguments after the slug).
MEMBER = {
    "accounts:invite": (),
    "accounts:invitation_withdraw": ("invitation",),
    "directory:edit_profile": (),
    "directory:edit_criteria": (),
    "directory:criterion_add": ("interest",),
    "directory:criterion_edit": ("interest", "criterion"),
    "directory:criterion_delete": ("interest", "criterion"),
    "directory:edit_assets": (),
    "directory:asset_add": (),
    "directory:edit_asset": ("asset",),
    "directory:asset_delete": ("asset",),
    "directory:edit_contacts": (),
    "directory:contact_add": (),
    "directory:contact_edit": ("contact",),
    "directory:contact_remove": ("contact",),
    "matching:not_interested": (),
    "matching:interested_again": (),
    "matching:shortlist": (),
    "matching:shortlist_add": (),
    "matching:shortlist_remove": (),
}
# One request's pages (alice asked bob): its two sides only.
REQUEST = {
    "events:request",
    "events:accept",
    "events:decline",
    "events:cancel",
}
# Pages of the logged-in participant at an event; each shows only its own organization's data.
PARTICIPANT = {
    "events:list",
    "events:detail",
    "events:participants",
    "events:register",
    "events:availability",
    "events:request_create",
    "events:inbox",
    "events:outbox",
    "events:agenda",
    "events:agenda_ics",
    "outcomes:record",
    "inbox",
    "outbox",
    "agenda",
}
ORGANIZER_PREFIXES = ("organizer:",)
ORGANIZER = {"accounts:applications", "accounts:event_members", "accounts:application_decide"}


def url_names() -> set[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = pattern.namespace or ""
                full = f"{namespace}:{inner}" if namespace and inner else namespace or inner
                yield from walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or pattern.callback.__name__
                yield f"{namespace}:{name}" if namespace else name

    return set(walk(get_resolver().url_patterns))


def test_every_page_is_classified():
    known = PUBLIC | OWN_ACCOUNT | set(MEMBER) | REQUEST | PARTICIPANT | ORGANIZER
    unclassified = {
        name
        for name in url_names()
        if name not in known and not name.startswith(ORGANIZER_PREFIXES)
    }
    assert not unclassified, f"Classify these pages in the access matrix: {sorted(unclassified)}"


@pytest.fixture
def alice_things(alice, bob, organizer):
    """One of each object alice's member pages take an id of."""
    Contact.objects.filter(pk=alice.contact.pk).update(role=MemberRole.OWNER)
    colleague = Contact.objects.create(
        organization=alice.organization, name="Colleague", email="colleague@alice.example.org"
    )
    token, digest = Invitation.new_token()
    return {
        "asset": AssetFactory(organization=alice.organization, slug="ab-1", name="AB-1").pk,
        "contact": colleague.pk,
        "criterion": Interest.objects.create(
            organization=alice.organization, slug="kb-oncology"
        ).pk,
        "invitation": Invitation.objects.create(
            organization=alice.organization,
            email="new@alice.example.org",
            token_hash=digest,
            expires_at=Invitation.default_expiry(),
        ).pk,
        "interest": "interest",
    }


def member_url(name, extras, things, slug):
    return reverse(name, args=[slug, *[things[extra] for extra in extras]])


def snapshot(alice):
    """What a crafted POST could change on alice's side."""
    org = alice.organization
    org.refresh_from_db()
    return (
        org.description,
        org.updated,
        org.assets.count(),
        org.contacts.count(),
        Interest.objects.filter(organization=org).count(),
        Invitation.objects.filter(organization=org, revoked_at__isnull=True).count(),
        sorted(
            ShortlistEntry.objects.filter(organization=org).values_list("partner_id", flat=True)
        ),
        sorted(
            SuggestionFeedback.objects.filter(organization=org).values_list("partner_id", flat=True)
        ),
    )


@pytest.mark.parametrize("name", sorted(MEMBER))
def test_an_outsider_gets_404_on_every_member_page_and_write(name, alice, charlie, alice_things):
    url = member_url(name, MEMBER[name], alice_things, alice.organization.slug)
    before = snapshot(alice)
    assert charlie.client.get(url).status_code in (404, 405), url
    response = charlie.client.post(url, {"partner": "charlie-org", "description": "Hacked"})
    assert response.status_code in (404, 405), url  # 405: a page that takes no POST
    assert snapshot(alice) == before


@pytest.mark.parametrize("name", sorted(MEMBER))
def test_a_viewer_cannot_write(name, alice, alice_things):
    Contact.objects.filter(pk=alice.contact.pk).update(role=MemberRole.VIEWER)
    url = member_url(name, MEMBER[name], alice_things, alice.organization.slug)
    before = snapshot(alice)
    response = alice.client.post(url, {"partner": "bob-org", "description": "Changed"})
    assert response.status_code in (404, 405), url
    assert snapshot(alice) == before


@pytest.mark.parametrize("name", sorted(MEMBER))
def test_anonymous_cannot_reach_member_pages(name, anonymous, alice, alice_things):
    url = member_url(name, MEMBER[name], alice_things, alice.organization.slug)
    for method in ("get", "post"):
        response = getattr(anonymous, method)(url)
        assert response.status_code in (302, 404, 405), (method, url)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))


WITH_IDS = sorted(
    name
    for name, extras in MEMBER.items()
    if {"asset", "contact", "criterion", "invitation"} & set(extras)
)


@pytest.mark.parametrize("name", WITH_IDS)
def test_another_organizations_ids_are_404_through_ones_own_slug(
    name, alice, charlie, alice_things
):
    """charlie's own slug with alice's object ids: still 404."""
    extras = MEMBER[name]
    Contact.objects.filter(pk=charlie.contact.pk).update(role=MemberRole.OWNER)
    url = member_url(name, extras, alice_things, charlie.organization.slug)
    before = snapshot(alice)
    assert charlie.client.get(url).status_code in (404, 405), url
    assert charlie.client.post(url, {"description": "Hacked"}).status_code == 404, url
    assert snapshot(alice) == before


@pytest.mark.parametrize("name", sorted(REQUEST))
def test_an_outsider_gets_404_on_every_request_page(name, charlie, ab_request):
    url = reverse(name, args=[ab_request.event.slug, ab_request.pk])
    assert charlie.client.get(url).status_code in (404, 405), url
    assert charlie.client.post(url, {"reason": "other", "body": "Hi"}).status_code == 404, url
    ab_request.refresh_from_db()
    assert ab_request.status == "pending"


@pytest.mark.parametrize("name", sorted(n for n in url_names() if n.startswith("organizer:")))
def test_participants_get_404_on_organizer_pages(name, alice, ab_request, event):
    resolver_args = {
        "organizer:window": [event.slug, "close"],
        "organizer:organization_history": [alice.organization.slug],
        "organizer:job": [1],
    }
    try:
        url = reverse(name, args=resolver_args.get(name, [event.slug]))
    except NoReverseMatch:
        url = reverse(name)
    assert alice.client.get(url).status_code in (404, 405), url
    assert alice.client.post(url).status_code in (404, 405), url
    event.refresh_from_db()
    assert event.status == "open"


@pytest.mark.parametrize("name", sorted(ORGANIZER))
def test_participants_get_404_on_organizer_account_pages(name, alice, event):
    application = Application.objects.create(
        event=event,
        organization_name="X",
        kind="venture",
        country="KR",
        description="X",
        contact_name="X",
        email="x@example.org",
    )
    args = [event.slug]
    if name == "accounts:application_decide":
        args += [application.pk, "approve"]
    url = reverse(name, args=args)
    assert alice.client.get(url).status_code in (404, 405)
    assert alice.client.post(url).status_code == 404
    application.refresh_from_db()
    assert application.status == "pending"


def test_participant_pages_never_show_another_pairs_request(charlie, ab_request):
    """charlie's own event pages answer, and show nothing of alice's request to bob."""
    secret = ab_request.message
    event = ab_request.event.slug
    for name in sorted(PARTICIPANT):
        args = {
            "events:list": [],
            "inbox": [],
            "outbox": [],
            "agenda": [],
            "events:request_create": [event, "bob-org"],
            "outcomes:record": None,
        }.get(name, [event])
        if args is None:
            continue
        response = charlie.client.get(reverse(name, args=args), follow=True)
        assert response.status_code in (200, 404), name
        assert secret not in response.content.decode(), name
    assert MeetingRequest.objects.get(pk=ab_request.pk).status == "pending"


# A viewer reads its organization's event pages but changes nothing.
VIEWER_WRITES = [
    ("events:accept", "bob", "request"),
    ("events:decline", "bob", "request"),
    ("events:cancel", "alice", "request"),
    ("events:register", "alice", None),
    ("events:availability", "alice", None),
    ("events:request_create", "alice", "charlie-org"),
]


@pytest.mark.parametrize(("name", "side", "extra"), VIEWER_WRITES)
def test_a_viewer_changes_nothing_at_an_event(name, side, extra, alice, bob, charlie, ab_request):
    party = {"alice": alice, "bob": bob}[side]
    Contact.objects.filter(pk=party.contact.pk).update(role=MemberRole.VIEWER)
    args = [ab_request.event.slug]
    if extra == "request":
        args.append(ab_request.pk)
    elif extra:
        args.append(extra)
    url = reverse(name, args=args)
    requests_before = MeetingRequest.objects.count()
    response = party.client.post(url, {"reason": "other", "message": "Hello", "delegates": []})
    assert response.status_code == 404, url
    ab_request.refresh_from_db()
    assert ab_request.status == "pending"
    assert MeetingRequest.objects.count() == requests_before


def test_a_viewer_sees_requests_without_answer_buttons(bob, ab_request):
    Contact.objects.filter(pk=bob.contact.pk).update(role=MemberRole.VIEWER)
    for url in (
        reverse("events:inbox", args=[ab_request.event.slug]),
        reverse("events:request", args=[ab_request.event.slug, ab_request.pk]),
    ):
        page = bob.client.get(url).content.decode()
        assert reverse("events:accept", args=[ab_request.event.slug, ab_request.pk]) not in page
        assert "an owner or editor of your organization answers them" in page
