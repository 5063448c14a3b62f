"""CSV imports of organizations, partnering criteria and meeting requests: all or nothing.

Rows are applied in file order inside one transaction, each checked by the same model rules
the pages and the admin use (field choices, constraints, the request rules of the events app).
A bad row does not stop the check: every row is tried, every problem is collected with its
line, and if there is any, the transaction is rolled back and `ImportRefused` lists them all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kbio.core.validators import validate_date_in_range, whole_number
from kbio.directory.models import (
    Asset,
    Exclusion,
    FocusArea,
    Interest,
    InvestorMandate,
    Organization,
    PartnershipType,
    Relationship,
    ServiceCapability,
    Stage,
)
from kbio.events.models import (
    LIVE_STATUSES,
    Event,
    Meeting,
    MeetingRequest,
    Participation,
    RequestStatus,
)
from kbio.events.request_states import decline_reason_error, transition_error
from kbio.matching.services import match_index_invalidate

from . import csvfiles
from .csvfiles import ImportRefused, Row, RowError
from .exports import (
    CAPABILITY,
    CRITERIA_COLUMNS,
    CRITERIA_COMMON_COLUMNS,
    CRITERIA_TYPE_COLUMNS,
    EXCLUSION,
    INTEREST,
    MANDATE,
    ORGANIZATION_COLUMNS,
    RELATIONSHIP,
    REQUEST_COLUMNS,
    REQUEST_NAME_COLUMNS,
)


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
_SCALARS = (
    "name",
    "native_name",
    "former_name",
    "kind",
    "country",
    "city",
    "website",
    "description",
    "description_ko",
    "description_ja",
)
_LISTS = ("preferred_stages", "intents", "languages")
_RELATIONS = {"focus_areas": FocusArea, "seeks": PartnershipType, "offers": PartnershipType}


def _state(org: Organization) -> tuple:
    return (
        *(str(getattr(org, name)) for name in _SCALARS),
        tuple(csvfiles.lines(org.aliases)),
        org.founded,
        org.lead_stage,
        tuple(org.preferred_stages),
        tuple(org.intents),
        tuple(org.languages),
        org.is_active,
        tuple(org.source_list),
        org.checked_on,
    )


def _parse_boolean(row: Row, column: str, errors: list[RowError]) -> bool | None:
    value = row.get(column).lower()
    if value in csvfiles.TRUE_WORDS:
        return True
    if value in csvfiles.FALSE_WORDS:
        return False
    errors.append(RowError(row.line, _("Write true or false."), column))
    return None


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_YEAR = re.compile(r"\d{1,4}", re.ASCII)  # str.isdigit() takes "²", which int() refuses
# Another text would reach django-countries' lookup, which fails on "²" or "١".
_COUNTRY = re.compile(r"[A-Za-z]{2}", re.ASCII)


def _country_error() -> str:
    return _("Write a two-letter country code, e.g. KR or JP.")


def _parse_date(row: Row, column: str, errors: list[RowError]) -> date | None:
    """The cell's YYYY-MM-DD date; None when it is empty or wrong (wrong: an error noted)."""
    value = row.get(column)
    if not value:
        return None
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(row.line, _("Write a date as YYYY-MM-DD, e.g. 2025-10-01."), column))
        return None
    try:
        validate_date_in_range(day)
    except ValidationError as exc:
        errors.extend(RowError(row.line, message, column) for message in exc.messages)
        return None
    return day


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
            if not row.has(column):
                continue
            if column == "country" and not _COUNTRY.fullmatch(row.get(column) or "KR"):
                errors.append(RowError(row.line, _country_error(), column))
                continue
            setattr(org, column, row.get(column))
        if row.has("lead_stage"):
            org.lead_stage = row.get("lead_stage") or Stage.NOT_APPLICABLE
        if row.has("founded"):
            founded = row.get("founded")
            if not founded:
                org.founded = None
            elif _YEAR.fullmatch(founded):
                org.founded = int(founded)
            else:
                errors.append(RowError(row.line, _("Write a year such as 2015."), "founded"))
        for column in _LISTS:
            if row.has(column):
                setattr(org, column, csvfiles.split(row.get(column)))
        if row.has("aliases"):
            aliases = csvfiles.lines(row.get("aliases"))
            # The admin may have stored other line breaks: only a different list is a change.
            if aliases != csvfiles.lines(org.aliases):
                org.aliases = "\n".join(aliases)
        if row.has("sources"):
            sources = csvfiles.split(row.get("sources"))
            if sources != org.source_list:  # the admin may have stored other line breaks
                org.sources = "\n".join(sources)
        if row.has("checked_on"):
            org.checked_on = _parse_date(row, "checked_on", errors)
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
                # A cell refused above is not checked again by the model: one message a cell.
                exclude=[*_RELATIONS, "created", "updated", *{e.column for e in errors}],
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


