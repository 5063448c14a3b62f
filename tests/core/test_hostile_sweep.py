"""Hostile input on every page of the site, as every kind of visitor: never a server error, and
a refused form changes nothing.

Every URL the site resolves is called: the site's pages (PAGES, in English and again in Korean
and Japanese) and Django admin's (its own pages, and the changelist with its list filters,
search, ordering and paging, the actions, add, change, history and delete pages of every
registered model). Each is called as four visitors: anonymous, a member (alice, an owner of a
venture at the event, who sent bob a request and received dave's), an outsider (charlie, at the
same event, a party to none of alice's requests) and an organizer (a staff login in the
"Organizers" group). The objects are the access matrix's (`alice_things`) and a few more
(`world`).

What a page reads is the fields of the forms it shows (read from its HTML, with the values it
shows as the valid ones) and what PAGES adds (what a view reads besides a form). As the visitor
the page is for:
- each query parameter and form field gets each value of its kind (`hostile.VALUES_BY_KIND`:
  empty, blank, huge, forty nines, beyond 32 bits, negative, NUL, line breaks, control
  characters, Hangul and Kanji, full-width digits, "²", right-to-left marks and emoji, markup
  and SQL, format placeholders, unknown choices, year 1, bytes that are not UTF-8, the key
  repeated); every field at once gets a huge text, a NUL and a line break;
- each argument of the address gets each value of `hostile.HOSTILE_IN_PATH` (an unknown slug,
  zero, an id too large for any column, negative, huge, NUL, a line break, Hangul, bytes that
  are not UTF-8);
- an upload gets broken files (`hostile.HOSTILE_FILES`), and the site's own export with each
  value of `hostile.CELL_HOSTILE` in each column.
As the other visitors, each value of `hostile.SHORT_HOSTILE` goes in every parameter and field
at once, and a few in each argument. A form met again at another address (an add page's on its
edit page) gets the short list; admin pages get `hostile.ADMIN_HOSTILE`.

What must hold: no answer is a server error (>= 500), nor an e-mail sent after it; a POST that
is refused (4xx, the form shown again with errors, or an error message) and ran an INSERT,
UPDATE or DELETE leaves the database as it was (`hostile.fingerprint`: counts, highest ids and
latest dates of every table of the site); the valid form of each page is accepted as the
visitor it is for, so the sweep reaches the code that saves. Every case runs in a savepoint
that is rolled back: all start from the same database. All failures are listed in one message.

`test_stored_hostile_text_breaks_no_page` then stores pasted-looking text through every form and
import that takes it, schedules and publishes the event, and reads every page again.

About 16,000 cases on either database (the same on SQLite and PostgreSQL); the figure and the
time are printed at the end of the run, and SWEEP_FLOOR keeps the sweep from shrinking
unnoticed. A URL the sweep does not know fails `test_every_url_is_swept`. To sweep some pages
only while working on them: HOSTILE_ONLY=<regular expression of URL names>.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie
from unittest import mock

import django.test.client
import pytest
from django import urls
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import ERROR, get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponseBadRequest
from django.test import Client, RequestFactory, TestCase
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from simple_history.admin import SimpleHistoryAdmin

from kbio.accounts.models import Application, Invitation
from kbio.directory.models import Organization
from kbio.directory.partnering import (
    Exclusion,
    InvestorMandate,
    Relationship,
    RelationshipKind,
    ServiceCapability,
    Vehicle,
)
from kbio.events.models import Event, EventStatus, Meeting, MeetingRequest, RequestStatus, TimeSlot
from kbio.events.services import meeting_request_accept
from kbio.jobs.models import Job, JobKind, JobState
from kbio.matching.index import current_token
from tests.core import hostile
from tests.core.hostile import (
    ADMIN_HOSTILE,
    ADMIN_IN_PATH,
    CELL_HOSTILE,
    HOSTILE,
    HOSTILE_FILES,
    HOSTILE_IN_PATH,
    SHORT_HOSTILE,
    SHORT_IN_PATH,
    VALUES_BY_KIND,
    Value,
)
from tests.events.conftest import make_party
from tests.events.factories import MeetingFactory, MeetingRequestFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "outsider", "organizer")
LANGUAGES = ("ko", "ja")
PASSWORD = "partnering-pass-1"  # tests.factories.UserFactory's
NEW_PASSWORD = "Seven-green-tables-42"
# The sweep may grow; it must not shrink without someone lowering this on purpose.
SWEEP_FLOOR = 15_000
# The text fields and columns that take pasted text (test_stored_hostile_text_breaks_no_page).
STORED_FLOOR = 30


@dataclass(frozen=True)
class Page:
    """How the sweep calls one URL.

    `args` name the world's objects (`World.args`), or are written as they are after "=".
    `get` and `post` are what the view reads besides the forms it shows, each with a valid
    value; `post=None` for a page that takes no POST. `upload` names the export whose content is
    a valid file for the page's upload field. `by` is the role the page is for: its forms are
    read as that role, and its valid form must be accepted as that role unless `valid` is
    False (a request the state of the world refuses, such as scheduling an event still open).
    `before` is a page opened first in the same session (the password-reset link)."""

    args: tuple[str, ...] = ()
    get: Mapping[str, Value] = field(default_factory=dict)
    post: Mapping[str, Value] | None = None
    upload: str | None = None
    by: str = "member"
    valid: bool = True
    before: tuple[str, tuple[str, ...]] | None = None


CRITERIA = ("interest", "exclusion", "mandate", "capability", "relationship")
NEXT = "/organizations/bob-org/"

PAGES: dict[str, list[Page]] = {
    # Anyone.
    "set_language": [Page(get={"next": "/"}, post={"language": "ko", "next": "/"})],
    "choose_language": [Page(args=("=ko",), get={"next": "/ko/events/"}, by="anonymous")],
    "<favicon.ico>": [Page(by="anonymous")],
    "health": [Page(by="anonymous")],
    "home": [Page(get={"sort": "fit"})],
    "login": [
        Page(
            get={"next": "/events/"},
            post={"username": "alice", "password": PASSWORD, "next": "/events/"},
            by="anonymous",
        )
    ],
    "logout": [Page(post={"next": "/"})],
    "password_reset": [Page(post={"email": "alice@example.org"}, by="anonymous")],
    "password_reset_done": [Page(by="anonymous")],
    "password_reset_confirm": [
        Page(args=("uid", "reset-token"), by="anonymous"),
        Page(
            args=("uid", "=set-password"),
            post={"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            by="anonymous",
            before=("password_reset_confirm", ("uid", "reset-token")),
        ),
    ],
    "password_reset_complete": [Page(by="anonymous")],
    "password_change": [
        Page(
            post={
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            }
        )
    ],
    "password_change_done": [Page()],
    "directory:organization_list": [Page(get={"page": "1"}, by="anonymous")],
    "directory:organization": [Page(args=("org",)), Page(args=("partner",))],
    "matching:organization_matches": [Page(args=("org",), get={"page": "1"})],
    "accounts:accept": [
        Page(
            args=("token",),
            post={
                "username": "newcomer",
                "name": "New Comer",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
            by="anonymous",
        )
    ],
    "accounts:apply": [
        Page(
            args=("event",),
            post={
                "organization_name": "Fresh Bio",
                "kind": "venture",
                "country": "KR",
                "description": "Cell therapy.",
                "contact_name": "Kim",
                "email": "kim@fresh.example.org",
            },
            by="anonymous",
        )
    ],
    # One organization's member pages.
    "accounts:invite": [Page(args=("org",), post={"email": "new@alice.example.org"})],
    "accounts:invitation_withdraw": [Page(args=("org", "invitation"), post={})],
    "directory:edit_profile": [Page(args=("org",), post={})],
    "directory:edit_criteria": [Page(args=("org",))],
    "directory:criterion_add": [
        Page(args=("org", f"={kind}"), post=post, valid=kind != "mandate")
        for kind, post in [
            ("interest", {}),
            ("exclusion", {"focus_area": "@oncology", "since": "2024-04-01"}),
            ("mandate", {"vehicle": Vehicle.DIRECT}),
            ("capability", {"service": "@cmc"}),
            ("relationship", {"partner": "@third-pk", "kind": "mou", "since": "2024-04-01"}),
        ]
    ],
    "directory:criterion_edit": [
        Page(args=("org", f"={kind}", kind), post={}) for kind in CRITERIA
    ],
    "directory:criterion_delete": [
        Page(args=("org", f"={kind}", kind), post={}) for kind in CRITERIA
    ],
    "directory:edit_assets": [Page(args=("org",))],
    "directory:asset_add": [
        Page(
            args=("org",),
            post={"name": "KB-202", "modality": "@ipsc", "stage": "preclinical"},
        )
    ],
    "directory:edit_asset": [Page(args=("org", "asset"), post={})],
    "directory:asset_delete": [Page(args=("org", "asset"), post={})],
    "directory:edit_contacts": [Page(args=("org",))],
    "directory:contact_add": [
        Page(args=("org",), post={"name": "Park", "email": "park@alice.example.org"})
    ],
    "directory:contact_edit": [Page(args=("org", "contact"), post={})],
    "directory:contact_remove": [Page(args=("org", "contact"), post={})],
    "matching:not_interested": [
        Page(args=("org",), post={"partner": "bob-org", "reason": "not_now", "next": NEXT})
    ],
    "matching:interested_again": [Page(args=("org",), post={"partner": "bob-org", "next": NEXT})],
    "matching:shortlist": [Page(args=("org",))],
    "matching:shortlist_add": [
        Page(args=("org",), post={"partner": "bob-org", "note": "Ask about KB-1", "next": NEXT})
    ],
    "matching:shortlist_remove": [Page(args=("org",), post={"partner": "bob-org", "next": NEXT})],
    # The event's pages of a participant.
    "events:list": [Page()],
    "events:detail": [Page(args=("event",))],
    "events:participants": [Page(args=("event",), get={"sort": "fit"})],
    "events:register": [Page(args=("event",), post={})],
    "events:availability": [Page(args=("event",), post={})],
    "events:request_create": [
        Page(
            args=("event", "third"),
            get={"asset": "ab-1"},
            post={"message": "We would like to meet.", "asset": ""},
        )
    ],
    "events:inbox": [Page(args=("event",), get={"sort": "fit"})],
    "events:outbox": [Page(args=("event",))],
    "events:agenda": [Page(args=("event",))],
    "events:agenda_ics": [Page(args=("event",))],
    "events:request": [Page(args=("event", "outgoing"), post={"body": "Shall we meet at 2?"})],
    "events:accept": [Page(args=("event", "incoming"), post={})],
    "events:decline": [
        Page(args=("event", "incoming"), post={"reason": "outside_focus", "note": ""})
    ],
    "events:cancel": [Page(args=("event", "outgoing"), post={})],
    "outcomes:record": [
        Page(args=("past", "held"), post={"stage": "follow_up", "on": "2025-02-01", "note": ""})
    ],
    "inbox": [Page()],
    "outbox": [Page()],
    "agenda": [Page()],
    # The organizers'.
    "accounts:applications": [Page(args=("event",), by="organizer")],
    "accounts:event_members": [Page(args=("event",), by="organizer")],
    "accounts:application_decide": [
        Page(args=("event", "application", f"={decision}"), post={}, by="organizer")
        for decision in ("approve", "reject")
    ],
    "organizer:index": [Page(by="organizer")],
    "organizer:data": [Page(by="organizer")],
    "organizer:organizations_export": [Page(by="organizer")],
    "organizer:organizations_import": [
        Page(get={"job": "@job"}, post={}, upload="organizer:organizations_export", by="organizer")
    ],
    "organizer:criteria_export": [Page(by="organizer")],
    "organizer:criteria_import": [
        Page(get={"job": "@job"}, post={}, upload="organizer:criteria_export", by="organizer")
    ],
    "organizer:organization_history": [Page(args=("org",), by="organizer")],
    "organizer:dashboard": [
        Page(args=("event",), get={"fewer_than": "3", "page": "1"}, by="organizer")
    ],
    "organizer:window": [
        Page(args=("event", f"={action}"), post={"next": "schedule"}, by="organizer")
        for action in ("close", "open")
    ],
    "organizer:schedule": [Page(args=("event",), by="organizer")],
    # The event is still open: the scheduler and publish refuse it, with a message.
    "organizer:schedule_run": [
        Page(args=("event",), post={"mode": "dry-run"}, by="organizer", valid=False)
    ],
    "organizer:schedule_publish": [Page(args=("event",), post={}, by="organizer", valid=False)],
    # Nothing to send again: the schedule is not published (a message says so).
    "organizer:schedule_resend": [Page(args=("event",), post={}, by="organizer")],
    "organizer:job": [Page(args=("job",), get={"back": "/organizer/"}, by="organizer")],
    "organizer:requests_export": [Page(args=("event",), by="organizer")],
    "organizer:schedule_export": [Page(args=("event",), by="organizer")],
    "organizer:requests_import": [
        Page(
            args=("event",),
            get={"job": "@job"},
            post={},
            upload="organizer:requests_export",
            by="organizer",
        )
    ],
    "organizer:outcomes": [Page(args=("past",), by="organizer")],
    "organizer:outcomes_export": [Page(args=("past",), by="organizer")],
}

# Django admin's own pages (the pages of each model are made from the registry, below).
ADMIN_PAGES: dict[str, list[Page]] = {
    "admin:index": [Page(by="organizer")],
    "admin:login": [
        Page(
            get={"next": "/admin/"},
            post={"username": "organizer", "password": PASSWORD},
            by="anonymous",
        )
    ],
    "admin:logout": [Page(post={}, by="organizer")],
    "admin:password_change": [Page(by="organizer")],
    "admin:password_change_done": [Page(by="organizer")],
    "admin:jsi18n": [Page(by="organizer")],
    "admin:app_list": [
        Page(args=(f"={app}",), by="organizer")
        for app in ("directory", "accounts", "events", "matching", "outcomes")
    ],
    "admin:autocomplete": [
        Page(
            get={
                "term": "bob",
                "app_label": "directory",
                "model_name": "contact",
                "field_name": "organization",
            },
            by="organizer",
        )
    ],
    "admin:view_on_site": [Page(args=("org-content-type", "org-pk"), by="organizer")],
    # Not the organizers' (a 403): swept all the same.
    "admin:auth_user_password_change": [
        Page(args=("alice-user",), post={}, by="organizer", valid=False)
    ],
    # The admin's catch-all: an unknown address under /admin/.
    "admin:<admin/(?P<url>.*)$>": [Page(by="organizer")],
}
# The admin's changelist parameters besides the list filters: search, ordering, page and the
# field a popup picks by.
ADMIN_LIST_PARAMETERS = ("q", "o", "p", "_to_field")

# --- the world ---------------------------------------------------------------------------------


@dataclass
class World:
    args: dict[str, str]
    clients: dict[str, Client]


@pytest.fixture
def world(
    alice, bob, charlie, anonymous, organizer, alice_things, ab_request, past_event, event, taxonomy
) -> World:
    """The access matrix's alice, bob and charlie at the event, alice's asset, colleague,
    criterion and invitation (`alice_things`, which makes alice an owner), alice's pending
    request to bob; and dave's pending request to alice, one of each kind of criterion, an
    accepted meeting of alice and bob held at the past event, an application, an invitation
    whose link is known and a password-reset link of alice."""
    current_token()  # the first use of a database writes the index's token: not in a case
    org = alice.organization
    area = taxonomy["areas"]
    dave = make_party(event, "dave", kind="investor", country="KR")
    incoming = MeetingRequestFactory(
        event=event,
        requester=dave.participation,
        recipient=alice.participation,
        sent_by=dave.user,
        message="Dave would like to meet.",
    )
    held = MeetingRequestFactory(
        event=past_event,
        requester=ParticipationFactory(event=past_event, organization=org),
        recipient=ParticipationFactory(event=past_event, organization=bob.organization),
        sent_by=alice.user,
        status=RequestStatus.ACCEPTED,
    )
    MeetingFactory(
        request=held,
        slot=TimeSlot.objects.of_event(past_event).first(),
        table=past_event.tables.first(),
        is_published=True,
    )
    criteria = {
        "interest": alice_things["criterion"],
        "exclusion": Exclusion.objects.create(
            organization=org,
            slug="no-antibodies",
            focus_area=area["antibody"],
            since=event.created.date(),
        ).pk,
        "mandate": InvestorMandate.objects.create(organization=org, vehicle=Vehicle.DIRECT).pk,
        "capability": ServiceCapability.objects.create(
            organization=org, service=area["glp-toxicology"]
        ).pk,
        "relationship": Relationship.objects.create(
            organization=org,
            partner=bob.organization,
            kind=RelationshipKind.MOU,
            since=event.created.date() - timedelta(days=400),
        ).pk,
    }
    application = Application.objects.create(
        event=event,
        organization_name="Newcomer Bio",
        kind="venture",
        country="KR",
        description="Antibodies.",
        contact_name="Lee",
        email="lee@newcomer.example.org",
    )
    token, digest = Invitation.new_token()
    Invitation.objects.create(
        organization=org,
        email="invited@alice.example.org",
        token_hash=digest,
        expires_at=Invitation.default_expiry(),
    )
    job = Job.objects.create(kind=JobKind.IMPORT, subject="organizations", state=JobState.DONE)

    args = {
        "org": org.slug,
        "partner": bob.organization.slug,
        "third": charlie.organization.slug,
        "event": event.slug,
        "past": past_event.slug,
        "asset": str(alice_things["asset"]),
        "contact": str(alice_things["contact"]),
        "invitation": str(alice_things["invitation"]),
        "token": token,
        "outgoing": str(ab_request.pk),
        "incoming": str(incoming.pk),
        "held": str(held.pk),
        "application": str(application.pk),
        "uid": urlsafe_base64_encode(force_bytes(alice.user.pk)),
        "reset-token": default_token_generator.make_token(alice.user),
        "org-content-type": str(ContentType.objects.get_for_model(org).pk),
        "org-pk": str(org.pk),
        "job": str(job.pk),
        "@job": str(job.pk),
        "alice-user": str(alice.user.pk),
        **{kind: str(pk) for kind, pk in criteria.items()},
        # Form values ("@..." in PAGES): ids of the taxonomy and of charlie's organization.
        "@oncology": str(area["oncology"].pk),
        "@ipsc": str(area["ipsc-cell-therapy"].pk),
        "@cmc": str(area["cmc-manufacturing"].pk),
        "@third-pk": str(charlie.organization.pk),
    }
    clients = {
        "anonymous": anonymous,
        "member": alice.client,
        "outsider": charlie.client,
        "organizer": organizer,
    }
    for client in clients.values():
        client.raise_request_exception = False
    return World(args, clients)


# --- the cases -----------------------------------------------------------------------------------


def url_routes() -> dict[str, str]:
    """Every URL of the site, the language-prefixed ones and Django admin's included: its name
    (an unnamed one by its route in angle brackets) -> its route."""

    def walk(patterns, namespace: str, prefix: str):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                full = f"{namespace}:{inner}" if namespace and inner else namespace or inner
                yield from walk(pattern.url_patterns, full, route)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<{route}>"
                yield (f"{namespace}:{name}" if namespace else name), route

    with translation.override("en"):
        return dict(walk(get_resolver().url_patterns, "", ""))


# Numbers that every converter takes (slug, str, int, path), put in a URL's arguments to mark
# where a hostile value goes.
def _sentinel(position: int) -> str:
    return str(987_650 + position)


@dataclass
class Case:
    key: str
    page: Page
    paths: dict[str, str]  # language -> path
    template: str  # the English path with a sentinel in place of each argument
    before: str | None = None

    def with_argument(self, position: int, value: str) -> str:
        return self.template.replace(_sentinel(position), value, 1)


def _template(name: str, args: list[str]) -> str:
    """The path of `name` with a sentinel in place of each argument."""
    try:
        return reverse(name, args=[_sentinel(i) for i in range(len(args))])
    except NoReverseMatch:  # a converter that takes only some words (the admin's app list)
        path = reverse(name, args=args)
        for i, arg in enumerate(args):
            path = path.replace(f"/{arg}/", f"/{_sentinel(i)}/", 1)
        return path


def _argument(world: World, arg: str) -> str:
    return arg[1:] if arg.startswith("=") else world.args[arg]


def site_cases(world: World) -> list[Case]:
    cases = []
    for key, pages in PAGES.items():
        for page in pages:
            if key.startswith("<"):
                path = "/" + key.strip("<>")
                cases.append(Case(key, page, {"en": path}, path))
                continue
            args = [_argument(world, arg) for arg in page.args]
            paths = {}
            for language in ("en", *LANGUAGES):
                with translation.override(language):
                    paths[language] = reverse(key, args=args)
            with translation.override("en"):
                template = _template(key, args)
                before = None
                if page.before:
                    name, before_args = page.before
                    before = reverse(name, args=[_argument(world, a) for a in before_args])
            cases.append(Case(key, page, paths, template, before))
    return cases


def admin_cases(world: World) -> list[Case]:
    """Django admin: its own pages, and the pages of every registered model, with the list
    filters, search, ordering and paging of the changelist and its actions."""
    from django.contrib.auth import get_user_model

    cases = []
    for key, pages in ADMIN_PAGES.items():
        for page in pages:
            if key == "admin:<admin/(?P<url>.*)$>":
                path = "/admin/no-such-page/"
                cases.append(Case(key, page, {"en": path}, "/admin/987650/"))
                continue
            args = [_argument(world, arg) for arg in page.args]
            with translation.override("en"):
                path = reverse(key, args=args)
                template = _template(key, args)
            cases.append(Case(key, page, {"en": path}, template))
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    organizer = get_user_model().objects.get(username="organizer")
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = model_admin.get_changelist_instance(request)
        parameters = dict.fromkeys(ADMIN_LIST_PARAMETERS)
        for spec in changelist.filter_specs:
            parameters.update(dict.fromkeys(spec.expected_parameters()))
        if model_admin.date_hierarchy:
            for part in ("year", "month", "day"):
                parameters[f"{model_admin.date_hierarchy}__{part}"] = None
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first() or 1
        actions = {"action": "delete_selected", "_selected_action": str(pk)}
        # The organizers keep the site's own models; Django's and the libraries' are not theirs.
        theirs = organizer.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
        pages = {
            "changelist": Page(get=parameters, post=actions, by="organizer", valid=theirs),
            "add": Page(by="organizer"),
            "change": Page(args=(str(pk),), by="organizer"),
            "history": Page(args=(str(pk),), by="organizer"),
            "delete": Page(args=(str(pk),), by="organizer"),
        }
        if isinstance(model_admin, SimpleHistoryAdmin):
            record = model.history.filter(pk=pk).values_list("history_id", flat=True).first()
            pages["simple_history"] = Page(args=(str(pk), str(record or 1)), by="organizer")
        with translation.override("en"):
            for view, page in pages.items():
                args = list(page.args)
                cases.append(
                    Case(
                        f"{info}_{view}",
                        page,
                        {"en": reverse(f"{info}_{view}", args=args)},
                        _template(f"{info}_{view}", args),
                    )
                )
            changelist_path = reverse(f"{info}_changelist")
        # The admin's address of an object without "change/" (it redirects there).
        route = f"<admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/>"
        cases.append(
            Case(
                f"admin:{route}",
                Page(args=(str(pk),), by="organizer"),
                {"en": f"{changelist_path}{pk}/"},
                f"{changelist_path}{_sentinel(0)}/",
            )
        )
    return cases


def test_every_url_is_swept(world):
    swept = {case.key for case in site_cases(world) + admin_cases(world)}
    unswept = sorted(set(url_routes()) - swept)
    assert not unswept, f"Add these URLs to the hostile sweep (PAGES): {unswept}"


# --- the sweep -----------------------------------------------------------------------------------

# What the sweep ran, per database: shown at the end of the run (tests/core/conftest.py).
REPORT: dict[str, str] = {}

_LATER_ROW = re.compile(r"-[1-9][0-9]*-")
_ERRORS = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…({len(text)} characters)"


def _errors_of(response) -> list[str]:
    """The errors of a form shown again (Django's error lists)."""
    if "html" not in response.get("Content-Type", ""):
        return []
    html = response.content.decode(errors="replace")
    return [re.sub(r"<[^>]+>", " ", found).strip() for found in _ERRORS.findall(html)]


def _error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level >= ERROR]


