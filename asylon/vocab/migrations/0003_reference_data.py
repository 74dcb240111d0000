"""Seed the instance-wide vocabularies, terms and Lithuanian legal rules (asylon/vocab/data/*.json)."""

from django.db import migrations


def load(apps, schema_editor):
    from asylon.vocab.loading import load_reference_data

    load_reference_data(apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ("vocab", "0002_legalrule_decided_by"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