# --- partnering criteria ----------------------------------------------------------------------

CRITERIA_REQUIRED = ("type", "organization")
# A cell that could not be read; its error is already noted.
_BAD = object()


class _CriterionCells:
    """Reads the cells of one criterion row, noting an error on its column for each bad one."""

    def __init__(self, row: Row, errors: list[RowError], directory: _CriteriaRows):
        self.row = row
        self.errors = errors
        self.directory = directory

    def error(self, column: str, message: str) -> object:
        self.errors.append(RowError(self.row.line, message, column))
        return _BAD

    def organization(self, column: str) -> int | object:
        slug = self.row.get(column)
        if not slug:
            return self.error(column, _("Write the slug of an organization."))
        if slug not in self.directory.organizations:
            return self.error(
                column,
                _("Unknown organization “%(slug)s”; import it with the organizations first.")
                % {"slug": slug},
            )
        return self.directory.organizations[slug]

    def date(self, column: str, *, required: bool = False) -> date | None | object:
        errors: list[RowError] = []
        value = _parse_date(self.row, column, errors)
        if errors:
            self.errors.extend(errors)
            return _BAD
        if value is None and required:
            return self.error(column, _("Write a date as YYYY-MM-DD, e.g. 2025-10-01."))
        return value

    def codes(self, column: str) -> list[str]:
        return csvfiles.split(self.row.get(column))

    def dollars(self, column: str) -> int | None | object:
        value = self.row.get(column)
        if not value:
            return None
        number = whole_number(value)
        if number is None or number < 0:
            return self.error(
                column, _("Write a whole number of US dollars without separators, e.g. 5000000.")
            )
        return number

    def countries(self, column: str) -> list[str] | object:
        codes = self.codes(column)
        if not all(_COUNTRY.fullmatch(code) for code in codes):
            return self.error(column, _country_error())
        return [code.upper() for code in codes]

    def boolean(self, column: str) -> bool | object:
        if not self.row.get(column):
            return False
        value = _parse_boolean(self.row, column, self.errors)
        return _BAD if value is None else value

    def _area(self, column: str, slug: str, kinds: Sequence[str]) -> FocusArea | None:
        area = self.directory.areas.get(slug)
        if area is None:
            self.error(column, _("Unknown focus-area slug “%(slug)s”.") % {"slug": slug})
        elif area.kind not in kinds:
            self.error(
                column,
                _("“%(slug)s” is a focus area of kind %(kind)s; this column takes: %(wanted)s.")
                % {"slug": slug, "kind": area.kind, "wanted": ", ".join(kinds)},
            )
            area = None
        return area

    def area(self, column: str, *kinds: str) -> FocusArea | None | object:
        slug = self.row.get(column)
        if not slug:
            return None
        return self._area(column, slug, kinds) or _BAD

    def areas(self, column: str, kind: str) -> set[int] | object:
        found = [self._area(column, slug, [kind]) for slug in self.codes(column)]
        return _BAD if None in found else {area.pk for area in found}

    def _deal(self, column: str, slug: str) -> PartnershipType | None:
        deal = self.directory.deals.get(slug)
        if deal is None:
            self.error(column, _("Unknown partnership-type slug “%(slug)s”.") % {"slug": slug})
        return deal

    def deal(self, column: str) -> PartnershipType | None | object:
        slug = self.row.get(column)
        if not slug:
            return None
        return self._deal(column, slug) or _BAD

    def deals(self, column: str) -> set[int] | object:
        found = [self._deal(column, slug) for slug in self.codes(column)]
        return _BAD if None in found else {deal.pk for deal in found}


# How each column is read; the model's field rules (choices, URLs, clean()) check the rest.
_TEXT_COLUMNS = frozenset(
    {"note", "geography_rule", "source_url", "stage_from", "stage_to", "vehicle", "lead_role"}
)
_LIST_COLUMNS = frozenset({"territories", "sectors", "rounds", "standards", "regulators"})
_M2M_COLUMNS = {
    "modalities": lambda cells: cells.areas("modalities", FocusArea.Kind.MODALITY),
    "therapeutic_areas": lambda cells: cells.areas(
        "therapeutic_areas", FocusArea.Kind.THERAPEUTIC_AREA
    ),
    "deal_types": lambda cells: cells.deals("deal_types"),
}
_OTHER_COLUMNS = {
    "focus_area": lambda cells: cells.area(
        "focus_area", FocusArea.Kind.MODALITY, FocusArea.Kind.THERAPEUTIC_AREA
    ),
    "deal_type": lambda cells: cells.deal("deal_type"),
    "since": lambda cells: cells.date("since", required=True),
    "until": lambda cells: cells.date("until"),
    "cheque_min_usd": lambda cells: cells.dollars("cheque_min_usd"),
    "cheque_max_usd": lambda cells: cells.dollars("cheque_max_usd"),
    "all_modalities": lambda cells: cells.boolean("all_modalities"),
    "countries": lambda cells: cells.countries("countries"),
}
_MODELS = {
    INTEREST: Interest,
    EXCLUSION: Exclusion,
    MANDATE: InvestorMandate,
    CAPABILITY: ServiceCapability,
    RELATIONSHIP: Relationship,
}
# Columns that identify a criterion (with the organization); a row never changes them.
_KEY_COLUMNS = {
    INTEREST: ("slug",),
    EXCLUSION: ("slug",),
    MANDATE: (),
    CAPABILITY: ("service",),
    RELATIONSHIP: ("partner", "kind"),
}
# Fields resolved from the rows read at the start, so their existence needs no query per row.
_RESOLVED = ["organization", "partner", "service", "focus_area", "deal_type"]


