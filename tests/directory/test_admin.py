"""Django admin as a data-entry tool: it renders in a fixed number of queries and saves inlines."""

import pytest
from django.urls import reverse

from kbio.directory.models import Asset, Contact, FocusArea, Organization
from tests.factories import (
    AssetFactory,
    ContactFactory,
    FocusAreaFactory,
    OrganizationFactory,
    PartnershipTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="organizer", is_staff=True, is_superuser=True))
    return client


def populate(rows: int):
    areas = [FocusAreaFactory(kind=kind) for kind in FocusArea.Kind.values]
    deal = PartnershipTypeFactory()
    for _ in range(rows):
        org = OrganizationFactory(focus_areas=areas, seeks=[deal], offers=[deal])
        asset = AssetFactory(organization=org, modality=areas[0])
        asset.therapeutic_areas.set([areas[1]])
        ContactFactory(organization=org)


CHANGELISTS = [
    "admin:directory_organization_changelist",
    "admin:directory_asset_changelist",
    "admin:directory_contact_changelist",
    "admin:directory_focusarea_changelist",
    "admin:directory_partnershiptype_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(
    staff_client, name, django_assert_num_queries
):
    populate(3)
    url = reverse(name)
    staff_client.get(url)  # warm the session and content-type caches
    with django_assert_num_queries(CHANGELIST_QUERIES[name]):
        assert staff_client.get(url).status_code == 200
    populate(40)
    with django_assert_num_queries(CHANGELIST_QUERIES[name]):
        response = staff_client.get(url)
    assert response.status_code == 200


# Session, user, count, page rows, plus the choices of related-field filters.
CHANGELIST_QUERIES = {
    "admin:directory_organization_changelist": 7,
    "admin:directory_asset_changelist": 7,
    "admin:directory_contact_changelist": 6,
    "admin:directory_focusarea_changelist": 5,
    "admin:directory_partnershiptype_changelist": 5,
}


def test_organization_change_form_query_count_does_not_grow_with_rows(
    staff_client, django_assert_num_queries
):
    populate(3)
    target = Organization.objects.first()
    url = reverse("admin:directory_organization_change", args=[target.pk])
    staff_client.get(url)
    with django_assert_num_queries(CHANGE_FORM_QUERIES):
        assert staff_client.get(url).status_code == 200
    populate(40)
    with django_assert_num_queries(CHANGE_FORM_QUERIES):
        assert staff_client.get(url).status_code == 200


CHANGE_FORM_QUERIES = 16


@pytest.mark.parametrize(
    "name", ["asset", "contact", "focusarea", "partnershiptype", "organization"]
)
def test_every_add_form_renders(staff_client, name):
    populate(2)
    response = staff_client.get(reverse(f"admin:directory_{name}_add"))
    assert response.status_code == 200


def test_country_filter_offers_only_countries_that_occur(staff_client):
    OrganizationFactory(country="KR")
    OrganizationFactory(country="JP")
    response = staff_client.get(reverse("admin:directory_organization_changelist"))
    content = response.content.decode()
    assert "?country=KR" in content and "?country=JP" in content
    assert "?country=FR" not in content
    response = staff_client.get(
        reverse("admin:directory_organization_changelist"), {"country": "JP"}
    )
    assert response.context["cl"].result_count == 1


def test_search_finds_organizations_by_native_name(staff_client):
    OrganizationFactory(name="YiPSCELL", native_name="입셀")
    OrganizationFactory(name="Astellas Pharma", native_name="アステラス製薬", country="JP")
    url = reverse("admin:directory_organization_changelist")
    response = staff_client.get(url, {"q": "입셀"})
    assert b"YiPSCELL" in response.content and b"Astellas" not in response.content
    response = staff_client.get(url, {"q": "アステラス"})
    assert b"Astellas" in response.content and b"YiPSCELL" not in response.content


def test_staff_adds_an_organization_with_focus_areas_an_asset_and_a_contact(staff_client):
    ipsc = FocusAreaFactory(slug="ipsc-cell-therapy", kind="modality")
    cartilage = FocusAreaFactory(slug="musculoskeletal", kind="therapeutic_area")
    licensing = PartnershipTypeFactory(slug="licensing")
    data = {
        "name": "YiPSCELL",
        "native_name": "입셀",
        "slug": "yipscell",
        "kind": "venture",
        "is_active": "on",
        "country": "KR",
        "city": "Seoul",
        "website": "",
        "founded": "",
        "languages": ["ko", "en"],
        "description": "iPSC-derived cartilage spheroids for knee osteoarthritis.",
        "focus_areas": [ipsc.pk, cartilage.pk],
        "lead_stage": "phase_1",
        "seeks": [],
        "offers": [licensing.pk],
        "preferred_stages": [],
        "assets-TOTAL_FORMS": "1",
        "assets-INITIAL_FORMS": "0",
        "assets-0-name": "MIUChon",
        "assets-0-slug": "miuchon",
        "assets-0-modality": ipsc.pk,
        "assets-0-stage": "phase_1",
        "assets-0-direction": "out_licensing",
        "assets-0-therapeutic_areas": [cartilage.pk],
        "assets-0-indications": "Knee osteoarthritis",
        "assets-0-designations": ["investigator_initiated"],
        "assets-0-teaser": "Injectable allogeneic chondrocyte spheroids.",
        "assets-0-confidential_details": "",
        "assets-0-order": "0",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "BD Lead",
        "contacts-0-native_name": "",
        "contacts-0-title": "Head of business development",
        "contacts-0-email": "bd@yipscell.example",
    }
    response = staff_client.post(reverse("admin:directory_organization_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    org = Organization.objects.get(slug="yipscell")
    assert set(org.focus_areas.values_list("slug", flat=True)) == {
        "ipsc-cell-therapy",
        "musculoskeletal",
    }
    assert org.languages == ["ko", "en"]
    asset = Asset.objects.get(organization=org)
    assert asset.designations == ["investigator_initiated"]
    assert list(asset.therapeutic_areas.all()) == [cartilage]
    assert Contact.objects.get(organization=org).email == "bd@yipscell.example"


def test_admin_form_with_a_bad_asset_rerenders_with_errors_and_saves_nothing(staff_client):
    ipsc = FocusAreaFactory(slug="ipsc-cell-therapy", kind="modality")
    data = {
        "name": "New Venture",
        "slug": "new-venture",
        "kind": "venture",
        "country": "KR",
        "lead_stage": "preclinical",
        "assets-TOTAL_FORMS": "1",
        "assets-INITIAL_FORMS": "0",
        "assets-0-name": "NV-1",
        "assets-0-slug": "nv-1",
        "assets-0-modality": ipsc.pk,
        "assets-0-stage": "",  # required
        "assets-0-direction": "out_licensing",
        "assets-0-order": "0",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
    }
    response = staff_client.post(reverse("admin:directory_organization_add"), data)
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert b"New Venture" in response.content  # what was typed is kept
    assert not Organization.objects.filter(slug="new-venture").exists()
