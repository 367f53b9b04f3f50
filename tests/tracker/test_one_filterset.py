"""One set of filters (workflows.filters.ItemFilterSet) for the tracker, the API and the admin's
item listing: the same query finds the same items in all three; nonsense is an empty list on the
tracker, a 400 saying why in the API."""

import re

import pytest

from tests.tracker.test_api import items  # noqa: F401 (a motion, a draft, a submission, a proposal)

QUERIES = ["kind=policy_submission", "branch=paris", "status=in_progress&kind=proposal", "stage=GC%20ratification",
           "q=nurses", "q=NHS%20nurses", "region=europe", "year=2026", "kind=motion&branch=berlin"]
REFERENCE = re.compile(r"\b(?:M|P|SG)-\d{4}-\d{3}\b")


def references_on_the_tracker(client, query):
    return set(REFERENCE.findall(client.get(f"/motions/?{query}").content.decode()))


def references_in_the_api(client, query):
    return {i["reference"] for i in client.get(f"/api/v2/motions/?{query}").json()["items"]}


def references_in_the_admin(client, query, made):
    page = client.get(f"/admin/items/?{query}").content.decode()
    return {i.reference for i in made.values() if i.reference and i.reference in page}


@pytest.mark.parametrize("query", QUERIES)
def test_the_tracker_the_api_and_the_admin_find_the_same_items(client, items, people, query):  # noqa: F811
    public = {i.reference for i in items.values() if i.reference and i.status not in ("draft", "awaiting_seconders")}
    on_tracker = references_on_the_tracker(client, query) & public
    in_api = references_in_the_api(client, query)
    client.force_login(people["secretary"])
    in_admin = references_in_the_admin(client, query, items) & public
    assert on_tracker == in_api == in_admin, (on_tracker, in_api, in_admin)


def test_filters_narrow_the_list(client, items):  # noqa: F811
    assert references_in_the_api(client, "kind=policy_submission") == {items["submission"].reference}
    assert references_in_the_api(client, "q=NHS%20nurses") == {items["submission"].reference}
    assert references_in_the_api(client, "q=NHS%20elephants") == set()


@pytest.mark.parametrize("query", ["stage=Nowhere", "year=26", "branch=atlantis", "kind=resolution"])
def test_nonsense_is_an_empty_tracker_and_a_400_saying_why(client, items, query):  # noqa: F811
    tracker = client.get(f"/motions/?{query}")
    assert tracker.status_code == 200 and not REFERENCE.findall(tracker.content.decode().split("result-count")[1])
    api = client.get(f"/api/v2/motions/?{query}")
    assert api.status_code == 400 and query.split("=")[0] in api.json()["message"]
