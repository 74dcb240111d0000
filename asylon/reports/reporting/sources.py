"""Where a report's figures come from: the statistics service (disclosure control included) and
the registry of outside figures. The report engine reads figures through this one object."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class FigureSources:
    """The services a report needs, for one actor in one organisation."""

    def __init__(self, *, actor: Any, organisation: Any) -> None:
        self.actor = actor
        self.organisation = organisation

    def question(self, params: Mapping[str, str]) -> Any:
        """A statistics question from a directive's key=value parameters (QuestionError if bad)."""
        from asylon.reports.statistics.aggregates import question_from_params

        return question_from_params(params)

    def question_error(self, message: str) -> Exception:
        """The error a bad question key raises (shown in the report with its line)."""
        from asylon.reports.statistics.aggregates import QuestionError

        return QuestionError(message)

    def release(self, question: Any, *, rounding_base: int | None = None) -> Any:
        """The protected table for a question: every case-data figure goes through statistics_release."""
        from asylon.reports.services.statistics import statistics_release

        return statistics_release(
            actor=self.actor, organisation=self.organisation, question=question, rounding_base=rounding_base
        )

    def describe(self, question: Any) -> str:
        from asylon.reports.statistics.aggregates import describe

        return str(describe(question))

    def grid(self, table: Any) -> Any:
        """The table laid out with its labels and margins (labels.grid, as the statistics pages show it)."""
        from asylon.reports.labels import grid

        return grid(table)

    def outside(self, code: str) -> Any:
        """An outside figure by its code (ObjectDoesNotExist if the organisation has none)."""
        from asylon.reports.selectors import external_statistic_get

        return external_statistic_get(organisation=self.organisation, code=code)

    def citation(self, statistic: Any) -> str:
        from asylon.reports.citations import citation_text

        return str(citation_text(statistic))

    def figure_text(self, statistic: Any) -> str:
        from asylon.reports.citations import figure_text

        return str(figure_text(statistic))

    def chart_svg(self, table: Any, *, title: str) -> str:
        from asylon.reports.charts import chart_svg

        return chart_svg(table, title=title)

    def chart_png(self, table: Any, *, title: str) -> bytes:
        from asylon.reports.charts import chart_png

        return chart_png(table, title=title)

    def is_refusal(self, error: Exception) -> bool:
        """Whether an exception is the differencing check refusing a figure (withheld, not an error)."""
        from asylon.reports.services.statistics import DisclosureRefused

        return isinstance(error, DisclosureRefused)

    def is_report_error(self, error: Exception) -> bool:
        """Whether an exception is a writer's mistake to show in the report (not a fault to raise)."""
        from django.core.exceptions import ObjectDoesNotExist
        from django.http import Http404

        from asylon.reports.services.statistics import DisclosureRefused
        from asylon.reports.statistics.aggregates import QuestionError

        return isinstance(error, QuestionError | DisclosureRefused | ObjectDoesNotExist | Http404)
