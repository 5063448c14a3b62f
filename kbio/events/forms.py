from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

from kbio.directory.models import Asset, Contact, Organization

from .models import DeclineReason, Event, TimeSlot


class RegistrationForm(forms.Form):
    delegates = forms.ModelMultipleChoiceField(
        label=_("Who attends for your organization"),
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one delegate.")},
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the organization's own people can be chosen; other ids are "not a valid choice".
        self.fields["delegates"].queryset = Contact.objects.filter(organization=organization)
        self.fields["delegates"].label_from_instance = lambda contact: (
            f"{contact.name} · {contact.title}" if contact.title else contact.name
        )


class SlotLabel:
    """Slot labels in the event's own time zone, whatever the viewer's."""

    def __init__(self, event: Event):
        self.tz = event.tzinfo

    def __call__(self, slot: TimeSlot) -> str:
        start = timezone.localtime(slot.starts_at, self.tz)
        end = timezone.localtime(slot.ends_at, self.tz)
        return f"{date_format(start)} {time_format(start)}–{time_format(end)}"


class AvailabilityForm(forms.Form):
    blocked_slots = forms.ModelMultipleChoiceField(
        label=_("Slots you cannot attend"),
        queryset=TimeSlot.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["blocked_slots"]
        field.queryset = TimeSlot.objects.of_event(event).order_by("starts_at")
        field.label_from_instance = SlotLabel(event)


class MeetingRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Say briefly why you want to meet and what you would like to discuss: requests "
            "with a clear reason are accepted more often."
        ),
        error_messages={"required": _("Write a short message: why do you want to meet?")},
    )
    asset = forms.ModelChoiceField(
        label=_("About an asset (optional)"),
        queryset=Asset.objects.none(),
        required=False,
        empty_label=_("No particular asset"),
    )

    def __init__(self, *args, requester: Organization, recipient: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["asset"]
        field.queryset = Asset.objects.filter(
            organization__in=[requester, recipient]
        ).select_related("organization")
        field.label_from_instance = lambda asset: f"{asset.name} · {asset.organization.name}"


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason for declining.")},
    )
    note = forms.CharField(
        label=_("Note to the requester (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
