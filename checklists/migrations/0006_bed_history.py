"""The bed history: one placement per bed a stay's patient lay in (admission, then each
transfer), append-only like the check records and the audit trail.

Existing stays get their history from what the audit trail says of their transfers: each
``patient_transferred`` event names the ward and bed the patient left and the one they went to
(by code), its actor and its time. The first placement starts at the admission in the bed the
first transfer left; one placement follows per transfer. When the trail does not add up for a
stay (a bed renamed or removed since, events out of order or outside the stay, or a last bed
that is not the stay's current one), that stay gets the simplest true-enough history instead:
one placement from the admission, in its current bed. Stays without transfers get just that.

On PostgreSQL a trigger refuses UPDATE and DELETE of placements (the function of migration
0004); on SQLite the services are the only writers.
"""

from collections import defaultdict

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from checklists.postgres import RunSQLOnPostgreSQL


def _bed_key(ward_code, bed_code) -> tuple[str, str]:
    return (str(ward_code or ""), str(bed_code or "").lower())  # bed codes are unique per ward ignoring case


def _trail(Placement, admission, events, beds) -> list:
    def placement(bed, kind, at, by_id):
        return Placement(
            admission_id=admission.pk, ward_id=bed.ward_id, bed_id=bed.pk, kind=kind, starts_at=at, placed_by_id=by_id
        )

    fallback = [placement(admission.bed, "admitted", admission.admitted_at, admission.admitted_by_id)]
    if not events:
        return fallback
    first = beds.get(_bed_key(events[0].data.get("from_ward"), events[0].data.get("from_bed")))
    if first is None:
        return fallback
    trail = [placement(first, "admitted", admission.admitted_at, admission.admitted_by_id)]
    for event in events:
        came_from = beds.get(_bed_key(event.data.get("from_ward"), event.data.get("from_bed")))
        went_to = beds.get(_bed_key(event.data.get("to_ward"), event.data.get("to_bed")))
        in_order = event.at > trail[-1].starts_at and (
            admission.discharged_at is None or event.at <= admission.discharged_at
        )
        if (
            went_to is None
            or came_from is None
            or came_from.pk != trail[-1].bed_id
            or not in_order
            or not event.actor_id
        ):
            return fallback
        trail.append(placement(went_to, "transferred", event.at, event.actor_id))
    return trail if trail[-1].bed_id == admission.bed_id else fallback


def placements_from_stays(apps, schema_editor):
    Admission = apps.get_model("checklists", "Admission")
    AuditEvent = apps.get_model("checklists", "AuditEvent")
    Bed = apps.get_model("checklists", "Bed")
    Placement = apps.get_model("checklists", "Placement")
    beds = {_bed_key(bed.ward.code, bed.code): bed for bed in Bed.objects.select_related("ward")}
    transfers = defaultdict(list)
    for event in AuditEvent.objects.filter(action="patient_transferred", admission__isnull=False).order_by("at", "id"):
        transfers[event.admission_id].append(event)
    rows = []
    for admission in Admission.objects.select_related("bed").order_by("pk"):
        rows += _trail(Placement, admission, transfers.get(admission.pk, []), beds)
    Placement.objects.bulk_create(rows, batch_size=500)


FORWARD = [
    """
    CREATE TRIGGER placements_are_append_only
    BEFORE UPDATE OR DELETE ON checklists_placement
    FOR EACH ROW EXECUTE FUNCTION wardsafe_refuse_change_of_history()
    """,
]
BACKWARD = ["DROP TRIGGER placements_are_append_only ON checklists_placement"]


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0005_constraint_messages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Placement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("admitted", "Admitted"), ("transferred", "Transferred")],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("starts_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="from")),
                (
                    "admission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="placements",
                        to="checklists.admission",
                        verbose_name="admission",
                    ),
                ),
                (
                    "bed",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checklists.bed",
                        verbose_name="bed",
                    ),
                ),
                (
                    "placed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "ward",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checklists.ward",
                        verbose_name="ward",
                    ),
                ),
            ],
            options={
                "verbose_name": "placement",
                "verbose_name_plural": "bed history",
                "ordering": ["admission", "starts_at"],
                "indexes": [models.Index(fields=["ward", "starts_at"], name="placement_ward_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("admission", "starts_at"),
                        name="one_placement_per_stay_and_moment",
                        violation_error_message=(
                            "The patient was moved at this very moment already. Reload and try again."
                        ),
                    )
                ],
            },
        ),
        migrations.RunPython(placements_from_stays, migrations.RunPython.noop, elidable=False),
        RunSQLOnPostgreSQL(sql=FORWARD, reverse_sql=BACKWARD),
    ]
