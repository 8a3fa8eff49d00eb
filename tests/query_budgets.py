"""The query budget: how many database queries each URL of the project runs, one row per URL of
tests/url_catalogue.py, so that a new page cannot ship without a budget and a page that starts
to run one query more (or one less) is noticed.

Each row holds up to three numbers: ``get``, a GET of the page; ``post``, a POST of valid data
(the plausible values of tests/form_posts.py) where the page takes a form; ``htmx``, the same
POST as htmx sends it, where the page answers htmx with a fragment. ``None``: the URL does not
take that request (a GET of a post-only action). The counts are what the request runs today,
pinned exactly: the queries are deterministic, so a change either way means the code changed,
and the row changes with it (test_query_budgets.py says how).

``request_every_url()`` makes the requests: one world (``url_catalogue.build_world``), each
request in a savepoint that is rolled back, as the first role of ``url_catalogue.ROLES`` that
may use the page (a superuser for the admin's pages that no role may open), with a fresh
login, so the session and the user are read as on any request. The counts include the
savepoints of the views' ``transaction.atomic`` (in the test's transaction they are
savepoints, not BEGIN/COMMIT). The walk keeps each response's headers and HTML as well, for
the checks that hold on every page (conftest's ``every_url_requested``: audit rows never
rewritten, logout on every page, the security headers).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services

from . import form_posts
from . import url_catalogue as catalogue
from .factories import PASSWORD


@dataclass(frozen=True)
class Budget:
    """Queries of a GET, of a POST of valid data and of that POST over htmx; None: not taken."""

    get: int | None = None
    post: int | None = None
    htmx: int | None = None

    def __str__(self) -> str:
        taken = [f"{kind}={count}" for kind, count in vars(self).items() if count is not None]
        return f"Budget({', '.join(taken)})"


BUDGETS: dict[str, Budget] = {
    # --- a stay's assessments: the form loads the scale version's questions, options and bands
    # (4); a save reloads the stay and the version inside its transaction, then writes the
    # assessment, its answers (one insert) and the audit row.
    "checklists:assessment_create": Budget(get=13, post=28),
    "checklists:assessment_correct": Budget(get=15, post=30),
    "checklists:condition_change_create": Budget(get=8, post=15),
    # --- the scale editor
    "checklists:scale_list": Budget(get=5),
    "checklists:scale_import": Budget(get=3, post=38),
    "checklists:scale_detail": Budget(get=10),
    "checklists:scale_draft_edit": Budget(get=8, post=51),  # + the draft read and locked to compare
    "checklists:scale_publish": Budget(get=8, post=21),
    # --- a scale's draft in forms: each save reads the draft, checks the whole scale and saves it
    # as an import does (the rows replaced: one insert per question for its answers; the audit row);
    # remove and move first find the question in the draft (its content read twice)
    "checklists:scale_question_add": Budget(get=9, post=54),
    "checklists:scale_question_edit": Budget(get=9, post=52),
    "checklists:scale_question_remove": Budget(post=49),
    "checklists:scale_question_move": Budget(post=51),
    "checklists:scale_bands_edit": Budget(get=9, post=52),
    "checklists:scale_export": Budget(post=15),
    "checklists:ward_scale_setting": Budget(get=10, post=24),
    # Every write that changes a ward's pages bumps the ward's change counter (the board's ETag,
    # services.ward_changed) in its transaction: one UPDATE per change, so each write's post
    # budget grew by the changes it makes (a discharge stops checklists: one per checklist too).
    # --- nurses' pages; the one-tap record (item_record over htmx) is the most frequent request.
    # Reading a ward needs the role's permission (view_ward_pages): a page that checked no
    # permission before loads the user's and the groups' permissions (+2, once per request).
    "checklists:home": Budget(get=4),
    "checklists:ward_board": Budget(get=24),  # + the bed history of the shift; the ward's calendar; move chains
    "checklists:ward_handover": Budget(get=18),  # + the bed history; the ward's calendar; move chains
    # admit: + the same-person check, the hospital-ID constraint in full_clean (savepoint, check,
    # release) and the first placement
    "checklists:admission_create": Budget(get=7, post=35, htmx=35),
    # + the bed history; the ward's calendar; move chains; the ward's change counter (the ETag);
    # the items' per-patient details
    "checklists:admission_detail": Budget(get=20),
    "checklists:admission_history": Budget(get=16),  # + the bed history; the ward's calendar
    "checklists:admission_checklists": Budget(get=10, post=13),
    "checklists:admission_risk_factors": Budget(get=10, post=12),
    "checklists:admission_transfer": Budget(get=9, post=21),
    "checklists:admission_discharge": Budget(get=8, post=44),  # + the last placement (not after the discharge)
    # The one tap, 8 queries of its own (tests/test_one_tap_record_queries.py) + the test's savepoint
    # pair: session, user, the checklist locked with its item and the access check (item, checklist,
    # ward, role) in one query, the ward's counter (UPDATE … RETURNING the rows token, under which
    # the ward's calendar is kept in the cache), the replay and the standing record, the record,
    # the stay's token, the audit row. Over htmx, then the row: the stay (5), its placements with
    # the wards' rows tokens (the calendars from the cache), the move chains, records, details.
    "checklists:item_record": Budget(post=10, htmx=19),
    "checklists:record_correct": Budget(post=15, htmx=24),  # + the ward's calendar; move chains; item details
    # + the bed history of the shift; the ward's calendar; move chains; the ward's change counter
    # (the ETag); the shift's care assignments
    "checklists:ward_assignments": Budget(get=9, post=17),
    "checklists:care_take": Budget(post=14),
    "checklists:handover_note": Budget(post=13),
    "checklists:handover_acknowledge": Budget(post=14),  # + the nurse's earlier 申し送り済み
    # + the bed history; the ward's calendar; move chains; the handover notes, 申し送り済み and 受け持ち
    # admit: + the same-person check, the hospital-ID constraint in full_clean (savepoint, check,
    # release) and the first placement
    # Safety events and teach-back (views/events.py); posts lock the stay, read its bed history and running checklists.
    # A fall notes recent_fall (created on the first fall, with its full_clean and audit row).
    "checklists:safety_event_create": Budget(get=9, post=37),
    "checklists:safety_event_correct": Budget(get=10, post=36),
    "checklists:teach_back_create": Budget(get=8, post=15),
    "checklists:teach_back_correct": Budget(get=9, post=18),  # + the lock, "corrected already?", a savepoint
    # The quality pages: aggregates only, the same count whatever the number of records.
    "checklists:quality_index": Budget(get=7),  # the rates only, not the events
    "checklists:quality_completion": Budget(get=12),  # + when the missed slots were counted, + items once per stay
    "checklists:quality_events": Budget(get=8),
    "checklists:quality_teach_back": Budget(get=6),
    "checklists:quality_plot_csv": Budget(get=6),
    # The 加算 view: each measure's scale default and ward settings, then one aggregate each.
    "checklists:quality_assessments": Budget(get=11),
    # The due days (2), the admissions with their status, their screens with bands, the checklists; the audit row.
    "checklists:quality_evidence_csv": Budget(get=10),
    "checklists:quality_evidence_pdf": Budget(get=10),
    # The report, each figure once: the six months' completion and event rates (which give the
    # month's), the month's heat map, critical items and events, the teach-back months; the audit row.
    "checklists:ward_report_pdf": Budget(get=16),
    # the checklist with its stay, the item, the earlier details; a save locks the stay, rereads
    # the checklist and the current detail, inserts, counts the ward's change, the audit row
    "checklists:item_detail": Budget(get=6, post=15),
    # + the ward's calendar (service, page); move chains; the slot's latest record (repeat, stale view)
    "checklists:item_dialog": Budget(get=14),  # the patient's shift (as the page, with details) + quick reasons
    # post: each item through item_record (its lock, slot, latest record, insert, audit)
    "checklists:rest_done": Budget(get=12, post=18, htmx=18),  # + the ward's calendar; move chains
    # --- the editor: checklist admins
    "checklists:template_list": Budget(get=4),
    "checklists:template_create": Budget(get=4, post=15),
    "checklists:template_import": Budget(get=3, post=19),
    "checklists:template_detail": Budget(get=6),
    "checklists:template_draft_create": Budget(post=15),
    "checklists:template_triggers": Budget(get=7, post=13),
    "checklists:template_diff": Budget(get=10),
    "checklists:template_patients": Budget(get=6, post=26),
    "checklists:template_history": Budget(get=7),
    "checklists:template_export": Budget(post=12),
    "checklists:version_detail": Budget(get=6),
    "checklists:item_add": Budget(get=8, post=24),
    "checklists:version_publish": Budget(get=9, post=21),
    "checklists:version_preview": Budget(get=10),
    "checklists:item_edit": Budget(get=7, post=24),
    "checklists:item_remove": Budget(post=16),
    "checklists:item_move": Budget(post=14),
    "checklists:risk_factor_list": Budget(get=4),
    "checklists:risk_factor_create": Budget(get=3, post=12),
    "checklists:risk_factor_edit": Budget(get=4, post=13),
    "checklists:shift_list": Budget(get=9),
    "checklists:shift_pattern_create": Budget(get=3, post=25),
    "checklists:shift_pattern_change": Budget(get=6, post=34),
    "checklists:ward_shift_pattern_set": Budget(get=8, post=14),
    # --- printing; each PDF download writes its audit row (one INSERT, no savepoint: +1)
    "checklists:admission_bedside_pdf": Budget(get=12),  # + the items' per-patient details
    "checklists:admission_handout_pdf": Budget(get=14),  # + the items' per-patient details
    "checklists:admission_downtime_pdf": Budget(get=11),
    "checklists:admission_transcribe": Budget(get=12, post=29),
    "checklists:admission_examinations": Budget(get=9),
    "checklists:examination_create": Budget(post=17, htmx=18),
    "checklists:examination_remove": Budget(post=11, htmx=17),
    "checklists:ward_handover_pdf": Budget(get=18),  # + the bed history, the calendar, move chains, as the page
    # + the bed history, the calendar, move chains, the notes, 申し送り済み and 受け持ち, as the page
    "checklists:ward_print": Budget(get=6, post=9),
    "checklists:print_job_detail": Budget(get=4),
    "checklists:print_job_download": Budget(get=5),
    # --- accounts and the language switch (login and set_language as anonymous: no session to read)
    "login": Budget(get=0, post=13),
    "logout": Budget(post=6),
    "password_change": Budget(get=2, post=12),
    "password_change_done": Budget(get=2),
    "set_language": Budget(get=0, post=1),
    # --- the Django admin's own views
    "admin:index": Budget(get=4),
    "admin:login": Budget(get=0),
    "admin:logout": Budget(get=0),
    "admin:password_change": Budget(get=3),
    "admin:password_change_done": Budget(get=3),
    "admin:app_list": Budget(get=3),
    "admin:jsi18n": Budget(get=2),
    "admin:autocomplete": Budget(get=4),
    # --- the admin's pages of each registered model: a changelist and one change page. Models a
    # checklist admin may not see are measured as a superuser (no permission queries: the patient
    # checklists, hidden from checklist admins now, are 2 fewer); django-axes keeps no failure
    # log here, so its change page is the admin's redirect for a missing row.
    "admin:auth_group_changelist": Budget(get=5),
    "admin:auth_group_change": Budget(get=6),
    "admin:auth_user_changelist": Budget(get=6),
    "admin:auth_user_change": Budget(get=8),
    "admin:django_tasks_database_dbtaskresult_changelist": Budget(get=7),
    "admin:django_tasks_database_dbtaskresult_change": Budget(get=4),
    "admin:axes_accessattempt_changelist": Budget(get=8),
    "admin:axes_accessattempt_change": Budget(get=5),
    "admin:axes_accesslog_changelist": Budget(get=8),
    "admin:axes_accesslog_change": Budget(get=4),
    "admin:axes_accessfailurelog_changelist": Budget(get=8),
    "admin:axes_accessfailurelog_change": Budget(get=3),
    "admin:checklists_ward_changelist": Budget(get=6),
    "admin:checklists_ward_change": Budget(get=11),
    "admin:checklists_riskfactor_changelist": Budget(get=6),
    "admin:checklists_riskfactor_change": Budget(get=5),
    "admin:checklists_quickreason_changelist": Budget(get=6),
    "admin:checklists_quickreason_change": Budget(get=5),
    "admin:checklists_shiftpattern_changelist": Budget(get=6),
    "admin:checklists_shiftpattern_change": Budget(get=5),
    "admin:checklists_shiftpatternversion_changelist": Budget(get=7),
    "admin:checklists_shiftpatternversion_change": Budget(get=7),
    "admin:checklists_shiftdefinition_changelist": Budget(get=7),
    "admin:checklists_shiftdefinition_change": Budget(get=7),
    "admin:checklists_wardshiftpattern_changelist": Budget(get=8),
    "admin:checklists_wardshiftpattern_change": Budget(get=8),
    "admin:checklists_checklisttemplate_changelist": Budget(get=7),
    "admin:checklists_checklisttemplate_change": Budget(get=9),
    "admin:checklists_templateversion_changelist": Budget(get=6),
    "admin:checklists_templateversion_change": Budget(get=7),
    "admin:checklists_templateitem_changelist": Budget(get=8),
    "admin:checklists_templateitem_change": Budget(get=7),
    "admin:checklists_patient_changelist": Budget(get=5),
    "admin:checklists_patient_change": Budget(get=4),
    "admin:checklists_admission_changelist": Budget(get=6),
    "admin:checklists_placement_changelist": Budget(get=6),
    "admin:checklists_placement_change": Budget(get=12),
    "admin:checklists_admission_change": Budget(get=23),  # + the bed history inline
    "admin:checklists_patientchecklist_changelist": Budget(get=6),
    "admin:checklists_patientchecklist_change": Budget(get=12),
    "admin:checklists_checkrecord_changelist": Budget(get=6),
    "admin:checklists_checkrecord_change": Budget(get=12),
    "admin:checklists_auditevent_changelist": Budget(get=7),
    "admin:checklists_auditevent_change": Budget(get=5),
    "admin:checklists_itemdetail_changelist": Budget(get=6),
    "admin:checklists_itemdetail_change": Budget(get=10),
    "admin:checklists_plannedexamination_changelist": Budget(get=5),
    "admin:checklists_plannedexamination_change": Budget(get=9),
    "admin:checklists_printjob_changelist": Budget(get=6),
    "admin:checklists_printjob_change": Budget(get=6),
    "admin:checklists_scale_changelist": Budget(get=5),
    "admin:checklists_scale_change": Budget(get=7),
    "admin:checklists_scaleversion_changelist": Budget(get=6),
    "admin:checklists_scaleversion_change": Budget(get=8),
    "admin:checklists_assessment_changelist": Budget(get=6),
    "admin:checklists_assessment_change": Budget(get=12),
    "admin:checklists_safetyevent_changelist": Budget(get=6),
    "admin:checklists_safetyevent_change": Budget(get=10),
    "admin:checklists_teachbackaudit_changelist": Budget(get=6),
    "admin:checklists_teachbackaudit_change": Budget(get=10),
}


# --- measuring ------------------------------------------------------------------------------------

KINDS = ("get", "post", "htmx")
WORKING = (200, 302)  # a page, or a redirect of the page itself (the matrix's other cells are walls)
# A URL that does its work only with a query string: the admin's autocomplete (a template's
# trigger risk factors; an item's factors are rule rows now, which the admin does not edit).
QUERY_STRINGS = {
    "admin:autocomplete": {"app_label": "checklists", "model_name": "checklisttemplate", "field_name": "triggers"}
}


@dataclass
class Request:
    """One request of the walk: what was sent by whom, what came back, every query it ran."""

    kind: str  # one of KINDS
    url: str
    role: str
    status: int
    succeeded: bool  # the page answered, or the valid post did what it is for
    queries: list[str]
    headers: dict[str, str]
    html: str  # the body of an HTML response, else ""


@dataclass
class Visit:
    """The requests made to one URL."""

    get: Request | None = None
    post: Request | None = None
    htmx: Request | None = None

    def requests(self) -> list[Request]:
        return [request for kind in KINDS if (request := getattr(self, kind)) is not None]

    def budget(self) -> Budget:
        """What the URL ran, in the table's terms."""
        return Budget(**{request.kind: len(request.queries) for request in self.requests()})


