"""seed_demo for the site: the regions, 20+ branches with news and events, accounts; twice gives the same data."""

import io

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from cms import demo
from cms.models import BranchOfficer, EventPage, Member, NewsPage, Region


def counts():
    return {model.__name__: model.objects.count() for model in (
        Page, Region, Member, Group, Collection, GroupPagePermission, GroupCollectionPermission,
        NewsPage, EventPage, BranchOfficer)}


def test_seeding_the_site_twice_gives_the_same_data(db):
    demo.seed(io.StringIO())
    first = counts()
    demo.seed(io.StringIO())
    assert counts() == first
    assert first["Region"] == 3
    assert first["NewsPage"] >= 60 and first["EventPage"] >= 60
    upcoming = EventPage.objects.filter(starts_at__gt=timezone.now())
    assert upcoming.exists() and EventPage.objects.exclude(pk__in=upcoming).exists()
    assert len(set(EventPage.objects.values_list("time_zone", flat=True))) >= 5
    comms = Member.objects.get(email="comms@example.org")
    assert comms.groups.filter(name="Communications officer").exists()
    assert Member.objects.get(email="officer.paris@example.org").groups.filter(name="Paris branch officers").exists()
    assert Page.objects.get(slug="berlin").permissions_for_user(comms).can_publish()
