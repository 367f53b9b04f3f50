"""Signal handlers of the site app."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import BranchPage
from .services import create_branch_team


@receiver(post_save, sender=BranchPage)
def give_new_branch_its_officers_group(sender, instance, created, raw=False, **kwargs):
    """A new branch (created in the admin or in code) gets its officers group and collection."""
    if created and not raw:
        create_branch_team(instance)
