"""Background jobs with the jobs run in-process (no broker, as in `make run` and these tests):
the scheduler run, publishing, resending and large imports are recorded as jobs whose progress
and result the pages show; a second run or publish of an event is refused while one is queued
or running; every e-mail is kept and sent by a job, and one the mail server refused is sent
later. The same jobs against Redis and a real worker: tests/jobs/test_worker.py."""

from __future__ import annotations

import io
import re
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from kbio.directory.models import Organization
from kbio.events.models import EventStatus, Meeting, MeetingRequest, ScheduleRun
from kbio.events.notifications import schedule_not_received
from kbio.jobs import tasks, work
from kbio.jobs.models import DeliveryState, EmailDelivery, Job, JobKind, JobState
from tests.organizer.conftest import csv_bytes

pytestmark = pytest.mark.django_db


def schedule_page(client, event) -> str:
    return client.get(reverse("organizer:schedule", args=[event.slug])).content.decode()


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2


# --- the scheduler ------------------------------------------------------------------------------


def test_run_scheduler_is_a_job_with_progress_and_result(staff, closed):
    response = staff.post(reverse("organizer:schedule_run", args=[closed.slug]), {"mode": "run"})
    assert response.status_code == 302
    assert response["Location"] == reverse("organizer:schedule", args=[closed.slug])
    job = Job.objects.get()
    assert (job.kind, job.state, job.event, job.started_by) == (
        JobKind.SCHEDULE,
        JobState.DONE,
        closed,
        staff.user,
    )
    assert job.started and job.finished and job.percent == 100
    assert job.progress.startswith("Saving 1 meetings")
    assert job.result["placed"] == 1 and job.result["run"] == ScheduleRun.objects.get().pk
    html = schedule_page(staff, closed)
    assert "Scheduler run: Done" in html
    assert "1 of 1 meeting placed. Participants see it once you publish the schedule." in html
    # Finished: the page does not poll.
    assert "data-job-poll" not in html and "js/jobs.js" not in html
    closed.refresh_from_db()
    assert closed.status == EventStatus.SCHEDULED


def test_a_failed_run_shows_its_reason_on_the_page(staff, event, alice, bob):
    # Requests still open: the scheduler refuses.
    staff.post(reverse("organizer:schedule_run", args=[event.slug]), {"mode": "run"})
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    html = schedule_page(staff, event)
    assert "Scheduler run: Failed" in html
    assert "still taking meeting requests. Close requests first" in html


def test_the_job_speaks_the_organizers_language(staff, closed):
    url = "/ja" + reverse("organizer:schedule_run", args=[closed.slug])
    staff.post(url, {"mode": "dry-run"})
    job = Job.objects.get()
    assert job.language == "ja"
    assert job.progress == "スケジュールを作成しています…"


def test_a_second_run_while_one_is_queued_is_refused(staff, closed):
    queued = Job.objects.create(kind=JobKind.SCHEDULE, event=closed)
    response = staff.post(
        reverse("organizer:schedule_run", args=[closed.slug]), {"mode": "run"}, follow=True
    )
    html = response.content.decode()
    assert "The scheduler is already running for this event" in html
    assert list(Job.objects.all()) == [queued]
    assert not ScheduleRun.objects.exists()
    # The running job's panel polls for news, and works without JavaScript too.
    assert f'data-job-poll="{reverse("organizer:job", args=[queued.pk])}' in html
    assert "js/jobs.js" in html and '<meta http-equiv="refresh"' in html
    assert "Waiting for a worker to take it" in html


def test_the_database_refuses_two_active_runs_of_one_event(closed):
    Job.objects.create(kind=JobKind.SCHEDULE, event=closed, state=JobState.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=JobKind.SCHEDULE, event=closed)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=JobKind.SCHEDULE, event=closed, state=JobState.RUNNING)
    # A finished one does not count; nor does another kind or another event.
    Job.objects.create(kind=JobKind.SCHEDULE, event=closed, state=JobState.DONE)
    Job.objects.create(kind=JobKind.PUBLISH, event=closed)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=JobKind.RESEND, event=closed)


def test_a_job_lost_with_its_worker_no_longer_blocks(staff, closed):
    lost = Job.objects.create(kind=JobKind.SCHEDULE, event=closed, state=JobState.RUNNING)
    Job.objects.filter(pk=lost.pk).update(updated=lost.created - work.ABANDONED_AFTER * 2)
    staff.post(reverse("organizer:schedule_run", args=[closed.slug]), {"mode": "run"})
    lost.refresh_from_db()
    assert lost.state == JobState.FAILED
    assert Job.objects.filter(state=JobState.DONE).count() == 1


