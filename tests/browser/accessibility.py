"""WCAG 2.2 AA in the browser tests: axe-core (bundled by axe-playwright-python) run on the page
as it stands, e.g. with a dialog open. ``assert_no_serious_axe_violations(page)`` fails with each
serious or critical violation, its rule, help text and the first offending elements."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SERIOUS = {"serious", "critical"}

_axe = Axe()


def serious_axe_violations(page: Page) -> list[dict]:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v.get("impact") in SERIOUS]


def assert_no_serious_axe_violations(page: Page) -> None:
    violations = serious_axe_violations(page)
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in violations
    ]
    assert not violations, f"axe-core on {page.url}:\n" + "\n".join(lines)
