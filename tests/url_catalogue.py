"""Every URL of the project and what each role gets from it: the access matrix
(test_access_matrix.py) requests them all, the POST fuzz test (test_fuzz_posts.py) takes its
form endpoints from here, and the query budget (query_budgets.py) has a row for each.

The URLs are read from the URLconf, never listed by hand: ``url_patterns()`` walks it. Every
named pattern outside the Django admin needs an entry in ``EXPECTATIONS``, so a new page fails
the matrix until someone writes down who may open it. The admin is a group: its own views
are listed in ``ADMIN_SITE``, each registered model is requested through its changelist and one
change page, and ``ADMIN_MODELS_VISIBLE`` / ``ADMIN_MODELS_HIDDEN`` say which models a
checklist admin may look at there.

``build_world()`` makes the data behind the URLs: two wards, each with an admitted patient, a
running checklist with a record, a planned examination and a finished print run (ward B changes
from three shifts to two in a month), and in the editor a template with a published version
and a draft.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib import admin
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from checklists import scale_content, services, tasks
from checklists.models import (
    ChecklistTemplate,
    RiskFactor,
    Scale,
    ScaleQuestion,
    ScaleVersion,
    ShiftPattern,
    TemplateVersion,
)

from .factories import (
    ADULT_BIRTH_DATE,
    AdminUserFactory,
    BedFactory,
    LeaderFactory,
    NurseFactory,
    UserFactory,
    WardFactory,
)

ROLES = ("anonymous", "nurse_a", "nurse_b", "leader", "admin", "member")
"""Anonymous; a nurse of ward A; a nurse of ward B; a shift leader of ward A; a checklist admin
(staff, on no ward); a member of ward A's staff with no role (in no group: reads nothing).
The URLs name ward A's objects, so ward B's nurse is the other ward."""

LOGIN = "login"  # 302 to the login page, with ?next=
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page

# The parameters a URL may carry: opaque database IDs and the admin's own path pieces.
# A patient is never named in a URL by hospital ID, name, reading or birth date.
PATIENT_IDENTIFIER = re.compile(r"hospital|name|kana|birth|patient|mrn", re.IGNORECASE)


# --- the data behind the URLs -------------------------------------------------------------------


@dataclass
class WardWorld:
    """One ward and what is on it; ``a`` is the ward the URLs name, ``b`` the other one."""

    ward: Any
    beds: list
    admission: Any
    checklist: Any
    item: Any
    record: Any
    examination: Any
    print_job: Any
    empty_bed: Any
    assessment: Any = None  # a Morse Fall Scale result (low: it notes no factor)
    event: Any = None  # a delirium episode on the stay (a correction's target)
    teach_back: Any = None  # a teach-back audit on the stay (a correction's target)


@dataclass
class World:
    a: WardWorld
    b: WardWorld
    users: dict
    template: Any  # fall: a published version and a draft
    published: Any
    draft: Any
    draft_item: Any
    new_template: Any  # made in the editor: only an empty draft v1
    older: Any  # delirium: admission A's checklist still runs on the retired version 1
    risk_factor: Any
    pattern: Any  # the shipped three-shift pattern (both wards run it)
    other_pattern: Any  # the shipped two-shift pattern
    export: dict | None = None  # fall as an export file, for the import fuzz (test_fuzz_posts.py)
    scale: Any = None  # the shipped Morse Fall Scale (published v1)
    draft_scale: Any = None  # the shipped delirium screen, with a draft v2


def _ward_world(*, code: str, name: str, hospital_id: str, patient: str, kana: str, nurse, factors) -> WardWorld:
    ward = WardFactory(code=code, name=name)
    beds = [BedFactory(ward=ward, code=f"{code[-1]}0{n}", position=n) for n in range(1, 5)]
    ward.staff.add(nurse)
    admission = services.patient_admit(
        hospital_id=hospital_id,
        name=patient,
        name_kana=kana,
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[0],
        risk_factors=[factors["unsteady_gait"], factors["ivig"]],
        by=nurse,
        at=timezone.now() - timedelta(days=1),
    )
    checklist = services.checklist_start(
        admission=admission, template=ChecklistTemplate.objects.get(code="fall"), by=nurse
    )
    item = checklist.version.items.unconditional().first()
    # A minute back: a post of the walk on the same item is then a new record whatever the time the
    # walk takes to get there (within REPEAT_SECONDS it was a repeat: the counts depended on the clock).
    at = timezone.now() - timedelta(seconds=services.REPEAT_SECONDS + 50)
    record = services.item_record(checklist=checklist, item=item, status="done", by=nurse, at=at)
    examination = services.examination_plan(
        admission=admission, name="MRI", planned_on=timezone.localdate() + timedelta(days=2), by=nurse
    )
    job = services.print_run_request(ward=ward, admissions=[admission], by=nurse, language="ja")
    job = services.print_run_start(job=job, total=1)
    job = services.print_run_finish(job=job, pdf=b"%PDF-1.4\n% a stand-in for the bedside sheets\n%%EOF\n")
    mfs = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    assessment = services.assessment_record(admission=admission, version=mfs, answers=MFS_LOW, by=nurse)
    # Delirium, not a fall: a fall would note a risk factor, and the admin's admission page
    # (its risk factor inline) runs queries per note.
    event = services.safety_event_record(
        admission=admission,
        kind="delirium",
        occurred_at=timezone.now() - timedelta(hours=2),
        place="bedside",
        description="夜間に不穏、点滴を自己抜去しかけた",
        witness="staff",
        by=nurse,
    )
    teach_back = services.teach_back_record(
        admission=admission, asked="family", names_risks=True, names_plan=True, sheet_current=True, by=nurse
    )
    return WardWorld(
        ward,
        beds,
        admission,
        checklist,
        item,
        record,
        examination,
        job,
        beds[1],
        assessment=assessment,
        event=event,
        teach_back=teach_back,
    )


def detail_item(checklist):
    """An item of the fall checklist that asks for a per-patient detail (walking aid and help)."""
    return checklist.version.items.get(key="assess-standing-walking")


MFS_LOW = {
    "history-of-falling": "no",
    "secondary-diagnosis": "no",
    "ambulatory-aid": "none",
    "iv-therapy": "no",
    "gait": "normal",
    "mental-status": "oriented",
}


def _scale_draft(admin_user) -> Scale:
    """The delirium screen with a draft v2 (its published v1's content)."""
    published = ScaleVersion.objects.with_content().get(scale__code="delirium-risk-screen", status="published")
    codes = set(RiskFactor.objects.values_list("code", flat=True))
    spec = scale_content.parse_scale(services.scale_document(published), factor_codes=codes)
    return services.scale_import(spec=spec, by=admin_user).scale


def build_world() -> World:
    call_command("load_content", verbosity=0)
    services.injury_scale_ship()
    factors = {factor.code: factor for factor in RiskFactor.objects.all()}
    users = {
        "nurse_a": NurseFactory(username="nurse-a"),
        "nurse_b": NurseFactory(username="nurse-b", email="nurse-b@example.org"),
        "leader": LeaderFactory(username="leader-a"),
        "admin": AdminUserFactory(username="educator"),
        "member": UserFactory(username="no-role-a"),  # put on ward A's staff below, in no group
    }
    a = _ward_world(
        code="east-4",
        name="東4病棟",
        hospital_id="H100234",
        patient="山田 太郎",
        kana="ヤマダ タロウ",
        nurse=users["nurse_a"],
        factors=factors,
    )
    b = _ward_world(
        code="west-2",
        name="西2病棟",
        hospital_id="H200567",
        patient="佐藤 花子",
        kana="サトウ ハナコ",
        nurse=users["nurse_b"],
        factors=factors,
    )
    a.ward.staff.add(users["leader"], users["member"])
    # A detail on ward B's patient, for the admin's item-detail pages (ward A's item-detail form
    # keeps its budget for a first detail).
    walking = b.checklist.version.items.get(key="assess-standing-walking")
    services.item_detail_set(checklist=b.checklist, item=walking, text="歩行器使用・見守り", by=users["nurse_b"])
    admin_user = users["admin"]
    # Ward B changes to two shifts in a month (ward A runs the first pattern, three shifts).
    two_shifts = ShiftPattern.objects.get(code="two-shift")
    services.ward_shift_pattern_set(
        ward=b.ward, pattern=two_shifts, effective_from=timezone.localdate() + timedelta(days=30), by=admin_user
    )
    # delirium v2 published after admission A started v1: A is on an older version.
    delirium = ChecklistTemplate.objects.get(code="delirium")
    services.checklist_start(admission=a.admission, template=delirium, by=users["nurse_a"])
    services.template_publish(
        version=services.template_draft_create(template=delirium, by=admin_user), by=admin_user, change_note="v2"
    )
    fall = ChecklistTemplate.objects.get(code="fall")
    draft = services.template_draft_create(template=fall, by=admin_user)
    new_template = services.template_create(code="new-one", category="fall", name_ja="新しい", by=admin_user)
    tasks.print_run.enqueue(a.print_job.pk)  # a task result row, for the admin's change page
    return World(
        a=a,
        b=b,
        users=users,
        template=fall,
        published=TemplateVersion.objects.published().get(template=fall),
        draft=draft,
        draft_item=draft.items.order_by("position").first(),
        new_template=new_template,
        older=delirium,
        risk_factor=factors["unsteady_gait"],
        pattern=ShiftPattern.objects.get(code="three-shift"),
        other_pattern=two_shifts,
        scale=Scale.objects.get(code="morse-fall-scale"),
        draft_scale=_scale_draft(admin_user),
    )


# --- what each role gets --------------------------------------------------------------------------

Kwargs = Callable[[World, WardWorld], dict]


@dataclass(frozen=True)
class Expect:
    """Status per role (in ``ROLES`` order) for a GET and, for pages that take a form, an empty POST.

    ``kwargs(world, side)`` names the objects; ``side`` is ``world.a`` in the matrix and
    ``world.b`` when a ward A nurse tries ward B's objects. ``ward_scoped``: the object belongs
    to a ward, so the other ward's nurse gets what ``nurse_b`` gets here."""

    get: tuple
    post: tuple | None = None
    kwargs: Kwargs | None = None
    ward_scoped: bool = False

    def url(self, name: str, world: World, side: WardWorld | None = None) -> str:
        return reverse(name, kwargs=self.kwargs(world, side or world.a) if self.kwargs else None)


def draft_question_pk(world, key) -> int:
    """A question's row in the draft scale's draft (each save of a draft rewrites its rows)."""
    return ScaleQuestion.objects.get(version__scale=world.draft_scale, version__status="draft", key=key).pk


def _draft_question(world, key) -> dict:
    return {"pk": world.draft_scale.pk, "question_pk": draft_question_pk(world, key)}


def _ward(world, side):
    return {"pk": side.ward.pk}


def _admission(world, side):
    return {"pk": side.admission.pk}


def _template(world, side):
    return {"pk": world.template.pk}


def _draft(world, side):
    return {"pk": world.draft.pk}


def _draft_item(world, side):
    return {"pk": world.draft_item.pk}


L = LOGIN
# Row shapes, in ROLES order: anonymous, nurse of ward A, nurse of ward B, leader of ward A,
# checklist admin, ward A member without a role. Reading a ward needs a ward role
# (view_ward_pages): the checklist admin and the member without a role get 403, then the ward decides.
WARD_PAGE = (L, 200, 404, 200, 403, 403)
WARD_FORM = (L, 200, 404, 200, 403, 403)  # needs a nurse's permission, then the ward
WARD_REDIRECT = (L, 302, 404, 302, 403, 403)  # a ward form whose post always redirects back
POST_ONLY = (L, 405, 405, 405, 405, 405)
EDITOR = (L, 403, 403, 403, 200, 403)
EDITOR_POST_ONLY = (L, 403, 403, 403, 405, 403)
EDITOR_REDIRECT = (L, 403, 403, 403, 302, 403)
EVERYONE = (200, 200, 200, 200, 200, 200)
SIGNED_IN = (L, 200, 200, 200, 200, 200)
# The quality pages: nurses and leaders see their wards, a checklist admin every ward (no names).
QUALITY_INDEX = (L, 200, 200, 200, 200, 403)
QUALITY_PAGE = (L, 200, 404, 200, 200, 403)

EXPECTATIONS: dict[str, Expect] = {
    # --- nurses' pages (checklists/views/board.py, admissions.py, recording.py)
    # To the user's ward; the editor for the admin; "ask for your role" (403) for the member without one.
    "checklists:home": Expect(get=(L, 302, 302, 302, 302, 403)),
    "checklists:ward_board": Expect(get=WARD_PAGE, kwargs=_ward, ward_scoped=True),
    "checklists:ward_handover": Expect(get=WARD_PAGE, kwargs=_ward, ward_scoped=True),
    # 受け持ち: every ward role reads it; only the shift leader saves it (an empty post: no change).
    "checklists:ward_assignments": Expect(
        get=WARD_PAGE, post=(L, 403, 404, 302, 403, 403), kwargs=_ward, ward_scoped=True
    ),
    # A nurse takes a patient (or gives the patient up) from the board, and is sent back to it.
    "checklists:care_take": Expect(get=POST_ONLY, post=WARD_REDIRECT, kwargs=_admission, ward_scoped=True),
    # The handover note for the next shift and 申し送り済み: back to the handover.
    "checklists:handover_note": Expect(get=POST_ONLY, post=WARD_REDIRECT, kwargs=_admission, ward_scoped=True),
    "checklists:handover_acknowledge": Expect(get=POST_ONLY, post=WARD_REDIRECT, kwargs=_admission, ward_scoped=True),
    "checklists:admission_create": Expect(
        get=WARD_FORM, post=WARD_FORM, kwargs=lambda w, s: {"ward_pk": s.ward.pk}, ward_scoped=True
    ),
    "checklists:admission_detail": Expect(get=WARD_PAGE, kwargs=_admission, ward_scoped=True),
    "checklists:admission_history": Expect(get=WARD_PAGE, kwargs=_admission, ward_scoped=True),
    # An empty choice is valid: it stops every checklist (or notes no factor) and redirects.
    "checklists:admission_checklists": Expect(get=WARD_FORM, post=WARD_REDIRECT, kwargs=_admission, ward_scoped=True),
    "checklists:admission_risk_factors": Expect(get=WARD_FORM, post=WARD_REDIRECT, kwargs=_admission, ward_scoped=True),
    "checklists:admission_transfer": Expect(get=WARD_FORM, post=WARD_FORM, kwargs=_admission, ward_scoped=True),
    "checklists:admission_discharge": Expect(get=WARD_FORM, post=WARD_FORM, kwargs=_admission, ward_scoped=True),
    "checklists:item_record": Expect(
        get=POST_ONLY,
        post=WARD_REDIRECT,
        kwargs=lambda w, s: {"checklist_pk": s.checklist.pk, "item_pk": s.item.pk},
        ward_scoped=True,
    ),
    "checklists:record_correct": Expect(
        get=POST_ONLY, post=WARD_REDIRECT, kwargs=lambda w, s: {"pk": s.record.pk}, ward_scoped=True
    ),
    # --- a stay's assessments (checklists/views/assessments.py): a nurse's permission, then the ward
    "checklists:assessment_create": Expect(
        get=WARD_FORM,
        post=WARD_FORM,
        kwargs=lambda w, s: {"pk": s.admission.pk, "scale_pk": w.scale.pk},
        ward_scoped=True,
    ),
    "checklists:assessment_correct": Expect(
        get=WARD_FORM, post=WARD_FORM, kwargs=lambda w, s: {"pk": s.assessment.pk}, ward_scoped=True
    ),
    "checklists:condition_change_create": Expect(get=WARD_FORM, post=WARD_FORM, kwargs=_admission, ward_scoped=True),
    "checklists:item_detail": Expect(
        get=WARD_FORM,
        post=WARD_REDIRECT,
        kwargs=lambda w, s: {"checklist_pk": s.checklist.pk, "item_pk": detail_item(s.checklist).pk},
        ward_scoped=True,
    ),
    "checklists:item_dialog": Expect(
        get=WARD_FORM, kwargs=lambda w, s: {"checklist_pk": s.checklist.pk, "item_pk": s.item.pk}, ward_scoped=True
    ),
    # an empty post shows the confirmation again, with what is wrong
    "checklists:rest_done": Expect(get=WARD_FORM, post=WARD_FORM, kwargs=_admission, ward_scoped=True),
    # --- the editor (checklists/views/editor_*.py): checklist admins only
    "checklists:template_list": Expect(get=EDITOR),
    "checklists:template_create": Expect(get=EDITOR, post=EDITOR),
    "checklists:template_import": Expect(get=EDITOR, post=EDITOR),
    "checklists:template_detail": Expect(get=EDITOR, kwargs=_template),
    "checklists:template_draft_create": Expect(get=EDITOR_POST_ONLY, post=EDITOR_REDIRECT, kwargs=_template),
    "checklists:template_triggers": Expect(get=EDITOR, post=EDITOR, kwargs=_template),
    "checklists:template_diff": Expect(get=EDITOR, kwargs=_template),
    "checklists:template_patients": Expect(get=EDITOR, post=EDITOR, kwargs=lambda w, s: {"pk": w.older.pk}),
    "checklists:template_history": Expect(get=EDITOR, kwargs=_template),
    "checklists:template_export": Expect(get=EDITOR_POST_ONLY, post=EDITOR, kwargs=_template),  # 200: the file
    "checklists:version_detail": Expect(get=EDITOR, kwargs=_draft),
    "checklists:item_add": Expect(get=EDITOR, post=EDITOR, kwargs=_draft),
    "checklists:version_publish": Expect(get=EDITOR, post=EDITOR, kwargs=_draft),
    "checklists:version_preview": Expect(get=EDITOR, kwargs=_draft),
    "checklists:item_edit": Expect(get=EDITOR, post=EDITOR, kwargs=_draft_item),
    "checklists:item_remove": Expect(get=EDITOR_POST_ONLY, post=EDITOR_REDIRECT, kwargs=_draft_item),
    "checklists:item_move": Expect(get=EDITOR_POST_ONLY, post=EDITOR_REDIRECT, kwargs=_draft_item),
    "checklists:risk_factor_list": Expect(get=EDITOR),
    "checklists:risk_factor_create": Expect(get=EDITOR, post=EDITOR),
    "checklists:risk_factor_edit": Expect(get=EDITOR, post=EDITOR, kwargs=lambda w, s: {"pk": w.risk_factor.pk}),
    "checklists:scale_list": Expect(get=EDITOR),
    "checklists:scale_import": Expect(get=EDITOR, post=EDITOR),
    "checklists:scale_detail": Expect(get=EDITOR, kwargs=lambda w, s: {"pk": w.scale.pk}),
    "checklists:scale_draft_edit": Expect(get=EDITOR, post=EDITOR, kwargs=lambda w, s: {"pk": w.draft_scale.pk}),
    "checklists:scale_publish": Expect(get=EDITOR, post=EDITOR, kwargs=lambda w, s: {"pk": w.draft_scale.pk}),
    "checklists:scale_question_add": Expect(get=EDITOR, post=EDITOR, kwargs=lambda w, s: {"pk": w.draft_scale.pk}),
    "checklists:scale_question_edit": Expect(
        get=EDITOR, post=EDITOR, kwargs=lambda w, s: _draft_question(w, "aged-70-plus")
    ),
    "checklists:scale_question_remove": Expect(
        get=EDITOR_POST_ONLY, post=EDITOR_REDIRECT, kwargs=lambda w, s: _draft_question(w, "dementia")
    ),
    "checklists:scale_question_move": Expect(
        get=EDITOR_POST_ONLY, post=EDITOR_REDIRECT, kwargs=lambda w, s: _draft_question(w, "dementia")
    ),
    "checklists:scale_bands_edit": Expect(get=EDITOR, post=EDITOR, kwargs=lambda w, s: {"pk": w.draft_scale.pk}),
    "checklists:scale_export": Expect(get=EDITOR_POST_ONLY, post=EDITOR, kwargs=lambda w, s: {"pk": w.scale.pk}),
    "checklists:ward_scale_setting": Expect(
        get=EDITOR, post=EDITOR, kwargs=lambda w, s: {"pk": w.scale.pk, "ward_pk": w.a.ward.pk}
    ),
    "checklists:shift_list": Expect(get=EDITOR),
    "checklists:shift_pattern_create": Expect(get=EDITOR, post=EDITOR),
    "checklists:shift_pattern_change": Expect(get=EDITOR, post=EDITOR, kwargs=lambda w, s: {"pk": w.pattern.pk}),
    # The editor's page of a ward's shifts: any ward, for the checklist admin (who is on none).
    "checklists:ward_shift_pattern_set": Expect(get=EDITOR, post=EDITOR, kwargs=_ward),
    # --- printing (checklists/views/printing.py)
    "checklists:admission_bedside_pdf": Expect(get=WARD_PAGE, kwargs=_admission, ward_scoped=True),
    "checklists:admission_handout_pdf": Expect(get=WARD_PAGE, kwargs=_admission, ward_scoped=True),
    "checklists:admission_downtime_pdf": Expect(get=WARD_PAGE, kwargs=_admission, ward_scoped=True),
    "checklists:admission_transcribe": Expect(get=WARD_FORM, post=WARD_FORM, kwargs=_admission, ward_scoped=True),
    "checklists:admission_examinations": Expect(get=WARD_PAGE, kwargs=_admission, ward_scoped=True),
    "checklists:examination_create": Expect(get=POST_ONLY, post=WARD_FORM, kwargs=_admission, ward_scoped=True),
    "checklists:examination_remove": Expect(
        get=POST_ONLY, post=WARD_REDIRECT, kwargs=lambda w, s: {"pk": s.examination.pk}, ward_scoped=True
    ),
    "checklists:ward_handover_pdf": Expect(get=WARD_PAGE, kwargs=_ward, ward_scoped=True),
    "checklists:ward_print": Expect(get=WARD_FORM, post=WARD_FORM, kwargs=_ward, ward_scoped=True),
    "checklists:print_job_detail": Expect(get=WARD_PAGE, kwargs=lambda w, s: {"pk": s.print_job.pk}, ward_scoped=True),
    "checklists:print_job_download": Expect(
        get=WARD_PAGE, kwargs=lambda w, s: {"pk": s.print_job.pk}, ward_scoped=True
    ),
    # --- safety events and teach-back on a stay (checklists/views/events.py)
    "checklists:safety_event_create": Expect(get=WARD_FORM, post=WARD_FORM, kwargs=_admission, ward_scoped=True),
    "checklists:safety_event_correct": Expect(
        get=WARD_FORM, post=WARD_FORM, kwargs=lambda w, s: {"pk": s.event.pk}, ward_scoped=True
    ),
    "checklists:teach_back_create": Expect(get=WARD_FORM, post=WARD_FORM, kwargs=_admission, ward_scoped=True),
    "checklists:teach_back_correct": Expect(
        get=WARD_FORM, post=WARD_FORM, kwargs=lambda w, s: {"pk": s.teach_back.pk}, ward_scoped=True
    ),
    # --- the quality pages (checklists/views/quality.py)
    "checklists:quality_index": Expect(get=QUALITY_INDEX),
    "checklists:quality_completion": Expect(get=QUALITY_PAGE, kwargs=_ward, ward_scoped=True),
    "checklists:quality_events": Expect(get=QUALITY_PAGE, kwargs=_ward, ward_scoped=True),
    "checklists:quality_teach_back": Expect(get=QUALITY_PAGE, kwargs=_ward, ward_scoped=True),
    "checklists:quality_plot_csv": Expect(get=QUALITY_PAGE, kwargs=_ward, ward_scoped=True),
    "checklists:quality_assessments": Expect(get=QUALITY_PAGE, kwargs=_ward, ward_scoped=True),
    # The 加算 evidence: hospital IDs and beds to all three; names only to the ward's users (names=1).
    "checklists:quality_evidence_csv": Expect(get=QUALITY_PAGE, kwargs=_ward, ward_scoped=True),
    "checklists:quality_evidence_pdf": Expect(get=QUALITY_PAGE, kwargs=_ward, ward_scoped=True),
    "checklists:ward_report_pdf": Expect(get=QUALITY_PAGE, kwargs=_ward, ward_scoped=True),
    # --- accounts (log in/out, own password change) and the language switch
    "login": Expect(get=EVERYONE, post=EVERYONE),  # an empty post shows the form again
    "logout": Expect(get=(405,) * 6, post=(302,) * 6),
    "password_change": Expect(get=SIGNED_IN, post=SIGNED_IN),
    "password_change_done": Expect(get=SIGNED_IN),
    "set_language": Expect(get=(302,) * 6, post=(302,) * 6),
}


# --- the admin, as a group ------------------------------------------------------------------------

STAFF_ONLY = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN)

