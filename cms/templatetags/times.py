"""`{% moment at zone %}`: a moment as a person reads it (see cms/times.py).

    {% load times %}
    {% moment meeting.starts_at meeting.time_zone %}
    → Tuesday 3 March 2026, 19:30 (Europe/Paris) · 18:30 Tuesday UK time · 05:30 Wednesday your time

The reader's own time comes from the signed-in member (`request.user`), or from a
`viewer_zone` in the context. `{% moment_text %}` gives the same line as plain text (emails),
`{% uk_and_local %}` the admin's and exports' form ("3 Mar 2026 18:30 UK time (19:30 Europe/Paris)").
"""

from django import template
from django.utils.html import format_html

from cms import times

register = template.Library()


def _viewer_zone(context):
    if "viewer_zone" in context:
        return context["viewer_zone"]
    request = context.get("request")
    return times.member_zone_name(getattr(request, "user", None)) if request is not None else None


@register.simple_tag(takes_context=True)
def moment(context, at, place_zone, until=None):
    if not at:
        return ""
    shown = times.Moment(at, place_zone, _viewer_zone(context), until=until)
    uk = format_html('<span class="moment-uk"> · {}</span>', shown.uk_text) if shown.uk_text else ""
    yours = format_html('<span class="moment-yours"> · {}</span>', shown.yours_text) if shown.yours_text else ""
    return format_html('<time class="moment" datetime="{}"><span class="moment-local">{}</span>{}{}</time>',
                       shown.iso_utc, shown.local_text, uk, yours)


@register.simple_tag(takes_context=True)
def moment_text(context, at, place_zone):
    return times.Moment(at, place_zone, _viewer_zone(context)).text if at else ""


@register.simple_tag
def uk_and_local(at, place_zone):
    return times.uk_and_local_text(at, place_zone)
