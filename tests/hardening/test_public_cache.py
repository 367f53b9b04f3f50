"""Anonymous visitors get cached pages; publishing a page or recording a decision makes them fresh."""

from django.http import HttpResponse

from cms.cache import response_is_cacheable
from workflows import services

from .conftest import submit_motion


def test_anonymous_branch_page_is_cached_until_a_new_version_is_published(
    client, branches, public_cache, django_capture_on_commit_callbacks
):
    paris = branches["paris"]
    paris.save_revision().publish()
    first = client.get("/branches/paris/")
    assert first.status_code == 200 and first["X-Public-Cache"] == "miss"
    assert client.get("/branches/paris/")["X-Public-Cache"] == "hit"

    paris.title = "Paris and Île-de-France"
    with django_capture_on_commit_callbacks(execute=True):
        paris.save_revision().publish()

    fresh = client.get("/branches/paris/")
    assert fresh["X-Public-Cache"] == "miss"
    assert "Paris and Île-de-France" in fresh.content.decode()


def test_unpublishing_a_page_removes_it_from_the_cache(client, branches, public_cache,
                                                       django_capture_on_commit_callbacks):
    assert client.get("/branches/berlin/").status_code == 200
    assert client.get("/branches/berlin/")["X-Public-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        branches["berlin"].unpublish()
    assert client.get("/branches/berlin/").status_code == 404


def test_recording_a_decision_refreshes_the_cached_api(client, people, public_cache,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        motion = submit_motion(people)
    url = f"/api/v2/motions/{motion.pk}/"
    assert client.get(url).json()["status"] == "in_progress"
    assert client.get(url)["X-Public-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.record_decision(motion, "fell", people["paris_officer"], votes_for=2, votes_against=9)

    fresh = client.get(url)
    assert fresh["X-Public-Cache"] == "miss"
    assert fresh.json()["status"] == "fell"
    assert fresh.json()["history"][0]["votes"]["against"] == 9


def test_logged_in_member_neither_gets_nor_fills_the_cache(client, people, branches, public_cache):
    branches["paris"].save_revision().publish()
    client.force_login(people["member"])
    logged_in = client.get("/branches/paris/")
    assert logged_in.status_code == 200 and "X-Public-Cache" not in logged_in
    client.logout()
    assert client.get("/branches/paris/")["X-Public-Cache"] == "miss"


def test_only_responses_that_are_the_same_for_everybody_are_cacheable():
    assert response_is_cacheable(HttpResponse("<p>hello</p>"))
    with_cookie = HttpResponse("<form>…</form>")
    with_cookie.set_cookie("csrftoken", "x")
    assert not response_is_cacheable(with_cookie)
    assert not response_is_cacheable(HttpResponse("<p>hello</p>", headers={"Vary": "*"}))
    assert not response_is_cacheable(HttpResponse("<p>x</p>", headers={"Cache-Control": "private"}))
    assert not response_is_cacheable(HttpResponse("not found", status=404))
    assert not response_is_cacheable(HttpResponse(b"BEGIN:VCALENDAR", content_type="text/calendar"))
