"""Every URL runs exactly the queries its row of tests/query_budgets.py says: a GET of each page,
and a POST of valid data (plain and over htmx) to each form, as someone who may use it. A new
URL fails here until it has a row; a page that runs one query more, or one less, fails until
its row says so.

The pages whose query count must not grow with the ward have their own tests besides (2 or 40
patients on the board, 1 or 6 items in the draft editor, …); this table pins every page at the
size of tests/url_catalogue.py's world.
"""

import pytest

from . import url_catalogue as catalogue
from .query_budgets import BUDGETS

pytestmark = pytest.mark.django_db  # the session's walk needs the test database set up

HOW_TO_UPDATE = """\
More queries than the budget: look at the queries below for one that repeats per row (an N+1:
select_related / prefetch_related in the QuerySet method) or one the page does not need. If the
page does need it, raise the row in tests/query_budgets.py and say why in the commit message.
Fewer queries: well done; lower the row in tests/query_budgets.py to the new count."""


def test_every_url_of_the_catalogue_has_a_budget():
    urls = set(catalogue.expectations())
    assert urls - set(BUDGETS) == set(), "add a row to BUDGETS in tests/query_budgets.py for each new URL"
    assert set(BUDGETS) - urls == set(), "these URLs are gone: remove their rows from tests/query_budgets.py"


def test_every_request_of_the_walk_does_its_work(every_url_requested):
    """A budget counts the page itself: no request of the walk meets a login wall, a refusal or
    a form error (which would run fewer queries than the real thing)."""
    failed = [
        f"{request.kind} {name} as {request.role}: {request.status}"
        for name, visit in every_url_requested.items()
        for request in visit.requests()
        if not request.succeeded
    ]
    assert failed == [], "\n".join(failed)


@pytest.mark.parametrize("name", list(BUDGETS))
def test_the_url_runs_the_queries_of_its_budget(every_url_requested, name):
    visit = every_url_requested.get(name)
    assert visit is not None, f"{name} is no longer in tests/url_catalogue.py: remove its row"
    measured, budget = visit.budget(), BUDGETS[name]
    if measured == budget:
        return
    report = [f"{name} runs {measured}; its row in tests/query_budgets.py says {budget}.", HOW_TO_UPDATE]
    for request in visit.requests():
        allowed = getattr(budget, request.kind)
        if allowed != len(request.queries):
            report.append(
                f"\n{request.kind} {request.url} as {request.role}: {len(request.queries)} queries, {allowed=}"
            )
            report += [f"  {number}. {sql}" for number, sql in enumerate(request.queries, start=1)]
    pytest.fail("\n".join(report), pytrace=False)
