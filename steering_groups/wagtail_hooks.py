"""Steering groups in the Wagtail admin: members and conveners edited inline."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import SteeringGroup


class SteeringGroupViewSet(ModelViewSet):
    model = SteeringGroup
    icon = "group"
    menu_label = "Steering groups"
    menu_order = 260
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["name", "slug", "is_active"]
    search_fields = ["name"]
    search_backend_name = None


@hooks.register("register_admin_viewset")
def register_steering_group_viewset():
    return SteeringGroupViewSet("steering_group_admin")
