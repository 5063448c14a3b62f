"""CSV imports of organizations and meeting requests: all or nothing.

Rows are applied in file order inside one transaction, each checked by the same model rules
the pages and the admin use (field choices, constraints, the request rules of the events app).
A bad row does not stop the check: every row is tried, every problem is collected with its
line, and if there is any, the transaction is rolled back and `ImportRefused` lists them all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from kbio.directory.models import Asset, FocusArea, Organization, PartnershipType, Stage
from kbio.events.models import (
    LIVE_STATUSES,
    DeclineReason,
    Event,
    Meeting,
    MeetingRequest,
    Participation,
    RequestStatus,
)
from kbio.matching.services import match_index_invalidate

from . import csvfiles
from .csvfiles import ImportRefused, Row, RowError
from .exports import ORGANIZATION_COLUMNS, REQUEST_COLUMNS, REQUEST_NAME_COLUMNS


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class _RowRefused(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors


def _errors_of(exc: ValidationError, line: int) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [
            RowError(line, message, "" if field == NON_FIELD_ERRORS else field)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(line, message) for message in exc.messages]


def _apply_rows(rows: list[Row], apply_row) -> ImportResult:
    """Check every row and write the ones that change something; refuse the file if any row
    is wrong.

    `apply_row(row)` returns the outcome ("created", "updated" or "unchanged") and a function
    that writes the row (None when nothing changes). The rows' own checks cover every rule the
    database holds, so a database refusal only happens when someone else writes the same rows
    at the same moment: the import then stops at that row (the transaction cannot go on) and
    reports it with the problems found so far."""
    result = ImportResult()
    errors: list[RowError] = []
    for row in rows:
        try:
            outcome, write = apply_row(row)
            if write is not None:
                write()
        except _RowRefused as exc:
            errors.extend(exc.errors)
        except ValidationError as exc:
            errors.extend(_errors_of(exc, row.line))
        except IntegrityError as exc:
            errors.append(RowError(row.line, _("The database refused the row: %s") % exc))
            break
        else:
            setattr(result, outcome, getattr(result, outcome) + 1)
    if errors:
        # Raised inside the caller's transaction: everything saved so far is rolled back.
        raise ImportRefused(errors)
    return result


# --- organizations ----------------------------------------------------------------------------

ORGANIZATION_REQUIRED = ("slug", "name", "kind", "country")
_SCALARS = ("name", "native_name", "kind", "country", "city", "website", "description")
_LISTS = ("preferred_stages", "languages")
_RELATIONS = {"focus_areas": FocusArea, "seeks": PartnershipType, "offers": PartnershipType}


def _state(org: Organization) -> tuple:
    return (
        *(str(getattr(org, name)) for name in _SCALARS),
        org.founded,
        org.lead_stage,
        tuple(org.preferred_stages),
        tuple(org.languages),
        org.is_active,
    )


def _parse_boolean(row: Row, column: str, errors: list[RowError]) -> bool | None:
    value = row.get(column).lower()
    if value in csvfiles.TRUE_WORDS:
        return True
    if value in csvfiles.FALSE_WORDS:
        return False
    errors.append(RowError(row.line, _("Write true or false."), column))
    return None


class _OrganizationRows:
    def __init__(self, rows: list[Row]):
        self.slugs = {
            name: dict(model.objects.values_list("slug", "pk"))
            for name, model in _RELATIONS.items()
        }
        self.existing = {
            org.slug: org
            for org in Organization.objects.filter(
                slug__in=[row.get("slug") for row in rows]
            ).prefetch_related(*_RELATIONS)
        }
        self.first_line: dict[str, int] = {}

    def __call__(self, row: Row):
        errors: list[RowError] = []
        slug = row.get("slug")
        if slug in self.first_line:
            raise _RowRefused(
                [
                    RowError(
                        row.line,
                        _("The slug “%(slug)s” is already on line %(line)d.")
                        % {"slug": slug, "line": self.first_line[slug]},
                        "slug",
                    )
                ]
            )
        self.first_line[slug] = row.line
        org = self.existing.get(slug)
        creating = org is None
        if creating:
            org = Organization(slug=slug)
            before, before_relations = None, None
        else:
            before = _state(org)
            before_relations = {
                name: {item.pk for item in getattr(org, name).all()} for name in _RELATIONS
            }
        for column in _SCALARS:
            if row.has(column):
                setattr(org, column, row.get(column))
        if row.has("lead_stage"):
            org.lead_stage = row.get("lead_stage") or Stage.NOT_APPLICABLE
        if row.has("founded"):
            founded = row.get("founded")
            if not founded:
                org.founded = None
            elif founded.isdigit():
                org.founded = int(founded)
            else:
                errors.append(RowError(row.line, _("Write a year such as 2015."), "founded"))
        for column in _LISTS:
            if row.has(column):
                setattr(org, column, csvfiles.split(row.get(column)))
        if row.has("is_active"):
            active = True if not row.get("is_active") else _parse_boolean(row, "is_active", errors)
            if active is not None:
                org.is_active = active
        relations: dict[str, set[int]] = {}
        for column in _RELATIONS:
            if not row.has(column):
                continue
            wanted = csvfiles.split(row.get(column))
            unknown = [slug for slug in wanted if slug not in self.slugs[column]]
            if unknown:
                errors.append(
                    RowError(
                        row.line,
                        _("Unknown slug(s): %(slugs)s.") % {"slugs": ", ".join(unknown)},
                        column,
                    )
                )
            relations[column] = {self.slugs[column][slug] for slug in wanted if slug not in unknown}
        if (
            not errors
            and not creating
            and before == _state(org)
            and all(before_relations[name] == pks for name, pks in relations.items())
        ):
            # Exactly what the database holds, which passed these checks when it was saved.
            return "unchanged", None
        try:
            # Field rules and clean(); the constraints (unique slug, valid kind...) are the
            # database's to enforce on write, which saves a query per constraint and row.
            org.full_clean(
                exclude=[*_RELATIONS, "created", "updated"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            errors.extend(_errors_of(exc, row.line))
        if errors:
            raise _RowRefused(errors)

        def write() -> None:
            org.save()
            for name, pks in relations.items():
                getattr(org, name).set(pks)

        return ("created" if creating else "updated"), write


@transaction.atomic
def organizations_import(*, data: bytes) -> ImportResult:
    """Create or update organizations by slug from a CSV file (docs/csv.md).

    A column missing from the file leaves that field of existing organizations as it is."""
    rows = csvfiles.read(
        data,
        required=ORGANIZATION_REQUIRED,
        optional=[c for c in ORGANIZATION_COLUMNS if c not in ORGANIZATION_REQUIRED],
    )
    result = _apply_rows(rows, _OrganizationRows(rows))
    if result.changed:
        match_index_invalidate()
    return result


# --- meeting requests -------------------------------------------------------------------------

REQUEST_REQUIRED = ("requester", "recipient", "status")
# The changes of status the pages allow (answer a pending request; withdraw a live one).
ALLOWED_CHANGES = frozenset(
    {
        (RequestStatus.PENDING, RequestStatus.ACCEPTED),
        (RequestStatus.PENDING, RequestStatus.DECLINED),
        (RequestStatus.PENDING, RequestStatus.CANCELLED),
        (RequestStatus.ACCEPTED, RequestStatus.CANCELLED),
    }
)


def _request_state(r: MeetingRequest) -> tuple:
    return (r.status, r.decline_reason, r.decline_note, r.asset_id, r.message)


def _parse_moment(value: str, event: Event) -> datetime:
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, event.tzinfo)
    return moment


class _RequestRows:
    def __init__(self, event: Event, rows: list[Row], by: AbstractBaseUser | None):
        self.event = event
        self.by = by
        self.now = timezone.now()
        self.participants = {
            p.organization.slug: p
            for p in Participation.objects.filter(event=event).select_related("organization")
        }
        self.history: dict[tuple[int, int], list[MeetingRequest]] = defaultdict(list)
        for r in (
            MeetingRequest.objects.filter(event=event)
            .annotate(has_meeting=Exists(Meeting.objects.filter(request=OuterRef("pk"))))
            .order_by("created", "pk")
        ):
            self.history[(r.requester_id, r.recipient_id)].append(r)
        # The pending or accepted requests of each direction, kept current as rows are written:
        # the one-live-request rule is checked here rather than by a query per row.
        self.live: dict[tuple[int, int], list[MeetingRequest]] = defaultdict(list)
        for key, requests in self.history.items():
            self.live[key] = [r for r in requests if r.status in LIVE_STATUSES]
        # Assets as unsaved stand-ins carrying the owner, so the model's own check of the
        # asset's organization needs no query.
        self.assets: dict[tuple[int, str], Asset] = {
            (organization, slug): Asset(pk=pk, organization_id=organization)
            for pk, organization, slug in Asset.objects.filter(
                organization__participations__event=event
            ).values_list("pk", "organization_id", "slug")
        }
        self.org_ids = {slug: p.organization_id for slug, p in self.participants.items()}
        self.seen: dict[tuple[int, int], int] = defaultdict(int)
        self.new: list[tuple[MeetingRequest, datetime | None]] = []

    def _participant(self, row: Row, column: str, errors: list[RowError]) -> Participation | None:
        slug = row.get(column)
        participation = self.participants.get(slug)
        if participation is None:
            message = (
                _("“%(slug)s” is not a participant of this event; register it first.")
                % {"slug": slug}
                if slug
                else _("Write the slug of an organization.")
            )
            errors.append(RowError(row.line, message, column))
        return participation

    def _asset(self, row: Row, requester, recipient, errors: list[RowError]) -> Asset | None:
        value = row.get("asset")
        if not value:
            return None
        owner_slug, _slash, slug = value.rpartition("/")
        owners = (
            [self.org_ids.get(owner_slug)]
            if owner_slug
            else [requester.organization_id, recipient.organization_id]
        )
        found = [self.assets[(o, slug)] for o in owners if (o, slug) in self.assets]
        if owner_slug and owner_slug not in (
            requester.organization.slug,
            recipient.organization.slug,
        ):
            found = []
        if len(found) == 1:
            return found[0]
        if found:
            message = _("Both organizations have an asset “%(slug)s”; write owner/asset.") % {
                "slug": slug
            }
        else:
            message = _("Neither organization has an asset “%(asset)s”.") % {"asset": value}
        errors.append(RowError(row.line, message, "asset"))
        return None

    def __call__(self, row: Row):
        errors: list[RowError] = []
        requester = self._participant(row, "requester", errors)
        recipient = self._participant(row, "recipient", errors)
        status = row.get("status")
        if status not in RequestStatus.values:
            errors.append(
                RowError(
                    row.line,
                    _("Write one of: %(values)s.") % {"values": ", ".join(RequestStatus.values)},
                    "status",
                )
            )
        if requester is None or recipient is None:
            raise _RowRefused(errors)
        if requester.pk == recipient.pk:
            errors.append(
                RowError(row.line, _("An organization cannot request a meeting with itself."))
            )
            raise _RowRefused(errors)
        key = (requester.pk, recipient.pk)
        position = self.seen[key]
        self.seen[key] += 1
        earlier = self.history[key]
        target = earlier[position] if position < len(earlier) else None
        creating = target is None
        if creating:
            target = MeetingRequest(
                event=self.event, requester=requester, recipient=recipient, status=status
            )
            before = None
        else:
            before = _request_state(target)
            if status != target.status and status in RequestStatus.values:
                if target.has_meeting:
                    errors.append(
                        RowError(
                            row.line,
                            _(
                                "This request is placed on the schedule; its status cannot "
                                "change from %(old)s to %(new)s."
                            )
                            % {"old": target.status, "new": status},
                            "status",
                        )
                    )
                elif (target.status, status) not in ALLOWED_CHANGES:
                    errors.append(
                        RowError(
                            row.line,
                            _("The request is already %(old)s; it cannot become %(new)s.")
                            % {"old": target.status, "new": status},
                            "status",
                        )
                    )
        reason = row.get("decline_reason") if row.has("decline_reason") else target.decline_reason
        if status == RequestStatus.DECLINED and reason not in DeclineReason.values:
            errors.append(
                RowError(
                    row.line,
                    _("A declined request needs a reason: one of %(values)s.")
                    % {"values": ", ".join(DeclineReason.values)},
                    "decline_reason",
                )
            )
        elif status != RequestStatus.DECLINED and reason:
            errors.append(
                RowError(
                    row.line, _("Only a declined request has a decline reason."), "decline_reason"
                )
            )
        if status in LIVE_STATUSES and any(other is not target for other in self.live[key]):
            errors.append(
                RowError(
                    row.line,
                    _(
                        "%(requester)s already has a pending or accepted request to "
                        "%(recipient)s; there can be only one."
                    )
                    % {
                        "requester": requester.organization.slug,
                        "recipient": recipient.organization.slug,
                    },
                )
            )
        asset = self._asset(row, requester, recipient, errors) if row.has("asset") else None
        sent_at = None
        if creating and row.get("sent_at"):
            try:
                sent_at = _parse_moment(row.get("sent_at"), self.event)
            except ValueError:
                errors.append(
                    RowError(
                        row.line,
                        _("Write a date and time such as 2025-01-10T09:30:00+09:00."),
                        "sent_at",
                    )
                )
        if errors:
            raise _RowRefused(errors)
        if status != target.status or creating:
            if status in (RequestStatus.ACCEPTED, RequestStatus.DECLINED):
                target.answered_at, target.answered_by = self.now, self.by
            if status == RequestStatus.CANCELLED:
                target.cancelled_at = self.now
        target.status = status
        target.decline_reason = reason if status == RequestStatus.DECLINED else ""
        if row.has("decline_note"):
            target.decline_note = row.get("decline_note")
        if row.has("asset"):
            target.asset = asset
        if row.has("message"):
            target.message = row.get("message")
        if not creating and before == _request_state(target):
            # Exactly what the database holds, which passed these checks when it was saved.
            return "unchanged", None
        # The constraints were checked above with messages for people, and the database
        # enforces them again on write. The event, both sides and the asset come from this
        # event's own rows read at the start, so their existence needs no query per row.
        target.full_clean(
            exclude=[
                "event",
                "requester",
                "recipient",
                "asset",
                "sent_by",
                "answered_by",
                "created",
                "updated",
            ],
            validate_constraints=False,
        )

        def write() -> None:
            if creating:
                # New requests are inserted together at the end, after every change to an
                # existing one (a cancellation frees the pair for a new live request).
                self.new.append((target, sent_at))
            else:
                target.save()
            # Later rows of the file see this row's request as the database now does.
            live = [other for other in self.live[key] if other is not target]
            self.live[key] = [*live, target] if target.status in LIVE_STATUSES else live

        return ("created" if creating else "updated"), write


@transaction.atomic
def meeting_requests_import(
    *, event: Event, data: bytes, by: AbstractBaseUser | None = None
) -> ImportResult:
    """Create or update an event's meeting requests from a CSV file (docs/csv.md).

    A pair's rows stand for its requests oldest first: the first row for (requester,
    recipient) is that direction's first request, the second row its second, and rows
    beyond the requests it has add new ones. No email goes out."""
    rows = csvfiles.read(
        data,
        required=REQUEST_REQUIRED,
        optional=[c for c in REQUEST_COLUMNS if c not in REQUEST_REQUIRED],
        ignored=REQUEST_NAME_COLUMNS,
    )
    handler = _RequestRows(event, rows, by)
    result = _apply_rows(rows, handler)
    try:
        created = MeetingRequest.objects.bulk_create(
            [request for request, _sent_at in handler.new], batch_size=1000
        )
    except IntegrityError as exc:
        raise ImportRefused([RowError(None, _("The database refused the file: %s") % exc)]) from exc
    # Sending times from the file (the insert stamps the time of the import).
    backdated = []
    for request, (_request, sent_at) in zip(created, handler.new, strict=True):
        if sent_at is not None:
            request.created = sent_at
            backdated.append(request)
    MeetingRequest.objects.bulk_update(backdated, ["created"], batch_size=1000)
    return result
