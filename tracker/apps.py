from django.apps import AppConfig


class TrackerConfig(AppConfig):
    """The public motion tracker: /motions/ (list, filters, one item's timeline), its Atom feeds, the
    meetings calendar and the motions API (/api/v2/motions/). It reads the engine's items; it has no
    models of its own."""

    name = "tracker"
    verbose_name = "Motion tracker"

    def ready(self):
        from cms.blocks import provide_branch_motions
        from cms.cache import provide_listed_items

        from . import api, selectors  # noqa: F401 (registers /api/v2/motions/ on the site's API router)

        provide_branch_motions(selectors.branch_motions)  # the branch pages' "Motions from this branch" block
        provide_listed_items(selectors.listed_item_ids)  # which items a page of a listing shows (its cache keys)
