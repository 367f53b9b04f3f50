"""Business actions of the campaigns app."""

from cms.services import create_microsite_team


def create_campaign_team(campaign):
    """"<Campaign> campaign editors": edit the campaign's pages and documents, see its form submissions."""
    return create_microsite_team(campaign, f"{campaign.title} campaign editors", "Campaigns")
