"""CSV exports: organizations, partnering criteria, an event's meeting requests, its schedule
and outcomes (docs/csv.md).

Each export reads its rows in a fixed number of queries. Organizations, criteria and requests
come out in the columns their import reads, so a file can be exported, edited and imported
again.
"""

from __future__ import annotations

from kbio.directory.models import (
    Exclusion,
    Interest,
    InvestorMandate,
    Organization,
    Relationship,
    ServiceCapability,
)
from kbio.events.models import Event, Meeting, MeetingRequest
from kbio.outcomes.models import Outcome

from . import csvfiles

ORGANIZATION_COLUMNS = (
    "slug",
    "name",
    "native_name",
    "former_name",
    "aliases",
    "kind",
    "country",
    "city",
    "website",
    "founded",
    "lead_stage",
    "preferred_stages",
    "intents",
    "languages",
    "focus_areas",
    "seeks",
    "offers",
    "is_active",
    "description",
    "description_ko",
    "description_ja",
    "sources",
    "checked_on",
)

# Partnering criteria: one file, one row per criterion, its `type` saying which columns apply.
INTEREST, EXCLUSION, MANDATE, CAPABILITY, RELATIONSHIP = (
    "interest",
    "exclusion",
    "mandate",
    "capability",
    "relationship",
)
CRITERIA_COLUMNS = (
    "type",
    "organization",
    "slug",
    "service",
    "partner",
    "kind",
    "modalities",
    "therapeutic_areas",
    "stage_from",
    "stage_to",
    "deal_types",
    "territories",
    "focus_area",
    "deal_type",
    "since",
    "until",
    "vehicle",
    "sectors",
    "rounds",
    "cheque_min_usd",
    "cheque_max_usd",
    "lead_role",
    "countries",
    "geography_rule",
    "all_modalities",
    "standards",
    "regulators",
    "note",
    "source_url",
    "checked_on",
)
CRITERIA_COMMON_COLUMNS = ("type", "organization", "note", "source_url", "checked_on")
# The columns each type of row uses besides the common ones; the others stay empty.
CRITERIA_TYPE_COLUMNS = {
    INTEREST: (
        "slug",
        "modalities",
        "therapeutic_areas",
        "stage_from",
        "stage_to",
        "deal_types",
        "territories",
    ),
    EXCLUSION: ("slug", "focus_area", "deal_type", "since"),
    MANDATE: (
        "vehicle",
        "sectors",
        "rounds",
        "cheque_min_usd",
        "cheque_max_usd",
        "lead_role",
        "countries",
        "geography_rule",
    ),
    CAPABILITY: ("service", "modalities", "all_modalities", "standards", "regulators"),
    RELATIONSHIP: ("partner", "kind", "since", "until"),
}

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
    fields = (
        "pk",
        "slug",
        "name",
        "native_name",
        "former_name",
        "aliases",
        "kind",
        "country",
        "city",
        "website",
        "founded",
        "lead_stage",
        "preferred_stages",
        "intents",
        "languages",
        "is_active",
        "description",
        "description_ko",
        "description_ja",
        "sources",
        "checked_on",
    )
    rows = []
    for values in Organization.objects.order_by("slug").values_list(*fields):
        org = dict(zip(fields, values, strict=True))
        pk = org["pk"]
        rows.append(
            (
                org["slug"],
                org["name"],
                org["native_name"],
                org["former_name"],
                "\n".join(csvfiles.lines(org["aliases"])),
                org["kind"],
                org["country"],
                org["city"],
                org["website"],
                org["founded"],
                org["lead_stage"],
                csvfiles.join(org["preferred_stages"] or ()),
                csvfiles.join(org["intents"] or ()),
                csvfiles.join(org["languages"] or ()),
                csvfiles.join(relations["focus_areas"].get(pk, ())),
                csvfiles.join(relations["seeks"].get(pk, ())),
                csvfiles.join(relations["offers"].get(pk, ())),
                boolean(org["is_active"]),
                org["description"],
                org["description_ko"],
                org["description_ja"],
                csvfiles.join(line.strip() for line in org["sources"].splitlines() if line.strip()),
                _date(org["checked_on"]),
            )
        )
    return csvfiles.write(ORGANIZATION_COLUMNS, rows)