def refused(response) -> bool:
    """A 4xx, the form shown again with errors, or an error message."""
    return bool(response.status_code >= 400 or _errors_of(response) or _error_messages(response))


def _problem(response) -> str:
    if response.exc_info:
        _type, exc, _traceback = response.exc_info
        return f"{response.status_code} {type(exc).__name__}: {_short(str(exc), 300)}"
    return str(response.status_code)


def _valid(values: Mapping[str, Value | None]) -> list[tuple[str, Value]]:
    return [(name, value) for name, value in values.items() if value is not None]


class Sweep:
    def __init__(self, world: World):
        self.world = world
        self.count = 0
        self.failures: list[str] = []
        self.forms: dict[tuple[str, str], hostile.Form] = {}
        self.swept_forms: set[frozenset[str]] = set()
        self.wrote = False  # an INSERT, UPDATE or DELETE ran in the current case
        self.shown: dict[int, object] = {}  # each case's valid GET as the role it is for
        self.baseline = hostile.fingerprint()

    def fail(self, role: str, method: str, path: str, what: str, problem: str) -> None:
        self.failures.append(f"{role} {method.upper()} {_short(path)} {what}: {problem}")

    def call(
        self,
        role: str,
        method: str,
        path: str,
        *,
        what: str,
        query: str = "",
        body: str | None = None,
        files: dict | None = None,
        before: str | None = None,
        valid_by: str | None = None,
        follow: bool = False,
        then: Callable | None = None,
        keep: bool = False,
    ):
        """One request in a savepoint that is rolled back (unless `keep`, when it answers):
        every case starts from the same database. E-mails sent on commit are sent (and so
        checked) before the rollback."""
        client = self.world.clients[role]
        cookies = SimpleCookie(client.cookies.output(header="", sep=";"))
        self.count += 1
        response = None
        url = f"{path}?{query}" if query else path
        try:
            with transaction.atomic():
                if before:
                    client.get(before)
                self.wrote = False
                try:
                    with (
                        connection.execute_wrapper(self._note_writes),
                        TestCase.captureOnCommitCallbacks(execute=True),
                    ):
                        if method == "get":
                            response = client.get(url)
                        elif files is not None:
                            response = client.post(url, files)
                        else:
                            response = client.post(
                                url, body or "", content_type="application/x-www-form-urlencoded"
                            )
                except Exception as exc:  # what is sent after the answer: an e-mail
                    self.fail(role, method, url, what, f"after the answer: {exc!r}")
                    response = None
                else:
                    self.check(response, role, method, url, what, valid_by)
                    if follow and 300 <= response.status_code < 400:
                        location = response["Location"]
                        if location.startswith("/"):
                            shown = client.get(location)
                            if shown.status_code >= 500:
                                self.fail(role, "get", location, f"after {what}", _problem(shown))
                    if then is not None:
                        then(response)
                if not (keep and response is not None and response.status_code < 500):
                    transaction.set_rollback(True)
        finally:
            client.cookies = cookies
            mail.outbox.clear()
        return response

    def _note_writes(self, execute, sql, params, many, context):
        if not self.wrote and sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.wrote = True
        return execute(sql, params, many, context)

    def check(self, response, role: str, method: str, url: str, what: str, valid_by) -> None:
        if response.status_code >= 500:
            self.fail(role, method, url, what, _problem(response))
            return
        if method != "post" or self.baseline is None or not refused(response):
            return
        if valid_by == role:
            errors = _errors_of(response) or _error_messages(response) or response.status_code
            self.fail(role, method, url, what, f"the valid form is refused: {errors}")
        if not self.wrote:  # nothing was written: the fingerprint cannot have changed
            return
        try:
            changed = hostile.differences(self.baseline, hostile.fingerprint())
        except DatabaseError as exc:
            self.fail(role, method, url, what, f"refused, and the database is broken: {exc!r}")
            return
        if changed:
            self.fail(
                role, method, url, what, f"refused ({response.status_code}), yet wrote {changed}"
            )

    # --- the forms of the pages ---

    def discover(self, cases: list[Case]) -> None:
        """Every page once as the role it is for: the forms it shows, by where they send to."""
        for case in cases:
            path = case.paths["en"]

            def read(response, path=path):
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    return
                for form in hostile.forms_of(response.content.decode()):
                    target = form.action.split("#")[0].split("?")[0] or path
                    target = target.removeprefix("http://testserver")
                    known = self.forms.setdefault((target, form.method), form)
                    for name, kind in form.kinds.items():
                        known.kinds.setdefault(name, kind)

            self.shown[id(case)] = self.call(
                case.page.by,
                "get",
                path,
                what="valid, read for its forms",
                query=hostile.encode(_valid(case.page.get)),
                before=case.before,
                then=read,
            )

    def fields(self, case: Case, method: str) -> tuple[dict[str, Value], dict[str, str]]:
        """The valid values of what a page reads, and each name with its kind of input."""
        form = self.forms.get((case.paths["en"], method))
        values: dict[str, Value] = dict(form.values) if form else {}
        kinds = dict(form.kinds) if form else {}
        given = case.page.get if method == "get" else case.page.post or {}
        for name, value in given.items():
            if value is not None:
                values[name] = (
                    self.world.args.get(value, value) if isinstance(value, str) else value
                )
            kinds.setdefault(name, "read by the view")
        values.pop("csrfmiddlewaretoken", None)
        kinds.pop("csrfmiddlewaretoken", None)
        if case.key.startswith("admin:") and method == "post":
            # Django's own bookkeeping (the action form's index, the list's row forms): only
            # the action and the ticked rows.
            kinds = {name: kind for name, kind in kinds.items() if name in given}
        # The other rows of a formset (the admin's editable list) have the first row's fields.
        kinds = {name: kind for name, kind in kinds.items() if not _LATER_ROW.search(name)}
        uploads = {name for name, kind in kinds.items() if kind == "file"}
        values = {name: value for name, value in values.items() if name not in uploads}
        return values, {name: kind for name, kind in kinds.items() if name not in uploads}

    @staticmethod
    def values_for(kind: str, admin_page: bool) -> list[tuple[str, Value]]:
        return ADMIN_HOSTILE if admin_page else VALUES_BY_KIND.get(kind, HOSTILE)

    # --- the cases of one page ---

    def sweep(self, case: Case, uploads: dict[str, bytes]) -> None:
        page, path, before = case.page, case.paths["en"], case.before
        params, param_kinds = self.fields(case, "get")
        posted, field_kinds = self.fields(case, "post") if page.post is not None else ({}, {})
        admin_page = case.key.startswith("admin:")
        # A form met again at another address (the add page's on the edit page): a few values.
        first_time = frozenset(field_kinds) not in self.swept_forms
        self.swept_forms.add(frozenset(field_kinds))
        body = hostile.encode(list(posted.items()))
        for role in ROLES:
            full = role == page.by
            shown = (
                self.shown[id(case)]
                if full
                else self.call(
                    role,
                    "get",
                    path,
                    what="valid",
                    query=hostile.encode(_valid(params)),
                    before=before,
                )
            )
            if full:
                self.call(role, "get", path, what="a nameless parameter", query="%00=%00&=&&")
            self.sweep_parameters(role, path, param_kinds, full, admin_page)
            sent = None
            if page.post is not None:
                valid_by = page.by if page.valid and not page.upload else None
                sent = self.call(
                    role,
                    "post",
                    path,
                    what="the valid form",
                    body=body,
                    before=before,
                    valid_by=valid_by,
                )
                self.call(role, "post", path, what="nothing", body="", before=before)
            for position in range(len(page.args)):
                self.sweep_argument(case, role, position, shown, sent, body)
            if page.post is not None:
                self.sweep_fields(case, role, posted, field_kinds, full, first_time, admin_page)
            if page.upload:
                cells = CELL_HOSTILE if full else []
                self.sweep_upload(case, role, posted, uploads[page.upload], cells)

    def sweep_parameters(self, role, path, kinds, full, admin_page) -> None:
        if not kinds:
            return
        if not full:
            # Another role than the page's: each value in every parameter at once.
            for label, value in SHORT_HOSTILE:
                every = hostile.encode([(name, value) for name in kinds])
                self.call(role, "get", path, what=f"every parameter={label}", query=every)
            return
        for name, kind in sorted(kinds.items()):
            for label, value in self.values_for(kind, admin_page):
                query = hostile.encode([(name, value)])
                self.call(role, "get", path, what=f"?{name}={label}", query=query)

    def sweep_argument(self, case: Case, role, position: int, shown, sent, body: str) -> None:
        """Each value in an argument of the address: every value as the role the page is for;
        a few as another role (a page that turns a visitor away reads no argument of theirs)."""
        what = f"argument {position + 1}"
        full = ADMIN_IN_PATH if case.key.startswith("admin:") else HOSTILE_IN_PATH
        if role != case.page.by:
            full = SHORT_IN_PATH
        for label, value in SHORT_IN_PATH if _turned_away(shown) else full:
            self.call(role, "get", case.with_argument(position, value), what=f"{what} = {label}")
        if case.page.post is None:
            return
        for label, value in SHORT_IN_PATH if _turned_away(sent) else full:
            hostile_path = case.with_argument(position, value)
            self.call(role, "post", hostile_path, what=f"{what} = {label}", body=body)

    def sweep_fields(self, case: Case, role, posted, kinds, full, first_time, admin_page):
        def post(what: str, values: dict) -> None:
            body = hostile.encode(list(values.items()))
            self.call(role, "post", case.paths["en"], what=what, body=body, before=case.before)

        if not kinds:  # nothing but the address: "nothing" and the valid form were sent
            return
        if not full:
            # Another role than the page's: each value in every field at once.
            for label, value in SHORT_HOSTILE:
                post(f"every field={label}", {**posted, **dict.fromkeys(kinds, value)})
            return
        for label, value in HOSTILE:
            if label in _EVERY_FIELD:
                post(f"every field={label}", {**posted, **dict.fromkeys(kinds, value)})
        for name, kind in sorted(kinds.items()):
            # A form met again at another address (the add page's on its edit page): a few.
            values = self.values_for(kind, admin_page) if first_time else SHORT_HOSTILE
            for label, value in values:
                post(f"{name}={label}", {**posted, name: value})

    def sweep_upload(self, case: Case, role: str, posted: dict, valid: bytes, cells) -> None:
        path = case.paths["en"]

        def send(what: str, content: bytes | str, valid_by: str | None = None):
            upload = (
                SimpleUploadedFile("upload.csv", content, content_type="text/csv")
                if isinstance(content, bytes)
                else content
            )
            self.call(
                role, "post", path, what=what, files={**posted, "file": upload}, valid_by=valid_by
            )

        send("the valid file", valid, valid_by=case.page.by)
        send("a text, not a file", "slug,name")
        for label, content in HOSTILE_FILES:
            send(label, content)
        for column, name in enumerate(hostile.csv_columns(valid)):
            for label, value in cells:
                if isinstance(value, list):
                    continue
                send(f"a file with {name}={label}", hostile.csv_with_cell(valid, column, value))

    def sweep_languages(self, case: Case) -> None:
        """The page in Korean and Japanese, valid and empty, with the page a POST leads to:
        messages and errors in every language (a translation that lost a placeholder of its
        message is a server error)."""
        page = case.page
        params, _kinds = self.fields(case, "get")
        posted, _kinds = self.fields(case, "post") if page.post is not None else ({}, {})
        for language in LANGUAGES:
            path = case.paths.get(language)
            if path is None or path == case.paths["en"]:
                continue
            for role in dict.fromkeys(("anonymous", page.by)):
                self.call(
                    role,
                    "get",
                    path,
                    what=f"valid, in {language}",
                    query=hostile.encode(_valid(params)),
                    before=case.before,
                )
                if page.post is None or role != page.by:
                    continue
                self.call(
                    role,
                    "post",
                    path,
                    what=f"the valid form, in {language}",
                    body=hostile.encode(list(posted.items())),
                    before=case.before,
                    follow=True,
                )
                self.call(
                    role,
                    "post",
                    path,
                    what=f"nothing, in {language}",
                    body="",
                    before=case.before,
                    follow=True,
                )


