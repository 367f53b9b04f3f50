"""Security headers Django 5.2 does not set itself: the Content-Security-Policy of the public site.

Django's own settings give the others (SECURE_CONTENT_TYPE_NOSNIFF → X-Content-Type-Options,
SECURE_REFERRER_POLICY → Referrer-Policy, XFrameOptionsMiddleware → X-Frame-Options,
SECURE_CROSS_ORIGIN_OPENER_POLICY). The policy is scoped to the public site: the Wagtail
admin (/admin/) and Django admin keep working with their inline scripts, and get the other
headers only. Public templates load scripts and styles from /static/ only.
"""

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


def content_security_policy():
    return getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)


class ContentSecurityPolicyMiddleware:
    """Adds Content-Security-Policy to every response outside CSP_EXCLUDED_PATHS (the admins)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        excluded = tuple(getattr(settings, "CSP_EXCLUDED_PATHS", ("/admin/", "/django-admin/")))
        policy = content_security_policy()
        if policy and not request.path.startswith(excluded) and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
