"""The public-page cache: ONE mechanism for every page an anonymous visitor sees.

`PublicPageCacheMiddleware` keeps anonymous GET responses (HTML and JSON: Wagtail pages,
/motions/, /api/v2/…) in the Django cache, keyed by the URL and a *content generation*
number. Publishing, unpublishing, moving or deleting a page, and every change of the
workflow engine (a decision recorded, an item submitted, withdrawn or put on an agenda)
bump the generation, so every cached page is stale at once: nothing is invalidated by
hand and nothing is forgotten by URL. A timeout (PUBLIC_CACHE_TIMEOUT) bounds what a
change that sends no signal can leave behind.

A response is kept only when it is the same for everybody:
- the request is a GET without a session cookie (a logged-in member never gets a cached
  page, and never fills one);
- the response is a 200 of HTML or JSON, sets no cookie (no session, no messages, no CSRF
  token: Django sets the CSRF cookie whenever a page carries a token), and is not marked
  private / no-cache / no-store (`never_cache` opts a view out). "Vary: Cookie" is expected
  (templates ask whether the visitor is logged in): without a session cookie the answer is
  the anonymous page, and no other cookie changes a page.

The cache must be shared by every process that serves or writes (gunicorn workers, the
django-q2 worker): Redis with CACHE_REDIS_URL, else a file-based cache in production
(see cms/settings). The apps above this one connect their own signals with
`invalidate_public_pages_on(...)` (workflows.receivers), or call `invalidate_public_pages()`.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import cc_delim_re
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

GENERATION_KEY = "public-pages:generation"
CACHED_CONTENT_TYPES = ("text/html", "application/json")
# Headers a cached response keeps (the security middleware adds its own on every response).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "X-Frame-Options", "Link", "Vary")


def _cache():
    return caches[getattr(settings, "PUBLIC_CACHE_ALIAS", "default")]


def _timeout():
    return getattr(settings, "PUBLIC_CACHE_TIMEOUT", 600)


def current_generation():
    """The content generation public pages are cached under (created on first use).

    A lost generation key (eviction, flush) restarts at the current time in nanoseconds,
    never at a number that old entries may still be stored under.
    """
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def invalidate_public_pages():
    """Make every cached public page stale (after the current transaction commits)."""
    transaction.on_commit(_bump_generation)


def _bump_generation():
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or evicted): start a new, never-used one
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def cache_key(request, generation):
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"public-page:{generation}:{hashlib.sha256(url.encode()).hexdigest()}"


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
    """Serve anonymous visitors' pages from the cache; fill it with what every visitor would get.

    Place it before SessionMiddleware and CsrfViewMiddleware, so that it sees the cookies
    they add to a response (and a cached page costs no session or database query).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "PUBLIC_CACHE_ENABLED", True) or not request_is_cacheable(request):
            return self.get_response(request)
        cache = _cache()
        key = cache_key(request, current_generation())
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Public-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if response_is_cacheable(response) and not _signed_in(request):
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            cache.set(key, (response.status_code, headers, response.content), _timeout())
            response["X-Public-Cache"] = "miss"
        return response


# --------------------------------------------------------------------------- what invalidates


def _on_content_change(sender=None, **kwargs):
    invalidate_public_pages()


def _on_model_change(sender, instance=None, raw=False, **kwargs):
    if raw:
        return
    if isinstance(instance, Page) or _is_public_content_model(sender):
        invalidate_public_pages()


def _is_public_content_model(model):
    labels = getattr(settings, "PUBLIC_CACHE_CONTENT_MODELS", ())
    opts = model._meta
    return opts.app_label in labels or opts.label in labels


def invalidate_public_pages_on(*signals):
    """Empty the public cache whenever one of `signals` is sent. The apps above this one connect
    their own signals that change what visitors see (workflows: decisions, submissions, agendas)."""
    for signal in signals:
        signal.connect(_on_content_change, dispatch_uid=f"public_cache_{id(signal)}")


def connect_invalidation():
    """Connect the signals that change what anonymous visitors see (called once, in CmsConfig.ready)."""
    invalidate_public_pages_on(page_published, page_unpublished, page_slug_changed, post_page_move)
    # Page deletions (any page class) and the public models that have no signal of their own.
    post_delete.connect(_on_model_change, dispatch_uid="public_cache_post_delete")
    post_save.connect(_on_save_of_public_model, dispatch_uid="public_cache_post_save")


def _on_save_of_public_model(sender, instance=None, raw=False, **kwargs):
    if not raw and _is_public_content_model(sender):
        invalidate_public_pages()
