"""Who may tap an item: the one-tap record's access check, part of one query.

The record view needs the item of a checklist on one of the user's wards, and the user's role
must both read ward pages and record. Django's permission check loads all of the user's and
groups' permissions (two queries) and the lookups two more; here the conditions are a filter:
``recordable_checklists`` is the queryset within which the record service locks the checklist
(with its item), so the check costs no query of its own. ``recordable_item`` answers the same in
one query when nothing was written (a form error, a colleague's record meanwhile), for the
page the answer shows. Only a refusal runs more queries, to tell 403 (no role) from 404 (not
the user's ward, or not the checklist's item).
"""

from django.contrib.auth.models import Permission
from django.db.models import Exists, Q, QuerySet, Subquery

from ..models import PatientChecklist, TemplateItem

RECORD = "add_checkrecord"
VIEW_WARD_PAGES = "view_ward_pages"


def role_grants(user, codename: str) -> Exists:
    """True where the user, or one of the user's groups, holds the app's permission ``codename``."""
    return Exists(
        Permission.objects.filter(codename=codename, content_type__app_label="checklists").filter(
            Q(user=user) | Q(group__user=user)
        )
    )


def recordable_item(user, *, checklist_pk: int, item_pk: int) -> TemplateItem | None:
    """The item ``item_pk`` of the checklist ``checklist_pk`` if the checklist's stay is on one
    of the user's wards and the user's role records; its ``admission_id`` says the stay. Else
    None. One query."""
    if not user.is_active:
        return None
    checklists = PatientChecklist.objects.filter(pk=checklist_pk)
    if not user.is_superuser:
        checklists = checklists.filter(admission__ward__staff=user)
    items = TemplateItem.objects.filter(pk=item_pk, version_id=Subquery(checklists.values("version_id")[:1]))
    if not user.is_superuser:
        items = items.filter(role_grants(user, RECORD), role_grants(user, VIEW_WARD_PAGES))
    items = items.annotate(admission_id=Subquery(checklists.values("admission_id")[:1]))
    return items.first()


def recordable_checklists(user) -> QuerySet[PatientChecklist]:
    """The checklists whose items the user may tap: stays on the user's wards, and a role that
    both reads ward pages and records. The one-tap record locks its checklist within them, so
    the access check is part of that query (``services.item_record``)."""
    if not user.is_active:
        return PatientChecklist.objects.none()
    if user.is_superuser:
        return PatientChecklist.objects.all()
    return PatientChecklist.objects.filter(
        role_grants(user, RECORD), role_grants(user, VIEW_WARD_PAGES), admission__ward__staff=user
    )