# Every field of a form at once.
_EVERY_FIELD = ("huge", "nul", "line break")
_LOGIN = re.compile(r"/(admin/)?(accounts/)?login/")


def _turned_away(response) -> bool:
    """Sent to a login page, refused (403), not found (404) or not allowed (405) whatever it
    asked: the page reads nothing of such a visitor's request."""
    if response is None:
        return False
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and bool(_LOGIN.search(response["Location"]))


@pytest.fixture
def quiet():
    """Refusals are logged with their tracebacks (tens of thousands here), and the test client
    copies the context of every template it renders, a widget's included: neither is needed."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security", "axes")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    with mock.patch.object(django.test.client, "store_rendered_templates", lambda *a, **k: None):
        yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def _failure_report(sweep: Sweep) -> str:
    """Every failure, grouped by what went wrong (one example each), then each of them."""
    by_problem: dict[str, list[str]] = {}
    for failure in sweep.failures:
        problem = failure.split(": ", 1)[1] if ": " in failure else failure
        by_problem.setdefault(re.sub(r"\d+", "N", problem)[:200], []).append(failure)
    lines = [f"{len(sweep.failures)} of {sweep.count} hostile requests failed."]
    for problem, failures in sorted(by_problem.items(), key=lambda item: -len(item[1])):
        lines.append(f"{len(failures)} x {problem}\n    e.g. {failures[0]}")
    return "\n".join([*lines, "", "All of them:", *sweep.failures])


def test_no_hostile_input_is_a_server_error(world, quiet):
    started, cpu = time.perf_counter(), time.process_time()
    cases = site_cases(world) + admin_cases(world)
    only = os.environ.get("HOSTILE_ONLY")
    if only:
        cases = [case for case in cases if re.search(only, case.key)]
    sweep = Sweep(world)
    sweep.discover(cases)
    uploads = {}
    for case in cases:
        if case.page.upload:
            args = [_argument(world, arg) for arg in case.page.args]
            export = world.clients["organizer"].get(reverse(case.page.upload, args=args))
            uploads[case.page.upload] = export.content
    for case in cases:
        sweep.sweep(case, uploads)
    for case in cases:
        sweep.sweep_languages(case)
    seconds = time.perf_counter() - started
    REPORT[connection.vendor] = (
        f"{sweep.count} cases in {seconds:.0f} s ({time.process_time() - cpu:.0f} s of processor)"
    )
    assert not sweep.failures, _failure_report(sweep)
    assert only or sweep.count >= SWEEP_FLOOR


# --- what stays: text stored through the forms, read by every page -------------------------------

# Forms whose text is not stored or that end the session: nothing to read back.
NOT_STORED = {"login", "logout", "password_reset", "password_change", "admin:login"}


def _stored_text(kind: str) -> str | None:
    return {"textarea": hostile.STORED_TEXT, "text": hostile.STORED_LINE}.get(kind)


def test_stored_hostile_text_breaks_no_page(world, bob, quiet):
    """What a careless paste brings (right-to-left marks, emoji, markup, quotes, backslashes,
    format placeholders, other scripts; line breaks where a text takes several lines) stored
    through every form and import that accepts it, then every page read as every role in
    English, Korean and Japanese, the calendar file, the exports and the e-mails sent on the
    way: none is a server error."""
    cases = [c for c in site_cases(world) + admin_cases(world) if c.key not in NOT_STORED]
    sweep = Sweep(world)
    sweep.baseline = None  # this test keeps what it writes
    sweep.discover(cases)
    stored = 0
    for case in cases:
        if case.page.post is None or case.key.startswith("admin:"):
            continue
        posted, kinds = sweep.fields(case, "post")
        texts = {name: _stored_text(kind) for name, kind in kinds.items() if _stored_text(kind)}
        if case.page.upload:
            stored += _store_in_file(sweep, case)
            continue
        if not texts:
            continue

        def store(values: dict, what: str, case=case, posted=posted) -> bool:
            body = hostile.encode(list({**posted, **values}.items()))
            response = sweep.call(
                case.page.by,
                "post",
                case.paths["en"],
                what=what,
                body=body,
                before=case.before,
                follow=True,
                keep=True,
            )
            return response is not None and response.status_code < 500 and not refused(response)

        if store(texts, "pasted text in every text field"):
            stored += len(texts)
            continue
        for name, text in texts.items():  # one field refuses it: each field alone
            stored += store({name: text}, f"pasted text in {name}")
    # The names are on the schedule, its e-mails and calendar files: bob accepts alice's request,
    # and the organizer closes the requests, schedules and publishes.
    with TestCase.captureOnCommitCallbacks(execute=True):
        meeting_request_accept(
            meeting_request=MeetingRequest.objects.get(pk=world.args["outgoing"]), by=bob.user
        )
    for name, args in [("organizer:window", ["close"]), ("organizer:schedule_run", [])]:
        path = reverse(name, args=[world.args["event"], *args])
        sweep.call("organizer", "post", path, what="after pasted text", keep=True, follow=True)
    path = reverse("organizer:schedule_publish", args=[world.args["event"]])
    with TestCase.captureOnCommitCallbacks(execute=True):
        sweep.call("organizer", "post", path, what="after pasted text", keep=True, follow=True)
    assert Event.objects.get(slug=world.args["event"]).status == EventStatus.PUBLISHED
    assert Meeting.objects.filter(request__event__slug=world.args["event"], is_published=True)
    for case in cases:
        params, _kinds = sweep.fields(case, "get")
        query = hostile.encode(_valid(params))
        for language, path in case.paths.items():
            # Every role in English; in Korean and Japanese, the page's own and an anonymous one.
            roles = ROLES if language == "en" else dict.fromkeys(("anonymous", case.page.by))
            for role in roles:
                sweep.call(role, "get", path, what=f"after pasted text, in {language}", query=query)
    assert not sweep.failures, _failure_report(sweep)
    assert stored >= STORED_FLOOR, f"only {stored} fields took the pasted text"


def _store_in_file(sweep: Sweep, case: Case) -> int:
    """The site's export with pasted text in every text column, imported (a column that
    refuses it is left as it was)."""
    args = [_argument(sweep.world, arg) for arg in case.page.args]
    organizer = sweep.world.clients["organizer"]
    valid = organizer.get(reverse(case.page.upload, args=args)).content
    text_columns = [
        column
        for column, name in enumerate(hostile.csv_columns(valid))
        if name in ("name", "native_name", "former_name", "city", "description", "note")
        or name.startswith("description_")
        or name == "message"
    ]
    content = valid
    for column in text_columns:
        content = hostile.csv_with_cell(content, column, hostile.STORED_LINE)
    upload = SimpleUploadedFile("pasted.csv", content, content_type="text/csv")
    response = sweep.call(
        "organizer",
        "post",
        case.paths["en"],
        what="pasted text in every text column",
        files={"file": upload},
        follow=True,
        keep=True,
    )
    return len(text_columns) if response is not None and not refused(response) else 0


# --- the sweep's own checks can fail -------------------------------------------------------------


def _saves_then_refuses(request):
    organization = Organization.objects.get(slug="alice-org")
    organization.city = "Busan"
    organization.save()
    return HttpResponseBadRequest("Refused.")


def _fails(request):
    raise ValueError("A view that fails.")


urlpatterns = [
    urls.path("saves-then-refuses/", _saves_then_refuses),
    urls.path("fails/", _fails),
]


@pytest.mark.urls(__name__)
def test_the_sweep_reports_a_server_error_and_a_refused_form_that_wrote(world, quiet):
    sweep = Sweep(world)
    sweep.call("member", "post", "/saves-then-refuses/", what="city=Busan", body="city=Busan")
    sweep.call("outsider", "get", "/fails/", what="?q=nul", query="q=%00")
    refused_yet_wrote, server_error = sweep.failures
    assert refused_yet_wrote.startswith(
        "member POST /saves-then-refuses/ city=Busan: refused (400), yet wrote ["
    )
    assert "'directory.Organization: latest updated'" in refused_yet_wrote
    assert server_error == "outsider GET /fails/?q=%00 ?q=nul: 500 ValueError: A view that fails."
    assert Organization.objects.get(slug="alice-org").city == "Seoul"  # the case rolled back
