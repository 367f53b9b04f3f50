"""Site pages, branches, regions and members.

Branches are pages: a BranchPage is both the branch's microsite root and the
organisational unit that members, motions and meetings point to.
"""

import zoneinfo
from datetime import date

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from .blocks import BranchStreamBlock


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (for example Europe/Paris).")


class MemberManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("A member needs an email address.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class Member(AbstractUser):
    """A person who logs in: a member of LI, an officer, or staff. Logs in with their email.

    Keeps the minimum: nothing about gender, ethnicity, disability or age (those are
    declared only where a rule needs them, in elections).
    """

    username = None
    email = models.EmailField("email address", unique=True)
    membership_number = models.CharField(max_length=20, unique=True, null=True, blank=True)
    branch = models.ForeignKey(
        "cms.BranchPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    paid_up_until = models.DateField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = MemberManager()

    class Meta:
        verbose_name = "member"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def is_paid_up(self, on=None):
        """Fully paid-up on a date (today by default)."""
        on = on or timezone.localdate()
        return bool(self.membership_number) and self.paid_up_until is not None and self.paid_up_until >= on


class Region(models.Model):
    """One of LI's three world regions, with its regional coordinator."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    coordinator = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="coordinated_regions"
    )

    panels = [FieldPanel("number"), FieldPanel("name"), FieldPanel("slug"), FieldPanel("coordinator")]

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return self.name


class HomePage(Page):
    """The site's home page."""

    intro = RichTextField(blank=True)
    body = StreamField(BranchStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    max_count = 1


class BranchIndexPage(Page):
    """/branches/: every branch, grouped by region."""

    intro = RichTextField(blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.BranchPage"]
    max_count = 1


class BranchPage(Page):
    """A branch of LI: its microsite root and the unit members, motions and meetings belong to."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="branches")
    country = models.CharField(max_length=100)
    time_zone = models.CharField(max_length=64, default="Europe/London", validators=[validate_time_zone])
    meeting_pattern = models.CharField(max_length=200, blank=True, help_text="e.g. “Second Tuesday of the month, 19:00”")
    role_email = models.EmailField(blank=True, help_text="The branch's role address, not a person's.")
    intro = models.TextField(blank=True)
    body = StreamField(BranchStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("region"), FieldPanel("country"), FieldPanel("time_zone"),
             FieldPanel("meeting_pattern"), FieldPanel("role_email")],
            heading="Branch",
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("officers", label="Officers"),
    ]
    parent_page_types = ["cms.BranchIndexPage"]
    subpage_types = ["cms.NewsPage", "cms.EventPage", "cms.StandardPage"]

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class BranchOfficer(Orderable):
    """A named officer role of a branch, shown on its site."""

    branch = ParentalKey(BranchPage, on_delete=models.CASCADE, related_name="officers")
    role = models.CharField(max_length=100)
    name = models.CharField(max_length=200)

    panels = [FieldPanel("role"), FieldPanel("name")]


class NewsPage(Page):
    """A news item on a branch site."""

    date = models.DateField(default=date.today)
    intro = models.TextField(blank=True)
    body = StreamField(BranchStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.BranchPage"]
    subpage_types = []

    class Meta:
        verbose_name = "news item"


class EventPage(Page):
    """An event of a branch; times are entered and shown in the branch's time zone."""

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=255, blank=True)
    online_link = models.URLField(blank=True)
    intro = models.TextField(blank=True)
    body = StreamField(BranchStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [
        FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("place"), FieldPanel("online_link"),
        FieldPanel("intro"), FieldPanel("body"),
    ]
    parent_page_types = ["cms.BranchPage"]
    subpage_types = []

    def clean(self):
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": "The event cannot end before it starts."})


class StandardPage(Page):
    """A plain content page (about us, how to join…)."""

    intro = models.TextField(blank=True)
    body = StreamField(BranchStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.StandardPage"]
