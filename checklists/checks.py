"""System checks on how WardSafe is deployed; ``manage.py check --deploy`` (run by serve-prod.sh)
shows them, and an error stops ``migrate`` and the servers' start-up checks too."""

from django.conf import settings
from django.core import checks


@checks.register()
def sqlite_in_production(app_configs, **kwargs):
    """Production runs on PostgreSQL unless SQLite was chosen on purpose."""
    if not settings.PRODUCTION or settings.WARDSAFE_ALLOW_SQLITE:
        return []
    if not any(db["ENGINE"] == "django.db.backends.sqlite3" for db in settings.DATABASES.values()):
        return []
    return [
        checks.Error(
            "WARDSAFE_PRODUCTION is on and DATABASE_URL is an SQLite file.",
            hint=(
                "SQLite lets one nurse write at a time, lives on this machine's disk only and cannot be "
                "shared by a second server. Set DATABASE_URL to PostgreSQL (README, Deploying), or, for a "
                "small ward on one machine chosen knowingly, set WARDSAFE_ALLOW_SQLITE=true and back it up "
                "with manage.py backup."
            ),
            id="wardsafe.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def proxy_addresses_for_login_throttling(app_configs, **kwargs):
    """Behind the TLS proxy, login throttling must read the nurse's address from X-Forwarded-For."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is None or settings.WARDSAFE_TRUSTED_PROXY_COUNT:
        return []
    return [
        checks.Warning(
            "WardSafe runs behind a proxy (DJANGO_SECURE_PROXY_SSL_HEADER) but WARDSAFE_TRUSTED_PROXY_COUNT is 0.",
            hint=(
                "Every login then seems to come from the proxy's address: failed logins of one computer "
                "count against all of them, and one stranger can lock every computer out. Set "
                "WARDSAFE_TRUSTED_PROXY_COUNT to the number of proxies that add to X-Forwarded-For "
                "(1 for one nginx)."
            ),
            id="wardsafe.W001",
        )
    ]