def _send(user, method: str, url: str, data=None, **headers) -> tuple:
    """The request with a fresh login, in a savepoint that is rolled back; and its queries."""
    with transaction.atomic():
        client = Client()
        if user is not None:
            client.force_login(user)
        ContentType.objects.clear_cache()  # a process-wide cache: without this, counts depend on test order
        with CaptureQueriesContext(connection) as queries:
            response = (client.get if method == "GET" else client.post)(url, data or {}, **headers)
        transaction.set_rollback(True)
    return response, [query["sql"] for query in queries.captured_queries]


def _request(kind: str, url: str, role: str, response, succeeded: bool, queries: list[str]) -> Request:
    headers = dict(response.items())
    html = response.content.decode() if headers.get("Content-Type", "").startswith("text/html") else ""
    return Request(kind, url, role, response.status_code, succeeded, queries, headers, html)


def _get(name: str, expect: catalogue.Expect, world, users: dict) -> Request | None:
    role = next((role for role, status in zip(catalogue.ROLES, expect.get, strict=True) if status in WORKING), None)
    if role is None and 405 in expect.get:
        return None  # a post-only action
    role = role or "superuser"
    url = expect.url(name, world)
    response, queries = _send(users[role], "GET", url, QUERY_STRINGS.get(name))
    return _request("get", url, role, response, response.status_code in WORKING, queries)


