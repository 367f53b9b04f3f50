"""Benchmark of amendments (not a test: it prints figures, it asserts nothing).

    .venv/bin/python bench/bench_amendments.py [--rounds 20] [--repeat 5] [--motions 40] [--amendments 200]

1. Merging: 50 non-overlapping amendments (replacements, deletions, insertions spread over the
   text) merged into a 2,000-word motion with `workflows.lines.apply_changes`: the median of
   --rounds rounds, beside numbering the same text's lines (`number_lines`, for comparison: a
   merge reads the text and its lines once and writes it once). Target (issue 13): under 100 ms.
2. The agenda pack: `amendments.pack.render_pack` for --motions motions (about 400 words each,
   with bold, lists and headings) and --amendments amendments, beside the floor, in the same run:
   a bare python-docx loop writing the same paragraphs (the same plain text, one `add_paragraph`
   per line and per amendment paragraph, `add_heading` per title) and saving. The lines are
   numbered before timing (the pack is made from plain data). Each run is a fresh subprocess (so
   ru_maxrss is that run's peak); time is the median of --repeat runs; tracemalloc's peak is
   measured in one more run of each. Targets: pack time ≤ 1.5 × the floor's, peak memory < 300 MB.
"""

import argparse
import io
import json
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_export import VOCABULARY  # noqa: E402 (the same words as the export bench's submissions)


def motion_html(rng, words):
    """Rich text of about `words` words, shaped like a motion: notes, believes, resolves."""
    blocks, written = [], 0

    def sentence(n):
        chosen = [rng.choice(VOCABULARY) for _ in range(n)]
        chosen[0] = chosen[0].capitalize()
        return " ".join(chosen) + "."

    while written < words:
        kind = rng.random()
        if kind < 0.1:
            blocks.append(f"<h3>{sentence(4)[:-1]}</h3>")
            written += 4
        elif kind < 0.25:
            items = "".join(f"<li>{sentence(10)}</li>" for _ in range(3))
            blocks.append(f"<ol>{items}</ol>" if rng.random() < 0.5 else f"<ul>{items}</ul>")
            written += 30
        else:
            n = min(70, max(words - written, 8))
            blocks.append(f"<p>{sentence(n - 6)} We <b>call on the party</b> to <i>act now</i>.</p>")
            written += n
    return "".join(blocks)


def fifty_changes(lines, rng, count=50):
    """`count` non-overlapping changes spread over `lines`, each on its own stretch of lines."""
    from workflows.lines import Change

    step = len(lines) // count
    changes = []
    for i in range(count):
        first = 1 + i * step
        kind = ("replace", "delete", "insert")[i % 3]
        if kind == "insert":
            changes.append(Change.insert(first, f"{rng.choice(VOCABULARY)} inserted words"))
        elif kind == "delete":
            changes.append(Change.delete(first, min(first + 1, first + step - 1)))
        else:
            changes.append(Change.replace(first, first, f"the <b>new</b> words of amendment {i + 1}"))
    return changes


def merging(rounds):
    from workflows.lines import apply_changes, number_lines

    rng = random.Random(13)
    html = motion_html(rng, 2000)
    lines = number_lines(html)
    changes = fifty_changes(lines, rng)
    merge_times, number_times = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        apply_changes(html, changes)
        merge_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        number_lines(html)
        number_times.append(time.perf_counter() - started)
    merge, floor = statistics.median(merge_times) * 1000, statistics.median(number_times) * 1000
    print(
        f"Merging {len(changes)} amendments into a {len(html.split())}-word motion ({len(lines)} lines), "
        f"median of {rounds} rounds:"
    )
    print(f"  number_lines (for comparison) {floor:7.1f} ms")
    print(
        f"  apply_changes (the merge)     {merge:7.1f} ms   ratio {merge / floor:.2f}"
        f"   (target < 100 ms: {'met' if merge < 100 else 'NOT met'})"
    )


# --------------------------------------------------------------------------- the pack


