"""Django's account pages, with the site's own login (no loop back to itself) and password reset
(the e-mail names the site)."""

from django.contrib.auth import urls as auth_urls
from django.urls import path

from kbio.core import views

urlpatterns = [
    # Before Django's own patterns of the same names: the first match wins.
    path("login/", views.login, name="login"),
    path("password_reset/", views.password_reset, name="password_reset"),
    *auth_urls.urlpatterns,
]
