"""Security headers Django 5.2 does not set itself: the Content-Security-Policy.

Django's own settings give the others (SECURE_CONTENT_TYPE_NOSNIFF → X-Content-Type-Options,
SECURE_REFERRER_POLICY → Referrer-Policy, XFrameOptionsMiddleware → X-Frame-Options,
SECURE_CROSS_ORIGIN_OPENER_POLICY).

The public site's templates load scripts and styles from /static/ only: `DEFAULT_POLICY`.

The Wagtail admin (CSP_ADMIN_PATHS, /admin/) gets a policy of its own, `ADMIN_POLICY`: scripts
from the site only, plus the few inline scripts Wagtail's own templates write (an inline panel's
or a multiple-chooser panel's set-up, a date, time or date-time picker's or a chooser's set-up). Those are
allowed one by one by their SHA-256 hash, and only when their text has exactly the shape of
Wagtail's template with its variable parts in the form Wagtail writes them (an `escapejs` string,
a flat JSON object: no call, no assignment, no way out of the string). Anything else inline,
such as a script smuggled into stored content, is refused by the browser. Styles may be inline
(Wagtail's admin and the rich-text editor set style attributes; styles cannot run code).
"""

import base64
import hashlib
import re

from django.conf import settings

DEFAULT_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # Rich text and embeds may carry style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    # Embedded videos (Wagtail embeds) are iframes from their providers.
    "frame-src 'self' https:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])


ADMIN_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'{script_hashes}",
    "style-src 'self' 'unsafe-inline'",
    # Image previews before upload are blob: URLs; Wagtail's icons and avatars may be data: URLs.
    "img-src 'self' data: blob: https:",
    "media-src 'self' blob:",
    # The page preview is the site in a frame; embeds come from their providers.
    "frame-src 'self' https:",
    "connect-src 'self'",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])

# What Wagtail's `escapejs` filter writes inside a double-quoted string: no quote, backslash,
# angle bracket, ampersand, equals sign, semicolon, backtick or control character, except as \uXXXX.
_ESCAPEJS = r'(?:[^"\\<>&=;`\'\x00-\x1f\-\u2028\u2029]|\\u[0-9A-F]{4})*'
# A widget's configuration, json.dumps of strings, numbers, booleans, lists and objects: no
# bare word but true/false/null, hence no call, no assignment, no template literal.
_JSON_OBJECT = r'\{(?:\s|"[^"\\<>()=`;]*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}\[\],:])*\}'
# The inline scripts of Wagtail 8's admin templates (wagtailadmin/panels/inline_panel.html,
# multiple_chooser_panel.html, wagtailadmin/widgets/date_input.html, time_input.html, datetime_input.html)
# and chooser widgets.
WAGTAIL_INLINE_SCRIPTS = (
    re.compile(r'\s*\(function\(\) \{\s*var panel = new (?:InlinePanel|MultipleChooserPanel)'
               r'\(JSON\.parse\("' + _ESCAPEJS + r'"\)\);\s*\}\)\(\);\s*'),
    re.compile(r'init(?:Date|Time|DateTime)Chooser\("' + _ESCAPEJS + r'", ' + _JSON_OBJECT + r'\);'),
    # Chooser widgets (wagtail.admin.widgets.chooser.BaseChooser.render_js_init): an element id, then options.
    re.compile(r'new [A-Z]?[A-Za-z]*Chooser\("[A-Za-z0-9_\-]+", ' + _JSON_OBJECT + r'\);'),
    re.compile(r'createTaskChooser\("[A-Za-z0-9_\-]+"\);'),
)
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.I | re.S)


def content_security_policy():
    return getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)


def is_wagtail_inline_script(body):
    """Whether an inline script's text is one Wagtail's admin templates write (and nothing else)."""
    return any(pattern.fullmatch(body) for pattern in WAGTAIL_INLINE_SCRIPTS)


def admin_inline_script_hashes(html):
    """CSP hash sources of the inline scripts of `html` that Wagtail's own templates wrote."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs, body = match.group("attrs"), match.group("body")
        if not re.search(r"\ssrc\s*=", attrs, re.I) and is_wagtail_inline_script(body):
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            source = f"'sha256-{digest}'"
            if source not in hashes:
                hashes.append(source)
    return hashes


def admin_content_security_policy(response):
    """The admin's policy for `response`, allowing exactly the Wagtail inline scripts it holds."""
    hashes = []
    if not response.streaming and "html" in response.get("Content-Type", ""):
        hashes = admin_inline_script_hashes(response.content.decode(response.charset or "utf-8", "replace"))
    return ADMIN_POLICY.format(script_hashes="".join(f" {h}" for h in hashes))


class ContentSecurityPolicyMiddleware:
    """Adds Content-Security-Policy to every response: the admin's policy under CSP_ADMIN_PATHS,
    the public site's elsewhere, none under CSP_EXCLUDED_PATHS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        excluded = tuple(getattr(settings, "CSP_EXCLUDED_PATHS", ()))
        admin = tuple(getattr(settings, "CSP_ADMIN_PATHS", ("/admin/",)))
        if request.path.startswith(excluded):
            return response
        if request.path.startswith(admin):
            response["Content-Security-Policy"] = admin_content_security_policy(response)
        elif policy := content_security_policy():
            response["Content-Security-Policy"] = policy
        return response
