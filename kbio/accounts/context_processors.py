from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .access import delegate_of


def membership(request: HttpRequest) -> dict:
    """`member`: the logged-in person's Contact (with its organization), or None; looked up
    once per request and only when a template asks."""
    return {"member": SimpleLazyObject(lambda: delegate_of(request))}
