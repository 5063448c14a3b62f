from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kbio.events.models import runs_events

from .access import delegate_of


def membership(request: HttpRequest) -> dict:
    """`member`: the logged-in person's Contact (with its organization), or None; looked up
    once per request and only when a template asks. `runs_events`: whether the login sees the
    organizer's pages (asked only when a template reads it)."""
    return {
        "member": SimpleLazyObject(lambda: delegate_of(request)),
        "runs_events": lambda: runs_events(request.user),
    }
