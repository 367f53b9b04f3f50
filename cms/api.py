"""Wagtail API v2: /api/v2/. Other apps register their endpoints here."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .published_media import public


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    """/api/v2/images/: only images everybody may see (a branch's unused uploads stay private)."""

    def get_queryset(self):
        return public(super().get_queryset())


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """/api/v2/documents/: only documents everybody may see (a branch's unused uploads stay private)."""

    def get_queryset(self):
        return public(super().get_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)

from workflows.api import MotionsAPIViewSet  # noqa: E402 (the workflow engine's public items)

api_router.register_endpoint("motions", MotionsAPIViewSet)
