"""Templates in and out of WardSafe as ``wardsafe-template/3`` documents (``content.FORMAT``;
files of versions 2 and 1 are still imported).

Export writes one template with its versions (or only the published one). An uploaded file
(``template_import_document``) is taken whole or not at all and always lands in a draft: a new
code becomes a new template whose only version is a draft, a known code gets a new draft; the
items are those of the file's published (or else newest) version, and a "published" status in
the file is ignored (publishing goes through the editor's review, with a change note and the
provenance check). ``template_import`` keeps every version of a spec, statuses included: it is
for the shipped content (``manage.py load_content``), not for uploads. Checking the document's
shape is ``content.parse_template``'s job; here the checked spec becomes rows, with their audit
rows, in a number of queries that does not grow with the items."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..content import AGE_BANDS, FORMAT, TemplateSpec, parse_template
from ..diff import compare
from ..models import AuditEvent, ChecklistTemplate, ItemFactorRule, RiskFactor, TemplateItem, TemplateVersion
from .audit import audit_event_write
from .editor import template_publish, template_triggers_set


def _items_create(version: TemplateVersion, item_specs, factors: dict[str, RiskFactor]) -> None:
    """The items of an imported version, in the file's order."""
    items, rules = [], []
    for position, item_spec in enumerate(item_specs, start=1):
        item = TemplateItem(
            version=version,
            position=position,
            key=item_spec.key,
            text_ja=item_spec.text_ja,
            text_en=item_spec.text_en,
            instruction_ja=item_spec.instruction_ja,
            instruction_en=item_spec.instruction_en,
            detail_prompt_ja=item_spec.detail_prompt_ja,
            detail_prompt_en=item_spec.detail_prompt_en,
            why_ja=item_spec.why_ja,
            why_en=item_spec.why_en,
            frequency=item_spec.frequency,
            is_critical=item_spec.is_critical,
            for_children="child" in item_spec.age_bands,
            for_adults="adult" in item_spec.age_bands,
            for_older="older" in item_spec.age_bands,
            from_age=item_spec.from_age,
            due_in=item_spec.due_in,
            source=item_spec.source,
            source_document=item_spec.source_document,
            source_passage=item_spec.source_passage,
        )
        # The fields' own checks (lengths, choices), without a query per item: the constraints
        # (unique keys, provenance) are checked by content.parse_template for the whole list,
        # the factor is one of ``factors``, and the database holds all of them.
        item.clean_fields(exclude=["version"])
        items.append(item)
        rules += [(item, ItemFactorRule.Kind.APPLIES_IF, code) for code in item_spec.applies_if_any]
        rules += [(item, ItemFactorRule.Kind.UNLESS, code) for code in item_spec.not_if_any]
    TemplateItem.objects.bulk_create(items)
    ItemFactorRule.objects.bulk_create(
        ItemFactorRule(item=item, kind=kind, risk_factor=factors[code]) for item, kind, code in rules
    )


def _template_create(spec: TemplateSpec, factors: dict[str, RiskFactor]) -> ChecklistTemplate:
    if ChecklistTemplate.objects.filter(code=spec.code).exists():
        raise ValidationError(_("A template with the code %(code)s already exists.") % {"code": spec.code})
    template = ChecklistTemplate(
        code=spec.code,
        category=spec.category,
        name_ja=spec.name_ja,
        name_en=spec.name_en,
        description_ja=spec.description_ja,
        description_en=spec.description_en,
        position=ChecklistTemplate.objects.count() + 1,
    )
    template.full_clean()
    template.save()
    template.triggers.set([factors[code] for code in spec.triggers])
    return template


@transaction.atomic
def template_import(*, spec: TemplateSpec, by, at=None) -> ChecklistTemplate:
    """Create a template with all its versions, statuses included, from a checked spec
    (content.parse_template): the shipped content. Uploads go through ``template_import_document``."""
    at = at or timezone.now()
    factors = {f.code: f for f in RiskFactor.objects.all()}
    template = _template_create(spec, factors)
    for version_spec in spec.versions:
        published = version_spec.status != TemplateVersion.Status.DRAFT
        version = TemplateVersion(
            template=template,
            number=version_spec.number,
            status=version_spec.status,
            change_note=version_spec.change_note,
            created_by=by,
            published_at=at if published else None,
            published_by=by if published else None,
            retired_at=at if version_spec.status == TemplateVersion.Status.RETIRED else None,
        )
        version.full_clean()  # a file's version number may be beyond the database's integers
        version.save()
        _items_create(version, version_spec.items, factors)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.TEMPLATE_IMPORTED,
        obj=template,
        template=template,
        data={"versions": [v.number for v in spec.versions]},
    )
    return template


