"""Load test of the site as it runs in production. Not a test: prints figures.

    .venv/bin/python bench/bench_load.py [--duration 60] [--compare 15] [--cache redis|file] [--no-varnish]

Starts, on loopback only, and stops at the end:
- PostgreSQL from Debian's package (scripts/postgres-local.sh), a throwaway data directory;
- redis-server from Debian's package (the shared cache; `--cache file` uses the file cache);
- gunicorn with 2 workers on cms.settings.production (SECRET_KEY set, SECURE_SSL_REDIRECT off
  for loopback http), static files collected as in production;
- the django-q2 worker (`manage.py qcluster`);
- Varnish from Debian's package (apt-get install varnish varnish-modules) in front of gunicorn,
  with deploy/varnish/default.vcl (its backend port written in), purged by the application
  (VARNISH_URL) through its surrogate keys (cms.cache);
- a writer that, every second, publishes a news page's new revision and records a decision
  (so the figures include the caches being invalidated, as on a meeting night), and after each
  change checks that the changed page and API entry show it, within a second, through gunicorn
  and through Varnish (a stale page is counted and printed).
Seeds seed_demo, then bulk-creates up to 3,500 members, 25 branches, 10,000 items and 2,000
pages (fast paths: bulk_create and raw inserts), then drives the server with wrk (apt-get
install -y wrk) from separate processes:
1. throughput of single URLs, one after the other: a trivial Django view (/livez), a branch
   home page and /motions/ (same connections and duration each), through gunicorn and through
   Varnish, and their ratio to the trivial view served by gunicorn;
2. the mix for --duration seconds, four wrk processes at once: anonymous page views, tracker
   browsing (/motions/ with filters, item pages), API reads (/api/v2/pages/, /api/v2/motions/),
   and logged-in members following and unfollowing items (session cookie and CSRF token); four
   times: through gunicorn and through Varnish, each with no writes and with a write every second
   (the writer is ready before the load starts; wrk runs at a lower priority than the servers).
Prints requests per second, median and 99th-percentile latency per kind, errors (non-2xx/3xx
answers, and socket errors separately), the ratio to the trivial view, and the stale pages found.
Beside each mix: the CPU seconds each server used meanwhile (gunicorn, PostgreSQL, Redis, the
writer, the task worker, Varnish, wrk; read from /proc) and the cores' idle time, so a ratio can be
read against where the two cores went; and, through gunicorn, the application cache's answers per
kind (X-Public-Cache: hit, miss, or not kept).
"""

import argparse
import json
import os
import random
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

TARGET_MEMBERS = 3500
TARGET_BRANCHES = 25
TARGET_ITEMS = 10000
TARGET_PAGES = 2000
FOLLOWERS = ["member@example.org", "secretary@example.org"]
WRITER_EVERY = 1.0  # seconds between two writes (a page published, a decision recorded)
STALE_AFTER = 1.0  # a change not shown after this long, through a front, is a stale page


# --------------------------------------------------------------------------- bulk seeding (in Django)


