"""Read paths of the site: what branch pages, blocks, feeds and the index show.

Each returns a bounded queryset (never "all news of a branch" unpaginated), so that
page query counts do not grow with the number of pages.
"""

from datetime import timedelta

from django.utils import timezone

from .models import BranchIndexPage, BranchPage, EventPage, NewsPage

# How far back the calendar feed goes, so subscribers keep recent history without the whole archive.
CALENDAR_PAST_DAYS = 90
CALENDAR_MAX_EVENTS = 200


def branch_of(page):
    """The branch a page belongs to (itself if it is a branch), or None."""
    if page is None:
        return None
    if isinstance(page, BranchPage):
        return page
    return BranchPage.objects.ancestor_of(page).first()


def branch_news(branch):
    """The branch's published news, newest first (paginate it)."""
    return NewsPage.objects.live().child_of(branch).order_by("-date", "-pk").only(
        "title", "date", "intro", "url_path", "slug", "depth", "path")


def upcoming_events(branch, count):
    """The branch's next `count` published events that have not finished."""
    now = timezone.now()
    return list(
        EventPage.objects.live().child_of(branch).filter(starts_at__gte=now - timedelta(hours=12))
        .exclude(ends_at__lt=now).order_by("starts_at")[:count]
    )


def calendar_events(branch):
    """Events for the branch's calendar feed: recent and upcoming, bounded."""
    since = timezone.now() - timedelta(days=CALENDAR_PAST_DAYS)
    return list(EventPage.objects.live().child_of(branch).filter(starts_at__gte=since)
                .order_by("starts_at")[:CALENDAR_MAX_EVENTS])


# A meeting stays listed as "upcoming" while it is probably still going on.
MEETING_SHOWN_AFTER_START = timedelta(hours=3)


def upcoming_meetings(branch, count):
    """The branch's next `count` meetings, from the one record officers schedule in the admin
    (workflows' Meeting): never a copy of it as an event page."""
    since = timezone.now() - MEETING_SHOWN_AFTER_START
    return list(branch.meetings.filter(body="branch", starts_at__gte=since).order_by("starts_at", "pk")[:count])


def calendar_meetings(branch):
    """The branch's meetings for its calendar feed: recent and upcoming, bounded."""
    since = timezone.now() - timedelta(days=CALENDAR_PAST_DAYS)
    return list(branch.meetings.filter(body="branch", starts_at__gte=since).order_by("starts_at", "pk")
                [:CALENDAR_MAX_EVENTS])


def upcoming_meetings_and_events(branch, count):
    """The branch's next `count` meetings and events together, soonest first."""
    happenings = upcoming_meetings(branch, count) + upcoming_events(branch, count)
    return sorted(happenings, key=lambda happening: happening.starts_at)[:count]


def branches_by_region(index=None):
    """Live branches with their region, ordered by region then name (group them with {% regroup %})."""
    branches = BranchPage.objects.live().select_related("region").order_by("region__number", "title")
    if index is not None:
        branches = branches.child_of(index)
    return branches.only("title", "slug", "url_path", "path", "depth", "country", "time_zone",
                         "meeting_pattern", "region__number", "region__name", "region__slug")


def branch_index():
    return BranchIndexPage.objects.live().first()
