"""factory-boy factories for every model, shared by the whole suite."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from kbio.directory.models import Asset, Contact, FocusArea, Organization, PartnershipType, Stage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("partnering-pass-1")


def organizers_group() -> Group:
    """The "Organizers" group of migration events/0006 (made again after a test that flushed the
    database): it holds the run-events permission."""
    group, _created = Group.objects.get_or_create(name="Organizers")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="events", codename="run_events")
    )
    return group


class OrganizerFactory(UserFactory):
    """A staff login in the "Organizers" group: it runs events."""

    class Meta:
        skip_postgeneration_save = True

    username = "organizer"
    is_staff = True

    @factory.post_generation
    def organizer(self, create, extracted, **kwargs):
        if create:
            self.groups.add(organizers_group())


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea
        django_get_or_create = ["slug"]

    kind = FocusArea.Kind.MODALITY
    slug = factory.Sequence(lambda n: f"area-{n}")
    name_en = factory.LazyAttribute(lambda a: a.slug.replace("-", " ").capitalize())
    name_ko = factory.LazyAttribute(lambda a: f"{a.name_en} (ko)")
    name_ja = factory.LazyAttribute(lambda a: f"{a.name_en} (ja)")


class PartnershipTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipType
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"deal-{n}")
    name_en = factory.LazyAttribute(lambda a: a.slug.replace("-", " ").capitalize())
    name_ko = factory.LazyAttribute(lambda a: f"{a.name_en} (ko)")
    name_ja = factory.LazyAttribute(lambda a: f"{a.name_en} (ja)")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.VENTURE
    country = "KR"
    city = "Seoul"
    description = "A test organization."
    lead_stage = Stage.PRECLINICAL

    @factory.post_generation
    def focus_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.focus_areas.set(extracted)

    @factory.post_generation
    def seeks(self, create, extracted, **kwargs):
        if create and extracted:
            self.seeks.set(extracted)

    @factory.post_generation
    def offers(self, create, extracted, **kwargs):
        if create and extracted:
            self.offers.set(extracted)


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    slug = factory.Sequence(lambda n: f"asset-{n}")
    name = factory.Sequence(lambda n: f"KB-{n:03d}")
    modality = factory.SubFactory(FocusAreaFactory, kind=FocusArea.Kind.MODALITY)
    stage = Stage.PRECLINICAL
    indications = "Knee osteoarthritis"
    teaser = "A public teaser."
    confidential_details = "Confidential: dose-response data."

    @factory.post_generation
    def therapeutic_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.therapeutic_areas.set(extracted)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Delegate {n}")
    title = "Business development lead"
    email = factory.Sequence(lambda n: f"delegate{n}@example.org")
