"""Load the shipped checklist content: risk factors, shift patterns, templates and the
assessment scales (``fixtures/assessments``, beside the content folder).

Idempotent: risk factors and shift patterns that exist (by code) are left as they are, and
only what is missing is created. A shipped template that exists and whose file changed since
it was loaded becomes a new published version (``services.template_upgrade``): the old version
is frozen and its patients stay on it until moved; a template an admin has published or is
editing is left alone. Every file is checked before anything is written.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from checklists import content, services
from checklists.models import ChecklistTemplate, RiskFactor, ShiftPattern


class Command(BaseCommand):
    help = "Load the seed-derived checklist content (risk factors, shift patterns, templates) that is missing."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="content folder (default: fixtures/content)")
        parser.add_argument(
            "--assessments-dir", type=Path, default=None, help="scales folder (default: assessments beside --dir)"
        )

    def handle(self, *args, **options):
        folder = options["dir"] or settings.WARDSAFE_CONTENT_DIR
        try:
            with transaction.atomic():
                counts = self._load(Path(folder))
                scales = options["assessments_dir"] or (
                    settings.WARDSAFE_ASSESSMENTS_DIR if options["dir"] is None else Path(folder).parent / "assessments"
                )
                counts["scales"], skipped = services.shipped_scales_load(folder=Path(scales))
                counts["skipped"] += skipped
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        if options["verbosity"]:
            self.stdout.write(
                "Content: {factors} risk factors, {shifts} shift patterns, {templates} templates, "
                "{scales} scales created; {upgraded} templates upgraded to a new version; "
                "{skipped} already present.".format(**counts)
            )

    def _load(self, folder: Path) -> dict:
        counts = {"factors": 0, "shifts": 0, "templates": 0, "upgraded": 0, "skipped": 0}
        factors = content.read_json(folder / "risk_factors.json")
        existing = set(RiskFactor.objects.values_list("code", flat=True))
        for position, data in enumerate(factors, start=1):
            if data["code"] in existing:
                counts["skipped"] += 1
                continue
            services.risk_factor_create(position=position, **data)
            counts["factors"] += 1

        existing = set(ShiftPattern.objects.values_list("code", flat=True))
        for position, data in enumerate(_shift_patterns(content.read_json(folder / "shifts.json")), start=1):
            if data["code"] in existing:
                counts["skipped"] += 1
                continue
            where = f"shifts.json[{position}]"
            services.shift_pattern_create(
                code=data["code"],
                name_ja=data["name_ja"],
                name_en=data.get("name_en", ""),
                position=position,
                shifts=[
                    services.ShiftSpec(
                        code=shift["code"],
                        name_ja=shift["name_ja"],
                        name_en=shift.get("name_en", ""),
                        starts_at=content.parse_time(shift["start"], f"{where}.shifts[{number}].start"),
                        ends_at=content.parse_time(shift["end"], f"{where}.shifts[{number}].end"),
                        is_night=shift.get("night", False) is True,
                    )
                    for number, shift in enumerate(data["shifts"], start=1)
                ],
            )
            counts["shifts"] += 1

        factor_codes = set(RiskFactor.objects.values_list("code", flat=True))
        existing = set(ChecklistTemplate.objects.values_list("code", flat=True))
        specs = []
        for path in sorted((folder / "templates").glob("*.json")):
            try:
                specs.append(content.parse_template(content.read_json(path), factor_codes=factor_codes))
            except ValidationError as error:
                raise ValidationError([f"{path.name}: {message}" for message in error.messages]) from error
        # Fall, aspiration, delirium, ... first: the order of the categories is the order on screen.
        order = list(ChecklistTemplate.Category.values)
        for spec in sorted(specs, key=lambda spec: (order.index(spec.category), spec.code)):
            if spec.code in existing:
                # A shipped template that changed since it was loaded: a new published version.
                upgraded = services.template_upgrade(spec=spec, by=None)
                counts["upgraded" if upgraded else "skipped"] += 1
                continue
            services.template_import(spec=spec, by=None)
            counts["templates"] += 1
        return counts


def _shift_patterns(data: list) -> list[dict]:
    """shifts.json lists patterns, each with its shifts; a file of an older release lists the
    shifts of one pattern (the ward's day), read as that pattern."""
    if data and "shifts" not in data[0]:
        return [{"code": "ward-shifts", "name_ja": "病棟の勤務帯", "name_en": "Ward shifts", "shifts": data}]
    return data
