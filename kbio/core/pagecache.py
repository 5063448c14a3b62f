"""Pages for visitors from the cache, and the data version that retires them.

A visitor who is not logged in (no session cookie) gets the home page, the directory list, the
profiles and the partner suggestions from the default cache: one entry per address (query
string included) and language, under the current *data version*. Any write to what these pages
show (a save or delete of a directory or matching model, an event or its sessions: in admin, a
member's edit page, an import, fixtures) sets a new data version, so that no page stored before
is read again and the next visitor sees the change. The version lives in the cache too, so that
every server process sharing a cache (Redis) agrees on it.

A page is stored only when it is a plain 200 that sets no cookie (a page holding a CSRF token
sets one) and asks no private caching. The costly parts of a member's pages (the directory's
filters and results, an organization's criteria) are kept under the same version
(`remembered`).

A logged-in member gets the same pages (marked `member_page_cache`) from the cache too, made
for their own session only: one entry per session, CSRF cookie, address and language, under the
data version, the *members' version* and the current minute, kept at most a minute. The
members' version changes with every write to the database but to the sessions and the login
records: any INSERT, UPDATE or DELETE, whichever model or raw SQL made it (an execute wrapper
of every database connection sees them), so that a request, an answer, a meeting, a shortlist
or a role changed anywhere is on the next page. The minute bounds what only time changes (a
deadline passing, a meeting ending). A page with a message pending, or that changes the session
or the CSRF cookie, is neither served from the cache nor stored.
"""

import hashlib
import logging
import re
import threading
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_max_age
from django.utils.translation import get_language

logger = logging.getLogger(__name__)
T = TypeVar("T")

VERSION_KEY = "pages:data-version"
PAGE_KEY = "pages:page:{version}:{language}:{address}"
PART_KEY = "pages:part:{name}:{version}:{vary}"
MEMBER_VERSION_KEY = "pages:member-version"
MEMBER_PAGE_KEY = "pages:member:{version}:{member_version}:{minute}:{language}:{who}:{address}"
# A member's page lives at most this long (and never past the minute it was made in).
MEMBER_PAGE_SECONDS = 60
# The models whose rows the cached pages show: every model of these apps (the directory, and
# the matching's weights, feedback and shortlists that rank the suggestions), and these models.
SHOWN_APPS = {"directory", "matching"}
SHOWN_MODELS = {"events.event", "events.session"}


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


# Whether this thread read the data version since it last set it (see data_changed).
_seen = threading.local()


def data_version() -> str:
    """The current data version (a new one when the cache holds none)."""
    _seen.version = True
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def _new_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # The cache is down: pages are not read from it either (see the middleware).
        logger.warning("page cache: the data version could not be set", exc_info=True)


