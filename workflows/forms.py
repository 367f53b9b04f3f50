"""Forms of the workflow engine: what people type. They only shape input; every rule is
checked by workflows.services (whose errors the views put back on these forms)."""

import datetime
import re
from html import unescape

from django import forms
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.html import escape
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.rich_text import get_rich_text_editor_widget

from cms.html_cleaning import RICH_TEXT_FEATURES

from . import permissions
from .models import Consultation, DecidingBody, Item, Meeting, MeetingBody, Outcome, PolicyCommission


class PipelineAdminForm(WagtailAdminModelForm):
    """The pipeline editor: refuses to remove a stage that items are waiting at (their place in
    the pipeline would be lost). Stages with only past decisions may go: decisions keep a
    snapshot of the stage's name and body."""

    def clean(self):
        cleaned = super().clean()
        stages = self.formsets.get("stages")
        if stages is None:
            return cleaned
        # The stage forms may not be cleaned yet: read their DELETE box as submitted.
        removed = [f.instance for f in stages.forms if f.instance.pk and "DELETE" in f.fields and f["DELETE"].value()]
        for stage in removed:
            waiting = Item.objects.filter(current_stage=stage).count()
            if waiting:
                raise forms.ValidationError(
                    f"The stage “{stage.name}” cannot be removed: {waiting} item{pluralize(waiting)} {pluralize(waiting, 'is,are')} waiting at it. "
                    "Rename it or change who decides instead, or remove it once they have moved on."
                )
        return cleaned


# Bounds a vote box accepts; the decision service checks the same (workflows.services.MAX_VOTES).
MAX_VOTES = 1_000_000


