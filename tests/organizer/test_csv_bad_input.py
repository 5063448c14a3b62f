"""What a spreadsheet can put in an import file that the pages would never accept: a line
break inside a name (Excel's Alt+Enter), a year, an amount or a country written "²", a sending
date in year 1 or 9999, a message far longer than the form allows. Each is refused with its
line and column, and nothing of the file is saved."""

import pytest
from django.urls import reverse

from kbio.directory.models import InvestorMandate, Organization
from kbio.events.models import MESSAGE_MAX_LENGTH, MeetingRequest
from kbio.organizer.csvfiles import ImportRefused
from kbio.organizer.services import criteria_import, meeting_requests_import, organizations_import
from tests.factories import OrganizationFactory
from tests.organizer.conftest import csv_bytes

pytestmark = pytest.mark.django_db

ONE_LINE = "Write this on one line, without line breaks, tabs or control characters."
DATES = "Enter a date between 2000-01-01 and 2100-12-31."


def refusal(call, **kwargs) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        call(**kwargs)
    return [str(error) for error in refused.value.errors]


# --- item 2: a line break in a name -------------------------------------------------------------


def test_a_line_break_in_an_organization_name_is_refused_with_its_place(db):
    data = csv_bytes(
        "slug,name,native_name,kind,country,city,description",
        'fresh-co,"Fresh\nCo",,venture,KR,Seoul,"Two lines\nare fine here."',
        "other-co,Other Co,앨리스\t제약,pharma,JP,,",
        'third-co,Third Co,,pharma,JP,"Osaka\r\nKita",',
    )
    assert refusal(organizations_import, data=data) == [
        f"Line 2, column name: {ONE_LINE}",
        f"Line 5, column native_name: {ONE_LINE}",
        f"Line 6, column city: {ONE_LINE}",
    ]
    assert not Organization.objects.exists()


# --- item 7: a year that only looks like digits -------------------------------------------------


@pytest.mark.parametrize("founded", ["²", "٢٠١٩", "20 19", "99999"])
def test_a_year_that_is_not_plain_digits_is_refused(db, founded):
    data = csv_bytes("slug,name,kind,country,founded", f"fresh-co,Fresh,venture,KR,{founded}")
    (error,) = refusal(organizations_import, data=data)
    assert error.startswith("Line 2, column founded: ")
    assert not Organization.objects.exists()


@pytest.mark.parametrize("country", ["²", "١٢", "K R", "KOR"])
def test_a_country_that_is_not_a_two_letter_code_is_refused(db, country):
    # django-countries reads a code of digits as a number: "²" passed its digit check, then
    # failed (a server error).
    data = csv_bytes("slug,name,kind,country", f"fresh-co,Fresh,venture,{country}")
    assert refusal(organizations_import, data=data) == [
        "Line 2, column country: Write a two-letter country code, e.g. KR or JP."
    ]
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("countries", "KR;²", "Write a two-letter country code, e.g. KR or JP."),
        (
            "cheque_min_usd",
            "²",
            "Write a whole number of US dollars without separators, e.g. 5000000.",
        ),
        (
            "cheque_max_usd",
            "9" * 40,
            "Write a whole number of US dollars without separators, e.g. 5000000.",
        ),
    ],
)
def test_a_mandate_cell_that_only_looks_like_a_number_or_code_is_refused(
    db, column, value, message
):
    OrganizationFactory(slug="kvic", kind="investor")
    data = csv_bytes(f"type,organization,vehicle,{column}", f"mandate,kvic,direct,{value}")
    assert refusal(criteria_import, data=data) == [f"Line 2, column {column}: {message}"]
    assert not InvestorMandate.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_a_checked_on_date_out_of_range_is_refused(db, day):
    data = csv_bytes("slug,name,kind,country,checked_on", f"fresh-co,Fresh,venture,KR,{day}")
    assert refusal(organizations_import, data=data) == [f"Line 2, column checked_on: {DATES}"]


# --- item 3: sending dates out of range ---------------------------------------------------------

REQUEST_HEADER = "requester,recipient,status,message,sent_at"


@pytest.mark.parametrize(
    "sent_at",
    [
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59-12:00",
        "0001-01-01T00:00:00+14:00",
        "2101-01-01T00:00:00+09:00",
    ],
)
def test_a_sending_date_out_of_range_is_refused_with_its_place(event, alice, bob, sent_at):
    data = csv_bytes(REQUEST_HEADER, f"alice-org,bob-org,pending,Hello,{sent_at}")
    assert refusal(meeting_requests_import, event=event, data=data) == [
        f"Line 2, column sent_at: {DATES}"
    ]
    assert not MeetingRequest.objects.exists()


def test_a_sending_date_in_range_is_kept(event, alice, bob):
    data = csv_bytes(REQUEST_HEADER, "alice-org,bob-org,pending,Hello,2025-01-10T09:30:00+09:00")
    meeting_requests_import(event=event, data=data)
    assert MeetingRequest.objects.get().created.isoformat() == "2025-01-10T00:30:00+00:00"


# --- item 11: the message length of the form --------------------------------------------------


def test_a_message_longer_than_the_form_allows_is_refused(event, alice, bob, charlie):
    data = csv_bytes(
        REQUEST_HEADER,
        f"alice-org,bob-org,pending,{'x' * MESSAGE_MAX_LENGTH},",
        f"alice-org,charlie-org,pending,{'y' * (MESSAGE_MAX_LENGTH + 1)},",
        f"bob-org,charlie-org,pending,{'z' * 100_000},",
    )
    assert refusal(meeting_requests_import, event=event, data=data) == [
        "Line 3, column message: Ensure this value has at most 2000 characters (it has 2001).",
        "Line 4, column message: Ensure this value has at most 2000 characters (it has 100000).",
    ]
    assert not MeetingRequest.objects.exists()


def test_a_message_as_long_as_the_form_allows_is_imported(event, alice, bob):
    data = csv_bytes(REQUEST_HEADER, f"alice-org,bob-org,pending,{'x' * MESSAGE_MAX_LENGTH},")
    meeting_requests_import(event=event, data=data)
    assert len(MeetingRequest.objects.get().message) == MESSAGE_MAX_LENGTH


# --- item 7: a NUL in a request's message -------------------------------------------------------


def test_a_nul_in_an_imported_message_is_refused_with_its_place(event, alice, bob):
    data = csv_bytes(REQUEST_HEADER, "alice-org,bob-org,pending,Hel\x00lo,")
    assert refusal(meeting_requests_import, event=event, data=data) == [
        "Line 2, column message: The cell holds a NUL character."
    ]
    assert not MeetingRequest.objects.exists()


@pytest.mark.parametrize("job", ["²", "١٢", "9" * 40])
def test_an_import_page_asked_for_a_job_by_no_id_shows_the_form(staff, job):
    # "²" passed the page's digit check, then failed (a server error).
    response = staff.get(reverse("organizer:organizations_import"), {"job": job})
    assert response.status_code == 200
    assert "CSV file" in response.content.decode()
