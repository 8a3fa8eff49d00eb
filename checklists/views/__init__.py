"""Pages, one module per area, each with its urls module (brought in by ``checklists/urls.py``):

- ``board``: the landing page, the ward board, the handover
- ``care``: 受け持ち (the leader's assignments, a nurse taking a patient)
- ``admissions``: admitting, the patient page and history, risk factors, checklists, transfer, discharge
- ``recording``: one tap records an item, or corrects a record
- ``item_details``: an item's per-patient detail (「歩行器使用・見守り」), set from the patient page
- ``printing``: PDFs, whole-ward print runs, planned examinations, paper records
- ``events``: safety events on a stay (falls, aspiration, delirium), corrections, teach-back audits
- ``quality``: the quality pages under /quality/, their CSVs and the monthly ward report
- ``editor_templates``, ``editor_versions``, ``editor_interchange``, ``editor_reference``: the
  checklist editor under /editor/ (templates; a version and its items; files; reference data)
- ``access``: who may do what, which ward or patient the user sees, service errors on the page

Views are thin: parse the request, call a queryset or a service, render or redirect.
"""