def _date(value) -> str:
    return value.isoformat() if value else ""


def _slugs(items) -> str:
    return csvfiles.join(item.slug for item in items)


def criteria_csv() -> str:
    """Every partnering criterion, by type, then organization slug and the criterion's key."""
    found: list[dict[str, object]] = []
    for interest in (
        Interest.objects.select_related("organization")
        .prefetch_related("modalities", "therapeutic_areas", "deal_types")
        .order_by("organization__slug", "slug")
    ):
        found.append(
            {
                "type": INTEREST,
                "organization": interest.organization.slug,
                "slug": interest.slug,
                "modalities": _slugs(interest.modalities.all()),
                "therapeutic_areas": _slugs(interest.therapeutic_areas.all()),
                "stage_from": interest.stage_from,
                "stage_to": interest.stage_to,
                "deal_types": _slugs(interest.deal_types.all()),
                "territories": csvfiles.join(interest.territories),
                **_evidence(interest),
            }
        )
    for exclusion in Exclusion.objects.select_related(
        "organization", "focus_area", "deal_type"
    ).order_by("organization__slug", "slug"):
        found.append(
            {
                "type": EXCLUSION,
                "organization": exclusion.organization.slug,
                "slug": exclusion.slug,
                "focus_area": exclusion.focus_area.slug if exclusion.focus_area else "",
                "deal_type": exclusion.deal_type.slug if exclusion.deal_type else "",
                "since": _date(exclusion.since),
                **_evidence(exclusion),
            }
        )
    for mandate in InvestorMandate.objects.select_related("organization").order_by(
        "organization__slug"
    ):
        found.append(
            {
                "type": MANDATE,
                "organization": mandate.organization.slug,
                "vehicle": mandate.vehicle,
                "sectors": csvfiles.join(mandate.sectors),
                "rounds": csvfiles.join(mandate.rounds),
                "cheque_min_usd": mandate.cheque_min_usd,
                "cheque_max_usd": mandate.cheque_max_usd,
                "lead_role": mandate.lead_role,
                "countries": csvfiles.join(country.code for country in mandate.countries),
                "geography_rule": mandate.geography_rule,
                **_evidence(mandate),
            }
        )
    for capability in (
        ServiceCapability.objects.select_related("organization", "service")
        .prefetch_related("modalities")
        .order_by("organization__slug", "service__slug")
    ):
        found.append(
            {
                "type": CAPABILITY,
                "organization": capability.organization.slug,
                "service": capability.service.slug,
                "modalities": _slugs(capability.modalities.all()),
                "all_modalities": boolean(capability.all_modalities),
                "standards": csvfiles.join(capability.standards),
                "regulators": csvfiles.join(capability.regulators),
                **_evidence(capability),
            }
        )
    for relationship in Relationship.objects.select_related("organization", "partner").order_by(
        "organization__slug", "partner__slug", "kind"
    ):
        found.append(
            {
                "type": RELATIONSHIP,
                "organization": relationship.organization.slug,
                "partner": relationship.partner.slug,
                "kind": relationship.kind,
                "since": _date(relationship.since),
                "until": _date(relationship.until),
                **_evidence(relationship),
            }
        )
    return csvfiles.write(
        CRITERIA_COLUMNS, ([row.get(column, "") for column in CRITERIA_COLUMNS] for row in found)
    )


def _evidence(criterion) -> dict[str, str]:
    return {
        "note": criterion.note,
        "source_url": criterion.source_url,
        "checked_on": _date(criterion.checked_on),
    }


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
        Meeting.objects.of_event(event)
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
