"""Invitations: an organizer or an owner invites by e-mail; the link sets a password and joins
the person as a member with a role; it works once and expires."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.http import HttpRequest  # django-axes asks every login for its request
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kbio.accounts.models import Invitation
from kbio.directory.models import Contact, MemberRole

pytestmark = pytest.mark.django_db

PASSWORD = "cartilage-Bridge-2026"


def invite_url(org) -> str:
    return reverse("accounts:invite", args=[org.slug])


def link_in(message) -> str:
    """The invitation link's path, without its language prefix (the tests read English)."""
    found = re.search(r"https?://[^/\s]+/(?:ko/|ja/)?(accounts/invitations/[^/\s]+/)", message.body)
    assert found, message.body
    return "/" + found.group(1)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Post the invitation form; the e-mail leaves once the invitation is committed."""

    def post(client, org, email="mina@example.org", role=MemberRole.EDITOR, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(invite_url(org), {"email": email, "role": role, **extra})

    return post


def accept(path, username="mina", password=PASSWORD, name="Mina Park", client=None):
    client = client or Client()
    response = client.post(
        path,
        {"username": username, "name": name, "password1": password, "password2": password},
    )
    return client, response


def test_organizer_invites_and_the_link_joins_the_person_as_member(organizer, bob, send):
    response = send(organizer, bob.organization, role=MemberRole.OWNER)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mina@example.org"]
    # bob's organization works in Japanese first: the e-mail is in Japanese.
    assert "Bob Org" in message.subject and "&amp;" not in message.subject
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", message.subject), message.subject

    # The link opens in the e-mail's language.
    assert "/ja/accounts/invitations/" in message.body
    path = link_in(message)
    page = Client().get(path)
    assert page.status_code == 200
    assert "mina@example.org" in page.content.decode()

    client, response = accept(path)
    assert response.status_code == 302 and response.url == reverse("home")
    user = get_user_model().objects.get(username="mina")
    contact = Contact.objects.get(user=user)
    assert contact.organization == bob.organization
    assert contact.role == MemberRole.OWNER
    assert contact.name == "Mina Park"
    start = client.get(reverse("home")).content.decode()
    assert "Bob Org" in start and "Welcome, Mina Park" in start
    # The password works for a fresh login.
    assert Client().login(request=HttpRequest(), username="mina", password=PASSWORD)


def test_a_link_works_once(organizer, bob, send):
    send(organizer, bob.organization)
    path = link_in(mail.outbox[0])
    accept(path)
    again = Client().get(path)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    _client, response = accept(path, username="someone-else")
    assert response.status_code == 410
    assert not get_user_model().objects.filter(username="someone-else").exists()


def test_an_expired_link_is_refused_with_the_reason(organizer, bob, send):
    send(organizer, bob.organization)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(link_in(mail.outbox[0]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


@pytest.mark.parametrize("token", ["not-a-token", "x" * 500, "abc%00def"])
def test_an_unknown_link_is_a_clear_404(token):
    response = Client().get(f"/accounts/invitations/{token}/")
    assert response.status_code == 404
    assert "cannot be used" in response.content.decode()


def test_a_second_invitation_replaces_the_first(organizer, bob, send):
    send(organizer, bob.organization)
    send(organizer, bob.organization)
    first, second = link_in(mail.outbox[0]), link_in(mail.outbox[1])
    assert Client().get(first).status_code == 410
    assert "withdrawn" in Client().get(first).content.decode()
    assert Client().get(second).status_code == 200


def test_a_weak_or_mistyped_password_keeps_the_form_and_creates_nobody(organizer, bob, send):
    send(organizer, bob.organization)
    path = link_in(mail.outbox[0])
    client = Client()
    response = client.post(
        path, {"username": "mina", "name": "Mina", "password1": PASSWORD, "password2": "other"}
    )
    assert response.status_code == 200
    assert "The two passwords differ." in response.content.decode()
    _client, response = accept(path, password="123")
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="mina").exists()
    assert Client().get(path).status_code == 200  # still usable


def test_a_taken_username_is_refused(organizer, bob, alice, send):
    send(organizer, bob.organization)
    _client, response = accept(link_in(mail.outbox[0]), username="ALICE")
    assert response.status_code == 200
    assert "This username is taken" in response.content.decode()


def test_a_logged_in_person_is_asked_to_log_out_first(organizer, bob, alice, send):
    send(organizer, bob.organization)
    response = alice.client.get(link_in(mail.outbox[0]))
    assert response.status_code == 409
    assert "log out first" in response.content.decode()


def test_an_owner_invites_a_colleague(alice, send):
    Contact.objects.filter(pk=alice.contact.pk).update(role=MemberRole.OWNER)
    response = send(alice.client, alice.organization, email="jun@example.org")
    assert response.status_code == 302
    assert mail.outbox[0].to == ["jun@example.org"]
    page = alice.client.get(invite_url(alice.organization)).content.decode()
    assert "jun@example.org" in page  # waiting for an answer


@pytest.mark.parametrize("role", [MemberRole.EDITOR, MemberRole.VIEWER])
def test_editors_and_viewers_cannot_invite(alice, role, send):
    Contact.objects.filter(pk=alice.contact.pk).update(role=role)
    assert alice.client.get(invite_url(alice.organization)).status_code == 404
    assert send(alice.client, alice.organization).status_code == 404
    assert mail.outbox == []


def test_an_outsider_cannot_invite_to_another_organization(alice, bob, send):
    Contact.objects.filter(pk=alice.contact.pk).update(role=MemberRole.OWNER)
    assert alice.client.get(invite_url(bob.organization)).status_code == 404
    assert send(alice.client, bob.organization).status_code == 404
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_anonymous_is_sent_to_login(anonymous, bob):
    response = anonymous.get(invite_url(bob.organization))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_an_existing_member_is_not_invited_again(organizer, bob, send):
    response = send(organizer, bob.organization, email="BOB@example.org")
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-email", "role": "editor"},
        {"email": "a@example.org", "role": "superuser"},
        {"email": "a@example.org", "role": "editor", "name": "Nul\x00"},
        {"email": "a@example.org", "role": "editor", "language": "fr"},
    ],
)
def test_bad_invitation_input_re_renders_with_errors(organizer, bob, data):
    response = organizer.post(invite_url(bob.organization), data)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Invitation.objects.exists()


def test_withdrawing_an_invitation_kills_its_link(organizer, bob, send):
    send(organizer, bob.organization)
    invitation = Invitation.objects.get()
    url = reverse("accounts:invitation_withdraw", args=[bob.organization.slug, invitation.pk])
    assert organizer.post(url).status_code == 302
    assert Client().get(link_in(mail.outbox[0])).status_code == 410


def test_an_outsider_cannot_withdraw_another_organizations_invitation(organizer, alice, bob, send):
    send(organizer, bob.organization)
    invitation = Invitation.objects.get()
    Contact.objects.filter(pk=alice.contact.pk).update(role=MemberRole.OWNER)
    for slug in (alice.organization.slug, bob.organization.slug):
        url = reverse("accounts:invitation_withdraw", args=[slug, invitation.pk])
        assert alice.client.post(url).status_code == 404
    assert Client().get(link_in(mail.outbox[0])).status_code == 200


def test_the_admin_organization_page_links_to_inviting(organizer, bob):
    from kbio.directory.models import Organization

    admin_user = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client = Client()
    client.force_login(admin_user)
    page = client.get(
        reverse("admin:directory_organization_change", args=[bob.organization.pk])
    ).content.decode()
    assert invite_url(Organization.objects.get(pk=bob.organization.pk)) in page


def test_the_organizer_sees_who_has_a_login_at_an_event(organizer, alice, bob, charlie, send):
    send(organizer, charlie.organization, email="new@charlie.example.org")
    url = reverse("accounts:event_members", args=[alice.participation.event.slug])
    page = organizer.get(url).content.decode()
    for party in (alice, bob, charlie):
        assert invite_url(party.organization) in page
    assert "new@charlie.example.org" in page
    assert alice.client.get(url).status_code == 404


@pytest.mark.parametrize("extra", [0, 8])
def test_logins_page_query_count_does_not_grow(organizer, alice, extra, django_assert_num_queries):
    from tests.events.conftest import make_party

    for i in range(extra):
        make_party(alice.participation.event, f"extra{i}")
    url = reverse("accounts:event_members", args=[alice.participation.event.slug])
    with django_assert_num_queries(9):  # two of them the organizer's permissions
        response = organizer.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("pending", [1, 8])
def test_invite_page_query_count_does_not_grow(organizer, bob, pending, django_assert_num_queries):
    from kbio.accounts import services

    for i in range(pending):
        services.invitation_send(organization=bob.organization, email=f"p{i}@example.org")
    with django_assert_num_queries(8):  # two of them the organizer's permissions
        response = organizer.get(invite_url(bob.organization))
    assert response.content.decode().count("@example.org") >= pending


@pytest.mark.parametrize("pending", [1, 8])
def test_invitation_link_query_count_does_not_grow(
    organizer, bob, pending, django_assert_num_queries, send
):
    for i in range(pending):
        send(organizer, bob.organization, email=f"p{i}@example.org")
    path = link_in(mail.outbox[-1])
    with django_assert_num_queries(1):
        response = Client().get(path)
    assert response.status_code == 200


def test_an_unreachable_mail_server_does_not_lose_the_invitation(organizer, bob, send, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    response = send(organizer, bob.organization)
    assert response.status_code == 302
    assert Invitation.objects.filter(organization=bob.organization).count() == 1