def bulk_seed():
    """Runs inside a Django process with the production settings: top up to the targets."""
    import uuid
    from datetime import date, timedelta

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from cms.models import BranchIndexPage, BranchPage, Member, NewsPage, Region
    from workflows.models import Decision, Item, ItemKind, ItemStatus, Motion, Outcome, Pipeline

    started = time.perf_counter()
    now = timezone.now()
    index = BranchIndexPage.objects.get()
    extra = [("dubai", "Dubai", "United Arab Emirates", "Asia/Dubai"), ("tokyo", "Tokyo", "Japan", "Asia/Tokyo"),
             ("mexico", "Mexico", "Mexico", "America/Mexico_City")]
    for slug, title, country, tz in extra:
        if BranchPage.objects.count() >= TARGET_BRANCHES:
            break
        if not BranchPage.objects.filter(slug=slug).exists():
            index.add_child(instance=BranchPage(title=title, slug=slug, country=country, time_zone=tz,
                                                region=Region.objects.order_by("number").last(),
                                                first_published_at=now, last_published_at=now))
    branches = list(BranchPage.objects.order_by("pk"))

    missing = TARGET_MEMBERS - Member.objects.count()
    if missing > 0:
        password = make_password("demo")
        paid_up = date.today() + timedelta(days=300)
        start = Member.objects.count()
        Member.objects.bulk_create([
            Member(email=f"bench.member{n}@example.org", first_name=f"Bench{n}", last_name="Member",
                   membership_number=f"B{n:06d}", branch=branches[n % len(branches)], paid_up_until=paid_up,
                   password=password, is_active=True)
            for n in range(start, start + missing)
        ], batch_size=1000)

    missing = TARGET_ITEMS - Item.objects.count()
    if missing > 0:
        pipeline = Pipeline.default_for(ItemKind.MOTION)
        stages = pipeline.ordered_stages()
        proposers = list(Member.objects.filter(email__startswith="bench.").values_list("pk", flat=True)[:500])
        topics = ["housing", "votes for life", "climate", "NHS", "trade unions", "overseas voters", "education",
                  "refugees", "pensions", "transport"]
        rows, decisions = [], []
        for n in range(missing):
            topic = topics[n % len(topics)]
            decided = n % 3 == 0
            fell = n % 7 == 0
            submitted = now - timedelta(days=n % 700, minutes=n)
            rows.append(Item(
                reference=f"M-{2024 + n % 2}-{n + 1:05d}", kind=ItemKind.MOTION,
                title=f"Motion on {topic} number {n}",
                text=f"<p>This branch notes the situation on {topic} and calls on the party to act ({n}).</p>",
                pipeline=pipeline, branch=branches[n % len(branches)], proposer_id=proposers[n % len(proposers)],
                status=ItemStatus.FELL if fell else ItemStatus.IN_PROGRESS,
                current_stage=None if fell else stages[1 if decided else 0],
                created_at=submitted, submitted_at=submitted, finished_at=now if fell else None,
            ))
        with transaction.atomic():
            created = Item.objects.bulk_create(rows, batch_size=1000)
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {Motion._meta.db_table} (item_ptr_id) VALUES (%s)",
                                   [(item.pk,) for item in created])
            for n, item in enumerate(created):
                if n % 3 == 0 or n % 7 == 0:
                    fell = n % 7 == 0
                    decisions.append(Decision(
                        item=item, stage=stages[0], stage_name=stages[0].name, deciding_body=stages[0].deciding_body,
                        outcome=Outcome.FELL if fell else Outcome.CARRIED,
                        status_after=ItemStatus.FELL if fell else ItemStatus.IN_PROGRESS,
                        next_stage_name="" if fell else stages[1].name,
                        votes_for=3 if fell else 12, votes_against=9 if fell else 2, abstentions=1,
                        decided_on=item.submitted_at.date(), recorded_at=item.submitted_at + timedelta(days=10),
                    ))
            Decision.objects.bulk_create(decisions, batch_size=1000)

    missing = TARGET_PAGES - Page.objects.filter(depth__gt=1).count()
    if missing > 0:
        news_type = ContentType.objects.get_for_model(NewsPage)
        locale = Locale.get_default()
        per_branch = -(-missing // len(branches))
        made = 0
        with transaction.atomic():
            for branch in branches:
                branch = Page.objects.get(pk=branch.pk)
                last = branch.get_last_child()
                step = Page._str2int(last.path[-Page.steplen:]) if last else 0
                pages, details = [], []
                for _ in range(min(per_branch, missing - made)):
                    step += 1
                    slug = f"bench-news-{step}"
                    pages.append(Page(
                        path=Page._get_path(branch.path, branch.depth + 1, step), depth=branch.depth + 1, numchild=0,
                        title=f"{branch.title} news {step}", draft_title=f"{branch.title} news {step}", slug=slug,
                        content_type=news_type, live=True, has_unpublished_changes=False,
                        url_path=f"{branch.url_path}{slug}/", first_published_at=now, last_published_at=now,
                        locale=locale, translation_key=uuid.uuid4(),
                    ))
                created = Page.objects.bulk_create(pages)
                for k, page in enumerate(created):
                    details.append((page.pk, date.today() - timedelta(days=k),
                                    f"News {k} from the {branch.title} branch.",
                                    json.dumps([{"type": "rich_text", "value": f"<p>Branch news {k}.</p>",
                                                 "id": str(uuid.uuid4())}])))
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO {NewsPage._meta.db_table} (page_ptr_id, date, intro, body) VALUES (%s, %s, %s, %s)",
                        details)
                Page.objects.filter(pk=branch.pk).update(numchild=F("numchild") + len(created))
                made += len(created)
                if made >= missing:
                    break
    print(json.dumps({
        "members": Member.objects.count(), "branches": BranchPage.objects.count(), "items": Item.objects.count(),
        "decisions": Decision.objects.count(), "pages": Page.objects.filter(depth__gt=1).count(),
        "seconds": round(time.perf_counter() - started, 1),
    }))


