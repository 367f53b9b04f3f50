from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Workflow"

    def ready(self):
        # Models (and what imports them) only once every app is loaded: hence here, not at the top.
        from . import home, kinds, privacy, receivers, selectors  # noqa: F401 (privacy parts, receivers)
        from .models import ItemKind, Motion, PolicySubmission

        # The engine's own kinds; other apps register theirs the same way (steering_groups: proposals).
        kinds.register(kinds.ItemKindSpec(kind=ItemKind.MOTION, model=Motion))
        kinds.register(kinds.ItemKindSpec(kind=ItemKind.POLICY_SUBMISSION, model=PolicySubmission,
                                          select_related=("consultation", "commission")))
        home.register()  # the member's motions on their home page (cms.home)
