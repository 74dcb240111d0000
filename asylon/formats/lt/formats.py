"""Lithuanian formats: Django's are right for dates ("2026 m. lapkričio 26 d.", 2026-11-26).

Only the thousands separator differs: Django has ".", Lithuanian usage (CLDR `lt`) is a
(non-breaking) space, "1 234,5". Everything not set here comes from Django's `lt` formats.
"""

THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
