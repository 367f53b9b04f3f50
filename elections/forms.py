"""Forms of officer elections. They read and shape input; the rules are in services.py."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from . import policies, services
from .models import Position

DATETIME_INPUT = {"widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                  "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]}


class TimetableForm(forms.Form):
    """The timetable, entered in UK time (the view activates the UK zone; stored UTC)."""

    nominations_open = forms.DateTimeField(label="Nominations open (UK time)", **DATETIME_INPUT)
    nominations_close = forms.DateTimeField(label="Nominations close (UK time)", **DATETIME_INPUT)
    ballot_open = forms.DateTimeField(label="Ballot opens (UK time)", **DATETIME_INPUT)
    ballot_close = forms.DateTimeField(label="Ballot closes (UK time)", **DATETIME_INPUT)

    def clean(self):
        data = super().clean()
        times = [data.get(n) for n in ("nominations_open", "nominations_close", "ballot_open", "ballot_close")]
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


class NominationForm(forms.Form):
    """A nomination: candidate (or job-share pair), proposer and seconder by membership number,
    the shared statement, and the declarations only the secretary and returning officer see."""

    position = forms.ModelChoiceField(queryset=Position.objects.none())
    candidate_number = forms.CharField(label="Candidate's membership number", max_length=20)
    partner_number = forms.CharField(
        label="Job-share partner's membership number", max_length=20, required=False,
        help_text="Only for a job-share, on posts open to job-share.")
    proposer_number = forms.CharField(label="Proposer's membership number", max_length=20)
    seconder_number = forms.CharField(label="Seconder's membership number", max_length=20)
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="At most 200 words (one statement shared by a job-share).")
    candidate_declares_eligible = forms.BooleanField(
        required=False, label="The candidate makes the self-declaration a restricted post requires "
        "(Women's, BAME, Disability & Carers, LGBT+, Youth Officer)")
    partner_declares_eligible = forms.BooleanField(
        required=False, label="The job-share partner makes that self-declaration too")
    candidate_is_woman = forms.BooleanField(
        required=False, label="The candidate identifies as a woman (for the gender quota)")
    partner_is_woman = forms.BooleanField(
        required=False, label="The job-share partner identifies as a woman (for the gender quota)")
    for_branch = forms.ModelChoiceField(
        queryset=None, required=False, label="Nominated by the branch",
        help_text="Branch secretaries only: leave blank for a personal nomination.")
    branch_meeting_quorate = forms.BooleanField(
        required=False, label="I confirm a quorate branch meeting decided this nomination")
    branch_meeting_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    MEMBER_FIELDS = {"candidate": "candidate_number", "partner": "partner_number",
                     "proposer": "proposer_number", "seconder": "seconder_number"}
    SERVICE_FIELDS = {**MEMBER_FIELDS, "branch": "for_branch"}

    def __init__(self, *args, election, user, **kwargs):
        super().__init__(*args, **kwargs)
        from cms.models import BranchPage

        self.election, self.user = election, user
        self.fields["position"].queryset = election.positions.order_by("sort_order")
        self.fields["position"].label_from_instance = _position_label
        branches = [b for b in BranchPage.objects.order_by("title") if policies.can_nominate_for_branch(user, b)]
        self.fields["for_branch"].queryset = BranchPage.objects.filter(pk__in=[b.pk for b in branches]).order_by("title")
        if not branches:
            for name in ("for_branch", "branch_meeting_quorate", "branch_meeting_date"):
                del self.fields[name]

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
        """Submit through the service; its rule errors land on the fields they concern."""
        data = self.cleaned_data
        try:
            return services.submit_nomination(
                position=data["position"], submitted_by=self.user,
                candidate=self.members["candidate"], partner=self.members.get("partner"),
                proposer=self.members["proposer"], seconder=self.members["seconder"],
                statement=data["statement"],
                candidate_is_woman=data["candidate_is_woman"], partner_is_woman=data["partner_is_woman"],
                candidate_declares_eligible=data["candidate_declares_eligible"],
                partner_declares_eligible=data["partner_declares_eligible"],
                branch=data.get("for_branch"), branch_meeting_quorate=data.get("branch_meeting_quorate", False),
                branch_meeting_date=data.get("branch_meeting_date"),
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                field = self.SERVICE_FIELDS.get(key, key)
                self.add_error(field if field in self.fields else None, messages)
            return None


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


class CountForm(forms.Form):
    seed = forms.IntegerField(
        required=False, min_value=0,
        help_text="Leave blank: the lot (only for ties no earlier round breaks) is drawn here and its seed recorded.")


class InvalidRulingForm(forms.Form):
    reason = forms.CharField(max_length=500)
