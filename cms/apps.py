from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site, branches and members"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401
        from .cache import connect_invalidation
        from .published_media import ensure_published_collections

        connect_invalidation()

        from . import home_panels

        home_panels.register()  # the site's own panels of the home page; the apps above add theirs

        from .admin_time_zone import install as admin_in_uk_time

        admin_in_uk_time()
        post_migrate.connect(ensure_published_collections, sender=self, dispatch_uid="cms_published_collections")