def _item_document(item: TemplateItem) -> dict:
    quoted = {"document": item.source_document, "passage": item.source_passage}
    source = {
        TemplateItem.Source.INSTITUTION: {"institution": True},
        TemplateItem.Source.RISK: {"institution": True, "risk": quoted},
    }.get(item.source, quoted)
    return {
        "key": item.key,
        "text_ja": item.text_ja,
        "text_en": item.text_en,
        "instruction_ja": item.instruction_ja,
        "instruction_en": item.instruction_en,
        "detail_prompt_ja": item.detail_prompt_ja,
        "detail_prompt_en": item.detail_prompt_en,
        "why_ja": item.why_ja,
        "why_en": item.why_en,
        "frequency": item.frequency,
        "critical": item.is_critical,
        "applies_if_any": [factor.code for factor in item.applies_if_factors],
        "not_if_any": [factor.code for factor in item.unless_factors],
        "age_bands": [band for band, on in zip(AGE_BANDS, age_flags(item), strict=True) if on],
        "from_age": item.from_age,
        "due_in": item.due_in,
        "source": source,
    }


def age_flags(item: TemplateItem) -> tuple[bool, bool, bool]:
    """The item's age bands as (child, adult, 70 and over), in ``content.AGE_BANDS`` order."""
    return (item.for_children, item.for_adults, item.for_older)


@transaction.atomic
def template_export(*, template: ChecklistTemplate, by, published_only: bool = False) -> dict:
    """The template as a ``wardsafe-template/3`` document (all versions, or only the published one)."""
    template = ChecklistTemplate.objects.prefetch_related("triggers").get(pk=template.pk)
    versions = TemplateVersion.objects.with_items().filter(template=template).order_by("number")
    if published_only:
        versions = versions.published()
    versions = list(versions)
    if not versions:
        raise ValidationError(_("%(template)s has no published version to export.") % {"template": template.name})
    document = {
        "format": FORMAT,
        "code": template.code,
        "category": template.category,
        "name_ja": template.name_ja,
        "name_en": template.name_en,
        "description_ja": template.description_ja,
        "description_en": template.description_en,
        "triggers": sorted(factor.code for factor in template.triggers.all()),
        "versions": [
            {
                "number": version.number,
                "status": version.status,
                "change_note": version.change_note,
                "items": [_item_document(item) for item in version.items.all()],
            }
            for version in versions
        ],
    }
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.TEMPLATE_EXPORTED,
        obj=template,
        template=template,
        data={"scope": "published" if published_only else "all", "versions": [v.number for v in versions]},
    )
    return document


@transaction.atomic
def template_import_document(*, data, by) -> tuple[ChecklistTemplate, TemplateVersion, list[str]]:
    """Import an uploaded ``wardsafe-template`` document (version 3, 2 or 1) into a draft, whole or not at all.

    The draft takes the items of the file's published (or else newest) version. A new code
    creates the template (name, description, triggers from the file) with that draft as its
    version 1; an existing code gets it as its next version — refused when the template already
    has a draft — and keeps its name and triggers. Returns (template, draft, notes for the user)."""
    spec = parse_template(data)
    source = next((v for v in spec.versions if v.status == TemplateVersion.Status.PUBLISHED), spec.versions[-1])
    notes = []
    if any(v.status != TemplateVersion.Status.DRAFT for v in spec.versions):
        notes.append(
            _(
                "The file marks version %(number)d as %(status)s; it was imported as a draft. Check it, "
                "then publish it with a change note."
            )
            % {"number": source.number, "status": TemplateVersion.Status(source.status).label}
        )
    factors = {f.code: f for f in RiskFactor.objects.all()}
    template = ChecklistTemplate.objects.select_for_update().filter(code=spec.code).first()
    created = template is None
    if created:
        template = _template_create(spec, factors)
    elif draft := TemplateVersion.objects.drafts().filter(template=template).first():
        raise ValidationError(
            _(
                "%(template)s already has a draft (version %(number)d). Publish or finish that draft "
                "before importing into this template."
            )
            % {"template": template.name, "number": draft.number}
        )
    number = 1 if created else (template.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    draft = TemplateVersion.objects.create(template=template, number=number, created_by=by)
    _items_create(draft, source.items, factors)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.TEMPLATE_IMPORTED,
        obj=template,
        template=template,
        data={"into_draft": number, "from_version": source.number, "file_status": source.status, "new": created},
    )
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.DRAFT_CREATED,
        obj=draft,
        template=template,
        data={"number": number, "imported_from": source.number},
    )
    return template, draft, notes


