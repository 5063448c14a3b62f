from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/availability/", views.availability, name="availability"),
    path("<slug:slug>/request/<slug:org_slug>/", views.request_create, name="request_create"),
    path("<slug:slug>/inbox/", views.inbox, name="inbox"),
    path("<slug:slug>/outbox/", views.outbox, name="outbox"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/requests/<int:pk>/", views.request_detail, name="request"),
    path("<slug:slug>/requests/<int:pk>/accept/", views.request_accept, name="accept"),
    path("<slug:slug>/requests/<int:pk>/decline/", views.request_decline, name="decline"),
    path("<slug:slug>/requests/<int:pk>/cancel/", views.request_cancel, name="cancel"),
]
