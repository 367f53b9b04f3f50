"""No anonymous GET gives a 500: whatever a visitor (or a scanner) puts in the query string of a
public listing, the answer is the page, an empty list, or a 400 with a message."""

import pytest
from django.test import Client

from .conftest import submit_motion

BAD_VALUES = ["abc", "-1", "0", "99999999999999999999999", "1e9", "1.5", "９", "\u202e", "%00", "\x00", "'\"<>",
              "x" * 5000, "2026-13", "", " ", "[]", "null"]
LISTINGS = {
    "/motions/": ["stage", "year", "kind", "status", "branch", "q", "page", "consultation"],
    "/api/v2/motions/": ["stage", "year", "kind", "status", "branch", "q", "search", "offset", "limit", "order"],
    "/api/v2/pages/": ["offset", "limit", "search", "type", "fields", "order", "child_of", "descendant_of", "slug"],
    "/consultations/": ["page", "year", "q"],
    "/motions/feeds/decisions/": ["page", "branch"],
    "/elections/": ["page", "year"],
}


@pytest.fixture
def listed(people, branches, settings):
    settings.DEBUG = False
    submit_motion(people)
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", LISTINGS)
def test_bad_query_values_never_give_a_server_error(listed, url):
    failures = []
    for param in LISTINGS[url]:
        for value in BAD_VALUES:
            response = listed.get(url, {param: value})
            if response.status_code >= 500:
                failures.append((param, value[:20]))
            elif response.status_code == 400 and url.startswith("/api/"):
                assert response.json().get("message"), (param, value)
    assert not failures, f"{url}: {failures}"


@pytest.mark.parametrize("url", ["/motions/X-0000-000/", "/motions/%00/", "/elections/no-such-election/",
                                 "/elections/%00/results/", "/meetings/999999999999999999999/", "/api/v2/motions/abc/",
                                 "/api/v2/motions/99999999999999999999/", "/api/v2/pages/99999999999999999999/",
                                 "/branches/%00/", "/consultations/no-such/"])
def test_unknown_or_absurd_ids_are_not_found(listed, url):
    assert listed.get(url).status_code in (400, 404)
