"""Twelve identical meeting requests at once, against a SQLite database in a file.

Run as `python -m tests.events.sqlite_writers` with DATABASE_URL naming a SQLite file (the
test in test_sqlite_writers.py does): migrates it, makes an open event with two participants,
sends the same request from twelve threads at the same instant and prints one JSON line:
each response's status (or the exception a thread got) and how many requests were saved.
The test database pytest makes for SQLite lives in memory with a shared cache, which locks
differently, so this runs in its own process on a real file, as `make run` does.
"""

import json
import os
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbio.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

THREADS = 12
# What the page says to a sender whose request is already there (seen before the form was
# sent, or caught by the service while saving).
DUPLICATE = ("You already asked for this meeting", "You already have a request to B Org.")


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from kbio.events.models import MeetingRequest
    from tests.events.factories import AttendeeFactory, EventFactory, ParticipationFactory, delegate
    from tests.factories import OrganizationFactory

    event = EventFactory(slug="race", name="Race")
    venture = OrganizationFactory(slug="a-org", name="A Org", kind="venture")
    pharma = OrganizationFactory(slug="b-org", name="B Org", kind="pharma")
    user, contact = delegate(venture, username="a-user")
    _user, other = delegate(pharma, username="b-user")
    AttendeeFactory(
        participation=ParticipationFactory(event=event, organization=venture), contact=contact
    )
    AttendeeFactory(
        participation=ParticipationFactory(event=event, organization=pharma), contact=other
    )
    connection.close()
    url = reverse("events:request_create", args=["race", "b-org"])
    start = threading.Barrier(THREADS)
    outcomes: list[str] = []

    def send() -> None:
        client = Client()
        client.force_login(user)
        start.wait()
        try:
            response = client.post(url, {"message": "Shall we meet about our lead asset?"})
            told = any(text in response.content.decode() for text in DUPLICATE)
            outcomes.append(f"{response.status_code}{' duplicate' if told else ''}")
        except Exception as exc:  # noqa: BLE001 - what a thread got is the result
            outcomes.append(repr(exc)[:200])
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"outcomes": sorted(outcomes), "saved": MeetingRequest.objects.count()}))


if __name__ == "__main__":
    main()
