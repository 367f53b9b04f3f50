from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    """Taking part from anywhere: the GC's delegates, attendance and quorum, live polls in hybrid
    meetings and online ballots between them, each closing into the stage's decision."""

    name = "participation"
    verbose_name = "Attendance, quorum and votes"

    def ready(self):
        from workflows import kinds

        from . import home, privacy, services, views  # noqa: F401 (privacy: its part of the member's download)

        kinds.register_decision_rules(kinds.DecisionRules(at_meeting=services.check_quorate))
        kinds.register_meeting_section(views.meeting_section)
        home.register()  # the votes open to the member on their home page (cms.home)
