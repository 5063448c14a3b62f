"""Organizations CSV: export, import by slug, round trip, and files refused whole."""

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse

from kbio.directory.models import Organization, Stage
from kbio.matching.index import current_index
from kbio.organizer import exports
from kbio.organizer.csvfiles import ImportRefused
from kbio.organizer.services import organizations_import
from tests.factories import OrganizationFactory
from tests.organizer.conftest import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = "slug,name,kind,country"


@pytest.fixture
def directory(taxonomy):
    areas, types = taxonomy["areas"], taxonomy["types"]
    return [
        OrganizationFactory(
            slug="yipscell",
            name="YiPSCELL",
            native_name="입셀",
            kind="venture",
            country="KR",
            city="Seoul",
            website="https://yipscell.example.org/",
            founded=2019,
            lead_stage=Stage.PRECLINICAL,
            languages=["ko", "en"],
            focus_areas=[areas["ipsc-cell-therapy"], areas["musculoskeletal"]],
            seeks=[types["licensing"], types["co-development"]],
            offers=[types["licensing"]],
            description='Cartilage from iPSCs, "off the shelf".\nSecond line, with a comma.',
            description_ko="iPSC 유래 연골 스페로이드.",
            description_ja="iPS細胞由来の軟骨スフェロイド。",
            former_name="YiPS Cell Co. (until 2021)",
            intents=["licensees", "investors"],
            sources="https://yipscell.example.org/about\nhttps://news.example.kr/yipscell?id=1&p=2",
            checked_on=date(2026, 12, 6),
        ),
        OrganizationFactory(
            slug="astellas",
            name="Astellas Pharma",
            native_name="アステラス製薬",
            kind="pharma",
            country="JP",
            city="",
            founded=None,
            lead_stage=Stage.APPROVED,
            preferred_stages=["preclinical", "phase_1"],
            languages=["ja"],
            focus_areas=[areas["oncology"]],
            seeks=[types["licensing"]],
            description="=SUM(A1:A3) is text here, not a formula",
        ),
        OrganizationFactory(
            slug="quiet-co",
            name="Quiet Co",
            native_name="",
            kind="agency",
            country="JP",
            city="",
            website="",
            lead_stage=Stage.NOT_APPLICABLE,
            is_active=False,
            description="'=starts with an apostrophe",
        ),
    ]


def snapshot():
    return {
        org.slug: (
            org.name,
            org.native_name,
            org.kind,
            org.country.code,
            org.city,
            org.website,
            org.founded,
            org.lead_stage,
            sorted(org.preferred_stages),
            org.languages,
            sorted(a.slug for a in org.focus_areas.all()),
            sorted(t.slug for t in org.seeks.all()),
            sorted(t.slug for t in org.offers.all()),
            org.is_active,
            org.description,
            org.description_ko,
            org.description_ja,
            org.former_name,
            org.intents,
            org.source_list,
            org.checked_on,
        )
        for org in Organization.objects.prefetch_related("focus_areas", "seeks", "offers")
    }


def test_export_is_utf8_with_bom_and_readable_columns(directory):
    text = exports.organizations_csv()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [row["slug"] for row in rows] == ["astellas", "quiet-co", "yipscell"]
    yipscell = rows[2]
    assert yipscell["native_name"] == "입셀"
    assert yipscell["focus_areas"] == "ipsc-cell-therapy; musculoskeletal"
    assert yipscell["seeks"] == "licensing; co-development"
    assert yipscell["founded"] == "2019"
    assert rows[0]["native_name"] == "アステラス製薬"
    assert rows[0]["founded"] == ""
    # A spreadsheet would run this as a formula; the export keeps it text.
    assert rows[0]["description"] == "'=SUM(A1:A3) is text here, not a formula"
    assert rows[1]["is_active"] == "false"
    assert yipscell["description_ja"] == "iPS細胞由来の軟骨スフェロイド。"
    assert yipscell["former_name"] == "YiPS Cell Co. (until 2021)"
    assert yipscell["intents"] == "licensees; investors"
    assert yipscell["sources"] == (
        "https://yipscell.example.org/about; https://news.example.kr/yipscell?id=1&p=2"
    )
    assert yipscell["checked_on"] == "2026-12-06"
    assert rows[0]["checked_on"] == rows[0]["sources"] == ""


