"""Benchmark of the NPF Word export (not a test: it prints figures, it asserts nothing).

    .venv/bin/python bench/bench_export.py [--submissions 1000] [--words 500] [--repeat 3] [--no-pdf]

1. Speed and memory: renders one export of N submissions of W words of rich text (headings,
   bold, italics, bulleted and numbered lists, links) with `consultations.exports.render`, and
   beside it, in the same run, the floor: a bare python-docx loop writing the same paragraphs
   (the same plain text, one `add_paragraph` per paragraph, `add_heading` per title) and
   saving. Each run is a fresh subprocess (so ru_maxrss is that run's peak); time is the median
   of --repeat runs; tracemalloc's peak is measured in one more run of each.
   Targets (issue 5): export time ≤ 1.5 × the floor's, peak memory < 300 MB.
2. Looking at it: exports the demo NPF consultation (a throwaway SQLite database migrated and
   seeded with `seed_demo`), converts it to PDF with LibreOffice headless (fields and the table
   of contents updated first, as Word does on opening) and its first pages to PNG with
   pdftoppm, into bench/out/. Says so clearly when soffice or pdftoppm is missing.
"""

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

VOCABULARY = (
    "labour international members branch policy forum consultation commission overseas voters "
    "citizens rights healthcare housing climate trade union workers education europe democracy "
    "party conference general committee ratified fairer britain public services investment "
    "community organising campaign equality votes for life pensions the and of to in a for with "
    "on is that we our should must will by as be from this their all people"
).split()


def submission_html(rng, words):
    """Rich text of about `words` words, shaped like a real submission."""
    blocks, written = [], 0

    def sentence(n):
        chosen = [rng.choice(VOCABULARY) for _ in range(n)]
        chosen[0] = chosen[0].capitalize()
        return " ".join(chosen) + "."

    blocks.append(f"<h3>{sentence(5)[:-1]}</h3>")
    written += 5
    while written < words:
        kind = rng.random()
        if kind < 0.15:
            items = "".join(f"<li>{sentence(8)}</li>" for _ in range(4))
            blocks.append(f"<ul>{items}</ul>" if rng.random() < 0.5 else f"<ol>{items}</ol>")
            written += 32
        else:
            n = min(60, words - written)
            text = sentence(max(n - 12, 3))
            blocks.append(
                f"<p>{text} We <b>call on</b> the party to <i>act now</i>, see "
                f'<a href="https://example.org/policy/{rng.randrange(10_000)}">the evidence</a> and the plan.</p>'
            )
            written += n
    return "".join(blocks)


def synthetic_document(submissions, words):
    from consultations.exports.content import ExportDocument, ExportEntry, ExportSection, Ratification

    rng = random.Random(5)
    commissions = ["Britain in the World", "Economy, Business and Trade", "Education and Skills",
                   "Health and Care", "Housing, Local Government and Transport", "Justice and Home Affairs",
                   "Work, Pensions and Equality", "Environment, Energy and Culture"]
    sections = [ExportSection(name) for name in commissions]
    gc = Ratification(date(2026, 11, 10), 31, 4, 2, "General Committee, November 2026")
    for i in range(submissions):
        sections[i % len(sections)].entries.append(ExportEntry(
            f"P-2026-{i + 1:04d}", f"Submission {i + 1}: {rng.choice(VOCABULARY)} and {rng.choice(VOCABULARY)}",
            rng.choice(["Paris", "Berlin", "New York", "Sydney", "Madrid"]), submission_html(rng, words), gc,
        ))
    return ExportDocument(
        title="National Policy Forum 2026: Building a fairer Britain", subtitle="NPF consultation 2026",
        description="Policy submissions from Labour International, ratified by its General Committee.",
        date=date(2026, 11, 22), sections=sections, entry_count=submissions,
    )


def plain_paragraphs(html):
    """(style, text) of each paragraph of `html`, as the floor writes them (extracted before timing)."""
    import lxml.html

    root = lxml.html.fragment_fromstring(html, create_parent="div")
    out = []
    for element in root.iter("h3", "p", "li"):
        out.append(("heading" if element.tag == "h3" else "paragraph", " ".join(element.text_content().split())))
    return out


# --------------------------------------------------------------------------- one measured run


def run_export(document, path):
    from consultations.exports.render import render_document

    render_document(document, path)


