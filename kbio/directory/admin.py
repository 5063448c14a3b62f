from urllib.parse import urlsplit

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Count
from django.http import Http404
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kbio.core.validators import whole_number
from kbio.matching.services import match_index_invalidate

from .models import (
    Asset,
    Contact,
    Exclusion,
    FocusArea,
    Interest,
    InvestorMandate,
    Organization,
    PartnershipType,
    Relationship,
    ServiceCapability,
)


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin, whose history pages answer 404 to an address that names no id
    (it looks the object and the record up by the text of the address: a server error)."""

    def history_view(self, request, object_id, extra_context=None):
        if whole_number(unquote(object_id)) is None:
            raise Http404("No such object.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if whole_number(unquote(object_id)) is None or whole_number(version_id) is None:
            raise Http404("No such record.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class RefreshesMatching:
    """Mixin for the admins whose edits change partner suggestions: the next matching page
    shows them. Put it before the ModelAdmin class (`RefreshesMatching, HistoryAdmin`).

    Every admin save goes through save_model: the add and change forms (their inlines are
    saved in the same transaction), list editing, and simple_history's revert."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
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
class FocusAreaAdmin(RefreshesMatching, admin.ModelAdmin):
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
class PartnershipTypeAdmin(RefreshesMatching, admin.ModelAdmin):
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
        ("source_url", "checked_on"),
        "order",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "native_name", "title", "email", "language", "user"]
    autocomplete_fields = ["user"]


# --- partnering criteria ----------------------------------------------------------------------


@admin.display(description=_("source"), ordering="source_url")
def source_link(obj) -> str:
    """The source's site name as a link; a long address would crowd the list."""
    if not obj.source_url:
        return _("stated by the organization")
    return format_html(
        '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>',
        obj.source_url,
        urlsplit(obj.source_url).hostname or obj.source_url,
    )


class InterestInline(admin.StackedInline):
    model = Interest
    extra = 0
    autocomplete_fields = ["modalities", "therapeutic_areas", "deal_types"]
    fields = [
        "slug",
        "modalities",
        "therapeutic_areas",
        ("stage_from", "stage_to"),
        "deal_types",
        "territories",
        "note",
        ("source_url", "checked_on"),
    ]

    def get_queryset(self, request):
        # The row's title names its organization; the autocomplete widgets still look up
        # their own selected values (one query each, as Django's widget does).
        return (
            super()
            .get_queryset(request)
            .select_related("organization")
            .prefetch_related("modalities", "therapeutic_areas", "deal_types")
        )


class ExclusionInline(admin.TabularInline):
    model = Exclusion
    extra = 0
    autocomplete_fields = ["focus_area", "deal_type"]
    fields = ["slug", "focus_area", "deal_type", "since", "note", "source_url", "checked_on"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("organization", "focus_area", "deal_type")
        )


class InvestorMandateInline(admin.StackedInline):
    model = InvestorMandate
    extra = 0
    max_num = 1
    fields = [
        "vehicle",
        "sectors",
        "rounds",
        ("cheque_min_usd", "cheque_max_usd"),
        "lead_role",
        "countries",
        "geography_rule",
        "note",
        ("source_url", "checked_on"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")


class ServiceCapabilityInline(admin.StackedInline):
    model = ServiceCapability
    extra = 0
    autocomplete_fields = ["service", "modalities"]
    fields = [
        "service",
        ("modalities", "all_modalities"),
        "standards",
        "regulators",
        "note",
        ("source_url", "checked_on"),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organization", "service")
            .prefetch_related("modalities")
        )


class RelationshipInline(admin.TabularInline):
    model = Relationship
    fk_name = "organization"
    extra = 0
    autocomplete_fields = ["partner"]
    fields = ["partner", "kind", "since", "until", "note", "source_url", "checked_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "partner")


class RelationshipAsPartnerInline(admin.TabularInline):
    """Relationships recorded on the other organization: shown here so that a reader sees
    every relationship of the organization, edited on the organization that records it."""

    model = Relationship
    fk_name = "partner"
    extra = 0
    verbose_name = _("relationship recorded by the other organization")
    verbose_name_plural = _("relationships recorded by the other organization")
    fields = ["organization", "kind", "since", "until", "note", source_link, "checked_on"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "partner")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(RefreshesMatching, HistoryAdmin):
    list_display = [
        "name",
        "native_name",
        "kind",
        "country",
        "city",
        "lead_stage",
        "asset_count",
        "checked_on",
        "is_active",
    ]
    list_filter = ["kind", CountryFilter, "focus_areas", "lead_stage", "is_active"]
    # Explicit: the asset count's GROUP BY drops the model's ordering, and the autocomplete
    # widgets page through this list (a page could repeat or skip organizations).
    ordering = ["name"]
    search_fields = [
        "name",
        "native_name",
        "aliases",
        "former_name",
        "slug",
        "city",
        "assets__name",
    ]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["focus_areas", "seeks", "offers"]
    inlines = [
        AssetInline,
        ContactInline,
        InterestInline,
        ExclusionInline,
        InvestorMandateInline,
        ServiceCapabilityInline,
        RelationshipInline,
        RelationshipAsPartnerInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name", "native_name"),
                    "former_name",
                    "aliases",
                    "slug",
                    ("kind", "is_active"),
                ]
            },
        ),
        (_("Where"), {"fields": [("country", "city"), "website", "founded", "languages"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "description",
                    "description_ko",
                    "description_ja",
                    "focus_areas",
                    "lead_stage",
                ]
            },
        ),
        (_("Partnering"), {"fields": ["intents", "seeks", "offers", "preferred_stages"]}),
        (_("Sources"), {"fields": ["sources", "checked_on"]}),
        (_("Members"), {"fields": ["members"]}),
    ]
    readonly_fields = ["members"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_assets=Count("assets", distinct=True))

    @admin.display(description=_("logins"))
    def members(self, obj: Organization) -> str:
        from kbio.accounts.admin import invite_link

        return invite_link(obj)

    @admin.display(description=_("assets"), ordering="_assets")
    def asset_count(self, obj: Organization) -> int:
        return obj._assets


