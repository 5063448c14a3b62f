"""The hostile values of the bad-input sweep (test_hostile_sweep.py) and its plumbing: how to send
them (raw bytes and repeated keys included), how to read the forms a page shows, and a cheap
fingerprint of the database to tell that a refused POST changed nothing."""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, quote_from_bytes

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models

# A value is a text, raw bytes (sent as they are: not UTF-8) or a list (the key repeated).
Value = str | bytes | list

HOSTILE: list[tuple[str, Value]] = [
    ("empty", ""),
    ("blank", "   "),
    ("huge", "x" * 10_000),
    ("forty nines", "9" * 40),
    ("beyond 32 bits", "2147483648"),
    ("negative", "-1"),
    ("not a whole number", "1.5e400"),
    ("nul", "\x00"),
    ("line break", "a\r\nb"),
    ("control characters", "\x1b[2J\x7f"),
    ("hangul and kanji", "한국 바이오 日本製薬"),
    ("full-width digits", "２０２５"),
    ("superscript two", "²"),
    ("right-to-left and emoji", "\u202eevil\u200f 🧬👩\u200d🔬"),
    ("markup and sql", "<script>alert(1)</script>' OR 1=1 --"),
    ("format placeholders", "%s %(name)s {0} {{ x }}"),
    ("unknown choice", "no-such-choice"),
    ("year one", "0001-01-01"),
    ("invalid utf-8", b"\xff\xfe"),
    ("repeated", ["1", "2"]),
    ("repeated with nul", ["", "\x00"]),
]
_BY_LABEL = dict(HOSTILE)


def _some(*labels: str) -> list[tuple[str, Value]]:
    return [(label, _BY_LABEL[label]) for label in labels]


# The values that can trip each kind of input (the others take the same path as one of them).
# Text typed in a box:
TEXT_HOSTILE = _some(
    "empty",
    "blank",
    "huge",
    "nul",
    "line break",
    "control characters",
    "hangul and kanji",
    "full-width digits",
    "superscript two",
    "right-to-left and emoji",
    "markup and sql",
    "format placeholders",
    "invalid utf-8",
    "repeated with nul",
)
# A number or a date:
NUMBER_HOSTILE = _some(
    "empty",
    "huge",
    "forty nines",
    "beyond 32 bits",
    "negative",
    "not a whole number",
    "nul",
    "full-width digits",
    "superscript two",
    "year one",
    "invalid utf-8",
    "repeated",
)
# A choice (a select, radio buttons, check boxes, a hidden id):
CHOICE_HOSTILE = _some(
    "empty",
    "huge",
    "forty nines",
    "nul",
    "full-width digits",
    "superscript two",
    "unknown choice",
    "invalid utf-8",
    "repeated",
)
# A few of each kind: for the visitors a page is not for, for a form met a second time at
# another address (an add page's form on its edit page) and for the addresses of a page that
# turns its visitor away before reading anything.
SHORT_HOSTILE = _some(
    "huge", "forty nines", "nul", "line break", "invalid utf-8", "repeated with nul"
)
# A cell of an uploaded file.
CELL_HOSTILE = _some(
    "empty",
    "huge",
    "forty nines",
    "nul",
    "line break",
    "control characters",
    "superscript two",
    "year one",
    "invalid utf-8",
)
# The parameters of Django admin's lists (the filters of every model: one machinery).
ADMIN_HOSTILE = _some("huge", "forty nines", "beyond 32 bits", "nul", "invalid utf-8")
# The kinds of input (HTML `type`, or the tag) and their values; a parameter that no form
# shows (PAGES) gets every value.
VALUES_BY_KIND = {
    **dict.fromkeys(
        ("text", "textarea", "email", "url", "search", "password", "tel"), TEXT_HOSTILE
    ),
    **dict.fromkeys(("number", "date", "datetime-local", "time"), NUMBER_HOSTILE),
    **dict.fromkeys(("select", "radio", "checkbox", "hidden", "button"), CHOICE_HOSTILE),
}

# Values put in place of a URL's own arguments (a slug, an id, a token, a word). Quoted: they
# are written into the path as they are.
HOSTILE_IN_PATH: list[tuple[str, str]] = [
    ("unknown", "no-such-thing"),
    ("zero", "0"),
    ("forty nines", "9" * 40),
    ("negative", "-1"),
    ("huge", "x" * 10_000),
    ("nul", "%00"),
    ("line break", "%0D%0A"),
    ("hangul", quote("한국")),
    ("invalid utf-8", "%FF%FE"),
]
SHORT_IN_PATH = [
    (label, value)
    for label, value in HOSTILE_IN_PATH
    if label in ("unknown", "forty nines", "nul", "invalid utf-8")
]

