"""A scale's draft edited one question (or the bands) at a time in the editor's forms, instead
of as one ``wardsafe-scale/1`` document. Each save reads the draft (or, when there is none, the
published version) as a document, changes the one part, checks the whole document with the same
parser as an import and saves it as the draft through ``scale_import`` — so the rules, the
limits and the audit row are the import's. The page sends the fingerprint of the draft it
showed; when a colleague saved the draft in the meantime the save is refused, never applied
over their change.
"""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import scale_content
from ..models import RiskFactor, Scale, ScaleVersion
from .scales import scale_document, scale_import


def scale_editable_version(scale: Scale) -> ScaleVersion | None:
    """What an edit starts from: the draft, else the published version (with their content)."""
    versions = ScaleVersion.objects.filter(scale=scale, status__in=["draft", "published"]).with_content()
    by_status = {version.status: version for version in versions}
    return by_status.get("draft") or by_status.get("published")


def scale_fingerprint(version: ScaleVersion | None) -> str:
    """A short digest of the version's content: it changes with every save of the draft."""
    document = scale_document(version) if version is not None else {}
    if version is not None:
        document["status"], document["number"] = version.status, version.number
    text = json.dumps(document, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _current(scale: Scale, fingerprint: str) -> ScaleVersion:
    """The scale's draft or published version, locked, as the page showed it (else refused)."""
    scale = Scale.objects.select_for_update().get(pk=scale.pk)
    current = scale_editable_version(scale)
    if current is None:
        raise ValidationError(_("This scale has no version to edit. Import a file first."))
    if fingerprint != scale_fingerprint(current):
        raise ValidationError(
            _("Someone saved this scale's draft after you opened this page. Reload to see their change, then edit.")
        )
    return current


@transaction.atomic
def scale_document_save(*, scale: Scale, spec: scale_content.ScaleSpec, fingerprint: str, by) -> ScaleVersion:
    """The editor's whole-document form: the checked document becomes the draft, unless a
    colleague saved the draft after the page was opened."""
    _current(scale, fingerprint)
    return scale_import(spec=spec, by=by, edited="document")


def _edit(*, scale: Scale, fingerprint: str, by, change, note: str) -> ScaleVersion:
    """Apply ``change`` (a function of the document) to the scale's current content, check the
    whole document and save it as the draft, in one transaction."""
    with transaction.atomic():
        current = _current(scale, fingerprint)
        document = scale_document(current)
        change(document)
        if current.status == ScaleVersion.Status.PUBLISHED:
            document["change_note"] = ""
        codes = set(RiskFactor.objects.values_list("code", flat=True))
        spec = scale_content.parse_scale(document, factor_codes=codes)
        return scale_import(spec=spec, by=by, edited=note)


def _position(items: list, key: str) -> int | None:
    return next((n for n, item in enumerate(items) if item["key"] == key), None)


def scale_question_save(*, scale: Scale, key: str | None, question: dict, fingerprint: str, by) -> ScaleVersion:
    """Save one question with its answers into the draft: the question ``key`` replaced where it
    stands, or (``key`` None) ``question`` added at the end."""

    def change(document):
        questions = document["questions"]
        if key is None:
            if _position(questions, question["key"]) is not None:
                raise ValidationError({"key": _("This scale already has a question with this key.")})
            questions.append(question)
            return
        where = _position(questions, key)
        if where is None:
            raise ValidationError(_("This question is no longer in the draft. Reload."))
        questions[where] = question

    note = f"question {question['key']}"
    return _edit(scale=scale, fingerprint=fingerprint, by=by, change=change, note=note)


def scale_question_remove(*, scale: Scale, key: str, fingerprint: str, by) -> ScaleVersion:
    def change(document):
        questions = document["questions"]
        where = _position(questions, key)
        if where is None:
            raise ValidationError(_("This question is no longer in the draft. Reload."))
        if len(questions) == 1:
            raise ValidationError(_("A scale needs at least one question."))
        del questions[where]

    return _edit(scale=scale, fingerprint=fingerprint, by=by, change=change, note=f"removed question {key}")


def scale_question_move(*, scale: Scale, key: str, step: int, fingerprint: str, by) -> ScaleVersion:
    """Move a question one place up (``step`` -1) or down (+1)."""

    def change(document):
        questions = document["questions"]
        where = _position(questions, key)
        if where is None:
            raise ValidationError(_("This question is no longer in the draft. Reload."))
        to = min(max(where + step, 0), len(questions) - 1)
        questions.insert(to, questions.pop(where))

    return _edit(scale=scale, fingerprint=fingerprint, by=by, change=change, note=f"moved question {key}")


def scale_bands_save(*, scale: Scale, bands: list[dict], fingerprint: str, by) -> ScaleVersion:
    def change(document):
        document["bands"] = bands

    return _edit(scale=scale, fingerprint=fingerprint, by=by, change=change, note="bands")
