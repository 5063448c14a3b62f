"""An organization's history for the organizers: who changed what, when, from what to what,
across its profile, assets, team and partnering criteria (django-simple-history records).

A form save writes several records (the row, then one per changed list of focus areas or
deal types). Member pages give them one time (services.MEMBER_EDIT), so they are read as one
change; records from elsewhere (the admin) are one change when one person made them within
two seconds. Everything is read in a fixed number of queries, however long the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kbio.core.fields import ChoiceListField
from kbio.events.models import runs_events

from .models import Asset, Contact, FocusArea, Organization, PartnershipType
from .partnering import Exclusion, Interest, InvestorMandate, Relationship, ServiceCapability
from .services import MEMBER_EDIT

# Admin saves this close together, by the same person on the same object, are one change.
ONE_CHANGE = timedelta(seconds=2)
# Bookkeeping, not content.
SKIPPED = {"id", "organization", "updated", "created", "order", "slug"}
# The most entries a page shows (the newest).
LIMIT = 300


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    when: datetime
    who: str
    what: str  # the kind of thing: "Organization", "Asset"...
    label: str  # which one: the asset's name, the contact's name...
    action: str  # "+" created, "~" changed, "-" deleted
    changes: list[FieldChange] = field(default_factory=list)


def _records(model: type[Model], organization: Organization):
    history = model.history.select_related("history_user")
    if model is Organization:
        history = history.filter(id=organization.pk)
    elif model is Relationship:
        history = history.filter(Q(organization_id=organization.pk) | Q(partner_id=organization.pk))
    else:
        history = history.filter(organization_id=organization.pk)
    return list(history.order_by("id", "history_date", "history_id"))


def _m2m(model: type[Model], records) -> dict[str, dict[int, frozenset[int]]]:
    """For each tracked list field: history record id -> the ids it held (one query each)."""
    found: dict[str, dict[int, frozenset[int]]] = {}
    historical = model.history.model
    ids = [r.history_id for r in records]
    for m2m in model._meta.many_to_many:
        name = f"{historical._meta.model_name}_{m2m.name}"
        try:
            through = historical._meta.get_field(name).related_model
        except Exception:  # not tracked by the history
            continue
        target = next(
            f.attname
            for f in through._meta.fields
            if f.is_relation
            and f.name != "history"
            and f.related_model is m2m.related_model
            and f.attname != f"{model._meta.model_name}_id"
        )
        held: dict[int, set[int]] = {pk: set() for pk in ids}
        for history_id, value in through.objects.filter(history_id__in=ids).values_list(
            "history_id", target
        ):
            held[history_id].add(value)
        found[m2m.name] = {pk: frozenset(v) for pk, v in held.items()}
    return found


class _Names:
    """Display names for ids and codes, loaded once per page."""

    def __init__(self, organizations: set[int], users: set[int]):
        self.users = dict(
            get_user_model().objects.filter(pk__in=users).values_list("pk", "username")
        )
        self.areas = {a.pk: a.name for a in FocusArea.objects.all()}
        self.deals = {t.pk: t.name for t in PartnershipType.objects.all()}
        self.organizations = dict(
            Organization.objects.filter(pk__in=organizations).values_list("pk", "name")
        )

    def of(self, model_field, value) -> str:
        if value in (None, "", [], ()):
            return "—"
        target = getattr(model_field, "related_model", None)
        if target is FocusArea:
            return self._many(value, self.areas)
        if target is PartnershipType:
            return self._many(value, self.deals)
        if target is Organization:
            return self.organizations.get(value, f"#{value}")
        if target is get_user_model():
            return self.users.get(value, f"#{value}")
        if isinstance(model_field, ChoiceListField) and model_field.item_choices:
            labels = dict(model_field.item_choices.choices)
            return ", ".join(str(labels.get(v, v)) for v in value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    @staticmethod
    def _many(value, names: dict[int, str]) -> str:
        if isinstance(value, int):
            return names.get(value, f"#{value}")
        return ", ".join(sorted(names.get(v, f"#{v}") for v in value)) or "—"


def _snapshot(model: type[Model], record, m2m) -> dict[str, object]:
    values: dict[str, object] = {}
    for f in model._meta.concrete_fields:
        if f.name not in SKIPPED:
            values[f.name] = getattr(record, f.attname)
    for name, held in m2m.items():
        values[name] = held.get(record.history_id, frozenset())
    return values


def _label(model: type[Model], record, names: _Names) -> str:
    if model is Organization:
        return record.name
    if model in (Asset, Contact):
        return record.name
    if model is Relationship:
        return f"{names.organizations.get(record.organization_id, '')} – " + (
            names.organizations.get(record.partner_id, "")
        )
    if model is ServiceCapability:
        return names.areas.get(record.service_id, "")
    if model is Exclusion:
        return names.areas.get(record.focus_area_id) or names.deals.get(record.deal_type_id, "")
    return getattr(record, "slug", "") or str(model._meta.verbose_name)


def organization_history(organization: Organization) -> list[Entry]:
    """Every change to the organization and everything it owns, newest first."""
    models = [Organization, Asset, Contact, Interest, Exclusion, InvestorMandate]
    models += [ServiceCapability, Relationship]
    loaded = [(model, _records(model, organization)) for model in models]
    partners, logins = {organization.pk}, set()
    for model, records in loaded:
        if model is Relationship:
            partners |= {r.partner_id for r in records} | {r.organization_id for r in records}
        if model is Contact:
            logins |= {r.user_id for r in records if r.user_id}
    names = _Names(partners, logins)
    entries: list[Entry] = []
    for model, records in loaded:
        m2m = _m2m(model, records)
        fields = {f.name: f for f in [*model._meta.concrete_fields, *model._meta.many_to_many]}
        previous = None  # the last record of the same object before the current group
        group: list = []
        for record in [*records, None]:
            ends_group = group and (record is None or not _same_change(group[-1], record))
            if ends_group:
                entries.append(_entry(model, previous, group, m2m, fields, names))
                previous = None if record is None or record.id != group[-1].id else group[-1]
                group = []
            if record is not None:
                group.append(record)
    entries = [e for e in entries if e.changes or e.action != "~"]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:LIMIT]


def _same_change(last, record) -> bool:
    if record.id != last.id or record.history_user_id != last.history_user_id:
        return False
    if MEMBER_EDIT in (last.history_change_reason, record.history_change_reason):
        return record.history_date == last.history_date
    return record.history_date - last.history_date <= ONE_CHANGE


def _entry(model, previous, group, m2m, fields, names: _Names) -> Entry:
    last = group[-1]
    types = {r.history_type for r in group}
    action = "-" if "-" in types else ("+" if "+" in types and previous is None else "~")
    after = _snapshot(model, last, m2m)
    before = _snapshot(model, previous, m2m) if previous is not None else {}
    changes = []
    if action != "-":
        for name, value in after.items():
            old = before.get(name, None)
            empty = (None, "", [], frozenset())
            if old == value or (old in empty and value in empty):
                continue
            model_field = fields[name]
            changes.append(
                FieldChange(
                    str(model_field.verbose_name).capitalize(),
                    names.of(model_field, old) if previous is not None else "—",
                    names.of(model_field, value),
                )
            )
    user = last.history_user
    return Entry(
        when=last.history_date,
        who=user.get_username() if user else _("the system (an import or a script)"),
        what=str(model._meta.verbose_name).capitalize(),
        label=_label(model, last, names),
        action=action,
        changes=changes,
    )


@login_required
@require_safe
def organization_history_page(request: HttpRequest, slug: str) -> HttpResponse:
    if not runs_events(request.user):
        raise Http404("The history is for the organizers.")
    organization = get_object_or_404(Organization, slug=slug)
    return render(
        request,
        "directory/history.html",
        {
            "organization": organization,
            "entries": organization_history(organization),
            "limit": LIMIT,
        },
    )
