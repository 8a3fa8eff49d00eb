"""What each form post of the project takes: who may post, each field's plausible values and
the hostile ones, the objects to post to, and what a success looks like. The endpoints are the
ones tests/url_catalogue.py says take a post (test_fuzz_posts.py checks that each has its fields).

The fuzz test (test_fuzz_posts.py) spoils these posts; the query budget (test_query_budgets.py)
sends the plausible ones, which succeed.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import BaseForm
from django.utils import timezone
from hypothesis import strategies as st

from checklists import services
from checklists.models import InjuryLevel, PatientChecklist, ScaleVersion
from checklists.shifts import ShiftCalendar

from . import url_catalogue as catalogue
from .factories import ADULT_BIRTH_DATE, PASSWORD
from .url_catalogue import World

HTMX = {"HTTP_HX_REQUEST": "true"}
MISSING = "<missing>"  # the field is left out of the post


@dataclass(frozen=True)
class Upload:
    """A file to post; the upload object is made per request (a read one is empty)."""

    content: bytes
    name: str = "template.json"


# --- hostile values ---------------------------------------------------------------------------

CONTROL = st.one_of(
    st.characters(max_codepoint=0x1F),
    st.sampled_from(["\x7f", "\x85", "\u2028", "\u202e", "\u200b", "\ufeff", "\ufffe"]),
)
JAPANESE = st.one_of(
    st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),  # kana
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # kanji
    st.characters(min_codepoint=0xFF61, max_codepoint=0xFF9F),  # half-width kana
)
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\r\n",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        '"; DROP TABLE checklists_patient; --',
        "{{ request }}",
        "%(name)s",
        "%s%s%s",
        "../../etc/passwd",
        "NaN",
        "Infinity",
        "-0",
        "1e999",
        "0x10",
        "１２３",  # full-width digits
        "٣",  # Arabic-Indic digit
        "true",
        "null",
        "[]",
        "{}",
        "2026-02-30",
        "0000-00-00",
        "9999-12-31",
        "24:00",
        "25:61",
        "山田 太郎",
        "ｱｲｳ",
        "🏥" * 3,
        "e\u0301",
    ]
)
LONG = st.builds(
    lambda piece, count: piece * count,
    st.sampled_from(["x", "あ", "\x00", "\n", "🏥", "-", "1"]),
    st.integers(min_value=101, max_value=60_000),
)
NUMBER = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 1, 2**31 - 1, 2**31, 2**32, 2**63 - 1, 2**63, 2**64, 10**30]),
)
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
    st.text(st.one_of(CONTROL, JAPANESE), max_size=30),
    NASTY,
    LONG,
    NUMBER.map(str),
    st.floats().map(str),
)
SCALAR = st.one_of(TEXT, NUMBER)
HOSTILE = st.one_of(SCALAR, st.lists(SCALAR, min_size=0, max_size=4))  # a list: several values for one name

# What broke WardSafe before: NUL (PostgreSQL refuses it), an ID beyond 64 bits (SQLite
# overflows), and nothing at all. The sweep puts each into every field in turn.
SPOILERS = ("a\x00b", "99999999999999999999", MISSING)


def ids(*objects) -> st.SearchStrategy:
    """Primary keys of real objects (this ward's, the other ward's), alone or several."""
    pks = st.sampled_from([str(obj.pk) for obj in objects] + ["0", "-1", "99999999999999999999"])
    return st.one_of(pks, st.lists(pks, min_size=1, max_size=4, unique=True))


def dates(*good) -> st.SearchStrategy:
    today = timezone.localdate()
    near = [today + timedelta(days=n) for n in (-400, -30, -2, -1, 0, 1, 30)]
    return st.sampled_from([d.isoformat() for d in (*good, *near)] + ["2026-02-30", "1900-01-01", "9999-12-31"])


@dataclass(frozen=True)
class Field:
    """Plausible values (the first is kept while the sweep spoils another field), more values
    for hypothesis to draw, and what the sweep puts in this field."""

    plausible: tuple
    more: st.SearchStrategy | None = None
    spoilers: tuple = SPOILERS

    def strategy(self) -> st.SearchStrategy:
        """Mostly plausible (so the post reaches the services), else hostile or missing."""
        valid = st.sampled_from(self.plausible)
        if self.more is not None:
            valid = valid | self.more
        return st.sampled_from("vvvvvvvhhm").flatmap(
            lambda kind: valid if kind == "v" else HOSTILE if kind == "h" else st.just(MISSING)
        )


def pick(*values) -> Field:
    return Field(tuple(values))


def text(*plausible) -> Field:
    return Field(plausible or ("ok",), TEXT)


def pks(*objects) -> Field:
    return Field((str(objects[0].pk),), ids(*objects))


def day(*good) -> Field:
    return Field((good[0].isoformat(),), dates(*good))


def flag(value: str = "1") -> Field:
    """A field whose presence matters (a button's name): left out at first."""
    return Field((MISSING, value, "", "0"), HOSTILE)


# --- import files ---------------------------------------------------------------------------------

JSON_SCALAR = st.one_of(st.none(), st.booleans(), NUMBER, st.floats(allow_nan=False, allow_infinity=False), TEXT)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
# Text no database stores (NUL, an unpaired surrogate) and numbers beyond its integers.
JSON_BAD = st.sampled_from(["\x00", "a\x00b", "\ud800", "x\udfff", 10**30, 2**31, 2**63, -1, 0, 1.5, True, None])
DOCUMENT_PATHS = [
    ("format",),
    ("code",),
    ("category",),
    ("name_ja",),
    ("name_en",),
    ("description_ja",),
    ("triggers",),
    ("triggers", 0),
    ("versions",),
    ("versions", 0),
    ("versions", 0, "number"),
    ("versions", 0, "status"),
    ("versions", 0, "change_note"),
    ("versions", 0, "items"),
    ("versions", 0, "items", 0),
    ("versions", 0, "items", 0, "key"),
    ("versions", 0, "items", 0, "text_ja"),
    ("versions", 0, "items", 0, "frequency"),
    ("versions", 0, "items", 0, "critical"),
    ("versions", 0, "items", 0, "applies_if_any"),
    ("versions", 0, "items", 0, "not_if_any"),
    ("versions", 0, "items", 0, "age_bands"),
    ("versions", 0, "items", 0, "from_age"),
    ("versions", 0, "items", 0, "due_in"),
    ("versions", 0, "items", 0, "source"),
    ("versions", 0, "items", 0, "source", "document"),
    ("versions", 0, "items", 0, "source", "passage"),
    ("versions", 0, "items", 1, "key"),
]


def _document(document: dict, code: str, changes=()) -> bytes:
    """The exported document under another code, with values replaced; ASCII JSON, so that an
    unpaired surrogate travels as an escape and reaches the parser."""
    document = json.loads(json.dumps(document))
    document["code"] = code
    for path, value in changes:
        target = document
        try:
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            pass  # an earlier change replaced the branch
    return json.dumps(document).encode()


def import_file(world: World) -> Field:
    """A good file (a new template), files that broke the import before, and random ones."""
    document = world.export
    mutated = st.builds(
        _document,
        st.just(document),
        st.sampled_from(["fresh-import", "aspiration", "fall", world.new_template.code]),
        st.lists(st.tuples(st.sampled_from(DOCUMENT_PATHS), JSON_BAD | JSON_VALUE), max_size=3),
    )
    content = st.one_of(
        st.binary(max_size=300),
        JSON_VALUE.map(lambda value: json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")),
        mutated,
        mutated,
        mutated.map(lambda data: b"\xef\xbb\xbf" + data),  # with a byte order mark
    )
    name = st.sampled_from(["template.json", "テンプレート.json", "../../x.json", "a" * 300, "\x00.json"])
    bad = [
        b"[" * 100_000,  # nesting deeper than the parser's recursion
        b"1" * 5000,  # a number of more digits than Python converts
        _document(document, "fresh-import", [(("versions", 0, "number"), 10**30)]),
        _document(document, "fresh-import", [(("name_ja",), "a\x00b")]),
        _document(document, "fresh-import", [(("versions", 0, "items", 0, "text_en"), "a\udfffb")]),
        _document(document, "aspiration", [(("versions", 0, "items", 0, "text_ja"), "a\x00b")]),
    ]
    return Field(
        (Upload(_document(document, "fresh-import")),),
        st.builds(Upload, content, name) | HOSTILE,
        spoilers=(*map(Upload, bad), *SPOILERS),
    )


# --- the endpoints --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    role: str  # who posts: one who may, so that the post reaches the form and the services
    fields: Callable[[World], dict[str, Field]] = lambda w: {}
    targets: Callable[[World], list[dict]] | None = None  # URL kwargs; default: ward A's, ward B's, junk
    success: frozenset = frozenset({302})  # the statuses of a success; a failure must write nothing
    htmx: bool = False  # has an htmx branch, whose success is a 200 fragment
    modes: tuple = ({},)  # the sweep runs once per mode: fields a button sets (a lookup, "print all")
    method: str = "post"  # "get": the fields are a query string (a GET form), and nothing may be written
    audited: bool = False  # every post is an audit row, a refused one too (the hospital-ID lookup)


def _record(w: World) -> dict:
    return {
        "status": pick("done", "not_applicable", "not_done"),
        "note": text("体位変換済み"),
        # A fresh form's token (the page renders one per form); then broken ones.
        "token": pick(str(uuid4()), "", "not-a-uuid", "00000000-0000-0000-0000-000000000000"),
        "seen": pick("", "0", "-1", "x"),
        "quick": pick("", "1", "999999", "x"),
    }


def _transcription(w: World) -> dict:
    calendar = ShiftCalendar.for_ward(w.a.ward)
    slot = calendar.shift_at()
    fields = {
        "date": day(slot.duty_date),
        "shift": pick(slot.shift.code, *calendar.codes(), "overnight"),
    }
    items = [(w.a.checklist, item) for item in w.a.checklist.version.items.order_by("position")[:2]]
    for checklist, item in [*items, (w.b.checklist, w.b.item)]:  # ward B's: not on this patient's paper
        key = f"{checklist.pk}_{item.pk}"
        fields[f"status_{key}"] = pick("done", "", "not_applicable", "not_done")
        fields[f"note_{key}"] = text("紙から転記")
    return fields


def _item(w: World) -> dict:
    return {
        "revision": pick(str(w.draft.revision), "1", "2"),
        "key": pick("", "new-item", w.draft_item.key, "Upper-Case"),
        "text_ja": text("ベッド柵を確認する"),
        "text_en": text("Check the bed rails"),
        "why_ja": text(""),
        "why_en": text(""),
        "frequency": pick("every_shift", "once", "as_needed", "daily"),
        "is_critical": pick("", "on"),
        "applies_if_any": Field((MISSING, str(w.risk_factor.pk)), ids(w.risk_factor)),
        "not_if_any": Field((MISSING,), ids(w.risk_factor)),
        "age_bands": Field((["child", "adult", "older"], ["adult"]), st.lists(st.sampled_from(["child", "x"]))),
        "from_age": Field(("", "6"), NUMBER.map(str)),
        "due_in": pick("all", "night", "day", "dusk"),
        "source": pick("institution", "seed"),
        "source_document": Field(("", "転倒転落.md", "../settings.py"), TEXT),
        "source_passage": text(""),
    }


def _risk_factor(w: World) -> dict:
    return {
        "code": pick("new-factor", w.risk_factor.code, "UPPER", "a b"),
        "group": pick("fall", "aspiration", "delirium", "condition", "x"),
        "name_ja": text("ふらつき2"),
        "name_en": text(),
        "description_ja": text(),
        "description_en": text(),
        "position": Field(("5",), NUMBER.map(str)),
        "is_active": pick("on", ""),
    }


def _shift_rows(shifts: list[tuple[str, str, str, str]], *, initial: int) -> dict:
    """The shift rows' formset (prefix ``shifts``): its management fields and a row per shift."""
    fields = {
        "shifts-TOTAL_FORMS": Field((str(len(shifts)),), NUMBER.map(str)),
        "shifts-INITIAL_FORMS": pick(str(initial), "0", "7"),
        "shifts-MIN_NUM_FORMS": pick("0"),
        "shifts-MAX_NUM_FORMS": pick("6", "1000"),
    }
    for index, (code, name, starts, ends) in enumerate(shifts):
        row = f"shifts-{index}-"
        fields |= {
            f"{row}code": pick(code, "day", "UPPER", "a b", ""),
            f"{row}name_ja": text(name),
            f"{row}name_en": text(""),
            f"{row}starts_at": pick(starts, "00:00", "23:59", "8:30", "24:00", "07:00:00"),
            f"{row}ends_at": pick(ends, starts, "25:61", "12:00"),
            f"{row}is_night": pick("", "on"),
            f"{row}DELETE": pick("", "on"),
        }
    return fields


def _effective_from() -> Field:
    tomorrow = timezone.localdate() + timedelta(days=1)
    return day(tomorrow, tomorrow + timedelta(days=7))


def _shift_pattern(w: World) -> dict:
    return {
        "code": pick("late-shifts", w.pattern.code, "UPPER", "a b"),
        "name_ja": text("遅番あり"),
        "name_en": text("With a late shift"),
    } | _shift_rows([("day", "日勤", "08:30", "17:00"), ("late", "遅番", "12:00", "21:00")], initial=0)


def _shift_pattern_change(w: World) -> dict:
    return {"effective_from": _effective_from(), "note": text("日勤を8:00開始に")} | _shift_rows(
        [("day", "日勤", "08:00", "16:45"), ("evening", "準夜", "16:30", "01:00"), ("night", "深夜", "00:30", "09:00")],
        initial=3,
    )


def _assessment(w: World) -> dict:
    """One answer per question of the Morse Fall Scale (the first: a valid low answer)."""
    fields = {
        f"q-{key}": pick(answer, "yes", "furniture", "impaired", "not-an-answer", "")
        for key, answer in catalogue.MFS_LOW.items()
    }
    return fields | {"note": text("")}


def _correction(w: World) -> dict:
    return _assessment(w) | {"note": text("転倒歴を取り違えた")}


def _scale_document(w: World, code: str) -> str:
    version = ScaleVersion.objects.with_content().get(scale=w.draft_scale, status="draft")
    document = services.scale_document(version)
    document["code"] = code
    return json.dumps(document, ensure_ascii=False)


def _scale_file(w: World) -> Field:
    good = _scale_document(w, "hospital-fall-sheet").encode()
    bad = [
        b"[" * 100_000,
        _scale_document(w, "x").replace('"points": 1', '"points": 10000000000000000000000000000').encode(),
        _scale_document(w, "y").replace("ハイリスク", "a\u0000b").encode(),
        _scale_document(w, "z").replace('"min_total": 0', '"min_total": 5').encode(),
    ]
    content = st.one_of(
        st.binary(max_size=300),
        JSON_VALUE.map(lambda value: json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    )
    return Field(
        (Upload(good, "scale.json"),), st.builds(Upload, content) | HOSTILE, spoilers=(*map(Upload, bad), *SPOILERS)
    )


def _scale_fingerprint(w: World) -> Field:
    """The draft as the page shows it, then a stale or broken one."""
    current = services.scale_fingerprint(services.scale_editable_version(w.draft_scale))
    return pick(current, "0" * 32, "")


def _scale_question(w: World) -> dict:
    return {
        "fingerprint": _scale_fingerprint(w),
        "key": pick("new-question", "aged-70-plus", "UPPER CASE", ""),
        "text_ja": text("ベンゾジアゼピン系薬剤の使用"),
        "text_en": text(""),
        "answers-TOTAL_FORMS": pick("2", "0", "31", "x"),
        "answers-INITIAL_FORMS": pick("0", "2"),
        "answers-MIN_NUM_FORMS": pick("0"),
        "answers-MAX_NUM_FORMS": pick("30"),
        "answers-0-label_ja": text("いいえ"),
        "answers-0-points": pick("0", "-1", "1001"),
        "answers-0-notes_factor": pick("", "delirium_high_risk", "no-such-factor"),
        "answers-1-label_ja": text("はい"),
        "answers-1-points": pick("1", "x"),
        "answers-1-DELETE": pick("", "on"),
    }


def _scale_bands(w: World) -> dict:
    return {
        "fingerprint": _scale_fingerprint(w),
        "bands-TOTAL_FORMS": pick("2", "0", "11"),
        "bands-INITIAL_FORMS": pick("2", "0"),
        "bands-MIN_NUM_FORMS": pick("0"),
        "bands-MAX_NUM_FORMS": pick("10"),
        "bands-0-key": pick("low", "", "a b"),
        "bands-0-name_ja": text("該当なし"),
        "bands-0-min_total": pick("0", "3", "-1"),
        "bands-1-key": pick("high", "low"),
        "bands-1-name_ja": text("ハイリスク"),
        "bands-1-min_total": pick("1", "0"),
        "bands-1-high_risk": pick("on", ""),
        "bands-1-notes_factor": pick("delirium_high_risk", ""),
    }


def _scale_setting(w: World) -> dict:
    return {
        "due_within_days": pick("1", "0", "366", "x"),
        "reassess_every_days": pick("7", "", "0"),
        "band-low": pick("0", "5", "-1"),
        "band-moderate": pick("25", "0", "99"),
        "band-high": pick("51", "25", "1000000"),
    }


def _slot_fields(w: World) -> dict:
    """The slot a handover form names (hidden fields): the current one, then broken ones."""
    slot = ShiftCalendar.for_ward(w.a.ward).shift_at()
    return {"date": day(slot.duty_date), "shift": pick(slot.shift.code, "overnight", "")}


def _event(w: World) -> dict:
    now = timezone.localtime().replace(second=0, microsecond=0)
    when = (now - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    return {
        "kind": pick("fall", "aspiration", "delirium", "burn"),
        "occurred_at": Field(
            (when,), st.sampled_from([when, "2026-02-30T10:00", "9999-12-31T23:59", "1900-01-01T00:00"])
        ),
        "place": pick("bedside", "toilet", "roof"),
        "description": text("ベッドサイドで転倒"),
        "injury_level": pks(InjuryLevel.objects.get(code="2")),
        "witness": pick("staff", "nobody", "x"),
        "immediate_actions": text("バイタル測定"),
    }


def _no_kwargs(w: World) -> list[dict]:
    return [{}]


ENDPOINTS: dict[str, Endpoint] = {
    "checklists:admission_create": Endpoint(
        "nurse_a",
        lambda w: {
            "hospital_id": pick("H900001", w.a.admission.patient.hospital_id, w.b.admission.patient.hospital_id),
            "name": text("新患 一郎"),
            "name_kana": text("シンカン イチロウ"),
            "birth_date": day(ADULT_BIRTH_DATE),
            "bed": pks(w.a.empty_bed, w.a.beds[0], w.b.empty_bed),
            "risk_factors": pks(w.risk_factor),
            "lookup": flag(),
        },
        htmx=True,
        modes=({}, {"lookup": "1"}),
        audited=True,  # each lookup is audited, whatever it answers (checklists/services/lookup.py)
    ),
    "checklists:admission_checklists": Endpoint(
        "nurse_a", lambda w: {"templates": pks(w.template, w.older, w.new_template), "reason": text("")}
    ),
    "checklists:admission_risk_factors": Endpoint("nurse_a", lambda w: {"risk_factors": pks(w.risk_factor)}),
    "checklists:admission_transfer": Endpoint(
        "nurse_a", lambda w: {"bed": pks(w.a.empty_bed, w.a.beds[0], w.b.empty_bed)}
    ),
    "checklists:admission_discharge": Endpoint("nurse_a", lambda w: {"confirm": pick("on", "", "false")}),
    "checklists:item_record": Endpoint(
        "nurse_a",
        _record,
        targets=lambda w: [
            {"checklist_pk": w.a.checklist.pk, "item_pk": w.a.item.pk},
            {"checklist_pk": w.b.checklist.pk, "item_pk": w.b.item.pk},
            {"checklist_pk": w.a.checklist.pk, "item_pk": w.draft_item.pk},  # an item of another version
            {"checklist_pk": 0, "item_pk": w.a.item.pk},
            {"checklist_pk": 10**20, "item_pk": 10**20},
        ],
        htmx=True,
    ),
    "checklists:record_correct": Endpoint("nurse_a", _record, htmx=True),
    "checklists:item_detail": Endpoint(
        "nurse_a",
        lambda w: {"text": text("歩行器使用・見守り", "")},
        targets=lambda w: [
            {"checklist_pk": w.a.checklist.pk, "item_pk": catalogue.detail_item(w.a.checklist).pk},
            {"checklist_pk": w.b.checklist.pk, "item_pk": catalogue.detail_item(w.b.checklist).pk},
            {"checklist_pk": w.a.checklist.pk, "item_pk": w.a.item.pk},  # an item that asks for no detail
            {"checklist_pk": w.a.checklist.pk, "item_pk": w.draft_item.pk},  # an item of another version
            {"checklist_pk": 0, "item_pk": 0},
        ],
    ),
    "checklists:ward_assignments": Endpoint(
        "leader",
        lambda w: {f"nurse_{w.a.admission.pk}": pick(str(w.users["nurse_a"].pk), "", str(w.users["nurse_b"].pk), "0")},
    ),
    "checklists:care_take": Endpoint("nurse_a", lambda w: {"action": pick("take", "release", "steal")}),
    "checklists:handover_note": Endpoint("nurse_a", lambda w: {"text": text("夜間トイレ歩行あり")} | _slot_fields(w)),
    "checklists:handover_acknowledge": Endpoint("nurse_a", _slot_fields),
    "checklists:safety_event_create": Endpoint("nurse_a", lambda w: _event(w)),
    "checklists:safety_event_correct": Endpoint(
        "nurse_a", lambda w: _event(w) | {"reason": text("程度を訂正"), "withdraw": flag("on")}
    ),
    "checklists:teach_back_correct": Endpoint(
        "nurse_a",
        lambda w: {
            "asked": pick("family", "patient", "nurse"),
            "names_risks": pick("on", ""),
            "names_plan": pick("", "on"),
            "sheet_current": pick("on", ""),
            "reason": text("答えを取り違えた"),
        },
    ),
    "checklists:teach_back_create": Endpoint(
        "nurse_a",
        lambda w: {
            "asked": pick("family", "patient", "nurse"),
            "names_risks": pick("on", ""),
            "names_plan": pick("on", ""),
            "sheet_current": pick("on", ""),
        },
    ),
    "checklists:rest_done": Endpoint(
        "nurse_a",
        lambda w: {
            "entry": pick(
                f"{w.a.checklist.pk}-{w.a.item.pk}-0", f"{w.b.checklist.pk}-{w.b.item.pk}-0", "1-2", "x-y-z", ""
            )
        },
        htmx=True,
    ),
    "checklists:template_create": Endpoint(
        "admin",
        lambda w: {
            "code": pick("brand-new", "fall", "UPPER", "-"),
            "category": pick("fall", "aspiration", "delirium", "x"),
            "name_ja": text("新しいチェックリスト"),
            "name_en": text(),
            "description_ja": text(),
            "description_en": text(),
            "triggers": pks(w.risk_factor),
        },
    ),
    "checklists:template_import": Endpoint("admin", lambda w: {"file": import_file(w)}, targets=lambda w: [{}]),
    "checklists:template_draft_create": Endpoint(
        "admin", targets=lambda w: [{"pk": w.older.pk}, {"pk": w.template.pk}, {"pk": 0}, {"pk": 10**20}]
    ),
    "checklists:template_triggers": Endpoint(
        "admin",
        lambda w: {
            "risk_factors": pks(w.risk_factor, *w.template.triggers.all()),
            "seen": pick(",".join(str(f.pk) for f in w.template.triggers.order_by("pk")), "", "1,x"),
        },
    ),
    "checklists:template_patients": Endpoint(
        "admin",
        lambda w: {"checklists": pks(*PatientChecklist.objects.filter(template=w.older), w.a.checklist, w.b.checklist)},
        targets=lambda w: [{"pk": w.older.pk}, {"pk": w.template.pk}, {"pk": w.new_template.pk}],
    ),
    "checklists:template_export": Endpoint(
        "admin",
        lambda w: {"scope": pick("all", "published")},
        targets=lambda w: [{"pk": w.template.pk}, {"pk": w.new_template.pk}, {"pk": 0}],
        success=frozenset({200}),
    ),
    "checklists:item_add": Endpoint(
        "admin", _item, targets=lambda w: [{"pk": w.draft.pk}, {"pk": w.published.pk}, {"pk": 10**20}]
    ),
    "checklists:version_publish": Endpoint(
        "admin",
        lambda w: {"revision": pick(str(w.draft.revision), "1"), "change_note": text("文言を修正")},
        targets=lambda w: [{"pk": w.draft.pk}, {"pk": w.published.pk}, {"pk": w.new_template.versions.get().pk}],
    ),
    "checklists:item_edit": Endpoint(
        "admin",
        _item,
        targets=lambda w: [{"pk": w.draft_item.pk}, {"pk": w.published.items.first().pk}, {"pk": 0}],
    ),
    "checklists:item_remove": Endpoint(
        "admin",
        lambda w: {"revision": pick(str(w.draft.revision), "1")},
        targets=lambda w: [{"pk": w.draft_item.pk}, {"pk": w.published.items.first().pk}, {"pk": 0}],
    ),
    "checklists:item_move": Endpoint(
        "admin",
        lambda w: {"revision": pick(str(w.draft.revision), "1"), "direction": pick("down", "up", "left")},
        targets=lambda w: [
            {"pk": w.draft_item.pk},
            {"pk": w.draft.items.order_by("position").last().pk},
            {"pk": w.published.items.first().pk},
        ],
    ),
    "checklists:risk_factor_create": Endpoint("admin", _risk_factor),
    "checklists:risk_factor_edit": Endpoint("admin", _risk_factor),
    "checklists:shift_pattern_create": Endpoint("admin", _shift_pattern),
    "checklists:shift_pattern_change": Endpoint(
        "admin", _shift_pattern_change, targets=lambda w: [{"pk": w.pattern.pk}, {"pk": 0}, {"pk": 10**20}]
    ),
    "checklists:ward_shift_pattern_set": Endpoint(
        "admin",
        lambda w: {"pattern": pks(w.other_pattern, w.pattern), "effective_from": _effective_from()},
        targets=lambda w: [{"pk": w.a.ward.pk}, {"pk": w.b.ward.pk}, {"pk": 0}, {"pk": 10**20}],
    ),
    "checklists:admission_transcribe": Endpoint("nurse_a", _transcription),
    "checklists:assessment_create": Endpoint(
        "nurse_a",
        _assessment,
        targets=lambda w: [
            {"pk": w.a.admission.pk, "scale_pk": w.scale.pk},
            {"pk": w.b.admission.pk, "scale_pk": w.scale.pk},
            {"pk": w.a.admission.pk, "scale_pk": w.draft_scale.pk},  # another scale's questions
            {"pk": w.a.admission.pk, "scale_pk": 10**20},
        ],
    ),
    "checklists:assessment_correct": Endpoint(
        "nurse_a",
        _correction,
        targets=lambda w: [{"pk": w.a.assessment.pk}, {"pk": w.b.assessment.pk}, {"pk": 0}, {"pk": 10**20}],
    ),
    "checklists:condition_change_create": Endpoint("nurse_a", lambda w: {"note": text("意識レベル低下")}),
    "checklists:scale_import": Endpoint("admin", lambda w: {"file": _scale_file(w)}, targets=_no_kwargs),
    "checklists:scale_draft_edit": Endpoint(
        "admin",
        lambda w: {
            "document": Field(
                (_scale_document(w, w.draft_scale.code), _scale_document(w, "other-code"), "{}", "[", "a\x00b"),
                TEXT,
            ),
            "fingerprint": _scale_fingerprint(w),
        },
        targets=lambda w: [{"pk": w.draft_scale.pk}, {"pk": w.scale.pk}, {"pk": 0}],
    ),
    "checklists:scale_question_add": Endpoint(
        "admin", _scale_question, targets=lambda w: [{"pk": w.draft_scale.pk}, {"pk": w.scale.pk}, {"pk": 0}]
    ),
    "checklists:scale_question_edit": Endpoint(
        "admin",
        _scale_question,
        targets=lambda w: [
            {"pk": w.draft_scale.pk, "question_pk": catalogue.draft_question_pk(w, "aged-70-plus")},
            {"pk": w.draft_scale.pk, "question_pk": 10**20},
            {"pk": 0, "question_pk": 1},
        ],
    ),
    "checklists:scale_question_remove": Endpoint(
        "admin",
        lambda w: {"fingerprint": _scale_fingerprint(w), "question_key": pick("dementia", "x", "")},
        targets=lambda w: [
            {"pk": w.draft_scale.pk, "question_pk": catalogue.draft_question_pk(w, "dementia")},
            {"pk": w.draft_scale.pk, "question_pk": 0},
        ],
    ),
    "checklists:scale_question_move": Endpoint(
        "admin",
        lambda w: {"fingerprint": _scale_fingerprint(w), "step": pick("up", "down", "sideways")},
        targets=lambda w: [
            {"pk": w.draft_scale.pk, "question_pk": catalogue.draft_question_pk(w, "dementia")},
            {"pk": 0, "question_pk": 1},
        ],
    ),
    "checklists:scale_bands_edit": Endpoint(
        "admin", _scale_bands, targets=lambda w: [{"pk": w.draft_scale.pk}, {"pk": w.scale.pk}, {"pk": 10**20}]
    ),
    "checklists:scale_publish": Endpoint(
        "admin",
        lambda w: {"change_note": text("質問の文言を修正")},
        targets=lambda w: [{"pk": w.draft_scale.pk}, {"pk": w.scale.pk}, {"pk": 10**20}],
    ),
    "checklists:scale_export": Endpoint(
        "admin", targets=lambda w: [{"pk": w.scale.pk}, {"pk": w.draft_scale.pk}, {"pk": 0}], success=frozenset({200})
    ),
    "checklists:ward_scale_setting": Endpoint(
        "admin",
        _scale_setting,
        targets=lambda w: [
            {"pk": w.scale.pk, "ward_pk": w.a.ward.pk},
            {"pk": w.draft_scale.pk, "ward_pk": w.b.ward.pk},
            {"pk": w.scale.pk, "ward_pk": 0},
        ],
    ),
    "checklists:examination_create": Endpoint(
        "nurse_a",
        lambda w: {"name": text("CT", "胃カメラ"), "planned_on": day(timezone.localdate()), "purpose": text()},
        htmx=True,
    ),
    "checklists:examination_remove": Endpoint("nurse_a", htmx=True),
    "checklists:ward_print": Endpoint(
        "nurse_a",
        lambda w: {"admissions": pks(w.a.admission, w.b.admission), "all": flag()},
        modes=({}, {"all": "1"}),
    ),
    "login": Endpoint(
        "anonymous",
        lambda w: {
            "username": pick("nurse-a", "educator", "NURSE-A", "nobody"),
            "password": pick(PASSWORD, "wrong"),
            "next": pick("/", "//evil.example/", "https://evil.example/", "javascript:alert(1)"),
        },
        targets=_no_kwargs,
    ),
    "logout": Endpoint(
        "nurse_a", lambda w: {"next": pick("/", "//evil.example/", "https://evil.example/")}, targets=_no_kwargs
    ),
    "password_change": Endpoint(
        "nurse_a",
        lambda w: {
            "old_password": pick(PASSWORD, "wrong"),
            "new_password1": pick("Another-long-pass-9", "short"),
            "new_password2": pick("Another-long-pass-9", "short"),
        },
        targets=_no_kwargs,
    ),
    "set_language": Endpoint(
        "nurse_a",
        lambda w: {
            "language": pick("en", "ja", "fr", ""),
            "next": pick("/", "/wards/1/", "//evil.example/", "https://evil.example/"),
        },
        targets=_no_kwargs,
        success=frozenset(),
    ),
}


def _period() -> dict:
    months = ("2026-06", "2026-12", "1900-01", "9999-12", "2026-13", "")
    return {"start": Field(("2026-06",), st.sampled_from(months)), "end": Field(("2026-12",), st.sampled_from(months))}


def _slot_query(w: World) -> dict:
    slot = ShiftCalendar.for_ward(w.a.ward).shift_at()
    return {"date": day(slot.duty_date), "shift": pick(slot.shift.code, "night", "overnight", "")}


# The pages that read a query string (GET forms, pagination, a preselected bed): they write nothing.
QUERIES: dict[str, Endpoint] = {
    "checklists:ward_handover": Endpoint("nurse_a", _slot_query, method="get", success=frozenset()),
    "checklists:admission_transcribe": Endpoint("nurse_a", _slot_query, method="get", success=frozenset()),
    "checklists:admission_create": Endpoint(
        "nurse_a", lambda w: {"bed": pks(w.a.empty_bed, w.b.empty_bed)}, method="get", success=frozenset()
    ),
    "checklists:template_diff": Endpoint(
        "admin",
        lambda w: {"old": pks(w.published, w.draft, w.older.versions.first()), "new": pks(w.draft, w.published)},
        method="get",
        success=frozenset(),
    ),
    "checklists:template_history": Endpoint(
        "admin", lambda w: {"page": Field(("2", "last", "0", "-1"), TEXT)}, method="get", success=frozenset()
    ),
    "checklists:quality_completion": Endpoint("nurse_a", lambda w: _period(), method="get", success=frozenset()),
    "checklists:quality_plot_csv": Endpoint(
        "nurse_a",
        lambda w: _period() | {"plot": pick("event-rates", "teach-back", "completion-heat-map", "x")},
        method="get",
        success=frozenset(),
    ),
    "checklists:quality_evidence_csv": Endpoint(
        "nurse_a",
        lambda w: _period() | {"names": pick("", "1", "x")},
        method="get",
        success=frozenset(),
        audited=True,  # every export is an audit row
    ),
    "checklists:quality_evidence_pdf": Endpoint(
        "nurse_a",
        lambda w: _period() | {"names": pick("", "1")},
        method="get",
        success=frozenset(),
        audited=True,
    ),
    "checklists:ward_report_pdf": Endpoint(
        "nurse_a",
        lambda w: {"month": pick("2026-11", "2026-13", "0000-01", ""), "names": pick("", "1")},
        method="get",
        success=frozenset(),
        audited=True,  # every PDF opened is an audit row (pdf_downloaded), whatever the month asked
    ),
    "login": Endpoint(
        "anonymous",
        lambda w: {"next": pick("/", "//evil.example/")},
        targets=_no_kwargs,
        method="get",
        success=frozenset(),
    ),
    "set_language": Endpoint(
        "nurse_a",
        lambda w: {"next": pick("/", "//evil.example/")},
        targets=_no_kwargs,
        method="get",
        success=frozenset(),
    ),
}


# --- what success looks like -----------------------------------------------------------------


def form_errors(response) -> bool:
    if response.context is None:
        return False
    for context in response.context:
        for layer in getattr(context, "dicts", [context]):
            if layer.get("error"):  # the htmx item row's message
                return True
            if any(isinstance(value, BaseForm) and value.is_bound and value.errors for value in layer.values()):
                return True
    return False


def succeeded(response, endpoint: Endpoint, htmx: bool) -> bool:
    statuses = endpoint.success | ({200} if htmx and endpoint.success else set())
    errors = [m for m in get_messages(response.wsgi_request) if m.level >= message_levels.ERROR]
    return response.status_code in statuses and not errors and not form_errors(response)


def endpoint_targets(name: str, endpoint: Endpoint, world: World) -> list[dict]:
    """The URL kwargs to post to: the endpoint's own list, or ward A's object, ward B's and junk IDs."""
    if endpoint.targets:
        return endpoint.targets(world)
    expect = catalogue.EXPECTATIONS[name]
    if expect.kwargs is None:
        return [{}]
    own, other = expect.kwargs(world, world.a), expect.kwargs(world, world.b)
    return [own, other, *(dict.fromkeys(own, junk) for junk in (0, 10**20))]


def post_data(data: dict) -> dict:
    """The data as the test client posts it: files made from ``Upload``, ``MISSING`` fields left out."""

    def value(one):
        return SimpleUploadedFile(one.name, one.content, "application/json") if isinstance(one, Upload) else one

    return {key: value(one) for key, one in data.items() if one is not MISSING}
