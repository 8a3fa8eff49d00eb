"""Admitting from the ward, re-admitting a known patient, confirming the proposed
checklists, changing risk factors, transferring and discharging."""

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists import selectors, services
from checklists.models import Admission, AdmissionRiskFactor, ChecklistTemplate, PatientChecklist

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE

pytestmark = pytest.mark.django_db


@pytest.fixture
def admit_url(ward):
    return reverse("checklists:admission_create", args=[ward.pk])


def admit_data(bed, factors, **overrides):
    return {
        "hospital_id": "H555",
        "name": "鈴木 次郎",
        "name_kana": "スズキ ジロウ",
        "birth_date": "1960-02-03",
        "bed": bed.pk,
        "risk_factors": [factors["unsteady_gait"].pk, factors["dysarthria"].pk],
    } | overrides


def test_admitting_leads_to_the_proposed_checklists_ticked(client, nurse, beds, factors, admit_url):
    client.force_login(nurse)
    response = client.post(admit_url, admit_data(beds[2], factors))
    admission = Admission.objects.get(patient__hospital_id="H555")
    assert response.url == reverse("checklists:admission_checklists", args=[admission.pk])
    page = client.get(response.url).content.decode()
    proposals = {p.template.code: p for p in client.get(response.url).context["proposals"]}
    assert proposals["fall"].checked and proposals["fall"].proposes_start
    assert proposals["aspiration"].checked
    assert not proposals["delirium"].checked
    assert "歩行不安定" in page


def test_confirming_starts_the_ticked_checklists(client, nurse, admission):
    url = reverse("checklists:admission_checklists", args=[admission.pk])
    client.force_login(nurse)
    ticked = [p.template.pk for p in client.get(url).context["proposals"] if p.checked]
    response = client.post(url, {"templates": ticked, "shown_active": []})
    assert response.url == reverse("checklists:admission_detail", args=[admission.pk])
    active = set(PatientChecklist.objects.active().filter(admission=admission).values_list("template__code", flat=True))
    assert active == {"fall", "treatment"}


def test_a_nurse_can_untick_a_proposal_and_add_another(client, nurse, admission):
    url = reverse("checklists:admission_checklists", args=[admission.pk])
    client.force_login(nurse)
    proposals = {p.template.code: p.template.pk for p in client.get(url).context["proposals"]}
    client.post(url, {"templates": [proposals["fall"], proposals["delirium"]]})
    active = set(PatientChecklist.objects.active().filter(admission=admission).values_list("template__code", flat=True))
    assert active == {"fall", "delirium"}


def test_the_admit_page_shows_only_empty_beds(client, nurse, admission, admit_url):
    client.force_login(nurse)
    beds = list(client.get(admit_url).context["form"].fields["bed"].queryset)
    assert admission.bed not in beds and len(beds) == 3


def test_a_taken_bed_is_a_form_error_not_a_crash(client, nurse, admission, factors, admit_url):
    client.force_login(nurse)
    response = client.post(admit_url, admit_data(admission.bed, factors))
    assert response.status_code == 200
    assert response.context["form"].errors["bed"]
    assert not Admission.objects.filter(patient__hospital_id="H555").exists()


def test_an_unknown_hospital_id_looks_up_nothing_and_writes_nothing(client, nurse, ward, admit_url):
    client.force_login(nurse)
    response = client.post(admit_url, {"hospital_id": "NOPE", "lookup": "1"})
    assert response.status_code == 200 and response.context["known"] is None
    assert response.context["form"].initial["hospital_id"] == "NOPE"
    assert not Admission.objects.exists()


def test_a_future_birth_date_is_a_form_error(client, nurse, beds, factors, admit_url):
    client.force_login(nurse)
    response = client.post(admit_url, admit_data(beds[1], factors, birth_date="2999-01-01"))
    assert response.status_code == 200
    assert "未来" in str(response.context["form"].errors["birth_date"])


def test_an_unknown_bed_is_a_form_error(client, nurse, factors, beds, admit_url):
    client.force_login(nurse)
    response = client.post(admit_url, admit_data(beds[1], factors) | {"bed": "99999"})
    assert response.status_code == 200 and response.context["form"].errors["bed"]


