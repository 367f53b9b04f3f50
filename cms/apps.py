from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site, branches and members"

    def ready(self):
        from . import signals  # noqa: F401
        from .cache import connect_invalidation

        connect_invalidation()

        from .admin_time_zone import install as admin_in_uk_time

        admin_in_uk_time()
