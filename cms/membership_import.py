"""The membership list import: the membership officer's CSV, checked line by line.

Creates or updates members by membership number and never deletes anyone. Every rejected
line is reported with its line number and reason; the good lines are written together in one
transaction. A file that is not a membership CSV at all (not text, wrong header) is refused
whole, before anything is written.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.defaultfilters import pluralize
from wagtail.log_actions import log

from .models import BranchPage, Member

COLUMNS = ["membership_number", "email", "first_name", "last_name", "branch", "paid_up_until"]
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")


class MalformedMembershipFile(Exception):
    """The file as a whole cannot be read as a membership list; nothing was written."""


@dataclass
class ImportReport:
    """What an import did: membership numbers created, updated, unchanged; rejected lines and why."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    rejected: list = field(default_factory=list)  # (line number, reason)

    @property
    def changed_anything(self):
        return bool(self.created or self.updated)

    def summary(self):
        text = (f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
                f"{len(self.rejected)} rejected.")
        if not self.changed_anything:
            text += " Nothing changed: every good line was already up to date."
        return text


def read_rows(content):
    """Decode and parse the file; returns (line number, {column: value}) for each non-blank record."""
    if isinstance(content, bytes):
        if b"\x00" in content:
            raise MalformedMembershipFile("This is not a CSV file (it contains binary data).")
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MalformedMembershipFile(f"This is not a UTF-8 text file (byte {exc.start}).") from exc
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise MalformedMembershipFile("The file is empty: the first line must be the header "
                                          f"{','.join(COLUMNS)}.")
        header = [cell.strip().lower() for cell in header]
        missing = [column for column in COLUMNS if column not in header]
        if missing or len(set(header)) != len(header):
            problem = f"missing column{pluralize(missing)} {', '.join(missing)}" if missing else "a column is named twice"
            raise MalformedMembershipFile(f"Bad header on line 1 ({problem}). Expected the columns "
                                          f"{','.join(COLUMNS)}; found {','.join(header)}.")
        rows = []
        line = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                rows.append((line, header, record))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise MalformedMembershipFile(f"Not a valid CSV file near line {reader.line_num}: {exc}.") from exc
    return rows


def check_row(header, record, branches):
    """The member's fields from one line, or raise ValueError with the reason it is rejected."""
    if len(record) < len(header):
        raise ValueError(f"missing columns: expected {len(header)} fields, found {len(record)}")
    if len(record) > len(header):
        raise ValueError(f"too many fields: expected {len(header)}, found {len(record)}")
    values = {name: value.strip() for name, value in zip(header, record, strict=True)}
    number = values["membership_number"]
    if not NUMBER_PATTERN.match(number):
        raise ValueError(f"bad membership number “{number}”" if number else "no membership number")
    email = values["email"].lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"bad email “{values['email']}”") from None
    branch = branches.get(values["branch"].lower())
    if branch is None:
        raise ValueError(f"unknown branch “{values['branch']}”" if values["branch"] else "no branch given")
    text = values["paid_up_until"]
    try:
        if not DATE_PATTERN.match(text):
            raise ValueError
        paid_up_until = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"bad date “{text}” in paid_up_until (expected YYYY-MM-DD)") from None
    for name in ("first_name", "last_name"):
        if len(values[name]) > 150:
            raise ValueError(f"{name} is longer than 150 characters")
    return {"membership_number": number, "email": email, "first_name": values["first_name"],
            "last_name": values["last_name"], "branch_id": branch, "paid_up_until": paid_up_until}


def import_members(content):
    """Import the membership list in `content` (bytes or text). Returns an ImportReport.

    Raises MalformedMembershipFile (and writes nothing) when the file is not a membership CSV.
    """
    rows = read_rows(content)
    branches = {slug.lower(): pk for pk, slug in BranchPage.objects.values_list("pk", "slug")}
    report = ImportReport()
    good = []
    for line, header, record in rows:
        try:
            good.append((line, check_row(header, record, branches)))
        except ValueError as exc:
            report.rejected.append((line, str(exc)))
    good = _reject_duplicates(good, "membership_number", "membership number", report)
    good = _reject_duplicates(good, "email", "email", report)
    existing = {m.membership_number: m for m in Member.objects.filter(
        membership_number__in=[fields["membership_number"] for _, fields in good])}
    owners = dict(Member.objects.filter(email__in=[fields["email"] for _, fields in good])
                  .values_list("email", "membership_number"))
    with transaction.atomic():
        for line, fields in good:
            number = fields["membership_number"]
            owner = owners.get(fields["email"], number)
            if owner != number:
                report.rejected.append((line, f"email {fields['email']} already belongs to member "
                                              f"{owner or 'without a membership number'}"))
                continue
            member = existing.get(number)
            if member is None:
                member = Member(**fields)
                member.set_unusable_password()
                member.save()
                log(member, "li.member.imported", title=f"Member #{member.pk}", data={"member": member.pk, "created": True})
                report.created.append(number)
            elif changed := [name for name, value in fields.items() if getattr(member, name) != value]:
                for name, value in fields.items():
                    setattr(member, name, value)
                member.save(update_fields=list(fields))
                log(member, "li.member.imported", title=f"Member #{member.pk}", data={"member": member.pk, "fields": changed})
                report.updated.append(number)
            else:
                report.unchanged.append(number)
    report.rejected.sort()
    return report


def _reject_duplicates(good, key, label, report):
    lines_by_value = {}
    for line, fields in good:
        lines_by_value.setdefault(fields[key], []).append(line)
    kept = []
    for line, fields in good:
        lines = lines_by_value[fields[key]]
        if len(lines) > 1:
            others = ", ".join(str(n) for n in lines)
            report.rejected.append((line, f"duplicate {label} {fields[key]} in the file (lines {others})"))
        else:
            kept.append((line, fields))
    return kept
