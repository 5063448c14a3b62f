"""The product's addresses plus /bench/hello/, the yardstick of bench/load.py: a view that does
nothing, behind the same server, settings and middlewares as every page. Only
bench/load_settings.py names this module; the product's URLs (kbio/urls.py) do not have it."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from kbio.urls import urlpatterns as product_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world\n", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/hello/", hello), *product_urlpatterns]
