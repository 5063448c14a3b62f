from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from . import services
from .models import Outcome


class OutcomeAddForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["request", "stage", "on", "note"]

    def clean(self):
        cleaned = super().clean()
        meeting_request, stage, on = (cleaned.get(k) for k in ("request", "stage", "on"))
        if meeting_request and stage and on:
            try:
                services.outcome_validate(
                    meeting_request=meeting_request,
                    stage=stage,
                    on=on,
                    by=self.user,
                    side=None,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        self.add_error(field, errors)
                else:
                    self.add_error(None, exc)
        return cleaned


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    """Organizers add records here too; records are history, so none is changed or deleted."""

    form = OutcomeAddForm
    list_display = ["request", "stage", "on", "side", "recorded_by", "created"]
    list_filter = ["stage", "request__event"]
    list_select_related = [
        "request__requester__organization",
        "request__recipient__organization",
        "side",
        "recorded_by",
    ]
    search_fields = [
        "request__requester__organization__name",
        "request__recipient__organization__name",
        "note",
    ]
    autocomplete_fields = ["request"]
    date_hierarchy = "on"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["request", "stage", "on", "note", "side", "recorded_by", "created"]
        return []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.outcome_record(
            meeting_request=obj.request,
            stage=obj.stage,
            on=obj.on,
            note=obj.note,
            by=request.user,
            side=None,
        )
        obj.pk, obj.created, obj.recorded_by = saved.pk, saved.created, saved.recorded_by