def test_a_job_taken_twice_runs_once(closed, staff):
    staff.post(reverse("organizer:schedule_run", args=[closed.slug]), {"mode": "run"})
    job = Job.objects.get()
    assert work.run(job.pk) == "already taken"
    assert ScheduleRun.objects.count() == 1


# --- the status fragment --------------------------------------------------------------------


def test_the_status_fragment_is_for_organizers_only(staff, alice, closed, anonymous):
    job = Job.objects.create(kind=JobKind.SCHEDULE, event=closed, progress="Scheduling…")
    url = reverse("organizer:job", args=[job.pk])
    response = staff.get(url)
    assert response.status_code == 200
    assert "Scheduling…" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert alice.client.get(url).status_code == 404
    assert anonymous.get(url).status_code == 302
    assert staff.get(reverse("organizer:job", args=[job.pk + 1])).status_code == 404
    assert staff.get(f"/organizer/jobs/{2**64}/").status_code == 404


def test_the_refresh_link_stays_on_the_site(staff, closed):
    job = Job.objects.create(kind=JobKind.SCHEDULE, event=closed)
    url = reverse("organizer:job", args=[job.pk])
    for back in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        html = staff.get(url, {"back": back}).content.decode()
        assert "evil.example" not in html, back
    html = staff.get(url + "?back=/organizer/").content.decode()
    assert 'href="/organizer/"' in html


# --- publishing -----------------------------------------------------------------------------


def test_publish_is_a_job_and_records_each_email(staff, scheduled, alice, bob, charlie):
    mail.outbox.clear()
    response = staff.post(reverse("organizer:schedule_publish", args=[scheduled.slug]))
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.state == JobState.DONE
    assert job.result["published"] == 1 and job.result["emails"] == 3
    assert Meeting.objects.get().is_published
    deliveries = EmailDelivery.objects.filter(event=scheduled, kind="schedule")
    assert sorted(d.participation_id for d in deliveries) == sorted(
        [alice.participation.pk, bob.participation.pk, charlie.participation.pk]
    )
    assert {d.state for d in deliveries} == {DeliveryState.SENT}
    assert {a for m in mail.outbox for a in m.to} == {
        "alice@example.org",
        "bob@example.org",
        "charlie@example.org",
    }
    html = schedule_page(staff, scheduled)
    assert "Published 1 meeting; 3 agenda emails are on their way." in html
    assert "could not be delivered" not in html


def test_publishing_again_is_refused_and_sends_nothing(staff, scheduled):
    staff.post(reverse("organizer:schedule_publish", args=[scheduled.slug]))
    mail.outbox.clear()
    staff.post(reverse("organizer:schedule_publish", args=[scheduled.slug]))
    assert mail.outbox == []
    assert "is already published" in Job.objects.first().error


def test_a_publish_while_one_is_running_is_refused(staff, scheduled):
    Job.objects.create(kind=JobKind.PUBLISH, event=scheduled, state=JobState.RUNNING)
    response = staff.post(reverse("organizer:schedule_publish", args=[scheduled.slug]), follow=True)
    assert "The schedule is already being published" in response.content.decode()
    assert not Meeting.objects.filter(is_published=True).exists()


def test_with_the_mail_server_down_publish_finishes_and_resend_reaches_the_rest(
    staff, scheduled, bob, mail_server_down, settings
):
    staff.post(reverse("organizer:schedule_publish", args=[scheduled.slug]))
    job = Job.objects.get()
    assert job.state == JobState.DONE
    assert Meeting.objects.get().is_published
    failed = EmailDelivery.objects.filter(state=DeliveryState.FAILED)
    assert failed.count() == 3
    assert "ConnectionRefusedError" in failed.first().last_error
    html = schedule_page(staff, scheduled)
    assert "The schedule email could not be delivered to 3 participants." in html

    # The mail server is back: resend reaches them, and only them.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    response = staff.post(reverse("organizer:schedule_resend", args=[scheduled.slug]))
    assert response.status_code == 302
    resend = Job.objects.filter(kind=JobKind.RESEND).get()
    assert resend.state == JobState.DONE and resend.result["participants"] == 3
    assert len(mail.outbox) == 3
    assert schedule_not_received(scheduled) == []
    html = schedule_page(staff, scheduled)
    assert "The schedule email was sent again to 3 participants." in html
    assert "could not be delivered" not in html
    # Nobody left to resend to.
    response = staff.post(reverse("organizer:schedule_resend", args=[scheduled.slug]), follow=True)
    assert "Every participant has been sent the schedule email." in response.content.decode()
    assert Job.objects.filter(kind=JobKind.RESEND).count() == 1


