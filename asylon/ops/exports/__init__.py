"""Exports of what a user may read (docs/exports.md): the rows (`rows`), each format's writer
(`tabular`, `json_nested`, `esf`, `uwazi`) and the age encryption every file goes through (`age`)."""
