"""The email outbox in the Wagtail admin: every email with its status, attempts, next attempt
and last error; filters; "Retry now" and "Give up" (POST, with confirmation)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import services
from .models import OutboxEmail


class OutboxPermissionPolicy(ModelPermissionPolicy):
    """Emails are written by the worker only: the admin views them (with the model's view
    permission) and acts through "retry now" / "give up" (change permission), never edits."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, "view")

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


register_permission_policy(OutboxEmail, OutboxPermissionPolicy(OutboxEmail), exact_class=True)


class OutboxIndexView(ModelViewSet.index_view_class):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not self.request.user.has_perm("notifications.change_outboxemail"):
            return buttons
        if instance.status not in (OutboxEmail.Status.SENT, OutboxEmail.Status.SENDING):
            buttons.append(Button("Retry now", url=reverse("outbox_action", args=[instance.pk, "retry"]),
                                  icon_name="repeat"))
        if instance.status in (OutboxEmail.Status.QUEUED, OutboxEmail.Status.FAILED):
            buttons.append(Button("Give up", url=reverse("outbox_action", args=[instance.pk, "give-up"]),
                                  icon_name="cross"))
        return buttons


class OutboxViewSet(ModelViewSet):
    model = OutboxEmail
    icon = "mail"
    menu_label = "Email outbox"
    menu_order = 260
    add_to_admin_menu = True
    name = "outbox"
    index_view_class = OutboxIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["subject", "to_email", "kind", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject"]
    search_backend_name = None
    list_per_page = 50
    # Emails are written by the worker; the admin only reads them and acts through the buttons.
    form_fields = ["status"]
    inspect_view_fields = ["key", "kind", "to_email", "subject", "status", "attempts", "last_error", "created_at",
                           "next_attempt_at", "claimed_at", "sent_at", "given_up_at", "given_up_by", "body_text"]



def outbox_action(request, pk, action):
    """Confirm (GET) and do (POST) "retry now" or "give up" on one email."""
    if not request.user.has_perm("notifications.change_outboxemail"):
        raise PermissionDenied
    email = get_object_or_404(OutboxEmail, pk=pk)
    if request.method == "POST":
        try:
            if action == "retry":
                services.retry_now(email)
                messages.success(request, f"Retrying the email to {email.to_email} now.")
            else:
                services.give_up(email, request.user)
                messages.success(request, f"Gave up on the email to {email.to_email}.")
        except services.FollowError as error:
            messages.error(request, str(error))
        return redirect(reverse("outbox:index"))
    return TemplateResponse(request, "notifications/admin/outbox_action.html", {
        "email": email, "action": action, "page_title": "Retry now" if action == "retry" else "Give up",
    })


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxViewSet()


@hooks.register("register_admin_urls")
def register_outbox_urls():
    return [path("outbox/<int:pk>/<slug:action>/", outbox_action, name="outbox_action")]
