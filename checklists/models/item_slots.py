"""The due item-slots the quality figures count: one row per stay, checklist template, item key
and shift slot (an item due once a day: per duty date) that was due or was recorded.

A cache of what the records and the stays say, never a record itself: ``quality_slots_refresh``
(every 15 minutes, from the print worker's loop) writes the slots that ended, due item by item
(``selectors.item_rules``) with the status of their latest record, and a record of a slot that
has ended (a late entry, a correction, a paper record) writes its row's status in the same
transaction as the record, so the figures always agree with the records. A record of the
running shift writes no row (``services.item_slot_record``): the shift is counted when it ends.
A due row without a status is a slot nobody recorded: missed. As-needed items have no rows.

Items due once per stay have a row per stay, template and item key instead (``StayItem``): due
from the first duty date it applied (the refresh, at the end of each duty date) or was
recorded, with the status of its latest standing record on any of the stay's checklists of the
template (a version move keeps what the old version's checklist recorded).

A row is filed under the ward the stay lay on when the slot ended (while the slot runs: the
ward it lies on now), so a patient moved mid-day counts on the old ward for the shifts that
ended there and on the new ward from the shift it ended in.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .content import ChecklistTemplate, TemplateItem
from .recording import CheckRecord
from .reference import Ward
from .shift_patterns import ShiftDefinition


class ItemSlotQuerySet(models.QuerySet):
    def counted(self):
        """The rows the figures count: due (the slot ended) or recorded."""
        return self.filter(Q(due=True) | ~Q(status=""))


class ItemSlot(models.Model):
    admission = models.ForeignKey(
        "checklists.Admission", verbose_name=_("admission"), on_delete=models.PROTECT, related_name="+"
    )
    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    # The version's item last due or recorded in the slot: the wording and whether it is critical.
    item = models.ForeignKey(TemplateItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    item_key = models.SlugField(_("key"), max_length=60)
    duty_date = models.DateField(_("duty date"))
    shift = models.ForeignKey(
        ShiftDefinition, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )  # null: an item due once a day, one row for the duty date
    due = models.BooleanField(_("due"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=CheckRecord.Status, blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")

    objects = ItemSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("item slot")
        verbose_name_plural = _("item slots")
        constraints = [
            models.UniqueConstraint(
                fields=["admission", "template", "item_key", "duty_date", "shift"],
                condition=Q(shift__isnull=False),
                name="one_item_slot_per_stay_item_and_shift_slot",
            ),
            models.UniqueConstraint(
                fields=["admission", "template", "item_key", "duty_date"],
                condition=Q(shift__isnull=True),
                name="one_daily_item_slot_per_stay_item_and_day",
            ),
        ]
        indexes = [
            # Every figure reads one ward's period of duty dates.
            models.Index(fields=["ward", "duty_date"], name="item_slot_ward_day_idx"),
        ]

    def __str__(self):
        return f"{self.duty_date} {self.item_key}: {self.status or '—'}"


class ItemSlotRefresh(models.Model):
    """How far ``quality_slots_refresh`` has marked a ward's ended slots as due."""

    ward = models.OneToOneField(Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="+")
    until = models.DateTimeField(_("slots ended until"))

    class Meta:
        verbose_name = _("item slot refresh")
        verbose_name_plural = _("item slot refreshes")

    def __str__(self):
        return f"{self.ward}: {self.until}"


class StayItem(models.Model):
    """An item due once per stay, for one stay and checklist template: from when, filed under
    which ward, and how it stands. Written by ``services.item_slots_refresh`` (at the end of
    each duty date) and by ``services.item_slot_record`` with each record of such an item."""

    admission = models.ForeignKey(
        "checklists.Admission", verbose_name=_("admission"), on_delete=models.PROTECT, related_name="+"
    )
    # The ward the stay lay on at the end of the first duty date the item was due or recorded.
    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(TemplateItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    item_key = models.SlugField(_("key"), max_length=60)
    first_on = models.DateField(_("first due or recorded on"))
    status = models.CharField(_("status"), max_length=20, choices=CheckRecord.Status, blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("item due once per stay")
        verbose_name_plural = _("items due once per stay")
        constraints = [
            models.UniqueConstraint(
                fields=["admission", "template", "item_key"], name="one_stay_item_per_stay_template_and_key"
            ),
        ]
        indexes = [models.Index(fields=["ward", "first_on"], name="stay_item_ward_day_idx")]

    def __str__(self):
        return f"{self.first_on} {self.item_key}: {self.status or '—'}"
