"""Request middleware: the language, idle sessions on shared ward PCs, and pages that explain
instead of failing (no shifts defined yet, the database busy or unreachable).

Japanese first: ward PCs often run English browsers, so the browser's
Accept-Language is ignored; the language is Japanese unless the user chose
another one with the language switch (stored in the language cookie)."""

import logging
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from .shifts import NoShiftsDefined

logger = logging.getLogger(__name__)

# A database error that is about the database being there, not about the request: SQLite still
# locked after its busy timeout, PostgreSQL restarting, a dropped connection.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(exception: BaseException | None) -> BaseException | None:
    """The busy or unreachable database behind ``exception``, if any: also one that another
    error was raised from (a session that could not be saved becomes SessionInterrupted)."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, UNAVAILABLE_ERRORS):
            return exception
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return None


# Sent by elements that poll (hx-headers): a poll is the page's doing, not the nurse's.
POLL_HEADER = "X-WardSafe-Poll"


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class IdleSessionMiddleware:
    """A logged-in session ends after SESSION_COOKIE_AGE without activity (shared ward PCs).

    Activity pushes the expiry forward, at most once a minute: saving the session on every
    request (SESSION_SAVE_EVERY_REQUEST) would add a write to every page. A request marked as a
    poll (header X-WardSafe-Poll: 1, as the print-run page's progress sends) is not activity: a
    page left open must not keep the session alive. Pages of a logged-in session are not stored
    by the browser (Cache-Control: no-store), so its back button shows nothing after logout.
    """

    REFRESH_SECONDS = 60
    SEEN_KEY = "wardsafe_seen"

    @classmethod
    def note_login(cls, sender, request, user, **kwargs):
        """user_logged_in receiver: the login itself counts as activity (no extra write after it)."""
        request.session[cls.SEEN_KEY] = int(time.time())

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session and request.headers.get(POLL_HEADER) != "1":
            now = int(time.time())
            if now - session.get(self.SEEN_KEY, 0) >= self.REFRESH_SECONDS:
                session[self.SEEN_KEY] = now  # marks the session modified: saved with a new expiry
        response = self.get_response(request)
        if SESSION_KEY in session:
            add_never_cache_headers(response)
        return response


class NoShiftsDefinedMiddleware:
    """Shift pages cannot work before the ward's shifts exist: say so instead of failing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NoShiftsDefined):
            return render(request, "checklists/no_shifts.html", {"message": exception.messages[0]}, status=503)
        return None


class DatabaseUnavailableMiddleware:
    """A view that meets a busy or unreachable database answers 503 "busy, try again" instead of
    a bare 500. Every write runs in its service's transaction, which has rolled back: nothing
    was half-written, and trying again is safe. Errors outside views (the session read before
    the view or saved after it) reach the project's 400 and 500 handlers, which answer the same
    (wardsafe/errors.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if cause := database_unavailable(exception):
            return database_unavailable_response(request, cause)
        return None


def database_unavailable_response(request, exception: Exception) -> HttpResponse:
    """The 503 page, rendered without the database (no request context, no user, no session).
    htmx does not swap an error answer in: the header tells wardsafe.js which text to show."""
    logger.error("Database unavailable: %s %s: %s", request.method, request.path, exception, exc_info=exception)
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = "10"
    response["X-WardSafe-Error"] = "busy"
    return response
