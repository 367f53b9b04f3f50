"""Newsletters in the Wagtail admin: officers write them (the pages' blocks), then on one page
see how many members will receive one, preview it as a member will, send a test to themselves,
and send it now or at a UK time. Each officer sees and sends only their own audience's
(newsletters.audiences): the listing, the forms and every action ask that one policy."""

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from notifications.emails import NAME, UNSUBSCRIBE

from . import audiences, emails, services
from .models import Newsletter


class NewsletterPermissionPolicy(BasePermissionPolicy):
    """Rights from relations: anyone with an audience may write newsletters, and manages those
    of their own audiences; a sent or scheduled newsletter is never edited or deleted."""

    def user_has_permission(self, user, action):
        return bool(audiences.audiences_for(user)) and action in {"add", "change", "view", "delete"}

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if not audiences.may_manage(user, instance):
            return False
        return action == "view" or instance.is_draft

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        return audiences.manageable(user)

    def instances_user_has_permission_for(self, user, action):
        return audiences.manageable(user)

    def users_with_any_permission(self, actions):
        raise NotImplementedError

    def users_with_permission(self, action):
        raise NotImplementedError


register_permission_policy(Newsletter, NewsletterPermissionPolicy(Newsletter), exact_class=True)


class NewsletterForm(WagtailAdminModelForm):
    """The audience is a choice among the officer's own (a key), never an id to type."""

    audience_key = forms.ChoiceField(label="Send to", choices=())

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["audience_key"].choices = audiences.audiences_for(for_user)
        if self.instance.pk:
            self.fields["audience_key"].initial = self.instance.audience_key

    def clean_audience_key(self):
        key = self.cleaned_data["audience_key"]
        if not audiences.may_send_to(self.for_user, key):
            raise forms.ValidationError("You can only write to your own members.")
        return key

    def save(self, commit=True):
        audience, target = audiences.target_of(self.cleaned_data["audience_key"])
        newsletter = self.instance
        newsletter.audience = audience
        newsletter.branch_id = newsletter.region_id = newsletter.campaign_id = newsletter.consultation_id = None
        for field, value in target.items():
            setattr(newsletter, field, value)
        if not newsletter.created_by_id:
            newsletter.created_by = self.for_user
        return super().save(commit=commit)


class NewsletterIndexView(ModelViewSet.index_view_class):
    def get_base_queryset(self):
        return audiences.manageable(self.request.user).select_related("branch", "region", "campaign", "consultation")

    def get_list_more_buttons(self, instance):
        return [Button("Preview, test and send", url=reverse("newsletter_send", args=[instance.pk]),
                       icon_name="mail")] + list(super().get_list_more_buttons(instance))


class NewsletterCreateView(ModelViewSet.add_view_class):
    def get_success_url(self):
        return reverse("newsletter_send", args=[self.object.pk])


class OwnAudienceOnly:
    """Wagtail's generic views check the model-level permission; each newsletter is checked here
    against the officer's own audiences (a Berlin officer opening a Paris newsletter's URL: refused)."""

    instance_action = "view"

    def get_object(self, *args, **kwargs):
        newsletter = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, self.instance_action,
                                                                        newsletter):
            raise PermissionDenied
        return newsletter


class NewsletterEditView(OwnAudienceOnly, ModelViewSet.edit_view_class):
    instance_action = "change"

    def get_success_url(self):
        return reverse("newsletter_send", args=[self.object.pk])


class NewsletterDeleteView(OwnAudienceOnly, ModelViewSet.delete_view_class):
    instance_action = "delete"


class NewsletterHistoryView(OwnAudienceOnly, ModelViewSet.history_view_class):
    pass


class NewsletterUsageView(OwnAudienceOnly, ModelViewSet.usage_view_class):
    pass


class NewsletterViewSet(ModelViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = "Newsletters"
    menu_order = 250
    add_to_admin_menu = True
    name = "newsletters"
    url_namespace = "newsletter_admin"  # "newsletters" is the site's (the archives)
    index_view_class = NewsletterIndexView
    add_view_class = NewsletterCreateView
    edit_view_class = NewsletterEditView
    delete_view_class = NewsletterDeleteView
    history_view_class = NewsletterHistoryView
    usage_view_class = NewsletterUsageView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["subject", "audience_label", "status", "send_at", "recipient_count"]
    list_filter = ["status"]
    search_fields = ["subject"]
    search_backend_name = None
    panels = [FieldPanel("subject"), FieldPanel("audience_key"), FieldPanel("intro"), FieldPanel("body")]

    def get_form_class(self, for_update=False):
        return self.get_edit_handler().get_form_class()

    def get_edit_handler(self):
        handler = super().get_edit_handler()
        handler.base_form_class = NewsletterForm
        return handler


def _newsletter_for(request, pk):
    newsletter = get_object_or_404(Newsletter.objects.select_related("branch", "region", "campaign",
                                                                     "consultation"), pk=pk)
    if not audiences.may_manage(request.user, newsletter):
        raise PermissionDenied
    return newsletter


@require_GET
def send_page(request, pk):
    """The newsletter's page before it goes: recipient count, a preview, a test, send or schedule.
    GET shows (changes nothing); the buttons POST to the actions below."""
    newsletter = _newsletter_for(request, pk)
    return TemplateResponse(request, "newsletters/admin/send.html", {
        "newsletter": newsletter, "page_title": f"Send “{newsletter.subject}”",
        "recipient_count": services.recipient_count(newsletter),
        "now_uk": timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(settings.UK_TIME_ZONE)),
    })


def preview(request, pk):
    """The email as a member will see it, with the officer's name and a link that unsubscribes nobody."""
    newsletter = _newsletter_for(request, pk)
    template = emails.render(newsletter)
    html = template.html.replace(NAME, escape(request.user.first_name or "member")).replace(
        UNSUBSCRIBE, "#preview-unsubscribe")
    response = HttpResponse(html)
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Content-Security-Policy"] = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
    return response


@require_POST
def act(request, pk, action):
    newsletter = _newsletter_for(request, pk)
    back = redirect("newsletter_send", pk=newsletter.pk)
    try:
        if action == "test":
            services.send_test(newsletter, request.user)
            messages.success(request, f"A test is on its way to {request.user.email}.")
        elif action == "send":
            at = services.parse_uk_datetime(request.POST.get("send_at")) if request.POST.get("when") == "later" \
                else None
            if request.POST.get("when") == "later" and at is None:
                raise services.NewsletterError("Choose the date and time (UK time) to send it at.")
            newsletter = services.send(newsletter, request.user, at)
            if at is None:
                messages.success(request, "The newsletter is being sent.")
            else:
                messages.success(request, f"The newsletter will be sent at {timezone.localtime(at, at.tzinfo):%H:%M on %d %B %Y} UK time.")
        elif action == "cancel":
            services.cancel(newsletter, request.user)
            messages.success(request, "Sending is cancelled: the newsletter is a draft again.")
        else:
            raise PermissionDenied
    except services.NewsletterError as error:
        messages.error(request, str(error))
    return back


@hooks.register("register_admin_viewset")
def register_newsletter_viewset():
    return NewsletterViewSet()


@hooks.register("register_admin_urls")
def register_newsletter_urls():
    return [
        path("newsletters/<int:pk>/send/", send_page, name="newsletter_send"),
        path("newsletters/<int:pk>/preview/", preview, name="newsletter_preview"),
        path("newsletters/<int:pk>/do/<slug:action>/", act, name="newsletter_action"),
    ]
