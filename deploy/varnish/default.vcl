vcl 4.1;
# Varnish in front of gunicorn (README: Production, "An HTTP cache in front").
#
# - Keeps only what the application marks `Cache-Control: public` (anonymous pages, cms.cache), for
#   its s-maxage, tagged with the surrogate keys of its `xkey` header.
# - A signed-in member (a `sessionid` cookie) is never served from the cache, and never fills it.
# - The application purges on change: `PURGE` with an `xkey-purge: key1 key2` header expires every
#   object tagged with one of the keys (cms.frontend_cache.VarnishBackend), served for at most half a
#   second more while its new version is fetched; a plain `PURGE` of a URL removes that URL
#   (Wagtail's frontend cache). Only from `purgers`.
#
# The backend is gunicorn on 127.0.0.1:8000: edit `.host`/`.port` below for another address
# (varnishd takes either -b or -f, not both; the tests and bench/bench_load.py write the port in).

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed"));
        }
        if (req.http.xkey-purge) {
            # Soft: the objects expire now but stay in grace (below), so that visitors keep being
            # served while one request fetches the new page, instead of all waiting for it.
            set req.http.n-gone = xkey.softpurge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admins, sign-in and account pages are never cached (the application says so too).
    if (req.url ~ "^/(admin|django-admin|accounts|account|login|logout|healthz|livez)(/|$|\?)") {
        return (pass);
    }
    # A signed-in member: straight to the application, cookies and all.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Anyone else gets the anonymous page: no other cookie changes a page (a form sets a fresh CSRF
    # cookie, and such a response is not cacheable).
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # A page rendered while a change to what it shows committed (cms.cache marks it no-cache): this
    # answer only, kept nowhere, and no hit-for-miss, so that the next request of the URL waits
    # for one fresh render and stores it, instead of every request going to the application.
    if (beresp.http.Cache-Control ~ "no-cache" && beresp.http.Cache-Control !~ "private|no-store" &&
        !beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        set beresp.grace = 0s;
        set beresp.keep = 0s;
        return (deliver);
    }
    # Only what the application marked public (with s-maxage), never a response setting a cookie.
    if (beresp.http.Cache-Control !~ "public" || beresp.http.Set-Cookie) {
        # Hit-for-miss for a minute: no waiting in line behind a page that is never kept (a form's
        # CSRF cookie, a private page), and a later public answer is kept.
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    # After a purge by key, the old page is served for at most half a second while the new one is
    # fetched (once, in the background): a change shows within a second, and a meeting night's
    # writes do not make every visitor wait for the application.
    set beresp.grace = 0.5s;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
    unset resp.http.xkey;
}
