from django.apps import AppConfig


class SteeringGroupsConfig(AppConfig):
    name = "steering_groups"

    def ready(self):
        # Models can be imported only once every app is loaded: hence here, not at the top.
        from . import proposals

        proposals.register()  # proposals as a kind of item of the workflow engine (workflows.kinds)
