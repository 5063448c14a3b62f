from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

from kbio.core.forms import ChoicesByIdField
from kbio.directory.models import Asset, Contact, Organization

from .models import DECLINE_NOTE_MAX_LENGTH, MESSAGE_MAX_LENGTH, DeclineReason, Event, TimeSlot


class RegistrationForm(forms.Form):
    delegates = ChoicesByIdField(
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
    blocked_slots = ChoicesByIdField(
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
        max_length=MESSAGE_MAX_LENGTH,
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
        max_length=DECLINE_NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RequestMessageForm(forms.Form):
    """A message in a request's thread. Django's CharField already refuses a null byte."""

    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a message before sending it.")},
    )


INBOX_SORTS = [
    ("date", _("Newest first")),
    ("fit", _("Best fit")),
    ("status", _("Status")),
]
PARTICIPANT_SORTS = [("name", _("Kind and name")), ("fit", _("Best fit"))]


class SortForm(forms.Form):
    """The order of a list, from a plain GET parameter; anything unknown falls back to the
    first choice."""

    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, data, *, choices: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["sort"].choices = choices
        self.choices = choices

    @property
    def value(self) -> str:
        if self.is_valid() and self.cleaned_data["sort"]:
            return self.cleaned_data["sort"]
        return self.choices[0][0]
