"""Members keep their own profile, criteria, pipeline and team (kbio.directory.editing)."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from kbio.directory.models import Asset, Contact, Organization, Stage
from kbio.directory.partnering import (
    Exclusion,
    Interest,
    InvestorMandate,
    Relationship,
    ServiceCapability,
)
from kbio.matching.index import current_index
from kbio.matching.services import match_index_invalidate
from tests.directory.conftest import generate_organizations
from tests.factories import (
    AssetFactory,
    ContactFactory,
    OrganizationFactory,
    OrganizerFactory,
    UserFactory,
)

Role = Contact.Role


def url(name: str, *args) -> str:
    with override("en"):
        return reverse(f"directory:{name}", args=args)


def member(organization, role, username):
    user = UserFactory(username=username)
    ContactFactory(organization=organization, user=user, role=role, email=f"{username}@x.org")
    return user


@pytest.fixture
def team(directory):
    """YiPSCELL's owner, editor and viewer, and an editor of Takeda (an outsider to it)."""
    return SimpleNamespace(
        owner=member(directory.yipscell, Role.OWNER, "yip-owner"),
        editor=member(directory.yipscell, Role.EDITOR, "yip-editor"),
        viewer=member(directory.yipscell, Role.VIEWER, "yip-viewer"),
        outsider=member(directory.takeda, Role.EDITOR, "takeda-bd"),
        takeda_owner=member(directory.takeda, Role.OWNER, "takeda-owner"),
    )


def profile_data(organization: Organization, **changes) -> dict:
    """The profile form as the browser sends it, unchanged but for `changes`."""
    areas = {a.kind: [] for a in organization.focus_areas.all()}
    for area in organization.focus_areas.all():
        areas.setdefault(area.kind, []).append(area.pk)
    data = {
        "description": organization.description,
        "description_ko": organization.description_ko,
        "description_ja": organization.description_ja,
        "aliases": organization.aliases,
        "website": organization.website,
        "city": organization.city,
        "founded": organization.founded or "",
        "lead_stage": organization.lead_stage,
        "preferred_stages": list(organization.preferred_stages),
        "intents": list(organization.intents),
        "languages": list(organization.languages),
        "seeks": [t.pk for t in organization.seeks.all()],
        "offers": [t.pk for t in organization.offers.all()],
        "modalities": areas.get("modality", []),
        "therapeutic_areas": areas.get("therapeutic_area", []),
        "services": areas.get("service", []),
    }
    data.update(changes)
    return data


def interest_data(directory, **changes) -> dict:
    areas, types = directory.areas, directory.types
    data = {
        "modalities": [areas["msc-cell-therapy"].pk],
        "therapeutic_areas": [areas["musculoskeletal"].pk],
        "stage_from": "phase_1",
        "stage_to": "phase_3",
        "deal_types": [types["licensing"].pk],
        "territories": ["japan"],
        "note": "",
        "source_url": "https://www.takeda.example/partnering",
        "checked_on": timezone.localdate().isoformat(),
    }
    data.update(changes)
    return data


def asset_data(directory, **changes) -> dict:
    data = {
        "name": "YC-201",
        "modality": directory.areas["ipsc-cell-therapy"].pk,
        "therapeutic_areas": [directory.areas["musculoskeletal"].pk],
        "indications": "Cartilage defects",
        "stage": "preclinical",
        "direction": "out_licensing",
        "rights_available": ["japan"],
        "designations": [],
        "platform_class": "",
        "teaser": "Spheroids for cartilage repair.",
        "confidential_details": "GLP toxicology readout in May.",
        "source_url": "",
    }
    data.update(changes)
    return data


