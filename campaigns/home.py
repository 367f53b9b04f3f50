"""LI's campaigns on the visitors' home page (cms.home): each with what it wants. One query."""

from cms.cache import PAGES
from cms.home import VISITORS, register_home_panel

from .models import CampaignPage

SHOWN = 4


def campaigns(request, last_visit):
    return {"campaigns": list(CampaignPage.objects.live().order_by("title")
                              .only("title", "summary", "url_path", "slug", "depth", "path")[:SHOWN])}


def register():
    register_home_panel("campaigns", 30, campaigns, "campaigns/home/campaigns.html", audience=VISITORS,
                        cache_keys=[PAGES])
