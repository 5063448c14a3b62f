"""Partnering criteria CSV: export, import by natural key, round trip, and files refused whole
with every bad line."""

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kbio.directory.models import (
    Exclusion,
    Interest,
    InvestorMandate,
    Relationship,
    ServiceCapability,
)
from kbio.matching.index import current_index
from kbio.organizer import exports
from kbio.organizer.csvfiles import ImportRefused
from kbio.organizer.services import criteria_import
from tests.factories import OrganizationFactory
from tests.organizer.conftest import csv_bytes

pytestmark = pytest.mark.django_db

CHECKED = date(2026, 12, 6)


@pytest.fixture
def criteria(taxonomy):
    areas, types = taxonomy["areas"], taxonomy["types"]
    takeda = OrganizationFactory(slug="takeda", name="Takeda", kind="pharma", country="JP")
    yipscell = OrganizationFactory(slug="yipscell", name="YiPSCELL", kind="venture")
    kvic = OrganizationFactory(slug="kvic", name="KVIC", kind="investor")
    cmic = OrganizationFactory(slug="cmic", name="CMIC", kind="cro_cdmo", country="JP")
    interest = Interest.objects.create(
        organization=takeda,
        slug="oncology-core",
        stage_from="preclinical",
        stage_to="phase_2",
        territories=["japan", "worldwide"],
        note='Small molecules, biologics, ADCs; "core" area, with a comma.',
        source_url="https://www.takeda.com/en/newsroom/",
        checked_on=CHECKED,
    )
    interest.modalities.set([areas["small-molecule"], areas["adc"]])
    interest.therapeutic_areas.set([areas["oncology"]])
    interest.deal_types.set([types["licensing"], types["co-development"]])
    Interest.objects.create(organization=yipscell, slug="anything", checked_on=CHECKED)
    Exclusion.objects.create(
        organization=takeda,
        slug="cell-therapy",
        focus_area=areas["immune-cell-therapy"],
        since=date(2025, 10, 1),
        note="=Ended all in-house cell therapy",
        checked_on=CHECKED,
    )
    Exclusion.objects.create(
        organization=yipscell,
        slug="no-m-and-a",
        deal_type=types["m-and-a"],
        since=date(2024, 1, 1),
        checked_on=CHECKED,
    )
    InvestorMandate.objects.create(
        organization=kvic,
        vehicle="fund_of_funds",
        sectors=["life_sciences", "generalist"],
        rounds=["series_a"],
        cheque_min_usd=1_000_000,
        cheque_max_usd=50_000_000,
        lead_role="either",
        countries=["KR", "JP"],
        geography_rule="Funds invest in Korean companies at least the commitment.",
        source_url="https://www.kvic.or.kr/",
        checked_on=CHECKED,
    )
    capability = ServiceCapability.objects.create(
        organization=cmic,
        service=areas["glp-toxicology"],
        standards=["glp"],
        regulators=["pmda", "fda"],
        checked_on=CHECKED,
    )
    capability.modalities.set([areas["small-molecule"], areas["antibody"]])
    ServiceCapability.objects.create(
        organization=cmic,
        service=areas["clinical-operations"],
        all_modalities=True,
        checked_on=CHECKED,
    )
    Relationship.objects.create(
        organization=yipscell,
        partner=takeda,
        kind="research",
        since=date(2023, 4, 1),
        until=date(2025, 3, 31),
        checked_on=CHECKED,
    )
    Relationship.objects.create(
        organization=cmic, partner=takeda, kind="client", since=date(2020, 1, 1), checked_on=CHECKED
    )


def snapshot():
    """Every criterion as a reader of the admin sees it."""

    def slugs(manager):
        return sorted(item.slug for item in manager.all())

    return {
        "interests": {
            (i.organization.slug, i.slug): (
                slugs(i.modalities),
                slugs(i.therapeutic_areas),
                i.stage_from,
                i.stage_to,
                slugs(i.deal_types),
                i.territories,
                i.note,
                i.source_url,
                i.checked_on,
            )
            for i in Interest.objects.select_related("organization")
        },
        "exclusions": {
            (x.organization.slug, x.slug): (
                x.focus_area and x.focus_area.slug,
                x.deal_type and x.deal_type.slug,
                x.since,
                x.note,
                x.source_url,
                x.checked_on,
            )
            for x in Exclusion.objects.select_related("organization", "focus_area", "deal_type")
        },
        "mandates": {
            m.organization.slug: (
                m.vehicle,
                m.sectors,
                m.rounds,
                m.cheque_min_usd,
                m.cheque_max_usd,
                m.lead_role,
                sorted(c.code for c in m.countries),
                m.geography_rule,
                m.note,
                m.source_url,
                m.checked_on,
            )
            for m in InvestorMandate.objects.select_related("organization")
        },
        "capabilities": {
            (c.organization.slug, c.service.slug): (
                slugs(c.modalities),
                c.all_modalities,
                c.standards,
                c.regulators,
                c.note,
                c.source_url,
                c.checked_on,
            )
            for c in ServiceCapability.objects.select_related("organization", "service")
        },
        "relationships": {
            (r.organization.slug, r.partner.slug, r.kind): (
                r.since,
                r.until,
                r.note,
                r.source_url,
                r.checked_on,
            )
            for r in Relationship.objects.select_related("organization", "partner")
        },
    }


