"""Forms of the site: the admin's page forms, and the member's own settings."""

import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from .times import time_zone_choices, validate_time_zone


class EventPageForm(WagtailAdminPageForm):
    """Editors type an event's start and end in the branch's local time; we store UTC.

    The form shows stored times converted to the branch's zone and reads what is typed
    as wall-clock time in that zone (whatever the server's or the editor's own zone).
    """

    local_fields = ("starts_at", "ends_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch_zone = self._branch_zone()
        for name in self.local_fields:
            field = self.fields.get(name)
            if field is None:
                continue
            field.help_text = f"Local time of the branch ({self.branch_zone.key})."
            value = getattr(self.instance, name, None)
            if value is not None:
                self.initial[name] = timezone.localtime(value, self.branch_zone).replace(tzinfo=None)

    def _branch_zone(self):
        branch = None
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        if parent is not None:
            branch = getattr(parent.specific, "branch", None)  # events live under their branch's page
        name = branch.time_zone if branch else (self.instance.time_zone or settings.UK_TIME_ZONE)
        return zoneinfo.ZoneInfo(name)

    def clean(self):
        cleaned_data = super().clean()
        for name in self.local_fields:
            value = cleaned_data.get(name)
            if value is not None:
                # The field read the typed wall-clock time in the server's zone; re-read it in the branch's.
                wall_clock = timezone.make_naive(value, timezone.get_current_timezone())
                cleaned_data[name] = timezone.make_aware(wall_clock, self.branch_zone)
        self.instance.time_zone = self.branch_zone.key
        return cleaned_data


class MemberTimeZoneForm(forms.Form):
    """A member chooses the zone they read times in, on their account page (empty: their branch's)."""

    time_zone = forms.ChoiceField(label="Your time zone", required=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        branch_zone = member.branch.time_zone if member.branch_id else settings.UK_TIME_ZONE
        self.fields["time_zone"].choices = [("", f"My branch's zone ({branch_zone})")] + time_zone_choices()
        self.fields["time_zone"].initial = member.time_zone
        self.fields["time_zone"].help_text = (
            "Meeting times on the site and in emails are shown in the place's time, UK time, and this one.")

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"]
        if value:
            validate_time_zone(value)
        return value

    def save(self):
        self.member.time_zone = self.cleaned_data["time_zone"]
        self.member.save(update_fields=["time_zone"])
        return self.member
