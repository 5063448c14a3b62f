"""One way to write a date in each language, whatever the page (kbio/formats)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from kbio.events.models import MeetingRequest
from tests.events.factories import tokyo

# 6 December 2026, 21:53 in Tokyo (the site's and the event's time zone).
SENT = tokyo(2026, 12, 6, 21, 53)
SENT_TEXT = {
    "en": "6 Dec 2026, 21:53",
    "ko": "2026년 12월 6일 21:53",
    "ja": "2026年12月6日 21:53",
}
PREFIX = {"en": "", "ko": "/ko", "ja": "/ja"}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("6 Dec 2026", "6 Dec 2026, 21:53", "21:53", "Dec 2026")),
        ("ko", ("2026년 12월 6일", "2026년 12월 6일 21:53", "21:53", "2026년 12월")),
        ("ja", ("2026年12月6日", "2026年12月6日 21:53", "21:53", "2026年12月")),
    ],
)
def test_each_language_has_one_format_and_the_short_ones_are_the_same(language, expected):
    template = Template(
        '{{ d|date:"DATE_FORMAT" }}|{{ d|date:"DATETIME_FORMAT" }}|{{ d|time:"TIME_FORMAT" }}|'
        '{{ d|date:"YEAR_MONTH_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|'
        '{{ d|date:"SHORT_DATETIME_FORMAT" }}|{{ d }}'
    )
    with translation.override(language):
        text = template.render(Context({"d": SENT}))
    date_, datetime_, time_, month, short_date, short_datetime, plain = text.split("|")
    assert (date_, datetime_, time_, month) == expected
    assert short_date == date_ and short_datetime == plain == datetime_


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ko", "ja"])
def test_a_request_is_dated_alike_in_the_inbox_the_outbox_and_on_its_page(
    language, alice, bob, ab_request
):
    MeetingRequest.objects.filter(pk=ab_request.pk).update(created=SENT)
    base = f"{PREFIX[language]}/events/{ab_request.event.slug}"
    pages = {
        "inbox": bob.client.get(f"{base}/inbox/"),
        "outbox": alice.client.get(f"{base}/outbox/"),
        "request": alice.client.get(f"{base}/requests/{ab_request.pk}/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert f'<html lang="{language}">' in response.text, name
        assert SENT_TEXT[language] in response.text, name
        assert "12/06/2026" not in response.text and "p.m." not in response.text, name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "day"), [("en", "18 Jan 2030"), ("ko", "2030년 1월 18일"), ("ja", "2030年1月18日")]
)
def test_the_programme_and_the_slot_choices_write_the_day_alike(language, day, alice, event):
    base = f"{PREFIX[language]}/events/{event.slug}"
    programme = alice.client.get(f"{base}/").text
    assert re.search(rf"<th[^>]*>{day} \(", programme), "the programme's day heading"
    availability = alice.client.get(f"{base}/availability/").text
    assert f"{day} 14:00–14:25" in availability, "the slot choices"
    assert "2030-01-18" not in availability


def test_a_month_kept_as_iso_text_is_written_in_the_language():
    from kbio.formats import year_month

    with translation.override("ja"):
        assert year_month("2024-09-01") == "2024年9月"
        assert year_month("2024-09") == "2024年9月"
    with translation.override("en"):
        assert year_month("2024-09") == "Sep 2024"
        assert year_month("not a date") == "not a date"


# Formats that machines read, or that compare rather than show, may be spelt out.
NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT", "YEAR_MONTH_FORMAT", "MONTH_DAY_FORMAT"}
NOT_SHOWN = {"Ymd", "D"}  # comparing two days; the weekday after a date
MACHINE_ATTRIBUTE = re.compile(r'(?:datetime|value)="\{\{[^"]*$')
FILTER = re.compile(r"""\|(date|time):(["'])(.*?)\2""")


def test_templates_name_their_date_formats():
    problems = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        text = path.read_text()
        for match in FILTER.finditer(text):
            fmt = match.group(3)
            if fmt in NAMED or fmt in NOT_SHOWN:
                continue
            if MACHINE_ATTRIBUTE.search(text[max(0, match.start() - 120) : match.start()]):
                continue  # <time datetime="…">, <input type="date" value="…">
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {match.group(0)}")
    assert not problems, "use a named format (kbio/formats):\n" + "\n".join(problems)
