"""Read gettext .po catalogs with nothing but Python, to check them against their compiled .mo.

`catalog()` gives the mapping Python's own `gettext.GNUTranslations` builds from a .mo file
(context joined with EOT, plural forms keyed by (msgid, index)), so the two can be compared
entry by entry. Entries a compiler leaves out (fuzzy or untranslated ones) are left out here too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

CONTEXT_SEPARATOR = "\x04"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def is_translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def is_fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def key(self) -> str:
        if self.msgctxt is None:
            return self.msgid
        return f"{self.msgctxt}{CONTEXT_SEPARATOR}{self.msgid}"


def _unquote(text: str, line_number: int) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        raise ValueError(f"line {line_number}: expected a quoted string, got {text!r}")
    # PO strings use C escapes, which a Python string literal reads the same way.
    return ast.literal_eval(text)


def parse(text: str) -> list[Entry]:
    """The live entries of a .po file (obsolete `#~` entries are skipped)."""
    entries: list[Entry] = []
    entry = Entry()
    seen_keyword = False
    current: tuple[str, int] | None = None  # which string continuation lines extend

    def finish() -> None:
        nonlocal entry, seen_keyword, current
        if seen_keyword:
            entries.append(entry)
        entry, seen_keyword, current = Entry(), False, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue  # entries are told apart by their keywords, not by blank lines
        if line.startswith("#"):
            if seen_keyword:  # a comment starts the next entry
                finish()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"line {number}: continuation without a keyword")
            name, index = current
            value = _unquote(line, number)
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and entry.msgstr:
            finish()
        seen_keyword = True
        value = _unquote(rest, number)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, value)
            current = (keyword, 0)
        elif keyword == "msgstr":
            entry.msgstr[0] = value
            current = ("msgstr", 0)
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            index = int(keyword[len("msgstr[") : -1])
            entry.msgstr[index] = value
            current = ("msgstr", index)
        else:
            raise ValueError(f"line {number}: unknown keyword {keyword!r}")
    finish()
    return entries


def read(path: Path) -> list[Entry]:
    return parse(path.read_text(encoding="utf-8"))


def catalog(entries: list[Entry]) -> dict:
    """What a compiler puts in the .mo: translated, non-fuzzy entries (the header excluded)."""
    result: dict = {}
    for entry in entries:
        if entry.is_header or entry.is_fuzzy or not entry.is_translated:
            continue
        if entry.msgid_plural is None:
            result[entry.key] = entry.msgstr[0]
        else:
            for index, text in sorted(entry.msgstr.items()):
                result[(entry.key, index)] = text
    return result


def header(entries: list[Entry]) -> dict[str, str]:
    """The header entry's fields (Language, Plural-Forms, Content-Type...)."""
    for entry in entries:
        if entry.is_header:
            lines = entry.msgstr.get(0, "").splitlines()
            return {
                name.strip(): value.strip()
                for name, _, value in (line.partition(":") for line in lines)
                if name.strip()
            }
    return {}
