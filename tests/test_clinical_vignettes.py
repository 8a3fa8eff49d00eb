"""Clinical vignettes: patient profiles drawn from the seeds and the clinical review
(CONTENT_REVIEW.md), admitted through the real services on the shipped content.

Each vignette says which checklists must be proposed and which must not, which items must
apply to the patient and which must not, and whether the patient may be left with two items
that contradict each other. The proposals come from ``selectors.proposals_for`` (the
"which checklists" page after admission), the items from ``selectors.patient_shift`` (the
patient page and the board) in each shift of the duty date, after the proposed checklists
were started as the nurse would start them.

An expectation that needs an item rule the model does not have yet is written
``needs(<rule>, ...)``. It stays in the table as a strict xfail: the day the rule lands the
test passes, pytest reports it as a failure, and the mark has to go. REVIEW_NOTES.md in
fixtures/content says, item by item, what each rule is for.

The patients are admitted once per module inside a transaction that is rolled back (as the
bedside-sheet tests do): loading the content and admitting a hundred-odd patients takes
seconds on the shared machine, and the tests below only read the results.
"""

import itertools
import json
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from checklists import selectors, services
from checklists.models import Admission, ChecklistTemplate, RiskFactor, TemplateItem
from checklists.shifts import ShiftCalendar, slot_before, slot_of

from .conftest import tokyo
from .factories import BedFactory, NurseFactory, WardFactory

# Every test, so that pytest-django sets up the test database even when one test runs alone
# (the module fixture below would otherwise write to the development database).
pytestmark = pytest.mark.django_db

CONTENT_DIR = settings.WARDSAFE_CONTENT_DIR
DUTY_DATE = date(2026, 11, 21)
ADMITTED_AT = tokyo(2026, 11, 20, 10, 0)
DAY, EVENING, NIGHT = "day", "evening", "night"

# The item rules the model lacks today (issue 11, point 2, and the provenance of point 4).
RULES = {
    "exclusions": "does not apply if the patient has any of these factors (禁飲食, 水分制限, とろみ指示, ...)",
    "any-of": "applies if the patient has any of these factors",
    "age band": "applies by age band on the duty date (child, adult, 70 and over)",
    "shifts": "due only in some shifts (night-only items are not asked of 日勤)",
}


@dataclass(frozen=True)
class Needs:
    """An expectation that holds only once the model has ``rule``."""

    rule: str
    what: tuple[str, ...]


def needs(rule: str, *what: str) -> Needs:
    assert rule in RULES, rule
    return Needs(rule, what)


@dataclass(frozen=True)
class Vignette:
    """One patient. Items are ``template:item-key``, optionally ``@day`` / ``@evening`` /
    ``@night`` for the shift they are looked up in (``@day`` when none is given)."""

    id: str
    who: str
    source: str
    age: int
    factors: tuple[str, ...]
    proposed: tuple = ()
    not_proposed: tuple = ()
    present: tuple = ()
    absent: tuple = ()
    conflict_free: bool | Needs = True
    days_since_birthday: int = 40  # on the duty date; 0 = the birthday is the duty date

    @property
    def birth_date(self) -> date:
        return DUTY_DATE.replace(year=DUTY_DATE.year - self.age) - timedelta(days=self.days_since_birthday)


SAFETY = ("fall", "aspiration", "delirium", "dehydration")

