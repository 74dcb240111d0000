"""Fixtures for the synthetic-data tests: small runs (a few dozen persons) into test organisations."""

from __future__ import annotations

import pytest

from asylon.ops.synth import synthesise

PERSONS = 30
SEED = 11


@pytest.fixture
def synthesised(organisation):
    """An organisation holding a small synthetic run, with its summary."""
    return organisation, synthesise(organisation=organisation, persons=PERSONS, seed=SEED)
