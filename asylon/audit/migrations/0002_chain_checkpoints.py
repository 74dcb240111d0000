"""Hash chain (sequence, previous and entry hash), remote address, the chain head and checkpoints.

Entries already present (development databases only) are chained in created_at order.
"""

import uuid

import django.utils.timezone
from django.db import migrations, models


def chain_existing(apps, schema_editor):
    from asylon.audit.chain import GENESIS_HASH, entry_digest

    AuditEntry = apps.get_model("audit", "AuditEntry")
    ChainHead = apps.get_model("audit", "ChainHead")
    sequence, previous = 0, GENESIS_HASH
    for entry in AuditEntry.objects.order_by("created_at", "id").iterator(chunk_size=2000):
        sequence += 1
        fields = {
            "sequence": sequence,
            "created_at": entry.created_at,
            "actor_id": entry.actor_id,
            "organisation_id": entry.organisation_id,
            "action": entry.action,
            "target_type": entry.target_type,
            "target_id": entry.target_id,
            "changed_fields": entry.changed_fields,
            "details": entry.details,
            "remote_address": None,
            "previous_hash": previous,
        }
        digest = entry_digest(fields)
        AuditEntry.objects.filter(pk=entry.pk).update(sequence=sequence, previous_hash=previous, entry_hash=digest)
        previous = digest
    ChainHead.objects.update_or_create(pk=1, defaults={"sequence": sequence, "entry_hash": previous})


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["sequence"], "verbose_name_plural": "audit entries"},
        ),
        migrations.AddField(
            model_name="auditentry",
            name="sequence",
            field=models.BigIntegerField(null=True, verbose_name="sequence"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(db_index=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="remote_address",
            field=models.GenericIPAddressField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="created_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("sequence", models.BigIntegerField(default=0)),
                ("entry_hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("sequence", models.BigIntegerField(verbose_name="sequence")),
                ("entry_count", models.BigIntegerField(verbose_name="entry count")),
                ("head_hash", models.CharField(max_length=64, verbose_name="head hash")),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="created at"),
                ),
                ("key_id", models.CharField(max_length=32, verbose_name="signing key id")),
                ("signature", models.TextField(verbose_name="signature")),
            ],
            options={"ordering": ["-sequence", "-created_at"]},
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.BigIntegerField(unique=True, verbose_name="sequence"),
        ),
    ]
