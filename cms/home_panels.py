"""The site's own panels of the home page (cms.home): a member's branch and its next meetings and
events; for visitors, LI's latest news and upcoming events across the branches."""

from datetime import timedelta

from django.utils import timezone

from .cache import PAGES
from .home import MEMBERS, VISITORS, register_home_panel
from .models import BranchPage, EventPage, NewsPage

NEXT_AT_YOUR_BRANCH = 3
LATEST_NEWS = 5
UPCOMING_EVENTS = 4


def your_branch(request, last_visit):
    """The member's branch and its next meetings and events (times also in the member's own zone)."""
    branch = request.user.branch
    if branch is None:
        return {"branch": None, "happenings": []}
    return {"branch": branch, "happenings": branch.upcoming_meetings_and_events(NEXT_AT_YOUR_BRANCH, request)}


def latest_news(request, last_visit):
    """The newest news of every branch, each with its branch's name (two queries)."""
    news = list(NewsPage.objects.live().order_by("-date", "-pk")
                .only("title", "date", "intro", "url_path", "slug", "depth", "path")[:LATEST_NEWS])
    parent_paths = {item.path[: -item.steplen] for item in news}
    branches = dict(BranchPage.objects.filter(path__in=parent_paths).values_list("path", "title"))
    for item in news:
        item.branch_title = branches.get(item.path[: -item.steplen], "")
    return {"news": news}


def upcoming_events(request, last_visit):
    """The branches' next events, soonest first (in the place's time and UK time)."""
    now = timezone.now()
    events = list(EventPage.objects.live().filter(starts_at__gte=now - timedelta(hours=12))
                  .exclude(ends_at__lt=now).order_by("starts_at", "pk")[:UPCOMING_EVENTS])
    return {"events": events}


def register():
    register_home_panel("your-branch", 10, your_branch, "cms/home/your_branch.html", audience=MEMBERS)
    register_home_panel("news", 10, latest_news, "cms/home/news.html", audience=VISITORS, cache_keys=[PAGES])
    register_home_panel("events", 20, upcoming_events, "cms/home/events.html", audience=VISITORS,
                        cache_keys=[PAGES])
