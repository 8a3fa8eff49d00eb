"""Wording for patients and families, printed on the handout (患者・ご家族向け): what the family
can do in each area, and when to call us.

This is clinical wording addressed to patients and families, so the institution must review it
before it is used; each line restates an item of the shipped checklist content, named in the
comment beside it (the Japanese text is in locale/ja/LC_MESSAGES/django.po). It lives here,
apart from the code that gathers and prints the handout, so that it has one home: a later issue
may make it editable content, governed like the checklists.
"""

from django.utils.translation import gettext_lazy as _

from ..models import ChecklistTemplate

Category = ChecklistTemplate.Category

OFFER_DRINKS = _("Keep a drink within reach and offer sips often, as the ward advises.")
SIT_UPRIGHT_TO_EAT = _("Help the patient sit upright to eat and drink.")
NIL_BY_MOUTH = _("The patient must not eat or drink for now: please give nothing by mouth, not even water.")
# Lines printed only when the patient gets the item they restate, so that the family wording
# follows the item rules for the patient: a family must not be told to offer drinks to a patient
# on 禁飲食, a fluid restriction or thickened liquids, nor to sit a 禁飲食 patient up to eat and
# drink; the nil-by-mouth line is printed only for a patient on 禁飲食.
ONLY_WITH_ITEM = {
    id(OFFER_DRINKS): "drinks-within-reach",
    id(SIT_UPRIGHT_TO_EAT): "meal-posture",
    id(NIL_BY_MOUTH): "nil-by-mouth-order",
}

# What the family can do, by area. Plain words for patients and families; each line restates
# an item of the shipped content (the checklist item it comes from is named in the comment).
FAMILY_ACTIONS = {
    Category.FALL: [
        # fall/call-bell-within-reach, fall/night-sedative-watch
        _("Before getting out of bed or walking, press the nurse call and wait for us."),
        # fall/minimise-bed-path
        _("Keep the floor around the bed clear of bags, shoes and cables."),
        # fall/reassess-gait-hypotonia
        _("Tell us if standing or walking seems harder than before."),
    ],
    Category.ASPIRATION: [
        # aspiration/nil-by-mouth-order (printed only when that item applies: ONLY_WITH_ITEM)
        NIL_BY_MOUTH,
        # aspiration/check-diet-texture
        _("Ask a nurse before giving any food or drink, including snacks from home."),
        # aspiration/meal-posture (printed only when that item applies: ONLY_WITH_ITEM)
        SIT_UPRIGHT_TO_EAT,
        # aspiration/observe-choking-pneumonia
        _("Tell us if there is coughing or choking, or the voice sounds wet, after eating or drinking."),
    ],
    Category.DELIRIUM: [
        # delirium/record-behaviour-sleep, explanation/explain-safety-measures
        _("Tell us about changes in behaviour, mood or sleep. You know the patient best."),
        # delirium/adjust-night-stimulation
        _("Keep evenings calm and quiet, and help keep a regular bedtime."),
        # delirium/stress-relief
        _("Talk calmly and listen. A familiar voice helps."),
    ],
    Category.DEHYDRATION: [
        # dehydration/drinks-within-reach (printed only when that item applies: ONLY_WITH_ITEM)
        OFFER_DRINKS,
        # dehydration/record-fluid-intake
        _("Tell us how much the patient drinks and eats."),
    ],
    Category.TREATMENT: [
        # explanation/explain-report-side-effects
        _("Tell us at once about headache, fever, rash, breathlessness or a swollen leg."),
        # treatment/steroid-not-stopped
        _("Do not stop or change any medicine without the doctor."),
    ],
    Category.CONDITION: [
        # oms-course/axis-*, explanation/child-regression-tell-us
        _("Tell us about any change you notice: eyes, walking, sleep, behaviour, speech or eating."),
        # isaacs-care/keep-warm, delirium/sleep-routine
        _("Help with the daily care the ward suggests, such as keeping warm and resting well."),
    ],
}

# When to call us, by area: the last line of each area on the handout.
CALL_WHEN = {
    Category.FALL: _("Call us before getting up, and after any fall or near fall."),
    Category.ASPIRATION: _("Call us if there is choking, fever, or the breathing changes."),
    Category.DELIRIUM: _("Call us if the patient is restless or confused, or pulls at a drip or tube."),
    Category.DEHYDRATION: _("Call us if the patient drinks or eats little, vomits, or passes little urine."),
    Category.TREATMENT: _("Call us at once for breathlessness, a rash or feeling faint during or after a drip."),
    Category.CONDITION: _("Call us if a symptom comes back or gets worse."),
}
