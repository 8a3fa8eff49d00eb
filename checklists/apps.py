from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "checklists"
    verbose_name = _("Ward checklists")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks, services, tasks  # noqa: F401  (checks registers the deployment checks)
        from .middleware import IdleSessionMiddleware

        user_logged_in.connect(IdleSessionMiddleware.note_login, dispatch_uid="wardsafe-idle-session")
        # The print-run service queues tasks.print_run, but tasks imports the services: the task
        # is handed over here instead of imported back (services.printing says why).
        services.print_run_task_set(tasks.print_run)
