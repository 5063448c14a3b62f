"""Local demo data for the partnering flow: two delegate logins and an open practice round.

Only `create_demo_users` calls this, and that command refuses to run unless DEBUG is on. The
practice round copies the programme of the real K-Bio 2025 fixture to a date three weeks
ahead and opens requests, so the request → accept → agenda flow can be tried by hand. Its
name and every demo request say that they are demo data; nothing here claims who met whom.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone

from kbio.directory.models import Asset, Contact, Organization

from . import services
from .models import Event, MeetingRequest, Participation

SOURCE_EVENT = "kbio-2025"
DEMO_EVENT = "kbio-demo"
DEMO_EVENT_NAME = "K-Bio Partnering practice round (demo data)"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    organization: str
    name: str
    title: str

    @property
    def email(self) -> str:
        return f"{self.username}@demo.invalid"


DEMO_LOGINS = (
    DemoLogin(
        "yipscell-bd",
        "kbio-yipscell-demo",
        "yipscell",
        "Demo BD lead",
        "Business development (demo login)",
    ),
    DemoLogin(
        "astellas-scouting",
        "kbio-astellas-demo",
        "astellas",
        "Demo scouting lead",
        "Open-innovation scouting (demo login)",
    ),
)

# Organizations in the practice round besides the two demo logins' own.
OTHER_PARTICIPANTS = (
    "cefobio",
    "ips-bio",
    "markherz",
    "takeda",
    "johnson-johnson-japan",
    "eli-lilly-japan",
    "cmic",
    "axcelead",
)

# (from, to, asset of the requester or None, message): pending requests so inboxes are not empty.
DEMO_REQUESTS = (
    (
        "markherz",
        "astellas",
        "mrtf-a-gene-therapy",
        "[Demo data] We would like to present our AAV gene therapy programme and hear whether "
        "it fits your gene therapy interests.",
    ),
    (
        "cefobio",
        "astellas",
        "cf-m801",
        "[Demo data] We would like to discuss development partners in Japan for our bone "
        "regeneration cell therapy.",
    ),
    (
        "cmic",
        "yipscell",
        None,
        "[Demo data] We would like to introduce our nonclinical and clinical services in Japan.",
    ),
)


class DemoSetupError(Exception):
    pass


def _organizations(slugs) -> dict[str, Organization]:
    found = {org.slug: org for org in Organization.objects.filter(slug__in=slugs)}
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise DemoSetupError(
            "Load the fixtures first (make fixtures): missing organizations " + ", ".join(missing)
        )
    return found


@transaction.atomic
def demo_logins_create() -> list[DemoLogin]:
    organizations = _organizations([login.organization for login in DEMO_LOGINS])
    User = get_user_model()
    for login in DEMO_LOGINS:
        user, _created = User.objects.get_or_create(
            username=login.username, defaults={"email": login.email}
        )
        user.is_staff = user.is_superuser = False
        user.set_password(login.password)
        user.save()
        Contact.objects.update_or_create(
            user=user,
            defaults={
                "organization": organizations[login.organization],
                "name": login.name,
                "title": login.title,
                "email": login.email,
            },
        )
    return list(DEMO_LOGINS)


@transaction.atomic
def demo_event_create() -> Event:
    """(Re)build the practice round: the 2025 programme, three weeks ahead, open for requests."""
    try:
        source = Event.objects.get(slug=SOURCE_EVENT)
    except ObjectDoesNotExist as exc:
        raise DemoSetupError(
            "Load the fixtures first (make fixtures): no kbio-2025 event."
        ) from exc
    first = source.sessions.order_by("starts_at").first()
    if first is None:
        raise DemoSetupError("The kbio-2025 event has no programme.")
    Event.objects.filter(slug=DEMO_EVENT).delete()
    tz = source.tzinfo
    today = timezone.localdate(timezone=tz)
    target_day = today + timedelta(days=21)
    offset = timedelta(days=(target_day - timezone.localtime(first.starts_at, tz).date()).days)
    event = services.event_duplicate(
        event=source, slug=DEMO_EVENT, name=DEMO_EVENT_NAME, first_day_offset=offset
    )
    event.description = (
        "Demo data for trying the partnering flow locally: the programme of the 2025 "
        "conference moved to a future date. Participants and requests here are not real."
    )
    event.max_open_requests = 10
    event.save(update_fields=["description", "max_open_requests"])
    slugs = [login.organization for login in DEMO_LOGINS] + list(OTHER_PARTICIPANTS)
    organizations = _organizations(slugs)
    participations = {
        slug: Participation.objects.create(event=event, organization=organizations[slug])
        for slug in slugs
    }
    # Hosts keep the fixed tables they have in the source event's plan.
    for table in source.tables.select_related("host__organization").filter(host__isnull=False):
        host = participations.get(table.host.organization.slug)
        if host is not None:
            event.tables.filter(number=table.number).update(host=host)
    services.event_open_requests(event=event)
    for login in DEMO_LOGINS:
        contact = Contact.objects.get(user__username=login.username)
        services.participation_register(
            event=event, organization=organizations[login.organization], delegates=[contact]
        )
    for requester, recipient, asset_slug, message in DEMO_REQUESTS:
        asset = (
            Asset.objects.filter(organization__slug=requester, slug=asset_slug).first()
            if asset_slug
            else None
        )
        MeetingRequest.objects.create(
            event=event,
            requester=participations[requester],
            recipient=participations[recipient],
            asset=asset,
            message=message,
        )
    return event
