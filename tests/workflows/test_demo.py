"""seed_demo's workflow data: 60+ items of every kind at every stage, with history; idempotent."""

import io
from collections import Counter

from django.utils import timezone

from steering_groups import demo as steering_demo
from workflows import demo
from workflows.models import Consultation, Decision, Item, Meeting, Pipeline


def test_demo_items_cover_every_kind_and_stage_with_history_and_is_idempotent(demo_site):
    steering_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    items = Item.objects.count()
    assert items >= 60
    in_progress_stages = set(Item.objects.filter(status="in_progress").values_list("current_stage", flat=True))
    every_stage = set(Pipeline.objects.values_list("stages", flat=True))
    assert every_stage <= in_progress_stages
    # Amendments (one waiting before its motion, one accepted as friendly and merged) and a composite.
    kinds = Counter(Item.objects.values_list("kind", flat=True))
    assert kinds["amendment"] == 2 and kinds["composite"] == 1
    statuses = Counter(Item.objects.values_list("status", flat=True))
    assert {"draft", "finished", "fell", "withdrawn", "in_progress"} <= set(statuses)
    # Decisions by the right officers, with votes, over months.
    # (An amendment accepted as friendly is recorded by the motion's proposer, as it happened.)
    branch = Decision.objects.filter(deciding_body="branch_meeting").exclude(
        outcome__in=["withdrawn", "accepted_as_friendly"]).select_related("recorded_by", "item__branch")
    assert all(d.recorded_by.email == f"officer.{d.item.branch.slug}@example.org" for d in branch)
    assert Decision.objects.filter(deciding_body="gc", recorded_by__email="secretary@example.org").exists()
    dates = sorted(Decision.objects.values_list("decided_on", flat=True))
    assert (dates[-1] - dates[0]).days > 150
    assert Meeting.objects.filter(starts_at__lt=timezone.now(), minutes_status="approved").exists()
    upcoming = Meeting.objects.upcoming()
    assert any(m.agenda.exists() for m in upcoming.filter(body="gc"))
    assert Consultation.objects.get(slug="npf-2026").is_open

    decisions, meetings = Decision.objects.count(), Meeting.objects.count()
    demo.seed(io.StringIO())
    assert (Item.objects.count(), Decision.objects.count(), Meeting.objects.count()) == (items, decisions, meetings)


def test_demo_meetings_decided_only_what_happened_and_none_is_called_next(demo_site):
    steering_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert not Meeting.objects.filter(title__icontains="(next)").exists()
    for decision in Decision.objects.filter(meeting__isnull=False).select_related("meeting"):
        assert decision.meeting.starts_at <= decision.recorded_at, decision
    for meeting in Meeting.objects.filter(minutes_status="approved"):
        assert not meeting.open_agenda_entries().exists(), meeting
    # Every branch has its next meeting once, with an online link for members.
    upcoming = Meeting.objects.upcoming().filter(body="branch")
    assert {m.branch_id for m in upcoming} == {b.pk for b in demo_site.values()}
    assert all(m.online_link for m in upcoming)
