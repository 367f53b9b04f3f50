"""Seconders are invited by email address (confirm/decline links), and a draft has no reference.

Existing invitations take the named member's address and a fresh link; drafts give back the
reference they took when they were created (they get one when submitted)."""

import secrets

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def invitations_by_address(apps, schema_editor):
    Seconding = apps.get_model("workflows", "Seconding")
    Item = apps.get_model("workflows", "Item")
    for seconding in Seconding.objects.select_related("member").iterator():
        seconding.email = (seconding.member.email if seconding.member_id else "").lower()
        seconding.requested_at = seconding.named_at
        seconding.link_nonce = secrets.token_hex(16)
        seconding.save(update_fields=["email", "requested_at", "link_nonce"])
    Item.objects.filter(status="draft").update(reference=None)


def references_for_drafts(apps, schema_editor):
    """Going back: drafts need a reference again (a temporary, unique one)."""
    Item = apps.get_model("workflows", "Item")
    for item in Item.objects.filter(reference__isnull=True):
        item.reference = f"DRAFT-{item.pk}"
        item.save(update_fields=["reference"])


class Migration(migrations.Migration):

    dependencies = [
        ("workflows", "0006_stage_decision_rule_and_meeting_record"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="seconding",
            name="one_seconding_per_member",
        ),
        migrations.AddField(
            model_name="seconding",
            name="declined_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="seconding",
            name="email",
            field=models.EmailField(default="", help_text="As the proposer typed it (lower case).", max_length=254,
                                    verbose_name="seconder's email address"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="seconding",
            name="link_nonce",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="seconding",
            name="requested_at",
            field=models.DateTimeField(default=django.utils.timezone.now, help_text="When the current link was made."),
        ),
        migrations.AddField(
            model_name="seconding",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="item",
            name="reference",
            field=models.CharField(blank=True, editable=False, max_length=20, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="seconding",
            name="member",
            field=models.ForeignKey(blank=True, help_text="Who answered (set when they confirm or decline).",
                                    null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="secondings", to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(invitations_by_address, references_for_drafts),
        migrations.AddConstraint(
            model_name="seconding",
            constraint=models.UniqueConstraint(condition=models.Q(("withdrawn_at__isnull", True)),
                                               fields=("item", "member"), name="one_seconding_per_member"),
        ),
        migrations.AddConstraint(
            model_name="seconding",
            constraint=models.UniqueConstraint(condition=models.Q(("withdrawn_at__isnull", True)),
                                               fields=("item", "email"), name="one_invitation_per_address"),
        ),
    ]
