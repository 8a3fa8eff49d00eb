"""Real-browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Every test here is marked ``browser`` (``make test`` runs them on SQLite only). The live
server needs committed data, so these tests use transactional databases: the tables are
emptied after each test, and the role groups (made by a data migration) are put back
before each one by ``role_groups``.

Why not ``serialized_rollback``: starting sync Playwright switches the test thread's
contextvars context, so Django's ``connections`` hands the test a new connection wrapper
without the serialized contents, and serialized rollback silently does nothing once a
test before the browser tests has set the database up (as in the full suite).

Screenshots are written to ``test-artifacts/`` (git-ignored) for a person to look at.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from checklists import roles
from tests.factories import PASSWORD, role_group

# The sync Playwright API runs an event loop in the test thread; Django would refuse ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[1] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    """Mark the tests of this folder (and only these) as browser tests."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright has no executable-path option: point it at Debian's chromium."""
    args = [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS]
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": args}


@pytest.fixture(scope="session")
def base_url():
    """Not used (the live server's URL is per session): this replaces pytest-playwright's fallback
    fixture, which pytest 9 warns about on every run."""
    return None


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The three roles with their permissions, as migration 0002_roles makes them (the flush after
    a transactional test removes the groups; post_migrate brings the permissions back)."""
    for name in roles.PERMISSIONS:
        role_group(name)


@dataclass
class LiveWard:
    url: str
    ward: object
    beds: list
    nurse: object

    def board_url(self) -> str:
        return f"{self.url}/wards/{self.ward.pk}/"


@pytest.fixture
def live_ward(live_server, content, ward, beds, nurse) -> LiveWard:
    """The shipped content, 東4病棟 with beds 401–404 and nurse-a, served by the live server."""
    return LiveWard(url=live_server.url, ward=ward, beds=beds, nurse=nurse)


def log_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> Page:
    """Log in through the real login form; the nurse lands on her ward board."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_test_id("ward-board")).to_be_visible()
    return page


@pytest.fixture
def logged_in_page(page: Page, live_ward: LiveWard) -> Page:
    log_in(page, live_ward.url, live_ward.nurse.get_username())
    expect(page).to_have_url(re.compile(rf"/wards/{live_ward.ward.pk}/$"))
    return page
