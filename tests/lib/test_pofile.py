from kbio.lib import pofile

SAMPLE = r"""# Korean translation.
msgid ""
msgstr ""
"Language: ko\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

#: templates/base.html:10
msgid "Log in"
msgstr "로그인"

#: templates/list.html:3
#, python-format
msgid ""
"Some filters could not be understood and were left out: "
"%(names)s."
msgstr ""
"이해할 수 없는 필터가 있어 "
"적용하지 않았습니다: %(names)s."

msgctxt "month"
msgid "May"
msgstr "5월"

#, python-format
msgid "%(counter)s organization"
msgid_plural "%(counter)s organizations"
msgstr[0] "기관 %(counter)s곳"

#, fuzzy
msgid "Filters"
msgstr "필터"

msgid "Clear filters"
msgstr ""

msgid "Quote \"this\"\tand\\that"

msgstr "\"이것\"\t그리고\\저것"

#~ msgid "Old string"
#~ msgstr "옛 문자열"
"""


def test_reads_each_kind_of_entry():
    entries = {entry.key: entry for entry in pofile.parse(SAMPLE)}
    assert entries["Log in"].msgstr == {0: "로그인"}
    long = entries["Some filters could not be understood and were left out: %(names)s."]
    assert long.msgstr[0] == "이해할 수 없는 필터가 있어 적용하지 않았습니다: %(names)s."
    assert long.flags == {"python-format"}
    assert entries["month\x04May"].msgctxt == "month"
    assert entries["%(counter)s organization"].msgid_plural == "%(counter)s organizations"
    assert entries["Filters"].is_fuzzy
    assert not entries["Clear filters"].is_translated
    assert entries['Quote "this"\tand\\that'].msgstr[0] == '"이것"\t그리고\\저것'
    assert "Old string" not in entries


def test_catalog_is_what_a_compiler_keeps():
    assert pofile.catalog(pofile.parse(SAMPLE)) == {
        "Log in": "로그인",
        "Some filters could not be understood and were left out: %(names)s.": (
            "이해할 수 없는 필터가 있어 적용하지 않았습니다: %(names)s."
        ),
        "month\x04May": "5월",
        ("%(counter)s organization", 0): "기관 %(counter)s곳",
        'Quote "this"\tand\\that': '"이것"\t그리고\\저것',
    }


def test_header_fields():
    assert pofile.header(pofile.parse(SAMPLE)) == {
        "Language": "ko",
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=1; plural=0;",
    }


def test_catalog_agrees_with_gnu_msgfmt(tmp_path):
    import gettext
    import shutil
    import subprocess

    import pytest

    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    source = tmp_path / "sample.po"
    source.write_text(SAMPLE, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(tmp_path / "sample.mo"), str(source)], check=True)
    with (tmp_path / "sample.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    del catalog[""]
    assert pofile.catalog(pofile.parse(SAMPLE)) == catalog
