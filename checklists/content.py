"""The checklist content format (``wardsafe-template/3``; ``/2`` and ``/1`` are still read):
reading and checking it. Version 3 gives each item its second wording, the bedside instruction
(``instruction_ja``, ``instruction_en``), and the per-patient detail it may ask for
(``detail_prompt_ja``, ``detail_prompt_en``); a file of an older version has neither, read as
empty. Version 2 gives each item its rules (``applies_if_any``, ``not_if_any``, ``age_bands``,
``from_age``, ``due_in``) where version 1 had one ``only_if`` factor, read as ``applies_if_any``
of that one factor.

The shipped content in ``fixtures/content/`` and the template export/import files
share this format. Parsing collects every problem before anything is written, so an
import either succeeds whole or reports all its errors and writes nothing.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import ChecklistTemplate, DueIn, RiskFactor, TemplateItem, TemplateVersion
from .models.content import INSTRUCTION_MAX_LENGTH, PROMPT_MAX_LENGTH

FORMAT = "wardsafe-template/3"
FORMAT_2 = "wardsafe-template/2"
FORMAT_1 = "wardsafe-template/1"
AGE_BANDS = ("child", "adult", "older")  # Patient.AgeBand values, in the order the file lists them
MAX_AGE = 130
# Limits on a file, checked before its items are: a checklist has tens of items, not thousands,
# and the import must answer in well under a second or two (issue 13: 33k items took 46 s).
MAX_ITEMS_PER_VERSION = 500
MAX_ITEMS_PER_FILE = 2000
MAX_VERSIONS = 100
MAX_ERRORS_SHOWN = 50


class DuplicateKeyError(ValueError):
    """An object in the file names the same key twice (JSON allows it; the last would win silently)."""

    def __init__(self, key: str):
        super().__init__(f"the key {key!r} appears twice in one object")
        self.key = key


def _unique_keys(pairs: list[tuple]) -> dict:
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKeyError(key)
        seen[key] = value
    return seen


def loads(text: str):
    """``json.loads`` that refuses an object with a key twice (``DuplicateKeyError``)."""
    return json.loads(text, object_pairs_hook=_unique_keys)


@dataclass
class ItemSpec:
    key: str
    text_ja: str
    text_en: str = ""
    instruction_ja: str = ""
    instruction_en: str = ""
    detail_prompt_ja: str = ""
    detail_prompt_en: str = ""
    why_ja: str = ""
    why_en: str = ""
    frequency: str = TemplateItem.Frequency.EVERY_SHIFT
    is_critical: bool = False
    applies_if_any: list[str] = field(default_factory=list)
    not_if_any: list[str] = field(default_factory=list)
    age_bands: tuple[str, ...] = AGE_BANDS
    from_age: int | None = None
    due_in: str = DueIn.ALL
    source: str = TemplateItem.Source.SEED
    source_document: str = ""
    source_passage: str = ""


@dataclass
class VersionSpec:
    number: int
    status: str
    change_note: str = ""
    items: list[ItemSpec] = field(default_factory=list)


@dataclass
class TemplateSpec:
    code: str
    category: str
    name_ja: str
    name_en: str = ""
    description_ja: str = ""
    description_en: str = ""
    triggers: list[str] = field(default_factory=list)
    versions: list[VersionSpec] = field(default_factory=list)


class _Problems:
    """The problems found, the first ``MAX_ERRORS_SHOWN`` kept in full, the rest counted."""

    def __init__(self):
        self.messages: list[str] = []
        self.more = 0

    def __bool__(self) -> bool:
        return bool(self.messages)

    def add(self, where: str, message: str):
        if len(self.messages) < MAX_ERRORS_SHOWN:
            self.messages.append(f"{where}: {message}" if where else message)
        else:
            self.more += 1

    def error(self) -> ValidationError:
        more = [_("… and %(count)d more problems.") % {"count": self.more}] if self.more else []
        return ValidationError(self.messages + more)

    def text(self, data: dict, key: str, where: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(f"{where}.{key}", _("must be text"))
            return ""
        value = value.strip()
        if required and not value:
            self.add(f"{where}.{key}", _("is required"))
        if max_length and len(value) > max_length:
            self.add(f"{where}.{key}", _("is longer than %(max)d characters") % {"max": max_length})
        return value

    def choice(self, data: dict, key: str, where: str, choices, default=None) -> str:
        value = data.get(key, default)
        if value not in choices.values:
            self.add(
                f"{where}.{key}",
                _("%(value)r is not one of %(choices)s") % {"value": value, "choices": ", ".join(choices.values)},
            )
        return value


def _factor_list(problems: _Problems, data: dict, key: str, where: str, factor_codes: set[str]) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        problems.add(f"{where}.{key}", _("must be a list of risk factor codes"))
        return []
    for code in value:
        if code not in factor_codes:
            problems.add(f"{where}.{key}", _("unknown risk factor %(code)r") % {"code": code})
    return list(dict.fromkeys(code for code in value if code in factor_codes))


def _parse_rules(problems: _Problems, data: dict, where: str, factor_codes, spec: ItemSpec, *, version_1: bool):
    """An item's rules: who it applies to (factors, age) and in which shifts."""
    if version_1:
        only_if = data.get("only_if") or None
        if only_if is not None and not isinstance(only_if, str):
            problems.add(f"{where}.only_if", _("must be a risk factor code"))
        elif only_if is not None and only_if not in factor_codes:
            problems.add(f"{where}.only_if", _("unknown risk factor %(code)r") % {"code": only_if})
        elif only_if is not None:
            spec.applies_if_any = [only_if]
    elif "only_if" in data:
        problems.add(f"{where}.only_if", _("is a version 1 key: use applies_if_any"))
    if not version_1 or "applies_if_any" in data:
        spec.applies_if_any = spec.applies_if_any or _factor_list(problems, data, "applies_if_any", where, factor_codes)
    spec.not_if_any = _factor_list(problems, data, "not_if_any", where, factor_codes)
    both = set(spec.applies_if_any) & set(spec.not_if_any)
    if both:
        problems.add(
            f"{where}.not_if_any",
            _("%(codes)s cannot be in both applies_if_any and not_if_any") % {"codes": ", ".join(sorted(both))},
        )
    bands = data.get("age_bands", list(AGE_BANDS))
    if not isinstance(bands, list) or not bands or not all(band in AGE_BANDS for band in bands):
        problems.add(f"{where}.age_bands", _("must be a non-empty list of %(bands)s") % {"bands": ", ".join(AGE_BANDS)})
    else:
        spec.age_bands = tuple(band for band in AGE_BANDS if band in bands)
    from_age = data.get("from_age")
    if from_age is not None and (
        not isinstance(from_age, int) or isinstance(from_age, bool) or not 0 <= from_age <= MAX_AGE
    ):
        problems.add(f"{where}.from_age", _("must be a whole number of years from 0 to %(max)d") % {"max": MAX_AGE})
    elif from_age is not None:
        spec.from_age = from_age


