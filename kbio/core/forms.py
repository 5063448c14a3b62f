"""Form fields shared by the apps' forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

# The widest integer a database column holds; the ids of every table fit in it.
_LARGEST_ID = 2**63 - 1


class ChoicesByIdField(forms.ModelMultipleChoiceField):
    """Checkboxes of rows by id that refuse an id no column can hold as an invalid choice.

    Django looks the ids up with `__in`, which passes such a number to the database as it is:
    SQLite then raises OverflowError instead of finding nothing."""

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                too_large = abs(int(str(pk))) > _LARGEST_ID
            except ValueError:
                continue  # not a number: Django's own check refuses it
            if too_large:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class SafeIdsMixin:
    """Every many-to-many field of the form refuses ids too large for any column."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field) is forms.ModelMultipleChoiceField:
                field.__class__ = ChoicesByIdField
