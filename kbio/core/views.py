from urllib.parse import urlencode

from django.db.models import Count, F, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kbio.directory.models import FocusArea, Organization
from kbio.events.models import Event

Kind = Organization.Kind

# The four ways in that a newcomer to a Korea–Japan partnering event looks for first.
ENTRY_POINTS = [
    (_("Korean bio ventures"), {"kind": Kind.VENTURE, "country": "KR"}),
    (_("Japanese pharma"), {"kind": Kind.PHARMA, "country": "JP"}),
    (_("CROs and CDMOs"), {"kind": Kind.CRO_CDMO}),
    (_("Investors"), {"kind": Kind.INVESTOR}),
]


HOME_EVENTS = 3


def _list_url(**params) -> str:
    return f"{reverse('directory:organization_list')}?{urlencode(params)}"


def home(request: HttpRequest) -> HttpResponse:
    tally = list(
        Organization.objects.active()
        .values_list("kind", "country")
        .annotate(n=Count("id"))
        .order_by()
    )

    def count(kind: str, country: str | None = None) -> int:
        return sum(n for k, c, n in tally if k == kind and country in (None, c))

    entry_points = [(label, count(**params), _list_url(**params)) for label, params in ENTRY_POINTS]
    kinds = [(label, count(value), _list_url(kind=value)) for value, label in Kind.choices]
    # Modalities some active venture works on (inner joins: the others are left out).
    modalities = (
        FocusArea.objects.modalities()
        .filter(organizations__kind=Kind.VENTURE, organizations__is_active=True)
        .annotate(n=Count("organizations"))
    )
    ventures_by_modality = [
        (area, area.n, _list_url(kind=Kind.VENTURE, focus=area.slug)) for area in modalities
    ]
    # The latest events first (an upcoming one before a past one); drafts stay hidden.
    events = (
        Event.objects.visible()
        .annotate(first_start=Min("sessions__starts_at"), last_end=Max("sessions__ends_at"))
        .order_by(F("first_start").desc(nulls_last=True), "name")[:HOME_EVENTS]
    )
    context = {
        "events": events,
        "entry_points": entry_points,
        "kinds": kinds,
        "total": sum(n for _kind, _country, n in tally),
        "ventures_by_modality": ventures_by_modality,
    }
    return render(request, "home.html", context)
