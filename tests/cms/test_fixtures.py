"""The reference and demo data are files under fixtures/ (fixtures/README.md): they load, they agree
with one another, and what an officer corrects in a file is what the seed and the migrations read."""

import importlib
import io
import shutil
import zoneinfo

import pytest
from django.apps import apps
from django.core.management import call_command

from campaigns.demo import read_campaigns
from cms import demo as site_demo
from cms.fixtures import DEFAULT_DIR, FixtureError, fixture_path, read_rows
from cms.models import BranchPage, Member, Region
from elections.demo import read_candidacies
from elections.models import Office
from elections.reference import coordinator_regions, guide_posts, load_offices
from steering_groups.demo import read_groups, read_proposals
from workflows.demo_content import read_commissions, read_members, read_motions, read_policy_submissions
from workflows.models import DecidingBody, ItemKind, Outcome, Pipeline

create_default_pipelines = importlib.import_module("workflows.migrations.0003_default_pipelines_and_roles").create


@pytest.fixture
def edited_fixtures(tmp_path, settings):
    """A copy of the fixtures tree that the test may edit, used in place of the real one."""
    copy = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_DIR, copy)
    settings.FIXTURES_DIR = copy
    return copy


def test_the_guide_has_19_posts_14_of_them_voting_officers_and_3_coordinators_elected_by_their_region():
    posts = guide_posts()
    assert len(posts) == 19 and len({post["key"] for post in posts}) == 19
    assert sum(post["officer"] for post in posts) == 14
    assert coordinator_regions() == {
        "coordinator-europe-africa-middle-east": "europe-africa-middle-east",
        "coordinator-asia-australasia-pacific": "asia-australasia-pacific",
        "coordinator-americas": "americas",
    }
    region_slugs = {slug for _number, _name, slug in site_demo.read_regions()}
    assert set(coordinator_regions().values()) == region_slugs
    assert {post["restriction"] for post in posts} <= {"", "woman", "bame", "disability", "lgbt", "youth"}


def test_the_default_pipelines_name_only_known_bodies_and_outcomes():
    from cms.fixtures import read_toml

    pipelines = read_toml("reference/pipelines.toml")["pipeline"]
    assert [p["slug"] for p in pipelines] == ["motion", "policy-submission", "steering-group-proposal"]
    for pipeline in pipelines:
        assert pipeline["kind"] in ItemKind.values
        for stage in pipeline["stage"]:
            assert stage["deciding_body"] in DecidingBody.values
            assert set(stage["allowed_outcomes"]) <= set(Outcome.values)
            assert set(stage["advancing_outcomes"]) <= set(stage["allowed_outcomes"])


def test_the_migrated_pipelines_and_posts_are_the_files(db):
    from cms.fixtures import read_toml

    for spec in read_toml("reference/pipelines.toml")["pipeline"]:
        pipeline = Pipeline.objects.get(slug=spec["slug"])
        stages = [(s.name, s.deciding_body, s.allowed_outcomes, s.advancing_outcomes, s.takes_votes)
                  for s in pipeline.stages.order_by("sort_order")]
        assert stages == [(s["name"], s["deciding_body"], s["allowed_outcomes"], s["advancing_outcomes"],
                           s["takes_votes"]) for s in spec["stage"]]
    if not Office.objects.exists():  # a transactional test before may have flushed the migration's rows
        load_offices(Office)
    assert list(Office.objects.values_list("key", "title", "officer", "job_share_allowed", "restriction")) == [
        (p["key"], p["title"], p["officer"], p["job_share_allowed"], p["restriction"]) for p in guide_posts()]


def test_the_demo_files_agree_with_one_another():
    branches = {row["slug"] for row in site_demo.read_branches()}
    regions = {slug for _number, _name, slug in site_demo.read_regions()}
    for row in site_demo.read_branches():
        assert row["region"] in regions
        zoneinfo.ZoneInfo(row["time_zone"])  # a real IANA zone
    assert len(branches) == 24
    assert {row["branch"] for row in read_members()} <= branches
    commissions = {slug for slug, _name in read_commissions()}
    assert {commission for _title, commission, _paragraphs in read_policy_submissions()} <= commissions
    assert len(read_motions()) == 34 and all(all(parts) for parts in read_motions())
    accounts = {email for email, *_rest in site_demo.read_accounts()}
    groups = {group["slug"]: group for group in read_groups()}
    for group in groups.values():
        for email in group["conveners"] + group["members"]:
            assert email in accounts or email.removeprefix("officer.").removesuffix("@example.org") in branches
    assert {group for group, _title, _text in read_proposals()} <= set(groups)
    assert set(read_candidacies()) <= {post["key"] for post in guide_posts()}
    assert all(text for campaign in read_campaigns() for text in [campaign["resource"][2]])


