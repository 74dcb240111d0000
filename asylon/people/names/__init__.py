"""Name normalisation for blind indexes: the Cyrillic and Latin forms of one name meet.

- ``name_keys(text)``: one key per word of a name, equal for every spelling of that word.
- ``identifier_key(text)``: a document number in the form used for exact lookup.
- ``transliterate(text, scheme)``: Cyrillic to Latin under a named official scheme.

Pure Python, no Django. Rules, sources and limits: docs/names.md.
"""

from .identifiers import identifier_key
from .keys import name_keys
from .schemes import SCHEME_NAMES, transliterate

__all__ = ["SCHEME_NAMES", "identifier_key", "name_keys", "transliterate"]
