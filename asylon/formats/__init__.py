"""Locale formats Django does not ship or gets wrong for us (FORMAT_MODULE_PATH; docs/i18n.md).

Django looks here first, attribute by attribute, and falls back to its own locale formats.
"""
