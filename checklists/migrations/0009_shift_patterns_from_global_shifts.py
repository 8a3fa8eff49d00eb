"""Today's global shifts become one shift pattern, and every ward runs it from the first
recorded duty date (or, without records, the day of the earliest admission; on an empty
database, today). Nothing a page shows changes: every slot is made from the same shifts as
before.

The pattern is named 三交代 (three-shift) when the shifts are the shipped 日勤 / 準夜 / 深夜
(codes day, evening, night), so that ``load_content`` does not add the same pattern again;
otherwise 病棟の勤務帯 (ward shifts). Shifts that were switched off (``is_active`` false)
cannot be dated any more: they go into version 1 of the pattern, kept for the records made in
them, and the active shifts into version 2 from the same date, which is in force on every
date — as the app showed them until now. (A database whose shifts were all switched off keeps
them all in force.)
"""

from django.db import migrations
from django.utils import timezone

SHIPPED_CODES = {"day", "evening", "night"}


def first_duty_date(apps):
    CheckRecord = apps.get_model("checklists", "CheckRecord")
    Admission = apps.get_model("checklists", "Admission")
    first_record = CheckRecord.objects.order_by("duty_date").values_list("duty_date", flat=True).first()
    first_admission = Admission.objects.order_by("admitted_at").values_list("admitted_at", flat=True).first()
    candidates = [first_record, first_admission and timezone.localtime(first_admission).date()]
    return min([day for day in candidates if day] or [timezone.localdate()])


def shifts_into_a_pattern(apps, schema_editor):
    ShiftDefinition = apps.get_model("checklists", "ShiftDefinition")
    ShiftPattern = apps.get_model("checklists", "ShiftPattern")
    ShiftPatternVersion = apps.get_model("checklists", "ShiftPatternVersion")
    WardShiftPattern = apps.get_model("checklists", "WardShiftPattern")
    Ward = apps.get_model("checklists", "Ward")
    shifts = list(ShiftDefinition.objects.order_by("position", "starts_at", "pk"))
    if not shifts:
        return  # a new database: load_content brings the shipped patterns
    active = [shift.pk for shift in shifts if shift.is_active]
    inactive = [shift.pk for shift in shifts if not shift.is_active]
    if not active:  # no shift was in force: keep them all, in force, rather than lose them
        active, inactive = inactive, []
    since = first_duty_date(apps)
    if {shift.code for shift in shifts if shift.pk in active} == SHIPPED_CODES:
        code, name_ja, name_en = "three-shift", "三交代", "Three shifts"
    else:
        code, name_ja, name_en = "ward-shifts", "病棟の勤務帯", "Ward shifts"
    pattern = ShiftPattern.objects.create(code=code, name_ja=name_ja, name_en=name_en, position=1)
    number = 1
    if inactive:
        earlier = ShiftPatternVersion.objects.create(
            pattern=pattern,
            number=number,
            effective_from=since,
            note="Shifts switched off before shift times had dates; kept for the records made in them.",
        )
        ShiftDefinition.objects.filter(pk__in=inactive).update(version=earlier)
        number += 1
    version = ShiftPatternVersion.objects.create(
        pattern=pattern,
        number=number,
        effective_from=since,
        note="The shifts as they were when shift patterns with dates came in.",
    )
    ShiftDefinition.objects.filter(pk__in=active).update(version=version)
    WardShiftPattern.objects.bulk_create(
        WardShiftPattern(ward=ward, pattern=pattern, effective_from=since) for ward in Ward.objects.order_by("pk")
    )


def patterns_back_into_global_shifts(apps, schema_editor):
    """Back to one global list: the shifts of each pattern's newest version stay active."""
    ShiftDefinition = apps.get_model("checklists", "ShiftDefinition")
    ShiftPatternVersion = apps.get_model("checklists", "ShiftPatternVersion")
    newest = {}
    for version in ShiftPatternVersion.objects.order_by("pattern_id", "effective_from", "number"):
        newest[version.pattern_id] = version.pk
    ShiftDefinition.objects.exclude(version_id__in=list(newest.values())).update(is_active=False)
    ShiftDefinition.objects.update(version=None)
    apps.get_model("checklists", "WardShiftPattern").objects.all().delete()
    ShiftPatternVersion.objects.all().delete()
    apps.get_model("checklists", "ShiftPattern").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0008_shift_patterns"),
    ]

    operations = [migrations.RunPython(shifts_into_a_pattern, patterns_back_into_global_shifts)]
