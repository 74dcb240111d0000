"""Writes for cases and their records, one module per concept. Each function authorises, validates
(nothing is written on failure), writes, and appends its audit entry in the same transaction."""
