"""Steering groups (Communications, Procedures, Branch Development, …) and their proposals.

A proposal is an item of the workflow engine: it goes from its steering group to the LIEC,
then to GC ratification, through `workflows.services.record_decision` like any other item.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField

from workflows.models import Item


class SteeringGroup(ClusterableModel):
    """A steering group through which members have a say on running LI; its conveners move its
    proposals to the LIEC and the GC. Overseen by the Vice-Chair and Vice-Chair/Membership."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    remit = RichTextField(blank=True, help_text="What the group is for.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("is_active")]),
        FieldPanel("remit"),
        InlinePanel("memberships", label="Members and conveners"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("steering_groups:detail", args=[self.slug])

    def conveners(self):
        return [m.member for m in self.memberships.all() if m.role == SteeringGroupMembership.Role.CONVENER]

    def is_convener(self, user):
        if not getattr(user, "is_authenticated", False):
            return False
        return self.memberships.filter(member=user, role=SteeringGroupMembership.Role.CONVENER).exists()

    def is_member(self, user):
        if not getattr(user, "is_authenticated", False):
            return False
        return self.memberships.filter(member=user).exists()


class SteeringGroupMembership(models.Model):
    """A member of a steering group, or one of its conveners."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        CONVENER = "convener", "Convener"

    group = ParentalKey(SteeringGroup, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="steering_group_memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(auto_now_add=True)

    panels = [FieldRowPanel([FieldPanel("member"), FieldPanel("role")])]

    class Meta:
        ordering = ["role", "member__last_name", "member__first_name"]
        constraints = [models.UniqueConstraint(fields=["group", "member"], name="one_membership_per_group")]

    def __str__(self):
        return f"{self.member} ({self.get_role_display()}, {self.group})"


class Proposal(Item):
    """A steering group's proposal: decided by the group, then the LIEC, then ratified by the GC."""

    steering_group = models.ForeignKey(SteeringGroup, on_delete=models.PROTECT, related_name="proposals")

    class Meta:
        verbose_name = "steering-group proposal"
