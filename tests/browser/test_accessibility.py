"""Accessibility in a real browser: the phone menu works from the keyboard, and a member drafts and
submits a motion with the keyboard alone. `serious_violations` (axe-core through axe-playwright-python,
which bundles axe.min.js) is for the sweep over every page type at both widths (PUBLIC, MEMBER_FORMS)."""


import pytest

from .conftest import signed_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PUBLIC = ["/", "/branches/paris/", "/campaigns/votes-for-life/", "/motions/", "/consultations/npf-2026/"]
MEMBER_FORMS = ["/my-motions/new/motion/", "/elections/liec-by-election-2026/nominate/",
                "/elections/liec-by-election-2026/vote/", "/account/", "/motions/notifications/"]


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
            for v in found if v.get("impact") in ("serious", "critical")]


def test_the_phone_menu_opens_and_closes_from_the_keyboard(live_server, browser, demo_site):
    page = signed_in(browser, live_server.url, "member@example.org", width=390, height=844)
    page.goto(f"{live_server.url}/")
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.get_by_role("link", name="My motions").is_visible()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # LI's name
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    link = nav.get_by_role("link", name="My motions")
    assert link.is_visible() and link.bounding_box()["height"] >= 44
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    page.context.close()


def tab_to(page, name, limit=60):
    """Press Tab until the focus is on the control named `name` (its text, label or value)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            const label = e.labels && e.labels[0] ? e.labels[0].textContent : '';
            return (e.textContent || '').trim() + '|' + label.trim() + '|' + (e.value || ''); }""")
        if name in focused.split("|"):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_member_drafts_and_submits_a_motion_with_the_keyboard_alone(live_server, browser, demo_site):
    from workflows.models import Item

    base = live_server.url
    page = signed_in(browser, base, "member@example.org")
    page.goto(f"{base}/")
    tab_to(page, "My motions")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/my-motions/")
    tab_to(page, "Draft a motion")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-motions/new/motion/")
    tab_to(page, "Title")
    page.keyboard.type("Votes for life, typed")
    page.keyboard.press("Tab")
    page.keyboard.type("Every overseas citizen keeps the vote for life.")
    tab_to(page, "Save the draft")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/new/" not in url)
    draft = Item.objects.get(title="Votes for life, typed")
    assert draft.status == "draft"
    # A motion needs a seconder: the member names one by email, then submits.
    tab_to(page, "Seconder's email address")
    page.keyboard.type("officer.paris@example.org")
    tab_to(page, "Invite")
    page.keyboard.press("Enter")
    page.get_by_text("officer.paris@example.org").first.wait_for()
    tab_to(page, "Submit to the Paris branch")
    page.keyboard.press("Enter")
    # The page answers once the item is submitted (waiting for "networkidle" raced the form's post).
    page.locator(".status", has_text="Waiting for its seconders to confirm").first.wait_for()
    draft.refresh_from_db()
    assert draft.reference and draft.status == "awaiting_seconders", page.locator("main").inner_text()[:600]
    assert "Waiting for its seconders to confirm" in page.locator(".status").first.inner_text()
    page.context.close()