def _criterion_state(criterion) -> tuple:
    return tuple(
        field.value_to_string(criterion)
        for field in criterion._meta.concrete_fields
        if not field.primary_key
    )


class _CriteriaRows:
    def __init__(self, rows: list[Row]):
        self.organizations = dict(Organization.objects.values_list("slug", "pk"))
        self.areas = {area.slug: area for area in FocusArea.objects.all()}
        self.deals = {deal.slug: deal for deal in PartnershipType.objects.all()}
        named = {row.get(column) for row in rows for column in ("organization", "partner")}
        ids = [self.organizations[slug] for slug in named if slug in self.organizations]
        self.existing: dict[tuple, object] = {}
        for interest in Interest.objects.filter(organization__in=ids).prefetch_related(
            "modalities", "therapeutic_areas", "deal_types"
        ):
            self.existing[(INTEREST, interest.organization_id, interest.slug)] = interest
        for exclusion in Exclusion.objects.filter(organization__in=ids).select_related(
            "focus_area"
        ):
            self.existing[(EXCLUSION, exclusion.organization_id, exclusion.slug)] = exclusion
        for mandate in InvestorMandate.objects.filter(organization__in=ids):
            self.existing[(MANDATE, mandate.organization_id)] = mandate
        for capability in ServiceCapability.objects.filter(organization__in=ids).prefetch_related(
            "modalities"
        ):
            self.existing[(CAPABILITY, capability.organization_id, capability.service_id)] = (
                capability
            )
        for relationship in Relationship.objects.filter(
            Q(organization__in=ids) | Q(partner__in=ids)
        ):
            pair = frozenset({relationship.organization_id, relationship.partner_id})
            self.existing[(RELATIONSHIP, pair, relationship.kind)] = relationship
        self.first_line: dict[tuple, int] = {}

    def _key(self, kind: str, organization: int, cells: _CriterionCells) -> tuple | None:
        """The criterion's natural key, or None (with an error) when the row lacks it.

        A relationship has no direction: (a, b) and (b, a) of the same kind are one."""
        row = cells.row
        if kind in (INTEREST, EXCLUSION):
            if not row.get("slug"):
                cells.error("slug", _("Write a slug that names this criterion, e.g. oncology."))
                return None
            return (kind, organization, row.get("slug"))
        if kind == MANDATE:
            return (kind, organization)
        if kind == CAPABILITY:
            if not row.get("service"):
                cells.error("service", _("Write the slug of a service, e.g. glp-toxicology."))
                return None
            service = cells.area("service", FocusArea.Kind.SERVICE)
            return None if service is _BAD else (kind, organization, service.pk)
        partner = cells.organization("partner")
        relation = row.get("kind")
        if relation not in Relationship.Kind.values:
            cells.error(
                "kind",
                _("Write one of: %(values)s.") % {"values": ", ".join(Relationship.Kind.values)},
            )
            return None
        if partner is _BAD:
            return None
        return (kind, frozenset({organization, partner}), relation)

    def _new(self, kind: str, organization: int, key: tuple, cells: _CriterionCells):
        criterion = _MODELS[kind](organization_id=organization)
        if kind in (INTEREST, EXCLUSION):
            criterion.slug = cells.row.get("slug")
        elif kind == CAPABILITY:
            criterion.service = self.areas[cells.row.get("service")]
        elif kind == RELATIONSHIP:
            criterion.partner_id = self.organizations[cells.row.get("partner")]
            criterion.kind = key[2]
        return criterion

    def __call__(self, row: Row):
        kind = row.get("type")
        if kind not in CRITERIA_TYPE_COLUMNS:
            raise _RowRefused(
                [
                    RowError(
                        row.line,
                        _("Write one of: %(values)s.")
                        % {"values": ", ".join(CRITERIA_TYPE_COLUMNS)},
                        "type",
                    )
                ]
            )
        errors: list[RowError] = []
        cells = _CriterionCells(row, errors, self)
        used = {*CRITERIA_COMMON_COLUMNS, *CRITERIA_TYPE_COLUMNS[kind]}
        for column, value in row.values.items():
            if value and column not in used:
                cells.error(
                    column,
                    _("A row of type %(type)s does not use this column; leave it empty.")
                    % {"type": kind},
                )
        organization = cells.organization("organization")
        key = None if organization is _BAD else self._key(kind, organization, cells)
        if key is None:
            raise _RowRefused(errors)
        if key in self.first_line:
            columns = _KEY_COLUMNS[kind] or ("organization",)
            cells.error(
                columns[0],
                _("The same %(type)s is already on line %(line)d.")
                % {"type": kind, "line": self.first_line[key]},
            )
            raise _RowRefused(errors)
        self.first_line[key] = row.line
        criterion = self.existing.get(key)
        creating = criterion is None
        if creating:
            criterion = self._new(kind, organization, key, cells)
            before, before_relations = None, None
        else:
            before = _criterion_state(criterion)
            before_relations = {
                name: {item.pk for item in getattr(criterion, name).all()}
                for name in _M2M_COLUMNS
                if name in CRITERIA_TYPE_COLUMNS[kind]
            }
        relations: dict[str, set[int]] = {}
        for column in CRITERIA_TYPE_COLUMNS[kind] + ("note", "source_url"):
            if column in _KEY_COLUMNS[kind] or not row.has(column):
                continue
            if column in _TEXT_COLUMNS:
                setattr(criterion, column, row.get(column))
            elif column in _LIST_COLUMNS:
                setattr(criterion, column, cells.codes(column))
            elif column in _M2M_COLUMNS:
                value = _M2M_COLUMNS[column](cells)
                if value is not _BAD:
                    relations[column] = value
            else:
                value = _OTHER_COLUMNS[column](cells)
                if value is not _BAD:
                    setattr(criterion, column, value)
        # Empty: today for a new criterion (the model's default), as it was for an existing one.
        if row.get("checked_on"):
            checked_on = cells.date("checked_on")
            if checked_on is not _BAD:
                criterion.checked_on = checked_on
        if (
            not errors
            and not creating
            and before == _criterion_state(criterion)
            and all(before_relations[name] == pks for name, pks in relations.items())
        ):
            return "unchanged", None
        # A cell that could not be read is reported once, not again by the model's rules.
        unread = {error.column for error in errors}
        try:
            # Field rules and clean() (stage window, one subject, cheques, not with itself);
            # the unique keys were checked above and the database enforces them again on write.
            criterion.full_clean(
                exclude=[*_RESOLVED, *_M2M_COLUMNS, *unread],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            errors.extend(e for e in _errors_of(exc, row.line) if e.column not in unread)
        if errors:
            raise _RowRefused(errors)

        def write() -> None:
            criterion.save()
            for name, pks in relations.items():
                getattr(criterion, name).set(pks)

        return ("created" if creating else "updated"), write


@transaction.atomic
def criteria_import(*, data: bytes) -> ImportResult:
    """Create or update partnering criteria from a CSV file (docs/csv.md), each found by its
    natural key. Criteria that the file does not name are left as they are."""
    rows = csvfiles.read(
        data,
        required=CRITERIA_REQUIRED,
        optional=[c for c in CRITERIA_COLUMNS if c not in CRITERIA_REQUIRED],
    )
    result = _apply_rows(rows, _CriteriaRows(rows))
    if result.changed:
        match_index_invalidate()
    return result


# --- meeting requests -------------------------------------------------------------------------

REQUEST_REQUIRED = ("requester", "recipient", "status")


def _request_state(r: MeetingRequest) -> tuple:
    return (r.status, r.decline_reason, r.decline_note, r.asset_id, r.message)


def _parse_moment(value: str, event: Event) -> datetime:
    """The cell's date and time, in the event's zone when it names none; ValueError when it is
    not one, ValidationError when it falls outside the years the site accepts."""
    moment = datetime.fromisoformat(value)
    validate_date_in_range(moment)
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
            if status in RequestStatus.values:
                problem = transition_error(target.status, status, placed=target.has_meeting)
                if problem:
                    errors.append(RowError(row.line, problem, "status"))
        reason = row.get("decline_reason") if row.has("decline_reason") else target.decline_reason
        if status in RequestStatus.values:
            problem = decline_reason_error(status, reason)
            if problem:
                errors.append(RowError(row.line, problem, "decline_reason"))
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
            except ValidationError as exc:
                errors.extend(RowError(row.line, message, "sent_at") for message in exc.messages)
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
