"""Request middleware.

Japanese first: ward PCs often run English browsers, so the browser's
Accept-Language is ignored; the language is Japanese unless the user chose
another one with the language switch (stored in the language cookie)."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from .shifts import NoShiftsDefined


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class IdleSessionMiddleware:
    """A logged-in session ends after SESSION_COOKIE_AGE without activity (shared ward PCs).

    Activity pushes the expiry forward, at most once a minute: saving the session on every
    request (SESSION_SAVE_EVERY_REQUEST) would add a write to every page.
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
        if SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(self.SEEN_KEY, 0) >= self.REFRESH_SECONDS:
                session[self.SEEN_KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)


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
