from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "elections"

    def ready(self):
        from participation.services import register_voting_officers

        from . import home, privacy  # noqa: F401 (its part of the member's download, cms.privacy)
        from .voting_officers import voting_officer_ids

        home.register()  # the member's open ballots on their home page (cms.home)
        register_voting_officers(voting_officer_ids)  # they vote at the LIEC and the GC
