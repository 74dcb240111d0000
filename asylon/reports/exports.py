"""A protected table as a CSV file for people: what it counts, the rule applied, the as-of time, then
one line per published number (suppressed ones empty, with their status).

Every field is escaped against formula injection (ASVS 5.0 V1.2.10): a value that a spreadsheet
would read as a formula (starting with = + - @, a tab, a carriage return or a NUL) gets a leading
single quote. RFC 4180 quoting is the csv module's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext

from asylon.reports.labels import breakdowns, dimension_label, lines, question_in_words
from asylon.reports.statistics.tables import ProtectedTable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def formula_escaped(value: object) -> str:
    """The value as text, with a leading ' if a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV text (RFC 4180, CRLF line ends), every field formula-escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in rows:
        writer.writerow([formula_escaped(value) for value in row])
    return buffer.getvalue()


def table_csv(table: ProtectedTable, *, caption: str | None = None) -> str:
    """The table as CSV: a header block (question, rule, as-of), a blank line, then the numbers."""
    row_dimension, column_dimension = breakdowns(table)
    header = [
        [gettext("Question"), caption or question_in_words(table)],
        [gettext("Disclosure rule"), table.rule.describe()],
        [gettext("As of"), table.as_of.isoformat(timespec="seconds")],
        [gettext('Suppressed counts are empty, with the status "suppressed".')],
        [],
    ]
    columns = [dimension_label(name) for name in (row_dimension, column_dimension) if name]
    body: list[list[object]] = [[*columns, gettext("People"), gettext("Status")]]
    for line in lines(table):
        coordinates = [line.row_label, line.column_label][: len(columns)]
        body.append([*coordinates, line.published.value, _status(line.published.suppressed)])
    return csv_text([*header, *body])


def _status(suppressed: bool) -> str:
    return gettext("suppressed") if suppressed else gettext("published")
