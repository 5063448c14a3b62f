from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from kbio.core import views as core_views
from kbio.core.health import health
from kbio.events import views as event_views

urlpatterns = [
    # The language switcher's links (a GET: pages need no CSRF token for it).
    path("i18n/language/<str:code>/", core_views.choose_language, name="choose_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", core_views.favicon),
    # For monitors and load balancers: one address whatever the language.
    path("health/", health, name="health"),
]

urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("", include("kbio.accounts.urls")),
    path("accounts/", include("kbio.core.auth_urls")),
    path("", include("kbio.directory.urls")),
    path("events/", include("kbio.events.urls")),
    path("events/", include("kbio.outcomes.urls")),
    path("organizer/", include("kbio.organizer.urls")),
    path("inbox/", event_views.current, {"page": "inbox"}, name="inbox"),
    path("outbox/", event_views.current, {"page": "outbox"}, name="outbox"),
    path("agenda/", event_views.current, {"page": "agenda"}, name="agenda"),
    # Before any catch-all of the directory under organizations/.
    path("", include("kbio.matching.urls")),
    prefix_default_language=False,
)
