"""Varnish from Debian's package (varnish, varnish-modules: `make test` installs them) in front of the
application on loopback, with the committed deploy/varnish/default.vcl: a decision or a publish is
visible through it within a second, and a signed-in member is never served from it."""

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.workflows.conftest import submit_motion
from workflows import services

VARNISHD = "/usr/sbin/varnishd"
VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def varnish(live_server, settings):
    """varnishd on a free loopback port in front of the live server, stopped (by its pid) at the end;
    the application purges it (WAGTAILFRONTENDCACHE, as VARNISH_URL sets it)."""
    backend_port = live_server.url.rsplit(":", 1)[1]
    workdir = Path(tempfile.mkdtemp(prefix="li-varnish-"))
    workdir.chmod(0o755)  # varnishd reads the VCL and writes its state as its own user
    vcl = workdir / "default.vcl"
    vcl.write_text(VCL.read_text().replace('.host = "127.0.0.1";\n    .port = "8000";',
                                           f'.host = "127.0.0.1";\n    .port = "{backend_port}";'))
    vcl.chmod(0o644)
    port = free_port()
    process = subprocess.Popen(
        [VARNISHD, "-F", "-a", f"127.0.0.1:{port}", "-T", "none", "-f", str(vcl), "-n", str(workdir / "state"),
         "-s", "malloc,32m"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"varnishd did not start: {process.stdout.read().decode()}") from None
                time.sleep(0.1)
        settings.PUBLIC_CACHE_ENABLED = True
        settings.WAGTAILFRONTENDCACHE = {"varnish": {"BACKEND": "cms.frontend_cache.VarnishBackend",
                                                     "LOCATION": url}}
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


def get(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("X-Varnish-Cache"), response.read().decode()


def warm(url):
    """Fetch `url` until Varnish serves it from its cache (a page rendered while a change committed
    is not kept: the next fetch is); its body."""
    for _ in range(5):
        state, body = get(url)
        if state == "hit":
            return body
    raise AssertionError(f"{url} never served from Varnish's cache")


def wait_until_shown(url, text, seconds=1.0):
    """Seconds until `text` shows at `url`, polling; fails after `seconds`."""
    started = time.perf_counter()
    while True:
        _, body = get(url)
        elapsed = time.perf_counter() - started
        if text in body:
            return elapsed
        assert elapsed < seconds, f"{text!r} not shown at {url} within {seconds}s"
        time.sleep(0.02)


@pytest.mark.django_db(transaction=True)
def test_a_decision_and_a_publish_show_through_varnish_within_a_second(varnish, branches, people, public_cache):
    paris, berlin = branches["paris"], branches["berlin"]
    paris.body = [("branch_motions", {"heading": "Our motions", "count": 5})]
    paris.save_revision().publish()
    motion = submit_motion(people, title="Votes for Life now")
    item_page = f"{varnish}/motions/{motion.reference}/"
    for url in (item_page, f"{varnish}/branches/paris/", f"{varnish}/branches/berlin/"):
        warm(url)

    services.record_decision(motion, "fell", people["paris_officer"], votes_for=2, votes_against=9)
    assert wait_until_shown(item_page, "Fell") < 1.0
    assert wait_until_shown(f"{varnish}/branches/paris/", "Fell") < 1.0
    assert get(f"{varnish}/branches/berlin/")[0] == "hit"  # another branch stays cached

    berlin.title = "Berlin and Brandenburg"
    berlin.save_revision().publish()
    assert wait_until_shown(f"{varnish}/branches/berlin/", "Berlin and Brandenburg") < 1.0


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_member_is_never_served_from_varnish(varnish, client, branches, people, public_cache):
    warm(f"{varnish}/branches/paris/")

    client.force_login(people["member"])
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken=abc"
    for _ in range(3):
        state, body = get(f"{varnish}/branches/paris/", cookie=cookie)
        assert state == "miss" and "Log out" in body
    body = warm(f"{varnish}/branches/paris/")
    assert "Log out" not in body  # nor did the member's page fill the cache

