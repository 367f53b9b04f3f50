"""Wagtail API v2: /api/v2/. Other apps register their endpoints here."""

import re

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .published_media import public

# Beyond any listing's length, and within what every database accepts as an OFFSET.
MAX_OFFSET = 1_000_000


class CheckedPagesAPIViewSet(PagesAPIViewSet):
    """/api/v2/pages/: Wagtail's pages endpoint, with a 400 and a message (never a 500) for an
    offset no database accepts or a search with nothing to search for (NUL bytes, only signs)."""

    def listing_view(self, request):
        offset = request.GET.get("offset", "0")
        if offset.isascii() and offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        if "search" in request.GET:
            words = re.sub(r"[^\w\s]", " ", request.GET["search"]).split()
            if not words:
                raise BadRequestError("search for at least one word (letters or digits)")
            request.GET = request.GET.copy()
            request.GET["search"] = " ".join(words)
        return super().listing_view(request)


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    """/api/v2/images/: only images everybody may see (a branch's unused uploads stay private)."""

    def get_queryset(self):
        return public(super().get_queryset())


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """/api/v2/documents/: only documents everybody may see (a branch's unused uploads stay private)."""

    def get_queryset(self):
        return public(super().get_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", CheckedPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
# The apps above this one add theirs from their AppConfig.ready() (workflows: /api/v2/motions/).
