"""The error pages: what went wrong and what to do next, in the page's language.

Each page extends errors/base.html, which needs no database, no user and no context processor:
the pages are rendered without a request context, so the 500 and 503 pages come up even when
the database is down. htmx does not swap an error answer into the page; wardsafe.js marks the
row instead, with the text that the ``X-WardSafe-Error`` header (or the status) chooses.
"""

import sys

from django.http import HttpResponse
from django.template import loader

from checklists.middleware import database_unavailable, database_unavailable_response


def _page(template_name: str, status: int, kind: str = "") -> HttpResponse:
    response = HttpResponse(loader.render_to_string(template_name), status=status)
    if kind:
        response["X-WardSafe-Error"] = kind
    return response


def bad_request(request, exception=None):
    """handler400. A session that could not be saved for a busy database is a SessionInterrupted
    (400): that is the 503 page's case, not a bad request."""
    if cause := database_unavailable(exception):
        return database_unavailable_response(request, cause)
    return _page("400.html", 400)


def permission_denied(request, exception=None):
    return _page("403.html", 403)


def page_not_found(request, exception=None):
    return _page("404.html", 404)


def server_error(request):
    """handler500. Called while the exception is being handled: a database that is busy or
    unreachable outside a view (the session read before it) still gets the 503 page."""
    if cause := database_unavailable(sys.exception()):
        return database_unavailable_response(request, cause)
    return _page("500.html", 500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: mostly a page left open past a login or logout elsewhere."""
    return _page("403_csrf.html", 403, "stale-page")
