"""The checklist editor's writes (what checklist admins do on the /editor/ pages): templates
and their draft versions, publishing a draft, a template's triggers, and moving patients to
the newly published version (a draft's items: ``editor_items``).

Edits of a draft are optimistic: each names the draft revision it was based on and is refused,
naming who changed the draft meanwhile, when that revision is stale."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    AuditEvent,
    ChecklistTemplate,
    ItemFactorRule,
    PatientChecklist,
    RiskFactor,
    TemplateItem,
    TemplateVersion,
)
from ..names import staff_name
from .audit import audit_event_write
from .stays import checklist_stop
from .ward_changes import ward_changed


def _changed_by(events) -> tuple[str, str]:
    """(who, when) of the newest of ``events``, for a "changed by X at T" refusal."""
    last = events.select_related("actor").order_by("-at", "-id").first()
    if last is None:
        return _("someone"), ""
    who = staff_name(last.actor) if last.actor else _("someone")
    return who, timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M")


def _check_revision(locked: TemplateVersion, expected_revision: int | None) -> None:
    """Refuse a save based on an older read of the draft, naming who changed it since."""
    if expected_revision is not None and expected_revision != locked.revision:
        who, when = _changed_by(AuditEvent.objects.for_object(locked).filter(action=AuditEvent.Action.DRAFT_EDITED))
        raise ValidationError(
            _("This draft was changed by %(who)s at %(when)s. Reload it and make your change again.")
            % {"who": who, "when": when},
            code="stale",
        )


def draft_for_edit(version: TemplateVersion, expected_revision: int | None, by, change=None) -> TemplateVersion:
    """Lock the draft, refuse a stale edit, bump its revision; ``change`` says what the edit did."""
    locked = TemplateVersion.objects.select_for_update().select_related("template").get(pk=version.pk)
    if not locked.is_editable:
        raise ValidationError(
            _("Version %(number)d is %(status)s; its items can no longer change. Create a new draft.")
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    _check_revision(locked, expected_revision)
    TemplateVersion.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
    locked.refresh_from_db(fields=["revision"])
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.DRAFT_EDITED,
        obj=locked,
        template=locked.template,
        data={"revision": locked.revision, **(change or {})},
    )
    return locked


@transaction.atomic
def template_create(
    *,
    code: str,
    category: str,
    name_ja: str,
    by,
    name_en: str = "",
    description_ja: str = "",
    description_en: str = "",
    triggers: Iterable[RiskFactor] = (),
) -> ChecklistTemplate:
    """A new template with an empty draft version 1."""
    template = ChecklistTemplate(
        code=code,
        category=category,
        name_ja=name_ja.strip(),
        name_en=name_en.strip(),
        description_ja=description_ja.strip(),
        description_en=description_en.strip(),
        position=ChecklistTemplate.objects.count() + 1,
    )
    template.full_clean()
    template.save()
    template.triggers.set(triggers)
    version = TemplateVersion.objects.create(template=template, number=1, created_by=by)
    audit_event_write(actor=by, action=AuditEvent.Action.TEMPLATE_CREATED, obj=template, template=template)
    audit_event_write(
        actor=by, action=AuditEvent.Action.DRAFT_CREATED, obj=version, template=template, data={"number": 1}
    )
    return template


@transaction.atomic
def template_draft_create(*, template: ChecklistTemplate, by) -> TemplateVersion:
    """Start editing a template: a draft that copies the published version's items."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    if TemplateVersion.objects.drafts().filter(template=template).exists():
        raise ValidationError(_("%(template)s already has a draft. Edit that draft.") % {"template": template.name})
    source = TemplateVersion.objects.published().filter(template=template).first()
    number = (template.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    draft = TemplateVersion.objects.create(template=template, number=number, created_by=by)
    if source is not None:
        originals = list(source.items.with_rules())
        copies = []
        for item in originals:
            rules = list(item.factor_rules.all())
            item.pk, item.id, item.version = None, None, draft
            copies.append((item, rules))
        TemplateItem.objects.bulk_create([item for item, _rules in copies])
        ItemFactorRule.objects.bulk_create(
            ItemFactorRule(item=item, kind=rule.kind, risk_factor_id=rule.risk_factor_id)
            for item, rules in copies
            for rule in rules
        )
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.DRAFT_CREATED,
        obj=draft,
        template=template,
        data={"number": number, "copied_from": source.number if source else None},
    )
    return draft


