"""The calendar file (.ics) of a participant's agenda: one VEVENT per published meeting.

Every start and end carries the event's time zone (TZID) and the file holds that zone's
definition (VTIMEZONE), so a delegate who imports it in Seoul or Tokyo sees each meeting at the
time the organizer set, converted only where the reader's calendar really is elsewhere. Texts
(summary, description, calendar name) are in the active language.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .agendas import AgendaMeeting, published_meetings
from .models import Event, Meeting, Participation

PRODID = "-//K-Bio Partnering//Agenda//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


# Control characters, and the line breaks Unicode adds to them, in any stored text.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _line(text: str) -> str:
    """`text` on one line: the names are checked when typed, but a calendar must open whatever
    the database holds (rows saved before the check, or written around it), and a line break
    in some properties breaks the whole file."""
    return _CONTROL.sub(" ", str(text)).strip()


def meeting_uid(meeting: Meeting, event: Event) -> str:
    """Stable across downloads, so re-importing the file updates a meeting instead of adding
    it twice."""
    return f"meeting-{meeting.pk}@{event.slug}.kbio-partnering"


def calendar_filename(participation: Participation) -> str:
    return f"{participation.event.slug}-{participation.organization.slug}.ics"


def _site_link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _location(row: AgendaMeeting, event: Event) -> str:
    place = ", ".join(part for part in (event.venue, event.city) if part)
    return _line(f"{row.table}, {place}" if place else row.table)


def _description(row: AgendaMeeting, link: str) -> str:
    lines = [str(row.partner)]  # "Name (native name)"
    if row.partner_delegates:
        names = ", ".join(
            f"{contact.name} ({contact.native_name})" if contact.native_name else contact.name
            for contact in row.partner_delegates
        )
        lines.append(_("Delegates: %(names)s") % {"names": names})
    asset = row.request.asset
    if asset is not None:
        lines.append(
            _("About: %(name)s (%(owner)s)")
            % {"name": asset.name, "owner": asset.organization.name}
        )
    lines.append(_("Meeting request: %(link)s") % {"link": link})
    return "\n".join(_line(line) for line in lines)


def agenda_calendar(
    participation: Participation, meetings: Sequence[AgendaMeeting] | None = None
) -> bytes:
    """The participant's published meetings as an iCalendar file.

    `meetings` lets a caller that already loaded them (the schedule email) skip the queries;
    rows whose meeting is not published are left out either way."""
    event = participation.event
    if meetings is None:
        meetings = published_meetings(participation)
    meetings = [row for row in meetings if row.meeting.is_published]
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        method="PUBLISH",
        uid=f"agenda-{participation.organization.slug}@{event.slug}.kbio-partnering",
        name=_line(
            _("%(event)s: agenda of %(organization)s")
            % {"event": event.name, "organization": participation.organization.name}
        ),
    )
    # Google Calendar and Apple Calendar read the calendar's own zone from this extension.
    calendar.add("X-WR-TIMEZONE", event.time_zone)
    zone = event.tzinfo
    stamp = timezone.now()
    for row in meetings:
        link = _site_link("events:request", event.slug, row.request.pk)
        calendar.add_component(
            icalendar.Event.new(
                uid=meeting_uid(row.meeting, event),
                stamp=stamp,
                last_modified=row.meeting.updated,
                start=timezone.localtime(row.starts_at, zone),
                end=timezone.localtime(row.ends_at, zone),
                summary=_line(_("Meeting: %(partner)s") % {"partner": row.partner.name}),
                location=_location(row, event),
                description=_description(row, link),
                url=link,
            )
        )
    if meetings:
        # The zone's rules over the years the meetings fall in (the default stops at 2038).
        first = min(row.starts_at for row in meetings).year
        last = max(row.ends_at for row in meetings).year
        for tzid in sorted(calendar.get_missing_tzids()):
            definition = zone_definition(tzid, first, last)
            if definition is not None:
                calendar.subcomponents.insert(len(calendar.timezones), definition)
    return calendar.to_ical()


@functools.lru_cache(maxsize=32)
def zone_definition(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone | None:
    """The VTIMEZONE of `tzid` over these years, worked out once per process (it takes about a
    tenth of a second, once per e-mail of a publish otherwise); None for an unknown zone. The
    calendars only serialize it, never change it."""
    try:
        return icalendar.Timezone.from_tzid(
            tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
        )
    except ValueError:
        return None
