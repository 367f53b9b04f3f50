"""Finding the page a URL names in two queries, whatever its depth.

Wagtail's `Page.route` walks down the tree from the site's root: at each level one query for the
child with the next slug and one for its specific page (four for /branches/paris/, six for a news
page). No page class here routes otherwise (none overrides `route`, e.g. with RoutablePageMixin), so
the page a URL names is the one whose `url_path` is the root's plus the URL's path, which Wagtail
keeps up to date on every save and move: one query finds it and its parent's id (the cache keys
need it, cms.cache), one loads its specific page, with what its template shows
(`routing_select_related`). When a page class does route otherwise, Wagtail's walk is used.
"""

from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from wagtail.models import Page, get_page_models


@cache
def _every_page_routes_by_slug(root_class):
    return all(model.route is Page.route for model in get_page_models() if model is not root_class)


def route_by_url_path(root, request, path_components):
    """The RouteResult for `path_components` under the site root `root` (a page of a class that
    calls this from its `route`), or None to let Wagtail walk the tree. Raises Http404 as Wagtail."""
    if not path_components or not _every_page_routes_by_slug(type(root)):
        return None
    url_path = root.url_path + "/".join(path_components) + "/"
    parent_url_path = root.url_path + "".join(f"{slug}/" for slug in path_components[:-1])
    rows = {
        row[0]: row[1:]
        for row in Page.objects.filter(
            path__startswith=root.path, slug__in=path_components[-2:], url_path__in=[url_path, parent_url_path]
        ).values_list("url_path", "pk", "content_type_id")
    }
    if url_path not in rows:
        raise Http404
    pk, content_type_id = rows[url_path]
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:  # a page of an app no longer installed: Wagtail's walk says what to do
        return None
    page = model._default_manager.select_related(*getattr(model, "routing_select_related", ())).get(pk=pk)
    page.routed_parent_id = root.pk if len(path_components) == 1 else rows.get(parent_url_path, (None,))[0]
    return page.route(request, [])