def test_a_known_hospital_id_prefills_the_patient_and_shows_earlier_stays(client, nurse, admission, admit_url):
    services.admission_discharge(admission=admission, by=nurse, at=tokyo(2026, 11, 21, 9, 0))
    client.force_login(nurse)
    typed = {"hospital_id": "H100", "birth_date": ADULT_BIRTH_DATE.isoformat(), "lookup": "1"}
    response = client.post(admit_url, typed)
    form = response.context["form"]
    assert form.initial["name"] == "山田 太郎" and form.initial["birth_date"] == ADULT_BIRTH_DATE
    assert 'data-testid="known-patient"' in response.content.decode()
    fragment = client.post(admit_url, typed, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="patient-fields">') and "山田 太郎" in fragment


def test_readmitting_with_another_birth_date_is_explained(client, nurse, admission, factors, beds, admit_url):
    services.admission_discharge(admission=admission, by=nurse, at=tokyo(2026, 11, 21, 9, 0))
    client.force_login(nurse)
    response = client.post(admit_url, admit_data(beds[1], factors, hospital_id="H100", birth_date="1999-01-01"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    page = response.content.decode()
    assert "another birth date" in page or "別の生年月日" in page  # the message is shown, not only stored
    assert "1970-05-01" not in page  # and it does not tell the patient's birth date


def test_changing_risk_factors_proposes_stopping_and_starting(client, nurse, fall_checklist, factors):
    admission = fall_checklist.admission
    client.force_login(nurse)
    url = reverse("checklists:admission_risk_factors", args=[admission.pk])
    shown = [factors["unsteady_gait"].pk, factors["ivig"].pk]
    response = client.post(url, {"risk_factors": [factors["insomnia"].pk, factors["ivig"].pk], "shown": shown})
    assert response.url == reverse("checklists:admission_checklists", args=[admission.pk])
    proposals = {p.template.code: p for p in client.get(response.url).context["proposals"]}
    assert proposals["fall"].proposes_stop and not proposals["fall"].checked
    assert proposals["delirium"].proposes_start and proposals["delirium"].checked
    noted = AdmissionRiskFactor.objects.active().filter(admission=admission).values_list("risk_factor__code", flat=True)
    assert set(noted) == {"insomnia", "ivig"}
    client.post(
        response.url,
        {
            "templates": [proposals["delirium"].template.pk],
            "reason": "歩行安定",
            "shown_active": [proposals["fall"].template.pk],
        },
    )
    fall_checklist.refresh_from_db()
    assert fall_checklist.stop_reason == "歩行安定"


def test_transfer_moves_the_patient_to_an_empty_bed(client, nurse, admission, beds):
    client.force_login(nurse)
    url = reverse("checklists:admission_transfer", args=[admission.pk])
    response = client.post(url, {"bed": beds[3].pk})
    assert response.status_code == 302
    admission.refresh_from_db()
    assert admission.bed == beds[3]


def test_discharge_needs_confirmation_and_keeps_the_history(client, nurse, fall_checklist):
    admission = fall_checklist.admission
    client.force_login(nurse)
    url = reverse("checklists:admission_discharge", args=[admission.pk])
    assert client.post(url, {}).status_code == 200
    response = client.post(url, {"confirm": "on"})
    assert response.url == reverse("checklists:ward_board", args=[admission.ward_id])
    assert not Admission.objects.open().exists()
    board = client.get(response.url).content.decode()
    assert reverse("checklists:admission_detail", args=[admission.pk]) not in board
    assert client.get(reverse("checklists:admission_history", args=[admission.pk])).status_code == 200


def test_history_shows_each_slot_in_the_versions_wording(client, nurse, fall_checklist, frozen_clock):
    items = list(fall_checklist.version.items.all()[:2])
    services.item_record(checklist=fall_checklist, item=items[0], status="done", by=nurse, at=tokyo(2026, 11, 21, 3))
    services.item_record(
        checklist=fall_checklist, item=items[1], status="not_done", note="入浴", by=nurse, at=tokyo(2026, 11, 20, 20)
    )
    client.force_login(nurse)
    response = client.get(reverse("checklists:admission_history", args=[fall_checklist.admission.pk]))
    slots = response.context["slots"]
    assert [(s.duty_date.day, s.shift.code) for s in slots[:3]] == [(21, "day"), (21, "night"), (20, "evening")]
    rows = {row.item: [cell.record for cell in row.cells] for row in response.context["blocks"][0].rows}
    assert rows[items[0]][1].status == "done"
    assert rows[items[1]][2].status == "not_done"
    assert rows[items[0]][0] is None


def test_handover_lists_open_critical_not_done_new_factors_and_notes(
    client, nurse, fall_checklist, factors, frozen_clock
):
    now = frozen_clock
    admission = fall_checklist.admission
    item = fall_checklist.version.items.unconditional().filter(frequency="every_shift").last()
    services.item_record(checklist=fall_checklist, item=item, status="not_done", note="拒否あり", by=nurse, at=now)
    services.admission_risk_factor_note(admission=admission, risk_factor=factors["insomnia"], by=nurse, at=now)
    client.force_login(nurse)
    response = client.get(reverse("checklists:ward_handover", args=[admission.ward_id]))
    page = response.content.decode()
    assert "拒否あり" in page
    assert "+ 不眠" in page
    critical = fall_checklist.version.items.unconditional().filter(is_critical=True).first()
    assert critical.text_ja in page
    earlier = client.get(
        reverse("checklists:ward_handover", args=[admission.ward_id]), {"date": "2026-11-20", "shift": "evening"}
    ).content.decode()
    assert "拒否あり" not in earlier


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30", "x"])
def test_an_absurd_handover_date_falls_back_to_the_current_shift(client, nurse, ward, content, day):
    client.force_login(nurse)
    url = reverse("checklists:ward_handover", args=[ward.pk])
    response = client.get(url, {"date": day, "shift": "day"})
    assert response.status_code == 200
    from django.utils import timezone

    assert abs((response.context["slot"].duty_date - timezone.localdate()).days) <= 1  # the current shift
    pdf = client.get(reverse("checklists:ward_handover_pdf", args=[ward.pk]), {"date": day, "shift": "day"})
    assert pdf.status_code == 200


def test_saving_a_childs_risk_factors_keeps_the_child_factor(client, nurse, beds, content, factors):
    from .factories import CHILD_BIRTH_DATE

    admission = services.patient_admit(
        hospital_id="C1",
        name="小児 花",
        birth_date=CHILD_BIRTH_DATE,
        bed=beds[1],
        by=nurse,
        risk_factors=[factors["unsteady_gait"]],
    )
    client.force_login(nurse)
    url = reverse("checklists:admission_risk_factors", args=[admission.pk])
    form = client.get(url).context["form"]
    shown = [f.pk for f in form.initial["shown"]]
    client.post(url, {"risk_factors": [factors["insomnia"].pk], "shown": shown})
    noted = AdmissionRiskFactor.objects.active().filter(admission=admission).values_list("risk_factor__code", flat=True)
    assert set(noted) == {"insomnia"}  # the child factor is read from the birth date, not noted
    admission = Admission.objects.for_shift_work().get(pk=admission.pk)
    assert selectors.factor_codes_on(admission, timezone.localdate()) == {"child", "insomnia"}


def test_a_factor_a_colleague_noted_meanwhile_is_not_removed_by_a_stale_page(client, nurse, admission, factors):
    client.force_login(nurse)
    url = reverse("checklists:admission_risk_factors", args=[admission.pk])
    shown = [f.pk for f in client.get(url).context["form"].initial["shown"]]
    services.admission_risk_factor_note(admission=admission, risk_factor=factors["insomnia"], by=nurse)
    client.post(url, {"risk_factors": shown, "shown": shown})
    assert AdmissionRiskFactor.objects.active().filter(admission=admission, risk_factor=factors["insomnia"]).exists()


def test_a_checklist_a_colleague_started_meanwhile_is_not_stopped_by_a_stale_page(client, nurse, admission):
    url = reverse("checklists:admission_checklists", args=[admission.pk])
    client.force_login(nurse)
    form = client.get(url).context["form"]
    ticked = [t.pk for t in form.initial["templates"]]
    shown_active = [t.pk for t in form.initial["shown_active"]]
    delirium = services.checklist_start(
        admission=admission, template=ChecklistTemplate.objects.get(code="delirium"), by=nurse
    )
    client.post(url, {"templates": ticked, "shown_active": shown_active})
    delirium.refresh_from_db()
    assert delirium.is_active


def test_a_past_shifts_handover_shows_the_ward_as_it_was_then(client, nurse, fall_checklist, factors, beds):
    admission = fall_checklist.admission  # admitted 2026-11-20 10:00
    item = fall_checklist.version.items.unconditional().filter(frequency="every_shift").first()
    services.item_record(
        checklist=fall_checklist, item=item, status="not_done", note="本人拒否", by=nurse, at=tokyo(2026, 11, 21, 10)
    )
    services.admission_discharge(admission=admission, by=nurse, at=tokyo(2026, 11, 22, 10))
    later = services.patient_admit(
        hospital_id="H901",
        name="後日 入院",
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[1],
        by=nurse,
        at=tokyo(2026, 11, 23, 10),
    )
    client.force_login(nurse)
    url = reverse("checklists:ward_handover", args=[admission.ward_id])
    response = client.get(url, {"date": "2026-11-21", "shift": "day"})
    patients = [entry.patient_shift.admission for entry in response.context["entries"]]
    assert patients == [admission]  # the discharged patient was there; the later one was not
    assert "本人拒否" in response.content.decode()
    assert later not in patients
