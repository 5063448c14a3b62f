"""Where a login sends its user next: never back to a login, logout or password page."""

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

# The pages of django.contrib.auth (and the admin's own login). Returning to one of them after
# logging in is a loop (the login form again) or an error (a used password-reset link).
AUTH_VIEW_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "admin:login",
        "admin:logout",
    }
)


def is_auth_page(url: str) -> bool:
    """Whether the address (a path or a same-site URL, in any language) is an auth page."""
    path = urlsplit(url).path or "/"
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    # The language prefix only resolves while its language is active.
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            return False
    return match.view_name in AUTH_VIEW_NAMES


def login_url(request) -> str:
    """The login page, with the page the visitor is on as `next` unless it is an auth page."""
    url = reverse("login")
    here = request.get_full_path() if request is not None else ""
    if not here or is_auth_page(here):
        return url
    return f"{url}?next={quote(here, safe='/')}"
