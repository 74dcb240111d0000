"""Reports and statistics: reads, one module per concept."""

from asylon.reports.selectors.external_statistics import external_statistic_get, external_statistics_of

__all__ = ["external_statistic_get", "external_statistics_of"]
