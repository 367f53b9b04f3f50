"""Uploaded files are served in production: a real gunicorn on loopback with cms.settings.production
(WhiteNoise for static files) answers an image rendition and a public document with their bytes,
and keeps a branch's private document and the raw document files to itself."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    """A loopback port nobody listens on (other test runs may share the machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = free_port()

SETUP = """
import json, io, django
django.setup()
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images import get_image_model
from wagtail.models import Collection, Page
from cms.models import MicrositeTeam

site_wide = Collection.get_first_root_node()
branch = site_wide.add_child(name="Paris")
MicrositeTeam.objects.create(page=Page.objects.get(depth=2), group=Group.objects.create(name="Paris officers"),
                             collection=branch)
public = Document.objects.create(title="Rule book", collection=site_wide,
                                 file=ContentFile(b"PUBLIC-RULE-BOOK", name="rules.txt"))
private = Document.objects.create(title="Draft minutes", collection=branch,
                                  file=ContentFile(b"PRIVATE-MINUTES", name="minutes.txt"))
buffer = io.BytesIO()
PILImage.new("RGB", (60, 40), (200, 30, 30)).save(buffer, "PNG")
image = get_image_model().objects.create(title="Banner", collection=site_wide,
                                         file=ContentFile(buffer.getvalue(), name="banner.png"))
print(json.dumps({"public": public.url, "private": private.url, "private_file": "/media/" + private.file.name,
                  "rendition": image.get_rendition("fill-30x30").url, "original": image.file.url}))
"""


def fetch(url):
    """(status, body, headers) without following redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(f"http://127.0.0.1:{PORT}{url}", timeout=30) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def test_gunicorn_with_production_settings_serves_uploads_and_keeps_private_ones(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.production", "SECRET_KEY": "x" * 50,
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0",
           "CSRF_COOKIE_SECURE": "0", "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
           "MEDIA_ROOT": str(tmp_path / "media"), "CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=1800)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    made = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert made.returncode == 0, made.stderr[-3000:]
    urls = json.loads(made.stdout.strip().splitlines()[-1])

    log = tmp_path / "gunicorn.log"
    with log.open("wb") as errors:  # a file, not a pipe: a pipe nobody reads fills and stalls the server
        server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "cms.wsgi", "--bind",
                                   f"127.0.0.1:{PORT}", "--workers", "1"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=errors)
    try:
        for _ in range(120):
            try:
                if fetch("/livez")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("gunicorn did not start:\n" + log.read_text()[-3000:])

        status, body, headers = fetch(urls["rendition"])
        assert status == 200 and body[:4] == b"\x89PNG" and headers["Content-Type"] == "image/png"
        status, body, _ = fetch(urls["original"])
        assert status == 200 and body[:4] == b"\x89PNG"
        status, body, _ = fetch(urls["public"])
        assert (status, body) == (200, b"PUBLIC-RULE-BOOK")

        status, body, headers = fetch(urls["private"])
        assert status == 302 and headers["Location"].startswith("/login/") and b"PRIVATE" not in body
        status, body, _ = fetch(urls["private_file"])  # the file by its path: never
        assert status == 404 and b"PRIVATE" not in body
        assert fetch("/media/../cms/settings/base.py")[0] == 404
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
