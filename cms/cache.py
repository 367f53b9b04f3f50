"""The public-page cache and what makes it stale: ONE place for every page an anonymous visitor sees.

Two layers share one vocabulary of *surrogate keys* (written down below, in "The dependencies"):

- `PublicPageCacheMiddleware` keeps anonymous GET responses (HTML, JSON, Atom: Wagtail pages,
  /motions/, /api/v2/…) in the Django cache, each with the keys of what it shows and the version
  each key had when the page was rendered. A change bumps the versions of *its* keys only, so a
  decision on a Paris motion stales that item's page and API entry, the listings that show it (the
  page of /motions/ it is on, the Paris listings, those chosen by status, stage or words), the
  feeds and the Paris branch page's motion block, while the other pages of the listings, Berlin's
  site and the campaigns stay cached.
- The same keys go out in the `xkey` header, with `Cache-Control: public, s-maxage=…`, for an
  HTTP cache in front (Varnish with the xkey module, deploy/varnish/default.vcl). When
  `WAGTAILFRONTENDCACHE` is configured (VARNISH_URL), every change purges its keys there through
  wagtail.contrib.frontend_cache (cms/frontend_cache.py), once at commit and once again a moment
  later (a page rendered from the old data while the change committed may land after the first).
  Varnish serves the old page for at most half a second while it fetches the new one.

A response is kept only when it is the same for everybody:
- the request is a GET without a session cookie (a logged-in member never gets a cached page,
  and never fills one);
- the response is a 200 of HTML, JSON or Atom, sets no cookie (no session, no messages, no CSRF
  token: Django sets the CSRF cookie whenever a page carries a token), and is not marked
  private / no-cache / no-store (`never_cache` opts a view out). "Vary: Cookie" is expected
  (templates ask whether the visitor is logged in): without a session cookie the answer is
  the anonymous page, and no other cookie changes a page.

A response whose dependencies are not written down here carries the key `untagged`, which every
change stales (the safe default: such a page is never stale, only cached for less long). A
timeout (PUBLIC_CACHE_TIMEOUT) bounds what a change that sends no signal can leave behind.

The cache must be shared by every process that serves or writes (gunicorn workers, the
django-q2 worker): Redis with CACHE_REDIS_URL, else a file-based cache in production
(see cms/settings). The apps above this one report their changes with `invalidate(*keys)` and the
key functions below (workflows.receivers: `item_keys`, `item_state_keys`).
"""

import hashlib
import logging
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_cache_control
from wagtail import hooks
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .home import visitor_cache_keys
from .models import BranchIndexPage, BranchPage, HomePage, branch_of

logger = logging.getLogger(__name__)

CACHED_CONTENT_TYPES = ("text/html", "application/json", "application/atom+xml")
# Headers a cached response keeps (the security middleware adds its own on every response).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "X-Frame-Options", "Link", "Vary",
                "Cache-Control")
# The response header the HTTP cache in front reads the keys from (Varnish's xkey module).
SURROGATE_KEY_HEADER = "xkey"
CHANGES_KEY = "public-pages:changes"  # counts invalidations
CHANGE_PREFIX = "public-pages:change:"  # the keys each numbered invalidation staled (a short log)
CHANGE_LOG_SECONDS = 300
# A render that saw more changes than this is not kept (it would read too long a log).
MAX_CHANGES_ACROSS_A_RENDER = 50
VERSION_PREFIX = "public-pages:version:"
# A second purge of the front cache this long after the first (see the module docstring): a page
# that passed its check just before the change was counted reaches Varnish within milliseconds.
REPURGE_AFTER_SECONDS = 0.3


# =========================================================================== the dependencies
# Every public response carries ALL plus the keys of what it shows; every change stales its keys.

