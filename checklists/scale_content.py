"""The assessment scale format (``wardsafe-scale/1``): reading and checking it.

The shipped scales in ``fixtures/assessments/``, the editor's export and import files and the
editor's draft form share this format. A document holds one scale and the content of one
version (its questions with their options, and its bands). Parsing collects every problem
before anything is written, so an import either succeeds whole or writes nothing, within the
same kind of limits as template files.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Scale

FORMAT = "wardsafe-scale/1"
MAX_QUESTIONS = 100
MAX_OPTIONS_PER_QUESTION = 30
MAX_BANDS = 10
MAX_POINTS = 1000
MAX_DAYS = 365
MAX_ERRORS_SHOWN = 50


@dataclass
class OptionSpec:
    key: str
    label_ja: str
    label_en: str = ""
    points: int = 0
    notes_factor: str | None = None


@dataclass
class QuestionSpec:
    key: str
    text_ja: str
    text_en: str = ""
    options: list[OptionSpec] = field(default_factory=list)


@dataclass
class BandSpec:
    key: str
    name_ja: str
    name_en: str = ""
    min_total: int = 0
    is_high_risk: bool = False
    notes_factor: str | None = None


@dataclass
class ScaleSpec:
    code: str
    name_ja: str
    short_name_ja: str
    name_en: str = ""
    short_name_en: str = ""
    description_ja: str = ""
    description_en: str = ""
    licence: str = Scale.Licence.INSTITUTION
    provenance_ja: str = ""
    provenance_en: str = ""
    check_against_notice: bool = False
    adults_only: bool = False
    due_within_days: int = 1
    reassess_every_days: int | None = None
    after_transfer: bool = True
    after_fall: bool = False
    after_condition_change: bool = True
    change_note: str = ""
    questions: list[QuestionSpec] = field(default_factory=list)
    bands: list[BandSpec] = field(default_factory=list)


class ScaleProblems:
    """The problems found in a document, the first ``MAX_ERRORS_SHOWN`` kept in full."""

    def __init__(self):
        self.messages: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.messages)

    def add(self, where: str, message: str):
        if len(self.messages) < MAX_ERRORS_SHOWN:
            self.messages.append(f"{where}: {message}" if where else message)

    def text(self, data: dict, key: str, where: str, *, required=False, max_length=None) -> str:
        value = data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(f"{where}.{key}", _("must be text"))
            return ""
        value = value.strip()
        if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            self.add(f"{where}.{key}", _("contains a character that cannot be stored"))
            return ""
        if required and not value:
            self.add(f"{where}.{key}", _("is required"))
        if max_length and len(value) > max_length:
            self.add(f"{where}.{key}", _("is longer than %(max)d characters") % {"max": max_length})
        return value

    def slug(self, data: dict, key: str, where: str, max_length: int) -> str:
        value = self.text(data, key, where, required=True, max_length=max_length)
        if value and slugify(value) != value:
            self.add(f"{where}.{key}", _("may contain only lower-case letters, digits and hyphens"))
        return value

    def number(self, data: dict, key: str, where: str, *, default, low=0, high=MAX_POINTS, optional=False):
        value = data.get(key, default)
        if optional and value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.add(
                f"{where}.{key}", _("must be a whole number from %(low)d to %(high)d") % {"low": low, "high": high}
            )
            return default
        return value

    def flag(self, data: dict, key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.add(f"{where}.{key}", _("must be true or false"))
            return default
        return value

    def factor(self, data: dict, key: str, where: str, factor_codes: set[str]) -> str | None:
        value = data.get(key) or None
        if value is None:
            return None
        if not isinstance(value, str) or value not in factor_codes:
            self.add(f"{where}.{key}", _("unknown risk factor %(code)r") % {"code": str(value)[:40]})
            return None
        return value

    def objects(self, data: dict, key: str, where: str, limit: int) -> list:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            self.add(f"{where}.{key}", _("must be a non-empty list"))
            return []
        if len(value) > limit:
            self.add(
                f"{where}.{key}", _("has %(count)d entries; at most %(max)d") % {"count": len(value), "max": limit}
            )
            return []
        if not all(isinstance(one, dict) for one in value):
            self.add(f"{where}.{key}", _("must be a list of objects"))
            return []
        return value

    def unique(self, keys: list[str], where: str):
        for key, count in sorted(Counter(keys).items()):
            if count > 1:
                self.add(where, _("the key %(key)r is used twice") % {"key": key})


def _option(problems: ScaleProblems, data: dict, where: str, factor_codes) -> OptionSpec:
    return OptionSpec(
        key=problems.slug(data, "key", where, 60),
        label_ja=problems.text(data, "label_ja", where, required=True, max_length=200),
        label_en=problems.text(data, "label_en", where, max_length=200),
        points=problems.number(data, "points", where, default=0),
        notes_factor=problems.factor(data, "notes_factor", where, factor_codes),
    )


def _question(problems: ScaleProblems, data: dict, where: str, factor_codes) -> QuestionSpec:
    options = problems.objects(data, "options", where, MAX_OPTIONS_PER_QUESTION)
    spec = QuestionSpec(
        key=problems.slug(data, "key", where, 60),
        text_ja=problems.text(data, "text_ja", where, required=True),
        text_en=problems.text(data, "text_en", where),
        options=[_option(problems, one, f"{where}.options[{i}]", factor_codes) for i, one in enumerate(options)],
    )
    problems.unique([o.key for o in spec.options], f"{where}.options")
    return spec


def _band(problems: ScaleProblems, data: dict, where: str, factor_codes) -> BandSpec:
    return BandSpec(
        key=problems.slug(data, "key", where, 40),
        name_ja=problems.text(data, "name_ja", where, required=True, max_length=40),
        name_en=problems.text(data, "name_en", where, max_length=40),
        min_total=problems.number(data, "min_total", where, default=0),
        is_high_risk=problems.flag(data, "high_risk", where, False),
        notes_factor=problems.factor(data, "notes_factor", where, factor_codes),
    )


def _check_bands(problems: ScaleProblems, bands: list[BandSpec]):
    problems.unique([b.key for b in bands], "bands")
    minimums = [b.min_total for b in bands]
    if bands and min(minimums) != 0:
        problems.add("bands", _("the lowest band must start at 0, so every total has a band"))
    if len(set(minimums)) != len(minimums):
        problems.add("bands", _("two bands start at the same total"))


def parse_scale(data, *, factor_codes: set[str]) -> ScaleSpec:
    """Check a scale document and return its spec, or raise ValidationError listing every problem."""
    if not isinstance(data, dict):
        raise ValidationError(_("The file must contain one JSON object (an assessment scale)."))
    problems = ScaleProblems()
    if data.get("format") != FORMAT:
        problems.add("format", _("must be %(format)r") % {"format": FORMAT})
    text = problems.text
    spec = ScaleSpec(
        code=problems.slug(data, "code", "", 40),
        name_ja=text(data, "name_ja", "", required=True, max_length=100),
        name_en=text(data, "name_en", "", max_length=100),
        short_name_ja=text(data, "short_name_ja", "", required=True, max_length=20),
        short_name_en=text(data, "short_name_en", "", max_length=20),
        description_ja=text(data, "description_ja", ""),
        description_en=text(data, "description_en", ""),
        provenance_ja=text(data, "provenance_ja", ""),
        provenance_en=text(data, "provenance_en", ""),
        check_against_notice=problems.flag(data, "check_against_notice", "", False),
        adults_only=problems.flag(data, "adults_only", "", False),
        due_within_days=problems.number(data, "due_within_days", "", default=1, low=1, high=MAX_DAYS),
        reassess_every_days=problems.number(
            data, "reassess_every_days", "", default=None, low=1, high=MAX_DAYS, optional=True
        ),
        after_transfer=problems.flag(data, "after_transfer", "", True),
        after_fall=problems.flag(data, "after_fall", "", False),
        after_condition_change=problems.flag(data, "after_condition_change", "", True),
        change_note=text(data, "change_note", ""),
    )
    licence = data.get("licence", Scale.Licence.INSTITUTION)
    if licence not in Scale.Licence.values:
        problems.add("licence", _("must be one of %(choices)s") % {"choices": ", ".join(Scale.Licence.values)})
    else:
        spec.licence = licence
    questions = problems.objects(data, "questions", "", MAX_QUESTIONS)
    spec.questions = [_question(problems, q, f"questions[{i}]", factor_codes) for i, q in enumerate(questions)]
    problems.unique([q.key for q in spec.questions], "questions")
    bands = problems.objects(data, "bands", "", MAX_BANDS)
    spec.bands = [_band(problems, b, f"bands[{i}]", factor_codes) for i, b in enumerate(bands)]
    _check_bands(problems, spec.bands)
    if problems:
        raise ValidationError(problems.messages)
    return spec
