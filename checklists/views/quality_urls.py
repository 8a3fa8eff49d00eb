"""URLs of the quality pages and the monthly ward report (quality.py)."""

from django.urls import path

from . import quality, quality_evidence

urlpatterns = [
    path("", quality.quality_index, name="quality_index"),
    path("wards/<int:pk>/completion/", quality.quality_completion, name="quality_completion"),
    path("wards/<int:pk>/events/", quality.quality_events, name="quality_events"),
    path("wards/<int:pk>/teach-back/", quality.quality_teach_back, name="quality_teach_back"),
    path("wards/<int:pk>/assessments/", quality.quality_assessments, name="quality_assessments"),
    path("wards/<int:pk>/evidence.csv", quality_evidence.quality_evidence_csv, name="quality_evidence_csv"),
    path("wards/<int:pk>/evidence.pdf", quality_evidence.quality_evidence_pdf, name="quality_evidence_pdf"),
    path("wards/<int:pk>/plot.csv", quality.quality_plot_csv, name="quality_plot_csv"),
    path("wards/<int:pk>/report.pdf", quality.ward_report_pdf, name="ward_report_pdf"),
]
