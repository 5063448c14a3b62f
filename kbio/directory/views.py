"""The directory in the browser: the filtered organization list and the public profile."""

from collections import defaultdict
from operator import itemgetter

from django.core.paginator import Paginator
from django.db.models import Value
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from kbio.accounts.access import delegate_of, organization_of
from kbio.core.pagecache import anonymous_page_cache, member_page_cache, remembered
from kbio.events.openings import request_openings
from kbio.matching.models import FeedbackReason
from kbio.matching.shortlist import PartnerState, partner_states

from .filters import OrganizationFilter
from .models import FocusArea, Organization
from .partnering import criteria_of

PAGE_SIZE = 25


@anonymous_page_cache
@member_page_cache
def organization_list(request: HttpRequest) -> HttpResponse:
    # The filter form sends every field, empty or not; a link to share names only those in use.
    in_use = _without_empty(request.GET)
    if list(in_use.lists()) != list(request.GET.lists()):
        return redirect(f"{request.path}?{in_use.urlencode()}" if in_use else request.path)
    # The filters (91 choices) and the results are most of the page's time and the same for
    # everyone: kept per query string and language under the data version.
    body = remembered(
        "directory-list", lambda: _list_body(request), get_language(), request.GET.urlencode()
    )
    return render(request, "directory/organization_list.html", {"body": body})


def _list_body(request: HttpRequest) -> str:
    filterset = OrganizationFilter(request.GET or None, queryset=Organization.objects.active())
    results = filterset.qs.alphabetical()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    organizations = list(page.object_list)
    _attach_tags(organizations, filterset.areas.values(), filterset.partnership_types.values())
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "focus_groups": filterset.focus_groups(),
        "page": page,
        "organizations": organizations,
        "active_filters": _removal_links(request.GET, filterset.active_filters()),
    }
    return render_to_string("directory/_list_body.html", context, request=request)


@anonymous_page_cache
@member_page_cache
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
        # Ten queries that only directory data decides: kept under the data version.
        "criteria": remembered("criteria", lambda: criteria_of(organization), organization.pk),
        # Delegates' names and addresses are for signed-in participants only.
        "contacts": list(organization.contacts.all()) if request.user.is_authenticated else None,
        "openings": _openings_for(request, organization.pk),
        "partner_actions": _partner_actions(request, organization),
    }
    return render(request, "directory/organization_detail.html", context)


def _partner_actions(request: HttpRequest, organization: Organization) -> dict | None:
    """Shortlist and "not interested" for a member of another organization: what it said about
    this one, and the buttons to change it for its owners and editors."""
    contact = delegate_of(request)
    if contact is None or contact.organization_id == organization.pk:
        return None
    states = partner_states(contact.organization, [organization.pk])
    return {
        "acting": contact.organization.slug,
        "state": states.get(organization.pk, PartnerState()),
        "can_edit": contact.can_edit,
        "reasons": FeedbackReason.choices,
    }


def _openings_for(request: HttpRequest, organization_id: int):
    """The events in which the signed-in participant can ask this organization for a meeting."""
    if not request.user.is_authenticated:
        return []
    return request_openings(organization_of(request), [organization_id]).get(organization_id, [])


def _attach_tags(organizations: list[Organization], areas, partnership_types) -> None:
    """Give each organization of a page focus_area_list, seek_list and offer_list.

    One query reads the three link tables for this page only; the names come from the taxonomy
    the filters already hold, in taxonomy order.
    """
    areas = {area.pk: (rank, area) for rank, area in enumerate(areas)}
    types = {t.pk: (rank, t) for rank, t in enumerate(partnership_types)}
    ids = [organization.pk for organization in organizations]

    def links(field: str, column: str, tag: str):
        through = getattr(Organization, field).through
        return (
            through.objects.filter(organization_id__in=ids)
            .annotate(tag=Value(tag))
            .values_list("organization_id", column, "tag")
        )

    rows = links("focus_areas", "focusarea_id", "focus").union(
        links("seeks", "partnershiptype_id", "seeks"),
        links("offers", "partnershiptype_id", "offers"),
        all=True,
    )
    found: dict[tuple[int, str], list] = defaultdict(list)
    for organization_id, target_id, tag in rows if ids else []:
        found[organization_id, tag].append(areas[target_id] if tag == "focus" else types[target_id])
    for organization in organizations:
        pk = organization.pk
        by_rank = itemgetter(0)
        organization.focus_area_list = [a for _, a in sorted(found[pk, "focus"], key=by_rank)]
        organization.seek_list = [t for _, t in sorted(found[pk, "seeks"], key=by_rank)]
        organization.offer_list = [t for _, t in sorted(found[pk, "offers"], key=by_rank)]


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
