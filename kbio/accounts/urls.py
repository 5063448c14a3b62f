from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/invitations/<str:token>/", views.accept, name="accept"),
    path("organizations/<slug:slug>/invite/", views.invite, name="invite"),
    path(
        "organizations/<slug:slug>/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("events/<slug:slug>/apply/", views.apply, name="apply"),
    path("organizer/events/<slug:slug>/applications/", views.applications, name="applications"),
    path("organizer/events/<slug:slug>/logins/", views.event_members, name="event_members"),
    path(
        "organizer/events/<slug:slug>/applications/<int:pk>/<str:decision>/",
        views.application_decide,
        name="application_decide",
    ),
]
