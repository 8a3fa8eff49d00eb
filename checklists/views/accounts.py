"""Pages around logging in that Django's auth views do not provide: the lockout page."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required  # whoever is locked out is, by definition, not logged in
def login_locked_out(request, response=None, credentials=None):
    """django-axes calls this (AXES_LOCKOUT_CALLABLE) when a login is refused after too many failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
