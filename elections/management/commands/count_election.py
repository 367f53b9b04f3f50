"""python manage.py count_election --from-file ELECTION.json [--json] [--skip-bad-lines]

Counts a whole election described in a JSON file (DOMAIN.md, "File formats"): every position
by alternative vote, then the gender quota with its proposed adjustments. Touches no database.
"""

import json

from django.core.management.base import BaseCommand

from elections.count import (
    NO_RESULT,
    InputFileError,
    LotNeeded,
    count_election,
    format_rounds,
    fraction_to_text,
    load_election,
)

from ._counting import fresh_seed, read_text, refuse, report_skipped


class Command(BaseCommand):
    help = "Count a whole election from a JSON file and apply the gender quota. Touches no database."
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
            result = count_election(spec)
        except LotNeeded:
            spec.seed = fresh_seed()
            self.stderr.write(f"A tie needed a lot: drawn with seed {spec.seed} (put \"seed\": {spec.seed} in the file to repeat it).")
            result = count_election(spec)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
            return
        names = {c.id: c.name for c in spec.candidates}

        def name(candidate_id):
            return f"{names[candidate_id]} ({candidate_id})"

        for position in result.positions:
            self.stdout.write(f"\n{position.position.title} [{position.position.key}]: {position.status.replace('_', ' ')}")
            if position.count:
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
            f"  Women in posts 1–6 weigh {fraction_to_text(quota.first_six)}; women among the {quota.filled} "
            f"officers weigh {fraction_to_text(quota.officers)}."
        )
        self.stdout.write("  Quota met." if quota.met else "  " + " ".join(quota.flags()) + " Flagged for the returning officers.")