def test_round_trip_gives_back_the_same_data(directory):
    before = snapshot()
    exported = exports.organizations_csv()
    Organization.objects.all().delete()
    result = organizations_import(data=exported.encode("utf-8"))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert snapshot() == before
    assert exports.organizations_csv() == exported
    # Importing the same file again changes nothing.
    again = organizations_import(data=exported.encode("utf-8"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_existing_slug_is_updated_and_missing_columns_are_kept(directory):
    data = csv_bytes(
        "slug,name,kind,country,focus_areas,city",
        "yipscell,YiPSCELL Inc.,venture,KR,ipsc-cell-therapy,",
        "new-venture,새 벤처,venture,KR,oncology; immuno-oncology,Osong",
    )
    result = organizations_import(data=data)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    yipscell = Organization.objects.get(slug="yipscell")
    assert yipscell.name == "YiPSCELL Inc."
    assert yipscell.city == ""  # an empty cell clears
    assert [a.slug for a in yipscell.focus_areas.all()] == ["ipsc-cell-therapy"]
    # Columns not in the file stay as they were.
    assert yipscell.native_name == "입셀"
    assert sorted(t.slug for t in yipscell.seeks.all()) == ["co-development", "licensing"]
    created = Organization.objects.get(slug="new-venture")
    assert created.name == "새 벤처"
    assert created.is_active and created.lead_stage == Stage.NOT_APPLICABLE


def test_bad_rows_refuse_the_whole_file_with_every_line(directory):
    before = snapshot()
    data = csv_bytes(
        "slug,name,kind,country,focus_areas,founded,website,is_active,description",
        "fresh-co,Fresh,venture,KR,oncology,2020,,true,fine",  # line 2: good
        "yipscell,YiPSCELL renamed,venture,KR,,,,,",  # line 3: good update
        'bad-kind,Bad,biotech,KR,,,,,"spans',  # line 4 starts a record over two lines
        'two lines"',
        "bad-area,Bad area,venture,JP,cartilage; oncology,19x9,not a url,maybe,",  # line 6
        ",No slug,pharma,JP,,,,,",  # line 7
        "fresh-co,Fresh again,venture,KR,,,,,",  # line 8: same slug as line 2
    )
    with pytest.raises(ImportRefused) as refused:
        organizations_import(data=data)
    assert [(e.line, e.column) for e in refused.value.errors] == [
        (4, "kind"),
        (6, "founded"),
        (6, "is_active"),
        (6, "focus_areas"),
        (6, "website"),
        (7, "slug"),
        (8, "slug"),
    ]
    messages = [str(e) for e in refused.value.errors]
    assert messages[0] == "Line 4, column kind: Value 'biotech' is not a valid choice."
    assert messages[3] == "Line 6, column focus_areas: Unknown slug(s): cartilage."
    assert messages[6] == "Line 8, column slug: The slug “fresh-co” is already on line 2."
    # Nothing half-loaded: the good rows were rolled back too.
    assert snapshot() == before


def test_a_nul_character_is_refused_with_its_place(directory):
    before = snapshot()
    data = csv_bytes("slug,name,kind,country,description", "fresh-co,Fresh,venture,KR,a\x00b")
    with pytest.raises(ImportRefused) as refused:
        organizations_import(data=data)
    assert [str(e) for e in refused.value.errors] == [
        "Line 2, column description: The cell holds a NUL character."
    ]
    assert snapshot() == before


def test_profile_columns_are_checked(directory):
    before = snapshot()
    data = csv_bytes(
        "slug,name,kind,country,intents,sources,checked_on",
        "yipscell,YiPSCELL,venture,KR,licensees; fame,,",
        "astellas,Astellas,pharma,JP,,https://www.astellas.com/; astellas.com/news,",
        "quiet-co,Quiet Co,agency,JP,,,06/12/2026",
    )
    with pytest.raises(ImportRefused) as refused:
        organizations_import(data=data)
    assert [str(e) for e in refused.value.errors] == [
        "Line 2, column intents: Unknown value(s): fame.",
        "Line 3, column sources: “astellas.com/news” is not a web address.",
        "Line 4, column checked_on: Write a date as YYYY-MM-DD, e.g. 2025-10-01.",
    ]
    assert snapshot() == before


def test_profile_columns_update_and_clear(directory):
    data = csv_bytes(
        "slug,name,kind,country,description_ko,sources,checked_on",
        "yipscell,YiPSCELL,venture,KR,,https://yipscell.example.org/ir,2027-01-31",
    )
    assert organizations_import(data=data).updated == 1
    yipscell = Organization.objects.get(slug="yipscell")
    assert yipscell.description_ko == ""
    assert yipscell.source_list == ["https://yipscell.example.org/ir"]
    assert yipscell.checked_on == date(2027, 1, 31)
    assert yipscell.description_ja == "iPS細胞由来の軟骨スフェロイド。"  # not in the file: kept


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (csv_bytes("slug,name,kind"), "Missing columns: country."),
        (
            csv_bytes("slug,name,kind,country,colour"),
            "Unknown column “colour”. The columns are: slug, name, kind, country, native_name,",
        ),
        (csv_bytes("slug,name,kind,country,name"), "The column “name” appears twice."),
        ("slug,name,kind,country\nx,株式会社,pharma,JP\n".encode("shift_jis"), "not UTF-8"),
        (csv_bytes(HEADER, "a,A,venture,KR,extra"), "The row has 5 cells; the header has 4."),
    ],
)
def test_file_level_problems_are_named(data, message, taxonomy):
    with pytest.raises(ImportRefused) as refused:
        organizations_import(data=data)
    assert message in str(refused.value)
    assert not Organization.objects.exists()


