from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OutcomeStage


class OutcomeForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Where does the collaboration stand?"),
        choices=OutcomeStage.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Verification: a proof of concept run at a park or a lab. Each record is kept; the "
            "latest is where things stand."
        ),
        error_messages={"required": _("Choose a stage.")},
    )
    on = forms.DateField(
        label=_("Since when"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the collaboration reached this stage (YYYY-MM-DD)."),
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Enter a date such as 2025-03-01."),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What was agreed, what comes next. Both organizations and the organizer see it."
        ),
    )
