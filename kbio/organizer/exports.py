"""CSV exports: organizations, an event's meeting requests and its schedule (docs/csv.md).

Each export reads its rows in a fixed number of queries. Organizations and requests come out
in the columns their import reads, so a file can be exported, edited and imported again.
"""

from __future__ import annotations

from django.utils import timezone

from kbio.directory.models import Organization
from kbio.events.models import Event, Meeting, MeetingRequest

from . import csvfiles

ORGANIZATION_COLUMNS = (
    "slug",
    "name",
    "native_name",
    "kind",
    "country",
    "city",
    "website",
    "founded",
    "lead_stage",
    "preferred_stages",
    "languages",
    "focus_areas",
    "seeks",
    "offers",
    "is_active",
    "description",
)

REQUEST_COLUMNS = (
    "requester",
    "recipient",
    "status",
    "decline_reason",
    "decline_note",
    "asset",
    "message",
    "sent_at",
)
# Written for people reading the file; the import skips them.
REQUEST_NAME_COLUMNS = ("requester_name", "recipient_name")

SCHEDULE_COLUMNS = (
    "date",
    "start",
    "end",
    "time_zone",
    "table",
    "table_label",
    "requester",
    "requester_name",
    "requester_native_name",
    "recipient",
    "recipient_name",
    "recipient_native_name",
    "asset",
    "published",
)


def boolean(value: bool) -> str:
    return "true" if value else "false"


def organizations_csv() -> str:
    organizations = Organization.objects.order_by("slug").prefetch_related(
        "focus_areas", "seeks", "offers"
    )
    rows = (
        (
            org.slug,
            org.name,
            org.native_name,
            org.kind,
            org.country.code,
            org.city,
            org.website,
            org.founded,
            org.lead_stage,
            csvfiles.join(org.preferred_stages),
            csvfiles.join(org.languages),
            csvfiles.join(area.slug for area in org.focus_areas.all()),
            csvfiles.join(deal.slug for deal in org.seeks.all()),
            csvfiles.join(deal.slug for deal in org.offers.all()),
            boolean(org.is_active),
            org.description,
        )
        for org in organizations
    )
    return csvfiles.write(ORGANIZATION_COLUMNS, rows)


def local_iso(moment, event: Event) -> str:
    return timezone.localtime(moment, event.tzinfo).isoformat(timespec="seconds")


def requests_csv(event: Event) -> str:
    requests = (
        MeetingRequest.objects.filter(event=event)
        .select_related("requester__organization", "recipient__organization", "asset__organization")
        .order_by("created", "pk")
    )
    rows = (
        (
            r.requester.organization.slug,
            r.recipient.organization.slug,
            r.status,
            r.decline_reason,
            r.decline_note,
            f"{r.asset.organization.slug}/{r.asset.slug}" if r.asset else "",
            r.message,
            local_iso(r.created, event),
            r.requester.organization.name,
            r.recipient.organization.name,
        )
        for r in requests
    )
    return csvfiles.write((*REQUEST_COLUMNS, *REQUEST_NAME_COLUMNS), rows)


def schedule_csv(event: Event) -> str:
    meetings = (
        Meeting.objects.filter(request__event=event)
        .select_related(
            "slot",
            "table",
            "request__requester__organization",
            "request__recipient__organization",
            "request__asset__organization",
        )
        .order_by("slot__starts_at", "table__number")
    )
    tz = event.tzinfo
    rows = []
    for meeting in meetings:
        start = timezone.localtime(meeting.slot.starts_at, tz)
        end = timezone.localtime(meeting.slot.ends_at, tz)
        requester = meeting.request.requester.organization
        recipient = meeting.request.recipient.organization
        asset = meeting.request.asset
        rows.append(
            (
                start.date().isoformat(),
                start.strftime("%H:%M"),
                end.strftime("%H:%M"),
                event.time_zone,
                meeting.table.number,
                meeting.table.label,
                requester.slug,
                requester.name,
                requester.native_name,
                recipient.slug,
                recipient.name,
                recipient.native_name,
                f"{asset.organization.slug}/{asset.slug}" if asset else "",
                boolean(meeting.is_published),
            )
        )
    return csvfiles.write(SCHEDULE_COLUMNS, rows)