def test_upload_page_imports_and_reports(staff, taxonomy):
    url = reverse("organizer:organizations_import")
    good = io.BytesIO(csv_bytes(HEADER, "kbio-new,K-Bio New,venture,KR"))
    good.name = "organizations.csv"
    response = staff.post(url, {"file": good}, follow=True)
    assert "Imported: 1 new, 0 updated, 0 unchanged." in response.content.decode()
    assert Organization.objects.filter(slug="kbio-new").exists()


def test_upload_page_lists_the_errors_and_saves_nothing(staff, taxonomy):
    url = reverse("organizer:organizations_import")
    bad = io.BytesIO(csv_bytes(HEADER, "ok-co,OK,venture,KR", "bad,Bad,biotech,XX"))
    bad.name = "organizations.csv"
    response = staff.post(url, {"file": bad})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The file was refused: 2 problems. Nothing was imported." in body
    assert "Line 3, column kind: Value &#x27;biotech&#x27; is not a valid choice." in body
    assert "Line 3, column country: Value &#x27;XX&#x27; is not a valid choice." in body
    assert not Organization.objects.exists()


def test_upload_without_a_file(staff, taxonomy):
    response = staff.post(reverse("organizer:organizations_import"), {})
    assert response.status_code == 400
    assert "Choose a CSV file to import." in response.content.decode()


def test_export_download(staff, directory):
    response = staff.get(reverse("organizer:organizations_export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    assert "アステラス製薬" in response.content.decode("utf-8-sig")


def test_command_imports(upload, taxonomy, capsys):
    path = upload("orgs.csv", csv_bytes(HEADER, "cmd-co,Command Co,cro_cdmo,JP"))
    call_command("import_organizations", str(path))
    assert "1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert Organization.objects.get(slug="cmd-co").kind == "cro_cdmo"


def test_command_refuses_a_bad_file_and_lists_lines(upload, taxonomy):
    path = upload("orgs.csv", csv_bytes(HEADER, "ok-co,OK,venture,KR", "no-country,X,venture,"))
    with pytest.raises(CommandError) as error:
        call_command("import_organizations", str(path))
    assert "nothing was imported" in str(error.value)
    assert "Line 3, column country: This field cannot be blank." in str(error.value)
    assert not Organization.objects.exists()


def test_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_organizations", str(tmp_path / "nope.csv"))


def test_an_import_refreshes_the_matching_index(directory):
    assert "late-co" not in current_index().by_slug
    organizations_import(data=csv_bytes(HEADER, "late-co,Late Co,venture,KR"))
    assert "late-co" in current_index().by_slug


def test_a_database_refusal_is_reported_and_rolls_back(directory, monkeypatch):
    """Another writer can take a slug between the check and the write: the database refuses,
    the file is refused at that line and nothing of it stays."""
    before = snapshot()
    real_save = Organization.save

    def save(self, *args, **kwargs):
        if self.slug == "taken-meanwhile":
            raise IntegrityError('duplicate key value violates unique constraint "slug"')
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Organization, "save", save)
    data = csv_bytes(HEADER, "first-co,First,venture,KR", "taken-meanwhile,Taken,pharma,JP")
    with pytest.raises(ImportRefused) as refused:
        organizations_import(data=data)
    assert [str(e) for e in refused.value.errors] == [
        "Line 3: The database refused the row: duplicate key value violates unique constraint "
        '"slug"'
    ]
    assert snapshot() == before


def test_other_names_travel_in_a_multi_line_cell(directory, client):
    yipscell = directory[0]
    yipscell.aliases = "イプセル\n입셀 주식회사"
    yipscell.save()
    exported = exports.organizations_csv()
    rows = list(csv.DictReader(io.StringIO(exported[1:])))
    assert list(rows[0])[:5] == ["slug", "name", "native_name", "former_name", "aliases"]
    assert rows[2]["aliases"] == "イプセル\n입셀 주식회사"
    assert rows[0]["aliases"] == ""
    again = organizations_import(data=exported.encode("utf-8"))
    assert (again.updated, again.unchanged) == (0, 3)

    header = "slug,name,kind,country,aliases"
    data = csv_bytes(header, 'yipscell,YiPSCELL,venture,KR,"イプセル\r\n\r\n  YiPS \r\nYPC"')
    assert organizations_import(data=data).updated == 1
    assert Organization.objects.get(slug="yipscell").aliases == "イプセル\nYiPS\nYPC"
    # The same names with other line breaks change nothing.
    data = csv_bytes(header, 'yipscell,YiPSCELL,venture,KR,"イプセル\nYiPS\nYPC\n"')
    assert organizations_import(data=data).unchanged == 1
    # The directory's search finds the organization by a name from the file.
    response = client.get(reverse("directory:organization_list"), {"q": "ＹＰＣ"})
    assert "YiPSCELL" in response.text
    # An empty cell clears the names.
    assert organizations_import(data=csv_bytes(header, "yipscell,YiPSCELL,venture,KR,")).updated
    assert Organization.objects.get(slug="yipscell").aliases == ""