def test_the_sample_membership_csv_imports_cleanly_on_the_demo_site(demo_site):
    out = io.StringIO()
    call_command("import_members", str(fixture_path("demo", "members.csv")), stdout=out, stderr=io.StringIO())
    assert "24 created, 0 updated, 0 unchanged, 0 rejected." in out.getvalue()


def test_a_branch_corrected_in_its_file_is_what_the_seed_makes(db, edited_fixtures):
    branches = edited_fixtures / "demo" / "branches.csv"
    text = branches.read_text(encoding="utf-8")
    text = text.replace('"Second Tuesday of the month, 19:30"', '"Every other Thursday, 20:00"')
    text += "lagos,Lagos,europe-africa-middle-east,Nigeria,Africa/Lagos,\"First Friday of the month, 18:00\"\n"
    branches.write_text(text, encoding="utf-8")
    regions = edited_fixtures / "reference" / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8").replace("3,The Americas,", "3,The Americas and the Caribbean,"),
                       encoding="utf-8")

    site_demo.seed(io.StringIO(), content=False)

    assert BranchPage.objects.get(slug="paris").meeting_pattern == "Every other Thursday, 20:00"
    lagos = BranchPage.objects.get(slug="lagos")
    assert (lagos.title, lagos.time_zone, lagos.region.slug) == ("Lagos", "Africa/Lagos", "europe-africa-middle-east")
    assert Member.objects.filter(email="officer.lagos@example.org").exists()
    assert Region.objects.get(number=3).name == "The Americas and the Caribbean"


def test_a_post_corrected_in_the_guide_file_is_what_the_posts_are_loaded_from(db, edited_fixtures):
    posts = edited_fixtures / "reference" / "guide_2023_posts.csv"
    posts.write_text(posts.read_text(encoding="utf-8").replace(
        "youth-officer,Youth Officer,yes,yes,youth,", "youth-officer,Young Members' Officer,yes,no,youth,"),
        encoding="utf-8")

    load_offices(Office)

    youth = Office.objects.get(key="youth-officer")
    assert (youth.title, youth.job_share_allowed, youth.restriction) == ("Young Members' Officer", False, "youth")


def test_a_pipeline_added_to_its_file_is_made_by_the_migration_and_the_others_are_left_alone(db, edited_fixtures):
    pipelines = edited_fixtures / "reference" / "pipelines.toml"
    pipelines.write_text(pipelines.read_text(encoding="utf-8").replace('name = "Motion"\n', 'name = "Renamed"\n')
                         + '\n[[pipeline]]\nslug = "emergency-motion"\nname = "Emergency motion"\nkind = "motion"\n'
                           '\n[[pipeline.stage]]\nname = "GC"\ndeciding_body = "gc"\n'
                           'allowed_outcomes = ["carried", "fell"]\nadvancing_outcomes = ["carried"]\n'
                           'takes_votes = true\n', encoding="utf-8")
    create_default_pipelines(apps, None)
    create_default_pipelines(apps, None)  # idempotent

    emergency = Pipeline.objects.get(slug="emergency-motion")
    assert not emergency.is_default  # the motion kind has its default already
    assert list(emergency.stages.values_list("name", "deciding_body", "outside_body", "takes_votes")) == [
        ("GC", "gc", "", True)]
    assert Pipeline.objects.get(slug="motion").name == "Motion"  # made before: the admin's, not the file's


def test_a_file_with_a_wrong_value_is_refused_with_its_name_and_line(db, edited_fixtures):
    posts = edited_fixtures / "reference" / "guide_2023_posts.csv"
    posts.write_text(posts.read_text(encoding="utf-8").replace("chair,Chair,yes,no,,", "chair,Chair,perhaps,no,,"),
                     encoding="utf-8")
    with pytest.raises(FixtureError, match=r"guide_2023_posts.csv, line 2: “perhaps” is neither yes nor no"):
        guide_posts()
    branches = edited_fixtures / "demo" / "branches.csv"
    branches.write_text(branches.read_text(encoding="utf-8") + "oslo,Oslo,europe-africa-middle-east\n",
                        encoding="utf-8")
    with pytest.raises(FixtureError, match=r"branches.csv: line 26 has too few fields"):
        read_rows("demo/branches.csv", ["slug", "name", "region", "country", "time_zone", "meeting_pattern"])
