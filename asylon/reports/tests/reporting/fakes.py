"""Figure sources for the report-engine tests: hand-built protected tables, no database, no ledger.

They stand in for FigureSources (the statistics service and the outside-figure registry) so that
parsing and rendering are tested on their own; the integration test uses the real sources."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from asylon.reports.reporting.sources import FigureSources
from asylon.reports.statistics.questions import Question
from asylon.reports.statistics.tables import DisclosureRule, ProtectedTable, PublishedValue
from asylon.reports.tests.protected_tables import AS_OF, SUPPRESSED, shown

KNOWN_KEYS = {"measure", "of", "by", "from", "to", "citizenship", "year", "grounds"}
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60">'
    '<title>chart</title><rect width="40" height="30" fill="#0072B2"/></svg>'
)


class FakeQuestionError(ValueError):
    """Like aggregates.QuestionError."""


class FakeRefused(ValueError):
    """Like DisclosureRefused."""


@dataclasses.dataclass(frozen=True)
class FakeStatistic:
    code: str


@dataclasses.dataclass(frozen=True)
class FakeGrid:
    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[PublishedValue, ...]], ...]
    column_title: str = ""


def png_bytes() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 0.5))
    figure.add_subplot().bar([1, 2], [3, 4])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


class FakeSources(FigureSources):
    """citizenship=XS gives a suppressed population; year=1999 is refused by differencing."""

    def __init__(self) -> None:
        super().__init__(actor=None, organisation=None)
        self.released: list[Question] = []

    def question(self, params: Mapping[str, str]) -> Question:
        unknown = set(params) - KNOWN_KEYS
        if unknown:
            raise FakeQuestionError(f"Unknown parameter “{sorted(unknown)[0]}”.")
        filters = {
            key: value.split(",") for key, value in params.items() if key not in {"measure", "of", "by", "from", "to"}
        }
        return Question.build(
            params["measure"],
            of=params.get("of", "").split(",") if params.get("of") else (),
            filters=filters,
            by=params["by"].split(",") if params.get("by") else (),
        )

    def question_error(self, message: str) -> Exception:
        return FakeQuestionError(message)

    def release(self, question: Any, *, rounding_base: int | None = None) -> ProtectedTable:
        filters = question.filter_map
        if "1999" in filters.get("year", ()):
            raise FakeRefused("This question differs from an earlier one by too few people.")
        self.released.append(question)
        small = "XS" in filters.get("citizenship", ())
        total = SUPPRESSED if small else shown(42)
        rows: tuple[str, ...] = ()
        columns: tuple[str, ...] = ()
        cells: dict[tuple[str, ...], PublishedValue] = {}
        row_totals: dict[str, PublishedValue] = {}
        column_totals: dict[str, PublishedValue] = {}
        if question.by == ("appeal_result",):
            rows = ("won", "lost", "pending")
            cells = {("won",): SUPPRESSED if small else shown(12), ("lost",): shown(8), ("pending",): SUPPRESSED}
        elif len(question.by) == 1:
            rows = ("2022", "2023")
            cells = {("2022",): shown(30), ("2023",): SUPPRESSED}
        elif len(question.by) == 2:
            rows, columns = ("2022", "2023"), ("BY", "RU")
            cells = {
                ("2022", "BY"): shown(20),
                ("2022", "RU"): SUPPRESSED,
                ("2023", "BY"): SUPPRESSED,
                ("2023", "RU"): shown(9),
            }
            row_totals = {"2022": shown(22), "2023": shown(20)}
            column_totals = {"BY": shown(31), "RU": shown(11)}
        return ProtectedTable(
            question=question,
            rows=rows,
            columns=columns,
            cells=cells,
            row_totals=row_totals,
            column_totals=column_totals,
            total=total,
            rule=DisclosureRule(threshold=5),
            as_of=AS_OF,
        )

    def describe(self, question: Any) -> str:
        return f"People with *{question.measure}* events" + (f" by {', '.join(question.by)}" if question.by else "")

    def grid(self, table: Any) -> FakeGrid:
        if table.columns:
            header = ("Year", *table.columns, "All")
            body = tuple(
                (row, (*(table.cells[(row, c)] for c in table.columns), table.row_totals[row])) for row in table.rows
            )
            totals = ("All", (*(table.column_totals[c] for c in table.columns), table.total))
            return FakeGrid(header, (*body, totals), "Citizenship")
        body = tuple((row, (table.cells[(row,)],)) for row in table.rows)
        return FakeGrid(("Year", "People"), (*body, ("All", (table.total,))))

    def outside(self, code: str) -> FakeStatistic:
        if code == "missing":
            raise ObjectDoesNotExist(code)
        return FakeStatistic(code)

    def citation(self, statistic: Any) -> str:
        return f"Ministry of the Interior, press release <b>{statistic.code}</b>, 1 November 2023"

    def figure_text(self, statistic: Any) -> str:
        return "about 2,000 persons"

    def chart_svg(self, table: Any, *, title: str) -> str:
        return SVG

    def chart_png(self, table: Any, *, title: str) -> bytes:
        return png_bytes()

    def is_refusal(self, error: Exception) -> bool:
        return isinstance(error, FakeRefused)

    def is_report_error(self, error: Exception) -> bool:
        return isinstance(error, FakeQuestionError | FakeRefused | ObjectDoesNotExist)
