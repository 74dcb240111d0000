"""Name normalisation for blind indexes: the Cyrillic and Latin forms of one name meet.

- ``transliterate(text, scheme)``: Cyrillic to Latin under a named official scheme.

Pure Python, no Django.
"""

from .schemes import SCHEME_NAMES, transliterate

__all__ = ["SCHEME_NAMES", "transliterate"]
