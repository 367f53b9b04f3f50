"""The policy officer's admin screens, and the public consultation pages members read."""

import io
from datetime import timedelta

import docx
from django.urls import reverse
from django.utils import timezone

from consultations.models import ExportJob
from workflows.models import Consultation


def test_policy_officer_picks_submissions_downloads_the_docx_and_marks_them_sent(client, ratified, people):
    client.force_login(people["policy"])
    index = client.get(reverse("exports:index"))
    assert index.status_code == 200 and b"Building a fairer Britain" in index.content

    page = client.get(reverse("exports:npf", args=["npf-2026"]))
    assert page.status_code == 200
    for key in ("votes", "care", "trade"):
        assert ratified[key].reference.encode() in page.content
    assert ratified["pending"].reference.encode() not in page.content

    response = client.post(reverse("exports:npf", args=["npf-2026"]),
                           {"reference": [ratified["care"].reference, ratified["trade"].reference],
                            "export_selected": ""})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("exports:job", args=[job.pk])
    assert job.status == ExportJob.Status.DONE

    detail = client.get(response.url)
    assert b"Download" in detail.content and b"Mark 2 items as sent" in detail.content
    status = client.get(reverse("exports:job_status", args=[job.pk])).json()
    assert status == {"status": "done", "done": 2, "total": 2, "percent": 100, "finished": True, "error": ""}

    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="LI-NPF-npf-2026-')
    doc = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == [
        "Fair trade", "Care for returning citizens",
    ]

    sent = client.post(reverse("exports:mark_sent", args=[job.pk]), follow=True)
    assert f"Recorded as sent to the NPF: {ratified['trade'].reference}, {ratified['care'].reference}".encode() \
        in sent.content or f"{ratified['care'].reference}, {ratified['trade'].reference}".encode() in sent.content
    ratified["care"].refresh_from_db()
    assert ratified["care"].status == "finished"


def test_exporting_all_ratified_with_one_click(client, ratified, people):
    client.force_login(people["policy"])
    client.post(reverse("exports:npf", args=["npf-2026"]), {"export_all": ""})
    assert ExportJob.objects.get().items.count() == 3


def test_a_consultation_with_nothing_ratified_gives_a_message_not_a_file(client, people, consultation):
    client.force_login(people["policy"])
    response = client.post(reverse("exports:npf", args=["npf-2026"]), {"export_all": ""}, follow=True)
    assert "Nothing to export for “Building a fairer Britain” (2026)" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_dropped_characters_are_shown_to_the_officer(client, people, consultation):
    from .conftest import ratify, submit

    item = ratify(submit(people, "policy_submission", "Escape", "<p>Esc\x1b key</p>", consultation=consultation,
                         commission=consultation.commissions.first()), people)
    client.force_login(people["policy"])
    response = client.post(reverse("exports:npf", args=["npf-2026"]), {"export_all": ""}, follow=True)
    content = response.content.decode()
    assert f"{item.reference} (1 character dropped (U+001B))" in content
    assert ExportJob.objects.get().affected_items == [{"reference": item.reference,
                                                       "dropped": "1 character dropped (U+001B)"}]


def refused(response):
    """Wagtail turns PermissionDenied into a redirect to the dashboard with a message."""
    return response.status_code == 302 and response.url == "/admin/"


def test_branch_officers_and_members_cannot_export(client, ratified, people):
    client.force_login(people["paris_officer"])
    assert refused(client.get(reverse("exports:npf", args=["npf-2026"])))
    assert refused(client.post(reverse("exports:npf", args=["npf-2026"]), {"export_all": ""}))
    assert refused(client.get(reverse("exports:index")))
    assert not ExportJob.objects.exists()


def test_secretary_exports_motions_for_conference(client, ratified, people):
    client.force_login(people["secretary"])
    page = client.get(reverse("exports:conference"))
    assert ratified["motion"].reference.encode() in page.content
    client.post(reverse("exports:conference"), {"export_all": ""})
    job = ExportJob.objects.get()
    assert job.kind == "conference" and job.status == "done"
    client.post(reverse("exports:mark_sent", args=[job.pk]))
    last = ratified["motion"].decisions.order_by("-pk").first()
    assert (last.outcome, last.stage_name) == ("sent", "Sent to Conference")
    # The secretary cannot reach the NPF export.
    assert refused(client.get(reverse("exports:npf", args=["npf-2026"])))


def test_members_see_open_consultations_with_closing_time_in_uk_and_branch_time(client, ratified, people, consultation):
    consultation.closes_at = timezone.now().replace(year=2099, month=3, day=13, hour=23, minute=59, second=0,
                                                    microsecond=0)  # 23:59 UTC = 23:59 UK time in March
    consultation.save()
    Consultation.objects.create(slug="npf-2020", year=2020, title="An old one", word_limit=500,
                                closes_at=timezone.now() - timedelta(days=400))

    anonymous = client.get("/consultations/").content.decode()
    assert "Building a fairer Britain" in anonymous and "Friday 13 March 2099, 23:59 UK time" in anonymous
    assert "Word limit: 1000 words" in anonymous and "Britain in the World; Health and Care" in anonymous
    assert "Past consultations" in anonymous and "An old one" in anonymous

    client.force_login(people["member"])  # a Sydney member: 10:59 on Saturday there
    page = client.get("/consultations/").content.decode()
    assert "Saturday 14 March 2099, 10:59 in Sydney (Australia/Sydney)" in page


def test_consultation_page_lists_the_submissions_li_has_made(client, ratified, consultation, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        page = client.get("/consultations/npf-2026/").content.decode()
    for key in ("votes", "care", "trade", "pending"):
        assert ratified[key].reference in page and ratified[key].title in page
    assert "4 submissions so far" in page
    assert page.index("Britain in the World</h3>") < page.index("Health and Care</h3>")
    assert client.get("/consultations/nope/").status_code == 404
