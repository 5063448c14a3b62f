import hashlib
from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Count, F, Max, Min
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kbio.accounts.access import delegate_of
from kbio.accounts.start import start_context
from kbio.core.auth import is_auth_page
from kbio.core.forms import LoginForm, QueuedPasswordResetForm
from kbio.core.pagecache import anonymous_page_cache, member_page_cache
from kbio.core.throttle import throttle_allows
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


@anonymous_page_cache
@member_page_cache
def home(request: HttpRequest) -> HttpResponse:
    """The personal start page for a member; the public front page for everyone else."""
    contact = delegate_of(request)
    if contact is not None:
        context = start_context(contact, request.GET.get("sort", ""))
        return render(request, "accounts/start.html", context)
    return front_page(request)


def front_page(request: HttpRequest) -> HttpResponse:
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


class _LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_redirect_url(self) -> str:
        # A `next` that is itself a login or password page would show the form again: such a
        # `next` is dropped, and the user lands on the start page (LOGIN_REDIRECT_URL).
        url = super().get_redirect_url()
        return "" if url and is_auth_page(url) else url


login = _LoginView.as_view()


def locked_out(request: HttpRequest, response, credentials) -> HttpResponse:
    """The page django-axes shows once a login is locked out (AXES_LOCKOUT_CALLABLE), in the
    visitor's language."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


# Password-reset e-mails: at most this many per address, and per client address, an hour.
RESET_EMAILS_PER_ADDRESS = 3
RESET_EMAILS_PER_CLIENT = 20
RESET_WINDOW_SECONDS = 3600


class _PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    # The e-mail names the site in the reader's language (its subject is plain text, unescaped).
    extra_email_context = {"site_name": _("K-Bio Partnering")}

    def form_valid(self, form):
        address = hashlib.sha256(form.cleaned_data["email"].strip().lower().encode()).hexdigest()
        client = get_client_ip_address(request=self.request) or "unknown"
        if not (
            throttle_allows(
                f"reset-client:{client}",
                limit=RESET_EMAILS_PER_CLIENT,
                seconds=RESET_WINDOW_SECONDS,
            )
            and throttle_allows(
                f"reset-address:{address}",
                limit=RESET_EMAILS_PER_ADDRESS,
                seconds=RESET_WINDOW_SECONDS,
            )
        ):
            # The same "check your inbox" page as when an e-mail goes out: the answer tells
            # nobody whether an address has an account, nor that it was throttled.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


password_reset = _PasswordResetView.as_view()


@never_cache
@require_safe
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """The language switcher's link: remember the language in its cookie and open `next`, the
    same page in that language.

    A link, not a form, so that a page needs no CSRF token (and sets no cookie) for it, and a
    visitor's page can be cached. The cookie is what keeps the choice: an address without a
    language prefix opens in the chosen language (PreferredLanguageMiddleware).
    """
    if not check_for_language(code) or code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = translate_url(reverse("home"), code)
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the site's icon."""
    response = HttpResponseRedirect(static("favicon.svg"))
    # Not permanent: the icon's collected name changes with its content.
    patch_cache_control(response, max_age=86400, public=True)
    return response
