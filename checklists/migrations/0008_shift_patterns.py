"""Shift patterns with dates (issue 10): a named pattern of shifts (三交代, 二交代) in numbered
versions, each in force from a duty date, and each ward's pattern from a duty date. The
shift definitions gain the version they belong to; it may be empty until the next migration
(0009) puts today's global shifts into a pattern, and 0010 then requires it.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0007_hospital_ids_normalised"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ShiftPattern",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name_ja", models.CharField(max_length=60, verbose_name="name (Japanese)")),
                ("name_en", models.CharField(blank=True, default="", max_length=60, verbose_name="name (English)")),
                ("position", models.PositiveIntegerField(default=0, verbose_name="position")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created at"),
                ),
            ],
            options={
                "verbose_name": "shift pattern",
                "verbose_name_plural": "shift patterns",
                "ordering": ["position", "pk"],
            },
        ),
        migrations.CreateModel(
            name="ShiftPatternVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField(verbose_name="version")),
                ("effective_from", models.DateField(verbose_name="in force from (duty date)")),
                ("note", models.TextField(blank=True, default="", verbose_name="note")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created at"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "pattern",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="versions",
                        to="checklists.shiftpattern",
                        verbose_name="shift pattern",
                    ),
                ),
            ],
            options={
                "verbose_name": "shift pattern version",
                "verbose_name_plural": "shift pattern versions",
                "ordering": ["pattern", "effective_from", "number"],
                "constraints": [
                    models.UniqueConstraint(fields=("pattern", "number"), name="shift_pattern_version_numbers_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="WardShiftPattern",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("effective_from", models.DateField(verbose_name="in force from (duty date)")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created at"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="set by",
                    ),
                ),
                (
                    "pattern",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ward_assignments",
                        to="checklists.shiftpattern",
                        verbose_name="shift pattern",
                    ),
                ),
                (
                    "ward",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="shift_patterns",
                        to="checklists.ward",
                        verbose_name="ward",
                    ),
                ),
            ],
            options={
                "verbose_name": "ward shift pattern",
                "verbose_name_plural": "ward shift patterns",
                "ordering": ["ward", "effective_from", "pk"],
            },
        ),
        migrations.AddField(
            model_name="shiftdefinition",
            name="version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="shifts",
                to="checklists.shiftpatternversion",
                verbose_name="pattern version",
            ),
        ),
        # Codes are unique per pattern version (0010): 日勤 is "day" in every version.
        migrations.AlterField(
            model_name="shiftdefinition",
            name="code",
            field=models.SlugField(max_length=20, verbose_name="code"),
        ),
    ]