@admin.register(Asset)
class AssetAdmin(RefreshesMatching, HistoryAdmin):
    list_display = ["name", "organization", "modality", "stage", "direction", "checked_on"]
    list_filter = ["stage", "direction", "modality", OrganizationCountryFilter]
    list_select_related = ["organization", "modality"]
    search_fields = [
        "name",
        "slug",
        "indications",
        "platform_class",
        "organization__name",
        "organization__native_name",
    ]
    autocomplete_fields = ["organization", "modality", "therapeutic_areas"]
    prepopulated_fields = {"slug": ["name"]}


ORGANIZATION_SEARCH = ["organization__name", "organization__native_name", "organization__slug"]


@admin.register(Interest)
class InterestAdmin(RefreshesMatching, HistoryAdmin):
    list_display = ["slug", "organization", "stage_from", "stage_to", source_link, "checked_on"]
    list_filter = ["organization__kind", OrganizationCountryFilter, "stage_from", "checked_on"]
    list_select_related = ["organization"]
    search_fields = ["slug", "note", *ORGANIZATION_SEARCH]
    autocomplete_fields = ["organization", "modalities", "therapeutic_areas", "deal_types"]


@admin.register(Exclusion)
class ExclusionAdmin(RefreshesMatching, HistoryAdmin):
    list_display = [
        "slug",
        "organization",
        "focus_area",
        "deal_type",
        "since",
        source_link,
        "checked_on",
    ]
    list_filter = ["organization__kind", "focus_area__kind", "since", "checked_on"]
    list_select_related = ["organization", "focus_area", "deal_type"]
    search_fields = [
        "slug",
        "note",
        "focus_area__name_en",
        "deal_type__name_en",
        *ORGANIZATION_SEARCH,
    ]
    autocomplete_fields = ["organization", "focus_area", "deal_type"]


@admin.register(InvestorMandate)
class InvestorMandateAdmin(RefreshesMatching, HistoryAdmin):
    list_display = [
        "organization",
        "vehicle",
        "lead_role",
        "cheque_min_usd",
        "cheque_max_usd",
        source_link,
        "checked_on",
    ]
    list_filter = ["vehicle", "lead_role", OrganizationCountryFilter, "checked_on"]
    list_select_related = ["organization"]
    search_fields = ["note", "geography_rule", *ORGANIZATION_SEARCH]
    autocomplete_fields = ["organization"]


@admin.register(ServiceCapability)
class ServiceCapabilityAdmin(RefreshesMatching, HistoryAdmin):
    list_display = ["organization", "service", "all_modalities", source_link, "checked_on"]
    list_filter = [
        ("service", admin.RelatedOnlyFieldListFilter),
        "all_modalities",
        OrganizationCountryFilter,
        "checked_on",
    ]
    list_select_related = ["organization", "service"]
    search_fields = ["note", "service__name_en", "service__slug", *ORGANIZATION_SEARCH]
    autocomplete_fields = ["organization", "service", "modalities"]


@admin.register(Relationship)
class RelationshipAdmin(RefreshesMatching, HistoryAdmin):
    list_display = [
        "organization",
        "partner",
        "kind",
        "since",
        "until",
        source_link,
        "checked_on",
    ]
    list_filter = ["kind", "organization__kind", "checked_on"]
    list_select_related = ["organization", "partner"]
    search_fields = [
        "note",
        "partner__name",
        "partner__native_name",
        "partner__slug",
        *ORGANIZATION_SEARCH,
    ]
    autocomplete_fields = ["organization", "partner"]


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
