from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("<slug:slug>/meetings/<int:pk>/outcome/", views.record, name="record"),
]