VIGNETTES = [
    Vignette(
        "adult-oms-truncal-ataxia-restless",
        "52-year-old with suspected OMS, truncal ataxia and restlessness",
        "000 先回り運用 (安全確保の標準手順を同時に立ち上げる); review §1: demo bed 406 has no fall checklist",
        age=52,
        factors=("oms", "truncal_ataxia", "restlessness"),
        proposed=(*SAFETY, "oms-course", "explanation"),
        not_proposed=("child-care", "isaacs-care", "treatment"),
        present=(
            "fall:assess-standing-walking",
            "fall:universal-precautions",
            "fall:call-bell-within-reach",
            "aspiration:meal-posture",
            "aspiration:oral-care",
            "delirium:review-causes-together",
            "delirium:restlessness-safety",
            "delirium:record-behaviour-sleep",
            "dehydration:dehydration-signs",
            "oms-course:axis-eye-movements",
            "aspiration:long-term-plan",
            "explanation:set-treatment-expectations",
        ),
        absent=(
            "fall:child-motor-regression",
            "fall:night-sedative-watch",
            "fall:stiffness-posture",
            "fall:observe-myoclonus-tremor",
            "aspiration:observe-speech-changes",
            "aspiration:nil-by-mouth-order",
            "dehydration:sweat-wipe-fluids",
        ),
    ),
    Vignette(
        "child-oms-aged-2",
        "2-year-old with OMS: unsteady, jerking, irritable, has stopped talking",
        "002 (most often diagnosed under three; developmental regression; speech regression); review §1, §2, §4",
        age=2,
        factors=("oms", "unsteady_gait", "myoclonus", "irritability", "speech_regression"),
        proposed=(*SAFETY, "oms-course", "explanation", "child-care"),
        not_proposed=("isaacs-care", "treatment"),
        present=(
            "fall:child-motor-regression",
            "fall:observe-myoclonus-tremor",
            "child-care:family-presence",
            "child-care:developmental-regression",
            "child-care:child-regression-tell-us",
            "child-care:developmental-follow-up",
            "delirium:sleep-routine",
            "aspiration:observe-speech-changes",  # dysarthria or speech regression
        ),
        absent=(
            "fall:call-bell-within-reach",  # means nothing to a toddler
            "aspiration:long-term-plan",  # adult OMS: poor response to treatment
            "explanation:set-treatment-expectations",
        ),
    ),
    Vignette(
        "isaacs-night-clonazepam-sweating",
        "45-year-old with Isaacs syndrome: stiff, sweating heavily, clonazepam at night",
        "001 (ベンゾジアゼピン系 クロナゼパム 夜間; 発汗過多; 冷え); review §1 (night_sedative → delirium), §4",
        age=45,
        factors=("isaacs", "muscle_stiffness", "excessive_sweating", "night_sedative"),
        proposed=("fall", "delirium", "dehydration", "isaacs-care", "explanation"),
        not_proposed=("aspiration", "oms-course", "child-care", "treatment"),
        present=(
            "fall:stiffness-posture",
            "fall:toileting-routine",
            "fall:night-sedative-watch@evening",
            "fall:night-sedative-watch@night",
            "delirium:risk-drug-review",
            "delirium:adjust-night-stimulation@night",
            "dehydration:sweat-wipe-fluids",
            "dehydration:sweat-care",
            "isaacs-care:keep-warm",
            "isaacs-care:heat-pack-below-42",
            "isaacs-care:sleep-muscle-activity",
        ),
        absent=(
            "fall:child-motor-regression",
            "fall:observe-myoclonus-tremor",
            "explanation:set-treatment-expectations",
            "fall:night-sedative-watch@day",
            "delirium:adjust-night-stimulation@day",
        ),
    ),
    Vignette(
        "mmn-ivig-weakness",
        "66-year-old with MMN on IVIg, weak hands and legs",
        "004 (筋力低下や筋肉の萎縮; IVIg side effects); review §1 (no muscle-weakness factor), §2 (infusions)",
        age=66,
        factors=("mmn", "ivig", "muscle_weakness"),
        proposed=("fall", "treatment", "explanation"),
        not_proposed=("aspiration", "delirium", "dehydration", "oms-course", "isaacs-care", "child-care"),
        present=(
            "fall:assess-standing-walking",
            "fall:universal-precautions",
            "treatment:ivig-bp",
            "treatment:ivig-anaphylaxis",
            "treatment:ivig-thrombosis",
            "treatment:ivig-fluids",
            "treatment:ivig-kidney",
        ),
        absent=(
            "treatment:rituximab-infusion-reaction",
            "treatment:rituximab-infusion-vitals",
            "treatment:steroid-not-stopped",
            "treatment:immuno-labs-bp-glucose",
            "explanation:set-treatment-expectations",
            # IVIg does not suppress immunity: the infection item is for immunosuppressant,
            # rituximab or steroid, which one item can only say with "any of".
            "treatment:immuno-infection-signs",
        ),
    ),
    Vignette(
        "mmn-ivig-only",
        "68-year-old with MMN on IVIg and no other factor noted",
        "demo bed 405; review §1 (MMN on IVIg has no fall checklist)",
        age=68,
        factors=("mmn", "ivig"),
        proposed=("fall", "treatment", "explanation"),
        not_proposed=("aspiration", "delirium", "dehydration"),
        present=("fall:call-bell-within-reach", "treatment:ivig-bp"),
    ),
    Vignette(
        "elderly-dysphagia-thickened",
        "88-year-old with swallowing difficulty on thickened liquids, nothing else",
        "review §1 (age is no factor), §2 (fluids), issue 11 (OMS items for an 88-year-old)",
        age=88,
        factors=("dysphagia", "thickened_liquids"),
        proposed=("aspiration", "delirium"),  # 別紙様式7の3: 70歳以上
        not_proposed=("fall", "dehydration", "oms-course", "isaacs-care", "child-care", "explanation", "treatment"),
        present=(
            "aspiration:check-diet-texture",
            "aspiration:meal-supervision",
            "aspiration:oral-care",
            "aspiration:swallow-screen-first-intake",
            "aspiration:observe-choking-pneumonia",
        ),
        absent=(
            "aspiration:long-term-plan",
            "aspiration:observe-speech-changes",
            "aspiration:nil-by-mouth-order",
            "aspiration:vomiting-precautions",
        ),
    ),
    Vignette(
        "elderly-dysphagia-thickened-poor-intake",
        "88-year-old, dysphagic, on thickened liquids, eating and drinking little",
        "review §2: a dysphagic patient on aspiration and dehydration is told to keep thin drinks within reach",
        age=88,
        factors=("dysphagia", "thickened_liquids", "poor_intake"),
        proposed=("aspiration", "dehydration", "delirium"),
        present=(
            "dehydration:record-fluid-intake",
            "dehydration:dehydration-signs",
            "dehydration:report-poor-intake",
            "aspiration:check-diet-texture",
            "dehydration:thickened-drinks-supervised",  # the thickened variant of drinks within reach
        ),
        absent=("dehydration:drinks-within-reach",),
    ),
    Vignette(
        "nil-by-mouth-vomiting",
        "60-year-old on 禁飲食 (nil by mouth) with nausea and vomiting",
        "review §2 (禁飲食), §5 (口腔ケア)",
        age=60,
        factors=("nil_by_mouth", "nausea_vomiting"),
        proposed=("aspiration", "dehydration"),
        not_proposed=("fall", "delirium", "explanation", "treatment"),
        present=(
            "aspiration:nil-by-mouth-order",
            "aspiration:oral-care",
            "aspiration:vomiting-precautions",
            "aspiration:observe-choking-pneumonia",
            "dehydration:dehydration-signs",
            "dehydration:record-fluid-intake",
            "dehydration:report-poor-intake",
        ),
        absent=(
            "dehydration:drinks-within-reach",
            "aspiration:meal-posture",
            "aspiration:meal-supervision",
            "aspiration:check-diet-texture",
        ),
    ),
    Vignette(
        "oms-rituximab",
        "57-year-old with OMS: truncal ataxia, dysphagia, restlessness, on rituximab",
        "demo bed 406; 000 (rituximab for OMS); 004 (rituximab side effects); review §2 (infusion reactions)",
        age=57,
        factors=("oms", "truncal_ataxia", "dysphagia", "restlessness", "rituximab"),
        proposed=(*SAFETY, "treatment", "oms-course", "explanation"),
        not_proposed=("child-care", "isaacs-care"),
        present=(
            "treatment:rituximab-infusion-reaction",
            "treatment:rituximab-infusion-vitals",
            "treatment:immuno-infection-signs",
            "fall:universal-precautions",
            "fall:post-fall-observation",
            "aspiration:swallow-screen-first-intake",
        ),
        absent=(
            "treatment:ivig-bp",
            "treatment:ivig-fluids",
            "treatment:steroid-not-stopped",
            "treatment:immuno-labs-bp-glucose",
        ),
    ),
    Vignette(
        "rituximab-only",
        "40-year-old receiving rituximab, no other factor noted",
        "004 (rituximab: infusion reactions, infection, rash, blood-pressure change); review §2",
        age=40,
        factors=("rituximab",),
        proposed=("treatment",),
        not_proposed=(*SAFETY, "explanation", "oms-course", "isaacs-care", "child-care"),
        present=(
            "treatment:rituximab-infusion-reaction",
            "treatment:rituximab-infusion-vitals",
            "treatment:immuno-infection-signs",
        ),
        absent=("treatment:ivig-anaphylaxis", "treatment:steroid-not-stopped", "treatment:immuno-labs-bp-glucose"),
    ),
    Vignette(
        "steroid-pulse-insomnia",
        "50-year-old on a methylprednisolone pulse who cannot sleep",
        "001 (steroids never stopped abruptly; bone protection); review §2 (infection signs), §5 (steroid pulses)",
        age=50,
        factors=("steroid", "insomnia"),
        proposed=("treatment", "delirium"),
        not_proposed=("fall", "aspiration", "dehydration", "explanation"),
        present=(
            "treatment:steroid-not-stopped",
            "treatment:steroid-monitoring",
            "treatment:steroid-bone-protection",
            "treatment:immuno-infection-signs",
            "delirium:sleep-routine",
        ),
        absent=("treatment:ivig-bp", "treatment:rituximab-infusion-reaction", "treatment:immuno-labs-bp-glucose"),
    ),
    Vignette(
        "elderly-unsteady-confused-hypnotic",
        "85-year-old, unsteady and confused, on an immunosuppressant and a hypnotic at night",
        "demo bed 411; 001 (night-time benzodiazepines); review §1 (cognitive change → fall), §4 (night-only)",
        age=85,
        factors=("unsteady_gait", "cognitive_change", "immunosuppressant", "night_sedative"),
        proposed=("fall", "delirium", "treatment"),
        not_proposed=("aspiration", "dehydration", "explanation", "child-care"),
        present=(
            "fall:night-sedative-watch@night",
            "fall:toileting-routine",
            "delirium:orientation-senses",
            "delirium:risk-drug-review",
            "delirium:pain-assessment",
            "treatment:immuno-infection-signs",
            "treatment:immuno-labs-bp-glucose",
        ),
        absent=(
            "fall:night-sedative-watch@day",
            "delirium:adjust-night-stimulation@day",
        ),
    ),
    Vignette(
        "dizzy-vomiting-not-eating",
        "36-year-old who is dizzy, vomiting and eating little, no diagnosis yet",
        "demo bed 408; 000 (めまい・悪心・嘔吐 as entry symptoms)",
        age=36,
        factors=("dizziness", "nausea_vomiting", "poor_intake"),
        proposed=("fall", "aspiration", "dehydration"),
        not_proposed=("delirium", "oms-course", "explanation", "treatment", "child-care"),
        present=(
            "fall:screen-entry-symptoms",
            "aspiration:vomiting-precautions",
            "dehydration:drinks-within-reach",
            "dehydration:report-poor-intake",
        ),
        absent=(
            "aspiration:long-term-plan",
            "fall:observe-myoclonus-tremor",
            "fall:night-sedative-watch",
            "aspiration:nil-by-mouth-order",
            "dehydration:fluid-restriction-order",
        ),
    ),
    Vignette(
        "child-oms-aged-9-on-steroids",
        "9-year-old with OMS: floppy, behaving unlike himself, on steroids",
        "demo bed 409; 002 (hypotonia; aggression, temper tantrums); 001 (steroids)",
        age=9,
        factors=("oms", "hypotonia", "behaviour_change", "steroid"),
        proposed=(*SAFETY, "treatment", "oms-course", "explanation", "child-care"),
        present=(
            "fall:reassess-gait-hypotonia",
            "fall:child-motor-regression",
            "fall:call-bell-within-reach",  # a school child can use the call bell
            "child-care:aggression-tantrums",
            "treatment:steroid-not-stopped",
            "delirium:sleep-routine",
        ),
        absent=(
            "aspiration:long-term-plan",
            "explanation:set-treatment-expectations",
        ),
    ),
    Vignette(
        "turns-70-on-the-duty-date",
        "unsteady patient whose 70th birthday is the duty date",
        "ASSESSMENTS.md: 別紙様式7の3 risk factor 70歳以上 (age band boundary)",
        age=70,
        days_since_birthday=0,
        factors=("unsteady_gait",),
        proposed=("fall", "delirium"),
    ),
    Vignette(
        "turns-70-the-day-after",
        "unsteady patient who turns 70 the day after the duty date",
        "ASSESSMENTS.md: 70歳以上 (the other side of the boundary)",
        age=69,
        days_since_birthday=364,
        factors=("unsteady_gait",),
        proposed=("fall",),
        not_proposed=("delirium", "aspiration", "dehydration"),
    ),
    Vignette(
        "tremor-only",
        "60-year-old with a tremor, nothing else",
        "002 (Tremors and dystonia); review §4 (myoclonus or tremor, not every fall patient)",
        age=60,
        factors=("tremor",),
        proposed=("fall",),
        not_proposed=("aspiration", "delirium", "dehydration"),
        present=("fall:universal-precautions", "fall:observe-myoclonus-tremor"),
        absent=("fall:stiffness-posture", "fall:night-sedative-watch"),
    ),
    Vignette(
        "opsoclonus-only",
        "30-year-old whose eyes jump in all directions, no other sign yet",
        "000, 002 (opsoclonus); review §1 (opsoclonus is no fall factor)",
        age=30,
        factors=("opsoclonus",),
        proposed=("fall",),
        not_proposed=("aspiration", "delirium", "dehydration", "oms-course"),
        present=("fall:assess-standing-walking", "fall:minimise-bed-path"),
    ),
    Vignette(
        "restless-pulling-at-drip",
        "80-year-old, agitated, pulling at the drip",
        "review §1 (restlessness is a fall-risk item in every fall scale)",
        age=80,
        factors=("restlessness",),
        proposed=("fall", "delirium"),
        not_proposed=("aspiration", "dehydration", "treatment"),
        present=(
            "delirium:restlessness-safety",
            "delirium:orientation-senses",
            "delirium:family-delirium-information",
            "fall:universal-precautions",
            "fall:post-fall-observation",
        ),
        absent=("fall:post-fall-neuro-watch", "fall:post-fall-review"),  # no fall yet
    ),
    Vignette(
        "fell-last-night",
        "78-year-old, unsteady, who fell on the way to the toilet last night",
        "issue 15 (a fall event notes 最近の転倒); review §5 (post-fall observation: consciousness, head strike)",
        age=78,
        factors=("unsteady_gait", "recent_fall"),
        proposed=("fall", "delirium"),
        not_proposed=("aspiration", "dehydration", "treatment"),
        present=(
            "fall:post-fall-neuro-watch",
            "fall:post-fall-neuro-watch@night",
            "fall:post-fall-review",
            "fall:toileting-routine",
            "fall:universal-precautions",
        ),
    ),
    Vignette(
        "new-confusion",
        "55-year-old whose attention and orientation have worsened",
        "002 (cognitive impairment); review §1 (cognitive change → fall)",
        age=55,
        factors=("cognitive_change",),
        proposed=("fall", "delirium"),
        not_proposed=("aspiration", "dehydration"),
        present=("delirium:observe-irritability-cognition", "fall:call-bell-within-reach"),
    ),
    Vignette(
        "child-unsteady-no-diagnosis-yet",
        "4-year-old, unsteady since a viral illness, no diagnosis yet",
        "002 (parainfectious causes; children); review §1 (a child proposes the tumour-anxiety explanation items)",
        age=4,
        factors=("unsteady_gait",),
        proposed=("fall", "child-care"),
        not_proposed=("explanation", "oms-course", "aspiration", "delirium", "dehydration"),
        present=("fall:child-motor-regression", "child-care:family-presence", "child-care:developmental-regression"),
        absent=("child-care:developmental-follow-up", "fall:call-bell-within-reach"),
    ),
    Vignette(
        "mmn-ivig-fluid-restriction",
        "76-year-old with MMN on IVIg and a fluid restriction for heart failure",
        "004 (fluid intake during IVIg); review §2 (飲水制限 first)",
        age=76,
        factors=("mmn", "ivig", "fluid_restriction"),
        proposed=("fall", "treatment", "explanation", "delirium"),
        present=("treatment:ivig-bp", "treatment:ivig-anaphylaxis"),
        absent=("treatment:ivig-fluids",),
    ),
    Vignette(
        "adult-oms-on-ivig-and-steroids",
        "64-year-old with OMS: unsteady, jerking, slurred speech, sleepless, on IVIg and steroids",
        "demo bed 401; 000 (構音障害 → 食形態・姿勢・見守り; 成人POMS 長期戦); 004; 001",
        age=64,
        factors=("oms", "unsteady_gait", "myoclonus", "dysarthria", "insomnia", "steroid", "ivig"),
        proposed=(*SAFETY, "treatment", "oms-course", "explanation"),
        not_proposed=("child-care", "isaacs-care"),
        present=(
            "aspiration:observe-speech-changes",
            "aspiration:long-term-plan",
            "fall:observe-myoclonus-tremor",
            "treatment:ivig-bp",
            "treatment:steroid-monitoring",
            "treatment:immuno-infection-signs",
            "explanation:explain-why-suspected",
            "explanation:set-treatment-expectations",
            "oms-course:axis-walking",
        ),
        absent=("child-care:family-presence", "fall:child-motor-regression"),
    ),
]

