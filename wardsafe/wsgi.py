"""WSGI entry point (gunicorn wardsafe.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wardsafe.settings")

application = get_wsgi_application()
