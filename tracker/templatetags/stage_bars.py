"""{% stage_bar item.reference steps %}: an item's stage bar, built in Python.

The tracker shows a bar for each of its 25 items a page: as an included template it cost more than
the rest of the page. The HTML is the same: an ordered list named after the item, the current stage
marked with aria-current, each stage's state in words for screen readers. Everything is escaped.
"""

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def stage_bar(reference, steps):
    """The <ol> of `steps` (tracker.selectors.Step) of the item with this reference."""
    items = "".join(_step(step.name, step.state, step.state_label) for step in steps)
    return mark_safe(f'<ol class="stage-bar" aria-label="Stages of {escape(reference)}">{items}\n</ol>')


@lru_cache(maxsize=1024)
def _step(name, state, state_label):
    # The same few stages and states make every bar: each <li> is built once.
    current = ' aria-current="step"' if state == "current" else ""
    return (f'\n    <li class="step step-{escape(state)}"{current}>\n      <span class="step-name">{escape(name)}</span>\n'
            f'      <span class="visually-hidden">({escape(state_label)})</span>\n    </li>')
