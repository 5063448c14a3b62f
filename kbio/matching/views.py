from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kbio.accounts.access import delegate_of, is_own, organization_of, own_organization_or_404
from kbio.core.pagecache import anonymous_page_cache, member_page_cache
from kbio.directory.models import Organization
from kbio.events.openings import request_openings

from . import suggestions as found
from .forms import MatchFilterForm, NotInterestedForm, PartnerForm, ShortlistForm
from .index import current_index
from .models import FeedbackReason, MatchingProfile
from .reasons import role_label
from .services import ShortlistRefused, suggestion_feedback_record, suggestion_feedback_withdraw
from .services import shortlist_add as shortlist_add_service
from .services import shortlist_remove as shortlist_remove_service
from .shortlist import not_interested_marks, partner_states, shortlisted
from .suggestions import already_related, asset_partners, explain, left_out
from .suggestions import ranked as ranked_suggestions

# Each row carries its reasons, gaps and unknowns: ten make a readable page.
PER_PAGE = 10
# Partners shown for each of the viewer's intents at the top of the page.
PER_INTENT = 3


def _profile_url(slug: str) -> str | None:
    # The directory's profile page; absent from a deployment without the directory pages.
    try:
        return reverse("directory:organization", args=[slug])
    except NoReverseMatch:
        return None


def _openings(request: HttpRequest, page_organization: int, partner_ids: list[int]):
    """Request buttons, only when participants look at their own organization's suggestions."""
    if not is_own(request, page_organization):
        return {}
    return request_openings(organization_of(request), partner_ids)


