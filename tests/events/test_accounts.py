"""Logging in and out, and resetting a forgotten password by email."""

import re

import pytest
from django.http import HttpRequest  # django-axes asks every login for its request
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_then_logout(alice):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "alice", "password": "partnering-pass-1"}, follow=True
    )
    assert response.context["user"].is_authenticated
    html = response.content.decode()
    assert reverse("inbox") in html and "Log out" in html
    response = client.post(reverse("logout"), follow=True)
    assert not response.context["user"].is_authenticated
    assert client.get(reverse("events:inbox", args=["spring-partnering"])).status_code == 302


def test_a_wrong_password_is_refused(alice):
    response = Client().post(reverse("login"), {"username": "alice", "password": "guess"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


def test_password_reset_by_email_in_the_chosen_language(mailoutbox):
    UserFactory(username="mina", email="mina@example.org")
    client = Client()
    response = client.post("/ko/accounts/password_reset/", {"email": "mina@example.org"})
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["mina@example.org"]
    assert mail.subject == "K-Bio Partnering 새 비밀번호 설정"
    assert "사용자 이름: mina" in mail.body
    link = re.search(r"http://testserver(/\S+)", mail.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Shonan-iPark-2025", "new_password2": "Shonan-iPark-2025"},
        follow=True,
    )
    assert "새 비밀번호를 저장했습니다." in response.content.decode()
    assert Client().login(request=HttpRequest(), username="mina", password="Shonan-iPark-2025")


def test_password_reset_for_an_unknown_address_sends_nothing(mailoutbox):
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []
