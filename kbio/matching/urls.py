from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path(
        "organizations/<slug:slug>/matches/",
        views.organization_matches,
        name="organization_matches",
    ),
    path(
        "organizations/<slug:slug>/matches/not-interested/",
        views.not_interested,
        name="not_interested",
    ),
    path(
        "organizations/<slug:slug>/matches/interested-again/",
        views.interested_again,
        name="interested_again",
    ),
]