def url_lists(seed=7):
    """Inside Django: the URLs each kind of visitor requests (a fixed sample, like real traffic)."""
    import django

    django.setup()
    from cms.models import BranchPage, NewsPage
    from workflows.models import Item

    rng = random.Random(seed)
    branches = list(BranchPage.objects.live().values_list("slug", flat=True))
    news = list(NewsPage.objects.live().values_list("url_path", flat=True))
    home_path = BranchPage.objects.live().first().get_parent().get_parent().url_path
    items = list(Item.objects.public().values_list("pk", "reference"))
    sample = rng.sample(items, 150)
    pages = ["/", "/branches/"] + [f"/branches/{s}/" for s in branches]
    pages += [p[len(home_path) - 1:] for p in rng.sample(news, 150)]
    tracker = ["/motions/", "/motions/?status=in_progress", "/motions/?kind=motion&status=fell",
               "/motions/?q=housing", "/motions/?q=climate&status=in_progress", "/motions/?page=2", "/motions/?page=7"]
    tracker += [f"/motions/?branch={s}" for s in branches]
    tracker += [f"/motions/{ref}/" for _, ref in sample[:100]]
    api = ["/api/v2/pages/", "/api/v2/pages/?type=cms.NewsPage&limit=20", "/api/v2/pages/?type=cms.BranchPage",
           "/api/v2/motions/", "/api/v2/motions/?status=in_progress", "/api/v2/motions/?q=housing"]
    api += [f"/api/v2/motions/?branch={s}" for s in branches]
    api += [f"/api/v2/motions/{pk}/" for pk, _ in sample[:100]]
    api += [f"/api/v2/pages/{pk}/" for pk in NewsPage.objects.live().values_list("pk", flat=True)[:50]]
    print(json.dumps({"pages": pages, "tracker": tracker, "api": api,
                      "follow_refs": [ref for _, ref in sample[100:150]]}))


def writer(every, fronts):
    """Inside Django: an officer's work while visitors browse: every `every` seconds publish a
    news page's new revision and record a decision on an item waiting at a branch meeting; then
    check, through each front (gunicorn, Varnish), that the news page and the item's API entry
    show the change within STALE_AFTER seconds. The checks run in threads beside the writes, so
    that a slow check never holds the next write back."""
    from concurrent.futures import ThreadPoolExecutor

    import django

    django.setup()
    from cms.models import Member, NewsPage
    from workflows import services
    from workflows.models import Item, ItemStatus

    admin = Member.objects.get(email="admin@example.org")
    pages = list(NewsPage.objects.live().order_by("pk")[:50])
    waiting = Item.objects.filter(status=ItemStatus.IN_PROGRESS, current_stage__deciding_body="branch_meeting")
    waiting_ids = list(waiting.values_list("pk", flat=True)[:2000])
    random.Random(3).shuffle(waiting_ids)
    checkers = ThreadPoolExecutor(max_workers=8)
    print("ready", flush=True)
    n = 0
    next_write = time.monotonic()
    while True:
        started = time.monotonic()
        page = pages[n % len(pages)]
        page.title = f"{page.title.split(' (')[0]} (edit {n})"
        page.save_revision(user=admin).publish(user=admin)
        checks = [(page.get_url(), lambda body, title=page.title: title.replace("'", "&#x27;") in body)]
        item = waiting.filter(pk__in=waiting_ids[n * 5:n * 5 + 5]).first()
        if item is not None:
            services.record_decision(item, "carried", admin, votes_for=10, votes_against=1)
            item.refresh_from_db()
            checks.append((f"/api/v2/motions/{item.pk}/",
                           lambda body, stage=item.current_stage_id: json.loads(body)["stage"]["id"] == stage))
        n += 1
        print(f"write {n} {time.monotonic() - started:.2f}s", flush=True)
        checkers.submit(check_write, n, fronts, checks)
        next_write += every
        time.sleep(max(0.0, next_write - time.monotonic()))


def check_write(n, fronts, checks):
    stale = [f"{front}{path}" for front in fronts for path, shown in checks if not shown_within(front + path, shown)]
    print(f"checked {n} stale {len(stale)} {' '.join(stale)}", flush=True)