def edit_pages(directory) -> list[tuple[str, str]]:
    """(method, address) of every page, with one existing row of each kind."""
    y = directory.yipscell.slug
    interest = Interest.objects.create(organization=directory.yipscell, slug="i")
    contact = Contact.objects.filter(organization=directory.yipscell).first()
    pages = [
        url("edit_profile", y),
        url("edit_criteria", y),
        url("edit_assets", y),
        url("edit_contacts", y),
        url("criterion_add", y, "interest"),
        url("criterion_edit", y, "interest", interest.pk),
        url("asset_add", y),
        url("edit_asset", y, directory.miuchon.pk),
        url("contact_add", y),
        url("contact_edit", y, contact.pk),
    ]
    posts = [
        url("criterion_delete", y, "interest", interest.pk),
        url("asset_delete", y, directory.miuchon.pk),
        url("contact_remove", y, contact.pk),
    ]
    return [("get", p) for p in pages] + [("post", p) for p in pages + posts]


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_visitors_are_sent_to_log_in(self, client, directory, team):
        for method, address in edit_pages(directory):
            response = getattr(client, method)(address)
            assert response.status_code == 302, address
            assert response.url.startswith("/accounts/login/?next="), address

    def test_outsiders_get_404_for_every_read_and_write(self, client, directory, team):
        client.force_login(team.outsider)
        for method, address in edit_pages(directory):
            assert getattr(client, method)(address).status_code == 404, (method, address)
        assert Asset.objects.filter(pk=directory.miuchon.pk).exists()

    def test_organizers_edit_in_the_admin_not_here(self, client, directory, team):
        client.force_login(OrganizerFactory())
        assert client.get(url("edit_profile", "yipscell")).status_code == 404

    def test_viewers_read_without_forms_and_cannot_write(self, client, directory, team):
        client.force_login(team.viewer)
        for method, address in edit_pages(directory):
            response = getattr(client, method)(address)
            readable = method == "get" and address.rstrip("/").endswith(
                ("/edit", "/criteria", "/assets", "/team")
            )
            assert response.status_code == (200 if readable else 404), (method, address)
            if readable:
                assert "Your role is viewer" in response.text
                assert 'type="submit" class="button"' not in response.text
                assert "/add/" not in response.text
        assert Asset.objects.filter(pk=directory.miuchon.pk).exists()
        assert Contact.objects.filter(organization=directory.yipscell).count() == 3

    def test_the_profile_shows_edit_to_owners_and_editors_only(self, client, directory, team):
        profile = url("organization", "yipscell")
        for user, shown in [
            (team.owner, True),
            (team.editor, True),
            (team.viewer, False),
            (team.outsider, False),
        ]:
            client.force_login(user)
            text = client.get(profile).text
            assert ('href="/organizations/yipscell/edit/"' in text) is shown, user
            assert "/organizer/organizations/yipscell/history/" not in text
        client.logout()
        assert "/edit/" not in client.get(profile).text

    def test_organizers_see_the_history_link_on_the_profile(self, client, directory):
        client.force_login(OrganizerFactory())
        text = client.get(url("organization", "yipscell")).text
        assert 'href="/organizer/organizations/yipscell/history/"' in text


