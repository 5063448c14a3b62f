"""Forms a member fills to keep the organization's profile, criteria, pipeline and team.

Forms validate; `services.py` saves. Every form that names the organization's own rows (an
asset, a capability's service, a relationship's partner) is given the organization, so that
a duplicate is a message next to the field rather than a database error.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kbio.core.forms import SafeIdsMixin

from .models import (
    Asset,
    Contact,
    FocusArea,
    MemberRole,
    Organization,
    PartnershipType,
)
from .partnering import (
    LADDER_CHOICES,
    Exclusion,
    Interest,
    InvestorMandate,
    Relationship,
    ServiceCapability,
)

CHECKBOXES = forms.CheckboxSelectMultiple


def _areas(kind: str | None = None, kinds: tuple[str, ...] = ()):
    found = FocusArea.objects.all()
    if kind:
        found = found.filter(kind=kind)
    if kinds:
        found = found.filter(kind__in=kinds)
    return found


def _area_choice(kind: str, label, *, required: bool = False, help_text=""):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=_areas(kind),
        widget=CHECKBOXES,
        required=required,
        help_text=help_text,
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProfileForm(SafeIdsMixin, forms.ModelForm):
    """What members may change about their organization. Name, slug, kind and country are
    the organizer's: they identify the organization at events and in imports."""

    modalities = _area_choice(FocusArea.Kind.MODALITY, _("Modalities"))
    therapeutic_areas = _area_choice(FocusArea.Kind.THERAPEUTIC_AREA, _("Therapeutic areas"))
    services = _area_choice(
        FocusArea.Kind.SERVICE,
        _("Services"),
        help_text=_("Services you provide to others (CROs, CDMOs, support organizations)."),
    )
    preferred_stages = forms.TypedMultipleChoiceField(
        label=_("Preferred stages"),
        choices=LADDER_CHOICES,
        widget=CHECKBOXES,
        required=False,
        help_text=Organization._meta.get_field("preferred_stages").help_text,
    )

    class Meta:
        model = Organization
        fields = [
            "description",
            "description_ko",
            "description_ja",
            "aliases",
            "website",
            "city",
            "founded",
            "lead_stage",
            "preferred_stages",
            "intents",
            "languages",
            "seeks",
            "offers",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "description_ko": forms.Textarea(attrs={"rows": 5, "lang": "ko"}),
            "description_ja": forms.Textarea(attrs={"rows": 5, "lang": "ja"}),
            "aliases": forms.Textarea(attrs={"rows": 3}),
            "seeks": CHECKBOXES,
            "offers": CHECKBOXES,
        }

    focus_fields = ("modalities", "therapeutic_areas", "services")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            chosen = list(self.instance.focus_areas.all())
            by_kind = {
                FocusArea.Kind.MODALITY: "modalities",
                FocusArea.Kind.THERAPEUTIC_AREA: "therapeutic_areas",
                FocusArea.Kind.SERVICE: "services",
            }
            for name in self.focus_fields:
                self.initial[name] = [a.pk for a in chosen if by_kind[a.kind] == name]
        self.fields["seeks"].queryset = PartnershipType.objects.all()
        self.fields["offers"].queryset = PartnershipType.objects.all()
        self.fields["seeks"].help_text = _("Deals you look for at partnering meetings.")
        self.fields["offers"].help_text = _("Deals you offer to partners.")

    def focus_areas(self) -> list[FocusArea]:
        """The chosen focus areas of all three kinds (after validation)."""
        return [area for name in self.focus_fields for area in self.cleaned_data[name]]


class EvidenceForm(SafeIdsMixin, forms.ModelForm):
    """The source and checked-on date every partnering criterion carries."""

    evidence_fields = ["source_url", "checked_on"]

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.instance.organization = organization
        self.fields["checked_on"].widget = DateInput()


class InterestForm(EvidenceForm):
    modalities = _area_choice(
        FocusArea.Kind.MODALITY, _("Modalities"), help_text=_("Empty: your own modalities.")
    )
    therapeutic_areas = _area_choice(
        FocusArea.Kind.THERAPEUTIC_AREA,
        _("Therapeutic areas"),
        help_text=_("Empty: your own therapeutic areas."),
    )

    class Meta:
        model = Interest
        fields = [
            "modalities",
            "therapeutic_areas",
            "stage_from",
            "stage_to",
            "deal_types",
            "territories",
            "note",
            "source_url",
            "checked_on",
        ]
        widgets = {"deal_types": CHECKBOXES}