def shown_within(url, shown, seconds=STALE_AFTER):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if shown(response.read().decode()):
                    return True
        except (urllib.error.URLError, ValueError, KeyError, TypeError):
            pass
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


# --------------------------------------------------------------------------- processes


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds}s")


def run(cmd, env, **kwargs):
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def start(cmd, env, log):
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --------------------------------------------------------------------------- wrk

WRK_DONE = r"""
done = function(summary, latency, requests)
  io.write(string.format('WRK {"requests": %d, "duration_us": %d, "status_errors": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(99)))
  if report_cache then report_cache() end
end
"""

# Each thread counts the application cache's answers (X-Public-Cache: hit or miss; no header: not
# kept, as a page rendered across a change of what it shows, or a logged-in member's page). Through
# Varnish the header is the one of the stored copy, so only the counts through gunicorn mean anything,
# and only the gunicorn mixes count: a response() callback costs wrk a Lua call per answer, which the
# single-URL runs (the floor) and the Varnish mixes must not pay.
WRK_COUNT_CACHE = r"""
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
hit, miss, other = 0, 0, 0
response = function(status, headers, body)
  local answer = headers["X-Public-Cache"]
  if answer == "hit" then hit = hit + 1 elseif answer == "miss" then miss = miss + 1 else other = other + 1 end
end
report_cache = function()
  local counted = {hit = 0, miss = 0, other = 0}
  for _, thread in ipairs(threads) do
    for answer, _ in pairs(counted) do counted[answer] = counted[answer] + thread:get(answer) end
  end
  io.write(string.format('CACHE {"hit": %d, "miss": %d, "other": %d}\n', counted.hit, counted.miss, counted.other))
end
"""


def lua_list(values):
    return "{" + ", ".join(json.dumps(v) for v in values) + "}"


def get_script(paths, count_cache=False):
    return f"""
paths = {lua_list(paths)}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[math.random(#paths)])
end
{WRK_COUNT_CACHE if count_cache else ""}
{WRK_DONE}"""


def follow_script(sessions, refs):
    """Each wrk thread is one logged-in member (its session cookie and CSRF token): it follows
    and unfollows items in turn (POST, CSRF header), and reads the page it is sent back to."""
    return f"""
sessions = {lua_list([s["cookie"] for s in sessions])}
tokens = {lua_list([s["csrf"] for s in sessions])}
refs = {lua_list(refs)}
local threads = {{}}
local index = 0
setup = function(thread)
  index = index + 1
  thread:set("id", index)
  table.insert(threads, thread)
end
init = function(args)
  n = 0
  cookie = sessions[id]
  token = tokens[id]
end
request = function()
  n = n + 1
  local ref = refs[math.random(#refs)]
  local action = (n % 2 == 1) and "follow" or "unfollow"
  local body = "kind=item&key=" .. ref .. "&action=" .. action .. "&next=/motions/" .. ref .. "/"
  return wrk.format("POST", "/motions/follow/", {{["Cookie"] = cookie, ["X-CSRFToken"] = token,
    ["Content-Type"] = "application/x-www-form-urlencoded"}}, body)
end
{WRK_DONE}"""


def wait_for_line(path, line, process, seconds=120):
    """Until `process` (the writer) has written `line` to its log: it starts writing before the load."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{path.name}: the process ended:\n{path.read_text()[-3000:]}")
        if line in path.read_text().splitlines():
            return
        time.sleep(0.2)
    raise SystemExit(f"{path.name}: no '{line}' within {seconds}s")


def start_wrk(base, script_text, workdir, name, connections, threads, duration):
    """wrk at a lower priority than the servers and the writer (it would run on other machines):
    on a small machine it would otherwise take the CPU the writer needs to write every second."""
    script = workdir / f"{name}.lua"
    script.write_text(script_text)
    return subprocess.Popen(
        ["nice", "-n", "10", "wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s",
         "-s", str(script), base],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wrk_result(process):
    output, _ = process.communicate()
    for line in output.splitlines():
        if line.startswith("WRK "):
            result = json.loads(line[4:])
            result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
            result["socket_errors"] = sum(result[k] for k in ("connect", "read", "write", "timeout"))
            result["cache"] = next((json.loads(cache[6:]) for cache in output.splitlines() if cache.startswith("CACHE ")), None)
            return result
    raise SystemExit(f"wrk printed no result:\n{output}")


def log_in(base, email):
    """A real login through /login/ (CSRF token from the form): the session and CSRF cookies."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                         NoRedirect())
    opener.open(f"{base}/login/").read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"username": email, "password": "demo", "csrfmiddlewaretoken": csrf}).encode()
    try:
        opener.open(urllib.request.Request(f"{base}/login/", data=data, headers={"Referer": f"{base}/login/"}))
    except urllib.error.HTTPError as redirect:
        if redirect.code != 302:
            raise
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"could not log in as {email}")
    return {"cookie": f"sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}", "csrf": cookies["csrftoken"]}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_urls(base, urls):
    """Every URL answers 2xx before the load (a broken URL would only show up as errors)."""
    bad = []
    for path in urls:
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
        except urllib.error.HTTPError as error:
            bad.append(f"{error.code} {path}")
    if bad:
        raise SystemExit("URLs that do not answer 2xx:\n" + "\n".join(bad[:20]))


