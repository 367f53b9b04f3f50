"""Site pages, branches, regions and members.

Branches are pages: a BranchPage is both the branch's microsite root and the
organisational unit that members, motions and meetings point to.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager, Group
from django.core.exceptions import ValidationError
from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Collection, Orderable, Page
from wagtail.models.audit_log import BaseLogEntry

from .audit import AuditLogEntryManager
from .blocks import BranchStreamBlock
from .forms import EventPageForm
from .home import home_panels
from .routing import route_by_url_path
from .times import TimeZoneSelect, known_time_zones, validate_time_zone  # noqa: F401 (migrations refer to cms.models.validate_time_zone)

NEWS_PER_PAGE = 10
UPCOMING_EVENTS_ON_BRANCH_PAGE = 5
# How far back a calendar feed goes, so subscribers keep recent history without the whole archive.
CALENDAR_PAST_DAYS = 90
CALENDAR_MAX_EVENTS = 200
# A meeting stays listed as "upcoming" while it is probably still going on.
MEETING_SHOWN_AFTER_START = timedelta(hours=3)
# What a list of pages needs of each ({% pageurl %} and its title): not the whole page.
LISTED_PAGE_FIELDS = ("title", "slug", "url_path", "path", "depth")


def child_url(parent_url, slug):
    """The url of a page's child as {% pageurl %} gives it, from its parent's (`parent_url`, as
    Page.get_url gives it) and its slug: so a list of children needs no page object for its links."""
    return None if parent_url is None else f"{parent_url}{slug}/"


def read_rows(sql, params, names=None, fields=()):
    """The rows of a parametrised SQL read (Django's connection.cursor()): as dicts of `names` if
    given, else as tuples; each value of a column whose model field is in `fields` (by position,
    None for none) converted as the ORM converts it (e.g. SQLite's datetimes made aware)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converters = [(index, converter, field.cached_col) for index, field in enumerate(fields) if field is not None
                  for converter in connection.ops.get_db_converters(field.cached_col)]
    if converters and rows:
        rows = [list(row) for row in rows]
        for row in rows:
            for index, converter, column in converters:
                row[index] = converter(row[index], column, connection)
    if names is not None:
        return [dict(zip(names, row, strict=True)) for row in rows]
    return [tuple(row) for row in rows] if converters else rows


def uk_zone():
    return zoneinfo.ZoneInfo(settings.UK_TIME_ZONE)


class LocalDateTimeField(serializers.Field):
    """An aware datetime in ISO 8601 with its UTC offset (the API shows events in the branch's zone)."""

    def to_representation(self, value):
        return value.isoformat() if value else None


class RegionField(serializers.Field):
    def to_representation(self, value):
        return {"number": value.number, "name": value.name, "slug": value.slug}


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
    time_zone = models.CharField(
        "your time zone", max_length=64, blank=True, validators=[validate_time_zone],
        help_text="Times on the site and in emails are also shown in this zone. Empty: your branch's zone.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = MemberManager()

    class Meta:
        verbose_name = "member"
        ordering = ["last_name", "first_name", "email"]
        permissions = [("import_members", "Can import the membership list")]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def zone_name(self):
        """The zone this member reads times in: their own, else their branch's, else UK time."""
        if self.time_zone:
            return self.time_zone
        return self.branch.time_zone if self.branch_id else settings.UK_TIME_ZONE

    def is_paid_up(self, on=None):
        """Fully paid-up on a date (today by default)."""
        on = on or timezone.localdate()
        return bool(self.membership_number) and self.paid_up_until is not None and self.paid_up_until >= on


class MembershipRecord(Member):
    """A member as the membership officer sees them: membership number, branch, paid-up date.

    A proxy with its own permissions, so that the membership officer can keep the list
    without the rights of the Wagtail users admin (groups, staff status).
    """

    class Meta:
        proxy = True
        verbose_name = "membership record"
        ordering = ["membership_number"]


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
    """The site's home page: for a signed-in member, what is theirs (their branch's next meetings,
    their motions, what changed in what they follow, their open ballots and consultations); for a
    visitor, LI's news, events and campaigns and how to join. Each app adds its panel (cms.home)."""

    intro = RichTextField(blank=True)
    how_to_join = RichTextField(
        blank=True, help_text="Shown to visitors under “How to join”: who can join LI and how.",
    )
    body = StreamField(BranchStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("how_to_join"), FieldPanel("body")]
    max_count = 1

    def route(self, request, path_components):
        """The page under the home page that the URL names, in two queries (cms.routing)."""
        return route_by_url_path(self, request, path_components) or super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().serve(request, *args, **kwargs)
        # A member's home is theirs alone, and reading it moves their "last visit": no cache keeps it.
        last_visit = HomeVisit.record(request.user)
        response = super().serve(request, *args, last_visit=last_visit, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        return response

    def get_context(self, request, *args, last_visit=None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["last_visit"] = last_visit
        context["panels"] = home_panels(request, last_visit)
        return context


# A member coming back within this long is still on the same visit: what was new stays new.
SAME_VISIT = timedelta(hours=1)


class HomeVisit(models.Model):
    """When a member last opened their home page, so that it can show what changed since.

    `changes_since` is the end of their previous visit; opening the home again within SAME_VISIT
    keeps it (a reload does not make the news old), a later visit moves it to `seen_at`.
    """

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="home_visit")
    seen_at = models.DateTimeField(help_text="The last time the member opened their home page.")
    changes_since = models.DateTimeField(null=True, blank=True,
                                         help_text="Their home shows what changed after this (their previous visit).")

    class Meta:
        verbose_name = "home page visit"

    def __str__(self):
        return f"{self.member} opened their home at {self.seen_at:%Y-%m-%d %H:%M} UTC"

    @classmethod
    def record(cls, member, now=None):
        """Record that `member` opens their home now; returns what their home counts changes from
        (None on their first visit)."""
        now = now or timezone.now()
        visit, created = cls.objects.get_or_create(member=member, defaults={"seen_at": now})
        if created:
            return None
        changes_since = visit.changes_since
        if now - visit.seen_at >= SAME_VISIT:
            changes_since = visit.seen_at
        cls.objects.filter(pk=visit.pk).update(seen_at=now, changes_since=changes_since)
        return changes_since


class BranchIndexPage(Page):
    """/branches/: every branch, grouped by region."""

    intro = RichTextField(blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.BranchPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["branches"] = BranchPage.by_region().child_of(self)
        return context


@dataclass(frozen=True)
class Happening:
    """A meeting or an event as lists of a branch's happenings show it (cms/includes/happening.html):
    built from rows, not pages, and without a meeting's online link (on its page, for members)."""

    happening_kind: str  # the model's own: "meeting" or "event"
    title: str
    url: str
    starts_at: datetime
    ends_at: datetime | None
    time_zone: str
    place: str
    online: bool = False  # a meeting that members can also join online


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
            [FieldPanel("region"), FieldPanel("country"), FieldPanel("time_zone", widget=TimeZoneSelect()),
             FieldPanel("meeting_pattern"), FieldPanel("role_email")],
            heading="Branch",
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("officers", label="Officers"),
    ]
    parent_page_types = ["cms.BranchIndexPage"]
    subpage_types = ["cms.NewsPage", "cms.EventPage", "cms.StandardPage"]
    routing_select_related = ["region"]  # its page shows the region (cms.routing)

    api_fields = [
        APIField("region", serializer=RegionField()),
        APIField("country"),
        APIField("time_zone"),
        APIField("meeting_pattern"),
        APIField("role_email"),
        APIField("intro"),
        APIField("officers"),
    ]

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def branch(self):
        """A branch page is its own branch (as news, events and pages under it have theirs)."""
        return self

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.pk:
            # Events keep a copy of their branch's zone so that feeds and the API need no join.
            EventPage.objects.child_of(self).exclude(time_zone=self.time_zone).update(time_zone=self.time_zone)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news"] = self.news_page(request.GET.get("page"), request)
        context["events"] = self.upcoming_meetings_and_events(UPCOMING_EVENTS_ON_BRANCH_PAGE, request)
        context["officers"] = self.officer_rows()
        return context

    def officer_rows(self):
        """The branch's officers in their order, as what its page shows of each (role, name).

        Parametrised SQL, not the ORM: it is read on every view of a branch page, and building the
        ORM's query was most of its cost."""
        return read_rows(f"SELECT role, name FROM {BranchOfficer._meta.db_table} WHERE branch_id = %s "
                         "ORDER BY sort_order ASC", [self.pk], ("role", "name"))

    # Read paths of a branch's site (its page, blocks and calendar feed). Each is bounded (never
    # "all news of a branch" unpaginated), so page query counts do not grow with the number of pages.

    @classmethod
    def by_region(cls):
        """Live branches with their region, ordered by region then name (group them with {% regroup %})."""
        return cls.objects.live().select_related("region").order_by("region__number", "title").only(
            "title", "slug", "url_path", "path", "depth", "country", "time_zone", "meeting_pattern",
            "region__number", "region__name", "region__slug")

    def news(self):
        """The branch's published news, newest first (paginate it)."""
        return self.children(NewsPage).order_by("-date", "-pk").only(*LISTED_PAGE_FIELDS, "date", "intro")

    def children(self, page_class):
        """The branch's live child pages of `page_class`: as Wagtail's child_of, filtered on the tree's
        path directly, since these lists are built on every view of the branch's pages."""
        return page_class.objects.filter(live=True, path__startswith=self.path, depth=self.depth + 1)

    def news_page(self, number, request):
        """One page of the branch's news (NEWS_PER_PAGE a page; the last one for a number past it or
        below 1, the first for one that is not a number), counted in the same query. Each item as a
        row of what the page shows: title, date, intro and `url` (as {% pageurl %} gives it for
        `request`: the branch's own and the item's slug, news items being its children), so that no
        page object is built for a list.

        Parametrised SQL, not the ORM: it is read on every view of a branch page, and building the
        ORM's query was most of its cost. The same conditions as `news()` (live children, on the
        tree's path and depth), the same order and the same indexes."""
        try:
            number = int(number or 1)
        except (TypeError, ValueError):
            number = 1
        rows = self._news_rows((number - 1) * NEWS_PER_PAGE) if number >= 1 else []
        if not rows and number != 1:  # past the last page or below the first: the last page
            last = -(-self._news_count() // NEWS_PER_PAGE)
            number = max(1, last)
            rows = self._news_rows((last - 1) * NEWS_PER_PAGE) if last else []
        paginator = Paginator((), NEWS_PER_PAGE)
        paginator.count = rows[0]["news_count"] if rows else 0
        url = self.get_url(request)
        return DjangoPage([{**row, "url": child_url(url, row["slug"])} for row in rows], number, paginator)

    def _children_sql(self, page_class):
        """The FROM and WHERE of the branch's live children of `page_class` (as `children()`: the
        ORM's own conditions, its startswith lookup as the backend writes it), and their params."""
        page_table, table = Page._meta.db_table, page_class._meta.db_table
        path = connection.ops.lookup_cast("startswith", "CharField") % f"{page_table}.path"
        sql = (f"FROM {table} INNER JOIN {page_table} ON ({table}.page_ptr_id = {page_table}.id) "
               f"WHERE {page_table}.depth = %s AND {page_table}.live "
               f"AND {path} {connection.operators['startswith'] % '%s'}")
        return sql, [self.depth + 1, f"{connection.ops.prep_for_like_query(self.path)}%"]

    def _news_rows(self, offset):
        """A page of news rows from `offset`, each with the count of all (COUNT(*) OVER ())."""
        page_table, table = Page._meta.db_table, NewsPage._meta.db_table
        children, params = self._children_sql(NewsPage)
        return read_rows(
            f"SELECT {page_table}.title, {page_table}.slug, {table}.date, {table}.intro, COUNT(*) OVER () "
            f"{children} ORDER BY {table}.date DESC, {table}.page_ptr_id DESC LIMIT %s OFFSET %s",
            [*params, NEWS_PER_PAGE, offset],
            ("title", "slug", "date", "intro", "news_count"), (None, None, NewsPage._meta.get_field("date")),
        )

    def _news_count(self):
        children, params = self._children_sql(NewsPage)
        return read_rows(f"SELECT COUNT(*) {children}", params)[0][0]

    def upcoming_events(self, count, url):
        """The branch's next `count` published events that have not finished, as Happenings (read as
        rows: no page object is built for a list); `url` is the branch's own (events are its children).

        Parametrised SQL, not the ORM: it is read on every view of a branch page, and building the
        ORM's query was most of its cost. The conditions of `children(EventPage)`, same order."""
        now = timezone.now()
        page_table, table = Page._meta.db_table, EventPage._meta.db_table
        children, params = self._children_sql(EventPage)
        adapt = connection.ops.adapt_datetimefield_value
        rows = read_rows(
            f"SELECT {page_table}.title, {page_table}.slug, {table}.starts_at, {table}.ends_at, "
            f"{table}.time_zone, {table}.place {children} "
            f"AND ({table}.ends_at IS NULL OR {table}.ends_at >= %s) AND {table}.starts_at >= %s "
            f"ORDER BY {table}.starts_at ASC LIMIT %s",
            [*params, adapt(now), adapt(now - timedelta(hours=12)), count],
            None, (None, None, EventPage._meta.get_field("starts_at"), EventPage._meta.get_field("ends_at")),
        )
        return [Happening(EventPage.happening_kind, title, child_url(url, slug), starts_at, ends_at, time_zone, place)
                for title, slug, starts_at, ends_at, time_zone, place in rows]

    def calendar_events(self):
        """Events for the branch's calendar feed: recent and upcoming, bounded."""
        since = timezone.now() - timedelta(days=CALENDAR_PAST_DAYS)
        return list(self.children(EventPage).filter(starts_at__gte=since)
                    .order_by("starts_at")[:CALENDAR_MAX_EVENTS])

    def upcoming_meetings(self, count):
        """The branch's next `count` meetings, from the one record officers schedule in the admin
        (workflows' Meeting): never a copy of it as an event page. As Happenings, not their minutes.

        Parametrised SQL, not the ORM: it is read on every view of a branch page, and building the
        ORM's query was most of its cost. The ORM's conditions and order (index meeting_body_start)."""
        meeting = self.meetings.model
        table, field = meeting._meta.db_table, meeting._meta.get_field
        since = connection.ops.adapt_datetimefield_value(timezone.now() - MEETING_SHOWN_AFTER_START)
        rows = read_rows(
            f"SELECT id, title, starts_at, ends_at, time_zone, place, online_link FROM {table} "
            "WHERE branch_id = %s AND body = %s AND starts_at >= %s ORDER BY starts_at ASC, id ASC LIMIT %s",
            [self.pk, "branch", since, count],
            None, (None, None, field("starts_at"), field("ends_at")),
        )
        return [Happening(meeting.happening_kind, title, meeting(pk=pk).get_absolute_url(), starts_at, ends_at,
                          time_zone, place, online=bool(online_link))
                for pk, title, starts_at, ends_at, time_zone, place, online_link in rows]

    def calendar_meetings(self):
        """The branch's meetings for its calendar feed: recent and upcoming, bounded."""
        since = timezone.now() - timedelta(days=CALENDAR_PAST_DAYS)
        return list(self.meetings.filter(body="branch", starts_at__gte=since).order_by("starts_at", "pk")
                    [:CALENDAR_MAX_EVENTS])

    def upcoming_meetings_and_events(self, count, request=None):
        """The branch's next `count` meetings and events together, soonest first, as Happenings; their
        links as {% pageurl %} gives them for `request` (None: as Page.url)."""
        happenings = self.upcoming_meetings(count) + self.upcoming_events(count, self.get_url(request))
        return sorted(happenings, key=lambda happening: happening.starts_at)[:count]

    def get_events_feed_url(self):
        return reverse("branch_events_feed", kwargs={"slug": self.slug})


class BranchOfficer(Orderable):
    """A named officer role of a branch, shown on its site."""

    branch = ParentalKey(BranchPage, on_delete=models.CASCADE, related_name="officers")
    role = models.CharField(max_length=100)
    name = models.CharField(max_length=200)

    panels = [FieldPanel("role"), FieldPanel("name")]
    api_fields = [APIField("role"), APIField("name")]

    def __str__(self):
        return f"{self.role}: {self.name}"


class BranchChildMixin:
    """For pages that live under a branch: their branch, in one query."""

    @cached_property
    def branch(self):
        return BranchPage.objects.filter(path=self.path[: -self.steplen]).select_related("region").first()


class NewsPage(BranchChildMixin, Page):
    """A news item on a branch site."""

    date = models.DateField(default=date.today)
    intro = models.TextField(blank=True)
    body = StreamField(BranchStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.BranchPage"]
    subpage_types = []
    api_fields = [APIField("date"), APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = "news item"


# What apps above add to an event's page (the sign-up buttons): `provider(page, request)` → a dict.
_event_page_context_providers = []


def add_event_page_context(provider):
    """Called from the AppConfig.ready() of an app above this one (as cms.privacy's registries)."""
    _event_page_context_providers.append(provider)


class EventPage(BranchChildMixin, Page):
    """An event of a branch; times are entered and shown in the branch's time zone.

    Stored in UTC. `time_zone` is the branch's zone, copied when the event is saved, so that
    feeds, the API and listings show local times without looking up the branch.
    """

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, blank=True, editable=False)
    place = models.CharField(max_length=255, blank=True)
    online_link = models.URLField(blank=True, help_text="Shown to signed-in members only (never in the API or the "
                                                        "public calendar feed).")
    intro = models.TextField(blank=True)
    body = StreamField(BranchStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading="When (branch time)"),
        FieldPanel("place"), FieldPanel("online_link"),
        FieldPanel("intro"), FieldPanel("body"),
    ]
    base_form_class = EventPageForm
    # What lists of a branch's meetings and events (cms/includes/happening.html) show it as: never
    # guessed from its fields (an event's page has a body, as a meeting has its deciding body).
    happening_kind = "event"
    parent_page_types = ["cms.BranchPage"]
    subpage_types = []

    api_fields = [
        APIField("starts_at", serializer=LocalDateTimeField(source="starts_at_local")),
        APIField("ends_at", serializer=LocalDateTimeField(source="ends_at_local")),
        APIField("starts_at_uk", serializer=LocalDateTimeField()),
        APIField("time_zone"),
        APIField("place"),
        # Never the online link: it is for signed-in members only (the page shows it to them).
        APIField("intro"),
        APIField("body"),
    ]

    class Meta:
        indexes = [models.Index(fields=["starts_at"])]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        for provider in _event_page_context_providers:
            context.update(provider(self, request))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated and self.online_link:
            # A member's page carries the online link: no shared cache keeps it.
            patch_cache_control(response, private=True)
        return response

    def clean(self):
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": "The event cannot end before it starts."})

    def save(self, *args, **kwargs):
        if not self.time_zone and self.path:
            branch = BranchPage.objects.filter(path=self.path[: -self.steplen]).only("time_zone").first()
            if branch:
                self.time_zone = branch.time_zone
        super().save(*args, **kwargs)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone or settings.UK_TIME_ZONE)

    @property
    def starts_at_local(self):
        return timezone.localtime(self.starts_at, self.zone) if self.starts_at else None

    @property
    def ends_at_local(self):
        return timezone.localtime(self.ends_at, self.zone) if self.ends_at else None

    @property
    def starts_at_uk(self):
        return timezone.localtime(self.starts_at, uk_zone()) if self.starts_at else None

    @property
    def ends_at_uk(self):
        return timezone.localtime(self.ends_at, uk_zone()) if self.ends_at else None

    @property
    def is_upcoming(self):
        return (self.ends_at or self.starts_at) >= timezone.now()


class StandardPage(Page):
    """A plain content page (about us, how to join…), on the main site or a branch's."""

    intro = models.TextField(blank=True)
    body = StreamField(BranchStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.StandardPage"]

    @cached_property
    def branch(self):
        """The branch this page is under, if any (its blocks list that branch's news and events)."""
        return branch_of(self)


class MicrositeTeam(models.Model):
    """The people who edit one microsite (a branch or a campaign): their group and media collection.

    Made when the microsite's page is first saved (see cms.services.create_microsite_team),
    so that volunteers edit their own pages, images, documents and form submissions and nothing else.
    """

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="microsite_team")
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="microsite_team")
    collection = models.OneToOneField(Collection, on_delete=models.PROTECT, related_name="microsite_team")

    def __str__(self):
        return self.group.name


class AuditLogEntry(BaseLogEntry):
    """An entry of the audit log about an object whose app decides who may see it (the items,
    meetings, elections, exports): shown in Reports › Site history to the users its app's
    `visible_to` allows (cms.audit), instead of to everyone with a permission on the model."""

    object_id = models.CharField(max_length=255, db_index=True)

    objects = AuditLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log entries"

    def __str__(self):
        return f"AuditLogEntry {self.pk}: '{self.action}' on '{self.object_verbose_name}' with id {self.object_id}"


def branch_of(page):
    """The branch a page belongs to (itself if it is a branch), or None."""
    if page is None:
        return None
    if isinstance(page, BranchPage):
        return page
    return BranchPage.objects.ancestor_of(page).first()
