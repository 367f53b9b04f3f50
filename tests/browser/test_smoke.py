import pytest


@pytest.mark.django_db(transaction=True)
def test_home_page_renders_in_chromium(live_server, page, demo_site):
    page.goto(f"{live_server.url}/branches/paris/")
    assert page.locator("h1").inner_text() == "Paris"
