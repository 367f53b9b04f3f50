"""A branch's uploads are private until a live page uses them or an officer publishes them.

The Paris officer uploads a document and an image to the branch's collection (where the admin puts
their uploads). Nobody else can download the document or see the image (nor find them in the API)
until a published page of the site uses them, or the officer moves them to the branch's
"Published" collection. A draft that uses them does not count; unpublishing the page makes them
private again. The site-wide collection (the communications officer's) is public.
"""

import io
import json

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents.models import Document
from wagtail.images import get_image_model
from wagtail.models import Collection

from cms.models import MicrositeTeam, NewsPage
from cms.published_media import PUBLISHED_COLLECTION_NAME, is_public

from .conftest import branches, people  # noqa: F401 (fixtures)


def png():
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (10, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def paris_uploads(branches, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    for cache in caches.all():  # Wagtail keeps renditions in the cache: none from another test's database
        cache.clear()
    collection = MicrositeTeam.objects.get(page=branches["paris"]).collection
    document = Document.objects.create(title="AGM minutes draft", collection=collection,
                                       file=ContentFile(b"Minutes of the Paris AGM", name="agm-minutes.txt"))
    image = get_image_model().objects.create(title="AGM photo", collection=collection,
                                             file=ContentFile(png(), name="agm.png"))
    rendition = image.get_rendition("fill-20x20")
    return {"document": document, "image": image, "rendition": rendition, "collection": collection}


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def download(client, document):
    return client.get(document.url)


def answer(response):
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    return response.status_code


def listed(client, endpoint):
    return [entry["title"] for entry in json.loads(client.get(f"/api/v2/{endpoint}/").content)["items"]]


def uses_them(uploads):
    return [("rich_text", f'<p>Read <a linktype="document" id="{uploads["document"].pk}">the minutes</a>.</p>'),
            ("image", {"image": uploads["image"], "caption": "Our AGM"})]


def test_a_branch_upload_is_seen_only_by_its_editors_until_used(people, paris_uploads):  # noqa: F811
    document, rendition = paris_uploads["document"], paris_uploads["rendition"]
    assert not is_public(document) and not is_public(paris_uploads["image"])
    expected = {None: "login", "member": 403, "berlin_officer": 403, "paris_officer": 200}
    for role, status in expected.items():
        client = client_for(people[role] if role else None)
        assert answer(download(client, document)) == status, role
        image_status = 200 if role == "paris_officer" else 404
        assert client.get(rendition.url).status_code == image_status, role
        assert client.get(paris_uploads["image"].file.url).status_code == image_status, role
    response = download(client_for(people["paris_officer"]), document)
    assert b"".join(response.streaming_content) == b"Minutes of the Paris AGM"
    assert client_for(people["paris_officer"]).get(rendition.url)["Cache-Control"] == "private, no-store"
    # The file itself is never served from /media/: documents go through their download view.
    assert client_for(people["paris_officer"]).get(f"/media/{document.file.name}").status_code == 404
    anonymous = client_for()
    assert listed(anonymous, "documents") == [] and listed(anonymous, "images") == []
    assert anonymous.get(f"/api/v2/documents/{document.pk}/").status_code == 404
    assert anonymous.get(f"/api/v2/images/{paris_uploads['image'].pk}/").status_code == 404


def test_a_published_page_using_them_makes_them_public_and_a_draft_does_not(people, branches, paris_uploads):  # noqa: F811
    document, image = paris_uploads["document"], paris_uploads["image"]
    story = branches["paris"].add_child(instance=NewsPage(title="AGM report", slug="agm", live=False,
                                                          body=uses_them(paris_uploads)))
    anonymous = client_for()
    assert answer(download(anonymous, document)) == "login"  # a draft's use does not count

    story.save_revision().publish()
    assert is_public(document) and is_public(image)
    response = download(anonymous, document)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"Minutes of the Paris AGM"
    rendition = anonymous.get(paris_uploads["rendition"].url)
    assert rendition.status_code == 200 and rendition["Cache-Control"] == "public, max-age=3600"
    assert b"".join(rendition.streaming_content)[:4] == b"\x89PNG"
    assert listed(anonymous, "documents") == ["AGM minutes draft"] and listed(anonymous, "images") == ["AGM photo"]
    assert download(client_for(people["member"]), document).status_code == 200

    story.refresh_from_db()
    story.unpublish()
    assert answer(download(anonymous, document)) == "login"
    assert anonymous.get(paris_uploads["rendition"].url).status_code == 404
    assert listed(anonymous, "documents") == []


def test_the_officer_publishes_an_upload_by_moving_it_to_the_published_collection(people, paris_uploads):  # noqa: F811
    published = paris_uploads["collection"].get_children().get(name=PUBLISHED_COLLECTION_NAME)
    document = paris_uploads["document"]
    officer = client_for(people["paris_officer"])
    # The officer can choose the branch's "Published" collection in the document's edit form.
    form = officer.get(f"/admin/documents/edit/{document.pk}/").content.decode()
    assert f'value="{published.pk}"' in form
    response = officer.post(f"/admin/documents/edit/{document.pk}/", {
        "title": document.title, "collection": published.pk, "tags": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    document.refresh_from_db()
    assert document.collection == published
    assert download(client_for(), document).status_code == 200
    assert listed(client_for(), "documents") == ["AGM minutes draft"]
    # Another branch's officer cannot publish (or even open) Paris's uploads.
    image = paris_uploads["image"]
    berlin = client_for(people["berlin_officer"])
    berlin.post(f"/admin/images/{image.pk}/", {"title": image.title, "collection": published.pk})
    image.refresh_from_db()
    assert image.collection == paris_uploads["collection"] and not is_public(image)


def test_site_wide_uploads_are_public_and_every_branch_has_a_published_collection(people, branches, settings,  # noqa: F811
                                                                                 tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = Document.objects.create(title="Rule book", collection=Collection.get_first_root_node(),
                                       file=ContentFile(b"Rules", name="rules.txt"))
    assert download(client_for(), document).status_code == 200
    for team in MicrositeTeam.objects.all():
        assert team.collection.get_children().filter(name=PUBLISHED_COLLECTION_NAME).exists(), team