@pytest.mark.django_db
class TestProfile:
    def test_an_editor_fills_the_korean_description_and_it_shows_on_the_korean_profile(
        self, client, directory, team
    ):
        client.force_login(team.editor)
        data = profile_data(
            directory.yipscell,
            description_ko="유도만능줄기세포로 만든 연골 스페로이드 주사제입니다.",
            aliases="입셀\nYiPSCELL Inc.",
            intents=["licensees", "investors"],
        )
        response = client.post(url("edit_profile", "yipscell"), data)
        assert response.status_code == 302
        korean = client.get("/ko" + url("organization", "yipscell")).text
        assert "유도만능줄기세포로 만든 연골 스페로이드 주사제입니다." in korean
        english = client.get(url("organization", "yipscell")).text
        assert "Injectable cartilage spheroids" in english
        assert "Licensees or buyers for our assets" in english

    def test_focus_areas_are_chosen_by_kind_and_saved_together(self, client, directory, team):
        client.force_login(team.owner)
        areas = directory.areas
        data = profile_data(
            directory.yipscell,
            modalities=[areas["ipsc-cell-therapy"].pk, areas["gene-therapy"].pk],
            therapeutic_areas=[areas["ophthalmology"].pk],
            services=[],
        )
        assert client.post(url("edit_profile", "yipscell"), data).status_code == 302
        assert {a.slug for a in directory.yipscell.focus_areas.all()} == {
            "ipsc-cell-therapy",
            "gene-therapy",
            "ophthalmology",
        }
        page = client.get(url("edit_profile", "yipscell")).text
        modalities = page.split('id="field-modalities"')[1].split("</fieldset>")[0]
        assert f'value="{areas["gene-therapy"].pk}"' in modalities
        assert f'value="{areas["ophthalmology"].pk}"' not in modalities

    def test_the_page_says_what_only_organizers_change(self, client, directory, team):
        client.force_login(team.editor)
        page = client.get(url("edit_profile", "yipscell")).text
        assert "kept by the organizers" in page
        assert 'name="name"' not in page and 'name="kind"' not in page
        assert 'name="country"' not in page and 'name="slug"' not in page

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("description", "Cartilage\x00 spheroids", "Null characters are not allowed."),
            ("founded", "99999999999999999999", "less than or equal to 2100"),
            ("founded", "12x", "Enter a whole number."),
            ("modalities", ["999999"], "Select a valid choice. 999999 is not one of"),
            # An id no column can hold: SQLite raised OverflowError (a 500) before.
            ("modalities", ["9" * 25], "is not a valid value"),
            ("intents", ["world-domination"], "Select a valid choice."),
            ("website", "javascript:alert(1)", "Enter a valid URL."),
        ],
    )
    def test_bad_input_re_renders_with_the_error_and_loses_nothing(
        self, client, directory, team, field, value, message
    ):
        client.force_login(team.editor)
        data = profile_data(
            directory.yipscell, description_ko="한국어 설명을 잃지 않습니다.", **{field: value}
        )
        before = Organization.objects.get(pk=directory.yipscell.pk)
        response = client.post(url("edit_profile", "yipscell"), data)
        assert response.status_code == 400
        assert message in response.text.replace("&#x27;", "'")
        assert "한국어 설명을 잃지 않습니다." in response.text
        assert "nothing you typed is lost" in response.text
        after = Organization.objects.get(pk=directory.yipscell.pk)
        assert (after.description, after.founded) == (before.description, before.founded)

    def test_history_records_who_changed_the_profile(self, client, directory, team):
        client.force_login(team.editor)
        data = profile_data(directory.yipscell, city="Suwon")
        client.post(url("edit_profile", "yipscell"), data)
        last = directory.yipscell.history.latest("history_date")
        assert last.city == "Suwon"
        assert last.history_user == team.editor