def test_resend_goes_only_to_those_whose_email_failed(staff, scheduled, bob, settings):
    staff.post(reverse("organizer:schedule_publish", args=[scheduled.slug]))
    EmailDelivery.objects.filter(participation=bob.participation).update(state=DeliveryState.FAILED)
    assert schedule_not_received(scheduled) == [bob.participation.pk]
    mail.outbox.clear()
    staff.post(reverse("organizer:schedule_resend", args=[scheduled.slug]))
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]


# --- every e-mail ---------------------------------------------------------------------------


def test_with_the_mail_server_down_a_request_is_saved_and_its_email_sent_later(
    alice, bob, mail_server_down, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.client.post(
            reverse("events:request_create", args=[bob.participation.event.slug, "bob-org"]),
            {"message": "Shall we meet about KB-101?"},
        )
    assert response.status_code == 302
    assert MeetingRequest.objects.filter(recipient=bob.participation).count() == 1
    delivery = EmailDelivery.objects.get(kind="requested")
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 1
    assert delivery.to == ["bob@example.org"]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert tasks.retry_failed_emails() == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 2
    (email,) = mail.outbox
    assert email.to == ["bob@example.org"]
    assert "Alice Org" in email.subject or "Alice Org" in email.body


def test_with_the_mail_server_down_an_invitation_is_saved_and_its_email_sent_later(
    alice, mail_server_down, settings, django_capture_on_commit_callbacks
):
    from kbio.accounts.models import Invitation
    from kbio.directory.models import Contact, MemberRole

    Contact.objects.filter(pk=alice.contact.pk).update(role=MemberRole.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.client.post(
            reverse("accounts:invite", args=[alice.organization.slug]),
            {"email": "jun@example.org", "role": MemberRole.EDITOR},
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="jun@example.org").exists()
    delivery = EmailDelivery.objects.get(to=["jun@example.org"])
    assert delivery.state == DeliveryState.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    tasks.retry_failed_emails()
    assert [m.to for m in mail.outbox] == [["jun@example.org"]]


def test_with_the_mail_server_down_a_password_reset_email_is_kept_and_sent_later(
    client, alice, mail_server_down, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "alice@example.org"})
    # The usual "check your inbox" page, and the e-mail kept rather than lost.
    assert response.status_code == 302 and response.url == "/accounts/password_reset/done/"
    delivery = EmailDelivery.objects.get(kind="password-reset")
    assert delivery.state == DeliveryState.FAILED and delivery.to == ["alice@example.org"]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert tasks.retry_failed_emails() == 1
    (email,) = mail.outbox
    assert email.to == ["alice@example.org"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", email.body).group(1)
    assert client.get(link, follow=True).status_code == 200


def test_an_email_is_kept_whole_and_sent_once(scheduled, alice):
    from kbio.events.notifications import send_schedule_published

    Meeting.objects.update(is_published=True)
    mail.outbox.clear()
    send_schedule_published(scheduled)
    email = next(m for m in mail.outbox if "alice@example.org" in m.to)
    (attachment,) = email.attachments
    assert attachment[0] == f"{scheduled.slug}.ics" and "BEGIN:VCALENDAR" in str(attachment[1])
    assert email.alternatives[0][1] == "text/html"
    delivery = EmailDelivery.objects.get(to=["alice@example.org"])
    tasks.deliver_email(delivery.pk)
    assert sum("alice@example.org" in m.to for m in mail.outbox) == 1


# --- imports ----------------------------------------------------------------------------------

HEADER = "slug,name,kind,country"


def test_a_large_import_runs_as_a_job(staff, taxonomy, settings):
    settings.IMPORT_JOB_BYTES = 10
    url = reverse("organizer:organizations_import")
    good = io.BytesIO(csv_bytes(HEADER, "kbio-new,K-Bio New,venture,KR"))
    good.name = "organizations.csv"
    response = staff.post(url, {"file": good})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{url}?job={job.pk}"
    assert (job.kind, job.subject, job.state) == (JobKind.IMPORT, "organizations", JobState.DONE)
    assert bytes(job.payload) == b""
    assert Organization.objects.filter(slug="kbio-new").exists()
    html = staff.get(response["Location"]).content.decode()
    assert "Import: Done" in html and "Imported: 1 new, 0 updated, 0 unchanged." in html


def test_a_large_requests_import_runs_as_a_job_of_the_event(staff, event, alice, bob, settings):
    settings.IMPORT_JOB_BYTES = 10
    url = reverse("organizer:requests_import", args=[event.slug])
    data = io.BytesIO(
        csv_bytes("requester,recipient,status,message", "alice-org,bob-org,pending,Shall we meet?")
    )
    data.name = "requests.csv"
    response = staff.post(url, {"file": data}, follow=True)
    job = Job.objects.get()
    assert (job.subject, job.event, job.state) == ("requests", event, JobState.DONE)
    assert MeetingRequest.objects.filter(event=event, message="Shall we meet?").count() == 1
    assert "Imported: 1 new, 0 updated, 0 unchanged." in response.content.decode()
    # The job of one event's import does not show on another's page.
    assert (
        "Import: Done"
        not in staff.get(
            reverse("organizer:organizations_import") + f"?job={job.pk}"
        ).content.decode()
    )


def test_a_large_import_refused_lists_its_errors(staff, taxonomy, settings):
    settings.IMPORT_JOB_BYTES = 10
    url = reverse("organizer:organizations_import")
    bad = io.BytesIO(csv_bytes(HEADER, "ok-co,OK,venture,KR", "bad,Bad,biotech,XX"))
    bad.name = "organizations.csv"
    response = staff.post(url, {"file": bad}, follow=True)
    html = response.content.decode()
    assert "The file was refused; nothing was imported." in html
    assert "Line 3, column kind: Value &#x27;biotech&#x27; is not a valid choice." in html
    assert not Organization.objects.exists()


def test_a_small_import_still_answers_in_the_request(staff, taxonomy):
    url = reverse("organizer:organizations_import")
    good = io.BytesIO(csv_bytes(HEADER, "kbio-new,K-Bio New,venture,KR"))
    good.name = "organizations.csv"
    response = staff.post(url, {"file": good}, follow=True)
    assert "Imported: 1 new, 0 updated, 0 unchanged." in response.content.decode()
    assert not Job.objects.exists()


def test_another_import_kind_job_id_shows_nothing(staff, taxonomy, event):
    job = Job.objects.create(kind=JobKind.IMPORT, subject="criteria", state=JobState.DONE)
    html = staff.get(reverse("organizer:organizations_import") + f"?job={job.pk}").content.decode()
    assert "Import: Done" not in html
    for junk in ("abc", "9" * 40, "-1"):
        url = reverse("organizer:organizations_import") + f"?job={junk}"
        assert staff.get(url).status_code == 200


# --- housekeeping -----------------------------------------------------------------------------


def test_housekeeping_clears_expired_sessions(db):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    tasks.housekeeping.delay()
    assert not Session.objects.exists()


def test_beat_runs_housekeeping_and_email_retries():
    from kbio.celery import app

    names = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert names == {"kbio.jobs.tasks.housekeeping", "kbio.jobs.tasks.retry_failed_emails"}
    assert set(names) <= set(app.tasks)


# --- progress while the scheduler's transaction is open ----------------------------------


@pytest.mark.django_db(transaction=True)
def test_progress_inside_a_transaction_is_seen_at_once_on_postgresql():
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite holds one writer at a time: progress is written when the run ends.")
    job = Job.objects.create(kind=JobKind.SCHEDULE, state=JobState.RUNNING)
    reader = connections.create_connection("default")
    try:
        with transaction.atomic():
            work.Progress(job)("Scheduling…", 15)
            with reader.cursor() as cursor:
                cursor.execute("SELECT progress, percent FROM jobs_job WHERE id = %s", [job.pk])
                assert cursor.fetchone() == ("Scheduling…", 15)
    finally:
        reader.close()


def test_an_email_waiting_for_its_next_try_is_not_sent_a_second_time(db, settings):
    """The longest wait between two tries is 30 minutes: an e-mail queued that long ago is
    waiting its turn, and only one left untouched twice as long was lost by its queue."""
    from django.core.mail import EmailMultiAlternatives
    from django.utils import timezone

    from kbio.jobs.mail import to_json

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    now = timezone.now()
    deliveries = {}
    for minutes in (31, 45, 61):
        message = EmailMultiAlternatives(
            f"waiting {minutes}", "body", to=[f"m{minutes}@example.org"]
        )
        delivery = EmailDelivery.objects.create(
            kind="requested",
            about=f"waiting {minutes} minutes",
            to=message.to,
            message=to_json(message),
            state=DeliveryState.QUEUED,
            attempts=3,
        )
        EmailDelivery.objects.filter(pk=delivery.pk).update(
            updated=now - timedelta(minutes=minutes)
        )
        deliveries[minutes] = delivery
    mail.outbox.clear()
    assert tasks.retry_failed_emails() == 1
    assert [m.subject for m in mail.outbox] == ["waiting 61"]
    states = {
        minutes: EmailDelivery.objects.get(pk=d.pk).state for minutes, d in deliveries.items()
    }
    assert states == {
        31: DeliveryState.QUEUED,
        45: DeliveryState.QUEUED,
        61: DeliveryState.SENT,
    }
