"""WSGI entry point for gunicorn (production settings unless DJANGO_SETTINGS_MODULE says otherwise)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

from asylon.common.crypto.keyring import keyring
from asylon.common.crypto.master import MasterKeyError
from asylon.config import environment

if environment.flag("ASYLON_MASTER_KEY_PROMPT"):
    # Every worker would ask at once, or none could (no terminal under a service manager).
    raise MasterKeyError(
        "gunicorn cannot ask for the master key: start it through `asylon --ask-master-key quickstart`, "
        "or supply the key in ASYLON_MASTER_KEY_FILE (docs/keys.md)."
    )
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asylon.config.settings.production")
application = get_wsgi_application()
# Open the keysets now: a wrong or missing master key stops the worker at boot, with the reason in the
# journal, rather than answering every request that touches personal data with a server error.
keyring()

# What loading left behind (modules, reference tables, the name tables) lives as long as the
# process: move it out of the collector's reach, or every full collection walks all of it again
# during some request (80 to 130 ms every thirty-odd requests, measured on the case list).
gc.collect()
gc.freeze()