@pytest.mark.django_db
class TestCriteria:
    def test_a_pharma_adds_an_interest_and_a_fitting_venture_is_suggested_at_once(
        self, client, directory, team
    ):
        matches = reverse("matching:organization_matches", args=["takeda"])
        assert "CEFObio" not in client.get(matches).text
        client.force_login(team.outsider)  # Takeda's own editor
        response = client.post(url("criterion_add", "takeda", "interest"), interest_data(directory))
        assert response.status_code == 302
        interest = Interest.objects.get(organization=directory.takeda)
        assert interest.checked_on == timezone.localdate()
        assert interest.history.latest("history_date").history_user == team.outsider
        page = client.get(matches).text
        assert "CEFObio" in page.split('id="results-title"')[1]

    def test_checked_on_defaults_to_today_on_the_empty_form(self, client, directory, team):
        client.force_login(team.editor)
        page = client.get(url("criterion_add", "yipscell", "interest")).text
        assert f'value="{timezone.localdate().isoformat()}"' in page

    def test_change_and_delete_an_interest(self, client, directory, team):
        client.force_login(team.editor)
        client.post(url("criterion_add", "yipscell", "interest"), interest_data(directory))
        interest = Interest.objects.get(organization=directory.yipscell)
        data = interest_data(directory, stage_from="phase_2", note="Phase 2 onwards")
        edit = url("criterion_edit", "yipscell", "interest", interest.pk)
        assert client.post(edit, data).status_code == 302
        interest.refresh_from_db()
        assert (interest.stage_from, interest.note) == ("phase_2", "Phase 2 onwards")
        delete = url("criterion_delete", "yipscell", "interest", interest.pk)
        assert client.post(delete).status_code == 302
        assert not Interest.objects.filter(pk=interest.pk).exists()
        deleted = Interest.history.filter(id=interest.pk, history_type="-").get()
        assert deleted.history_user == team.editor

    def test_a_window_that_ends_before_it_starts_is_refused(self, client, directory, team):
        client.force_login(team.editor)
        data = interest_data(directory, stage_from="phase_3", stage_to="phase_1")
        response = client.post(url("criterion_add", "yipscell", "interest"), data)
        assert response.status_code == 400
        assert "The latest stage comes before the earliest one." in response.text
        assert not Interest.objects.exists()

    def test_another_organizations_criterion_is_not_found(self, client, directory, team):
        theirs = Interest.objects.create(organization=directory.takeda, slug="theirs")
        client.force_login(team.editor)
        for address in [
            url("criterion_edit", "yipscell", "interest", theirs.pk),
            url("criterion_edit", "yipscell", "interest", 99999999999999999999),
            url("criterion_add", "yipscell", "no-such-kind"),
        ]:
            assert client.get(address).status_code == 404, address
        delete = url("criterion_delete", "yipscell", "interest", theirs.pk)
        assert client.post(delete).status_code == 404
        assert Interest.objects.filter(pk=theirs.pk).exists()

    def test_exclusion_names_one_subject(self, client, directory, team):
        client.force_login(team.editor)
        add = url("criterion_add", "yipscell", "exclusion")
        data = {"focus_area": "", "deal_type": "", "since": "2024-04-01", "checked_on": ""}
        response = client.post(add, data)
        assert response.status_code == 400
        assert "Name a focus area or a deal type that it rules out." in response.text
        data.update(focus_area=directory.areas["gene-therapy"].pk, checked_on="2025-01-31")
        assert client.post(add, data).status_code == 302
        exclusion = Exclusion.objects.get(organization=directory.yipscell)
        assert exclusion.slug == "not-gene-therapy"
        assert exclusion.checked_on == datetime.date(2025, 1, 31)

    def test_mandate_once_with_plausible_cheques(self, client, directory, team):
        client.force_login(team.editor)
        add = url("criterion_add", "yipscell", "mandate")
        data = {
            "vehicle": "direct",
            "sectors": ["life_sciences"],
            "cheque_min_usd": "10000000000000000000000",
            "cheque_max_usd": "",
            "countries": ["KR", "JP"],
            "checked_on": "2025-02-01",
        }
        response = client.post(add, data)
        assert response.status_code == 400
        assert "less than or equal to" in response.text
        data["cheque_min_usd"] = "500000"
        assert client.post(add, data).status_code == 302
        response = client.post(add, data)
        assert response.status_code == 400
        assert "already has an investment mandate" in response.text
        assert InvestorMandate.objects.filter(organization=directory.yipscell).count() == 1

    def test_a_service_is_listed_once(self, client, directory, team):
        client.force_login(team.editor)
        add = url("criterion_add", "yipscell", "capability")
        data = {
            "service": directory.areas["glp-toxicology"].pk,
            "modalities": [directory.areas["ipsc-cell-therapy"].pk],
            "checked_on": "2025-02-01",
        }
        assert client.post(add, data).status_code == 302
        response = client.post(add, data)
        assert response.status_code == 400
        assert "This service is already listed." in response.text
        assert ServiceCapability.objects.filter(organization=directory.yipscell).count() == 1

    def test_a_relationship_is_listed_once_and_not_with_itself(self, client, directory, team):
        client.force_login(team.editor)
        add = url("criterion_add", "yipscell", "relationship")
        data = {
            "partner": directory.takeda.pk,
            "kind": "mou",
            "since": "2023-05-01",
            "checked_on": "2025-02-01",
        }
        assert client.post(add, data).status_code == 302
        assert client.post(add, data).status_code == 400
        itself = dict(data, partner=directory.yipscell.pk)
        response = client.post(add, itself)
        assert response.status_code == 400
        assert "Select a valid choice" in response.text
        assert Relationship.objects.count() == 1


