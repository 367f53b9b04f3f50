"""Admin registration of the site app: regions as snippets; documents kept private until published.
(The membership list, with its sign-in invitations and account rules, is accounts.wagtail_hooks'.)

SnippetViewSet/ModelViewSet rather than wagtail-modeladmin: modeladmin is in maintenance mode
and its own documentation names these as its successors.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Region
from .published_media import may_see


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = "Regions"
    list_display = ["number", "name", "coordinator"]
    ordering = ["number"]


register_snippet(RegionViewSet)


@hooks.register("before_serve_document")
def keep_unpublished_documents_private(document, request):
    """/documents/<id>/<name> of a branch's document no live page uses and nobody published: only
    its editors get it; anonymous visitors are asked to log in, others are refused."""
    if may_see(request.user, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return HttpResponseForbidden("This document is not published.")