ADMIN_SITE: dict[str, Expect] = {
    "admin:index": Expect(get=STAFF_ONLY),
    "admin:login": Expect(get=(200, 200, 200, 200, 302, 200)),  # staff are sent on to the index
    "admin:logout": Expect(get=(302, 302, 302, 302, 405, 302)),  # others go to the index (and on to its login)
    "admin:password_change": Expect(get=STAFF_ONLY),
    "admin:password_change_done": Expect(get=STAFF_ONLY),
    "admin:app_list": Expect(get=STAFF_ONLY, kwargs=lambda w, s: {"app_label": "checklists"}),
    "admin:jsi18n": Expect(get=STAFF_ONLY),
    # Without its query parameters the autocomplete refuses even staff.
    "admin:autocomplete": Expect(get=(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, ADMIN_LOGIN)),
}

# What a checklist admin may open in the admin (roles.CHECKLIST_ADMIN's view permissions);
# every registered model is in exactly one of the two sets.
ADMIN_MODELS_VISIBLE = {
    "checklists.ward",
    "checklists.riskfactor",
    "checklists.quickreason",
    "checklists.shiftdefinition",
    "checklists.shiftpattern",
    "checklists.shiftpatternversion",
    "checklists.wardshiftpattern",
    "checklists.checklisttemplate",
    "checklists.templateversion",
    "checklists.templateitem",
    "checklists.auditevent",  # only the events that name no patient (test_admin_patient_identities.py)
}
ADMIN_MODELS_HIDDEN = {
    "auth.user",
    "auth.group",
    "django_tasks_database.dbtaskresult",
    "checklists.patient",
    "checklists.admission",
    "checklists.placement",
    "checklists.patientchecklist",  # named after the patient
    "checklists.checkrecord",
    "checklists.plannedexamination",
    "checklists.printjob",
    # The scales are the editor's (its scale pages); the admin's read-only copy is for superusers.
    "checklists.scale",
    "checklists.scaleversion",
    "checklists.assessment",  # a patient's
    "checklists.safetyevent",  # a patient's
    "checklists.teachbackaudit",  # a patient's
    "checklists.itemdetail",  # a patient's
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}


