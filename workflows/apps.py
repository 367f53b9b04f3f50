from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Workflow"

    def ready(self):
        from . import receivers  # noqa: F401
