"""Form fields shared by the apps' forms, and the login and password-reset forms."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import MaxLengthValidator
from django.template.loader import render_to_string
from django.utils import translation

from kbio.core.validators import LARGEST_INTEGER


class ChoicesByIdField(forms.ModelMultipleChoiceField):
    """Checkboxes of rows by id that refuse an id no column can hold as an invalid choice.

    Django looks the ids up with `__in`, which passes such a number to the database as it is:
    SQLite then raises OverflowError instead of finding nothing."""

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                too_large = abs(int(str(pk))) > LARGEST_INTEGER
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


class _UsernameLength:
    """Django's login forms give the username field its length after making it, so the length
    is never checked: a username of any length reached the authentication backends, and
    django-axes wrote it into a 255-character column (a server error on PostgreSQL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginForm(_UsernameLength, AuthenticationForm):
    pass


class AdminLoginForm(_UsernameLength, AdminAuthenticationForm):
    pass


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password-reset form, with its e-mail sent the way every other e-mail of the
    app is (kept, then sent by a job that retries while the mail server cannot be reached)
    instead of straight away, where a mail server that is down loses it."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from kbio.events.notifications import send_or_log

        def build() -> EmailMultiAlternatives:
            # As Django writes it: a subject on one line, the text, and HTML when asked for.
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
            message = EmailMultiAlternatives(subject, body, from_email, [to_email])
            if html_email_template_name is not None:
                html = render_to_string(html_email_template_name, context)
                message.attach_alternative(html, "text/html")
            return message

        send_or_log(
            build,
            f"password reset to {to_email}",
            kind="password-reset",
            language=translation.get_language() or "",
        )
