from django.urls import path

from . import editing, views

app_name = "directory"

urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
    # Members keep their own organization (kbio.directory.editing).
    path("organizations/<slug:slug>/edit/", editing.edit_profile, name="edit_profile"),
    path("organizations/<slug:slug>/edit/criteria/", editing.edit_criteria, name="edit_criteria"),
    path(
        "organizations/<slug:slug>/edit/criteria/<slug:kind>/add/",
        editing.criterion_form,
        name="criterion_add",
    ),
    path(
        "organizations/<slug:slug>/edit/criteria/<slug:kind>/<int:pk>/",
        editing.criterion_form,
        name="criterion_edit",
    ),
    path(
        "organizations/<slug:slug>/edit/criteria/<slug:kind>/<int:pk>/delete/",
        editing.criterion_delete,
        name="criterion_delete",
    ),
    path("organizations/<slug:slug>/edit/assets/", editing.edit_assets, name="edit_assets"),
    path("organizations/<slug:slug>/edit/assets/add/", editing.asset_form, name="asset_add"),
    path("organizations/<slug:slug>/edit/assets/<int:pk>/", editing.asset_form, name="edit_asset"),
    path(
        "organizations/<slug:slug>/edit/assets/<int:pk>/delete/",
        editing.asset_delete,
        name="asset_delete",
    ),
    path("organizations/<slug:slug>/edit/team/", editing.edit_contacts, name="edit_contacts"),
    path("organizations/<slug:slug>/edit/team/add/", editing.contact_form, name="contact_add"),
    path(
        "organizations/<slug:slug>/edit/team/<int:pk>/", editing.contact_form, name="contact_edit"
    ),
    path(
        "organizations/<slug:slug>/edit/team/<int:pk>/remove/",
        editing.contact_remove,
        name="contact_remove",
    ),
]
