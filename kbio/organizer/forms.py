from django import forms
from django.utils.translation import gettext_lazy as _

from .csvfiles import MAX_BYTES
from .dashboard import DEFAULT_FEWER_THAN


class FewerThanForm(forms.Form):
    """The threshold of the "ventures with few meetings" list."""

    fewer_than = forms.IntegerField(
        label=_("Ventures with fewer than this many meetings"),
        min_value=1,
        max_value=100,
        initial=DEFAULT_FEWER_THAN,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter a whole number of meetings, e.g. 3."),
            "min_value": _("Enter at least 1."),
            "max_value": _("Enter at most 100."),
        },
    )


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 CSV with a header row, as the export writes it."),
        error_messages={
            "required": _("Choose a CSV file to import."),
            "empty": _("The file is empty."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB; split it into smaller files."),
                params={"size": MAX_BYTES // (1024 * 1024)},
            )
        return upload
