"""Several people at once, on real separate connections: every record is kept exactly
once, a template ends with exactly one published version, a bed holds one patient.

Each thread gets its own database connection (Django's connections are per thread) and
waits at a barrier, so the services' transactions overlap. The data must be committed for
the other connections to see it, hence transactional tests; they run on PostgreSQL only
(SQLite has no row locks: it serialises whole-database writes)."""

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from checklists import selectors, services
from checklists.models import Admission, AuditEvent, ChecklistTemplate, CheckRecord, Patient, TemplateVersion
from checklists.shifts import shift_at, slot_before

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, AdminUserFactory, NurseFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL's row locks; runs in make test's PostgreSQL pass",
    ),
]

THREADS = 8
AT = tokyo(2026, 11, 21, 10, 0)  # day shift of 2026-11-21


def at_once(*calls: Callable) -> list:
    """Run each call in its own thread with its own connection, all released together.
    Returns what each call returned or raised, in the order of ``calls``."""
    outcomes = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        try:
            connection.ensure_connection()  # connect before the barrier, so the calls start together
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # the test looks at every outcome
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def succeeded(outcomes) -> list:
    return [outcome for outcome in outcomes if not isinstance(outcome, Exception)]


def refused(outcomes) -> list[ValidationError]:
    """The ValidationErrors; any other exception fails the test with its own traceback."""
    for outcome in outcomes:
        if isinstance(outcome, Exception) and not isinstance(outcome, ValidationError):
            raise outcome
    return [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]


def shift_of(admission) -> selectors.PatientShift:
    slot = shift_at(AT)
    admission = Admission.objects.for_shift_work().get(pk=admission.pk)
    return selectors.patient_shift(admission, slot, slot_before(slot))


def test_eight_nurses_recording_the_same_item_at_once_each_keep_their_record(fall_checklist):
    item = fall_checklist.version.items.get(key="call-bell-within-reach")
    nurses = NurseFactory.create_batch(THREADS, password=None)

    def record(nurse):
        return lambda: services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse, at=AT)

    outcomes = at_once(*(record(nurse) for nurse in nurses))

    assert not refused(outcomes)
    assert len(succeeded(outcomes)) == THREADS
    records = CheckRecord.objects.filter(item=item)
    assert sorted(records.values_list("recorded_by", flat=True)) == sorted(nurse.pk for nurse in nurses)
    assert AuditEvent.objects.filter(action="check_recorded").count() == THREADS
    state = next(s for p in shift_of(fall_checklist.admission).checklists for s in p.items if s.item == item)
    assert len(state.records) == THREADS
    assert state.status == "done"


