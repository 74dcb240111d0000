"""Production hashes passwords with Argon2id and demands at least 12 characters."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from asylon.config.settings import base


def test_production_hasher_is_argon2id():
    assert base.PASSWORD_HASHERS == ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    encoded = Argon2PasswordHasher().encode("a long enough passphrase", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")
    params = Argon2PasswordHasher().params()
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2


def test_minimum_length_is_twelve(settings):
    settings.AUTH_PASSWORD_VALIDATORS = base.AUTH_PASSWORD_VALIDATORS
    with pytest.raises(ValidationError):
        validate_password("Tr0ub4dor&3")
    validate_password("a quite long passphrase nobody guesses")
