"""What the two count commands share: reading a file, reporting skipped lines, drawing a seed."""

import secrets
from pathlib import Path

from django.core.management.base import CommandError
from django.template.defaultfilters import pluralize

from elections.count import InputFileError


def read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}") from None


def refuse(path: str, error: InputFileError) -> CommandError:
    """Nothing is counted from a file with errors: name every bad line or field."""
    hint = " (use --skip-bad-lines to count without them)" if error.skippable else ""
    lines = [f"{path}: {len(error.errors)} error{pluralize(error.errors)}; nothing counted{hint}:"]
    lines += [f"  {e}" for e in error.errors]
    return CommandError("\n".join(lines))


def report_skipped(stream, skipped) -> None:
    if skipped:
        stream.write(f"Skipped {len(skipped)} bad line{pluralize(skipped)}:")
        for problem in skipped:
            stream.write(f"  {problem}")


def fresh_seed() -> int:
    """A seed for a lot nobody seeded: printed so the same draw can be repeated."""
    return secrets.randbelow(1_000_000)
