from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self):
        from . import home, privacy, signals  # noqa: F401 (its part of the member's download and erasure; receivers)

        home.register()  # the campaigns on the visitors' home page (cms.home)
