from django.apps import AppConfig


class AmendmentsConfig(AppConfig):
    name = "amendments"
    verbose_name = "Amendments and composites"

    def ready(self):
        # Models can be imported only once every app is loaded: hence here, not at the top.
        from . import kind, receivers  # noqa: F401 (receivers)

        kind.register()  # amendments and composites as kinds of item of the workflow engine (workflows.kinds)
