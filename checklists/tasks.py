"""Background work (django.tasks; the database backend's worker is ``manage.py db_worker``).

A whole-ward print run takes several seconds, longer than a web worker should be held: the
request queues a PrintJob (``services.print_run_request``) and this task makes the PDF,
reporting each laid-out sheet so that the nurse's page can show the progress.

Imports go one way: this module imports the services it calls; the services never import it.
``ChecklistsConfig.ready()`` hands ``print_run`` to ``services.print_run_task_set`` so that
``print_run_request`` can queue it (``services/printing.py`` explains the choice). The dotted
path ``checklists.tasks.print_run`` is stored in every task row: keep the task here, under this name.
"""

import logging

from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from . import printing, services
from .models import Admission, PrintJob

logger = logging.getLogger(__name__)


@task
def print_run(job_id: int) -> int:
    """Make the print run's bedside sheets as ONE PDF; returns the number of sheets.

    A job never stays "running" when this fails: any exception marks it failed, then is raised
    again so that the task's result says so too.
    """
    job = PrintJob.objects.get(pk=job_id)
    with translation.override(job.language):
        admissions = list(
            Admission.objects.filter(pk__in=job.admission_ids)
            .open()
            .for_shift_work()
            .order_by("bed__position", "bed__code")
        )
        job = services.print_run_start(job=job, total=len(admissions))
        try:
            if not admissions:
                services.print_run_fail(job=job, error=_("None of the chosen patients is on the ward any more."))
                return 0
            data = printing.bedside_pdf(
                admissions, on_progress=lambda done: services.print_run_progress(job=job, done=done)
            )
            services.print_run_finish(job=job, pdf=data)
        except BaseException:
            # The nurse sees a plain message; the details go to the worker's log.
            logger.exception("print run %s failed", job.pk)
            services.print_run_fail(
                job=job, error=_("The PDF could not be made. Try again, or print the sheets one by one.")
            )
            raise
    return len(admissions)
