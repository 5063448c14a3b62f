"""The id of each request; the interface language a visitor gets at an address without a
language prefix; the refusal of admin parameters that no database query can take."""

import re

from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers

from kbio.core import logs
from kbio.core.validators import whole_number

# Files that programs fetch (calendars, spreadsheets) keep their address whatever the language.
DOWNLOAD_SUFFIXES = (".ics", ".csv")


class RequestIdMiddleware:
    """Give every request an id: the X-Request-ID it came with (from a proxy) when well formed,
    else a new one. Every log record of the request carries it (kbio/core/logs.py), and so does
    the response's X-Request-ID header. Install it first, so that every answer has one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = logs.request_id_for(request.headers.get(logs.REQUEST_ID_HEADER))
        request.request_id = request_id
        token = logs.set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            logs.reset_request_id(token)
        response[logs.REQUEST_ID_HEADER] = request_id
        return response


class PreferredLanguageMiddleware:
    """Send a visitor from an unprefixed page to the same page in their language.

    Unprefixed addresses are English (i18n_patterns with prefix_default_language=False), and
    Django's LocaleMiddleware keeps them English whatever the browser asks for. This sends a
    GET (or HEAD) to the /ko/ or /ja/ page when the visitor prefers that language: the language
    cookie first (set by the site's language switcher, so a visitor who chose English stays in
    English), then the browser's Accept-Language. Install it after LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._considered(request):
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        if language != settings.LANGUAGE_CODE:
            redirect = self._redirect(request, language)
            if redirect is not None:
                return redirect
        response = self.get_response(request)
        # What this address shows depends on both (a shared cache must know).
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    @staticmethod
    def _considered(request: HttpRequest) -> bool:
        path = request.path_info
        return (
            request.method in ("GET", "HEAD")
            and translation.get_language_from_path(path) is None
            and not path.startswith(("/i18n/", f"/{settings.STATIC_URL.lstrip('/')}"))
            and not path.endswith(DOWNLOAD_SUFFIXES)
        )

    @staticmethod
    def _redirect(request: HttpRequest, language: str) -> HttpResponse | None:
        urlconf = getattr(request, "urlconf", None)
        # Only pages that exist in that language (not /i18n/, /favicon.ico, nor a 404).
        with translation.override(language):
            if not is_valid_path(f"/{language}{request.path_info}", urlconf):
                return None
        script_prefix = get_script_prefix()
        target = request.get_full_path().replace(script_prefix, f"{script_prefix}{language}/", 1)
        response = HttpResponseRedirect(target)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


class AdminParameterCheckMiddleware:
    """Answer 400 to an admin page of a model asked for what no database query can take.

    The admin passes its list's parameters (`?kind__exact=...`) straight to database lookups,
    and PostgreSQL refuses a NUL in any query; its date drill-down reads `created__year` into a
    date and overflows on a year of ten digits; its actions look up the ticked rows by the ids
    sent (`_selected_action`), which may be any text or a number beyond any column. The site's
    own pages check their parameters with forms, which say what is wrong; here only a request
    built by hand can hold such a value."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> None:
        # ModelAdmin marks the views it serves with itself.
        model_admin = getattr(view, "model_admin", None)
        if model_admin is None:
            return
        if _holds_nul(request.GET):
            raise BadRequest("A parameter holds a NUL character.")
        if model_admin.date_hierarchy and not _plain_date_parts(
            request.GET, model_admin.date_hierarchy
        ):
            raise BadRequest("A year, month or day of the date drill-down is not a date's.")
        if request.method == "POST" and any(
            whole_number(pk) is None for pk in request.POST.getlist(ACTION_CHECKBOX_NAME)
        ):
            raise BadRequest("A ticked row is not named by an id.")


def _holds_nul(parameters: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in parameters.lists()
    )


_DATE_PART = re.compile(r"[0-9]{1,4}", re.ASCII)


def _plain_date_parts(parameters: QueryDict, field: str) -> bool:
    return all(
        _DATE_PART.fullmatch(value)
        for part in ("year", "month", "day")
        for value in parameters.getlist(f"{field}__{part}")
    )
