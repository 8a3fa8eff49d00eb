"""URLs of printing: PDFs, print runs, planned examinations, paper records (printing.py)."""

from django.urls import path

from . import printing

urlpatterns = [
    path("admissions/<int:pk>/bedside.pdf", printing.admission_bedside_pdf, name="admission_bedside_pdf"),
    path("admissions/<int:pk>/handout.pdf", printing.admission_handout_pdf, name="admission_handout_pdf"),
    path("admissions/<int:pk>/paper.pdf", printing.admission_downtime_pdf, name="admission_downtime_pdf"),
    path("admissions/<int:pk>/transcribe/", printing.admission_transcribe, name="admission_transcribe"),
    path("admissions/<int:pk>/examinations/", printing.admission_examinations, name="admission_examinations"),
    path("admissions/<int:pk>/examinations/add/", printing.examination_create, name="examination_create"),
    path("examinations/<int:pk>/remove/", printing.examination_remove, name="examination_remove"),
    path("wards/<int:pk>/handover.pdf", printing.ward_handover_pdf, name="ward_handover_pdf"),
    path("wards/<int:pk>/print/", printing.ward_print, name="ward_print"),
    path("print-runs/<int:pk>/", printing.print_job_detail, name="print_job_detail"),
    path("print-runs/<int:pk>/download/", printing.print_job_download, name="print_job_download"),
]
