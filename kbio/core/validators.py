"""Checks of typed text and dates shared by the models of several apps.

A name is one line: a line break pasted from a spreadsheet (Excel's Alt+Enter) or a tab in
it breaks the calendar files, e-mail subjects and CSV exports that print it. Longer texts may
hold line breaks but no other control character (a NUL cannot be stored by PostgreSQL). Dates
are kept within years a partnering event can fall in: outside them, converting between time
zones overflows and every page that shows the date fails. A number typed as text (an id in an
address, an amount in a file) is read from ASCII digits only, and only as large as a column
holds.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The widest integer a database column holds: the ids of every table fit in it.
LARGEST_INTEGER = 2**63 - 1
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,19}", re.ASCII)

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)

_LINE_BREAKS = {"\u2028", "\u2029", "\u0085"}
_TEXT_BREAKS = {"\n", "\r", "\t"}


def _control(value: str, allowed: set[str]) -> bool:
    return any(
        (unicodedata.category(character) == "Cc" or character in _LINE_BREAKS)
        and character not in allowed
        for character in value
    )


def validate_single_line(value: str) -> None:
    if _control(value, allowed=set()):
        raise ValidationError(
            _("Write this on one line, without line breaks, tabs or control characters."),
            code="control_characters",
        )


def validate_text(value: str) -> None:
    if _control(value, allowed=_TEXT_BREAKS | _LINE_BREAKS):
        raise ValidationError(
            _("Remove the control characters from this text."), code="control_characters"
        )


def validate_date_in_range(value: date | datetime) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )


def whole_number(text: str) -> int | None:
    """`text` as a whole number in ASCII digits that a database column holds, else None.

    `str.isdigit()` also takes "²" and "١٢" (which `int()` refuses or reads as 12), and a number
    beyond any column reaches SQLite as an OverflowError."""
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if abs(number) <= LARGEST_INTEGER else None
