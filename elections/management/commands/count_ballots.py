"""python manage.py count_ballots FILE.csv [--json] [--seed N] [--skip-bad-lines]

Counts one position's ballots, given in the normalized format `ballot_id,rank,choice`,
by alternative vote. Touches no database.
"""

import json

from django.core.management.base import BaseCommand

from elections.count import InputFileError, LotNeeded, count_position, format_rounds, parse_ballot_csv

from ._counting import fresh_seed, read_text, refuse, report_skipped


class Command(BaseCommand):
    help = "Count one position's ballots (CSV ballot_id,rank,choice) by alternative vote. Touches no database."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--seed", type=int, help="a number that fixes the drawing of lots for a tie no earlier round breaks (the same number draws the same way)")
        parser.add_argument("--skip-bad-lines", action="store_true", help="count the file without its bad lines (listed)")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            parsed = parse_ballot_csv(read_text(path), skip_bad_lines=options["skip_bad_lines"])
        except InputFileError as error:
            raise refuse(path, error) from None
        report_skipped(self.stderr, parsed.skipped)
        seed = options["seed"]
        try:
            result = count_position(parsed.rankings, parsed.candidates, seed=seed)
        except LotNeeded:
            seed = fresh_seed()
            self.stderr.write(f"A tie needed a lot: drawn with seed {seed} (repeat it with --seed {seed}).")
            result = count_position(parsed.rankings, parsed.candidates, seed=seed)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"{result.ballots} ballots, {len(result.candidates)} candidates.")
        self.stdout.write(format_rounds(result))
        self.stdout.write(f"Winner: {result.winner}" if result.winner else "No result.")