# Items that contradict an order the patient has. An order is a risk factor (禁飲食, 水分制限,
# とろみ指示); the item on the left must never apply to a patient with the order on the right.
CONFLICTS = [
    (item, order, why)
    for item in ("dehydration:drinks-within-reach", "dehydration:sweat-wipe-fluids", "treatment:ivig-fluids")
    for order, why in (
        ("nil_by_mouth", "drinks offered to a patient who may not drink (禁飲食)"),
        ("fluid_restriction", "drinks pushed on a patient whose fluids are restricted (水分制限)"),
        ("thickened_liquids", "thin drinks for a patient on thickened liquids (とろみ指示)"),
    )
]


# --- running a patient through the real code ----------------------------------------------


@dataclass
class Outcome:
    factors: frozenset[str]
    proposed: frozenset[str]
    items: dict[str, frozenset[str]] = field(default_factory=dict)  # by shift code

    def applies(self, key: str) -> bool:
        item, _, shift = key.partition("@")
        return item in self.items[shift or DAY]

    def applies_in_any_shift(self, item: str) -> bool:
        return any(item in keys for keys in self.items.values())


class Ward:
    """Admits patients one bed each, starts what was proposed, reads what applies."""

    def __init__(self):
        self.ward = WardFactory(code="vignettes", name="検証病棟")
        self.nurse = NurseFactory()
        self.ward.staff.add(self.nurse)
        self.admitted = 0
        self.factors = {factor.code: factor for factor in RiskFactor.objects.all()}
        # As the "which checklists" page asks for them.
        self.templates = (
            ChecklistTemplate.objects.filter(versions__status="published").prefetch_related("triggers").distinct()
        )
        # The shifts the ward runs on the duty date (its shift pattern then).
        shifts = ShiftCalendar.for_ward(self.ward).shifts_on(DUTY_DATE)
        self.slots = {shift.code: slot_of(shift, DUTY_DATE) for shift in shifts}

    def admit(self, factor_codes, birth_date: date) -> Outcome:
        self.admitted += 1
        admission = services.patient_admit(
            hospital_id=f"V{self.admitted:04d}",
            name=f"検証 {self.admitted}",
            birth_date=birth_date,
            bed=BedFactory(ward=self.ward, code=f"v{self.admitted}"),
            risk_factors=[self.factors[code] for code in factor_codes],
            by=self.nurse,
            at=ADMITTED_AT,
        )
        admission = Admission.objects.for_shift_work().get(pk=admission.pk)
        proposals = selectors.proposals_for(admission, self.templates, DUTY_DATE)
        for proposal in proposals:
            if proposal.checked:
                services.checklist_start(
                    admission=admission,
                    template=proposal.template,
                    by=self.nurse,
                    at=ADMITTED_AT + timedelta(minutes=5),
                )
        admission = Admission.objects.for_shift_work().get(pk=admission.pk)
        outcome = Outcome(
            factors=frozenset(note.risk_factor.code for note in admission.active_risk_factor_notes),
            proposed=frozenset(p.template.code for p in proposals if p.is_proposed),
        )
        for code, slot in self.slots.items():
            shift = selectors.patient_shift(admission, slot, slot_before(slot))
            outcome.items[code] = frozenset(
                f"{checklist.template.code}:{state.item.key}"
                for checklist in shift.checklists
                for state in checklist.items
            )
        return outcome


