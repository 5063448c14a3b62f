"""Django admin as a data-entry tool: it renders in a fixed number of queries, saves inlines,
shows a bad row as a form error, keeps the history of edits and refreshes the suggestions."""

from datetime import date

import pytest
from django.urls import reverse

from kbio.directory.models import (
    Asset,
    Contact,
    Exclusion,
    FocusArea,
    Interest,
    InvestorMandate,
    Organization,
    Relationship,
    ServiceCapability,
)
from kbio.matching.index import current_index
from kbio.matching.services import match_index_invalidate
from tests.factories import (
    AssetFactory,
    ContactFactory,
    FocusAreaFactory,
    OrganizationFactory,
    PartnershipTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


INLINES = [
    "assets",
    "contacts",
    "interests",
    "exclusions",
    "mandate",
    "capabilities",
    "relationships",
    "relationships_as_partner",
]


def no_rows(*prefixes: str) -> dict[str, str]:
    """The management forms of inlines posted without rows."""
    data = {}
    for prefix in prefixes:
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="organizer", is_staff=True, is_superuser=True))
    return client


def populate(rows: int):
    """`rows` organizations, each with an asset, a contact and one criterion of each kind; each
    one after the first has a relationship with the one before."""
    modality, area, service = [FocusAreaFactory(kind=kind) for kind in FocusArea.Kind.values]
    deal = PartnershipTypeFactory()
    previous = None
    for _ in range(rows):
        org = OrganizationFactory(
            focus_areas=[modality, area, service], seeks=[deal], offers=[deal]
        )
        asset = AssetFactory(organization=org, modality=modality)
        asset.therapeutic_areas.set([area])
        ContactFactory(organization=org)
        interest = Interest.objects.create(organization=org, slug="main", stage_from="discovery")
        interest.modalities.set([modality])
        interest.therapeutic_areas.set([area])
        interest.deal_types.set([deal])
        Exclusion.objects.create(
            organization=org, slug="no", deal_type=deal, since=date(2025, 1, 1)
        )
        InvestorMandate.objects.create(organization=org, vehicle="direct", countries=["KR"])
        capability = ServiceCapability.objects.create(organization=org, service=service)
        capability.modalities.set([modality])
        if previous is not None:
            Relationship.objects.create(
                organization=org, partner=previous, kind="mou", since=date(2024, 1, 1)
            )
        previous = org


