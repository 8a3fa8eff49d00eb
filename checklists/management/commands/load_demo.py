"""Create the demo ward, patients and users (development only).

東4病棟 with 12 beds and 8 patients whose risk factors cover the shipped content
(adult OMS, child OMS, Isaacs, MMN on IVIg, ...), the adults with the admission's Morse Fall
Scale and delirium screen (one patient admitted today not yet assessed, so the board shows an
assessment due), each with the proposed checklists started (from the noted factors and what
the assessments noted), a few records from the previous shift (one left undone with a reason,
some not recorded) and, for the shifts before it, a ward that mostly keeps up (``HISTORY``: of
the items due, most done, some not done with a reason, a few never recorded), so the board,
the handover and the quality pages show what a working ward looks like; plus three users:
nurse, leader and admin, all with the password ``demo-sakura-401``.
Idempotent: a second run changes nothing. Refuses to run when DEBUG is off.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from checklists import roles, services
from checklists.models import ChecklistTemplate, ItemSlot, RiskFactor, ScaleVersion, StayItem, TemplateItem, Ward
from checklists.shifts import ShiftCalendar, slot_of

DEMO_PASSWORD = "demo-sakura-401"
WARD_CODE = "east-4"

# The earlier shifts' items due, in turn of 20: two not done, with the reason given; one never
# recorded (missed); the rest done. So the demo ward's earlier completion is 85 %.
HISTORY_CYCLE = 20
NOT_DONE_EVERY = {3: "本人拒否のため未実施", 11: "検査で離床中のため未実施"}
MISSED_EVERY = {17}

USERS = [
    # username, role, first name, last name, is_staff
    ("nurse", roles.NURSE, "花子", "看護", False),
    ("leader", roles.SHIFT_LEADER, "京子", "主任", False),
    ("admin", roles.CHECKLIST_ADMIN, "安全", "管理", True),
]

PATIENTS = [
    # bed, hospital ID, name, kana, birth date, days in, risk factor codes
    (
        "401",
        "H0001234",
        "山田 太郎",
        "ヤマダ タロウ",
        date(1962, 4, 12),
        5,
        ["oms", "unsteady_gait", "myoclonus", "dysarthria", "insomnia", "steroid", "ivig"],
    ),
    (
        "402",
        "H0002345",
        "佐藤 さくら",
        "サトウ サクラ",
        date(2023, 8, 3),
        3,
        ["oms", "unsteady_gait", "irritability", "speech_regression", "ivig", "steroid"],
    ),
    (
        "403",
        "H0003456",
        "鈴木 一郎",
        "スズキ イチロウ",
        date(1975, 1, 20),
        9,
        ["isaacs", "muscle_stiffness", "excessive_sweating", "night_sedative", "insomnia"],
    ),
    ("405", "H0004567", "高橋 花江", "タカハシ ハナエ", date(1958, 11, 2), 2, ["mmn", "ivig"]),
    (
        "406",
        "H0005678",
        "田中 健",
        "タナカ ケン",
        date(1969, 6, 30),
        12,
        ["oms", "truncal_ataxia", "dysphagia", "restlessness", "rituximab"],
    ),
    (
        "408",
        "H0006789",
        "伊藤 美咲",
        "イトウ ミサキ",
        date(1990, 3, 15),
        1,
        ["dizziness", "nausea_vomiting", "poor_intake"],
    ),
    (
        "409",
        "H0007890",
        "渡辺 蓮",
        "ワタナベ レン",
        date(2017, 9, 9),
        4,
        ["oms", "hypotonia", "behaviour_change", "steroid"],
    ),
    (
        "411",
        "H0008901",
        "小林 正",
        "コバヤシ タダシ",
        date(1941, 2, 28),
        7,
        ["unsteady_gait", "cognitive_change", "immunosuppressant", "night_sedative"],
    ),
]


# The admission's assessments (bed → scale code → question key → option key), answered as the
# patient's factors suggest; hours after the admission. 408 (admitted yesterday) is not yet
# assessed; the children (402, 409) get none: the Morse Fall Scale is for adults.
ASSESSMENTS = {
    "401": {
        "morse-fall-scale": {
            "history-of-falling": "no",
            "secondary-diagnosis": "yes",
            "ambulatory-aid": "crutches-cane-walker",
            "iv-therapy": "yes",
            "gait": "impaired",
            "mental-status": "oriented",
        },
        "delirium-risk-screen": {"organic-brain-disorder": "yes", "risk-drugs": "yes"},
    },
    "403": {
        "morse-fall-scale": {
            "history-of-falling": "no",
            "secondary-diagnosis": "yes",
            "ambulatory-aid": "none",
            "iv-therapy": "no",
            "gait": "weak",
            "mental-status": "oriented",
        },
        "delirium-risk-screen": {"risk-drugs": "yes"},
    },
    "405": {
        "morse-fall-scale": {
            "history-of-falling": "no",
            "secondary-diagnosis": "yes",
            "ambulatory-aid": "none",
            "iv-therapy": "yes",
            "gait": "normal",
            "mental-status": "oriented",
        },
        "delirium-risk-screen": {},
    },
    "406": {
        "morse-fall-scale": {
            "history-of-falling": "yes",
            "secondary-diagnosis": "yes",
            "ambulatory-aid": "furniture",
            "iv-therapy": "yes",
            "gait": "impaired",
            "mental-status": "forgets-limitations",
        },
        "delirium-risk-screen": {"organic-brain-disorder": "yes"},
        "swallowing-screen": {"result": "rsst-1"},
    },
    "411": {
        "morse-fall-scale": {
            "history-of-falling": "no",
            "secondary-diagnosis": "yes",
            "ambulatory-aid": "crutches-cane-walker",
            "iv-therapy": "no",
            "gait": "impaired",
            "mental-status": "forgets-limitations",
        },
        "delirium-risk-screen": {"aged-70-plus": "yes", "dementia": "yes", "risk-drugs": "yes"},
    },
}


class Command(BaseCommand):
    help = "Create the demo ward, patients and users (refuses when DEBUG is off)."

    def handle(self, *args, **options):
        if settings.PRODUCTION or not settings.DEBUG:
            raise CommandError(
                "Demo data is for development only: production mode or DJANGO_DEBUG=false, so nothing was created."
            )
        if not ChecklistTemplate.objects.exists():
            raise CommandError("Load the checklist content first: manage.py load_content")
        with transaction.atomic():
            users = self._users()
            if Ward.objects.filter(code=WARD_CODE).exists():
                self.stdout.write("Demo ward already present; nothing to add.")
                return
            self._ward(users)
        self.stdout.write(f"Demo ward 東4病棟 with {len(PATIENTS)} patients created.")

    def _users(self) -> dict:
        User = get_user_model()
        users = {}
        for username, role, first_name, last_name, is_staff in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username,
                    password=DEMO_PASSWORD,
                    first_name=first_name,
                    last_name=last_name,
                    is_staff=is_staff,
                )
                user.groups.add(Group.objects.get(name=role))
            users[username] = user
        return users

    def _ward(self, users: dict) -> None:
        ward = services.ward_create(
            code=WARD_CODE, name="東4病棟", bed_codes=[str(n) for n in range(401, 413)], by=users["admin"]
        )
        ward.staff.add(users["nurse"], users["leader"])
        beds = {bed.code: bed for bed in ward.beds.all()}
        factors = {factor.code: factor for factor in RiskFactor.objects.all()}
        now = timezone.now()
        checklists = {}  # (admission, template) → the stay's checklist of the template
        calendar = ShiftCalendar.for_ward(ward)
        previous = calendar.slot_before(calendar.shift_at(now))
        for bed_code, hospital_id, name, kana, birth_date, days_in, codes in PATIENTS:
            admission = services.patient_admit(
                hospital_id=hospital_id,
                name=name,
                name_kana=kana,
                birth_date=birth_date,
                bed=beds[bed_code],
                risk_factors=[factors[code] for code in codes if code in factors],
                by=users["nurse"],
                at=now - timedelta(days=days_in),
            )
            self._assessments(admission, ASSESSMENTS.get(bed_code, {}), users["nurse"])
            # The noted factors (with the assessments') and the ones the age gives today.
            ages = RiskFactor.objects.filter(code__in=admission.patient.age_factor_codes_on(timezone.localdate()))
            noted = [note.risk_factor_id for note in admission.risk_factor_notes.all()] + [f.pk for f in ages]
            for template in ChecklistTemplate.objects.proposed_for(noted):
                checklist = services.checklist_start(
                    admission=admission, template=template, by=users["nurse"], at=admission.admitted_at
                )
                checklists[admission.pk, template.pk] = checklist
                self._previous_shift_records(checklist, previous, users["nurse"])
        # The ended shifts' slots, as the print worker's loop marks them: the quality pages
        # count the slots nobody recorded as missed from the start.
        services.item_slots_catch_up(ward=ward)
        self._history(ward, calendar, checklists, before=previous, nurses=[users["nurse"], users["leader"]])

    def _history(self, ward, calendar, checklists: dict, *, before, nurses: list) -> None:
        """Record the items due in the shifts that ended before the previous one (the item-slots
        the catch-up marked due) and the items due once per stay, as they would have been
        recorded then: in the slot (a once-a-day item in the day's first shift the patient was on
        the ward for, a once-per-stay item likewise on its first day), never before the admission. In turn, most are done, some not
        done with a reason, a few never recorded."""

        def first_slot_on_the_ward(admission, day):
            """The day's first shift that ends after the patient came (a day's or a stay's item)."""
            slots = sorted((slot_of(shift, day) for shift in calendar.shifts_on(day)), key=lambda slot: slot.starts)
            return next((slot for slot in slots if slot.ends > admission.admitted_at), slots[-1])

        def record_time(admission, slot):
            """Two hours into the slot, half an hour after the admission at the earliest, before
            the slot ends; None when the patient came too late in it."""
            at = min(
                max(slot.starts + timedelta(hours=2), admission.admitted_at + timedelta(minutes=30)),
                slot.ends - timedelta(minutes=5),
            )
            return at if at > admission.admitted_at else None

        due = []
        for item_slot in (
            ItemSlot.objects.filter(ward=ward, due=True, status="")
            .select_related("admission", "shift", "item")
            .order_by("duty_date", "shift__starts_at", "admission_id", "item__position")
        ):
            admission = item_slot.admission
            if item_slot.shift:
                slot = slot_of(item_slot.shift, item_slot.duty_date)
            else:
                slot = first_slot_on_the_ward(admission, item_slot.duty_date)
            if slot.ends <= before.starts:
                due.append((item_slot, record_time(admission, slot)))
        for stay_item in StayItem.objects.filter(ward=ward, status="").select_related("admission", "item"):
            slot = first_slot_on_the_ward(stay_item.admission, stay_item.first_on)
            if slot.ends <= before.starts:
                due.append((stay_item, record_time(stay_item.admission, slot)))
        for index, (row, at) in enumerate(due):
            turn = index % HISTORY_CYCLE
            if turn in MISSED_EVERY or at is None:
                continue
            services.item_record(
                checklist=checklists[row.admission_id, row.template_id],
                item=row.item,
                status="not_done" if turn in NOT_DONE_EVERY else "done",
                note=NOT_DONE_EVERY.get(turn, ""),
                by=nurses[index % len(nurses)],
                at=at,
                calendar=calendar,
            )

    def _assessments(self, admission, answers_by_scale: dict, nurse) -> None:
        """The admission's assessments, an hour after it; an unanswered yes/no question is "no"."""
        at = admission.admitted_at + timedelta(hours=1)
        for version in ScaleVersion.objects.published().with_content().filter(scale__code__in=answers_by_scale):
            given = answers_by_scale[version.scale.code]
            answers = {question.key: given.get(question.key, "no") for question in version.questions.all()}
            services.assessment_record(admission=admission, version=version, answers=answers, by=nurse, at=at)

    def _previous_shift_records(self, checklist, slot, nurse) -> None:
        """Tick most every-shift items of the previous shift; leave one undone with a reason."""
        items = checklist.version.items.unconditional().filter(frequency=TemplateItem.Frequency.EVERY_SHIFT)
        at = slot.starts + timedelta(hours=2)
        for index, item in enumerate(items):
            if index == 1:
                services.item_record(
                    checklist=checklist, item=item, status="not_done", note="検査で離床中のため未実施", by=nurse, at=at
                )
            elif index % 3 != 2:
                services.item_record(checklist=checklist, item=item, status="done", by=nurse, at=at)
