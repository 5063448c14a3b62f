from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path(
        "organizations/<slug:slug>/matches/",
        views.organization_matches,
        name="organization_matches",
    ),
]
