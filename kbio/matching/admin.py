from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import MatchingProfile, ShortlistEntry
from .services import matching_profile_make_default, shortlist_add


@admin.register(MatchingProfile)
class MatchingProfileAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "is_default",
        "weight_deal",
        "weight_modality",
        "weight_therapeutic_area",
        "weight_stage",
        "weight_services",
        "off_intent",
        "cross_border_bonus",
        "minimum_score",
        "include_same_kind",
        "updated",
    ]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["updated"]
    actions = ["make_default"]
    fieldsets = [
        (None, {"fields": [("name", "slug"), "is_default", "notes"]}),
        (
            _("Weights"),
            {
                "description": _(
                    "Partnership types, modalities, therapeutic areas and the stage window "
                    "count in proportion to their weights (0–100) in how well what one side "
                    "looks for meets what the other offers; only their ratios matter. The "
                    "percentages weigh whole suggestions: service providers against partners, "
                    "a role a side did not come for, Korea–Japan pairs. The next page view "
                    "uses the new weights."
                ),
                "fields": [
                    "weight_deal",
                    "weight_modality",
                    "weight_therapeutic_area",
                    "weight_stage",
                    "weight_services",
                    "off_intent",
                    "cross_border_bonus",
                    "minimum_score",
                    "include_same_kind",
                ],
            },
        ),
        (None, {"fields": ["updated"]}),
    ]

    @admin.action(description=_("Make the selected profile the default"))
    def make_default(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one profile."), messages.ERROR)
            return
        profile = queryset.get()
        matching_profile_make_default(profile=profile)
        self.message_user(
            request, _("“%(name)s” is now the default profile.") % {"name": profile.name}
        )


@admin.register(ShortlistEntry)
class ShortlistEntryAdmin(admin.ModelAdmin):
    """Organizations' shortlists, for support: what participants kept and noted."""

    list_display = ["organization", "partner", "note", "added_by", "created"]
    list_select_related = ["organization", "partner", "added_by"]
    list_filter = ["organization__kind", "partner__kind", "created"]
    search_fields = [
        "organization__name",
        "organization__slug",
        "partner__name",
        "partner__slug",
        "note",
    ]
    autocomplete_fields = ["organization", "partner", "added_by"]
    readonly_fields = ["created"]
    date_hierarchy = "created"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Through the service, so that a "not interested" mark on the partner is withdrawn.
        entry = shortlist_add(
            organization=obj.organization, partner=obj.partner, user=request.user, note=obj.note
        )
        obj.pk, obj.created, obj.added_by = entry.pk, entry.created, entry.added_by
        obj._state.adding = False
