from django.urls import path

from kbio.directory.history import organization_history_page
from kbio.scheduling import views as scheduling

from . import views

app_name = "organizer"

# The schedule page and its buttons live in the scheduling app; their names stay "organizer:...",
# beside the other organizer pages.
urlpatterns = [
    path("", views.index, name="index"),
    path("data/", views.data, name="data"),
    path("organizations.csv", views.organizations_export, name="organizations_export"),
    path("organizations/import/", views.organizations_import, name="organizations_import"),
    path("criteria.csv", views.criteria_export, name="criteria_export"),
    path(
        "organizations/<slug:slug>/history/",
        organization_history_page,
        name="organization_history",
    ),
    path("criteria/import/", views.criteria_import, name="criteria_import"),
    path("events/<slug:slug>/", views.event_dashboard, name="dashboard"),
    path("events/<slug:slug>/window/<str:action>/", views.window, name="window"),
    path("events/<slug:slug>/schedule/", scheduling.schedule_page, name="schedule"),
    path("events/<slug:slug>/schedule/run/", scheduling.schedule_run, name="schedule_run"),
    path(
        "events/<slug:slug>/schedule/publish/", scheduling.schedule_publish, name="schedule_publish"
    ),
    path("events/<slug:slug>/schedule/resend/", scheduling.schedule_resend, name="schedule_resend"),
    path("jobs/<int:pk>/", views.job_status, name="job"),
    path("events/<slug:slug>/requests.csv", views.requests_export, name="requests_export"),
    path("events/<slug:slug>/schedule.csv", views.schedule_export, name="schedule_export"),
    path("events/<slug:slug>/requests/import/", views.requests_import, name="requests_import"),
    path("events/<slug:slug>/outcomes/", views.outcomes, name="outcomes"),
    path("events/<slug:slug>/outcomes.csv", views.outcomes_export, name="outcomes_export"),
]
