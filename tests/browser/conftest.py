"""Real-browser tests: Playwright for Python driving Debian's chromium (never downloads a browser)."""

import os
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, base_url, email, password="demo", *, at="/login/"):
    """Sign in on the site's sign-in page (`at`: /login/, with its ?next=, or /admin/login/) by email
    and password, as a person does; returns once the browser has left the sign-in page."""
    page.goto(f"{base_url}{at}")
    form = page.locator("form", has=page.get_by_label("Password", exact=True))
    form.get_by_role("textbox", name="Email", exact=True).fill(email)
    form.get_by_label("Password", exact=True).fill(password)
    form.get_by_role("button", name="Log in", exact=True).click()
    sign_in_path = urlsplit(f"{base_url}{at}").path
    page.wait_for_url(lambda url: urlsplit(url).path != sign_in_path)


def main_menu(page):
    """The site's main navigation, opened first when it is folded behind the "Menu" button (on a phone),
    as a person does."""
    nav = page.get_by_role("navigation", name="Main")
    button = nav.get_by_role("button", name="Menu")
    if button.is_visible() and button.get_attribute("aria-expanded") != "true":
        button.click()
    return nav


def use_session_of(page, base_url, member):
    """Give `page`'s browser the session a sign-in makes for `member`, for a story that starts signed
    in (signing in itself is the story of test_sign_in_journeys.py)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(member)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": base_url}])


def signed_in(browser, base_url, email, width=1280, height=900):
    """A new browser page (a browser of its own, `width` wide) signed in as the member `email`."""
    from cms.models import Member

    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    use_session_of(page, base_url, Member.objects.get(email=email))
    return page


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