def synthetic_pack(motions, amendments):
    from amendments.pack import Pack, PackAmendment, PackEntry
    from workflows.lines import Change, number_lines

    rng = random.Random(7)
    entries = []
    for m in range(motions):
        lines = number_lines(motion_html(rng, 400))
        tabled = []
        for a in range(amendments // motions + (1 if m < amendments % motions else 0)):
            first = rng.randint(1, len(lines))
            change = Change.replace(first, first, "x") if a % 2 else Change.delete(first)
            tabled.append(
                PackAmendment(
                    reference=f"A-2026-{m * 10 + a + 1:04d}",
                    proposer=f"Tabled by {rng.choice(['Paris', 'Berlin', 'Madrid'])} branch",
                    change=change.describe(),
                    reason=" ".join(rng.choice(VOCABULARY) for _ in range(25)),
                    new_text=""
                    if a % 2 == 0
                    else f"the party <b>must</b> {' '.join(rng.choice(VOCABULARY) for _ in range(20))}",
                )
            )
        entries.append(
            PackEntry(
                f"M-2026-{m + 1:03d}",
                f"Motion {m + 1}: votes for life",
                f"Proposed by the {rng.choice(['Paris', 'Berlin', 'Sydney'])} branch",
                lines,
                tabled,
            )
        )
    return Pack(
        "General Committee, March 2026", "General Committee", "Tuesday 3 March 2026, 19:00 UK time", "Online", entries
    )


def floor_paragraphs(pack):
    """(kind, text) of every paragraph the pack writes, as the floor writes them (made before timing)."""
    from workflows.lines import paragraph_runs

    out = [("title", pack.title), ("p", pack.body), ("p", pack.when), ("p", pack.place), ("h1", "Agenda")]
    out += [("p", f"{e.reference}: {e.title}") for e in pack.entries]
    for n, entry in enumerate(pack.entries, start=1):
        out += [("h1", f"{n}. {entry.reference}: {entry.title}"), ("p", entry.proposer)]
        out += [("p", f"{line.number}\t{line.text}") for line in entry.lines]
        if entry.amendments:
            out.append(("h2", f"Amendments to {entry.reference}"))
        for a in entry.amendments:
            out += [("p", f"{a.reference}: {a.change}"), ("p", a.proposer)]
            out += [("p", "".join(run.text for run in runs)) for runs in paragraph_runs(a.new_text)]
            out.append(("p", f"Reason: {a.reason}"))
    return out


def run_floor(paragraphs):
    import docx

    document = docx.Document()
    for kind, text in paragraphs:
        if kind == "title":
            document.add_heading(text, 0)
        elif kind in ("h1", "h2"):
            document.add_heading(text, int(kind[1]))
        else:
            document.add_paragraph(text)
    document.save(io.BytesIO())


def worker(which, motions, amendments, with_tracemalloc):
    """One measured run in this (fresh) process; prints JSON."""
    pack = synthetic_pack(motions, amendments)
    if which == "floor":
        paragraphs = floor_paragraphs(pack)
        job = lambda: run_floor(paragraphs)  # noqa: E731
    else:
        from amendments.pack import render_pack

        job = lambda: render_pack(pack)  # noqa: E731
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if with_tracemalloc:
        tracemalloc.start()
    started, started_cpu = time.perf_counter(), time.process_time()
    job()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    peak = tracemalloc.get_traced_memory()[1] if with_tracemalloc else None
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "cpu_seconds": cpu,
                "tracemalloc_peak": peak,
                "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "baseline_rss_kb": baseline_rss,
                "lines": sum(len(e.lines) for e in pack.entries),
                "amendments": sum(len(e.amendments) for e in pack.entries),
            }
        )
    )


def measure(which, motions, amendments, with_tracemalloc=False):
    result = subprocess.run(
        [sys.executable, __file__, "--worker", which, "--motions", str(motions), "--amendments", str(amendments)]
        + (["--tracemalloc"] if with_tracemalloc else []),
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def pack_speed_and_memory(motions, amendments, repeat):
    runs = {"floor": [], "pack": []}
    for _ in range(repeat):
        for which in runs:  # interleaved, so drift hits both alike
            runs[which].append(measure(which, motions, amendments))
    traced = {which: measure(which, motions, amendments, with_tracemalloc=True) for which in runs}
    first = runs["pack"][0]
    print(
        f"Agenda pack of {motions} motions ({first['lines']} numbered lines) with {first['amendments']} amendments "
        f"(median of {repeat} runs, fresh process each):"
    )
    medians = {w: statistics.median(r["seconds"] for r in rs) * 1000 for w, rs in runs.items()}
    cpu = {w: statistics.median(r["cpu_seconds"] for r in rs) * 1000 for w, rs in runs.items()}
    for which, label in (("floor", "bare python-docx loop (floor)"), ("pack", "amendments.pack.render_pack")):
        rss = max(r["maxrss_kb"] for r in runs[which]) / 1024
        base = runs[which][0]["baseline_rss_kb"] / 1024
        print(
            f"  {label:30s} {medians[which]:7.1f} ms wall, {cpu[which]:7.1f} ms CPU   peak RSS {rss:6.1f} MB "
            f"(process, {base:.0f} MB before)   tracemalloc peak {traced[which]['tracemalloc_peak'] / 2**20:6.1f} MB"
        )
    ratio, cpu_ratio = medians["pack"] / medians["floor"], cpu["pack"] / cpu["floor"]
    rss = max(r["maxrss_kb"] for r in runs["pack"]) / 1024
    print(
        f"  ratio pack / floor: {ratio:.2f} wall, {cpu_ratio:.2f} CPU (target ≤ 1.5: "
        f"{'met' if max(ratio, cpu_ratio) <= 1.5 else 'NOT met'}); pack peak RSS {rss:.0f} MB "
        f"(target < 300 MB: {'met' if rss < 300 else 'NOT met'})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--motions", type=int, default=40)
    parser.add_argument("--amendments", type=int, default=200)
    parser.add_argument("--worker", choices=["floor", "pack"])
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.motions, args.amendments, args.tracemalloc)
        return
    merging(args.rounds)
    pack_speed_and_memory(args.motions, args.amendments, args.repeat)


if __name__ == "__main__":
    main()
