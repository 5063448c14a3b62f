"""Organizers add outcome records in admin too; records are never changed or deleted."""

from datetime import date

import pytest
from django.urls import reverse

from kbio.outcomes.models import Outcome
from kbio.outcomes.services import outcome_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client):
    user = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def test_add_goes_through_the_rules(admin_client_, held):
    add = reverse("admin:outcomes_outcome_add")
    refused = admin_client_.post(
        add, {"request": held.request.pk, "stage": "licensing", "on": "2025-01-01", "note": ""}
    )
    assert refused.status_code == 200
    assert "The date cannot be before the meeting (18 Jan 2025)." in refused.content.decode()
    assert not Outcome.objects.exists()
    done = admin_client_.post(
        add, {"request": held.request.pk, "stage": "licensing", "on": "2025-06-01", "note": "Deal"}
    )
    assert done.status_code == 302
    outcome = Outcome.objects.get()
    assert outcome.recorded_by == admin_client_.user and outcome.side is None


def test_records_cannot_be_changed_or_deleted(admin_client_, held, alice):
    outcome = outcome_record(
        meeting_request=held.request,
        stage="follow_up",
        on=date(2025, 1, 20),
        note="",
        by=alice.user,
        side=alice.organization,
    )
    change = reverse("admin:outcomes_outcome_change", args=[outcome.pk])
    page = admin_client_.get(change)
    assert page.status_code == 200  # view only
    admin_client_.post(change, {"stage": "licensing", "on": "2025-06-01"})
    outcome.refresh_from_db()
    assert outcome.stage == "follow_up"
    delete = reverse("admin:outcomes_outcome_delete", args=[outcome.pk])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    assert Outcome.objects.count() == 1
    listing = admin_client_.get(reverse("admin:outcomes_outcome_changelist"))
    assert listing.status_code == 200
