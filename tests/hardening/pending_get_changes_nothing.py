"""No GET changes state, and nothing personal is answered from the public-page cache.

Every URL pattern of the site outside the two admins (what the public-page cache may hold: an
anonymous GET) is fetched with GET, anonymously and as a logged-in member, with the cache on;
the database must be exactly the same afterwards. Links that act on a signed token (unsubscribe,
seconding, consent, invitations) are never answered from the cache. A new URL pattern whose
arguments this test cannot fill fails it until someone reviews the view and adds a sample.
"""

import hashlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLResolver, get_resolver

from notifications import services as notification_services
from notifications import tokens
from notifications.models import Follow

from .conftest import branches, people, public_cache, submit_motion  # noqa: F401 (fixtures)

# Rows that a GET may write without changing what the site holds.
NOT_STATE = {"sessions.session", "axes.accessattempt", "axes.accesslog", "django_q.ormq", "django_q.task"}
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
    if "^" in route or "(?P" in route:
        pytest.fail(f"Review the view of {route!r} (does its GET change anything?) and add a sample URL")
    route = route.replace("api/v2/^", "api/v2/")

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


def test_no_get_of_any_url_changes_what_the_site_holds(people, branches, public_cache):  # noqa: F811
    motion = submit_motion(people)
    notification_services.follow(people["member"], motion)
    samples = {
        "slug": "paris", "reference": motion.reference, "pk": motion.pk, "kind": "motion", "action": "withdraw",
        "seconding_pk": 999999, "restriction_id": 999999, "page_view_restriction_id": 999999, "page_id": 999999,
        "token": "not-a-token",
        route_key("motions/unsubscribe/<str:token>/", "token"): tokens.make_token(people["member"].pk,
                                                                              f"item:{motion.pk}"),
    }
    member = Client()
    member.force_login(people["member"])
    anonymous = Client()
    changed, cached_tokens = [], []
    before = fingerprint()
    for route, _view in routes():
        url = sample_url(route, samples)
        for client in (anonymous, member):
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
