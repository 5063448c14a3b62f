"""The life of a meeting request, in one place.

A request is sent pending; the recipient accepts or declines it; the requester may withdraw
it while it is pending or accepted. Nothing else changes a status: a declined or cancelled
request stays so (a new request starts a new life). A declined request carries a reason, and
only a declined one does. Once a request is placed on the schedule, its status no longer
changes by these rules: withdrawing it takes its unpublished meeting away first (the
participants' cancel does so), and a published one goes through the organizer.

The participants' services (kbio/events/services.py), the request import (kbio/organizer)
and the admin's forms (through ``MeetingRequest.clean``) all ask this module. The database
enforces the same rules underneath: check constraints on the status and the reason, and the
meeting guard's triggers, which refuse a meeting whose request is not accepted, whichever of
the two rows changes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy


class RequestStatus(models.TextChoices):
    PENDING = "pending", _lazy("Pending")
    ACCEPTED = "accepted", _lazy("Accepted")
    DECLINED = "declined", _lazy("Declined")
    CANCELLED = "cancelled", _lazy("Cancelled")


class DeclineReason(models.TextChoices):
    OUTSIDE_FOCUS = "outside_focus", _lazy("Outside our focus")
    TOO_EARLY = "too_early", _lazy("Too early for us")
    NO_CAPACITY = "no_capacity", _lazy("No capacity at this event")
    OTHER = "other", _lazy("Other")


LIVE_STATUSES = (RequestStatus.PENDING, RequestStatus.ACCEPTED)

# Every change of status there is: (from, to).
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (RequestStatus.PENDING, RequestStatus.ACCEPTED),
        (RequestStatus.PENDING, RequestStatus.DECLINED),
        (RequestStatus.PENDING, RequestStatus.CANCELLED),
        (RequestStatus.ACCEPTED, RequestStatus.CANCELLED),
    }
)


def sources(status: str) -> tuple[str, ...]:
    """The statuses a request can be in to change to `status` (for conditional updates)."""
    return tuple(old for old, new in sorted(TRANSITIONS) if new == status)


def transition_error(old: str, new: str, *, placed: bool) -> str | None:
    """Why a request in status `old` cannot become `new`, in words; None when it can.
    `placed`: the request has a meeting on the schedule (published or not)."""
    if old == new:
        return None
    if placed:
        return _(
            "This request is placed on the schedule; its status cannot change from %(old)s to "
            "%(new)s."
        ) % {"old": old, "new": new}
    if (old, new) not in TRANSITIONS:
        return _("The request is already %(old)s; it cannot become %(new)s.") % {
            "old": old,
            "new": new,
        }
    return None


def decline_reason_error(status: str, reason: str) -> str | None:
    """A declined request names one of the reasons; any other carries none."""
    if status == RequestStatus.DECLINED and reason not in DeclineReason.values:
        return _("A declined request needs a reason: one of %(values)s.") % {
            "values": ", ".join(DeclineReason.values)
        }
    if status != RequestStatus.DECLINED and reason:
        return _("Only a declined request has a decline reason.")
    return None
