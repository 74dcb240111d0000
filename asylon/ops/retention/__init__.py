"""Retention schedules (docs/gdpr.md, "Retention"): closed cases erased after the organisation's
OrgPolicy.closed_case_retention_days (`schedule.py` says which, `running.py` erases them through
`case_erase`), beside the intake's own purge of untriaged submissions; one report for both."""
