"""The CSV format shared by every import and export (documented in docs/csv.md).

Files are UTF-8 with a byte-order mark, comma-separated, with a header row. The mark makes
Excel open Korean and Japanese text correctly; reading accepts files with or without it.
Several values in one cell are separated by semicolons. A cell whose text would start with
`=`, `+`, `-` or `@` is written with a leading apostrophe, so a spreadsheet does not run it as
a formula; reading removes that apostrophe again, so export and import give back the text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

BOM = "\ufeff"
SEPARATOR = ";"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_BYTES = 5 * 1024 * 1024
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})


@dataclass(frozen=True)
class RowError:
    """One reason a file is refused: the line it starts on (None: the whole file)."""

    line: int | None
    message: str
    column: str = ""

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.column:
            return _("Line %(line)d, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class ImportRefused(Exception):
    """The file was refused; nothing of it was saved."""

    def __init__(self, errors: Sequence[RowError]):
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Row:
    line: int  # the line of the file the record starts on (the header is line 1)
    values: dict[str, str]  # only the columns the file has

    def has(self, column: str) -> bool:
        return column in self.values

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def _guard(value: str) -> str:
    if value.lstrip("'")[:1] in FORMULA_TRIGGERS and value[:1] in (*FORMULA_TRIGGERS, "'"):
        return "'" + value
    return value


def _unguard(value: str) -> str:
    if value[:1] == "'" and value.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def write(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The whole file as text, starting with the byte-order mark."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(_guard("" if value is None else str(value)) for value in row)
    return out.getvalue()


def join(values: Iterable[str]) -> str:
    return f"{SEPARATOR} ".join(values)


def split(value: str) -> list[str]:
    return [item.strip() for item in value.split(SEPARATOR) if item.strip()]


def lines(value: str) -> list[str]:
    """The items of a cell written one per line (a multi-line cell), without blank lines."""
    return [item.strip() for item in value.splitlines() if item.strip()]


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            [
                RowError(
                    None,
                    _("The file is larger than %(size)d MB; split it into smaller files.")
                    % {"size": MAX_BYTES // (1024 * 1024)},
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            [
                RowError(
                    None,
                    _(
                        "The file is not UTF-8 text (byte %(position)d). In Excel, save it as "
                        "“CSV UTF-8 (comma delimited)”."
                    )
                    % {"position": exc.start + 1},
                )
            ]
        ) from exc


def read(
    data: bytes, *, required: Sequence[str], optional: Sequence[str], ignored: Sequence[str] = ()
) -> list[Row]:
    """Parse a file into rows, refusing a file whose header is not one of ours."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRefused([RowError(None, _("The file is empty."))]) from None
    except csv.Error as exc:
        raise ImportRefused([RowError(1, str(exc))]) from None
    header = [name.strip() for name in header]
    errors = []
    known = set(required) | set(optional) | set(ignored)
    for name in header:
        if name and name not in known:
            errors.append(
                RowError(
                    1,
                    _("Unknown column “%(column)s”. The columns are: %(columns)s.")
                    % {"column": name, "columns": ", ".join([*required, *optional])},
                )
            )
    for name in {name for name in header if header.count(name) > 1 and name}:
        errors.append(RowError(1, _("The column “%(column)s” appears twice.") % {"column": name}))
    missing = [name for name in required if name not in header]
    if missing:
        errors.append(
            RowError(1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        )
    if errors:
        raise ImportRefused(errors)
    wanted = [(i, name) for i, name in enumerate(header) if name and name not in ignored]
    rows = []
    line = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(line, str(exc)))
            break
        if any(cell.strip() for cell in record):
            if len(record) > len(header):
                errors.append(
                    RowError(
                        line,
                        _("The row has %(found)d cells; the header has %(expected)d.")
                        % {"found": len(record), "expected": len(header)},
                    )
                )
            else:
                values = {
                    name: _unguard(record[i].strip()) if i < len(record) else ""
                    for i, name in wanted
                }
                # No text in the database can hold a NUL character (PostgreSQL refuses it
                # when saving): refuse it here, with its place, for every import.
                for name, value in values.items():
                    if "\x00" in value:
                        errors.append(
                            RowError(line, _("The cell holds a NUL character."), column=name)
                        )
                rows.append(Row(line, values))
        line = reader.line_num + 1
    if errors:
        raise ImportRefused(errors)
    return rows
