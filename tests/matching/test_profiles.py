"""Matching profiles: the weights live in data, one is the default, admin edits them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from kbio.matching.engine import Weights
from kbio.matching.models import MatchingProfile
from kbio.matching.services import matching_profile_make_default
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def new_profile(**fields):
    return MatchingProfile(
        name=fields.pop("name", "Event"), slug=fields.pop("slug", "event"), **fields
    )


def test_the_default_profile_holds_the_documented_weights():
    profile = MatchingProfile.objects.get(is_default=True)
    assert profile.weights() == Weights()
    assert MatchingProfile.objects.weights() == Weights()


def test_without_a_profile_the_built_in_weights_apply():
    MatchingProfile.objects.all().delete()
    assert MatchingProfile.objects.weights() == Weights()


def test_only_one_profile_is_the_default():
    second = new_profile(is_default=True)
    with pytest.raises(ValidationError, match="Another profile is already the default."):
        second.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        second.save()


def test_a_profile_needs_some_weight_and_weights_stay_within_100():
    with pytest.raises(ValidationError, match="at least one of partnership types"):
        new_profile(
            weight_deal=0, weight_modality=0, weight_therapeutic_area=0, weight_services=0
        ).full_clean()
    with pytest.raises(ValidationError, match="less than or equal to 100"):
        new_profile(weight_deal=101).full_clean()


def test_make_default_moves_the_default():
    event = new_profile(weight_deal=40)
    event.save()
    matching_profile_make_default(profile=event)
    assert MatchingProfile.objects.get(is_default=True) == event
    assert MatchingProfile.objects.weights().deal == 40


def test_admin_is_for_staff_only(client):
    changelist = reverse("admin:matching_matchingprofile_changelist")
    assert client.get(changelist).status_code == 302
    client.force_login(UserFactory(is_staff=False))
    assert client.get(changelist).status_code == 302
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(changelist)
    assert response.status_code == 200
    assert "Default" in response.content.decode()


def test_admin_action_makes_a_profile_the_default(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    event = new_profile()
    event.save()
    response = client.post(
        reverse("admin:matching_matchingprofile_changelist"),
        {"action": "make_default", "_selected_action": [event.pk]},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_default
    assert MatchingProfile.objects.filter(is_default=True).count() == 1
