from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """A list of codes from one TextChoices class, stored as JSON.

    JSON works the same on SQLite and PostgreSQL; admin and forms show it as checkboxes.
    """

    def __init__(self, *args, item_choices: type[models.TextChoices] | None = None, **kwargs):
        self.item_choices = item_choices
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list):
            raise ValidationError(_("Expected a list of codes."), code="invalid")
        unknown = [item for item in value if item not in self.item_choices.values]
        if unknown:
            raise ValidationError(
                _("Unknown value(s): %(values)s."),
                code="invalid_choice",
                params={"values": ", ".join(map(str, unknown))},
            )
        if len(set(value)) != len(value):
            raise ValidationError(_("A value is listed twice."), code="duplicate")

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.item_choices.choices,
            "coerce": str,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        defaults.pop("encoder", None)
        defaults.pop("decoder", None)
        return models.Field.formfield(self, **defaults)
