from django.apps import AppConfig


class SteeringGroupsConfig(AppConfig):
    name = "steering_groups"
