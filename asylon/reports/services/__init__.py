"""Writes of the reports app: statistics releases (with disclosure control), reports, outside figures."""