class VoteCountField(forms.IntegerField):
    """A vote count: a whole number from 0 to MAX_VOTES, typed in a box wide enough for four digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_VOTES)
        kwargs.setdefault("error_messages", {
            "invalid": "Type the number of votes as a whole number (0 or more).",
            "min_value": "The number of votes cannot be negative.",
            "max_value": f"That is more votes than could have been cast (at most {MAX_VOTES:,}).",
        })
        kwargs.setdefault("widget", forms.NumberInput(attrs={"class": "vote-count", "inputmode": "numeric"}))
        super().__init__(**kwargs)


class VotesMixin(forms.Form):
    votes_for = VoteCountField(label="For")
    votes_against = VoteCountField(label="Against")
    abstentions = VoteCountField(label="Abstentions")


class DecisionForm(VotesMixin):
    """One decision on one item at the stage the person saw (`stage`, hidden)."""

    stage = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1,
                               error_messages={"invalid": "The form was changed: reload the page and try again.",
                                               "min_value": "The form was changed: reload the page and try again.",
                                               "max_value": "The form was changed: reload the page and try again."})
    outcome = forms.ChoiceField(choices=())
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), required=False,
                                     help_text="The meeting that decided it, if any.")
    decided_on = forms.DateField(required=False, help_text="UK date; the meeting's date or today if empty.",
                                 widget=forms.DateInput(attrs={"type": "date"}))
    amended_text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                   help_text="Only for “carried as amended”: the text as amended (HTML paragraphs).")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, item, stage, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.stage_obj = stage
        self.fields["stage"].initial = stage.pk
        self.fields["outcome"].choices = [("", "—")] + [(o, Outcome(o).label) for o in stage.allowed_outcomes]
        if meetings is not None:
            self.fields["meeting"].queryset = meetings
        else:
            del self.fields["meeting"]
        if not stage.takes_votes:
            for name in ("votes_for", "votes_against", "abstentions"):
                del self.fields[name]
        if Outcome.CARRIED_AS_AMENDED not in stage.allowed_outcomes:
            del self.fields["amended_text"]


class AgendaDecisionForm(VotesMixin):
    """One row of a meeting's decision screen: an agenda item; choose its outcome, or defer it
    to a later meeting, or leave both empty to skip it for now. Every box is labelled with the
    item it is for (screen readers read "Votes for M-2026-007", not just "For")."""

    outcome = forms.ChoiceField(choices=(), required=False, label="Outcome")
    defer_to = forms.ModelChoiceField(queryset=Meeting.objects.none(), required=False, label="Or defer to",
                                      empty_label="— not deferred —")
    amended_text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                   label="Amended text", help_text="Only for “carried as amended”.")
    note = forms.CharField(required=False, widget=forms.TextInput, label="Note")

    def __init__(self, *args, entry, later_meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        stage = entry.stage or entry.item.current_stage
        self.fields["outcome"].choices = [("", "— not decided —")] + [
            (o, Outcome(o).label) for o in (stage.allowed_outcomes if stage else [])
        ]
        if later_meetings is not None:
            self.fields["defer_to"].queryset = later_meetings
        if stage is not None and not stage.takes_votes:
            for name in ("votes_for", "votes_against", "abstentions"):
                del self.fields[name]
        if stage is None or Outcome.CARRIED_AS_AMENDED not in stage.allowed_outcomes:
            del self.fields["amended_text"]
        item = entry.item.label
        labels = {
            "outcome": f"Outcome for {item}", "defer_to": f"Or defer {item} to",
            "votes_for": f"Votes for {item}", "votes_against": f"Votes against {item}",
            "abstentions": f"Abstentions on {item}", "amended_text": f"Amended text of {item}",
            "note": f"Note on {item}",
        }
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].widget.attrs["aria-label"] = label
        self.item_label = item

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") and cleaned.get("defer_to"):
            raise forms.ValidationError("Choose an outcome or defer it to a later meeting, not both.")
        if cleaned.get("defer_to") and any(cleaned.get(n) not in (None, "") for n in
                                           ("votes_for", "votes_against", "abstentions")):
            raise forms.ValidationError("A deferred item has no votes: leave the vote boxes empty.")
        return cleaned


class MinutesForm(forms.Form):
    """The minutes as rich text (paragraphs, line breaks, lists, headings, links, documents),
    a document to attach, and the approval box. The service cleans and stores them."""

    minutes = forms.CharField(required=False, label="Minutes")
    document = forms.FileField(required=False, label="Attach a document (optional)",
                               help_text="A report, the accounts, a paper discussed: members read it with the minutes.")
    document_title = forms.CharField(required=False, max_length=255, label="Title of the document")
    approve = forms.BooleanField(required=False, label="Approve the minutes (publishes them to members)")

    class Media:
        # Copies the minutes out of the editor as the form is sent (the editor does so only after a pause).
        js = ["workflows/minutes_form.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = get_rich_text_editor_widget(features=list(RICH_TEXT_FEATURES))
        read_editor = widget.value_from_datadict
        self.minutes_unreadable = False

        def value_from_datadict(data, files, name):
            try:
                return read_editor(data, files, name)
            except (ValueError, TypeError, AttributeError, KeyError):  # not what the editor sends: a forged post
                self.minutes_unreadable = True
                return ""

        widget.value_from_datadict = value_from_datadict
        self.fields["minutes"].widget = widget

    def clean_minutes(self):
        if self.minutes_unreadable:
            raise forms.ValidationError("The minutes could not be read: reload the page and type them again.")
        return self.cleaned_data.get("minutes") or ""


class ItemDraftForm(forms.Form):
    """A member's draft motion or policy submission; a new draft may name its seconders too (an
    existing draft's seconders are invited and withdrawn one by one, see SeconderInvitationForm)."""

    title = forms.CharField(max_length=255)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}),
                           help_text="Paragraphs separated by a blank line.")
    seconders = forms.CharField(
        required=False, label="Seconders' email addresses",
        help_text="The address you know them by; several separated by commas. We email each a link to "
                  "confirm or decline, if the address is a member's; you will see here when they answer.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    consultation = forms.ModelChoiceField(queryset=Consultation.objects.none(), required=False)
    commission = forms.ModelChoiceField(queryset=PolicyCommission.objects.none(), required=False)

    def __init__(self, *args, kind, name_seconders=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if not name_seconders:
            del self.fields["seconders"]
        if kind == "policy_submission":
            open_ids = [c.pk for c in Consultation.objects.all() if c.is_open]
            self.fields["consultation"].queryset = Consultation.objects.filter(pk__in=open_ids)
            self.fields["consultation"].required = True
            self.fields["commission"].queryset = PolicyCommission.objects.filter(consultations__in=open_ids).distinct()
            self.fields["commission"].required = True
        else:
            del self.fields["consultation"]
            del self.fields["commission"]

    def seconder_emails(self):
        raw = self.cleaned_data.get("seconders") or ""
        return [a.strip() for a in raw.replace(";", ",").replace("\n", ",").split(",") if a.strip()]

    def text_html(self):
        return plain_text_to_html(self.cleaned_data["text"])


class SeconderInvitationForm(forms.Form):
    """The proposer invites one more seconder, by the email address they know them by."""

    seconders = forms.CharField(
        label="Seconder's email address", max_length=254,
        help_text="We email them a link to confirm or decline, if the address is a member's.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


def plain_text_to_html(text):
    """Paragraphs of plain text (as typed in a textarea) to the HTML rich text stores."""
    if text.lstrip().startswith("<"):
        return text  # pasted HTML: the service that stores it cleans it (cms.html_cleaning)
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def html_to_plain_text(html):
    """The reverse, to put a stored text back in a textarea."""
    text = re.sub(r"<br\s*/?>", "\n", html or "")
    text = re.sub(r"</p>\s*<p[^>]*>", "\n\n", text)
    return unescape(re.sub(r"<[^>]+>", "", text)).strip()


DECIDING_BODIES_WITH_MEETINGS = {DecidingBody.BRANCH_MEETING, DecidingBody.STEERING_GROUP, DecidingBody.LIEC,
                                 DecidingBody.GC}


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as typed, not yet placed in a time zone (the form places it in the
    branch's zone, whatever the admin's own zone is)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        with timezone.override(datetime.UTC):
            result = super().to_python(value)
        return timezone.make_naive(result, datetime.UTC) if result else result


class BranchMeetingForm(forms.ModelForm):
    """A branch officer plans a meeting of their own branch: the date and time are typed in the
    branch's time zone; a meeting in the past or of another branch is refused here."""

    starts_local = LocalDateTimeField(label="Starts", help_text="Date and time in the branch's time zone.")
    ends_local = LocalDateTimeField(label="Ends", required=False,
                                    help_text="Optional: when it should end, in the branch's time zone (calendars show it).")
    online_link = forms.URLField(required=False, assume_scheme="https", label="Online link")
    amendments_local = LocalDateTimeField(
        label="Deadline for amendments", required=False,
        help_text="Optional, in the branch's time zone: members table amendments to the motions on the agenda until "
                  "then (until the meeting starts if left empty). Members see it in UK time and their own.")

    class Meta:
        model = Meeting
        fields = ["branch", "title", "place", "online_link"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["branch"].required = True
        self.fields["branch"].queryset = permissions.officer_branches(user).order_by("title")
        self.fields["branch"].empty_label = None
        self.fields["title"].required = False
        self.fields["title"].help_text = "“<Branch> branch meeting” if left empty."
        if self.instance.pk:
            self.initial["starts_local"] = timezone.make_naive(self.instance.starts_at, self.instance.zone)
            if self.instance.ends_at:
                self.initial["ends_local"] = timezone.make_naive(self.instance.ends_at, self.instance.zone)
            if self.instance.amendment_deadline:
                self.initial["amendments_local"] = timezone.make_naive(self.instance.amendment_deadline,
                                                                       self.instance.zone)

    def clean(self):
        cleaned = super().clean()
        branch, local = cleaned.get("branch"), cleaned.get("starts_local")
        if branch is not None and not permissions.can_schedule_meeting(self.user, MeetingBody.BRANCH, branch):
            self.add_error("branch", "You may only schedule meetings of your own branch.")
            return cleaned
        if not cleaned.get("place") and not cleaned.get("online_link"):
            self.add_error("place", "Give the place of the meeting or its online link (or both).")
        self.instance.body = MeetingBody.BRANCH
        if branch is not None:
            self.instance.time_zone = branch.time_zone
            if not cleaned.get("title"):
                cleaned["title"] = f"{branch.title} branch meeting"
            if local is not None:
                starts_at = timezone.make_aware(local, branch.zone)
                if starts_at <= timezone.now():
                    self.add_error("starts_local", "This date and time is in the past: schedule a future meeting.")
                else:
                    self.instance.starts_at = starts_at
                ends_local = cleaned.get("ends_local")
                ends_at = timezone.make_aware(ends_local, branch.zone) if ends_local is not None else None
                if ends_at is not None and ends_at <= starts_at:
                    self.add_error("ends_local", "The meeting must end after it starts.")
                else:
                    self.instance.ends_at = ends_at
                deadline_local = cleaned.get("amendments_local")
                deadline = timezone.make_aware(deadline_local, branch.zone) if deadline_local is not None else None
                if deadline is not None and deadline > starts_at:
                    self.add_error("amendments_local", "The deadline for amendments must be before the meeting starts.")
                else:
                    self.instance.amendment_deadline = deadline
        return cleaned