def delete_every_criterion():
    for model in (Interest, Exclusion, InvestorMandate, ServiceCapability, Relationship):
        model.objects.all().delete()


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


HEADER = "type,organization,slug,service,partner,kind,since,until,note"


def test_export_has_one_row_per_criterion_with_the_columns_of_its_type(criteria):
    text = exports.criteria_csv()
    assert text.startswith("\ufeff")
    rows = rows_of(text)
    assert [(r["type"], r["organization"]) for r in rows] == [
        ("interest", "takeda"),
        ("interest", "yipscell"),
        ("exclusion", "takeda"),
        ("exclusion", "yipscell"),
        ("mandate", "kvic"),
        ("capability", "cmic"),
        ("capability", "cmic"),
        ("relationship", "cmic"),
        ("relationship", "yipscell"),
    ]
    interest = rows[0]
    assert interest["modalities"] == "adc; small-molecule"
    assert interest["deal_types"] == "licensing; co-development"
    assert (interest["stage_from"], interest["stage_to"]) == ("preclinical", "phase_2")
    assert interest["territories"] == "japan; worldwide"
    assert interest["checked_on"] == "2026-12-06"
    assert interest["since"] == interest["vehicle"] == interest["partner"] == ""
    # A spreadsheet would run this as a formula; the export keeps it text.
    assert rows[2]["note"] == "'=Ended all in-house cell therapy"
    assert rows[3]["deal_type"] == "m-and-a" and rows[3]["focus_area"] == ""
    mandate = rows[4]
    assert mandate["countries"] == "JP; KR"
    assert (mandate["cheque_min_usd"], mandate["cheque_max_usd"]) == ("1000000", "50000000")
    assert rows[5]["all_modalities"] == "true" and rows[5]["service"] == "clinical-operations"
    assert (rows[8]["partner"], rows[8]["kind"], rows[8]["until"]) == (
        "takeda",
        "research",
        "2025-03-31",
    )