def run_floor(prepared, path):
    import docx

    doc = docx.Document()
    doc.add_heading("Labour International", 0)
    for heading, entries in prepared:
        doc.add_heading(heading, 1)
        for title, details, paragraphs, ratification in entries:
            doc.add_heading(title, 2)
            doc.add_paragraph(details)
            for kind, text in paragraphs:
                if kind == "heading":
                    doc.add_heading(text, 3)
                else:
                    doc.add_paragraph(text)
            doc.add_paragraph(ratification)
    doc.save(path)


def run_lxml_floor(prepared, path):
    """The same paragraphs (plain text, styles by id) appended to the body with lxml directly."""
    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    doc = docx.Document()
    body = doc.element.body
    sect_pr = body.sectPr
    body.remove(sect_pr)
    p_tag, ppr_tag, style_tag, r_tag, t_tag, val = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:r"), qn("w:t"), qn("w:val")

    def paragraph(text, style=None):
        p = etree.SubElement(body, p_tag)
        if style:
            etree.SubElement(etree.SubElement(p, ppr_tag), style_tag).set(val, style)
        etree.SubElement(etree.SubElement(p, r_tag), t_tag).text = text

    paragraph("Labour International", "Title")
    for heading, entries in prepared:
        paragraph(heading, "Heading1")
        for title, details, paragraphs, ratification in entries:
            paragraph(title, "Heading2")
            paragraph(details)
            for kind, text in paragraphs:
                paragraph(text, "Heading3" if kind == "heading" else None)
            paragraph(ratification)
    body.append(sect_pr)
    doc.save(path)


def worker(which, submissions, words, with_tracemalloc):
    """One measured run in this (fresh) process; prints JSON."""
    document = synthetic_document(submissions, words)
    if which in ("floor", "lxml"):
        prepared = [
            (section.heading, [
                (e.title, f"Reference {e.reference} · Submitted by {e.branch}", plain_paragraphs(e.html),
                 "Ratified by the General Committee on 10 November 2026: 31 for, 4 against, 2 abstentions.")
                for e in section.entries
            ])
            for section in document.sections
        ]
        floor = run_floor if which == "floor" else run_lxml_floor
        job = lambda path: floor(prepared, path)  # noqa: E731
    else:
        job = lambda path: run_export(document, path)  # noqa: E731
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"{which}.docx")
        if with_tracemalloc:
            tracemalloc.start()
        started, started_cpu = time.perf_counter(), time.process_time()
        job(path)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        peak = tracemalloc.get_traced_memory()[1] if with_tracemalloc else None
        size = os.path.getsize(path)
    print(json.dumps({
        "seconds": elapsed, "cpu_seconds": cpu, "tracemalloc_peak": peak, "size": size,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "baseline_rss_kb": baseline_rss,
    }))