@pytest.mark.django_db
class TestAssets:
    def test_add_change_and_delete_an_asset(self, client, directory, team):
        client.force_login(team.editor)
        form = client.get(url("asset_add", "yipscell")).text
        assert "Who sees what" in form
        assert "once a meeting request about this asset is accepted" in form
        data = asset_data(directory, name="연골 재생 YC-201")
        assert client.post(url("asset_add", "yipscell"), data).status_code == 302
        asset = Asset.objects.get(organization=directory.yipscell, name="연골 재생 YC-201")
        assert asset.slug == "yc-201"
        assert asset.history.latest("history_date").history_user == team.editor
        profile = client.get(url("organization", "yipscell")).text
        assert "연골 재생 YC-201" in profile and "Spheroids for cartilage repair." in profile
        assert "GLP toxicology readout" not in profile
        edit = url("edit_asset", "yipscell", asset.pk)
        assert client.post(edit, dict(data, stage="phase_1")).status_code == 302
        asset.refresh_from_db()
        assert asset.stage == Stage.PHASE_1
        assert client.post(url("asset_delete", "yipscell", asset.pk)).status_code == 302
        assert not Asset.objects.filter(pk=asset.pk).exists()

    def test_two_assets_of_the_same_name_get_their_own_addresses(self, client, directory, team):
        client.force_login(team.editor)
        for _ in range(2):
            client.post(url("asset_add", "yipscell"), asset_data(directory, name="MIUChon"))
        slugs = set(
            Asset.objects.filter(organization=directory.yipscell).values_list("slug", flat=True)
        )
        assert slugs == {"miuchon", "miuchon-2", "miuchon-3"}

    def test_another_organizations_asset_is_not_found(self, client, directory, team):
        theirs = AssetFactory(organization=directory.takeda, modality=directory.areas["adc"])
        client.force_login(team.editor)
        assert client.get(url("edit_asset", "yipscell", theirs.pk)).status_code == 404
        assert (
            client.post(url("edit_asset", "yipscell", theirs.pk), asset_data(directory)).status_code
            == 404
        )
        assert client.post(url("asset_delete", "yipscell", theirs.pk)).status_code == 404
        assert client.get(url("edit_asset", "takeda", theirs.pk)).status_code == 404
        theirs.refresh_from_db()
        assert theirs.name != "YC-201"

    def test_a_modality_that_is_a_therapeutic_area_is_refused(self, client, directory, team):
        client.force_login(team.editor)
        data = asset_data(directory, modality=directory.areas["oncology"].pk, teaser="kept")
        response = client.post(url("asset_add", "yipscell"), data)
        assert response.status_code == 400
        assert "Select a valid choice" in response.text
        assert "kept</textarea>" in response.text


@pytest.mark.django_db
class TestTeam:
    def contact_data(self, **changes):
        data = {
            "name": "Min-jun Kim",
            "native_name": "김민준",
            "title": "Head of BD",
            "email": "minjun@yipscell.example.org",
            "language": "ko",
            "role": "viewer",
        }
        data.update(changes)
        return data

    def test_an_editor_adds_a_colleague_without_choosing_roles(self, client, directory, team):
        client.force_login(team.editor)
        form = client.get(url("contact_add", "yipscell")).text
        assert 'name="role"' not in form
        response = client.post(url("contact_add", "yipscell"), self.contact_data(role="owner"))
        assert response.status_code == 302
        added = Contact.objects.get(email="minjun@yipscell.example.org")
        assert added.role == Role.EDITOR  # the default, not what was posted
        assert added.history.get().history_user == team.editor

    def test_an_editor_cannot_change_or_remove_an_owner(self, client, directory, team):
        owner = Contact.objects.get(user=team.owner)
        client.force_login(team.editor)
        assert client.get(url("contact_edit", "yipscell", owner.pk)).status_code == 404
        assert client.post(url("contact_remove", "yipscell", owner.pk)).status_code == 404
        assert Contact.objects.filter(pk=owner.pk).exists()

    def test_an_owner_changes_roles(self, client, directory, team):
        viewer = Contact.objects.get(user=team.viewer)
        client.force_login(team.owner)
        data = self.contact_data(name=viewer.name, email=viewer.email, role="editor")
        assert client.post(url("contact_edit", "yipscell", viewer.pk), data).status_code == 302
        viewer.refresh_from_db()
        assert viewer.role == Role.EDITOR

    def test_the_last_owner_can_be_neither_demoted_nor_removed(self, client, directory, team):
        owner = Contact.objects.get(user=team.owner)
        client.force_login(team.owner)
        data = self.contact_data(name=owner.name, email=owner.email, role="editor")
        response = client.post(url("contact_edit", "yipscell", owner.pk), data)
        assert response.status_code == 400
        assert "needs an owner" in response.text
        response = client.post(url("contact_remove", "yipscell", owner.pk), follow=True)
        assert "needs an owner" in response.text
        owner.refresh_from_db()
        assert owner.role == Role.OWNER
        # With a second owner, the first may step down.
        editor = Contact.objects.get(user=team.editor)
        client.post(
            url("contact_edit", "yipscell", editor.pk),
            self.contact_data(name=editor.name, email=editor.email, role="owner"),
        )
        assert client.post(url("contact_edit", "yipscell", owner.pk), data).status_code == 302

    def test_an_address_already_in_the_team_is_refused(self, client, directory, team):
        client.force_login(team.editor)
        taken = Contact.objects.get(user=team.viewer).email.upper()
        response = client.post(url("contact_add", "yipscell"), self.contact_data(email=taken))
        assert response.status_code == 400
        assert "already has this address" in response.text

    def test_invite_link_for_owners_when_invitations_exist(self, client, directory, team):
        from django.urls import NoReverseMatch

        try:
            invite = reverse("accounts:invite", args=["yipscell"])
        except NoReverseMatch:
            pytest.skip("Invitations are not part of this build.")
        client.force_login(team.owner)
        assert f'href="{invite}"' in client.get(url("edit_contacts", "yipscell")).text
        client.force_login(team.editor)
        assert f'href="{invite}"' not in client.get(url("edit_contacts", "yipscell")).text