class ExclusionForm(EvidenceForm):
    class Meta:
        model = Exclusion
        fields = ["focus_area", "deal_type", "since", "note", "source_url", "checked_on"]
        widgets = {"since": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = _areas(
            kinds=(FocusArea.Kind.MODALITY, FocusArea.Kind.THERAPEUTIC_AREA)
        )
        self.fields["focus_area"].help_text = _(
            "A modality or therapeutic area you have left or will not take on; or choose a "
            "deal type below instead."
        )


# A cheque larger than any fund is a typing error (and PostgreSQL's bigint has a limit).
LARGEST_CHEQUE = 10**12


class InvestorMandateForm(EvidenceForm):
    cheque_min_usd = forms.IntegerField(
        label=_("smallest cheque (US$)"), min_value=0, max_value=LARGEST_CHEQUE, required=False
    )
    cheque_max_usd = forms.IntegerField(
        label=_("largest cheque (US$)"), min_value=0, max_value=LARGEST_CHEQUE, required=False
    )

    class Meta:
        model = InvestorMandate
        fields = [
            "vehicle",
            "sectors",
            "rounds",
            "cheque_min_usd",
            "cheque_max_usd",
            "lead_role",
            "countries",
            "geography_rule",
            "note",
            "source_url",
            "checked_on",
        ]

    def clean(self):
        cleaned = super().clean()
        if (
            not self.instance.pk
            and InvestorMandate.objects.filter(organization=self.organization).exists()
        ):
            raise forms.ValidationError(_("Your organization already has an investment mandate."))
        return cleaned


class ServiceCapabilityForm(EvidenceForm):
    modalities = _area_choice(FocusArea.Kind.MODALITY, _("Modalities covered"))

    class Meta:
        model = ServiceCapability
        fields = [
            "service",
            "modalities",
            "all_modalities",
            "standards",
            "regulators",
            "note",
            "source_url",
            "checked_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = _areas(FocusArea.Kind.SERVICE)
        self.fields["modalities"].help_text = _(
            "A service whose modalities are not stated is not counted for any."
        )

    def clean_service(self):
        service = self.cleaned_data["service"]
        taken = ServiceCapability.objects.filter(organization=self.organization, service=service)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This service is already listed."))
        return service


class RelationshipForm(EvidenceForm):
    class Meta:
        model = Relationship
        fields = ["partner", "kind", "since", "until", "note", "source_url", "checked_on"]
        widgets = {"since": DateInput(), "until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = (
            Organization.objects.active().exclude(pk=self.organization.pk).order_by("name")
        )
        self.fields["partner"].label_from_instance = lambda o: str(o)

    def clean(self):
        cleaned = super().clean()
        partner, kind = cleaned.get("partner"), cleaned.get("kind")
        if partner and kind:
            same = Relationship.objects.filter(
                organization=self.organization, partner=partner, kind=kind
            ).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("partner", _("This relationship is already listed."))
        return cleaned


class AssetForm(SafeIdsMixin, forms.ModelForm):
    therapeutic_areas = _area_choice(FocusArea.Kind.THERAPEUTIC_AREA, _("Therapeutic areas"))

    class Meta:
        model = Asset
        fields = [
            "name",
            "modality",
            "therapeutic_areas",
            "indications",
            "stage",
            "direction",
            "rights_available",
            "designations",
            "platform_class",
            "teaser",
            "confidential_details",
            "source_url",
        ]
        widgets = {
            "teaser": forms.Textarea(attrs={"rows": 3}),
            "confidential_details": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.fields["modality"].queryset = _areas(FocusArea.Kind.MODALITY)
        self.fields["teaser"].help_text = _(
            "Public: shown to everyone on your profile and with your suggestions, without a login."
        )
        self.fields["confidential_details"].help_text = _(
            "Confidential: shown to your own members and, once a meeting request about this "
            "asset is accepted, to that partner. Never on the public profile or in suggestions."
        )


class ContactForm(SafeIdsMixin, forms.ModelForm):
    """A member of the team. Only owners see the role field (`with_role`)."""

    class Meta:
        model = Contact
        fields = ["name", "native_name", "title", "email", "language", "role"]

    def __init__(self, *args, organization: Organization, with_role: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.instance.organization = organization
        if not with_role:
            del self.fields["role"]
        else:
            self.fields["role"].choices = MemberRole.choices

    def clean_email(self):
        email = self.cleaned_data["email"]
        others = Contact.objects.filter(organization=self.organization, email__iexact=email)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Someone in your team already has this address."))
        return email