def ms(us):
    return f"{us / 1000:8.1f}"


def print_row(kind, result, trivial=None):
    ratio = f" {result['rps'] / trivial:>9.2f}" if trivial else ""
    print(f"  {kind:<40} {result['requests']:>8} {result['rps']:>8.1f} {ms(result['p50_us'])} {ms(result['p99_us'])}"
          f" {result['status_errors']:>7} {result['socket_errors']:>7}{ratio}")


HEADER = (f"  {'kind':<40} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2/3xx':>7}"
          f" {'socket':>7}")

VARNISHD = "/usr/sbin/varnishd"


def start_varnish(backend_port, url, workdir, log):
    """varnishd on loopback at `url` (the VARNISH_URL the application was started with) in front of
    gunicorn, with the committed VCL (its backend port written in)."""
    vcl_dir = workdir / "varnish"
    vcl_dir.mkdir()
    vcl_dir.chmod(0o755)
    vcl = vcl_dir / "default.vcl"
    vcl.write_text((ROOT / "deploy/varnish/default.vcl").read_text().replace('.port = "8000";',
                                                                             f'.port = "{backend_port}";'))
    vcl.chmod(0o644)
    port = url.rsplit(":", 1)[1]
    process = start([VARNISHD, "-F", "-a", f"127.0.0.1:{port}", "-T", "none", "-f", str(vcl), "-n",
                     str(vcl_dir / "state"), "-s", "malloc,256m", "-p", "thread_pool_min=50"], os.environ, log)
    wait_http(f"{url}/livez")
    return process, url


VARNISH_COUNTERS = ("client_req", "cache_hit", "cache_hit_grace", "cache_miss", "cache_hitmiss", "cache_hitpass",
                    "s_pass", "backend_req", "busy_sleep", "n_purges", "n_obj_purged")


def varnish_counters(workdir):
    """Varnish's own counters (varnishstat), to say where the requests of a mix went."""
    state = workdir / "varnish" / "state"
    if not state.exists():
        return {}
    out = subprocess.run(["varnishstat", "-n", str(state), "-1", "-j"], capture_output=True, text=True)
    if out.returncode != 0:
        return {}
    counters = json.loads(out.stdout).get("counters", {})
    return {name: counters.get(f"MAIN.{name}", {}).get("value", 0) for name in VARNISH_COUNTERS}


def process_cpu():
    """(pid, parent pid, process group, CPU seconds used so far: user + system) of each live process,
    from /proc (a process that ends while it is read is left out)."""
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # after "(comm)": state, ppid, pgrp, session, tty, tpgid, flags, 4 fault counts, utime, stime
        fields = text.rsplit(")", 1)[1].split()
        yield int(stat.parent.name), int(fields[1]), int(fields[2]), (int(fields[11]) + int(fields[12])) / tick


def cpu_by_process(processes, postmaster):
    """{pid: (name, CPU seconds used so far)} of the live processes of each server we started, by
    process group (each was started in its own session: gunicorn's master and workers, the writer,
    the task worker and its workers, Redis, Varnish), and of PostgreSQL (the postmaster `postmaster`
    and its backends)."""
    groups = {process.pid: name for name, process in processes.items()}
    used = {}
    for pid, ppid, pgrp, seconds in process_cpu():
        name = groups.get(pgrp) or ("postgres" if postmaster in (pid, ppid) else None)
        if name:
            used[pid] = (name, seconds)
    return used