CRITERIA = ["interest", "exclusion", "investormandate", "servicecapability", "relationship"]
CHANGELISTS = [
    "admin:directory_organization_changelist",
    "admin:directory_asset_changelist",
    "admin:directory_contact_changelist",
    "admin:directory_focusarea_changelist",
    "admin:directory_partnershiptype_changelist",
    *(f"admin:directory_{name}_changelist" for name in CRITERIA),
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
    "admin:directory_interest_changelist": 6,
    "admin:directory_exclusion_changelist": 5,
    "admin:directory_investormandate_changelist": 6,
    "admin:directory_servicecapability_changelist": 7,
    "admin:directory_relationship_changelist": 5,
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


# Asset, contact and criterion rows of the one organization; autocomplete widgets look up
# their selected values one query each.
CHANGE_FORM_QUERIES = 31


@pytest.mark.parametrize(
    "name", ["asset", "contact", "focusarea", "partnershiptype", "organization", *CRITERIA]
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


def test_other_names_are_edited_in_the_form_and_found_by_the_search(staff_client):
    OrganizationFactory(name="Astellas Pharma", native_name="アステラス製薬", country="JP")
    form = staff_client.get(reverse("admin:directory_organization_add"))
    assert b'name="aliases"' in form.content
    data = {
        **organization_form(name="Takeda", slug="takeda", country="JP", aliases="タケダ\n다케다"),
        **no_rows(*INLINES),
    }
    response = staff_client.post(reverse("admin:directory_organization_add"), data)
    assert response.status_code == 302, response.context["errors"]
    assert Organization.objects.get(slug="takeda").aliases == "タケダ\n다케다"
    url = reverse("admin:directory_organization_changelist")
    response = staff_client.get(url, {"q": "다케다"})
    assert response.context["cl"].result_count == 1
    assert b"Takeda" in response.content and b"Astellas" not in response.content


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
        **no_rows("interests", "exclusions", "mandate", "capabilities", "relationships"),
        **no_rows("relationships_as_partner"),
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
        **no_rows("contacts", "interests", "exclusions", "mandate", "capabilities"),
        **no_rows("relationships", "relationships_as_partner"),
    }
    response = staff_client.post(reverse("admin:directory_organization_add"), data)
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert b"New Venture" in response.content  # what was typed is kept
    assert not Organization.objects.filter(slug="new-venture").exists()


# --- partnering criteria ----------------------------------------------------------------------


def organization_form(org: Organization | None = None, **fields) -> dict:
    """The organization fields of the change form, as a browser posts them."""
    data = {
        "name": org.name if org else "New Venture",
        "slug": org.slug if org else "new-venture",
        "kind": org.kind if org else "venture",
        "country": org.country.code if org else "KR",
        "lead_stage": org.lead_stage if org else "preclinical",
        "is_active": "on",
    }
    data.update(fields)
    return data


def criteria_rows(prefix: str, *rows: dict) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        row = {"checked_on": "2026-12-06", **row}
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    return data


@pytest.fixture
def vocabulary(db):
    return {
        "antibody": FocusAreaFactory(slug="antibody", kind="modality"),
        "oncology": FocusAreaFactory(slug="oncology", kind="therapeutic_area"),
        "glp": FocusAreaFactory(slug="glp-toxicology", kind="service"),
        "licensing": PartnershipTypeFactory(slug="licensing"),
    }


def test_staff_adds_an_organization_with_its_partnering_criteria(staff_client, vocabulary):
    takeda = OrganizationFactory(slug="takeda", name="Takeda", kind="pharma", country="JP")
    v = vocabulary
    data = {
        **organization_form(
            former_name="Old Venture (until 2023)",
            description_ko="한국어 설명",
            description_ja="日本語の説明",
            intents=["licensees", "investors"],
            sources="https://new-venture.example.org/\nhttps://news.example.org/new-venture",
            checked_on="2026-12-06",
        ),
        **no_rows("assets", "contacts", "relationships_as_partner"),
        **criteria_rows(
            "interests",
            {
                "slug": "oncology-antibodies",
                "modalities": [v["antibody"].pk],
                "therapeutic_areas": [v["oncology"].pk],
                "stage_from": "preclinical",
                "stage_to": "phase_2",
                "deal_types": [v["licensing"].pk],
                "territories": ["japan"],
                "source_url": "https://new-venture.example.org/bd",
                "checked_on": "2026-12-06",
            },
        ),
        **criteria_rows(
            "exclusions",
            {
                "slug": "no-licensing",
                "deal_type": v["licensing"].pk,
                "since": "2025-01-01",
                "checked_on": "2026-12-06",
            },
        ),
        **criteria_rows(
            "mandate",
            {
                "vehicle": "direct",
                "cheque_min_usd": "1000000",
                "cheque_max_usd": "5000000",
                "countries": ["KR"],
                "checked_on": "2026-12-06",
            },
        ),
        **criteria_rows(
            "capabilities",
            {
                "service": v["glp"].pk,
                "modalities": [v["antibody"].pk],
                "standards": ["glp"],
                "checked_on": "2026-12-06",
            },
        ),
        **criteria_rows(
            "relationships",
            {
                "partner": takeda.pk,
                "kind": "research",
                "since": "2024-04-01",
                "checked_on": "2026-12-06",
            },
        ),
    }
    response = staff_client.post(reverse("admin:directory_organization_add"), data)
    assert response.status_code == 302, response.context["errors"]
    org = Organization.objects.get(slug="new-venture")
    assert org.former_name == "Old Venture (until 2023)"
    assert (org.description_ko, org.description_ja) == ("한국어 설명", "日本語の説明")
    assert org.intents == ["licensees", "investors"]
    assert org.source_list == [
        "https://new-venture.example.org/",
        "https://news.example.org/new-venture",
    ]
    assert org.checked_on == date(2026, 12, 6)
    interest = org.interests.get()
    assert [a.slug for a in interest.modalities.all()] == ["antibody"]
    assert (interest.stage_from, interest.stage_to) == ("preclinical", "phase_2")
    assert org.exclusions.get().deal_type == v["licensing"]
    assert org.mandate.cheque_max_usd == 5_000_000
    assert [m.slug for m in org.capabilities.get().modalities.all()] == ["antibody"]
    assert org.relationships.get().partner == takeda
    # The suggestions see the new organization's criteria at once.
    assert [x.subject for x in current_index().by_slug["new-venture"].exclusions] == ["licensing"]


def test_the_partner_sees_the_relationship_read_only(staff_client):
    cefobio = OrganizationFactory(slug="cefobio", name="CEFObio")
    ipark = OrganizationFactory(slug="shonan-ipark", name="Shonan iPark", country="JP")
    Relationship.objects.create(
        organization=cefobio, partner=ipark, kind="tenancy", since=date(2024, 9, 26)
    )
    response = staff_client.get(reverse("admin:directory_organization_change", args=[ipark.pk]))
    body = response.content.decode()
    assert "Relationships recorded by the other organization" in body
    assert "CEFObio" in body and "Tenancy" in body
    assert 'name="relationships_as_partner-0-kind"' not in body  # shown, not editable
    # On the organization that records it, it is an editable row.
    response = staff_client.get(reverse("admin:directory_organization_change", args=[cefobio.pk]))
    assert 'name="relationships-0-kind"' in response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "row", "message"),
    [
        (
            "interests",
            {"slug": "window", "stage_from": "phase_2", "stage_to": "preclinical"},
            "The latest stage comes before the earliest one.",
        ),
        (
            "exclusions",
            {
                "slug": "both",
                "focus_area": "ONCOLOGY",
                "deal_type": "LICENSING",
                "since": "2025-01-01",
            },
            "Name either a focus area or a deal type, not both.",
        ),
        (
            "exclusions",
            {"slug": "neither", "since": "2025-01-01"},
            "Name a focus area or a deal type that it rules out.",
        ),
        (
            "mandate",
            {"vehicle": "direct", "cheque_min_usd": "5000000", "cheque_max_usd": "1000000"},
            "The smallest cheque is larger than the largest.",
        ),
        (
            "relationships",
            {"partner": "SELF", "kind": "mou", "since": "2025-01-01"},
            "An organization has no relationship with itself.",
        ),
        (
            "relationships",
            {"partner": "OTHER", "kind": "mou", "since": "2025-01-01", "until": "2024-01-01"},
            "A relationship cannot end before it starts.",
        ),
    ],
)
def test_a_broken_criterion_row_shows_its_error_and_nothing_is_saved(
    staff_client, vocabulary, prefix, row, message
):
    org = OrganizationFactory(slug="yipscell", name="YiPSCELL")
    other = OrganizationFactory(slug="other")
    stand_ins = {
        "ONCOLOGY": vocabulary["oncology"].pk,
        "LICENSING": vocabulary["licensing"].pk,
        "SELF": org.pk,
        "OTHER": other.pk,
    }
    row = {name: stand_ins.get(value, value) for name, value in row.items()}
    data = {
        **organization_form(org, name="YiPSCELL renamed"),
        **no_rows(*(p for p in INLINES if p != prefix)),
        **criteria_rows(prefix, row),
    }
    response = staff_client.post(
        reverse("admin:directory_organization_change", args=[org.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    org.refresh_from_db()
    assert org.name == "YiPSCELL"
    for model in (Interest, Exclusion, InvestorMandate, ServiceCapability, Relationship):
        assert not model.objects.exists()


@pytest.mark.parametrize(
    ("name", "fields", "message"),
    [
        (
            "interest",
            {"slug": "window", "stage_from": "phase_3", "stage_to": "phase_1"},
            "The latest stage comes before the earliest one.",
        ),
        (
            "exclusion",
            {
                "slug": "both",
                "focus_area": "ONCOLOGY",
                "deal_type": "LICENSING",
                "since": "2025-01-01",
            },
            "Name either a focus area or a deal type, not both.",
        ),
        (
            "investormandate",
            {"vehicle": "both", "cheque_min_usd": "2", "cheque_max_usd": "1"},
            "The smallest cheque is larger than the largest.",
        ),
        (
            "relationship",
            {"partner": "SELF", "kind": "client", "since": "2025-01-01"},
            "An organization has no relationship with itself.",
        ),
        (
            "servicecapability",
            {"service": "ONCOLOGY"},
            "Select a valid choice.",
        ),
    ],
)
def test_the_criterion_forms_refuse_bad_rows_as_form_errors(
    staff_client, vocabulary, name, fields, message
):
    org = OrganizationFactory(slug="takeda")
    stand_ins = {
        "ONCOLOGY": vocabulary["oncology"].pk,
        "LICENSING": vocabulary["licensing"].pk,
        "SELF": org.pk,
    }
    data = {"organization": org.pk, "checked_on": "2026-12-06"}
    data.update({field: stand_ins.get(value, value) for field, value in fields.items()})
    response = staff_client.post(reverse(f"admin:directory_{name}_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not response.context["adminform"].form.is_valid()
    for model in (Interest, Exclusion, InvestorMandate, ServiceCapability, Relationship):
        assert not model.objects.exists()


def test_a_relationship_is_recorded_on_one_side_only(staff_client):
    cmic = OrganizationFactory(slug="cmic")
    takeda = OrganizationFactory(slug="takeda")
    Relationship.objects.create(
        organization=cmic, partner=takeda, kind="client", since=date(2020, 1, 1)
    )
    data = {
        "organization": takeda.pk,
        "partner": cmic.pk,
        "kind": "client",
        "since": "2021-01-01",
        "checked_on": "2026-12-06",
    }
    response = staff_client.post(reverse("admin:directory_relationship_add"), data)
    assert response.status_code == 200
    assert (
        "The partner already records a relationship of this kind with this organization."
        in response.content.decode()
    )
    data["kind"] = "mou"  # another kind is another fact
    assert staff_client.post(reverse("admin:directory_relationship_add"), data).status_code == 302
    assert Relationship.objects.count() == 2


def test_an_edit_is_in_the_history_with_who_made_it(staff_client, vocabulary):
    exclusion = Exclusion.objects.create(
        organization=OrganizationFactory(slug="takeda", name="Takeda"),
        slug="cell-therapy",
        focus_area=vocabulary["antibody"],
        since=date(2025, 10, 1),
        note="Stopped in October",
    )
    url = reverse("admin:directory_exclusion_change", args=[exclusion.pk])
    data = {
        "organization": exclusion.organization_id,
        "slug": "cell-therapy",
        "focus_area": vocabulary["antibody"].pk,
        "since": "2025-10-01",
        "note": "Stopped on 1 October 2025",
        "source_url": "",
        "checked_on": "2026-12-06",
    }
    assert staff_client.post(url, data).status_code == 302
    history = staff_client.get(reverse("admin:directory_exclusion_history", args=[exclusion.pk]))
    body = history.content.decode()
    assert "organizer" in body  # who
    assert "Stopped in October" in body and "Stopped on 1 October 2025" in body  # what it said


@pytest.mark.parametrize("name", ["organization", "asset", *CRITERIA])
def test_every_history_page_renders(staff_client, name):
    populate(2)
    model = {"organization": Organization, "asset": Asset}.get(name)
    if model is None:
        model = {
            "interest": Interest,
            "exclusion": Exclusion,
            "investormandate": InvestorMandate,
            "servicecapability": ServiceCapability,
            "relationship": Relationship,
        }[name]
    target = model.objects.first()
    response = staff_client.get(reverse(f"admin:directory_{name}_history", args=[target.pk]))
    assert response.status_code == 200


def test_saving_and_deleting_a_criterion_refreshes_the_suggestions(staff_client, vocabulary):
    org = OrganizationFactory(slug="takeda")

    def excluded():
        return [x.subject for x in current_index().by_slug["takeda"].exclusions]

    assert excluded() == []
    data = {
        "organization": org.pk,
        "slug": "no-licensing",
        "deal_type": vocabulary["licensing"].pk,
        "since": "2025-01-01",
        "checked_on": "2026-12-06",
    }
    assert staff_client.post(reverse("admin:directory_exclusion_add"), data).status_code == 302
    assert excluded() == ["licensing"]
    exclusion = Exclusion.objects.get()
    delete = reverse("admin:directory_exclusion_delete", args=[exclusion.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 302
    assert excluded() == []


def test_reverting_to_an_earlier_version_refreshes_the_suggestions(staff_client, vocabulary):
    org = OrganizationFactory(slug="takeda")
    exclusion = Exclusion.objects.create(
        organization=org, slug="mabs", focus_area=vocabulary["antibody"], since=date(2025, 1, 1)
    )
    exclusion.since = date(2025, 6, 1)
    exclusion.save()
    match_index_invalidate()

    def since():
        return [x.since for x in current_index().by_slug["takeda"].exclusions]

    assert since() == ["2025-06-01"]
    first = exclusion.history.earliest()
    url = reverse("admin:directory_exclusion_simple_history", args=[exclusion.pk, first.history_id])
    form = staff_client.get(url).context["adminform"].form
    data = {name: "" if value is None else str(value) for name, value in form.initial.items()}
    assert staff_client.post(url, data).status_code == 302
    assert since() == ["2025-01-01"]


@pytest.mark.parametrize(
    "address", ["abc/history/", "²/history/", "1/history/abc/", "1/history/²/"]
)
def test_a_history_page_of_no_id_is_not_found(staff_client, address):
    """simple-history looked the object and the record up by the address's text (a 500)."""
    organization = OrganizationFactory()
    url = reverse("admin:directory_organization_changelist") + address.replace(
        "1/", f"{organization.pk}/"
    )
    assert staff_client.get(url).status_code == 404


def test_the_organization_autocomplete_pages_through_organizations_by_name(staff_client):
    """The asset count's GROUP BY dropped the ordering: pages of the autocomplete could repeat
    or skip organizations (Django warns of an unordered list)."""
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    for name in ["Charlie Bio", "Alpha Bio", "Bravo Bio"]:
        OrganizationFactory(name=name)
    url = reverse("admin:autocomplete")
    query = {"term": "Bio", "app_label": "directory", "model_name": "contact"}
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        response = staff_client.get(url, {**query, "field_name": "organization"})
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "Alpha Bio",
        "Bravo Bio",
        "Charlie Bio",
    ]
