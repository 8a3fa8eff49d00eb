"""URLs of the checklist editor, relative to /editor/ (editor_templates.py, editor_versions.py,
editor_interchange.py, editor_reference.py, editor_shifts.py; the scales in editor_scales_urls)."""

from django.urls import include, path

from . import (
    editor_interchange,
    editor_reference,
    editor_scales_urls,
    editor_shifts,
    editor_templates,
    editor_versions,
)

urlpatterns = [
    path("", editor_templates.template_list, name="template_list"),
    path("templates/new/", editor_templates.template_create, name="template_create"),
    path("templates/import/", editor_interchange.template_import, name="template_import"),
    path("templates/<int:pk>/", editor_templates.template_detail, name="template_detail"),
    path("templates/<int:pk>/draft/", editor_templates.template_draft_create, name="template_draft_create"),
    path("templates/<int:pk>/triggers/", editor_templates.template_triggers, name="template_triggers"),
    path("templates/<int:pk>/diff/", editor_templates.template_diff, name="template_diff"),
    path("templates/<int:pk>/patients/", editor_templates.template_patients, name="template_patients"),
    path("templates/<int:pk>/history/", editor_templates.template_history, name="template_history"),
    path("templates/<int:pk>/export/", editor_interchange.template_export, name="template_export"),
    path("versions/<int:pk>/", editor_versions.version_detail, name="version_detail"),
    path("versions/<int:pk>/items/new/", editor_versions.item_add, name="item_add"),
    path("versions/<int:pk>/publish/", editor_versions.version_publish, name="version_publish"),
    path("versions/<int:pk>/preview/", editor_versions.version_preview, name="version_preview"),
    path("items/<int:pk>/", editor_versions.item_edit, name="item_edit"),
    path("items/<int:pk>/remove/", editor_versions.item_remove, name="item_remove"),
    path("items/<int:pk>/move/", editor_versions.item_move, name="item_move"),
    path("risk-factors/", editor_reference.risk_factor_list, name="risk_factor_list"),
    path("risk-factors/new/", editor_reference.risk_factor_create, name="risk_factor_create"),
    path("risk-factors/<int:pk>/", editor_reference.risk_factor_edit, name="risk_factor_edit"),
    path("shifts/", editor_shifts.shift_list, name="shift_list"),
    path("shifts/new/", editor_shifts.shift_pattern_create, name="shift_pattern_create"),
    path("shifts/<int:pk>/", editor_shifts.shift_pattern_change, name="shift_pattern_change"),
    path("wards/<int:pk>/shifts/", editor_shifts.ward_shift_pattern_set, name="ward_shift_pattern_set"),
    path("", include(editor_scales_urls)),
]
