"""`manage.py suggest`: the same ranking on the command line."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.usefixtures("real_directory")


def suggest(*args):
    out = io.StringIO()
    call_command("suggest", *args, stdout=out)
    return out.getvalue()


def test_prints_ranked_partners_with_reasons():
    text = suggest("pinotbio", "--limit", "3")
    lines = text.splitlines()
    assert lines[0] == "Partner suggestions for Pinotbio (피노바이오) (Bio venture, South Korea)"
    first = next(line for line in lines if line.strip().startswith("1."))
    assert (
        "Takeda Pharmaceutical (武田薬品工業) · Pharma · Japan · Licensee or co-developer" in first
    )
    assert "+ They look for antibody–drug conjugates (ADC)" in text
    assert sum(1 for line in lines if line[:3].strip().rstrip(".").isdigit()) == 3


def test_json_lists_slug_name_kind_country_score_role_reasons_and_unknowns():
    rows = json.loads(suggest("pinotbio", "--kind", "pharma", "--limit", "4", "--json"))
    assert len(rows) == 4
    assert {row["kind"] for row in rows} == {"pharma"}
    first = rows[0]
    assert first["slug"] == "takeda"
    assert {"slug", "name", "kind", "country", "score", "role", "reasons", "missing"} <= set(first)
    assert {"unknown", "flags"} <= set(first)
    assert first["country"] == "JP" and first["role"] == "licensee"
    assert [set(reason) for reason in first["reasons"]] == [{"code", "text", "points"}] * len(
        first["reasons"]
    )
    assert sum(reason["points"] for reason in first["reasons"]) == first["score"]
    assert [row["score"] for row in rows] == sorted((row["score"] for row in rows), reverse=True)
    assert "daiichi-sankyo" not in {row["slug"] for row in rows}
    # What is not known is said, never given as a reason.
    codes = {reason["code"] for row in rows for reason in row["reasons"]}
    assert not {code for code in codes if "unknown" in code or "no_modality" in code}
    assert any(row["unknown"] for row in rows)


def test_reasons_in_korean():
    rows = json.loads(suggest("pinotbio", "--limit", "1", "--json", "--language", "ko"))
    assert any("항체-약물 접합체" in reason["text"] for reason in rows[0]["reasons"])
    assert any(reason["text"] == "한일 간 매칭" for reason in rows[0]["reasons"])


def test_country_filter():
    rows = json.loads(suggest("ono-pharmaceutical", "--country", "kr", "--json", "--limit", "50"))
    assert rows and {row["country"] for row in rows} == {"KR"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ips-bi"], "No organization with the slug “ips-bi”. Did you mean: ips-bio?"),
        (["nobody-at-all"], "No organization with the slug “nobody-at-all”."),
        (["ips-bio", "--country", "FR"], "No organization from “FR”"),
        (["ips-bio", "--limit", "0"], "--limit must be at least 1."),
    ],
)
def test_bad_input_is_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message.replace("?", r"\?")):
        suggest(*args)
