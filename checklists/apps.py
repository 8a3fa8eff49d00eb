from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "checklists"
    verbose_name = _("Ward checklists")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the deployment checks)
        from .middleware import IdleSessionMiddleware

        user_logged_in.connect(IdleSessionMiddleware.note_login, dispatch_uid="wardsafe-idle-session")