ALL = "all"  # every response: invalidate(ALL) empties both caches
UNTAGGED = "untagged"  # responses whose dependencies are not described below: staled by every change
ITEMS = "items"  # which items are public, and their words: every listing of items not chosen by branch
# Any item's change (a decision, an agenda): the all-decisions feed, and the listings chosen by stage.
ITEM_CHANGES = "item-changes"
PAGES = "pages"  # the pages API's listings (/api/v2/pages/?…)
MEETINGS = "meetings"  # the meetings calendar (/motions/meetings.ics)
REGIONS = "regions"  # pages that name regions: the branch index, branch pages, the tracker's filters
BRANCHES = "branches"  # lists of every branch: the tracker's filters


def page_key(page_id):
    """A page's own content (its page, its API entry, and the pages whose blocks link to it)."""
    return f"page-{page_id}"


def children_key(page_id):
    """The listings of a page's children: a branch's news and events, a latest-news block, the branch index."""
    return f"children-{page_id}"


def branch_items_key(branch_id):
    """A branch's items: its motion block, its decisions feed."""
    return f"branch-items-{branch_id}"


def branch_meetings_key(branch_id):
    """A branch's meetings, shown with its events."""
    return f"branch-meetings-{branch_id}"


def item_key(item_id):
    """One item: its API entry."""
    return f"item-{item_id}"


def item_status_key(status):
    """Which items have this status: the listings chosen by it (/motions/?status=fell)."""
    return f"items-status-{status}"


def item_reference_key(reference):
    """One item by its reference: its tracker page and its decisions feed."""
    return f"item-ref-{reference.strip().upper()}"


# --- what a change stales


def item_keys(item):
    """An item submitted, withdrawn, joined or its text amended: its page, feed and API entry, every
    listing of items and the feeds, and its branch's motion block and feed. Never another branch's site."""
    return [*item_state_keys(item), ITEMS]


def item_state_keys(item, left_status=None):
    """An item decided or put on an agenda, its words unchanged: it stays public and in its place in
    every listing (they are in order of submission), so only the listing pages that show it change
    (they carry its key), those chosen by a stage (ITEM_CHANGES), and, when it left `left_status`
    for another, those chosen by either status; its page, feed and API entry, its branch's listings,
    motion block and feed, the all-decisions feed. Never another branch's site."""
    keys = [item_key(item.pk), ITEM_CHANGES]
    if left_status and left_status != item.status:
        keys += [item_status_key(left_status), item_status_key(item.status)]
    if item.reference:  # a draft withdrawn has none (and was never shown)
        keys.append(item_reference_key(item.reference))
    if getattr(item, "branch_id", None):
        keys.append(branch_items_key(item.branch_id))
    return keys


def page_change_keys(page, parent_id=None):
    """A page published, unpublished or deleted: the page, its parent's listings of children and the
    pages API (and the pages whose blocks show it: they carry its page key). Not the parent's own key:
    the parent's content did not change, and its other children (which carry it for its title) still
    show it right."""
    keys = [page_key(page.pk), PAGES]
    if isinstance(page, BranchPage) or page.specific_class is BranchPage:
        keys.append(BRANCHES)
    parent_id = parent_id or _parent_id(page)
    if parent_id:
        keys.append(children_key(parent_id))
    return keys


def meeting_keys(meeting):
    """A meeting planned or changed: its branch's events, the meetings calendar, and the pages of
    the items on its agenda (they show their next meeting)."""
    keys = [MEETINGS]
    if meeting.branch_id:
        keys.append(branch_meetings_key(meeting.branch_id))
    if meeting.pk:
        for item_id, reference in meeting.agenda.values_list("item_id", "item__reference"):
            keys += [item_key(item_id), item_reference_key(reference)]
    return keys


def agenda_entry_keys(entry):
    keys = [MEETINGS]
    item = entry.item
    return keys + [item_key(item.pk), item_reference_key(item.reference)]


# Models shown on public pages that change without a page or workflow signal: what they stale.
# A model named in PUBLIC_CACHE_CONTENT_MODELS but not here stales every page (ALL).
MODEL_KEYS = {
    "cms.Region": lambda region: [REGIONS],
    "workflows.Meeting": meeting_keys,
    "workflows.AgendaEntry": agenda_entry_keys,
}


