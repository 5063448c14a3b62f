"""What no database query can take, sent to an admin page, is a bad request: a NUL character in
a list's parameters (the admin passes them straight to database lookups, and PostgreSQL refuses
a NUL in any query), a date drill-down to a year of ten digits, an action on rows named by
something other than their ids. Each was a server error."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "unused")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/directory/organization/?kind__exact=%00",
        "/admin/directory/organization/?country__exact=KR%00",
        "/admin/events/session/?kind__exact=%00",
        "/admin/events/meetingrequest/?status__exact=%00",
        "/admin/directory/organization/?%00=1",
    ],
)
def test_an_admin_list_filter_with_a_nul_is_a_bad_request(admin_client, url):
    assert admin_client.get(url).status_code == 400


def test_the_same_filters_without_a_nul_still_work(admin_client):
    response = admin_client.get("/admin/directory/organization/?kind__exact=venture")
    assert response.status_code == 200


def test_the_sites_own_pages_still_read_a_nul_themselves(client):
    # Their forms ignore it or say what is wrong (tests of each page).
    assert client.get("/organizations/?q=%00").status_code == 200


# --- what else no database query can take ---------------------------------------------------------


@pytest.mark.parametrize("ticked", ["abc", "", "\x00", "²", "9" * 40])
def test_an_admin_action_on_something_that_is_not_an_id_is_a_bad_request(admin_client, ticked):
    """Ticked rows are looked up by the ids sent: a text is a ValueError, a number beyond any
    column an OverflowError on SQLite."""
    from tests.factories import FocusAreaFactory

    area = FocusAreaFactory()
    response = admin_client.post(
        "/admin/directory/focusarea/",
        {"action": "delete_selected", "_selected_action": [str(area.pk), ticked], "index": "0"},
    )
    assert response.status_code == 400


def test_an_admin_action_on_ids_still_asks_to_confirm(admin_client):
    from tests.factories import FocusAreaFactory

    area = FocusAreaFactory(name_en="Organoids")
    response = admin_client.post(
        "/admin/directory/focusarea/",
        {"action": "delete_selected", "_selected_action": [str(area.pk)], "index": "0"},
    )
    assert response.status_code == 200
    assert "Organoids" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "created__year=2147483648",  # a date overflows beyond 32 bits
        "created__year=9999999999999999999999999999999999999999",
        "created__year=2025&created__month=99999999999",
        "created__year=2025&created__month=1&created__day=２",
    ],
)
def test_a_date_drill_down_beyond_any_date_is_a_bad_request(admin_client, query):
    assert admin_client.get(f"/admin/events/meetingrequest/?{query}").status_code == 400


def test_the_date_drill_down_still_works(admin_client):
    response = admin_client.get("/admin/events/meetingrequest/?created__year=2025")
    assert response.status_code == 200
