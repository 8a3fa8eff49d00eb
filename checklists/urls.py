from django.urls import path

from . import views

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
]