# --- what a response shows


def keys_for_page(page):
    """The keys of a Wagtail page as served: itself, its parent (titles, breadcrumbs), its children
    (any page may list them), and what the blocks of its StreamFields show."""
    keys = [page_key(page.pk), children_key(page.pk)]
    parent_id = _parent_id(page)
    if parent_id:
        keys.append(page_key(parent_id))
    if isinstance(page, (BranchPage, BranchIndexPage)):
        keys.append(REGIONS)
    if isinstance(page, BranchPage):
        keys.append(branch_meetings_key(page.pk))
    if isinstance(page, HomePage):
        keys += visitor_cache_keys()  # the visitors' panels: news, events, campaigns of every branch (cms.home)
    keys += _block_keys(page)
    return keys


def _block_keys(page):
    keys, branch = [], None
    for field in page._meta.get_fields():
        if not isinstance(field, StreamField):
            continue
        for block in getattr(page, field.name) or []:
            kind = block.block_type
            if kind in ("latest_news", "upcoming_events", "branch_motions"):
                branch = branch or branch_of(page)
                if branch is None:
                    continue
                if kind == "latest_news":
                    keys.append(children_key(branch.pk))
                elif kind == "upcoming_events":
                    keys += [children_key(branch.pk), branch_meetings_key(branch.pk)]
                else:
                    keys.append(branch_items_key(branch.pk))
            elif kind == "call_to_action" and block.value.get("page") is not None:
                keys.append(page_key(block.value["page"].pk))
    return keys


def _branch_id(slug):
    return BranchPage.objects.filter(slug=slug).values_list("pk", flat=True).first()


def _branch_feed_keys(kwargs, params):
    branch_id = _branch_id(kwargs["slug"])
    return [branch_items_key(branch_id)] if branch_id else [UNTAGGED]


# `listed(listing, params)`: the ids of the items a listing ("tracker" or "api") shows with the query
# string `params`, or None; provided by the app above that lists them (TrackerConfig.ready).
_listed_items = None


def provide_listed_items(listed):
    """The tracker tells the cache which items a page of a listing shows, so that a decision stales
    only the pages that show the item (`listed(listing, params)` -> ids, or None if unknown)."""
    global _listed_items
    _listed_items = listed


def item_listing_keys(listing, params):
    """A page of a listing of items (/motions/?…, /api/v2/motions/?…), from its query string:
    - chosen by branch: that branch's items (every change of one of them, whatever the other filters);
    - chosen by stage: which items are public and any item's change (a decision moves items between
      stages, found by id or by name);
    - else: which items are public and their words (a submission moves every page along, an amended
      text changes what a search finds), the items it shows (a decision changes their rows, not their
      places), and, chosen by status, which items have it (a decision that ends an item moves it).
      Kind, region, consultation and year are an item's for good."""
    branch = params.get("branch", "").strip()
    if branch:
        branch_id = _branch_id(branch)
        if branch_id:
            return [branch_items_key(branch_id)]
        return [ITEMS]  # no such branch: nothing listed until a branch of that name is published (BRANCHES)
    shown = None
    if not params.get("stage", "").strip() and _listed_items is not None:
        shown = _listed_items(listing, params)
    if shown is None:
        return [ITEMS, ITEM_CHANGES]
    status = params.get("status", "").strip()
    return [ITEMS, *([item_status_key(status)] if status else []), *(item_key(pk) for pk in shown)]


