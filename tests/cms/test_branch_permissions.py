"""Delegated editing: a branch's officers edit their branch and nothing else."""

from itertools import permutations

import pytest
from django.core.files.base import ContentFile
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permissions import policy_registry

from cms.models import BranchIndexPage, BranchPage, Member, MicrositeTeam
from tests.cms.helpers import add_news


@pytest.fixture
def officers(demo_site):
    return {slug: Member.objects.get(email=f"officer.{slug}@example.org") for slug in demo_site}


def test_every_new_branch_gets_its_officers_group_and_collection(demo_site):
    for branch in demo_site.values():
        team = MicrositeTeam.objects.get(page=branch)
        assert team.group.name == f"{branch.title} branch officers"
        assert team.collection.name == branch.title
        assert team.group.permissions.filter(codename="access_admin").exists()
        assert set(team.group.page_permissions.values_list("page_id", flat=True)) == {branch.pk}
        assert set(team.group.collection_permissions.values_list("collection_id", flat=True)) == {team.collection_id}


def test_a_branch_created_in_code_gets_its_group_too(demo_site):
    index = BranchIndexPage.objects.get()
    lagos = index.add_child(instance=BranchPage(title="Lagos", slug="lagos", region=demo_site["paris"].region,
                                                country="Nigeria", time_zone="Africa/Lagos"))
    assert MicrositeTeam.objects.get(page=lagos).group.name == "Lagos branch officers"


def test_no_branch_officer_can_edit_publish_or_add_under_another_branch(demo_site, officers):
    assert len(demo_site) >= 20
    for slug, branch in demo_site.items():
        own = branch.permissions_for_user(officers[slug])
        assert own.can_edit() and own.can_publish() and own.can_add_subpage(), slug
    for mine, theirs in permutations(demo_site, 2):
        tester = demo_site[theirs].permissions_for_user(officers[mine])
        assert not tester.can_edit(), (mine, theirs)
        assert not tester.can_publish(), (mine, theirs)
        assert not tester.can_add_subpage(), (mine, theirs)
        assert not tester.can_delete(), (mine, theirs)


def test_officers_see_only_their_own_branch_collection_images_documents_and_forms(demo_site, officers):
    teams = {t.page_id: t for t in MicrositeTeam.objects.select_related("collection")}
    for slug, officer in officers.items():
        own_collection = teams[demo_site[slug].pk].collection
        for model in (get_image_model(), get_document_model()):
            policy = policy_registry.get_by_type(model)
            collections = policy.collections_user_has_any_permission_for(officer, ["add", "change", "choose"])
            # their collection, and its "Published" sub-collection (uploads everybody may see)
            assert list(collections.order_by("path")) == [own_collection, *own_collection.get_children()], slug
            assert [c.name for c in own_collection.get_children()] == ["Published"]
        # Form submissions follow page permissions: only forms inside their own branch.
        own_subtree = Page.objects.descendant_of(demo_site[slug], inclusive=True)
        assert not get_forms_for_user(officer).exclude(pk__in=own_subtree).exists()


def test_paris_officer_cannot_open_berlin_pages_in_the_admin(client, demo_site, officers):
    paris, berlin = demo_site["paris"], demo_site["berlin"]
    add_news(berlin, 1)
    berlin_news = berlin.get_children().first()
    client.force_login(officers["paris"])
    for url in (f"/admin/pages/{berlin.pk}/edit/", f"/admin/pages/{berlin_news.pk}/edit/",
                f"/admin/pages/add/cms/newspage/{berlin.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert f"/admin/pages/{berlin.pk}/edit/" not in response.get("Location", "")
    assert client.get(f"/admin/pages/{paris.pk}/edit/").status_code == 200
    assert policy_registry.get_by_type(Page).explorable_root_instance(officers["paris"]).pk == paris.pk
    explorer = client.get("/admin/pages/", follow=True)
    assert explorer.status_code == 200
    html = explorer.content.decode()
    assert "Paris" in html and "Berlin" not in html


def test_paris_officer_does_not_see_berlin_documents(client, demo_site, officers):
    teams = {t.page_id: t for t in MicrositeTeam.objects.select_related("collection")}
    document = get_document_model()
    document.objects.create(title="Berlin minutes", collection=teams[demo_site["berlin"].pk].collection,
                            file=ContentFile(b"minutes", name="berlin-minutes.txt"))
    document.objects.create(title="Paris minutes", collection=teams[demo_site["paris"].pk].collection,
                            file=ContentFile(b"minutes", name="paris-minutes.txt"))
    client.force_login(officers["paris"])
    listing = client.get("/admin/documents/").content.decode()
    assert "Paris minutes" in listing
    assert "Berlin minutes" not in listing


def test_copying_a_branch_gives_the_copy_its_own_team(demo_site, officers):
    paris = demo_site["paris"]
    copy = paris.copy(recursive=False, update_attrs={"slug": "paris-2", "title": "Paris"})
    team = MicrositeTeam.objects.get(page=copy)
    assert team.group.name == "Paris branch officers (paris-2)"
    assert team.collection != MicrositeTeam.objects.get(page=paris).collection
    assert not copy.permissions_for_user(officers["paris"]).can_edit()
