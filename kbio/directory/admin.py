from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from kbio.matching.services import match_index_invalidate

from .models import Asset, Contact, FocusArea, Organization, PartnershipType


class RefreshesMatching(admin.ModelAdmin):
    """Edits here change partner suggestions: the next matching page view shows them."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        match_index_invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        match_index_invalidate()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        match_index_invalidate()


class CountryFilter(admin.SimpleListFilter):
    """Only the countries that occur, not the whole ISO list."""

    title = _("country")
    parameter_name = "country"
    field = "country"

    def lookups(self, request, model_admin):
        from django_countries import countries

        codes = (
            model_admin.model.objects.order_by(self.field)
            .values_list(self.field, flat=True)
            .distinct()
        )
        return [(code, countries.name(code)) for code in codes if code]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field: self.value()})
        return queryset


class OrganizationCountryFilter(CountryFilter):
    parameter_name = "organization__country"
    field = "organization__country"


@admin.register(FocusArea)
class FocusAreaAdmin(RefreshesMatching):
    list_display = ["name_en", "name_ko", "name_ja", "kind", "parent", "slug", "organization_count"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name_en", "name_ko", "name_ja", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent"]
    ordering = ["kind", "order", "name_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_organizations=Count("organizations"))

    @admin.display(description=_("organizations"), ordering="_organizations")
    def organization_count(self, obj: FocusArea) -> int:
        return obj._organizations


@admin.register(PartnershipType)
class PartnershipTypeAdmin(RefreshesMatching):
    list_display = ["name_en", "name_ko", "name_ja", "slug", "order"]
    search_fields = ["name_en", "name_ko", "name_ja", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    list_editable = ["order"]


class AssetInline(admin.StackedInline):
    model = Asset
    extra = 0
    autocomplete_fields = ["modality", "therapeutic_areas"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        ("name", "slug"),
        ("modality", "stage", "direction"),
        ("rights_available", "platform_class"),
        "therapeutic_areas",
        "indications",
        "designations",
        "teaser",
        "confidential_details",
        "order",
    ]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "native_name", "title", "email", "language", "user"]
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(RefreshesMatching):
    list_display = [
        "name",
        "native_name",
        "kind",
        "country",
        "city",
        "lead_stage",
        "asset_count",
        "is_active",
    ]
    list_filter = ["kind", CountryFilter, "focus_areas", "lead_stage", "is_active"]
    search_fields = ["name", "native_name", "slug", "city", "assets__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["focus_areas", "seeks", "offers"]
    inlines = [AssetInline, ContactInline]
    fieldsets = [
        (None, {"fields": [("name", "native_name"), "slug", ("kind", "is_active")]}),
        (_("Where"), {"fields": [("country", "city"), "website", "founded", "languages"]}),
        (_("Profile"), {"fields": ["description", "focus_areas", "lead_stage"]}),
        (_("Partnering"), {"fields": ["seeks", "offers", "preferred_stages"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_assets=Count("assets", distinct=True))

    @admin.display(description=_("assets"), ordering="_assets")
    def asset_count(self, obj: Organization) -> int:
        return obj._assets


@admin.register(Asset)
class AssetAdmin(RefreshesMatching):
    list_display = ["name", "organization", "modality", "stage", "direction"]
    list_filter = ["stage", "direction", "modality", OrganizationCountryFilter]
    list_select_related = ["organization", "modality"]
    search_fields = [
        "name",
        "slug",
        "indications",
        "organization__name",
        "organization__native_name",
    ]
    autocomplete_fields = ["organization", "modality", "therapeutic_areas"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "native_name", "title", "email", "language", "organization", "user"]
    list_select_related = ["organization", "user"]
    list_filter = ["organization__kind", OrganizationCountryFilter]
    search_fields = [
        "name",
        "native_name",
        "email",
        "organization__name",
        "organization__native_name",
    ]
    autocomplete_fields = ["organization", "user"]
