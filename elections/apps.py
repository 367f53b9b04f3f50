from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "elections"

    def ready(self):
        from . import privacy  # noqa: F401 (its part of the member's download, cms.privacy)
