"""factory-boy factories for the partnering event models."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from kbio.events.models import (
    Attendee,
    Event,
    EventStatus,
    Meeting,
    MeetingRequest,
    Participation,
    Session,
    SessionKind,
    Table,
    TimeSlot,
)
from tests.factories import ContactFactory, OrganizationFactory, UserFactory

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo(*args) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"event-{n}")
    name = factory.Sequence(lambda n: f"Partnering Day {n}")
    venue = "Shonan iPark"
    city = "Fujisawa"
    time_zone = "Asia/Tokyo"
    status = EventStatus.OPEN
    requests_open_from = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    requests_open_until = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    kind = SessionKind.PARTNERING
    name_en = "1:1 partnering"
    name_ko = "1:1 파트너링"
    name_ja = "1:1パートナリング"
    starts_at = factory.LazyFunction(lambda: tokyo(2030, 1, 18, 14, 0))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(minutes=90))


class TimeSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeSlot

    session = factory.SubFactory(SessionFactory)
    starts_at = factory.LazyAttribute(lambda s: s.session.starts_at)
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(minutes=25))


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory)


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    participation = factory.SubFactory(ParticipationFactory)
    contact = factory.SubFactory(
        ContactFactory, organization=factory.SelfAttribute("..participation.organization")
    )


class TableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Table

    event = factory.SubFactory(EventFactory)
    number = factory.Sequence(lambda n: n + 1)


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    event = factory.SubFactory(EventFactory)
    requester = factory.SubFactory(ParticipationFactory, event=factory.SelfAttribute("..event"))
    recipient = factory.SubFactory(ParticipationFactory, event=factory.SelfAttribute("..event"))
    message = "We would like to discuss a co-development."


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    request = factory.SubFactory(MeetingRequestFactory, status="accepted")
    slot = factory.SubFactory(
        TimeSlotFactory, session__event=factory.SelfAttribute("...request.event")
    )
    table = factory.SubFactory(TableFactory, event=factory.SelfAttribute("..request.event"))


def delegate(organization, *, username: str, language: str = ""):
    """A login that is a delegate of `organization`."""
    user = UserFactory(username=username)
    contact = ContactFactory(
        organization=organization,
        user=user,
        name=username.capitalize(),
        email=f"{username}@example.org",
        language=language,
    )
    return user, contact
