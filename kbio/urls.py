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
    path("", include("kbio.directory.urls")),
    prefix_default_language=False,
)
