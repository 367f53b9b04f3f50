"""The site's public address (settings.SITE_URL) for links read away from the page: feeds, the
API's `html_url`, emails. A request's own host (e.g. http://localhost behind a proxy, or the
address a worker has none of) is never used for those."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path):
    """`path` ("/motions/M-2026-001/") on the public site: "https://…/motions/M-2026-001/"."""
    return settings.SITE_URL.rstrip("/") + path


def wagtail_site_address():
    """(hostname, port) for Wagtail's Site record, so that page URLs (the pages API's `html_url`,
    `get_full_url`) are made on SITE_URL: Wagtail writes https for port 443, http otherwise."""
    parts = urlsplit(settings.SITE_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "localhost", port


class SiteUrlRequest:
    """A request seen with SITE_URL's host and scheme (for django.contrib.syndication, which
    makes feed links absolute with the request's host)."""

    def __init__(self, request):
        self._request = request
        self._parts = urlsplit(settings.SITE_URL)

    def get_host(self):
        return self._parts.netloc

    def is_secure(self):
        return self._parts.scheme == "https"

    def __getattr__(self, name):
        return getattr(self._request, name)
