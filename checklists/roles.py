"""The three roles as Django groups, and the permissions each one holds.

The groups are created by a data migration; demo users are put in them by
``manage.py load_demo``. Names are stable identifiers; labels are translated.
"""

from django.utils.translation import gettext_lazy as _

NURSE = "nurse"
SHIFT_LEADER = "shift_leader"
CHECKLIST_ADMIN = "checklist_admin"

LABELS = {
    NURSE: _("Nurse"),
    SHIFT_LEADER: _("Shift leader"),
    CHECKLIST_ADMIN: _("Checklist admin"),
}

_WARD_WORK = [
    "view_ward_pages",  # reading the ward's pages at all (views/access.py)
    "view_ward",
    "view_bed",
    "view_patient",
    "add_patient",
    "view_admission",
    "add_admission",
    "change_admission",
    "view_riskfactor",
    "view_admissionriskfactor",
    "add_admissionriskfactor",
    "change_admissionriskfactor",
    "view_shiftdefinition",
    "view_shiftpattern",
    "view_shiftpatternversion",
    "view_wardshiftpattern",
    "view_checklisttemplate",
    "view_templateversion",
    "view_templateitem",
    "view_patientchecklist",
    "add_patientchecklist",
    "change_patientchecklist",
    "view_checkrecord",
    "add_checkrecord",
    "view_careassignment",
    "add_careassignment",  # taking a patient oneself (受け持ち)
    "view_handovernote",
    "add_handovernote",
    "view_handoveracknowledgement",
    "add_handoveracknowledgement",
    "view_injurylevel",
    "view_safetyevent",
    "add_safetyevent",
    "view_teachbackaudit",
    "add_teachbackaudit",
    "view_quality_pages",  # their own wards' figures (views/quality.py)
]

PERMISSIONS = {
    NURSE: _WARD_WORK,
    SHIFT_LEADER: [*_WARD_WORK, "view_auditevent", "assign_nurses"],
    CHECKLIST_ADMIN: [
        "view_ward",
        "view_bed",
        "view_riskfactor",
        "add_riskfactor",
        "change_riskfactor",
        # The one-tap reasons of the record dialog (retired, never deleted).
        "view_quickreason",
        "add_quickreason",
        "change_quickreason",
        # Shift times are history: a change is a new pattern version (its shifts added), never an edit.
        "view_shiftdefinition",
        "add_shiftdefinition",
        "view_shiftpattern",
        "add_shiftpattern",
        "view_shiftpatternversion",
        "add_shiftpatternversion",
        "view_wardshiftpattern",
        "add_wardshiftpattern",
        "view_checklisttemplate",
        "add_checklisttemplate",
        "change_checklisttemplate",
        "view_templateversion",
        "add_templateversion",
        "change_templateversion",
        "view_templateitem",
        "add_templateitem",
        "change_templateitem",
        "delete_templateitem",
        # No view_patientchecklist: its rows are named after the patient. The audit trail in
        # the admin shows a checklist admin only the events that name no patient (admin.py).
        "view_auditevent",
        # The hospital's injury scale; the quality figures of every ward, without patient names.
        "view_injurylevel",
        "add_injurylevel",
        "change_injurylevel",
        "view_quality_pages",
    ],
}
