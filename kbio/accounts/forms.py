from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from kbio.directory.models import INTERFACE_LANGUAGES, MemberRole

from .models import Application

NO_NUL = RegexValidator(r"\x00", _("Remove the invisible NUL character."), inverse_match=True)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254, validators=[NO_NUL])
    name = forms.CharField(label=_("Name"), max_length=200, required=False, validators=[NO_NUL])
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.EDITOR)
    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=[("", _("The organization's language"))] + list(INTERFACE_LANGUAGES),
        required=False,
    )


class AcceptInvitationForm(forms.Form):
    """Choose a username and a password; the e-mail is the invitation's."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[get_user_model().username_validator],
        help_text=_("Letters, digits and @ . + - _ only. You log in with it."),
    )
    name = forms.CharField(label=_("Your name"), max_length=150, validators=[NO_NUL])
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken; choose another."))
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = get_user_model()(username=cleaned.get("username", ""), email=self.email)
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "organization_name",
            "native_name",
            "kind",
            "country",
            "website",
            "description",
            "contact_name",
            "email",
            "language",
            "message",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "message": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("Remove the invisible NUL character."))
        return cleaned
