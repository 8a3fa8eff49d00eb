"""Per-patient details of checklist items: what a nurse wrote for one patient beside an item that
asks for one (「歩行器使用・見守り」, 「とろみ中間」). Append-only: a change is a new row, the latest
row for (admission, template, item key) is the current detail, and an empty text clears it.

The item is named by its key, which stays the same across versions, so a detail follows the
patient when an admin moves the checklist to a newer version.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .content import ChecklistTemplate
from .stays import Admission


class ItemDetailQuerySet(models.QuerySet):
    def current_by_item(self, admissions) -> dict[tuple[int, int, str], "ItemDetail"]:
        """(admission id, template id, item key) → the detail that stands (the latest), cleared
        ones left out. One query, whatever the number of admissions."""
        rows = self.filter(admission__in=list(admissions)).order_by("written_at", "pk")
        current = {(row.admission_id, row.template_id, row.item_key): row for row in rows}
        return {key: row for key, row in current.items() if row.text}

    def history_of(self, *, admission, template, item_key):
        return (
            self.filter(admission=admission, template=template, item_key=item_key)
            .select_related("written_by")
            .order_by("-written_at", "-pk")
        )


class ItemDetail(models.Model):
    """One nurse's per-patient detail of an item, as written then. Never updated or deleted."""

    TEXT_MAX_LENGTH = 60

    admission = models.ForeignKey(
        Admission, verbose_name=_("admission"), on_delete=models.PROTECT, related_name="item_details"
    )
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    item_key = models.SlugField(_("item key"), max_length=60)
    text = models.CharField(_("detail"), max_length=TEXT_MAX_LENGTH, blank=True, default="")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)

    objects = ItemDetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("per-patient item detail")
        verbose_name_plural = _("per-patient item details")
        ordering = ["admission", "template", "item_key", "written_at", "pk"]
        indexes = [models.Index(fields=["admission", "template", "item_key"], name="item_detail_item_idx")]

    def __str__(self):
        return f"{self.admission_id} {self.item_key}: {self.text}"