# URL names (their kwargs, the query string) of the responses that are not Wagtail pages: what each shows.
URL_KEYS = {
    "tracker:list": lambda kwargs, params: [*item_listing_keys("tracker", params), BRANCHES, REGIONS],
    "tracker:detail": lambda kwargs, params: [item_reference_key(kwargs["reference"])],
    "tracker:feed_all": lambda kwargs, params: [ITEMS, ITEM_CHANGES],
    "tracker:feed_item": lambda kwargs, params: [item_reference_key(kwargs["reference"])],
    "tracker:feed_branch": _branch_feed_keys,
    "tracker:meetings_ics": lambda kwargs, params: [MEETINGS],
    "wagtailapi:motions:listing": lambda kwargs, params: [*item_listing_keys("api", params), BRANCHES],
    "wagtailapi:motions:detail": lambda kwargs, params: [item_key(kwargs["pk"])],
    "wagtailapi:pages:listing": lambda kwargs, params: [PAGES],
    "wagtailapi:pages:detail": lambda kwargs, params: [page_key(kwargs["pk"])],
}


def response_keys(request):
    """The surrogate keys of the response to `request` (ALL first)."""
    keys = getattr(request, "public_cache_keys", None)
    if keys is None:
        match = getattr(request, "resolver_match", None)
        describe = URL_KEYS.get(match.view_name) if match else None
        keys = describe(match.kwargs, request.GET) if describe else [UNTAGGED]
    return list(dict.fromkeys([ALL, *keys]))


def _parent_id(page):
    if page.depth <= 1:
        return None
    if getattr(page, "routed_parent_id", None):  # found with the page (cms.routing)
        return page.routed_parent_id
    parent_path = page.path[: -page.steplen]
    return Page.objects.filter(path=parent_path).values_list("pk", flat=True).first()


# =========================================================================== invalidation


def _cache():
    return caches[getattr(settings, "PUBLIC_CACHE_ALIAS", "default")]


def _timeout():
    return getattr(settings, "PUBLIC_CACHE_TIMEOUT", 600)


def invalidate(*keys):
    """Make every cached response that carries one of `keys` stale (after the current transaction
    commits), in the Django cache and in the HTTP cache in front. Responses with no written-down
    dependencies (UNTAGGED) go stale with any change. Inside `grouped()`, joins the group's one
    invalidation (once its transaction commits: a rolled-back change stales nothing)."""
    keys = list(dict.fromkeys([*keys, UNTAGGED]))
    group = _groups.stack[-1] if getattr(_groups, "stack", None) else None
    if group is not None:
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: group.add(keys))
        else:
            group.add(keys)
        return
    transaction.on_commit(lambda: _invalidate_now(keys))


_groups = threading.local()


class _Group:
    def __init__(self):
        self.keys, self.open = {}, True

    def add(self, keys):
        if self.open:
            self.keys.update(dict.fromkeys(keys))
        else:  # committed after the group ended (a transaction around it): on its own
            _invalidate_now(list(keys))


@contextmanager
def grouped():
    """One invalidation (one version bump per key, one purge and one repurge of the front cache)
    for every `invalidate()` of the block, including those sent after its transaction commits
    (the workflow's signals): a decision that takes the item off one agenda, puts it on the next
    and sends its signals purges Varnish once, instead of once per change, so that it refetches
    each page once. Invalidations inside a transaction join only if it commits; the union is
    made when the block ends (after the commit and its callbacks), or, if the block ran inside a
    transaction, when that one commits."""
    group = _Group()
    stack = getattr(_groups, "stack", None)
    if stack is None:
        stack = _groups.stack = []
    stack.append(group)
    try:
        yield
    finally:
        stack.remove(group)
        group.open = False
        keys = list(group.keys)
        if keys:
            transaction.on_commit(lambda: _invalidate_now(keys))


def invalidate_public_pages():
    """Make every cached public page stale (after the current transaction commits)."""
    invalidate(ALL)