def test_eight_nurses_recording_different_items_at_once_all_count_in_progress(admission, nurse):
    for code in ("fall", "delirium"):
        services.checklist_start(
            admission=admission, template=ChecklistTemplate.objects.get(code=code), by=nurse, at=tokyo(2026, 11, 20, 11)
        )
    # Half of the nurses on each checklist, so that both checklists' progress is counted.
    due = [state for p in shift_of(admission).checklists for state in [s for s in p.items if s.counts][: THREADS // 2]]
    assert len(due) == THREADS
    assert {state.checklist.template.code for state in due} == {"fall", "delirium"}

    def record(state):
        by = NurseFactory(password=None)
        return lambda: services.item_record(checklist=state.checklist, item=state.item, status="done", by=by, at=AT)

    outcomes = at_once(*(record(state) for state in due))

    assert not refused(outcomes)
    assert len(succeeded(outcomes)) == THREADS
    assert CheckRecord.objects.count() == THREADS
    assert set(CheckRecord.objects.values_list("checklist", "item")) == {(s.checklist.pk, s.item.pk) for s in due}
    after = shift_of(admission)
    settled = {(s.checklist.pk, s.item.pk) for p in after.checklists for s in p.items if s.is_settled}
    assert settled == {(s.checklist.pk, s.item.pk) for s in due}
    assert sum(p.done_count for p in after.checklists) == THREADS


def test_two_nurses_correcting_the_same_record_at_once_make_one_correction(fall_checklist, nurse):
    item = fall_checklist.version.items.get(key="call-bell-within-reach")
    wrong = services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse, at=AT)
    others = NurseFactory.create_batch(2, password=None)

    def correct(by):
        return lambda: services.record_correct(record=wrong, status="not_done", note="取り違え", by=by)

    outcomes = at_once(*(correct(by) for by in others))

    assert len(succeeded(outcomes)) == 1
    assert len(refused(outcomes)) == 1
    assert CheckRecord.objects.filter(corrects=wrong).count() == 1
    assert AuditEvent.objects.filter(action="check_corrected").count() == 1


def test_two_admins_publishing_the_same_draft_at_once_publish_it_once(content, checklist_admin):
    fall = ChecklistTemplate.objects.get(code="fall")
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    admins = [checklist_admin, AdminUserFactory(password=None)]

    def publish(by):
        return lambda: services.template_publish(version=draft, by=by, change_note="同時に公開")

    outcomes = at_once(*(publish(by) for by in admins))

    assert len(succeeded(outcomes)) == 1
    assert len(refused(outcomes)) == 1
    assert list(fall.versions.order_by("number").values_list("number", "status")) == [
        (1, "retired"),
        (2, "published"),
    ]
    assert AuditEvent.objects.filter(template=fall, action="version_published").count() == 1
    assert AuditEvent.objects.filter(template=fall, action="version_retired").count() == 1


def test_two_admins_starting_a_draft_of_the_same_template_at_once_make_one_draft(content, checklist_admin):
    fall = ChecklistTemplate.objects.get(code="fall")
    admins = [checklist_admin, AdminUserFactory(password=None)]

    outcomes = at_once(*(lambda by=by: services.template_draft_create(template=fall, by=by) for by in admins))

    assert len(succeeded(outcomes)) == 1
    assert len(refused(outcomes)) == 1
    assert fall.versions.filter(status="draft").count() == 1


def test_drafts_of_different_templates_publish_in_parallel(content, checklist_admin):
    templates = list(ChecklistTemplate.objects.filter(code__in=["fall", "delirium", "aspiration", "dehydration"]))
    drafts = [services.template_draft_create(template=template, by=checklist_admin) for template in templates]

    def publish(draft):
        by = AdminUserFactory(password=None)
        return lambda: services.template_publish(version=draft, by=by, change_note="一斉に改訂")

    outcomes = at_once(*(publish(draft) for draft in drafts))

    assert not refused(outcomes)
    assert len(succeeded(outcomes)) == len(templates)
    for template in templates:
        assert list(TemplateVersion.objects.filter(template=template).order_by("number").values_list("status")) == [
            ("retired",),
            ("published",),
        ]


def test_two_patients_admitted_into_the_same_bed_at_once_make_one_admission(content, beds, nurse):
    bed = beds[1]

    def admit(number):
        return lambda: services.patient_admit(
            hospital_id=f"H{number}", name=f"患者 {number}", birth_date=ADULT_BIRTH_DATE, bed=bed, by=nurse
        )

    outcomes = at_once(admit(201), admit(202))

    assert len(succeeded(outcomes)) == 1
    assert len(refused(outcomes)) == 1
    assert Admission.objects.filter(bed=bed).count() == 1
    assert AuditEvent.objects.filter(action="patient_admitted").count() == 1
    assert Patient.objects.count() == 1  # the refused admission left no patient behind


def test_one_admission_sent_twice_at_once_admits_the_patient_once(content, beds, nurse):
    """A double tap on "admit" (or a retried request) sends the same patient twice."""

    def admit():
        return services.patient_admit(
            hospital_id="H300", name="二重 送信", birth_date=ADULT_BIRTH_DATE, bed=beds[2], by=nurse
        )

    outcomes = at_once(admit, admit)

    assert len(succeeded(outcomes)) == 1
    assert len(refused(outcomes)) == 1
    assert Admission.objects.filter(patient__hospital_id="H300").count() == 1
