"""The matches page says "you" only to the organization's own members; anyone else reads
about the organization by name. Its scores say they are out of 100."""

import html as html_lib
import re

import pytest
from django.utils import translation

from kbio.directory.models import Organization
from kbio.matching import reasons
from kbio.matching.services import match_index_invalidate
from tests.factories import ContactFactory, UserFactory

from .test_views import url

FIRST_AND_THIRD = [
    (reasons.REASONS, reasons.REASONS_ABOUT),
    (reasons.MISSING, reasons.MISSING_ABOUT),
    (reasons.UNKNOWN, reasons.UNKNOWN_ABOUT),
    (reasons.FLAGS, reasons.FLAGS_ABOUT),
    (reasons.BLOCKED, reasons.BLOCKED_ABOUT),
]
SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)


def placeholders(sentence) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", str(sentence)))


@pytest.mark.parametrize(("first", "third"), FIRST_AND_THIRD)
def test_every_sentence_that_says_you_has_a_third_person_twin(first, third):
    with translation.override("en"):
        for key, sentence in first.items():
            if SECOND_PERSON.search(str(sentence)):
                assert key in third, f"{key}: no third-person sentence"
        for key, sentence in third.items():
            assert key in first, f"{key}: not a code of the first-person table"
            text = str(sentence)
            assert not SECOND_PERSON.search(text), text
            assert "%(name)s" in text, text
            # The same parameters fill it, plus the organization's name.
            assert placeholders(sentence) - {"name"} <= placeholders(first[key]), key


def visible_text(page: str) -> str:
    """What a reader sees of the matches page itself (the site's header and footer apart)."""
    body = page.split('<div class="matching">', 1)[1].rsplit("</main>", 1)[0]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html_lib.unescape(body))


def headings(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[123][^>]*>(.*?)</h[123]>", page)
    ]


@pytest.fixture
def directory(db):
    from django.core.management import call_command

    call_command("loaddata", "taxonomy", "organizations", "partnering", verbosity=0)
    match_index_invalidate()


def member_of(client, slug):
    user = UserFactory()
    ContactFactory(organization=Organization.objects.get(slug=slug), user=user)
    client.force_login(user)
    return client


@pytest.fixture(params=["anonymous", "another organization", "organizer"])
def outsider(request, client, directory):
    if request.param == "another organization":
        return member_of(client, "takeda")
    if request.param == "organizer":
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("slug", ["pinotbio", "cefobio"])
def test_an_outsider_reads_about_the_organization_not_to_it(outsider, slug):
    page = outsider.get(url(slug)).content.decode()
    name = Organization.objects.get(slug=slug).name
    text = visible_text(page)
    found = SECOND_PERSON.findall(text)
    assert not found, re.findall(r"[^.:;+]*\byour?\b[^.:;+]*", text, re.I)[:5]
    assert f"Suggested partners for {name}" in headings(page)
    assert f"{name}'s " in text or f"{name} " in text


def test_the_outsiders_sentences_name_the_organization(outsider):
    text = visible_text(outsider.get(url("pinotbio")).content.decode())
    assert "Pinotbio's asset NTX-301 (small molecules; oncology) fits" in text
    assert "They want the deal Pinotbio offers" in text
    assert "Who would take on Pinotbio's assets" in text
    # A ruled-out partner's reason too.
    assert "as Pinotbio's PINOT-ADC platform" in text


def test_the_organizations_own_member_is_still_spoken_to(client, directory):
    page = member_of(client, "pinotbio").get(url("pinotbio")).content.decode()
    text = visible_text(page)
    assert "your asset NTX-301 (small molecules; oncology) fits" in text
    assert "They want the deal you offer" in text
    assert "Pinotbio's asset" not in text
    assert "Suggested partners" in headings(page)
    assert "Suggested partners for Pinotbio" not in headings(page)


# --- scores ---


def test_every_score_on_the_page_says_it_is_out_of_100(client, directory):
    page = client.get(url("pinotbio")).content.decode()
    compact = re.findall(r'<strong class="asset-score"[^>]*>(.*?)</strong>', page)
    assert len(compact) >= 5  # the intents at the top and the partners of each asset
    assert all(re.fullmatch(r'\d+<span class="score-of">/100</span>', s) for s in compact)
    circles = re.findall(r'<div class="suggestion-score"[^>]*>(.*?)</div>', page, re.S)
    assert circles
    assert all('<span class="score-of">/100</span>' in c for c in circles)
    assert 'visually-hidden"> / 100' not in page


def test_the_shortlists_scores_say_they_are_out_of_100(client, directory):
    from django.urls import reverse

    from kbio.matching.services import shortlist_add

    member_of(client, "pinotbio")
    shortlist_add(
        organization=Organization.objects.get(slug="pinotbio"),
        partner=Organization.objects.get(slug="takeda"),
    )
    page = client.get(reverse("matching:shortlist", args=["pinotbio"])).content.decode()
    circles = re.findall(r'<div class="suggestion-score"[^>]*>(.*?)</div>', page, re.S)
    assert circles
    assert all('<span class="score-of">/100</span>' in c for c in circles)