def cpu_used(before, after):
    """CPU seconds per name between two cpu_by_process() readings (a process that ended between
    them is not counted: its last seconds are lost, never counted twice)."""
    used = {}
    for pid, (name, seconds) in after.items():
        used[name] = used.get(name, 0.0) + seconds - before.get(pid, (name, 0.0))[1]
    return used


def machine_idle():
    """CPU seconds the machine's cores spent idle so far (/proc/stat: idle + iowait)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return (int(fields[3]) + int(fields[4])) / os.sysconf("SC_CLK_TCK")


def postmaster_pid(pg_dir):
    """The PostgreSQL server's process id (the first line of its postmaster.pid), or None."""
    try:
        return int((pg_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def run_mix(front, urls, sessions, workdir, duration, writes, fronts, env, log, processes, postmaster, count_cache):
    """The four kinds of traffic at once for `duration` seconds through `front`, with the writer if
    `writes`; the anonymous kinds count the application cache's answers if `count_cache`. Also
    measures the CPU seconds each group of processes used meanwhile: the servers (read from /proc),
    the wrk processes (their rusage, once they ended) and the cores' idle time."""
    if writes:
        processes["writer"] = start([PY, __file__, "_writer", str(WRITER_EVERY), *fronts], env,
                                    open(workdir / "writer.log", "w"))
        wait_for_line(workdir / "writer.log", "ready", processes["writer"])
    counted = varnish_counters(workdir)
    cpu_before = cpu_by_process(processes, postmaster)
    idle_before = machine_idle()
    wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    mix = {
        "anonymous page views (6 conn)": start_wrk(front, get_script(urls["pages"], count_cache), workdir, "pages", 6, 2, duration),
        "tracker browsing (4 conn)": start_wrk(front, get_script(urls["tracker"], count_cache), workdir, "tracker", 4, 2, duration),
        "API reads (4 conn)": start_wrk(front, get_script(urls["api"], count_cache), workdir, "api", 4, 2, duration),
        "logged-in follows (2 conn)": start_wrk(front, follow_script(sessions, urls["follow_refs"]), workdir,
                                                "follows", 2, len(sessions), duration),
    }
    results = {kind: wrk_result(process) for kind, process in mix.items()}
    cpu = cpu_used(cpu_before, cpu_by_process(processes, postmaster))
    wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the wrk processes ended (and were waited for)
    cpu["wrk"] = wrk_after.ru_utime + wrk_after.ru_stime - wrk_before.ru_utime - wrk_before.ru_stime
    cpu["idle"] = machine_idle() - idle_before
    after = varnish_counters(workdir)
    varnish = {name: after[name] - counted.get(name, 0) for name in after}
    writes_done, stale, write_seconds = 0, [], []
    if writes:
        time.sleep(STALE_AFTER + 0.5)  # the checks of the last writes finish
        stop(processes.pop("writer"))
        for line in (workdir / "writer.log").read_text().splitlines():
            if line.startswith("write "):
                writes_done += 1
                write_seconds.append(float(line.split()[2].rstrip("s")))
            elif line.startswith("checked "):
                # "checked N stale K url…": the K URLs only (the writer's own log lines, from
                # other threads, may end up on the same line)
                words = line.split()
                stale += words[4:4 + int(words[3])]
    return results, writes_done, stale, write_seconds, varnish, cpu


# --------------------------------------------------------------------------- main



def production_env(url, workdir):
    """The environment of the production set-up on loopback (gunicorn, the worker) with the database at `url`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": url,
        "DB_CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "CACHE_DIR": str(workdir / "cache"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CACHE_REDIS_URL", None)
    return env


def tear_down(processes, names, log, pg_dir, workdir):
    """Stop the servers a bench started (by their process ids, in `names` order), then PostgreSQL (when
    `pg_dir` is given), and remove the working folder unless BENCH_KEEP is set."""
    for name in names:
        stop(processes.get(name))
    log.close()
    if pg_dir is not None:
        subprocess.run(["scripts/postgres-local.sh", "stop", str(pg_dir)], cwd=ROOT, capture_output=True)
        shutil.rmtree(pg_dir, ignore_errors=True)
    if os.environ.get("BENCH_KEEP"):
        print(f"(kept {workdir})")
    else:
        shutil.rmtree(workdir, ignore_errors=True)

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60, help="seconds of the mixed load")
    parser.add_argument("--compare", type=int, default=15, help="seconds of each single-URL throughput run")
    parser.add_argument("--connections", type=int, default=8, help="connections of each single-URL run")
    parser.add_argument("--cache", choices=["redis", "file"], default="redis")
    parser.add_argument("--no-varnish", action="store_true", help="no Varnish in front (only gunicorn)")
    parser.add_argument("--pg-port", type=int, default=54391)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    if not args.no_varnish and not Path(VARNISHD).exists():
        raise SystemExit("varnishd is not installed: apt-get install -y varnish varnish-modules (or --no-varnish)")

    workdir = Path(tempfile.mkdtemp(prefix="li-bench-load-"))
    workdir.chmod(0o755)
    pg_dir = Path(tempfile.gettempdir()) / f"li-bench-pg-{os.getpid()}"
    log = open(workdir / "servers.log", "w")
    processes = {}
    pg_started = False
    try:
        t0 = time.perf_counter()
        url = run(["scripts/postgres-local.sh", "start", str(pg_dir), str(args.pg_port)], os.environ).strip()
        pg_started = True
        env = production_env(url, workdir)
        if args.cache == "redis":
            if not shutil.which("redis-server"):
                raise SystemExit("redis-server is not installed: apt-get install -y redis-server (or --cache file)")
            redis_port = free_port()
            processes["redis"] = start(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                                        "--save", "", "--appendonly", "no", "--dir", str(workdir)], env, log)
            env["CACHE_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        run([PY, "manage.py", "migrate", "--noinput"], env)
        run([PY, "manage.py", "collectstatic", "--noinput"], env)
        run([PY, "manage.py", "seed_demo"], env)
        seeded = json.loads(run([PY, __file__, "_seed"], env).strip().splitlines()[-1])
        urls = json.loads(run([PY, __file__, "_urls"], env).strip().splitlines()[-1])
        print(f"Seeded in {time.perf_counter() - t0:.0f}s (bulk part {seeded['seconds']}s): {seeded['members']} members, "
              f"{seeded['branches']} branches, {seeded['items']} items, {seeded['decisions']} decisions, "
              f"{seeded['pages']} pages")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        if not args.no_varnish:
            varnish_port = free_port()
            env["VARNISH_URL"] = f"http://127.0.0.1:{varnish_port}"
        processes["gunicorn"] = start([PY, "-m", "gunicorn", "cms.wsgi", "--workers", "2", "--bind",
                                       f"127.0.0.1:{port}", "--timeout", "60"], env, log)
        processes["qcluster"] = start([PY, "manage.py", "qcluster"], env, log)
        wait_http(f"{base}/livez")
        check_urls(base, urls["pages"] + urls["tracker"] + urls["api"])
        sessions = [log_in(base, email) for email in FOLLOWERS]
        print(f"Server: gunicorn, 2 workers, cms.settings.production, PostgreSQL, cache: {args.cache}; "
              f"{len(urls['pages'])} page URLs, {len(urls['tracker'])} tracker URLs, {len(urls['api'])} API URLs")

        fronts = {"gunicorn": base}
        if not args.no_varnish:
            processes["varnish"], fronts["varnish"] = start_varnish(port, env["VARNISH_URL"], workdir, log)
        print(f"Fronts: {', '.join(f'{name} {url}' for name, url in fronts.items())}")

        c = args.connections
        print(f"\n1. Throughput of single URLs ({args.compare}s each, {c} connections, one after the other)")
        print(HEADER)
        single = {}
        for front, front_base in fronts.items():
            for kind, path in (("trivial view /livez", "/livez"), ("branch home /branches/paris/", "/branches/paris/"),
                               ("tracker /motions/", "/motions/")):
                if front == "varnish" and path == "/livez":
                    continue
                label = f"{front}: {kind}"
                process = start_wrk(front_base, get_script([path]), workdir, f"single-{len(single)}", c, 2,
                                    args.compare)
                single[label] = wrk_result(process)
                print_row(label, single[label])
        trivial = single["gunicorn: trivial view /livez"]["rps"]
        for label, result in single.items():
            if "trivial" not in label:
                print(f"  {label}: {result['rps'] / trivial:.2f} × the trivial view's throughput (gunicorn)")

        mixes = [("gunicorn, no writes", "gunicorn", False), ("gunicorn, a write every second", "gunicorn", True)]
        if "varnish" in fronts:
            mixes += [("varnish, no writes", "varnish", False), ("varnish, a write every second", "varnish", True)]
        totals, stale_total, errors_total, sockets_total = {}, 0, 0, 0
        for number, (name, front, writes) in enumerate(mixes, start=2):
            if front == "varnish" and not writes:
                # Varnish starts empty: fill it as the application's cache was (check_urls above), so
                # that its mixes compare a warm cache with and without writes.
                check_urls(fronts["varnish"], urls["pages"] + urls["tracker"] + urls["api"])
            results, writes_done, stale, write_seconds, varnish, cpu = run_mix(fronts[front], urls, sessions, workdir, args.duration,
                                                  writes, list(fronts.values()), env, log, processes,
                                                  postmaster_pid(pg_dir), count_cache=front == "gunicorn")
            print(f"\n{number}. The mix through {name}, {args.duration}s (four wrk processes at once)")
            print(HEADER + f" {'× trivial':>9}")
            for kind, result in results.items():
                print_row(kind, result, trivial)
            total = sum(r["rps"] for r in results.values())
            errors = sum(r["status_errors"] for r in results.values())
            sockets = sum(r["socket_errors"] for r in results.values())
            print(f"  {'all':<40} {sum(r['requests'] for r in results.values()):>8} {total:>8.1f}"
                  f" {'':>8} {'':>8} {errors:>7} {sockets:>7} {total / trivial:>9.2f}")
            if writes:
                median = sorted(write_seconds)[len(write_seconds) // 2] if write_seconds else 0
                print(f"  writes during the mix: {writes_done} (a publish and a decision each, median {median:.2f}s); "
                      f"changes not shown within {STALE_AFTER:.0f}s through "
                      f"{' and '.join(fronts)}: {len(stale)}" + (f" ({' '.join(stale[:5])})" if stale else ""))
            idle = cpu.pop("idle")
            print(f"  CPU seconds during the mix ({args.duration}s on {os.cpu_count()} cores): "
                  + ", ".join(f"{name} {seconds:.1f}" for name, seconds in sorted(cpu.items(), key=lambda kv: -kv[1]))
                  + f"; cores idle {idle:.1f}")
            if any(r["cache"] for r in results.values()):
                print("  the application's page cache (X-Public-Cache) per kind: " + "; ".join(
                    f"{kind.split(' (')[0]}: {r['cache']['hit']} hits, {r['cache']['miss']} misses, "
                    f"{r['cache']['other']} not kept" for kind, r in results.items() if r["cache"]))
            if front == "varnish" and varnish:
                print("  Varnish during the mix: " + ", ".join(f"{k} {v}" for k, v in varnish.items()))
            totals[name] = total
            stale_total += len(stale)
            errors_total += errors
            sockets_total += sockets
        print()
        with_writes = totals["gunicorn, a write every second"] / totals["gunicorn, no writes"]
        print(f"The mix with a write every second keeps {with_writes:.2f} of its throughput with no writes "
              f"(target ≥ 0.5)")
        if "varnish" in fronts:
            with_writes = totals["varnish, a write every second"] / totals["varnish, no writes"]
            print(f"Through Varnish, the mix with a write every second keeps {with_writes:.2f} of its throughput "
                  f"with no writes (target ≥ 0.5)")
            for kind in ("branch home /branches/paris/", "tracker /motions/"):
                print(f"Through Varnish, {kind}: {single[f'varnish: {kind}']['rps'] / trivial:.1f} × the trivial "
                      f"view served by gunicorn (target ≥ 5)")
        print(f"Errors (non-2xx/3xx): {errors_total + sum(r['status_errors'] for r in single.values())}; "
              f"socket errors: {sockets_total + sum(r['socket_errors'] for r in single.values())}; "
              f"stale pages after a change: {stale_total}")
    finally:
        tear_down(processes, ("writer", "varnish", "qcluster", "gunicorn", "redis"), log,
                  pg_dir if pg_started else None, workdir)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_seed":
        sys.path.insert(0, str(ROOT))
        bulk_seed()
    elif len(sys.argv) > 1 and sys.argv[1] == "_urls":
        sys.path.insert(0, str(ROOT))
        url_lists()
    elif len(sys.argv) > 1 and sys.argv[1] == "_writer":
        sys.path.insert(0, str(ROOT))
        writer(float(sys.argv[2]), sys.argv[3:])
    else:
        main()