def _spec_rows(items) -> list[tuple]:
    return [
        (
            i.key,
            i.text_ja,
            i.text_en,
            i.instruction_ja,
            i.instruction_en,
            i.detail_prompt_ja,
            i.detail_prompt_en,
            i.why_ja,
            i.why_en,
            i.frequency,
            i.is_critical,
            sorted(i.applies_if_any),
            sorted(i.not_if_any),
            tuple(i.age_bands),
            i.from_age,
            i.due_in,
            i.source,
            i.source_document,
            i.source_passage,
        )
        for i in items
    ]


def _item_rows(items) -> list[tuple]:
    return [
        (
            i.key,
            i.text_ja,
            i.text_en,
            i.instruction_ja,
            i.instruction_en,
            i.detail_prompt_ja,
            i.detail_prompt_en,
            i.why_ja,
            i.why_en,
            i.frequency,
            i.is_critical,
            sorted(f.code for f in i.applies_if_factors),
            sorted(f.code for f in i.unless_factors),
            tuple(band for band, on in zip(AGE_BANDS, age_flags(i), strict=True) if on),
            i.from_age,
            i.due_in,
            i.source,
            i.source_document,
            i.source_passage,
        )
        for i in items
    ]


def _upgrade_note(changes) -> str:
    counts = {"added": len(changes.added), "removed": len(changes.removed), "changed": len(changes.changed)}
    notes = []
    for language in ("ja", "en"):
        with translation.override(language):
            notes.append(
                _(
                    "Shipped content update (load_content): "
                    "%(added)d items added, %(removed)d removed, %(changed)d changed."
                )
                % counts
            )
    return "\n".join(notes)


@transaction.atomic
def template_upgrade(*, spec: TemplateSpec, by=None, at=None) -> TemplateVersion | None:
    """Bring an installed shipped template up to the shipped file (``manage.py load_content``).

    When the file's published version differs from the installed published one, its items
    become a new version, published with a change note that counts the changes: the frozen
    versions never change, and patients on the old version stay on it until they are moved
    (the editor's version move). The file's new triggers are added (none is removed). A template
    whose published version an admin made, or that has a draft, is left alone: the admin owns it,
    and can import the shipped file into a draft to compare. Returns the new version, or None."""
    template = ChecklistTemplate.objects.select_for_update().get(code=spec.code)
    shipped = next((v for v in spec.versions if v.status == TemplateVersion.Status.PUBLISHED), None)
    installed = TemplateVersion.objects.with_items().published().filter(template=template).first()
    if shipped is None or installed is None or installed.published_by_id is not None:
        return None
    if TemplateVersion.objects.drafts().filter(template=template).exists():
        return None
    factors = {f.code: f for f in RiskFactor.objects.all()}
    missing = [code for code in spec.triggers if not template.triggers.filter(code=code).exists()]
    if missing:
        template_triggers_set(
            template=template, triggers=[*template.triggers.all(), *(factors[code] for code in missing)], by=by
        )
    if _item_rows(installed.items.all()) == _spec_rows(shipped.items):
        return None
    number = (template.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    draft = TemplateVersion.objects.create(template=template, number=number, created_by=by)
    _items_create(draft, shipped.items, factors)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.DRAFT_CREATED,
        obj=draft,
        template=template,
        data={"number": number, "shipped_content": True},
    )
    changes = compare(installed, TemplateVersion.objects.with_items().get(pk=draft.pk))
    return template_publish(version=draft, by=by, change_note=_upgrade_note(changes), at=at)
