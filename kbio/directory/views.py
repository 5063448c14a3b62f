"""The directory in the browser: the filtered organization list and the public profile."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render

from .filters import OrganizationFilter
from .models import FocusArea, Organization

PAGE_SIZE = 25


def organization_list(request: HttpRequest) -> HttpResponse:
    # The filter form sends every field, empty or not; a link to share names only those in use.
    in_use = _without_empty(request.GET)
    if list(in_use.lists()) != list(request.GET.lists()):
        return redirect(f"{request.path}?{in_use.urlencode()}" if in_use else request.path)
    filterset = OrganizationFilter(request.GET or None, queryset=Organization.objects.active())
    # Alphabetical whatever the letter case; the key makes paging stable among equal names.
    results = filterset.qs.order_by(Lower("name"), "pk")
    # The paginator counts and slices first; the tags are then prefetched for one page only.
    page = Paginator(results.with_profile(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "focus_groups": filterset.focus_groups(),
        "page": page,
        "organizations": page.object_list,
        "active_filters": _removal_links(request.GET, filterset.active_filters()),
        "modality_facets": _modality_facets(request.GET, filterset, results, page),
    }
    return render(request, "directory/organization_list.html", context)


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(
        Organization.objects.active().with_profile().with_pipeline(), slug=slug
    )
    areas = list(organization.focus_areas.all())
    focus_groups = [
        (label, [area for area in areas if area.kind == kind])
        for kind, label in FocusArea.Kind.choices
    ]
    context = {
        "organization": organization,
        "focus_groups": [(label, group) for label, group in focus_groups if group],
        "assets": organization.assets.all(),
        # Delegates' names and addresses are for signed-in participants only.
        "contacts": list(organization.contacts.all()) if request.user.is_authenticated else None,
    }
    return render(request, "directory/organization_detail.html", context)


def _without_empty(query: QueryDict) -> QueryDict:
    kept = QueryDict(mutable=True)
    for param, values in query.lists():
        if values := [value for value in values if value.strip()]:
            kept.setlist(param, values)
    return kept


def _without(query: QueryDict, param: str, value: str | None) -> str:
    """The query string with one filter value (or the whole parameter) removed, page reset."""
    query = query.copy()
    query.pop("page", None)
    if value is None:
        query.pop(param, None)
    else:
        query.setlist(param, [v for v in query.getlist(param) if v != value])
    return query.urlencode()


def _removal_links(query: QueryDict, active) -> list[tuple[str, str]]:
    return [(label, "?" + _without(query, param, value)) for param, label, value in active]


def _modality_facets(query: QueryDict, filterset: OrganizationFilter, results, page):
    """Modalities among the current results with their counts, each a link that narrows to it.

    Offered while no modality is ticked: the counts are then exactly what the link will show.
    """
    if not page.paginator.count:
        return []
    modalities = [a for a in filterset.areas.values() if a.kind == FocusArea.Kind.MODALITY]
    if any(slug in filterset.selected_focus() for slug in (a.slug for a in modalities)):
        return []
    through = Organization.focus_areas.through
    counts = dict(
        through.objects.filter(
            organization__in=results.values("pk"), focusarea__in=[a.pk for a in modalities]
        )
        .values_list("focusarea")
        .annotate(n=Count("pk"))
        .order_by()
    )
    facets = []
    for area in modalities:
        if counts.get(area.pk):
            narrowed = query.copy()
            narrowed.pop("page", None)
            narrowed.appendlist("focus", area.slug)
            facets.append((area, counts[area.pk], "?" + narrowed.urlencode()))
    return facets
