"""Forms of officer elections. They read and shape input; the rules are in services.py."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from workflows.models import Meeting, MeetingBody

from . import policies, services
from .models import Position

DATETIME_INPUT = {"widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                  "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]}


class TimetableForm(forms.Form):
    """The timetable, entered in UK time (the view activates the UK zone; stored UTC).

    For an existing election only the dates that may still change are fields (the rule is
    Election.fixed_timetable_fields); the fixed ones keep their stored value.
    """

    nominations_open = forms.DateTimeField(label="Nominations open (UK time)", **DATETIME_INPUT)
    nominations_close = forms.DateTimeField(
        label="Nominations close (UK time)", help_text="A deadline includes its whole minute: 23:59 means until "
        "00:00 the next day.", **DATETIME_INPUT)
    ballot_open = forms.DateTimeField(label="Ballot opens (UK time)", **DATETIME_INPUT)
    ballot_close = forms.DateTimeField(
        label="Ballot closes (UK time)", help_text="Until the end of that minute.", **DATETIME_INPUT)

    def __init__(self, *args, election=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.election, self.fixed_reason = election, ""
        if election is not None:
            fixed, self.fixed_reason = election.fixed_timetable_fields()
            for name in fixed:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        times = [data.get(n) if n in self.fields else getattr(self.election, n, None)
                 for n in ("nominations_open", "nominations_close", "ballot_open", "ballot_close")]
        if all(times) and not (times[0] < times[1] <= times[2] < times[3]):
            raise ValidationError("The timetable must run: nominations open, nominations close, ballot opens, "
                                  "ballot closes.")
        return data


class ElectionForm(TimetableForm):
    title = forms.CharField(max_length=200, initial="LIEC elections")
    slug = forms.SlugField(required=False, help_text="Web address; made from the title if left blank.")

    field_order = ["title", "slug"]


def member_by_number(number):
    Member = get_user_model()
    return Member.objects.filter(membership_number__iexact=number.strip()).first()


class PositionSelect(forms.Select):
    """The post list; each option carries its self-declaration wording, so the declaration box
    can show the chosen post's own words (static/elections/nominate.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        position = getattr(value, "instance", None)
        if position is not None:
            option["attrs"]["data-declaration"] = position.declaration
            option["attrs"]["data-job-share"] = "yes" if position.job_share_allowed else "no"
        return option


def _meeting_label(meeting):
    return f"{meeting.branch.title}: {meeting.title}, {meeting.local_starts_at:%-d %b %Y}"


WORD_COUNTED = {"rows": 8, "data-word-limit": services.STATEMENT_WORD_LIMIT, "data-word-counter": "statement-words",
                "aria-describedby": "id_statement_helptext statement-words"}


