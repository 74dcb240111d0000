"""The import pipeline: reading spreadsheets, mapping columns, validating, writing in batches (docs/import.md)."""