def data_changed() -> None:
    """Retire every cached page: when the current transaction commits, and at once.

    At the commit, for every process: a page read before the commit is stored under the
    version before it. At once, so that a page read later in this same transaction (a test's
    transaction never commits) shows the change: once per read of the version in this
    thread, so that an import writing thousands of rows sets it once. Within one transaction
    one callback waits for the commit, however many rows it writes.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _new_version()
        return
    # A callback of a savepoint that rolls back is dropped with it: the next write adds one.
    if not any(entry[1] is _new_version for entry in connection.run_on_commit):
        transaction.on_commit(_new_version)
    if getattr(_seen, "version", True):
        _seen.version = False
        _new_version()


def _shown(model) -> bool:
    meta = model._meta
    return meta.app_label in SHOWN_APPS or meta.label_lower in SHOWN_MODELS


def _on_write(sender, **kwargs) -> None:
    if _shown(sender):
        data_changed()


def _on_m2m(sender, action: str, **kwargs) -> None:
    # The link table is the sender; the models on both sides count.
    if action.startswith("post_") and (_shown(sender) or _shown(kwargs["model"])):
        data_changed()


def connect_signals() -> None:
    """Called once, from kbio.core's AppConfig.ready()."""
    post_save.connect(_on_write, dispatch_uid="pagecache-save")
    post_delete.connect(_on_write, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")
    connection_created.connect(_watch_connection, dispatch_uid="pagecache-writes")


# Whether this thread read the members' version since it last set it (see members_changed).
_seen_by_members = threading.local()


def member_version() -> str:
    """The current members' version (a new one when the cache holds none)."""
    _seen_by_members.version = True
    version = cache.get(MEMBER_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(MEMBER_VERSION_KEY, version, timeout=None):
            version = cache.get(MEMBER_VERSION_KEY) or version
    return version


def _new_member_version() -> None:
    try:
        cache.set(MEMBER_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("page cache: the members' version could not be set", exc_info=True)


def members_changed(connection) -> None:
    """Retire every member's cached page, when the transaction commits and at once (as
    data_changed does for visitors' pages)."""
    if not connection.in_atomic_block:
        _new_member_version()
        return
    if not any(entry[1] is _new_member_version for entry in connection.run_on_commit):
        connection.on_commit(_new_member_version)
    if getattr(_seen_by_members, "version", True):
        _seen_by_members.version = False
        _new_member_version()


_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)', re.IGNORECASE)
# Tables no page shows: the sessions (each page's key names its session and what it holds)
# and django-axes' login records.
UNWATCHED_TABLES = ("django_session", "axes_")


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
        match = _WRITE.match(sql)
        if match is None or not match.group(1).lower().startswith(UNWATCHED_TABLES):
            members_changed(context["connection"])
    return result


def _watch_connection(sender, connection, **kwargs) -> None:
    # First in the list: a `with connection.execute_wrapper(...)` open while the connection
    # is made pops the last one when it ends, its own.
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_writes)


def anonymous_page_cache(view: Callable) -> Callable:
    """Mark a view whose page a visitor may get from the cache (AnonymousPageCacheMiddleware)."""
    view.anonymous_page_cache = True
    return view


def member_page_cache(view: Callable) -> Callable:
    """Mark a view whose page a logged-in member may get from the cache, made for their own
    session (MemberPageCacheMiddleware)."""
    view.member_page_cache = True
    return view


def _is_visitor(request: HttpRequest) -> bool:
    """Nobody logged in and nothing personal pending: no session and no messages cookie."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in cookies
    )


def _page_key(request: HttpRequest) -> str:
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return PAGE_KEY.format(version=data_version(), language=get_language(), address=address)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        and get_max_age(response) != 0
    )


class AnonymousPageCacheMiddleware:
    """Answer a visitor's GET of a page marked with `anonymous_page_cache` from the cache, and
    store the page when it was not there.

    Install it before the middlewares that set cookies (sessions, CSRF, messages, language):
    their cookies are on the response when it is stored, and a response with a cookie is
    not. A page from the cache is returned from process_view, so it passes back through every
    middleware as a fresh page does.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is not None and _storable(request, response):
            try:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("page cache: a page could not be stored", exc_info=True)
        return response

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if not (
            enabled()
            and getattr(view, "anonymous_page_cache", False)
            and request.method in ("GET", "HEAD")
            and _is_visitor(request)
        ):
            return None
        try:
            key = _page_key(request)
            cached = cache.get(key)
        except Exception:
            # The cache is down: the page is made as if it were not cached.
            logger.warning("page cache: the cache did not answer", exc_info=True)
            return None
        if cached is None:
            request._page_cache_key = key
        return cached


def remembered(name: str, build: Callable[[], T], *vary) -> T:
    """What `build()` returns, kept in the cache under the data version and `vary` (for a
    costly part of a page that only directory data decides, such as an organization's
    partnering criteria). Built every time when the page cache is off or the cache is down."""
    if not enabled():
        return build()
    try:
        key = PART_KEY.format(
            name=name,
            version=data_version(),
            vary=hashlib.sha256(repr(vary).encode()).hexdigest(),
        )
        value = cache.get(key)
    except Exception:
        logger.warning("page cache: the cache did not answer", exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("page cache: a part could not be stored", exc_info=True)
    return value


def _versions() -> tuple[str, str]:
    """The data version and the members' version, in one read of the cache."""
    found = cache.get_many([VERSION_KEY, MEMBER_VERSION_KEY])
    data = found.get(VERSION_KEY) or data_version()
    members = found.get(MEMBER_VERSION_KEY) or member_version()
    _seen.version = _seen_by_members.version = True
    return data, members


def _messages_pending(request: HttpRequest) -> bool:
    return getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES or (
        "_messages" in request.session
    )


def _member_page_key(request: HttpRequest) -> str | None:
    """The key of this member's page, or None when the page must be made (no session, a
    message pending, no CSRF cookie yet or one the page would replace)."""
    session = request.session
    csrf_secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if (
        session.session_key is None
        or not request.user.is_authenticated
        or _messages_pending(request)
        or not csrf_secret
        or request.META.get("CSRF_COOKIE") != csrf_secret
    ):
        return None
    who = hashlib.sha256(
        repr((session.session_key, csrf_secret, sorted(session.items()))).encode()
    ).hexdigest()
    version, members = _versions()
    return MEMBER_PAGE_KEY.format(
        version=version,
        member_version=members,
        minute=int(timezone.now().timestamp() // 60),
        language=get_language(),
        who=who,
        address=hashlib.sha256(request.build_absolute_uri().encode()).hexdigest(),
    )


def _member_storable(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    messages = getattr(request, "_messages", None)
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.session.modified
        and not getattr(messages, "_queued_messages", None)
        # The page's CSRF tokens are made from the secret its key names.
        and request.META.get("CSRF_COOKIE") == request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        and not any(word in cache_control for word in ("no-store", "no-cache"))
        and get_max_age(response) != 0
    )


class MemberPageCacheMiddleware:
    """Answer a logged-in member's GET of a page marked with `member_page_cache` from the cache
    when this session got the same page, in the same language, under the same versions, in
    the same minute; else store the page made for it.

    Install it after the sessions, CSRF, authentication and messages middlewares: it reads
    what they read, and a page it stores has none of their cookies yet.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_member_page_key", None)
        if key is not None and _member_storable(request, response):
            try:
                cache.set(key, response, min(MEMBER_PAGE_SECONDS, settings.PAGE_CACHE_SECONDS))
            except Exception:
                logger.warning("page cache: a member's page could not be stored", exc_info=True)
        return response

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if not (
            enabled()
            and getattr(view, "member_page_cache", False)
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return None
        try:
            key = _member_page_key(request)
            cached = None if key is None else cache.get(key)
        except Exception:
            logger.warning("page cache: the cache did not answer", exc_info=True)
            return None
        if key is not None and cached is None:
            request._member_page_key = key
        elif cached is not None:
            # As the page made afresh would: its CSRF cookie's life starts again.
            get_token(request)
        return cached