class NominationForm(forms.Form):
    """A nomination: candidate (or job-share pair), proposer and seconder by membership number,
    the shared statement. Everyone named confirms by an emailed link; the declarations are the
    candidate's own (here only when nominating themselves)."""

    position = forms.ModelChoiceField(queryset=Position.objects.none(), widget=PositionSelect)
    candidate_number = forms.CharField(label="Candidate's membership number", max_length=20)
    partner_number = forms.CharField(
        label="Job-share partner's membership number", max_length=20, required=False,
        help_text="Only for a job-share, on posts open to job-share.")
    proposer_number = forms.CharField(label="Proposer's membership number", max_length=20)
    seconder_number = forms.CharField(label="Seconder's membership number", max_length=20)
    statement = forms.CharField(
        widget=forms.Textarea(attrs=WORD_COUNTED),
        help_text=f"At most {services.STATEMENT_WORD_LIMIT} words (one statement shared by a job-share). Words are "
                  "runs of letters or digits: a hyphenated word, “and/or” or a web address counts as its parts.")
    candidate_declares_eligible = forms.BooleanField(
        required=False, label="The post's self-declaration",
        help_text="Only if you are the candidate; otherwise the candidate makes it when they confirm.")
    candidate_is_woman = forms.BooleanField(
        required=False, label="I identify as a woman (counted for the gender quota)",
        help_text="Only if you are the candidate.")
    for_branch = forms.ModelChoiceField(
        queryset=None, required=False, label="Nominated by the branch",
        help_text="As the branch's secretary: leave blank for a personal nomination.")
    branch_meeting = forms.ModelChoiceField(
        queryset=None, required=False, label="The branch meeting that decided it",
        help_text="A meeting of that branch which has taken place, as recorded on the site.")

    MEMBER_FIELDS = {"candidate": "candidate_number", "partner": "partner_number",
                     "proposer": "proposer_number", "seconder": "seconder_number"}
    SERVICE_FIELDS = {**MEMBER_FIELDS, "branch": "for_branch", "partner_declares_eligible": "candidate_declares_eligible",
                      "partner_is_woman": "candidate_is_woman"}

    def __init__(self, *args, election, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.election, self.user = election, user
        self.fields["position"].queryset = election.positions.order_by("sort_order")
        self.fields["position"].label_from_instance = _position_label
        position = self._chosen_position()
        if position is not None and position.declaration:
            self.fields["candidate_declares_eligible"].label = position.declaration
        branches = policies.nominating_branches(user)
        if branches.exists():
            self.fields["for_branch"].queryset = branches
            self.fields["branch_meeting"].queryset = (
                Meeting.objects.filter(body=MeetingBody.BRANCH, branch__in=branches, starts_at__lte=timezone.now())
                .select_related("branch").order_by("-starts_at"))
            self.fields["branch_meeting"].label_from_instance = _meeting_label
        else:
            del self.fields["for_branch"], self.fields["branch_meeting"]

    def _chosen_position(self):
        key = self.data.get(self.add_prefix("position")) if self.is_bound else self.initial.get("position")
        try:
            return self.fields["position"].queryset.filter(pk=getattr(key, "pk", key)).first() if key else None
        except (ValueError, TypeError):
            return None

    def clean(self):
        data = super().clean()
        self.members = {}
        for role, field in self.MEMBER_FIELDS.items():
            number = data.get(field)
            if not number:
                continue
            member = member_by_number(number)
            if member is None:
                self.add_error(field, f"No LI member has membership number {number}.")
            else:
                self.members[role] = member
        return data

    def save(self):
        """Submit through the service; its rule errors land on the fields they concern. The
        declarations are passed as the candidate's own only when the candidate submits."""
        data = self.cleaned_data
        candidate, partner = self.members["candidate"], self.members.get("partner")
        declares, woman = data["candidate_declares_eligible"], data["candidate_is_woman"] or None
        mine = {"candidate": candidate == self.user, "partner": partner is not None and partner == self.user}
        try:
            return services.submit_nomination(
                position=data["position"], submitted_by=self.user,
                candidate=candidate, partner=partner,
                proposer=self.members["proposer"], seconder=self.members["seconder"],
                statement=data["statement"],
                candidate_is_woman=woman if mine["candidate"] else None,
                partner_is_woman=woman if mine["partner"] else None,
                candidate_declares_eligible=declares if mine["candidate"] else False,
                partner_declares_eligible=declares if mine["partner"] else False,
                branch=data.get("for_branch"), branch_meeting=data.get("branch_meeting"),
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                field = self.SERVICE_FIELDS.get(key, key)
                self.add_error(field if field in self.fields else None, messages)
            return None


class ConsentForm(forms.Form):
    """The candidate, partner, proposer or seconder confirms; a candidate makes their declarations."""

    declares_eligible = forms.BooleanField(required=False)
    is_woman = forms.BooleanField(required=False, label="I identify as a woman (counted for the gender quota)",
                                  help_text="Optional; seen only by the secretary and the returning officer.")

    def __init__(self, *args, nomination, role, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        position = nomination.position
        if role not in ("candidate", "partner"):
            del self.fields["declares_eligible"], self.fields["is_woman"]
            return
        if position.declaration:
            self.fields["declares_eligible"].label = position.declaration
            self.fields["declares_eligible"].help_text = f"{position} is open only to members who declare this."
        else:
            del self.fields["declares_eligible"]
        if position.restriction == "woman":
            del self.fields["is_woman"]  # the post's declaration serves the gender quota too


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
        error_messages={"required": "Say why: the reason is recorded for the secretary and the returning officer."},
        help_text="Recorded for the secretary and the returning officer; not published.")


class PostChoiceForm(forms.Form):
    nomination = forms.ChoiceField(widget=forms.RadioSelect, label="The post you stand for")

    def __init__(self, *args, nominations, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominations = {str(n.pk): n for n in nominations}
        self.fields["nomination"].choices = [
            (str(n.pk), f"{n.position.title}" + (f" (job-share with {n.display_name})" if n.is_job_share else ""))
            for n in nominations]

    def clean_nomination(self):
        return self.nominations[self.cleaned_data["nomination"]]


def _position_label(position):
    notes = []
    if not position.job_share_allowed:
        notes.append("no job-share")
    if position.restriction:
        notes.append(position.get_restriction_display())
    return f"{position.title}" + (f" ({'; '.join(notes)})" if notes else "")


ORDINALS = ["1st", "2nd", "3rd"] + [f"{n}th" for n in range(4, 21)]


class BallotForm(forms.Form):
    """One ballot paper: for each contested post, 1st choice, 2nd choice… among its candidates.

    The form turns the choices into rankings and reports, as form errors, a candidate named
    twice, an unknown candidate, a gap, or a wholly blank ballot.
    """

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.positions = positions
        self.groups = []
        for position in positions:
            choices = [("", "—")] + [(str(n.pk), n.display_name) for n in position.valid_nominations]
            names = []
            for rank in range(1, len(position.valid_nominations) + 1):
                name = f"p{position.pk}_r{rank}"
                self.fields[name] = forms.ChoiceField(
                    choices=choices, required=False, label=f"{ORDINALS[rank - 1]} choice")
                names.append(name)
            self.groups.append((position, names))

    def position_groups(self):
        return [(position, [self[name] for name in names]) for position, names in self.groups]

    def clean(self):
        data = super().clean()
        self.rankings = {}
        for position, names in self.groups:
            nominations = {str(n.pk): n for n in position.valid_nominations}
            chosen = [data.get(name) or "" for name in names]
            while chosen and not chosen[-1]:
                chosen.pop()
            if "" in chosen:
                self.add_error(names[chosen.index("")], f"{position}: fill your choices in order, without a gap.")
                continue
            seen = set()
            for name, value in zip(names, chosen, strict=False):
                if value not in nominations:
                    self.add_error(name, f"{position}: unknown candidate.")
                elif value in seen:
                    self.add_error(name, f"{position}: {nominations[value].display_name} is ranked twice.")
                seen.add(value)
            self.rankings[position] = [nominations[v] for v in chosen if v in nominations]
        if not self.errors and not any(self.rankings.values()):
            raise ValidationError("Your ballot is blank: rank at least one candidate.")
        return data


class ReceiptCheckForm(forms.Form):
    code = forms.CharField(label="Receipt code", max_length=20, help_text="The code shown when you voted, e.g. ABCD-EFGH-JKLM.")


class BallotImportForm(forms.Form):
    """Ballots for one contested post counted elsewhere, in the normalized CSV."""

    position = forms.ModelChoiceField(queryset=Position.objects.none())
    file = forms.FileField(help_text="CSV with the header ballot_id,rank,choice; choices name the candidates as "
                                     "this site shows them.")
    paper_register = forms.CharField(
        label="Paper register", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The membership numbers of the members whose paper ballots are in this file (from the outer "
                  "envelopes), one per line. They are checked against the members who voted online.")
    skip_bad_lines = forms.BooleanField(required=False, label="Skip bad lines (they are listed) instead of refusing "
                                        "the whole file")

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = election.positions.filter(outcome=Position.BALLOT).order_by("sort_order")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            return upload.name, upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("The file is not UTF-8 text.") from None


class ExtensionForm(forms.Form):
    """The returning officer extends the ballot close (UK time), with the reason published."""

    new_close = forms.DateTimeField(label="New ballot close (UK time)", **DATETIME_INPUT)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
                             help_text="Published on the election's page with the extension.")


class CountForm(forms.Form):
    """Run the count. A recount reuses the lot drawn for the earlier count unless the returning
    officer says why it must be drawn again (the reason is published with the results)."""

    redraw_reason = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        label="Draw the lot again, because…",
        help_text="Only for a recount, and only if the lot must be drawn again: leave blank to reuse the earlier "
                  "draw. The reason is published with the results.")


class AdjustmentDecisionForm(forms.Form):
    """The returning officer's decision on one proposed quota replacement."""

    decision = forms.ChoiceField(choices=[("accept", "Accept the replacement"), ("reject", "Reject it")],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             label="Reason", help_text="Required to reject; published with the results.")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for rejecting the replacement: it is published with the results.")
        return data


class InvalidRulingForm(forms.Form):
    reason = forms.CharField(max_length=500)
