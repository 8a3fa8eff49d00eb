"""Every htmx fragment handles failure the same way, from one static script (no inline script:
strict CSP): the texts it shows are data-msg-* attributes of <body>, translated by the template.
The behaviour itself runs in Chromium (tests/browser/test_failed_requests.py)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = (ROOT / "checklists" / "static" / "checklists" / "wardsafe.js").read_text()

pytestmark = pytest.mark.django_db


def body_attributes(html: str) -> dict[str, str]:
    body = re.search(r"<body\b([^>]*)>", html).group(1)
    return dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', body))


def script_texts() -> set[str]:
    """The body attributes the script reads: text("msgNotSaved") reads data-msg-not-saved."""
    names = set(re.findall(r'"(msg[A-Za-z]+|loginUrl)"', SCRIPT))
    return {"data-" + re.sub(r"[A-Z]", lambda m: "-" + m.group().lower(), name) for name in names}


def test_the_script_handles_failed_sent_and_timed_out_requests_and_disables_the_sender():
    for event in ("htmx:responseError", "htmx:sendError", "htmx:timeout", "htmx:beforeRequest", "htmx:afterRequest"):
        assert f'"{event}"' in SCRIPT, event
    assert "control.disabled = true" in SCRIPT and "control.disabled = false" in SCRIPT
    assert "X-WardSafe-Error" in SCRIPT


def test_every_page_gives_the_script_its_texts_in_japanese(client, nurse, fall_checklist):
    client.force_login(nurse)
    html = client.get(reverse("checklists:admission_detail", args=[fall_checklist.admission.pk])).content.decode()
    assert '<script src="/static/checklists/wardsafe.js" defer></script>' in html
    attributes = body_attributes(html)
    assert script_texts() <= set(attributes), script_texts() - set(attributes)
    assert attributes["data-msg-not-saved"] == "保存されていません — もう一度お試しください。"
    assert "紙" in attributes["data-msg-busy"]
    assert attributes["data-login-url"] == reverse("login")


def test_the_texts_are_english_for_a_nurse_who_chose_english(client, in_english, nurse, ward, content):
    client.force_login(nurse)
    attributes = body_attributes(client.get(reverse("checklists:ward_board", args=[ward.pk])).content.decode())
    assert attributes["data-msg-not-saved"] == "Not saved — try again."
    assert "paper sheet" in attributes["data-msg-busy"]
