from django.urls import path

from . import editor_views, print_views, views

app_name = "checklists"

urlpatterns = [
    path("", views.home, name="home"),
    path("wards/<int:pk>/", views.ward_board, name="ward_board"),
    path("wards/<int:pk>/handover/", views.ward_handover, name="ward_handover"),
    path("wards/<int:ward_pk>/admit/", views.admission_create, name="admission_create"),
    path("admissions/<int:pk>/", views.admission_detail, name="admission_detail"),
    path("admissions/<int:pk>/history/", views.admission_history, name="admission_history"),
    path("admissions/<int:pk>/checklists/", views.admission_checklists, name="admission_checklists"),
    path("admissions/<int:pk>/risk-factors/", views.admission_risk_factors, name="admission_risk_factors"),
    path("admissions/<int:pk>/transfer/", views.admission_transfer, name="admission_transfer"),
    path("admissions/<int:pk>/discharge/", views.admission_discharge, name="admission_discharge"),
    path(
        "checklists/<int:checklist_pk>/items/<int:item_pk>/record/",
        views.item_record,
        name="item_record",
    ),
    path("records/<int:pk>/correct/", views.record_correct, name="record_correct"),
    # editor: checklist admins change content (checklists/editor_views.py)
    path("editor/", editor_views.template_list, name="template_list"),
    path("editor/templates/new/", editor_views.template_create, name="template_create"),
    path("editor/templates/import/", editor_views.template_import, name="template_import"),
    path("editor/templates/<int:pk>/", editor_views.template_detail, name="template_detail"),
    path("editor/templates/<int:pk>/draft/", editor_views.template_draft_create, name="template_draft_create"),
    path("editor/templates/<int:pk>/triggers/", editor_views.template_triggers, name="template_triggers"),
    path("editor/templates/<int:pk>/diff/", editor_views.template_diff, name="template_diff"),
    path("editor/templates/<int:pk>/patients/", editor_views.template_patients, name="template_patients"),
    path("editor/templates/<int:pk>/history/", editor_views.template_history, name="template_history"),
    path("editor/templates/<int:pk>/export/", editor_views.template_export, name="template_export"),
    path("editor/versions/<int:pk>/", editor_views.version_detail, name="version_detail"),
    path("editor/versions/<int:pk>/items/new/", editor_views.item_add, name="item_add"),
    path("editor/versions/<int:pk>/publish/", editor_views.version_publish, name="version_publish"),
    path("editor/versions/<int:pk>/preview/", editor_views.version_preview, name="version_preview"),
    path("editor/items/<int:pk>/", editor_views.item_edit, name="item_edit"),
    path("editor/items/<int:pk>/remove/", editor_views.item_remove, name="item_remove"),
    path("editor/items/<int:pk>/move/", editor_views.item_move, name="item_move"),
    path("editor/risk-factors/", editor_views.risk_factor_list, name="risk_factor_list"),
    path("editor/risk-factors/new/", editor_views.risk_factor_create, name="risk_factor_create"),
    path("editor/risk-factors/<int:pk>/", editor_views.risk_factor_edit, name="risk_factor_edit"),
    path("editor/shifts/", editor_views.shift_list, name="shift_list"),
    path("editor/shifts/new/", editor_views.shift_create, name="shift_create"),
    path("editor/shifts/<int:pk>/", editor_views.shift_edit, name="shift_edit"),
    # end editor
    # printing (checklists/print_views.py): PDFs, print runs, planned examinations, paper records
    path("admissions/<int:pk>/bedside.pdf", print_views.admission_bedside_pdf, name="admission_bedside_pdf"),
    path("admissions/<int:pk>/handout.pdf", print_views.admission_handout_pdf, name="admission_handout_pdf"),
    path("admissions/<int:pk>/paper.pdf", print_views.admission_downtime_pdf, name="admission_downtime_pdf"),
    path("admissions/<int:pk>/transcribe/", print_views.admission_transcribe, name="admission_transcribe"),
    path("admissions/<int:pk>/examinations/", print_views.admission_examinations, name="admission_examinations"),
    path("admissions/<int:pk>/examinations/add/", print_views.examination_create, name="examination_create"),
    path("examinations/<int:pk>/remove/", print_views.examination_remove, name="examination_remove"),
    path("wards/<int:pk>/handover.pdf", print_views.ward_handover_pdf, name="ward_handover_pdf"),
    path("wards/<int:pk>/print/", print_views.ward_print, name="ward_print"),
    path("print-runs/<int:pk>/", print_views.print_job_detail, name="print_job_detail"),
    path("print-runs/<int:pk>/download/", print_views.print_job_download, name="print_job_download"),
    # end printing
]
