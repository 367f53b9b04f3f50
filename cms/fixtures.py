"""The project's reference and demo data, read from the files under the top-level `fixtures/`.

One place that knows where those files are and how to read them: tables are CSV (one row a
line, a header naming the columns; they open in a spreadsheet), nested data is TOML (comments
allowed; read with the standard library's tomllib), texts and documents are plain files.
What each file holds, who may edit it and what reads it: fixtures/README.md.

`settings.FIXTURES_DIR` moves the whole tree (tests point it at an edited copy); it is not
Django's FIXTURE_DIRS: nothing here is a `loaddata` dump, the files are read by `seed_demo` and
the data migrations, which build the objects with the project's own code.
"""

import csv
import io
import tomllib
from pathlib import Path

from django.conf import settings

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "fixtures"

YES = {"yes", "true", "1"}
NO = {"no", "false", "0", ""}


class FixtureError(ValueError):
    """A fixture file cannot be read as what its reader expects (the message names the file and line)."""


def fixtures_dir():
    """The fixtures tree: settings.FIXTURES_DIR, else `fixtures/` at the project's root."""
    return Path(getattr(settings, "FIXTURES_DIR", None) or DEFAULT_DIR)


def fixture_path(*parts):
    """The path of a file of the fixtures tree, e.g. fixture_path("reference", "pipelines.toml")."""
    path = fixtures_dir().joinpath(*parts)
    if not path.is_file():
        raise FixtureError(f"No fixture file {path}.")
    return path


def read_rows(name, columns):
    """The rows of the CSV file `name` (relative to the fixtures tree) as dicts of the named
    `columns`, values stripped; blank lines are skipped. Other columns are allowed (notes)."""
    path = fixture_path(*name.split("/"))
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""), strict=True)
    missing = [column for column in columns if column not in (reader.fieldnames or [])]
    if missing:
        raise FixtureError(f"{path}: line 1 must name the columns {', '.join(columns)} (missing: {', '.join(missing)}).")
    rows = []
    for record in reader:
        if not any((value or "").strip() for value in record.values()):
            continue
        if None in record or any(record[column] is None for column in columns):
            raise FixtureError(f"{path}: line {reader.line_num} has {'too many' if None in record else 'too few'} "
                               "fields (a comma in a text needs the text in double quotes).")
        rows.append({column: record[column].strip() for column in columns})
    return rows


def read_toml(name):
    """The TOML file `name` (relative to the fixtures tree) as a dict."""
    path = fixture_path(*name.split("/"))
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FixtureError(f"{path}: {exc}") from exc


def read_text(name):
    """The text file `name` (relative to the fixtures tree), exactly as written."""
    return fixture_path(*name.split("/")).read_text(encoding="utf-8")


def yes(value, *, where=""):
    """A yes/no cell of a CSV file as a bool (yes/no, true/false, 1/0; empty is no)."""
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise FixtureError(f"{where}: “{value}” is neither yes nor no.")