def admin_model_expectations() -> dict[str, Expect]:
    """A changelist and one change page per registered model, with an object of the world. The
    other views a ModelAdmin makes (add, history, delete, a user's password) share their checks:
    the URL walk accepts them by name (``is_admin_generated``) and the matrix does not request them."""
    expectations = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        admin_row = 200 if label in ADMIN_MODELS_VISIBLE else 403
        row = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, admin_row, ADMIN_LOGIN)
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        expectations[f"{prefix}_changelist"] = Expect(get=row)
        expectations[f"{prefix}_change"] = Expect(get=row, kwargs=lambda w, s, model=model: _first_object(model))
    return expectations


def _first_object(model) -> dict:
    """A row of the model; with none (login logs), an ID that no row has: the permission
    check comes first, so a model a checklist admin may not see is still a 403."""
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return {"object_id": pk if pk is not None else 0}


def is_admin_generated(name: str) -> bool:
    """A name the admin makes for a registered model (``admin:<app>_<model>_<view>``)."""
    prefixes = [f"admin:{m._meta.app_label}_{m._meta.model_name}_" for m in admin.site._registry]
    return any(name.startswith(prefix) for prefix in prefixes)


# --- walking the URLconf ------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name", None for an unnamed pattern
    route: str  # the whole route, prefixes included
    parameters: tuple  # (name, converter class name) of every parameter along the way
    namespace: str


def _parameters(pattern) -> list:
    converters = getattr(pattern.pattern, "converters", {})
    names = list(converters) or list(getattr(pattern.pattern.regex, "groupindex", {}))
    return [(name, type(converters[name]).__name__ if name in converters else "regex") for name in names]


def url_patterns(patterns=None, prefix: str = "", namespaces: tuple = (), parameters: tuple = ()) -> list[Route]:
    """Every pattern of the project's URLconf, with its full name and its parameters."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        found = parameters + tuple(_parameters(pattern))
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            routes += url_patterns(pattern.url_patterns, route, inner, found)
        elif isinstance(pattern, URLPattern):
            name = ":".join([*namespaces, pattern.name]) if pattern.name else None
            routes.append(Route(name, route, found, ":".join(namespaces)))
    return routes


def expectations() -> dict[str, Expect]:
    """Everything the matrix requests: the app's and auth's URLs, the admin site, the models."""
    return EXPECTATIONS | ADMIN_SITE | admin_model_expectations()


def post_endpoints() -> dict[str, Expect]:
    """The URLs that take a form post, for the fuzz test."""
    return {name: expect for name, expect in EXPECTATIONS.items() if expect.post is not None}