# The id in an admin address: Django's admin reads it one way for every model.
ADMIN_IN_PATH = [
    (label, value)
    for label, value in HOSTILE_IN_PATH
    if label in ("unknown", "forty nines", "negative", "nul", "hangul", "invalid utf-8")
]

# Text that pages must show as it is once stored: what a careless paste brings (right-to-left
# marks, emoji, markup, quotes, a backslash, format placeholders, other scripts) on one line,
# and with line breaks and a tab for the fields that take several lines.
STORED_LINE = "Ünï \u202eevil\u200f 🧬 <b>&amp;</b> ' \" \\ %s %(x)s {0} {{ x }} 한국 日本 ²"
STORED_TEXT = STORED_LINE + "\r\nsecond line\n\tthird line"

# Whole files for an upload field, besides the valid file with one hostile cell.
HOSTILE_FILES: list[tuple[str, bytes]] = [
    ("empty file", b""),
    ("nul bytes", b"\x00\x00\x00"),
    ("not utf-8", b"\xff\xfe\x00s\x00l\x00u\x00g\x00\n"),
    ("byte-order mark only", "\ufeff".encode()),
    ("markup", b"<html><body>not a csv</body></html>"),
    ("one huge line", b"slug," + b"x" * 100_000),
    ("unbalanced quote", b'slug,name\n"abc,def\n'),
]


def encode(pairs: list[tuple[str, Value]]) -> str:
    """A query string or form body; bytes are sent as they are, a list repeats its key."""
    parts = []
    for key, value in pairs:
        for item in value if isinstance(value, list) else [value]:
            raw = item if isinstance(item, bytes) else item.encode()
            parts.append(f"{quote(key, safe='')}={quote_from_bytes(raw, safe='')}")
    return "&".join(parts)


def csv_with_cell(data: bytes, column: int, value: str | bytes) -> bytes:
    """The CSV file `data` with the cells of `column` replaced in every data row (each row may
    be of another kind that reads other columns: the criteria file's)."""
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    marker = "\ue000HOSTILE\ue000"
    for row in rows[1:]:
        if column < len(row):
            row[column] = value if isinstance(value, str) else marker
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    encoded = out.getvalue().encode()
    if isinstance(value, bytes):
        encoded = encoded.replace(marker.encode(), value)
    return encoded


def csv_columns(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


# --- the forms of a page ---------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    # What a browser would send as it is (checked boxes, selected options, typed values).
    values: dict[str, list[str]] = field(default_factory=dict)
    # Every field name with its kind ("text", "textarea", "select", "checkbox", "file"...).
    kinds: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            self._form.kinds.setdefault(name, kind)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.values.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self._form.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "button" and name:
            self._form.kinds.setdefault(name, "button")
        elif tag == "select" and name:
            self._select = (name, "multiple" in a)
            self._options = []
            self._form.kinds.setdefault(name, "select")
        elif tag == "option" and self._select:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []
            self._form.kinds.setdefault(name, "textarea")

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._option is not None:
            option = self._option
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self._options.append((value, option["selected"]))
            self._option = None
        elif tag == "select" and self._select and self._form is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form.values.setdefault(name, []).extend(chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._text)
            # A browser drops the one line break that follows <textarea>.
            self._form.values.setdefault(self._textarea, []).append(text.removeprefix("\n"))
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


# --- a fingerprint of the database -----------------------------------------------------------


def _site_models() -> list[type[models.Model]]:
    """The logins and the models of the site's own apps."""
    found = [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("kbio.")
        for model in config.get_models()
    ]
    return [get_user_model(), *found]


@functools.cache
def _fingerprint_sql(vendor: str) -> tuple[str, dict[str, list[str]]]:
    """One query: a row per table, its aggregates joined by "|"; and what each part is."""
    quote_name = connection.ops.quote_name
    branches, parts = [], {}
    for model in _site_models():
        columns = [("rows", "COUNT(*)")]
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
            columns.append(("highest id", f"MAX({quote_name(model._meta.pk.column)})"))
        columns += [
            (f"latest {f.name}", f"MAX({quote_name(f.column)})")
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateField)  # dates and times: updated, answered_at...
        ]
        label = model._meta.label
        parts[label] = [what for what, _aggregate in columns]
        joined = " || '|' || ".join(
            f"COALESCE(CAST({aggregate} AS VARCHAR(64)), '-')" for _what, aggregate in columns
        )
        branches.append(f"SELECT '{label}', {joined} FROM {quote_name(model._meta.db_table)}")
    return " UNION ALL ".join(branches), parts


def fingerprint() -> dict[str, str]:
    """Row counts, the highest id and the latest date of each column of the site's tables and
    the logins: a refused form that wrote anything changes one of them."""
    sql, parts = _fingerprint_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return {
        f"{label}: {what}": value
        for label, joined in rows
        for what, value in zip(parts[label], joined.split("|"), strict=True)
    }


def differences(before: dict, after: dict) -> list[str]:
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
