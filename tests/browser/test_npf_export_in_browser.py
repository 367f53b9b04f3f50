"""The policy officer exports the ratified submissions from the Wagtail admin in a real browser and
downloads the Word document."""

import docx
import pytest

# The export tests' fixtures: branches, their officers and the LI officers, a consultation.
from tests.consultations.conftest import RICH_SUBMISSION, branches, consultation, people, ratify, submit  # noqa: F401

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ratified_items(people, consultation):  # noqa: F811 (fixtures imported above)
    world = consultation.commissions.get(slug="britain-in-the-world")
    return [ratify(submit(people, "policy_submission", title, RICH_SUBMISSION, consultation=consultation,
                          commission=world), people) for title in ("Votes for life", "Fair trade")]


def test_policy_officer_downloads_the_npf_docx_and_marks_it_sent(page, live_server, people, ratified_items, tmp_path):  # noqa: F811, E501
    sign_in(page, live_server.url, "policy@example.org", at="/admin/login/")
    page.goto(f"{live_server.url}/admin/exports/")
    page.click("text=Choose and export")
    page.uncheck(f"input[value='{ratified_items[1].reference}']")
    page.click("button[name=export_selected]")
    page.wait_for_selector("text=Download")
    with page.expect_download() as download_info:
        page.click("a:has-text('Download')")
    path = tmp_path / "npf.docx"
    download_info.value.save_as(path)
    doc = docx.Document(path)
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == ["Votes for life"]

    page.click("button:has-text('Mark 1 item as sent')")
    page.wait_for_selector(f"text=Recorded as sent to the NPF: {ratified_items[0].reference}")
    ratified_items[0].refresh_from_db()
    assert ratified_items[0].status == "finished"
