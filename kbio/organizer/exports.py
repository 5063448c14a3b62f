"""CSV exports: organizations, an event's meeting requests and its schedule (docs/csv.md).

Each export reads its rows in a fixed number of queries. Organizations and requests come out
in the columns their import reads, so a file can be exported, edited and imported again.
"""

from __future__ import annotations

from kbio.directory.models import Organization
from kbio.events.models import Event, Meeting, MeetingRequest
from kbio.outcomes.models import Outcome

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

OUTCOME_COLUMNS = (
    "requester",
    "requester_name",
    "recipient",
    "recipient_name",
    "met_on",
    "stage",
    "on",
    "note",
    "recorded_for",
    "recorded_at",
)

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
    """Every organization, in slug order; read as flat rows (no model objects) to stay fast."""
    relations = {}
    for name, target in (
        ("focus_areas", "focusarea"),
        ("seeks", "partnershiptype"),
        ("offers", "partnershiptype"),
    ):
        through = getattr(Organization, name).through
        found: dict[int, list[str]] = {}
        ordering = (
            [f"{target}__kind", f"{target}__order", f"{target}__name_en"]
            if target == "focusarea"
            else [f"{target}__order", f"{target}__name_en"]
        )
        for org, slug in through.objects.order_by(*ordering).values_list(
            "organization_id", f"{target}__slug"
        ):
            found.setdefault(org, []).append(slug)
        relations[name] = found
    rows = (
        (
            slug,
            name,
            native_name,
            kind,
            country,
            city,
            website,
            founded,
            lead_stage,
            csvfiles.join(preferred_stages or ()),
            csvfiles.join(languages or ()),
            csvfiles.join(relations["focus_areas"].get(pk, ())),
            csvfiles.join(relations["seeks"].get(pk, ())),
            csvfiles.join(relations["offers"].get(pk, ())),
            boolean(is_active),
            description,
        )
        for (
            pk,
            slug,
            name,
            native_name,
            kind,
            country,
            city,
            website,
            founded,
            lead_stage,
            preferred_stages,
            languages,
            is_active,
            description,
        ) in Organization.objects.order_by("slug").values_list(
            "pk",
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
            "is_active",
            "description",
        )
    )
    return csvfiles.write(ORGANIZATION_COLUMNS, rows)


def _asset_key(owner: str | None, slug: str | None) -> str:
    return f"{owner}/{slug}" if slug else ""


def requests_csv(event: Event) -> str:
    tz = event.tzinfo
    rows = (
        (
            requester,
            recipient,
            status,
            reason,
            note,
            _asset_key(asset_owner, asset),
            message,
            created.astimezone(tz).isoformat(timespec="seconds"),
            requester_name,
            recipient_name,
        )
        for (
            requester,
            recipient,
            status,
            reason,
            note,
            asset_owner,
            asset,
            message,
            created,
            requester_name,
            recipient_name,
        ) in MeetingRequest.objects.filter(event=event)
        .order_by("created", "pk")
        .values_list(
            "requester__organization__slug",
            "recipient__organization__slug",
            "status",
            "decline_reason",
            "decline_note",
            "asset__organization__slug",
            "asset__slug",
            "message",
            "created",
            "requester__organization__name",
            "recipient__organization__name",
        )
    )
    return csvfiles.write((*REQUEST_COLUMNS, *REQUEST_NAME_COLUMNS), rows)


def schedule_csv(event: Event) -> str:
    tz = event.tzinfo
    rows = []
    for starts_at, ends_at, number, label, *people, asset_owner, asset, published in (
        Meeting.objects.filter(request__event=event)
        .order_by("slot__starts_at", "table__number")
        .values_list(
            "slot__starts_at",
            "slot__ends_at",
            "table__number",
            "table__label",
            "request__requester__organization__slug",
            "request__requester__organization__name",
            "request__requester__organization__native_name",
            "request__recipient__organization__slug",
            "request__recipient__organization__name",
            "request__recipient__organization__native_name",
            "request__asset__organization__slug",
            "request__asset__slug",
            "is_published",
        )
    ):
        start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
        rows.append(
            (
                start.date().isoformat(),
                start.strftime("%H:%M"),
                end.strftime("%H:%M"),
                event.time_zone,
                number,
                label,
                *people,
                _asset_key(asset_owner, asset),
                boolean(published),
            )
        )
    return csvfiles.write(SCHEDULE_COLUMNS, rows)


def outcomes_csv(event: Event) -> str:
    """Every outcome record of the event's meetings, pair by pair, oldest first (the history;
    a pair's last row is where it stands)."""
    tz = event.tzinfo
    rows = (
        (
            requester,
            requester_name,
            recipient,
            recipient_name,
            met.astimezone(tz).date().isoformat() if met else "",
            stage,
            on.isoformat(),
            note,
            side or "organizer",
            created.astimezone(tz).isoformat(timespec="seconds"),
        )
        for (
            requester,
            requester_name,
            recipient,
            recipient_name,
            met,
            stage,
            on,
            note,
            side,
            created,
        ) in Outcome.objects.of_event(event)
        .order_by(
            "request__requester__organization__slug",
            "request__recipient__organization__slug",
            "on",
            "created",
            "pk",
        )
        .values_list(
            "request__requester__organization__slug",
            "request__requester__organization__name",
            "request__recipient__organization__slug",
            "request__recipient__organization__name",
            "request__meeting__slot__starts_at",
            "stage",
            "on",
            "note",
            "side__slug",
            "created",
        )
    )
    return csvfiles.write(OUTCOME_COLUMNS, rows)