def _invalidate_now(keys):
    cache = _cache()
    # The change counter and its log entry first, then the versions: a page whose render saw the
    # counter unchanged after this point read the versions before they moved, so it is stored
    # already stale; one that saw it move reads the log to know whether the change is its own.
    number = _incr(cache, CHANGES_KEY)
    if number is not None and not cache.add(f"{CHANGE_PREFIX}{number}", keys, CHANGE_LOG_SECONDS):
        # Two changes got one number (a cache whose incr is not atomic, the file cache): say "everything".
        cache.set(f"{CHANGE_PREFIX}{number}", [ALL], CHANGE_LOG_SECONDS)
    for key in keys:
        _incr(cache, VERSION_PREFIX + key)
    backends = _front_backends()
    if backends:
        purge_front_cache(keys, backends)
        timer = threading.Timer(REPURGE_AFTER_SECONDS, purge_front_cache, args=(keys, backends))
        timer.daemon = True
        timer.start()


def _incr(cache, name):
    """The new value, or None when the counter started again (at a number no old entry was stored
    under, so that a render across it reads no log and is not kept)."""
    try:
        return cache.incr(name)
    except ValueError:  # never set (or evicted)
        cache.set(name, time.time_ns(), timeout=None)
        return None


def _changed_during_render(cache, before, after, keys):
    """Did a change numbered in (before, after] stale one of `keys`? A change missing from the log
    (expired, not written yet, the counter restarted) counts as one that did."""
    if before == after:
        return False
    if not isinstance(before, int) or not isinstance(after, int) or not 0 < after - before <= MAX_CHANGES_ACROSS_A_RENDER:
        return True
    names = [f"{CHANGE_PREFIX}{number}" for number in range(before + 1, after + 1)]
    logged = cache.get_many(names)
    if len(logged) < len(names):
        return True
    shown = set(keys)
    return any(shown.intersection(changed) for changed in logged.values())


def _front_backends():
    from wagtail.contrib.frontend_cache.utils import get_backends

    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return []
    return [backend for backend in get_backends().values() if hasattr(backend, "purge_keys")]


def purge_front_cache(keys, backends=None):
    """Purge `keys` from the HTTP cache in front (WAGTAILFRONTENDCACHE backends that know keys)."""
    for backend in _front_backends() if backends is None else backends:
        try:
            backend.purge_keys(keys)
        except Exception:  # the site keeps working; the front cache's TTL bounds what stays
            logger.exception("Could not purge %s from the front cache", keys)


def _versions(cache, keys):
    """{key: version} for `keys`, creating the missing ones."""
    names = [VERSION_PREFIX + key for key in keys]
    found = cache.get_many(names)
    missing = [name for name in names if name not in found]
    if missing:
        for name in missing:
            cache.add(name, time.time_ns(), timeout=None)
        found.update(cache.get_many(missing))
    return {name[len(VERSION_PREFIX):]: found.get(name) for name in names}


# =========================================================================== the middleware


def cache_key(request):
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"public-page:{hashlib.sha256(url.encode()).hexdigest()}"


def request_is_cacheable(request):
    if request.method != "GET":
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    excluded = getattr(settings, "PUBLIC_CACHE_EXCLUDED_PATHS", ())
    return not request.path.startswith(tuple(excluded))


def response_is_cacheable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in CACHED_CONTENT_TYPES:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if "*" in vary:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-cache", "no-store"))


def _signed_in(request):
    """Did the view answer a signed-in person (whatever way they signed in)? Their page may hold
    what only members see (online meeting links, their own time): never kept for visitors."""
    user = getattr(request, "user", None)
    return bool(getattr(user, "is_authenticated", False))


