"""Wagtail API v2: /api/v2/. Other apps register their endpoints here."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)

from workflows.api import MotionsAPIViewSet  # noqa: E402 (the workflow engine's public items)

api_router.register_endpoint("motions", MotionsAPIViewSet)
