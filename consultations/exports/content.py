"""What goes into one exported document, independent of the database and of Word.

The selectors build these from the workflow engine; `render` turns them into a .docx.
Keeping the two apart lets the renderer be tested and benchmarked on its own.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Ratification:
    """The GC decision that ratified an item: its date, meeting and vote (counts may be absent)."""

    decided_on: date
    votes_for: int | None = None
    votes_against: int | None = None
    abstentions: int | None = None
    meeting: str = ""

    def vote_summary(self) -> str:
        """'23 for, 2 against, 1 abstention', or '' when no count was taken."""
        if self.votes_for is None and self.votes_against is None and self.abstentions is None:
            return ""
        parts = [f"{self.votes_for or 0} for", f"{self.votes_against or 0} against"]
        abstentions = self.abstentions or 0
        parts.append(f"{abstentions} abstention" + ("" if abstentions == 1 else "s"))
        return ", ".join(parts)


@dataclass
class ExportEntry:
    """One submission or motion as it appears in the document."""

    reference: str
    title: str
    branch: str
    html: str
    ratification: Ratification | None = None
    item_id: int | None = None
    # The amendments carried into `html`, in words: "A-2026-004 (Replace lines 4–6): carried by the GC on …".
    amendments: list[str] = field(default_factory=list)


@dataclass
class ExportSection:
    """A Heading 1 section: a policy commission (NPF) or a group of motions (Conference)."""

    heading: str
    entries: list[ExportEntry] = field(default_factory=list)


@dataclass
class ExportDocument:
    """A whole document: what its cover says, and its sections in order.

    `entry_count` (all entries of all sections) is what progress is measured against.
    """

    title: str
    subtitle: str
    description: str
    date: date
    sections: list[ExportSection]
    entry_count: int
    entry_label: str = "submission"
