"""No GET changes state, and nothing personal is answered from the public-page cache.

Every URL pattern of the site outside the two admins (what the public-page cache may hold: an
anonymous GET) is fetched with GET, anonymously and signed in (a member, a motion's proposer, the
secretary, the returning officer), with the cache on; the database must be exactly the same afterwards. Links that act on a signed token (unsubscribe,
seconding, consent, invitations) are never answered from the cache. A new URL pattern whose
arguments this test cannot fill fails it until someone reviews the view and adds a sample.
"""

import hashlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from elections import services as election_services
from notifications import services as notification_services
from notifications import tokens
from notifications.models import Follow

from .conftest import branches, make_member, people, public_cache, submit_motion  # noqa: F401 (fixtures)

# Rows that a GET may write without changing what the site holds. Wagtail's userbar (on every page,
# for those with admin access) makes the user's admin preferences row with its defaults on first sight.
NOT_STATE = {"sessions.session", "axes.accessattempt", "axes.accesslog", "django_q.ormq", "django_q.task",
             "wagtailusers.userprofile"}
ADMINS = ("admin/", "django-admin/")
# Patterns written as regular expressions: a sample URL each (reviewed by hand).
REGEX_SAMPLES = {
    r"documents/^(\d+)/(.*)$": "/documents/999999/nothing.pdf",
    r"^media/(?P<path>.+)$": "/media/original_images/nothing.png",
    r"^((?:[\w\-]+/)*)$": "/branches/paris/",
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": "/accounts/confirm-email/not-a-key/",
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": "/accounts/password/reset/key/1-x/",
}


def routes():
    """(route text, view) of every URL pattern outside the admins."""
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback
    return [(route, view) for route, view in walk(get_resolver().url_patterns) if not route.startswith(ADMINS)]


def sample_url(route, samples):
    """A concrete URL for a route, its <converter:name> parts filled from `samples` by name."""
    import re

    if route in REGEX_SAMPLES:
        return REGEX_SAMPLES[route]
    route = route.replace("api/v2/^", "api/v2/")  # the API router's prefix: the rest is a path pattern
    if "^" in route or "(?P" in route:
        pytest.fail(f"Review the view of {route!r} (does its GET change anything?) and add a sample URL")

    def fill(match):
        name = match.group(2)
        if name not in samples:
            pytest.fail(f"Review the view of {route!r}: no sample value for <{name}>")
        return str(samples[route_key(route, name)] if route_key(route, name) in samples else samples[name])
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def route_key(route, name):
    return f"{route}|{name}"


def fingerprint():
    """Every row of every table that holds the site's state."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label_lower):
        if model._meta.proxy or not model._meta.managed or model._meta.label_lower in NOT_STATE:
            continue
        digest.update(model._meta.label_lower.encode())
        digest.update(repr(list(model._base_manager.order_by("pk").values_list())).encode())
    return digest.hexdigest()


def election_in_nominations(people):  # noqa: F811
    """An election taking nominations, one of them submitted (its pages answer, not 404)."""
    now = timezone.now()
    election = election_services.create_election(
        title="LIEC 2027", slug="liec-2027", by=people["secretary"], nominations_open=now - timedelta(days=1),
        nominations_close=now + timedelta(days=2), ballot_open=now + timedelta(days=3),
        ballot_close=now + timedelta(days=4))
    nomination = election_services.submit_nomination(
        position=election.positions.get(key="chair"), submitted_by=people["member"], candidate=people["member"],
        proposer=people["proposer"], seconder=people["seconder"], statement="For chair.")
    return election, nomination


def test_no_get_of_any_url_changes_what_the_site_holds(people, branches, public_cache):  # noqa: F811
    motion = submit_motion(people)
    notification_services.follow(people["member"], motion)
    election, nomination = election_in_nominations(people)
    election_samples = {route_key(route, name): value for route, _view in routes() if route.startswith("elections/<")
                        for name, value in (("slug", election.slug), ("pk", nomination.pk))}
    samples = {
        **election_samples,
        route_key("api/v2/pages/<int:pk>/", "pk"): branches["paris"].pk,
        "slug": "paris", "reference": motion.reference, "pk": motion.pk, "kind": "motion", "action": "withdraw",
        "seconding_pk": 999999, "restriction_id": 999999, "page_view_restriction_id": 999999, "page_id": 999999,
        "token": "not-a-token", "amendment_reference": "A-2026-001",
        route_key("motions/unsubscribe/<str:token>/", "token"): tokens.make_token(people["member"].pk,
                                                                              f"item:{motion.pk}"),
    }
    returning = make_member("returning@example.org", "L21", branches["paris"], groups=["Returning officer"],
                            is_staff=True)
    clients = [Client()]  # anonymous, then each person signed in
    for person in (people["member"], people["proposer"], people["secretary"], returning):
        clients.append(Client())
        clients[-1].force_login(person)
    changed, cached_tokens = [], []
    before = fingerprint()
    for route, _view in routes():
        url = sample_url(route, samples)
        for client in clients:
            client.get(url)
            second = client.get(url)
            if "token" in route and second.get("X-Public-Cache") == "hit":
                cached_tokens.append(url)
        after = fingerprint()
        if after != before:
            changed.append(f"GET {url} ({route})")
            before = after
    assert Follow.objects.filter(member=people["member"], item=motion).exists()
    assert not changed, "GET changed the database:\n" + "\n".join(changed)
    assert not cached_tokens, f"token links answered from the public-page cache: {cached_tokens}"


def test_unsubscribe_link_acts_again_after_undo_never_from_the_cache(client, people, public_cache):  # noqa: F811
    motion = submit_motion(people)
    notification_services.follow(people["member"], motion)
    url = f"/motions/unsubscribe/{tokens.make_token(people['member'].pk, f'item:{motion.pk}')}/"
    following = Follow.objects.filter(member=people["member"], item=motion).exists

    page = client.get(url)
    assert "Unsubscribe?" in page.content.decode() and following()
    assert "no-cache" in page["Cache-Control"] and page.get("X-Public-Cache") is None
    assert "You are unsubscribed" in client.post(url).content.decode() and not following()
    assert "subscribed again" in client.post(url, {"undo": "1"}).content.decode() and following()

    again = client.get(url)  # the same link, after "Undo": asked again, not a cached "unsubscribed"
    assert again.get("X-Public-Cache") is None and "Unsubscribe?" in again.content.decode()
    # RFC 8058 one-click from the mail client acts again.
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and not following()
