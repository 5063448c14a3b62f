"""Filters of an event's participant list: a text search over every name an organization goes
by, its kind, its country and its focus areas. They live in the query string, so a filtered list
can be shared as a link."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from kbio.directory.filters import PlainSelect
from kbio.directory.models import FocusArea, Organization

from .models import Event, Participation


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Names in English, Korean or Japanese, and other names."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        field_name="organization__kind",
        choices=Organization.Kind.choices,
        empty_label=_("All kinds"),
        widget=PlainSelect,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="organization__country",
        empty_label=_("All countries"),
        widget=PlainSelect,
    )
    focus = django_filters.ChoiceFilter(
        label=_("Focus area"),
        method="filter_focus",
        empty_label=_("Any focus area"),
        widget=PlainSelect,
    )

    class Meta:
        model = Participation
        fields = ["q", "kind", "country", "focus"]

    def __init__(self, data=None, queryset=None, *, event: Event, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # Choices the event's participants can match: two small queries.
        codes = (
            event.participations.order_by()
            .values_list("organization__country", flat=True)
            .distinct()
        )
        self.form.fields["country"].choices = sorted(
            ((code, countries.name(code)) for code in codes if code),
            key=lambda choice: str(choice[1]),
        )
        self.areas = {area.slug: area for area in FocusArea.objects.all()}
        self.form.fields["focus"].choices = [(slug, a.name) for slug, a in self.areas.items()]
        self.form.label_suffix = ""

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word must appear in the name, the native name or one of the other names."""
        for word in value.split():
            queryset = queryset.filter(
                Q(organization__name__icontains=word)
                | Q(organization__native_name__icontains=word)
                | Q(organization__aliases__icontains=word)
            )
        return queryset

    def filter_focus(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The area or anything under it: oncology finds tumour-microenvironment work too."""
        by_pk = {area.pk: area for area in self.areas.values()}

        def under(area: FocusArea) -> bool:
            seen = set()
            while area is not None and area.pk not in seen:
                if area.slug == value:
                    return True
                seen.add(area.pk)
                area = by_pk.get(area.parent_id)
            return False

        wanted = [area.pk for area in self.areas.values() if under(area)]
        through = Organization.focus_areas.through
        return queryset.filter(
            Exists(
                through.objects.filter(organization=OuterRef("organization"), focusarea__in=wanted)
            )
        )
