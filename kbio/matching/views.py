from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from kbio.accounts.access import organization_of
from kbio.events.openings import request_openings

from .forms import MatchFilterForm
from .index import current_index
from .models import MatchingProfile
from .suggestions import asset_partners, explain, ranked

# Each row carries its reasons, fitting assets and gaps: ten make a readable page.
PER_PAGE = 10


def _profile_url(slug: str) -> str | None:
    # The directory's profile page; absent from a deployment without the directory pages.
    try:
        return reverse("directory:organization", args=[slug])
    except NoReverseMatch:
        return None


def _openings(request: HttpRequest, page_organization: int, partner_ids: list[int]):
    """Request buttons, only when participants look at their own organization's suggestions."""
    if not request.user.is_authenticated:
        return {}
    mine = organization_of(request)
    if mine is None or mine.pk != page_organization:
        return {}
    return request_openings(mine, partner_ids)


@require_safe
def organization_matches(request: HttpRequest, slug: str) -> HttpResponse:
    """Ranked partner suggestions for one organization, with the reasons behind each.

    Public like the directory: it reads only what profiles show to everyone (no contacts, no
    confidential asset details)."""
    index = current_index()
    viewer = index.by_slug.get(slug)
    if viewer is None:
        raise Http404("No active organization with this slug.")
    form = MatchFilterForm(request.GET or None, index=index)
    context = {
        "organization": index.info[viewer.key],
        "assets": index.assets.get(viewer.key, []),
        "profile_url": _profile_url(slug),
        "form": form,
    }
    if form.is_bound and not form.is_valid():
        return render(request, "matching/organization_matches.html", context, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    candidates = index.candidates(
        kind=filters.get("kind", ""),
        country=filters.get("country", ""),
        area=filters.get("area", ""),
    )
    weights = MatchingProfile.objects.weights()
    suggestions = ranked(
        index, viewer, weights, candidates=candidates, minimum=filters.get("min_score")
    )
    page = Paginator(suggestions, PER_PAGE).get_page(request.GET.get("page"))
    rows = [explain(index, viewer, candidate, weights) for candidate, _ in page]
    openings = _openings(request, viewer.key, [row.org.key for row in rows])
    context.update(
        page=page,
        rows=[(row, _profile_url(row.org.slug), openings.get(row.org.key, [])) for row in rows],
        asset_sections=asset_partners(index, viewer, weights, candidates=candidates),
        filtered=any(filters.get(name) not in (None, "") for name in form.fields),
    )
    return render(request, "matching/organization_matches.html", context)