def hint_codes(html: str) -> list[str]:
    return re.findall(r'data-hint="([a-z_]+)"', html)


@pytest.mark.django_db
class TestHints:
    def test_a_pharma_without_a_stage_window_is_told_how_many_it_would_score(
        self, client, directory, team
    ):
        client.force_login(team.outsider)
        page = client.get(url("edit_profile", "takeda")).text
        assert "stage_window" in hint_codes(page)
        # YiPSCELL and CEFObio offer assets at a stated stage.
        assert "2 organizations offer assets at a stated stage" in page
        client.post(url("criterion_add", "takeda", "interest"), interest_data(directory))
        assert "stage_window" not in hint_codes(client.get(url("edit_profile", "takeda")).text)

    def test_descriptions_in_the_readers_languages(self, client, directory, team):
        client.force_login(team.editor)
        page = client.get(url("edit_criteria", "yipscell")).text
        assert {"description_ko", "description_ja"} <= set(hint_codes(page))
        # The other Korean organizations of the directory: iPS Bio and CEFObio.
        assert "Korean readers see English (2 Korean organizations" in page
        data = profile_data(
            directory.yipscell, description_ko="연골 재생", description_ja="軟骨再生"
        )
        client.post(url("edit_profile", "yipscell"), data)
        codes = hint_codes(client.get(url("edit_profile", "yipscell")).text)
        assert not {"description_ko", "description_ja"} & set(codes)

    def test_intents_only_when_there_are_suggestions_to_rank(self, client, directory, team):
        client.force_login(team.outsider)
        assert "intents" not in hint_codes(client.get(url("edit_profile", "takeda")).text)
        client.post(url("criterion_add", "takeda", "interest"), interest_data(directory))
        page = client.get(url("edit_profile", "takeda")).text
        assert "intents" in hint_codes(page)
        assert "Say what you come for: 1 suggested partner would be ranked by it." in page
        data = profile_data(directory.takeda, intents=["assets"])
        client.post(url("edit_profile", "takeda"), data)
        assert "intents" not in hint_codes(client.get(url("edit_profile", "takeda")).text)

    def test_a_venture_without_a_programme_stage(self, client, directory, team):
        directory.yipscell.lead_stage = Stage.NOT_APPLICABLE
        directory.yipscell.save()
        Asset.objects.filter(organization=directory.yipscell).delete()
        match_index_invalidate()
        client.force_login(team.editor)
        page = client.get(url("edit_profile", "yipscell")).text
        assert "lead_stage" in hint_codes(page)
        assert 'href="/organizations/yipscell/edit/#field-lead_stage"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("size", [30, 300])
