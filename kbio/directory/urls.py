from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
]
