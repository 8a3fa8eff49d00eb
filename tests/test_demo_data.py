"""The demo ward, patients and users that `make run` loads."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from checklists.management.commands.load_demo import DEMO_PASSWORD
from checklists.models import Admission, Assessment, ItemSlotRefresh, PatientChecklist, RiskFactor, Ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(content, settings):
    settings.DEBUG = True  # pytest-django runs with DEBUG off; the demo is for development
    call_command("load_demo", verbosity=0)


def test_the_demo_ward_has_twelve_beds_and_eight_patients_on_their_checklists(demo):
    ward = Ward.objects.get(code="east-4")
    assert ward.name == "東4病棟"
    assert ward.beds.count() == 12
    admissions = Admission.objects.open().filter(ward=ward)
    assert admissions.count() == 8
    for admission in admissions:
        assert PatientChecklist.objects.active().filter(admission=admission).exists(), admission
    children = [a for a in admissions if a.patient.is_child]
    assert len(children) == 2
    codes = set(PatientChecklist.objects.values_list("template__code", flat=True))
    assert {"fall", "aspiration", "delirium", "treatment", "isaacs-care", "oms-course", "child-care"} <= codes


# Fall-risk factors as the clinical review (CONTENT_REVIEW.md §1) counts them: the fall group,
# and the signs and conditions it names besides (truncal ataxia, restlessness, cognitive change;
# OMS, Isaacs syndrome and MMN, whose defining signs are ataxia, stiffness and weakness).
FALL_RISKS_OUTSIDE_THE_FALL_GROUP = {"truncal_ataxia", "restlessness", "cognitive_change", "oms", "isaacs", "mmn"}


def test_every_demo_patient_with_a_fall_risk_factor_is_on_fall_prevention(demo):
    fall_risks = FALL_RISKS_OUTSIDE_THE_FALL_GROUP | set(
        RiskFactor.objects.filter(group=RiskFactor.Group.FALL).values_list("code", flat=True)
    )
    at_risk = []
    for admission in Admission.objects.open().filter(ward__code="east-4").for_shift_work():
        noted = {note.risk_factor.code for note in admission.active_risk_factor_notes}
        if noted & fall_risks:
            at_risk.append(admission.bed.code)
            active = {checklist.template.code for checklist in admission.active_checklists}
            assert "fall" in active, (admission.bed.code, sorted(noted))
    assert {"405", "406"} <= set(at_risk)  # MMN on IVIg; OMS with truncal ataxia: none had one before


def test_the_demo_users_log_in_with_the_demo_password_and_hold_their_roles(demo, client):
    User = get_user_model()
    for username, group in [("nurse", "nurse"), ("leader", "shift_leader"), ("admin", "checklist_admin")]:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert list(user.groups.values_list("name", flat=True)) == [group]
    assert set(Ward.objects.get(code="east-4").staff.values_list("username", flat=True)) == {"nurse", "leader"}


def test_loading_the_demo_twice_adds_nothing(demo):
    counts = (Admission.objects.count(), PatientChecklist.objects.count(), get_user_model().objects.count())
    call_command("load_demo", verbosity=0)
    assert (Admission.objects.count(), PatientChecklist.objects.count(), get_user_model().objects.count()) == counts


def test_the_demo_is_refused_in_production_mode(content, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("load_demo", verbosity=0)
    assert not get_user_model().objects.exists()


def test_migrations_create_no_users_and_no_patients(db):
    assert not get_user_model().objects.exists()
    assert not Admission.objects.exists()


def test_the_demo_adults_have_their_admission_assessments_and_one_is_still_due(demo, client):
    """The board's risk chips and due chips have something to show: the adults but one (408,
    admitted yesterday) have the Morse Fall Scale and the delirium screen; the children have no
    Morse Fall Scale (it is for adults)."""
    scales = {}
    for bed, scale in Assessment.objects.values_list("admission__bed__code", "version__scale__code"):
        scales.setdefault(bed, set()).add(scale)
    assert {"401", "403", "405", "406", "411"} == {bed for bed, done in scales.items() if "morse-fall-scale" in done}
    assert all("delirium-risk-screen" in scales[bed] for bed in ["401", "403", "405", "406", "411"])
    assert "408" not in scales and "402" not in scales and "409" not in scales
    restless = Assessment.objects.get(admission__bed__code="406", version__scale__code="morse-fall-scale")
    assert restless.band.key == "high"
    client.force_login(get_user_model().objects.get(username="nurse"))
    html = client.get(f"/wards/{Ward.objects.get(code='east-4').pk}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'data-scale="morse-fall-scale"' in html  # a risk level chip
    assert 'data-due="morse-fall-scale"' in html  # 408's, not yet assessed


def test_the_demo_quality_pages_count_the_missed_slots(demo, client):
    ward = Ward.objects.get(code="east-4")
    assert ItemSlotRefresh.objects.get(ward=ward).until > timezone.now() - timedelta(minutes=1)
    client.force_login(get_user_model().objects.get(username="leader"))
    today = timezone.localdate()
    period = {"start": f"{today - timedelta(days=14):%Y-%m}", "end": f"{today:%Y-%m}"}
    response = client.get(f"/quality/wards/{ward.pk}/completion/", period)
    page = response.context["page"]
    assert page.counted_until is not None
    assert sum(month.missed for month in page.by_month) > 0  # the shifts before the previous one
    assert sum(month.done for month in page.by_month) > 0  # the previous shift's ticks
    assert "未記録はまだ数えていません" not in response.content.decode()


def test_the_demo_ward_mostly_kept_up_in_the_shifts_before_the_last(demo):
    """The quality pages of the demo show a working ward: of the items due in the ended shifts
    (the every-shift, once-a-day and once-per-stay items), most are done, some not done with a
    reason, a few missed; every record lies within its stay, none in the running shift."""
    _assert_the_ward_kept_up()


@pytest.mark.parametrize("hour", [(20, 0), (0, 40), (8, 50)])
def test_the_demo_history_lies_within_the_stays_whatever_the_hour_it_is_loaded(clock, content, settings, hour):
    """The patients come in at the hour the demo is loaded, some days back: loaded in the
    evening, the day's first shift ended before the admission, and nothing may be recorded
    there; loaded just after midnight or near a shift's end, likewise."""
    from .conftest import tokyo

    clock.now = tokyo(2026, 12, 1, *hour)
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    _assert_the_ward_kept_up()


def _assert_the_ward_kept_up():
    from checklists import selectors
    from checklists.models import CheckRecord
    from checklists.months import add_months
    from checklists.shifts import ShiftCalendar

    wards = Ward.objects.filter(code="east-4")
    today = timezone.localdate()
    start, end = add_months(today, -1), add_months(today, 1)
    rows = selectors.completion_by_item(wards, start, end)
    due, done, not_done, missed = (
        sum(getattr(row, name) for row in rows) for name in ("due", "done", "not_done", "missed")
    )
    assert due > 1000
    assert 0.70 <= done / due <= 0.92, (due, done, not_done, missed)
    assert not_done > 0 and missed > 0
    stays = selectors.stay_items_by_item(wards, start, end)
    assert sum(row.done for row in stays) > sum(row.not_done + row.missed + row.open for row in stays)
    running = ShiftCalendar.for_ward(wards.get()).shift_at(timezone.now())
    for record in CheckRecord.objects.select_related("checklist__admission"):
        assert record.checklist.admission.admitted_at <= record.recorded_at < running.starts, record
        assert record.status == "done" or record.note, record  # a reason for what was not done
