"""Writes for public intake: submissions and messages from the public, triage by staff, retention."""