def measure(which, submissions, words, with_tracemalloc=False):
    result = subprocess.run(
        [sys.executable, __file__, "--worker", which, "--submissions", str(submissions), "--words", str(words)]
        + (["--tracemalloc"] if with_tracemalloc else []),
        check=True, capture_output=True, text=True, cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def speed_and_memory(submissions, words, repeat):
    print(f"Export of {submissions} submissions of ~{words} words (median of {repeat} runs, fresh process each):")
    runs = {"floor": [], "lxml": [], "export": []}
    for _ in range(repeat):
        for which in runs:  # interleaved, so drift hits all alike
            runs[which].append(measure(which, submissions, words))
    traced = {which: measure(which, submissions, words, with_tracemalloc=True) for which in runs}
    medians = {which: statistics.median(r["seconds"] for r in rs) for which, rs in runs.items()}
    cpu = {which: statistics.median(r["cpu_seconds"] for r in rs) for which, rs in runs.items()}
    labels = (("floor", "bare python-docx loop (floor)"), ("lxml", "bare lxml loop (tighter floor)"),
              ("export", "consultations.exports.render"))
    for which, label in labels:
        rss = max(r["maxrss_kb"] for r in runs[which]) / 1024
        base = runs[which][0]["baseline_rss_kb"] / 1024
        print(f"  {label:32s} {medians[which]:6.2f} s wall, {cpu[which]:6.2f} s CPU   peak RSS {rss:6.1f} MB (process, {base:.0f} MB before)   "
              f"tracemalloc peak {traced[which]['tracemalloc_peak'] / 2**20:6.1f} MB   "
              f"file {runs[which][0]['size'] / 2**20:.1f} MB")
    ratio = medians["export"] / medians["floor"]
    cpu_ratio = cpu["export"] / cpu["floor"]
    rss = max(r["maxrss_kb"] for r in runs["export"]) / 1024
    print(f"  ratio export / python-docx floor: {ratio:.2f} wall, {cpu_ratio:.2f} CPU"
          f" (target ≤ 1.5: {'met' if max(ratio, cpu_ratio) <= 1.5 else 'NOT met'});"
          f" export peak RSS {rss:.0f} MB (target < 300 MB: {'met' if rss < 300 else 'NOT met'})")
    print(f"  ratio export / bare lxml loop: {medians['export'] / medians['lxml']:.2f} wall,"
          f" {cpu['export'] / cpu['lxml']:.2f} CPU (the price of formatting: runs,"
          " lists, links, bookmarks, the HTML parse; python-docx's own add_paragraph is quadratic in body length)")


# --------------------------------------------------------------------------- looking at it


def demo_export(docx_path):
    """Export the demo consultation from a throwaway database seeded like `make run`'s."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
               "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "MEDIA_ROOT": tmp}
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run(manage + ["migrate", "--noinput", "-v", "0"], check=True, env=env, cwd=ROOT)
        subprocess.run(manage + ["seed_demo"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        slug = subprocess.run(
            manage + ["shell", "-c", "from consultations.exports.selectors import consultations_with_ratified_counts as c; "
                                     "best = c().order_by('-ratified_count', '-year').first(); "
                                     "print(best.slug if best and best.ratified_count else '')"],
            check=True, env=env, cwd=ROOT, capture_output=True, text=True,
        ).stdout.strip().splitlines()
        slug = slug[-1].strip() if slug else ""  # the last line: `shell` may print what it imported first
        if not slug:
            print("  seed_demo made no NPF consultation: no demo export.")
            return False
        result = subprocess.run(manage + ["export_npf", "--consultation", slug, "--output", str(docx_path)],
                                env=env, cwd=ROOT, capture_output=True, text=True)
        print(result.stdout.strip() or result.stderr.strip())
        return result.returncode == 0


def to_pdf_and_png(docx_path, pages):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("  soffice is absent: no PDF. Install LibreOffice: "
              "apt-get install -y libreoffice-writer-nogui poppler-utils (or libreoffice-writer).")
        return
    pdf = docx_path.with_suffix(".pdf")
    system_python = shutil.which("python3", path="/usr/bin")
    updated = False
    if system_python and subprocess.run([system_python, "-c", "import uno"], capture_output=True).returncode == 0:
        # Update the TOC's page numbers first, as Word does on opening (settings.xml updateFields).
        result = subprocess.run([system_python, str(ROOT / "bench" / "lo_pdf.py"), str(docx_path), str(pdf)],
                                capture_output=True, text=True, timeout=300)
        updated = result.returncode == 0
    if not updated:
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(pdf.parent), str(docx_path)],
                       check=True, capture_output=True, timeout=300)
    print(f"  PDF: {pdf.relative_to(ROOT)}"
          + (" (fields and contents updated by LibreOffice first)" if updated else " (contents as saved)"))
    if shutil.which("pdftoppm") is None:
        print("  pdftoppm is absent: no PNG pages (apt-get install -y poppler-utils).")
        return
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", str(pages), str(pdf), str(prefix)], check=True)
    print(f"  first pages as PNG: {', '.join(sorted(p.name for p in OUT.glob(prefix.name + '-*.png')))}")


def look(pages):
    OUT.mkdir(parents=True, exist_ok=True)
    print("Demo export (seed_demo's consultation) to PDF and PNG in bench/out/:")
    demo = OUT / "demo-npf.docx"
    if demo_export(demo):
        to_pdf_and_png(demo, pages)
    sample = OUT / "sample-npf.docx"
    from consultations.exports.render import render_document

    render_document(synthetic_document(12, 500), sample)
    print("Synthetic export (12 submissions of rich text):")
    to_pdf_and_png(sample, pages)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--worker", choices=["floor", "lxml", "export"])
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.submissions, args.words, args.tracemalloc)
        return
    speed_and_memory(args.submissions, args.words, args.repeat)
    if not args.no_pdf:
        look(args.pages)


if __name__ == "__main__":
    main()
