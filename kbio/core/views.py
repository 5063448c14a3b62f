from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kbio.directory.models import Organization


def home(request: HttpRequest) -> HttpResponse:
    counts = dict(
        Organization.objects.active().values_list("kind").annotate(n=Count("id")).order_by()
    )
    kinds = [(value, label, counts.get(value, 0)) for value, label in Organization.Kind.choices]
    return render(request, "home.html", {"kinds": kinds})
