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
    path("organizations/<slug:slug>/shortlist/", views.shortlist, name="shortlist"),
    path("organizations/<slug:slug>/shortlist/add/", views.shortlist_add, name="shortlist_add"),
    path(
        "organizations/<slug:slug>/shortlist/remove/",
        views.shortlist_remove,
        name="shortlist_remove",
    ),
]