class TestQueryCounts:
    @pytest.fixture
    def editor(self, taxonomy, size):
        generate_organizations(size)
        venture = Organization.objects.filter(kind="venture", assets__isnull=False).first()
        for _ in range(3):
            ContactFactory(organization=venture)
        user = member(venture, Role.OWNER, f"owner-{size}")
        match_index_invalidate()
        current_index()  # the index is built once per directory change, not per page
        return SimpleNamespace(user=user, slug=venture.slug)

    @pytest.mark.parametrize(
        ("page", "queries"),
        [
            # session, user, delegate; index version (and weights for the intents hint);
            # the form's three focus-area kinds, its focus areas, seeks and offers, the two
            # lists of deal types
            ("edit_profile", 12),
            # the ten reads of the criteria
            ("edit_criteria", 14),
            ("edit_assets", 5),
            ("edit_contacts", 5),
        ],
    )
    def test_edit_pages(self, client, django_assert_num_queries, editor, page, queries):
        client.force_login(editor.user)
        with django_assert_num_queries(queries):
            response = client.get(url(page, editor.slug))
        assert response.status_code == 200


@pytest.mark.django_db
class TestHistoryPage:
    def page(self, slug="yipscell"):
        return f"/organizer/organizations/{slug}/history/"

    def test_organizers_only(self, client, directory, team):
        assert client.get(self.page()).status_code == 302
        client.force_login(team.owner)
        assert client.get(self.page()).status_code == 404
        client.force_login(OrganizerFactory())
        assert client.get(self.page()).status_code == 200
        assert client.get(self.page("no-such")).status_code == 404

    def test_who_changed_which_field_from_what_to_what(self, client, directory, team):
        client.force_login(team.editor)
        client.post(url("edit_profile", "yipscell"), profile_data(directory.yipscell, city="Suwon"))
        client.post(url("asset_add", "yipscell"), asset_data(directory))
        client.post(url("criterion_add", "yipscell", "interest"), interest_data(directory))
        client.force_login(OrganizerFactory())
        page = " ".join(client.get(self.page()).text.split())
        entries = page.split('class="history__entry')[1:]
        profile = next(e for e in entries if "changed organization" in e)
        assert "<strong>yip-editor</strong>" in profile
        assert re.search(r"<dt>City</dt> <dd>.*Seoul.*Suwon", profile)
        added = next(e for e in entries if "added asset" in e)
        assert "YC-201" in added and "Musculoskeletal" in added
        interest = next(e for e in entries if "added partnering interest" in e)
        assert "MSC and adult stem-cell therapy" in interest
        assert "<strong>yip-editor</strong>" in interest
        login = next(e for e in entries if "added contact" in e and "yip-owner@x.org" in e)
        assert re.search(r"<dt>Login</dt> <dd>.*yip-owner", login)

    def test_the_admin_change_page_links_to_it(self, client, directory):
        client.force_login(UserFactory(username="organizer", is_staff=True, is_superuser=True))
        change = reverse("admin:directory_organization_change", args=[directory.yipscell.pk])
        assert 'href="/organizer/organizations/yipscell/history/"' in client.get(change).text

    @pytest.mark.parametrize("edits", [1, 12])
    def test_query_count_does_not_grow_with_the_history(
        self, client, directory, team, django_assert_num_queries, edits
    ):
        client.force_login(team.editor)
        for n in range(edits):
            data = profile_data(directory.yipscell, city=f"City {n}")
            client.post(url("edit_profile", "yipscell"), data)
            client.post(url("asset_add", "yipscell"), asset_data(directory, name=f"A-{n}"))
        client.force_login(OrganizerFactory())
        # session, user, organization; eight record kinds and their eight tracked lists;
        # logins, focus areas, deal types and the organizations named; the organizer's permissions
        with django_assert_num_queries(22):
            response = client.get(self.page())
        assert " ".join(response.text.split()).count("changed organization") == edits


@pytest.mark.django_db
def test_a_user_without_an_organization_gets_404(client, directory):
    client.force_login(get_user_model().objects.create_user("lonely", password="x-long-pass-1"))
    assert client.get(url("edit_profile", "yipscell")).status_code == 404
    assert OrganizationFactory(slug="other")
