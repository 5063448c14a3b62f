from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from kbio.directory.models import FocusArea, OrganizationKind

from .index import MatchIndex
from .models import FeedbackReason
from .reasons import ROLE_LABELS, role_label


class MatchFilterForm(forms.Form):
    """Filters of the suggestion list; choices come from the index, so rendering and checking
    them costs no query."""

    kind = forms.ChoiceField(label=_("Partner kind"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    area = forms.ChoiceField(label=_("Focus area"), required=False)
    role = forms.ChoiceField(label=_("As"), required=False)
    min_score = forms.IntegerField(
        label=_("Minimum score"),
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": 5, "inputmode": "numeric"}),
    )

    def __init__(self, *args, index: MatchIndex, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any kind")), *OrganizationKind.choices]
        self.fields["country"].choices = [("", _("Any country"))] + sorted(
            ((code, countries.name(code) or code) for code in index.countries),
            key=lambda choice: str(choice[1]),
        )
        groups: dict[str, list[tuple[str, str]]] = {}
        for slug in index.area_order:
            kind = index.taxonomy.kinds[slug]
            groups.setdefault(kind, []).append((slug, index.area_names[slug].get()))
        self.fields["role"].choices = [("", _("Any role"))] + [
            (role, role_label(role)) for role in ROLE_LABELS
        ]
        labels = dict(FocusArea.Kind.choices)
        self.fields["area"].choices = [("", _("Any focus area"))] + [
            (labels.get(kind, kind), choices) for kind, choices in groups.items()
        ]


class PartnerForm(forms.Form):
    """A partner named by its slug (a slug field refuses anything else, null bytes included)."""

    partner = forms.SlugField(max_length=80)


class NotInterestedForm(PartnerForm):
    """ "Not interested" on a suggestion: the partner leaves the list; "outside our focus" also
    ranks similar partners lower."""

    reason = forms.ChoiceField(label=_("Why"), choices=FeedbackReason.choices)


class ShortlistForm(PartnerForm):
    """Shortlist a partner, with an optional note for the colleagues."""

    note = forms.CharField(label=_("Note"), max_length=500, required=False)
