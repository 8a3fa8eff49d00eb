"""URLs of recording an item, its record dialog, correcting a record (recording.py), "the
rest: done" (round.py) and an item's per-patient detail (item_details.py)."""

from django.urls import path

from . import item_details, recording, round

urlpatterns = [
    path("checklists/<int:checklist_pk>/items/<int:item_pk>/record/", recording.item_record, name="item_record"),
    path("checklists/<int:checklist_pk>/items/<int:item_pk>/dialog/", recording.item_dialog, name="item_dialog"),
    path("checklists/<int:checklist_pk>/items/<int:item_pk>/detail/", item_details.item_detail, name="item_detail"),
    path("records/<int:pk>/correct/", recording.record_correct, name="record_correct"),
    path("admissions/<int:pk>/rest-done/", round.rest_done, name="rest_done"),
]
