from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """NPF consultations in public (/consultations/: which are open, until when, what LI submitted)
    and the Word exports of what LI sends on: ratified submissions to the NPF, motions to Conference
    (`export_npf`, `export_conference`, and the admin's "NPF & Conference exports")."""

    name = "consultations"
    verbose_name = "Consultations and exports"

    def ready(self):
        from . import home

        home.register()  # open consultations on a member's home page (cms.home)
