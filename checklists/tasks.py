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
import time

from django.db import InterfaceError, OperationalError, connection
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from . import printing, services
from .models import Admission, PrintJob

logger = logging.getLogger(__name__)


# A run the database drops mid-way (PostgreSQL restarting, a lost connection) is made again
# from the first sheet once the database answers: up to RETRIES times, waiting up to
# DATABASE_WAIT_SECONDS each time. The task catches it itself, so the worker neither dies with
# the task claimed nor marks the run failed for what was only an outage.
RETRIES = 3
DATABASE_WAIT_SECONDS = 120
OUTAGE = (InterfaceError, OperationalError)


def wait_for_database(seconds: float = DATABASE_WAIT_SECONDS) -> None:
    """Return once a new connection to the database works (else raise after ``seconds``)."""
    deadline, pause = time.monotonic() + seconds, 0.5
    while True:
        connection.close()
        try:
            connection.ensure_connection()
            return
        except OUTAGE:
            if time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 5)


@task
def print_run(job_id: int) -> int:
    """Make the print run's bedside sheets as ONE PDF; returns the number of sheets. A run the
    database dropped is made again (``RETRIES``), not lost."""
    for attempt in range(1, RETRIES):
        try:
            return make_print_run(job_id)
        except OUTAGE:
            logger.warning("print run %s: the database went away (attempt %d); trying again", job_id, attempt)
            wait_for_database()
            services.print_run_retry(job=PrintJob(pk=job_id))
    return make_print_run(job_id)  # the last attempt: an outage now ends the task


def make_print_run(job_id: int) -> int:
    """One attempt of ``print_run``.

    A job never stays "running" when this fails: any exception but a database outage marks it
    failed, then is raised again so that the task's result says so too.
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
        except OUTAGE:
            raise  # not the run's fault: print_run waits for the database and makes it again
        except BaseException:
            # The nurse sees a plain message; the details go to the worker's log.
            logger.exception("print run %s failed", job.pk)
            services.print_run_fail(
                job=job, error=_("The PDF could not be made. Try again, or print the sheets one by one.")
            )
            raise
    return len(admissions)
