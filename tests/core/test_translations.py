"""The Korean and Japanese catalogs are complete, and the committed .mo files are their
compilation: a fresh checkout shows every page in Korean and Japanese without compiling."""

import gettext
import re
import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LANGUAGES = ["ko", "ja"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalog_path(language: str, suffix: str):
    return settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / f"django.{suffix}"


def read(path) -> polib.POFile:
    return polib.pofile(str(path), wrapwidth=0)


def key(entry: polib.POEntry) -> str:
    """The entry's key in a compiled catalog (without the plural index)."""
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def texts(entry: polib.POEntry) -> dict:
    """The translations, keyed as gettext keys them: the msgid, or (msgid, n) for plurals."""
    if entry.msgid_plural:
        return {(key(entry), int(n)): text for n, text in entry.msgstr_plural.items()}
    return {key(entry): entry.msgstr}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_empty_or_fuzzy(language):
    catalog = read(catalog_path(language, "po"))
    entries = [e for e in catalog if not e.obsolete]
    assert len(entries) > 100
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if e.fuzzy] + (
        ["(the header)"] if catalog.metadata_is_fuzzy else []
    )
    assert untranslated == [], f"untranslated in {language}"
    assert fuzzy == [], f"fuzzy in {language}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_names_the_language_and_its_plural_rule(language):
    header = read(catalog_path(language, "po")).metadata
    assert header["Language"] == language
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = [
        (entry.msgid, text)
        for entry in read(catalog_path(language, "po"))
        for text in texts(entry).values()
        if set(PLACEHOLDER.findall(text))
        != set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
    ]
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_is_the_compiled_po(language):
    expected = {
        k: text
        for entry in read(catalog_path(language, "po"))
        if not entry.obsolete and entry.translated()
        for k, text in texts(entry).items()
    }
    with catalog_path(language, "mo").open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    compiled_entries = {key: text for key, text in compiled._catalog.items() if key != ""}
    stale = sorted(
        str(key)
        for key in expected.keys() | compiled_entries.keys()
        if expected.get(key) != compiled_entries.get(key)
    )
    assert stale == [], (
        f"locale/{language}/LC_MESSAGES/django.mo differs from its .po for these entries; "
        "run `python manage.py compilemessages` and commit the .mo"
    )
    assert compiled.info()["plural-forms"] == "nplurals=1; plural=0;"


def test_catalogs_hold_every_translatable_string(tmp_path, settings, monkeypatch):
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is needed to extract the strings")
    # Extract into a scratch catalog, from the same code and templates, leaving locale/ alone.
    for name in ("kbio", "templates"):
        (tmp_path / name).symlink_to(settings.BASE_DIR / name)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["ko"], symlinks=True, no_location=True, verbosity=0)
    extracted = {
        key(entry) for entry in read(tmp_path / "locale" / "ko" / "LC_MESSAGES" / "django.po")
    }
    assert "Apply filters" in extracted
    for language in LANGUAGES:
        present = {key(e) for e in read(catalog_path(language, "po")) if not e.obsolete}
        missing = sorted(extracted - present)
        assert missing == [], (
            f"not in locale/{language}: run `python manage.py makemessages -l ko -l ja`, "
            "translate, then compilemessages"
        )
