"""A newsletter as an email: rendered once (subject, text, HTML) with placeholders for the
recipient's name and unsubscribe link, then filled in per recipient (notifications.emails)."""

import html as html_module
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, strip_tags

from notifications import emails as notification_emails
from notifications import tokens

from .preferences import scope_of

# Relative links and images of the blocks (internal page links, renditions) made absolute for mail clients.
_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def site_url():
    return settings.SITE_URL.rstrip("/")


def render(newsletter, subject_prefix=""):
    """The newsletter's email, with the recipient placeholders (a notifications.emails.Template)."""
    context = {
        "newsletter": newsletter, "page": newsletter, "name": notification_emails.NAME,
        "unsubscribe_url": notification_emails.UNSUBSCRIBE, "site_url": site_url(),
        "web_url": notification_emails.absolute(newsletter.get_absolute_url()),
        "preferences_url": notification_emails.absolute(reverse("tracker:preferences")),
        "kind_label": newsletter.kind.label,
    }
    html = render_to_string("newsletters/emails/newsletter.html", context)
    html = _RELATIVE.sub(lambda m: f'{m.group(1)}{site_url()}/', html)
    text = render_to_string("newsletters/emails/newsletter.txt", {**context, "body_text": html_to_text(
        render_to_string("newsletters/includes/body.html", context))})
    return notification_emails.Template(f"{subject_prefix}{newsletter.subject}"[:255], text, html)


def html_to_text(html):
    """The plain-text part: the text of the blocks, one blank line between paragraphs, links kept."""
    html = re.sub(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2 (\1)", html, flags=re.S)
    html = re.sub(r"</(p|h2|h3|h4|li|blockquote|figure|div)>", "\n\n", html)
    html = re.sub(r"<br\s*/?>", "\n", html)
    text = strip_tags(html)
    text = html_module.unescape(text)
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class Personaliser:
    """Fills a rendered newsletter in for each recipient, fast (3,500 at once): the unsubscribe
    URL's path is reversed once, only the signed token changes per member."""

    def __init__(self, template, kind):
        self.template, self.scope = template, scope_of(kind)
        marker = "TOKEN-MARKER"
        self.url_prefix, _, self.url_suffix = notification_emails.absolute(
            reverse("tracker:unsubscribe", args=[marker])).partition(marker)
        self.domain = notification_emails.message_id_domain()
        self.text_parts = template.text.split(notification_emails.UNSUBSCRIBE)
        self.html_parts = template.html.split(notification_emails.UNSUBSCRIBE)

    def unsubscribe_url(self, member_id):
        return f"{self.url_prefix}{tokens.make_token(member_id, self.scope)}{self.url_suffix}"

    def for_recipient(self, first_name, member_id, key):
        url = self.unsubscribe_url(member_id)
        name = first_name or "member"
        escaped_name = name if name.isalnum() else escape(name)
        return {
            "subject": self.template.subject,
            "body_text": url.join(self.text_parts).replace(notification_emails.NAME, name),
            # The token is URL-safe base64 with ":" separators: nothing in it needs escaping in HTML.
            "body_html": url.join(self.html_parts).replace(notification_emails.NAME, escaped_name),
            "headers": {
                "List-Unsubscribe": f"<{url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Message-ID": f"<{key.replace(':', '.')}@{self.domain}>",
            },
        }