def _parse_item(problems: _Problems, data, where: str, factor_codes: set[str], *, version_1=False) -> ItemSpec | None:
    if not isinstance(data, dict):
        problems.add(where, _("must be an object"))
        return None
    key = problems.text(data, "key", where, required=True, max_length=60)
    if key and slugify(key) != key:
        problems.add(f"{where}.key", _("may contain only lower-case letters, digits and hyphens"))
    critical = data.get("critical", False)
    if not isinstance(critical, bool):
        problems.add(f"{where}.critical", _("must be true or false"))
    source = data.get("source")
    spec = ItemSpec(
        key=key,
        text_ja=problems.text(data, "text_ja", where, required=True),
        text_en=problems.text(data, "text_en", where),
        instruction_ja=problems.text(data, "instruction_ja", where, max_length=INSTRUCTION_MAX_LENGTH),
        instruction_en=problems.text(data, "instruction_en", where, max_length=INSTRUCTION_MAX_LENGTH),
        detail_prompt_ja=problems.text(data, "detail_prompt_ja", where, max_length=PROMPT_MAX_LENGTH),
        detail_prompt_en=problems.text(data, "detail_prompt_en", where, max_length=PROMPT_MAX_LENGTH),
        why_ja=problems.text(data, "why_ja", where),
        why_en=problems.text(data, "why_en", where),
        frequency=problems.choice(data, "frequency", where, TemplateItem.Frequency, TemplateItem.Frequency.EVERY_SHIFT),
        is_critical=critical is True,
        due_in=problems.choice(data, "due_in", where, DueIn, DueIn.ALL),
    )
    _parse_rules(problems, data, where, factor_codes, spec, version_1=version_1)
    if isinstance(source, dict) and source.get("institution") is True and "risk" in source:
        risk = source["risk"] if isinstance(source["risk"], dict) else {}
        if not isinstance(source["risk"], dict):
            problems.add(f"{where}.source.risk", _('must be {"document": …, "passage": …}'))
        spec.source = TemplateItem.Source.RISK
        spec.source_document = problems.text(risk, "document", f"{where}.source.risk", required=True, max_length=200)
        spec.source_passage = problems.text(risk, "passage", f"{where}.source.risk", required=True)
    elif isinstance(source, dict) and source.get("institution") is True:
        spec.source = TemplateItem.Source.INSTITUTION
    elif isinstance(source, dict):
        spec.source_document = problems.text(source, "document", f"{where}.source", required=True, max_length=200)
        spec.source_passage = problems.text(source, "passage", f"{where}.source", required=True)
    else:
        problems.add(
            f"{where}.source",
            _('must be {"document": …, "passage": …} or {"institution": true}'),
        )
    return spec


