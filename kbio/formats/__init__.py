"""One way to write a date, a date with a time, and a time in each interface language.

Templates name the format (`|date:"DATE_FORMAT"`, `|date:"DATETIME_FORMAT"`,
`|time:"TIME_FORMAT"`, `|date:"YEAR_MONTH_FORMAT"`) and never spell one out; the short forms
are the same as the long ones so that every page reads alike. Machines keep ISO 8601 (ICS, CSV,
`<time datetime>`, `<input type=date>` values). Input formats come from Django's own locales.
"""

from datetime import date

from django.utils.formats import date_format


def year_month(iso: str) -> str:
    """An ISO date ("2024-09-01", or "2024-09") as the month it falls in, in the active language:
    "Sep 2024", "2024년 9월", "2024年9月". Anything else is returned as it is."""
    try:
        day = date.fromisoformat(f"{iso[:7]}-01")
    except (TypeError, ValueError):
        return iso
    return date_format(day, "YEAR_MONTH_FORMAT")
