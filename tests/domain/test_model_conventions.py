"""Conventions every model keeps: UUID keys, an organisation on every row, no personal data in
__str__, no personal-data model in the operators' admin."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models

from asylon.common.encrypted import EncryptedField

ASYLON_APPS = {"accounts", "audit", "vocab", "people", "cases", "evidence", "reports", "ops", "intake", "orgsecurity"}
INSTANCE_WIDE = {
    "accounts.user",
    "accounts.organisation",
    "vocab.vocabulary",
    "vocab.term",
    "vocab.legalrule",
    "audit.auditentry",
    "audit.checkpoint",  # signs the instance-wide chain
    "audit.chainhead",
    "audit.capturedchange",
}
INTERNAL_KEYS = {
    "people.personlookup",  # blind-index rows: a bigint key is enough and halves their size
    "ops.importedrecord",  # keyed digests of imported rows' natural keys, like the blind-index rows
    "audit.chainhead",  # the single row writers lock to append to the audit chain
    "audit.capturedchange",  # django-auditlog's entry model, without a table (docs/security/audit.md)
}
PERSONAL_DATA_APPS = {"people", "cases", "intake"}
REFERENCE_DATA = {"accounts.organisation", "vocab.vocabulary", "vocab.term", "vocab.legalrule"}


def asylon_models():
    return [model for model in apps.get_models() if model._meta.app_label in ASYLON_APPS]


@pytest.mark.parametrize("model", asylon_models(), ids=lambda model: model._meta.label_lower)
def test_primary_key_is_a_python_generated_uuid(model):
    if model._meta.label_lower in INTERNAL_KEYS:
        return
    assert isinstance(model._meta.pk, models.UUIDField)
    assert model._meta.pk.default is not models.NOT_PROVIDED


@pytest.mark.parametrize("model", asylon_models(), ids=lambda model: model._meta.label_lower)
def test_every_row_belongs_to_an_organisation(model):
    label = model._meta.label_lower
    if label in INSTANCE_WIDE or label == "accounts.organisation":
        return
    field = model._meta.get_field("organisation")
    assert field.null is False, f"{label}.organisation must not be NULL"


@pytest.mark.parametrize("model", asylon_models(), ids=lambda model: model._meta.label_lower)
def test_str_names_no_personal_value(model):
    if model._meta.label_lower in REFERENCE_DATA:
        return  # their __str__ is a code or a short name, never about a person
    instance = model()
    for field in model._meta.concrete_fields:
        textual = isinstance(field, (EncryptedField, models.CharField, models.TextField))
        if textual and not field.choices and not field.primary_key:
            setattr(instance, field.attname, "Personal Value")
    assert "Personal Value" not in str(instance)


def test_admin_registers_no_personal_data_model():
    for model in admin.site._registry:
        assert model._meta.app_label not in PERSONAL_DATA_APPS, model._meta.label
        assert not any(isinstance(field, EncryptedField) for field in model._meta.concrete_fields), model._meta.label
