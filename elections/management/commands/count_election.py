"""python manage.py count_election --from-file ELECTION.json [--json] [--skip-bad-lines]

Counts a whole election described in a JSON file (DOMAIN.md, "File formats"): every position
by alternative vote, then the gender quota with its proposed adjustments. Touches no database.

By-elections: a position may carry `number` (its place, 1–14, in the officer list) and, when it
is not up for election, `sitting` (its holders, shaped like a candidate's): its status is
`sitting`, its holders count in the quota and are never replaced. Holders may carry an `id`
(the person); a person who is a candidate for two posts (or sits in one and stands for another)
stops the count: nothing is printed but the message, and the exit status is 1.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from elections.count import (
    NO_RESULT,
    SITTING,
    InputFileError,
    LotNeeded,
    OnePostEach,
    count_election,
    format_rounds,
    fraction_to_text,
    load_election,
)

from ._counting import fresh_seed, read_text, refuse, report_skipped


class Command(BaseCommand):
    help = (
        "Count a whole election from a JSON file and apply the gender quota. Touches no database. "
        "By-elections: positions carry \"number\" (place 1-14 in the officer list) and, when not up for "
        "election, \"sitting\" holders (counted in the quota, never replaced). Holders may carry an \"id\": "
        "one person standing for two posts stops the count with a message (exit status 1)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--from-file", required=True, metavar="ELECTION.json")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--skip-bad-lines", action="store_true", help="count without the bad ballots (listed)")

    def handle(self, *args, **options):
        path = options["from_file"]
        try:
            parsed = load_election(read_text(path), skip_bad_lines=options["skip_bad_lines"])
        except InputFileError as error:
            raise refuse(path, error) from None
        report_skipped(self.stderr, parsed.skipped)
        spec = parsed.spec
        try:
            try:
                result = count_election(spec)
            except LotNeeded:
                spec.seed = fresh_seed()
                self.stderr.write(f"A tie needed a lot: drawn with seed {spec.seed} (put \"seed\": {spec.seed} in the file to repeat it).")
                result = count_election(spec)
        except OnePostEach as error:
            raise CommandError(f"{path}: nothing counted.\n" + "\n".join(f"  {m}" for m in error.messages)) from None
        except ValueError as error:  # e.g. two officer posts in one place of the officer list
            raise CommandError(f"{path}: nothing counted: {error}") from None
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
            return
        names = {c.id: c.name for c in spec.candidates}
        sitting = {p.key: " & ".join(h.name for h in p.sitting) for p in spec.positions if p.is_sitting}

        def name(candidate_id):
            return f"{names[candidate_id]} ({candidate_id})"

        for position in result.positions:
            self.stdout.write(f"\n{position.position.title} [{position.position.key}]: {position.status.replace('_', ' ')}")
            if position.status == SITTING:
                self.stdout.write(f"Not up for election: {sitting[position.position.key]} (sitting, counted in the quota).")
            elif position.count:
                self.stdout.write(format_rounds(position.count, name))
            elif position.winner:
                self.stdout.write(f"{name(position.winner)} elected unopposed.")
            if position.status == NO_RESULT:
                self.stdout.write("No result: flagged for the returning officers.")
        quota = result.quota
        self.stdout.write("\nGender quota")
        for adjustment in quota.adjustments:
            post = next(p.position.title for p in result.positions if p.position.key == adjustment.position)
            self.stdout.write(f"  Proposed: at {post}, {name(adjustment.by)} replaces {name(adjustment.replaced)}.")
        self.stdout.write(
            f"  Posts 1–6 count as {fraction_to_text(quota.first_six)} women; the {quota.filled} "
            f"officers count as {fraction_to_text(quota.officers)} women (a shared post counts as half)."
        )
        self.stdout.write("  Quota met." if quota.met else "  " + " ".join(quota.flags()) + " Flagged for the returning officers.")
