"""Filters of the organization list. They live in the query string, so a filtered list can be
shared as a link."""

import re
import unicodedata
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


# A search reads at most this many characters and this many distinct words: each word adds a
# subquery, so an unbounded query ("a a a …" five hundred times) cost seconds per request.
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 6

# Hyphens, dashes and middle dots join the parts of a name ("ASP-7317", "ネモト・サイエンス",
# "중간엽·성체줄기세포"): a search reads them as spaces, so that "ASP-7317" and "ASP 7317" find
# ASP7317 (every part must appear) and "ネモト・サイエンス" finds ネモトサイエンス.
_WORD_SEPARATORS = re.compile(r"[\s,;/\-\u00b7\u2010-\u2015\u2212\u30fb]+")


@dataclass(frozen=True)
class SearchWords:
    words: list[str]
    left_out: bool  # more distinct words were given than a search reads


def search_words(text: str) -> SearchWords:
    """The words a search looks for: NFKC-normalized (full-width ＡＳＰ７３１７ is ASP7317,
    half-width ｱｽﾃﾗｽ is アステラス), split at spaces and hyphens, without repeats or words
    contained in another word (any text containing "cells" contains "cell"), and at most
    SEARCH_MAX_WORDS of them, in the order given."""
    words = _WORD_SEPARATORS.split(unicodedata.normalize("NFKC", text.replace("\x00", "")))
    distinct: dict[str, str] = {}
    for word in words:
        if word:
            distinct.setdefault(word.casefold(), word)
    kept = [
        word
        for folded, word in distinct.items()
        if not any(folded in other and folded != other for other in distinct)
    ]
    return SearchWords(kept[:SEARCH_MAX_WORDS], left_out=len(kept) > SEARCH_MAX_WORDS)


class SearchField(forms.CharField):
    """Text to search for. A null character (which no name contains, and which PostgreSQL
    cannot compare) is dropped rather than refused."""

    def to_python(self, value):
        return super().to_python(value).replace("\x00", "")

    def bound_data(self, data, initial):
        data = super().bound_data(data, initial)
        return data.replace("\x00", "") if isinstance(data, str) else data


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


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

    q = SearchFilter(
        label=_("Search"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_(
            "Names and other names in English, Korean or Japanese, descriptions, focus areas "
            "and asset names."
        ),
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
        """Every word must appear somewhere: a name in any script, another name, a
        description in any language, the name of a focus area (in any language) or of an asset.
        """
        # One "id IN (... UNION ...)" per word, at most SEARCH_MAX_WORDS of them. PostgreSQL
        # answers the asset half from its trigram index (migration 0005); the organization half
        # reads the table, since the other names and the Korean and Japanese descriptions have
        # no trigram index. Focus areas are matched here, on the taxonomy already read.
        through = Organization.focus_areas.through
        for word in search_words(value).words:
            organizations = Organization.objects.filter(
                Q(name__icontains=word)
                | Q(native_name__icontains=word)
                | Q(aliases__icontains=word)
                | Q(former_name__icontains=word)
                | Q(description__icontains=word)
                | Q(description_ko__icontains=word)
                | Q(description_ja__icontains=word)
            ).order_by()
            parts = [
                Asset.objects.filter(name__icontains=word).order_by().values("organization_id")
            ]
            if areas := self._areas_named(word):
                parts.append(through.objects.filter(focusarea__in=areas).values("organization_id"))
            queryset = queryset.filter(pk__in=organizations.values("pk").union(*parts))
        return queryset

    def _areas_named(self, word: str) -> list[int]:
        """The focus areas whose English, Korean or Japanese name contains the word.

        Spaces and hyphens inside a name are left out, since Korean spacing varies:
        "세포치료" finds "줄기세포 치료제" ("cell therapy" in "stem-cell therapy")."""
        if not hasattr(self, "_area_names"):
            self._area_names = {
                area.pk: "\n".join(
                    _WORD_SEPARATORS.sub("", unicodedata.normalize("NFKC", name)).casefold()
                    for name in (area.name_en, area.name_ko, area.name_ja)
                )
                for area in self.areas.values()
            }
        folded = word.casefold()
        return [pk for pk, names in self._area_names.items() if folded in names]

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
            if search_words(cleaned["q"]).left_out:
                label = _("Search: %(text)s (only the first %(count)d words are searched)") % {
                    "text": " ".join(search_words(cleaned["q"]).words),
                    "count": SEARCH_MAX_WORDS,
                }
            else:
                label = _("Search: %(text)s") % {"text": cleaned["q"]}
            active.append(("q", label, None))
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