def test_round_trip_gives_back_the_same_criteria(criteria):
    before = snapshot()
    exported = exports.criteria_csv()
    delete_every_criterion()
    result = criteria_import(data=exported.encode("utf-8"))
    assert (result.created, result.updated, result.unchanged) == (9, 0, 0)
    assert snapshot() == before
    assert exports.criteria_csv() == exported
    # Importing the same file again changes nothing.
    again = criteria_import(data=exported.encode("utf-8"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
    assert snapshot() == before


def test_round_trip_of_the_real_directory(db):
    call_command("loaddata", "taxonomy", "organizations", "partnering", verbosity=0)
    before = snapshot()
    exported = exports.criteria_csv()
    count = len(rows_of(exported))
    assert count == sum(len(found) for found in before.values())
    delete_every_criterion()
    assert criteria_import(data=exported.encode("utf-8")).created == count
    assert snapshot() == before
    assert criteria_import(data=exported.encode("utf-8")).unchanged == count


def test_rows_update_the_criterion_with_the_same_key(criteria):
    before = snapshot()
    data = csv_bytes(
        "type,organization,slug,service,partner,kind,stage_to,modalities,note,checked_on",
        # Same organization and slug: the interest changes; no modalities column cell clears.
        "interest,takeda,oncology-core,,,,phase_3,,Wider window,2027-01-15",
        # Written from the other side: the same relationship, not a new one.
        "relationship,takeda,,,cmic,client,,,Client since 2020,",
        # Same organization and service.
        "capability,cmic,,glp-toxicology,,,,antibody,,",
        # A new interest for an organization that has one.
        "interest,yipscell,cartilage,,,,,ipsc-cell-therapy,,",
    )
    result = criteria_import(data=data)
    assert (result.created, result.updated, result.unchanged) == (1, 3, 0)
    interest = Interest.objects.get(organization__slug="takeda", slug="oncology-core")
    assert interest.stage_to == "phase_3"
    assert interest.stage_from == "preclinical"  # not a column of the file: kept
    assert not interest.modalities.exists()  # an empty cell clears
    assert interest.note == "Wider window"
    assert interest.checked_on == date(2027, 1, 15)
    relationship = Relationship.objects.get(kind="client")
    assert (relationship.organization.slug, relationship.partner.slug) == ("cmic", "takeda")
    assert relationship.note == "Client since 2020"
    assert relationship.checked_on == CHECKED  # empty: the date stays as it was
    capability = ServiceCapability.objects.get(service__slug="glp-toxicology")
    assert [m.slug for m in capability.modalities.all()] == ["antibody"]
    assert capability.standards == ["glp"]  # not a column of the file: kept
    created = Interest.objects.get(organization__slug="yipscell", slug="cartilage")
    assert created.checked_on == date.today()  # empty on a new criterion: today
    assert Relationship.objects.count() == len(before["relationships"])


def test_a_mandate_is_found_by_its_organization(criteria):
    data = csv_bytes(
        "type,organization,vehicle,cheque_max_usd,countries",
        "mandate,kvic,direct,,kr",
        "mandate,yipscell,both,2000000,",
    )
    result = criteria_import(data=data)
    assert (result.created, result.updated) == (1, 1)
    kvic = InvestorMandate.objects.get(organization__slug="kvic")
    assert (kvic.vehicle, kvic.cheque_min_usd, kvic.cheque_max_usd) == ("direct", 1_000_000, None)
    assert [c.code for c in kvic.countries] == ["KR"]
    assert InvestorMandate.objects.get(organization__slug="yipscell").cheque_max_usd == 2_000_000


ROW_CASES = [
    pytest.param(
        "type,organization,slug,focus_area,since",
        "exclusion,no-such-org,x,oncology,2025-01-01",
        "Line 2, column organization: Unknown organization “no-such-org”; import it with the "
        "organizations first.",
        id="unknown organization",
    ),
    pytest.param(
        "type,organization,slug,modalities",
        "interest,takeda,new,antibody; cartilage",
        "Line 2, column modalities: Unknown focus-area slug “cartilage”.",
        id="unknown focus area",
    ),
    pytest.param(
        "type,organization,slug,modalities",
        "interest,takeda,new,oncology",
        "Line 2, column modalities: “oncology” is a focus area of kind therapeutic_area; this "
        "column takes: modality.",
        id="focus area of the wrong kind",
    ),
    pytest.param(
        "type,organization,service",
        "capability,cmic,oncology",
        "Line 2, column service: “oncology” is a focus area of kind therapeutic_area; this "
        "column takes: service.",
        id="service of the wrong kind",
    ),
    pytest.param(
        "type,organization,slug,focus_area,since",
        "exclusion,takeda,new,glp-toxicology,2025-01-01",
        "Line 2, column focus_area: “glp-toxicology” is a focus area of kind service; this "
        "column takes: modality, therapeutic_area.",
        id="exclusion of a service",
    ),
    pytest.param(
        "type,organization,slug,deal_types",
        "interest,takeda,new,licensing; merger",
        "Line 2, column deal_types: Unknown partnership-type slug “merger”.",
        id="unknown deal type",
    ),
    pytest.param(
        "type,organization,slug,focus_area,since",
        "exclusion,takeda,new,oncology,01/10/2025",
        "Line 2, column since: Write a date as YYYY-MM-DD, e.g. 2025-10-01.",
        id="date in another format",
    ),
    pytest.param(
        "type,organization,partner,kind,since",
        "relationship,takeda,kvic,mou,2025-02-30",
        "Line 2, column since: Write a date as YYYY-MM-DD, e.g. 2025-10-01.",
        id="no such day",
    ),
    pytest.param(
        "type,organization,slug,focus_area,since",
        "exclusion,takeda,new,oncology,",
        "Line 2, column since: Write a date as YYYY-MM-DD, e.g. 2025-10-01.",
        id="missing date",
    ),
    pytest.param(
        "type,organization,slug,territories",
        "interest,takeda,new,japan; mars",
        "Line 2, column territories: Unknown value(s): mars.",
        id="unknown territory",
    ),
    pytest.param(
        "type,organization,slug,stage_from",
        "interest,takeda,new,not_applicable",
        "Line 2, column stage_from: Value 'not_applicable' is not a valid choice.",
        id="unknown stage",
    ),
    pytest.param(
        "type,organization,partner,kind,since",
        "relationship,takeda,kvic,friends,2025-01-01",
        "Line 2, column kind: Write one of: tenancy, mou, joint_venture, client, licence, "
        "investment, affiliate, research, past_meeting.",
        id="unknown relationship kind",
    ),
    pytest.param(
        "type,organization,vehicle",
        "mandate,kvic,angel",
        "Line 2, column vehicle: Value 'angel' is not a valid choice.",
        id="unknown vehicle",
    ),
    pytest.param(
        "type,organization,vehicle,countries",
        "mandate,kvic,direct,KR; XX",
        "Line 2, column countries: Value 'XX' is not a valid choice.",
        id="unknown country",
    ),
    pytest.param(
        "type,organization",
        "wish,takeda",
        "Line 2, column type: Write one of: interest, exclusion, mandate, capability, "
        "relationship.",
        id="unknown type",
    ),
    pytest.param(
        "type,organization,slug,stage_from,stage_to",
        "interest,takeda,oncology-core,phase_2,preclinical",
        "Line 2, column stage_to: The latest stage comes before the earliest one.",
        id="stage window reversed",
    ),
    pytest.param(
        "type,organization,slug,focus_area,deal_type,since",
        "exclusion,takeda,new,oncology,licensing,2025-01-01",
        "Line 2, column focus_area: Name either a focus area or a deal type, not both.",
        id="exclusion naming both",
    ),
    pytest.param(
        "type,organization,slug,focus_area,deal_type,since",
        "exclusion,takeda,new,,,2025-01-01",
        "Line 2, column focus_area: Name a focus area or a deal type that it rules out.",
        id="exclusion naming neither",
    ),
    pytest.param(
        "type,organization,partner,kind,since",
        "relationship,takeda,takeda,mou,2025-01-01",
        "Line 2, column partner: An organization has no relationship with itself.",
        id="relationship with itself",
    ),
    pytest.param(
        "type,organization,partner,kind,since,until",
        "relationship,takeda,kvic,mou,2025-01-01,2024-12-31",
        "Line 2, column until: A relationship cannot end before it starts.",
        id="relationship ending before it starts",
    ),
    pytest.param(
        "type,organization,vehicle,cheque_min_usd,cheque_max_usd",
        "mandate,kvic,direct,5000000,1000000",
        "Line 2, column cheque_max_usd: The smallest cheque is larger than the largest.",
        id="cheques reversed",
    ),
    pytest.param(
        "type,organization,vehicle,cheque_min_usd",
        'mandate,kvic,direct,"1,000,000"',
        "Line 2, column cheque_min_usd: Write a whole number of US dollars without separators, "
        "e.g. 5000000.",
        id="amount with separators",
    ),
    pytest.param(
        "type,organization,slug,since",
        "interest,takeda,new,2025-01-01",
        "Line 2, column since: A row of type interest does not use this column; leave it empty.",
        id="column of another type",
    ),
    pytest.param(
        "type,organization,slug,modalities",
        "interest,takeda,,antibody",
        "Line 2, column slug: Write a slug that names this criterion, e.g. oncology.",
        id="no slug",
    ),
    pytest.param(
        "type,organization,slug,source_url",
        "interest,takeda,new,takeda.com/news",
        "Line 2, column source_url: Enter a valid URL.",
        id="source that is not an address",
    ),
    pytest.param(
        "type,organization,service,all_modalities",
        "capability,cmic,glp-toxicology,maybe",
        "Line 2, column all_modalities: Write true or false.",
        id="neither true nor false",
    ),
    pytest.param(
        "type,organization,slug,modalities,note",
        "interest,takeda,new,adc,n\x00ote",
        "Line 2, column note: The cell holds a NUL character.",
        id="NUL character (PostgreSQL cannot store it)",
    ),
]


@pytest.mark.parametrize(("header", "line", "message"), ROW_CASES)
def test_a_bad_row_is_refused_with_its_line_column_and_reason(criteria, header, line, message):
    before = snapshot()
    data = csv_bytes(header, line)
    with pytest.raises(ImportRefused) as refused:
        criteria_import(data=data)
    assert [str(error) for error in refused.value.errors] == [message]
    assert snapshot() == before


def test_every_bad_line_is_listed_and_the_good_rows_roll_back(criteria):
    before = snapshot()
    data = csv_bytes(
        HEADER,
        "interest,takeda,fresh,,,,,,good",  # line 2: good
        "exclusion,yipscell,no-m-and-a,,,,2024-01-01,,good update",  # line 3: good
        "interest,takeda,fresh,,,,,,again",  # line 4: same key as line 2
        "relationship,cmic,,,takeda,client,2020-01-01,,",  # line 5: good (unchanged)
        "relationship,takeda,,,cmic,client,2020-01-01,,",  # line 6: line 5 the other way
        'relationship,kvic,,,nobody,mou,2025-01-01,,"spans',  # line 7 starts a two-line cell
        'two lines"',
        "capability,cmic,,glp-toxicology,,,,,",  # line 9: good (unchanged)
        "capability,cmic,,glp-toxicology,,,,,",  # line 10: same key as line 9
    )
    with pytest.raises(ImportRefused) as refused:
        criteria_import(data=data)
    assert [str(e) for e in refused.value.errors] == [
        "Line 4, column slug: The same interest is already on line 2.",
        "Line 6, column partner: The same relationship is already on line 5.",
        "Line 7, column partner: Unknown organization “nobody”; import it with the "
        "organizations first.",
        "Line 10, column service: The same capability is already on line 9.",
    ]
    assert snapshot() == before


def test_file_level_problems_are_named(criteria):
    with pytest.raises(ImportRefused, match="Missing columns: organization."):
        criteria_import(data=csv_bytes("type,slug", "interest,x"))
    with pytest.raises(ImportRefused, match="Unknown column “wish”"):
        criteria_import(data=csv_bytes("type,organization,wish", "interest,takeda,x"))


def test_an_import_refreshes_the_matching_index(criteria):
    def exclusions():
        return {x.subject for x in current_index().by_slug["kvic"].exclusions}

    assert exclusions() == set()
    data = csv_bytes(
        "type,organization,slug,deal_type,since", "exclusion,kvic,no-m-and-a,m-and-a,2025-06-01"
    )
    criteria_import(data=data)
    assert exclusions() == {"m-and-a"}
    index = current_index()
    criteria_import(data=data)  # nothing changes: the index is not rebuilt
    assert current_index() is index


def test_upload_page_imports_and_reports(staff, criteria):
    url = reverse("organizer:criteria_import")
    upload = io.BytesIO(
        csv_bytes(
            "type,organization,partner,kind,since",
            "relationship,kvic,takeda,investment,2024-05-01",
            "relationship,cmic,takeda,client,2020-01-01",
        )
    )
    upload.name = "criteria.csv"
    response = staff.post(url, {"file": upload}, follow=True)
    assert "Imported: 1 new, 0 updated, 1 unchanged." in response.content.decode()
    assert Relationship.objects.filter(organization__slug="kvic", kind="investment").exists()


def test_upload_page_lists_the_errors_and_saves_nothing(staff, criteria):
    before = snapshot()
    upload = io.BytesIO(
        csv_bytes(
            "type,organization,slug,stage_from,stage_to",
            "interest,kvic,seed-bio,discovery,preclinical",
            "interest,takeda,oncology-core,phase_3,phase_1",
        )
    )
    upload.name = "criteria.csv"
    response = staff.post(reverse("organizer:criteria_import"), {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The file was refused: 1 problem. Nothing was imported." in body
    assert "Line 3, column stage_to: The latest stage comes before the earliest one." in body
    assert snapshot() == before


def test_export_download(staff, criteria):
    response = staff.get(reverse("organizer:criteria_export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="partnering-criteria-' in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig") == exports.criteria_csv().removeprefix("\ufeff")


def test_data_page_links_to_the_criteria_files(staff, criteria):
    body = staff.get(reverse("organizer:data")).content.decode()
    assert reverse("organizer:criteria_export") in body
    assert reverse("organizer:criteria_import") in body
    assert "9 criteria" in body


def test_command_imports(upload, criteria, capsys):
    path = upload("criteria.csv", csv_bytes("type,organization,vehicle", "mandate,takeda,direct"))
    call_command("import_criteria", str(path))
    assert "1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert InvestorMandate.objects.get(organization__slug="takeda").vehicle == "direct"


def test_command_refuses_a_bad_file_and_lists_lines(upload, criteria):
    before = snapshot()
    path = upload(
        "criteria.csv",
        csv_bytes("type,organization,vehicle", "mandate,takeda,direct", "mandate,kvic,"),
    )
    with pytest.raises(CommandError) as error:
        call_command("import_criteria", str(path))
    assert "nothing was imported" in str(error.value)
    assert "Line 3, column vehicle: This field cannot be blank." in str(error.value)
    assert snapshot() == before


def test_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_criteria", str(tmp_path / "nope.csv"))