def _parse_version(
    problems: _Problems, data, where: str, factor_codes: set[str], *, version_1=False
) -> VersionSpec | None:
    if not isinstance(data, dict):
        problems.add(where, _("must be an object"))
        return None
    number = data.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        problems.add(f"{where}.number", _("must be a whole number of 1 or more"))
    items_data = data.get("items")
    if not isinstance(items_data, list):
        problems.add(f"{where}.items", _("must be a list"))
        items_data = []
    if len(items_data) > MAX_ITEMS_PER_VERSION:
        problems.add(
            f"{where}.items",
            _("has %(count)d items; a version may have at most %(max)d")
            % {"count": len(items_data), "max": MAX_ITEMS_PER_VERSION},
        )
        items_data = []  # not checked one by one: the file is refused anyway
    items = [
        _parse_item(problems, item, f"{where}.items[{i}]", factor_codes, version_1=version_1)
        for i, item in enumerate(items_data)
    ]
    items = [item for item in items if item is not None]
    counts = Counter(item.key for item in items)
    for key in sorted(key for key, count in counts.items() if count > 1):
        problems.add(f"{where}.items", _("item key %(key)r is used twice") % {"key": key})
    status = problems.choice(data, "status", where, TemplateVersion.Status, TemplateVersion.Status.DRAFT)
    if status != TemplateVersion.Status.DRAFT and not items:
        problems.add(where, _("a published or superseded version needs at least one item"))
    note = data.get("change_note") or data.get("change_note_ja") or data.get("change_note_en") or ""
    return VersionSpec(
        number=number if isinstance(number, int) else 0, status=status, change_note=str(note), items=items
    )


def _check_size(versions: list) -> None:
    """Refuse a file with too many versions or items before any item is looked at."""
    if len(versions) > MAX_VERSIONS:
        raise ValidationError(
            _("The file has %(count)d versions; a template file may have at most %(max)d.")
            % {"count": len(versions), "max": MAX_VERSIONS}
        )
    total = sum(len(v["items"]) for v in versions if isinstance(v, dict) and isinstance(v.get("items"), list))
    if total > MAX_ITEMS_PER_FILE:
        raise ValidationError(
            _("The file has %(count)d items; a template file may have at most %(max)d (%(per)d per version).")
            % {"count": total, "max": MAX_ITEMS_PER_FILE, "per": MAX_ITEMS_PER_VERSION}
        )


def parse_template(data, *, factor_codes: set[str] | None = None) -> TemplateSpec:
    """Check a template document and return its spec, or raise ValidationError listing every problem."""
    if factor_codes is None:
        factor_codes = set(RiskFactor.objects.values_list("code", flat=True))
    problems = _Problems()
    if not isinstance(data, dict):
        raise ValidationError(_("The file must contain one JSON object (a checklist template)."))
    if data.get("format") not in (FORMAT, FORMAT_2, FORMAT_1):
        problems.add("format", _("must be %(format)r") % {"format": FORMAT})
    version_1 = data.get("format") == FORMAT_1
    code = problems.text(data, "code", "", required=True, max_length=40)
    if code and slugify(code) != code:
        problems.add("code", _("may contain only lower-case letters, digits and hyphens"))
    spec = TemplateSpec(
        code=code,
        category=problems.choice(data, "category", "", ChecklistTemplate.Category),
        name_ja=problems.text(data, "name_ja", "", required=True, max_length=100),
        name_en=problems.text(data, "name_en", "", max_length=100),
        description_ja=problems.text(data, "description_ja", ""),
        description_en=problems.text(data, "description_en", ""),
    )
    triggers = data.get("triggers", [])
    if not isinstance(triggers, list):
        problems.add("triggers", _("must be a list of risk factor codes"))
        triggers = []
    for trigger in triggers:
        if not isinstance(trigger, str):
            problems.add("triggers", _("must be a list of risk factor codes"))
        elif trigger not in factor_codes:
            problems.add("triggers", _("unknown risk factor %(code)r") % {"code": trigger})
    spec.triggers = [t for t in triggers if isinstance(t, str) and t in factor_codes]
    versions = data.get("versions")
    if not isinstance(versions, list) or not versions:
        problems.add("versions", _("must be a non-empty list"))
        versions = []
    _check_size(versions)
    spec.versions = [
        v
        for i, version in enumerate(versions)
        if (v := _parse_version(problems, version, f"versions[{i}]", factor_codes, version_1=version_1))
    ]
    numbers = [v.number for v in spec.versions]
    if len(set(numbers)) != len(numbers):
        problems.add("versions", _("version numbers must be unique"))
    for status in (TemplateVersion.Status.PUBLISHED, TemplateVersion.Status.DRAFT):
        if sum(v.status == status for v in spec.versions) > 1:
            problems.add("versions", _("at most one version may be %(status)s") % {"status": status})
    if problems:
        raise problems.error()
    spec.versions.sort(key=lambda v: v.number)
    return spec


def read_json(path: Path):
    try:
        return loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValidationError(
            _("%(file)s could not be read as JSON: %(error)s") % {"file": Path(path).name, "error": error}
        ) from error


def parse_time(value: str, where: str) -> time:
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            _("%(where)s: %(value)r is not a time (HH:MM)") % {"where": where, "value": value}
        ) from error
