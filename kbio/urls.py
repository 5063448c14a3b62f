from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from kbio.core import views as core_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    # Before any catch-all of the directory under organizations/.
    path("", include("kbio.matching.urls")),
    prefix_default_language=False,
)
