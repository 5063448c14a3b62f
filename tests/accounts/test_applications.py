"""Organizations not yet in the directory apply to an event; the organizer approves (the
organization, its participation and an owner invitation are created) or declines."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kbio.accounts.models import Application, Invitation
from kbio.directory.models import Contact, MemberRole, Organization
from kbio.events.models import EventStatus, Participation

pytestmark = pytest.mark.django_db

FORM = {
    "organization_name": "Hanbit Gene Therapeutics",
    "native_name": "한빛진테라퓨틱스",
    "kind": "venture",
    "country": "KR",
    "website": "https://hanbit.example.org",
    "description": "AAV gene therapy for inherited retinal disease, preclinical.",
    "contact_name": "Seo-yeon Kim",
    "email": "sy.kim@hanbit.example.org",
    "language": "ko",
    "message": "We look for a Japanese partner for GLP toxicology.",
}


def apply_url(event):
    return reverse("accounts:apply", args=[event.slug])


def decide(client, application, decision, capture):
    url = reverse(
        "accounts:application_decide", args=[application.event.slug, application.pk, decision]
    )
    with capture(execute=True):
        return client.post(url)


def test_an_organization_applies_without_an_account(event):
    response = Client().post(apply_url(event), FORM)
    assert response.status_code == 200
    assert "your application is with the organizer" in response.content.decode()
    application = Application.objects.get()
    assert application.status == "pending" and application.event == event
    assert not Organization.objects.filter(name=FORM["organization_name"]).exists()


def test_the_front_page_offers_applying_to_visitors_while_registration_is_open(event):
    assert apply_url(event) in Client().get("/").content.decode()
    event.status = EventStatus.CLOSED
    event.save()
    assert apply_url(event) not in Client().get("/").content.decode()


def test_a_draft_event_takes_no_application(event):
    event.status = EventStatus.DRAFT
    event.save()
    assert Client().get(apply_url(event)).status_code == 404
    assert Client().post(apply_url(event), FORM).status_code == 404
    assert not Application.objects.exists()


def test_a_closed_event_says_so_and_takes_nothing(event):
    event.status = EventStatus.CLOSED
    event.save()
    page = Client().post(apply_url(event), FORM)
    assert "not taking registrations" in page.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"email": "nope"},
        {"kind": "spaceship"},
        {"description": "Nul\x00byte"},
        {"organization_name": ""},
        {"description": "x" * 5000},
    ],
)
def test_bad_application_input_keeps_the_form(event, change):
    response = Client().post(apply_url(event), {**FORM, **change})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert FORM["contact_name"] in response.content.decode()  # nothing typed is lost
    assert not Application.objects.exists()


def test_approving_adds_the_organization_and_invites_its_owner(
    event, organizer, django_capture_on_commit_callbacks
):
    Client().post(apply_url(event), FORM)
    application = Application.objects.get()
    listing = organizer.get(reverse("accounts:applications", args=[event.slug]))
    assert FORM["organization_name"] in listing.content.decode()

    response = decide(organizer, application, "approve", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    organization = Organization.objects.get(name=FORM["organization_name"])
    assert organization.native_name == FORM["native_name"]
    assert Participation.objects.filter(event=event, organization=organization).exists()
    contact = Contact.objects.get(organization=organization)
    assert contact.role == MemberRole.OWNER and contact.user is None
    invitation = Invitation.objects.get(organization=organization)
    assert invitation.role == MemberRole.OWNER
    assert mail.outbox[-1].to == [FORM["email"]]
    application.refresh_from_db()
    assert application.status == "approved" and application.organization == organization

    again = decide(organizer, application, "approve", django_capture_on_commit_callbacks)
    assert again.status_code == 302
    assert Organization.objects.filter(name=FORM["organization_name"]).count() == 1


def test_declining_tells_the_applicant(event, organizer, django_capture_on_commit_callbacks):
    Client().post(apply_url(event), FORM)
    application = Application.objects.get()
    decide(organizer, application, "reject", django_capture_on_commit_callbacks)
    application.refresh_from_db()
    assert application.status == "rejected"
    assert mail.outbox[-1].to == [FORM["email"]]
    assert not Organization.objects.filter(name=FORM["organization_name"]).exists()


def test_participants_cannot_see_or_decide_applications(
    event, alice, django_capture_on_commit_callbacks
):
    Client().post(apply_url(event), FORM)
    application = Application.objects.get()
    assert alice.client.get(reverse("accounts:applications", args=[event.slug])).status_code == 404
    response = decide(alice.client, application, "approve", django_capture_on_commit_callbacks)
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "pending"


def test_an_unknown_decision_is_a_404(event, organizer, django_capture_on_commit_callbacks):
    Client().post(apply_url(event), FORM)
    application = Application.objects.get()
    assert (
        decide(organizer, application, "maybe", django_capture_on_commit_callbacks).status_code
        == 404
    )


@pytest.mark.parametrize("count", [1, 8])
def test_applications_page_query_count_does_not_grow(
    event, organizer, count, django_assert_num_queries
):
    for i in range(count):
        Application.objects.create(
            event=event, **{**FORM, "organization_name": f"Applicant {i}", "email": f"a{i}@x.org"}
        )
    url = reverse("accounts:applications", args=[event.slug])
    with django_assert_num_queries(7):  # two of them the organizer's permissions
        response = organizer.get(url)
    assert response.content.decode().count("Applicant ") >= count