class PublicPageCacheMiddleware:
    """Serve anonymous visitors' pages from the cache; fill it with what every visitor would get,
    and tell the HTTP cache in front what it may keep (Cache-Control, xkey).

    Place it before SessionMiddleware and CsrfViewMiddleware, so that it sees the cookies
    they add to a response (and a cached page costs no session or database query).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "PUBLIC_CACHE_ENABLED", True) or not request_is_cacheable(request):
            response = self.get_response(request)
            if _signed_in(request) and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response
        cache = _cache()
        key = cache_key(request)
        found = cache.get_many([key, CHANGES_KEY])
        if CHANGES_KEY not in found:
            cache.add(CHANGES_KEY, time.time_ns(), timeout=None)
            found[CHANGES_KEY] = cache.get(CHANGES_KEY)
        stored = found.get(key)
        if stored is not None:
            status, headers, content, versions = stored
            if _versions(cache, list(versions)) == versions:
                response = HttpResponse(content, status=status, headers=headers)
                response["X-Public-Cache"] = "hit"
                return response
        response = self.get_response(request)
        if not response_is_cacheable(response) or _signed_in(request):
            if _signed_in(request) and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response
        keys = response_keys(request)
        versions = _versions(cache, keys)
        if _changed_during_render(cache, found[CHANGES_KEY], cache.get(CHANGES_KEY), keys):
            # A change to what this page shows committed while it was rendered: it may show the old
            # state. Serve it, keep it nowhere. (Changes to other things do not matter: every
            # change is logged with its keys.)
            patch_cache_control(response, no_cache=True)
            return response
        patch_cache_control(response, public=True, max_age=0, s_maxage=_timeout())
        response[SURROGATE_KEY_HEADER] = " ".join(keys)
        headers = {name: response[name] for name in (*KEPT_HEADERS, SURROGATE_KEY_HEADER) if name in response}
        cache.set(key, (response.status_code, headers, response.content, versions), _timeout())
        response["X-Public-Cache"] = "miss"
        return response


def _tag_page_response(page, request, serve_args, serve_kwargs):
    """before_serve_page: the keys of the page about to be served, for the middleware."""
    request.public_cache_keys = keys_for_page(page)


# =========================================================================== what invalidates


def _on_page_published(sender=None, instance=None, **kwargs):
    invalidate(*page_change_keys(instance))


def _on_page_moved_or_renamed(sender=None, **kwargs):
    # Every URL under the page changes: rare enough to empty everything.
    invalidate(ALL)


def _on_model_delete(sender, instance=None, **kwargs):
    if isinstance(instance, Page):
        invalidate(*page_change_keys(instance))
    elif _is_public_content_model(sender):
        _on_save_of_public_model(sender, instance)


def _on_save_of_public_model(sender, instance=None, raw=False, **kwargs):
    if raw or not _is_public_content_model(sender):
        return
    describe = MODEL_KEYS.get(sender._meta.label)
    try:
        keys = describe(instance) if describe else [ALL]
    except Exception:  # a half-deleted row (cascades): stale everything rather than guess
        keys = [ALL]
    invalidate(*keys)


def _is_public_content_model(model):
    labels = getattr(settings, "PUBLIC_CACHE_CONTENT_MODELS", ())
    opts = model._meta
    return opts.app_label in labels or opts.label in labels


def invalidate_public_pages_on(*signals):
    """Empty the public cache whenever one of `signals` is sent (for changes whose keys are not
    described here; prefer `invalidate(*keys)`)."""
    for signal in signals:
        signal.connect(_on_content_change, dispatch_uid=f"public_cache_{id(signal)}")


def _on_content_change(sender=None, **kwargs):
    invalidate_public_pages()


def connect_invalidation():
    """Connect the signals that change what anonymous visitors see (called once, in CmsConfig.ready)."""
    page_published.connect(_on_page_published, dispatch_uid="public_cache_page_published")
    page_unpublished.connect(_on_page_published, dispatch_uid="public_cache_page_unpublished")
    page_slug_changed.connect(_on_page_moved_or_renamed, dispatch_uid="public_cache_page_slug")
    post_page_move.connect(_on_page_moved_or_renamed, dispatch_uid="public_cache_page_move")
    # Page deletions (any page class) and the public models that have no signal of their own.
    post_delete.connect(_on_model_delete, dispatch_uid="public_cache_post_delete")
    post_save.connect(_on_save_of_public_model, dispatch_uid="public_cache_post_save")
    hooks.register("before_serve_page", _tag_page_response)