@anonymous_page_cache
@member_page_cache
@require_safe
def organization_matches(request: HttpRequest, slug: str) -> HttpResponse:
    """Ranked partner suggestions for one organization, with the reasons behind each.

    Public like the directory: it reads only what profiles show to everyone (no contacts, no
    confidential asset details). Its own delegates also see request buttons and can mark a
    suggestion "not interested"."""
    index = current_index()
    viewer = index.by_slug.get(slug)
    if viewer is None:
        raise Http404("No active organization with this slug.")
    own = is_own(request, viewer.key)
    # "You" only to the organization's own members; anyone else reads about it by name.
    third_person = None if own else index.info[viewer.key].name
    form = MatchFilterForm(request.GET or None, index=index)
    context = {
        "organization": index.info[viewer.key],
        "assets": index.assets.get(viewer.key, []),
        "profile_url": _profile_url(slug),
        "form": form,
        "own": own,
        "reasons": FeedbackReason.choices,
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
    role = filters.get("role") or None
    roles = [role] if role else None
    suggestions = ranked_suggestions(
        index, viewer, weights, candidates=candidates, minimum=filters.get("min_score"), roles=roles
    )
    page = Paginator(suggestions, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        explain(index, viewer, candidate, weights, roles=roles, third_person=third_person)
        for candidate, _ in page
    ]
    openings = _openings(request, viewer.key, [row.org.key for row in rows])
    filtered = any(filters.get(name) not in (None, "") for name in form.fields)
    context.update(
        page=page,
        rows=[(row, _profile_url(row.org.slug), openings.get(row.org.key, [])) for row in rows],
        intents=[] if filtered else _by_intent(index, viewer, weights, third_person),
        related=already_related(index, viewer),
        left_out=left_out(index, viewer, weights, third_person=third_person)
        if not filtered
        else [],
        marked=found.not_interested(index, viewer) if own else [],
        # Shortlist and "not interested" buttons: the organization's owners and editors.
        can_edit=own and delegate_of(request).can_edit,
        states=partner_states(organization_of(request), [row.org.key for row in rows])
        if own
        else {},
        asset_sections=asset_partners(
            index, viewer, weights, candidates=candidates, third_person=third_person
        ),
        filtered=filtered,
    )
    return render(request, "matching/organization_matches.html", context)


def _by_intent(index, viewer, weights, third_person: str | None) -> list[dict]:
    """For each thing the viewer came for, its best partners in the roles that serve it."""
    from kbio.directory.models import Intent

    groups = []
    for intent, roles in index.engine.role_groups(index.row(viewer)):
        found = ranked_suggestions(index, viewer, weights, roles=roles, limit=PER_INTENT)
        rows = [
            explain(index, viewer, candidate, weights, roles=roles, third_person=third_person)
            for candidate, _ in found
        ]
        groups.append(
            {
                "intent": Intent(intent).label,
                "rows": rows,
                "role": roles[0] if len(roles) == 1 else "",
                "role_label": role_label(roles[0]) if len(roles) == 1 else "",
            }
        )
    return groups


def _own_or_404(request: HttpRequest, slug: str) -> Organization:
    """The organization a write acts for: its own owners and editors only."""
    return own_organization_or_404(request, slug, edit=True)


def _next_url(request: HttpRequest, default: str) -> str:
    """The page the form was on (`next`, a path of this site only), else `default`."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    # A control character (a null byte) in a Location header is refused, not followed.
    plain = all(ord(char) >= 32 for char in target)
    return target if safe and plain and target.startswith("/") else default


def _back(request: HttpRequest, default: str) -> HttpResponse:
    return redirect(_next_url(request, default))


@login_required
@require_POST
def not_interested(request: HttpRequest, slug: str) -> HttpResponse:
    """A delegate marks a suggested partner "not interested"."""
    organization = _own_or_404(request, slug)
    url = reverse("matching:organization_matches", args=[slug])
    form = NotInterestedForm(request.POST)
    partner = None
    if form.is_valid():
        partner = Organization.objects.filter(slug=form.cleaned_data["partner"]).first()
    if partner is None or partner.pk == organization.pk:
        messages.error(request, _("Choose a partner and a reason."))
        return _back(request, url)
    suggestion_feedback_record(
        organization=organization,
        partner=partner,
        reason=form.cleaned_data["reason"],
        user=request.user,
    )
    back = _next_url(request, url)
    if back.split("?")[0] == url:
        done = _("%(name)s will not be suggested again. You can undo this at the end of the page.")
    else:
        done = _("%(name)s will not be suggested again.")
    messages.success(request, done % {"name": partner.name})
    return redirect(back)


@login_required
@require_POST
def interested_again(request: HttpRequest, slug: str) -> HttpResponse:
    """Undo "not interested"."""
    organization = _own_or_404(request, slug)
    form = PartnerForm(request.POST)
    partner = None
    if form.is_valid():
        partner = Organization.objects.filter(slug=form.cleaned_data["partner"]).first()
    if partner is not None:
        suggestion_feedback_withdraw(organization=organization, partner=partner)
        messages.success(request, _("%(name)s can be suggested again.") % {"name": partner.name})
    return _back(request, reverse("matching:organization_matches", args=[slug]))


@login_required
@require_safe
def shortlist(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's shortlist and its "not interested" marks: its members only."""
    organization = own_organization_or_404(request, slug)
    can_edit = delegate_of(request).can_edit
    entries = shortlisted(organization)
    openings = (
        request_openings(organization, [item.partner.pk for item in entries]) if can_edit else {}
    )
    context = {
        "organization": organization,
        "can_edit": can_edit,
        "rows": [(item, openings.get(item.partner.pk, [])) for item in entries],
        "marks": not_interested_marks(organization),
    }
    return render(request, "matching/shortlist.html", context)


@login_required
@require_POST
def shortlist_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Shortlist a partner, or change the note of one already shortlisted."""
    organization = _own_or_404(request, slug)
    default = reverse("matching:shortlist", args=[slug])
    form = ShortlistForm(request.POST)
    if not form.is_valid():
        if "note" in form.errors:
            messages.error(
                request,
                _("The note was not saved: %(error)s") % {"error": form.errors["note"][0]},
            )
        else:
            messages.error(request, _("Choose an organization of the directory to shortlist."))
        return _back(request, default)
    partner = Organization.objects.active().filter(slug=form.cleaned_data["partner"]).first()
    if partner is None:
        messages.error(request, _("Choose an organization of the directory to shortlist."))
        return _back(request, default)
    # The note is changed only by a form that has one (the shortlist page's).
    note = form.cleaned_data["note"] if "note" in request.POST else None
    try:
        shortlist_add_service(
            organization=organization, partner=partner, user=request.user, note=note
        )
    except ShortlistRefused:
        messages.error(request, _("Your own organization cannot be on its shortlist."))
        return _back(request, default)
    if note is None:
        messages.success(request, _("%(name)s is on your shortlist.") % {"name": partner.name})
    else:
        messages.success(request, _("Note saved for %(name)s.") % {"name": partner.name})
    return _back(request, default)


@login_required
@require_POST
def shortlist_remove(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _own_or_404(request, slug)
    default = reverse("matching:shortlist", args=[slug])
    form = PartnerForm(request.POST)
    partner = None
    if form.is_valid():
        partner = Organization.objects.filter(slug=form.cleaned_data["partner"]).first()
    if partner is None:
        messages.error(request, _("Choose an organization on your shortlist."))
        return _back(request, default)
    shortlist_remove_service(organization=organization, partner=partner)
    messages.success(
        request, _("%(name)s is no longer on your shortlist.") % {"name": partner.name}
    )
    return _back(request, default)
