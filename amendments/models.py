"""Amendments and composite motions: items of the workflow engine (multi-table children of Item).

An amendment changes lines of a motion's text: it is tabled by a member before the deadline the
meeting sets, seconded like a motion, put on the same agenda just before its motion and decided
first, through the one decision service. Its line numbers are those of `base_text`, the motion's
text as it stood when amendments at that stage opened (amendments.lines numbers it). A carried
amendment merges into the motion: `merged_revision` is the motion's text it produced.

A composite motion joins several motions (often of different branches) into one new text that
moves on in their place; each source records "composited" and stops.
"""

from django.db import models
from wagtail.fields import RichTextField

from workflows import lines
from workflows.models import Item, ItemRevision, Stage


class Amendment(Item):
    class Change(models.TextChoices):
        DELETE = "delete", "Delete lines"
        INSERT = "insert", "Insert after a line"
        REPLACE = "replace", "Replace lines"

    amends = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="amendments",
                               help_text="The motion (or policy submission) it changes.")
    motion_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+",
                                     help_text="The motion's stage it was tabled at: that body decides it.")
    change = models.CharField(max_length=16, choices=Change.choices)
    first_line = models.PositiveIntegerField(help_text="For an insertion: the line it goes after (0: before line 1).")
    last_line = models.PositiveIntegerField()
    reason = models.TextField(blank=True, help_text="Why: shown with the amendment.")
    base_text = RichTextField(help_text="The motion's text its line numbers refer to.")
    merged_revision = models.ForeignKey(ItemRevision, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", help_text="The motion's text once it merged.")

    class Meta:
        verbose_name = "amendment"

    @property
    def change_on_lines(self):
        """Its operation on the lines of `base_text` (amendments.lines), named by its reference."""
        return lines.Change(self.change, self.first_line, self.last_line, self.text, label=self.reference or "")

    @property
    def lines_in_words(self):
        """"Delete lines 4–6", "Insert after line 12", "Replace line 3"."""
        return self.change_on_lines.describe()


class Composite(Item):
    sources = models.ManyToManyField(Item, related_name="composites", blank=True,
                                     help_text="The motions it joins; their proposers move it.")

    class Meta:
        verbose_name = "composite motion"