def _posts(name: str, world, users: dict) -> list[Request]:
    """The plausible values of every field of tests/form_posts.py, to the endpoint's own object."""
    endpoint = form_posts.ENDPOINTS[name]
    data = {key: spec.plausible[0] for key, spec in endpoint.fields(world).items()}
    url = reverse(name, kwargs=form_posts.endpoint_targets(name, endpoint, world)[0] or None)
    sent = []
    for kind in ("post", "htmx") if endpoint.htmx else ("post",):
        headers = form_posts.HTMX if kind == "htmx" else {}
        response, queries = _send(users[endpoint.role], "POST", url, form_posts.post_data(data), **headers)
        # The language switch writes nothing, so the fuzz test never counts it a success: it redirects.
        done = form_posts.succeeded(response, endpoint, kind == "htmx") or (
            not endpoint.success and response.status_code == 302
        )
        sent.append(_request(kind, url, endpoint.role, response, done, queries))
    return sent


def _login_records() -> None:
    """A successful and a failed login, so that django-axes' admin pages have a row to show."""
    client = Client()
    client.post(reverse("login"), {"username": "nurse-a", "password": PASSWORD})
    client.post(reverse("login"), {"username": "nurse-b", "password": "wrong"})


def request_every_url() -> dict[str, Visit]:
    """Every URL of the catalogue, requested as the module docstring says. It builds the world:
    call it inside a transaction that is rolled back afterwards."""
    world = catalogue.build_world()
    with transaction.atomic():  # the export (for the import's file) writes an audit row: not part of the world
        world.export = services.template_export(template=world.template, by=world.users["admin"])
        transaction.set_rollback(True)
    _login_records()
    superuser = get_user_model().objects.create_superuser("root", password=PASSWORD)
    users = world.users | {"anonymous": None, "superuser": superuser}
    visits = {}
    for name, expect in catalogue.expectations().items():
        requests = [_get(name, expect, world, users), *(_posts(name, world, users) if expect.post else [])]
        visits[name] = Visit(**{request.kind: request for request in requests if request is not None})
    return visits