def combinations_to_try(ward: Ward) -> set[tuple[frozenset[str], int]]:
    """For every conflicting pair, the smallest patients that could get both sides: one trigger of
    the item's template, each of the item's own "applies if" factors and the order, at a child's,
    an adult's and an old person's age. Rules today only add items as factors are added, so these patients are the
    ones most likely to show a conflict; once exclusions exist they are the ones to check."""
    items = {
        f"{item.version.template.code}:{item.key}": item
        for item in TemplateItem.objects.filter(version__status="published")
        .with_rules()
        .select_related("version__template")
    }
    tried = set()
    for key, order, _why in CONFLICTS:
        item = items[key]
        # An item that applies if any of several factors: each of them, one at a time.
        conditions = [{factor.code} for factor in item.applies_if_factors] or [set()]
        for trigger in ward.templates.get(pk=item.version.template_id).triggers.all():
            for condition in conditions:
                codes = {trigger.code, order} | condition
                for age in (2, 45, 88):
                    tried.add((frozenset(codes - set(RiskFactor.AGE_DERIVED)), age))
                    # The same patient without the order: the item must reach them (not vacuous).
                    tried.add((frozenset(codes - set(RiskFactor.AGE_DERIVED) - {order}), age))
    return tried


@pytest.fixture(scope="module")
def outcomes(django_db_setup, django_db_blocker):
    """Every vignette's outcome, and the outcome of every combination the conflict check tries."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_content", verbosity=0)
        ward = Ward()
        vignettes = {v.id: ward.admit(v.factors, v.birth_date) for v in VIGNETTES}
        combinations = {
            (codes, age): ward.admit(sorted(codes), DUTY_DATE.replace(year=DUTY_DATE.year - age) - timedelta(days=40))
            for codes, age in sorted(combinations_to_try(ward), key=lambda c: (sorted(c[0]), c[1]))
        }
        transaction.set_rollback(True)
    return {"vignettes": vignettes, "combinations": combinations}


# --- the table, as tests ---------------------------------------------------------------------


def expectations(kind: str) -> list:
    """One test per vignette for what holds today, and one strict xfail per rule it still needs."""
    params = []
    for vignette in VIGNETTES:
        expected = getattr(vignette, kind)
        today = tuple(e for e in expected if isinstance(e, str))
        if today:
            params.append(pytest.param(vignette.id, today, id=vignette.id))
        later = [e for e in expected if isinstance(e, Needs)]
        for rule, group in itertools.groupby(sorted(later, key=lambda n: n.rule), key=lambda n: n.rule):
            what = tuple(w for n in group for w in n.what)
            params.append(
                pytest.param(
                    vignette.id,
                    what,
                    id=f"{vignette.id}-needs-{rule.replace(' ', '-')}",
                    marks=pytest.mark.xfail(strict=True, reason=f"needs item rules: {RULES[rule]}"),
                )
            )
    return params


@pytest.mark.parametrize(("vignette", "templates"), expectations("proposed"))
def test_the_checklists_the_patient_needs_are_proposed(outcomes, vignette, templates):
    outcome = outcomes["vignettes"][vignette]
    assert sorted(set(templates) - outcome.proposed) == []


@pytest.mark.parametrize(("vignette", "templates"), expectations("not_proposed"))
def test_no_checklist_the_patient_does_not_need_is_proposed(outcomes, vignette, templates):
    outcome = outcomes["vignettes"][vignette]
    assert sorted(set(templates) & outcome.proposed) == []


@pytest.mark.parametrize(("vignette", "items"), expectations("present"))
def test_the_items_the_patient_needs_apply(outcomes, vignette, items):
    outcome = outcomes["vignettes"][vignette]
    assert [key for key in items if not outcome.applies(key)] == []


@pytest.mark.parametrize(("vignette", "items"), expectations("absent"))
def test_no_item_that_is_wrong_for_the_patient_applies(outcomes, vignette, items):
    outcome = outcomes["vignettes"][vignette]
    assert [key for key in items if outcome.applies(key)] == []


def conflicts_of(outcome: Outcome) -> list[tuple[str, str]]:
    return [
        (item, order)
        for item, order, _why in CONFLICTS
        if order in outcome.factors and outcome.applies_in_any_shift(item)
    ]


@pytest.mark.parametrize(
    "vignette",
    [
        pytest.param(
            v.id,
            id=v.id,
            marks=[]
            if v.conflict_free is True
            else pytest.mark.xfail(strict=True, reason=f"needs item rules: {RULES[v.conflict_free.rule]}"),
        )
        for v in VIGNETTES
    ],
)
def test_no_vignette_patient_gets_items_that_contradict_each_other(outcomes, vignette):
    assert conflicts_of(outcomes["vignettes"][vignette]) == []


@pytest.mark.parametrize(
    ("item", "order"),
    [pytest.param(item, order, id=f"{item}-vs-{order}") for item, order, _why in CONFLICTS],
)
def test_no_combination_the_content_allows_gets_an_item_against_an_order(outcomes, item, order):
    """Every combination: the smallest patients that could get the item together with the order."""
    clashes = [
        (sorted(codes), age)
        for (codes, age), outcome in outcomes["combinations"].items()
        if (item, order) in conflicts_of(outcome)
    ]
    assert clashes == []


def test_the_combinations_tried_reach_every_conflicting_item(outcomes):
    """The conflict check is not vacuous: some tried patient gets each item (one without the order)."""
    reached = {
        item
        for outcome in outcomes["combinations"].values()
        for item, _order, _ in CONFLICTS
        if outcome.applies_in_any_shift(item)
    }
    assert reached == {item for item, _order, _why in CONFLICTS}


# --- the table itself --------------------------------------------------------------------------


def shipped():
    templates, items = set(), set()
    for path in (CONTENT_DIR / "templates").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        templates.add(data["code"])
        published = [v for v in data["versions"] if v["status"] == "published"]
        items |= {f"{data['code']}:{item['key']}" for v in published for item in v["items"]}
    factors = {f["code"] for f in json.loads((CONTENT_DIR / "risk_factors.json").read_text(encoding="utf-8"))}
    return templates, items, factors


def flat(expected) -> list[str]:
    return [w for e in expected for w in ((e,) if isinstance(e, str) else e.what)]


def test_the_table_has_at_least_fifteen_patients_with_distinct_names():
    assert len(VIGNETTES) >= 15
    assert len({v.id for v in VIGNETTES}) == len(VIGNETTES)


def test_the_table_names_only_shipped_templates_items_factors_and_shifts():
    """An absent item that does not exist would pass for the wrong reason."""
    templates, items, factors = shipped()
    shifts = {
        s["code"] for p in json.loads((CONTENT_DIR / "shifts.json").read_text(encoding="utf-8")) for s in p["shifts"]
    }
    for v in VIGNETTES:
        assert set(v.factors) <= factors, v.id
        assert set(flat(v.proposed) + flat(v.not_proposed)) <= templates, v.id
        for key in flat(v.present) + flat(v.absent):
            item, _, shift = key.partition("@")
            assert item in items, f"{v.id}: {item}"
            assert not shift or shift in shifts, f"{v.id}: {key}"
    for item, order, _why in CONFLICTS:
        assert item in items and order in factors


def test_the_ages_are_counted_on_the_duty_date():
    by_id = {v.id: v for v in VIGNETTES}
    assert (by_id["turns-70-on-the-duty-date"].birth_date, by_id["turns-70-the-day-after"].birth_date) == (
        date(1956, 11, 21),
        date(1956, 11, 22),
    )
    assert by_id["child-oms-aged-2"].birth_date == date(2024, 10, 12)
