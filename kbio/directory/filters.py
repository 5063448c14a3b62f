"""Filters of the organization list. They live in the query string, so a filtered list can be
shared as a link."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import Asset, FocusArea, Organization, PartnershipType, Stage


class PlainSelect(forms.Select):
    """The HTML of Django's select, built in Python rather than from a template per option:
    the organization list shows five of these on every request."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, mark_safe(" selected") if str(option) in selected else "", label)
                for option, label in self.choices
            ),
        )
        final_attrs = self.build_attrs(self.attrs, {"name": name, **(attrs or {})})
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


@dataclass(frozen=True)
class FocusChoice:
    area: FocusArea
    checked: bool


@dataclass(frozen=True)
class FocusGroup:
    kind: str
    label: str
    choices: list[FocusChoice]

    @property
    def any_checked(self) -> bool:
        return any(choice.checked for choice in self.choices)


class OrganizationFilter(django_filters.FilterSet):
    """Kind, country, focus areas, stage, seeks, offers and a text search.

    The taxonomy is read once per list (two small queries) and reused for the choices, the
    focus-area check boxes and the labels of the active filters.
    """

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Names in English, Korean or Japanese, descriptions and asset names."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=Organization.Kind.choices,
        empty_label=_("All kinds"),
        widget=PlainSelect,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), empty_label=_("All countries"), widget=PlainSelect
    )
    focus = django_filters.MultipleChoiceFilter(
        label=_("Focus areas"),
        method="filter_focus",
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Ticking several modalities finds organizations with any of them; ticking a "
            "modality and a therapeutic area finds those with both."
        ),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Lead stage"),
        field_name="lead_stage",
        choices=Stage.choices,
        empty_label=_("Any stage"),
        widget=PlainSelect,
    )
    seeks = django_filters.ChoiceFilter(
        label=_("Seeks"), field_name="seeks__slug", empty_label=_("Anything"), widget=PlainSelect
    )
    offers = django_filters.ChoiceFilter(
        label=_("Offers"), field_name="offers__slug", empty_label=_("Anything"), widget=PlainSelect
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "country", "focus", "stage", "seeks", "offers"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.areas = {area.slug: area for area in FocusArea.objects.all()}
        self.partnership_types = {t.slug: t for t in PartnershipType.objects.all()}
        country_choices = sorted(
            ((code, countries.name(code)) for code in Organization.objects.active_countries()),
            key=lambda choice: choice[1],
        )
        type_choices = [(slug, t.name) for slug, t in self.partnership_types.items()]
        self.form.label_suffix = ""
        fields = self.form.fields
        # The empty "all" choice is added by each field from its empty_label.
        fields["country"].choices = country_choices
        fields["seeks"].choices = type_choices
        fields["offers"].choices = type_choices
        fields["focus"].choices = [(slug, area.name) for slug, area in self.areas.items()]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word must appear in a name (either script), the description or an asset name."""
        # One "id IN (... UNION ...)" per word: PostgreSQL answers both halves from their trigram
        # indexes (migration 0005) and joins the result, instead of comparing every row's text.
        for word in value.split():
            organizations = Organization.objects.filter(
                Q(name__icontains=word)
                | Q(native_name__icontains=word)
                | Q(description__icontains=word)
            ).order_by()
            assets = Asset.objects.filter(name__icontains=word).order_by()
            matches = organizations.values("pk").union(assets.values("organization_id"))
            queryset = queryset.filter(pk__in=matches)
        return queryset

    def filter_focus(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        """Any of the ticked areas of one kind, and all kinds ticked (OR within, AND across)."""
        through = Organization.focus_areas.through
        for kind in FocusArea.Kind.values:
            ids = [self.areas[slug].pk for slug in value if self.areas[slug].kind == kind]
            if ids:
                queryset = queryset.filter(
                    Exists(through.objects.filter(organization=OuterRef("pk"), focusarea__in=ids))
                )
        return queryset

    def selected_focus(self) -> list[str]:
        """The ticked focus-area slugs that exist (unknown ones are reported as form errors)."""
        raw = self.form["focus"].value() or []
        return [slug for slug in raw if slug in self.areas]

    def focus_groups(self) -> list[FocusGroup]:
        selected = set(self.selected_focus())
        return [
            FocusGroup(
                kind=kind,
                label=label,
                choices=[
                    FocusChoice(area=area, checked=area.slug in selected)
                    for area in self.areas.values()
                    if area.kind == kind
                ],
            )
            for kind, label in FocusArea.Kind.choices
        ]

    def active_filters(self) -> list[tuple[str, str, str | None]]:
        """(parameter, label of the filter, the value to remove) for each valid filter in use.

        The value is None for single-valued filters (removing the parameter removes the filter).
        """
        if not self.is_bound:
            return []
        self.form.is_valid()
        cleaned = self.form.cleaned_data  # only the valid filters: the others show errors
        active: list[tuple[str, str, str | None]] = []
        if cleaned.get("q"):
            active.append(("q", _("Search: %(text)s") % {"text": cleaned["q"]}, None))
        if cleaned.get("kind"):
            active.append(("kind", Organization.Kind(cleaned["kind"]).label, None))
        if cleaned.get("country"):
            active.append(("country", countries.name(cleaned["country"]), None))
        for slug in cleaned.get("focus") or []:
            active.append(("focus", self.areas[slug].name, slug))
        if cleaned.get("stage"):
            active.append(("stage", Stage(cleaned["stage"]).label, None))
        for param, prefix in (("seeks", _("Seeks")), ("offers", _("Offers"))):
            if cleaned.get(param):
                label = f"{prefix}: {self.partnership_types[cleaned[param]].name}"
                active.append((param, label, None))
        return active
