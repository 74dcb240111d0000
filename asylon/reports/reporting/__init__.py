"""The report engine: Markdown with figure directives to Markdown, HTML, PDF and DOCX (docs/reports.md)."""
