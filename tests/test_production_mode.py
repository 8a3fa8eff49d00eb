"""Production mode: the deploy check is clean, unsafe settings refuse to start, gunicorn
serves with whitenoise behind a TLS proxy, and every page carries the security headers
with no inline script or style for the Content-Security-Policy to block."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def production_env(tmp_path, **overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "WARDSAFE_", "DATABASE_URL", "PYTEST"))
    }
    env |= {
        "WARDSAFE_PRODUCTION": "true",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "ward.example.jp,127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "WARDSAFE_ALLOW_SQLITE": "true",  # chosen on purpose here (test_sqlite_settings.py)
        "DJANGO_SETTINGS_MODULE": "wardsafe.settings",
    }
    return env | overrides


def manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_deploy_check_reports_no_warnings_in_production_mode(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG must be off"),
        ({"DJANGO_SECRET_KEY": "django-insecure-wardsafe-development-only"}, "set DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "set DJANGO_SECRET_KEY"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "set DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_mode_refuses_to_start_with_unsafe_settings(tmp_path, overrides, message):
    result = manage(production_env(tmp_path, **overrides), "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_the_demo_data_is_refused_in_production_mode(tmp_path):
    env = production_env(tmp_path)
    assert manage(env, "migrate", "-v", "0").returncode == 0
    result = manage(env, "load_demo")
    assert result.returncode != 0 and "development only" in result.stderr


def test_the_production_server_script_refuses_without_production_mode():
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDSAFE_")}
    result = subprocess.run(["bash", "scripts/serve-prod.sh"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 1 and "WARDSAFE_PRODUCTION=true" in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_the_app_and_its_static_files_behind_a_tls_proxy(tmp_path):
    env = production_env(tmp_path, DJANGO_SECURE_PROXY_SSL_HEADER="true", DJANGO_STATIC_ROOT=str(tmp_path / "static"))
    for command in (["migrate", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        result = manage(env, *command)
        assert result.returncode == 0, result.stderr
    port = free_port()
    gunicorn = Path(PYTHON).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "wardsafe.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        proxied = {"Host": "ward.example.jp", "X-Forwarded-Proto": "https"}
        for _ in range(100):
            try:
                status, headers, body = fetch(f"{base}/accounts/login/", proxied)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        assert status == 200
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert headers["X-Frame-Options"] == "DENY"
        css = re.search(rb'href="(/static/vendor/bootstrap[^"]+\.css)"', body).group(1).decode()
        assert re.search(r"\.[0-9a-f]{12}\.css$", css), css  # hashed name from the manifest
        status, headers, _ = fetch(base + css, proxied)
        assert status == 200 and "immutable" in headers.get("Cache-Control", "")
        status, headers, _ = fetch(f"{base}/accounts/login/", {"Host": "ward.example.jp"})
        assert status == 301 and headers["Location"].startswith("https://ward.example.jp/")
        status, _, _ = fetch(f"{base}/accounts/login/", {"Host": "evil.example", "X-Forwarded-Proto": "https"})
        assert status == 400
    finally:
        server.terminate()
        server.wait(timeout=10)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")
INLINE_STYLE = re.compile(r"\sstyle=\"")
INLINE_HANDLER = re.compile(r"\son[a-z]+=\"")


@pytest.mark.django_db
def test_every_page_carries_the_security_headers_and_no_inline_script_or_style(every_url_requested):
    """Every HTML response of the walk of tests/query_budgets.py: each page of the catalogue,
    the admin's included, as whoever may open it, and the htmx fragments that the posts return."""
    problems, checked = [], 0
    for name, visit in every_url_requested.items():
        for request in visit.requests():
            if not request.html:
                continue
            checked += 1
            policy = request.headers.get("Content-Security-Policy", "")
            found = {
                "no default-src 'self'": "default-src 'self'" not in policy,
                "'unsafe-inline' allowed": "'unsafe-inline'" in policy,
                "X-Frame-Options": request.headers.get("X-Frame-Options") != "DENY",
                "Referrer-Policy": request.headers.get("Referrer-Policy") != "same-origin",
                "inline <script>": bool(INLINE_SCRIPT.search(request.html)),
                "inline style attribute": bool(INLINE_STYLE.search(request.html)),
                "inline event handler": bool(INLINE_HANDLER.search(request.html)),
            }
            problems += [f"{request.kind} {name}: {problem}" for problem, wrong in found.items() if wrong]
    assert checked > 70
    assert problems == [], "\n".join(problems)
