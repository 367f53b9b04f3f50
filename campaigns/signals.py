"""Signal handlers of the campaigns app."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import CampaignPage
from .services import create_campaign_team


@receiver(post_save, sender=CampaignPage)
def give_new_campaign_its_editors_group(sender, instance, created, raw=False, **kwargs):
    """A new campaign (created in the admin or in code) gets its editors group and collection."""
    if created and not raw:
        create_campaign_team(instance)

