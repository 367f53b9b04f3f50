"""The attack of the first version, replayed in a real browser: a member types hostile markup
(CDATA, comments, <meta>, event handlers, javascript: links, SVG) into a motion; the member's own
page, then the administrator's inspect view, the items listing and the users search show it
and nothing of it runs (window.__pwned stays undefined, no dialog opens, no navigation), under
the admin's Content-Security-Policy."""

import re

import pytest

from tests.hardening.hostile import ACTIVE, MARK

from .conftest import signed_in

# One text with every known attack, as a member would paste it.
HOSTILE_TEXT = "\n\n".join(["<p>Kept words of the motion.</p>", *ACTIVE])
HOSTILE_TITLE = '"><img src=x onerror=window.__pwned=1> Votes for Life'


def watch(page):
    """Record every dialog and every page navigation that the markup could cause."""
    seen = {"dialogs": [], "navigations": []}
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("framenavigated", lambda frame: seen["navigations"].append(frame.url))
    return seen


def assert_nothing_ran(page, seen, url):
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # let onerror/onload handlers of broken images fire, were there any
    assert page.evaluate(f"typeof window.{MARK}") == "undefined", url
    assert not seen["dialogs"], seen["dialogs"]
    assert all(not u.startswith("javascript:") for u in seen["navigations"]), seen["navigations"]
    assert page.locator("script:not([src])", has_text=MARK).count() == 0
    for element in page.locator(f'[onerror*="{MARK}"], [onload*="{MARK}"], [onclick*="{MARK}"], '
                                f'a[href^="javascript" i], iframe, object, embed, svg script, meta[http-equiv]').all():
        raise AssertionError(f"{url}: an active element survived: {element.evaluate('e => e.outerHTML')}")


@pytest.mark.django_db(transaction=True)
def test_a_members_hostile_motion_runs_nothing_for_the_member_or_the_administrator(live_server, browser, demo_site):
    from cms.models import Member
    from workflows import services
    from workflows.models import Item

    base = live_server.url
    member = signed_in(browser, base, "member@example.org", width=390, height=844)  # on a phone
    seen = watch(member)
    member.goto(f"{base}/my-motions/new/motion/")
    member.get_by_label("Title").fill(HOSTILE_TITLE)
    member.get_by_label("Text").fill(HOSTILE_TEXT)
    member.get_by_label("Seconders' email addresses").fill("secretary@example.org")
    member.get_by_role("button", name="Save the draft").click()
    member.wait_for_url(re.compile(r".*/my-motions/\d+/$"), timeout=60_000)  # saving sends the seconder's email
    assert_nothing_ran(member, seen, member.url)
    member.get_by_role("button", name="Submit to the Paris branch").click()
    member.get_by_text("Kept words of the motion.").wait_for()
    member.get_by_text(HOSTILE_TITLE.strip()).first.wait_for()  # the title is shown as the text typed
    assert_nothing_ran(member, seen, member.url)
    draft = Item.objects.get(title=HOSTILE_TITLE.strip())
    assert draft.reference  # submitted, waiting for its seconder
    services.confirm_seconding(draft, Member.objects.get(email="secretary@example.org"))  # it goes forward
    draft.refresh_from_db()
    assert draft.submitted_at is not None
    assert "Kept words of the motion." in draft.text and "CDATA" not in draft.text and MARK not in draft.text
    member.context.close()

    admin = signed_in(browser, base, "admin@example.org")
    seen = watch(admin)
    for path in (f"/admin/items/inspect/{draft.pk}/", "/admin/items/", "/admin/users/?q=member"):
        response = admin.goto(f"{base}{path}")
        assert response.status == 200, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0], policy
        assert_nothing_ran(admin, seen, path)
    admin.goto(f"{base}/admin/items/inspect/{draft.pk}/")
    admin.get_by_text("Kept words of the motion.").first.wait_for()
    admin.context.close()
