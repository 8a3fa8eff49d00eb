"""Assessment scales in the editor: a ``wardsafe-scale/1`` document into a draft (a new scale,
or the draft of an existing one, made from the published version when there is none), publishing
a draft with its change note (the published one becomes superseded), export, and a ward's own
timing and band cut-offs. Published versions never change; each write has its audit row.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import content, scale_content
from ..models import (
    AuditEvent,
    RiskFactor,
    Scale,
    ScaleBand,
    ScaleOption,
    ScaleQuestion,
    ScaleVersion,
    Ward,
    WardBandCutoff,
    WardScaleSetting,
)
from .audit import audit_event_write
from .ward_changes import ward_changed, wards_changed

SCALE_FIELDS = (
    "name_ja",
    "name_en",
    "short_name_ja",
    "short_name_en",
    "description_ja",
    "description_en",
    "licence",
    "provenance_ja",
    "provenance_en",
    "check_against_notice",
    "adults_only",
    "due_within_days",
    "reassess_every_days",
    "after_transfer",
    "after_fall",
    "after_condition_change",
)


def _fill_version(version: ScaleVersion, spec: scale_content.ScaleSpec) -> None:
    factors = {f.code: f for f in RiskFactor.objects.all()}
    version.questions.all().delete()  # a draft's content only: the trigger refuses it on a published one
    version.bands.all().delete()
    for position, q in enumerate(spec.questions, start=1):
        question = ScaleQuestion.objects.create(
            version=version, key=q.key, position=position, text_ja=q.text_ja, text_en=q.text_en
        )
        ScaleOption.objects.bulk_create(
            [
                ScaleOption(
                    question=question,
                    key=o.key,
                    position=number,
                    label_ja=o.label_ja,
                    label_en=o.label_en,
                    points=o.points,
                    notes_factor=factors.get(o.notes_factor),
                )
                for number, o in enumerate(q.options, start=1)
            ]
        )
    ScaleBand.objects.bulk_create(
        [
            ScaleBand(
                version=version,
                key=b.key,
                name_ja=b.name_ja,
                name_en=b.name_en,
                min_total=b.min_total,
                is_high_risk=b.is_high_risk,
                notes_factor=factors.get(b.notes_factor),
            )
            for b in spec.bands
        ]
    )


@transaction.atomic
def scale_import(*, spec: scale_content.ScaleSpec, by, edited: str = "") -> ScaleVersion:
    """The document's content becomes the scale's draft (all or nothing): a new scale's v1, or
    the existing scale's draft, whose earlier content it replaces. ``edited``: what the editor's
    form changed (a question, the bands), kept in the audit row; empty for a file."""
    scale = Scale.objects.select_for_update().filter(code=spec.code).first()
    if scale is None:
        scale = Scale.objects.create(code=spec.code, position=Scale.objects.count() + 1)
    for name in SCALE_FIELDS:
        setattr(scale, name, getattr(spec, name))
    scale.save()
    wards_changed()  # its names and timings show on every board and patient page at once
    draft = scale.versions.filter(status=ScaleVersion.Status.DRAFT).first()
    if draft is None:
        number = (scale.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        try:
            with transaction.atomic():
                draft = ScaleVersion.objects.create(scale=scale, number=number, created_by=by)
        except IntegrityError as error:
            raise ValidationError(_("Someone made a draft of this scale a moment ago. Reload.")) from error
    draft.change_note = spec.change_note
    draft.save(update_fields=["change_note"])
    _fill_version(draft, spec)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.SCALE_IMPORTED,
        obj=draft,
        data={"scale": scale.code, "version": draft.number, "questions": len(spec.questions)}
        | ({"edited": edited} if edited else {}),
    )
    return draft


@transaction.atomic
def scale_publish(*, version: ScaleVersion, by, change_note: str) -> ScaleVersion:
    """Publish a draft; the published version is superseded. Assessments keep their version."""
    version = ScaleVersion.objects.select_for_update().select_related("scale").get(pk=version.pk)
    change_note = (change_note or "").strip()
    if version.status != ScaleVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    if not change_note or "\x00" in change_note:
        raise ValidationError({"change_note": _("Say what changed in this version.")})
    if not version.questions.exists() or not version.bands.exists():
        raise ValidationError(_("A scale version needs at least one question and one band."))
    if version.questions.filter(options__isnull=True).exists():
        raise ValidationError(_("Every question needs at least one answer."))
    now = timezone.now()
    for old in ScaleVersion.objects.select_for_update().filter(scale=version.scale, status="published"):
        old.status, old.retired_at = ScaleVersion.Status.RETIRED, now
        old.save(update_fields=["status", "retired_at"])
    version.status, version.published_at, version.published_by = ScaleVersion.Status.PUBLISHED, now, by
    version.change_note = change_note[:2000]
    version.save(update_fields=["status", "published_at", "published_by", "change_note"])
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.SCALE_PUBLISHED,
        obj=version,
        data={"scale": version.scale.code, "version": version.number, "change_note": version.change_note},
    )
    wards_changed()  # what is due, and of which version, changes on every ward
    return version


def scale_document(version: ScaleVersion) -> dict:
    """A version as a ``wardsafe-scale/1`` document (what import reads back)."""
    scale = version.scale
    document = {"format": scale_content.FORMAT, "code": scale.code}
    document |= {name: getattr(scale, name) for name in SCALE_FIELDS}
    document["change_note"] = version.change_note
    document["questions"] = [
        {
            "key": q.key,
            "text_ja": q.text_ja,
            "text_en": q.text_en,
            "options": [
                {
                    "key": o.key,
                    "label_ja": o.label_ja,
                    "label_en": o.label_en,
                    "points": o.points,
                    **({"notes_factor": o.notes_factor.code} if o.notes_factor_id else {}),
                }
                for o in q.options.all()
            ],
        }
        for q in version.questions.all()
    ]
    document["bands"] = [
        {
            "key": b.key,
            "name_ja": b.name_ja,
            "name_en": b.name_en,
            "min_total": b.min_total,
            "high_risk": b.is_high_risk,
            **({"notes_factor": b.notes_factor.code} if b.notes_factor_id else {}),
        }
        for b in version.bands.all()
    ]
    return document


@transaction.atomic
def scale_export(*, version: ScaleVersion, by) -> dict:
    version = ScaleVersion.objects.with_content().get(pk=version.pk)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.SCALE_EXPORTED,
        obj=version,
        data={"scale": version.scale.code, "version": version.number},
    )
    return scale_document(version)


@transaction.atomic
def ward_scale_setting_set(
    *, ward: Ward, scale: Scale, due_within_days: int, reassess_every_days: int | None, cutoffs: dict[str, int], by
) -> WardScaleSetting:
    """The ward's timing and band cut-offs for a scale (band key → lowest total of the band).
    The lowest band starts at 0, and the bands keep their order."""
    published = scale.versions.filter(status="published").first()
    bands = list(published.bands.order_by("min_total", "id")) if published else []
    if set(cutoffs) - {band.key for band in bands}:
        raise ValidationError(_("Set cut-offs only for the bands of the published version."))
    minimums = [cutoffs.get(band.key, band.min_total) for band in bands]
    if minimums and (minimums[0] != 0 or minimums != sorted(set(minimums))):
        raise ValidationError(_("The lowest band starts at 0 and each band starts above the one before."))
    if due_within_days < 1:
        raise ValidationError({"due_within_days": _("A scale is due from day 1 (the day of admission) on.")})
    setting, _created = WardScaleSetting.objects.select_for_update().update_or_create(
        ward=ward,
        scale=scale,
        defaults={
            "due_within_days": due_within_days,
            "reassess_every_days": reassess_every_days,
            "changed_at": timezone.now(),
        },
    )
    setting.cutoffs.all().delete()
    WardBandCutoff.objects.bulk_create(
        [WardBandCutoff(setting=setting, band_key=key, min_total=value) for key, value in cutoffs.items()]
    )
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.SCALE_SETTING_CHANGED,
        obj=setting,
        ward=ward,
        data={
            "scale": scale.code,
            "due_within_days": due_within_days,
            "reassess_every_days": reassess_every_days,
            "cutoffs": cutoffs,
        },
    )
    ward_changed(ward)  # the board's due assessments
    return setting


@transaction.atomic
def shipped_scales_load(*, folder) -> tuple[int, int]:
    """Load the shipped scales (``fixtures/assessments/*.json``) that are missing, each as its
    published version 1; scales already present (by code) are left as the admins have them.
    Every file is checked before anything is written. Returns (created, skipped)."""
    factor_codes = set(RiskFactor.objects.values_list("code", flat=True))
    specs = []
    for path in sorted(folder.glob("*.json")):
        try:
            specs.append(scale_content.parse_scale(content.read_json(path), factor_codes=factor_codes))
        except ValidationError as error:
            raise ValidationError([f"{path.name}: {message}" for message in error.messages]) from error
    existing = set(Scale.objects.values_list("code", flat=True))
    created = 0
    for spec in specs:
        if spec.code in existing:
            continue
        draft = scale_import(spec=spec, by=None)
        scale_publish(version=draft, by=None, change_note=spec.change_note or "v1")
        created += 1
    return created, len(specs) - created