@transaction.atomic
def template_publish(
    *, version: TemplateVersion, by, change_note: str, at=None, expected_revision: int | None = None
) -> TemplateVersion:
    """Make a draft the one published version; the previous one is retired.
    Patients already on the old version stay on it."""
    at = at or timezone.now()
    change_note = change_note.strip()
    version = TemplateVersion.objects.select_for_update().select_related("template").get(pk=version.pk)
    if not version.is_editable:
        raise ValidationError(_("Only a draft can be published."))
    _check_revision(version, expected_revision)
    if not change_note:
        raise ValidationError(_("Describe what changed in this version."))
    items = list(version.items.all())
    if not items:
        raise ValidationError(_("An empty draft cannot be published. Add at least one item."))
    for item in items:
        if not item.text_ja.strip():
            raise ValidationError(_("Every item needs a text. Item %(key)s has none.") % {"key": item.key})
    unquoted = [item.key for item in items if item.source in TemplateItem.QUOTING and not item.source_passage.strip()]
    if unquoted:
        raise ValidationError(
            _(
                "Quote the passage of the source document for every item taken from one, or mark the item "
                "as added by the institution. Items without a passage: %(keys)s."
            )
            % {"keys": ", ".join(unquoted)}
        )
    template = version.template
    previous = TemplateVersion.objects.select_for_update().published().filter(template=template).first()
    if previous is not None:
        previous.status, previous.retired_at = TemplateVersion.Status.RETIRED, at
        previous.save(update_fields=["status", "retired_at"])
        audit_event_write(
            actor=by,
            action=AuditEvent.Action.VERSION_RETIRED,
            obj=previous,
            template=template,
            data={"number": previous.number, "replaced_by": version.number},
        )
    version.status, version.published_at, version.published_by = TemplateVersion.Status.PUBLISHED, at, by
    version.change_note = change_note
    try:
        with transaction.atomic():
            version.save(update_fields=["status", "published_at", "published_by", "change_note"])
    except IntegrityError as error:
        raise ValidationError(_("Another version was published at the same moment. Reload and check.")) from error
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.VERSION_PUBLISHED,
        obj=version,
        template=template,
        data={"number": version.number, "change_note": change_note},
    )
    return version


@transaction.atomic
def template_triggers_set(
    *, template: ChecklistTemplate, triggers: Iterable[RiskFactor], by, expected_triggers: Iterable[int] | None = None
) -> ChecklistTemplate:
    """Set the risk factors that propose a template. Triggers are not versioned: they decide
    which checklists are proposed from now on and change no patient's checklist."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    current = {factor.pk: factor for factor in template.triggers.all()}
    if expected_triggers is not None and set(expected_triggers) != set(current):
        who, when = _changed_by(
            AuditEvent.objects.for_object(template).filter(action=AuditEvent.Action.TEMPLATE_EDITED)
        )
        raise ValidationError(
            _("The triggers were changed by %(who)s at %(when)s. Reload the page and make your change again.")
            % {"who": who, "when": when},
            code="stale",
        )
    wanted = {factor.pk: factor for factor in triggers}
    if set(wanted) == set(current):
        return template
    template.triggers.set(list(wanted.values()))
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.TEMPLATE_EDITED,
        obj=template,
        template=template,
        data={
            "triggers_added": sorted(f.code for pk, f in wanted.items() if pk not in current),
            "triggers_removed": sorted(f.code for pk, f in current.items() if pk not in wanted),
        },
    )
    return template


@transaction.atomic
def checklist_move_to_version(
    *, checklists: Iterable[PatientChecklist], version: TemplateVersion, by, at=None
) -> list[PatientChecklist]:
    """Move patients from an older version to the published one, all or none.

    Each old checklist is stopped ("moved to vN") and kept with its records, which keep the
    old wording; a new checklist on ``version`` continues it (``replaces``)."""
    at = at or timezone.now()
    version = TemplateVersion.objects.select_for_update().select_related("template").get(pk=version.pk)
    if version.status != TemplateVersion.Status.PUBLISHED:
        raise ValidationError(
            _("Patients can be moved only to the published version; version %(number)d is %(status)s.")
            % {"number": version.number, "status": version.get_status_display()}
        )
    ids = {checklist.pk for checklist in checklists}
    if not ids:
        raise ValidationError(_("Choose at least one patient to move."))
    chosen = list(
        PatientChecklist.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("admission__patient", "admission__ward", "admission__bed", "version")  # the audit row
        .order_by("pk")
    )
    if len(chosen) != len(ids):
        raise ValidationError(_("Some of the chosen checklists no longer exist. Reload the page."))
    for checklist in chosen:
        # The editor names no patient: the ward and bed say which checklist is meant.
        bed = f"{checklist.admission.ward.name} {checklist.admission.bed.code}"
        if checklist.template_id != version.template_id:
            raise ValidationError(_("The checklist in %(bed)s is for another template.") % {"bed": bed})
        if not checklist.is_active:
            raise ValidationError(_("The checklist in %(bed)s was stopped meanwhile. Reload the page.") % {"bed": bed})
        if checklist.version_id == version.pk:
            raise ValidationError(
                _("The checklist in %(bed)s is already on version %(number)d.") % {"bed": bed, "number": version.number}
            )
    reason = _("Moved to version %(number)d") % {"number": version.number}
    moved = []
    for checklist in chosen:
        checklist_stop(checklist=checklist, by=by, reason=reason, at=at)
        new = PatientChecklist.objects.create(
            admission=checklist.admission,
            template=version.template,
            version=version,
            started_at=at,
            started_by=by,
            replaces=checklist,
        )
        ward_changed(checklist.admission.ward_id, stay=checklist.admission_id)
        audit_event_write(
            actor=by,
            action=AuditEvent.Action.CHECKLIST_MOVED,
            obj=new,
            ward=checklist.admission.ward,
            admission=checklist.admission,
            template=version.template,
            data={
                "from": checklist.version.number,
                "to": version.number,
                "replaces": checklist.pk,
                "bed": checklist.admission.bed.code,
            },
        )
        moved.append(new)
    return moved
