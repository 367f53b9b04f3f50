"""Wagtail's frontend cache backend for Varnish with the xkey module (deploy/varnish/default.vcl).

Wagtail's HTTPBackend purges one URL at a time (it still does, for the pages it is told about);
this one also purges by surrogate key: one `PURGE` with an `xkey-purge` header listing the keys
(cms.cache), which removes every object tagged with one of them, whatever its URL or host.
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest

logger = logging.getLogger("wagtail.frontendcache")

PURGE_TIMEOUT_SECONDS = 2


class VarnishBackend(HTTPBackend):
    """PURGE by URL (Wagtail's) and by surrogate keys (`purge_keys`)."""

    def purge_keys(self, keys):
        request = PurgeRequest(url=f"{self.cache_scheme}://{self.cache_netloc}/",
                               headers={"xkey-purge": " ".join(keys)})
        try:
            with urlopen(request, timeout=PURGE_TIMEOUT_SECONDS):  # noqa: S310 - the configured LOCATION
                pass
        except (HTTPError, URLError, OSError) as error:
            logger.error("Couldn't purge keys %s from Varnish: %s", " ".join(keys), error)
