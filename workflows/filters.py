"""The filters of item listings, written once (django-filter) and used by the public tracker
(/motions/), the motions API (/api/v2/motions/) and the admin's item listing.

The listings differ only in what they do with a value that makes no sense: the tracker shows an
empty list (its links are bookmarked and edited by hand), the API answers 400 with the form's
message, the admin shows the error beside the filter. Each asks `ItemFilterSet.is_valid()`.
"""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from wagtail.admin.filters import WagtailFilterSet

from cms.models import BranchPage, Region

from .models import Consultation, Item, ItemKind, ItemStatus, Stage

PUBLIC_STATUSES = [s for s in ItemStatus if s not in (ItemStatus.DRAFT, ItemStatus.AWAITING_SECONDERS)]
MAX_SEARCH_WORDS = 10


def ordered_stages():
    """Every stage with its pipeline, pipelines of a kind together, stages in order (one query), with
    what the filters and stage bars show: its name and deciding body (not its rules, read on demand)."""
    return list(
        Stage.objects.select_related("pipeline")
        .only("pipeline__kind", "pipeline__name", "sort_order", "name", "deciding_body", "outside_body")
        .order_by("pipeline__kind", "pipeline__name", "sort_order", "pk")
    )


def stage_choices(stages=None):
    """Every stage as (id, "name (pipeline)"), pipelines of a kind together, stages in order
    (`stages`: what `ordered_stages()` returned, when the caller has it already)."""
    return [(str(s.pk), f"{s.name} ({s.pipeline.name})") for s in (ordered_stages() if stages is None else stages)]


class StageField(forms.CharField):
    """A stage by its id (what the forms send) or its name (what people type in links: "GC ratification")."""

    widget = forms.Select

    def validate(self, value):
        super().validate(value)
        if value and not Stage.objects.filter(self.lookup(value)).exists():
            raise forms.ValidationError(f"No stage is called “{value}”.", code="invalid_choice")

    @staticmethod
    def lookup(value, prefix=""):
        if value.isascii() and value.isdigit() and len(value) <= 9:  # an id, not a number the database refuses
            return Q(**{f"{prefix}pk": int(value)})
        return Q(**{f"{prefix}name__iexact": value})


class StageFilter(django_filters.Filter):
    field_class = StageField

    def filter(self, qs, value):
        return qs.filter(StageField.lookup(value, prefix="current_stage__")) if value else qs


class ItemFilterSet(django_filters.FilterSet):
    """Kind, status, stage (id or name), branch, region and consultation (slugs), year submitted,
    and words to search for in the reference, title and text (every word must match)."""

    statuses = PUBLIC_STATUSES

    q = django_filters.CharFilter(method="search", label="Search",
                                  widget=forms.TextInput(attrs={"placeholder": "Words or a reference (M-2026-007)"}))
    kind = django_filters.ChoiceFilter(choices=ItemKind.choices, empty_label="All kinds")
    status = django_filters.ChoiceFilter(choices=[], empty_label="Any status")
    stage = StageFilter(label="Stage")
    branch = django_filters.ModelChoiceFilter(
        queryset=BranchPage.objects.order_by("title").only("title", "slug"), to_field_name="slug",
        empty_label="All branches")
    region = django_filters.ModelChoiceFilter(
        field_name="branch__region", queryset=Region.objects.order_by("number"), to_field_name="slug",
        empty_label="All regions")
    consultation = django_filters.ModelChoiceFilter(
        field_name="policysubmission__consultation", queryset=Consultation.objects.order_by("-year", "title").only("slug", "year", "title"),
        to_field_name="slug", empty_label="Any consultation")
    year = django_filters.CharFilter(
        method="submitted_in", label="Year submitted", widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
        validators=[RegexValidator(r"^\d{4}$", "Give the year as four digits, e.g. 2026.")])

    class Meta:
        model = Item
        fields = ["q", "kind", "status", "stage", "branch", "region", "consultation", "year"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:  # surrounding spaces from hand-edited links mean nothing
            data = {name: data.get(name, "").strip() for name in self.base_filters if data.get(name) is not None}
        super().__init__(data, *args, **kwargs)
        self.filters["status"].extra["choices"] = [(s.value, s.label) for s in self.statuses]
        # Read when the form is shown (the admin), not when a listing only filters (the tracker, the API).
        self.filters["stage"].extra["widget"] = forms.Select(choices=lambda: [("", "Any stage"), *stage_choices()])

    @property
    def chosen(self):
        """{filter name: the value asked for} (blank for those not asked)."""
        data = self.data or {}
        return {name: data.get(name, "") for name in self.base_filters}

    @property
    def error_message(self):
        """The form's errors as one sentence (for the API's 400)."""
        return " ".join(f"{name}: {' '.join(errors)}" for name, errors in self.errors.items())

    def search(self, queryset, name, value):
        for word in value.split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(Q(reference__icontains=word) | Q(title__icontains=word) | Q(text__icontains=word))
        return queryset

    def submitted_in(self, queryset, name, value):
        return queryset.filter(submitted_at__year=int(value))


class ItemAdminFilterSet(WagtailFilterSet, ItemFilterSet):
    """The same filters in the admin's item listing (its search too), where officers also see drafts."""

    statuses = list(ItemStatus)
