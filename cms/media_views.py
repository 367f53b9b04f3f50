"""Uploaded files under MEDIA_URL, served by the application (production included: WhiteNoise
serves only what `collectstatic` gathered, never uploads made later).

Only images are served here, originals and renditions, and only to those who may see them
(cms/published_media.py). Documents are downloaded from /documents/<id>/<filename> (Wagtail's
serve view, which checks the same rule); their files are never served from /media/, so that a
private document cannot be fetched by its path.
"""

from django.conf import settings
from django.http import Http404
from django.views.static import serve
from wagtail.images import get_image_model

from .published_media import is_public, may_edit

ORIGINALS = "original_images/"
RENDITIONS = "images/"


def _image_of(path):
    Image = get_image_model()
    if path.startswith(ORIGINALS):
        return Image.objects.filter(file=path).first()
    if path.startswith(RENDITIONS):
        rendition = Image.get_rendition_model().objects.filter(file=path).select_related("image").first()
        return rendition.image if rendition else None
    return None


def media_file(request, path):
    """An image file (original or rendition): to everybody when the image is public, else only to
    those who may edit it (`may_see` of cms/published_media.py, spelled out to reuse `public` below)."""
    image = _image_of(path)
    public = image is not None and is_public(image)
    if image is None or not (public or may_edit(request.user, image)):
        raise Http404("No such file.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # A file an editor sees before it is public must not stay in a shared cache.
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
