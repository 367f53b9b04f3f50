"""The panels of the home page: what each app puts there, for a signed-in member or for a visitor.

The home page (cms.models.HomePage) belongs to the site, the bottom layer, which knows none of the
apps built on it; yet a member's home shows their motions (workflows), what they follow
(notifications), their open ballots (elections) and consultations. So, as with cms.privacy's
sections, each app registers its panel from its AppConfig.ready():

    register_home_panel("motions", order=30, audience=MEMBERS, provide=motions_panel,
                        template="workflows/home/motions.html")

`provide(request, last_visit)` returns the panel's context (a dict, handed to its template as
`panel`), or None to leave the panel out. `last_visit` is when the member last opened their home
before this visit (None on a first visit, and for visitors): "what changed since your last visit".
Each provider reads a bounded number of rows in a fixed number of queries, whatever the member has.

A visitors' panel is kept in the public-page cache with the home page: it names the cache keys
(cms.cache) of what it shows, so that a change to them stales the home page.
"""

from dataclasses import dataclass, field

MEMBERS = "members"
VISITORS = "visitors"


@dataclass(frozen=True)
class HomePanel:
    """One section of the home page, provided by an app."""

    name: str
    order: int
    audience: str  # MEMBERS or VISITORS
    provide: object  # provide(request, last_visit) -> dict | None
    template: str
    cache_keys: tuple = field(default=())  # visitors' panels: what they show (cms.cache keys)


_panels = {}


def register_home_panel(name, order, provide, template, audience=MEMBERS, cache_keys=()):
    """Add (or replace) the panel `name`; panels show in `order`, lowest first."""
    if audience not in (MEMBERS, VISITORS):
        raise ValueError(f"A home panel is for {MEMBERS!r} or {VISITORS!r}, not {audience!r}.")
    _panels[name] = HomePanel(name, order, audience, provide, template, tuple(cache_keys))


def panels_for(audience):
    return sorted((panel for panel in _panels.values() if panel.audience == audience),
                  key=lambda panel: (panel.order, panel.name))


@dataclass(frozen=True)
class ShownPanel:
    """A panel with what it shows, for the home page's template."""

    name: str
    template: str
    context: dict


def home_panels(request, last_visit=None):
    """The panels the home page shows to `request`'s person, each with its context, in order."""
    audience = MEMBERS if request.user.is_authenticated else VISITORS
    shown = []
    for panel in panels_for(audience):
        context = panel.provide(request, last_visit)
        if context is not None:
            shown.append(ShownPanel(panel.name, panel.template, context))
    return shown


def visitor_cache_keys():
    """The cache keys of everything the visitors' home shows (cms.cache.keys_for_page)."""
    return [key for panel in panels_for(VISITORS) for key in panel.cache_keys]
